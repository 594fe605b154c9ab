package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cancelAfter is a context whose Err reports it cancelled from its
// n+1st call on: lint, which checks it before each result, is then
// interrupted after n results whatever the machine's speed.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n > 0 {
		c.n--
		return nil
	}
	return context.Canceled
}

// Ctrl-C during lint --output json leaves a valid JSON document: the
// results written so far, their summary and "interrupted": true. Before,
// the results array was cut off and no summary was written.
func TestLintJSONInterrupted(t *testing.T) {
	for _, n := range []int{0, 3} {
		var stdout, stderr bytes.Buffer
		code := run(&cancelAfter{context.Background(), n}, []string{"lint", "--jobs", "1", "--output", "json", "../../histories"}, &stdout, &stderr)
		if code != exitFindings || !strings.Contains(stderr.String(), "interrupted after") {
			t.Fatalf("after %d: exit %d\n%s", n, code, stderr.String())
		}
		var rep lintReport
		dec := json.NewDecoder(&stdout)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rep); err != nil {
			t.Fatalf("after %d: stdout is not the JSON document: %v\n%s", n, err, stdout.String())
		}
		if !rep.Interrupted || len(rep.Results) != rep.Summary.Files || rep.Summary.Files == 0 && n > 0 {
			t.Errorf("after %d: interrupted %v, %d results, summary %+v", n, rep.Interrupted, len(rep.Results), rep.Summary)
		}
	}
	// A run to the end says nothing of an interruption.
	code, out, _ := runCLI(t, "lint", "--output", "json", "../../histories/tools")
	if code != exitOK || strings.Contains(out, "interrupted") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// A fixture that cannot be read (here a symbolic link to itself; a file
// without read permission as a non-root user is the same *PathError) is
// an I/O error, exit 2, naming the file, as an unreadable folder is, and
// the JSON document is still closed, with "error". Before, it was a FAIL
// line and exit 1, as if the fixture were invalid.
func TestLintUnreadableFixture(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../histories/tools/custom-tool-apply-patch-openai.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "b.json")
	if err := os.Symlink("b.json", bad); err != nil {
		t.Skip(err)
	}
	for _, jobs := range []string{"1", "2"} {
		code, out, errOut := runCLI(t, "lint", "--jobs", jobs, "--what", "fixtures", dir)
		if code != exitUsage || !strings.Contains(errOut, bad) || !strings.Contains(errOut, "cannot be read") || strings.Contains(out, "FAIL") || !strings.Contains(out, "changed  a ") {
			t.Errorf("jobs %s: exit %d\nstdout %q\nstderr %q", jobs, code, out, errOut)
		}
	}
	code, out, _ := runCLI(t, "lint", "--output", "json", "--what", "fixtures", dir)
	var rep lintReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitUsage || rep.Summary.Files != 1 || !strings.Contains(rep.Error, bad) || rep.Interrupted {
		t.Errorf("json: exit %d, %v\n%s", code, err, out)
	}
}
