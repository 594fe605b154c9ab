package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

// endlessError answers every call with an error whose body does not end
// (a service, or a proxy in front of it, gone wrong): a JSON message of
// spaces, sent until the client stops reading or 64 MiB have gone.
func endlessError(t *testing.T) string {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", "ValidationException")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"message":"`))
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for range 1024 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestAnEndlessErrorBodyIsBounded: converse, preflight and catalog read
// an error answer's body up to the bound a recording reads any body with
// (sdkhttp.MaxBody, 256 MiB; lowered here), and fail the call past it
// with a line that says so. Before, the SDK read an error body whole,
// however long, and one without end grew memory without end.
func TestAnEndlessErrorBodyIsBounded(t *testing.T) {
	isolateAWS(t)
	defer func(m int64) { sdkhttp.MaxBody = m }(sdkhttp.MaxBody)
	sdkhttp.MaxBody = 1 << 20
	url := endlessError(t)
	for name, args := range map[string][]string{
		"converse":  {"converse", "--endpoint", url, "--model", "amazon.nova-micro-v1:0", "hello"},
		"preflight": {"preflight", "--endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"},
		"catalog":   {"catalog", "--endpoint", url, "--region", "us-east-1", "--out", filepath.Join(t.TempDir(), "c.json")},
	} {
		code, out, errOut := runCLI(t, args...)
		if code == exitOK || !strings.Contains(out+errOut, "the answer's body is larger than 1 MiB, the most bedrock-bench reads of one") {
			t.Errorf("%s: exit %d, want the error body cut at the bound:\n%.2000s\n%.2000s", name, code, out, errOut)
		}
		if n := len(out) + len(errOut); n > 64<<10 {
			t.Errorf("%s: %d bytes of output: the body was read past the bound", name, n)
		}
	}
}
