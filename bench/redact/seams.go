package redact

import (
	"slices"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
)

// A value may be cut between two messages of one conversation, as between
// two blocks of one (see joinPieces): a user pastes the first half of a
// key at the end of one turn and the rest at the start of the next, or a
// streamed answer is logged as two assistant messages. Neither message
// alone holds a value any rule finds. So where a message's last text
// piece ends and the next message of the same role starts with a text
// piece, the seam between them is scanned too: the last seamWidth bytes
// of the one and the first of the other, joined. A value found across
// the seam is replaced in both messages, each taking its part of the
// pseudonym, and both are redacted again as they then read.
//
// The seam is read only where it may cut a value (see seamMay): both
// sides touch it with a run of a value's bytes that holds a digit, an
// "@" or a "%", or both cases of letters over 16 bytes (any run, with
// the user's terms or patterns). A conversation's
// turns end on a word and a full stop, a question mark or a line break,
// and start on a word: their seams cost a look at a few bytes. Each seam
// is read once per body, so a body costs one bounded scan per seam at
// most, never a scan of every pair of messages.

// seamWidth bounds each side of a seam's scan. A value found across the
// seam that reaches a bound (a longer token) is looked for again in the
// whole of both pieces.
const seamWidth = 512

// The roles whose successive messages are joined at their seams.
const (
	roleNone = iota
	roleUser
	roleAssistant
)

// msgEdges are a message's role and its first and last text pieces (the
// string tokens of its content, or of the text of its first and last
// content blocks), relative to the message's bytes.
type msgEdges struct {
	role       uint8
	head, tail piece
	// text: the message starts and ends with a text piece.
	text bool
}

// messageEdges reads a message object's edges: its "role" and its
// "content", a string or an array whose first and last elements are text
// pieces (a string, or a block with a string "text" member).
func messageEdges(raw []byte) msgEdges {
	var e msgEdges
	i := jsonscan.WS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return e
	}
	i, empty := jsonscan.Open(raw, i, '}')
	if empty {
		return e
	}
	var head, tail piece
	var hasHead, hasTail bool
	for more := true; more; {
		name, value, _, ok := jsonscan.Member(raw, i)
		if !ok || value >= len(raw) {
			return msgEdges{}
		}
		vstart := value
		end, ok := jsonscan.Skip(raw, vstart)
		if !ok {
			return msgEdges{}
		}
		switch string(name) {
		case "role":
			switch string(raw[vstart:end]) {
			case `"user"`:
				e.role = roleUser
			case `"assistant"`:
				e.role = roleAssistant
			}
		case "content":
			switch raw[vstart] {
			case '"':
				head, tail, hasHead, hasTail = piece{vstart, end}, piece{vstart, end}, true, true
			case '[':
				head, hasHead, tail, hasTail = contentEdges(raw, vstart)
			}
		}
		if i, more, ok = jsonscan.Next(raw, end, '}'); !ok {
			return msgEdges{}
		}
	}
	e.head, e.tail, e.text = head, tail, hasHead && hasTail
	return e
}

// contentEdges returns the text pieces of the first and last elements of
// the content array at raw[i], where they are text pieces.
func contentEdges(raw []byte, i int) (head piece, hasHead bool, tail piece, hasTail bool) {
	i, empty := jsonscan.Open(raw, i, ']')
	if empty {
		return
	}
	for n, more := 0, true; more; n++ {
		end, ok := jsonscan.Skip(raw, i)
		if !ok {
			return piece{}, false, piece{}, false
		}
		p, isText := elementText(raw, i, end)
		if n == 0 {
			head, hasHead = p, isText
		}
		tail, hasTail = p, isText
		var okN bool
		if i, more, okN = jsonscan.Next(raw, end, ']'); !okN {
			return piece{}, false, piece{}, false
		}
	}
	return
}

// elementText returns the text piece of the valid element raw[i:end]: the
// element itself if it is a string, or the string of its "text" member
// if it is an object with one.
func elementText(raw []byte, i, end int) (piece, bool) {
	switch raw[i] {
	case '"':
		return piece{i, end}, true
	case '{':
	default:
		return piece{}, false
	}
	i, empty := jsonscan.Open(raw, i, '}')
	if empty {
		return piece{}, false
	}
	for more := true; more; {
		name, value, _, ok := jsonscan.Member(raw, i)
		if !ok {
			return piece{}, false
		}
		i = value
		vend, ok := jsonscan.Skip(raw, i)
		if !ok {
			return piece{}, false
		}
		if string(name) == "text" && raw[i] == '"' {
			return piece{i, vend}, true
		}
		if i, more, ok = jsonscan.Next(raw, vend, '}'); !ok {
			return piece{}, false
		}
	}
	return piece{}, false
}

// isMessage reports whether the value about to be read (its first byte
// c), at depth open containers the innermost of which is parent, after
// the member name key, is one message of a body's conversation.
func isMessage(c byte, key string, depth int, parent byte) bool {
	return c == '{' && (key == "messages" || key == "input") && depth == 2 && parent == '['
}

// seamTrack follows a body's messages for their seams: the last message
// read of each role.
type seamTrack struct {
	last [3]msgRef
}

// msgRef is a message of the body: where it lies, its bytes (its
// original ones, or the ones a seam rewrote), its edges and the counts of
// its redaction.
type msgRef struct {
	start, end int
	raw        []byte
	e          msgEdges
	counts     Counts
}

// seam notes the message data[start:end], whose redaction m is patched
// in (if it changed anything), and redacts the value cut across its seam
// with the last message of its role, if any (see seamWidth).
func (r *Redactor) seam(t *seamTrack, data []byte, start, end int, m cachedMsg, opts BodyOptions, patches []patch, total Counts) ([]patch, Counts) {
	cur := msgRef{start, end, data[start:end], m.edges, m.counts}
	role := cur.e.role
	if role == roleNone {
		return patches, total
	}
	prev := t.last[role]
	t.last[role] = cur
	if prev.raw == nil || !prev.e.text || !cur.e.text {
		return patches, total
	}
	tailTok := prev.raw[prev.e.tail.start:prev.e.tail.end]
	headTok := cur.raw[cur.e.head.start:cur.e.head.end]
	if !seamMay(tailTok, headTok, !r.scan.builtinOnly) {
		return patches, total
	}
	tu, err1 := jsontext.AppendUnquote(nil, tailTok)
	hu, err2 := jsontext.AppendUnquote(nil, headTok)
	if err1 != nil || err2 != nil {
		return patches, total
	}
	T, H := string(tu), string(hu)
	f, tw, ok := r.seamValue(T, H, seamWidth)
	if !ok {
		return patches, total
	}
	// The seam's value, its pseudonym cut in two at the seam.
	joined := T[len(T)-tw:] + H
	s := joinSpan{start: f.Start, end: f.End, rep: f, with: r.Pseudonym(f.Kind, f.ValueIn(joined))}
	s.cut([]int{0, tw})
	newT := T[:len(T)-tw+f.Start] + s.part(f.Start)
	newH := s.part(tw) + H[f.End-tw:]
	prevRaw, ok1 := replaceToken(prev.raw, prev.e.tail, newT)
	curRaw, ok2 := replaceToken(cur.raw, cur.e.head, newH)
	if !ok1 || !ok2 {
		return patches, total
	}
	prevOut, prevCounts, err1 := r.body(prevRaw, opts, false)
	curOut, curCounts, err2 := r.body(curRaw, opts, false)
	if err1 != nil || err2 != nil {
		return patches, total
	}
	patches = setPatch(patches, prev.start, prev.end, prevOut)
	patches = setPatch(patches, cur.start, cur.end, curOut)
	total = subtract(subtract(total, prev.counts), cur.counts)
	total = addTo(addTo(addTo(total, prevCounts), curCounts), Counts{f.Kind: 1})
	t.last[role] = msgRef{start, end, curRaw, messageEdges(curRaw), curCounts}
	return patches, total
}

// seamValue returns the value found across the seam between T and H (the
// end of one message's text and the start of the next's), in the text
// of the last tw bytes of T joined to H, if there is one: from their
// last and first width bytes, or from both whole where the value reaches
// a bound.
func (r *Redactor) seamValue(T, H string, width int) (Finding, int, bool) {
	tw, hw := min(len(T), width), min(len(H), width)
	for tw < len(T) && !utf8RuneStart(T[len(T)-tw]) {
		tw++
	}
	for hw < len(H) && !utf8RuneStart(H[hw]) {
		hw++
	}
	joined := T[len(T)-tw:] + H[:hw]
	for _, f := range r.scan.Scan(joined) {
		if f.Start >= tw || f.End <= tw {
			continue // not across the seam
		}
		if (f.Start == 0 && tw < len(T) || f.End == len(joined) && hw < len(H)) && width < max(len(T), len(H)) {
			return r.seamValue(T, H, max(len(T), len(H)))
		}
		if r.seamExtends(joined, tw, f) {
			return Finding{}, 0, false
		}
		return f, tw, true
	}
	return Finding{}, 0, false
}

// seamExtends reports whether the value f found across the seam at tw
// of joined is one that a side holds whole, lengthened by a word of the
// other side: "…@contoso-mail.com" then "shipment …" read as one
// address, "…my key sk-ant-…" then "Thanks". The part f takes from the
// other side is a word of text (letters, lower case after the first),
// which a cut value's part hardly is (a random token's 8 bytes are one
// about once in 700); a shorter part of a real value so left is a few
// letters of it.
func (r *Redactor) seamExtends(joined string, tw int, f Finding) bool {
	for _, g := range r.scan.Scan(joined[:tw]) {
		if g.Start == f.Start && g.End == tw {
			return textWord(joined[tw:f.End])
		}
	}
	for _, g := range r.scan.Scan(joined[tw:]) {
		if g.Start == 0 && g.End+tw == f.End {
			return textWord(joined[f.Start:tw])
		}
	}
	return false
}

// textWord reports whether s is letters only, lower case after the
// first.
func textWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || i == 0 && 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// seamMay reports whether the seam between the string tokens tail and
// head (quotes included) may cut a value (see seamWidth): each side
// touches it with a run of a value's bytes, and the two runs together
// hold a digit, an "@" or a "%", or upper and lower case letters over 16
// bytes; or anything, where the user's terms or patterns (custom is true)
// may find a word cut there. A digit run may end or start with one space
// or dash at the seam, as a card or phone number cut between its groups
// does.
func seamMay(tail, head []byte, custom bool) bool {
	t := tail[1 : len(tail)-1]
	h := head[1 : len(head)-1]
	i := len(t)
	if i > 0 && (t[i-1] == ' ' || t[i-1] == '-') && i > 1 && isDigit(t[i-2]) {
		i--
	}
	end := i
	for i > 0 && seamByte(t[i-1]) {
		i--
	}
	if i > 0 && t[i-1] == '\\' {
		i++ // an escape's letter
	}
	if i >= end {
		return false
	}
	j := 0
	if j < len(h) && (h[j] == ' ' || h[j] == '-') && j+1 < len(h) && isDigit(h[j+1]) {
		j++
	}
	from := j
	for j < len(h) && seamByte(h[j]) {
		j++
	}
	if j == from {
		return false
	}
	var digit, sign, upper, lower bool
	for _, run := range [2][]byte{t[i:end], h[from:j]} {
		for _, c := range run {
			digit = digit || isDigit(c)
			sign = sign || c == '@' || c == '%'
			upper = upper || 'A' <= c && c <= 'Z'
			lower = lower || 'a' <= c && c <= 'z'
		}
	}
	return custom || digit || sign || upper && lower && end-i+j-from > 16
}

// seamByte reports a byte a value's run may hold.
func seamByte(c byte) bool {
	return isWordByte(c) || c >= 0x80 || strings.IndexByte("+/=-.@%:~", c) >= 0
}

// replaceToken returns raw with its string token at p replaced by s,
// quoted.
func replaceToken(raw []byte, p piece, s string) ([]byte, bool) {
	q, err := jsontext.AppendQuote(nil, strings.ToValidUTF8(s, "\uFFFD"))
	if err != nil {
		return nil, false
	}
	out := make([]byte, 0, len(raw)+len(q))
	out = append(out, raw[:p.start]...)
	out = append(out, q...)
	return append(out, raw[p.end:]...), true
}

// setPatch sets the patch of data[start:end], which patches (in order of
// start) may hold already, to repl.
func setPatch(patches []patch, start, end int, repl []byte) []patch {
	k := sort.Search(len(patches), func(k int) bool { return patches[k].start >= int64(start) })
	if k < len(patches) && patches[k].start == int64(start) {
		patches[k] = patch{int64(start), int64(end), repl}
		return patches
	}
	return slices.Insert(patches, k, patch{int64(start), int64(end), repl})
}
