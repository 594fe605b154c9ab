package bench_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"
)

// TestNoSecretInCommittedData runs gitleaks' default rule set, an
// independent secret scanner, over every committed fixture and cassette:
// it finds nothing. (Event streams are stored as base64 frames; their
// decoded text is scanned by `lint cassettes/`, which TestLintCassettes
// and the planted-secret tests cover.)
func TestNoSecretInCommittedData(t *testing.T) {
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, root := range []string{"../histories", "../cassettes"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n++
			for _, f := range gl.DetectString(string(data)) {
				t.Errorf("%s:%d: gitleaks finds %s: %q", p, f.StartLine+1, f.RuleID, f.Match)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 100 {
		t.Fatalf("scanned only %d files: are the fixtures and cassettes where they should be?", n)
	}
}
