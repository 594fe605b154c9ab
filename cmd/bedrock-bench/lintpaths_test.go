package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A cassette path that does not exist (a typo in a CI step, .yml for
// .yaml) is a usage error naming it, not "0 cases checked" and exit 0.
func TestLintCassettePathMissing(t *testing.T) {
	for _, path := range []string{
		"../../cassettes/us-east-1-nova-lit/",
		"../../cassettes/nonexistent.yaml",
		"../../cassettes/us-east-1-nova-lite/clean/simple-chat-anthropic.yml",
	} {
		code, out, errOut := runCLI(t, "lint", path)
		if code != exitUsage || !strings.Contains(errOut, path+": no such file or folder; name a cassette (*.yaml) or a folder of them") || strings.Contains(out, "cases checked") {
			t.Errorf("lint %s: exit %d\nstdout %s\nstderr %s", path, code, out, errOut)
		}
	}
	// The real cassette passes.
	if code, out, errOut := runCLI(t, "lint", "../../cassettes/us-east-1-nova-lite/clean/simple-chat-anthropic.yaml"); code != exitOK || !strings.Contains(out, "1 case checked") {
		t.Errorf("lint of a cassette: exit %d\n%s%s", code, out, errOut)
	}
}

// A cassette a case records into but which is not there yet is linted
// as missing, not refused as a path that does not exist.
func TestLintCassettePathOfACase(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"histories/clean/simple-chat-anthropic.json", "histories/clean/image-data-url-openai.json"} {
		data, err := os.ReadFile(filepath.Join("../..", f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	cas := "cassettes/t/clean/simple-chat-anthropic.yaml"
	data, err := os.ReadFile(filepath.Join("../../cassettes/us-east-1-nova-lite/clean/simple-chat-anthropic.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, filepath.Dir(cas)), 0o755)
	os.WriteFile(filepath.Join(dir, cas), data, 0o644)
	os.WriteFile(filepath.Join(dir, "bedrock-bench.yaml"), []byte("targets:\n  - name: t\n    region: us-east-1\n    model: us.amazon.nova-lite-v1:0\n"), 0o644)
	missing := filepath.Join(dir, "cassettes/t/clean/image-data-url-openai.yaml")
	code, out, errOut := runCLI(t, "lint", "--config", filepath.Join(dir, "bedrock-bench.yaml"), missing)
	if code != exitFindings || !strings.Contains(out, "1 case checked") || !strings.Contains(out, "missing") || strings.Contains(errOut, "no such file") {
		t.Errorf("lint of a case's missing cassette: exit %d\n%s%s", code, out, errOut)
	}
}

// lint words a fixture path that does not exist as it does a folder,
// saying what to name, not as a bare "stat X: no such file or directory".
func TestLintFixturePathMissing(t *testing.T) {
	for path, want := range map[string]string{
		"nonexist.json": "nonexist.json: no such file or folder; name a fixture (*.json) or a folder of them, such as ",
		"nonexist/":     "nonexist/: no such file or folder; name a fixture (*.json), a cassette (*.yaml) or a folder of them, such as ",
	} {
		code, _, errOut := runCLI(t, "lint", path)
		if code != exitUsage || !strings.Contains(errOut, want) || strings.Contains(errOut, "stat ") {
			t.Errorf("lint %s: exit %d, stderr %q; want %q", path, code, errOut, want)
		}
	}
}

// lint --jobs 0 means one worker per CPU, as import --jobs 0 does.
func TestLintJobsZero(t *testing.T) {
	if code, out, errOut := runCLI(t, "lint", "--jobs", "0", "../../histories/resume"); code != exitOK || !strings.Contains(out, "0 failed") {
		t.Errorf("lint --jobs 0: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "lint", "--jobs", "-1", "../../histories/resume"); code != exitUsage || !strings.Contains(errOut, "--jobs -1: want a number of fixtures linted at once, or 0 for one per CPU") {
		t.Errorf("lint --jobs -1: exit %d\n%s", code, errOut)
	}
}

// With no project file, lint without a path does not advise editing
// one: it says to name a folder or to make a project.
func TestLintNoProjectNoHistories(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, errOut := runCLI(t, "lint")
	if code != exitUsage || strings.Contains(errOut, "bedrock-bench.yaml") || !strings.Contains(errOut, "no histories folder histories: create it (bedrock-bench import writes fixtures there), pass --fixtures DIR, or make this a project with bedrock-bench init") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}
