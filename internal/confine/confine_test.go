package confine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDir(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "cassettes")
	outside := filepath.Join(base, "elsewhere")
	for _, d := range []string{filepath.Join(root, "inside", "deep"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		filepath.Join(root, "out"):            outside,
		filepath.Join(root, "in"):             filepath.Join(root, "inside"),
		filepath.Join(root, "inside", "back"): "../..",
	}
	for l, to := range links {
		if err := os.Symlink(to, l); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	// root itself a link: the user named it.
	rootLink := filepath.Join(base, "link-to-root")
	if err := os.Symlink(root, rootLink); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		root, file string
		ok         bool
	}{
		{root, filepath.Join(root, "t", "h.yaml"), true},
		{root, filepath.Join(root, "inside", "deep", "h.yaml"), true},
		{root, filepath.Join(root, "in", "deep", "h.yaml"), true},
		{root, filepath.Join(root, "not", "made", "yet", "h.yaml"), true},
		{rootLink, filepath.Join(rootLink, "inside", "h.yaml"), true},
		{root, filepath.Join(root, "out", "h.yaml"), false},
		{root, filepath.Join(root, "out", "new", "h.yaml"), false},
		{root, filepath.Join(root, "inside", "back", "h.yaml"), false},
		{filepath.Join(base, "none"), filepath.Join(base, "none", "x", "h.yaml"), true},
	} {
		err := Dir(c.root, c.file)
		if (err == nil) != c.ok {
			t.Errorf("Dir(%s, %s) = %v, want ok %v", c.root, c.file, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "outside "+c.root) {
			t.Errorf("the error does not name the root: %v", err)
		}
	}
}
