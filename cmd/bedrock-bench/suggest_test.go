package main

import (
	"strings"
	"testing"
)

// An unknown command close to a real one, or a name people use for one,
// gets a "did you mean"; a name like none gets only the pointer to help.
func TestUnknownCommandSuggests(t *testing.T) {
	for name, want := range map[string]string{
		"emulator": "emulate",
		"serve":    "emulate",
		"server":   "emulate",
		"lintt":    "lint",
		"recrod":   "record",
		"Replay":   "replay",
	} {
		code, out, errOut := runCLI(t, name)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "Did you mean 'bedrock-bench "+want+"'?") || !strings.Contains(errOut, "Run 'bedrock-bench help'") {
			t.Errorf("%s: exit %d, want a suggestion of %s\n%s", name, code, want, errOut)
		}
	}
	code, _, errOut := runCLI(t, "frobnicate")
	if code != exitUsage || strings.Contains(errOut, "Did you mean") {
		t.Errorf("frobnicate: exit %d\n%s", code, errOut)
	}
}
