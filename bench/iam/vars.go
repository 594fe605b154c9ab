package iam

import "strings"

// expand resolves the policy variables in s ("${aws:username}",
// "${aws:PrincipalTag/team, 'default'}", and "${*}", "${?}", "${$}" for
// the literal characters). The result for text holding "${" is an escaped
// pattern (see esc): substituted text and ${*}/${?} match only themselves;
// other text is returned as it is.
//
// ok is false when a variable has no single value and no default: "There
// is no equal or like value", so the element it is in matches nothing.
// unknown names the first variable whose key the request leaves unknown.
func expand(s string, ec *evalCtx) (out string, ok bool, unknown string) {
	if !strings.Contains(s, "${") {
		return s, true, ""
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !strings.HasPrefix(s[i:], "${") {
			if s[i] == esc {
				b.WriteByte(esc)
			}
			b.WriteByte(s[i])
			i++
			continue
		}
		key, def, hasDef, end := parseVar(s, i)
		if end < 0 { // not a variable: keep the text
			b.WriteString("${")
			i += 2
			continue
		}
		i = end
		switch key {
		case "*", "?":
			b.WriteString(literal(key))
			continue
		case "$":
			b.WriteByte('$')
			continue
		}
		vals, present, known := ec.lookup(key)
		switch {
		case !known:
			if unknown == "" {
				unknown = key
			}
			b.WriteString(def)
		case present && len(vals) == 1:
			b.WriteString(literal(vals[0]))
		case hasDef:
			b.WriteString(literal(def))
		default:
			return "", false, unknown
		}
	}
	return b.String(), true, unknown
}

// parseVar reads "${key}" or "${key, 'default'}" at s[i:]; end is the
// index after the closing brace, or -1 if the text is not a variable. In a
// default, ” stands for one quote.
func parseVar(s string, i int) (key, def string, hasDef bool, end int) {
	j := i + 2
	k := j
	for k < len(s) && s[k] != '}' && s[k] != ',' {
		k++
	}
	if k == len(s) {
		return "", "", false, -1
	}
	key = strings.TrimSpace(s[j:k])
	if key == "" {
		return "", "", false, -1
	}
	if s[k] == '}' {
		return key, "", false, k + 1
	}
	m := k + 1
	for m < len(s) && s[m] == ' ' {
		m++
	}
	if m == len(s) || s[m] != '\'' {
		return "", "", false, -1
	}
	var d strings.Builder
	for m++; m < len(s); m++ {
		if s[m] == '\'' {
			if m+1 < len(s) && s[m+1] == '\'' {
				d.WriteByte('\'')
				m++
				continue
			}
			break
		}
		d.WriteByte(s[m])
	}
	if m >= len(s) {
		return "", "", false, -1
	}
	for m++; m < len(s) && s[m] == ' '; m++ {
	}
	if m == len(s) || s[m] != '}' {
		return "", "", false, -1
	}
	return key, d.String(), true, m + 1
}

// literal escapes text so that it matches only itself.
func literal(v string) string {
	if !strings.ContainsAny(v, "*?\x00") {
		return v
	}
	return strings.NewReplacer("\x00", "\x00\x00", "*", "\x00*", "?", "\x00?").Replace(v)
}
