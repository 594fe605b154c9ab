package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// stallingServer answers nothing: each request is held until the test
// ends. With stallBody set, it sends the headers and the start of a
// body, then holds the rest.
func stallingServer(t *testing.T, stallBody bool) string {
	t.Helper()
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stallBody {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			w.Write([]byte(`{"modelSummaries":[`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); hs.Close() })
	return hs.URL
}

// TestAServiceThatStopsAnsweringFailsTheCall: preflight (the control
// plane, and IAM with --live) and catalog give up on a call that is not
// answered within --timeout, whether no byte comes back or the body
// stalls half way, with a line that says so; before, neither had a
// bound, and a connection the service stopped answering held the command
// until Ctrl-C (a CI job until its own limit).
func TestAServiceThatStopsAnsweringFailsTheCall(t *testing.T) {
	isolateAWS(t)
	em, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	emu := httptest.NewServer(em)
	defer emu.Close()
	for _, stallBody := range []bool{false, true} {
		url := stallingServer(t, stallBody)
		for name, args := range map[string][]string{
			"preflight": {"preflight", "--endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"},
			"preflight --live": {"preflight", "--endpoint", emu.URL, "--iam-endpoint", url, "--live", "--principal", "arn:aws:iam::123456789012:role/app",
				"--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0"},
			"catalog": {"catalog", "--endpoint", url, "--region", "us-east-1", "--out", filepath.Join(t.TempDir(), "c.json")},
		} {
			code, _, errOut := runCLI(t, append(args, "--timeout", "300ms")...)
			if code == exitOK || !strings.Contains(errOut, "no answer within 300ms (allow longer with --timeout)") {
				t.Errorf("%s, body stalled %v: exit %d, want the call given up on:\n%s", name, stallBody, code, errOut)
			}
		}
	}
	if code, _, errOut := runCLI(t, "catalog", "--out", "-", "--timeout", "0s"); code != exitUsage || !strings.Contains(errOut, "--timeout 0s: want a positive duration") {
		t.Errorf("--timeout 0s: exit %d\n%s", code, errOut)
	}
}
