// Package atomicfile writes a whole file or nothing: through a temporary
// file in the same folder and a rename, so a reader, or a run that is
// interrupted, never sees half a file.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path, creating its folder, with mode 0644 (umask
// aside: the temporary file's 0600 is widened). The old file, if any,
// stays whole until the rename replaces it.
func Write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
