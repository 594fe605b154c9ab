package jsonscan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// seeds are values on the edges of what jsontext takes.
var seeds = []string{
	` {} `, `{"a":1,"a":2}`, `{"a":{"b":1},"c":{"b":2}}`, `"\ud800"`, `"\ud83d\ude00"`,
	`"a\"b\\c\/d\n\u00e9"`, `[1,2.5e-3,true,false,null,"x"]`, `01`, `-0`, `1.`, `1e`, `1e+5`,
	`[1,]`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, ``, `"` + "\xff" + `"`, `"é"`, `"` + "\x1f" + `"`,
	`{"\u0061":1,"a":2}`, `truex`, `[true false]`, `nul`, `"\x"`, `"\u12"`, `[[[[[]]]]]`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	`{"a":"0123456789abcdef0123456789"}`, `"0123456789abc\\def"`,
}

// TestValid holds Valid to jsontext on the seeds, with the answers
// spelled out for a few so a scanner that agreed by accepting nothing
// would fail.
func TestValid(t *testing.T) {
	for _, s := range seeds {
		if got, want := Valid([]byte(s)), jsontext.Value(s).IsValid(jsontext.AllowDuplicateNames(true)); got != want {
			t.Errorf("Valid(%q) = %v, jsontext says %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{`{"a":1,"a":2}`: true, `[1,]`: false, `"\ud800"`: false, `-0`: true, `01`: false, `"é"`: true} {
		if got := Valid([]byte(s)); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSkipDepth: Skip declines past MaxDepth (Valid then asks jsontext).
func TestSkipDepth(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	if _, ok := Skip([]byte(deep), 0); ok {
		t.Fatalf("Skip read %d levels, past MaxDepth %d", MaxDepth+1, MaxDepth)
	}
	if !Valid([]byte(deep)) {
		t.Fatal("Valid refused a deep value jsontext takes")
	}
}

// FuzzTokens holds the token readers to jsontext: Skip ends where
// jsontext's decoder ends the first value, or declines; Valid says what
// IsValid says; AppendUnquote decodes a string token as
// jsontext.AppendUnquote does, or declines; Str takes a token only where
// jsontext does.
func FuzzTokens(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Valid(data), jsontext.Value(data).IsValid(jsontext.AllowDuplicateNames(true)); got != want {
			t.Fatalf("Valid(%q) = %v, IsValid = %v", data, got, want)
		}
		// End finds where Skip ends any object or array it takes.
		if end, ok := Skip(data, 0); ok && len(data) > 0 && (data[0] == '{' || data[0] == '[') {
			if e, eok := End(data, 0); !eok || e != end {
				t.Fatalf("End(%q) = %d, %v; Skip ends at %d", data, e, eok, end)
			}
		}
		End(data, 0) // and never panics on anything
		if end, ok := Skip(data, 0); ok {
			dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
			v, err := dec.ReadValue()
			if err != nil {
				t.Fatalf("Skip(%q) took %q, jsontext: %v", data, data[:end], err)
			}
			if int(dec.InputOffset()) != end {
				t.Fatalf("Skip(%q) ended at %d, jsontext at %d (%q)", data, end, dec.InputOffset(), v)
			}
		}
		if len(data) < 2 || data[0] != '"' {
			return
		}
		if end, _, ok := Str(data, 0); ok {
			if _, err := jsontext.AppendUnquote(nil, data[:end]); err != nil {
				t.Fatalf("Str took %q, jsontext: %v", data[:end], err)
			}
		}
		// A whole string token, as the scanners hand AppendUnquote.
		if end, _, _, ok := String(data, 1); ok && end == len(data)-1 {
			want, err := jsontext.AppendUnquote(nil, data)
			got, ok := AppendUnquote([]byte("prefix"), data)
			if ok != (err == nil) {
				t.Fatalf("AppendUnquote(%q) ok %v, jsontext error %v", data, ok, err)
			}
			if ok && string(got) != "prefix"+string(want) {
				t.Fatalf("AppendUnquote(%q) = %q, want %q", data, got[len("prefix"):], want)
			}
			if _, _, sok := Str(data, 0); sok != ok {
				t.Fatalf("Str(%q) ok %v, AppendUnquote ok %v", data, sok, ok)
			}
		}
	})
}

// TestEnd: End ends a valid object or array where Skip does, brackets
// and escaped quotes inside strings included, and finds no end in a
// value left open.
func TestEnd(t *testing.T) {
	for _, s := range []string{`{}`, `[]`, `{"a":"}"}`, `["]\"", "\\\\"]`, `{"a":{"b":[1,{"c":"\\\""}]}} tail`, `[{"k":"\\\\"},"x\"]"]`} {
		want, ok := Skip([]byte(s), 0)
		if !ok {
			t.Fatalf("Skip(%q) refused a valid value", s)
		}
		if got, ok := End([]byte(s), 0); !ok || got != want {
			t.Errorf("End(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{``, `"a"`, `1`, `{"a":"}`, `[[]`, `{"a":"\"}`} {
		if end, ok := End([]byte(s), 0); ok {
			t.Errorf("End(%q) = %d, want no end", s, end)
		}
	}
}

// TestMember: a member's name without its quotes, whether it has escapes,
// and where its value starts; no name without a valid string and a colon.
func TestMember(t *testing.T) {
	for _, tc := range []struct {
		in, name string
		value    int
		esc, ok  bool
	}{
		{`"role":"user"`, "role", 7, false, true},
		{`"role" : 	"user"`, "role", 10, false, true},
		{`"r\u006fle":1`, `r\u006fle`, 12, true, true},
		{`"role":`, "role", 7, false, true},
		{`"role" "user"`, "", 0, false, false},
		{`"role"`, "", 0, false, false},
		{`"ro`, "", 0, false, false},
		{`role:1`, "", 0, false, false},
		{`"\x":1`, "", 0, false, false},
	} {
		name, value, esc, ok := Member([]byte(tc.in), 0)
		if string(name) != tc.name || value != tc.value || esc != tc.esc || ok != tc.ok {
			t.Errorf("Member(%q) = %q, %d, %v, %v; want %q, %d, %v, %v", tc.in, name, value, esc, ok, tc.name, tc.value, tc.esc, tc.ok)
		}
	}
}
