//go:build !unix

package history

// readFile is readPortable where there is no unix system call layer.
func readFile(path string, limit int64) ([]byte, int64, error) {
	return readPortable(path, limit)
}
