//go:build unix

package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// A named pipe in the cassette folder is reported as corrupt, by lint and
// by replay, instead of blocking the run on its open until a writer comes.
func TestLintCassettesReportsAFIFO(t *testing.T) {
	hs, err := history.LoadDir(historiesDir)
	if err != nil {
		t.Fatal(err)
	}
	var h *history.History
	for _, x := range hs {
		if x.ID == "clean/simple-chat-openai" {
			h = x
		}
	}
	if h == nil {
		t.Fatal("no clean/simple-chat-openai history")
	}
	target := Target{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}
	cases := Cases([]Target{target}, []*history.History{h})
	root := t.TempDir()
	fifo := cases[0].Cassette(root)
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	// Unblock a read that reached the pipe, so that the test ends.
	defer func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	}()
	type result struct {
		findings []Finding
		err      error
	}
	done := make(chan result, 1)
	go func() {
		f, err := LintCassettes(context.Background(), root, cases)
		done <- result{f, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		if len(r.findings) != 1 || r.findings[0].Kind != "corrupt" || !strings.Contains(r.findings[0].Msg, "named pipe") {
			t.Fatalf("findings: %v", r.findings)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("lint blocked on a named pipe in the cassette folder")
	}
	rep := RunCase(context.Background(), cases[0], RunOptions{Cassettes: root})
	if rep.Err == nil || !strings.Contains(rep.Err.Error(), "named pipe") {
		t.Fatalf("replay of a named pipe: %v", rep.Err)
	}
}
