//go:build unix

package project

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A named pipe called bedrock-bench.yaml, here or in a folder above, is
// named and refused before it is opened: opening it would wait for a
// writer, and every command with it.
func TestProjectFileThatIsAPipe(t *testing.T) {
	root := t.TempDir()
	fifo := filepath.Join(root, FileName)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, load := range []func() error{
		func() error { _, err := Discover(deep); return err },
		func() error { _, err := Load(fifo); return err },
	} {
		// A writer lets a reader that opens the pipe go on, with a
		// project file it would take for one.
		wrote := make(chan struct{})
		go func() {
			defer close(wrote)
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				_, _ = w.WriteString("histories: from-the-pipe\n")
				w.Close()
			}
		}()
		err := load()
		// Release the writer if nothing opened the pipe.
		r, rerr := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		<-wrote
		if rerr == nil {
			r.Close()
		}
		if err == nil || !strings.Contains(err.Error(), fifo+": a named pipe, not a project file") {
			t.Errorf("err = %v, want the pipe named", err)
		}
	}
}

// A folder called bedrock-bench.yaml is no project file either.
func TestProjectFileThatIsAFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, FileName)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Discover(root); err == nil || !strings.Contains(err.Error(), dir+": a folder, not a project file") {
		t.Errorf("err = %v, want the folder named", err)
	}
}
