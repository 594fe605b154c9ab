package replay

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// deadPID is the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	return cmd.Process.Pid
}

// TestRecordRemovesStaleTemps: temporary files that killed recordings
// left beside the cassettes are removed when a recording opens the
// folder; saves in flight (this process's, or a live recorder's) are
// kept, and the new recording saves as usual.
func TestRecordRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "case.yaml")
	plant := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("---\nversion: 1\ninteractions:\n    - request:\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if age > 0 {
			then := time.Now().Add(-age)
			os.Chtimes(p, then, then)
		}
		return p
	}
	stale := []string{
		plant(".case.yaml.tmp-2851934", 0), // the older naming, without a process id
		plant(".other.yaml.tmp-"+strconv.Itoa(deadPID(t))+"-77", 0),
		plant(".case.yaml.tmp-1-88", 2*StaleAge), // a live process, but an hour-old save
	}
	keep := []string{
		plant(".case.yaml.tmp-"+strconv.Itoa(os.Getpid())+"-99", 0), // this process, in flight
		plant(".case.yaml.tmp-1-100", 0),                            // a live process, just now
		plant("notes.txt", 0),
		plant("case.yaml.bak", 0),
	}
	for _, p := range stale {
		if msg := DescribeTemp(p); msg == "" || !IsTempFile(filepath.Base(p)) {
			t.Errorf("%s: not seen as a stale temporary file", p)
		}
	}
	if got, _ := StaleTemps(dir); !slices.Equal(sorted(got), sorted(stale)) {
		t.Errorf("stale temporary files:\n got %v\nwant %v", got, stale)
	}
	recordOne(t, path, nil, "after a crash")
	for _, p := range stale {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was not removed", p)
		}
	}
	for _, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	if _, err := Load(path); err != nil {
		t.Errorf("the new recording: %v", err)
	}
	// The new save's own temporary file is gone too.
	if got, _ := StaleTemps(dir); len(got) != 0 {
		t.Errorf("left after recording: %v", got)
	}
	if removed, err := RemoveStaleTemps(filepath.Join(dir, "missing")); err != nil || removed != nil {
		t.Errorf("a missing folder: %v %v", removed, err)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
