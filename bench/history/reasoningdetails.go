package history

import (
	"cmp"
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// oaReasoningDetail is one entry of the reasoning_details OpenRouter puts
// on an assistant message, and asks to be sent back as it came
// (OpenRouter's "Reasoning Tokens" guide, "Preserving reasoning blocks"):
// a reasoning.text entry holds the reasoning's text and, where the
// provider signs it, its signature; a reasoning.summary entry a summary
// of it; a reasoning.encrypted entry the provider's encrypted reasoning,
// in data. Format names the provider's dialect: anthropic-claude-v1,
// openai-responses-v1, azure-openai-responses-v1, xai-responses-v1,
// google-gemini-v1 or unknown.
type oaReasoningDetail struct {
	Type      string `json:"type"`
	Text      string `json:"text"`
	Summary   string `json:"summary"`
	Data      string `json:"data"`
	Signature string `json:"signature"`
	Format    string `json:"format"`
	// ID names the block at the provider; Index is the entry's place in
	// a streamed answer, which the order of the array keeps.
	ID    jsontext.Value `json:"id"`
	Index jsontext.Value `json:"index"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// reasoningDetailReads are the members each entry type is read for,
// beside its type and format.
var reasoningDetailReads = map[string][]string{
	"reasoning.text":      {"text", "signature"},
	"reasoning.summary":   {"summary"},
	"reasoning.encrypted": {"data"},
}

// anthropicFormat is the reasoning_details format of Claude's reasoning,
// whose signature and encrypted (redacted) reasoning Bedrock's Claude
// reads as Anthropic's API does.
const anthropicFormat = "anthropic-claude-v1"

// otherProvider reports whether format names a provider other than
// Anthropic: one whose signature Claude cannot check.
func otherProvider(format string) bool {
	return format != "" && format != "unknown" && format != anthropicFormat
}

// openaiReasoningDetails converts the reasoning_details of assistant
// message i, at path, entry by entry: a reasoning.text entry becomes
// reasoning with its text and signature, as an Anthropic thinking block
// does (a signature of another provider's format is reported dropped,
// and the text kept unsigned); a reasoning.summary entry unsigned
// reasoning; a reasoning.encrypted entry of Anthropic's format redacted
// reasoning, as a redacted_thinking block does, and of another format a
// note, since only that provider can read it. Entries of other types,
// and members an entry's type does not read, are reported dropped.
func (d *decoder) openaiReasoningDetails(raw jsontext.Value, i int, path string) []Part {
	if k := raw.Kind(); k == 0 || k == 'n' {
		return nil // before the path is built: most messages have none
	}
	path += ".reasoning_details"
	var entries []jsontext.Value
	switch raw.Kind() {
	case '[':
		if json.Unmarshal(raw, &entries) == nil {
			break
		}
		fallthrough
	default:
		d.note(i, NoteFieldDropped, "%s = %s dropped: reasoning_details is an array of entries", path, clip(string(raw), 60))
		return nil
	}
	var parts []Part
	for j, v := range entries {
		at := path + "[" + strconv.Itoa(j) + "]"
		var e oaReasoningDetail
		if v.Kind() != '{' || json.Unmarshal(v, &e) != nil {
			d.note(i, NoteFieldDropped, "%s = %s dropped: an entry is an object of type, text, summary, data, signature and format", at, clip(string(v), 60))
			continue
		}
		reads, known := reasoningDetailReads[e.Type]
		if !known {
			d.note(i, NoteFieldDropped, "%s = %s dropped: an entry of type %q has no place in Converse; the types read are reasoning.text, reasoning.summary and reasoning.encrypted", at, clip(string(v), 60), e.Type)
			continue
		}
		_ = d.unknownMembers(e.Unknown, i, at, nil)
		if k := e.ID.Kind(); k != 0 && k != 'n' && string(e.ID) != `""` {
			d.note(i, NoteFieldDropped, "%s.id = %s dropped: it names the block at the provider; the replay sends the reasoning itself", at, clip(string(e.ID), 60))
		}
		if k := e.Index.Kind(); k != 0 && k != 'n' {
			d.note(i, NoteFieldDropped, "%s.index = %s dropped: the position of the entry in a streamed answer; the order of reasoning_details keeps it", at, clip(string(e.Index), 60))
		}
		for _, m := range [...]struct{ name, value string }{{"text", e.Text}, {"summary", e.Summary}, {"data", e.Data}, {"signature", e.Signature}} {
			if m.value != "" && !slices.Contains(reads, m.name) {
				d.note(i, NoteFieldDropped, "%s.%s = %s dropped: %s %s entry has no %s", at, m.name, noteValue(m.value), article(e.Type), e.Type, m.name)
			}
		}
		switch e.Type {
		case "reasoning.text":
			p := Part{Kind: PartReasoning, Text: e.Text, Signature: e.Signature}
			if e.Signature != "" && otherProvider(e.Format) {
				d.note(i, NoteFieldDropped, "%s.signature = %s dropped: it is a signature of format %s, which only that provider checks; the text is kept as unsigned reasoning", at, noteValue(e.Signature), e.Format)
				p.Signature = ""
			}
			parts = append(parts, p)
		case "reasoning.summary":
			d.note(i, NoteFieldMapped, "%s (reasoning.summary) became unsigned reasoning: a summary carries no signature", at)
			parts = append(parts, Part{Kind: PartReasoning, Text: e.Summary})
		case "reasoning.encrypted":
			if e.Format != anthropicFormat {
				d.note(i, NoteFieldDropped, "%s.data = %s dropped: it is encrypted reasoning of format %s, which only that provider can read; redacted reasoning goes back to Claude alone", at, noteValue(e.Data), cmp.Or(e.Format, "unknown"))
				continue
			}
			data, err := base64.StdEncoding.DecodeString(e.Data)
			if err != nil {
				d.note(i, NoteFieldDropped, "%s.data = %s dropped: not valid base64 (%v), as Claude's redacted reasoning is", at, noteValue(e.Data), err)
				continue
			}
			parts = append(parts, Part{Kind: PartRedactedReasoning, Media: &Media{Data: data}})
		}
	}
	return parts
}
