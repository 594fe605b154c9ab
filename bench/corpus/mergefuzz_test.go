package corpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
)

// FuzzMerge merges two shards, the first with an arbitrary manifest (a
// shard folder is input: downloaded from CI, edited by hand). The merge
// never panics, and writes nothing outside its --out folder.
func FuzzMerge(f *testing.F) {
	src := filepath.Join(examples, "openai")
	parent := f.TempDir()
	dirs := []string{filepath.Join(parent, "a"), filepath.Join(parent, "b")}
	for i, d := range dirs {
		importInto(f, d, Options{Shard: i, Shards: 2}, ingest.Options{}, src)
	}
	man, err := os.ReadFile(filepath.Join(dirs[0], ManifestName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(man)
	f.Add([]byte(`{"version":1,"shard":{"shard":0,"shards":2},"report":{},"fixtures":[{"file":"../x.json","rules":[]}]}`))
	f.Add([]byte(`{"version":1,"shard":{"shard":0,"shards":2,"skipped":-5},"report":{"skipped":-1,"families":[null]},"fixtures":[{"file":"a.json"}]}`))
	out := filepath.Join(parent, "out", "merged")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dirs[0], ManifestName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = Merge(out, dirs, MergeOptions{})
		for _, d := range []string{parent, filepath.Join(parent, "out")} {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if n := e.Name(); n != "a" && n != "b" && n != "out" && n != "merged" {
					t.Fatalf("the merge wrote %s, outside %s", filepath.Join(d, n), out)
				}
			}
		}
	})
}
