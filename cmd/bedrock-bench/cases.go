package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
)

// projectFlags locate the project and override its folders.
type projectFlags struct {
	fs        *pflag.FlagSet
	config    *string
	fixtures  *string
	cassettes *string
}

func addProjectFlags(fs *pflag.FlagSet) *projectFlags {
	return &projectFlags{
		fs:        fs,
		config:    fs.String("config", "", "project file (default: "+project.FileName+" in this directory or the nearest one above)"),
		fixtures:  fs.String("fixtures", "", "history fixture folder (default: the project's histories, else histories/)"),
		cassettes: fs.String("cassettes", "", "cassette folder (default: the project's cassettes, else cassettes/)"),
	}
}

// load reads the project and applies the flags over it.
func (f *projectFlags) load() (*project.Project, error) {
	var p *project.Project
	var err error
	if *f.config != "" {
		if p, err = project.Load(*f.config); err != nil {
			return nil, fileError("--config", *f.config, err, "name a project file, or leave --config out to use the "+project.FileName+" found from here up (bedrock-bench init writes one)")
		}
	} else if p, err = project.Discover("."); err != nil {
		return nil, usagef("%v", err)
	}
	for key, fl := range map[string]string{"histories": "fixtures", "cassettes": "cassettes"} {
		if f.fs.Changed(fl) {
			if err := p.Set(key, f.fs.Lookup(fl).Value.String(), "flag --"+fl); err != nil {
				return nil, usagef("%v", err)
			}
		}
	}
	return p, nil
}

// passthrough lists the project flags given, as they would be typed again.
func (f *projectFlags) passthrough() []string {
	var out []string
	for _, n := range []string{"config", "fixtures", "cassettes"} {
		if f.fs.Changed(n) {
			out = append(out, "--"+n+" "+shellQuote(f.fs.Lookup(n).Value.String()))
		}
	}
	return out
}

// caseFlags select the cases a command runs.
type caseFlags struct {
	*projectFlags
	targets   *string
	target    *[]string
	region    *string
	model     *string
	histories *string
	shard     *string
	// whole: every case, never a shard (lint: other shards' cassettes
	// would look orphaned).
	whole bool
}

func addCaseFlags(fs *pflag.FlagSet) *caseFlags {
	return &caseFlags{
		projectFlags: addProjectFlags(fs),
		targets:      fs.String("targets", "", "a YAML or JSON list of targets, or a project file (its targets), instead of the project's"),
		target:       fs.StringSlice("target", nil, "only these targets (by name; repeatable or comma-separated)"),
		region:       fs.String("region", "", "with --model: one ad hoc target instead of the matrix"),
		model:        fs.String("model", "", "with --region: the model or inference profile of the ad hoc target"),
		histories:    fs.String("histories", "", "only histories whose id or path matches this glob, e.g. 'tools/*' or 'histories/resume/*.json'"),
		shard:        fs.String("shard", "", "only shard i of n (1-based), by a stable hash of the case name; default $"+bench.ShardEnv),
	}
}

// selection is what the case flags resolved to.
type selection struct {
	project *project.Project
	cases   []bench.Case
	shard   bench.Shard
}

func (f *caseFlags) cases(ctx context.Context) (*selection, error) {
	if (*f.region != "") != (*f.model != "") {
		return nil, usagef("--region and --model go together")
	}
	adhoc := *f.region != ""
	if adhoc && f.fs.Changed("targets") {
		return nil, usagef("--targets and --region/--model exclude each other: --region/--model replace the target matrix")
	}
	if adhoc && len(*f.target) > 0 {
		return nil, usagef("--target and --region/--model exclude each other: --target picks from the target matrix")
	}
	shard, err := f.parseShard()
	if err != nil {
		return nil, err
	}
	p, err := f.load()
	if err != nil {
		return nil, err
	}
	switch {
	case adhoc:
		p.SetTargets([]bench.Target{{Name: bench.TargetName(*f.region, *f.model), Region: *f.region, Model: *f.model}}, "flags --region --model")
	case *f.targets != "":
		ts, _, err := project.LoadTargetsContext(ctx, *f.targets)
		if err != nil {
			return nil, fileError("--targets", *f.targets, err, targetsFix)
		}
		if len(ts) == 0 {
			return nil, usagef("no targets: the --targets file %s lists none; %s", *f.targets, targetsFix)
		}
		p.SetTargets(ts, "flag --targets")
	}
	targets := p.EffectiveTargets()
	if len(targets) == 0 {
		where := "the project file " + p.File + " lists none"
		if p.File == "" {
			where = "no " + project.FileName + " was found from here up (run bedrock-bench init)"
		}
		return nil, usagef("no targets: %s; give them in %s, or use --targets FILE or --region and --model", where, project.FileName)
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
		if len(want) > 0 {
			var names, missing []string
			for _, t := range targets {
				names = append(names, t.Name)
			}
			for n := range want {
				missing = append(missing, n)
			}
			sort.Strings(missing)
			return nil, usagef("--target %s: not a target of %s (targets: %s)", strings.Join(missing, ", "), p.Source("targets"), strings.Join(names, ", "))
		}
		targets = kept
	}
	if err := f.checkRegions(targets, p.Source("targets")); err != nil {
		return nil, err
	}
	dir := p.HistoriesDir()
	if err := historiesFolder(p); err != nil {
		return nil, err
	}
	hs, err := history.LoadDir(dir)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if len(hs) == 0 {
		return nil, usagef("%s: no *.json history fixtures (set histories: in %s or pass --fixtures)", project.Rel(dir), project.FileName)
	}
	example := hs[0].ID
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
		if len(kept) == 0 {
			return nil, usagef("no case selected: --histories %q matches no history of %s (ids look like %s)", g, project.Rel(dir), example)
		}
		hs = kept
	}
	all := bench.Cases(targets, hs)
	if len(all) == 0 {
		return nil, usagef("%s", noCaseSelected(targets, *f.histories, p.Source("targets")))
	}
	sel := &selection{project: p, cases: shard.Select(all), shard: shard}
	if len(sel.cases) == 0 {
		return nil, usagef("shard %s holds none of the %d selected cases: use fewer shards", shard, len(all))
	}
	return sel, nil
}

// noCaseSelected says why no case was selected when histories were: the
// histories: glob of every target selected keeps none of them. from says
// where the targets came from.
func noCaseSelected(targets []bench.Target, histories, from string) string {
	var globs []string
	for _, t := range targets {
		globs = append(globs, fmt.Sprintf("target %s has histories: %q", t.Name, t.Histories))
	}
	kept := "no history matches"
	if histories != "" {
		kept = "none of the histories --histories " + strconv.Quote(histories) + " keeps matches"
	}
	return fmt.Sprintf("no case selected: %s the histories: glob of the targets (%s; %s): fix the glob, or remove it to run every history", kept, strings.Join(globs, ", "), from)
}

// checkRegions refuses, before any call, a target whose Region the
// catalog does not know when the calls go to the bundled emulator
// (replay --emulator, record --endpoint emulator) or to AWS (record
// without --endpoint): the emulator serves the catalog's Regions only, and
// AWS has no endpoint for a misspelled Region, so every case would fail
// with an error that names neither the target nor the Region. A user's
// own --endpoint may serve any Region name, and replay from cassettes
// makes no call: their Regions are not checked. from says where the
// targets came from: a file, FILE:LINE or the flags.
func (f *caseFlags) checkRegions(targets []bench.Target, from string) error {
	emu, aws := false, false
	if fl := f.fs.Lookup("emulator"); fl != nil && fl.Value.String() == "true" {
		emu = true
	}
	if fl := f.fs.Lookup("endpoint"); fl != nil {
		switch fl.Value.String() {
		case "emulator":
			emu = true
		case "":
			aws = true
		}
	}
	if !emu && !aws {
		return nil
	}
	for _, t := range targets {
		where := "target " + t.Name
		switch {
		case *f.region != "":
			where = "--region"
		case f.fs.Changed("targets"):
			where = *f.targets + ": " + where
		case from != "":
			where = from + ": " + where
		}
		newer := "a Region newer than these can be recorded with --endpoint https://bedrock-runtime." + t.Region + ".amazonaws.com"
		if emu {
			newer = ""
		}
		if err := unknownRegion(where, t.Region, newer); err != nil {
			return err
		}
	}
	return nil
}

// narrowed names the flag that leaves cases of the matrix out (--target,
// --histories, --region/--model), or is empty.
func (f *caseFlags) narrowed() string {
	switch {
	case len(*f.target) > 0:
		return "--target"
	case *f.histories != "":
		return "--histories"
	case *f.region != "":
		return "--region/--model"
	}
	return ""
}

func (f *caseFlags) parseShard() (bench.Shard, error) {
	if f.whole {
		if f.fs.Changed("shard") {
			return bench.Shard{}, usagef("--shard: lint checks every cassette (a shard would make the others look orphaned)")
		}
		return bench.Shard{}, nil
	}
	s, from := *f.shard, "--shard"
	if !f.fs.Changed("shard") {
		s, from = os.Getenv(bench.ShardEnv), "$"+bench.ShardEnv
	}
	sh, err := bench.ParseShard(s)
	if err != nil {
		return sh, usagef("%s: %v", from, err)
	}
	return sh, nil
}

// rerecord words the command that re-records one case, with the project
// flags in use.
func (f *caseFlags) rerecord(extra ...string) func(bench.Case) string {
	flags := append(f.passthrough(), extra...)
	if f.fs.Changed("targets") {
		flags = append(flags, "--targets "+shellQuote(*f.targets))
	}
	return func(c bench.Case) string {
		target := "--target " + c.Target.Name
		if *f.region != "" {
			target = "--region " + *f.region + " --model " + shellQuote(*f.model)
		}
		return strings.Join(append([]string{"bedrock-bench record", target, "--histories " + shellQuote(c.History.ID)}, flags...), " ")
	}
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

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cassetteFolder checks that a replay has cassettes to read: one line and
// exit 2 when the folder is missing or empty.
func cassetteFolder(dir string) error {
	st, err := os.Stat(dir)
	if err == nil && !st.IsDir() {
		return envf("cassette folder %s is a file, not a folder: point --cassettes (or cassettes: in %s) at the folder the cassettes were recorded into", project.Rel(dir), project.FileName)
	}
	if err != nil {
		return envf("no cassette folder %s: record first (bedrock-bench record --endpoint emulator, or against AWS), or point --cassettes at it", project.Rel(dir))
	}
	found := false
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	if !found {
		return envf("cassette folder %s holds no cassettes: record first (bedrock-bench record --endpoint emulator, or against AWS)", project.Rel(dir))
	}
	return nil
}

// historiesFolder says, when the project's histories folder does not
// exist, which setting named it and how to fix it, rather than the bare
// "stat ...: no such file or directory".
func historiesFolder(p *project.Project) error {
	dir := p.HistoriesDir()
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	from := p.Source("histories")
	if p.File != "" && strings.HasPrefix(from, p.File+":") {
		from = project.Rel(p.File) + from[len(p.File):]
	}
	fix := "create it (bedrock-bench import writes fixtures there), fix histories: in " + project.FileName + ", or pass --fixtures DIR"
	if p.File == "" {
		fix = "create it (bedrock-bench import writes fixtures there), pass --fixtures DIR, or make this a project with bedrock-bench init"
	}
	if from == "flag --fixtures" {
		return usagef("--fixtures %s: no such folder", project.Rel(dir))
	}
	if from == "" || from == "default" {
		return usagef("no histories folder %s: %s", project.Rel(dir), fix)
	}
	return usagef("%s: histories: %s: no such folder: %s", from, project.Rel(dir), fix)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
