package normalize

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestMediaBytesRepairedOrNoted: Claude reads image and document bytes
// (V-37, V-39, V-40). An image whose bytes are another format Converse
// takes goes as that format, reported, for every family (the bytes are
// what they are); bytes that are no image, an image over 5 MB of base64
// and a document that does not parse as its format cannot be repaired
// and become notes for Claude, reported, as other media that cannot be
// sent do; other families get them as they came.
func TestMediaBytesRepairedOrNoted(t *testing.T) {
	big := make([]byte, 3932161) // 5,242,884 bytes of base64
	copy(big, tinyPNG)
	zip := []byte("PK\x03\x04\x14\x00rest of an xlsx")
	image := func(format string, data []byte) history.Part {
		return history.Part{Kind: history.PartImage, Media: &history.Media{Format: format, Data: data}}
	}
	tests := []struct {
		name string
		part history.Part
		// claude and other are what the block becomes for Claude and for
		// Nova: "image:png", "document:txt" or "note"; code is the report
		// code for Claude ("" for none), detail a part of its detail.
		claude, other string
		code          Code
		detail        string
	}{
		{"png called jpeg", image("jpeg", tinyPNG), "image:png", "image:png", ImageFormatFromBytes, `declared "jpeg" is png by its bytes`},
		{"png called bmp", image("bmp", tinyPNG), "image:png", "image:png", ImageFormatFromBytes, `declared "bmp" is png by its bytes`},
		{"html called png", image("png", []byte("<html>not found</html>")), "note", "image:png", MediaToText, "no PNG, JPEG, GIF or WebP image by its bytes (V-39)"},
		{"png over 5 MB of base64", image("png", big), "note", "image:png", MediaToText, "5242884 bytes of base64, over the anthropic family's limit of 5242880 (V-40)"},
		{"xlsx called pdf", history.Part{Kind: history.PartDocument, Name: "sheet", Media: &history.Media{Format: "pdf", Data: zip}}, "note", "document:pdf", MediaToText, "does not parse as pdf (V-37)"},
		{"latin-1 txt", history.Part{Kind: history.PartDocument, Name: "notes", Media: &history.Media{Format: "txt", Data: []byte("caf\xe9")}}, "note", "document:txt", MediaToText, "does not parse as txt (V-37)"},
		{"text called pdf", history.Part{Kind: history.PartDocument, Name: "notes", Text: "Meeting at 10", Media: &history.Media{Format: "pdf"}}, "document:txt", "document:pdf", MediaFormatMapped, "holds text, not pdf"},
		{"a good png", image("png", tinyPNG), "image:png", "image:png", "", ""},
	}
	claude, _ := converse.LookupFamily("anthropic")
	nova, _ := converse.LookupFamily("nova")
	for _, tc := range tests {
		for _, fam := range []converse.Family{claude, nova} {
			h := &history.History{ID: tc.name, Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{
				{Kind: history.PartText, Text: "What is this?"}, tc.part}}}}
			req, rep, err := Normalize(h, Options{Family: fam})
			if err != nil {
				t.Fatalf("%s, %s: %v", tc.name, fam.Name, err)
			}
			want := tc.claude
			if fam.Name != claude.Name {
				want = tc.other
			}
			if got := blockKind(req.Messages[0].Content[1]); got != want {
				t.Errorf("%s, %s: the block became %s, want %s", tc.name, fam.Name, got, want)
			}
			if fam.Name != claude.Name {
				continue
			}
			found := tc.code == ""
			for _, c := range rep.Changes {
				if c.Code == tc.code && c.Index == 0 && strings.Contains(c.Detail, tc.detail) {
					found = true
				}
				if tc.code == "" {
					t.Errorf("%s: unexpected change %v", tc.name, c)
				}
			}
			if !found {
				t.Errorf("%s: no %s change at message 0 naming %q: %v", tc.name, tc.code, tc.detail, rep.Changes)
			}
		}
	}
}

// TestMislabelledImageInToolResult: an image a tool returned goes as the
// format its bytes are, inside the tool result.
func TestMislabelledImageInToolResult(t *testing.T) {
	h := &history.History{ID: "shot", Tools: []history.Tool{{Name: "shot", Schema: []byte(`{"type":"object"}`)}},
		Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Take a screenshot."}}},
			{Role: history.RoleAssistant, Parts: []history.Part{{Kind: history.PartToolCall, ID: "c1", Name: "shot", Input: []byte(`{}`)}}},
			{Role: history.RoleTool, Parts: []history.Part{{Kind: history.PartToolResult, ID: "c1", Content: []history.Part{
				{Kind: history.PartImage, Media: &history.Media{Format: "jpeg", Data: tinyPNG}}}}}}}}
	fam, _ := converse.LookupFamily("anthropic-no-sampling")
	req, rep, err := Normalize(h, Options{Family: fam})
	if err != nil {
		t.Fatal(err)
	}
	img := req.Messages[2].Content[0].ToolResult.Content[0].Image
	if img == nil || img.Format != "png" {
		t.Fatalf("tool result content: %+v", req.Messages[2].Content[0].ToolResult.Content)
	}
	if codes := rep.Codes(); len(codes) != 1 || codes[0] != ImageFormatFromBytes || rep.Changes[0].Index != 2 {
		t.Errorf("report: %v", rep.Changes)
	}
}

func blockKind(b converse.ContentBlock) string {
	switch {
	case b.Image != nil:
		return "image:" + b.Image.Format
	case b.Document != nil:
		return "document:" + b.Document.Format
	case b.Text != nil && strings.Contains(*b.Text, "not included"):
		return "note"
	}
	return "other"
}
