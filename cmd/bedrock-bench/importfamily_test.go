package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without --family, import judges and selects for the families of the
// project's targets: a Nova-only project gets Nova verdicts, not the
// anthropic default. --family still wins.
func TestImportFamiliesFromTheProjectTargets(t *testing.T) {
	withSalt(t)
	src, err := filepath.Abs(filepath.Join(importExamples, "anthropic"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	project := "targets:\n  - name: nova-lite\n    region: us-east-1\n    model: us.amazon.nova-lite-v1:0\n  - name: nova-pro\n    region: us-east-1\n    model: us.amazon.nova-pro-v1:0\n"
	if err := os.WriteFile(filepath.Join(dir, "bedrock-bench.yaml"), []byte(project), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := runCLI(t, "import", "-q", "--out", filepath.Join(dir, "a"), src)
	if code != exitOK || !strings.Contains(out, "\n  family nova: ") || strings.Count(out, "  family ") != 1 {
		t.Errorf("a Nova-only project: exit %d, want the nova family only\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "import", "-q", "--family", "anthropic", "--out", filepath.Join(dir, "b"), src)
	if code != exitOK || !strings.Contains(out, "\n  family anthropic: ") || strings.Contains(out, "family nova") {
		t.Errorf("--family anthropic: exit %d\n%s%s", code, out, errOut)
	}
	// No project file: anthropic, as before.
	t.Chdir(t.TempDir())
	code, out, errOut = runCLI(t, "import", "-q", "--out", filepath.Join(dir, "c"), src)
	if code != exitOK || !strings.Contains(out, "\n  family anthropic: ") || strings.Count(out, "  family ") != 1 {
		t.Errorf("no project file: exit %d\n%s%s", code, out, errOut)
	}
}
