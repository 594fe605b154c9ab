package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import that skips every record imports nothing: exit 2, not
// "imported" and exit 0. The reasons are on stderr with file and line,
// and the likely cause is named: --from naming a format the records are
// not in.
func TestImportEverythingSkipped(t *testing.T) {
	withSalt(t)
	src := filepath.Join(importExamples, "anthropic", "messages.jsonl")
	code, out, errOut := runCLI(t, "import", "--from", "openai", "--out", t.TempDir(), src)
	for _, want := range []string{
		"import: 2 records skipped:\n",
		"  " + src + ":1: the openai body does not decode: messages[1].content[0].type: unsupported content part type \"…\": one of text",
		"  " + src + ":2: the openai body does not decode",
		"nothing imported: 2 records were skipped; --from openai was given, but " + src + " looks like anthropic records: give --from anthropic, or leave --from out to detect the format of each file",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != exitUsage || strings.Contains(out, "imported") || strings.Contains(errOut, `"thinking"`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// -q: no list, but the error gives the first reason.
	code, _, errOut = runCLI(t, "import", "-q", "--from", "openai", "--out", t.TempDir(), src)
	if code != exitUsage || strings.Contains(errOut, "records skipped:") || !strings.Contains(errOut, "nothing imported: 2 records were skipped (the first: "+src+":1: the openai body does not decode") {
		t.Errorf("-q: exit %d\n%s", code, errOut)
	}
	// Records of a format read as such, each skipped for what it holds
	// (Bedrock invocation logs without their bodies): the reasons say
	// why, and no guess at the format contradicts them, with or without
	// --from. Before, "the records look like none of the formats import
	// reads".
	logs := filepath.Join(t.TempDir(), "logs.jsonl")
	line := `{"schemaType":"ModelInvocationLog","timestamp":"2026-11-20T10:00:00Z","region":"us-east-1","requestId":"r%d","operation":"Converse","modelId":"amazon.nova-pro-v1:0","input":{}}`
	os.WriteFile(logs, []byte(fmt.Sprintf(line, 1)+"\n"+fmt.Sprintf(line, 2)+"\n"), 0o644)
	for _, args := range [][]string{{"import"}, {"import", "--from", "bedrock"}} {
		code, _, errOut = runCLI(t, append(args, "--out", t.TempDir(), logs)...)
		if code != exitUsage || !strings.Contains(errOut, "has no request body") || !strings.HasSuffix(strings.TrimSpace(errOut), "nothing imported: 2 records were skipped") {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
}

// Records skipped by an import that still imports are listed on stderr,
// at most three, with file and line, and their quoted values (the
// record's own text) and URL paths (an S3 key holds the account id)
// left out.
func TestImportListsSkips(t *testing.T) {
	withSalt(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "mix.jsonl")
	lines := []string{
		`{"model":"gpt-4o","messages":[{"role":"Patient John Smith","content":"hi"}]}`,
		`{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"secret words","text":"x"}]}]}`,
		`not json at all`,
		`[1]`,
		`{"model":"gpt-4o","messages":[{"role":"user","content":"hello there"}]}`,
	}
	os.WriteFile(src, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	code, out, errOut := runCLI(t, "import", "--out", filepath.Join(dir, "out"), src)
	for _, want := range []string{
		"import: 4 records skipped:\n",
		src + ":1: the openai body does not decode: messages[0].role: unknown role \"…\": one of system",
		src + ":2: the openai body does not decode: messages[0].content[0].type: unsupported content part type \"…\"",
		src + ":3: ",
		"  and 1 more; --report FILE lists them\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != exitOK || !strings.Contains(out, "1 fixtures written") || strings.Contains(errOut, "John") || strings.Contains(errOut, "secret") || strings.Contains(errOut, src+":4:") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// -q prints none; a --report file is named for the rest.
	if _, _, errOut := runCLI(t, "import", "-q", "--out", filepath.Join(dir, "out2"), src); strings.Contains(errOut, "skipped") {
		t.Errorf("-q printed skips:\n%s", errOut)
	}
	report := filepath.Join(dir, "r.json")
	if _, _, errOut := runCLI(t, "import", "--report", report, "--out", filepath.Join(dir, "out3"), src); !strings.Contains(errOut, "and 1 more; "+report+" lists them") {
		t.Errorf("--report FILE:\n%s", errOut)
	}
	// The S3 key of a body Bedrock logged to S3 is cut to its bucket.
	_, _, errOut = runCLI(t, "import", "--out", filepath.Join(dir, "out4"), filepath.Join(importExamples, "bedrock"))
	if !strings.Contains(errOut, "the body is in S3 (s3://contoso-bedrock-logs/…)") || strings.Contains(errOut, "908020463584") {
		t.Errorf("S3 key:\n%s", errOut)
	}
}

func TestShownSkipKeepsPositions(t *testing.T) {
	for in, want := range map[string]string{
		`f:1: bad value "x y" at "/messages/0/content"`: `f:1: bad value "…" at "/messages/0/content"`,
		`f:2: record "a\"b" is odd`:                     `f:2: record "…" is odd`,
		"f:3: tab\there":                                `f:3: tab\there`,
		`f: see https://example.com/a/b?c=d.`:           `f: see https://example.com/…`,
	} {
		if got := shownSkip(in); got != want {
			t.Errorf("shownSkip(%q) = %q, want %q", in, got, want)
		}
	}
}
