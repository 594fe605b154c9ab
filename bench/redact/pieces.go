package redact

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// One text is often stored as several adjacent pieces: Converse and
// Anthropic content blocks ([{"text": "my key is sk-proj-abc"}, {"text":
// "def…"}]), Chat Completions content parts, Responses input and output
// text parts, a system prompt's blocks, a tool result's blocks, a
// streamed answer logged as its chunks. A value cut between two pieces
// is in neither alone, so the pieces of a run are also scanned as one
// joined text, and each finding is replaced in the pieces it spans:
// the pieces stay, each with its part of the pseudonym.
//
// A run is the consecutive elements of one array that are text pieces:
// strings (where the array's member name is no media or credential
// name), or blocks with one text (see blockScan). Any other element ends
// a run. Only a run of two pieces or more is joined: the common single
// block costs a few comparisons and no allocation.

// A piece is where a text piece's string token lies in the body: its
// quotes included.
type piece struct{ start, end int }

// pieceRun gathers the adjacent pieces of one array.
type pieceRun struct {
	first piece
	n     int
	all   []piece // every piece, once there are two
}

func (p *pieceRun) add(pc piece) {
	switch p.n {
	case 0:
		p.first = pc
	case 1:
		p.all = append(p.all[:0], p.first, pc)
	default:
		p.all = append(p.all, pc)
	}
	p.n++
}

// The members of a block that blockScan reads.
const (
	memberOther = iota
	memberText
	memberContent
	memberType
)

// The block types blockScan tells apart.
const (
	typeAbsent = iota
	typeText   // "text"
	typeTextual
	typeOther
)

// blockScan reads the members of an object that is an array element and
// says whether it is a text piece: a Converse block {"text": s}, a block
// of type text, input_text, output_text, summary_text or reasoning_text
// with its "text" (Anthropic, Chat Completions, Responses), or an
// OpenTelemetry part {"type": "text", "content": s}. One text member
// only, a string, and not a data: URL (which is redacted as media). The
// walk and the decoder's loop both read blocks through it, so they find
// the same runs.
type blockScan struct {
	member          int
	nText, nContent int
	// bad: a text or content member that is no string, or a data: URL.
	bad bool
	typ int
	at  piece
}

// name notes the member name whose value comes next.
func (o *blockScan) name(n string) {
	switch n {
	case "text":
		o.member = memberText
	case "content":
		o.member = memberContent
	case "type":
		o.member = memberType
	default:
		o.member = memberOther
	}
}

// str notes a string value at p: raw is its token, data whether its
// text starts "data:".
func (o *blockScan) str(p piece, raw []byte, data bool) {
	switch o.member {
	case memberText, memberContent:
		switch {
		case data:
			o.bad = true
		case o.member == memberText:
			o.nText++
		default:
			o.nContent++
		}
		o.at = p
	case memberType:
		switch string(raw) {
		case `"text"`:
			o.typ = typeText
		case `"input_text"`, `"output_text"`, `"summary_text"`, `"reasoning_text"`:
			o.typ = typeTextual
		default:
			o.typ = typeOther
		}
	}
}

// other notes a value that is not a string.
func (o *blockScan) other() {
	switch o.member {
	case memberText, memberContent:
		o.bad = true
	case memberType:
		o.typ = typeOther
	}
}

// result returns the block's text piece, if it is one.
func (o *blockScan) result() (piece, bool) {
	switch {
	case o.bad:
		return piece{}, false
	case o.nText == 1 && o.nContent == 0:
		return o.at, o.typ != typeOther
	case o.nText == 0 && o.nContent == 1:
		return o.at, o.typ == typeText
	}
	return piece{}, false
}

// bareText reports whether a string element of an array under the
// member key is a text piece: what value redacts as plain text (no
// media, no credential name), and no data: URL.
func bareText(key string, data bool) bool {
	return !data && !mediaKeys[key] && !keyedName(key)
}

// joinPieces redacts a run of adjacent text pieces of data (two or
// more) as one text: the values its joined text holds, and those each
// piece holds alone, are replaced in the pieces they span, each piece
// taking its part of the pseudonym. patches (in order of start) hold
// each piece's own redaction, and total its counts; both are updated.
func (r *Redactor) joinPieces(data []byte, pcs []piece, patches []patch, total Counts) ([]patch, Counts) {
	offs := make([]int, len(pcs)+1)
	var b strings.Builder
	for i, p := range pcs {
		raw := data[p.start:p.end]
		offs[i] = b.Len()
		if bytes.IndexByte(raw, '\\') < 0 {
			b.Write(raw[1 : len(raw)-1])
			continue
		}
		u, err := jsontext.AppendUnquote(nil, raw)
		if err != nil {
			return patches, total // no piece of valid JSON
		}
		b.Write(u)
	}
	offs[len(pcs)] = b.Len()
	joined := b.String()
	found := r.scan.Scan(joined)
	if len(found) == 0 {
		// Nothing in the whole: what a piece holds alone (a value
		// whose word boundary another piece hides) stays redacted.
		return patches, total
	}
	// The values of the whole, and of each piece alone (mapped onto the
	// whole): overlapping ones make one span, replaced by the pseudonym
	// of its strongest value (a credential over personal data, the
	// longer over the shorter, the whole's over a piece's).
	all := found
	for i := range pcs {
		for _, f := range r.scan.Scan(joined[offs[i]:offs[i+1]]) {
			f.Start, f.End = f.Start+offs[i], f.End+offs[i]
			all = append(all, f)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
	var spans []joinSpan
	for _, f := range all {
		if n := len(spans); n > 0 && f.Start < spans[n-1].end {
			s := &spans[n-1]
			s.end = max(s.end, f.End)
			if stronger(f, s.rep) {
				s.rep = f
			}
			continue
		}
		spans = append(spans, joinSpan{start: f.Start, end: f.End, rep: f})
	}
	counts := Counts{}
	for i := range spans {
		s := &spans[i]
		s.with = r.Pseudonym(s.rep.Kind, s.rep.ValueIn(joined))
		s.cut(offs)
		counts[s.rep.Kind]++
	}
	// Each piece: its bytes outside the spans, and its part of each span.
	next := 0
	for i, p := range pcs {
		lo, hi := offs[i], offs[i+1]
		var out strings.Builder
		at := lo
		for next < len(spans) && spans[next].end <= lo {
			next++
		}
		for k := next; k < len(spans) && spans[k].start < hi; k++ {
			s := &spans[k]
			if s.start > at {
				out.WriteString(joined[at:s.start])
			}
			out.WriteString(s.part(max(s.start, lo)))
			at = min(s.end, hi)
		}
		out.WriteString(joined[at:hi])
		text := joined[lo:hi]
		k := sort.Search(len(patches), func(k int) bool { return patches[k].start >= int64(p.start) })
		had := k < len(patches) && patches[k].start == int64(p.start)
		if had {
			// The piece's own redaction, which this one replaces.
			_, c := r.textShared(text)
			total = subtract(total, c)
		}
		switch {
		case out.String() != text:
			q, _ := jsontext.AppendQuote(nil, strings.ToValidUTF8(out.String(), "\uFFFD"))
			if had {
				patches[k].repl = q
			} else {
				patches = slices.Insert(patches, k, patch{int64(p.start), int64(p.end), q})
			}
		case had:
			patches = slices.Delete(patches, k, k+1)
		}
	}
	return patches, addTo(total, counts)
}

// stronger reports whether a finding wins over b for a span's
// pseudonym, as Scan ranks overlapping ones.
func stronger(a, b Finding) bool {
	if a.Secret != b.Secret {
		return a.Secret
	}
	return a.End-a.Start > b.End-b.Start
}

func subtract(total, c Counts) Counts {
	if total == nil {
		return nil
	}
	for k, n := range c {
		if total[k] -= n; total[k] <= 0 {
			delete(total, k)
		}
	}
	return total
}

// A joinSpan is a part of a joined text to replace: with is its
// pseudonym, cut where the pieces' boundaries cut the span.
type joinSpan struct {
	start, end int
	rep        Finding
	with       string
	// bounds are the offsets in the joined text where the span's parts
	// start (its start and each piece boundary inside it); cuts are
	// where the pseudonym's parts start.
	bounds, cuts []int
}

// cut divides the pseudonym among the pieces the span crosses (offs
// are where the pieces start): in proportion to each piece's share of
// the value, at least one byte each where the pseudonym has enough, on
// character boundaries. A span inside one piece takes it whole.
func (s *joinSpan) cut(offs []int) {
	s.bounds = append(s.bounds[:0], s.start)
	for _, o := range offs {
		if o > s.start && o < s.end {
			s.bounds = append(s.bounds, o)
		}
	}
	n, size, p := len(s.bounds), s.end-s.start, len(s.with)
	s.cuts = make([]int, n+1)
	s.cuts[n] = p
	for j := 1; j < n; j++ {
		s.cuts[j] = max((s.bounds[j]-s.start)*p/size, s.cuts[j-1]+1)
	}
	for j := n - 1; j >= 1; j-- {
		s.cuts[j] = max(min(s.cuts[j], s.cuts[j+1]-1), 0)
	}
	for j := 1; j < n; j++ {
		c := max(s.cuts[j], s.cuts[j-1])
		for c < p && !utf8.RuneStart(s.with[c]) {
			c++
		}
		s.cuts[j] = min(c, p)
	}
}

// part returns the pseudonym's part for the piece whose part of the
// span starts at offset at (the span's start or a piece boundary).
func (s *joinSpan) part(at int) string {
	j := sort.SearchInts(s.bounds, at)
	return s.with[s.cuts[j]:s.cuts[j+1]]
}

// A Run is two or more adjacent text pieces of a JSON document (see
// TextRuns) joined into one text; Starts are where each piece starts in
// Text.
type Run struct {
	Text   string
	Starts []int
}

// Crosses reports whether the finding f of the run's text spans two
// pieces or more: a value no scan of one piece finds.
func (r Run) Crosses(f Finding) bool {
	i := sort.SearchInts(r.Starts, f.Start+1) // the first piece after f's start
	return i < len(r.Starts) && r.Starts[i] < f.End
}

// TextRuns returns the runs of two or more adjacent text pieces in a
// JSON document, as Body finds them to redact them (content blocks,
// content parts, a list of strings): for a scan of a document as it
// stands, which reads each string alone. A document that does not
// decode gives the runs before the error.
func TextRuns(data []byte) []Run {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	var out []Run
	var key string
	w := pieceWalk{data: data, join: func(all []piece) {
		var b strings.Builder
		starts := make([]int, len(all))
		for i, p := range all {
			starts[i] = b.Len()
			if u, err := jsontext.AppendUnquote(nil, data[p.start:p.end]); err == nil {
				b.Write(u)
			}
		}
		out = append(out, Run{b.String(), starts})
	}}
	for {
		kind := dec.PeekKind()
		if kind == 0 {
			return out
		}
		if kind != '"' {
			if _, err := dec.ReadToken(); err != nil {
				return out
			}
			w.token(kind)
			continue
		}
		isName := dec.StackDepth() > 0 && kindAt(dec) == '{' && nameNext(dec)
		raw, err := dec.ReadValue()
		if err != nil {
			return out
		}
		end := int(dec.InputOffset())
		s, err := jsontext.AppendUnquote(nil, raw)
		if err != nil {
			return out
		}
		if isName {
			key = string(s)
			w.name(key)
			continue
		}
		w.str(piece{end - len(raw), end}, key, bytes.HasPrefix(s, []byte("data:")))
	}
}

// pieceWalk follows the open containers of a token walk over a JSON
// document for their runs of adjacent text pieces: an array's, and an
// object read as a block where it is an element of an array (whose text
// joins the run). Body and TextRuns feed it what they read, and it hands
// each run of two pieces or more to join.
type pieceWalk struct {
	data   []byte
	frames []tokFrame
	join   func(all []piece)
}

// flush ends run, handing it to join if it holds two pieces or more.
func (w *pieceWalk) flush(run *pieceRun) {
	if run.n >= 2 {
		w.join(run.all)
	}
	run.n = 0
}

// token notes a token other than a string or a number: a container's
// start or end, or a literal.
func (w *pieceWalk) token(kind jsontext.Kind) {
	switch kind {
	case '{', '[':
		elem := kind == '{' && len(w.frames) > 0 && w.frames[len(w.frames)-1].array
		under := w.nextUnder(kind)
		var in mediaScope
		if f := w.object(); f != nil && kind == '{' {
			in = scopeOf(f.key, f.media)
		}
		w.frames = append(w.frames, tokFrame{array: kind == '[', elem: elem, under: under, media: in})
	case '}', ']':
		f := w.frames[len(w.frames)-1]
		w.frames = w.frames[:len(w.frames)-1]
		if f.array {
			w.flush(&f.run)
		}
		if p, ok := f.blk.result(); ok && f.elem && len(w.frames) > 0 && w.frames[len(w.frames)-1].array {
			w.frames[len(w.frames)-1].run.add(p)
		} else {
			w.other()
		}
	default:
		w.other()
	}
}

// name notes a member name read in the innermost open container.
func (w *pieceWalk) name(key string) {
	f := len(w.frames) - 1
	if f < 0 {
		return
	}
	if w.frames[f].elem {
		w.frames[f].blk.name(key)
	}
	w.frames[f].pair.note(key)
	w.frames[f].key = key
}

// nextUnder returns the credential's name the strings of a value of
// kind about to be read in the innermost open container are redacted
// under, if any (see pairScan.underFor).
func (w *pieceWalk) nextUnder(kind jsontext.Kind) string {
	n := len(w.frames)
	if n == 0 {
		return ""
	}
	f := &w.frames[n-1]
	if f.array || kind != '{' && kind != '[' {
		return f.under
	}
	return f.pair.underFor(f.key, f.under)
}

// object returns the innermost open container if it is an object.
func (w *pieceWalk) object() *tokFrame {
	if f := len(w.frames) - 1; f >= 0 && !w.frames[f].array {
		return &w.frames[f]
	}
	return nil
}

// str notes a string value read whole, where v lies, after the member
// name key; isData says whether its text starts "data:".
func (w *pieceWalk) str(v piece, key string, isData bool) {
	if len(w.frames) == 0 {
		return
	}
	f := &w.frames[len(w.frames)-1]
	switch {
	case f.array && bareText(key, isData):
		f.run.add(v)
	case f.array:
		w.flush(&f.run)
	case f.elem:
		f.blk.str(v, w.data[v.start:v.end], isData)
	}
}

// other notes a value read whole that is not a string (a number, a
// literal, a container redacted whole), which ends an array's run.
func (w *pieceWalk) other() {
	if len(w.frames) == 0 {
		return
	}
	switch f := &w.frames[len(w.frames)-1]; {
	case f.array:
		w.flush(&f.run)
	case f.elem:
		f.blk.other()
	}
}
