package redact_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// corpus reads the repository's history fixtures: synthetic production
// payloads that hold no secret and no personal datum.
func corpus(t testing.TB) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir("../../histories", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("reading histories/: %v (%d files)", err, len(files))
	}
	return files
}

// The fixtures hold no secret and no personal datum: every finding there
// is a false positive.
func TestNoFindingsInHistoryFixtures(t *testing.T) {
	s, err := redact.NewScanner(redact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, text := range corpus(t) {
		for _, f := range s.Scan(text) {
			t.Errorf("%s: false positive %s %q", path, f.Rule, text[f.Start:f.End])
		}
	}
}

// BenchmarkScan compares the focused rule set with gitleaks' 222 default
// rules on the history fixtures (see README, "Import your production
// histories").
func BenchmarkScan(b *testing.B) {
	files := corpus(b)
	var all []string
	size := 0
	for _, text := range files {
		all = append(all, text)
		size += len(text)
	}
	b.Run("focused", func(b *testing.B) {
		s, _ := redact.NewScanner(redact.Options{})
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, text := range all {
				s.Scan(text)
			}
		}
	})
	b.Run("gitleaks", func(b *testing.B) {
		gl, err := detect.NewDetectorDefaultConfig()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, text := range all {
				gl.DetectString(text)
			}
		}
	})
}

func TestGitleaksFalsePositivesOnHistories(t *testing.T) {
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, text := range corpus(t) {
		for _, f := range gl.DetectString(text) {
			t.Logf("gitleaks on %s: %s %q", path, f.RuleID, f.Secret)
			n++
		}
	}
	if n > 0 {
		t.Errorf("gitleaks: %d findings on the fixtures, which hold no secret", n)
	}
}
