package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
)

// lintResult is one fixture's line in the report; its JSON form is stable.
type lintResult struct {
	File string `json:"file"`
	ID   string `json:"id,omitempty"`
	// Error is why the fixture could not be decoded or made valid.
	Error   string             `json:"error,omitempty"`
	Changes []normalize.Change `json:"changes"`
	// RawViolations are the rules the history breaks converted one to one.
	RawViolations []lintViolation `json:"raw_violations"`
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

func runLint(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lint", "lint [flags] [PATH...]  (fixtures, or one cassette directory)", `  bedrock-bench lint histories/
  bedrock-bench lint cassettes/      # secrets, orphans, missing, stale, emulator-recorded
  bedrock-bench lint --family nova histories/resume/
  bedrock-bench lint --family us.anthropic.claude-sonnet-4-6 --output json histories/ > lint.json
`, stderr)
	output := fs.String("output", "text", "output format: text or json")
	familyName := fs.String("family", converse.DefaultFamily, "target model family ("+strings.Join(converse.FamilyNames(), ", ")+") or a model id")
	verbose := fs.BoolP("verbose", "v", false, "print every change under its file")
	report := fs.String("report", "", "also write the migration report of the fixtures here: .json, .html or text")
	cf := addCaseFlags(fs) // for cassette directories
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	fam, err := resolveFamily(*familyName)
	if err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"histories"}
	}
	if isCassetteDir(paths[0]) {
		return lintCassettes(cf, paths, *output, stdout)
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
		printLint(stdout, rep, *verbose)
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

func printLint(w io.Writer, rep lintReport, verbose bool) {
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
	for i, x := range rows {
		if x.status == "FAIL" {
			fmt.Fprintf(w, "%-*s  %s\n", widths[0], x.status, x.id)
			continue
		}
		fmt.Fprintf(w, "%-*s  %-*s  %-*s  %s\n", widths[0], x.status, widths[1], x.id, widths[2], x.changes, x.raw)
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
