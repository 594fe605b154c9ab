// Package converter runs a team's own history converter (Python,
// TypeScript, anything) as a long-running worker, so the bench tests the
// conversion code the application really uses instead of the built-in
// normalizer.
//
// The protocol is JSON lines on the worker's stdin and stdout, one request
// and one answer per history, in order:
//
//	→ {"id":"resume/sliding-window-openai","target":{"name":"…","region":"us-east-1","model":"us.amazon.nova-lite-v1:0","family":"nova"},"history":{…the fixture file, verbatim…}}
//	← {"id":"resume/sliding-window-openai","request":{"messages":[…],"system":[…],"toolConfig":{…},"inferenceConfig":{…}}}
//	← {"id":"…","error":"why this history cannot be converted"}
//
// "request" is the Converse request body the converter would send (the
// model id travels in the URL, not the body). The worker writes nothing
// else to stdout; logs go to stderr, which is passed through. One process
// serves every history: 10,000 histories do not start 10,000 processes.
//
// To use it: [Start] the worker with the project's command, pass it to the
// bench as a bench.Converter, [Worker.Close] it at the end.
package converter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// MaxLine bounds one answer line.
const MaxLine = 16 << 20

// DefaultTimeout bounds one conversion when the options give none.
const DefaultTimeout = 30 * time.Second

// Options configure a worker.
type Options struct {
	// Command is the program and its arguments.
	Command []string
	// Dir is the working directory of the command, and the base of a
	// relative program path.
	Dir string
	// Histories is the fixture folder: the worker is sent each fixture's
	// file as it is on disk.
	Histories string
	// Timeout bounds one conversion; 0 means DefaultTimeout. A worker
	// that misses it is stopped and started again for the next history.
	Timeout time.Duration
	// Stderr receives the worker's stderr; nil means os.Stderr.
	Stderr io.Writer
}

// Worker is a running converter. It is safe for concurrent use; calls
// are served one at a time, in order.
type Worker struct {
	opts Options

	mu     sync.Mutex
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	done   chan struct{} // closed when the process has exited
	closed bool
}

// Start starts the worker.
func Start(opts Options) (*Worker, error) {
	if len(opts.Command) == 0 || opts.Command[0] == "" {
		return nil, errors.New("converter: no command")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	w := &Worker{opts: opts}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.start(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Worker) start() error {
	name := w.opts.Command[0]
	if strings.Contains(name, "/") && !filepath.IsAbs(name) && w.opts.Dir != "" {
		name = filepath.Join(w.opts.Dir, name)
	}
	cmd := exec.Command(name, w.opts.Command[1:]...)
	cmd.Dir = w.opts.Dir
	cmd.Stderr = w.opts.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("converter: starting %s: %w (check converter.command in bedrock-bench.yaml)", strings.Join(w.opts.Command, " "), err)
	}
	w.cmd, w.stdin, w.stdout = cmd, in, bufio.NewReaderSize(out, 64<<10)
	w.done = make(chan struct{})
	go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(w.done)
	return nil
}

// stop ends the process and waits for it.
func (w *Worker) stop() {
	if w.cmd == nil {
		return
	}
	w.stdin.Close()
	select {
	case <-w.done:
	case <-time.After(2 * time.Second):
		_ = w.cmd.Process.Kill()
		<-w.done
	}
	w.cmd = nil
}

// Close stops the worker: its stdin is closed, and it is killed if it has
// not exited two seconds later.
func (w *Worker) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	w.stop()
	return nil
}

// message is one line of the protocol.
type message struct {
	ID      string          `json:"id"`
	Target  *targetInfo     `json:"target,omitempty"`
	History json.RawMessage `json:"history,omitempty"`
	Request json.RawMessage `json:"request,omitempty"`
	Error   string          `json:"error,omitempty"`
}

type targetInfo struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	Model  string `json:"model"`
	Family string `json:"family"`
}

// Convert sends one case's fixture to the worker and returns the Converse
// request it answers with.
func (w *Worker) Convert(ctx context.Context, c bench.Case) (converse.Request, error) {
	file := filepath.Join(w.opts.Histories, filepath.FromSlash(c.History.ID)+".json")
	data, err := readBounded(file, MaxLine)
	if err != nil {
		return converse.Request{}, err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return converse.Request{}, fmt.Errorf("%s: %w", file, err)
	}
	line, err := json.Marshal(message{ID: c.History.ID, Target: &targetInfo{c.Target.Name, c.Target.Region, c.Target.Model, c.Target.Family().Name}, History: compact.Bytes()})
	if err != nil {
		return converse.Request{}, err
	}
	answer, err := w.roundTrip(ctx, append(line, '\n'))
	if err != nil {
		return converse.Request{}, err
	}
	return parseAnswer(c.History.ID, answer)
}

// parseAnswer reads the worker's answer about history id.
func parseAnswer(id string, answer []byte) (converse.Request, error) {
	var m message
	if err := json.Unmarshal(answer, &m); err != nil {
		return converse.Request{}, fmt.Errorf("the converter answered %q for %s: not a JSON object (%v); it must write one JSON line per history to stdout, logs to stderr", clip(answer), id, err)
	}
	switch {
	case m.ID != id:
		return converse.Request{}, fmt.Errorf("the converter answered for %q, but was asked about %q: answers must come in order, one per line", m.ID, id)
	case m.Error != "":
		return converse.Request{}, errors.New(m.Error)
	case len(m.Request) == 0:
		return converse.Request{}, fmt.Errorf("the converter's answer for %s has neither \"request\" nor \"error\"", id)
	}
	var req converse.Request
	dec := json.NewDecoder(bytes.NewReader(m.Request))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return converse.Request{}, fmt.Errorf("the converter's request for %s is not a Converse request body: %v", id, err)
	}
	return req, nil
}

// roundTrip writes one line and reads one back, within the timeout. A
// worker that dies or times out is restarted for the next call.
func (w *Worker) roundTrip(ctx context.Context, line []byte) ([]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errors.New("converter: closed")
	}
	if w.cmd == nil {
		if err := w.start(); err != nil {
			return nil, err
		}
	}
	type result struct {
		line []byte
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		if _, err := w.stdin.Write(line); err != nil {
			ch <- result{nil, err}
			return
		}
		b, err := readLine(w.stdout, MaxLine)
		ch <- result{b, err}
	}()
	timer := time.NewTimer(w.opts.Timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			w.kill()
			<-w.done
			w.cmd = nil
			if errors.Is(r.err, io.EOF) || errors.Is(r.err, os.ErrClosed) || strings.Contains(r.err.Error(), "broken pipe") {
				return nil, fmt.Errorf("the converter (%s) exited without answering; its stderr says why", strings.Join(w.opts.Command, " "))
			}
			return nil, fmt.Errorf("converter: %w", r.err)
		}
		return r.line, nil
	case <-timer.C:
		w.kill()
		<-ch
		<-w.done
		w.cmd = nil
		return nil, fmt.Errorf("the converter did not answer within %s; it was stopped (raise converter.timeout in bedrock-bench.yaml if it needs longer)", w.opts.Timeout)
	case <-ctx.Done():
		w.kill()
		<-ch
		<-w.done
		w.cmd = nil
		return nil, ctx.Err()
	}
}

func (w *Worker) kill() {
	if w.cmd != nil && w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
}

// readLine reads one line of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > max {
			return nil, fmt.Errorf("an answer line is longer than %d bytes", max)
		}
		switch {
		case err == nil:
			return bytes.TrimRight(buf, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(bytes.TrimSpace(buf)) > 0:
			return bytes.TrimRight(buf, "\r\n"), nil
		default:
			return nil, err
		}
	}
}

func readBounded(file string, max int64) ([]byte, error) {
	return bounded.ReadFile(file, max, "")
}

func clip(b []byte) string {
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}
