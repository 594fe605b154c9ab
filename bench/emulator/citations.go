package emulator

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// citation is the span of a document an answer cites: a Claude model
// given a document with citations enabled answers with a citationsContent
// block whose citation points into the document (realwire
// converse-citations-ok, converse-citations-pdf-ok,
// converse-citations-chunk-ok; Bedrock API reference: CitationsContentBlock,
// Citation, CitationLocation).
type citation struct {
	// docIndex counts the request's documents, in order, from 0.
	docIndex int
	title    string
	// location is documentChar (start and end in characters of the
	// text), documentPage (pages, from 1, end exclusive) or documentChunk
	// (chunk indexes, end exclusive), as recorded.
	location   string
	start, end int
	// source is the document's text the citation points at, as
	// sourceContent carries it; text is what the answer says.
	source, text string
}

// maxCitedChars bounds the cited span of a long first sentence.
const maxCitedChars = 400

// citedDocument finds the first document in the request's user turns with
// citations enabled whose text the emulator can read, and the span it
// cites: a text document's first sentence (plain text is cited by
// sentence, a sentence with the white space after it, as recorded),
// a content source's first chunk with text, a PDF's first page.
func citedDocument(req *converse.Request) *citation {
	n := 0
	for _, m := range req.Messages {
		if m.Role != converse.RoleUser {
			continue
		}
		for _, b := range m.Content {
			d := b.Document
			if d == nil {
				continue
			}
			idx := n
			n++
			if d.Citations == nil || !d.Citations.Enabled {
				continue
			}
			if c := citeIn(d); c != nil {
				c.docIndex, c.title = idx, d.Name
				return c
			}
		}
	}
	return nil
}

func citeIn(d *converse.DocumentBlock) *citation {
	src := d.Source
	switch {
	case src.Text != nil:
		return citeText(*src.Text)
	case src.Content != nil:
		for i, c := range src.Content {
			if c.Text != nil && strings.TrimSpace(*c.Text) != "" {
				return &citation{location: "documentChunk", start: i, end: i + 1, source: *c.Text, text: strings.TrimSpace(*c.Text)}
			}
		}
	case len(src.Bytes) > 0 && d.Format == "pdf":
		// The emulator does not read PDF text: the citation points at
		// page 1 and names it.
		page := "Page 1 of " + d.Name + "."
		return &citation{location: "documentPage", start: 1, end: 2, source: page, text: page}
	case len(src.Bytes) > 0 && plainTextFormat(d.Format) && utf8.Valid(src.Bytes):
		return citeText(string(src.Bytes))
	}
	return nil
}

func plainTextFormat(f string) bool {
	switch f {
	case "txt", "md", "csv", "html":
		return true
	}
	return false
}

// citeText cites the first sentence of text, counting characters (not
// bytes) as documentChar does.
func citeText(text string) *citation {
	// Only the first maxCitedChars characters can be cited, and one more
	// tells whether a sentence ends there: the rest of a document, which
	// may be megabytes, is never decoded.
	head, count := text, 0
	for i := range text {
		if count == maxCitedChars+1 {
			head = text[:i]
			break
		}
		count++
	}
	runes := []rune(head)
	whole := len(head) == len(text)
	end := len(runes)
	for i, r := range runes {
		if (r == '.' || r == '!' || r == '?') && (i+1 == len(runes) && whole || i+1 < len(runes) && unicode.IsSpace(runes[i+1])) {
			end = i + 1
			for end < len(runes) && unicode.IsSpace(runes[end]) {
				end++
			}
			break
		}
	}
	end = min(end, maxCitedChars)
	span := string(runes[:end])
	if strings.TrimSpace(span) == "" {
		return nil
	}
	return &citation{location: "documentChar", start: 0, end: end, source: span, text: strings.TrimSpace(span)}
}

// fields are the citation's members, as the Converse answer's citations
// and the stream's citation delta carry them.
func (c *citation) fields() map[string]any {
	return map[string]any{
		"location":      map[string]any{c.location: map[string]any{"documentIndex": c.docIndex, "start": c.start, "end": c.end}},
		"sourceContent": []any{map[string]any{"text": c.source}},
		"title":         c.title,
	}
}

// content is the citationsContent block of a Converse answer.
func (c *citation) content() map[string]any {
	return map[string]any{"citationsContent": map[string]any{
		"citations": []any{c.fields()},
		"content":   []any{map[string]any{"text": c.text}},
	}}
}
