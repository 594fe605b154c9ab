package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/internal/shellwords"
)

// TestConverterInterrupted: Ctrl-C while the converter works says
// "interrupted", exit 1, as record, import and converse do; before, it
// exited 2 with "context canceled".
func TestConverterInterrupted(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "conv.sh")
	mark := script + ".asked" // written when the converter has read a history
	os.WriteFile(script, []byte("#!/bin/sh\nread line\ntouch \"$0.asked\"\nexec sleep 60\n"), 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for i := 0; i < 1200; i++ {
			if _, err := os.Stat(mark); err == nil {
				break // the converter has the first history: the user presses Ctrl-C
			}
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
	}()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"converter", "--command", shellwords.Quote(script), "--target", "us-east-1-nova-lite", "--histories", "clean/*"}, &stdout, &stderr)
	if code != exitFindings || !strings.Contains(stderr.String(), "interrupted after 0 of 7 cases") || strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(mark); err != nil {
		t.Errorf("the converter was never asked: %v", err)
	}
}

// TestConverterGivenUpIsReportedOnce: a converter that cannot start is
// given up after three starts, and its error, which quotes the end of its
// stderr, is printed once, by converter and by lint cassettes/; before,
// lint dropped its stderr while saying "its stderr says why", and both
// printed the same error once per case.
func TestConverterGivenUpIsReportedOnce(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	hs, err := filepath.Glob("../../histories/clean/*.json")
	if err != nil || len(hs) < 6 {
		t.Fatalf("%v %v", hs, err)
	}
	os.MkdirAll(filepath.Join(dir, "histories", "clean"), 0o755)
	for _, h := range hs {
		data, err := os.ReadFile(h)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "histories", "clean", filepath.Base(h)), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "conv.sh"), []byte("#!/bin/sh\necho 'ModuleNotFoundError: No module named litellm' >&2\nexit 3\n"), 0o755)
	project := "histories: histories\ncassettes: cassettes\ntargets:\n  - name: us-east-1-nova-lite\n    region: us-east-1\n    model: us.amazon.nova-lite-v1:0\n"
	os.WriteFile(filepath.Join(dir, "bedrock-bench.yaml"), []byte(project), 0o644)
	t.Chdir(dir)
	if code, out, errOut := runCLI(t, "record", "--endpoint", "emulator"); code != exitOK {
		t.Fatalf("record: exit %d\n%s%s", code, out, errOut)
	}
	os.WriteFile("bedrock-bench.yaml", []byte(project+"converter:\n  command: [./conv.sh]\n"), 0o644)
	for _, args := range [][]string{{"converter"}, {"lint", "cassettes/"}} {
		code, out, errOut := runCLI(t, args...)
		given := "exited without answering the first history it was given (exit status 3; its stderr ended with \"ModuleNotFoundError: No module named litellm\"), 3 times in a row, and has never answered: it is not started again"
		if code != exitFindings || strings.Count(out, given) != 1 || strings.Count(out, "its stderr ended with \"ModuleNotFoundError") != 3 || !strings.Contains(out, fmt.Sprintf("(the same for the %d ", len(hs)-3)) {
			t.Errorf("%s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
}

// TestConverterTimeoutHintNamesTheSetting: a converter that misses its
// timeout (one that reads all of stdin before answering) is told where
// the timeout is raised: converter.timeout in the project file in use,
// or --timeout for a --command. Before, the hint always named
// bedrock-bench.yaml, and --command had no way to raise it.
func TestConverterTimeoutHintNamesTheSetting(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "slurp.sh")
	os.WriteFile(script, []byte("#!/bin/sh\ncat >/dev/null\n"), 0o755)
	hs, _ := filepath.Abs("../../histories")
	conf := filepath.Join(dir, "conv.yaml")
	os.WriteFile(conf, []byte(fmt.Sprintf("histories: %q\nconverter: {command: [%q], timeout: 300ms}\n", hs, script)), 0o644)
	one := []string{"--region", "us-east-1", "--model", "amazon.nova-micro-v1:0", "--histories", "clean/simple-chat-openai"}
	for _, tc := range []struct {
		args       []string
		want, hint string
	}{
		{[]string{"--config", conf}, "did not answer within 300ms", "raise converter.timeout in " + conf + " if"},
		{[]string{"--command", shellwords.Quote(script), "--timeout", "200ms"}, "did not answer within 200ms", "raise --timeout if"},
		{[]string{"--config", conf, "--timeout", "250ms"}, "did not answer within 250ms", "raise --timeout if"},
	} {
		code, out, errOut := runCLI(t, append(append([]string{"converter"}, tc.args...), one...)...)
		if code != exitFindings || !strings.Contains(out, tc.want) || !strings.Contains(out, tc.hint) || strings.Contains(out+errOut, "bedrock-bench.yaml") {
			t.Errorf("%v: exit %d, want %q and %q:\n%s%s", tc.args, code, tc.want, tc.hint, out, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "converter", "--command", shellwords.Quote(script), "--timeout", "0s"); code != exitUsage || !strings.Contains(errOut, "--timeout 0s: want a positive duration") {
		t.Errorf("--timeout 0s: exit %d\n%s", code, errOut)
	}
}
