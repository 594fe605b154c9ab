package jsonpos

import (
	"encoding/json"
	"errors"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

func TestAt(t *testing.T) {
	for _, c := range []struct {
		data string
		want string
	}{
		{"root:x:0:0:root:/root:/bin/bash\n", "f:1:1"},
		{"{\n  \"a\": 1,\n  \"b\": 2,\n}", "f:4:1"},
		{"{\n  \"é\": [1, 2,, 3]}", "f:2:15"}, // in bytes: "é" is two
		{`{"n": "x"}`, "f:1:9"},               // a type error: the end of the value
		{"", "f:1:1"},                         // cut short at its start
	} {
		var v struct{ N int }
		err := json.Unmarshal([]byte(c.data), &v)
		if err == nil {
			t.Fatalf("%q decoded", c.data)
		}
		if got := At("f", []byte(c.data), err); got != c.want {
			t.Errorf("%q: At = %q, want %q (%v)", c.data, got, c.want, err)
		}
	}
	if got := At("f", []byte("{}"), errors.New("other")); got != "f" {
		t.Errorf("another error: %q", got)
	}
}

// TestAtJSONText: jsontext's ByteOffset is the offending byte's own, where
// encoding/json's Offset counts it; both name the same byte.
func TestAtJSONText(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"{\n  \"a\": 1,\n  \"b\": 2,\n}", "f:3:9"}, // the comma
		{"{\n  \"é\": [1, 2,, 3]}", "f:2:15"},       // the second comma, in bytes
		{"", "f:1:1"},
	} {
		var v any
		err := jsonv2.Unmarshal([]byte(c.data), &v)
		var sx *jsontext.SyntacticError
		if !errors.As(err, &sx) {
			t.Fatalf("%q: %v, want a syntax error", c.data, err)
		}
		if got := At("f", []byte(c.data), err); got != c.want {
			t.Errorf("%q: At = %q, want %q (%v)", c.data, got, c.want, err)
		}
	}
}

// TestFix: a comma before } or ] (RFC 8259 section 4 and 5: a member or a
// value follows every comma) gets the advice to remove it, from either
// library's error, and no other error does.
func TestFix(t *testing.T) {
	const before = ": remove the comma before it (JSON allows none before } or ])"
	const this = ": remove this comma (JSON allows none before } or ])"
	for _, c := range []struct{ data, v1, v2 string }{
		{`{"a": 1,}`, before, this},
		{"[1, 2,\n\t ]", before, this},
		{"{\"a\": [1,\r\n]}", before, this},
		{`{,}`, "", this}, // encoding/json stops at the comma
		{`[1,,2]`, "", ""},
		{`{"a": 1,, "b": 2}`, "", ""},
		{`{"a" 1}`, "", ""},
		{`[1, 2`, "", ""},
		{`[1 2]`, "", ""},
	} {
		var v any
		err := json.Unmarshal([]byte(c.data), &v)
		if err == nil {
			t.Fatalf("%q decoded", c.data)
		}
		if got := Fix([]byte(c.data), err); got != c.v1 {
			t.Errorf("%q, encoding/json (%v): Fix = %q, want %q", c.data, err, got, c.v1)
		}
		err = jsonv2.Unmarshal([]byte(c.data), &v)
		if err == nil {
			t.Fatalf("%q decoded", c.data)
		}
		if got := Fix([]byte(c.data), err); got != c.v2 {
			t.Errorf("%q, jsontext (%v): Fix = %q, want %q", c.data, err, got, c.v2)
		}
	}
	if got := Fix([]byte(`{"a":1,}`), errors.New("other")); got != "" {
		t.Errorf("another error: %q", got)
	}
}

// TestProblem: a value of the wrong kind is named in JSON's words, with the
// member it sits in, never by Go's types.
func TestProblem(t *testing.T) {
	var v struct {
		Regions []string          `json:"regions"`
		Name    string            `json:"name"`
		Max     int               `json:"max"`
		On      bool              `json:"on"`
		Tags    map[string]string `json:"tags"`
		Inner   struct{ A int }   `json:"inner"`
		Ratio   float64           `json:"ratio"`
	}
	for _, c := range []struct{ data, want string }{
		{`{"regions": "us-east-1"}`, "regions: want a list, not a string"},
		{`{"name": ["a"]}`, "name: want a string, not a list"},
		{`{"max": 1.5}`, "max: want a whole number, not a number"},
		{`{"max": "3"}`, "max: want a whole number, not a string"},
		{`{"on": "yes"}`, "on: want true or false, not a string"},
		{`{"tags": [1]}`, "tags: want an object, not a list"},
		{`{"inner": 3}`, "inner: want an object, not a number"},
		{`{"ratio": {}}`, "ratio: want a number, not an object"},
		{`{"regions": ["a",]}`, "invalid character ']' looking for beginning of value: remove the comma before it (JSON allows none before } or ])"},
	} {
		err := json.Unmarshal([]byte(c.data), &v)
		if err == nil {
			t.Fatalf("%s decoded", c.data)
		}
		if got := Problem([]byte(c.data), err); got != c.want {
			t.Errorf("%s (%v): %q, want %q", c.data, err, got, c.want)
		}
	}
	var list []int
	if err := json.Unmarshal([]byte(`{}`), &list); Problem(nil, err) != "want a list, not an object" {
		t.Errorf("top level: %q", Problem(nil, err))
	}
	if got := Problem(nil, errors.New("other")); got != "other" {
		t.Errorf("another error: %q", got)
	}
}
