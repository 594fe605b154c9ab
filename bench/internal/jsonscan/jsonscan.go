// Package jsonscan reads JSON tokens straight from bytes, a word at a time
// where it can, for the fast paths that read histories, redact bodies and
// read log records. Each function accepts exactly what jsontext accepts or
// reports that it cannot (ok false); a caller that gets false hands the
// input to jsontext, which decides and words the error.
package jsonscan

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// String finds the closing quote of the string whose contents start
// at b[i]: with IndexByte, then a check of the bytes before it eight at a
// time, where the string has no escape; else eight bytes at a time up to
// one that needs a look (a quote, a backslash, a control character or a
// byte beyond ASCII). It reports
// whether the string has escapes (checked later) and bytes beyond ASCII
// (whose UTF-8 is checked later); ok is false for a control character or
// a string left open.
func String(b []byte, i int) (end int, esc, high, ok bool) {
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
		// Bytes beyond ASCII stop the scan until the first one is seen.
		beyond := uint64(highs)
		if high {
			beyond = 0
		}
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			// A byte is zero in x^q where it is a quote; (v - ones) &^ v
			// & highs has a byte's high bit set where v's byte is zero,
			// and (x - 0x20 each) &^ x where x's byte is below 0x20.
			q := x ^ ('"' * ones)
			bs := x ^ ('\\' * ones)
			stop := (((q - ones) &^ q) | ((bs - ones) &^ bs) | ((x - 0x20*ones) &^ x) | x&beyond) & highs
			if stop != 0 {
				// The lowest flagged byte is exact: go straight to it.
				i += bits.TrailingZeros64(stop) >> 3
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

// AppendUnquote appends the value of the string token tok to dst. Simple
// escapes are decoded here; a token with \u escapes or bytes beyond
// ASCII is left to jsontext.AppendUnquote, which checks surrogates and
// UTF-8 exactly as the decoder does. ok is false where the decoder would
// refuse the token.
func AppendUnquote(dst, tok []byte) ([]byte, bool) {
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

// ValidEscapes reports whether the string token tok, which has escapes,
// is one jsontext takes: its escapes, found with IndexByte, are ones
// JSON has, and its bytes are valid UTF-8. A token with a \u escape of a
// surrogate is checked by unquoting it (the pair must match).
func ValidEscapes(tok []byte) bool {
	body := tok[1 : len(tok)-1]
	for {
		k := bytes.IndexByte(body, '\\')
		if k < 0 {
			break
		}
		if k+1 >= len(body) {
			return false
		}
		switch body[k+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			body = body[k+2:]
		case 'u':
			if k+6 > len(body) {
				return false
			}
			v, ok := hex4(body[k+2 : k+6])
			if !ok {
				return false
			}
			if v >= 0xD800 && v <= 0xDFFF {
				_, err := jsontext.AppendUnquote(nil, tok)
				return err == nil
			}
			body = body[k+6:]
		default:
			return false
		}
	}
	return utf8.Valid(tok)
}

// hex4 reads four hexadecimal digits.
func hex4(b []byte) (rune, bool) {
	var v rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	return v, true
}

// WS returns the position of the first byte at or after i that is not
// JSON whitespace.
func WS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// Number returns the end of the number token at b[i], checked as jsontext
// checks it: no leading zeros, digits after a point and in an exponent.
func Number(b []byte, i int) (end int, ok bool) {
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
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return 0, false
		}
	}
	return i, true
}

// Str checks the string token at b[i] and returns its end (one past the
// closing quote) and whether it has escapes. Its bytes are valid UTF-8 and
// its escapes ones jsontext takes.
func Str(b []byte, i int) (end int, esc, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, false, false
	}
	q, esc, high, ok := String(b, i+1)
	if !ok {
		return 0, false, false
	}
	switch {
	case esc:
		ok = ValidEscapes(b[i : q+1])
	case high:
		ok = utf8.Valid(b[i+1 : q])
	}
	return q + 1, esc, ok
}

// Member reads an object member's name at b[i] and the colon after it:
// name is the name as written, without its quotes (esc: it holds an
// escape, so it may spell a name other than its bytes), and value the
// index of the member's value, after white space (len(b) where the input
// ends there). ok is false where b[i] holds no valid string and colon.
func Member(b []byte, i int) (name []byte, value int, esc, ok bool) {
	end, esc, ok := Str(b, i)
	if !ok {
		return nil, 0, false, false
	}
	j := WS(b, end)
	if j >= len(b) || b[j] != ':' {
		return nil, 0, false, false
	}
	return b[i+1 : end-1], WS(b, j+1), esc, true
}

// MaxDepth bounds the nesting Skip reads; a deeper value is reported as
// one it cannot read.
const MaxDepth = 64

// End returns where the object or array opening at b[i] ends if it is
// valid JSON, reading only its brackets and the quotes and backslashes of
// its strings: it checks nothing else. ok is false where b[i] opens no
// object or array or the input ends first. For a valid value, End is
// where Skip ends; for an invalid one it means nothing, so a caller uses
// it only to find bytes it already knows to be a valid value (a cache
// key, say).
func End(b []byte, i int) (end int, ok bool) {
	if i >= len(b) || b[i] != '{' && b[i] != '[' {
		return 0, false
	}
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true
			}
		case '"':
			// The closing quote is the next one after an even run of
			// backslashes; the opening quote stops the count.
			for {
				q := bytes.IndexByte(b[i+1:], '"')
				if q < 0 {
					return 0, false
				}
				i += 1 + q
				n := 0
				for b[i-1-n] == '\\' {
					n++
				}
				if n%2 == 0 {
					break
				}
			}
		}
	}
	return 0, false
}

// Skip reads past the JSON value at b[i] (whitespace before it included)
// and returns its end, checked as jsontext checks a value when duplicate
// member names are allowed. ok is false for an invalid value, or one
// nested deeper than MaxDepth.
func Skip(b []byte, i int) (end int, ok bool) {
	return skip(b, i, 0)
}

func skip(b []byte, i, depth int) (int, bool) {
	i = WS(b, i)
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; c {
	case '"':
		end, _, ok := Str(b, i)
		return end, ok
	case '{', '[':
		if depth >= MaxDepth {
			return 0, false
		}
		close := byte('}')
		if c == '[' {
			close = ']'
		}
		i, empty := Open(b, i, close)
		if empty {
			return i, true
		}
		for more := true; more; {
			var ok bool
			if c == '{' {
				if i, _, ok = Str(b, i); !ok {
					return 0, false
				}
				if i = WS(b, i); i >= len(b) || b[i] != ':' {
					return 0, false
				}
				i++
			}
			if i, ok = skip(b, i, depth+1); !ok {
				return 0, false
			}
			if i, more, ok = Next(b, i, close); !ok {
				return 0, false
			}
		}
		return i, true
	case 't':
		return Literal(b, i, "true")
	case 'f':
		return Literal(b, i, "false")
	case 'n':
		return Literal(b, i, "null")
	default:
		return Number(b, i)
	}
}

// Open moves past the '{' or '[' at b[i] and the whitespace after it;
// empty reports a container closed at once by closer, with j past it.
func Open(b []byte, i int, closer byte) (j int, empty bool) {
	j = WS(b, i+1)
	if j < len(b) && b[j] == closer {
		return j + 1, true
	}
	return j, false
}

// Next moves past what follows a member or element at b[i] of an object
// or array that closer ends: a comma and the whitespace after it (more
// is true, j is on the next one), or closer (j is past it). ok is false
// for anything else.
func Next(b []byte, i int, closer byte) (j int, more, ok bool) {
	if i = WS(b, i); i >= len(b) {
		return 0, false, false
	}
	switch b[i] {
	case ',':
		return WS(b, i+1), true, true
	case closer:
		return i + 1, false, true
	}
	return 0, false, false
}

// Literal returns the end of word (true, false or null) at b[i], or ok
// false where b[i:] does not start with it.
func Literal(b []byte, i int, word string) (end int, ok bool) {
	if !bytes.HasPrefix(b[i:], []byte(word)) {
		return 0, false
	}
	return i + len(word), true
}

// Valid reports whether b is one JSON value (whitespace around it
// allowed), as jsontext.Value.IsValid with duplicate names allowed
// reports. Where Skip declines, jsontext decides.
func Valid(b []byte) bool {
	if end, ok := Skip(b, 0); ok && WS(b, end) == len(b) {
		return true
	}
	return jsontext.Value(b).IsValid(jsontext.AllowDuplicateNames(true))
}
