package redact_test

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
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

// BenchmarkScanTurns scans conversation turns as invocation logs hold
// them: 2,000 texts of 20 to 40 words, one in four carrying a planted
// e-mail address, phone number, IP address, card number or IBAN in the
// middle of the prose.
//
//	go test ./bench/redact -run '^$' -bench ScanTurns -benchmem
func BenchmarkScanTurns(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	words := strings.Fields("the order latency update refund weather forecast please review thanks issue address customer timeout " +
		"shipment meeting contract support hotel report project booking morning ticket could would high low 3 pm 2026 v2.1")
	var plants []string
	for _, p := range redacttest.New(5).All() {
		switch p.Kind {
		case redact.Email, redact.Phone, redact.IPAddress, redact.CardNumber, redact.IBAN:
			plants = append(plants, p.Value)
		}
	}
	texts := make([]string, 2000)
	size := 0
	for i := range texts {
		var t strings.Builder
		n := 20 + rng.IntN(21)
		for w := range n {
			if w > 0 {
				t.WriteByte(' ')
			}
			if i%4 == 0 && w == n/2 {
				t.WriteString(plants[rng.IntN(len(plants))])
				continue
			}
			t.WriteString(words[rng.IntN(len(words))])
		}
		texts[i] = t.String()
		size += t.Len()
	}
	s, _ := redact.NewScanner(redact.Options{})
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range texts {
			s.Scan(text)
		}
	}
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
