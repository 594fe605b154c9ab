package redact

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
)

// bodyWalk is body read straight from the bytes with jsonscan's token
// readers, a word at a time, rather than through a jsontext decoder: the
// same strings and numbers go to the same redactions in the same order
// and become the same patches. It takes one JSON value, checked as the
// decoder checks it (duplicate names allowed), and declines anything else
// (run reports false): invalid JSON, a second top-level value, nesting
// past jsonscan.MaxDepth. bodyTokens then decides, and words the error.
type bodyWalk struct {
	r    *Redactor
	opts BodyOptions
	top  bool
	b    []byte
	i    int
	// key is the last member name read, at any depth, as the decoder's
	// loop in bodyTokens keeps it. It may view b or a string the walk
	// allocated; it is never kept past the walk.
	key     string
	patches []patch
	total   Counts
	// scratch holds the value of the string with escapes being redacted;
	// the next such string writes over it.
	scratch []byte
	// err is a message's redaction error, which ends the walk.
	err error
	// data says whether the last string value read starts "data:";
	// block and isBlock are the text piece of the last element object
	// closed, if it is one (see blockScan).
	data    bool
	block   piece
	isBlock bool
	// last is the last string value read: a view, valid until the next
	// string is read.
	last string
	// under is the credential's name the strings of the containers
	// being read are redacted under, if any (see pairScan.underFor).
	under string
	// seams follows the messages for the values cut between them.
	seams seamTrack
	// media is the scope of the innermost open object (see mediaScope).
	media mediaScope
}

// run walks the body, reporting false where it declines.
func (w *bodyWalk) run() bool {
	w.i = jsonscan.WS(w.b, 0)
	if w.i == len(w.b) || !w.value(0, 0) {
		return false
	}
	return w.err != nil || jsonscan.WS(w.b, w.i) == len(w.b)
}

// value walks the value at the read position, inside depth open
// containers the innermost of which is parent ('{', '[', or 0 at the
// top).
func (w *bodyWalk) value(depth int, parent byte) bool {
	b := w.b
	start := w.i
	c := b[start]
	if w.under == "" && cacheable(w.top, c, w.key, depth, parent) {
		// A message the cache holds is found by its bytes alone, without
		// checking them again: the cache holds only valid messages, and a
		// valid value ends where jsonscan.End says, as Skip would.
		looked := -1
		msg := isMessage(c, w.key, depth, parent)
		if end, ok := jsonscan.End(b, start); ok {
			if m, hit := w.r.cachedMessage(b[start:end], w.opts); hit {
				w.i = end
				w.add(start, end, m.out, m.counts)
				if msg {
					w.patches, w.total = w.r.seam(&w.seams, b, start, end, m, w.opts, w.patches, w.total)
				}
				return true
			}
			looked = end
		}
		end, ok := jsonscan.Skip(b, start)
		if !ok {
			return false
		}
		w.i = end
		redact := w.r.message
		if end == looked {
			redact = w.r.redactMessage // looked up already, and missed
		}
		m, err := redact(b[start:end], w.opts, w.r.body)
		if err != nil {
			w.err = err
			return true
		}
		w.add(start, end, m.out, m.counts)
		if msg {
			w.patches, w.total = w.r.seam(&w.seams, b, start, end, m, w.opts, w.patches, w.total)
		}
		return true
	}
	switch c {
	case '{', '[':
		return w.container(depth, c, c == '{' && parent == '[')
	case '"':
		s, ok := w.str(false)
		if !ok {
			return false
		}
		w.data = strings.HasPrefix(s, "data:")
		w.last = s
		key := w.key
		if w.under != "" && anyValueMember(key) {
			key = w.under
		}
		red, counts := w.r.value(key, s, w.opts, w.media)
		if counts != nil {
			q, err := jsontext.AppendQuote(nil, red)
			if err != nil {
				return false
			}
			w.add(start, w.i, q, counts)
		}
		return true
	case 't', 'f', 'n':
		end, ok := jsonscan.Skip(b, start)
		w.i = end
		return ok
	}
	end, ok := jsonscan.Number(b, start)
	if !ok {
		return false
	}
	w.i = end
	if end-start >= w.r.scan.minNumber {
		if red, counts := w.r.number(w.key, unsafe.String(&b[start], end-start)); counts != nil && isNumber(red) {
			w.add(start, end, []byte(red), counts)
		}
	}
	return true
}

// container walks the object or array whose opening byte c is at the
// read position, inside depth open containers; elem says an object is
// an element of an array (so maybe a text piece). An array's adjacent
// text pieces are also redacted as one text (see joinPieces).
func (w *bodyWalk) container(depth int, c byte, elem bool) bool {
	if depth >= jsonscan.MaxDepth {
		return false
	}
	b := w.b
	closer := byte(']')
	if c == '{' {
		closer = '}'
	}
	var empty bool
	if w.i, empty = jsonscan.Open(b, w.i, closer); empty {
		if elem {
			w.isBlock = false
		}
		return true
	}
	var run pieceRun  // an array's adjacent text pieces
	var blk blockScan // an element object's members
	var pair pairScan // an object's name/value pair
	for more := true; more; {
		if w.i >= len(b) {
			return false
		}
		if c == '{' {
			start := w.i
			name, ok := w.str(true)
			if !ok {
				return false
			}
			w.key = name
			if elem {
				blk.name(name)
			}
			pair.note(name)
			red, counts := w.r.textShared(name)
			if counts != nil {
				q, err := jsontext.AppendQuote(nil, red)
				if err != nil {
					return false
				}
				w.add(start, w.i, q, counts)
			}
			if w.i = jsonscan.WS(b, w.i); w.i >= len(b) || b[w.i] != ':' {
				return false
			}
			if w.i = jsonscan.WS(b, w.i+1); w.i >= len(b) {
				return false
			}
		}
		vstart := w.i
		w.isBlock = false
		isStr := c == '{' && b[vstart] == '"'
		name := w.key
		if isStr {
			w.key = pair.keyFor(name)
		}
		under, media := w.under, w.media
		if c == '{' && (b[vstart] == '{' || b[vstart] == '[') {
			w.under = pair.underFor(name, under)
		}
		switch {
		case b[vstart] == '{' && c == '{':
			w.media = scopeOf(name, media)
		case b[vstart] == '{' || b[vstart] == '[':
			w.media = mediaScope{}
		}
		if !w.value(depth+1, c) {
			return false
		}
		w.under, w.media = under, media
		if isStr {
			w.key = name
			if pair.wants() {
				pair.str(w.last, piece{vstart, w.i})
			}
		} else if c == '{' && b[vstart] == '{' && pair.member == pairValue {
			pair.obj(piece{vstart, w.i})
		}
		if w.err != nil {
			return true
		}
		switch {
		case c == '[':
			switch {
			case b[vstart] == '{' && w.isBlock:
				run.add(w.block)
			case b[vstart] == '"' && bareText(w.key, w.data):
				run.add(piece{vstart, w.i})
			default:
				w.flush(&run)
			}
		case elem && b[vstart] == '"':
			blk.str(piece{vstart, w.i}, b[vstart:w.i], w.data)
		case elem:
			blk.other()
		}
		var ok bool
		if w.i, more, ok = jsonscan.Next(b, w.i, closer); !ok {
			return false
		}
	}
	if c == '[' {
		w.flush(&run)
	} else {
		if pair.pending() {
			w.patches, w.total = w.r.redactPair(b, &pair, w.opts, w.patches, w.total)
		}
		if elem {
			w.block, w.isBlock = blk.result()
		}
	}
	return true
}

// flush redacts a run of two pieces or more as one text, and starts the
// next run.
func (w *bodyWalk) flush(run *pieceRun) {
	if run.n >= 2 {
		w.patches, w.total = w.r.joinPieces(w.b, run.all, w.patches, w.total)
	}
	run.n = 0
}

// str reads the string token at the read position and returns its value:
// a view of the input where it has no escapes; else, for a member name
// (kept as the key), a string of its own, and for a value, one over
// scratch.
func (w *bodyWalk) str(name bool) (string, bool) {
	b := w.b
	start := w.i
	if b[start] != '"' {
		return "", false
	}
	q, esc, high, ok := jsonscan.String(b, start+1)
	if !ok {
		return "", false
	}
	w.i = q + 1
	if !esc {
		if q == start+1 {
			return "", true
		}
		if high && !utf8.Valid(b[start+1:q]) {
			return "", false
		}
		return unsafe.String(&b[start+1], q-start-1), true
	}
	u, ok := jsonscan.AppendUnquote(w.scratch[:0], b[start:q+1])
	if !ok {
		return "", false
	}
	w.scratch = u
	if name || len(u) == 0 {
		return string(u), true
	}
	return unsafe.String(&u[0], len(u)), true
}

// add records a patch of b[start:end] and its counts.
func (w *bodyWalk) add(start, end int, repl []byte, counts Counts) {
	if counts == nil {
		return
	}
	w.total = addTo(w.total, counts)
	w.patches = append(w.patches, patch{int64(start), int64(end), repl})
}
