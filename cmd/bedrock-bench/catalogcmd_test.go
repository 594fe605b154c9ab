package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// TestCatalogCommand: `bedrock-bench catalog` rebuilds the catalog from a
// control plane's ListFoundationModels and ListInferenceProfiles (here the
// bundled emulator's, which serves the embedded catalog), writes it where
// --out says, and the emulator loads what it wrote. A Region that cannot
// be read stops it, exit 2, the file left as it was. Before, no command
// rebuilt the catalog from an account: it was compiled by hand from
// documentation pages of several dates.
func TestCatalogCommand(t *testing.T) {
	isolateAWS(t)
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	out := filepath.Join(t.TempDir(), "catalog.json")
	code, _, errOut := runCLI(t, "catalog", "--endpoint", hs.URL, "--out", out)
	d := catalog.Default()
	summary := fmt.Sprintf("%d models, %d profiles over %d Regions", len(d.Models), len(d.Profiles), len(d.Regions))
	progress := fmt.Sprintf("reading %s (1/%d)\n", d.Regions[0], len(d.Regions))
	if code != exitOK || !strings.Contains(errOut, summary) || !strings.Contains(errOut, progress) {
		t.Fatalf("exit %d, want %q and %q\n%s", code, summary, progress, errOut)
	}
	c, err := catalog.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resolve("ca-central-1", "anthropic.claude-3-haiku-20240307-v1:0"); err != nil {
		t.Errorf("the refreshed catalog: %v", err)
	}
	if _, err := emulator.New(&emulator.Options{Catalog: c}); err != nil {
		t.Errorf("the emulator refuses the refreshed catalog: %v", err)
	}
	before, _ := os.ReadFile(out)
	code, _, errOut = runCLI(t, "catalog", "--endpoint", hs.URL, "--region", "us-east-1", "--region", "sa-east-1", "--out", out)
	if code != exitUsage || !strings.Contains(errOut, "sa-east-1: ListFoundationModels:") || !strings.Contains(errOut, "(nothing written)") {
		t.Errorf("a Region the endpoint does not serve: exit %d\n%s", code, errOut)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Error("a failed refresh changed the file")
	}
	if code, _, errOut := runCLI(t, "catalog", "--endpoint", hs.URL); code != exitUsage || !strings.Contains(errOut, "--out is required") {
		t.Errorf("no --out: exit %d\n%s", code, errOut)
	}
}

// catalog checks --out before it reads a Region: a folder, or a path
// under a file, is refused at once, not after minutes of reading. The
// endpoint here answers nothing, so a check after the reads would fail
// on it instead.
func TestCatalogChecksOutFirst(t *testing.T) {
	isolateAWS(t)
	tmp := t.TempDir()
	file := filepath.Join(tmp, "f")
	os.WriteFile(file, nil, 0o644)
	for out, want := range map[string]string{
		tmp:                           "--out " + tmp + " is a folder: name a file",
		filepath.Join(file, "c.json"): "--out " + filepath.Join(file, "c.json") + ": " + file + " is a file, so c.json cannot be written under it",
	} {
		code, _, errOut := runCLI(t, "catalog", "--endpoint", "http://127.0.0.1:1", "--timeout", "2s", "--out", out)
		if code != exitUsage || !strings.Contains(errOut, want) || strings.Contains(errOut, "reading ") {
			t.Errorf("--out %s: exit %d, want 2 and %q\n%s", out, code, want, errOut)
		}
	}
}
