//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fifoInputs are the flags (and a project setting) that name a file read
// whole, each with a command line that reads it first; "P" stands for the
// named pipe. project is a bedrock-bench.yaml to run in, if any.
var fifoInputs = []struct {
	flag    string
	args    []string
	project string
}{
	{"--policy", []string{"preflight", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1", "--model", "x", "--policy", "P"}, ""},
	{"--scp", []string{"preflight", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1", "--model", "x", "--policy", "POLICY", "--scp", "P"}, ""},
	{"--targets", []string{"preflight", "--matrix", "--endpoint", "http://127.0.0.1:1", "--targets", "P"}, ""},
	{"--base", []string{"catalog", "--base", "P", "--out", "-"}, ""},
	{"--policy", []string{"emulate", "--listen", "127.0.0.1:0", "--policy", "P"}, ""},
	{"--catalog", []string{"emulate", "--listen", "127.0.0.1:0", "--catalog", "P"}, ""},
	{"--keys", []string{"emulate", "--listen", "127.0.0.1:0", "--keys", "P"}, ""},
	{"--guardrail", []string{"emulate", "--listen", "127.0.0.1:0", "--guardrail", "P"}, ""},
	{"--targets", []string{"replay", "--targets", "P"}, ""},
	{"--targets", []string{"config", "--targets", "P"}, ""},
	{"--salt-file", []string{"import", "--salt-file", "P", "--out", "OUT", "in.json"}, ""},
	{"--redact-terms", []string{"import", "--redact-terms", "P", "--out", "OUT", "in.json"}, ""},
	{"redaction.patternsFile", []string{"import", "--out", "OUT", "in.json"}, "redaction:\n  patternsFile: p\n"},
}

// TestFirstSignalEndsANamedPipeRead: a flag naming a named pipe nothing
// writes to (or whose writer does not close it) no longer holds the
// command through the first SIGTERM or Ctrl-C, which is what timeout(1),
// Kubernetes and CI send: the command ends, exit 1, saying which input
// was interrupted. Before, the open (or the read) waited for ever, and
// only a second signal ended the process. The test runs itself as the
// command, as TestSecondInterruptEndsTheProcess does.
func TestFirstSignalEndsANamedPipeRead(t *testing.T) {
	if os.Getenv("BEDROCK_BENCH_FIFO_HELPER") == "1" {
		var args []string
		if err := json.Unmarshal([]byte(os.Getenv("BEDROCK_BENCH_FIFO_ARGS")), &args); err != nil {
			panic(err)
		}
		ctx, stop := interruptContext()
		fmt.Println("ready")
		code := run(ctx, args, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	policy, err := filepath.Abs("testdata/allow-all.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range fifoInputs {
		for _, writer := range []bool{false, true} {
			name := fmt.Sprintf("%s %s writer=%v", in.args[0], in.flag, writer)
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "p")
				if err := syscall.Mkfifo(p, 0o644); err != nil {
					t.Skipf("no FIFO here: %v", err)
				}
				if in.project != "" {
					if err := os.WriteFile(filepath.Join(dir, "bedrock-bench.yaml"), []byte(in.project), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				var args []string
				for _, a := range in.args {
					switch a {
					case "P":
						a = p
					case "POLICY":
						a = policy
					case "OUT":
						a = filepath.Join(dir, "out")
					}
					args = append(args, a)
				}
				enc, _ := json.Marshal(args)
				cmd := exec.Command(os.Args[0], "-test.run=^TestFirstSignalEndsANamedPipeRead$")
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "BEDROCK_BENCH_FIFO_HELPER=1", "BEDROCK_BENCH_FIFO_ARGS="+string(enc), saltEnv+"=a salt for the import tests, long enough")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				lines := bufio.NewScanner(out)
				if !lines.Scan() || lines.Text() != "ready" {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("the helper said %q\n%s", lines.Text(), stderr.String())
				}
				go io.Copy(io.Discard, out)
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				guard := time.After(30 * time.Second) // a guard against a hang, not a timing
				if writer {
					// Once the command has the pipe open for reading, a
					// writer opens it without waiting; it writes a part
					// and keeps it open, so the command's read waits.
					w := openWriter(t, p, done, guard)
					if w == nil {
						return
					}
					defer w.Close()
					w.WriteString(`{"`)
				}
				cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-done:
				case <-guard:
					cmd.Process.Kill()
					<-done
					t.Fatalf("the first SIGTERM did not end the command\n%s", stderr.String())
				}
				msg := stderr.String()
				want := p + ": a named pipe with nothing writing to it: interrupted"
				if writer {
					want = p + ": a named pipe" // had not closed yet, or had just opened it
				}
				if code := cmd.ProcessState.ExitCode(); code != exitFindings || !strings.Contains(msg, in.flag) || !strings.Contains(msg, want) || !strings.HasSuffix(msg, ": interrupted\n") {
					t.Errorf("exit %v, want 1, and %q\n%s", cmd.ProcessState, want, msg)
				}
			})
		}
	}
}

// openWriter opens the named pipe p for writing once something has it
// open for reading, or returns nil having failed the test when the
// command ended first or the guard fired.
func openWriter(t *testing.T, p string, done chan error, guard <-chan time.Time) *os.File {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		w, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			return w
		}
		if !errors.Is(err, syscall.ENXIO) { // ENXIO: no reader yet
			t.Errorf("open for writing: %v", err)
			return nil
		}
		select {
		case err := <-done:
			done <- err
			t.Errorf("the command ended before it opened the pipe: %v", err)
			return nil
		case <-guard:
			t.Errorf("the command never opened the pipe")
			return nil
		case <-tick.C:
		}
	}
}

// TestNamedPipeInputsStillRead: process substitution (--salt-file
// <(cat salt), which names /dev/fd/N, the read end of a pipe, a named pipe
// to a stat) and a named pipe a writer fills and closes (mkfifo p; cat
// salt > p &) are read whole, as before, and the import runs.
func TestNamedPipeInputsStillRead(t *testing.T) {
	t.Setenv(saltEnv, "")
	const salt = "a salt read from a pipe, long enough\n"
	t.Run("process substitution", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		path := fmt.Sprintf("/dev/fd/%d", r.Fd())
		if _, err := os.Stat(path); err != nil {
			w.Close()
			t.Skipf("no /dev/fd here: %v", err)
		}
		go func() { w.WriteString(salt); w.Close() }()
		importFrom(t, path)
	})
	t.Run("named pipe with a writer", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "salt")
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
		go func() {
			w, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			w.WriteString(salt)
			w.Close()
		}()
		importFrom(t, p)
	})
}

// importFrom imports the OpenAI examples with the salt read from path.
func importFrom(t *testing.T, path string) {
	t.Helper()
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := runCLI(t, "import", "-q", "--salt-file", path, "--out", t.TempDir(), filepath.Join(importExamples, "openai"))
		done <- result{code, out, errOut}
	}()
	select {
	case r := <-done:
		if r.code != exitOK {
			t.Errorf("exit %d\n%s%s", r.code, r.out, r.errOut)
		}
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		t.Fatal("the import waited on the pipe")
	}
}
