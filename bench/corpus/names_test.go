package corpus

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
)

// A log whose file name is not UTF-8 (a Latin-1 name out of a Windows
// archive) is imported as any other: its name reaches the fixtures, the
// skips, the report and the manifest with the stray byte as \xNN, and a
// merge of shards reads the manifests back.
func TestFileNameNotUTF8(t *testing.T) {
	src := t.TempDir()
	data, err := os.ReadFile(filepath.Join(examples, "openai", "chat-requests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(src, "caf\xe9.jsonl")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Skipf("the file system takes no such name: %v", err)
	}
	dir := t.TempDir()
	rep := importInto(t, dir, Options{Select: SelectAll}, ingest.Options{}, src)
	if rep.Written == 0 || rep.Skipped == 0 {
		t.Fatalf("written %d, skipped %d: want both", rep.Written, rep.Skipped)
	}
	shown := `caf\xe9.jsonl`
	if !strings.Contains(strings.Join(rep.SkipExamples, "\n"), shown) {
		t.Errorf("skip examples %q do not name %s", rep.SkipExamples, shown)
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	files := tree(t, dir)
	if _, ok := files[ManifestName]; !ok {
		t.Fatalf("no manifest among %v", keys(files))
	}
	fixtures := 0
	for rel, body := range files {
		if !utf8.ValidString(body) {
			t.Errorf("%s is not UTF-8", rel)
		}
		if rel == ManifestName {
			continue
		}
		fixtures++
		var fx struct {
			Description string        `json:"description"`
			Source      ingest.Source `json:"source"`
		}
		if err := json.Unmarshal([]byte(body), &fx); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if !strings.HasSuffix(fx.Source.File, "/"+shown) || !strings.Contains(fx.Description, shown) {
			t.Errorf("%s: source.file %q, description %q: want the name as %s", rel, fx.Source.File, fx.Description, shown)
		}
	}
	if fixtures != rep.Written {
		t.Errorf("%d fixtures in the folder, the report says %d", fixtures, rep.Written)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Fixtures) != rep.Written {
		t.Errorf("manifest lists %d fixtures, want %d", len(m.Fixtures), rep.Written)
	}

	// Shards, and their merge, which reads each shard's manifest.
	var dirs []string
	for i := range 2 {
		d := t.TempDir()
		importInto(t, d, Options{Select: SelectAll, Shard: i, Shards: 2}, ingest.Options{}, src)
		dirs = append(dirs, d)
	}
	merged, err := Merge(t.TempDir(), dirs, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if merged.Written != rep.Written || !strings.Contains(strings.Join(merged.SkipExamples, "\n"), shown) {
		t.Errorf("merged: %d written, skips %q; want %d and the name as %s", merged.Written, merged.SkipExamples, rep.Written, shown)
	}
}

// A skip whose file name and reason are not UTF-8 (the reader's error
// names the file) still lets the report and the manifest be written.
func TestSkipNotUTF8(t *testing.T) {
	im := newImporter(t, Options{})
	// One record imported: a run that imports nothing writes nothing
	// (TestNothingImportedLeavesTheFolder).
	feed(t, im, ingest.Options{}, filepath.Join("..", "ingest", "testdata", "anthropic", "messages.jsonl"))
	im.Skip(ingest.Skip{File: "d\xfcr.jsonl", Reason: "unreadable: open d\xfcr.jsonl: permission denied"})
	dir := t.TempDir()
	rep, err := im.Finish(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := `d\xfcr.jsonl: unreadable: open d\xfcr.jsonl: permission denied`
	if len(rep.SkipExamples) != 1 || rep.SkipExamples[0] != want {
		t.Errorf("skip examples %q, want [%q]", rep.SkipExamples, want)
	}
	if _, err := ReadManifest(dir); err != nil {
		t.Fatal(err)
	}
}

// TestNothingImportedLeavesTheFolder: an import that could use no record
// (every one skipped, a wrong --from) leaves its folder as it was: an
// earlier import's fixtures and manifest stay. Before, it replaced the
// manifest with its own, of no fixture.
func TestNothingImportedLeavesTheFolder(t *testing.T) {
	dir := t.TempDir()
	first := importInto(t, dir, Options{}, ingest.Options{}, filepath.Join("..", "ingest", "testdata", "anthropic", "messages.jsonl"))
	if first.Written == 0 {
		t.Fatal("the first import wrote nothing")
	}
	before := tree(t, dir)
	im := newImporter(t, Options{})
	im.Skip(ingest.Skip{File: "a.jsonl", Line: 1, Reason: "the openai body does not decode"})
	rep, err := im.Finish(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.NothingImported() {
		t.Errorf("a run of skips alone: %+v", rep)
	}
	if after := tree(t, dir); !maps.Equal(before, after) {
		t.Errorf("the folder changed: %d files before, %d after", len(before), len(after))
	}
	if m, err := ReadManifest(dir); err != nil || len(m.Fixtures) != first.Written {
		t.Errorf("the earlier manifest: %v, %+v", err, m)
	}
}
