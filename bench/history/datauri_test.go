package history

import (
	"testing"
)

// TestDataURLParameters: a data URL's media type may carry parameters
// before ";base64" (RFC 2397: data:[<mediatype>][;base64],<data>, the
// media type with its ";name=value" parameters), as browsers and
// LangChain write a file's name or charset: the payload is base64 when
// the last parameter is "base64", and the media type is what comes before
// the first ';'. A payload without ";base64" is percent-encoded text.
// Before, only "type;base64" was read as base64, and
// "data:image/png;name=shot.png;base64,iVBOR..." sent the base64 text
// itself as the image's bytes.
func TestDataURLParameters(t *testing.T) {
	for _, c := range []struct{ url, mediaType, data string }{
		{"data:image/png;base64,AQID", "image/png", "\x01\x02\x03"},
		{"data:image/png;name=shot.png;base64,AQID", "image/png", "\x01\x02\x03"},
		{"data:application/pdf;charset=binary;base64,JVBERi0xLjQK", "application/pdf", "%PDF-1.4\n"},
		{"data:image/jpeg; name=a.jpg ;BASE64,AQID", "image/jpeg", "\x01\x02\x03"},
		{"data:;base64,AQID", "", "\x01\x02\x03"},
		{"data:text/plain;charset=utf-8,a%2C%20b", "text/plain", "a, b"},
		{"data:text/plain;base64;x=y,abc", "text/plain", "abc"},
		{"data:text/plain,100%", "text/plain", "100%"},
	} {
		mt, data, ok, err := dataURL(c.url)
		if err != nil || !ok || mt != c.mediaType || string(data) != c.data {
			t.Errorf("%s: %q %q %v %v, want %q %q", c.url, mt, data, ok, err, c.mediaType, c.data)
		}
	}
	if _, _, _, err := dataURL("data:image/png;name=a;base64,!!"); err == nil {
		t.Error("a payload that is not base64: no error")
	}

	// Through the decoders: the image's and the document's bytes.
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"gpt-4o","messages":[{"role":"user","content":[
		{"type":"image_url","image_url":{"url":"data:image/png;name=shot.png;base64,AQID"}},
		{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;charset=binary;base64,JVBERi0xLjQK"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	img, doc := h.Messages[0].Parts[0].MediaOrZero(), h.Messages[0].Parts[1]
	if string(img.Data) != "\x01\x02\x03" || img.Format != "png" {
		t.Errorf("image: %+v", img)
	}
	// The file's name is kept as given; the normalizer makes it a
	// Converse document name (no '.', so "a"), reported document-renamed.
	if m := doc.MediaOrZero(); doc.Kind != PartDocument || doc.Name != "a.pdf" || string(m.Data) != "%PDF-1.4\n" || m.Format != "pdf" {
		t.Errorf("document: %+v %+v", doc, m)
	}
	h, err = Decode("histories/x.json", fixture("openai-responses", `{"input":[{"role":"user","content":[
		{"type":"input_file","filename":"b.pdf","file_data":"data:application/pdf;name=b.pdf;base64,JVBERi0xLjQK"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if m := h.Messages[0].Parts[0].MediaOrZero(); string(m.Data) != "%PDF-1.4\n" || m.Format != "pdf" {
		t.Errorf("Responses document: %+v", m)
	}
}
