package history

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// OpenAI's custom tools (GPT-5; Chat Completions and Responses) take
// free-form text, not JSON arguments: a call holds an "input" string, and
// the declaration may hold a grammar the text follows. A Converse tool
// takes a JSON object, so a custom tool is declared with an input schema
// of one string member, input, and each call's text is sent as
// {"input": "<the text>"}; its result answers it as any tool result does.
// The model on Bedrock then sees the same tool, called by name with the
// same text, and may call it again; flattening the calls to text would
// leave the conversation's tool rounds as prose and the tool uncallable.
// What has no place is the grammar, reported dropped.

// customSchema is the input schema a custom tool is declared with.
const customSchema = `{"type":"object","properties":{"input":{"type":"string","description":"The tool's free-form input."}},"required":["input"],"additionalProperties":false}`

// customInput is a custom tool call's text as a Converse tool input.
func customInput(text string) []byte {
	b, _ := json.Marshal(struct {
		Input string `json:"input"`
	}{text})
	return b
}

// customTool declares the custom tool name at path, noting what its
// declaration becomes and reporting a grammar format.
func (d *decoder) customTool(name, description string, format jsontext.Value, path string) Tool {
	d.note(-1, NoteFieldMapped, "%s (custom tool %s) is declared with an input schema of one string member, input: a Converse tool takes a JSON object, so each call's free-form text is sent as {\"input\": <the text>}", path, name)
	if format.Kind() == '{' {
		var f struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(format, &f) != nil || f.Type != "text" {
			d.note(-1, NoteFieldDropped, "%s.format = %s dropped: Converse constrains no tool input by a grammar; the input is any string", path, noteValue(format))
		}
	} else if k := format.Kind(); k != 0 && k != 'n' {
		d.note(-1, NoteFieldDropped, "%s.format = %s dropped: Converse constrains no tool input by a grammar; the input is any string", path, noteValue(format))
	}
	return Tool{Name: name, Description: description, Schema: []byte(customSchema)}
}

// customCall is the tool call id of custom tool name with free-form
// text input, at path under message index, noted.
func (d *decoder) customCall(id, name, input, path string, index int) Part {
	d.note(index, NoteFieldMapped, "%s (a call of custom tool %s) is sent as the tool input {\"input\": <its text>}", path, name)
	return Part{Kind: PartToolCall, ID: id, Name: name, Input: customInput(input)}
}
