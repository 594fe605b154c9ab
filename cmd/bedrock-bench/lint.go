package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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
				return "", noSuchPath(p, path, "fixtures and cassettes")
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

// noSuchPath is lint's error for a path that does not exist, alike for
// fixtures and cassettes: it names the path and what to name instead.
// what is "fixtures", "cassettes" or both.
func noSuchPath(p *project.Project, path, what string) error {
	var name []string
	if what != "cassettes" {
		name = append(name, "a fixture (*.json)")
	}
	if what != "fixtures" {
		name = append(name, "a cassette (*.yaml)")
	}
	var dirs []string
	if what != "cassettes" {
		dirs = append(dirs, project.Rel(p.HistoriesDir())+"/")
	}
	if what != "fixtures" {
		dirs = append(dirs, project.Rel(p.CassettesDir())+"/")
	}
	return usagef("%s: no such file or folder; name %s or a folder of them, such as %s", path, strings.Join(name, ", "), strings.Join(dirs, " or "))
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
	// readErr is set when the file could not be read at all (permissions,
	// a symbolic link loop): an I/O problem that stops the run, exit 2,
	// as an unreadable folder does, not a fixture that fails.
	readErr error
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
	// Interrupted is set when Ctrl-C stopped the run: Results and Summary
	// cover the fixtures linted before it, not the whole set.
	Interrupted bool `json:"interrupted,omitempty"`
	// Error is set when a file or folder could not be read, which stopped
	// the run (exit 2): Results and Summary cover the fixtures before it.
	Error string `json:"error,omitempty"`
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
	jobs := fs.Int("jobs", 0, "fixtures linted in parallel (default: the number of CPUs); results still print in file order")
	cf := addCaseFlags(fs) // for cassettes
	report := fs.String("report", "", "also write the migration report of the fixtures here: .json, .html or text; - prints it after the results")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the fixtures' lint here (for performance work)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	if *jobs < 0 {
		return usagef("--jobs %d: want a number of fixtures linted at once, or 0 for one per CPU", *jobs)
	}
	if *jobs == 0 {
		*jobs = runtime.GOMAXPROCS(0)
	}
	if *verbose && *output == "json" {
		return usagef("-v is ignored with --output json (the JSON holds every change)")
	}
	if *report == "-" && *output == "json" {
		return usagef("--report - prints the report as text after the results, which --output json keeps to one JSON document: write it to a file (--report r.json)")
	}
	if *report != "" && *report != "-" {
		if err := writableFile("--report", *report); err != nil {
			return err
		}
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
		} else if err := historiesFolder(p); err != nil {
			return err
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
		for _, n := range []string{"family", "verbose", "jobs", "report", "cpuprofile"} {
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
	// Every folder must hold fixtures, and no path may be a cassette,
	// before anything is printed.
	for _, root := range paths {
		if _, err := os.Stat(root); errors.Is(err, os.ErrNotExist) {
			return noSuchPath(p, root, "fixtures")
		}
		ok, err := history.HasFiles(root)
		if err != nil {
			return usagef("%v", err)
		}
		if !ok {
			return usagef("%s: no *.json fixtures found", root)
		}
		if st, err := os.Stat(root); err == nil && !st.IsDir() && strings.HasSuffix(root, ".yaml") {
			return usagef("%s is a cassette, not a fixture: lint it with --what cassettes", root)
		}
	}
	// Each fixture's garbage dies with it and the live heap stays a few
	// MiB (a few results per worker): let the heap grow to a soft limit
	// before collecting, rather than to a multiple of that small live heap.
	// A cycle then finds almost everything dead, and far fewer run: a
	// sixth less time per fixture, and half the system time (fewer pages
	// returned and faulted back). GOGC or GOMEMLIMIT in the environment win.
	defer setGC(2000, 64<<20)()
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	sink := newLintSink(stdout, *output, fam.Name, *verbose)
	for _, root := range paths {
		base := root
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			base = filepath.Dir(root)
		}
		walk := func(yield func(string) error) error { return history.Walk(root, yield) }
		// Ctrl-C stops the run at the next result.
		emit := func(r lintResult) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if r.readErr != nil {
				return r.readErr
			}
			return sink.add(r)
		}
		if err := lintFiles(walk, *jobs, func(f string) lintResult { return lintFile(base, f, fam) }, emit); err != nil {
			if ctx.Err() != nil {
				// Close the JSON document (results so far, summary,
				// "interrupted": true); in text, print the rows held.
				sink.interrupt("")
				return &findingsError{fmt.Sprintf("interrupted after %d fixtures: the results above are not the whole set", sink.summary.Files)}
			}
			var fsErr *os.PathError
			if errors.As(err, &fsErr) {
				// A fixture or folder that cannot be read: exit 2, after
				// the results before it (the JSON document closed).
				sink.interrupt(err.Error())
				if errors.Is(err, os.ErrPermission) {
					return usagef("%v: it cannot be read; fix its permissions, or remove it", err)
				}
				return usagef("%v: it cannot be read; remove it", err)
			}
			return err
		}
	}
	s, err := sink.finish()
	if err != nil {
		return err
	}
	if err := writeLintReport(*report, paths, fam, stdout); err != nil {
		return err
	}
	if s.Failed > 0 {
		return &findingsError{fmt.Sprintf("%d of %s cannot be decoded or made valid", s.Failed, plural(s.Files, "fixture"))}
	}
	return nil
}

// lintFiles lints the files walk yields with jobs workers and hands each
// result to emit in the order walk yields them. Files go to the workers
// in batches of lintBatch, so a worker wakes once per batch rather than
// once per file. At most a few batches per worker wait to be emitted and
// the file list is never held, so memory stays flat however many files
// there are. The first error, from walk or emit, stops the run once the
// files already handed out are linted.
func lintFiles(walk func(yield func(string) error) error, jobs int, lint func(string) lintResult, emit func(lintResult) error) error {
	if jobs <= 1 {
		return walk(func(f string) error { return emit(lint(f)) })
	}
	type batch struct {
		i       int
		paths   []string
		results []lintResult
	}
	var (
		next    = make(chan *batch)
		done    = make(chan *batch, jobs)
		window  = make(chan struct{}, 4*jobs) // batches handed out, results not yet emitted
		stop    = make(chan struct{})
		walkErr error
		wg      sync.WaitGroup
	)
	errStop := errors.New("stopped")
	go func() {
		defer close(next)
		b := &batch{}
		send := func() error {
			select {
			case window <- struct{}{}:
			case <-stop:
				return errStop
			}
			select {
			case next <- b:
			case <-stop:
				return errStop
			}
			b = &batch{i: b.i + 1}
			return nil
		}
		err := walk(func(path string) error {
			b.paths = append(b.paths, path)
			if len(b.paths) == lintBatch {
				return send()
			}
			return nil
		})
		// The files yielded before the walk ended, or failed, are linted.
		if err != errStop && len(b.paths) > 0 {
			if serr := send(); err == nil {
				err = serr
			}
		}
		if err != errStop {
			walkErr = err
		}
	}()
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				b.results = make([]lintResult, len(b.paths))
				for k, p := range b.paths {
					b.results[k] = lint(p)
				}
				done <- b
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	pending := make(map[int]*batch, 4*jobs)
	want := 0
	var err error
	for b := range done {
		if err != nil {
			continue
		}
		pending[b.i] = b
		for b, ok := pending[want]; ok && err == nil; b, ok = pending[want] {
			delete(pending, want)
			want++
			<-window
			for _, r := range b.results {
				if err = emit(r); err != nil {
					close(stop)
					break
				}
			}
		}
	}
	if err != nil {
		return err
	}
	return walkErr // read after done closed: the walker has returned
}

// lintBatch is how many files a lint worker takes at a time.
const lintBatch = 32

// lintSink writes lint results as they come: JSON one result at a time
// (the same document json.Encoder would write for the whole report), text
// in blocks of lintTextBlock rows aligned within each block, then the
// summary.
type lintSink struct {
	w       *bufio.Writer
	json    bool
	family  string
	verbose bool
	term    terminal
	summary lintSummary
	block   []lintResult
	first   bool
	err     error
}

// lintTextBlock is how many text rows are aligned together.
const lintTextBlock = 1000

func newLintSink(w io.Writer, output, family string, verbose bool) *lintSink {
	s := &lintSink{w: bufio.NewWriterSize(w, 64<<10), json: output == "json", family: family, verbose: verbose, term: terminalOf(w), first: true}
	if s.json {
		fam, _ := json.Marshal(family)
		fmt.Fprintf(s.w, "{\n  \"family\": %s,\n  \"results\": [", fam)
	}
	return s
}

func (s *lintSink) add(r lintResult) error {
	s.summary.Files++
	switch {
	case r.Error != "":
		s.summary.Failed++
	case len(r.Changes) > 0:
		s.summary.Repaired++
	default:
		s.summary.Clean++
	}
	if !s.json {
		s.block = append(s.block, r)
		if len(s.block) == lintTextBlock {
			printLintRows(s.w, s.term, s.block, s.verbose)
			clear(s.block)
			s.block = s.block[:0]
		}
		return s.writeErr()
	}
	b, err := json.MarshalIndent(r, "    ", "  ")
	if err != nil {
		return err
	}
	if s.first {
		s.w.WriteString("\n    ")
		s.first = false
	} else {
		s.w.WriteString(",\n    ")
	}
	s.w.Write(b)
	return s.writeErr()
}

func (s *lintSink) writeErr() error {
	if s.err == nil && s.w.Buffered() > 48<<10 {
		s.err = s.w.Flush()
	}
	return s.err
}

// interrupt ends the output of a run stopped before its end: the text
// rows held are printed without a summary line, and the JSON document is
// closed with the summary of the results written and "interrupted": true,
// so it stays valid JSON.
//
// errMsg, when not empty, is the error that stopped the run: the JSON
// document holds it as "error" rather than "interrupted".
func (s *lintSink) interrupt(errMsg string) {
	if s.json {
		s.closeJSON(errMsg == "", errMsg)
	} else {
		printLintRows(s.w, s.term, s.block, s.verbose)
	}
	s.w.Flush()
}

// closeJSON ends the results array and writes the summary.
func (s *lintSink) closeJSON(interrupted bool, errMsg string) {
	sum, _ := json.MarshalIndent(s.summary, "  ", "  ")
	if !s.first {
		s.w.WriteString("\n  ")
	}
	fmt.Fprintf(s.w, "],\n  \"summary\": %s", sum)
	if interrupted {
		s.w.WriteString(",\n  \"interrupted\": true")
	}
	if errMsg != "" {
		e, _ := json.Marshal(errMsg)
		fmt.Fprintf(s.w, ",\n  \"error\": %s", e)
	}
	s.w.WriteString("\n}\n")
}

// finish writes what is left and the summary, and returns the summary.
func (s *lintSink) finish() (lintSummary, error) {
	if s.json {
		s.closeJSON(false, "")
	} else {
		printLintRows(s.w, s.term, s.block, s.verbose)
		fmt.Fprintf(s.w, "\n%s for family %s: %d changed by the normalizer, %d unchanged, %d failed\n", plural(s.summary.Files, "fixture"), s.family, s.summary.Repaired, s.summary.Clean, s.summary.Failed)
	}
	if err := s.w.Flush(); err != nil && s.err == nil {
		s.err = err
	}
	return s.summary, s.err
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

// lintScratch lends each lint of a file the arrays of the last history
// linted and of its requests: nothing of them outlives the lint of a file
// but strings, which are never reused.
var lintScratch = sync.Pool{New: func() any { return new(lintArrays) }}

// lintArrays is what one lint of a file reuses.
type lintArrays struct {
	history   history.Scratch
	normalize normalize.Scratch
}

func lintFile(root, path string, fam converse.Family) lintResult {
	res := lintResult{File: path, Changes: []normalize.Change{}, RawViolations: []lintViolation{}}
	sc := lintScratch.Get().(*lintArrays)
	defer lintScratch.Put(sc)
	h, err := sc.history.LoadFile(root, path)
	if err != nil {
		if pe := (*os.PathError)(nil); errors.As(err, &pe) {
			res.readErr = err
		}
		res.Error = err.Error()
		return res
	}
	res.ID = h.ID
	naive := sc.normalize.Naive(h)
	seen := map[string]bool{}
	for _, v := range converse.Check(&naive, fam) {
		if !seen[v.Rule.Name] {
			seen[v.Rule.Name] = true
			res.RawViolations = append(res.RawViolations, lintViolation{Rule: v.Rule.Name, ID: v.Rule.ID, Message: v.Message})
		}
	}
	_, rep, err := sc.normalize.Normalize(h, normalize.Options{Family: fam})
	res.Changes = rep.Changes
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

// printLintRows prints one row per result, columns aligned.
func printLintRows(w io.Writer, t terminal, results []lintResult, verbose bool) {
	type row struct{ status, id, changes, raw string }
	rows := make([]row, 0, len(results))
	var widths [3]int
	for _, r := range results {
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
			for _, c := range results[i].Changes {
				fmt.Fprintf(w, "%*s    %s\n", widths[0], "", c)
			}
		}
	}
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
