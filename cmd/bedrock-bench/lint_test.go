package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isolateAWS keeps the developer's AWS configuration out of a test: with
// an endpoint and no credentials, commands sign with the emulator's keys.
func isolateAWS(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_BEARER_TOKEN_BEDROCK": ""} {
		t.Setenv(k, v)
	}
}

// noCredentials is isolateAWS with every other source of the credential
// chain turned off too (instance metadata, a container endpoint, web
// identity): the chain finds nothing, and says so at once.
func noCredentials(t *testing.T) {
	t.Helper()
	isolateAWS(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
}

// runCLI runs the CLI in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestLintRepositoryFixtures(t *testing.T) {
	code, out, errOut := runCLI(t, "lint", "../../histories")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "changed  resume/sliding-window-openai") || !strings.Contains(out, "0 failed") {
		t.Errorf("unexpected output:\n%s", out)
	}
	if !strings.Contains(out, "raw breaks: V-2 alternate-roles") {
		t.Errorf("raw violations missing:\n%s", out)
	}
}

func TestLintFailures(t *testing.T) {
	dir := t.TempDir()
	good := `{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`
	bad := `{"format":"openai","request":{"messages":[{"role":"assistant","content":"x"},{"role":"robot","content":"hi"}]}}`
	for name, data := range map[string]string{"good.json": good, "bad.json": bad} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCLI(t, "lint", "--what", "fixtures", dir)
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	want := filepath.Join(dir, "bad.json") + `: request.messages[1].role: unknown role "robot"`
	if !strings.Contains(out, want) {
		t.Errorf("output does not name the file and path:\n%s", out)
	}
	if !strings.Contains(errOut, "1 of 2 fixtures cannot be decoded or made valid") {
		t.Errorf("stderr: %s", errOut)
	}
	// One fixture is counted in the singular.
	code, out, errOut = runCLI(t, "lint", "--what", "fixtures", filepath.Join(dir, "bad.json"))
	if code != exitFindings || !strings.Contains(out, "\n1 fixture for family ") || !strings.Contains(errOut, "1 of 1 fixture cannot") {
		t.Errorf("one fixture: exit %d\n%s%s", code, out, errOut)
	}
}

func TestLintJSON(t *testing.T) {
	code, out, _ := runCLI(t, "lint", "--output", "json", "--family", "us.amazon.nova-pro-v1:0", "../../histories/resume")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var rep lintReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Family != "nova" || rep.Summary.Files != len(rep.Results) || rep.Summary.Files == 0 {
		t.Errorf("report: %+v", rep)
	}
	found := false
	for _, r := range rep.Results {
		for _, v := range r.RawViolations {
			// Nova rejects a leading assistant turn; the resume fixtures show it.
			found = found || (v.ID == "V-1" && strings.HasPrefix(r.ID, "resume/assistant-first"))
		}
	}
	if !found {
		t.Errorf("no V-1 for a leading-assistant fixture on nova:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"lint", "--output", "xml"}, `--output "xml": want one of text, json`},
		{[]string{"lint", "--family", "gpt"}, `--family "gpt" is neither a family`},
		{[]string{"lint", "--nope"}, "unknown flag: --nope"},
		{[]string{"lint", "does/not/exist"}, "does/not/exist"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		// A file a flag names that is missing, or a folder, is said so,
		// naming the flag and the fix, not as "open X: no such file".
		{[]string{"replay", "--config", "no/such.yaml"}, "--config no/such.yaml: no such file; name a project file, or leave --config out"},
		{[]string{"lint", "--config", "."}, "--config . is a folder; name a project file"},
		{[]string{"replay", "--targets", "no/targets.yaml"}, "--targets no/targets.yaml: no such file; name a YAML or JSON list of targets"},
		{[]string{"config", "--targets", "."}, "--targets . is a folder; name a YAML or JSON list of targets"},
		{[]string{"converse", "--model", "amazon.nova-micro-v1:0", "--history", "no/such.json"}, "--history no/such.json: no such file; name one history fixture"},
		{[]string{"converse", "--model", "amazon.nova-micro-v1:0", "--history", "."}, "--history . is a folder; name one history fixture"},
	}
	for _, tc := range tests {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestLintReportToStdout: --report - prints the migration report after
// the results, as import --report - does, and writes no file named "-";
// with --output json, which keeps stdout to one document, it is refused.
func TestLintReportToStdout(t *testing.T) {
	histories, err := filepath.Abs("../../histories")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, "lint", "--what", "fixtures", "--report", "-", histories)
	if code != exitOK || !strings.Contains(out, "Migration report") || strings.Index(out, "Migration report") < strings.Index(out, "resume/") {
		t.Fatalf("exit %d; want the results, then the report:\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`a file named "-" was written`)
	}
	if strings.Contains(out, "fixtures written") {
		t.Error("lint writes no fixture, but its report says it did")
	}
	if code, _, errOut := runCLI(t, "lint", "--what", "fixtures", "--report", "-", "--output", "json", histories); code != exitUsage || !strings.Contains(errOut, "--report - prints the report as text") {
		t.Errorf("with --output json: exit %d, %s", code, errOut)
	}
}

// TestLintCassettesRefusesFixtureFlags: flags that act on fixtures only
// are usage errors on cassettes, not silently ignored.
func TestLintCassettesRefusesFixtureFlags(t *testing.T) {
	cassettes := "../../cassettes"
	for _, flag := range []string{"--report", "--cpuprofile", "--jobs"} {
		value := filepath.Join(t.TempDir(), "out")
		if flag == "--jobs" {
			value = "3"
		}
		code, _, errOut := runCLI(t, "lint", "--fixtures", "../../histories", flag, value, cassettes)
		if code != exitUsage || !strings.Contains(errOut, flag+" applies to fixtures, not cassettes") {
			t.Errorf("%s on cassettes: exit %d, %q", flag, code, errOut)
		}
		if _, err := os.Stat(value); err == nil {
			t.Errorf("%s on cassettes wrote %s", flag, value)
		}
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	if code != exitOK || !strings.Contains(out, "lint") || !strings.Contains(out, "Exit codes") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	// Every command's help: on stdout, exit 0, its flags (never an empty
	// list) and at least one example of the command.
	for c := range commands {
		for _, args := range [][]string{{c, "--help"}, {c, "-h"}, {"help", c}} {
			code, out, errOut := runCLI(t, args...)
			if code != exitOK || !strings.Contains(out, "Usage: bedrock-bench "+c) || errOut != "" {
				t.Errorf("%v: exit %d, help not on stdout:\nstdout %s\nstderr %s", args, code, out, errOut)
			}
			flags, examples, ok := strings.Cut(out, "\nExamples:\n")
			if !ok || !strings.Contains(examples, "bedrock-bench "+c) {
				t.Errorf("%v: no example of the command:\n%s", args, out)
			}
			if strings.HasSuffix(flags, "Flags:\n") {
				t.Errorf("%v: an empty list of flags:\n%s", args, out)
			}
		}
	}
}

// TestLintCPUProfile: --cpuprofile writes a profile, and a
// path that cannot be created is a usage error naming the flag.
func TestLintCPUProfile(t *testing.T) {
	prof := filepath.Join(t.TempDir(), "lint.prof")
	if code, _, errOut := runCLI(t, "lint", "--cpuprofile", prof, "../../histories"); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	data, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	// A pprof profile is a gzip-compressed protocol buffer.
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the profile is not gzip-compressed: %v", err)
	}
	if raw, err := io.ReadAll(zr); err != nil || len(raw) == 0 {
		t.Errorf("the profile is empty or cut: %d bytes, %v", len(raw), err)
	}
	code, _, errOut := runCLI(t, "lint", "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "p"), "../../histories")
	if code != exitUsage || !strings.Contains(errOut, "--cpuprofile") {
		t.Errorf("exit %d, stderr %q; want a usage error naming --cpuprofile", code, errOut)
	}
}

// Ctrl-C stops lint and import: lint at the next result, saying its
// output is partial, import before it writes anything, in the words
// record uses, exit 1. Before, lint ran to the end of the fixtures
// whatever was pressed, and import said "context canceled".
func TestInterruptedLintAndImport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"lint", "--jobs", "2", "../../histories"}, &stdout, &stderr)
	if code != exitFindings || !strings.Contains(stderr.String(), "interrupted after 0 fixtures") || strings.Contains(stdout.String(), "fixtures for family") {
		t.Errorf("lint: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	t.Setenv(saltEnv, "a salt for the import tests, long enough")
	out := filepath.Join(t.TempDir(), "out")
	stdout.Reset()
	stderr.Reset()
	code = run(ctx, []string{"import", "-q", "--out", out, "../../bench/ingest/testdata/openai"}, &stdout, &stderr)
	if code != exitFindings || !strings.Contains(stderr.String(), "interrupted: nothing was written to "+out) {
		t.Errorf("import: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("import wrote %s: %v", out, err)
	}
}

// TestLintCassettesOfSomeCases: a flag that leaves cases out checks the
// cassettes of the cases it keeps, and calls no other cassette an orphan
// to delete (every other target's cassettes were).
func TestLintCassettesOfSomeCases(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cassettes")
	if err := os.CopyFS(dir, os.DirFS("../../cassettes")); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(dir, "us-east-1-nova-lite", "resume", "sliding-window-openai.yaml")
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--target", "us-east-1-nova-lite"},
		{"--histories", "resume/*"},
		{"--target", "us-east-1-nova-lite", "--histories", "resume/sliding-window-openai"},
	} {
		cmd := append([]string{"lint", "--what", "cassettes", "--fixtures", "../../histories"}, args...)
		code, out, errOut := runCLI(t, append(cmd, dir)...)
		if code != exitFindings || strings.Contains(out, "error: orphan") || !strings.Contains(out, ": 1 problem;") || !strings.Contains(out, "sliding-window-openai.yaml: error: missing") || !strings.Contains(out, "orphans not judged: "+args[0]) || !strings.Contains(errOut, "1 cassette problem\n") {
			t.Errorf("%v: exit %d; want the one missing cassette and no orphan:\n%s", args, code, out)
		}
	}
	// The cases kept hold no problem: exit 0, whatever the other
	// targets' folders hold.
	code, out, _ := runCLI(t, "lint", "--what", "cassettes", "--fixtures", "../../histories", "--target", "eu-west-2-claude-sonnet-4-6", dir)
	if code != exitOK || strings.Contains(out, "error: orphan") {
		t.Errorf("another target: exit %d\n%s", code, out)
	}
	// Over the whole matrix, a cassette no case records into is an orphan.
	if err := os.WriteFile(filepath.Join(dir, "us-east-1-nova-lite", "gone.yaml"), []byte("---\nversion: 1\ninteractions: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "lint", "--what", "cassettes", "--fixtures", "../../histories", dir); code != exitFindings || !strings.Contains(out, "gone.yaml: error: orphan") {
		t.Errorf("whole matrix: exit %d; want gone.yaml reported as an orphan\n%s", code, out)
	}
}

// TestLintMediaBytes: lint names the media Claude refuses by their bytes
// in the one-to-one request (V-39, V-40 image-size, V-37) and shows what
// the normalizer makes of them: a mislabelled image relabelled, the rest
// turned into notes, each fixture then valid.
func TestLintMediaBytes(t *testing.T) {
	dir := t.TempDir()
	png := "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
	fixture := func(block string) string {
		return `{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"What is this?"},` + block + `]}]}}`
	}
	fixtures := map[string]struct{ block, rule, code string }{
		"mislabelled.json":  {`{"image":{"format":"jpeg","source":{"bytes":"` + png + `"}}}`, "V-39 image-format-mismatch", "image-format-from-bytes"},
		"not-an-image.json": {`{"image":{"format":"png","source":{"bytes":"PGh0bWw+"}}}`, "V-39 image-unreadable", "media-to-text"},
		"not-a-pdf.json":    {`{"document":{"name":"sheet","format":"pdf","source":{"bytes":"UEsDBBQA"}}}`, "V-37 pdf-invalid", "media-to-text"},
		"not-a-docx.json":   {`{"document":{"name":"report","format":"docx","source":{"bytes":"JVBERi0xLjQK"}}}`, "V-37 document-unparsable", "media-to-text"},
	}
	for name, f := range fixtures {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(fixture(f.block)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCLI(t, "lint", "--what", "fixtures", "--output", "json", "--family", "anthropic", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, out, errOut)
	}
	var rep lintReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != len(fixtures) {
		t.Fatalf("%d results, want %d", len(rep.Results), len(fixtures))
	}
	for _, r := range rep.Results {
		f := fixtures[filepath.Base(r.File)]
		var rules, codes []string
		for _, v := range r.RawViolations {
			rules = append(rules, v.ID+" "+v.Rule)
		}
		for _, c := range r.Changes {
			codes = append(codes, string(c.Code))
		}
		if r.Error != "" || strings.Join(rules, ",") != f.rule || strings.Join(codes, ",") != f.code {
			t.Errorf("%s: error %q, raw %v, changes %v; want raw [%s], changes [%s]", r.File, r.Error, rules, codes, f.rule, f.code)
		}
	}
}
