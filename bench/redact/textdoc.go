package redact

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// mediaScope says where a string of a body stands: in a media block
// (kind, if the block says which) and, if source, as the block's source,
// whose payload member holds the file itself. A Converse block is
// {"document": {"format": "csv", "source": {"bytes": "…"}}} (image, video
// and audio alike), an Anthropic one {"type": "image", "source": {"data":
// "…"}}, an OpenAI audio input {"input_audio": {"data": "…"}} and an
// OpenAI file {"file": {"file_data": "…"}}.
type mediaScope struct {
	kind   Kind
	source bool
}

// scopeOf returns the scope of an object that is the value of the member
// name, in an object whose scope is outer; an array, or an object in one,
// is in none.
func scopeOf(name string, outer mediaScope) mediaScope {
	switch name {
	case "image":
		return mediaScope{kind: MediaImage}
	case "video":
		return mediaScope{kind: MediaVideo}
	case "audio":
		return mediaScope{kind: MediaAudio}
	case "document":
		return mediaScope{kind: MediaDocument}
	case "source":
		return mediaScope{kind: outer.kind, source: true}
	case "input_audio":
		return mediaScope{kind: MediaAudio, source: true}
	case "file":
		return mediaScope{kind: MediaDocument, source: true}
	}
	return mediaScope{}
}

// dataScope is the scope of a data: URL's payload, from its media type.
func dataScope(mediaType string) mediaScope {
	switch t := asciiLower(mediaType); {
	case strings.HasPrefix(t, "image/"):
		return mediaScope{kind: MediaImage, source: true}
	case strings.HasPrefix(t, "video/"):
		return mediaScope{kind: MediaVideo, source: true}
	case strings.HasPrefix(t, "audio/"):
		return mediaScope{kind: MediaAudio, source: true}
	}
	return mediaScope{kind: MediaDocument, source: true}
}

// replaced is the kind a file replaced in the scope counts as: the
// block's kind, or a document where the block does not say (an Anthropic
// block names its kind in a "type" member beside its source).
func (s mediaScope) replaced() Kind {
	if s.kind == "" {
		return MediaDocument
	}
	return s.kind
}

// A textEncoding is how a text payload is written.
type textEncoding int

const (
	notText textEncoding = iota
	utf8Text
	// utf16BOM is UTF-16 with a byte order mark (what Windows Notepad
	// saves as "Unicode"); utf16LE and utf16BE are UTF-16 without one,
	// told by the zero bytes of Latin text.
	utf16BOM
	utf16LE
	utf16BE
	// cp1252 is any other text that is not UTF-8 (an Excel CSV export on
	// Windows), read as Windows-1252: every byte reads as a character, and
	// the ASCII the rules look for reads as itself in every single-byte
	// code page.
	cp1252
)

// readText reads a decoded payload as text, if it is text: UTF-8, UTF-16
// (with a byte order mark, or without one where every other byte is
// zero, as in Latin text) or any other 8-bit text, read as Windows-1252.
// A payload that sniff knows as media is no text, unless it starts with a
// UTF-16 byte order mark and reads as text in full (FF FE also starts an
// MP3 frame). text is the payload as UTF-8.
func readText(raw []byte) (text string, enc textEncoding) {
	if len(raw) >= 2 && (raw[0] == 0xff && raw[1] == 0xfe || raw[0] == 0xfe && raw[1] == 0xff) {
		if s, ok := decodeText(raw, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()); ok {
			return s, utf16BOM
		}
	}
	if format, _ := sniff(raw); format != "" {
		return "", notText
	}
	if utf8.Valid(raw) {
		if printable(raw) {
			return string(raw), utf8Text
		}
		return "", notText
	}
	if e := utf16Order(raw); e != notText {
		order := unicode.LittleEndian
		if e == utf16BE {
			order = unicode.BigEndian
		}
		if s, ok := decodeText(raw, unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()); ok {
			return s, e
		}
		return "", notText
	}
	if printable(raw) {
		if s, ok := decodeText(raw, charmap.Windows1252.NewDecoder()); ok {
			return s, cp1252
		}
	}
	return "", notText
}

// utf16Order tells UTF-16 without a byte order mark by its zero bytes:
// at least half the code units have a zero high byte (Latin text) and
// few a zero low byte.
func utf16Order(raw []byte) textEncoding {
	if len(raw) < 4 || len(raw)%2 != 0 {
		return notText
	}
	var even, odd int
	for i := 0; i+1 < len(raw); i += 2 {
		if raw[i] == 0 {
			even++
		}
		if raw[i+1] == 0 {
			odd++
		}
	}
	units := len(raw) / 2
	switch {
	case odd*2 >= units && even*8 < units:
		return utf16LE
	case even*2 >= units && odd*8 < units:
		return utf16BE
	}
	return notText
}

// decodeText decodes raw and reports whether the result reads as text:
// besides what printable allows, at most one rune in 64 a control
// character, a replacement character (bytes that were no text in the
// encoding), a private-use character or a noncharacter.
func decodeText(raw []byte, dec *encoding.Decoder) (string, bool) {
	out, err := dec.Bytes(raw)
	if err != nil {
		return "", false
	}
	n, bad := 0, 0
	for _, c := range string(out) {
		n++
		switch {
		case c == 0:
			return "", false
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != '\b' && c != 0x1b,
			c >= 0x7f && c < 0xa0, c == utf8.RuneError,
			c >= 0xe000 && c <= 0xf8ff, c == 0xfffe, c == 0xffff:
			bad++
		}
	}
	if bad*64 > n {
		return "", false
	}
	return string(bytes.TrimPrefix(out, []byte("\ufeff"))), true
}
