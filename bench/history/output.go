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
