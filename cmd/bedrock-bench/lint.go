package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
)

// lintMode decides what the paths hold from the project's folders, never
// from a folder's name or contents: paths in the cassette folder are
// cassettes, paths in the histories folder or *.json files are fixtures.
func lintMode(p *project.Project, paths []string) (string, error) {
	mode := ""
	for _, path := range paths {
		m := ""
		switch {
		case within(path, p.CassettesDir()):
			m = "cassettes"
		case within(path, p.HistoriesDir()), strings.HasSuffix(path, ".json"):
			m = "fixtures"
		default:
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				return "", usagef("%s: no such file or folder", path)
			}
			return "", usagef("%s is neither in the fixture folder (%s) nor in the cassette folder (%s); say which it holds with --what fixtures or --what cassettes", path, project.Rel(p.HistoriesDir()), project.Rel(p.CassettesDir()))
		}
		if mode != "" && m != mode {
			return "", usagef("lint fixtures and cassettes in separate runs")
		}
		mode = m
	}
	return mode, nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	a, err1 := filepath.Abs(path)
	b, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	r, err := filepath.Rel(b, a)
	return err == nil && r != ".." && !strings.HasPrefix(r, "../")
}

// lintResult is one fixture's line in the report; its JSON form is stable.
type lintResult struct {
	File string `json:"file"`
	ID   string `json:"id,omitempty"`
	// Error is why the fixture could not be decoded or made valid.
	Error   string             `json:"error,omitempty"`
	Changes []normalize.Change `json:"changes"`
	// RawViolations are the rules the history breaks converted one to one.
	RawViolations []lintViolation `json:"rawViolations"`
}

type lintViolation struct {
	Rule    string `json:"rule"`
	ID      string `json:"id"`
	Message string `json:"message"`
}

type lintReport struct {
	Family  string       `json:"family"`
	Results []lintResult `json:"results"`
	Summary lintSummary  `json:"summary"`
}

type lintSummary struct {
	Files    int `json:"files"`
	Clean    int `json:"clean"`
	Repaired int `json:"repaired"`
	Failed   int `json:"failed"`
}

func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lint", "lint [flags] [PATH...]  (fixtures, or the cassette folder)", `  bedrock-bench lint                           # the project's fixtures (histories/)
  bedrock-bench lint histories/resume/
  bedrock-bench lint cassettes/                # the project's cassette folder: secrets, orphans, missing, corrupt, stale
  bedrock-bench lint cassettes/us-east-1-nova-lite/resume/sliding-window-openai.yaml
  bedrock-bench lint --what fixtures /tmp/new-history.json
  bedrock-bench lint --family us.anthropic.claude-sonnet-4-6 --output json histories/ > lint.json
`, stderr)
	output := fs.String("output", "text", "output format: text or json")
	familyName := fs.String("family", "", "target model family ("+strings.Join(converse.FamilyNames(), ", ")+") or a model id (default: the project's family)")
	verbose := fs.BoolP("verbose", "v", false, "print every change under its file")
	what := fs.String("what", "", "fixtures or cassettes (default: cassettes for paths in the project's cassette folder, fixtures for paths in its histories folder or *.json files)")
	cf := addCaseFlags(fs) // for cassettes
	report := fs.String("report", "", "also write the migration report of the fixtures here: .json, .html or text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	if *verbose && *output == "json" {
		return usagef("-v is ignored with --output json (the JSON holds every change)")
	}
	p, err := cf.load()
	if err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{p.HistoriesDir()}
		if *what == "cassettes" {
			paths = []string{p.CassettesDir()}
		}
	}
	mode := *what
	if mode == "" {
		m, err := lintMode(p, paths)
		if err != nil {
			return err
		}
		mode = m
	} else if err := oneOf("what", mode, "fixtures", "cassettes"); err != nil {
		return err
	}
	if mode == "cassettes" {
		for _, n := range []string{"family", "verbose"} {
			if fs.Changed(n) {
				return usagef("--%s applies to fixtures, not cassettes", n)
			}
		}
		return lintCassettes(ctx, cf, p, paths, *output, stdout)
	}
	for _, n := range []string{"targets", "target", "region", "model", "histories", "shard", "cassettes"} {
		if fs.Changed(n) {
			return usagef("--%s applies to cassettes, not fixtures", n)
		}
	}
	if *familyName == "" {
		*familyName = p.Family
	}
	fam, err := resolveFamily(*familyName)
	if err != nil {
		return err
	}
	rep := lintReport{Family: fam.Name, Results: []lintResult{}}
	for _, root := range paths {
		files, err := history.Files(root)
		if err != nil {
			return usagef("%v", err)
		}
		if len(files) == 0 {
			return usagef("%s: no *.json fixtures found", root)
		}
		for _, f := range files {
			if strings.HasSuffix(f, ".yaml") {
				return usagef("%s is a cassette, not a fixture: lint it with --what cassettes", f)
			}
		}
		base := root
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			base = filepath.Dir(root)
		}
		for _, f := range files {
			rep.Results = append(rep.Results, lintFile(base, f, fam))
		}
	}
	for _, r := range rep.Results {
		rep.Summary.Files++
		switch {
		case r.Error != "":
			rep.Summary.Failed++
		case len(r.Changes) > 0:
			rep.Summary.Repaired++
		default:
			rep.Summary.Clean++
		}
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printLint(stdout, terminalOf(stdout), rep, *verbose)
	}
	if err := writeLintReport(*report, paths, fam); err != nil {
		return err
	}
	if rep.Summary.Failed > 0 {
		return &findingsError{fmt.Sprintf("%d of %d fixtures cannot be decoded or made valid", rep.Summary.Failed, rep.Summary.Files)}
	}
	return nil
}

// resolveFamily accepts a family name or a model id.
func resolveFamily(name string) (converse.Family, error) {
	if f, err := converse.LookupFamily(name); err == nil {
		return f, nil
	}
	if f, ok := converse.FamilyForModel(name); ok {
		return f, nil
	}
	return converse.Family{}, usagef("--family %q is neither a family (%s) nor a known model id", name, strings.Join(converse.FamilyNames(), ", "))
}

func lintFile(root, path string, fam converse.Family) lintResult {
	res := lintResult{File: path, Changes: []normalize.Change{}, RawViolations: []lintViolation{}}
	h, err := history.LoadFile(root, path)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.ID = h.ID
	naive := normalize.Naive(h)
	seen := map[string]bool{}
	for _, v := range converse.Check(&naive, fam) {
		if !seen[v.Rule.Name] {
			seen[v.Rule.Name] = true
			res.RawViolations = append(res.RawViolations, lintViolation{Rule: v.Rule.Name, ID: v.Rule.ID, Message: v.Message})
		}
	}
	_, rep, err := normalize.Normalize(h, normalize.Options{Family: fam})
	res.Changes = rep.Changes
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

func printLint(w io.Writer, t terminal, rep lintReport, verbose bool) {
	type row struct{ status, id, changes, raw string }
	rows := make([]row, 0, len(rep.Results))
	var widths [3]int
	for _, r := range rep.Results {
		var x row
		switch {
		case r.Error != "":
			x = row{status: "FAIL", id: r.Error}
		default:
			x = row{status: "ok", id: r.ID, changes: "no changes", raw: "raw: valid"}
			if len(r.Changes) > 0 {
				x.status, x.changes = "changed", summarizeCodes(r.Changes)
			}
			if len(r.RawViolations) > 0 {
				names := make([]string, 0, len(r.RawViolations))
				for _, v := range r.RawViolations {
					names = append(names, v.ID+" "+v.Rule)
				}
				x.raw = "raw breaks: " + strings.Join(names, ", ")
			}
			widths[1] = max(widths[1], len(x.id))
			widths[2] = max(widths[2], len(x.changes))
		}
		widths[0] = max(widths[0], len(x.status))
		rows = append(rows, x)
	}
	// On a terminal, ids, changes and violations shorten in the middle to
	// fit the width; errors are never shortened.
	cells := [][]string{}
	for _, x := range rows {
		if x.status != "FAIL" {
			cells = append(cells, []string{x.status, x.id, x.changes, x.raw})
		}
	}
	fitColumns(cells, t.width, 2, 1, 2, 3)
	k := 0
	for i := range rows {
		if rows[i].status != "FAIL" {
			rows[i].id, rows[i].changes, rows[i].raw = cells[k][1], cells[k][2], cells[k][3]
			k++
		}
	}
	widths[1], widths[2] = 0, 0
	for _, x := range rows {
		if x.status != "FAIL" {
			widths[1] = max(widths[1], utf8.RuneCountInString(x.id))
			widths[2] = max(widths[2], utf8.RuneCountInString(x.changes))
		}
	}
	pad := func(s string, n int) string { return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s))) }
	for i, x := range rows {
		if x.status == "FAIL" {
			fmt.Fprintf(w, "%s  %s\n", pad(t.fail(x.status), widths[0]+len(t.fail(x.status))-len(x.status)), x.id)
			continue
		}
		fmt.Fprintln(w, strings.TrimRight(pad(x.status, widths[0])+"  "+pad(x.id, widths[1])+"  "+pad(x.changes, widths[2])+"  "+x.raw, " "))
		if verbose {
			for _, c := range rep.Results[i].Changes {
				fmt.Fprintf(w, "%*s    %s\n", widths[0], "", c)
			}
		}
	}
	s := rep.Summary
	fmt.Fprintf(w, "\n%d fixtures for family %s: %d changed by the normalizer, %d unchanged, %d failed\n", s.Files, rep.Family, s.Repaired, s.Clean, s.Failed)
}

// summarizeCodes gives "turns-merged x2, leading-assistant".
func summarizeCodes(changes []normalize.Change) string {
	counts := map[normalize.Code]int{}
	var order []normalize.Code
	for _, c := range changes {
		if counts[c.Code] == 0 {
			order = append(order, c.Code)
		}
		counts[c.Code]++
	}
	parts := make([]string, 0, len(order))
	for _, c := range order {
		if counts[c] > 1 {
			parts = append(parts, fmt.Sprintf("%s x%d", c, counts[c]))
		} else {
			parts = append(parts, string(c))
		}
	}
	return strings.Join(parts, ", ")
}
