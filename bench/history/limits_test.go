package history

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
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

// TestReadFileMatchesPortable: the system call reader returns what the
// package os reader returns, for every size around the limit, a missing
// file and a folder.
func TestReadFileMatchesPortable(t *testing.T) {
	dir := t.TempDir()
	const limit = 4096
	for _, size := range []int{0, 1, 511, 512, 513, limit - 1, limit, limit + 1, 3 * limit} {
		path := filepath.Join(dir, fmt.Sprintf("f%d.json", size))
		want := bytes.Repeat([]byte("x"), size)
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, gotSize, err := readFile(path, limit)
		port, portSize, perr := readPortable(path, limit)
		if err != nil || perr != nil {
			t.Fatalf("%d bytes: %v, %v", size, err, perr)
		}
		if !bytes.Equal(got, port) || gotSize != portSize || gotSize != int64(size) {
			t.Errorf("%d bytes: read %d bytes (size %d), portable %d (size %d)", size, len(got), gotSize, len(port), portSize)
		}
		if (size > limit) != (got == nil) || size <= limit && !bytes.Equal(got, want) {
			t.Errorf("%d bytes: got %d bytes", size, len(got))
		}
	}
	for _, path := range []string{filepath.Join(dir, "missing.json"), dir} {
		_, _, err := readFile(path, limit)
		_, _, perr := readPortable(path, limit)
		if err == nil || perr == nil || errors.Is(err, fs.ErrNotExist) != errors.Is(perr, fs.ErrNotExist) {
			t.Errorf("%s: %v, portable %v", path, err, perr)
		}
	}
}

// TestID: a fixture's id is its path under the nearest enclosing
// histories folder, whether the path names it or the working directory
// does, else its path under root.
func TestID(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ root, path, want string }{
		{"x", "histories/resume/a.json", "resume/a"},
		{"x", "./histories/resume/../clean/b.json", "clean/b"},
		{"x", "/srv/histories/a/histories/b/c.json", "b/c"},
		{dir, filepath.Join(dir, "sub", "d.json"), "sub/d"},
		// A fixture given alone, or outside root: its name, never "."
		// (the cassette was "<target>/..yaml") nor a path with "..".
		{filepath.Join(dir, "alone.json"), filepath.Join(dir, "alone.json"), "alone"},
		{filepath.Join(dir, "sub"), filepath.Join(dir, "other", "f.json"), "f"},
		{"sub", "../../x.json", "x"},
	} {
		if got := ID(c.root, c.path); got != c.want {
			t.Errorf("ID(%q, %q) = %q, want %q", c.root, c.path, got, c.want)
		}
	}
	// A relative path inside a histories folder: the working directory
	// names the folder.
	wd := filepath.Join(dir, "histories", "tools")
	if err := os.MkdirAll(wd, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(wd)
	if got := ID(".", "e.json"); got != "tools/e" {
		t.Errorf("ID from inside histories/tools = %q, want tools/e", got)
	}
}
