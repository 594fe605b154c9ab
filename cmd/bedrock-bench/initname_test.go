package main

import (
	"strings"
	"testing"
)

// TestPackageNameOfIsAnIdentifier: init names the package of the test it
// writes after the module path when the folder has no Go file; a module
// ending in a Go keyword ("example.com/acme/type") gave "package type",
// which does not compile.
func TestPackageNameOfIsAnIdentifier(t *testing.T) {
	for path, want := range map[string]string{
		"example.com/acme/type":   "app",
		"example.com/acme/select": "app",
		"example.com/acme/Svc-2":  "svc2",
		"example.com/acme/v2":     "acme",
		"example.com/9lives":      "app",
	} {
		if got := packageNameOf(path); got != want {
			t.Errorf("packageNameOf(%q) = %q, want %q", path, got, want)
		}
	}
}

// --test-file with a folder in it is refused for the folder, not for a
// name that does end in _test.go.
func TestInitTestFileIsAName(t *testing.T) {
	t.Chdir(t.TempDir())
	for name, want := range map[string]string{
		"sub/x_test.go": `--test-file "sub/x_test.go": want a file name, not a path: init writes the test in the current directory, so run it in the package's folder (cd sub)`,
		"x.go":          `--test-file "x.go": want a file name ending in _test.go`,
	} {
		code, _, errOut := runCLI(t, "init", "--test-file", name)
		if code != exitUsage || !strings.Contains(errOut, want) {
			t.Errorf("--test-file %s: exit %d, want %q\n%s", name, code, want, errOut)
		}
	}
}
