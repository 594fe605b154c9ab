//go:build unix

package bounded

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadFileEndless: a device that never ends and a FIFO fed without
// end are refused after limit+1 bytes rather than read without end.
func TestReadFileEndless(t *testing.T) {
	var tl *TooLargeError
	dir := t.TempDir()
	if _, err := ReadFile("/dev/zero", 1<<10, ""); !errors.As(err, &tl) {
		t.Fatalf("/dev/zero: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		chunk := make([]byte, 4096)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { _, err := ReadFile(fifo, 1<<16, ""); done <- err }()
	select {
	case err := <-done:
		if !errors.As(err, &tl) {
			t.Fatalf("a FIFO fed without end: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a FIFO fed without end was read without end")
	}
}
