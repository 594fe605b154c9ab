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
