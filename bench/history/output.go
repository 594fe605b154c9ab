package history

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// outputFormat maps a structured-output request (OpenAI's
// "response_format", the Responses API's "text.format", Anthropic's
// "output_format") to Converse's outputConfig.textFormat. A JSON schema
// maps, its schema object becoming the schema text Converse takes
// ("strict" has no place: Converse always holds the answer to the
// schema); "text" is what Converse does anyway; "json_object", which
// names no schema, and anything else are reported as dropped.
func (d *decoder) outputFormat(raw jsontext.Value, path string, h *History) {
	if len(raw) == 0 || raw.Kind() == 'n' {
		return
	}
	var f struct {
		Type string `json:"type"`
		// Chat Completions nests the schema in "json_schema"; the
		// Responses API and Anthropic have its members on the format
		// itself.
		JSONSchema  *oaJSONSchema  `json:"json_schema"`
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Schema      jsontext.Value `json:"schema"`
		Strict      jsontext.Value `json:"strict"`
		// Unknown holds every other member, each reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	}
	if err := json.Unmarshal(raw, &f); err == nil {
		s := oaJSONSchema{Name: f.Name, Description: f.Description, Schema: f.Schema}
		if f.JSONSchema != nil {
			s = *f.JSONSchema
		}
		switch {
		case f.Type == "text":
			d.outputFormatMembers(f.Unknown, nil, path)
			return
		case f.Type == "json_schema" && s.Schema.Kind() == '{':
			schema := s.Schema.Clone()
			if err := schema.Compact(); err == nil {
				h.Output = &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema",
					Structure: converse.OutputFormatStructure{JSONSchema: &converse.JSONSchemaDefinition{Schema: string(schema), Name: s.Name, Description: s.Description}}}}
				d.note(-1, NoteFieldMapped, "%s (a JSON schema) became outputConfig.textFormat", path)
				d.outputFormatMembers(f.Unknown, f.JSONSchema, path)
				return
			}
		}
	}
	d.note(-1, NoteFieldDropped, "%s = %s dropped: Converse's structured output takes a JSON schema, and this names none", path, clip(string(raw), 60))
}

// anthropicOutputConfig maps the Messages API's output_config: its format
// (structured output, {"type": "json_schema", "schema": ...}, which took
// the place of the beta's output_format) as outputFormat maps
// output_format, and its effort (low, medium, high, xhigh or max) to
// Converse's outputConfig.effort, which takes the same levels. Given
// beside output_config.format, output_format is reported dropped: the
// current field is kept. Other members of output_config (a task_budget)
// are reported dropped.
func (d *decoder) anthropicOutputConfig(req *anRequest, h *History) {
	var oc struct {
		Format jsontext.Value `json:"format"`
		Effort jsontext.Value `json:"effort"`
		// Unknown holds every other member, each reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	}
	switch raw := req.OutputConfig; raw.Kind() {
	case 0, 'n':
	case '{':
		if err := json.Unmarshal(raw, &oc); err != nil {
			d.note(-1, NoteFieldDropped, "request.output_config = %s dropped: %v", clip(string(raw), 60), err)
		}
	default:
		d.note(-1, NoteFieldDropped, "request.output_config = %s dropped: an output_config is an object, {\"format\": ..., \"effort\": ...}", clip(string(raw), 60))
	}
	if k := oc.Format.Kind(); k == 0 || k == 'n' {
		d.outputFormat(req.OutputFormat, "request.output_format", h)
	} else {
		if k := req.OutputFormat.Kind(); k != 0 && k != 'n' {
			d.note(-1, NoteFieldDropped, "request.output_format = %s dropped: output_config.format, which took its place, is kept", clip(string(req.OutputFormat), 60))
		}
		d.outputFormat(oc.Format, "request.output_config.format", h)
	}
	var effort string
	switch k := oc.Effort.Kind(); {
	case k == 0 || k == 'n':
	case k == '"' && json.Unmarshal(oc.Effort, &effort) == nil && effort != "":
		if h.Output == nil {
			h.Output = &converse.OutputConfig{}
		}
		h.Output.Effort = effort
		d.note(-1, NoteFieldMapped, "request.output_config.effort %q became outputConfig.effort", effort)
	default:
		d.note(-1, NoteFieldDropped, "request.output_config.effort = %s dropped: an effort is one of low, medium, high, xhigh, max", clip(string(oc.Effort), 60))
	}
	_ = d.unknownMembers(oc.Unknown, -1, "request.output_config", nil)
}

// outputFormatMembers reports the members of the structured-output
// request at path, and of its json_schema (nil if none), that the
// decoder does not read. Errors cannot happen: the members are those of
// an object just decoded.
func (d *decoder) outputFormatMembers(unknown jsontext.Value, s *oaJSONSchema, path string) {
	_ = d.unknownMembers(unknown, -1, path, nil)
	if s != nil {
		_ = d.unknownMembers(s.Unknown, -1, path+".json_schema", nil)
	}
}

// oaJSONSchema is a structured-output schema as OpenAI's APIs name it.
type oaJSONSchema struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Schema      jsontext.Value `json:"schema"`
	// Strict has no place: Converse always holds the answer to the schema.
	Strict jsontext.Value `json:"strict"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}
