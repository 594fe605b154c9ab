package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordThenReplayCLI(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	common := []string{"--fixtures", "../../histories", "--cassettes", dir, "--histories", "resume/*"}
	// Every resume fixture against the two targets that run all histories.
	fixtures, _ := filepath.Glob("../../histories/resume/*.json")
	n := 2 * len(fixtures)
	code, out, errOut := runCLI(t, append([]string{"record", "--endpoint", "emulator", "--concurrency", "3"}, common...)...)
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("%d cases: %d recorded, 0 already there, 0 with drift, 0 failed", n, n)) {
		t.Fatalf("record: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, fmt.Sprintf("recorded %d/%d", n, n)) {
		t.Errorf("no progress lines:\n%s", errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "resume", "*.yaml"))
	if len(files) != n {
		t.Errorf("%d cassettes written, want %d", len(files), n)
	}
	code, out, errOut = runCLI(t, append([]string{"record", "--endpoint", "emulator", "--only-missing"}, common...)...)
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("0 recorded, %d already there", n)) {
		t.Errorf("--only-missing: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, append([]string{"replay"}, common...)...)
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("%d cases: %d pass, 0 fail (from cassettes in ", n, n)+dir) || !strings.Contains(out, "V-1 = ValidationException") {
		t.Errorf("replay: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, append([]string{"replay", "--output", "json"}, common...)...)
	var rep struct {
		Cases []struct {
			Pass bool   `json:"pass"`
			Rule string `json:"predictedRule"`
		} `json:"cases"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || len(rep.Cases) != n {
		t.Errorf("replay json: exit %d, %v\n%s", code, err, out)
	}
	code, out, _ = runCLI(t, "lint", "--what", "cassettes", "--fixtures", "../../histories", "--histories", "resume/*", dir)
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("%d cases checked: 0 problems; %d cassettes recorded against the emulator", n, n)) {
		t.Errorf("lint cassettes: exit %d\n%s", code, out)
	}
}

func TestRecordInterruptedLeavesNothing(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C before anything is recorded
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"record", "--endpoint", "emulator", "--fixtures", "../../histories", "--cassettes", dir}, &stdout, &stderr)
	if code != exitFindings || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("an interrupted recording left %d entries", len(entries))
	}
}

func TestReplayMissingCassette(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "other"), 0o755)
	os.WriteFile(filepath.Join(dir, "other", "x.yaml"), []byte("---\n"), 0o644)
	code, out, _ := runCLI(t, "replay", "--fixtures", "../../histories", "--cassettes", dir, "--histories", "clean/simple-chat-openai")
	if code != exitFindings || !strings.Contains(out, "no cassette") || !strings.Contains(out, "bedrock-bench record --target us-east-1-nova-lite --histories clean/simple-chat-openai --fixtures ../../histories --cassettes "+dir) {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// A cassette folder that cannot be written (a file, or a path under one)
// is refused before any call, exit 2; before, every case was sent, paid
// for against AWS, and failed on its save, exit 1.
func TestRecordRefusesAFileAsTheCassetteFolder(t *testing.T) {
	isolateAWS(t)
	file := filepath.Join(t.TempDir(), "cassettes")
	os.WriteFile(file, nil, 0o644)
	for _, dir := range []string{file, filepath.Join(file, "sub")} {
		code, out, errOut := runCLI(t, "record", "--endpoint", "emulator", "--fixtures", "../../histories", "--histories", "clean/simple-chat-openai", "--cassettes", dir)
		if code != exitUsage || !strings.Contains(errOut, file+" is a file, not a folder") || strings.Contains(errOut, "recorded 1/") {
			t.Errorf("--cassettes %s: exit %d\n%s%s", dir, code, out, errOut)
		}
	}
}

// An endpoint that refuses the credentials (an SSO session that expired
// since the last recording): the cassette already there stays, and the
// summary says why and what to do. It was replaced by a cassette of
// ExpiredTokenException answers.
func TestRecordWithExpiredCredentialsSaysSoAndKeepsTheCassette(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	common := []string{"--fixtures", "../../histories", "--cassettes", dir, "--histories", "clean/simple-chat-openai", "--target", "us-east-1-nova-lite"}
	if code, out, errOut := runCLI(t, append([]string{"record", "--endpoint", "emulator"}, common...)...); code != exitOK {
		t.Fatalf("record: exit %d\n%s\n%s", code, out, errOut)
	}
	file := filepath.Join(dir, "us-east-1-nova-lite", "clean", "simple-chat-openai.yaml")
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	expired := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"The security token included in the request is expired"}`)
	}))
	defer expired.Close()
	code, out, errOut := runCLI(t, append([]string{"record", "--endpoint", expired.URL}, common...)...)
	if code != exitFindings || !strings.Contains(errOut, "the service refused the credentials of 1 case, whose cassettes were left as they were: refresh the credentials (e.g. aws sso login) and record again") {
		t.Errorf("record with expired credentials: exit %d\n%s\n%s", code, out, errOut)
	}
	// Three cases, one at a time: the first is refused, the others are
	// not tried, and the output says so once.
	code, out, errOut = runCLI(t, "record", "--endpoint", expired.URL, "--fixtures", "../../histories", "--cassettes", dir,
		"--histories", "clean/simple-chat-*", "--target", "us-east-1-nova-lite", "--concurrency", "1")
	if code != exitFindings || !strings.Contains(out, "3 cases: 0 recorded, 0 already there, 0 with drift, 1 failed, 2 not tried") ||
		!strings.Contains(errOut, "the service refused the credentials of 1 case, whose cassettes were left as they were, and 2 cases were not tried after that: refresh") ||
		strings.Contains(out, "not tried: the service refused") {
		t.Errorf("record of three cases with expired credentials: exit %d\n%s\n%s", code, out, errOut)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, good) {
		t.Error("the cassette was replaced by the refusals")
	}
}

// TestInterruptedRecordCountsCasesNotStarted: Ctrl-C before the cases are
// started (a cancelled context) leaves every cassette as it was and says
// so once: the cases not started are counted as not tried, not listed as
// failed one by one. Before, each got a "context canceled" block and the
// summary counted them as failed.
func TestInterruptedRecordCountsCasesNotStarted(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"record", "--endpoint", "emulator", "--fixtures", "../../histories", "--cassettes", dir,
		"--histories", "clean/simple-chat-*", "--target", "us-east-1-nova-lite"}, &stdout, &stderr)
	out := stdout.String()
	if code != exitFindings || !strings.Contains(out, "3 cases: 0 recorded, 0 already there, 0 with drift, 0 failed, 3 not tried") ||
		strings.Contains(out, "context canceled") || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// A loopback --endpoint where nothing listens fails the run up front,
// exit 2, in one line; before, each case spent the SDK's five attempts on
// it and failed with "connection refused", case after case.
func TestRecordToALoopbackEndpointWhereNothingListens(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "record", "--endpoint", "http://127.0.0.1:1", "--fixtures", "../../histories", "--histories", "clean/*", "--cassettes", dir)
	if code != exitUsage || !strings.Contains(errOut, "nothing listens at http://127.0.0.1:1: start the emulator first (bedrock-bench emulate)") || strings.Contains(errOut, "recording ") || strings.Count(errOut, "nothing listens") != 1 {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d entries written", len(entries))
	}
}
