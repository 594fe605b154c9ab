package history

import (
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// FormatResponses is an OpenAI Responses API request body: "input" items
// (messages, function calls and their outputs, reasoning) and
// "instructions".
const FormatResponses Format = "openai-responses"

// The Responses API request body, as far as a history needs it.
type rsRequest struct {
	Model           string         `json:"model"`
	Instructions    textOr[rsPart] `json:"instructions"`
	Input           textOr[rsItem] `json:"input"`
	Tools           []rsTool       `json:"tools"`
	ToolChoice      jsontext.Value `json:"tool_choice"`
	MaxOutputTokens *int           `json:"max_output_tokens"`
	Temperature     *float64       `json:"temperature"`
	TopP            *float64       `json:"top_p"`
	Text            struct {
		Format jsontext.Value `json:"format"`
	} `json:"text"`
	PreviousResponseID string `json:"previous_response_id"`
	// Unknown holds every other field, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// responsesDropped says why some Responses API fields have no Converse
// place; the others are reported with a general reason.
var responsesDropped = map[string]string{
	"reasoning": openaiDropped["reasoning_effort"],
	"stream":    openaiDropped["stream"],
	"store":     "the replay keeps nothing on the server",
}

// rsItem is one input item. A message has a role and content; the other
// item types are told apart by "type".
type rsItem struct {
	Type    string         `json:"type"`
	Role    string         `json:"role"`
	Content textOr[rsPart] `json:"content"`
	// function_call and function_call_output
	CallID    string         `json:"call_id"`
	Name      string         `json:"name"`
	Arguments jsontext.Value `json:"arguments"`
	Output    jsontext.Value `json:"output"`
	// reasoning
	Summary          []rsPart `json:"summary"`
	EncryptedContent string   `json:"encrypted_content"`
}

func (*rsItem) partsName() string { return "an array of input items" }

type rsPart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Refusal  string `json:"refusal"`
	ImageURL string `json:"image_url"`
	FileID   string `json:"file_id"`
	FileData string `json:"file_data"`
	Filename string `json:"filename"`
	FileURL  string `json:"file_url"`
}

func (*rsPart) partsName() string { return "an array of content parts" }

type rsTool struct {
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Parameters  jsontext.Value `json:"parameters"`
	Strict      *bool          `json:"strict"`
}

// responses decodes a Responses API body into h.
func (d *decoder) responses(body jsontext.Value, h *History) error {
	var req rsRequest
	if err := json.Unmarshal(body, &req); err != nil {
		sub := &decoder{file: d.file, data: body}
		if e, ok := sub.wrap(err).(*Error); ok && e.Line == 0 {
			e.Path = joinPath("request", e.Path)
			return e
		}
		return d.errorf("request", "%v", err)
	}
	if req.PreviousResponseID != "" {
		return d.errorf("request.previous_response_id", "the conversation goes on from a response kept on OpenAI's servers, which a fixture cannot hold; export the whole conversation as input items instead")
	}
	h.Model = req.Model
	h.Params = Params{MaxTokens: req.MaxOutputTokens, Temperature: req.Temperature, TopP: req.TopP}
	d.outputFormat(req.Text.Format, "request.text.format", h)
	if err := d.unknownFields(req.Unknown, responsesDropped); err != nil {
		return err
	}
	if req.Instructions.Kind == '"' && req.Instructions.Text != "" {
		h.System = []Part{{Kind: PartText, Text: req.Instructions.Text}}
	}
	for i, p := range req.Instructions.Parts {
		part, err := d.responsesPart(p, "request.instructions["+strconv.Itoa(i)+"]")
		if err != nil {
			return err
		}
		h.System = append(h.System, part)
	}
	for i, t := range req.Tools {
		if t.Type != "function" {
			return d.errorf(fmt.Sprintf("request.tools[%d].type", i), "unsupported tool type %q: only \"function\" tools can be replayed", t.Type)
		}
		h.Tools = append(h.Tools, Tool{Name: t.Name, Description: t.Description, Schema: raw(t.Parameters), Strict: t.Strict})
	}
	tc, err := d.openaiToolChoice(req.ToolChoice, "request.tool_choice")
	if err != nil {
		return err
	}
	h.ToolChoice = tc
	switch req.Input.Kind {
	case '"':
		h.Messages = []Message{{Role: RoleUser, Parts: []Part{{Kind: PartText, Text: req.Input.Text}}, Path: "request.input"}}
		return nil
	case '[':
	default:
		return d.errorf("request.input", "missing: a Responses body has input, a string or an array of items")
	}
	for i, it := range req.Input.Parts {
		path := "request.input[" + strconv.Itoa(i) + "]"
		switch it.Type {
		case "message", "":
			msg := Message{Path: path}
			switch it.Role {
			case "system", "developer", "user", "assistant":
				msg.Role = Role(it.Role)
			case "":
				return d.errorf(path+".role", "missing")
			default:
				return d.errorf(path+".role", "unknown role %q: one of system, developer, user, assistant", it.Role)
			}
			if it.Content.Kind == '"' {
				msg.Parts = []Part{{Kind: PartText, Text: it.Content.Text}}
			}
			for j, p := range it.Content.Parts {
				part, err := d.responsesPart(p, path+".content["+strconv.Itoa(j)+"]")
				if err != nil {
					return err
				}
				msg.Parts = append(msg.Parts, part)
			}
			h.Messages = append(h.Messages, msg)
		case "function_call":
			args, err := d.jsonArgs(it.Arguments, path, ".arguments", -1, "")
			if err != nil {
				return err
			}
			if it.CallID == "" {
				return d.errorf(path+".call_id", "missing: a function call has the id its output answers")
			}
			call := Part{Kind: PartToolCall, ID: it.CallID, Name: it.Name, Input: raw(args)}
			// Calls join the assistant turn they follow.
			if n := len(h.Messages); n > 0 && h.Messages[n-1].Role == RoleAssistant {
				h.Messages[n-1].Parts = append(h.Messages[n-1].Parts, call)
			} else {
				h.Messages = append(h.Messages, Message{Role: RoleAssistant, Parts: []Part{call}, Path: path})
			}
		case "function_call_output":
			if it.CallID == "" {
				return d.errorf(path+".call_id", "missing: a function call output answers a call by its id")
			}
			var content []Part
			switch it.Output.Kind() {
			case '"':
				var s string
				_ = json.Unmarshal(it.Output, &s)
				content = []Part{{Kind: PartText, Text: s}}
			case '[':
				var parts []rsPart
				if err := json.Unmarshal(it.Output, &parts); err != nil {
					return d.errorf(path+".output", "must be a string or an array of content parts")
				}
				for j, p := range parts {
					part, err := d.responsesPart(p, path+".output["+strconv.Itoa(j)+"]")
					if err != nil {
						return err
					}
					content = append(content, part)
				}
			default:
				return d.errorf(path+".output", "must be a string or an array of content parts")
			}
			h.Messages = append(h.Messages, Message{Role: RoleTool, Path: path, Parts: []Part{{Kind: PartToolResult, ID: it.CallID, Content: content}}})
		case "reasoning":
			var text string
			for _, s := range it.Summary {
				text += s.Text
			}
			part := Part{Kind: PartReasoning, Text: text}
			if text == "" && it.EncryptedContent != "" {
				part = Part{Kind: PartRedactedReasoning, Media: &Media{Data: []byte(it.EncryptedContent)}}
			}
			if n := len(h.Messages); n > 0 && h.Messages[n-1].Role == RoleAssistant && len(h.Messages[n-1].Parts) == 0 {
				h.Messages[n-1].Parts = append(h.Messages[n-1].Parts, part)
			} else {
				h.Messages = append(h.Messages, Message{Role: RoleAssistant, Parts: []Part{part}, Path: path})
			}
		case "item_reference":
			return d.errorf(path+".type", "an item_reference points at server-side state a fixture cannot hold; export the referenced items instead")
		default:
			return d.errorf(path+".type", "unsupported input item type %q: one of message, function_call, function_call_output, reasoning", it.Type)
		}
	}
	return nil
}

// responsesPart converts one content part.
func (d *decoder) responsesPart(p rsPart, path string) (Part, error) {
	switch p.Type {
	case "input_text", "output_text", "text", "summary_text":
		return Part{Kind: PartText, Text: p.Text}, nil
	case "refusal":
		return Part{Kind: PartText, Text: p.Refusal}, nil
	case "input_image":
		if p.ImageURL == "" {
			if p.FileID != "" {
				return Part{}, d.errorf(path+".file_id", "an uploaded file id cannot be replayed; inline the image as a data URL")
			}
			return Part{}, d.errorf(path+".image_url", "missing")
		}
		return d.imageFromURL(p.ImageURL, func() string { return path })
	case "input_file":
		if p.FileData == "" {
			if p.FileURL != "" {
				return Part{Kind: PartDocument, Name: p.Filename, Media: &Media{URL: p.FileURL, Format: mediaFormat(extension(p.FileURL))}}, nil
			}
			return Part{}, d.errorf(path+".file_data", "missing: an uploaded file id cannot be replayed; inline the file")
		}
		mt, data, ok, err := dataURL(p.FileData)
		if err != nil || !ok {
			return Part{}, d.errorf(path+".file_data", "must be a data URL (data:application/pdf;base64,...)")
		}
		return Part{Kind: PartDocument, Name: p.Filename, Media: &Media{Data: data, MediaType: mt, Format: mediaFormat(mt)}}, nil
	case "":
		return Part{}, d.errorf(path+".type", "missing")
	}
	return Part{}, d.errorf(path+".type", "unsupported content part type %q: one of input_text, output_text, input_image, input_file, refusal", p.Type)
}
