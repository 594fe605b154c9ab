//go:build unix

package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A catalog file is read up to MaxFileSize whatever it is: a FIFO or a
// device such as /dev/zero named by mistake was read without end.
func TestLoadIsBounded(t *testing.T) {
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
		chunk := []byte(strings.Repeat(" ", 1<<20))
		for range MaxFileSize>>20 + 2 {
			if _, err := f.Write(chunk); err != nil {
				return
			}
		}
	}()
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), p) {
		t.Fatalf("Load of an endless file: %v", err)
	}
}
