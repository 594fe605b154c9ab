package redact

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A value can be written so that it reads the same to a person and to
// the program that decodes it, but holds none of the bytes the rules look
// for: "jo\u0040acme.io" in a JSON text inside a JSON string (a tool
// call's arguments), "%2B44 20 ..." in a query string, "jo&#64;acme.io"
// in HTML, "x\nAKIA…" in a JSON text held in a string (where the "n" of
// the escape hides the word boundary before the key), a zero-width space
// or a soft hyphen inside a key, fullwidth
// letters ("ｊｏ＠ａｃｍｅ．ｉｏ", which NFKC folds to ASCII). The scan
// reads such a text a second time in its plain form, its view, and maps
// what it finds there back onto the bytes that wrote it.

// hiddenAt reports whether text[i] starts a form that hides what a rule
// reads, which the view rewrites: a \u escape (after any number of
// backslashes) or a numeric character reference of a character a value
// is written with (see telling), a \/ escape, a percent escape of one
// (a space or a plus sign only next to a digit, as in a phone number;
// not "@", which the rule for addresses in URLs reads as it stands), an
// invisible format character, a fullwidth ASCII form or the small
// commercial at; and an escaped line break, tab, carriage return,
// backspace or form feed, or any \u escape, right before a byte a value
// may start with (see valueByte). An escaped "<" or "é" before a space
// hides nothing, and a text holding only those is not read again.
func hiddenAt(text string, i int) bool {
	switch c := text[i]; c {
	case '\\':
		j, ok := afterBackslashes(text, i)
		if !ok {
			return false
		}
		switch text[j] {
		case '/':
			return true
		case 'u':
			r := hex4(text, j+1)
			return telling(r) || r >= 0 && j+5 < len(text) && valueByte(text[j+5])
		case 'n', 't', 'r', 'b', 'f':
			return j+1 < len(text) && valueByte(text[j+1])
		}
		return false
	case '%':
		if i+2 >= len(text) || !isHex(text[i+1]) || !isHex(text[i+2]) {
			return false
		}
		switch v := byte(hexVal(text[i+1])<<4 | hexVal(text[i+2])); {
		case v == ' ' || v == '+':
			return i+3 < len(text) && isDigit(text[i+3]) || v == ' ' && i > 0 && isDigit(text[i-1])
		case v == '@':
			return false
		default:
			return telling(rune(v))
		}
	case '&':
		if i+2 >= len(text) || text[i+1] != '#' {
			return false
		}
		r, _ := charRef(text, i)
		return telling(r)
	case 0xC2, 0xCD, 0xE1, 0xE2, 0xEF:
		r, _ := utf8.DecodeRuneInString(text[i:])
		return invisible(r) || fold(r) != 0
	}
	return false
}

// valueByte reports whether c may start a value right after an escape:
// a letter, a digit or a byte values are written with. After an escaped
// line break, tab or carriage return ("\\nAKIA…" in a JSON text held in a
// string), or any \\u escape, the escape's last letter or hex digit and
// the value's first byte are both word bytes, so a rule starting at a word
// boundary does not match there, and a rule without one (an e-mail
// address's local part) takes the letter in: the view reads the escape as
// the character it writes.
func valueByte(c byte) bool {
	return isWordByte(c) || c >= utf8.RuneSelf || c == '+' || c == '/' || c == '.' || c == '%' || c == '-' || c == '('
}

// escapeLetter reports whether text[i] is the letter of an escape that
// writes a control character or a \\u escape's u (after any number of
// backslashes): a letter no value starts with, which the view replaces.
func escapeLetter(text string, i int) bool {
	if i == 0 || text[i-1] != '\\' {
		return false
	}
	switch text[i] {
	case 'n', 't', 'r', 'b', 'f':
		return true
	case 'u':
		return hex4(text, i+1) >= 0
	}
	return false
}

// controlEscape returns the control character the escape letter c
// writes (\\n, \\t, \\r, \\b, \\f), or 0.
func controlEscape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return 0
}

// telling reports whether r, written escaped, may hide a value: an ASCII
// letter or digit, a character values are written with ("@", "+", ".",
// "-", "_", "/", ":", "="), an invisible character or a fullwidth form.
func telling(r rune) bool {
	switch {
	case r < 0:
		return false
	case r < utf8.RuneSelf:
		c := byte(r)
		return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '@' || c == '+' || c == '.' || c == '-' || c == '_' || c == '/' || c == ':' || c == '='
	}
	return invisible(r) || fold(r) != 0
}

// invisible reports the format characters that show nothing: zero-width
// spaces and joiners, bidirectional marks, word joiners and invisible
// operators, the byte order mark, the soft hyphen, the Mongolian vowel
// separator and the combining grapheme joiner.
func invisible(r rune) bool {
	switch {
	case r == 0xAD, r == 0x34F, r == 0x180E, r == 0xFEFF:
		return true
	case 0x200B <= r && r <= 0x200F, 0x202A <= r && r <= 0x202E, 0x2060 <= r && r <= 0x206F:
		return true
	}
	return false
}

// fold returns the ASCII form of a fullwidth character (U+FF01 to
// U+FF5E) or of the small commercial at (U+FE6B), 0 for any other rune.
func fold(r rune) byte {
	switch {
	case 0xFF01 <= r && r <= 0xFF5E:
		return byte(r - 0xFF01 + '!')
	case r == 0xFE6B:
		return '@'
	}
	return 0
}

// hex4 returns the value of the four hex digits at text[i:], or -1.
func hex4(text string, i int) rune {
	if i+4 > len(text) {
		return -1
	}
	var v rune
	for _, c := range []byte(text[i : i+4]) {
		d := hexVal(c)
		if d < 0 {
			return -1
		}
		v = v<<4 | rune(d)
	}
	return v
}

func hexVal(c byte) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// charRef reads a numeric character reference (&#64; or &#x40;) at
// text[i:], returning its rune and length, or 0, 0.
func charRef(text string, i int) (rune, int) {
	j := i + 2
	base := rune(10)
	if j < len(text) && (text[j] == 'x' || text[j] == 'X') {
		base, j = 16, j+1
	}
	var v rune
	start := j
	for ; j < len(text) && j-start < 7; j++ {
		d := hexVal(text[j])
		if d < 0 || rune(d) >= base {
			break
		}
		v = v*base + rune(d)
	}
	if j == start || j >= len(text) || text[j] != ';' || v == 0 || v > utf8.MaxRune {
		return 0, 0
	}
	return v, j + 1 - i
}

// view is a text in its plain form: its bytes, and for each of them
// where the bytes of the text that wrote it start. The bytes of view[i:j]
// are written by text[start[i]:start[j]] (or to the end of the text),
// invisible characters dropped after it included.
type view struct {
	text  string
	start []int32
}

// span returns the bytes of the text that write view[i:j].
func (v *view) span(i, j, n int) (int, int) {
	end := n
	if j < len(v.start) {
		end = int(v.start[j])
	}
	return int(v.start[i]), end
}

// plainView returns text's view, and false if it is the text itself.
func plainView(text string) (view, bool) {
	b := make([]byte, 0, len(text))
	start := make([]int32, 0, len(text))
	changed := false
	emitByte := func(c byte, from int) {
		b = append(b, c)
		start = append(start, int32(from))
	}
	emit := func(r rune, from int) {
		if r < utf8.RuneSelf {
			emitByte(byte(r), from)
			return
		}
		n := len(b)
		b = utf8.AppendRune(b, r)
		for range len(b) - n {
			start = append(start, int32(from))
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\\':
			j := i
			for j < len(text) && text[j] == '\\' {
				j++
			}
			if j < len(text) && text[j] == '/' {
				emit('/', i)
				i, changed = j+1, true
				continue
			}
			if j < len(text) {
				if c := controlEscape(text[j]); c != 0 {
					emitByte(c, i)
					i, changed = j+1, true
					continue
				}
			}
			if j < len(text) && text[j] == 'u' {
				if r := hex4(text, j+1); r >= 0 {
					from, k := i, j+5
					// A surrogate pair, each half escaped alike.
					if 0xD800 <= r && r < 0xDC00 && k+1 < len(text) && text[k] == '\\' {
						m := k
						for m < len(text) && text[m] == '\\' {
							m++
						}
						if m < len(text) && text[m] == 'u' {
							if lo := hex4(text, m+1); 0xDC00 <= lo && lo < 0xE000 {
								r, k = 0x10000+(r-0xD800)<<10+(lo-0xDC00), m+5
							}
						}
					}
					i, changed = k, true
					if !invisible(r) {
						if a := fold(r); a != 0 {
							r = rune(a)
						}
						emit(r, from)
					}
					continue
				}
			}
			for ; i < j; i++ {
				emitByte('\\', i)
			}
			continue
		case c == '%' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			if v := hexVal(text[i+1])<<4 | hexVal(text[i+2]); v >= 0x20 && v < 0x7F {
				emit(rune(v), i)
				i, changed = i+3, true
				continue
			}
		case c == '&' && i+2 < len(text) && text[i+1] == '#':
			if r, n := charRef(text, i); n > 0 {
				if !invisible(r) {
					if a := fold(r); a != 0 {
						r = rune(a)
					}
					emit(r, i)
				}
				i, changed = i+n, true
				continue
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(text[i:])
			if invisible(r) {
				i, changed = i+n, true
				continue
			}
			if a := fold(r); a != 0 {
				emit(rune(a), i)
				i, changed = i+n, true
				continue
			}
			for k := 0; k < n; k++ {
				emitByte(text[i+k], i+k)
			}
			i += n
			continue
		}
		emitByte(c, i)
		i++
	}
	if !changed {
		return view{}, false
	}
	return view{string(b), start}, true
}

// scanView adds to found what the scan of text's view finds that no
// finding in the text itself covers, placed on the bytes of text that
// wrote it, with the value as the view reads it.
func (s *Scanner) scanView(text string, found []Finding) []Finding {
	if len(text) > math.MaxInt32 || s.builtinOnly && !viewFinds(text) {
		return found
	}
	return s.addView(text, found)
}

// addView is scanView, whether or not viewFinds says the view finds
// anything.
func (s *Scanner) addView(text string, found []Finding) []Finding {
	v, ok := plainView(text)
	if !ok {
		return found
	}
	n := len(found)
	for _, f := range s.scan(v.text, false) {
		start, end := v.span(f.Start, f.End, len(text))
		overlaps := false
		for _, g := range found[:n] {
			if start < g.End && g.Start < end {
				overlaps = true
				break
			}
		}
		if overlaps {
			continue
		}
		val := v.text[f.Start:f.End]
		if text[start:end] == val {
			val = "" // the same bytes: an edge case of the windows, found again
		}
		found = append(found, Finding{Kind: f.Kind, Rule: f.Rule, Start: start, End: end, Secret: f.Secret, Value: val})
	}
	return found
}

// viewFinds reports whether the built-in rules may find in text's view a
// value they do not find in the text: where a form hides a character a
// value is written with (see hiddenAt), or where an escape that writes a
// control character, or any \u escape, stands right before what may
// start a value (see valueStart). An escaped line break before a word
// ("\nThe"), as JSON texts held in strings are full of, hides nothing
// from them; the user's terms and patterns may start with any letter,
// and a scanner with them always reads the view.
func viewFinds(text string) bool {
	at := -1 // whether text holds an "@": -1 not yet looked at
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\\':
			j, ok := afterBackslashes(text, i)
			if !ok {
				continue
			}
			switch text[j] {
			case '/':
				return true
			case 'u':
				if r := hex4(text, j+1); telling(r) || r >= 0 && valueStart(text, j+5, i) {
					return true
				} else if r >= utf8.RuneSelf && emailLetter(r) {
					// An escaped letter of an address's scripts may be
					// part of one, where the text holds an "@" (or a
					// percent-encoded one, which the view decodes).
					if at < 0 {
						at = 0
						if strings.IndexByte(text, '@') >= 0 || strings.Contains(text, "%40") {
							at = 1
						}
					}
					if at > 0 {
						return true
					}
				}
			case 'n', 't', 'r', 'b', 'f':
				if valueStart(text, j+1, i) {
					return true
				}
			}
		case '%', '&', 0xC2, 0xCD, 0xE1, 0xE2, 0xEF:
			if hiddenAt(text, i) {
				return true
			}
		}
	}
	return false
}

// valueStart reports whether a built-in rule may find a value starting
// at text[p], right after an escape starting at esc, that the escape's
// letter hides from it: a rule starting at a word boundary (a number: a
// card, a phone number, an SSN, an IP address; AKIA…, ABSK…, AIza…,
// AWSLogs/, an IBAN, sk-…, sk_…, rk_…, eyJ…, gh…_, glpat-…, xox…, arn:…, SK…,
// a prefix of providerTokens, a Cookie or Set-Cookie header),
// an e-mail address (plain or percent-encoded) whose local part would
// take the letter in, a bare 40-byte secret key, an IPv6 address; or a
// value after a word that names it ("Bearer\n…", "password=\n…"), where
// a rule reads a space.
func valueStart(text string, p, esc int) bool {
	if p >= len(text) {
		return false
	}
	before := asciiLower(text[max(0, esc-24):esc])
	for _, k := range []string{"bearer", "token", "key", "secret", "pass", "pwd", "credential", "auth", "account", "digest"} {
		if strings.Contains(before, k) {
			return true
		}
	}
	switch c := text[p]; {
	case isDigit(c), c == '+', c == '(', c == 'A':
		return true
	case 'B' <= c && c <= 'Z' && p+3 < len(text) && 'A' <= text[p+1] && text[p+1] <= 'Z' && isDigit(text[p+2]) && isDigit(text[p+3]):
		return true
	}
	rest := text[p:min(len(text), p+11)]
	for _, pre := range []string{"sk-", "sk_", "rk_", "ey", "gh", "github_pat_", "glpat-", "xox", "arn:", "SK"} {
		if strings.HasPrefix(rest, pre) {
			return true
		}
	}
	if providerIndex.at(text, p) {
		return true
	}
	if l := asciiLower(rest); strings.HasPrefix(l, "cookie") || strings.HasPrefix(l, "set-cookie") {
		return true // a header line after an escaped line break
	}
	q := p
	for q < len(text) && q-p < 64 && emailLocal(text[q]) {
		q++
	}
	if q < len(text) && text[q] == '@' || strings.Contains(text[p:q], "%40") {
		return true
	}
	r := p
	for r < len(text) && (isWordByte(text[r]) && text[r] != '_' || text[r] == '/' || text[r] == '+') {
		r++
	}
	if r-p == 40 {
		return true
	}
	h := p
	for h < len(text) && h-p < 4 && isHex(text[h]) {
		h++
	}
	return h > p && h < len(text) && text[h] == ':'
}

// emailLetter reports whether r is a letter the e-mail rules take in an
// address (see emailLetters): of the Latin, Greek or Cyrillic script.
func emailLetter(r rune) bool {
	return unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}

// afterBackslashes returns the index of the byte after the run of
// backslashes that starts at text[i], the letter of the escape they
// write; false where text[i] is inside a run (a run is read from its
// first backslash) or the run ends the text.
func afterBackslashes(text string, i int) (int, bool) {
	if i > 0 && text[i-1] == '\\' {
		return 0, false
	}
	j := i
	for j < len(text) && text[j] == '\\' {
		j++
	}
	return j, j < len(text)
}
