//go:build unix

package emulator

import (
	"strings"
	"testing"
)

// A keys or guardrail file is read up to its limit whatever it is: a
// device such as /dev/zero (or a FIFO, internal/bounded's test) passed the
// size check of a stat and was read whole.
func TestKeysAndGuardrailFilesAreBounded(t *testing.T) {
	for name, load := range map[string]func(string) error{
		"keys":      func(p string) error { _, _, err := LoadKeys(p); return err },
		"guardrail": func(p string) error { _, err := LoadGuardrails(p); return err },
	} {
		const p = "/dev/zero"
		err := load(p)
		if err == nil || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
