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
// A worker that misses the timeout, exits, writes a line that is not an
// answer or answers for another history is stopped, with every process it
// started (it runs in a process group of its own), and started again for
// the next history; one that never answered and exits before its first
// answer three times in a row is not started again. Errors name the
// command and the history.
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
	// Origin says where Command came from, for the error when it cannot
	// be started: "converter.command in bedrock-bench.yaml", "--command".
	// Empty names nothing.
	Origin string
}

// Worker is a running converter. It is safe for concurrent use; calls
// are served one at a time, in order.
type Worker struct {
	opts Options
	name string // the command as the user wrote it, for messages

	mu     sync.Mutex
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	done   chan struct{} // closed when the process has exited
	exit   *error        // the process's exit, once done is closed
	closed bool
	// answered: some process has answered. Until one has, deadStarts
	// counts the processes that exited without answering, and broken,
	// once there are maxDeadStarts of them, is why the worker is not
	// started again: it cannot start. One that has answered is started
	// again after every crash, since it may crash on some histories only.
	answered   bool
	deadStarts int
	broken     error
}

// maxDeadStarts is how many processes in a row may exit without a first
// answer, none having ever answered, before the worker gives up starting
// them: a converter that cannot start would otherwise be started again
// for every history.
const maxDeadStarts = 3

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
	w := &Worker{opts: opts, name: strings.Join(opts.Command, " ")}
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
	// A process the converter started (the worker of a shell or of npm)
	// may keep its stdout and stderr open after it is stopped: Wait does
	// not wait for them longer than this.
	cmd.WaitDelay = 2 * time.Second
	ownGroup(cmd)
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		if w.opts.Origin != "" {
			return fmt.Errorf("converter: starting %s: %w (check %s)", w.name, err, w.opts.Origin)
		}
		return fmt.Errorf("converter: starting %s: %w", w.name, err)
	}
	w.cmd, w.stdin, w.stdout = cmd, in, bufio.NewReaderSize(out, 64<<10)
	done, exit := make(chan struct{}), new(error)
	go func() { *exit = cmd.Wait(); close(done) }()
	w.done, w.exit = done, exit
	return nil
}

// stop ends the process and waits for it: its stdin is closed, and it is
// killed, with the processes it started, if it has not exited two seconds
// later.
func (w *Worker) stop() {
	if w.cmd == nil {
		return
	}
	w.stdin.Close()
	select {
	case <-w.done:
	case <-time.After(2 * time.Second):
	}
	w.abort()
}

// abort kills the process and the processes it started, and waits for
// it; the next call starts a new one.
func (w *Worker) abort() {
	if w.cmd == nil {
		return
	}
	killGroup(w.cmd)
	w.stdin.Close()
	<-w.done
	w.cmd = nil
}

// Close stops the worker: its stdin is closed, and it is killed, with the
// processes it started, if it has not exited two seconds later.
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
// request it answers with. Its errors name the converter's command and
// the history.
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
	req, err := w.roundTrip(ctx, c.History.ID, append(line, '\n'))
	if err != nil {
		return converse.Request{}, fmt.Errorf("%q on %s: %w", w.name, c.History.ID, err)
	}
	return req, nil
}

// errOutOfStep marks an answer that is not the answer to the history
// asked about: what the worker writes next cannot be trusted to be, so
// it is started again.
var errOutOfStep = errors.New("out of step")

// outOfStep is an error of errOutOfStep with its own message.
type outOfStep struct{ msg string }

func (e *outOfStep) Error() string        { return e.msg }
func (e *outOfStep) Is(target error) bool { return target == errOutOfStep }

// parseAnswer reads the worker's answer about history id.
func parseAnswer(id string, answer []byte) (converse.Request, error) {
	var m message
	if err := json.Unmarshal(answer, &m); err != nil {
		return converse.Request{}, &outOfStep{fmt.Sprintf("answered %q, not a JSON object (%v): a converter writes one JSON line per history to stdout, and its logs to stderr; it was stopped and is started again for the next history", clip(answer), err)}
	}
	switch {
	case m.ID != id:
		return converse.Request{}, &outOfStep{fmt.Sprintf("answered for %q: answers come in order, one line per history, with the id of the history they answer; it was stopped and is started again for the next history", m.ID)}
	case m.Error != "":
		return converse.Request{}, fmt.Errorf("the converter cannot convert it: %s", m.Error)
	case len(m.Request) == 0:
		return converse.Request{}, errors.New(`answered with neither "request" nor "error"`)
	}
	var req converse.Request
	dec := json.NewDecoder(bytes.NewReader(m.Request))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return converse.Request{}, fmt.Errorf("answered a request that is not a Converse request body: %v", err)
	}
	return req, nil
}

// roundTrip writes one line and reads the answer about id, within the
// timeout. A worker that dies, times out or answers out of step is
// stopped, and started again for the next call.
func (w *Worker) roundTrip(ctx context.Context, id string, line []byte) (converse.Request, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return converse.Request{}, errors.New("the converter is closed")
	}
	if w.broken != nil {
		return converse.Request{}, w.broken
	}
	if w.cmd == nil {
		if err := w.start(); err != nil {
			return converse.Request{}, err
		}
	}
	type result struct {
		line []byte
		err  error
	}
	ch := make(chan result, 1)
	stdin, stdout := w.stdin, w.stdout
	go func() {
		if _, err := stdin.Write(line); err != nil {
			ch <- result{nil, err}
			return
		}
		b, err := readLine(stdout, MaxLine)
		ch <- result{b, err}
	}()
	timer := time.NewTimer(w.opts.Timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if errors.Is(r.err, errTooLong) {
			w.abort()
			return converse.Request{}, fmt.Errorf("answered with a line longer than %d bytes; it was stopped and is started again for the next history", MaxLine)
		}
		if r.err != nil {
			w.abort()
			if !w.answered {
				if w.deadStarts++; w.deadStarts >= maxDeadStarts {
					w.broken = fmt.Errorf("exited without answering the first history it was given %d times in a row (%s); it is not started again: run it by hand, its stderr says why", w.deadStarts, exitText(*w.exit))
					return converse.Request{}, w.broken
				}
			}
			return converse.Request{}, fmt.Errorf("exited without answering (%s); its stderr says why; it is started again for the next history", exitText(*w.exit))
		}
		w.answered = true
		req, err := parseAnswer(id, r.line)
		if errors.Is(err, errOutOfStep) {
			w.abort()
		}
		return req, err
	case <-timer.C:
		w.abort()
		<-ch
		return converse.Request{}, fmt.Errorf("did not answer within %s; it was stopped and is started again for the next history (raise converter.timeout in bedrock-bench.yaml if it needs longer)", w.opts.Timeout)
	case <-ctx.Done():
		w.abort()
		<-ch
		return converse.Request{}, ctx.Err()
	}
}

var errTooLong = errors.New("line too long")

// exitText says how a process ended, from its Wait error.
func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// readLine reads one line of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > max {
			return nil, errTooLong
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
