package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/corpus"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

const importExamples = "../../bench/ingest/testdata"

func withSalt(t *testing.T) {
	t.Helper()
	t.Setenv(saltEnv, "a salt for the import tests, long enough")
}

func TestImportNeedsASalt(t *testing.T) {
	t.Setenv(saltEnv, "")
	code, _, errOut := runCLI(t, "import", "--out", t.TempDir(), filepath.Join(importExamples, "openai"))
	if code != exitUsage || !strings.Contains(errOut, "salt") || !strings.Contains(errOut, "--salt-file") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
}

func TestImportExamples(t *testing.T) {
	withSalt(t)
	out := t.TempDir()
	report := filepath.Join(t.TempDir(), "report.html")
	code, stdout, errOut := runCLI(t, "import", "-q", "--out", out, "--report", report, "--s3-mirror", filepath.Join(importExamples, "s3mirror"),
		filepath.Join(importExamples, "bedrock"), filepath.Join(importExamples, "har", "session.har"), filepath.Join(importExamples, "otel"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, errOut)
	}
	if !strings.Contains(stdout, "fixtures written") || !strings.Contains(stdout, "report in "+report) {
		t.Errorf("stdout:\n%s", stdout)
	}
	page, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(page), "<!DOCTYPE html>") {
		t.Fatalf("report: %v", err)
	}
	hs, err := history.LoadDir(out)
	if err != nil || len(hs) == 0 {
		t.Fatalf("the written fixtures do not load: %v", err)
	}
	// The fixtures lint like any other.
	if code, lout, lerr := runCLI(t, "lint", "--what", "fixtures", out); code != exitOK {
		t.Fatalf("lint of imported fixtures: exit %d\n%s%s", code, lout, lerr)
	}
	// The summary line gives the entries read and what of them was not
	// used, as the report counts them.
	jsonReport := filepath.Join(t.TempDir(), "report.json")
	out = t.TempDir()
	code, stdout, errOut = runCLI(t, "import", "-q", "--out", out, "--report", jsonReport, importExamples)
	var rep corpus.Report
	if data, err := os.ReadFile(jsonReport); err != nil || json.Unmarshal(data, &rep) != nil || code != exitOK {
		t.Fatalf("exit %d, %v\n%s", code, err, errOut)
	}
	want := fmt.Sprintf("imported %d entries (%d not model calls, %d skipped) into %s: %d conversations after dedupe, %d fixtures written; report in %s\n",
		rep.Entries, rep.Ignored, rep.Skipped, out, rep.Conversations, rep.Written, jsonReport)
	if rep.Ignored == 0 || rep.Skipped == 0 || rep.Entries <= rep.Records || stdout != want {
		t.Errorf("stdout:\n%s\nwant\n%s", stdout, want)
	}
	// Without -q, progress goes to stderr with the rate.
	code, _, errOut = runCLI(t, "import", "--out", t.TempDir(), filepath.Join(importExamples, "openai"))
	if code != exitOK || !strings.Contains(errOut, "records/s") || !strings.Contains(errOut, "100% of the input") {
		t.Errorf("progress: exit %d\n%q", code, errOut)
	}
	// --strict turns the skipped records of the examples into exit 1.
	code, _, errOut = runCLI(t, "import", "-q", "--strict", "--out", t.TempDir(), filepath.Join(importExamples, "bedrock"))
	if code != exitFindings || !strings.Contains(errOut, "--strict") || !strings.Contains(errOut, "cloudwatch.jsonl:") {
		t.Errorf("--strict: exit %d\n%s", code, errOut)
	}
}

// TestImportJobsDoNotChangeTheOutput imports the examples with one and
// with three goroutines (--jobs, and its older name --workers): the same
// files, byte for byte.
func TestImportJobsDoNotChangeTheOutput(t *testing.T) {
	withSalt(t)
	var trees []map[string]string
	for _, flag := range []string{"--jobs=1", "--jobs=3", "--workers=2"} {
		out := t.TempDir()
		code, stdout, errOut := runCLI(t, "import", "-q", flag, "--select", "all", "--out", out, "--s3-mirror", filepath.Join(importExamples, "s3mirror"), importExamples)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", flag, code, stdout, errOut)
		}
		files := map[string]string{}
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			files[strings.TrimPrefix(p, out)] = string(data)
			return err
		})
		if err != nil || len(files) < 2 {
			t.Fatalf("%s: %d files, %v", flag, len(files), err)
		}
		trees = append(trees, files)
	}
	for i := 1; i < len(trees); i++ {
		if len(trees[i]) != len(trees[0]) {
			t.Fatalf("run %d wrote %d files, run 0 wrote %d", i, len(trees[i]), len(trees[0]))
		}
		for name, data := range trees[0] {
			if trees[i][name] != data {
				t.Errorf("run %d: %s differs", i, name)
			}
		}
	}
	if code, _, errOut := runCLI(t, "import", "--jobs=-1", "--out", t.TempDir(), importExamples); code != exitUsage || !strings.Contains(errOut, "--jobs") {
		t.Errorf("--jobs=-1: exit %d\n%s", code, errOut)
	}
}

func TestImportShardsAndMerge(t *testing.T) {
	withSalt(t)
	src := filepath.Join(importExamples, "openai")
	var dirs []string
	for _, s := range []string{"0/2", "1/2"} {
		d := t.TempDir()
		if code, _, errOut := runCLI(t, "import", "-q", "--select", "all", "--shard", s, "--out", d, src); code != exitOK {
			t.Fatalf("--shard %s: exit %d\n%s", s, code, errOut)
		}
		dirs = append(dirs, d)
	}
	merged := t.TempDir()
	code, stdout, errOut := runCLI(t, append([]string{"import", "--merge", "--report", "-", "--out", merged}, dirs...)...)
	if code != exitOK || !strings.Contains(stdout, "conversations") {
		t.Fatalf("merge: exit %d\n%s%s", code, stdout, errOut)
	}
	whole := t.TempDir()
	runCLI(t, "import", "-q", "--select", "all", "--out", whole, src)
	a, _ := history.Files(merged)
	b, _ := history.Files(whole)
	if len(a) != len(b) || len(a) == 0 {
		t.Errorf("merged %d fixtures, one run %d", len(a), len(b))
	}
	for _, bad := range []string{"2/2", "x", "1/0"} {
		if code, _, _ := runCLI(t, "import", "--shard", bad, src); code != exitUsage {
			t.Errorf("--shard %s: exit %d", bad, code)
		}
	}
	// --shard with --merge was ignored: the merge joined every shard.
	into := t.TempDir()
	code, _, errOut = runCLI(t, append([]string{"import", "--merge", "--shard", "0/2", "--out", into}, dirs...)...)
	if code != exitUsage || !strings.Contains(errOut, "--merge joins the --out folders of every shard; --shard 0/2") {
		t.Errorf("--merge --shard 0/2: exit %d\n%s", code, errOut)
	}
	if files, _ := history.Files(into); len(files) != 0 {
		t.Errorf("--merge --shard wrote %d fixtures", len(files))
	}
	// With no folders, --merge asks for the shards' folders, not for a
	// SOURCE.
	code, _, errOut = runCLI(t, "import", "--merge", "--out", t.TempDir())
	if code != exitUsage || !strings.Contains(errOut, "name the --out folders of every shard to merge") || strings.Contains(errOut, "SOURCE") {
		t.Errorf("--merge with no folders: exit %d\n%s", code, errOut)
	}
}

func TestImportUsage(t *testing.T) {
	withSalt(t)
	for _, args := range [][]string{{"import"}, {"import", "--from", "csv", "x"}, {"import", "--select", "some", "x"}, {"import", "/nonexistent/logs"}} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	code, out, _ := runCLI(t, "import", "--help")
	if code != exitOK || !strings.Contains(out, "--shard") {
		t.Errorf("help: %d %s", code, out)
	}
	// --out names the manifest file the import writes.
	if !strings.Contains(out, corpus.ManifestName) || strings.Contains(out, "import-manifest.json") {
		t.Errorf("help for --out should name %s, the file written:\n%s", corpus.ManifestName, out)
	}
}

func TestLintReport(t *testing.T) {
	report := filepath.Join(t.TempDir(), "lint.json")
	code, _, errOut := runCLI(t, "lint", "--report", report, "../../histories")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	data, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(data), `"family": "anthropic"`) || !strings.Contains(string(data), `"example": "resume/`) {
		t.Fatalf("report: %v\n%.2000s", err, data)
	}
}

// bedrock-bench.yaml supplies what the flags leave unset: the salt file,
// the terms and patterns files, and the folder fixtures go to. A flag
// still wins.
func TestImportTakesSettingsFromTheProjectFile(t *testing.T) {
	t.Setenv(saltEnv, "")
	src, err := filepath.Abs(filepath.Join(importExamples, "openai"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"bedrock-bench.yaml": "histories: fixtures\nimport:\n  dir: fixtures/from-logs\nredaction:\n  saltFile: salt.txt\n  termsFile: terms.txt\n  patternsFile: patterns.txt\n",
		"salt.txt":           "a project salt, long enough for pseudonyms\n",
		"terms.txt":          "# code names\nProject Bluebird\n",
		"patterns.txt":       "ORDER-[0-9]{6}\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A log whose text holds the project's code name and an order number.
	logs := filepath.Join(dir, "logs.jsonl")
	os.WriteFile(logs, []byte(`{"model":"gpt-4o","messages":[{"role":"user","content":"Ship Project Bluebird order ORDER-123456 today."}]}`+"\n"), 0o644)
	t.Chdir(dir)
	if code, out, errOut := runCLI(t, "import", "-q", "--select", "all", src, logs); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	imported := filepath.Join(dir, "fixtures", "from-logs")
	hs, err := history.LoadDir(imported)
	if err != nil || len(hs) == 0 {
		t.Fatalf("no fixtures in the project's import folder: %v", err)
	}
	found := false
	filepath.WalkDir(imported, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), "Project Bluebird") || strings.Contains(string(data), "ORDER-123456") {
			t.Errorf("%s keeps a term or pattern the project redacts", p)
		}
		found = found || strings.Contains(string(data), "today")
		return nil
	})
	if !found {
		t.Error("the log with the code name was not imported")
	}
	// A flag wins over the file.
	flagOut := filepath.Join(dir, "elsewhere")
	if code, out, errOut := runCLI(t, "import", "-q", "--select", "all", "--out", flagOut, src); code != exitOK {
		t.Fatalf("--out: exit %d\n%s%s", code, out, errOut)
	}
	if hs, err := history.LoadDir(flagOut); err != nil || len(hs) == 0 {
		t.Fatalf("--out ignored: %v", err)
	}
	// A salt file the project names but that is missing is a usage error
	// naming it.
	os.Remove(filepath.Join(dir, "salt.txt"))
	// naming it and the setting it came from (not --salt-file, which was
	// not given), and how to make one.
	code, _, errOut := runCLI(t, "import", "-q", "--out", t.TempDir(), src)
	if code != exitUsage || !strings.Contains(errOut, "bedrock-bench.yaml: redaction.saltFile") || !strings.Contains(errOut, "salt.txt: no such file") ||
		strings.Contains(errOut, "--salt-file") || !strings.Contains(errOut, "head -c 32 /dev/urandom") {
		t.Errorf("missing salt file: exit %d %s", code, errOut)
	}
	// $BEDROCK_BENCH_SALT wins over the project's file, as a CI job
	// gives the salt, without the file kept out of git.
	t.Setenv(saltEnv, "a salt from the environment, long enough")
	if code, out, errOut := runCLI(t, "import", "-q", "--out", t.TempDir(), src); code != exitOK {
		t.Errorf("salt in the environment, project's salt file absent: exit %d\n%s%s", code, out, errOut)
	}
}

// A salt file is read only so far: a device or a large file named by
// mistake is refused at once, naming the file, instead of read without
// end (/dev/zero held import and capture forever).
func TestSaltFileIsBounded(t *testing.T) {
	t.Setenv(saltEnv, "")
	big := filepath.Join(t.TempDir(), "salt")
	if err := os.WriteFile(big, []byte(strings.Repeat("0123456789abcdef", 1<<16)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", "--out", t.TempDir(), filepath.Join(importExamples, "openai")},
		{"capture", "--upstream", "http://127.0.0.1:1", "--listen", "127.0.0.1:0", "--out", t.TempDir()},
	} {
		// A capture that took the salt would serve until stopped.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var stdout, stderr bytes.Buffer
		code := run(ctx, append(args, "--salt-file", big), &stdout, &stderr)
		cancel()
		if errOut := stderr.String(); code != exitUsage || !strings.Contains(errOut, big) || !strings.Contains(errOut, "larger than") {
			t.Errorf("%s: exit %d\n%s", args[0], code, errOut)
		}
	}
}

// Where import and lint write is checked before the input is read, and
// --max and --max-record take only what they can mean. Before, an --out
// or --report in the way failed at the end of the run (a --report that
// is a folder said "rename ...: file exists"), --max -1 meant no limit
// and --max-record 0 or -1 the default.
func TestImportAndLintCheckTheirOutputFirst(t *testing.T) {
	withSalt(t)
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	os.WriteFile(file, nil, 0o644)
	src := filepath.Join(importExamples, "openai")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--out", file, src}, "--out " + file + " is a file, not a folder"},
		{[]string{"import", "--out", filepath.Join(file, "sub"), src}, file + " is a file, not a folder"},
		{[]string{"import", "--out", filepath.Join(tmp, "out"), "--report", tmp, src}, "--report " + tmp + " is a folder"},
		{[]string{"import", "--out", filepath.Join(tmp, "out"), "--report", filepath.Join(file, "r.json"), src}, "--report " + filepath.Join(file, "r.json") + ": " + file + " is a file, so r.json cannot be written under it"},
		{[]string{"import", "--out", filepath.Join(tmp, "out"), "--report", filepath.Join(file, "a", "r.json"), src}, "--report " + filepath.Join(file, "a", "r.json") + ": " + file + " is a file, so a/r.json cannot be written under it"},
		{[]string{"import", "--out", filepath.Join(tmp, "out"), "--max", "-1", src}, "--max -1"},
		{[]string{"import", "--out", filepath.Join(tmp, "out"), "--max-record", "0", src}, "--max-record 0"},
		{[]string{"import", "--out", filepath.Join(tmp, "out"), "--max-record", "-1", src}, "--max-record -1"},
		{[]string{"lint", "--report", tmp, "../../histories"}, "--report " + tmp + " is a folder"},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, want 2 and %q\n%s%s", c.args, code, c.want, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "out")); !os.IsNotExist(err) {
		t.Errorf("a refused import wrote its --out folder: %v", err)
	}
}

// TestImportProgressInALog: where stderr is not a terminal (a CI log, a
// file), the progress is plain lines, with no carriage return or escape
// sequence that a log would show as garbage; the last progress line
// gives the records read (the records skipped are listed after it).
func TestImportProgressInALog(t *testing.T) {
	withSalt(t)
	code, _, errOut := runCLI(t, "import", "--out", t.TempDir(), filepath.Join(importExamples, "openai"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if strings.ContainsAny(errOut, "\r\033") {
		t.Errorf("progress written for a terminal into a log: %q", errOut)
	}
	progress, _, _ := strings.Cut(errOut, "import: 2 records skipped:\n")
	if !strings.Contains(progress, "import: ") || !strings.HasSuffix(progress, "elapsed\n") {
		t.Errorf("no final progress line: %q", errOut)
	}
}

// TestImportWarnsOfAnEarlierImportsFixtures: importing into a folder an
// earlier import wrote leaves its fixtures (the user's files), and says
// how many the new manifest does not list, -q or not: lint, replay and
// record read them with the new ones. Before, "4 fixtures written" while
// the folder held 11.
func TestImportWarnsOfAnEarlierImportsFixtures(t *testing.T) {
	withSalt(t)
	out := t.TempDir()
	first, second := filepath.Join(importExamples, "openai"), filepath.Join(importExamples, "anthropic")
	if code, _, errOut := runCLI(t, "import", "-q", "--select", "all", "--out", out, first); code != exitOK || strings.Contains(errOut, "not from this import") {
		t.Fatalf("into an empty folder: exit %d\n%s", code, errOut)
	}
	earlier, _ := history.Files(out)
	// The same import again replaces its own fixtures: nothing to say.
	if code, _, errOut := runCLI(t, "import", "-q", "--select", "all", "--out", out, first); code != exitOK || strings.Contains(errOut, "not from this import") {
		t.Fatalf("the same import again: exit %d\n%s", code, errOut)
	}
	code, _, errOut := runCLI(t, "import", "-q", "--select", "all", "--out", out, second)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	all, _ := history.Files(out)
	man, err := corpus.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	stray := len(all) - len(man.Fixtures)
	if stray <= 0 || stray != len(earlier) {
		t.Fatalf("%d fixtures, %d listed, %d from the earlier import: the case does not exercise the warning", len(all), len(man.Fixtures), len(earlier))
	}
	want := fmt.Sprintf("import: warning: %d fixtures in %s are not from this import (an earlier one's): lint, replay and record read them too; remove them or import into an empty folder", stray, out)
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
	for _, f := range earlier {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("an earlier fixture was removed: %v", err)
		}
	}
}
