package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A salt too short names where it came from and its length, never the
// salt itself, rather than the message for no salt at all.
func TestImportShortSaltNamesItsSource(t *testing.T) {
	t.Setenv(saltEnv, "")
	short := filepath.Join(t.TempDir(), "s")
	os.WriteFile(short, []byte("shortsalt\n"), 0o600)
	src := filepath.Join(importExamples, "anthropic")
	code, out, errOut := runCLI(t, "import", "--salt-file", short, "--out", t.TempDir(), src)
	if want := "--salt-file " + short + " holds 9 bytes (spaces and line ends at either end left out); a salt needs at least 16"; code != exitUsage || !strings.Contains(errOut, want) || strings.Contains(errOut, "shortsalt") || out != "" {
		t.Errorf("short salt file: exit %d, want %q\n%s", code, want, errOut)
	}
	t.Setenv(saltEnv, "tinysalt")
	code, _, errOut = runCLI(t, "import", "--out", t.TempDir(), src)
	if want := "$BEDROCK_BENCH_SALT holds 8 bytes; a salt needs at least 16"; code != exitUsage || !strings.Contains(errOut, want) || strings.Contains(errOut, "tinysalt") {
		t.Errorf("short salt in the environment: exit %d, want %q\n%s", code, want, errOut)
	}
}

// --salt-file=~/x, where the shell leaves the ~ alone, is the file in the
// home folder, as redaction.saltFile: ~/x in the project file is.
func TestImportSaltFileTilde(t *testing.T) {
	t.Setenv(saltEnv, "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.WriteFile(filepath.Join(home, ".bedrock-bench-salt"), []byte("a salt in the home folder, long enough\n"), 0o600)
	code, out, errOut := runCLI(t, "import", "-q", "--salt-file=~/.bedrock-bench-salt", "--out", t.TempDir(), filepath.Join(importExamples, "anthropic"))
	if code != exitOK || !strings.Contains(out, "fixtures written") {
		t.Errorf("--salt-file=~/...: exit %d\n%s%s", code, out, errOut)
	}
}
