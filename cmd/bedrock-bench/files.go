package main

import (
	"errors"
	"io/fs"
	"os"
)

// fileError turns the error of reading a file a flag (or a setting)
// named into a usage error that names the flag, the file and the fix: a
// missing file or a folder where a file belongs says so in those words
// rather than as the system call's "open X: no such file or directory".
// Other errors, which name the file and the position already, pass as
// they are.
func fileError(flag, path string, err error, fix string) error {
	switch st, serr := os.Stat(path); {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(serr, fs.ErrNotExist):
		return usagef("%s %s: no such file; %s", flag, path, fix)
	case serr == nil && st.IsDir():
		return usagef("%s %s is a folder; %s", flag, path, fix)
	case interruptedRead(err):
		return usagef("%s %v", flag, err)
	}
	return usagef("%v", err)
}

// targetsFix is what to do about a --targets file that cannot be read.
const targetsFix = "name a YAML or JSON list of targets (name, region, model) or a project file, or leave --targets out to use the project's"
