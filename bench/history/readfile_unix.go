//go:build unix

package history

import (
	"io/fs"
	"syscall"
)

// readFile reads a history file with five system calls (open, fstat, a
// read and the read that finds the end, close), where an *os.File adds a
// second fstat, four fcntl and an epoll_ctl: a linted fixture costs little
// more than its bytes.
// It behaves as readPortable does; errors are *fs.PathError values, as
// from package os.
func readFile(path string, limit int64) (data []byte, size int64, err error) {
	var fd int
	for {
		// O_NONBLOCK: opening a named pipe nobody writes to does not
		// wait; the file is refused below. It changes nothing for a
		// regular file.
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	case syscall.S_IFIFO:
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: errNotRegular("a named pipe")}
	case syscall.S_IFSOCK:
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: errNotRegular("a socket")}
	case syscall.S_IFCHR, syscall.S_IFBLK:
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: errNotRegular("a device")}
	default:
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: errNotRegular("a special file")}
	}
	if st.Size > limit {
		return nil, st.Size, nil
	}
	// Room for the whole file and the read that finds its end; a file
	// that grows is read on, up to limit+1 bytes.
	buf := make([]byte, 0, st.Size+512)
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit+1)]
		n, err := syscall.Read(fd, room)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	if int64(len(buf)) > limit {
		return nil, int64(len(buf)), nil
	}
	return buf, int64(len(buf)), nil
}
