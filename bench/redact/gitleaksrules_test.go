package redact_test

import (
	"encoding/json"
	"math/rand/v2"
	"regexp/syntax"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// sampleOf generates a string matching the expression expr, drawn from
// r: a class's printable ASCII members, up to 8 repetitions past a
// minimum, a literal that ignores case in lower case.
func sampleOf(expr string, r *rand.Rand) (string, bool) {
	t, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	genRegexp(&b, t.Simplify(), r)
	return b.String(), true
}

const sampleAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func genRegexp(b *strings.Builder, t *syntax.Regexp, r *rand.Rand) {
	switch t.Op {
	case syntax.OpLiteral:
		for _, c := range t.Rune {
			if t.Flags&syntax.FoldCase != 0 {
				c = unicode.ToLower(c)
			}
			b.WriteRune(c)
		}
	case syntax.OpCharClass:
		var in []rune
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for c := max(t.Rune[i], ' '); c <= min(t.Rune[i+1], '~'); c++ {
				in = append(in, c)
			}
		}
		switch {
		case len(in) > 0:
			b.WriteRune(in[r.IntN(len(in))])
		case len(t.Rune) > 0:
			b.WriteRune(t.Rune[0])
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(sampleAlnum[r.IntN(len(sampleAlnum))])
	case syntax.OpCapture:
		genRegexp(b, t.Sub[0], r)
	case syntax.OpStar:
		for n := r.IntN(3); n > 0; n-- {
			genRegexp(b, t.Sub[0], r)
		}
	case syntax.OpPlus:
		for n := 1 + r.IntN(3); n > 0; n-- {
			genRegexp(b, t.Sub[0], r)
		}
	case syntax.OpQuest:
		if r.IntN(2) == 0 {
			genRegexp(b, t.Sub[0], r)
		}
	case syntax.OpRepeat:
		n := t.Min
		if t.Max < 0 {
			n += r.IntN(4)
		} else if t.Max > t.Min {
			n += r.IntN(min(t.Max-t.Min, 8) + 1)
		}
		for ; n > 0; n-- {
			genRegexp(b, t.Sub[0], r)
		}
	case syntax.OpConcat:
		for _, s := range t.Sub {
			genRegexp(b, s, r)
		}
	case syntax.OpAlternate:
		genRegexp(b, t.Sub[r.IntN(len(t.Sub))], r)
	}
}

// notRedacted are the prefixed formats of gitleaks' default rules whose
// generated sample the redactor leaves, each with the reason.
var notRedacted = map[string]string{
	"jwt":             "the sample's payload holds a backslash, which no JWT (base64url) does",
	"private-key":     "the sample's armour is in lower case (-----begin…), which no PEM writer writes",
	"grafana-api-key": "the sample's prefix is in lower case (eyjrijoi), which no base64 of {\"k\": is",
}

// TestGitleaksPrefixedFormatsAreRedacted: for each of gitleaks' default
// rules (v8.30.1, the independent judge of the other tests) whose secret
// opens with a literal prefix (a format that says whose it is: hf_,
// SG., npm_, dop_v1_, …), a sample is generated from the rule's own
// expression, seeded, until gitleaks finds it; it is planted in a chat
// message, as a body's text, and in a tool call's arguments (a JSON text
// held in a string, under a name that is no credential's), and gitleaks
// must find nothing in what the redactor writes. Before, over 70 of these
// formats (Hugging Face, SendGrid, Shopify, npm, PyPI, DigitalOcean,
// Vault, GitLab's other tokens, …) were written as they came. The rules
// that read a provider's name before the secret ("adafruit … = …") are
// left out: the focused rule set finds those where the name says key,
// token, secret or password. No secret is committed: the samples are
// drawn at run time.
func TestGitleaksPrefixedFormatsAreRedacted(t *testing.T) {
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	red := newRedactor(t, redact.Options{})
	var ids []string
	for id := range gl.Config.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	covered := 0
	for _, id := range ids {
		rule := gl.Config.Rules[id]
		if rule.Regex == nil || len(literalPrefix(rule.Regex.String())) < 2 {
			continue
		}
		sample := gitleaksSample(gl, id, rule.Regex.String())
		if sample == "" {
			continue // no sample gitleaks finds: nothing to judge by
		}
		msg := "Here is what the deploy printed:\n" + sample + "\nCan you check it?"
		args, _ := json.Marshal(map[string]string{"note": msg, "output": sample})
		body, _ := json.Marshal(map[string]any{"messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": msg}}},
			map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function",
				"function": map[string]any{"name": "deploy", "arguments": string(args)}}}},
		}})
		text, _ := red.Text(msg)
		out, _, err := red.Body(body, redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var leaks []string
		for _, f := range append(gl.DetectString(text), gl.DetectString(string(out))...) {
			leaks = append(leaks, f.RuleID+" "+f.Match)
		}
		switch reason, known := notRedacted[id]; {
		case known && len(leaks) == 0:
			t.Errorf("%s is redacted now (%s): take it off notRedacted", id, reason)
		case !known && len(leaks) > 0:
			t.Errorf("%s: gitleaks finds %q in the redacted text of %q", id, leaks, sample)
		case !known:
			covered++
		}
	}
	t.Logf("%d prefixed formats judged", covered)
	if covered < 90 {
		t.Errorf("only %d prefixed formats judged", covered)
	}
}

// gitleaksSample draws strings from the expression of gitleaks' rule id
// until one, planted in a line of text, is found by that rule; "" if
// none of 200 is.
func gitleaksSample(gl *detect.Detector, id, expr string) string {
	r := rand.New(rand.NewPCG(1, uint64(len(id))))
	for try := 0; try < 200; try++ {
		s, ok := sampleOf(expr, r)
		if !ok {
			return ""
		}
		for _, f := range gl.DetectString("Here is what the deploy printed:\n" + s + "\nCan you check it?") {
			if f.RuleID == id {
				return s
			}
		}
	}
	return ""
}

// literalPrefix returns the literal a match of the expression's secret
// (its first capture group, or the whole match) starts with.
func literalPrefix(expr string) string {
	t, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	t = t.Simplify()
	var find func(t *syntax.Regexp) *syntax.Regexp
	find = func(t *syntax.Regexp) *syntax.Regexp {
		if t.Op == syntax.OpCapture {
			return t
		}
		for _, s := range t.Sub {
			if c := find(s); c != nil {
				return c
			}
		}
		return nil
	}
	// The secret must open the match: a rule that reads a name before
	// it (a provider's, then "=") is no prefixed format.
	if t.Op == syntax.OpConcat {
		for _, s := range t.Sub {
			if s.Op == syntax.OpWordBoundary || s.Op == syntax.OpBeginText || s.Op == syntax.OpBeginLine {
				continue
			}
			if s.Op != syntax.OpCapture && s.Op != syntax.OpLiteral {
				return ""
			}
			break
		}
	}
	if c := find(t); c != nil {
		t = c.Sub[0]
	}
	for {
		switch t.Op {
		case syntax.OpConcat:
			var b strings.Builder
			for _, s := range t.Sub {
				if s.Op == syntax.OpWordBoundary || s.Op == syntax.OpBeginText || s.Op == syntax.OpBeginLine {
					continue
				}
				if s.Op != syntax.OpLiteral {
					break
				}
				b.WriteString(strings.ToLower(string(s.Rune)))
				continue
			}
			return b.String()
		case syntax.OpCapture:
			t = t.Sub[0]
			continue
		case syntax.OpLiteral:
			return strings.ToLower(string(t.Rune))
		}
		return ""
	}
}
