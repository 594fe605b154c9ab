package converter

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestConverterDiesWithTheBench: a bench killed without Close (go test
// -timeout, CI's SIGKILL to the job's process group, which the converter
// is not in) takes its converter with it; before, the converter lived on
// with parent 1. The converter here neither reads stdin nor exits on
// SIGTERM.
func TestConverterDiesWithTheBench(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pidfile := filepath.Join(t.TempDir(), "pid")
	bench := exec.Command(exe, "-test.run=^$")
	bench.Env = append(os.Environ(), parentEnv+"="+pidfile, workerEnv+"=deaf")
	bench.Stderr = os.Stderr
	if err := bench.Start(); err != nil {
		t.Fatal(err)
	}
	defer bench.Process.Kill()
	var pid int
	for i := 0; ; i++ {
		if data, err := os.ReadFile(pidfile); err == nil {
			pid, _ = strconv.Atoi(string(data))
			break
		}
		if i == 600 {
			t.Fatal("the bench never started its converter")
		}
		time.Sleep(50 * time.Millisecond)
	}
	bench.Process.Signal(syscall.SIGKILL)
	bench.Wait()
	for i := 0; alive(pid); i++ {
		if i == 200 {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the converter %d outlived the bench", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// alive reports whether process pid runs: it exists and is not a zombie
// waiting for a parent (pid 1 in a container) to reap it.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state ...: the state follows the last ')'.
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z' && stat[i+2] != 'X'
	}
	return true
}
