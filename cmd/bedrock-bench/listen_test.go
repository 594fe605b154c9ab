package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestWarnExposed: a server listening beyond loopback is said to, with
// what that lets others do; one on loopback is not.
func TestWarnExposed(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0", "0.0.0.0:0"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Logf("%s: %v", addr, err) // no IPv6 here
			continue
		}
		var b bytes.Buffer
		warnExposed(&b, "emulate", addr, ln, "anyone may call it")
		ln.Close()
		want := addr == "0.0.0.0:0"
		if got := strings.Contains(b.String(), "emulate: warning: --listen "+addr+" reaches beyond this machine") && strings.Contains(b.String(), "anyone may call it"); got != want {
			t.Errorf("%s: warned %v, want %v: %q", addr, got, want, b.String())
		}
	}
}

// TestEmulateWarnsBeyondLoopback: emulate --listen 0.0.0.0:PORT serves
// every machine that reaches this one, and says so at start.
func TestEmulateWarnsBeyondLoopback(t *testing.T) {
	for _, c := range []struct {
		addr string
		warn bool
	}{{"0.0.0.0:0", true}, {"127.0.0.1:0", false}} {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		done := make(chan int, 1)
		go func() { done <- run(ctx, []string{"emulate", "--listen", c.addr, "--quiet"}, &stdout, &stderr) }()
		for deadline := time.Now().Add(30 * time.Second); !strings.Contains(stdout.String(), "listening on") && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("%s: exit %d: %s%s", c.addr, code, stdout.String(), stderr.String())
		}
		if got := strings.Contains(stderr.String(), "emulate: warning: --listen 0.0.0.0:0 reaches beyond"); got != c.warn {
			t.Errorf("--listen %s: warned %v, want %v; stderr:\n%s", c.addr, got, c.warn, stderr.String())
		}
	}
}
