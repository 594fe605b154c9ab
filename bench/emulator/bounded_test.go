//go:build unix

package emulator

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// endlessFIFO is a named pipe that yields more bytes than any file the
// emulator reads may hold, as /dev/zero would, and whose size a stat
// reports as 0.
func endlessFIFO(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for range (maxKeysFile >> 16) + 2 {
			if _, err := f.Write(chunk); err != nil {
				return
			}
		}
	}()
	return p
}

// A keys or guardrail file is read up to its limit whatever it is: a
// FIFO or a device passed the size check of a stat and was read whole.
func TestKeysAndGuardrailFilesAreBounded(t *testing.T) {
	for name, load := range map[string]func(string) error{
		"keys":      func(p string) error { _, _, err := LoadKeys(p); return err },
		"guardrail": func(p string) error { _, err := LoadGuardrails(p); return err },
	} {
		p := endlessFIFO(t)
		err := load(p)
		if err == nil || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
