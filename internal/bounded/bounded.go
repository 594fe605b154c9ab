// Package bounded reads a file whole up to a bound, whatever the file is.
// The size a stat reports says nothing of a FIFO or of a device such as
// /dev/zero, which a plain read would follow without end; a file named by
// mistake (a log for a salt file, say) is refused rather than read.
package bounded

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// TooLargeError is a file over its bound. What says what such a file
// holds, or why it is not one ("not a policy document").
type TooLargeError struct {
	Path  string
	Limit int64
	What  string
}

func (e *TooLargeError) Error() string {
	msg := fmt.Sprintf("%s: larger than %s", e.Path, Size(e.Limit))
	if e.What != "" {
		msg += ": " + e.What
	}
	return msg
}

// ReadFile reads the file at path whole, reading at most limit+1 bytes
// of it, and refuses a longer one with a *TooLargeError saying what. Other
// errors are those of os.Open and of the read, which name the file.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit, What: what}
	}
	return data, nil
}

// Size words a byte count: "16 MiB", "64 KiB", "1000 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Kind names what a file is that is not a regular file: "a folder", "a
// named pipe", "a socket", "a device", or "a special file" ("a file" for a
// regular one), for errors that refuse it.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsRegular():
		return "a file"
	}
	return "a special file"
}
