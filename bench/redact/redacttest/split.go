package redacttest

import (
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// A SplitPlant is a value and the text that carries it, to be cut into
// adjacent pieces (see Splits); Keep is how much of the value its
// pseudonym keeps (a telling prefix: "sk-proj-", "AKIA"), for Survives.
type SplitPlant struct {
	What, Text, Value string
	Keep              int
}

// SplitPlants are the values a log can store cut between adjacent
// pieces: an AWS key pair (the id, and the bare secret after it, which
// only the id beside it tells apart), an OpenAI API key, a card number
// (Luhn), an e-mail address, a phone number, and term, a word of the
// user's terms.
func (g *Gen) SplitPlants(term string) []SplitPlant {
	var out []SplitPlant
	var akid, secret string
	seen := map[redact.Kind]bool{}
	for _, p := range g.All() {
		if seen[p.Kind] {
			continue
		}
		seen[p.Kind] = true
		switch p.Kind {
		case redact.AWSAccessKeyID:
			akid = p.Value
			out = append(out, SplitPlant{"AWS access key id", p.Text, p.Value, 4})
		case redact.AWSSecretAccessKey:
			secret = p.Value
		case redact.OpenAIAPIKey:
			out = append(out, SplitPlant{"OpenAI API key", p.Text, p.Value, len("sk-proj-")})
		case redact.CardNumber:
			out = append(out, SplitPlant{"card number", p.Text, p.Value, 1})
		case redact.Email:
			out = append(out, SplitPlant{"e-mail address", p.Text, p.Value, 0})
		case redact.Phone:
			out = append(out, SplitPlant{"phone number", p.Text, p.Value, 0})
		}
	}
	return append(out, SplitPlant{"AWS secret key beside its id", "use key " + akid + " with " + secret + " today", secret, 0},
		SplitPlant{"term", "Please ask " + term + " about the refund.", term, 0})
}

// Cuts returns p's text cut into n pieces (2 or 3) at every cut, or
// every pair of cuts, inside the value (see Splits).
func (p SplitPlant) Cuts(n, max int) [][]string {
	start := strings.Index(p.Text, p.Value)
	return Splits(p.Text, start, start+len(p.Value), n, max)
}

// Splits cuts text into n adjacent pieces (2 or 3) at every cut, or
// every pair of cuts, inside the value text[start:end], so that each
// cut falls within the value: the pieces a log stores one text in
// (content blocks, content parts, streamed chunks). Where a value has
// more pairs of cuts than max, the second cut is taken at a stride; 0
// means no bound.
func Splits(text string, start, end, n, max int) [][]string {
	var out [][]string
	switch n {
	case 2:
		for k := start + 1; k < end; k++ {
			out = append(out, []string{text[:k], text[k:]})
		}
	case 3:
		pairs := (end - start - 1) * (end - start - 2) / 2
		stride := 1
		if max > 0 && pairs > max {
			stride = (pairs + max - 1) / max
		}
		at := 0
		for i := start + 1; i < end; i++ {
			for j := i + 1; j < end; j++ {
				if at%stride == 0 || j == i+1 || j == end-1 {
					out = append(out, []string{text[:i], text[i:j], text[j:]})
				}
				at++
			}
		}
	}
	return out
}

// TextRuns returns the runs of adjacent text pieces in a JSON document:
// in every array, the consecutive elements that are strings or text
// blocks (a Converse {"text": s}; a block typed text, input_text,
// output_text, summary_text or reasoning_text with its "text"; an
// OpenTelemetry part {"type": "text", "content": s}). A run may have
// one piece. A document that does not decode has none.
func TextRuns(doc []byte) [][]string {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	var out [][]string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			var run []string
			for _, x := range v {
				if s, ok := pieceText(x); ok {
					run = append(run, s)
					continue
				}
				if run != nil {
					out = append(out, run)
					run = nil
				}
				walk(x)
			}
			if run != nil {
				out = append(out, run)
			}
		}
	}
	walk(v)
	return out
}

func pieceText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case map[string]any:
		t, hasType := v["type"]
		typ, _ := t.(string)
		if s, ok := v["text"].(string); ok {
			switch {
			case !hasType:
				return s, true
			case typ == "text", typ == "input_text", typ == "output_text", typ == "summary_text", typ == "reasoning_text":
				return s, true
			}
		}
		if s, ok := v["content"].(string); ok && typ == "text" {
			return s, true
		}
	}
	return "", false
}

// Survives says how value survives in text, or "" where it does not:
// whole (for a word of the user's terms, in any case), or as a window of
// 8 bytes or more of it that starts at or after keep (a pseudonym keeps
// a telling prefix: "sk-proj-", "AKIA").
func Survives(text, value string, keep int) string {
	if strings.Contains(strings.ToLower(text), strings.ToLower(value)) {
		return value
	}
	const w = 8
	for i := keep; i+w <= len(value); i++ {
		if strings.Contains(text, value[i:i+w]) {
			return value[i : i+w]
		}
	}
	return ""
}
