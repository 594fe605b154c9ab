//go:build unix

package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondInterruptEndsTheProcess: the first Ctrl-C asks the command to
// stop cleanly; a command that cannot (stuck in a system call, say) is
// ended by the second, as the signal's default action does. Before, every
// SIGINT and SIGTERM after the first was caught and ignored, and only
// SIGQUIT or SIGKILL ended such a process. The test runs itself as the
// process (the helper below), which waits for ever after the first signal.
func TestSecondInterruptEndsTheProcess(t *testing.T) {
	if os.Getenv("BEDROCK_BENCH_INTERRUPT_HELPER") == "1" {
		ctx, _ := interruptContext()
		fmt.Println("ready")
		<-ctx.Done()
		fmt.Println("cancelled")
		select {} // stuck
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSecondInterruptEndsTheProcess$")
		cmd.Env = append(os.Environ(), "BEDROCK_BENCH_INTERRUPT_HELPER=1")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		wait := func(want string) {
			t.Helper()
			if !lines.Scan() || lines.Text() != want {
				cmd.Process.Kill()
				t.Fatalf("%v: the helper said %q, want %q", sig, lines.Text(), want)
			}
		}
		wait("ready")
		cmd.Process.Signal(sig)
		wait("cancelled")
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("%v: the process ended with %v, want killed by the signal", sig, cmd.ProcessState)
			}
		case <-time.After(20 * time.Second): // a guard against a hang, not a timing
			cmd.Process.Kill()
			<-done
			t.Errorf("%v: a second signal did not end the process", sig)
		}
	}
}

// TestLintNamedPipeFixture: a named pipe with a fixture's name in a linted
// folder stops the run at once, exit 2, naming it; before, lint opened it
// and waited for a writer for ever.
func TestLintNamedPipeFixture(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(dir+"/q.json", 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := runCLI(t, "lint", "--what", "fixtures", dir)
		done <- result{code, out, errOut}
	}()
	select {
	case r := <-done:
		if r.code != exitUsage || !strings.Contains(r.errOut, "q.json: not a regular file but a named pipe") {
			t.Errorf("exit %d\n%s%s", r.code, r.out, r.errOut)
		}
	case <-time.After(20 * time.Second): // a guard against a hang, not a timing
		t.Fatal("lint waited on a named pipe")
	}
}
