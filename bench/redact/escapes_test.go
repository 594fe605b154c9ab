package redact_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestValuesAfterAnEscapedLineBreak: in a JSON text held in a string (an
// OpenAI tool call's arguments, a tool result that returns JSON), a line
// break or a tab is the escape \n or \t, so a value at the start of a
// line follows the letter n or t: the rules that want a word boundary
// before the value found none, and an access key id, a GitHub token or an
// OpenAI key after one reached the fixture. They are found now, at any
// depth of nesting, and the text around them is kept.
func TestValuesAfterAnEscapedLineBreak(t *testing.T) {
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
