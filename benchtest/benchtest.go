// Package benchtest runs bedrock-bench inside go test, in a team's own
// package: the project's (target, history) cases as subtests, the bundled
// emulator for the team's own tests, and cassettes as the transport of the
// team's own Bedrock client.
//
// One call replays every case offline:
//
//	func TestBedrockBench(t *testing.T) { benchtest.Run(t, benchtest.Options{}) }
//
// Importing the package registers these test flags (go-cloud's -record
// convention):
//
//	-record            record every cassette again, against AWS (the standard credential chain) or -endpoint
//	-record-missing    record only the cassettes that do not exist yet
//	-endpoint URL      record against this endpoint (http://host:port; on the loopback interface, something must listen there); "emulator" starts the bundled one in-process
//	-shard i/n         run shard i of n (default $BEDROCK_BENCH_SHARD)
//
// A replay miss or a stale cassette prints the exact command that
// re-records that case, in that package, with the flags in use.
package benchtest

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converter"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// The flags, registered on the test binary's command line.
var (
	record        = flag.Bool("record", false, "record every cassette again, against AWS (standard credential chain) or -endpoint; review the diff before committing")
	recordMissing = flag.Bool("record-missing", false, "record only the cassettes that do not exist yet")
	endpoint      = flag.String("endpoint", "", "record against this endpoint; \"emulator\" starts the bundled emulator in-process")
	redactFlag    = flag.Bool("redact", false, "with -record: replace secrets and personal data with pseudonyms instead of refusing to save them")
	shardFlag     = flag.String("shard", "", "run only shard i of n (1-based), e.g. 2/4; default $"+bench.ShardEnv)
)

// Options configure [Run]. The zero value runs the project found from the
// package's directory upwards.
type Options struct {
	// Config is the project file; "" finds bedrock-bench.yaml from the
	// working directory (the package's) upwards.
	Config string
	// Project, when set, is used instead of reading a file.
	Project *project.Project
}

// Mode is the mode the flags ask for: replay.Replay unless -record or
// -record-missing was given.
func Mode() replay.Mode {
	switch {
	case *record:
		return replay.Record
	case *recordMissing:
		return replay.RecordMissing
	}
	return replay.Replay
}

// checkModeFlags refuses -endpoint without -record or -record-missing: a
// replay reads the cassettes and calls nothing, so the flag would do
// nothing, and the run would pass on the cassettes as they are while the
// caller meant to record them.
//
// It refuses an -endpoint that is neither "emulator" nor a URL, as
// bedrock-bench record does: the SDK would fail every case on it.
func checkModeFlags() error {
	ep := strings.TrimSpace(*endpoint)
	if ep != "" && Mode() == replay.Replay {
		return fmt.Errorf("-endpoint %s records, and does nothing without -record or -record-missing: this run would replay the cassettes as they are; add -record (every cassette again) or -record-missing (those not there yet), or drop -endpoint to replay", ep)
	}
	if ep != "" && ep != "emulator" {
		if err := replay.CheckEndpoint(ep); err != nil {
			return fmt.Errorf("-endpoint %q: %v (or -endpoint emulator: the bundled emulator, in-process)", ep, err)
		}
	}
	return nil
}

// probeEndpoint fails, before any call, a recording against an -endpoint
// on the loopback interface where nothing listens: every case would
// otherwise spend the SDK's attempts on it and fail the same way.
func probeEndpoint() error {
	ep := strings.TrimSpace(*endpoint)
	if ep == "" || ep == "emulator" || !replay.IsLoopback(ep) {
		return nil
	}
	if err := replay.Probe(context.Background(), ep); err != nil {
		return fmt.Errorf("nothing listens at %s: start the emulator first (bedrock-bench emulate), or use -endpoint emulator", ep)
	}
	return nil
}

// Shard is the shard the -shard flag or $BEDROCK_BENCH_SHARD selects.
func Shard() (bench.Shard, error) {
	s, from := *shardFlag, "-shard"
	if s == "" {
		s, from = os.Getenv(bench.ShardEnv), "$"+bench.ShardEnv
	}
	sh, err := bench.ParseShard(s)
	if err != nil {
		return sh, fmt.Errorf("%s: %w", from, err)
	}
	return sh, nil
}

// Run runs every (target, history) case of the project as a subtest of t
// named target/history: offline from the cassettes, or recording with
// -record. With a converter in the project, the converter makes each
// request instead of the built-in normalizer.
func Run(t *testing.T, opts Options) {
	t.Helper()
	p := opts.Project
	if p == nil {
		var err error
		if opts.Config != "" {
			p, err = project.Load(opts.Config)
		} else {
			p, err = project.Discover(".")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	mode := Mode()
	if err := checkModeFlags(); err != nil {
		t.Fatal(err)
	}
	shard, err := Shard()
	if err != nil {
		t.Fatal(err)
	}
	targets := p.EffectiveTargets()
	if len(targets) == 0 {
		t.Fatalf("no targets: add them to %s (bedrock-bench init writes an example)", orNone(p.File))
	}
	hs, err := loadHistories(p)
	if err != nil {
		t.Fatal(err)
	}
	all := bench.Cases(targets, hs)
	if len(all) == 0 {
		t.Fatal(noCase(p))
	}
	cases := shard.Select(all)
	if mode == replay.Replay && !hasCassettes(p.CassettesDir()) {
		t.Fatal(noCassettes(p.CassettesDir(), t.Name()))
	}
	session := replay.Options{}
	if mode != replay.Replay {
		if err := checkRegions(p, cases, strings.TrimSpace(*endpoint)); err != nil {
			t.Fatal(err)
		}
		if err := probeEndpoint(); err != nil {
			t.Fatal(err)
		}
		session = recordSession(t)
	}
	ro := bench.RunOptions{Mode: mode, Cassettes: p.CassettesDir(), Session: session, Concurrency: 1, Rerecord: rerecordCommand(t), CaseTimeout: caseTimeout(t)}
	if len(p.Converter.Command) > 0 {
		w, err := converter.Start(converter.Options{Command: p.Converter.Command, Dir: p.Dir, Histories: p.HistoriesDir(), Timeout: p.Converter.Timeout,
			Origin: "converter.command in " + cmp.Or(p.File, project.FileName), TimeoutSetting: "converter.timeout in " + cmp.Or(p.File, project.FileName)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close() })
		ro.Converter = w
	}
	// The credentials are the run's: once the service refuses them (an
	// SSO session that expired mid-run), every later case would be
	// refused the same way, so none is sent, as bedrock-bench record does.
	refused := false
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			if refused {
				t.Fatal(bench.ErrNotTried)
			}
			r := bench.RunCase(context.Background(), c, ro)
			refused = refused || errors.Is(r.Err, bench.ErrCredentials)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			for _, p := range r.Problems {
				t.Error(p)
			}
			for _, w := range r.Warnings {
				t.Log("warning: " + w)
			}
			for _, d := range r.Drift {
				t.Logf("drift in %s:\n%s", d.Request, d.Diff)
			}
		})
	}
}

// checkRegions refuses, before any call, a recording of a case whose
// target's Region the catalog does not know, when the calls go to the
// bundled emulator (-endpoint emulator) or to AWS (no -endpoint), as
// bedrock-bench record does: every case would fail with the service's
// refusal of the credentials, and advice to refresh them. A user's own
// -endpoint may serve any Region.
func checkRegions(p *project.Project, cases []bench.Case, ep string) error {
	if ep != "" && ep != "emulator" {
		return nil
	}
	cat := catalog.Default()
	for _, c := range cases {
		t := c.Target
		problem := cat.RegionProblem(t.Region, ep == "emulator")
		if problem == "" {
			continue
		}
		where := "target " + t.Name
		if from := setting(p, "targets"); from != "" {
			where = from + ": " + where
		}
		fix := "a Region newer than these can be recorded with -endpoint https://bedrock-runtime." + t.Region + ".amazonaws.com"
		if ep == "emulator" {
			fix = "the bundled emulator serves these Regions only"
		}
		return fmt.Errorf("%s: %s; %s", where, problem, fix)
	}
	return nil
}

// setting is where the project file sets key, FILE:LINE with the file
// seen from the module root, or "" when no file sets it.
func setting(p *project.Project, key string) string {
	from := p.Source(key)
	if p.File == "" || !strings.HasPrefix(from, p.File+":") {
		return ""
	}
	return fromModuleRoot(p.File) + from[len(p.File):]
}

// noCase words Run's failure when the targets' histories: globs keep no
// history: a run of no case would pass and test nothing.
func noCase(p *project.Project) string {
	where := project.FileName
	if at := setting(p, "targets"); at != "" {
		where = at
	}
	return "no case: no history matches the histories: of any target (" + where + "); fix the globs, or remove them to run every history"
}

// loadHistories reads the project's histories. A folder that does not
// exist, or holds no history, fails as the CLI's replay and record do,
// naming the setting that chose the folder: a run of no case would pass
// and test nothing.
func loadHistories(p *project.Project) ([]*history.History, error) {
	dir := p.HistoriesDir()
	from := "histories folder " + fromModuleRoot(dir)
	if at := setting(p, "histories"); at != "" {
		from = at + ": histories: " + fromModuleRoot(dir)
	}
	file := project.FileName
	if p.File != "" {
		file = fromModuleRoot(p.File)
	}
	fix := "add history fixtures there (bedrock-bench import writes them), or point histories: in " + file + " at the folder that holds them"
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such folder: %s", from, fix)
	}
	hs, err := history.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if len(hs) == 0 {
		return nil, fmt.Errorf("%s: no *.json history fixtures: %s", from, fix)
	}
	return hs, nil
}

// caseTimeout bounds each case a recording makes: ten minutes, as
// bedrock-bench record's --timeout, or less where the test binary's
// -timeout comes sooner, so a service that stops answering fails the
// case, with its cassette left as it was, before go test kills the
// binary and every other case with it.
func caseTimeout(t *testing.T) time.Duration {
	const bound, margin = 10 * time.Minute, 10 * time.Second
	if d, ok := t.Deadline(); ok {
		if left := time.Until(d) - margin; left < bound {
			return max(left, time.Second)
		}
	}
	return bound
}

// hasCassettes reports whether dir holds at least one cassette.
func hasCassettes(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

func orNone(file string) string {
	if file == "" {
		return project.FileName + " (none found from here up)"
	}
	return file
}

// recordSession builds what a recording needs: the emulator or the AWS
// chain. Recording against AWS is refused when CI is set.
func recordSession(t *testing.T) replay.Options {
	t.Helper()
	ep := strings.TrimSpace(*endpoint)
	if ep != "emulator" && os.Getenv("CI") != "" {
		t.Fatal("refusing to record against AWS with CI set: CI replays, or records against -endpoint emulator")
	}
	if ep == "emulator" {
		s, err := emulator.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		url, stop, err := s.StartLoopback()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		ep = url
	}
	cfg, err := replay.LoadConfig(context.Background(), "", ep, emulator.DefaultCredentials.Provider())
	if err != nil {
		t.Fatal(err)
	}
	if ep == "" || replay.IsAWS(ep) {
		// As bedrock-bench record checks them: once, within a bound, and
		// a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) is enough, as the
		// runtime takes it.
		if err := replay.CheckCredentials(context.Background(), cfg, true); err != nil {
			t.Fatalf("%v; set AWS_PROFILE or AWS_ACCESS_KEY_ID, or record against the bundled emulator with -endpoint emulator", err)
		}
	}
	session := replay.RecordOptions(cfg, ep)
	session.Redact = *redactFlag
	return session
}

// rerecordCommand words the go test command that re-records one case of
// t: the package's directory, the -run pattern and the flags in use.
func rerecordCommand(t *testing.T) func(bench.Case) string {
	pkg := packageDir()
	var extra []string
	if ep := *endpoint; ep != "" {
		extra = append(extra, "-endpoint "+quote(ep))
	}
	if *redactFlag {
		extra = append(extra, "-redact")
	}
	top := t.Name()
	return func(c bench.Case) string {
		parts := strings.Split(top+"/"+c.Name(), "/")
		for i, p := range parts {
			parts[i] = "^" + regexp.QuoteMeta(p) + "$"
		}
		cmd := []string{"go test", pkg, "-run", quote(strings.Join(parts, "/")), "-record"}
		return strings.Join(append(cmd, extra...), " ")
	}
}

// noCassettes words Run's failure with no cassette at all: the folder and
// the command, both from the module root, where the command runs.
func noCassettes(dir, test string) string {
	return fmt.Sprintf("no cassettes in %s: record them with go test %s -run '^%s$' -record (against AWS), or add -endpoint emulator", fromModuleRoot(dir), packageDir(), regexp.QuoteMeta(test))
}

// packageDir is the test's package directory relative to its module
// root, as go test takes it: "./bench", or "." at the root.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	root := moduleRoot(wd)
	if root == "" {
		return "."
	}
	rel, err := filepath.Rel(root, wd)
	if err != nil || rel == "." {
		return "."
	}
	return "./" + filepath.ToSlash(rel)
}

// moduleRoot is the folder of the go.mod at or above dir, or "".
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// fromModuleRoot names path as seen from the module root, the folder the
// commands of the hints run in, when it lies inside the module; else as
// the working directory sees it.
func fromModuleRoot(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if root := moduleRoot(wd); root != "" {
		abs, err := filepath.Abs(path)
		if err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return filepath.ToSlash(rel)
			}
		}
	}
	return project.Rel(path)
}

func quote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
