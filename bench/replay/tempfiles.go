package replay

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Save writes a cassette to a temporary file beside it, named
// ".<cassette>.yaml.tmp-<pid>-<random>", then renames it over the
// cassette. A recorder killed in between leaves that file behind; these
// functions find and remove such leftovers.

// tempMarker separates a cassette's name from the temporary suffix.
const tempMarker = ".yaml.tmp-"

// StaleAge is how old a temporary file must be to count as stale even
// when the process that wrote it may still run: a save takes
// milliseconds, so an hour-old one was abandoned.
const StaleAge = time.Hour

// tempPattern is the os.CreateTemp pattern for a save of path.
func tempPattern(path string) string {
	return "." + filepath.Base(path) + ".tmp-" + strconv.Itoa(os.Getpid()) + "-*"
}

// IsTempFile reports whether name (a base name) is a temporary file of a
// cassette save.
func IsTempFile(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker)
}

// IsStaleTemp reports whether the temporary file at path was abandoned:
// its writer is no longer running, or it is older than StaleAge, or it
// predates the naming that records the writer's process id.
func IsStaleTemp(path string, info fs.FileInfo) bool {
	name := filepath.Base(path)
	if !IsTempFile(name) {
		return false
	}
	if time.Since(info.ModTime()) > StaleAge {
		return true
	}
	rest := name[strings.Index(name, tempMarker)+len(tempMarker):]
	pidText, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || pid <= 0 {
		return true // the older naming, without a process id
	}
	if pid == os.Getpid() {
		return false // one of this process's saves, in flight
	}
	return !processRunning(pid)
}

// processRunning reports whether a process with this id exists.
func processRunning(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// StaleTemps lists the stale temporary files directly in dir.
func StaleTemps(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !IsTempFile(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if p := filepath.Join(dir, e.Name()); IsStaleTemp(p, info) {
			out = append(out, p)
		}
	}
	return out, nil
}

// RemoveStaleTemps removes the stale temporary files in dir, left by a
// recording that was killed while saving, and returns their paths. Saves
// in flight (this process's, or a live recorder's) are left alone. A dir
// that does not exist has none.
func RemoveStaleTemps(dir string) ([]string, error) {
	stale, err := StaleTemps(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var removed []string
	for _, p := range stale {
		if e := os.Remove(p); e != nil && !errors.Is(e, fs.ErrNotExist) {
			err = errors.Join(err, e)
			continue
		}
		removed = append(removed, p)
	}
	return removed, err
}

// cleaned remembers the folders this process has already cleaned.
var cleaned sync.Map

// cleanOnce removes the stale temporary files in dir the first time a
// recording opens a cassette there.
func cleanOnce(dir string) {
	if _, done := cleaned.LoadOrStore(filepath.Clean(dir), true); done {
		return
	}
	// An error here (a folder that cannot be read) shows again when the
	// cassette is saved; lint reports whatever is left.
	_, _ = RemoveStaleTemps(dir)
}

// DescribeTemp says what a temporary file found in a cassette folder is
// and what to do about it, for lint.
func DescribeTemp(path string) string {
	info, err := os.Stat(path)
	if err == nil && !IsStaleTemp(path, info) {
		return "a cassette save in progress (a recorder is running); lint again when it is done"
	}
	return "a temporary file left by a recording that was killed while saving; the next recording into this folder removes it, or delete it"
}
