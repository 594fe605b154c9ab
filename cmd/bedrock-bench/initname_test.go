package main

import "testing"

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
