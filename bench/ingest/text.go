package ingest

import (
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// ValidName returns a file name as sources, skips, reports and manifests
// give it: always valid UTF-8, so that it can be written as JSON. A name
// that is valid UTF-8 is returned as it is; in one that is not (a Latin-1
// name from a Windows archive, "caf\xe9.jsonl"), each byte that is not
// part of a UTF-8 sequence is written as \xNN, as Go's %q shows it, and
// the rest is kept.
func ValidName(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[s[i]>>4])
			b.WriteByte(hexDigits[s[i]&0xf])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Printable returns log-derived text (a file name, a skip reason that
// quotes a record) as it may be written to a terminal: a line of text
// that moves no cursor, sets no title and clears nothing. Control
// characters (C0, DEL, C1), the characters that reorder text on screen
// (bidirectional controls, line and paragraph separators) and bytes that
// are not UTF-8 are written escaped: \n, \r and \t, \xNN below U+0100
// and for a stray byte, \uNNNN above. Anything else is kept.
func Printable(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if unprintable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			writeHex(&b, `\x`, uint32(s[i]), 2)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unprintable(r) && r < 0x100:
			writeHex(&b, `\x`, uint32(r), 2)
		case unprintable(r):
			writeHex(&b, `\u`, uint32(r), 4)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unprintable reports whether a terminal would act on r rather than show
// it, or show text out of its order: C0 and C1 controls, DEL, the
// bidirectional marks, embeddings, overrides and isolates, and the line
// and paragraph separators.
func unprintable(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, 0x80 <= r && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, 0x2028 <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}

func writeHex(b *strings.Builder, prefix string, v uint32, digits int) {
	b.WriteString(prefix)
	for i := digits - 1; i >= 0; i-- {
		b.WriteByte(hexDigits[v>>(4*i)&0xf])
	}
}
