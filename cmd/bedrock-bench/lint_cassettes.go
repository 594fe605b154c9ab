package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
)

// lintCassettes checks the project's cassette folder, or some cassettes in
// it, against the target matrix and the fixtures.
func lintCassettes(ctx context.Context, cf *caseFlags, p *project.Project, paths []string, output string, stdout io.Writer) error {
	root := p.CassettesDir()
	if !cf.fs.Changed("cassettes") && len(paths) == 1 && filepath.Clean(paths[0]) != "" {
		// A folder given as the argument is the cassette root when it is
		// the project's or no narrower: "lint cassettes/".
		if abs, err := filepath.Abs(paths[0]); err == nil && !within(abs, root) {
			root = abs
		}
	}
	if err := cassetteFolder(root); err != nil {
		return err
	}
	if !cf.fs.Changed("cassettes") {
		if err := p.Set("cassettes", root, p.Source("cassettes")); err != nil {
			return err
		}
	}
	cf.whole = true
	sel, err := cf.cases(ctx)
	if err != nil {
		return err
	}
	cases := sel.cases
	// A path that does not exist is a mistake (a typo in a CI step must
	// not pass as "0 cases checked") unless a case records its cassette
	// there: that one is reported missing.
	for _, path := range paths {
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		recorded := false
		for _, c := range cases {
			if recorded = within(c.Cassette(root), path); recorded {
				break
			}
		}
		if !recorded {
			return noSuchPath(p, path, "cassettes")
		}
	}
	if !isRoot(paths, root) {
		var kept []bench.Case
		for _, c := range cases {
			for _, p := range paths {
				if within(c.Cassette(root), p) {
					kept = append(kept, c)
					break
				}
			}
		}
		cases = kept
	}
	lo := bench.LintOptions{Rerecord: cf.rerecord()}
	// The converter's logs would drown the findings: its errors quote the
	// end of its stderr.
	conv, err := startConverter(ctx, p, io.Discard, "", "")
	if err != nil {
		return err
	}
	if conv != nil {
		defer conv.Close()
		lo.Converter = conv
	}
	findings, err := bench.LintCassettesWith(ctx, root, cases, lo)
	if err != nil {
		return err
	}
	findings = onlyUnder(findings, paths, root)
	narrowed := cf.narrowed()
	if narrowed != "" {
		findings = onlyOf(findings, cases, root)
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
		if err := enc.Encode(map[string]any{"cassettes": project.Rel(root), "findings": findings, "errors": errors, "notes": notes}); err != nil {
			return err
		}
	} else {
		emulated, gaveUp, same := 0, error(nil), 0
		if conv != nil {
			gaveUp = conv.GaveUp()
		}
		for _, f := range findings {
			if f.Kind == "emulated" {
				emulated++
				continue // summarized below; one line per cassette would drown the rest
			}
			// Once the converter is given up, every cassette after fails
			// with one error: it is printed once.
			if gaveUp != nil && f.Kind == "failing" && strings.HasSuffix(f.Msg, gaveUp.Error()) {
				if same++; same > 1 {
					continue
				}
			}
			f.File = project.Rel(f.File)
			fmt.Fprintln(stdout, f)
		}
		if same > 1 {
			fmt.Fprintf(stdout, "(the same for the %s after it, not checked)\n", plural(same-1, "cassette"))
		}
		fmt.Fprintf(stdout, "%s checked: %s; %s recorded against the emulator rather than a real Region\n", plural(len(cases), "case"), plural(errors, "problem"), plural(emulated, "cassette"))
		if narrowed != "" {
			fmt.Fprintf(stdout, "orphans not judged: %s leaves cases out; run lint on the cassette folder without it to find cassettes no case records into\n", narrowed)
		}
	}
	if errors > 0 {
		return &findingsError{plural(errors, "cassette problem")}
	}
	return nil
}

// onlyOf keeps the findings about the cassettes of cases, and the
// temporary files beside them: with cases left out by a flag, any other
// cassette would look like an orphan.
func onlyOf(findings []bench.Finding, cases []bench.Case, root string) []bench.Finding {
	files, dirs := map[string]bool{}, map[string]bool{}
	for _, c := range cases {
		p := filepath.Clean(c.Cassette(root))
		files[p], dirs[filepath.Dir(p)] = true, true
	}
	var out []bench.Finding
	for _, f := range findings {
		if files[filepath.Clean(f.File)] || f.Kind == "temp" && dirs[filepath.Dir(filepath.Clean(f.File))] {
			out = append(out, f)
		}
	}
	return out
}

// onlyUnder keeps the findings about the files under paths, unless a path
// is the root itself.
func onlyUnder(findings []bench.Finding, paths []string, root string) []bench.Finding {
	if isRoot(paths, root) {
		return findings
	}
	var out []bench.Finding
	for _, f := range findings {
		for _, p := range paths {
			if within(f.File, p) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// isRoot reports whether one of paths is the cassette root itself.
func isRoot(paths []string, root string) bool {
	for _, p := range paths {
		if a, err := filepath.Abs(p); err == nil && a == root {
			return true
		}
	}
	return false
}
