package bounded

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// InterruptedError is the read of a file that is not a regular file (a
// named pipe, a device) given up because the context ended first: the
// open of a named pipe waits for a writer, and its read for the writer to
// close it, which may never come. It wraps the context's error, so
// errors.Is(err, context.Canceled) holds for a Ctrl-C.
type InterruptedError struct {
	Path string
	// Kind is what the file is, as Kind words it: "a named pipe".
	Kind string
	// Opened says the file was open: a named pipe had a writer, which had
	// not closed it yet.
	Opened bool
	Err    error
}

func (e *InterruptedError) Error() string {
	switch {
	case e.Kind == "a named pipe" && e.Opened:
		return fmt.Sprintf("%s: a named pipe its writer had not closed yet: interrupted", e.Path)
	case e.Kind == "a named pipe":
		return fmt.Sprintf("%s: a named pipe with nothing writing to it: interrupted", e.Path)
	}
	return fmt.Sprintf("%s: %s not read to its end: interrupted", e.Path, e.Kind)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// ReadFileContext is ReadFile that gives up when ctx ends, with an
// *InterruptedError. A regular file (or a path that cannot be stat'ed,
// whose error the open reports) is read as ReadFile does. Anything else,
// a named pipe above all (process substitution's /dev/fd/63 is one, a
// pipe with a writer), is opened and read in a goroutine, which ctx's end
// abandons: a read in progress is stopped by closing the file; an open
// still waiting for a writer cannot be, and that goroutine is left behind,
// which costs nothing in a command that ends, as an interrupted one does.
func ReadFileContext(ctx context.Context, path string, limit int64, what string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil || st.Mode().IsRegular() {
		return ReadFile(path, limit, what)
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1) // the goroutine never waits on it
	var opened atomic.Bool
	go func() {
		f, err := os.Open(path)
		if err != nil {
			done <- result{nil, err}
			return
		}
		defer f.Close()
		opened.Store(true)
		// Closing the file ends a read waiting for the writer; run at
		// once when ctx ended while the open waited.
		stop := context.AfterFunc(ctx, func() { f.Close() })
		defer stop()
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		switch {
		case err != nil:
		case int64(len(data)) > limit:
			data, err = nil, &TooLargeError{Path: path, Limit: limit, What: what}
		}
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		select {
		case r := <-done: // finished as ctx ended: its result stands
			if r.err == nil {
				return r.data, nil
			}
		default:
		}
		return nil, &InterruptedError{Path: path, Kind: Kind(st.Mode()), Opened: opened.Load(), Err: context.Cause(ctx)}
	}
}
