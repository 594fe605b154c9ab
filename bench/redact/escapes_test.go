package redact_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// escapedForms are the escapes a JSON text held in a string writes a line
// break, a tab and the like with: a backslash and a letter, once or twice
// escaped. The letter is a word character, so before, a rule that starts
// at a word boundary (\bAKIA, \bsk-ant-, \bey…, the card, SSN, IPv4 and
// IBAN rules, the user's terms) did not match right after one.
var escapedForms = []string{`\n`, `\t`, `\r`, `\r\n`, `\f`, `\b`, `\\n`, `\u00a0`}

// TestValuesAfterAnEscapedLineBreak: a value right after an escaped line
// break, tab or carriage return (in a tool call's arguments, a tool
// result holding JSON) is found on the bytes after the escape and gets
// the pseudonym of the value alone; the escape is kept, so the JSON text
// stays valid.
func TestValuesAfterAnEscapedLineBreak(t *testing.T) {
	r := newRedactor(t, redact.Options{Terms: []string{"Falcon"}})
	var values []redacttest.Plant
	for _, p := range redacttest.New(11).All() {
		switch p.Kind {
		case redact.BearerToken, redact.GenericSecret, redact.AWSSecretAccessKey:
			continue // values that a name or a word before them tells
		case redact.AWSAccountID:
			p.Value = "arn:aws:iam::" + p.Value + ":role/app"
		}
		values = append(values, p)
	}
	values = append(values, redacttest.Plant{Kind: redact.Custom, Value: "Falcon"})
	for _, esc := range escapedForms {
		for _, p := range values {
			if strings.Contains(p.Value, "\n") {
				continue // the private key's lines: one escape level only
			}
			text := `{"content": "Access key ID` + esc + p.Value + esc + `"}`
			out, counts := r.Text(text)
			if counts.Total() == 0 {
				t.Errorf("%s after %s: nothing found in %s", p.Kind, esc, text)
				continue
			}
			for _, piece := range []string{p.Value, p.Value[len(p.Value)/2:]} {
				if len(piece) >= 6 && strings.Contains(out, piece) {
					t.Errorf("%s after %s survived: %s", p.Kind, esc, out)
				}
			}
			if !strings.Contains(out, `{"content": "Access key ID`+esc) {
				t.Errorf("%s after %s: the escape changed: %s", p.Kind, esc, out)
			}
			if !strings.HasPrefix(esc, `\\`) {
				var v map[string]string
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Errorf("%s after %s: %s is no JSON: %v", p.Kind, esc, out, err)
				}
			}
		}
	}
	// The exact text of the report.
	out, _ := r.Text(`{"t":"x\nAKIAQ3EGYW7PLXN2RTKZ"}`)
	if strings.Contains(out, "AKIAQ3EGYW7PLXN2RTKZ") || !strings.HasPrefix(out, `{"t":"x\nAKIA`) {
		t.Errorf("redacts to %s", out)
	}
}

// TestEmailAfterAnEscapeKeepsTheEscape: an address right after an escape
// is redacted without the escape's letter, which its local part could
// hold: "\njo@acme.io" became "\user-…@example.com", no JSON escape.
func TestEmailAfterAnEscapeKeepsTheEscape(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	plain, _ := r.Text("jo.bloggs@acme.io")
	for _, esc := range escapedForms {
		text := `{"to":"x` + esc + `jo.bloggs@acme.io"}`
		out, counts := r.Text(text)
		if counts[redact.Email] != 1 || out != `{"to":"x`+esc+plain+`"}` {
			t.Errorf("%s redacts to %s (%v), want the escape, then %s", text, out, counts, plain)
		}
	}
}

// TestKeysAfterAnEscapedLineBreakInToolArguments: in a JSON text held in a string (an
// OpenAI tool call's arguments, a tool result that returns JSON), a line
// break or a tab is the escape \n or \t, so a value at the start of a
// line follows the letter n or t: the rules that want a word boundary
// before the value found none, and an access key id, a GitHub token or an
// OpenAI key after one reached the fixture. They are found now, at any
// depth of nesting, and the text around them is kept.
func TestKeysAfterAnEscapedLineBreakInToolArguments(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	values := []string{"AKIAQ7RSTUVWXYZ23456", "ghp_R2d8aF3kL9mN0pQ4sT6vW8xY1zB3cD5eG7hJ", "sk-proj-abcdefghijklmnopqrstuvwxyzABCDEF0123456789"}
	args := `{\"cmd\":\"ls\\n` + values[0] + `\\t` + values[1] + `\\r\\n` + values[2] + `\"}`
	body := `{"model":"gpt-4o","messages":[{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"sh","arguments":"` + args + `"}}]}]}`
	out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if strings.Contains(string(out), v[:12]) {
			t.Errorf("the fixture holds %s: %s", v, out)
		}
	}
	if counts.Secrets() != 3 || !strings.Contains(string(out), `{\"cmd\":\"ls\\n`) {
		t.Errorf("redacted %s (%v); want the three keys replaced and the rest kept", out, counts)
	}
	s := r.Scanner()
	for _, c := range []struct{ text, value string }{
		{`x\n` + values[0], values[0]},
		{`x\\n` + values[0], values[0]},
		{`x\t` + values[1], values[1]},
		{`"a\nb\n` + values[2] + `\n"`, values[2]},
	} {
		got := s.Scan(c.text)
		if len(got) != 1 || !got[0].Secret || c.text[got[0].Start:got[0].End] != c.value || got[0].ValueIn(c.text) != c.value {
			t.Errorf("%q: findings %+v; want the key, exactly", c.text, got)
		}
	}
	// An escape followed by no word byte adds nothing, and none is found
	// where there is nothing.
	if got := s.Scan(`{\"a\":\"line\nnext\tcolumn\"}`); len(got) != 0 {
		t.Errorf("found %+v in plain text", got)
	}
}
