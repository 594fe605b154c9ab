package history

import (
	"bytes"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
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
func (f *fastScan) ws() { f.i = jsonscan.WS(f.b, f.i) }

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
	i, esc, high, ok := jsonscan.String(b, start+1)
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
	u, ok := jsonscan.AppendUnquote(f.unquoted, raw)
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
	end, ok := jsonscan.Literal(f.b, f.i, word)
	if ok {
		f.i = end
	}
	return ok
}

// number reads a number token as it appears (checked, and not returned,
// when the scanner has no string copy of its input).
func (f *fastScan) number() (string, bool) {
	start := f.i
	i, ok := jsonscan.Number(f.b, start)
	if !ok {
		return "", false
	}
	f.i = i
	if f.s == "" {
		return "", true // checking only: see validJSON
	}
	return f.s[start:i], true
}

// boolPtr reads true or false for a *bool field; null is nil.
func (f *fastScan) boolPtr() (*bool, bool) {
	var v bool
	switch f.peek() {
	case 'n':
		return nil, f.literal("null")
	case 't':
		v = true
		if !f.literal("true") {
			return nil, false
		}
	default:
		if !f.literal("false") {
			return nil, false
		}
	}
	return &v, true
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
	start := f.i
	end, esc, ok := jsonscan.Str(f.b, start)
	if !ok {
		return "", false
	}
	f.i = end
	if esc || end == start+2 {
		return "", true
	}
	// The name is only compared with the other names of its object,
	// while the input is held still; it is never kept.
	return unsafe.String(&f.b[start+1], end-start-2), true
}
