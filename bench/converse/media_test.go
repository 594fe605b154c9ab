package converse

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSniffImageFormat: the four formats Converse takes are told apart by
// their bytes; anything else is none of them.
func TestSniffImageFormat(t *testing.T) {
	for want, b64 := range map[string]string{"png": pngBytes, "jpeg": jpegBytes, "gif": gifBytes, "webp": webpBytes, "": pdfBytes} {
		if got := SniffImageFormat(mustB64(t, b64)); got != want {
			t.Errorf("%s: got %q, want %q", want, got, want)
		}
	}
	for _, b := range []string{"", "<html></html>", "BM\x36\x00\x00\x00", "\x00\x00\x01\x00\x01\x00", "<svg xmlns='http://www.w3.org/2000/svg'/>", "hello"} {
		if got := SniffImageFormat([]byte(b)); got != "" {
			t.Errorf("%q sniffed as %q, want none of the four", b, got)
		}
	}
}

// TestDocumentBytesParse: only what cannot be the declared format is
// refused (V-37); when unsure, the document passes.
func TestDocumentBytesParse(t *testing.T) {
	utf8Cut := strings.Repeat("a", sniffLen-1) + "é and more" // é straddles the 1,024th byte
	tests := []struct {
		format, bytes string
		want          bool
	}{
		{"pdf", "%PDF-1.7\n", true},
		{"pdf", "\xef\xbb\xbf\r\n%PDF-1.4", true}, // junk before the header, as PDF readers allow
		{"pdf", "PK\x03\x04", false},              // an XLSX sent as a PDF (maximhq/bifrost #5472)
		{"pdf", "<html>not a pdf</html>", false},
		{"pdf", strings.Repeat(" ", sniffLen) + "%PDF-", false},
		{"docx", "PK\x03\x04\x14\x00", true},
		{"xlsx", "PK\x03\x04", true},
		{"docx", "%PDF-1.4", false},
		{"xlsx", "a,b\n1,2\n", false},
		{"doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", true},
		{"doc", `{\rtf1\ansi hello}`, true},
		{"doc", "PK\x03\x04", true},
		{"xls", "<table><tr><td>1</td></tr></table>", true}, // an HTML export named .xls
		{"xls", "a;b\n1;2\n", true},
		{"doc", "\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", false},
		{"txt", "hello", true},
		{"txt", "\x00", true}, // NUL is UTF-8
		{"txt", utf8Cut, true},
		{"txt", "\xff\xfeh\x00i\x00", true}, // UTF-16 with its byte order mark
		{"txt", "caf\xe9", false},           // Latin-1
		{"csv", "a,b\n\xc3\x28", false},
		{"md", "# title", true},
		{"html", "<p>\x80</p>", false},
		{"txt", "", true},
		{"rtf", "\xff\xff", true}, // a format the rule does not know passes
	}
	for _, tc := range tests {
		if got := DocumentBytesParse(tc.format, []byte(tc.bytes)); got != tc.want {
			t.Errorf("%s %q: got %v, want %v", tc.format, tc.bytes, got, tc.want)
		}
	}
}

func TestBase64Len(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 4, 3: 4, 4: 8, 5375889: 7167852, 3932160: 5242880, 3932161: 5242884} {
		if got := Base64Len(n); got != want {
			t.Errorf("Base64Len(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestMediaRulesInToolResults: images and documents inside a tool result
// are read too, with Anthropic's path into the tool result [Inferred].
func TestMediaRulesInToolResults(t *testing.T) {
	result := func(c string) string {
		return msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[{"text":"r"},`+c+`]}}`))
	}
	tests := []struct{ body, want string }{
		{result(image("jpeg", pngBytes)), "The model returned the following errors: messages.2.content.0.tool_result.content.1.image.source.bytes: The image was specified using the image/jpeg media type, but the image appears to be a image/png image"},
		{result(image("png", "aGVsbG8=")), "The model returned the following errors: Could not process image"},
		{result(image("png", bigPNG(4<<20))), "The model returned the following errors: messages.2.content.0.tool_result.content.1.image.source.bytes: image exceeds 5 MB maximum: 5592408 bytes > 5242880 bytes"},
		{result(docOf("a", "pdf", "aGVsbG8=")), "The model returned the following errors: messages.2.content.0.tool_result.content.1.image.source.bytes: The PDF specified was not valid."},
		{result(docOf("a", "txt", "/w==")), "The model returned the following errors: messages.2.content.0.tool_result.content.1.source.bytes: The document source bytes could not be parsed as the specified format. If using a text-based format, try source.text instead of source.bytes."},
		{result(image("gif", gifBytes)), ""},
		{result(image("webp", webpBytes)), ""},
		{result(docOf("a", "xlsx", zipBytes)), ""},
	}
	fam, _ := LookupFamily("anthropic-no-sampling")
	for _, tc := range tests {
		var r Request
		if err := json.Unmarshal([]byte(tc.body), &r); err != nil {
			t.Fatal(err)
		}
		err := Validate(&r, fam)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.body[:min(len(tc.body), 200)], err)
		case tc.want != "" && (err == nil || err.(*Violation).Message != tc.want):
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
	}
}

// TestMediaRulesAreClaudes: every Claude family reads the bytes (V-37,
// V-39, V-40); no report shows another family doing so, and they take
// the same request.
func TestMediaRulesAreClaudes(t *testing.T) {
	bad := msgs("", user(`{"text":"see"}`, image("jpeg", pngBytes), image("png", "aGVsbG8="), image("png", bigPNG(3932161)), docOf("a", "pdf", zipBytes), docOf("b", "docx", pdfBytes)))
	var r Request
	if err := json.Unmarshal([]byte(bad), &r); err != nil {
		t.Fatal(err)
	}
	for _, f := range Families() {
		var names []string
		for _, v := range Check(&r, f) {
			names = append(names, v.Rule.Name)
		}
		got := strings.Join(names, " ")
		want := ""
		if strings.HasPrefix(f.Name, "anthropic") {
			want = "image-size image-format-mismatch image-unreadable pdf-invalid document-unparsable"
		}
		if got != want {
			t.Errorf("%s: got [%s], want [%s]", f.Name, got, want)
		}
	}
}

// TestMediaChecksAllocateNothing: reading the bytes of a request's images
// and documents costs no allocation: Validate allocates as often with the
// checks as without them.
func TestMediaChecksAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	turns := []string{user(`{"text":"see"}`, docOf("a", "pdf", pdfBytes), docOf("b", "txt", "aGVsbG8="), docOf("c", "docx", zipBytes)), ok}
	for range 4 {
		turns = append(turns, user(`{"text":"see"}`, image("png", pngBytes), image("jpeg", jpegBytes), image("gif", gifBytes), image("webp", webpBytes)), ok)
	}
	turns = append(turns, hi)
	var r Request
	if err := json.Unmarshal([]byte(msgs("", turns...)), &r); err != nil {
		t.Fatal(err)
	}
	with, _ := LookupFamily("anthropic")
	without := with
	without.MediaBytesChecked, without.MaxImageBytes = false, 0
	if err := Validate(&r, with); err != nil {
		t.Fatal(err)
	}
	a := testing.AllocsPerRun(20, func() { _ = Validate(&r, with) })
	b := testing.AllocsPerRun(20, func() { _ = Validate(&r, without) })
	if a != b {
		t.Errorf("Validate allocates %v times with the media checks, %v without", a, b)
	}
}
