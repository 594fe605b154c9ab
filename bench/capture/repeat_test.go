package capture

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestRepeatedBodyKeepsItsFirstFixture: the same body sent to two models
// is one fixture (named by its redacted body), written once: a repeat,
// in this run or a later one into the same folder, leaves it byte for byte
// as the first capture wrote it (its model, Region and time), and is
// counted as a repeat, not as another fixture.
func TestRepeatedBodyKeepsItsFirstFixture(t *testing.T) {
	s, err := redact.NewScanner(redact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	red := redact.NewRedactor(s, []byte("capture test salt"))
	body := []byte(`{"messages":[{"role":"user","content":[{"text":"same body"}]}]}`)
	src := func(model, region, at string) ingest.Source {
		return ingest.Source{Operation: "Converse", Model: model, Region: region, Time: at, Captured: at[:10]}
	}
	rec, err := NewRecorder(Options{Dir: dir, Redactor: red})
	if err != nil {
		t.Fatal(err)
	}
	rec.Record(history.FormatConverse, body, src("amazon.nova-micro-v1:0", "us-east-1", "2026-12-01T10:00:00Z"))
	rec.Record(history.FormatConverse, body, src("us.anthropic.claude-haiku-4-5-20251001-v1:0", "us-west-2", "2026-12-01T10:00:05Z"))
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if st := rec.Stats(); st.Captured != 2 || st.Repeated != 1 || st.Failed != 0 {
		t.Errorf("stats %+v, want 2 captured, 1 of them repeated", st)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("%d fixtures, want 1: %v", len(files), files)
	}
	first, _ := os.ReadFile(files[0])
	if !strings.Contains(string(first), "amazon.nova-micro-v1:0") || strings.Contains(string(first), "claude") ||
		!strings.Contains(string(first), "2026-12-01T10:00:00Z") || strings.Contains(string(first), "us-west-2") {
		t.Errorf("the fixture is not the first capture's:\n%s", first)
	}

	// A later capture into the same folder leaves it too.
	rec2, err := NewRecorder(Options{Dir: dir, Redactor: red})
	if err != nil {
		t.Fatal(err)
	}
	rec2.Record(history.FormatConverse, body, src("us.anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1", "2026-12-02T09:00:00Z"))
	if err := rec2.Close(); err != nil {
		t.Fatal(err)
	}
	if st := rec2.Stats(); st.Captured != 1 || st.Repeated != 1 {
		t.Errorf("stats %+v, want 1 captured, repeated", st)
	}
	if again, _ := os.ReadFile(files[0]); string(again) != string(first) {
		t.Errorf("the fixture was rewritten:\n%s\nwas:\n%s", again, first)
	}
}
