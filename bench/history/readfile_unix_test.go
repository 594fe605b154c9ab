//go:build unix

package history

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipeIsRefused: a named pipe with a fixture's name (a leftover of
// a shell's process substitution, a FIFO a tool made in the folder) is
// refused at once, naming what it is. Before, opening it waited for a
// writer for ever: `lint`, `replay` and `converse --history` hung, and
// Ctrl-C could not stop them (the open never returned). Both readers, the
// system-call one lint uses and the portable one, refuse it.
func TestNamedPipeIsRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "q.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	for name, read := range map[string]func(string, int64) ([]byte, int64, error){"readFile": readFile, "readPortable": readPortable} {
		done := make(chan error, 1)
		go func() { _, _, err := read(fifo, 1<<20); done <- err }()
		select {
		case err := <-done:
			var nr errNotRegular
			if !errors.As(err, &nr) || !strings.Contains(err.Error(), "q.json: not a regular file but a named pipe") {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(20 * time.Second): // a guard against a hang, not a timing
			t.Fatalf("%s: reading a named pipe nobody writes to did not return", name)
		}
	}
	if _, err := LoadFile(filepath.Dir(fifo), fifo); err == nil || !strings.Contains(err.Error(), "not a regular file but a named pipe") {
		t.Errorf("LoadFile: %v", err)
	}
}
