package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmulatorCassettesAreCurrent: the repository's cassettes recorded
// against the bundled emulator are what the emulator answers today.
// Replay compares requests only, so a change to the emulator's answers (its
// usage counts, say) left the committed recordings describing an emulator
// that no longer exists, and nothing failed: 40 cassettes still counted
// Claude's input tokens without the tool-use system prompt. Recording every
// case again into a temporary folder must give the same bytes; when it
// does not, the failure names the command that records them again, whose
// diff is reviewed like any re-recording. Cassettes from a real Region are
// not held to the emulator.
func TestEmulatorCassettesAreCurrent(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "record", "--endpoint", "emulator", "--fixtures", "../../histories", "--cassettes", dir)
	if code != exitOK {
		t.Fatalf("record: exit %d\n%s\n%s", code, out, errOut)
	}
	committed, err := filepath.Glob("../../cassettes/*/*/*.yaml")
	if err != nil || len(committed) == 0 {
		t.Fatalf("no cassettes under ../../cassettes (%v)", err)
	}
	var stale []string
	checked := 0
	for _, path := range committed {
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(old, []byte("X-Bedrock-Bench-Emulator:")) {
			continue
		}
		checked++
		rel, _ := filepath.Rel("../../cassettes", path)
		now, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil || !bytes.Equal(old, now) {
			stale = append(stale, rel)
		}
	}
	if len(stale) > 0 {
		t.Errorf("%d of %d cassettes recorded against the emulator differ from what it answers now (%s); record them again with\n  go test ./bench -run 'TestBench$' -record -endpoint emulator\nand review the diff", len(stale), checked, strings.Join(stale[:min(len(stale), 5)], ", "))
	}
}
