package history

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestOversizedFileRefusedBeforeReading makes a sparse 200 MB file: it is
// refused with its size and the limit, without reading it.
func TestOversizedFileRefusedBeforeReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(200 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadFile(filepath.Dir(path), path)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), path+": 209715200 bytes, over the limit of 67108864 bytes") {
		t.Fatalf("error %v: want the file, its size and the limit", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("refusing allocated %d bytes: the file was read", grew)
	}
}

// TestHostileJSON: deep nesting and invalid UTF-8 give errors naming the
// file and the position; 100,000 messages decode.
func TestHostileJSON(t *testing.T) {
	deep := `{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"x"}]}],"additionalModelRequestFields":` +
		strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}}`
	if _, err := Decode("deep.json", []byte(deep)); err == nil || !strings.HasPrefix(err.Error(), "deep.json:1:") || !strings.Contains(err.Error(), "max depth") {
		t.Errorf("100,000-deep JSON: %v", err)
	}
	bad := []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"ok ` + "\xff\xfe" + `"}]}}`)
	if _, err := Decode("utf8.json", bad); err == nil || !strings.HasPrefix(err.Error(), "utf8.json:1:") || !strings.Contains(err.Error(), "invalid UTF-8") {
		t.Errorf("invalid UTF-8: %v", err)
	}
	var b strings.Builder
	b.WriteString(`{"format":"openai","request":{"messages":[`)
	for i := range 100_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"role":"user","content":"hi"}`)
	}
	b.WriteString(`]}}`)
	h, err := Decode("many.json", []byte(b.String()))
	if err != nil || len(h.Messages) != 100_000 {
		t.Fatalf("100,000 messages: %v", err)
	}
}
