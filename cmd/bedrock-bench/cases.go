package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/spf13/pflag"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// caseFlags select the cases a command runs.
type caseFlags struct {
	targets   *string
	target    *[]string
	region    *string
	model     *string
	histories *string
	fixtures  *string
	cassettes *string
}

func addCaseFlags(fs *pflag.FlagSet) *caseFlags {
	return &caseFlags{
		targets:   fs.String("targets", "bench/targets.json", "target matrix file"),
		target:    fs.StringSlice("target", nil, "only these targets (by name; repeatable or comma-separated)"),
		region:    fs.String("region", "", "with --model: one ad hoc target instead of the matrix"),
		model:     fs.String("model", "", "with --region: the model or inference profile of the ad hoc target"),
		histories: fs.String("histories", "", "only histories whose id or path matches this glob, e.g. 'tools/*' or 'histories/resume/*.json'"),
		fixtures:  fs.String("fixtures", "histories", "history fixture directory"),
		cassettes: fs.String("cassettes", "cassettes", "cassette directory"),
	}
}

func (f *caseFlags) cases() ([]bench.Case, error) {
	var targets []bench.Target
	switch {
	case *f.region != "" && *f.model != "":
		name := *f.region + "-" + strings.NewReplacer(":", "-", "/", "-", " ", "-").Replace(*f.model)
		targets = []bench.Target{{Name: name, Region: *f.region, Model: *f.model}}
	case *f.region != "" || *f.model != "":
		return nil, usagef("--region and --model go together")
	default:
		ts, err := bench.LoadTargets(*f.targets)
		if err != nil {
			return nil, usagef("%v", err)
		}
		targets = ts
	}
	if len(*f.target) > 0 {
		want := map[string]bool{}
		for _, n := range *f.target {
			want[n] = true
		}
		var kept []bench.Target
		for _, t := range targets {
			if want[t.Name] {
				kept = append(kept, t)
				delete(want, t.Name)
			}
		}
		for n := range want {
			return nil, usagef("--target %q is not in %s", n, *f.targets)
		}
		targets = kept
	}
	hs, err := history.LoadDir(*f.fixtures)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if g := *f.histories; g != "" {
		if _, err := path.Match(g, ""); err != nil {
			return nil, usagef("--histories %q: %v", g, err)
		}
		var kept []*history.History
		for _, h := range hs {
			if matchHistory(g, h.ID) {
				kept = append(kept, h)
			}
		}
		hs = kept
	}
	cases := bench.Cases(targets, hs)
	if len(cases) == 0 {
		return nil, usagef("no case selected: check --targets, --target and --histories")
	}
	return cases, nil
}

// matchHistory matches a glob against a history id, its fixture path, or
// a directory prefix ("tools" or "tools/").
func matchHistory(glob, id string) bool {
	for _, s := range []string{id, "histories/" + id + ".json", id + ".json"} {
		if ok, _ := path.Match(glob, s); ok {
			return true
		}
	}
	return strings.HasPrefix(id, strings.TrimSuffix(glob, "/")+"/")
}

// progress reports cases as they finish: a bar on a terminal, plain lines
// otherwise.
type progress struct {
	w    io.Writer
	tty  bool
	verb string
}

func newProgress(w io.Writer, verb string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			tty = true
		}
	}
	return &progress{w: w, tty: tty, verb: verb}
}

func (p *progress) update(done, total int, r bench.CaseReport) {
	status := "ok"
	switch {
	case r.Skipped:
		status = "exists, skipped"
	case r.Err != nil:
		status = "ERROR: " + firstLine(r.Err.Error())
	case len(r.Problems) > 0:
		status = fmt.Sprintf("FAIL (%d problems)", len(r.Problems))
	case len(r.Drift) > 0:
		status = fmt.Sprintf("ok, %d answers drifted", len(r.Drift))
	}
	if !p.tty {
		fmt.Fprintf(p.w, "%s %d/%d %s: %s\n", p.verb, done, total, r.Case.Name(), status)
		return
	}
	const width = 30
	filled := width * done / total
	fmt.Fprintf(p.w, "\r\033[K[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, r.Case.Name())
	if r.Err != nil || len(r.Problems) > 0 {
		fmt.Fprintf(p.w, "\r\033[K%s: %s\n", r.Case.Name(), status)
	}
	if done == total {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
