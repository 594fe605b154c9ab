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
// Blank lines before an answer are skipped. A worker that misses the
// timeout, exits, writes a line that is not an answer or answers for
// another history is stopped, with every process it started (it runs in a
// process group of its own), and started again for the next history. One
// that has never answered and fails so three times in a row (it exits,
// misses the timeout or writes a line that is not JSON before its first
// answer) is not started again: the remaining histories fail at once, with
// one error that says what to check. Errors name the command and the
// history; the last lines the worker wrote to stderr are kept in the error
// when it exits.
//
// On Linux the worker is killed when the bench dies, however it dies; on
// other systems a worker must exit when its stdin closes (a converter that
// reads stdin line by line does).
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
	// TimeoutSetting says where Timeout is raised, for the error when the
	// worker misses it: "converter.timeout in conv.yaml", "--timeout".
	// Empty means converter.timeout in bedrock-bench.yaml.
	TimeoutSetting string
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
	tail   *tailBuffer // the end of the process's stderr
	// answered: some process has answered with a JSON line. Until one
	// has, deadStarts counts the processes that gave no answer (they
	// exited, missed the timeout or wrote a line that is not JSON), and
	// broken, once there are maxDeadStarts of them, is why the worker is
	// not started again. One that has answered is started again after
	// every failure, since it may fail on some histories only.
	answered   bool
	deadStarts int
	broken     error
}

// maxDeadStarts is how many processes in a row may fail without a first
// answer, none having ever answered, before the worker gives up starting
// them: a converter that cannot start, or never answers, would otherwise
// be started again for every history, at the cost of a timeout each.
const maxDeadStarts = 3

// GaveUp is the error the remaining histories fail with once the worker
// gave up starting the converter (see the package doc), or nil.
func (w *Worker) GaveUp() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.broken
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
	tail := &tailBuffer{out: w.opts.Stderr}
	cmd.Stderr = tail
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
	w.cmd, w.stdin, w.stdout, w.tail = cmd, in, bufio.NewReaderSize(out, 64<<10), tail
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

// outOfStep is an error of errOutOfStep with its own message; notJSON
// marks a line that is not JSON at all, which does not show the worker
// speaks the protocol.
type outOfStep struct {
	msg     string
	notJSON bool
	line    []byte
}

func (e *outOfStep) Error() string        { return e.msg }
func (e *outOfStep) Is(target error) bool { return target == errOutOfStep }

// parseAnswer reads the worker's answer about history id.
func parseAnswer(id string, answer []byte) (converse.Request, error) {
	var m message
	if err := json.Unmarshal(answer, &m); err != nil {
		return converse.Request{}, &outOfStep{msg: fmt.Sprintf("answered %q, not a JSON object (%v): a converter writes one JSON line per history to stdout, and its logs to stderr (run through npm, use npm run --silent); it was stopped and is started again for the next history", clip(answer), err), notJSON: true, line: answer}
	}
	switch {
	case m.ID != id:
		return converse.Request{}, &outOfStep{msg: fmt.Sprintf("answered for %q: answers come in order, one line per history, with the id of the history they answer; it was stopped and is started again for the next history", m.ID)}
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
		for {
			// Blank lines are not answers: a newline printed by a
			// library, or npm's banner around the script's name.
			b, err := readLine(stdout, MaxLine)
			if err == nil && len(bytes.TrimSpace(b)) == 0 {
				continue
			}
			ch <- result{b, err}
			return
		}
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
			exit := fmt.Sprintf("%s; %s", exitText(*w.exit), w.tail.says())
			if err := w.noAnswer("exited without answering the first history it was given ("+exit+")", "run it by hand to see why it stops"); err != nil {
				return converse.Request{}, err
			}
			return converse.Request{}, fmt.Errorf("exited without answering (%s); it is started again for the next history", exit)
		}
		req, err := parseAnswer(id, r.line)
		var oos *outOfStep
		if errors.As(err, &oos) {
			w.abort()
			if oos.notJSON {
				if err := w.noAnswer(fmt.Sprintf("wrote %q to stdout before its first answer, not a JSON object", clip(oos.line)), "a converter writes only its answers to stdout, its logs to stderr; run through npm, use npm run --silent, as npm run prints the script's name on stdout"); err != nil {
					return converse.Request{}, err
				}
				return req, err
			}
		}
		w.answered = true
		return req, err
	case <-timer.C:
		w.abort()
		<-ch
		if err := w.noAnswer(fmt.Sprintf("did not answer the first history it was given within %s", w.opts.Timeout), "it must answer each line as it comes and flush stdout after each answer (print(..., flush=True)): one that reads all of stdin before answering (fs.readFileSync(0), sys.stdin.read()) never answers; if its first answer takes longer, raise "+w.timeoutSetting()); err != nil {
			return converse.Request{}, err
		}
		return converse.Request{}, fmt.Errorf("did not answer within %s; it was stopped and is started again for the next history (raise %s if it needs longer)", w.opts.Timeout, w.timeoutSetting())
	case <-ctx.Done():
		w.abort()
		<-ch
		return converse.Request{}, ctx.Err()
	}
}

// timeoutSetting is where the timeout is raised.
func (w *Worker) timeoutSetting() string {
	if w.opts.TimeoutSetting != "" {
		return w.opts.TimeoutSetting
	}
	return "converter.timeout in bedrock-bench.yaml"
}

var errTooLong = errors.New("line too long")

// noAnswer counts a process that failed without answering, none having
// ever answered; at the maxDeadStarts-th in a row it returns the error
// the worker gives up with, which says why (what) and what to check, and
// nil before.
func (w *Worker) noAnswer(why, check string) error {
	if w.answered {
		return nil
	}
	if w.deadStarts++; w.deadStarts < maxDeadStarts {
		return nil
	}
	w.broken = fmt.Errorf("%s, %d times in a row, and has never answered: it is not started again, and the remaining histories fail at once; %s", why, w.deadStarts, check)
	return w.broken
}

// tailBuffer passes a process's stderr on to out, and keeps its last
// bytes for the error when it exits: out may be io.Discard (lint
// cassettes/). An error writing to out is ignored: the process's stderr
// is not closed for it.
type tailBuffer struct {
	out io.Writer
	mu  sync.Mutex
	buf []byte
}

const tailMax = 4 << 10

func (t *tailBuffer) Write(p []byte) (int, error) {
	_, _ = t.out.Write(p)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(p) >= tailMax {
		t.buf = append(t.buf[:0], p[len(p)-tailMax:]...)
	} else {
		if over := len(t.buf) + len(p) - tailMax; over > 0 {
			t.buf = t.buf[over:]
		}
		t.buf = append(t.buf, p...)
	}
	return len(p), nil
}

// says words the last lines written, at most 5 and 500 bytes, quoted, so
// no terminal control character is passed on.
func (t *tailBuffer) says() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	s := strings.TrimSpace(strings.Join(lines, "\n"))
	if s == "" {
		return "it wrote nothing to stderr"
	}
	if len(s) > 500 {
		s = "…" + strings.ToValidUTF8(s[len(s)-500:], "")
	}
	return fmt.Sprintf("its stderr ended with %q", s)
}

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
