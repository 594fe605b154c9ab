//go:build unix

package catalog

import (
	"strings"
	"testing"
)

// A catalog file is read up to MaxFileSize whatever it is: a device such
// as /dev/zero (or a FIFO, internal/bounded's test) named by mistake was
// read without end.
func TestLoadIsBounded(t *testing.T) {
	const p = "/dev/zero"
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), p) {
		t.Fatalf("Load of an endless file: %v", err)
	}
}
