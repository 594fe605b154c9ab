// Package confine checks that a file about to be written stays inside the
// folder the user named: a symbolic link in a folder below it (one a
// cloned repository may hold) must not carry writes or deletions
// elsewhere.
package confine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dir reports an error when the folder that holds file, below root, is
// or passes through a symbolic link leading outside root. Folders not
// made yet are fine: they will be made inside. root itself may be a
// link: the user named it. The file itself may be a link too: writes
// replace a file by a rename, which replaces the link, not its target.
func Dir(root, file string) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing there yet: all of it will be made inside
	}
	if err != nil {
		return err
	}
	realRoot, err = filepath.Abs(realRoot)
	if err != nil {
		return err
	}
	dir := filepath.Dir(file)
	// The nearest folder on the way that exists.
	for {
		if _, err := os.Lstat(dir); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	if real, err = filepath.Abs(real); err != nil {
		return err
	}
	if real == realRoot || strings.HasPrefix(real, realRoot+string(filepath.Separator)) || realRoot == string(filepath.Separator) {
		return nil
	}
	return fmt.Errorf("%s leads to %s, outside %s (a symbolic link on the way): nothing is written there; replace the link with a folder", dir, real, root)
}
