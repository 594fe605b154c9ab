package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/corpus"
)

// A log file whose name is not UTF-8 and holds escape sequences imports
// like any other (exit 1 for --strict, not 2), and neither the text
// report nor the --strict message writes the sequences to the terminal.
func TestImportStrangeFileName(t *testing.T) {
	withSalt(t)
	src := t.TempDir()
	data, err := os.ReadFile(filepath.Join(importExamples, "openai", "chat-requests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "caf\xe9\x1b[2J\x1b]0;title\a.jsonl"), data, 0o644); err != nil {
		t.Skipf("the file system takes no such name: %v", err)
	}
	out := t.TempDir()
	code, stdout, errOut := runCLI(t, "import", "-q", "--strict", "--report", "-", "--out", out, src)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d (records skipped, --strict)\n%s\n%s", code, exitFindings, stdout, errOut)
	}
	for _, s := range []string{stdout, errOut} {
		if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' }); i >= 0 {
			t.Errorf("a control character reaches the terminal at %d:\n%q", i, s)
		}
	}
	shown := `caf\xe9\x1b[2J\x1b]0;title\x07.jsonl`
	if !strings.Contains(stdout, shown) || !strings.Contains(errOut, shown) {
		t.Errorf("the file is not named %s:\n%s\n%s", shown, stdout, errOut)
	}
	if _, err := corpus.ReadManifest(out); err != nil {
		t.Error(err)
	}
}

// redaction.saltFile: ~/.bedrock-bench-salt, as the README makes the salt,
// is the salt in the home folder: config shows that path and import
// reads it (before, config showed it as if it were expanded and import
// looked for PROJECT/~/.bedrock-bench-salt).
func TestProjectSaltFileInTheHomeFolder(t *testing.T) {
	t.Setenv(saltEnv, "")
	home, dir := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	if err := os.WriteFile(filepath.Join(home, ".bedrock-bench-salt"), []byte("a salt in the home folder, long enough\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bedrock-bench.yaml"), []byte("redaction:\n  saltFile: ~/.bedrock-bench-salt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := filepath.Abs(filepath.Join(importExamples, "openai"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := runCLI(t, "config", "--output", "json")
	want := filepath.Join(home, ".bedrock-bench-salt")
	if code != exitOK || !strings.Contains(out, `"value": "`+want+`"`) || !strings.Contains(out, "~ is the home folder") {
		t.Errorf("config: exit %d, want the salt file as %s\n%s%s", code, want, out, errOut)
	}
	if code, out, errOut := runCLI(t, "import", "-q", "--out", t.TempDir(), src); code != exitOK {
		t.Errorf("import: exit %d\n%s%s", code, out, errOut)
	}
}
