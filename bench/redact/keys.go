package redact

import "strings"

// A private key is redacted from its BEGIN line to its END line. Logs cut
// long strings, and a cut may take either armour line away: LiteLLM keeps
// a string's head and tail around "... (litellm_truncated skipped N
// chars) ...", other loggers keep a field's first bytes. Every line of
// the key that is left is its secret still, and no rule finds a lone
// line of base64, so the key's extent is read from the armour line that
// is left (keyExtent):
//
//   - after a BEGIN line with no END line after it, the key runs to the
//     end of the string: the text's end, or the closing quote of a JSON
//     string the text holds (a tool call's arguments), or a truncation
//     marker (the dots before it);
//   - before an END line with no BEGIN line before it, the key runs from
//     the start of the string: the text's start, the opening quote of a
//     JSON string, the end of a truncation marker (the dots after it),
//     or the end of another armour line.
//
// A key's own header lines (Proc-Type and DEK-Info of an encrypted PEM
// key, Version and Comment of a PGP one, which hold dots, parentheses
// and any other byte) are inside that extent; before, the key ended at
// the first byte no base64 line holds, and a PGP key's body after its
// "Version: GnuPG v2.0.22" line was written as it came.

// truncationMarker starts LiteLLM's truncation marker (see
// bench/ingest's dropLiteLLMCuts).
const truncationMarker = "(litellm_truncated"

// keyAfterBegin extends a private key's BEGIN line, matched at
// [start, end) without an END line, to the end of its string (see
// keyExtent). A match that holds its END line is kept as it is.
func keyAfterBegin(text string, start, end int) (int, int, bool) {
	if strings.Contains(text[start:end], "-----END") {
		return start, end, true
	}
	return start, keyTailEnd(text, end), true
}

// keyTailEnd returns where the string holding the key bytes at i ends:
// before the first quote at or after i (and the backslashes that escape
// it), before a truncation marker (and the dots before it), or at the
// text's end.
func keyTailEnd(text string, i int) int {
	end := len(text)
	if q := strings.IndexByte(text[i:], '"'); q >= 0 {
		end = i + q
		for end > i && text[end-1] == '\\' {
			end--
		}
	}
	if m := strings.Index(text[i:end], truncationMarker); m >= 0 {
		end = i + m
		for _, dots := range []string{"... ", "..."} {
			if strings.HasSuffix(text[i:end], dots) {
				end -= len(dots)
				break
			}
		}
	}
	return end
}

// keyBeforeEnd extends a private key's END line, matched at [start,
// end), back to the start of its string (see keyExtent). It refuses the
// match where a BEGIN line of a private key starts that string: the
// private-key rule takes the key whole.
func keyBeforeEnd(text string, start, end int) (int, int, bool) {
	from := 0
	if q := strings.LastIndexByte(text[:start], '"'); q >= 0 {
		from = q + 1
	}
	if p := strings.LastIndexByte(text[from:start], ')'); p >= 0 {
		// The end of a truncation marker, and the dots after it.
		from += p + 1
		for _, dots := range []string{" ...", "..."} {
			if strings.HasPrefix(text[from:start], dots) {
				from += len(dots)
				break
			}
		}
	}
	if d := strings.LastIndex(text[from:start], "-----"); d >= 0 {
		// Another armour line: the end of another key, or this key's
		// own BEGIN line.
		line := text[from : from+d]
		if a := strings.LastIndex(line, "-----"); a >= 0 {
			line = line[a:]
		}
		if strings.HasPrefix(line, "-----BEGIN") && strings.Contains(line, "PRIVATE KEY") {
			return 0, 0, false
		}
		from += d + len("-----")
	}
	return from, end, true
}

// puttyPrivateLines extends the first byte of a PuTTY key file's
// private lines, at start, to the end of its Private-MAC line or, where
// a cut took that away, to the end of its string (see keyTailEnd).
func puttyPrivateLines(text string, start, _ int) (int, int, bool) {
	const mac = "Private-MAC:"
	tail := keyTailEnd(text, start)
	m := strings.Index(text[start:tail], mac)
	if m < 0 {
		return start, tail, true
	}
	end := start + m + len(mac)
	for end < tail && text[end] == ' ' {
		end++
	}
	for end < tail && isHex(text[end]) {
		end++
	}
	return start, end, true
}
