package main

import (
	"bytes"
	"context"
	"encoding/json"
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
