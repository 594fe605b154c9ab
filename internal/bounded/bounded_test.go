package bounded

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReadFile: a file up to the bound is read whole; one byte more is a
// *TooLargeError naming the file and the bound.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(p, 5, ""); err != nil || string(data) != "12345" {
		t.Fatalf("%q %v", data, err)
	}
	var tl *TooLargeError
	if _, err := ReadFile(p, 4, "not a test file"); !errors.As(err, &tl) || tl.Path != p || tl.Limit != 4 || err.Error() != p+": larger than 4 bytes: not a test file" {
		t.Fatalf("over the bound: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 4, ""); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
	for n, want := range map[int64]string{16 << 20: "16 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
