package emulator

import (
	stdjson "encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

// fits reports why value does not validate against schema, or "".
func fits(t *testing.T, schema string, value []byte) string {
	t.Helper()
	var s jsonschema.Schema
	if err := stdjson.Unmarshal([]byte(schema), &s); err != nil {
		t.Fatalf("test schema: %v\n%s", err, schema)
	}
	rs, err := s.Resolve(nil)
	if err != nil {
		t.Fatalf("test schema: %v\n%s", err, schema)
	}
	var v any
	if err := stdjson.Unmarshal(value, &v); err != nil {
		return "not JSON: " + err.Error()
	}
	if err := rs.Validate(v); err != nil {
		return err.Error()
	}
	return ""
}

// sampleSchemas are schemas as Pydantic, zod (zod-to-json-schema) and
// hand-written tools emit them: nested models as $ref into $defs or
// definitions, optional fields as anyOf with null, unions, allOf
// wrappers, literals, bounds.
var sampleSchemas = map[string]string{
	"pydantic nested model and optional": `{"type":"object","properties":{"owner":{"$ref":"#/$defs/P"},"note":{"anyOf":[{"type":"string"},{"type":"null"}]}},"required":["owner","note"],"$defs":{"P":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}`,
	"pydantic recursive tree":            `{"$ref":"#/$defs/TreeNode","$defs":{"TreeNode":{"properties":{"value":{"type":"string"},"children":{"default":[],"items":{"$ref":"#/$defs/TreeNode"},"type":"array"}},"required":["value"],"type":"object","additionalProperties":false}}}`,
	"recursive required link":            `{"$ref":"#/$defs/N","$defs":{"N":{"type":"object","properties":{"v":{"type":"integer"},"next":{"anyOf":[{"$ref":"#/$defs/N"},{"type":"null"}]}},"required":["v","next"]}}}`,
	"zod definitions":                    `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"Item":{"type":"object","properties":{"sku":{"type":"string","minLength":12},"qty":{"type":"integer","exclusiveMinimum":0,"maximum":9}},"required":["sku","qty"],"additionalProperties":false}},"type":"object","properties":{"items":{"type":"array","items":{"$ref":"#/definitions/Item"},"minItems":3},"status":{"type":"string","enum":["open","closed"]}},"required":["items","status"],"additionalProperties":false}`,
	"discriminated union":                `{"type":"object","properties":{"shape":{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number","minimum":2.5}},"required":["kind","r"]},{"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"number"}},"required":["kind","side"]}]}},"required":["shape"]}`,
	"allOf wrapper with description":     `{"type":"object","properties":{"addr":{"allOf":[{"$ref":"#/$defs/A"}],"description":"where"}},"required":["addr"],"$defs":{"A":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string","maxLength":5}},"required":["city","zip"]}}}`,
	"allOf merged objects":               `{"allOf":[{"type":"object","properties":{"a":{"type":"integer","multipleOf":7,"minimum":10}},"required":["a"]},{"properties":{"b":{"type":"boolean"}},"required":["b"]}]}`,
	"formats and tuples":                 `{"type":"object","properties":{"at":{"type":"string","format":"date-time"},"id":{"type":"string","format":"uuid"},"pt":{"type":"array","prefixItems":[{"type":"number"},{"type":"string"}],"minItems":2}},"required":["at","id","pt"]}`,
	"type list and bounds":               `{"type":"object","properties":{"n":{"type":["integer","null"],"minimum":-5,"maximum":-2},"x":{"type":"number","exclusiveMaximum":0.5},"tags":{"type":"array","items":{"type":"string"},"maxItems":0}},"required":["n","x","tags"]}`,
	"required without a schema":          `{"type":"object","properties":{"a":{"type":"string"}},"required":["a","b"]}`,
	"escaped pointer":                    `{"type":"object","properties":{"p":{"$ref":"#/$defs/a~1b"}},"required":["p"],"$defs":{"a/b":{"type":"integer","minimum":3}}}`,
}

// TestSampleFitsTheSchema: what the emulator writes for a structured
// output or a tool's input validates against the schema (checked with
// google/jsonschema-go, drafts 7 and 2020-12): local $ref followed into
// $defs and definitions, the first branch of anyOf and oneOf that can be
// written, allOf merged, const, enum, formats, and the bounds on numbers,
// strings and arrays honoured; a recursive schema ends.
func TestSampleFitsTheSchema(t *testing.T) {
	for name, schema := range sampleSchemas {
		t.Run(name, func(t *testing.T) {
			out := sampleJSON([]byte(schema))
			if why := fits(t, schema, out); why != "" {
				t.Errorf("%s\ndoes not fit: %s", out, why)
			}
			if len(out) > 4096 {
				t.Errorf("%d bytes for a schema whose smallest fit is a few dozen", len(out))
			}
		})
	}
}

// TestSampleUnchangedForPlainSchemas: a schema without references,
// unions or bounds is answered as before: every required property (all
// of them when none is required), one element per array, "example", 1
// and true; the emulator's cassettes hold such answers.
func TestSampleUnchangedForPlainSchemas(t *testing.T) {
	for schema, want := range map[string]string{
		`{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["location"]}`:       `{"location":"example"}`,
		`{"type":"object","properties":{"items":{"items":{"type":"string"},"maxItems":5,"type":"array"}},"required":["items"],"type":"object"}`: `{"items":["example"]}`,
		`{"type":"object","properties":{"n":{"type":"integer"},"ok":{"type":"boolean"},"z":{"type":"null"},"o":{"type":"object"}}}`:             `{"n":1,"ok":true,"z":null,"o":{}}`,
		`{}`: `{}`,
	} {
		if got := string(sampleJSON([]byte(schema))); got != want {
			t.Errorf("%s\n got %s\nwant %s", schema, got, want)
		}
	}
}

// TestSampleBadSchemas: a schema the sampler cannot follow (a remote or
// dangling $ref, false, a cycle with no way out, huge bounds, not JSON)
// gives a bounded answer, never a panic or a hang.
func TestSampleBadSchemas(t *testing.T) {
	for _, schema := range []string{
		`{"$ref":"https://example.com/s.json"}`, `{"$ref":"#/$defs/missing"}`, `false`, `not json`, `[1,2]`,
		`{"$ref":"#"}`, `{"$defs":{"A":{"$ref":"#/$defs/A"}},"$ref":"#/$defs/A"}`,
		`{"type":"object","properties":{"a":{"$ref":"#"}},"required":["a"]}`,
		`{"type":"array","items":{"type":"array","items":{"type":"array","minItems":1e9},"minItems":1e9},"minItems":1e9}`,
		`{"type":"string","minLength":1e12}`, `{"type":"integer","minimum":1e300,"multipleOf":1e-300}`,
		`{"type":"array","minItems":64,"items":{"type":"array","minItems":64,"items":{"type":"array","minItems":64,"items":{"type":"string","minLength":4000}}}}`,
		`{"anyOf":[` + strings.Repeat(`{"anyOf":[{"$ref":"#"},{"$ref":"#"}]},`, 50) + `false]}`,
	} {
		out := sampleJSON([]byte(schema))
		if !stdjson.Valid(out) || len(out) > 2<<20 {
			t.Errorf("%.80s: %d bytes, valid JSON %v", schema, len(out), stdjson.Valid(out))
		}
		if in := sampleInput([]byte(schema)); in[0] != '{' {
			t.Errorf("%.80s: tool input %s is not an object", schema, in)
		}
	}
}

// TestStructuredOutputFollowsRefs: through the wire, a Pydantic schema
// whose owner is a $ref to a definition requiring "name", and whose note
// is anyOf string or null, is answered with JSON that fits it (README:
// "the emulator answers it with JSON that fits the schema"); before, the
// answer was {"owner":{},"note":{}}.
func TestStructuredOutputFollowsRefs(t *testing.T) {
	_, hs := start(t, nil)
	schema := sampleSchemas["pydantic nested model and optional"]
	s, _ := stdjson.Marshal(schema)
	body := `{"messages":[{"role":"user","content":[{"text":"a person"}]}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":` + string(s) + `,"name":"P"}}}}}`
	status, _, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape("us.amazon.nova-lite-v1:0")+"/converse", "us-east-1", body, defaultCreds)
	if status != 200 {
		t.Fatalf("status %d: %s", status, got)
	}
	var out struct {
		Output struct {
			Message struct {
				Content []struct {
					Text string `json:"text"`
				} `json:"content"`
			} `json:"message"`
		} `json:"output"`
	}
	if err := stdjson.Unmarshal([]byte(got), &out); err != nil || len(out.Output.Message.Content) == 0 {
		t.Fatalf("%v %s", err, got)
	}
	text := out.Output.Message.Content[0].Text
	if why := fits(t, schema, []byte(text)); why != "" {
		t.Errorf("%s does not fit the schema: %s", text, why)
	}
	// A strict tool's input follows the same schema.
	tool := `{"toolConfig":{"tools":[{"toolSpec":{"name":"person","inputSchema":{"json":` + schema + `}}}],"toolChoice":{"any":{}}},"messages":[{"role":"user","content":[{"text":"a person"}]}]}`
	status, _, got = rawRequest(t, hs, "POST", "/model/"+url.PathEscape("us.amazon.nova-lite-v1:0")+"/converse", "us-east-1", tool, defaultCreds)
	var use struct {
		Output struct {
			Message struct {
				Content []struct {
					ToolUse *struct {
						Input stdjson.RawMessage `json:"input"`
					} `json:"toolUse"`
				} `json:"content"`
			} `json:"message"`
		} `json:"output"`
	}
	if err := stdjson.Unmarshal([]byte(got), &use); status != 200 || err != nil || len(use.Output.Message.Content) == 0 || use.Output.Message.Content[0].ToolUse == nil {
		t.Fatalf("status %d %v: %s", status, err, got)
	}
	if why := fits(t, schema, use.Output.Message.Content[0].ToolUse.Input); why != "" {
		t.Errorf("tool input %s does not fit the schema: %s", use.Output.Message.Content[0].ToolUse.Input, why)
	}
}

// TestRecursiveOutputSchema: Claude answers a recursive outputConfig
// schema with 500 InternalServerException on every attempt (realwire
// converse-error-internal-server-recursive-schema, Claude Sonnet 4.5, five
// attempts), through Converse and ConverseStream alike; before, the
// emulator answered 200 "{}". A model of another family answers it with
// a sample that fits and ends.
func TestRecursiveOutputSchema(t *testing.T) {
	_, hs := start(t, nil)
	schema := sampleSchemas["pydantic recursive tree"]
	s, _ := stdjson.Marshal(schema)
	body := `{"messages":[{"role":"user","content":[{"text":"Create a tree."}]}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":` + string(s) + `,"name":"TreeNode"}}}}}`
	for _, op := range []string{"converse", "converse-stream"} {
		for attempt := range 2 {
			status, h, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape("us.anthropic.claude-haiku-4-5-20251001-v1:0")+"/"+op, "us-east-1", body, defaultCreds)
			if status != 500 || !strings.HasPrefix(h.Get("X-Amzn-Errortype"), "InternalServerException") ||
				got != `{"message":"The system encountered an unexpected error during processing. Try your request again."}` {
				t.Errorf("%s attempt %d: %d %s %s", op, attempt+1, status, h.Get("X-Amzn-Errortype"), got)
			}
		}
	}
	status, _, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape("us.amazon.nova-lite-v1:0")+"/converse", "us-east-1", body, defaultCreds)
	if status != 200 || !strings.Contains(got, `{\"value\":\"example\"}`) {
		t.Errorf("nova: %d %s", status, got)
	}
}

// FuzzSampleJSON: whatever the schema, the sample is valid JSON of
// bounded size and a tool input is an object, without a panic or a hang.
func FuzzSampleJSON(f *testing.F) {
	for _, s := range sampleSchemas {
		f.Add(s)
	}
	f.Add(`{"anyOf":[{"$ref":"#"},{"type":"array","items":{"$ref":"#"},"minItems":3}]}`)
	f.Fuzz(func(t *testing.T, schema string) {
		if len(schema) > 4096 {
			return
		}
		out := sampleJSON([]byte(schema))
		if !stdjson.Valid(out) || len(out) > 4<<20 {
			t.Fatalf("%q: %d bytes, valid %v", schema, len(out), stdjson.Valid(out))
		}
		if in := sampleInput([]byte(schema)); in[0] != '{' || !stdjson.Valid(in) {
			t.Fatalf("%q: tool input %s", schema, in)
		}
	})
}
