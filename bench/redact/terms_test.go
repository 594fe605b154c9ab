package redact_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// termFound reports whether s finds a custom value in text that is
// exactly want (the bytes that write the term, no more, no less).
func termFound(t *testing.T, s *redact.Scanner, text, want string) bool {
	t.Helper()
	for _, f := range s.Scan(text) {
		if f.Kind == redact.Custom && text[f.Start:f.End] == want {
			return true
		}
	}
	return false
}

// TestMultiWordTermsMatchAnySpacing: a name the user lists as two words
// is the same name however the text spaces them: a line break, a tab,
// two spaces, a no-break space or another Unicode space, the \n, \t or \r
// escapes of a JSON text held in a string (at any depth), a \u escape of
// a space there, or nothing at all. Before, only a single ASCII space
// matched, and every other spelling reached the fixture.
func TestMultiWordTermsMatchAnySpacing(t *testing.T) {
	r := newRedactor(t, redact.Options{Terms: []string{"Zyxander Quill", "Acme  Widgets\tLtd"}})
	s := r.Scanner()
	for _, v := range []string{
		"Zyxander Quill",
		"Zyxander\nQuill",
		"Zyxander\r\nQuill",
		"Zyxander\tQuill",
		"Zyxander  Quill",
		"Zyxander \n\t Quill",
		"Zyxander\u00a0Quill",    // no-break space
		"Zyxander\u2009Quill",    // thin space
		"Zyxander\u202fQuill",    // narrow no-break space
		"Zyxander\u3000Quill",    // ideographic space
		"Zyxander\u2028Quill",    // line separator
		"Zyxander\u0085Quill",    // next line
		"Zyxander\u000bQuill",    // vertical tab
		"ZyxanderQuill",          // run together
		`Zyxander\nQuill`,        // JSON-in-a-string text
		`Zyxander\r\nQuill`,      //
		`Zyxander\tQuill`,        //
		`Zyxander\\nQuill`,       // two levels deep
		`Zyxander\u00a0Quill`,    // an escaped no-break space
		`Zyxander\u0020Quill`,    // an escaped space
		"zyxander QUILL",         // case as before
		"Acme Widgets Ltd",       // the term's own spacing is not required
		"Acme\u00a0widgets\nLTD", //
		"AcmeWidgetsLtd",         //
	} {
		for _, text := range []string{v, "Dear " + v + ", hello", "note:\n" + v + "\n", `{\"to\":\"` + v + `\"}`, `said:\n` + v + `\n`} {
			if !termFound(t, s, text, v) {
				t.Errorf("%q: the term %q is not found exactly (findings %v)", text, v, s.Scan(text))
			}
			out, _ := r.Text(text)
			for _, w := range []string{"zyxander", "quill", "widgets"} {
				if strings.Contains(strings.ToLower(out), w) {
					t.Errorf("%q redacted to %q still holds %q", text, out, w)
				}
			}
		}
	}
}

// TestTermsInJSONTextHeldInAString: a tool call's arguments (a JSON text
// in a string) that write the name across an escaped line break, in a
// body: the fixture holds neither word.
func TestTermsInJSONTextHeldInAString(t *testing.T) {
	r := newRedactor(t, redact.Options{Terms: []string{"Zyxander Quill"}})
	body := `{"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"send","input":{"args":"{\"to\":\"Zyxander\\nQuill\",\"cc\":\"Zyxander\\u00a0Quill\"}"}}}]}]}`
	out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if counts[redact.Custom] != 2 || strings.Contains(string(out), "Zyxander") || strings.Contains(string(out), "Quill") {
		t.Errorf("redacted body %s (%v) still holds the name", out, counts)
	}
}

// TestTermsNotMatched: the words of a term in another order ("Quill,
// Zyxander", as a list sorted by family name writes it) or with other
// words between them are not the term: list that form too. A word of the
// term inside a longer word is no match either, as before.
func TestTermsNotMatched(t *testing.T) {
	s, err := redact.NewScanner(redact.Options{Terms: []string{"Zyxander Quill"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Quill, Zyxander", "Quill Zyxander", "Zyxander J. Quill", "Zyxander-Quill", "Zyxander Quills", "XZyxander Quill", "Zyxander", "Quill"} {
		if got := s.Scan(text); len(got) != 0 {
			t.Errorf("%q: found %v; want nothing", text, got)
		}
	}
}

// TestTermsFoldCaseBeyondASCII: a term is matched case-insensitively by
// Unicode's simple folding, as before: the Kelvin sign is a K and the
// long s an s; the literal the scan looks for first never rules such a
// text out.
func TestTermsFoldCaseBeyondASCII(t *testing.T) {
	s, err := redact.NewScanner(redact.Options{Terms: []string{"Kiki Sass", "Søs"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"\u212Aiki \u017Fass", "kiki\u00a0SASS", "SØS", "s\u00f8\u017F"} {
		if !termFound(t, s, "hello "+v+".", v) {
			t.Errorf("%q: the term is not found (findings %v)", v, s.Scan("hello "+v+"."))
		}
	}
}

// FuzzTerms: a two-word term written with any run of spaces and JSON
// line-break escapes between its words, after and before any text, never
// survives redaction; and every finding lies in the text, in order.
func FuzzTerms(f *testing.F) {
	f.Add("Dear", " ", ", hi")
	f.Add(`{\"to\":\"`, "\u00a0\n\u3000", `\"}`)
	f.Add(`said:\n`, "nt", `\n`)
	f.Add("", "", "")
	r := newRedactor(f, redact.Options{Terms: []string{"Zyxander Quill", "Ann"}})
	s := r.Scanner()
	f.Fuzz(func(t *testing.T, pre, sep, post string) {
		var b strings.Builder
		for _, c := range sep {
			switch {
			case unicode.IsSpace(c) || unicode.Is(unicode.Z, c):
				b.WriteRune(c)
			case c == 'n' || c == 'r' || c == 't':
				b.WriteString(`\` + string(c))
			}
		}
		name := "Zyxander" + b.String() + "Quill"
		text := pre + " " + name + " " + post
		prev := 0
		for _, fd := range s.Scan(text) {
			if fd.Start < prev || fd.End <= fd.Start || fd.End > len(text) {
				t.Fatalf("bad finding %+v in %q", fd, text)
			}
			prev = fd.End
		}
		if out, _ := r.Text(text); strings.Contains(out, name) {
			t.Fatalf("%q redacted to %q still holds %q", text, out, name)
		}
	})
}

// TestTermPseudonymKeepsTheTextValid: a name spaced otherwise than with
// one space gets the pseudonym of its words with one space between them:
// the same for every spacing, and no escape between its words is turned
// into an invalid one, so the JSON text held in a string (a tool call's
// arguments) still parses after redaction.
func TestTermPseudonymKeepsTheTextValid(t *testing.T) {
	r := newRedactor(t, redact.Options{Terms: []string{"Zyxander Quill"}})
	want, _ := r.Text("Zyxander Quill")
	for _, v := range []string{"Zyxander\nQuill", "Zyxander  Quill", "Zyxander\u00a0Quill", `Zyxander\nQuill`, `Zyxander\u0009Quill`, `Zyxander\\r\\nQuill`} {
		if got, _ := r.Text(v); got != want {
			t.Errorf("%q redacted to %q; want %q, as for one space", v, got, want)
		}
	}
	args := `{"to":"Zyxander\nQuill","cc":"Zyxander\u0009Quill"}`
	body, _ := json.Marshal(map[string]any{"messages": []any{map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "send", "arguments": args}}}}}})
	out, counts, err := r.Body(body, redact.BodyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Messages []struct {
			ToolCalls []struct {
				Function struct{ Arguments string } `json:"function"`
			} `json:"tool_calls"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	redacted := got.Messages[0].ToolCalls[0].Function.Arguments
	if counts[redact.Custom] != 2 || !json.Valid([]byte(redacted)) || strings.Contains(redacted, "Quill") {
		t.Errorf("arguments redacted to %s (%v); want valid JSON without the name", redacted, counts)
	}
}
