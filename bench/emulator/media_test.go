package emulator

import (
	"encoding/base64"
	"net/url"
	"testing"
)

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
	png := "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
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
