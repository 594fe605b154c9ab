package bench_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

// FuzzLoadTargets feeds arbitrary target lists (--targets FILE, YAML or
// JSON) to LoadTargets: it never panics, every error names the file, and
// every list it accepts passes ValidateTargets, so each name is a safe
// folder, and each target's cassettes stay under the cassette root.
func FuzzLoadTargets(f *testing.F) {
	f.Add([]byte("- name: us-east-1-nova-lite\n  region: us-east-1\n  model: us.amazon.nova-lite-v1:0\n  histories: 'tools/*'\n"))
	f.Add([]byte(`[{"name":"a","region":"r","model":"m","expect":"model-not-offered","family":"nova"}]`))
	f.Add([]byte("- name: ../../x\n  region: r\n  model: m\n"))
	f.Add([]byte("- name: A\n  region: r\n  model: m\n- name: a\n  region: r\n  model: m\n"))
	f.Add([]byte("- &a {name: a, region: r, model: m}\n- *a\n"))
	f.Add([]byte("- name: a\n  region: r\n  model: m\n  histories: '['\n"))
	dir := f.TempDir()
	file := filepath.Join(dir, "targets.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ts, err := bench.LoadTargets(file)
		if err != nil {
			if !strings.HasPrefix(err.Error(), file) {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if err := bench.ValidateTargets(ts); err != nil {
			t.Fatalf("accepted a list ValidateTargets refuses: %v", err)
		}
		root := filepath.Join(dir, "cassettes")
		for _, tg := range ts {
			p := filepath.Join(root, tg.Name)
			if rel, err := filepath.Rel(root, p); err != nil || !filepath.IsLocal(rel) || strings.Contains(rel, string(filepath.Separator)) {
				t.Fatalf("target %q names a folder outside %s, or below it", tg.Name, root)
			}
		}
	})
}
