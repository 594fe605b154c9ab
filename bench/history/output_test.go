package history

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestStructuredOutputRequests: a structured-output request keeps its JSON
// schema in every format that has one, as Converse's outputConfig; what
// has no Converse place is reported as dropped, never silently lost.
func TestStructuredOutputRequests(t *testing.T) {
	schema := `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}`
	spaced := strings.ReplaceAll(strings.ReplaceAll(schema, ":", ": "), ",", ", ")
	jsonSchema := func(name, description string) *converse.OutputConfig {
		return &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema",
			Structure: converse.OutputFormatStructure{JSONSchema: &converse.JSONSchemaDefinition{Schema: schema, Name: name, Description: description}}}}
	}
	msgs := `"messages":[{"role":"user","content":"Which city?"}]`
	tests := []struct {
		name, format, body string
		want               *converse.OutputConfig
		note               string // the code of the one note, if any
	}{
		{"openai json_schema", "openai", `{"model":"gpt-4o",` + msgs + `,"response_format":{"type":"json_schema","json_schema":{"name":"City","description":"a city","strict":true,"schema":` + spaced + `}}}`,
			jsonSchema("City", "a city"), NoteFieldMapped},
		{"openai json_object", "openai", `{"model":"gpt-4o",` + msgs + `,"response_format":{"type":"json_object"}}`, nil, NoteFieldDropped},
		{"openai text", "openai", `{"model":"gpt-4o",` + msgs + `,"response_format":{"type":"text"}}`, nil, ""},
		{"openai null", "openai", `{"model":"gpt-4o",` + msgs + `,"response_format":null}`, nil, ""},
		{"openai not an object", "openai", `{"model":"gpt-4o",` + msgs + `,"response_format":"json"}`, nil, NoteFieldDropped},
		{"openai schema not an object", "openai", `{"model":"gpt-4o",` + msgs + `,"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":true}}}`, nil, NoteFieldDropped},
		{"responses json_schema", "openai-responses", `{"model":"gpt-4o","input":"Which city?","text":{"format":{"type":"json_schema","name":"City","strict":true,"schema":` + spaced + `}}}`,
			jsonSchema("City", ""), NoteFieldMapped},
		{"responses text", "openai-responses", `{"model":"gpt-4o","input":"Which city?","text":{"format":{"type":"text"}}}`, nil, ""},
		{"anthropic output_format", "anthropic", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"Which city?"}],"output_format":{"type":"json_schema","schema":` + spaced + `}}`,
			jsonSchema("", ""), NoteFieldMapped},
		{"converse outputConfig", "converse", `{"messages":[{"role":"user","content":[{"text":"Which city?"}]}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":` + quote(schema) + `,"name":"City"}}},"effort":"high"}}`,
			func() *converse.OutputConfig { o := jsonSchema("City", ""); o.Effort = "high"; return o }(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Decode("histories/x.json", fixture(tc.format, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, h.Output); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			var codes []string
			for _, n := range h.Notes {
				if strings.Contains(n.Detail, "response_format") || strings.Contains(n.Detail, "text.format") || strings.Contains(n.Detail, "output_format") {
					codes = append(codes, n.Code)
				}
			}
			switch {
			case tc.note == "" && len(codes) > 0:
				t.Errorf("notes %v, want none", h.Notes)
			case tc.note != "" && (len(codes) != 1 || codes[0] != tc.note):
				t.Errorf("notes %v, want one %s", h.Notes, tc.note)
			}
		})
	}
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// TestConverseMembersWithoutAPlace: members of a Converse body the wire
// model has no field for are each reported as dropped, whether the
// request comes after the format or before it; a body of known members
// gets no such note.
func TestConverseMembersWithoutAPlace(t *testing.T) {
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"serviceTier":{"type":"priority"},"promptVariables":{"x":{"text":"y"}},"inferenceConfig":{"maxTokens":10}}`
	for _, data := range []string{
		string(fixture("converse", body)),
		`{"request":` + body + `,"format":"converse","description":"d"}`,
	} {
		h, err := Decode("histories/x.json", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		dropped := droppedDetails(h)
		// serviceTier has its place: the history keeps it.
		if h.ServiceTier == nil || h.ServiceTier.Type != "priority" {
			t.Errorf("%s: serviceTier not kept: %+v", data, h.ServiceTier)
		}
		want := []string{
			`request.promptVariables = {"x":{"text":"y"}} dropped: Converse's wire model here has no place for it`,
		}
		if diff := cmp.Diff(want, dropped); diff != "" {
			t.Errorf("%s: dropped notes (-want +got):\n%s", data, diff)
		}
	}
	h, err := Decode("histories/x.json", fixture("converse", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"requestMetadata":{"a":"b"},"outputConfig":{"effort":"low"},"performanceConfig":{"latency":"standard"}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range h.Notes {
		if strings.Contains(n.Detail, "no place") {
			t.Errorf("a known member was reported: %s", n.Detail)
		}
	}
}

// droppedDetails returns the details of h's field-dropped notes, in order.
func droppedDetails(h *History) []string {
	var out []string
	for _, n := range h.Notes {
		if n.Code == NoteFieldDropped {
			out = append(out, n.Detail)
		}
	}
	return out
}

// TestStrictTools: a tool's strict mode is read from every format that
// has one (OpenAI's function.strict, the Responses API's and Anthropic's
// strict, Converse's toolSpec.strict), false as well as true, and is nil
// when unset; the fast path, where it takes the body, reads the same.
func TestStrictTools(t *testing.T) {
	schema := `{"type":"object","properties":{},"additionalProperties":false}`
	tests := []struct {
		name, format, body string
		fast               bool // the fast path must take the body
	}{
		{"openai", "openai", `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"tools":[` +
			`{"type":"function","function":{"name":"a","parameters":` + schema + `,"strict":true}},` +
			`{"type":"function","function":{"name":"b","parameters":` + schema + `,"strict":false}},` +
			`{"type":"function","function":{"name":"c","parameters":` + schema + `,"strict":null}}]}`, true},
		{"responses", "openai-responses", `{"model":"gpt-4o","input":"hi","tools":[` +
			`{"type":"function","name":"a","parameters":` + schema + `,"strict":true},` +
			`{"type":"function","name":"b","parameters":` + schema + `,"strict":false},` +
			`{"type":"function","name":"c","parameters":` + schema + `}]}`, false},
		{"anthropic", "anthropic", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[` +
			`{"name":"a","input_schema":` + schema + `,"strict":true},{"name":"b","input_schema":` + schema + `,"strict":false},{"name":"c","input_schema":` + schema + `}]}`, true},
		{"converse", "converse", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"toolConfig":{"tools":[` +
			`{"toolSpec":{"name":"a","inputSchema":{"json":` + schema + `},"strict":true}},{"toolSpec":{"name":"b","inputSchema":{"json":` + schema + `},"strict":false}},` +
			`{"toolSpec":{"name":"c","inputSchema":{"json":` + schema + `}}}]}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := fixture(tc.format, tc.body)
			h, err := Decode("histories/x.json", data)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tool := range h.Tools {
				s := "unset"
				if tool.Strict != nil {
					s = fmt.Sprint(*tool.Strict)
				}
				got = append(got, tool.Name+"="+s)
			}
			if diff := cmp.Diff([]string{"a=true", "b=false", "c=unset"}, got); diff != "" {
				t.Errorf("strict (-want +got):\n%s", diff)
			}
			for _, n := range h.Notes {
				if strings.Contains(n.Detail, "strict") {
					t.Errorf("strict reported: %s", n.Detail)
				}
			}
			if taken := checkFastPath(t, data); taken != tc.fast {
				t.Errorf("fast path taken: %v, want %v", taken, tc.fast)
			}
		})
	}
}

// TestToolCachePoints: a cache point among the tools is kept as a
// nameless entry of the tools, in its place: Converse's tools[i].cachePoint
// and Anthropic's cache_control on a tool (a cache point after it, with
// its ttl). Before, both were lost without a note.
func TestToolCachePoints(t *testing.T) {
	schema := `{"type":"object"}`
	for _, tc := range []struct{ format, body string }{
		{"converse", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"toolConfig":{"tools":[` +
			`{"toolSpec":{"name":"a","inputSchema":{"json":` + schema + `}}},{"cachePoint":{"type":"default","ttl":"1h"}},{"toolSpec":{"name":"b","inputSchema":{"json":` + schema + `}}}]}}`},
		{"anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[` +
			`{"name":"a","input_schema":` + schema + `,"cache_control":{"type":"ephemeral","ttl":"1h"}},{"name":"b","input_schema":` + schema + `}]}`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			h, err := Decode("histories/x.json", fixture(tc.format, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tool := range h.Tools {
				if tool.CachePoint != nil {
					got = append(got, "cachePoint "+tool.CachePoint.Type+" "+tool.CachePoint.TTL)
					continue
				}
				got = append(got, tool.Name)
			}
			if diff := cmp.Diff([]string{"a", "cachePoint default 1h", "b"}, got); diff != "" {
				t.Errorf("tools (-want +got):\n%s", diff)
			}
			if len(h.Notes) > 0 {
				t.Errorf("notes: %+v", h.Notes)
			}
		})
	}
}
