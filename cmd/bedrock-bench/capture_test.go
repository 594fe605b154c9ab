package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

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
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "captured 1 requests") {
		t.Errorf("stdout: %s", stdout.String())
	}
	hs, err := history.LoadDir(out)
	if err != nil || len(hs) != 1 || hs[0].Format != history.FormatAnthropic {
		t.Fatalf("%v %v", hs, err)
	}
	if code, _, _ := runCLI(t, "capture"); code != exitUsage {
		t.Errorf("no --upstream: exit %d", code)
	}
}
