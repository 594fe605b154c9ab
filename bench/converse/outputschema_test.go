package converse

import (
	"encoding/json"
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
	want := []SchemaKeyword{{"integer", "minimum"}, {"array", "maxItems"}, {"integer", "multipleOf"}, {"array", "maxItems"}, {"integer", "minimum"}}
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

// FuzzClaudeOutputSchema: any text is either left as it is, with nothing
// found, or cleaned into valid JSON in which nothing is found again.
func FuzzClaudeOutputSchema(f *testing.F) {
	f.Add(`{"type":"object","properties":{"a":{"type":"array","maxItems":2,"items":{"type":"integer","minimum":0}}}}`)
	f.Add(`{"anyOf":[{"type":"integer","multipleOf":2}],"$defs":{"x":{"type":"integer","minimum":1}}}`)
	f.Add(`{"items":[{"type":"array","maxItems":1}]}`)
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
