package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/corpus"
)

// cancelOnFirstFixture is a context that is cancelled as soon as a
// fixture (a *.json file) exists under dir: the import is then
// interrupted while it writes its output, whatever the machine's speed.
type cancelOnFirstFixture struct {
	context.Context
	cancel context.CancelFunc
	dir    string
}

func (c *cancelOnFirstFixture) Err() error {
	if c.Context.Err() == nil {
		_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
				c.cancel()
				return filepath.SkipAll
			}
			return nil
		})
	}
	return c.Context.Err()
}

// TestImportInterruptedWhileWriting: Ctrl-C (the command's context
// cancelled) while import writes its fixtures stops it before the next
// fixture, with no manifest, no half-written file and no temporary file
// left, and exits 1 saying what was written, as an interrupted read does.
func TestImportInterruptedWhileWriting(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(saltEnv, "a test salt, long enough for pseudonyms")
	logs := filepath.Join(dir, "logs.jsonl")
	var b strings.Builder
	const n = 400
	for i := range n {
		fmt.Fprintf(&b, `{"model":"gpt-4o","messages":[{"role":"user","content":"Question number %d about the weather."}]}`+"\n", i)
	}
	os.WriteFile(logs, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "out")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr strings.Builder
	code := run(&cancelOnFirstFixture{ctx, cancel, out}, []string{"import", "-q", "--select", "all", "--out", out, logs}, &stdout, &stderr)
	if code != exitFindings || !strings.Contains(stderr.String(), "interrupted: ") {
		t.Fatalf("exit %d, want %d and an interrupted message\n%s%s", code, exitFindings, stdout.String(), stderr.String())
	}
	var fixtures int
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch name := d.Name(); {
		case name == corpus.ManifestName:
			t.Errorf("an interrupted import wrote its manifest %s", p)
		case strings.HasSuffix(name, ".tmp"):
			t.Errorf("temporary file left: %s", p)
		case strings.HasSuffix(name, ".json"):
			fixtures++
			data, _ := os.ReadFile(p)
			if !strings.HasSuffix(string(data), "}\n") {
				t.Errorf("half-written fixture %s", p)
			}
		}
		return nil
	})
	if fixtures == 0 || fixtures >= n {
		t.Errorf("%d fixtures written of %d; the import stops after the first", fixtures, n)
	}
	want := fmt.Sprintf("interrupted: %d fixtures were written to %s, and no manifest", fixtures, out)
	if fixtures == 1 {
		want = fmt.Sprintf("interrupted: 1 fixture was written to %s, and no manifest", out)
	}
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
	}
}
