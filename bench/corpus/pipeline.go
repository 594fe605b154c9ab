package corpus

import (
	"encoding/binary"
	"fmt"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// The import runs in four stages, each record in input order through the
// two serial ones, so that the output does not depend on the number of
// workers:
//
//	Add -> sight (workers) -> window (one goroutine) -> process (workers) -> spool (one goroutine)
//
// sight takes a record's chain keys from its body as it came: from the
// bytes of a Converse or Messages API body (bytesChain, in bytekeys.go),
// or from the history it decodes to. window holds the bodies, still
// unredacted and in memory only, until a later record shows one is its
// prefix (most are: a conversation is logged again with every turn) or
// the window is full. Only then is a body redacted (process) and written
// to the spool, already redacted. So the prefixes dropped in the window
// are never redacted at all.
//
// A dropped prefix still counts as a history of the dedupe: its key is
// the redacted chain's hash, at its length, of the record that dropped
// it (or of the one that dropped that one). Redaction replaces values
// by what they are, never by where they are (the pseudonyms are keyed
// by the value; a message is cached by its bytes), so a prefix of the
// record as it came is the same prefix of the record redacted: the same
// key as if it had been redacted on its own. The dedupe sees the same
// keys as without the window (TestWindowKeepsPrefixesOutOfTheSpool,
// TestWindowChangesNothing).

// item is a record from the reader, or a skip the reader met: skips go
// through the stages with the records, so that the report's examples
// keep the input order.
type item struct {
	rec  ingest.Record
	skip *ingest.Skip
}

type job struct {
	seq   int
	items []item
}

type sightedBatch struct {
	seq int
	out []sighted
}

// sighted is a record after sight, or a skip the reader met.
type sighted struct {
	skip       *ingest.Skip // the reader's: no record
	otherShard bool
	rec        ingest.Record
	chain      []uint64 // of the body as it came; never leaves memory
	// pre is the record already processed: its body did not decode as
	// it came, and process gave it its skip (or, where redaction made it
	// decode, its spooled body). It takes no part in the window.
	pre *processed
}

// dep is a dropped prefix whose key waits for the redacted chain of the
// record that dropped it: the hash at pos. sub are the prefixes it had
// dropped itself, at their own places in the same chain.
type dep struct {
	idx, pos     int32
	line, record int32
	file         string // where the prefix came from, for a skip
	sub          []dep
}

// eachDep calls fn on every prefix of deps, theirs included. A long
// conversation makes a deep tree, so it is walked without recursion.
func eachDep(deps []dep, fn func(*dep)) {
	stack := [][]dep{deps}
	for len(stack) > 0 {
		ds := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := range ds {
			fn(&ds[i])
			if len(ds[i].sub) > 0 {
				stack = append(stack, ds[i].sub)
			}
		}
	}
}

// eviction is a body leaving the window for process and the spool.
type eviction struct {
	idx  int
	rec  ingest.Record
	deps []dep
	pre  *processed
}

type evictBatch struct {
	seq int
	evs []eviction
	out []processed
}

// fill is what the spool stage learned of an entry; fills are applied
// once every stage is done, since the window stage owns the entries.
type fill struct {
	idx      int
	hash     uint64
	off      int64
	size     int32
	prefixes int32
	msgs     int32
	counts   int32
	skip     *ingest.Skip
}

// sightWork runs sight on the jobs.
func (im *Importer) sightWork() {
	defer im.sightWG.Done()
	var w workBufs
	for j := range im.jobs {
		out := make([]sighted, len(j.items))
		for i := range j.items {
			it := &j.items[i]
			if it.skip != nil {
				out[i] = sighted{skip: it.skip}
				continue
			}
			out[i] = im.sight(&it.rec, &w)
			it.rec = ingest.Record{}
		}
		im.sightings <- sightedBatch{seq: j.seq, out: out}
	}
}

// sight takes a record's chain keys from its body as it came (see the
// stages above). Nothing of it is written anywhere.
func (im *Importer) sight(r *ingest.Record, w *workBufs) sighted {
	if im.opts.Shards <= 1 {
		if ch, ok := bytesChain(r.Format, r.Body, r.Source.ServiceTier, nil); ok {
			return sighted{rec: *r, chain: ch}
		}
	}
	h, err := w.decodeRaw(r.Format, r.Body)
	if err != nil {
		// Redaction may yet make it decode (an image it replaces), or
		// the skip is worded as it always was. Every shard gives such a
		// record the skip one import would; one that decodes goes to the
		// shard of its first user message as redacted. (Where redaction
		// changes that message and another record of the conversation
		// decodes as it came, the two may land in different shards.)
		p := im.process(r, w)
		if p.skip == nil && im.opts.Shards > 1 && p.shard != im.opts.Shard {
			return sighted{otherShard: true}
		}
		return sighted{pre: &p}
	}
	if im.opts.Shards > 1 && ShardOf(firstUser(h), im.opts.Shards) != im.opts.Shard {
		return sighted{otherShard: true}
	}
	headerTier(h, r.Source.ServiceTier)
	var ch []uint64
	ch, w.chain = chain(h, w.chain)
	return sighted{rec: *r, chain: ch}
}

// headerTier gives a history decoded from a body alone the service tier
// its request's header asked for (InvokeModel's, in the record's
// source), as the fixture's decoder does from its source: the chain
// hashes count it.
func headerTier(h *history.History, tier string) {
	if tier != "" && h.ServiceTier == nil {
		h.ServiceTier = &converse.ServiceTier{Type: tier}
	}
}

// decodeRaw decodes a body of format f as it came, into the worker's
// arrays: the history is valid until the next call.
func (w *workBufs) decodeRaw(f history.Format, body []byte) (*history.History, error) {
	b := append(w.raw[:0], `{"format":`...)
	b, err := jsontext.AppendQuote(b, string(f))
	if err != nil {
		return nil, fmt.Errorf("the %s body does not decode: %v", f, err)
	}
	b = append(b, `,"request":`...)
	b = append(append(b, body...), '}')
	w.raw = b
	if cap(w.raw) > 1<<20 {
		w.raw = nil // one huge record does not pin its size to the worker
	}
	if w.hist == nil {
		w.hist = new(history.Scratch)
	}
	h, err := w.hist.DecodeOwned("body", b)
	return h, fixtureError(f, err)
}

// windowStage takes the sighted records in input order.
func (im *Importer) windowStage() {
	defer im.windowWG.Done()
	defer close(im.evictJobs)
	inSeqOrder(im.sightings, func(d *sightedBatch) int { return d.seq }, func(d *sightedBatch) {
		for i := range d.out {
			// The window keeps a pointer to the record; the rest goes.
			im.keep(&d.out[i])
			d.out[i].chain, d.out[i].pre, d.out[i].skip = nil, nil, nil
		}
	})
	for len(im.pending) > 0 {
		im.evictOldest()
	}
	im.flushEvictions()
}

// keep files a sighted record: counts, entry, window.
func (im *Importer) keep(s *sighted) {
	if s.skip == nil {
		im.records++
	}
	switch {
	case s.skip != nil:
		im.skip(*s.skip)
		return
	case s.otherShard:
		im.rep.OtherShard++
		return
	case s.pre != nil && s.pre.skip != nil:
		im.skip(*s.pre.skip)
		return
	}
	idx := len(im.entries)
	im.entries = append(im.entries, entry{off: -1})
	if im.shard != nil {
		im.ords = append(im.ords, im.records)
	}
	if s.pre != nil {
		im.pending = append(im.pending, pendingBody{idx: idx, pre: s.pre, size: len(s.pre.spool)})
		im.pendBytes += len(s.pre.spool)
	} else {
		// A body still in the window whose key is in this record's chain
		// is a strict prefix of it: it is never redacted, and its key
		// will be this record's redacted hash at the same place.
		var deps []dep
		for pos, h := range s.chain[:len(s.chain)-1] {
			k, ok := im.window[h]
			if !ok {
				continue
			}
			w := &im.pending[k-im.pendBase]
			src := &w.rec.Source
			deps = append(deps, dep{idx: int32(w.idx), pos: int32(pos), file: src.File, line: int32(src.Line), record: int32(src.Record), sub: w.deps})
			im.pendBytes -= w.size
			*w.rec = ingest.Record{} // its body is let go at once
			*w = pendingBody{idx: w.idx, dropped: true}
			delete(im.window, h)
		}
		last := s.chain[len(s.chain)-1]
		im.window[last] = idx
		im.pending = append(im.pending, pendingBody{idx: idx, rec: &s.rec, key: last, size: len(s.rec.Body), deps: deps})
		im.pendBytes += len(s.rec.Body)
	}
	// Send the oldest bodies past the bound on; let go of dropped ones at
	// the front at once.
	for len(im.pending) > 0 && (im.pendBytes > im.windowMax || im.pending[0].dropped) {
		im.evictOldest()
	}
}

// windowBytes bounds the bodies held in memory before they are redacted
// and spooled. Conversations are logged turn by turn, so a record's
// prefixes are usually still in the window when it arrives.
const windowBytes = 32 << 20

// pendingBody is a record in the window: its entry, its body as it came
// and the prefixes it dropped, or dropped once it is known to be a
// prefix.
type pendingBody struct {
	idx     int
	rec     *ingest.Record // in the sighted batch, whose array it keeps
	pre     *processed
	key     uint64
	size    int
	deps    []dep
	dropped bool
}

// evictOldest sends the oldest record of the window on to process.
func (im *Importer) evictOldest() {
	w := im.pending[0]
	im.pending[0] = pendingBody{}
	im.pending = im.pending[1:]
	im.pendBase++
	if len(im.pending) == 0 {
		im.pending = nil // let the backing array go
	}
	if w.dropped {
		return
	}
	im.pendBytes -= w.size
	if w.pre == nil {
		if k, ok := im.window[w.key]; ok && k == w.idx {
			delete(im.window, w.key)
		}
	}
	ev := eviction{idx: w.idx, deps: w.deps, pre: w.pre}
	if w.rec != nil {
		ev.rec, *w.rec = *w.rec, ingest.Record{}
	}
	im.evicted = append(im.evicted, ev)
	if len(im.evicted) == 64 {
		im.flushEvictions()
	}
}

func (im *Importer) flushEvictions() {
	if len(im.evicted) == 0 {
		return
	}
	im.evictJobs <- evictBatch{seq: im.evictSeq, evs: im.evicted}
	im.evictSeq++
	im.evicted = nil
}

// processWork redacts the evicted records.
func (im *Importer) processWork() {
	defer im.processWG.Done()
	var w workBufs
	for j := range im.evictJobs {
		j.out = make([]processed, len(j.evs))
		for i := range j.evs {
			ev := &j.evs[i]
			if ev.pre != nil {
				j.out[i], ev.pre = *ev.pre, nil
				continue
			}
			j.out[i] = im.process(&ev.rec, &w)
			ev.rec = ingest.Record{}
		}
		im.processed <- j
	}
}

// spoolAll writes the processed records to the spool in eviction order.
func (im *Importer) spoolAll() {
	defer im.spoolWG.Done()
	inSeqOrder(im.processed, func(b *evictBatch) int { return b.seq }, func(b *evictBatch) {
		for i := range b.evs {
			if err := im.spoolOne(&b.evs[i], &b.out[i]); err != nil && im.spoolErr == nil {
				im.spoolErr = err
			}
		}
	})
}

// inSeqOrder calls fn on the batches of ch in the order of their seq
// numbers (0, 1, 2, ...), whatever order the workers sent them in, until
// ch is closed.
func inSeqOrder[B any](ch <-chan B, seq func(*B) int, fn func(*B)) {
	pending := map[int]B{}
	next := 0
	for d := range ch {
		pending[seq(&d)] = d
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			fn(&b)
		}
	}
}

// spoolOne writes one processed record and its prefix keys, and learns
// the keys of the prefixes it dropped.
func (im *Importer) spoolOne(ev *eviction, p *processed) error {
	if p.skip != nil {
		// Redaction made the body undecodable (a --redact-pattern that
		// matches a role, say). Its prefixes were never redacted: they
		// are skipped with it.
		im.fills = append(im.fills, fill{idx: ev.idx, skip: p.skip})
		eachDep(ev.deps, func(d *dep) {
			s := ingest.Skip{File: d.file, Line: int(d.line), Record: int(d.record), Reason: p.skip.Reason}
			im.fills = append(im.fills, fill{idx: int(d.idx), skip: &s})
		})
		return nil
	}
	f := fill{idx: ev.idx, hash: p.chain[len(p.chain)-1], off: im.spoolOff, size: int32(len(p.spool)), prefixes: int32(len(p.chain) - 1), msgs: int32(p.msgs), counts: im.internCounts(p.counts)}
	im.fills = append(im.fills, f)
	if _, err := im.spoolW.Write(p.spool); err != nil {
		return fmt.Errorf("writing the import spool: %w", err)
	}
	im.spoolOff += int64(len(p.spool))
	var buf [8]byte
	for _, h := range p.chain[:len(p.chain)-1] {
		binary.LittleEndian.PutUint64(buf[:], h)
		if _, err := im.prefixW.Write(buf[:]); err != nil {
			return fmt.Errorf("writing the import index: %w", err)
		}
	}
	// A dropped prefix's keys are all among this record's, which are
	// written above: only its own is kept.
	eachDep(ev.deps, func(d *dep) {
		if int(d.pos) >= len(p.chain)-1 {
			s := ingest.Skip{File: d.file, Line: int(d.line), Record: int(d.record), Reason: "the conversation changed shape when redacted"}
			im.fills = append(im.fills, fill{idx: int(d.idx), skip: &s})
			return
		}
		im.fills = append(im.fills, fill{idx: int(d.idx), hash: p.chain[d.pos], off: -1, msgs: d.pos + 1})
	})
	return nil
}

// internCounts files a record's redaction counts once per distinct set;
// the report adds those of the histories kept.
func (im *Importer) internCounts(c redact.Counts) int32 {
	if len(c) == 0 {
		return 0
	}
	k := c.String()
	if i, ok := im.countSets[k]; ok {
		return i
	}
	i := int32(len(im.countList))
	im.countSets[k] = i
	im.countList = append(im.countList, c)
	return i
}
