// Package atomicfile writes a whole file or nothing: through a temporary
// file in the same folder and a rename, so a reader, or a run that is
// interrupted (Ctrl-C, a kill, a crash of the process), never sees half a
// file. It does not fsync: an import writes thousands of fixtures, each
// re-made by running it again, and a sync each would cost more than the
// import; after a power loss a file may be empty. Cassettes, which cost
// a recording against the service, are saved with a sync (replay.Save).
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
