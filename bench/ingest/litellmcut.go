package ingest

import (
	"bytes"
)

// LiteLLM cuts a string longer than MAX_STRING_LENGTH_PROMPT_IN_DB to its
// head and tail around a marker (litellm/proxy/spend_tracking/
// spend_tracking_utils.py, _sanitize_request_body_for_spend_logs_payload):
//
//	head... (litellm_truncated skipped N chars) ...tail
//	head... (litellm_truncated skipped N chars. <note>) ...tail
//
// where the note (litellm/constants.py, LITELLM_TRUNCATION_DB_SAFEGUARD_NOTE,
// and LITELLM_TRUNCATION_STDOUT_SAFEGUARD_NOTE for its stdout logs) holds
// parentheses of its own: "... logging callbacks (OTEL, Datadog, etc.). To
// increase the truncation limit, set `MAX_STRING_LENGTH_PROMPT_IN_DB` in
// your env.". A string cut again (LiteLLM sanitizes some payloads twice)
// may hold a marker whose note is cut by a second marker, or the tail of
// a note whose start was cut away.
const litellmMarker = "(litellm_truncated"

// litellmNoteEnd is how both of LiteLLM's notes end.
const litellmNoteEnd = "in your env.)"

// dropLiteLLMCuts returns body with the parts of words that touch
// LiteLLM's truncation markers removed: a cut may split a value (an
// e-mail address, a key) so that neither part is one any more, and
// redaction would see neither. The markers and the text the cut did not
// split are kept. It reports whether anything was removed; body is not
// changed.
//
// A word is a run of bytes other than ASCII spaces, quotes and
// backslashes, as in the JSON text of a string: a word never takes a
// quote or an escape, so the body stays valid JSON. A marker runs from
// "(litellm_truncated" to its balanced closing parenthesis; where its
// note was cut, to the end of the string or to the next marker. The tail
// of a note whose start was cut ("... in your env.) ...word") ends a
// marker too.
func dropLiteLLMCuts(body []byte) ([]byte, bool) {
	var cuts [][2]int // spans to remove, in order, not overlapping
	cut := func(from, to int) {
		if n := len(cuts); n > 0 && from < cuts[n-1][1] {
			from = cuts[n-1][1]
		}
		if from < to {
			cuts = append(cuts, [2]int{from, to})
		}
	}
	// k is the next marker and f the end of the next note at or after
	// i, each searched again only once i has passed it.
	k, f := -2, -2
	for i := 0; i < len(body); {
		if k != -1 && k < i {
			k = indexFrom(body, i, litellmMarker)
		}
		if f != -1 && f-len(litellmNoteEnd) < i {
			f = noteTailEnd(body, i)
		}
		if k < 0 && f < 0 {
			break
		}
		if f >= 0 && (k < 0 || f < k) {
			// The tail of a note whose start was cut away.
			end := wordEnd(body, afterDots(body, f))
			cut(afterDots(body, f), end)
			i = max(end, f+1)
			continue
		}
		start := beforeDots(body, k)
		cut(wordStart(body, start, i), start)
		end, open := markerEnd(body, k)
		if open {
			// Its note was cut where another marker starts, or
			// where the string ends: no word of the text follows.
			i = max(end, k+1)
			continue
		}
		r := afterDots(body, end)
		we := wordEnd(body, r)
		cut(r, we)
		i = max(we, end)
	}
	if len(cuts) == 0 {
		return body, false
	}
	out := make([]byte, 0, len(body))
	last := 0
	for _, c := range cuts {
		out = append(out, body[last:c[0]]...)
		last = c[1]
	}
	return append(out, body[last:]...), true
}

// indexFrom is the index of s in b at or after i, or -1.
func indexFrom(b []byte, i int, s string) int {
	j := bytes.Index(b[i:], []byte(s))
	if j < 0 {
		return -1
	}
	return i + j
}

// noteTailEnd is the index just after the end of a note at or after i
// ("in your env.)"), or -1.
func noteTailEnd(b []byte, i int) int {
	j := indexFrom(b, i, litellmNoteEnd)
	if j < 0 {
		return -1
	}
	return j + len(litellmNoteEnd)
}

// markerEnd returns the index just after the marker that starts at k (its
// balanced closing parenthesis) and false; or, where its note was cut,
// the index where the next marker's dots start or where the string ends,
// and true.
func markerEnd(b []byte, k int) (int, bool) {
	depth := 0
	for p := k; p < len(b); p++ {
		switch b[p] {
		case '(':
			if p > k && bytes.HasPrefix(b[p:], []byte(litellmMarker)) {
				return beforeDots(b, p), true
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return p + 1, false
			}
		case '"', '\\':
			return p, true
		}
	}
	return len(b), true
}

// beforeDots is the index where the dots LiteLLM writes before a marker
// at k start ("... (" or "...("), or k.
func beforeDots(b []byte, k int) int {
	switch {
	case k >= 4 && string(b[k-4:k]) == "... ":
		return k - 4
	case k >= 3 && string(b[k-3:k]) == "...":
		return k - 3
	}
	return k
}

// afterDots is the index after the dots LiteLLM writes after a marker
// that ends at e (") ..." or ")..."), or e.
func afterDots(b []byte, e int) int {
	switch {
	case bytes.HasPrefix(b[e:], []byte(" ...")):
		return e + 4
	case bytes.HasPrefix(b[e:], []byte("...")):
		return e + 3
	}
	return e
}

// wordByte reports whether c belongs to a word: not an ASCII space, a
// quote or a backslash.
func wordByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '"', '\\':
		return false
	}
	return true
}

// wordStart is the start of the word that ends at j, no earlier than
// floor. A word right after a backslash starts after the escape's letter
// (and the four hex digits of \u), so that no escape is cut in two.
func wordStart(b []byte, j, floor int) int {
	p := j
	for p > floor && wordByte(b[p-1]) {
		p--
	}
	if p > 0 && p < j && b[p-1] == '\\' {
		skip := 1
		if b[p] == 'u' {
			skip = 5
		}
		p = min(p+skip, j)
	}
	return p
}

// wordEnd is the end of the word that starts at r.
func wordEnd(b []byte, r int) int {
	q := r
	for q < len(b) && wordByte(b[q]) {
		q++
	}
	return q
}
