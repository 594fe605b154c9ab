package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

// isCassetteDir reports whether path holds cassettes rather than
// history fixtures.
func isCassetteDir(path string) bool {
	if filepath.Base(filepath.Clean(path)) == "cassettes" {
		return true
	}
	found := false
	_ = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// lintCassettes checks a cassette directory against the target matrix and
// the fixtures.
func lintCassettes(cf *caseFlags, paths []string, output string, stdout io.Writer) error {
	if len(paths) != 1 {
		return usagef("lint one cassette directory at a time")
	}
	*cf.cassettes = paths[0]
	cases, err := cf.cases()
	if err != nil {
		return err
	}
	findings, err := bench.LintCassettes(context.Background(), paths[0], cases)
	if err != nil {
		return err
	}
	errors, notes := 0, 0
	for _, f := range findings {
		if f.Note {
			notes++
		} else {
			errors++
		}
	}
	if output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if findings == nil {
			findings = []bench.Finding{}
		}
		if err := enc.Encode(map[string]any{"cassettes": paths[0], "findings": findings, "errors": errors, "notes": notes}); err != nil {
			return err
		}
	} else {
		emulated := 0
		for _, f := range findings {
			if f.Kind == "emulated" {
				emulated++
				continue // summarized below; one line per cassette would drown the rest
			}
			fmt.Fprintln(stdout, f)
		}
		fmt.Fprintf(stdout, "%d cases checked: %d problems; %d cassettes recorded against the emulator rather than a real Region\n", len(cases), errors, emulated)
	}
	if errors > 0 {
		return &findingsError{fmt.Sprintf("%d cassette problems", errors)}
	}
	return nil
}
