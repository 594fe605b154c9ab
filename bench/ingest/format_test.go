package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// readBytes reads data as a file named name would be read.
func readBytes(t *testing.T, name string, data []byte, opts Options) *collected {
	t.Helper()
	c := &collected{}
	err := Read(context.Background(), name, bytes.NewReader(data), opts, Handler{
		Emit:    func(r Record) error { c.recs = append(c.recs, r); return nil },
		Skip:    func(s Skip) { c.skips = append(c.skips, s) },
		Ignored: func(string) { c.ignored++ },
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// sameRecords fails unless a and b hold the same records, skips and
// ignored input.
func sameRecords(t *testing.T, what string, a, b *collected) {
	t.Helper()
	if len(a.recs) != len(b.recs) || a.ignored != b.ignored || skipText(a) != skipText(b) {
		t.Fatalf("%s: %d records, %d ignored, skips:\n%s\nwant %d records, %d ignored, skips:\n%s", what,
			len(a.recs), a.ignored, skipText(a), len(b.recs), b.ignored, skipText(b))
	}
	for i := range a.recs {
		if !reflect.DeepEqual(a.recs[i], b.recs[i]) {
			t.Errorf("%s: record %d:\n%+v\nwant\n%+v", what, i, a.recs[i], b.recs[i])
		}
	}
}

// TestByteOrderMark: a file saved with a UTF-8 byte order mark (Windows
// editors, PowerShell's Out-File, some HAR exporters), or with CRLF line
// ends, reads as the same file without.
func TestByteOrderMark(t *testing.T) {
	for _, name := range []string{"bedrock/cloudwatch.jsonl", "bedrock/filter-log-events.json", "openai/chat-requests.jsonl",
		"litellm/spend-logs.jsonl", "anthropic/messages.jsonl", "otel/semconv.json", "otel/legacy.jsonl", "har/session.har"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		opts := Options{S3Mirror: filepath.Join("testdata", "s3mirror")}
		want := readBytes(t, name, data, opts)
		if len(want.recs) == 0 {
			t.Fatalf("%s: no records", name)
		}
		bom := append([]byte("\ufeff"), data...)
		sameRecords(t, name+" with a BOM", readBytes(t, name, bom, opts), want)
		crlf := bytes.ReplaceAll(bom, []byte("\n"), []byte("\r\n"))
		sameRecords(t, name+" with a BOM and CRLF", readBytes(t, name, crlf, opts), want)
	}
}

// TestByteOrderMarkOnLaterLines: files saved with a mark and joined into
// one (cat a.jsonl b.jsonl) read as the files without.
func TestByteOrderMarkOnLaterLines(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "openai", "chat-requests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := readBytes(t, "x.jsonl", append(bytes.Clone(data), data...), Options{})
	got := readBytes(t, "x.jsonl", append(append([]byte("\ufeff"), data...), append([]byte("\ufeff"), data...)...), Options{})
	sameRecords(t, "two files with BOMs", got, want)
}
