package converter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/internal/shellwords"
)

// lockedBuffer is a stderr that is not a file: the worker's stderr is
// then copied by a goroutine of its own.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Len() int { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Len() }

// startWorkerTo starts this test binary as a converter worker in mode,
// its stderr going to stderr.
func startWorkerTo(t *testing.T, mode string, timeout time.Duration, stderr io.Writer) *Worker {
	t.Helper()
	t.Setenv(workerEnv, mode)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	w, err := Start(Options{Command: []string{exe, "-test.run=^$"}, Histories: "../../histories", Timeout: timeout, Stderr: stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// convert runs one conversion, failing the test if it does not return.
func convert(t *testing.T, w *Worker, id string) error {
	t.Helper()
	c := cleanCases(t)[0]
	c.History.ID = id
	errc := make(chan error, 1)
	go func() { _, err := w.Convert(context.Background(), c); errc <- err }()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Minute):
		t.Fatalf("the conversion of %s never returned", id)
		return nil
	}
}

// TestMisbehavingConverters: each way a converter can fail gives an error
// that names the converter's command, the history and what went wrong,
// and the next history gets a worker that answers it.
func TestMisbehavingConverters(t *testing.T) {
	id := cleanCases(t)[0].History.ID
	for _, tc := range []struct {
		mode, want string
	}{
		{"garbage", `answered "Converting…"`},
		{"hang", "did not answer within"},
		{"die", "exited without answering"},
		{"exit0", "exited without answering"},
		{"wrong-id", `answered for "other"`},
		{"refuse", "cannot convert"},
		{"huge", "longer than"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			w := startWorkerTo(t, tc.mode, 2*time.Second, &lockedBuffer{})
			err := convert(t, w, id)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), id) || !strings.Contains(err.Error(), "-test.run=^$") {
				t.Fatalf("%v: want %q, the history %s and the command", err, tc.want, id)
			}
			if tc.mode == "refuse" {
				return // it answered in step: the same process serves on
			}
			t.Setenv(workerEnv, "stable")
			if err := convert(t, w, id); err != nil {
				t.Errorf("the next history: %v", err)
			}
		})
	}
}

// TestAnswerOutOfStepDoesNotShiftTheNext: a converter that answers one
// history twice fails the next history, whose answer is not its own, and
// is started again: the histories after get their own answers, not each
// the one meant for the history before.
func TestAnswerOutOfStepDoesNotShiftTheNext(t *testing.T) {
	t.Setenv("BEDROCK_BENCH_TEST_MARK", t.TempDir()+"/answered-twice")
	w := startWorkerTo(t, "twice", 5*time.Second, &lockedBuffer{})
	cases := cleanCases(t)
	for i, c := range cases[:4] {
		_, err := w.Convert(context.Background(), c)
		if i == 1 {
			if err == nil || !strings.Contains(err.Error(), `answered for "`+cases[0].History.ID+`"`) {
				t.Errorf("%s, given the answer of %s: %v", c.History.ID, cases[0].History.ID, err)
			}
			continue
		}
		if err != nil && (i != 0 || !strings.Contains(err.Error(), "the first answer, twice")) {
			t.Errorf("%s: %v", c.History.ID, err)
		}
	}
}

// TestNoisyStderr: a converter that writes megabytes to stderr answers.
func TestNoisyStderr(t *testing.T) {
	var stderr lockedBuffer
	w := startWorkerTo(t, "noisy", 10*time.Second, &stderr)
	if err := convert(t, w, cleanCases(t)[0].History.ID); err != nil {
		t.Fatal(err)
	}
	if stderr.Len() < 1<<20 {
		t.Errorf("stderr passed on: %d bytes", stderr.Len())
	}
}

// TestHungChildOfTheConverterIsStopped: a converter run through a shell
// (or npm) is a child of the process started; when it hangs, the
// conversion ends at the timeout and the child is stopped too, even
// though it holds the worker's stdout and stderr.
func TestHungChildOfTheConverterIsStopped(t *testing.T) {
	pidfile := t.TempDir() + "/pid"
	t.Setenv("BEDROCK_BENCH_TEST_PIDFILE", pidfile)
	w := startWorkerTo(t, "spawn", time.Second, &lockedBuffer{})
	if err := convert(t, w, cleanCases(t)[0].History.ID); err == nil || !strings.Contains(err.Error(), "did not answer within") {
		t.Fatalf("%v", err)
	}
	data, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(data))
	for i := 0; ; i++ {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			break
		}
		if i == 100 {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the converter's child %d still runs", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestConverterThatCannotStartIsNotStartedForEveryHistory: a converter
// that exits before its first answer every time it starts is given up
// after a few starts, with an error that says so, instead of being
// started again for each of thousands of histories.
func TestConverterThatCannotStartIsNotStartedForEveryHistory(t *testing.T) {
	w := startWorkerTo(t, "die", 5*time.Second, &lockedBuffer{})
	id := cleanCases(t)[0].History.ID
	var last error
	for i := 0; i < maxDeadStarts+2; i++ {
		last = convert(t, w, id)
		if last == nil || !strings.Contains(last.Error(), "exit status 3") {
			t.Fatalf("call %d: %v", i+1, last)
		}
	}
	if !strings.Contains(last.Error(), "it is not started again") {
		t.Errorf("%v", last)
	}
	w.mu.Lock()
	started := w.cmd != nil
	w.mu.Unlock()
	if started {
		t.Error("a process was started again")
	}
}

// TestConverterThatCrashesOnSomeHistoriesIsStartedAgain: a converter that
// has answered once is started again after every crash, however many in
// a row: it may crash on some histories only.
func TestConverterThatCrashesOnSomeHistoriesIsStartedAgain(t *testing.T) {
	w := startWorkerTo(t, "stable", 5*time.Second, &lockedBuffer{})
	id := cleanCases(t)[0].History.ID
	if err := convert(t, w, id); err != nil {
		t.Fatal(err)
	}
	t.Setenv(workerEnv, "die")
	w.mu.Lock()
	w.abort() // the next process is started in die mode
	w.mu.Unlock()
	for i := 0; i < maxDeadStarts+1; i++ {
		if err := convert(t, w, id); err == nil || strings.Contains(err.Error(), "not started again") {
			t.Fatalf("crash %d: %v", i+1, err)
		}
	}
	t.Setenv(workerEnv, "stable")
	if err := convert(t, w, id); err != nil {
		t.Errorf("after the crashes: %v", err)
	}
}

// TestConverterThatNeverAnswersIsGivenUp: a converter that reads all of
// stdin before answering never answers; after three timeouts in a row,
// none of its processes having answered, it is not started again and
// the remaining histories fail at once with one error that names the
// command and says what to check. Before, every history cost a timeout
// and a new process: 97 histories, 48 minutes at the default 30 s.
func TestConverterThatNeverAnswersIsGivenUp(t *testing.T) {
	w := startWorkerTo(t, "slurp", 200*time.Millisecond, &lockedBuffer{})
	id := cleanCases(t)[0].History.ID
	for i := 0; i < maxDeadStarts-1; i++ {
		if err := convert(t, w, id); err == nil || !strings.Contains(err.Error(), "did not answer within") || strings.Contains(err.Error(), "not started again") {
			t.Fatalf("timeout %d: %v", i+1, err)
		}
	}
	for i := 0; i < 3; i++ {
		err := convert(t, w, id)
		for _, want := range []string{"-test.run=^$", "did not answer the first history it was given within 200ms, 3 times in a row", "it is not started again", "answer each line as it comes", "reads all of stdin before answering"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("call %d after the timeouts: %v, want %q", i+1, err, want)
			}
		}
	}
	if w.GaveUp() == nil {
		t.Error("GaveUp: nil")
	}
	w.mu.Lock()
	started := w.cmd != nil
	w.mu.Unlock()
	if started {
		t.Error("a process was started again")
	}
}

// TestConverterThatAnsweredIsStartedAgainAfterTimeouts: timeouts after
// an answer do not give up: the converter may be slow on some histories.
func TestConverterThatAnsweredIsStartedAgainAfterTimeouts(t *testing.T) {
	w := startWorkerTo(t, "stable", 200*time.Millisecond, &lockedBuffer{})
	id := cleanCases(t)[0].History.ID
	if err := convert(t, w, id); err != nil {
		t.Fatal(err)
	}
	t.Setenv(workerEnv, "deaf")
	w.mu.Lock()
	w.abort()
	w.mu.Unlock()
	for i := 0; i < maxDeadStarts+1; i++ {
		if err := convert(t, w, id); err == nil || !strings.Contains(err.Error(), "did not answer within") {
			t.Fatalf("timeout %d: %v", i+1, err)
		}
	}
	t.Setenv(workerEnv, "stable")
	if err := convert(t, w, id); err != nil {
		t.Errorf("after the timeouts: %v", err)
	}
}

// TestNpmBannerIsNotAnAnswer: npm run (without --silent) prints the
// script's name on stdout before the converter starts. The line is not
// an answer: the converter is given up after three starts, with an error
// that says npm run --silent. Before, the banner line counted as an
// answer and the converter was started again for every history.
func TestNpmBannerIsNotAnAnswer(t *testing.T) {
	w := startWorkerTo(t, "banner", 10*time.Second, &lockedBuffer{})
	id := cleanCases(t)[0].History.ID
	for i := 0; i < maxDeadStarts-1; i++ {
		if err := convert(t, w, id); err == nil || !strings.Contains(err.Error(), `answered "> pkg@1.0.0 convert"`) || !strings.Contains(err.Error(), "npm run --silent") {
			t.Fatalf("start %d: %v", i+1, err)
		}
	}
	for i := 0; i < 2; i++ {
		err := convert(t, w, id)
		if err == nil || !strings.Contains(err.Error(), `wrote "> pkg@1.0.0 convert" to stdout before its first answer, not a JSON object, 3 times in a row`) || !strings.Contains(err.Error(), "use npm run --silent") {
			t.Fatalf("after the starts: %v", err)
		}
	}
}

// TestBlankLinesBeforeAnAnswerAreSkipped: a converter (or a library it
// uses) that prints empty lines is answered by its next line.
func TestBlankLinesBeforeAnAnswerAreSkipped(t *testing.T) {
	w := startWorkerTo(t, "blank", 10*time.Second, &lockedBuffer{})
	for _, c := range cleanCases(t)[:3] {
		if err := convert(t, w, c.History.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNpmRunSilent: a converter run by npm run --silent answers; npm run
// without it does not (README, "Bring your own converter").
func TestNpmRunSilent(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("no npm")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pkg, _ := json.Marshal(map[string]any{"name": "pkg", "version": "1.0.0", "private": true, "scripts": map[string]string{"convert": shellwords.Quote(exe) + " -test.run=^$"}})
	if err := os.WriteFile(filepath.Join(dir, "package.json"), pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(workerEnv, "stable")
	t.Setenv("npm_config_update_notifier", "false")
	id := cleanCases(t)[0].History.ID
	for _, tc := range []struct {
		command []string
		ok      bool
	}{{[]string{"npm", "run", "--silent", "convert"}, true}, {[]string{"npm", "run", "convert"}, false}} {
		w, err := Start(Options{Command: tc.command, Dir: dir, Histories: "../../histories", Timeout: 30 * time.Second, Stderr: &lockedBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		err = convert(t, w, id)
		w.Close()
		if (err == nil) != tc.ok || err != nil && !strings.Contains(err.Error(), "npm run --silent") {
			t.Errorf("%s: %v", strings.Join(tc.command, " "), err)
		}
	}
}

// TestExitKeepsTheEndOfStderr: the error about a converter that exits
// quotes the last lines of its stderr, control characters escaped, even
// when its stderr goes nowhere (lint cassettes/).
func TestExitKeepsTheEndOfStderr(t *testing.T) {
	w := startWorkerTo(t, "die-says", 10*time.Second, io.Discard)
	id := cleanCases(t)[0].History.ID
	for i := 0; i < maxDeadStarts; i++ {
		err := convert(t, w, id)
		if err == nil || !strings.Contains(err.Error(), `its stderr ended with "Traceback (most recent call last):\nModuleNotFoundError: No module named 'litellm'\x1b]0;title\a"`) {
			t.Fatalf("start %d: %v", i+1, err)
		}
	}
}
