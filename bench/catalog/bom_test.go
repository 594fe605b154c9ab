package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

// A catalog saved with a UTF-8 byte order mark loads like the same file
// without it; before, it was refused with "invalid character 'ï'".
func TestLoadCatalogWithBOM(t *testing.T) {
	data, err := os.ReadFile("default.json")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "c.json")
	if err := os.WriteFile(p, append([]byte("\xef\xbb\xbf"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err != nil {
		t.Fatal(err)
	}
}
