package redact_test

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestDataURLsAsTheDecoderReadsThem: a data: URL is read by the history
// decoder as RFC 2397 and the WHATWG Fetch standard's "data: URL
// processor" have it: the ";base64" marker in any case and with white
// space around it, and without the marker a percent-encoded payload. Every
// form the decoder turns into a document's bytes must reach the fixture
// redacted: the decoder's view of the redacted body holds no planted value.
func TestDataURLsAsTheDecoderReadsThem(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	values := plantValues(t, 47)
	text := "name,email,card,ssn\nJo Doe," + strings.Join(values, ",") + "\n"
	b64 := base64.StdEncoding.EncodeToString([]byte(text))
	for name, u := range map[string]string{
		"lower":          "data:text/csv;base64," + b64,
		"upper":          "data:text/csv;BASE64," + b64,
		"mixed":          "data:text/plain;charset=utf-8;Base64," + b64,
		"spaced":         "data:text/csv; base64 ," + b64,
		"percent":        "data:text/csv," + url.PathEscape(text),
		"percent params": "data:text/plain;charset=US-ASCII," + url.PathEscape(text),
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"summarise"},{"type":"file","file":{"filename":"c.csv","file_data":"` + u + `"}}]}]}`
			if docs := decodedDocuments(t, []byte(body)); len(docs) != 1 || len(leaked(docs[0], values)) != 3 {
				t.Fatalf("the decoder does not read the planted document from %.60q: %q", u, docs)
			}
			out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if counts[redact.Email] != 1 || counts[redact.CardNumber] != 1 || counts[redact.USSSN] != 1 {
				t.Errorf("counts %v", counts)
			}
			docs := decodedDocuments(t, out)
			if len(docs) != 1 {
				t.Fatalf("%d documents in %s", len(docs), out)
			}
			if l := leaked(docs[0], values); len(l) > 0 {
				t.Errorf("planted %q kept in the document: %q", l, docs[0])
			}
			if !strings.HasPrefix(string(docs[0]), "name,email,card,ssn\nJo Doe,") {
				t.Errorf("the document's text is lost: %q", docs[0])
			}
			found := redact.DocumentTexts([]byte(body))
			if len(found) != 1 || found[0] != text {
				t.Errorf("DocumentTexts: %q", found)
			}
		})
	}
}

// decodedDocuments returns the bytes of the documents the history decoder
// reads from an OpenAI Chat body.
func decodedDocuments(t *testing.T, body []byte) [][]byte {
	t.Helper()
	h, err := history.Decode("t.json", []byte(`{"format":"openai","request":`+string(body)+`}`))
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	var out [][]byte
	for _, m := range h.Messages {
		for _, p := range m.Parts {
			if p.Kind == history.PartDocument && p.Media != nil {
				out = append(out, append(p.Media.Data, p.Text...))
			}
		}
	}
	return out
}

// TestTextStartingWithData: a message that starts "data:" without being a
// data URL (a server-sent event, prose) is text, as the history decoder
// reads it: redacted as text, every value found, and not rewritten as a
// percent-encoded payload. A data URL's media type parameters are
// redacted too (a file named after a person's address).
func TestTextStartingWithData(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, text := range []string{
		"data: from jo@acme.io, cc bob@acme.io",
		`data: {"id": 1, "user": "jo@acme.io", "cc": "bob@acme.io"}`,
	} {
		body := `{"messages":[{"role":"user","content":` + strconv.Quote(text) + `}]}`
		out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), "acme.io") || counts[redact.Email] != 2 {
			t.Errorf("%q: %s (counts %v)", text, out, counts)
		}
		if strings.Contains(string(out), "%20") || strings.Contains(string(out), "%40") {
			t.Errorf("%q was rewritten as a data URL: %s", text, out)
		}
	}
	b64 := base64.StdEncoding.EncodeToString([]byte("call jo@acme.io"))
	out, _, err := r.Body([]byte(`{"file_data":"data:text/plain;name=bob@acme.io;base64,`+b64+`"}`), redact.BodyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "acme.io") {
		t.Errorf("a media type parameter kept its address: %s", out)
	}
}
