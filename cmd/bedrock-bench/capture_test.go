package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/capture"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestCaptureCommand(t *testing.T) {
	withSalt(t)
	isolateAWS(t)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"msg_1","content":[{"type":"text","text":"hi"}]}`))
	}))
	defer upstream.Close()
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"capture", "--listen", "127.0.0.1:0", "--upstream", upstream.URL, "--out", out}, &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("capture did not start:\n%s", stderr.String())
	}
	resp, err := http.Post(base+"/v1/messages", "application/json", strings.NewReader(`{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("through the proxy: %v %v", resp, err)
	}
	resp.Body.Close()
	// HTTP/2 with prior knowledge, as the AWS SDK for JavaScript v3 speaks
	// to an http:// endpoint, is served on the same port.
	protos := new(http.Protocols)
	protos.SetUnencryptedHTTP2(true)
	h2c := &http.Client{Transport: &http.Transport{Protocols: protos}}
	resp, err = h2c.Post(base+"/v1/messages", "application/json", strings.NewReader(`{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hello over h2c"}]}`))
	if err != nil || resp.StatusCode != 200 || resp.ProtoMajor != 2 {
		t.Fatalf("HTTP/2 through the proxy: %v %v", resp, err)
	}
	resp.Body.Close()
	// With no Region and no AWS credentials, a Bedrock request cannot be
	// re-signed: the start says so, and the call is answered in Bedrock's
	// error shape, naming the reason, which the proxy logs too.
	// (An AWS SDK's request, signed for the proxy with any keys: the
	// proxy refuses to sign an unsigned one.)
	req, _ := http.NewRequest("POST", base+"/model/amazon.nova-micro-v1:0/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hello"}]}]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDAPPLICATIONKEY01/20261207/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("X-Amzn-Errortype") != "BadGatewayException" || !strings.Contains(string(body), `"message":"bedrock-bench capture: upstream`) {
		t.Errorf("a Bedrock request that cannot be signed: %d %s %s", resp.StatusCode, resp.Header, body)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"capture: warning: no Region to sign Bedrock requests for",
		"capture: warning: no AWS credentials",
		"capture: POST /model/amazon.nova-micro-v1:0/converse: 502: bedrock-bench capture: upstream",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	// Every request is captured, the one the upstream never saw too.
	if !strings.Contains(stdout.String(), "captured 3 requests") {
		t.Errorf("stdout: %s", stdout.String())
	}
	hs, err := history.LoadDir(out)
	if err != nil || len(hs) != 3 || hs[0].Format != history.FormatAnthropic || hs[1].Format != history.FormatAnthropic || hs[2].Format != history.FormatConverse {
		t.Fatalf("%v %v", hs, err)
	}
	if code, _, _ := runCLI(t, "capture"); code != exitUsage {
		t.Errorf("no --upstream: exit %d", code)
	}
}

// TestCaptureSummary: the closing line counts requests in the singular
// when there is one ("captured 1 requests" before), and the fixtures
// written apart from the requests that repeated one captured before.
func TestCaptureSummary(t *testing.T) {
	for _, c := range []struct {
		st   capture.Stats
		want string
	}{
		{capture.Stats{Captured: 1}, "captured 1 request into out: 1 fixture written; 0 dropped"},
		{capture.Stats{Captured: 3, Dropped: 2}, "captured 3 requests into out: 3 fixtures written; 2 dropped"},
		{capture.Stats{}, "captured 0 requests into out: 0 fixtures written; 0 dropped"},
		// The same body sent to two models is one fixture, and the
		// summary says so ("captured 2 requests" and one file before).
		{capture.Stats{Captured: 2, Repeated: 1}, "captured 2 requests into out: 1 fixture written, 1 the same conversation as one captured before (a fixture is keyed by its body, not its model); 0 dropped"},
	} {
		if got := captureSummary(c.st, "out"); !strings.HasPrefix(got, c.want) {
			t.Errorf("%+v: %q, want it to start with %q", c.st, got, c.want)
		}
	}
}

// TestCaptureOutMustBeAFolder: --out naming a file is a usage error at
// start, as import's is; before, capture started, failed at the first
// request ("mkdir ...: not a directory") and exited 2 after Ctrl-C.
func TestCaptureOutMustBeAFolder(t *testing.T) {
	withSalt(t)
	isolateAWS(t)
	file := filepath.Join(t.TempDir(), "salt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{file, filepath.Join(file, "captured")} {
		// Bounded: a capture that starts runs until it is stopped.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var stdout, stderr bytes.Buffer
		code := run(ctx, []string{"capture", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1", "--out", out}, &stdout, &stderr)
		cancel()
		if code != exitUsage || !strings.Contains(stderr.String(), "is a file") || strings.Contains(stderr.String(), "listening on") {
			t.Errorf("--out %s: exit %d:\n%s", out, code, stderr.String())
		}
	}
}
