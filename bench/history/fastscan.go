package history

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// fastScan reads JSON tokens straight from a fixture's bytes, for the
// decoders' fast paths. It accepts exactly what the general decoder
// accepts or reports that it cannot go on (ok false), never more: a fast
// path that stops hands the file to the general decoder, which decides
// and words the error. Strings without escapes are substrings of one
// copy of the input, so reading a history costs a few allocations
// whatever its length.
type fastScan struct {
	b []byte // the input
	s string // the input as one string, for substrings
	i int    // the read position
	// d and h are the decoder and the history the fast path fills.
	d *decoder
	h *History
	// unquoted holds the values of strings with escapes; see unquote.
	unquoted []byte
	// calls and parts hold the tool calls and content parts of the
	// message being read; the next message reuses them.
	calls []oaToolCall
	parts []oaPart
	// recheck is set when a raw value held an object whose member names
	// the scanner could not compare cheaply (escaped, or many): the value
	// is then checked with jsontext.Value.IsValid.
	recheck bool
}

// maxFastDepth bounds the nesting of a raw value the fast path reads; a
// deeper one goes to the general decoder.
const maxFastDepth = 64

// newFastScan reads data. Its strings are substrings of one copy of data
// or, where the caller owns data (no one else holds it or will write to
// it), of data itself.
func newFastScan(data []byte, owned bool) *fastScan {
	if owned && len(data) > 0 {
		return &fastScan{b: data, s: unsafe.String(unsafe.SliceData(data), len(data))}
	}
	return &fastScan{b: data, s: string(data)}
}

// ws skips JSON whitespace.
func (f *fastScan) ws() {
	for f.i < len(f.b) {
		switch f.b[f.i] {
		case ' ', '\t', '\n', '\r':
			f.i++
		default:
			return
		}
	}
}

// peek returns the next byte after whitespace, or 0 at the end.
func (f *fastScan) peek() byte {
	f.ws()
	if f.i < len(f.b) {
		return f.b[f.i]
	}
	return 0
}

// eat consumes c after whitespace.
func (f *fastScan) eat(c byte) bool {
	if f.peek() != c {
		return false
	}
	f.i++
	return true
}

// end reports whether only whitespace is left.
func (f *fastScan) end() bool {
	f.ws()
	return f.i == len(f.b)
}

// member moves to the next member of an object whose '{' has been read:
// first says whether it would be the first. It returns the member's name
// with the read position on its value, or done at the closing brace.
func (f *fastScan) member(first bool) (name string, done, ok bool) {
	c := f.peek()
	if c == '}' {
		f.i++
		return "", true, true
	}
	if !first {
		if c != ',' {
			return "", false, false
		}
		f.i++
		f.ws()
	}
	name, _, ok = f.str()
	if !ok || !f.eat(':') {
		return "", false, false
	}
	f.ws()
	return name, false, true
}

// elem moves to the next element of an array whose '[' has been read;
// done at the closing bracket.
func (f *fastScan) elem(first bool) (done, ok bool) {
	c := f.peek()
	if c == ']' {
		f.i++
		return true, true
	}
	if !first {
		if c != ',' {
			return false, false
		}
		f.i++
		f.ws()
	}
	return false, true
}

// object reads an object, handing each member's name to fn with the read
// position on its value; fn reads the value and reports whether it could.
// A name given twice (which the general decoder refuses), a seventeenth
// member, or a false from fn (a name it does not take, a value it cannot
// read) stops it.
func (f *fastScan) object(fn func(name string) bool) bool {
	if !f.eat('{') {
		return false
	}
	var names [16]string
	n := 0
	for first := true; ; first = false {
		name, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		if n == len(names) {
			return false
		}
		for _, m := range names[:n] {
			if m == name {
				return false
			}
		}
		names[n] = name
		n++
		if !fn(name) {
			return false
		}
	}
}

// union reads an object of exactly one member (a union's one member set),
// handing its name to fn as object does.
func (f *fastScan) union(fn func(name string) bool) bool {
	if !f.eat('{') {
		return false
	}
	key, done, ok := f.member(true)
	return ok && !done && fn(key) && f.eat('}')
}

// only reads an object of exactly one member, named name, with fn.
func (f *fastScan) only(name string, fn func() bool) bool {
	return f.union(func(key string) bool { return key == name && fn() })
}

// array reads an array, calling fn with the read position on each
// element; fn reads it and reports whether it could.
func (f *fastScan) array(fn func() bool) bool {
	if !f.eat('[') {
		return false
	}
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		if !fn() {
			return false
		}
	}
}

// strInto reads a string into *dst.
func (f *fastScan) strInto(dst *string) bool {
	var ok bool
	*dst, _, ok = f.str()
	return ok
}

// boolInto reads true or false into *dst.
func (f *fastScan) boolInto(dst *bool) bool {
	switch f.peek() {
	case 't':
		*dst = true
		return f.literal("true")
	case 'f':
		*dst = false
		return f.literal("false")
	}
	return false
}

// str reads the string token at the read position: its value, and the
// token with its quotes.
func (f *fastScan) str() (val string, raw []byte, ok bool) {
	b := f.b
	start := f.i
	if start >= len(b) || b[start] != '"' {
		return "", nil, false
	}
	i, esc, high, ok := scanString(b, start+1)
	if !ok {
		return "", nil, false
	}
	raw = b[start : i+1]
	f.i = i + 1
	if esc {
		val, ok = f.unquote(raw)
		return val, raw, ok
	}
	val = f.s[start+1 : i]
	if high && !utf8.ValidString(val) {
		return "", nil, false
	}
	return val, raw, true
}

// unquote returns the value of the string token raw, which has escapes.
// Values are appended one after another to one buffer whose written
// bytes are never written again, so the strings share it instead of
// taking an allocation each.
func (f *fastScan) unquote(raw []byte) (string, bool) {
	start := len(f.unquoted)
	u, ok := appendUnquote(f.unquoted, raw)
	if !ok {
		return "", false
	}
	// Where append moved the buffer, the strings taken so far keep the
	// old array, which nothing writes again.
	f.unquoted = u
	if len(u) == start {
		return "", true
	}
	return unsafe.String(&u[start], len(u)-start), true
}

// scanString finds the closing quote of the string whose contents start
// at b[i]: with IndexByte, then a check of the bytes before it eight at a
// time, where the string has no escape; else eight bytes at a time up to
// one that needs a look (a quote, a backslash, a control character or a
// byte beyond ASCII). It reports
// whether the string has escapes (checked later) and bytes beyond ASCII
// (whose UTF-8 is checked later); ok is false for a control character or
// a string left open.
func scanString(b []byte, i int) (end int, esc, high, ok bool) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	// Most strings are short (names, roles, ids): look at the first two
	// words at once. The lowest flagged byte of a word is exact (the
	// borrows that can flag a byte above it cannot reach below it).
	for n := 0; n < 2 && i+8 <= len(b); n++ {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ ('"' * ones)
		bs := x ^ ('\\' * ones)
		if stop := (((q - ones) &^ q) | ((bs - ones) &^ bs) | ((x - 0x20*ones) &^ x) | x) & highs; stop != 0 {
			if k := i + bits.TrailingZeros64(stop)>>3; b[k] == '"' {
				return k, false, false, true
			}
			goto word
		}
		i += 8
	}
	// Most strings have no escape: find the quote and check the bytes
	// before it, a word at a time.
	if q := bytes.IndexByte(b[i:], '"'); q >= 0 {
		seg := b[i : i+q]
		if bytes.IndexByte(seg, '\\') < 0 {
			var any uint64
			j := 0
			for ; j+8 <= len(seg); j += 8 {
				x := binary.LittleEndian.Uint64(seg[j:])
				if (x-0x20*ones)&^x&highs != 0 {
					return 0, false, false, false
				}
				any |= x
			}
			for ; j < len(seg); j++ {
				if seg[j] < 0x20 {
					return 0, false, false, false
				}
				any |= uint64(seg[j])
			}
			return i + q, false, any&highs != 0, true
		}
	}
word:
	for {
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			// A byte is zero in x^q where it is a quote; (v - ones) &^ v
			// & highs has a byte's high bit set where v's byte is zero,
			// and (x - 0x20 each) &^ x where x's byte is below 0x20.
			q := x ^ ('"' * ones)
			bs := x ^ ('\\' * ones)
			stop := ((q - ones) &^ q) | ((bs - ones) &^ bs) | ((x - 0x20*ones) &^ x) | x
			if stop&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			return 0, false, false, false
		}
		c := b[i]
		switch {
		case c == '"':
			return i, esc, high, true
		case c < 0x20:
			return 0, false, false, false
		case c == '\\':
			esc = true
			i += 2
			continue
		case c >= utf8.RuneSelf:
			high = true
		}
		i++
	}
}

// appendUnquote appends the value of the string token tok to dst. Simple
// escapes are decoded here; a token with \u escapes or bytes beyond
// ASCII is left to jsontext.AppendUnquote, which checks surrogates and
// UTF-8 exactly as the decoder does. ok is false where the decoder would
// refuse the token.
func appendUnquote(dst, tok []byte) ([]byte, bool) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	start := len(dst)
	body := tok[1 : len(tok)-1]
	dst = slices.Grow(dst, len(body))
	for len(body) > 0 {
		// The next backslash, control character or byte beyond ASCII, a
		// word at a time: strings of escaped JSON hold one every few bytes,
		// too close for IndexByte's start-up to pay.
		k := 0
		for ; k+8 <= len(body); k += 8 {
			x := binary.LittleEndian.Uint64(body[k:])
			bs := x ^ ('\\' * ones)
			if stop := (((bs - ones) &^ bs) | ((x - 0x20*ones) &^ x) | x) & highs; stop != 0 {
				k += bits.TrailingZeros64(stop) >> 3
				goto found
			}
		}
		for ; k < len(body); k++ {
			if c := body[k]; c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
				break
			}
		}
	found:
		dst = append(dst, body[:k]...)
		if k == len(body) {
			break
		}
		if body[k] != '\\' {
			return unquoteGeneral(dst[:start], tok)
		}
		if k+1 >= len(body) {
			return dst, false
		}
		var c byte
		switch body[k+1] {
		case '"', '\\', '/':
			c = body[k+1]
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		case 'u':
			return unquoteGeneral(dst[:start], tok)
		default:
			return dst, false
		}
		dst = append(dst, c)
		body = body[k+2:]
	}
	return dst, true
}

// unquoteGeneral is jsontext.AppendUnquote, ok when it has no error.
func unquoteGeneral(dst, tok []byte) ([]byte, bool) {
	out, err := jsontext.AppendUnquote(dst, tok)
	return out, err == nil
}

// strOrNull reads a string, or null as nil.
func (f *fastScan) strOrNull() (*string, bool) {
	if f.peek() == 'n' {
		return nil, f.literal("null")
	}
	s, _, ok := f.str()
	return &s, ok
}

// literal consumes the literal word.
func (f *fastScan) literal(word string) bool {
	if !bytes.HasPrefix(f.b[f.i:], []byte(word)) {
		return false
	}
	f.i += len(word)
	return true
}

// number reads a number token as it appears (checked, and not returned,
// when the scanner has no string copy of its input).
func (f *fastScan) number() (string, bool) {
	b := f.b
	start := f.i
	i := start
	// digits moves past one or more digits, or reports there are none.
	digits := func() bool {
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > d
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0': // no leading zeros
		i++
	case !digits():
		return "", false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return "", false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return "", false
		}
	}
	f.i = i
	if f.s == "" {
		return "", true // checking only: see validJSON
	}
	return f.s[start:i], true
}

// intPtr reads an integer for an *int field: digits only, in range; null
// is nil.
func (f *fastScan) intPtr() (*int, bool) {
	if f.peek() == 'n' {
		return nil, f.literal("null")
	}
	s, ok := f.number()
	if !ok {
		return nil, false
	}
	for _, c := range []byte(s) {
		if c == '.' || c == 'e' || c == 'E' {
			return nil, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// floatPtr reads a number for a *float64 field; null is nil.
func (f *fastScan) floatPtr() (*float64, bool) {
	if f.peek() == 'n' {
		return nil, f.literal("null")
	}
	s, ok := f.number()
	if !ok {
		return nil, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// strings reads an array of strings; it never returns nil on success, as
// the decoder makes an empty slice of [].
func (f *fastScan) strings() ([]string, bool) {
	out := []string{}
	ok := f.array(func() bool {
		s, _, ok := f.str()
		out = append(out, s)
		return ok
	})
	return out, ok
}

// raw reads any JSON value and returns a copy of its bytes, as the
// decoder stores a jsontext.Value.
func (f *fastScan) raw() (jsontext.Value, bool) {
	start, ok := f.value()
	if !ok {
		return nil, false
	}
	return jsontext.Value(bytes.Clone(f.b[start:f.i])), true
}

// rawNotNull is raw, leaving null to the general decoder.
func (f *fastScan) rawNotNull() (jsontext.Value, bool) {
	if f.peek() == 'n' {
		return nil, false
	}
	return f.raw()
}

// ignore reads past a value the general decoder skips (a member its Go
// type has no field for), checking it as the general decoder does.
func (f *fastScan) ignore() bool {
	_, ok := f.value()
	return ok
}

// value reads past one JSON value, checked as the decoder checks it, and
// returns where it starts.
func (f *fastScan) value() (start int, ok bool) {
	f.ws()
	start = f.i
	f.recheck = false
	if !f.skip(0) {
		return 0, false
	}
	return start, !f.recheck || jsontext.Value(f.b[start:f.i]).IsValid()
}

// validJSON reports whether b is one JSON value the decoder takes, as
// jsontext.Value.IsValid does (duplicate names and bad UTF-8 included),
// asking IsValid only where the scanner cannot tell alone.
func validJSON(b []byte) bool {
	f := fastScan{b: b}
	if f.skip(0) && f.end() && !f.recheck {
		return true
	}
	return jsontext.Value(b).IsValid()
}

// skip reads past one JSON value, checking it: strings, numbers, literals,
// nesting, and member names given twice.
func (f *fastScan) skip(depth int) bool {
	if depth > maxFastDepth {
		return false
	}
	switch f.peek() {
	case '"':
		_, ok := f.rawStr()
		return ok
	case '{':
		f.i++
		var names [16]string
		n := 0
		for first := true; ; first = false {
			c := f.peek()
			if c == '}' {
				f.i++
				return true
			}
			if !first {
				if c != ',' {
					return false
				}
				f.i++
				f.ws()
			}
			name, ok := f.rawStr()
			if !ok || !f.eat(':') {
				return false
			}
			if n < len(names) && name != "" {
				for _, m := range names[:n] {
					if m == name {
						return false
					}
				}
				names[n] = name
				n++
			} else {
				f.recheck = true
			}
			if !f.skip(depth + 1) {
				return false
			}
		}
	case '[':
		return f.array(func() bool { return f.skip(depth + 1) })
	case 't':
		return f.literal("true")
	case 'f':
		return f.literal("false")
	case 'n':
		return f.literal("null")
	default:
		_, ok := f.number()
		return ok
	}
}

// rawStr checks the string token at the read position without building
// its value. name is its contents when it has no escapes (for comparing
// member names), "" otherwise.
func (f *fastScan) rawStr() (name string, ok bool) {
	b := f.b
	start := f.i
	if start >= len(b) || b[start] != '"' {
		return "", false
	}
	i, esc, high, ok := scanString(b, start+1)
	if !ok {
		return "", false
	}
	f.i = i + 1
	if esc {
		if !validEscapes(b[start : i+1]) {
			return "", false
		}
		return "", true
	}
	if i == start+1 {
		return "", true
	}
	// The name is only compared with the other names of its object,
	// while the input is held still; it is never kept.
	name = unsafe.String(&b[start+1], i-start-1)
	if high && !utf8.ValidString(name) {
		return "", false
	}
	return name, true
}

// validEscapes reports whether the string token tok, which has escapes,
// is one the decoder takes. Simple escapes are checked here; a token with
// \u escapes of surrogates or with bytes beyond ASCII is checked by
// unquoting it.
func validEscapes(tok []byte) bool {
	for i := 1; i < len(tok)-1; i++ {
		c := tok[i]
		if c >= utf8.RuneSelf {
			_, err := jsontext.AppendUnquote(nil, tok)
			return err == nil
		}
		if c != '\\' {
			continue
		}
		i++
		switch tok[i] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if i+4 >= len(tok)-1 {
				return false
			}
			v, err := strconv.ParseUint(string(tok[i+1:i+5]), 16, 16)
			if err != nil {
				return false
			}
			if v >= 0xD800 && v <= 0xDFFF {
				_, err := jsontext.AppendUnquote(nil, tok)
				return err == nil
			}
			i += 4
		default:
			return false
		}
	}
	return true
}
