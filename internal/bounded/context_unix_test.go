//go:build unix

package bounded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe in a temporary folder, or skips the test.
// At the end of the test it opens the pipe for writing without waiting,
// which lets an open left waiting for a writer return.
func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "p")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	t.Cleanup(func() {
		if w, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	return p
}

// readOrHang runs ReadFileContext, failing the test if it does not return.
func readOrHang(t *testing.T, ctx context.Context, path string) ([]byte, error) {
	t.Helper()
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := ReadFileContext(ctx, path, 1<<10, "")
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		t.Fatalf("%s: the read did not end", path)
		return nil, nil
	}
}

// TestReadFileContextPipeWithoutWriter: a named pipe nobody writes to is
// given up when the context ends, with an error that says so and wraps
// the context's; before, its open waited for ever, through a Ctrl-C.
func TestReadFileContextPipeWithoutWriter(t *testing.T) {
	p := mkfifo(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Let the open start; the result is the same if it has not.
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err := readOrHang(t, ctx, p)
	var ie *InterruptedError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) || err.Error() != p+": a named pipe with nothing writing to it: interrupted" {
		t.Fatalf("%v", err)
	}
}

// TestReadFileContextPipeNotClosed: a writer that opened the pipe but does
// not close it holds the read; the context's end stops it.
func TestReadFileContextPipeNotClosed(t *testing.T) {
	p := mkfifo(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0) // returns once the read opened it
		if err != nil {
			return
		}
		defer w.Close()
		w.WriteString(`{"a":`)
		cancel()
		<-t.Context().Done()
	}()
	_, err := readOrHang(t, ctx, p)
	var ie *InterruptedError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) || !strings.HasSuffix(err.Error(), ": interrupted") {
		t.Fatalf("%v", err)
	}
}

// TestReadFileContextPipeWithWriter: mkfifo p; cat x.json > p & and the
// pipe given as the file is read whole, as before.
func TestReadFileContextPipeWithWriter(t *testing.T) {
	p := mkfifo(t)
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.WriteString(`{"Version": "2012-10-17"}`)
		w.Close()
	}()
	data, err := readOrHang(t, t.Context(), p)
	if err != nil || string(data) != `{"Version": "2012-10-17"}` {
		t.Fatalf("%q, %v", data, err)
	}
	// Bounded as ReadFile is.
	p2 := mkfifo(t)
	go func() {
		w, err := os.OpenFile(p2, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		for {
			if _, err := w.Write(make([]byte, 4096)); err != nil {
				return
			}
		}
	}()
	var tl *TooLargeError
	if _, err := readOrHang(t, t.Context(), p2); !errors.As(err, &tl) {
		t.Fatalf("a FIFO fed without end: %v", err)
	}
}

// TestReadFileContextProcessSubstitution: <(cat x.json) names the read end
// of a pipe as /dev/fd/N, which a stat reports as a named pipe; it is read
// whole, already written or still being written.
func TestReadFileContextProcessSubstitution(t *testing.T) {
	for _, early := range []bool{true, false} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/dev/fd/%d", r.Fd())
		if _, err := os.Stat(path); err != nil {
			r.Close()
			w.Close()
			t.Skipf("no /dev/fd here: %v", err)
		}
		write := func() {
			w.WriteString("salt\n")
			w.Close()
		}
		if early {
			write()
		} else {
			go write()
		}
		data, err := readOrHang(t, t.Context(), path)
		r.Close()
		if err != nil || string(data) != "salt\n" {
			t.Fatalf("written before: %v: %q, %v", early, data, err)
		}
	}
}

// A regular file is read whatever the context: it cannot wait.
func TestReadFileContextRegular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if data, err := ReadFileContext(ctx, p, 10, ""); err != nil || string(data) != "x" {
		t.Fatalf("%q, %v", data, err)
	}
	if _, err := ReadFileContext(ctx, p+"-none", 10, ""); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%v", err)
	}
}
