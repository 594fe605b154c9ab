package history

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestAnthropicDocumentCitationsKept: a Messages API document's
// citations setting ({"enabled": true}) and its context have a Converse
// place (DocumentBlock.citations and context; Bedrock API reference,
// DocumentBlock), so the decoder keeps them, for every source type that
// stays a document; before, both were reported "dropped: Converse has no
// place for it" and a resumed citations session answered without
// citations. With citations on, a text source stays a text source and a
// content source keeps its blocks as chunks, which citations point into
// (the captures converse-citations-chunk-ok and
// converse-stream-citations-text-source-ok: Claude on Bedrock takes both
// with context). A document sent by id becomes a text note, and its
// settings are reported dropped.
func TestAnthropicDocumentCitationsKept(t *testing.T) {
	on, off := &converse.CitationsConfig{Enabled: true}, &converse.CitationsConfig{}
	tests := []struct {
		name, block string
		want        Part
		dropped     []dropped
	}{
		{"text source", `{"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."},"title":"Facts","context":"from the wiki","citations":{"enabled":true}}`,
			Part{Kind: PartDocument, Name: "Facts", Text: "The grass is green.", Media: &Media{MediaType: "text/plain", Format: "txt", TextSource: true, Citations: on, Context: "from the wiki"}}, nil},
		{"citations off", `{"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."},"citations":{"enabled":false}}`,
			Part{Kind: PartDocument, Text: "The grass is green.", Media: &Media{MediaType: "text/plain", Format: "txt", Citations: off}}, nil},
		{"content source", `{"type":"document","source":{"type":"content","content":[{"type":"text","text":"One."},{"type":"text","text":"Two."}]},"title":"Chunks","citations":{"enabled":true}}`,
			Part{Kind: PartDocument, Name: "Chunks", Media: &Media{Format: "txt", Chunks: []string{"One.", "Two."}, Citations: on}}, nil},
		{"content source with a blank block", `{"type":"document","source":{"type":"content","content":[{"type":"text","text":"One."},{"type":"text","text":" "}]},"citations":{"enabled":true}}`,
			Part{Kind: PartDocument, Text: "One.\n\n ", Media: &Media{Format: "txt", TextSource: true, Citations: on}}, nil},
		{"content source without citations", `{"type":"document","source":{"type":"content","content":"One."},"context":"c"}`,
			Part{Kind: PartDocument, Text: "One.", Media: &Media{Format: "txt", Context: "c"}}, nil},
		{"pdf", `{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"citations":{"enabled":true},"context":"c"}`,
			Part{Kind: PartDocument, Media: &Media{MediaType: "application/pdf", Format: "pdf", Data: []byte("%PDF-"), Citations: on, Context: "c"}}, nil},
		{"url", `{"type":"document","source":{"type":"url","url":"https://x.example/a.pdf"},"citations":{"enabled":true}}`,
			Part{Kind: PartDocument, Media: &Media{URL: "https://x.example/a.pdf", Format: "pdf", Citations: on}}, nil},
		{"sent by id", `{"type":"document","source":{"type":"file","file_id":"file_1"},"title":"T","citations":{"enabled":true},"context":"c"}`,
			Part{Kind: PartText, Text: "[document not included: T (file_1), sent by id]"},
			[]dropped{
				{0, `request.messages[0].content[0].citations = {"enabled":true} dropped: the document was sent by id, and a text note stands in for it`},
				{0, `request.messages[0].content[0].context = "c" dropped: the document was sent by id, and a text note stands in for it`},
			}},
		{"not the API's shapes", `{"type":"document","source":{"type":"text","data":"d"},"citations":true,"context":5}`,
			Part{Kind: PartDocument, Text: "d", Media: &Media{Format: "txt"}},
			[]dropped{
				{0, `request.messages[0].content[0].citations = true dropped: a document's citations is {"enabled": true} or {"enabled": false}`},
				{0, `request.messages[0].content[0].context = 5 dropped: a document's context is a string`},
			}},
		{"more than enabled", `{"type":"document","source":{"type":"text","data":"d"},"citations":{"enabled":true,"x":1},"y":2}`,
			Part{Kind: PartDocument, Text: "d", Media: &Media{Format: "txt", TextSource: true, Citations: on}},
			[]dropped{
				{0, `request.messages[0].content[0].citations.x = 1 dropped: Converse has no place for it`},
				{0, `request.messages[0].content[0].y = 2 dropped: Converse has no place for it`},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":[`+tt.block+`,{"type":"text","text":"q"}]}]}`)
			h, err := Decode("histories/x.json", data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, h.Messages[0].Parts[0]); diff != "" {
				t.Errorf("document part (-want +got):\n%s", diff)
			}
			checkDropped(t, h, tt.dropped)
			checkFastPath(t, data)
		})
	}
}

// TestDocumentSettingsInToolResults: a document inside a tool result
// keeps its citations setting and context too, in both decoders that read
// them.
func TestDocumentSettingsInToolResults(t *testing.T) {
	anthropic := fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":"q"},
		{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"document","source":{"type":"text","data":"d"},"context":"c","citations":{"enabled":true}}]}]}]}`)
	conv := fixture("converse", `{"messages":[{"role":"user","content":[{"text":"q"}]},
		{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},
		{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"document":{"name":"n","format":"txt","source":{"text":"d"},"context":"c","citations":{"enabled":true}}}]}}]}]}`)
	for i, data := range [][]byte{anthropic, conv} {
		h, err := Decode("histories/x.json", data)
		if err != nil {
			t.Fatal(err)
		}
		m := h.Messages[2].Parts[0].Content[0].MediaOrZero()
		if m.Context != "c" || m.Citations == nil || !m.Citations.Enabled || !m.TextSource {
			t.Errorf("document in a tool result: %+v", m)
		}
		checkDropped(t, h, nil)
		// The fast path reads Anthropic documents; Converse documents
		// it leaves to the general decoder.
		if !checkFastPath(t, data) && i == 0 {
			t.Errorf("the fast path declined a document's citations and context")
		}
	}
}
