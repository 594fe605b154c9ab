package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
)

// The text report goes to a terminal (import --report -): what a log or
// a file name holds cannot clear the screen, set the title or forge a
// line of the report. The JSON report keeps the text as it was.
func TestTextReportEscapesControls(t *testing.T) {
	src := t.TempDir()
	evil := "\x1b]0;PWNED\a\x1b[2J\r\nFAKE LINE: all good"
	row := `{"response_id":"resp-1","response_status":200,"request_id":"9b1c8f2e-6a3d-4e1f-8c7b-2d5e9f0a1b3c",` +
		`"request_created_at":"2025-06-01T10:00:00.000Z","request_path":"/v1/chat/completions","request_properties":{},` +
		`"provider":"OPENAI","target_url":"","signed_body_url":"https://example.invalid/b","request_body":{"helicone_message":` +
		`"\u001b]0;PWNED\u0007\u001b[2J\r\nFAKE LINE: all good"},"response_body":{"choices":[]},"model":"gpt-4o-mini"}`
	name := filepath.Join(src, "\x1b[31mred\x1b]0;title\a.jsonl")
	if err := os.WriteFile(name, []byte(row+"\nnot json\n"), 0o644); err != nil {
		t.Skipf("the file system takes no such name: %v", err)
	}
	rep := importInto(t, t.TempDir(), Options{}, ingest.Options{}, src)
	if rep.Skipped != 2 {
		t.Fatalf("skipped %d, want 2: %q", rep.Skipped, rep.SkipExamples)
	}
	var txt bytes.Buffer
	if err := rep.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	out := txt.String()
	for i, c := range []byte(out) {
		if c < 0x20 && c != '\n' || c == 0x7f {
			t.Fatalf("the text report holds %q at %d:\n%s", c, i, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "FAKE LINE") {
			t.Errorf("a log forged a line of the report: %q", line)
		}
	}
	for _, want := range []string{`\x1b[31mred\x1b]0;title\x07.jsonl`, `(helicone_message: \x1b]0;PWNED\x07\x1b[2J\r\nFAKE LINE: all good)`} {
		if !strings.Contains(out, want) {
			t.Errorf("the text report does not show %s:\n%s", want, out)
		}
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(back.SkipExamples, "\n"), evil) {
		t.Errorf("the JSON report changed the text: %q", back.SkipExamples)
	}
}
