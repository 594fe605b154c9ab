package converse

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClaudeOutputSchema: the keywords Claude refuses are found wherever a
// subschema sits (properties, $defs, items, anyOf), in document order, and
// dropped, the rest of the schema left as it was, member order included.
func TestClaudeOutputSchema(t *testing.T) {
	schema := `{"type":"object","properties":{"n":{"type":"integer","minimum":0,"description":"count"},` +
		`"tags":{"type":"array","items":{"type":"string"},"maxItems":3},` +
		`"alt":{"anyOf":[{"type":"integer","multipleOf":5},{"type":"null"}]},` +
		`"x":{"type":"number","minimum":1.5}},` +
		`"$defs":{"Row":{"type":"array","maxItems":2,"prefixItems":[{"type":"integer","minimum":1}]}},"required":["n"]}`
	out, found := ClaudeOutputSchema(schema)
	want := []SchemaKeyword{{"integer", "minimum", ""}, {"array", "maxItems", ""}, {"integer", "multipleOf", ""}, {"array", "maxItems", ""}, {"integer", "minimum", ""}}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("found (-want +got):\n%s", diff)
	}
	wantOut := `{"type":"object","properties":{"n":{"type":"integer","description":"count"},` +
		`"tags":{"type":"array","items":{"type":"string"}},` +
		`"alt":{"anyOf":[{"type":"integer"},{"type":"null"}]},` +
		`"x":{"type":"number","minimum":1.5}},` +
		`"$defs":{"Row":{"type":"array","prefixItems":[{"type":"integer"}]}},"required":["n"]}`
	if out != wantOut {
		t.Errorf("schema:\n got %s\nwant %s", out, wantOut)
	}
	if again, more := ClaudeOutputSchema(out); again != out || len(more) != 0 {
		t.Errorf("the cleaned schema still has %v", more)
	}
	for _, s := range []string{`{"type":"object","properties":{"a":{"type":"string"}}}`, `not json`, `{"type":"array","maxItems":`} {
		if got, f := ClaudeOutputSchema(s); got != s || f != nil {
			t.Errorf("%s: changed to %s, found %v", s, got, f)
		}
	}
}

// TestClaudeStrictToolSchema: for a strict tool, every object schema is
// closed too (additionalProperties missing, true, or a schema becomes
// false), each reported where it is met, before what lies inside it; the
// keywords are dropped as for an output schema.
func TestClaudeStrictToolSchema(t *testing.T) {
	schema := `{"type":"object","properties":{"tags":{"type":"array","maxItems":3,"items":{"type":"object","properties":{"k":{"type":"string"}},"additionalProperties":true}},` +
		`"meta":{"type":"object","additionalProperties":{"type":"string"}},"done":{"type":"object","additionalProperties":false}},"required":["tags"]}`
	out, found := ClaudeStrictToolSchema([]byte(schema))
	want := []SchemaKeyword{{"object", "additionalProperties", ""}, {"array", "maxItems", ""}, {"object", "additionalProperties", ""}, {"object", "additionalProperties", ""}}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("found (-want +got):\n%s", diff)
	}
	wantOut := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}},"additionalProperties":false}},` +
		`"meta":{"type":"object","additionalProperties":false},"done":{"type":"object","additionalProperties":false}},"required":["tags"],"additionalProperties":false}`
	if string(out) != wantOut {
		t.Errorf("schema:\n got %s\nwant %s", out, wantOut)
	}
	if again, more := ClaudeStrictToolSchema(out); string(again) != string(out) || len(more) != 0 {
		t.Errorf("the repaired schema still has %v", more)
	}
	// The output schema keeps its objects open: only a strict tool's are
	// closed.
	if _, found := ClaudeOutputSchema(schema); len(found) != 1 {
		t.Errorf("output schema: found %v, want maxItems alone", found)
	}
	closed := []byte(`{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":false}`)
	if got, f := ClaudeStrictToolSchema(closed); string(got) != string(closed) || f != nil {
		t.Errorf("a closed schema changed to %s, found %v", got, f)
	}
}

// TestClaudeSchemaMinItems: Claude takes an array's minItems only as 0 or
// 1 (V-30: "For 'array' type, 'minItems' values other than 0 or 1 are not
// supported", realwire converse-error-model-strict-tool-minitems). A
// larger one is found with its value and lowered to 1, so the array stays
// non-empty; one below 1 is dropped; 0, 1 and a minItems outside an array
// schema are left alone.
func TestClaudeSchemaMinItems(t *testing.T) {
	schema := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":2},` +
		`"one":{"type":"array","minItems":1},"none":{"type":"array","minItems":0},"odd":{"type":"array","minItems":-1},` +
		`"big":{"type":"array","minItems":2.5e1,"maxItems":30},"loose":{"minItems":3}},"additionalProperties":false}`
	out, found := ClaudeOutputSchema(schema)
	want := []SchemaKeyword{{"array", "minItems", "2"}, {"array", "minItems", "-1"}, {"array", "minItems", "2.5e1"}, {"array", "maxItems", ""}}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("found (-want +got):\n%s", diff)
	}
	for i, k := range found {
		if k.MinItems() != (i < 3) {
			t.Errorf("%v: MinItems() = %v", k, k.MinItems())
		}
	}
	wantOut := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":1},` +
		`"one":{"type":"array","minItems":1},"none":{"type":"array","minItems":0},"odd":{"type":"array"},` +
		`"big":{"type":"array","minItems":1},"loose":{"minItems":3}},"additionalProperties":false}`
	if out != wantOut {
		t.Errorf("schema:\n got %s\nwant %s", out, wantOut)
	}
	if again, more := ClaudeOutputSchema(out); again != out || len(more) != 0 {
		t.Errorf("the cleaned schema still has %v", more)
	}
	strict, found := ClaudeStrictToolSchema([]byte(`{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":2}},"required":["tags"],"additionalProperties":false}`))
	if len(found) != 1 || !found[0].MinItems() || string(strict) != `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":1}},"required":["tags"],"additionalProperties":false}` {
		t.Errorf("strict tool: %s, found %v", strict, found)
	}
}

// FuzzClaudeOutputSchema: any text is either left as it is, with nothing
// found, or cleaned into valid JSON in which nothing is found again.
func FuzzClaudeOutputSchema(f *testing.F) {
	f.Add(`{"type":"object","properties":{"a":{"type":"array","maxItems":2,"items":{"type":"integer","minimum":0}}}}`)
	f.Add(`{"anyOf":[{"type":"integer","multipleOf":2}],"$defs":{"x":{"type":"integer","minimum":1}}}`)
	f.Add(`{"items":[{"type":"array","maxItems":1}]}`)
	f.Add(`{"type":"array","minItems":3,"items":{"type":"array","minItems":-0.5}}`)
	f.Fuzz(func(t *testing.T, schema string) {
		out, found := ClaudeOutputSchema(schema)
		if len(found) == 0 {
			if out != schema {
				t.Fatalf("nothing found, yet %q became %q", schema, out)
			}
			return
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("cleaned schema is not JSON: %q", out)
		}
		if again, more := ClaudeOutputSchema(out); again != out || len(more) != 0 {
			t.Fatalf("cleaned %q still has %v", out, more)
		}
	})
}

// FuzzClaudeStrictToolSchema: the same for a strict tool's schema, whose
// objects are closed too.
func FuzzClaudeStrictToolSchema(f *testing.F) {
	f.Add([]byte(`{"type":"object","properties":{"a":{"type":"array","maxItems":2,"items":{"type":"object"}}}}`))
	f.Add([]byte(`{"type":"object","additionalProperties":{"type":"object"},"$defs":{"x":{"type":"object","additionalProperties":true}}}`))
	f.Add([]byte(`{"type":"object","additionalProperties":false}`))
	f.Fuzz(func(t *testing.T, schema []byte) {
		out, found := ClaudeStrictToolSchema(schema)
		if len(found) == 0 {
			if string(out) != string(schema) {
				t.Fatalf("nothing found, yet %q became %q", schema, out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("repaired schema is not JSON: %q", out)
		}
		if again, more := ClaudeStrictToolSchema(out); string(again) != string(out) || len(more) != 0 {
			t.Fatalf("repaired %q still has %v", out, more)
		}
	})
}

// TestNativeOutputSchemaRefused: Claude's own output_config passed
// through additionalModelRequestFields (the Vercel AI SDK's path) is held
// to the keywords Claude refuses, as outputConfig is (V-30).
func TestNativeOutputSchemaRefused(t *testing.T) {
	f, err := LookupFamily("anthropic")
	if err != nil {
		t.Fatal(err)
	}
	req := func(schema string) *Request {
		return &Request{Messages: []Message{{Role: RoleUser, Content: []ContentBlock{{Text: ptrTo("tags?")}}}},
			AdditionalModelRequestFields: json.RawMessage(`{"output_config":{"format":{"type":"json_schema","schema":` + schema + `}}}`)}
	}
	err = Validate(req(`{"type":"array","items":{"type":"string"},"maxItems":5}`), f)
	var v *Violation
	if !errors.As(err, &v) || v.Rule.Name != "output-schema-unsupported" || v.Message != "The model returned the following errors: output_config.format.schema: For 'array' type, property 'maxItems' is not supported" {
		t.Errorf("maxItems in output_config: %v", err)
	}
	if err := Validate(req(`{"type":"array","items":{"type":"string"}}`), f); err != nil {
		t.Errorf("a schema Claude takes: %v", err)
	}
	nova, _ := LookupFamily("nova")
	if err := Validate(req(`{"type":"array","maxItems":5}`), nova); err != nil {
		t.Errorf("another family's fields are not Claude's: %v", err)
	}
}

// TestSchemaRecursive: a local $ref that leads back into the subschema it
// sits in, directly or through other definitions, makes a schema
// recursive (realwire converse-error-internal-server-recursive-schema:
// Pydantic's TreeNode, answered 500 by Claude Sonnet 4.5 on every
// attempt); a $ref to a sibling definition, a remote one or one that
// names nothing does not.
func TestSchemaRecursive(t *testing.T) {
	for schema, want := range map[string]bool{
		`{"$ref": "#/$defs/TreeNode", "$defs": {"TreeNode": {"properties": {"value": {"type": "string"}, "children": {"default": [], "items": {"$ref": "#/$defs/TreeNode"}, "type": "array"}}, "required": ["value"], "type": "object", "additionalProperties": false}}}`: true,
		`{"type":"object","properties":{"next":{"$ref":"#"}}}`: true,
		`{"definitions":{"A":{"properties":{"b":{"$ref":"#/definitions/B"}}},"B":{"items":{"$ref":"#/definitions/A"}}},"$ref":"#/definitions/A"}`:                         true,
		`{"$defs":{"a/b":{"properties":{"x":{"$ref":"#/$defs/a~1b"}}}}}`:                                                                                                  true,
		`{"type":"object","properties":{"owner":{"$ref":"#/$defs/P"},"co":{"$ref":"#/$defs/P"}},"$defs":{"P":{"type":"object","properties":{"name":{"type":"string"}}}}}`: false,
		`{"$defs":{"A":{"properties":{"b":{"$ref":"#/$defs/B"}}},"B":{"type":"string"},"AB":{"$ref":"#/$defs/A"}}}`:                                                       false,
		`{"properties":{"x":{"$ref":"https://example.com/s.json"},"y":{"$ref":"#/$defs/missing"}}}`:                                                                       false,
		`{"type":"object"}`: false, `not json`: false, `{"$ref":`: false,
	} {
		if got := SchemaRecursive([]byte(schema)); got != want {
			t.Errorf("%s: recursive %v, want %v", schema, got, want)
		}
	}
	req := &Request{OutputConfig: &OutputConfig{TextFormat: &OutputFormat{Type: "json_schema", Structure: OutputFormatStructure{
		JSONSchema: &JSONSchemaDefinition{Schema: `{"type":"object","properties":{"next":{"$ref":"#"}}}`}}}}}
	if !RecursiveOutputSchema(req) || RecursiveOutputSchema(&Request{}) {
		t.Error("RecursiveOutputSchema does not read outputConfig's schema")
	}
}
