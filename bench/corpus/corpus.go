// Package corpus turns imported records into history fixtures: it
// drops the records that are a prefix of a later one, redacts and decodes
// the rest, drops the histories that are a prefix or a copy of another,
// selects the ones worth keeping and writes them, and summarizes the
// corpus in a migration report.
//
//	ingest records -> chain keys of the body as it came -> window
//	-> redact -> decode -> chain hash -> spool
//	-> dedupe (leaves of the prefix tree) -> contract verdicts and shape
//	of the leaves -> select -> write
//
// Memory holds per history only hashes and a few small fields. Bodies
// wait as they came, in memory only, in a bounded window, where a body is
// dropped as soon as a later record shows it is a prefix; the others are
// redacted as they leave it and go to a spool file on disk, so a run's
// memory is bounded by the largest record, the window and the dedupe
// index, not by the input. See pipeline.go for the stages.
package corpus

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// Selection modes.
const (
	// SelectCoverage keeps one exemplar per (broken rules × shape) group
	// and a few clean histories.
	SelectCoverage = "coverage"
	// SelectAll keeps every history left after dedupe.
	SelectAll = "all"
	// SelectBreaking keeps every history that breaks a rule.
	SelectBreaking = "breaking"
)

// Options configure an [Importer].
type Options struct {
	// Redactor redacts every body; it is required.
	Redactor *redact.Redactor
	// Body tunes body redaction (--keep-media).
	Body redact.BodyOptions
	// Families are the target families; the first decides selection.
	Families []converse.Family
	// Select is SelectCoverage (default), SelectAll or SelectBreaking.
	Select string
	// Max caps the fixtures written; 0 means no cap.
	Max int
	// Clean is how many clean histories coverage keeps; default 3.
	Clean int
	// Shard and Shards keep only the conversations of shard Shard (0 to
	// Shards-1); Shards 0 is no shard, and Shards 1 keeps all too. A
	// shard writes the exemplar of every group, leaves Max and Clean to
	// [Merge], and puts in its manifest what the merge needs to write
	// what one import would have.
	Shard, Shards int
	// Workers is the number of goroutines redacting and judging;
	// default GOMAXPROCS.
	Workers int
	// TempDir holds the spool; default os.TempDir().
	TempDir string
}

// Importer collects records; [Importer.Finish] writes the fixtures.
// Add and Skip must be called from one goroutine.
type Importer struct {
	opts Options
	rep  *Report

	// The stages (see pipeline.go) and the channels between them.
	batch     []item
	seq       int
	jobs      chan job
	sightings chan sightedBatch
	evictJobs chan evictBatch
	processed chan evictBatch
	sightWG   sync.WaitGroup
	windowWG  sync.WaitGroup
	processWG sync.WaitGroup
	spoolWG   sync.WaitGroup

	srcMu   sync.Mutex
	srcMemo map[string]sourceMemo

	// The window stage's: the records not yet redacted, oldest first,
	// and the entry of each key in it (pending[k-pendBase] is the record
	// of window[h] = k); the evictions not yet sent; the entries.
	window    map[uint64]int
	pending   []pendingBody
	pendBase  int
	pendBytes int
	windowMax int // windowBytes; tests lower it
	evicted   []eviction
	evictSeq  int
	entries   []entry

	// The spool stage's.
	spool     *os.File
	spoolW    *bufio.Writer
	spoolOff  int64
	prefixF   *os.File
	prefixW   *bufio.Writer
	fills     []fill
	countSets map[string]int32
	countList []redact.Counts
	spoolErr  error

	groups   map[string]int32
	groupKey []string
	ruleSets map[string]int32
	ruleList []string

	// cwd is the working folder and home the user's home folder, which
	// source file names are given relative to (see shownPath).
	cwd, home string

	// The window stage's count of the records read; in a shard, the
	// number of each entry's record in the input, from 1, and what its
	// manifest tells the merge (nil in an import that is no shard).
	records int32
	ords    []int32
	shard   *ShardInfo
}

// entry is what memory keeps of one history.
type entry struct {
	hash     uint64
	off      int64
	size     int32
	prefixes int32 // number of chain hashes before the last, in the prefix file
	msgs     int32
	group    int32
	verdicts []packedVerdict // one per family
	counts   int32           // its redaction counts, in countList
	flags    uint8
}

type packedVerdict struct {
	rules    int32 // index into ruleList
	repaired bool
}

const (
	flagLeaf uint8 = 1 << iota
	flagDuplicate
	flagPrefix
	flagSelected
	flagFilled
	flagSkipped // redaction made it undecodable (see spoolOne)
)

// processed is one record after the workers.
type processed struct {
	skip   *ingest.Skip
	spool  []byte // the fixture without description and tags
	chain  []uint64
	msgs   int
	counts redact.Counts
	shard  int // of its first user message as redacted, in a sharded import
}

// New starts an importer.
func New(opts Options) (*Importer, error) {
	if opts.Redactor == nil {
		return nil, errors.New("corpus: a redactor is required: an unredacted fixture is never written")
	}
	if len(opts.Families) == 0 {
		f, _ := converse.LookupFamily(converse.DefaultFamily)
		opts.Families = []converse.Family{f}
	}
	if opts.Select == "" {
		opts.Select = SelectCoverage
	}
	if opts.Clean == 0 {
		opts.Clean = 3
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	spool, err := os.CreateTemp(opts.TempDir, "bedrock-bench-import-*.spool")
	if err != nil {
		return nil, fmt.Errorf("creating the import spool: %w (set TMPDIR to a writable folder)", err)
	}
	_ = os.Remove(spool.Name()) // unlinked: gone when closed, even on a crash
	prefixF, err := os.CreateTemp(opts.TempDir, "bedrock-bench-import-*.prefix")
	if err != nil {
		spool.Close()
		return nil, err
	}
	_ = os.Remove(prefixF.Name())
	cwd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	im := &Importer{
		opts: opts, rep: newReport(opts.Families), cwd: ingest.ValidName(cwd), home: ingest.ValidName(home),
		jobs: make(chan job, opts.Workers), sightings: make(chan sightedBatch, opts.Workers*2),
		evictJobs: make(chan evictBatch, opts.Workers), processed: make(chan evictBatch, opts.Workers*2),
		spool: spool, spoolW: bufio.NewWriterSize(spool, 1<<20), prefixF: prefixF, prefixW: bufio.NewWriterSize(prefixF, 1<<20),
		countSets: map[string]int32{}, countList: []redact.Counts{nil},
		groups: map[string]int32{}, srcMemo: map[string]sourceMemo{}, window: map[uint64]int{}, windowMax: windowBytes, ruleSets: map[string]int32{"": 0}, ruleList: []string{""},
	}
	if opts.Shards > 0 {
		im.shard = &ShardInfo{Shard: opts.Shard, Shards: opts.Shards, Max: opts.Max, Clean: opts.Clean, SkipReasons: map[string]int{}, SkipExamples: []ShardSkip{}, Salt: opts.Redactor.SaltFingerprint()}
	}
	for i := 0; i < opts.Workers; i++ {
		im.sightWG.Add(1)
		go im.sightWork()
		im.processWG.Add(1)
		go im.processWork()
	}
	im.windowWG.Add(1)
	go im.windowStage()
	im.spoolWG.Add(1)
	go im.spoolAll()
	return im, nil
}

// Report returns the report so far; complete after Finish.
func (im *Importer) Report() *Report { return im.rep }

// Add queues one record.
func (im *Importer) Add(r ingest.Record) {
	im.rep.Entries++
	im.rep.Records++
	im.rep.Formats[string(r.Format)]++
	im.batch = append(im.batch, item{rec: r})
	if len(im.batch) == 256 {
		im.flush()
	}
}

// Skip counts a record the reader could not use. It goes through the
// stages with the records, so the report lists skips in input order.
func (im *Importer) Skip(s ingest.Skip) {
	im.rep.Entries++
	im.batch = append(im.batch, item{skip: &s})
	if len(im.batch) == 256 {
		im.flush()
	}
}

// skip reports a record that could not be used. The report and the
// manifest, which are committed beside the fixtures, get it redacted as a
// fixture's source is: its file name as the source's, its reason as a
// note, since a reason may quote the input (an S3 key with the account
// id, a value the decoder refused), with what it quotes of the record
// masked first ([MaskReason]). The values replaced are not added to
// the report's redactions, which count those of the conversations kept.
// It returns the skip as reported.
func (im *Importer) skip(s ingest.Skip) ingest.Skip {
	s.File, _ = im.sourceText(shownPath(ingest.ValidName(s.File), im.cwd, im.home))
	s.Reason, _ = im.opts.Redactor.Text(MaskReason(ingest.ValidName(s.Reason)))
	im.rep.skip(s)
	return s
}

// Ignored counts input that was not a model call.
func (im *Importer) Ignored(string) {
	im.rep.Entries++
	im.rep.Ignored++
}

func (im *Importer) flush() {
	if len(im.batch) == 0 {
		return
	}
	im.jobs <- job{seq: im.seq, items: im.batch}
	im.seq++
	im.batch = nil
}

var arnAccount = regexp.MustCompile(`(arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:)(\d{12})(:)`)

// accountPlaceholder replaces account ids in ARNs, as in cassettes.
const accountPlaceholder = "000000000000"

// workBufs are a worker's buffers, reused from record to record: the
// chain hashes' inputs, the source's JSON, and the body as it came with
// the arrays it is decoded into (sight).
type workBufs struct {
	chain, source, raw []byte
	hist               *history.Scratch
}

// skipAt is a skip of the record from src.
func skipAt(src ingest.Source, format string, args ...any) *ingest.Skip {
	return &ingest.Skip{File: src.File, Line: src.Line, Record: src.Record, Reason: fmt.Sprintf(format, args...)}
}

// process redacts and decodes one record for its chain hashes: a record
// that sight found to be no other's prefix, or whose body did not decode
// as it came. It runs on a worker.
//
// The spooled record is {"format":…,"request":…,"source":…}: the format
// and the redacted request are decoded as they stand, for the chain
// hashes, before the source goes after them; the source is not decoded
// at all. The fixtures written put the source before the request.
func (im *Importer) process(r *ingest.Record, scratch *workBufs) processed {
	src := r.Source
	skip := func(format string, args ...any) processed {
		return processed{skip: skipAt(src, format, args...)}
	}
	// The body's redaction is planned here and written straight into the
	// spooled fixture below, after the source that holds its counts.
	red, err := im.opts.Redactor.Plan(r.Body, im.opts.Body)
	if err != nil {
		return skip("body is not valid JSON: %v", err)
	}
	counts := red.Counts
	// The source is scrubbed too: file names, models and notes are text,
	// and so is what the log says of the call (its request id, time,
	// Region), which the source copies as it stands: a log line, a HAR
	// header or a span attribute may hold anything.
	src.Model = arnAccount.ReplaceAllString(src.Model, "${1}"+accountPlaceholder+"${3}")
	// Every text is made valid UTF-8 first (see ingest.ValidName): a
	// file name, or a value a log holds, that is not would otherwise keep
	// the record out of the spool, or the report and the manifest from
	// being written.
	src.File = shownPath(ingest.ValidName(src.File), im.cwd, im.home)
	for _, f := range []*string{&src.File, &src.Model, &src.Region} {
		var c redact.Counts
		*f, c = im.sourceText(ingest.ValidName(*f))
		counts = addCounts(counts, c)
	}
	for _, f := range []*string{&src.RequestID, &src.Time, &src.Captured} {
		var c redact.Counts
		*f, c = im.opts.Redactor.Text(ingest.ValidName(*f))
		counts = addCounts(counts, c)
	}
	for _, f := range []*string{&src.Origin, &src.Operation, &src.ServiceTier, &src.Fidelity} {
		*f = ingest.ValidName(*f)
	}
	for i := range src.Notes {
		var c redact.Counts
		src.Notes[i], c = im.opts.Redactor.Text(ingest.ValidName(src.Notes[i]))
		counts = addCounts(counts, c)
	}
	src.Redacted = true
	if len(counts) > 0 {
		src.Redactions = map[string]int{}
		for k, n := range counts {
			src.Redactions[string(k)] = n
		}
	}
	if scratch.source, err = src.AppendJSON(scratch.source[:0]); err != nil {
		return skip("cannot encode the source: %v", err)
	}
	b := make([]byte, 0, len(r.Body)+len(scratch.source)+64)
	b = append(b, `{"format":`...)
	b, err = jsontext.AppendQuote(b, string(r.Format))
	if err != nil {
		return skip("cannot encode the format: %v", err)
	}
	b = append(b, `,"request":`...)
	b = red.AppendTo(b)
	b = append(b, '}')
	// The format and the request are decoded as they stand, in place: one
	// copy of the body. The history views b, and is done with before b
	// changes below.
	h, err := decodeFixture(r.Format, b)
	if err != nil {
		return skip("%s", err)
	}
	// Judging and the shape wait until dedupe has found the leaves: most
	// records are a prefix of a later one and are never judged.
	headerTier(h, src.ServiceTier)
	var ch []uint64
	ch, scratch.chain = chain(h, scratch.chain)
	msgs := len(h.Messages)
	shard := 0
	if im.opts.Shards > 1 {
		shard = ShardOf(firstUser(h), im.opts.Shards)
	}
	b = append(append(append(b[:len(b)-1], `,"source":`...), scratch.source...), '}')
	for _, buf := range []*[]byte{&scratch.chain, &scratch.source} {
		if cap(*buf) > 1<<20 {
			*buf = nil // one huge record does not pin its size to the worker
		}
	}
	return processed{spool: b, chain: ch, msgs: msgs, counts: counts, shard: shard}
}

// homePath is a path in a user's home folder: /home/<user>/...,
// /Users/<user>/... or C:\Users\<user>\...
var homePath = regexp.MustCompile(`^(?:/home|/Users|[A-Za-z]:[\\/]Users)[\\/][^\\/]+(?:[\\/]|$)`)

// shownPath is a source file's name as fixtures and the report give it:
// relative to the working folder cwd where it lies under it, and a path
// in the home folder home, or in any /home/<user> or /Users/<user>, as
// ~/..., so that the name of the user who ran the import (or whose
// folder it read) reaches no fixture. Other paths are given as they
// were.
func shownPath(p, cwd, home string) string {
	abs := p
	switch {
	case filepath.IsAbs(p):
		if rel, ok := under(cwd, p); ok {
			return rel
		}
	case p == ".." || strings.HasPrefix(p, ".."+string(filepath.Separator)):
		if cwd == "" {
			return p
		}
		abs = filepath.Join(cwd, p) // out of the working folder, maybe into a home folder
	default:
		return p // under the working folder, as it was given
	}
	if rel, ok := under(home, abs); ok {
		return "~/" + rel
	}
	if loc := homePath.FindStringIndex(abs); loc != nil {
		return "~/" + filepath.ToSlash(abs[loc[1]:])
	}
	return p
}

// under returns p relative to dir, if p lies under it.
func under(dir, p string) (string, bool) {
	if dir == "" {
		return "", false
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// sourceText redacts a file name or a model id: the same few values come
// with every record, so their results are kept (up to a bound).
func (im *Importer) sourceText(s string) (string, redact.Counts) {
	im.srcMu.Lock()
	m, ok := im.srcMemo[s]
	im.srcMu.Unlock()
	if ok {
		return m.out, m.counts // read only: addCounts copies it
	}
	out, c := im.opts.Redactor.Text(s)
	im.srcMu.Lock()
	if len(im.srcMemo) < 4096 {
		im.srcMemo[s] = sourceMemo{out, c}
	}
	im.srcMu.Unlock()
	return out, c
}

type sourceMemo struct {
	out    string
	counts redact.Counts
}

func addCounts(a, b redact.Counts) redact.Counts {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = redact.Counts{}
	}
	a.Add(b)
	return a
}

// decodeFixture decodes a fixture of format f built around a request
// body; errors name the place in the body. data is handed over: the
// history's strings point into it, and no one writes to it again.
func decodeFixture(f history.Format, data []byte) (*history.History, error) {
	h, err := history.DecodeOwned("body", data)
	return h, fixtureError(f, err)
}

// fixtureError words a decode error of a body of format f.
func fixtureError(f history.Format, err error) error {
	if err == nil {
		return nil
	}
	var he *history.Error
	if errors.As(err, &he) {
		if he.Path != "" {
			return fmt.Errorf("the %s body does not decode: %s: %s", f, strings.TrimPrefix(he.Path, "request."), he.Msg)
		}
		return fmt.Errorf("the %s body does not decode: %s", f, he.Msg)
	}
	return fmt.Errorf("the %s body does not decode: %v", f, err)
}

func (im *Importer) internRules(r string) int32 {
	if i, ok := im.ruleSets[r]; ok {
		return i
	}
	i := int32(len(im.ruleList))
	im.ruleSets[r] = i
	im.ruleList = append(im.ruleList, r)
	return i
}

// close waits for the workers and flushes the spool.
func (im *Importer) close() error {
	im.flush()
	close(im.jobs)
	im.sightWG.Wait()
	close(im.sightings)
	im.windowWG.Wait() // it evicts every record left and closes evictJobs
	im.processWG.Wait()
	close(im.processed)
	im.spoolWG.Wait()
	if im.spoolErr != nil {
		return im.spoolErr
	}
	// Skips learned at the spool are reported in input order, whatever
	// order the window let records go in.
	slices.SortStableFunc(im.fills, func(a, b fill) int { return cmp.Compare(a.idx, b.idx) })
	for _, f := range im.fills {
		e := &im.entries[f.idx]
		if e.flags&flagFilled != 0 {
			return fmt.Errorf("corpus: internal error: history %d left the import's window twice", f.idx)
		}
		e.flags |= flagFilled
		if f.skip != nil {
			e.flags |= flagSkipped
			s := im.skip(*f.skip)
			if im.shard != nil {
				im.shard.own(s, im.ords[f.idx])
			}
			continue
		}
		e.hash, e.off, e.size, e.prefixes, e.msgs, e.counts = f.hash, f.off, f.size, f.prefixes, f.msgs, f.counts
	}
	im.fills = nil
	for i := range im.entries {
		if im.entries[i].flags&flagFilled == 0 {
			return fmt.Errorf("corpus: internal error: history %d left the import's window unaccounted for", i)
		}
	}
	if err := im.spoolW.Flush(); err != nil {
		return err
	}
	return im.prefixW.Flush()
}

// Finish dedupes, selects and writes the fixtures under dir, and the
// manifest that `import --merge` and the report read. It returns the
// report.
func (im *Importer) Finish(dir string) (*Report, error) {
	return im.FinishContext(context.Background(), dir)
}

// FinishContext is [Importer.Finish], stopped when ctx is done: between
// two batches of histories judged, and between two fixtures written. Each
// fixture is written whole or not at all (a temporary file and a rename),
// and the manifest is written last, so an interrupted run leaves the
// fixtures written before it stopped (the report's Written counts them)
// and no manifest: a manifest an earlier run left in dir is removed
// before the first fixture is written, since it describes another set
// (a run stopped before its first fixture leaves dir as it was). The
// error then wraps ctx.Err().
func (im *Importer) FinishContext(ctx context.Context, dir string) (*Report, error) {
	defer im.spool.Close()
	defer im.prefixF.Close()
	if err := im.close(); err != nil {
		return im.rep, err
	}
	if err := im.dedupe(ctx); err != nil {
		return im.rep, err
	}
	cands := im.candidates()
	if err := im.write(ctx, dir, cands); err != nil {
		return im.rep, err
	}
	return im.rep, nil
}

// interrupted is the error of a Finish stopped by its context.
func interrupted(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("corpus: import interrupted: %w", err)
	}
	return nil
}

// dedupe marks exact copies and strict prefixes; what is left are the
// leaves of the prefix tree.
func (im *Importer) dedupe(ctx context.Context) error {
	n := len(im.entries)
	// Sorted (hash, index) pairs: the first index of each hash is the
	// original, later ones are copies.
	type hi struct {
		h uint64
		i int32
	}
	sorted := make([]hi, 0, n)
	for i, e := range im.entries {
		if e.flags&flagSkipped == 0 {
			sorted = append(sorted, hi{e.hash, int32(i)})
		}
	}
	slices.SortFunc(sorted, func(a, b hi) int {
		if c := cmp.Compare(a.h, b.h); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	hashes := make([]uint64, 0, n)
	for k, s := range sorted {
		if k > 0 && sorted[k-1].h == s.h {
			im.entries[s.i].flags |= flagDuplicate
			continue
		}
		hashes = append(hashes, s.h)
	}
	sorted = nil
	// A history whose key appears in another's chain before its end is a
	// strict prefix of it. The keys were written in the order the
	// records were spooled, not in the entries' order: they are read as
	// one set, so that order does not matter.
	isPrefix := make([]bool, len(hashes))
	if _, err := im.prefixF.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(im.prefixF, 1<<20)
	var buf []byte
	for _, e := range im.entries {
		// An entry's prefix keys are read at once, 8 bytes each.
		buf = slices.Grow(buf[:0], 8*int(e.prefixes))[:8*int(e.prefixes)]
		if _, err := io.ReadFull(r, buf); err != nil {
			return fmt.Errorf("reading the import index: %w", err)
		}
		for k := 0; k < len(buf); k += 8 {
			if j, ok := slices.BinarySearch(hashes, binary.LittleEndian.Uint64(buf[k:])); ok {
				isPrefix[j] = true
			}
		}
	}
	for i := range im.entries {
		e := &im.entries[i]
		if e.flags&flagSkipped != 0 {
			continue
		}
		if e.flags&flagDuplicate != 0 {
			im.rep.Duplicates++
			continue
		}
		j, _ := slices.BinarySearch(hashes, e.hash)
		if isPrefix[j] {
			e.flags |= flagPrefix
			im.rep.Prefixes++
			continue
		}
		e.flags |= flagLeaf
		im.rep.Conversations++
		// The values replaced in the histories kept: each conversation
		// once, not again with every turn it was logged at.
		im.rep.addCounts(im.countList[e.counts])
	}
	return im.judgeLeaves(ctx)
}

// judgeLeaves reads each leaf back from the spool, judges it for every
// family and files it in its selection group. Leaves are judged in
// parallel a bounded batch at a time, and filed in input order, so the
// result does not depend on the number of workers.
func (im *Importer) judgeLeaves(ctx context.Context) error {
	type judged struct {
		verdicts []verdict
		shape    string
		err      error
	}
	const batch = 4096
	idx := make([]int, 0, batch)
	res := make([]judged, batch)
	run := func() error {
		if err := interrupted(ctx); err != nil {
			return err
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < im.opts.Workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var data []byte
				for {
					k := int(next.Add(1) - 1)
					if k >= len(idx) {
						return
					}
					e := &im.entries[idx[k]]
					data = slices.Grow(data[:0], int(e.size))[:e.size]
					if _, err := im.spool.ReadAt(data, e.off); err != nil {
						res[k] = judged{err: fmt.Errorf("reading the import spool: %w", err)}
						continue
					}
					h, err := history.Decode("spool", data)
					if err != nil {
						res[k] = judged{err: fmt.Errorf("decoding the import spool: %w", err)}
						continue
					}
					j := judged{shape: shape(h), verdicts: make([]verdict, len(im.opts.Families))}
					for f, fam := range im.opts.Families {
						j.verdicts[f] = judge(h, fam)
					}
					res[k] = j
				}
			}()
		}
		wg.Wait()
		for k, i := range idx {
			j := &res[k]
			if j.err != nil {
				return j.err
			}
			e := &im.entries[i]
			e.verdicts = make([]packedVerdict, len(j.verdicts))
			for f, v := range j.verdicts {
				e.verdicts[f] = packedVerdict{rules: im.internRules(v.Rules), repaired: v.Repaired}
				im.rep.Families[f].add(v.Rules, v.Repaired)
			}
			key := j.verdicts[0].Rules + " | " + j.shape
			g, ok := im.groups[key]
			if !ok {
				g = int32(len(im.groupKey))
				im.groups[key] = g
				im.groupKey = append(im.groupKey, key)
			}
			e.group = g
			*j = judged{}
		}
		idx = idx[:0]
		return nil
	}
	for i := range im.entries {
		if im.entries[i].flags&flagLeaf == 0 {
			continue
		}
		idx = append(idx, i)
		if len(idx) == batch {
			if err := run(); err != nil {
				return err
			}
		}
	}
	return run()
}

// candidate is a leaf chosen to be written, with why.
type candidate struct {
	idx   int
	why   string
	group int32
	size  int // histories in its group
}

// candidates selects among the leaves. A shard keeps every group's
// exemplar: the caps apply to all shards at once, when they are merged.
func (im *Importer) candidates() []candidate {
	groupSize := make([]int, len(im.groupKey))
	best := make([]int, len(im.groupKey))
	for g := range best {
		best[g] = -1
	}
	for i, e := range im.entries {
		if e.flags&flagLeaf == 0 {
			continue
		}
		groupSize[e.group]++
		// The longest leaf speaks for its group; the first one on a tie.
		if b := best[e.group]; b < 0 || e.msgs > im.entries[b].msgs {
			best[e.group] = i
		}
	}
	var out []candidate
	switch im.opts.Select {
	case SelectAll, SelectBreaking:
		for i, e := range im.entries {
			if e.flags&flagLeaf == 0 {
				continue
			}
			breaking := im.ruleList[e.verdicts[0].rules] != ""
			if im.opts.Select == SelectBreaking && !breaking {
				continue
			}
			out = append(out, candidate{idx: i, why: im.opts.Select, group: e.group, size: groupSize[e.group]})
		}
	default:
		var breaking, clean []candidate
		for g, i := range best {
			if i < 0 {
				continue
			}
			c := candidate{idx: i, group: int32(g), size: groupSize[g]}
			if im.ruleList[im.entries[i].verdicts[0].rules] != "" {
				c.why = "exemplar"
				breaking = append(breaking, c)
			} else {
				c.why = "clean"
				clean = append(clean, c)
			}
		}
		// Most common problems first; then by group key, for determinism.
		order := func(cs []candidate) {
			sort.Slice(cs, func(a, b int) bool {
				if cs[a].size != cs[b].size {
					return cs[a].size > cs[b].size
				}
				return im.groupKey[cs[a].group] < im.groupKey[cs[b].group]
			})
		}
		order(breaking)
		order(clean)
		if len(clean) > im.opts.Clean && im.shard == nil {
			clean = clean[:im.opts.Clean]
		}
		out = append(breaking, clean...)
	}
	if im.opts.Max > 0 && len(out) > im.opts.Max && im.shard == nil {
		out = out[:im.opts.Max]
	}
	return out
}
