package emulator

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// onePixelPNG is a 1x1 PNG, base64.
const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

// TestConverseReadsMediaBytes: Claude reads the bytes of images and
// documents on Converse and ConverseStream, and the emulator refuses what
// Claude refuses, 400 ValidationException with the model's text behind
// Bedrock's prefix (contract reference V-37, V-39, V-40): an image of
// another format than declared, bytes that are no image, an image over 5
// MB of base64 (about 3.75 MiB of bytes), a PDF that is not one, a docx
// that is no ZIP. The texts are partly inferred (see the rules' sources
// in bench/converse).
func TestConverseReadsMediaBytes(t *testing.T) {
	_, hs := start(t, nil)
	png := onePixelPNG
	big := func(n int) string {
		b := make([]byte, n)
		copy(b, "\x89PNG\r\n\x1a\n")
		return base64.StdEncoding.EncodeToString(b)
	}
	body := func(block string) string {
		return `{"messages":[{"role":"user","content":[{"text":"What is this?"},` + block + `]}]}`
	}
	image := func(format, b64 string) string {
		return body(`{"image":{"format":"` + format + `","source":{"bytes":"` + b64 + `"}}}`)
	}
	document := func(format, b64 string) string {
		return body(`{"document":{"name":"report","format":"` + format + `","source":{"bytes":"` + b64 + `"}}}`)
	}
	const model = "us.anthropic.claude-sonnet-4-6"
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n%%EOF\n"))
	zip := base64.StdEncoding.EncodeToString([]byte("PK\x03\x04\x14\x00"))
	tests := []refusalCase{
		{"V-39 image-format-mismatch", model, image("jpeg", png), image("png", png),
			"The model returned the following errors: messages.0.content.1.image.source.bytes: The image was specified using the image/jpeg media type, but the image appears to be a image/png image"},
		{"V-39 image-unreadable", model, image("png", base64.StdEncoding.EncodeToString([]byte("<html>404</html>"))), image("png", png),
			"The model returned the following errors: Could not process image"},
		{"V-40 image-size", model, image("png", big(3932161)), image("png", big(3932160)),
			"The model returned the following errors: messages.0.content.1.image.source.bytes: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes"},
		{"V-37 pdf-invalid", model, document("pdf", zip), document("xlsx", zip),
			"The model returned the following errors: messages.0.content.1.image.source.bytes: The PDF specified was not valid."},
		{"V-37 document-unparsable", model, document("docx", pdf), document("pdf", pdf),
			"The model returned the following errors: messages.0.content.1.source.bytes: The document source bytes could not be parsed as the specified format. If using a text-based format, try source.text instead of source.bytes."},
	}
	checkRefusals(t, hs, tests, "converse", "converse-stream")

	// Nova is not known to read them: the same requests are answered.
	for _, tc := range tests {
		path := "/model/" + url.PathEscape("us.amazon.nova-pro-v1:0") + "/converse"
		if status, _, raw := rawRequest(t, hs, "POST", path, "us-east-1", tc.bad, defaultCreds); status != 200 {
			t.Errorf("%s on Nova Pro: %d %.300s", tc.name, status, raw)
		}
	}
}

// TestInvokeModelTakesMedia: a Messages body's images and documents that
// Claude reads are answered on InvokeModel and its stream, as the
// Anthropic SDKs send them (Anthropic's vision and PDF support docs:
// base64, url, and a document's text and content sources; a document
// with a cache_control, which a Messages body cannot put after it as a
// Converse cache point, V-48), the answer quoting the turn's text; an
// image of a media type Anthropic does not take is refused with
// Anthropic's text, bare (anthropics/claude-code #5955) [Inferred for
// Bedrock].
func TestInvokeModelTakesMedia(t *testing.T) {
	_, hs := start(t, nil)
	const model = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n%%EOF\n"))
	body := func(blocks string) string {
		return `{"anthropic_version":"bedrock-2023-05-31","max_tokens":300,"messages":[{"role":"user","content":[{"type":"text","text":"What is attached?"},` + blocks + `]}]}`
	}
	for name, blocks := range map[string]string{
		"base64":  `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + onePixelPNG + `"}},{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + pdf + `"},"title":"report"}`,
		"url":     `{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}`,
		"text":    `{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Open 9 to 5."},"title":"hours","cache_control":{"type":"ephemeral"}}`,
		"content": `{"type":"document","source":{"type":"content","content":[{"type":"text","text":"Open 9 to 5."}]}}`,
		"webp":    `{"type":"image","source":{"type":"base64","media_type":"image/webp","data":"` + base64.StdEncoding.EncodeToString([]byte("RIFF\x00\x00\x00\x00WEBPVP8 ")) + `"}}`,
	} {
		for _, op := range []string{"invoke", "invoke-with-response-stream"} {
			status, _, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(model)+"/"+op, "us-east-1", body(blocks), defaultCreds)
			if status != 200 || op == "invoke" && !strings.Contains(got, "What is attached?") {
				t.Errorf("%s, %s: %d %.300s", name, op, status, got)
			}
		}
	}
	status, _, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(model)+"/invoke", "us-east-1",
		body(`{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"Qk0="}}`), defaultCreds)
	if want := `{"message":"messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"}`; status != 400 || got != want {
		t.Errorf("image/bmp: %d %s, want 400 %s", status, got, want)
	}
}
