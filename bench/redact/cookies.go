package redact

import "strings"

// cookieValueEnd extends a Cookie or Set-Cookie header's value, whose
// expression stops at the first quote or backslash, to the end of the
// header: a line break (raw, or escaped in a JSON string), the end of
// the text, or a quote that ends the string holding the header (see
// cookieQuoteEnds). A quoted cookie value (a="b c"; d=e, escaped
// a=\"b c\" in a JSON string) and a backslash in a value are the
// header's; before, the value ended at them and the rest of the header
// was written as it came.
func cookieValueEnd(text string, start, end int) (int, int, bool) {
	i := end
	for i < len(text) {
		switch c := text[i]; c {
		case '\r', '\n':
			return start, i, true
		case '"', '\'':
			if cookieQuoteEnds(text, i, i+1) {
				return start, i, true
			}
			i++
		case '\\':
			j := i
			for j < len(text) && text[j] == '\\' {
				j++
			}
			switch {
			case j == len(text):
				return start, i, true // the escape a cut split
			case text[j] == 'r' || text[j] == 'n':
				return start, i, true // an escaped line break
			case text[j] == '"' || text[j] == '\'':
				if cookieQuoteEnds(text, i, j+1) {
					return start, i, true
				}
				i = j + 1
			default:
				i = j
			}
		default:
			i++
		}
	}
	return start, i, true
}

// cookieQuoteEnds reports whether the quote text[qs:qe] (and the
// backslashes escaping it) ends a header's value: one that does not open
// a cookie's quoted value (right after its "="), followed, past spaces,
// by the text's end, a space, a JSON text's punctuation (",", "}", "]",
// ":"), a closing parenthesis, another quote or an escaped line break.
func cookieQuoteEnds(text string, qs, qe int) bool {
	if qs > 0 && text[qs-1] == '=' {
		return false
	}
	k := qe
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	if k == len(text) || k > qe {
		return true
	}
	switch text[k] {
	case ',', '}', ']', ':', ')', '"', '\'':
		return true
	case '\\':
		for k < len(text) && text[k] == '\\' {
			k++
		}
		return k == len(text) || strings.IndexByte(`"'rn`, text[k]) >= 0
	}
	return false
}

// cookieListWindows returns the spans of text that hold a HAR cookie
// list: from each quoted "cookies" member name, escaped or not, that an
// array follows, to the array's end (the first "]": a cookie holds no
// array), or the text's end.
func cookieListWindows(text, lower string) [][2]int {
	var out [][2]int
	for off := 0; ; {
		j := strings.Index(lower[off:], "cookies")
		if j < 0 {
			return out
		}
		p := off + j
		off = p + len("cookies")
		if p == 0 || text[p-1] != '"' {
			continue
		}
		k := off
		for k < len(text) && text[k] == '\\' {
			k++
		}
		if k == len(text) || text[k] != '"' {
			continue
		}
		k++
		for k < len(text) && (text[k] == ' ' || text[k] == '\t' || text[k] == ':') {
			k++
		}
		if k == len(text) || text[k] != '[' {
			continue
		}
		end := len(text)
		if e := strings.IndexByte(text[k:], ']'); e >= 0 {
			end = k + e + 1
		}
		if n := len(out); n > 0 && p <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
		} else {
			out = append(out, [2]int{p, end})
		}
		off = max(off, end)
	}
}
