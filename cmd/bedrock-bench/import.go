package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/corpus"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// saltEnv names the environment variable holding the redaction salt.
const saltEnv = "BEDROCK_BENCH_SALT"

// redactionFlags are the flags import and capture share.
type redactionFlags struct {
	saltFile  *string
	patterns  *[]string
	termsFile *string
	allow     *[]string
	keepMedia *bool
	// saltFrom and termsFrom name the project file's setting a salt or
	// terms file came from ("bedrock-bench.yaml: redaction.saltFile"),
	// for errors; empty when a flag gave it.
	saltFrom, termsFrom string
	// project is the project file found, if any (File empty when none).
	project *project.Project
}

func addRedactionFlags(fs *pflag.FlagSet) *redactionFlags {
	return &redactionFlags{
		saltFile:  fs.String("salt-file", "", "file holding the secret salt of the pseudonyms (or set "+saltEnv+"); never written out"),
		patterns:  fs.StringArray("redact-pattern", nil, "also redact matches of this regular expression (RE2; repeatable)"),
		termsFile: fs.String("redact-terms", "", "also redact the words and phrases of this file, one a line (names, code names)"),
		allow:     fs.StringArray("allow", nil, "never redact this exact value (repeatable)"),
		keepMedia: fs.Bool("keep-media", false, "keep images and documents instead of replacing them with small placeholders"),
	}
}

// fromProject fills what the flags leave unset from bedrock-bench.yaml
// (found from the working directory up): the salt file (when
// $BEDROCK_BENCH_SALT does not give the salt), the terms file,
// extra patterns, keep-media, and the folder fixtures are written to
// (outFlag, when not given: the project's import folder, or sub under its
// histories). Flags always win. No project file means no change.
func (f *redactionFlags) fromProject(ctx context.Context, fs *pflag.FlagSet, outFlag *string, sub string) error {
	p, err := project.Discover(".")
	if err != nil {
		return usagef("%v", err)
	}
	f.project = p
	r := p.Redaction
	// The salt: --salt-file, else $BEDROCK_BENCH_SALT, else the project's
	// file, which a CI job that passes the salt in the environment does
	// not have (the README tells to keep it out of git).
	if !fs.Changed("salt-file") && r.SaltFile != "" && os.Getenv(saltEnv) == "" {
		*f.saltFile = p.Abs(r.SaltFile)
		f.saltFrom = project.Rel(p.File) + ": redaction.saltFile"
	}
	if !fs.Changed("redact-terms") && r.TermsFile != "" {
		*f.termsFile = p.Abs(r.TermsFile)
		f.termsFrom = project.Rel(p.File) + ": redaction.termsFile"
	}
	if r.PatternsFile != "" {
		pats, err := redact.LoadTermsContext(ctx, p.Abs(r.PatternsFile)) // one expression a line, as terms are one a line
		if err != nil {
			return usagef("%s: redaction.patternsFile: %v", project.Rel(p.File), err)
		}
		*f.patterns = append(*f.patterns, pats...)
	}
	if !fs.Changed("keep-media") && r.KeepMedia {
		*f.keepMedia = true
	}
	if !fs.Changed("out") && p.File != "" {
		switch {
		case p.Import.Dir != "" || sub == "imported":
			*outFlag = p.ImportDir()
		default:
			*outFlag = filepath.Join(p.HistoriesDir(), sub)
		}
	}
	return nil
}

// redactor builds the redactor from the flags and the environment.
func (f *redactionFlags) redactor(ctx context.Context) (*redact.Redactor, error) {
	var salt []byte
	from, trimmed := "", "" // where the salt came from, for its error: never the salt
	keep := "and keep it: the same salt gives the same pseudonyms, run after run and shard after shard"
	// A flag's ~/ that no shell expanded (--salt-file=~/.salt) is the
	// home folder, as in the project file's redaction.saltFile.
	*f.saltFile, *f.termsFile = expandHome(*f.saltFile), expandHome(*f.termsFile)
	switch {
	case *f.saltFile != "":
		data, err := readSalt(ctx, *f.saltFile)
		if err != nil {
			return nil, fileError(cmp.Or(f.saltFrom, "--salt-file"), *f.saltFile, err, "create one with\n  "+makeSalt+"\n"+keep)
		}
		salt = bytes.TrimSpace(data)
		from, trimmed = cmp.Or(f.saltFrom, "--salt-file")+" "+*f.saltFile, " (spaces and line ends at either end left out)"
	case os.Getenv(saltEnv) != "":
		salt = []byte(os.Getenv(saltEnv))
		from = "$" + saltEnv
	}
	if from != "" && len(salt) < minSalt {
		return nil, usagef("%s holds %s%s; a salt needs at least %d: create one with\n  %s\n%s", from, plural(len(salt), "byte"), trimmed, minSalt, makeSalt, keep)
	}
	if len(salt) < minSalt {
		return nil, usagef("redaction needs a secret salt of at least %d bytes, from --salt-file, $%s or the project's redaction.saltFile; create one with\n  %s\n%s", minSalt, saltEnv, makeSalt, keep)
	}
	opts := redact.Options{Patterns: *f.patterns, Allow: *f.allow}
	if *f.termsFile != "" {
		terms, err := redact.LoadTermsContext(ctx, *f.termsFile)
		if err != nil {
			return nil, fileError(cmp.Or(f.termsFrom, "--redact-terms"), *f.termsFile, err, "name a file of words and phrases to redact, one a line")
		}
		opts.Terms = terms
	}
	s, err := redact.NewScanner(opts)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return redact.NewRedactor(s, salt), nil
}

// minSalt is the shortest salt redaction takes, in bytes.
const minSalt = 16

// expandHome turns a leading ~/ into the home folder: a flag given as
// --salt-file=~/x reaches the command with the ~ the shell leaves alone
// there. Any other path is returned as it is.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// makeSalt is the command that makes a salt file.
const makeSalt = "head -c 32 /dev/urandom | base64 > ~/.bedrock-bench-salt && chmod 600 ~/.bedrock-bench-salt"

// maxSaltFile bounds the read of a salt file: a salt is one short line.
const maxSaltFile = 64 << 10

// readSalt reads a salt file, at most maxSaltFile bytes of it: a salt
// file that names a device or a log by mistake is refused, not read
// without end.
func readSalt(ctx context.Context, path string) ([]byte, error) {
	return bounded.ReadFileContext(ctx, path, maxSaltFile, "a salt file holds one line, such as the output of head -c 32 /dev/urandom | base64")
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import [flags] SOURCE...  (files, folders, .gz files or - for stdin)", `  bedrock-bench import --salt-file ~/.bedrock-bench-salt ./bedrock-logs/
  bedrock-bench import --from har --select all --out histories/imported/web session.har
  bedrock-bench import --s3-mirror ./s3-copy --report report.html ./AWSLogs/
  zcat export.jsonl.gz | bedrock-bench import --from openai -
  bedrock-bench import --shard 3/8 --out shard-3 ./logs/      # one job of a CI matrix
  bedrock-bench import --merge --out histories/imported shard-*/
  # every import needs the secret salt: --salt-file, $BEDROCK_BENCH_SALT or the project's redaction.saltFile
`, stderr)
	from := fs.String("from", "", "source format (default: detected per file): "+kindList())
	out := fs.String("out", filepath.Join("histories", "imported"), "folder to write the fixtures and their manifest ("+corpus.ManifestName+", read by --merge) into")
	sel := fs.String("select", corpus.SelectCoverage, "which histories to keep: coverage (one per rule set x shape, plus a few clean), all, breaking")
	maxN := fs.Int("max", 0, "keep at most this many fixtures (0: no limit); a --shard import keeps every group's exemplar and leaves the cap to --merge")
	report := fs.String("report", "", "write the migration report here: .json, .html (self-contained) or text; - for stdout")
	families := fs.StringSlice("family", nil, "target families for the verdicts (repeatable; the first drives selection): "+strings.Join(converse.FamilyNames(), ", ")+" (default: the families of the project's targets, in their order, or its family when it has none; without a project file, "+converse.DefaultFamily+")")
	mirror := fs.String("s3-mirror", "", "local copy of the S3 bucket holding bodies Bedrock logged to S3 (inputBodyS3Path)")
	maxRecord := fs.Int("max-record", 16<<20, "skip records larger than this many bytes")
	strict := fs.Bool("strict", false, "exit 1 if any record was skipped")
	shard := fs.String("shard", "", "import only shard i of n (i from 0), split by the conversation's first user message: i/n")
	merge := fs.Bool("merge", false, "merge the --out folders of every shard of one --shard import (the arguments) into --out, as one import would have written it")
	jobs := fs.Int("jobs", 0, "goroutines redacting, decoding and judging (default: the number of CPUs); the output does not depend on it")
	workers := fs.Int("workers", 0, "older name of --jobs")
	quiet := fs.BoolP("quiet", "q", false, "no progress on stderr")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the import here (for performance work)")
	rf := addRedactionFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *jobs < 0 || *workers < 0 {
		return usagef("--jobs: want a number of goroutines, or 0 for one per CPU")
	}
	if *jobs == 0 {
		*jobs = *workers
	}
	if *maxN < 0 {
		return usagef("--max %d: want a number of fixtures, or 0 for no limit", *maxN)
	}
	if *maxRecord < 1 {
		return usagef("--max-record %d: want a size in bytes, such as %d (16 MiB, the default)", *maxRecord, 16<<20)
	}
	if err := rf.fromProject(ctx, fs, out, "imported"); err != nil {
		return err
	}
	// Where the results go is checked before the input is read: a
	// mistake there would otherwise show only at the end of the run.
	if err := writableFolder("--out", *out); err != nil {
		return err
	}
	if *report != "" && *report != "-" {
		if err := writableFile("--report", *report); err != nil {
			return err
		}
	}
	if err := oneOf("select", *sel, corpus.SelectCoverage, corpus.SelectAll, corpus.SelectBreaking); err != nil {
		return err
	}
	if *from != "" {
		ok := false
		for _, k := range ingest.Kinds {
			ok = ok || string(k) == *from
		}
		if !ok {
			return usagef("--from %q: want one of %s", *from, kindList())
		}
	}
	if *merge && *shard != "" {
		// --merge joins every shard: a shard of the merge means nothing,
		// and was ignored.
		return usagef("--merge joins the --out folders of every shard; --shard %s is for each shard's own import: leave it out of the merge", *shard)
	}
	if fs.NArg() == 0 {
		if *merge {
			return usagef("name the --out folders of every shard to merge (import --merge --out OUT shard-0 shard-1 ...)")
		}
		return usagef("name at least one SOURCE: a file, a folder, a .gz file or - for stdin")
	}
	if *merge {
		rep, err := corpus.Merge(*out, fs.Args(), corpus.MergeOptions{Max: *maxN})
		if err != nil {
			return usagef("%v", err)
		}
		return finishImport(rep, importEnd{out: *out, report: *report, strict: *strict, quiet: *quiet}, stdout, stderr)
	}
	fams := projectFamilies(rf.project)
	if fs.Changed("family") || len(fams) == 0 {
		fams = nil
		if len(*families) == 0 {
			*families = []string{converse.DefaultFamily}
		}
		for _, name := range *families {
			f, err := resolveFamily(name)
			if err != nil {
				return err
			}
			fams = append(fams, f)
		}
	}
	shardI, shardN, err := parseShard(*shard)
	if err != nil {
		return err
	}
	red, err := rf.redactor(ctx)
	if err != nil {
		return err
	}
	files, err := ingest.Files(fs.Args())
	if err != nil {
		return usagef("%v", err)
	}
	im, err := corpus.New(corpus.Options{Redactor: red, Body: redact.BodyOptions{KeepMedia: *rf.keepMedia}, Families: fams,
		Select: *sel, Max: *maxN, Shard: shardI, Shards: shardN, Workers: *jobs})
	if err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	// Memory is bounded by design (records in flight, hashes); trade some
	// of the headroom for less time in the garbage collector, under a
	// soft limit well below the 500 MiB the import promises. GOGC or
	// GOMEMLIMIT in the environment win.
	defer setGC(200, 384<<20)()
	prog := newImportProgress(files, stderr, *quiet)
	defer prog.stop()
	opts := ingest.Options{From: ingest.Kind(*from), MaxRecord: *maxRecord, S3Mirror: *mirror}
	h := ingest.Handler{
		Emit:    func(r ingest.Record) error { im.Add(r); prog.records.Add(1); return nil },
		Skip:    im.Skip,
		Ignored: im.Ignored,
	}
	for _, f := range files {
		if err := readCounted(ctx, f, opts, h, &prog.bytes); err != nil {
			im.Skip(ingest.Skip{File: f, Reason: fmt.Sprintf("unreadable: %v", err)})
			if ctx.Err() != nil {
				return &findingsError{fmt.Sprintf("interrupted: nothing was written to %s", *out)}
			}
		}
	}
	rep, err := im.FinishContext(ctx, *out)
	prog.stop()
	if err != nil && ctx.Err() != nil {
		// Stopped between two fixtures: each one is whole, and the
		// manifest, written last, is not there to vouch for a partial set.
		if rep == nil || rep.Written == 0 {
			return &findingsError{fmt.Sprintf("interrupted: nothing was written to %s", *out)}
		}
		return &findingsError{fmt.Sprintf("interrupted: %s written to %s, and no manifest (%s); run the import again for the whole set", count(rep.Written, "fixture was", "fixtures were"), *out, corpus.ManifestName)}
	}
	if err != nil {
		return err
	}
	end := importEnd{out: *out, report: *report, strict: *strict, quiet: *quiet}
	end.cause = func() string { return importCause(*from, files) }
	return finishImport(rep, end, stdout, stderr)
}

// projectFamilies returns the families of a project's targets, each once,
// in the targets' order, or the project's family when it lists no
// targets: what import judges and selects for when no --family is given.
// None without a project file.
func projectFamilies(p *project.Project) []converse.Family {
	if p == nil || p.File == "" {
		return nil
	}
	if len(p.Targets) == 0 {
		if f, err := converse.LookupFamily(p.Family); err == nil {
			return []converse.Family{f}
		}
		return nil
	}
	var fams []converse.Family
	seen := map[string]bool{}
	for _, t := range p.EffectiveTargets() {
		if f := t.Family(); !seen[f.Name] {
			seen[f.Name] = true
			fams = append(fams, f)
		}
	}
	return fams
}

// entriesRead says how much input the import read and what of it was
// not used: "50 entries (4 not model calls, 11 skipped)".
func entriesRead(rep *corpus.Report) string {
	var aside []string
	if rep.Ignored > 0 {
		aside = append(aside, fmt.Sprintf("%d not model calls", rep.Ignored))
	}
	if rep.Skipped > 0 {
		aside = append(aside, fmt.Sprintf("%d skipped", rep.Skipped))
	}
	s := fmt.Sprintf("%d entries", rep.Entries)
	if len(aside) > 0 {
		s += " (" + strings.Join(aside, ", ") + ")"
	}
	return s
}

// importEnd is how an import's results are told: where they went, the
// flags that change it, and cause, which guesses why every record was
// skipped (nil for --merge).
type importEnd struct {
	out, report   string
	strict, quiet bool
	cause         func() string
}

// skipsShown is how many skip reasons an import prints on stderr.
const skipsShown = 3

func finishImport(rep *corpus.Report, end importEnd, stdout, stderr io.Writer) error {
	out, report := end.out, end.report
	// Every record skipped: nothing imported, which is no success.
	none := rep.NothingImported()
	switch report {
	case "":
		if !none {
			fmt.Fprintf(stdout, "imported %s into %s: %d conversations after dedupe, %d fixtures written\n", entriesRead(rep), out, rep.Conversations, rep.Written)
			for _, f := range rep.Families {
				fmt.Fprintf(stdout, "  family %s: %d of %d conversations (%.1f%%) break the contract as sent; the normalizer repairs %d\n", f.Family, f.Breaking, f.Conversations, 100*f.Share, f.Repaired)
			}
		}
	case "-":
		if err := rep.WriteText(stdout); err != nil {
			return err
		}
	default:
		var b bytes.Buffer
		if err := rep.Write(&b, report); err != nil {
			return err
		}
		if err := corpus.WriteFileAtomic(report, b.Bytes()); err != nil {
			return err
		}
		if !none {
			fmt.Fprintf(stdout, "imported %s into %s: %d conversations after dedupe, %d fixtures written; report in %s\n", entriesRead(rep), out, rep.Conversations, rep.Written, report)
		}
	}
	// The first skips, with file and line; --report - has printed them.
	if rep.Skipped > 0 && !end.quiet && report != "-" {
		printSkips(stderr, rep, report)
	}
	// Fixtures an earlier import left in --out stay (they are the user's
	// files), but they are read with the new ones: said even with -q,
	// since lint, replay and record would otherwise count them silently.
	if !none {
		if n := strayFixtures(out); n > 0 {
			are := "are"
			if n == 1 {
				are = "is"
			}
			fmt.Fprintf(stderr, "import: warning: %s in %s %s not from this import (an earlier one's): lint, replay and record read them too; remove them or import into an empty folder\n",
				plural(n, "fixture"), out, are)
		}
	}
	if none {
		msg := fmt.Sprintf("nothing imported: %s skipped", count(rep.Skipped, "record was", "records were"))
		if end.quiet {
			// The list above is not printed: the first reason is.
			msg += " (the first: " + shownSkip(first(rep.SkipExamples)) + ")"
		}
		if end.cause != nil {
			if c := end.cause(); c != "" {
				msg += "; " + c
			}
		}
		return envf("%s", msg)
	}
	if end.strict && rep.Skipped > 0 {
		return &findingsError{fmt.Sprintf("%d records skipped (--strict); the first: %s", rep.Skipped, shownSkip(first(rep.SkipExamples)))}
	}
	return nil
}

// strayFixtures counts the fixtures (*.json files) under out that the
// manifest an import just wrote there does not list: an earlier import's,
// which fixture loaders read with the new ones. 0 when out has no
// manifest that can be read.
func strayFixtures(out string) int {
	man, err := corpus.ReadManifest(out)
	if err != nil {
		return 0
	}
	listed := make(map[string]bool, len(man.Fixtures))
	for _, f := range man.Fixtures {
		listed[f.File] = true
	}
	n := 0
	_ = history.Walk(out, func(p string) error {
		if rel, err := filepath.Rel(out, p); err == nil && !listed[filepath.ToSlash(rel)] {
			n++
		}
		return nil
	})
	return n
}

// printSkips prints the first skipsShown skip reasons of an import, each
// with its file and line, and how many more there are.
func printSkips(w io.Writer, rep *corpus.Report, report string) {
	n := min(skipsShown, len(rep.SkipExamples))
	fmt.Fprintf(w, "import: %s skipped:\n", plural(rep.Skipped, "record"))
	for _, e := range rep.SkipExamples[:n] {
		fmt.Fprintf(w, "  %s\n", shownSkip(e))
	}
	if more := rep.Skipped - n; more > 0 {
		where := "--report FILE lists them"
		if report != "" {
			where = report + " lists them"
		}
		fmt.Fprintf(w, "  and %d more; %s\n", more, where)
	}
}

// shownSkip is a skip reason as the terminal shows it: its file, line and
// problem, masked as the report's are (corpus.MaskReason), and the path
// of a URL cut too (an S3 key, whose account id the report keeps
// redacted).
func shownSkip(s string) string {
	return ingest.Printable(urlPath.ReplaceAllString(corpus.MaskReason(s), "$1/…"))
}

// urlPath is the path of a URL in a skip reason: what follows its scheme
// and host.
var urlPath = regexp.MustCompile(`(\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s"()]*)/[^\s"()]*`)

// importCause guesses why every record of an import was skipped: --from
// naming a format the first file is not in. It reads the first 16 KiB of
// the first regular file, and says nothing when it cannot tell.
func importCause(from string, files []string) string {
	if from == "" {
		// Each file's format was detected: the reasons listed say why
		// its records could not be used (a body left out of the log,
		// another operation), and a guess at the format would
		// contradict them.
		return ""
	}
	guess := "check that the records are " + from + " records, or leave --from out to detect the format of each file"
	var path string
	for _, f := range files {
		if f != "-" {
			path = f
			break
		}
	}
	st, err := os.Stat(path)
	if path == "" || err != nil || !st.Mode().IsRegular() || strings.HasSuffix(path, ".gz") {
		return "--from " + from + " was given: " + guess
	}
	fh, err := os.Open(path)
	if err != nil {
		return "--from " + from + " was given: " + guess
	}
	head, _ := io.ReadAll(io.LimitReader(fh, 16<<10))
	fh.Close()
	kind := ingest.Detect(head)
	looks := string(kind)
	if kind == ingest.Requests {
		looks = ""
		line, _, _ := bytes.Cut(bytes.TrimLeft(head, " \t\r\n\ufeff"), []byte("\n"))
		if f, ok := ingest.DetectBody(line); ok {
			looks = string(f)
		}
	}
	switch looks {
	case "":
		return "--from " + from + " was given: " + guess
	case from:
		return "" // the format is right: the reasons listed say the rest
	}
	fix := "give --from " + looks + ", or leave --from out"
	if looks == string(history.FormatConverse) {
		fix = "leave --from out"
	}
	return fmt.Sprintf("--from %s was given, but %s looks like %s records: %s to detect the format of each file", from, path, looks, fix)
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func kindList() string {
	var s []string
	for _, k := range ingest.Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// parseShard reads "i/n".
func parseShard(s string) (int, int, error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, usagef("--shard %q: want i/n with 0 <= i < n, e.g. 0/4 (Kubernetes: $JOB_COMPLETION_INDEX/4)", s)
	}
	return i, n, nil
}

// readCounted reads one source and counts the bytes taken from it.
func readCounted(ctx context.Context, path string, opts ingest.Options, h ingest.Handler, n *atomic.Int64) error {
	if path == "-" {
		return ingest.Read(ctx, "<stdin>", &countingReader{os.Stdin, n}, opts, h)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return ingest.Read(ctx, path, &countingReader{f, n}, opts, h)
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importProgress prints records, rate and ETA to stderr: on a terminal
// every second, on one line it rewrites; elsewhere (a CI log, a file) a
// plain line every progressEvery, with no carriage return or escape
// sequence to garble the log.
type importProgress struct {
	records, bytes atomic.Int64
	total          int64
	start          time.Time
	done           chan struct{}
	once           sync.Once
	w              io.Writer
	tty            bool
	wg             sync.WaitGroup
}

// progressEvery is how often the import's progress is logged where stderr
// is not a terminal.
const progressEvery = 10 * time.Second

func newImportProgress(files []string, w io.Writer, quiet bool) *importProgress {
	p := &importProgress{start: time.Now(), done: make(chan struct{}), w: w, tty: terminalOf(w).tty}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && f != "-" {
			p.total += st.Size()
		}
	}
	if quiet {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		every := time.Second
		if !p.tty {
			every = progressEvery
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				p.print(true)
				return
			case <-t.C:
				p.print(false)
			}
		}
	}()
	return p
}

func (p *importProgress) print(final bool) {
	el := time.Since(p.start).Seconds()
	n := p.records.Load()
	rate := float64(n) / max(el, 1e-9)
	line := fmt.Sprintf("import: %d records, %.0f records/s", n, rate)
	if p.total > 0 {
		frac := float64(p.bytes.Load()) / float64(p.total)
		line += fmt.Sprintf(", %.0f%% of the input", 100*min(frac, 1))
		if frac > 0 && !final {
			eta := time.Duration(el*(1-frac)/frac) * time.Second
			line += fmt.Sprintf(", ETA %s", eta.Round(time.Second))
		}
	}
	if final {
		line += fmt.Sprintf(", %s elapsed", time.Since(p.start).Round(time.Millisecond))
	}
	switch {
	case !p.tty:
		fmt.Fprintln(p.w, line)
	case final:
		fmt.Fprintf(p.w, "\r%s\033[K\n", line)
	default:
		fmt.Fprintf(p.w, "\r%s\033[K", line)
	}
}

func (p *importProgress) stop() {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
}

// writeLintReport writes the migration report of the fixtures under paths
// (lint --report) to the file report, or as text to stdout for "-", as
// import --report does; fixtures that do not decode are left to lint's own
// output.
func writeLintReport(report string, paths []string, fam converse.Family, stdout io.Writer) error {
	if report == "" {
		return nil
	}
	var hs []*history.History
	for _, root := range paths {
		files, err := history.Files(root)
		if err != nil {
			return usagef("%v", err)
		}
		base := root
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			base = filepath.Dir(root)
		}
		for _, f := range files {
			if h, err := history.LoadFile(base, f); err == nil {
				hs = append(hs, h)
			}
		}
	}
	rep := corpus.FromHistories(hs, []converse.Family{fam})
	if report == "-" {
		return rep.WriteText(stdout)
	}
	var b bytes.Buffer
	if err := rep.Write(&b, report); err != nil {
		return err
	}
	return corpus.WriteFileAtomic(report, b.Bytes())
}
