package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/internal/shellwords"
)

// copyCassettes copies the committed cassettes of the resume/ histories
// of one target into a fresh folder.
func copyCassettes(t *testing.T, target string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("../../cassettes", target, "resume")
	files, _ := filepath.Glob(filepath.Join(src, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no committed cassettes under " + src)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, target, "resume", filepath.Base(f))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func lines(s string) int { return strings.Count(strings.TrimRight(s, "\n"), "\n") + 1 }

func TestLintModeIsExplicit(t *testing.T) {
	// "." is neither the fixture folder nor the cassette folder: one line
	// and exit 2, not hundreds of bogus problems.
	code, out, errOut := runCLI(t, "lint", "../..")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "say which it holds with --what fixtures or --what cassettes") || lines(errOut) != 2 {
		t.Errorf("lint ../..: exit %d\n%s\n%s", code, out, errOut)
	}
	// One cassette file: that case only, with its real path.
	one := "../../cassettes/us-east-1-nova-lite/resume/sliding-window-openai.yaml"
	code, out, errOut = runCLI(t, "lint", one)
	if code != exitOK || !strings.Contains(out, "1 case checked: 0 problems") {
		t.Errorf("lint one cassette: exit %d\n%s\n%s", code, out, errOut)
	}
	// A cassette is never linted as a fixture.
	code, _, errOut = runCLI(t, "lint", "--what", "fixtures", one)
	if code != exitUsage || !strings.Contains(errOut, "is a cassette, not a fixture") {
		t.Errorf("cassette as fixture: exit %d\n%s", code, errOut)
	}
	// Fixture flags and cassette flags do not mix.
	code, _, errOut = runCLI(t, "lint", "--family", "nova", "../../cassettes")
	if code != exitUsage || !strings.Contains(errOut, "--family applies to fixtures") {
		t.Errorf("--family on cassettes: exit %d\n%s", code, errOut)
	}
}

func TestRecordWithoutCredentials(t *testing.T) {
	noCredentials(t)
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "record", "--cassettes", dir)
	if code != exitUsage || out != "" || lines(errOut) != 1 || !strings.Contains(errOut, "no AWS credentials") || !strings.Contains(errOut, "--endpoint emulator") {
		t.Errorf("exit %d, want 2 and one line suggesting the emulator\nstdout %q\nstderr %q", code, out, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("record without credentials wrote %d entries", len(entries))
	}
	// converse and preflight toward AWS say the same in one line, with
	// the way to the emulator, rather than the SDK's error per call.
	for _, args := range [][]string{
		{"converse", "--region", "us-east-1", "--model", "amazon.nova-micro-v1:0", "hi"},
		{"preflight", "--region", "us-east-1", "--model", "amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"},
		{"preflight", "--matrix", "--region", "us-east-1", "--model", "amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || out != "" || lines(errOut) != 1 || !strings.Contains(errOut, "no AWS credentials") || !strings.Contains(errOut, "bedrock-bench emulate") {
			t.Errorf("%v: exit %d, want 2 and one line suggesting the emulator\nstdout %q\nstderr %q", args, code, out, errOut)
		}
	}
}

func TestReplayWithoutCassettes(t *testing.T) {
	empty := t.TempDir()
	for _, dir := range []string{filepath.Join(empty, "missing"), empty} {
		code, out, errOut := runCLI(t, "replay", "--cassettes", dir)
		if code != exitUsage || out != "" || lines(errOut) != 1 || !strings.Contains(errOut, "record first") {
			t.Errorf("%s: exit %d, want 2 and one line\nstdout %q\nstderr %q", dir, code, out, errOut)
		}
	}
}

func TestReplayCorruptCassette(t *testing.T) {
	dir := copyCassettes(t, "us-east-1-nova-lite")
	cut := filepath.Join(dir, "us-east-1-nova-lite", "resume", "sliding-window-openai.yaml")
	data, _ := os.ReadFile(cut)
	os.WriteFile(cut, data[:len(data)/2], 0o644)
	code, out, _ := runCLI(t, "replay", "--cassettes", dir, "--target", "us-east-1-nova-lite", "--histories", "resume/sliding-window-openai")
	// The advice comes once, with the command for this case.
	if code != exitFindings || !strings.Contains(out, "corrupt or truncated cassette "+cut) || strings.Contains(out, "stale") ||
		strings.Count(out, "re-record") != 1 || !strings.Contains(out, "restore it (git checkout -- "+cut+") or re-record with bedrock-bench record --target us-east-1-nova-lite") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestConflictingFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"converse", "--model", "m", "--history", "x.json", "hello"}, "not both"},
		{[]string{"converse", "--model", "m", "--raw", "hello"}, "--raw applies to --history"},
		{[]string{"converse", "--model", "m", "--endpoint", "localhost:8787", "hi"}, "want a URL such as http://127.0.0.1:8787"},
		{[]string{"converse", "--model", "m", "--timeout", "0s", "hi"}, "--timeout 0s"},
		{[]string{"replay", "--targets", "t.yaml", "--region", "us-east-1", "--model", "m"}, "--targets and --region/--model exclude each other"},
		{[]string{"record", "--target", "x", "--region", "us-east-1", "--model", "m"}, "--target and --region/--model exclude each other"},
		{[]string{"replay", "--region", "us-east-1"}, "--region and --model go together"},
		{[]string{"replay", "--concurrency", "0"}, "--concurrency 0: want at least 1"},
		{[]string{"record", "--concurrency", "0"}, "--concurrency 0: want at least 1"},
		{[]string{"record", "--endpoint", "ftp://x"}, "--endpoint \"ftp://x\""},
		{[]string{"replay", "--shard", "3/2"}, "--shard: shard \"3/2\""},
		{[]string{"lint", "--what", "both"}, "--what \"both\""},
		{[]string{"lint", "-v", "--output", "json"}, "-v is ignored with --output json"},
		{[]string{"replay", "--emulator", "--cassettes", "x"}, "--cassettes is ignored with --emulator"},
		{[]string{"replay", "cassettes/"}, "replay takes flags only"},
		{[]string{"record", "cassettes/"}, "record takes flags only"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestConverseEdges(t *testing.T) {
	isolateAWS(t)
	// Nothing listens: exit 2, a hint to start the emulator, no --help line.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	code, _, errOut := runCLI(t, "converse", "--endpoint", "http://"+addr, "--region", "us-east-1", "--model", "us.amazon.nova-lite-v1:0", "hi")
	if code != exitUsage || !strings.Contains(errOut, "start the emulator first (bedrock-bench emulate)") || strings.Contains(errOut, "--help") {
		t.Errorf("refused: exit %d\n%s", code, errOut)
	}
	// A server that never answers: the timeout.
	ln, _ = net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	code, _, errOut = runCLI(t, "converse", "--endpoint", "http://"+ln.Addr().String(), "--region", "us-east-1", "--model", "us.amazon.nova-lite-v1:0", "--timeout", "300ms", "hi")
	if code != exitUsage || !strings.Contains(errOut, "no answer within 300ms") {
		t.Errorf("timeout: exit %d\n%s", code, errOut)
	}
}

func TestShardFlags(t *testing.T) {
	total := 0
	names := map[string]bool{}
	for _, sh := range []string{"1/3", "2/3", "3/3"} {
		code, out, errOut := runCLI(t, "replay", "--shard", sh, "--output", "json")
		var rep struct {
			Cases []struct {
				Target, History string
			} `json:"cases"`
			Summary replaySummary `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil {
			t.Fatalf("shard %s: exit %d %v\n%s", sh, code, err, errOut)
		}
		if rep.Summary.Cases != len(rep.Cases) || rep.Summary.Pass != len(rep.Cases) || !strings.Contains(rep.Summary.Source, "shard "+sh) {
			t.Errorf("shard %s summary: %+v", sh, rep.Summary)
		}
		for _, c := range rep.Cases {
			n := c.Target + "/" + c.History
			if names[n] {
				t.Errorf("%s in two shards", n)
			}
			names[n] = true
		}
		total += len(rep.Cases)
	}
	_, out, _ := runCLI(t, "replay", "--output", "json")
	var all struct{ Summary replaySummary }
	json.Unmarshal([]byte(out), &all)
	if total != all.Summary.Cases || total == 0 {
		t.Errorf("shards hold %d cases, all of them %d", total, all.Summary.Cases)
	}
	t.Setenv("BEDROCK_BENCH_SHARD", "2/3")
	_, out, _ = runCLI(t, "replay")
	if !strings.Contains(out, "shard 2/3") {
		t.Errorf("$BEDROCK_BENCH_SHARD ignored:\n%s", out)
	}
	// lint checks every cassette whatever the shard: no false orphans.
	code, out, _ := runCLI(t, "lint", "../../cassettes")
	if code != exitOK || !strings.Contains(out, " cases checked: 0 problems") {
		t.Errorf("lint cassettes with a shard in the environment: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "lint", "--shard", "1/2", "../../cassettes"); code != exitUsage || !strings.Contains(errOut, "lint checks every cassette") {
		t.Errorf("lint --shard: exit %d\n%s", code, errOut)
	}
}

func TestConfigCommand(t *testing.T) {
	code, out, _ := runCLI(t, "config", "--cassettes", "/tmp/elsewhere")
	for _, want := range []string{
		`file\s+\.\./\.\./bedrock-bench.yaml\s+searched`,
		`cassettes\s+/tmp/elsewhere\s+flag --cassettes`,
		`histories\s+\.\./\.\./histories\s+\.\./\.\./bedrock-bench.yaml:5`,
		`targets\s+us-east-1-nova-lite, eu-west-2-claude-sonnet-4-6`,
		`converter\s+\(built-in normalizer\)\s+default`,
	} {
		if code != exitOK || !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("config: exit %d, no %q in\n%s", code, want, out)
		}
	}
	code, out, _ = runCLI(t, "config", "--output", "json")
	var rep struct {
		Settings []struct{ Key, Value, Source string }
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || len(rep.Settings) < 5 || rep.Settings[1].Key != "histories" {
		t.Errorf("config json: exit %d %v\n%s", code, err, out)
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		code, out, _ := runCLI(t, arg)
		if code != exitOK || !strings.HasPrefix(out, "bedrock-bench ") || !strings.Contains(out, "revision ") {
			t.Errorf("%s: exit %d\n%s", arg, code, out)
		}
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/bedrock-bench/bedrock-bench", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := "bedrock-bench v1.4.0\nmodule github.com/bedrock-bench/bedrock-bench\nrevision 0123abcd (2026-12-01T10:00:00Z, with uncommitted changes)\ngo1.26.8\n"
	if got := versionText(bi, true); got != want {
		t.Errorf("versionText:\n%s\nwant\n%s", got, want)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/acme/chat-service\n\ngo 1.26\n"), 0o644)
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	code, out, errOut := runCLI(t, "init")
	if code != exitOK {
		t.Fatalf("init: exit %d\n%s\n%s", code, out, errOut)
	}
	next := out[strings.Index(out, "Next:\n")+6:]
	if strings.Join(strings.Fields(next), " ") != "go mod tidy go test . -run TestBedrockBench -record -endpoint emulator go test ./..." || lines(next) != 3 {
		t.Errorf("next commands:\n%s", next)
	}
	test, _ := os.ReadFile("bedrock_bench_test.go")
	if !bytes.HasPrefix(test, []byte("package chatservice\n")) {
		t.Errorf("test file:\n%s", test)
	}
	fixtures, _ := filepath.Glob("histories/*/*.json")
	if len(fixtures) != 3 {
		t.Errorf("%d example fixtures", len(fixtures))
	}
	// Lint accepts them, config finds the file.
	if code, out, _ := runCLI(t, "lint"); code != exitOK || !strings.Contains(out, "3 fixtures") {
		t.Errorf("lint after init: exit %d\n%s", code, out)
	}
	// Never overwrites: a second run, or a run with any file in the way.
	before, _ := os.ReadFile("bedrock-bench.yaml")
	code, _, errOut = runCLI(t, "init")
	if code != exitUsage || !strings.Contains(errOut, "init never overwrites") {
		t.Errorf("second init: exit %d\n%s", code, errOut)
	}
	after, _ := os.ReadFile("bedrock-bench.yaml")
	if !bytes.Equal(before, after) {
		t.Error("second init changed bedrock-bench.yaml")
	}
	os.Remove("bedrock-bench.yaml")
	code, _, errOut = runCLI(t, "init")
	if code != exitUsage || !strings.Contains(errOut, "already exists; init never overwrites") {
		t.Errorf("init over files: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat("bedrock-bench.yaml"); err == nil {
		t.Error("a refused init wrote bedrock-bench.yaml")
	}
}

// ptyRun runs the CLI with stdout and stderr on a pseudo-terminal of the
// given width and returns everything the terminal received.
func ptyRun(t *testing.T, cols uint16, env map[string]string, args ...string) (int, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	t.Setenv("TERM", "xterm")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); io.Copy(&buf, ptmx) }()
	code := run(context.Background(), args, tty, tty)
	tty.Close()
	wg.Wait()
	return code, buf.String()
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func TestProgressBarClippedInATerminal(t *testing.T) {
	isolateAWS(t)
	code, out := ptyRun(t, 60, nil, "record", "--endpoint", "emulator", "--cassettes", t.TempDir(), "--histories", "resume/*")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "[###") {
		t.Fatalf("no progress bar on a terminal:\n%q", out)
	}
	for _, seg := range regexp.MustCompile(`[\r\n]+`).Split(out, -1) {
		if !strings.Contains(seg, "[#") && !strings.Contains(seg, "[.") {
			continue // not the bar: ordinary lines wrap as lines do
		}
		if n := len([]rune(ansi.ReplaceAllString(seg, ""))); n >= 60 {
			t.Errorf("a %d-column line on a 60-column terminal wraps: %q", n, seg)
		}
	}
}

func TestTableFitsAndColor(t *testing.T) {
	dir := copyCassettes(t, "us-east-1-nova-lite")
	os.Remove(filepath.Join(dir, "us-east-1-nova-lite", "resume", "sliding-window-openai.yaml"))
	args := []string{"replay", "--cassettes", dir, "--target", "us-east-1-nova-lite", "--histories", "resume/*"}
	code, out := ptyRun(t, 80, map[string]string{"NO_COLOR": ""}, args...)
	if code != exitFindings || !strings.Contains(out, "\x1b[1;31mFAIL\x1b[0m") {
		t.Errorf("FAIL not colored on a terminal: exit %d\n%q", code, out)
	}
	table := out[:strings.Index(out, "\n\r\n")]
	for _, l := range strings.Split(table, "\n") {
		if n := len([]rune(ansi.ReplaceAllString(strings.TrimRight(l, "\r"), ""))); n >= 80 {
			t.Errorf("a %d-column table line on an 80-column terminal: %q", n, l)
		}
	}
	if !strings.Contains(table, "…") {
		t.Errorf("long ids not shortened in the middle:\n%s", table)
	}
	_, out = ptyRun(t, 80, map[string]string{"NO_COLOR": "1"}, args...)
	if strings.Contains(out, "\x1b[1;31m") || !strings.Contains(out, "FAIL") {
		t.Errorf("NO_COLOR not honoured:\n%q", out)
	}
	// lint's table fits too.
	_, out = ptyRun(t, 80, nil, "lint")
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(l, " fixtures for family ") {
			continue // the summary sentence wraps as sentences do
		}
		if n := len([]rune(strings.TrimRight(l, "\r"))); n >= 80 {
			t.Errorf("a %d-column lint line on an 80-column terminal: %q", n, l)
		}
	}
	// Not a terminal: full ids, no color.
	_, plain, _ := runCLI(t, args...)
	if strings.Contains(plain, "\x1b[") || !strings.Contains(plain, "resume/window-cut-orphan-result-openai") {
		t.Errorf("plain output:\n%s", plain)
	}
}

func TestConverseExplainsErrors(t *testing.T) {
	isolateAWS(t)
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	code, _, errOut := runCLI(t, "converse", "--endpoint", hs.URL, "--region", "ap-south-1", "--model", "meta.llama3-3-70b-instruct-v1:0", "Hi")
	if code != exitFindings || !strings.Contains(errOut, "ValidationException: The provided model identifier is invalid.") || !strings.Contains(errOut, "(this is not an IAM problem)") || !strings.Contains(errOut, "us-east-2 (on demand)") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	// A model past its end of life is served nowhere: no Region is
	// offered as the way out (Claude 3.5 Haiku, end of life 2026-06-19).
	code, _, errOut = runCLI(t, "converse", "--endpoint", hs.URL, "--region", "ap-south-1", "--model", "anthropic.claude-3-5-haiku-20241022-v1:0", "Hi")
	if code != exitFindings || !strings.Contains(errOut, "It reached its end of life on 2026-06-19, so no Region serves it") || strings.Contains(errOut, "offered in:") {
		t.Errorf("retired model: exit %d\n%s", code, errOut)
	}
}

func TestConverterCommand(t *testing.T) {
	code, _, errOut := runCLI(t, "converter")
	if code != exitUsage || !strings.Contains(errOut, "no converter: set converter.command") {
		t.Errorf("no converter: exit %d\n%s", code, errOut)
	}
	// A converter that never answers fails every case; the summary says
	// so rather than that its requests break the contract.
	code, _, errOut = runCLI(t, "converter", "--command", "true", "--target", "us-east-1-nova-lite", "--histories", "tools/missing-*")
	if code != exitFindings || !strings.Contains(errOut, "the converter failed in 2 of 2 cases, and its request breaks the Converse contract in 0") {
		t.Errorf("a converter that never answers: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat("../../examples/vercel-ai-sdk/node_modules/ai"); err != nil {
		t.Skip("examples/vercel-ai-sdk: run npm ci there first")
	}
	// Paths in the command are relative to the project's directory.
	code, out, errOut := runCLI(t, "converter", "--command", "node examples/vercel-ai-sdk/convert.mjs", "--target", "us-east-1-nova-lite", "--histories", "tools/missing-*", "--output", "json")
	var rep struct {
		Rows []converterRow `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFindings {
		t.Fatalf("exit %d %v\n%s\n%s", code, err, out, errOut)
	}
	got := map[string]string{}
	for _, r := range rep.Rows {
		got[r.History] = strings.Join(r.BuiltIn, ",") + " | " + strings.Join(r.Converter, ",")
	}
	if got["tools/missing-result-openai"] != " | V-19 missing-tool-results" {
		t.Errorf("rows: %v", got)
	}
}

// TestAdHocTargetFromAnARN: a cassette path derived from an ARN holds no
// account id.
func TestAdHocTargetFromAnARN(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	arn := "arn:aws:bedrock:us-east-1:" + emulator.DefaultAccount + ":inference-profile/us.amazon.nova-lite-v1:0"
	code, out, errOut := runCLI(t, "record", "--endpoint", "emulator", "--cassettes", dir, "--region", "us-east-1", "--model", arn, "--histories", "clean/simple-chat-openai")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "clean", "*.yaml"))
	if len(files) != 1 || filepath.Base(filepath.Dir(filepath.Dir(files[0]))) != "us-east-1-us.amazon.nova-lite-v1-0" {
		t.Fatalf("cassettes: %v", files)
	}
	if strings.Contains(files[0], emulator.DefaultAccount) {
		t.Errorf("the cassette path holds the account id: %s", files[0])
	}
}

// TestInitWritesAllOrNothing: a file where init needs a folder, or a
// write that fails, leaves the directory as it was; before, init wrote
// the project file, the test file and cassettes/ and then failed, and a
// second run refused to overwrite them.
func TestInitWritesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/acme/chat-service\n\ngo 1.26\n"), 0o644)
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	os.Mkdir("histories", 0o755)
	os.WriteFile(filepath.Join("histories", "clean"), nil, 0o644)
	code, out, errOut := runCLI(t, "init")
	if code != exitUsage || !strings.Contains(errOut, "histories/clean is a file") || out != "" {
		t.Errorf("init with a file in the way: exit %d\n%s%s", code, out, errOut)
	}
	// A folder init cannot write into: histories/resume, left read-only
	// (a path under a file, as the permission bits do not stop root).
	os.Remove(filepath.Join("histories", "clean"))
	os.WriteFile("blocker", nil, 0o644)
	os.Symlink(filepath.Join("..", "blocker", "x"), filepath.Join("histories", "tools"))
	code, out, errOut = runCLI(t, "init")
	if code != exitUsage || !strings.Contains(errOut, "init wrote nothing") {
		t.Errorf("init with a folder it cannot write: exit %d\n%s%s", code, out, errOut)
	}
	entries, _ := os.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "blocker go.mod histories" {
		t.Errorf("a failed init left %v", names)
	}
	if entries, _ := os.ReadDir("histories"); len(entries) != 1 {
		t.Errorf("a failed init left %d entries in histories/", len(entries))
	}
}

// The test file init writes joins the package its folder holds: with no
// Go files there yet, the package the go command names after the folder.
func TestInitPackageName(t *testing.T) {
	for _, tc := range []struct{ module, sub, want string }{
		{"example.com/acme/chat-service", "", "chatservice"},
		{"example.com/acme/chat-service", "internal/llm", "llm"},
		{"example.com/acme/chat-service", "internal/bedrock-client", "bedrockclient"},
		{"example.com/acme/chat/v2", "", "chat"},
		{"example.com/acme/chat/v2", "service", "service"},
		{"gopkg.in/acme/chat.v3", "", "chat"},
		{"example.com/acme/2024", "", "app"},
		{"example.com/acme/chat", "internal/1st", "app"},
	} {
		root := t.TempDir()
		os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+tc.module+"\n\ngo 1.26\n"), 0o644)
		dir := filepath.Join(root, filepath.FromSlash(tc.sub))
		os.MkdirAll(dir, 0o755)
		got, err := packageName(dir)
		if err != nil || got != tc.want {
			t.Errorf("module %s, folder %q: package %q, %v; want %q", tc.module, tc.sub, got, err, tc.want)
		}
	}
}

// TestInitPackageNameSkipsIgnoredFiles: the test file init writes joins
// the package the go command builds from the folder's files. A generator
// kept beside the code (//go:build ignore, package main, the go generate
// idiom) or a file for another system is left out, as the go command
// leaves it out; an external test package (chat_test) names chat. The
// first file in name order gave the name: "package main", and the test
// did not compile ("found packages main (bedrock_bench_test.go) and chat
// (hello.go)"). A folder holding two packages is refused, naming them.
func TestInitPackageNameSkipsIgnoredFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"ignored generator", map[string]string{
			"gen.go":   "//go:build ignore\n\n// gen writes table.go.\npackage main\n\nfunc main() {}\n",
			"hello.go": "package chat\n\nfunc Hello() string { return \"hi\" }\n",
		}, "chat"},
		{"another system's file", map[string]string{
			"a_plan9.go": "package other\n",
			"hello.go":   "package chat\n",
		}, "chat"},
		{"external test first", map[string]string{
			"a_test.go": "package chat_test\n",
			"hello.go":  "package chat\n",
		}, "chat"},
		{"only an external test", map[string]string{
			"hello_test.go": "package chat_test\n",
		}, "chat"},
		{"only an ignored file", map[string]string{
			"gen.go": "//go:build ignore\n\npackage main\n",
		}, "app"},
	} {
		root := t.TempDir()
		os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/acme/app\n\ngo 1.26\n"), 0o644)
		for name, body := range tc.files {
			os.WriteFile(filepath.Join(root, name), []byte(body), 0o644)
		}
		got, err := packageName(root)
		if err != nil || got != tc.want {
			t.Errorf("%s: package %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/acme/app\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(root, "a.go"), []byte("package one\n"), 0o644)
	os.WriteFile(filepath.Join(root, "b.go"), []byte("package two\n"), 0o644)
	if got, err := packageName(root); err == nil || !strings.Contains(err.Error(), "holds packages one (a.go) and two (b.go)") {
		t.Errorf("two packages in one folder: %q, %v; want them named", got, err)
	}
}

// TestInitNeedsAModule: init refuses a folder outside any module and
// writes nothing, whether or not it holds .go files (with them, it wrote
// the project and printed "go mod tidy", which then failed for want of a
// go.mod).
func TestInitNeedsAModule(t *testing.T) {
	for _, files := range [][]string{nil, {"foo.go"}} {
		dir := t.TempDir()
		for _, f := range files {
			os.WriteFile(filepath.Join(dir, f), []byte("package foo\n"), 0o644)
		}
		t.Chdir(dir)
		code, _, errOut := runCLI(t, "init")
		if code != exitUsage || !strings.Contains(errOut, "no go.mod here or above: run go mod init first") {
			t.Errorf("files %v: exit %d, %s", files, code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "bedrock-bench.yaml")); err == nil {
			t.Errorf("files %v: init wrote bedrock-bench.yaml outside a module", files)
		}
	}
}

// TestConfigSaltSource: $BEDROCK_BENCH_SALT wins over the project's
// redaction.saltFile (README "Import your production histories"), so config
// names the environment as the salt in effect, not the file.
func TestConfigSaltSource(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bedrock-bench.yaml"), []byte("redaction:\n  saltFile: .salt\n"), 0o644)
	t.Chdir(dir)
	row := func(out, key string) string {
		for line := range strings.Lines(out) {
			if f := strings.Fields(line); len(f) > 0 && f[0] == key {
				return strings.Join(f[1:], " ")
			}
		}
		return ""
	}
	t.Setenv(saltEnv, "")
	code, out, _ := runCLI(t, "config")
	if got := row(out, "salt"); code != exitOK || got != ".salt bedrock-bench.yaml:1 (redaction.saltFile)" {
		t.Errorf("config without $%s: salt row %q\n%s", saltEnv, got, out)
	}
	t.Setenv(saltEnv, "0123456789abcdef0123")
	code, out, _ = runCLI(t, "config")
	if got := row(out, "salt"); code != exitOK || got != "$BEDROCK_BENCH_SALT environment (a --salt-file flag wins)" {
		t.Errorf("config with $%s: salt row %q\n%s", saltEnv, got, out)
	}
	if got := row(out, "redaction.saltFile"); !strings.Contains(got, "not in effect: $BEDROCK_BENCH_SALT is set") {
		t.Errorf("config with $%s: the file's row %q does not say it is overridden", saltEnv, got)
	}
	if strings.Contains(out, "0123456789abcdef0123") {
		t.Errorf("config prints the salt itself:\n%s", out)
	}
	os.Remove(filepath.Join(dir, "bedrock-bench.yaml"))
	t.Setenv(saltEnv, "")
	if _, out, _ = runCLI(t, "config"); row(out, "salt") != "(none: import and capture need one) default" {
		t.Errorf("config without any salt:\n%s", out)
	}
}

// TestConverterCommandQuoting: --command is split into words as a POSIX
// shell splits them (quotes, backslashes), without running one, so a
// converter in a folder with a space, or an argument with one, runs as
// written; before, the command was split on every space.
func TestConverterCommandQuoting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my tools")
	os.MkdirAll(dir, 0o755)
	script := filepath.Join(dir, "conv.sh")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n"), 0o755)
	command := shellwords.Quote(script) + ` --name "a b" c\ d 'it'\''s'`
	code, _, errOut := runCLI(t, "converter", "--command", command, "--target", "us-east-1-nova-lite", "--histories", "tools/missing-*")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	if want := "--name\na b\nc d\nit's\n"; err != nil || string(args) != want {
		t.Errorf("the converter got the arguments %q (%v), want %q", args, err, want)
	}
	code, _, errOut = runCLI(t, "converter", "--command", "node $HOME/convert.mjs", "--target", "us-east-1-nova-lite")
	if code != exitUsage || !strings.Contains(errOut, `--command: "$" at offset 5 means something to a shell`) {
		t.Errorf("an unquoted $: exit %d\n%s", code, errOut)
	}
}

// TestConverterStartErrorNamesOrigin: a converter that cannot start is
// reported with where its command came from: --command, or the project
// file's converter.command; before, the error always pointed at
// converter.command in bedrock-bench.yaml.
func TestConverterStartErrorNamesOrigin(t *testing.T) {
	code, _, errOut := runCLI(t, "converter", "--command", "/nonexistent/convert", "--target", "us-east-1-nova-lite", "--histories", "tools/missing-*")
	if code != exitUsage || !strings.Contains(errOut, "(check --command)") || strings.Contains(errOut, "bedrock-bench.yaml") {
		t.Errorf("from --command: exit %d\n%s", code, errOut)
	}
	p := &project.Project{File: filepath.Join("some", "dir", project.FileName)}
	p.Converter.Command = []string{"/nonexistent/convert"}
	_, err := startConverter(context.Background(), p, io.Discard, "", "")
	if err == nil || !strings.Contains(err.Error(), "(check converter.command in "+p.File+")") {
		t.Errorf("from the project file: %v", err)
	}
}

// TestEveryCommandsHelpGivesItsExitCodes: each subcommand's --help says
// what its exit codes mean, as the top-level help does for all; before,
// only the top level did, and the README documents per-command meanings.
func TestEveryCommandsHelpGivesItsExitCodes(t *testing.T) {
	for name := range commands {
		code, out, errOut := runCLI(t, name, "--help")
		if code != exitOK || !strings.Contains(out+errOut, "\nExit codes: 0") || !strings.Contains(out+errOut, "2 usage or input errors.") {
			t.Errorf("%s --help: exit %d\n%s%s", name, code, out, errOut)
		}
	}
}

// TestConverseInterrupted: Ctrl-C while converse waits for an answer says
// "interrupted", exit 1, as lint, import and record do; before, it exited
// 2 with the SDK's "operation error ... context canceled".
func TestConverseInterrupted(t *testing.T) {
	isolateAWS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so the server sees the client leave
		cancel()                    // the user presses Ctrl-C while the call waits
		<-r.Context().Done()
	}))
	defer srv.Close()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"converse", "--endpoint", srv.URL, "--region", "us-east-1", "--model", "us.amazon.nova-lite-v1:0", "hi"}, &stdout, &stderr)
	if code != exitFindings || !strings.Contains(stderr.String(), "interrupted") || strings.Contains(stderr.String(), "operation error") {
		t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
