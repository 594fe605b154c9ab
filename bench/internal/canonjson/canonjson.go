// Package canonjson writes JSON in the project's one canonical form:
// members sorted by name (byte order of their UTF-8), no white space,
// every number in one spelling (1, 1.0 and 1e0 are all "1"), every string
// escaped one way. It is what decoding a body with encoding/json (numbers
// as json.Number) and writing the value back with sorted keys gives, byte
// for byte, but read straight from the bytes: no value is built, so a
// body costs about one pass to check and one to write, and a digest of
// its canonical form ([Write] into a hash) allocates little beyond the
// member lists of objects whose members are out of order.
//
// Replay matches requests on the digest of this form ([HTML] escaping),
// recording stores request bodies in it ([Minimal] escaping), and the
// bundled emulator draws its choices (the inference Region, the answer)
// from it, so that none of them depends on the order a client's encoder
// wrote members in or on white space.
package canonjson

import (
	"bytes"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
)

// Style says how strings are escaped.
type Style uint8

// The styles.
const (
	// HTML escapes what encoding/json's Marshal escapes: '"', '\\',
	// control characters, '<', '>', '&', U+2028 and U+2029. Replay's match
	// keys are digests of this form.
	HTML Style = iota
	// Minimal escapes '"', '\\', control characters, U+2028 and U+2029,
	// and nothing else: strings read as they were written, and a body the
	// AWS SDK for Go wrote without a map is already in this form.
	Minimal
)

// MaxDepth is encoding/json's nesting limit: a body nested deeper is not
// JSON to it, nor to this package.
const MaxDepth = 10000

// Append appends the canonical form of body to dst. A body that is not
// one JSON value (or is 2 GiB or more) is appended as it is. Like encoding/json's Decoder, it
// reads the first value and accepts after it white space, or white space
// and then ']' or '}' (whatever follows those is dropped).
//
// exact reports that the canonical form means exactly what body means:
// body was one JSON value with only white space around it, no object
// repeats a member name (the canonical form keeps the last), and no
// string holds invalid UTF-8 or an unpaired surrogate escape (the
// canonical form has U+FFFD in their place). A body that is not JSON is
// never exact.
func Append(dst, body []byte, s Style) (out []byte, exact bool) {
	w := writer{buf: dst, style: s}
	exact = w.canonical(body)
	return w.buf, exact
}

// Write writes the canonical form of body to w, as Append appends it, in
// pieces through a small buffer: a hash of a 20 MiB body never holds a
// second copy of it.
func Write(w io.Writer, body []byte, s Style) (exact bool, err error) {
	buf := buffers.Get().(*[]byte)
	cw := writer{buf: (*buf)[:0], out: w, style: s}
	exact = cw.canonical(body)
	cw.flush()
	*buf = cw.buf[:0]
	buffers.Put(buf)
	return exact, cw.err
}

// flushAt is how much Write gathers before it writes.
const flushAt = 16 << 10

// buffers hold what Write gathers.
var buffers = sync.Pool{New: func() any {
	b := make([]byte, 0, flushAt+512)
	return &b
}}

type writer struct {
	buf   []byte
	out   io.Writer // nil: everything stays in buf
	err   error
	style Style
	// inexact: what was written does not mean exactly what the body
	// means (see Append).
	inexact bool
	// ms holds the members of the unsorted objects being written, and
	// names the names among them that had to be decoded.
	ms    []member
	names []byte
}

// canonical writes the canonical form of body, or body; it reports
// whether the form is exact.
func (w *writer) canonical(body []byte) bool {
	p := parser{b: body}
	start := jsonscan.WS(body, 0)
	end, ok := 0, false
	if len(body) <= math.MaxInt32 {
		end, ok = p.value(start, 0)
	}
	if ok {
		switch k := jsonscan.WS(body, end); {
		case k == len(body):
		case body[k] == ']' || body[k] == '}':
			w.inexact = true
		default:
			ok = false
		}
	}
	if !ok {
		w.write(body)
		return false
	}
	// Objects close after those they hold: sort them by where they
	// start, for the writer to look them up.
	slices.SortFunc(p.unsorted, func(x, y span) int { return int(x.start - y.start) })
	w.value(&p, start)
	return !w.inexact
}

// span is where an object starts and ends.
type span struct{ start, end int32 }

// parser checks a body as encoding/json's scanner does and lists the
// objects whose members are not in canonical order.
type parser struct {
	b []byte
	// unsorted lists the objects whose members are out of order or repeat
	// a name: all the writer needs to tell them, and to step over them
	// without reading them again.
	unsorted []span
}

// value checks the value at b[i] (no white space before it), inside
// depth arrays and objects, and returns its end.
func (p *parser) value(i, depth int) (int, bool) {
	b := p.b
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; c {
	case '"':
		end, _, _, ok := stringToken(b, i)
		return end, ok
	case '[', '{':
		if depth >= MaxDepth {
			return 0, false
		}
		closer := byte(']')
		if c == '{' {
			closer = '}'
		}
		j, empty := jsonscan.Open(b, i, closer)
		if empty {
			return j, true
		}
		sorted := true
		// prev is the previous member's name. A name that must be decoded
		// to be compared is decoded into the buffer prev is not in.
		var prev []byte
		var bufs [2][]byte
		cur := 0
		for first := true; ; first = false {
			var ok, more bool
			if c == '{' {
				var end int
				var esc, high bool
				if end, esc, high, ok = stringToken(b, j); !ok {
					return 0, false
				}
				name := b[j+1 : end-1]
				if esc || high {
					bufs[cur], _ = unquote(bufs[cur][:0], name)
					name, cur = bufs[cur], 1-cur
				}
				if !first && bytes.Compare(prev, name) >= 0 {
					sorted = false
				}
				prev = name
				if j = jsonscan.WS(b, end); j >= len(b) || b[j] != ':' {
					return 0, false
				}
				j = jsonscan.WS(b, j+1)
			}
			if j, ok = p.value(j, depth+1); !ok {
				return 0, false
			}
			if j, more, ok = jsonscan.Next(b, j, closer); !ok {
				return 0, false
			}
			if !more {
				break
			}
		}
		if !sorted {
			if len(p.unsorted) == cap(p.unsorted) {
				// Doubling: append grows a long list by a quarter,
				// allocating five times its final size on the way.
				p.unsorted = append(make([]span, 0, 2*cap(p.unsorted)+64), p.unsorted...)
			}
			p.unsorted = append(p.unsorted, span{int32(i), int32(j)})
		}
		return j, true
	case 't':
		return jsonscan.Literal(b, i, "true")
	case 'f':
		return jsonscan.Literal(b, i, "false")
	case 'n':
		return jsonscan.Literal(b, i, "null")
	default:
		return jsonscan.Number(b, i)
	}
}

// unsortedEnd returns the end of the unsorted object at i, or -1 for an
// object whose members are in order.
func (p *parser) unsortedEnd(i int) int {
	u := p.unsorted
	lo, hi := 0, len(u)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(u[m].start) < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(u) && int(u[lo].start) == i {
		return int(u[lo].end)
	}
	return -1
}

// skip returns the end of the checked value at b[i], stepping over the
// unsorted objects in it without reading them.
func (p *parser) skip(i int) int {
	b := p.b
	switch c := b[i]; c {
	case '"':
		q, _, _, _ := jsonscan.String(b, i+1)
		return q + 1
	case '[', '{':
		closer := byte(']')
		if c == '{' {
			if end := p.unsortedEnd(i); end >= 0 {
				return end
			}
			closer = '}'
		}
		j, empty := jsonscan.Open(b, i, closer)
		if empty {
			return j
		}
		for {
			if c == '{' {
				q, _, _, _ := jsonscan.String(b, j+1)
				j = jsonscan.WS(b, jsonscan.WS(b, q+1)+1)
			}
			var more bool
			j, more, _ = jsonscan.Next(b, p.skip(j), closer)
			if !more {
				return j
			}
		}
	case 't', 'n':
		return i + 4
	case 'f':
		return i + 5
	default:
		end, _ := jsonscan.Number(b, i)
		return end
	}
}

// stringToken checks the string token at b[i] as encoding/json does
// (bytes beyond ASCII are taken even when they are not UTF-8) and returns
// its end, one past the closing quote, and whether it has escapes and
// bytes beyond ASCII.
func stringToken(b []byte, i int) (end int, esc, high, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, false, false, false
	}
	q, esc, high, ok := jsonscan.String(b, i+1)
	if !ok || esc && !validEscapes(b[i+1:q]) {
		return 0, false, false, false
	}
	return q + 1, esc, high, true
}

// validEscapes reports whether every escape in a string's contents is one
// JSON has.
func validEscapes(s []byte) bool {
	for {
		k := bytes.IndexByte(s, '\\')
		if k < 0 {
			return true
		}
		if k+1 >= len(s) {
			return false
		}
		switch s[k+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			s = s[k+2:]
		case 'u':
			if hex4(s[k:]) < 0 {
				return false
			}
			s = s[k+6:]
		default:
			return false
		}
	}
}

// hex4 reads the escape \uXXXX at the start of s, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// nextRune reads the character at s[i] of a string's contents as
// encoding/json decodes it: an escape (a surrogate pair as one
// character, an unpaired surrogate as U+FFFD), or a UTF-8 sequence (each
// byte of an invalid one as U+FFFD). It returns the character, how many
// bytes it took, and whether it was replaced.
func nextRune(s []byte, i int) (r rune, n int, replaced bool) {
	c := s[i]
	if c != '\\' {
		if c < utf8.RuneSelf {
			return rune(c), 1, false
		}
		r, n = utf8.DecodeRune(s[i:])
		return r, n, r == utf8.RuneError && n == 1
	}
	switch s[i+1] {
	case 'b':
		return '\b', 2, false
	case 'f':
		return '\f', 2, false
	case 'n':
		return '\n', 2, false
	case 'r':
		return '\r', 2, false
	case 't':
		return '\t', 2, false
	case 'u':
		r = hex4(s[i:])
		if !utf16.IsSurrogate(r) {
			return r, 6, false
		}
		if d := utf16.DecodeRune(r, hex4(s[i+6:])); d != utf8.RuneError {
			return d, 12, false
		}
		return utf8.RuneError, 6, true
	default: // '"', '\\', '/'
		return rune(s[i+1]), 2, false
	}
}

// unquote appends the decoded contents of a checked string token, and
// reports whether invalid UTF-8 or an unpaired surrogate was replaced.
func unquote(dst, s []byte) ([]byte, bool) {
	replaced := false
	for i := 0; i < len(s); {
		r, n, rep := nextRune(s, i)
		dst = utf8.AppendRune(dst, r)
		replaced = replaced || rep
		i += n
	}
	return dst, replaced
}

// value writes the canonical form of the checked value at b[i] and
// returns its end.
func (w *writer) value(p *parser, i int) int {
	b := p.b
	switch c := b[i]; c {
	case '"':
		end, esc, high, _ := stringToken(b, i)
		w.rawString(b[i+1:end-1], esc, high)
		return end
	case '[':
		j, empty := jsonscan.Open(b, i, ']')
		if empty {
			w.write([]byte("[]"))
			return j
		}
		w.byte('[')
		for {
			j = w.value(p, j)
			var more bool
			j, more, _ = jsonscan.Next(b, j, ']')
			if !more {
				w.byte(']')
				return j
			}
			w.byte(',')
		}
	case '{':
		if end := p.unsortedEnd(i); end >= 0 {
			w.object(p, i, end)
			return end
		}
		j, empty := jsonscan.Open(b, i, '}')
		if empty {
			w.write([]byte("{}"))
			return j
		}
		w.byte('{')
		for {
			end, esc, high, _ := stringToken(b, j)
			w.rawString(b[j+1:end-1], esc, high)
			w.byte(':')
			j = w.value(p, jsonscan.WS(b, jsonscan.WS(b, end)+1))
			var more bool
			j, more, _ = jsonscan.Next(b, j, '}')
			if !more {
				w.byte('}')
				return j
			}
			w.byte(',')
		}
	case 't':
		w.write([]byte("true"))
		return i + 4
	case 'f':
		w.write([]byte("false"))
		return i + 5
	case 'n':
		w.write([]byte("null"))
		return i + 4
	default:
		end, _ := jsonscan.Number(b, i)
		w.number(b[i:end])
		return end
	}
}

// member is a member of an object being written: its decoded name
// (body[ns:ne], or names[-ns-1:-ne-1] for a name that had to be decoded)
// and where its value starts.
type member struct{ ns, ne, val int }

// name returns a member's decoded name.
func (w *writer) name(p *parser, m member) []byte {
	if m.ns < 0 {
		return w.names[-m.ns-1 : -m.ne-1]
	}
	return p.b[m.ns:m.ne]
}

// object writes the unsorted object at b[i], which ends at end: its
// members sorted by name, of members with one name the last.
func (w *writer) object(p *parser, i, end int) {
	b := p.b
	base, names := len(w.ms), len(w.names)
	j, _ := jsonscan.Open(b, i, '}')
	for {
		q, esc, high, _ := jsonscan.String(b, j+1)
		m := member{ns: j + 1, ne: q}
		if esc || high {
			n := len(w.names)
			var replaced bool
			w.names, replaced = unquote(w.names, b[j+1:q])
			w.inexact = w.inexact || replaced
			m.ns, m.ne = -n-1, -len(w.names)-1
		}
		m.val = jsonscan.WS(b, jsonscan.WS(b, q+1)+1)
		w.ms = append(w.ms, m)
		var more bool
		if j, more, _ = jsonscan.Next(b, p.skip(m.val), '}'); !more {
			break
		}
	}
	top := len(w.ms)
	slices.SortStableFunc(w.ms[base:top], func(x, y member) int { return bytes.Compare(w.name(p, x), w.name(p, y)) })
	w.byte('{')
	first := true
	for k := base; k < top; k++ {
		m := w.ms[k]
		if k+1 < top && bytes.Equal(w.name(p, m), w.name(p, w.ms[k+1])) {
			// A stable sort leaves the last read last.
			w.inexact = true
			continue
		}
		if !first {
			w.byte(',')
		}
		first = false
		w.decodedString(w.name(p, m))
		w.byte(':')
		w.value(p, m.val)
	}
	w.byte('}')
	w.ms, w.names = w.ms[:base], w.names[:names]
}

// number writes a number token in its canonical spelling. Most numbers
// in requests are integers already spelled so.
func (w *writer) number(tok []byte) {
	digits := tok
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	plain := len(digits) > 0 && len(digits) <= plainDigits && (digits[0] != '0' || len(tok) == 1)
	for _, c := range digits {
		if c < '0' || c > '9' {
			plain = false
			break
		}
	}
	if plain {
		w.write(tok)
		return
	}
	w.writeString(canonicalNumber(string(tok)))
}

// rawString writes a string token's contents (between its quotes),
// canonically escaped. esc and high say whether they hold escapes and
// bytes beyond ASCII.
func (w *writer) rawString(s []byte, esc, high bool) {
	w.byte('"')
	if !esc && !high {
		w.plain(s)
	} else {
		start := 0
		for i := 0; i < len(s); {
			c := s[i]
			if c != '\\' && c < utf8.RuneSelf {
				i++
				continue
			}
			r, n, replaced := nextRune(s, i)
			if c != '\\' && !replaced && r != '\u2028' && r != '\u2029' {
				// UTF-8 that stays as it is.
				i += n
				continue
			}
			w.plain(s[start:i])
			w.inexact = w.inexact || replaced
			w.char(r)
			i += n
			start = i
		}
		w.plain(s[start:])
	}
	w.byte('"')
}

// decodedString writes a decoded string (valid UTF-8), canonically
// escaped.
func (w *writer) decodedString(s []byte) {
	w.byte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe(c, w.style) {
				i++
				continue
			}
			w.write(s[start:i])
			w.char(rune(c))
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == '\u2028' || r == '\u2029' {
			w.write(s[start:i])
			w.char(r)
			start = i + n
		}
		i += n
	}
	w.write(s[start:])
	w.byte('"')
}

// plain writes bytes of a string token that stay as they are but for
// HTML escaping: no escapes, no quotes or control characters (a checked
// token has none outside escapes), and only UTF-8 that is valid and not
// U+2028 or U+2029.
func (w *writer) plain(s []byte) {
	if w.style != HTML {
		w.write(s)
		return
	}
	for {
		k := bytes.IndexAny(s, "<>&")
		if k < 0 {
			w.write(s)
			return
		}
		w.write(s[:k])
		w.char(rune(s[k]))
		s = s[k+1:]
	}
}

// safe reports whether an ASCII character is written as it is.
func safe(c byte, s Style) bool {
	switch {
	case c < 0x20, c == '"', c == '\\':
		return false
	case c == '<', c == '>', c == '&':
		return s != HTML
	}
	return true
}

const hexDigits = "0123456789abcdef"

// char writes one character as encoding/json's Marshal writes it.
func (w *writer) char(r rune) {
	if r >= utf8.RuneSelf {
		if r == '\u2028' || r == '\u2029' {
			w.writeString(`\u202`)
			w.byte(hexDigits[r&0xF])
			return
		}
		w.buf = utf8.AppendRune(w.buf, r)
		w.maybeFlush()
		return
	}
	c := byte(r)
	if safe(c, w.style) {
		w.byte(c)
		return
	}
	switch c {
	case '"', '\\':
		w.write([]byte{'\\', c})
	case '\b':
		w.writeString(`\b`)
	case '\f':
		w.writeString(`\f`)
	case '\n':
		w.writeString(`\n`)
	case '\r':
		w.writeString(`\r`)
	case '\t':
		w.writeString(`\t`)
	default:
		w.write([]byte{'\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF]})
	}
}

func (w *writer) byte(c byte) {
	w.buf = append(w.buf, c)
	w.maybeFlush()
}

func (w *writer) writeString(s string) {
	w.buf = append(w.buf, s...)
	w.maybeFlush()
}

// write appends p; a large p goes straight to the writer, uncopied.
func (w *writer) write(p []byte) {
	if w.out != nil && len(p) >= flushAt {
		w.flush()
		if w.err == nil {
			_, w.err = w.out.Write(p)
		}
		return
	}
	w.buf = append(w.buf, p...)
	w.maybeFlush()
}

func (w *writer) maybeFlush() {
	if w.out != nil && len(w.buf) >= flushAt {
		w.flush()
	}
}

func (w *writer) flush() {
	if w.out == nil || len(w.buf) == 0 {
		return
	}
	if w.err == nil {
		_, w.err = w.out.Write(w.buf)
	}
	w.buf = w.buf[:0]
}

// canonicalNumber spells a JSON number one way, exactly and in bounded
// space: the value is read as a decimal mantissa and exponent (never
// expanded, never rounded through float64), normalized (no leading or
// trailing zeros in the mantissa), and written as a plain integer or
// decimal when that stays short, or as d.ddde±N otherwise. 1, 1.0, 1e0
// and 10e-1 are all "1"; 1E100000000 is "1e100000000". The result is
// never longer than the input plus a small constant, and canonicalizing
// it again gives it back. A string that is not a JSON number is returned
// unchanged.
func canonicalNumber(s string) string {
	neg, digits, exp, ok := parseNumber(s)
	if !ok {
		return s
	}
	if digits == "" {
		return "0"
	}
	var b strings.Builder
	b.Grow(len(digits) + len(exp) + 8)
	if neg {
		b.WriteByte('-')
	}
	// value = digits × 10^exp; e is exp when it is small.
	e, small := smallInt(exp)
	switch {
	case small && e >= 0 && int64(len(digits))+e <= plainDigits:
		b.WriteString(digits)
		for i := int64(0); i < e; i++ {
			b.WriteByte('0')
		}
	case small && e < 0 && -e <= int64(len(digits))+plainZeros:
		if point := int64(len(digits)) + e; point > 0 {
			b.WriteString(digits[:point])
			b.WriteByte('.')
			b.WriteString(digits[point:])
		} else {
			b.WriteString("0.")
			for i := point; i < 0; i++ {
				b.WriteByte('0')
			}
			b.WriteString(digits)
		}
	default:
		// Scientific: d.ddd × 10^(exp + len(digits) - 1).
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		b.WriteString(addDecimal(exp, int64(len(digits)-1)))
	}
	return b.String()
}

// Where plain notation stops: integers of more than plainDigits digits,
// and fractions with more than plainZeros zeros after the point beyond
// their digits, are written in scientific notation.
const (
	plainDigits = 21
	plainZeros  = 6
)

// parseNumber splits a JSON number into its sign, its significant digits
// (no leading or trailing zeros; empty for zero) and the decimal exponent
// that makes value = digits × 10^exp, as a signed decimal string. Its
// cost is linear in len(s).
func parseNumber(s string) (neg bool, digits, exp string, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		neg, i = true, i+1
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return false, "", "", false
	}
	var frac string
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if frac = s[fs:i]; frac == "" {
			return false, "", "", false
		}
	}
	exp = "0"
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		sign := ""
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = "-"
			}
			i++
		}
		es := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if es == i {
			return false, "", "", false
		}
		e := strings.TrimLeft(s[es:i], "0")
		if e == "" {
			e, sign = "0", ""
		}
		exp = sign + e
	}
	if i != len(s) {
		return false, "", "", false
	}
	// digits × 10^(exp - len(frac)), then strip zeros on both ends.
	all := intPart + frac
	lead := 0
	for lead < len(all) && all[lead] == '0' {
		lead++
	}
	all = all[lead:]
	trail := 0
	for trail < len(all) && all[len(all)-1-trail] == '0' {
		trail++
	}
	all = all[:len(all)-trail]
	if all == "" {
		return neg, "", "0", true
	}
	return neg, all, addDecimal(exp, int64(trail)-int64(len(frac))), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// smallInt parses a signed decimal string that fits comfortably in an
// int64 (at most 15 digits).
func smallInt(s string) (int64, bool) {
	if len(strings.TrimPrefix(s, "-")) > 15 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// addDecimal returns the signed decimal string a + d, for a signed
// decimal string a of any length (no leading zeros) and a small d, in
// time linear in len(a): exponents are added without ever converting an
// arbitrarily long one to a number.
func addDecimal(a string, d int64) string {
	if n, ok := smallInt(a); ok {
		return strconv.FormatInt(n+d, 10)
	}
	// |a| >= 10^15 > |d|, so the sign of the result is the sign of a, and
	// the magnitude is |a| + d or |a| - d.
	neg := strings.HasPrefix(a, "-")
	mag := strings.TrimPrefix(a, "-")
	if neg {
		d = -d
	}
	var out []byte
	if d >= 0 {
		out = addMagnitude(mag, uint64(d))
	} else {
		out = subMagnitude(mag, uint64(-d))
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// addMagnitude adds d to the decimal digits m.
func addMagnitude(m string, d uint64) []byte {
	out := make([]byte, len(m)+1)
	carry := d
	for i := len(m) - 1; i >= 0; i-- {
		v := uint64(m[i]-'0') + carry
		out[i+1] = byte(v%10) + '0'
		carry = v / 10
	}
	if carry > 0 {
		// carry < 10 here: |d| is far below 10^len(m).
		out[0] = byte(carry) + '0'
		return out
	}
	return out[1:]
}

// subMagnitude subtracts d from the decimal digits m, m > d.
func subMagnitude(m string, d uint64) []byte {
	out := []byte(m)
	borrow := d
	for i := len(out) - 1; i >= 0 && borrow > 0; i-- {
		v := int64(out[i]-'0') - int64(borrow%10)
		borrow /= 10
		if v < 0 {
			v += 10
			borrow++
		}
		out[i] = byte(v) + '0'
	}
	for len(out) > 1 && out[0] == '0' {
		out = out[1:]
	}
	return out
}
