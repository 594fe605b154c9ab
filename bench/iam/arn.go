package iam

import (
	"fmt"
	"strings"
)

// esc starts an escape in a pattern that policy variables were expanded
// into: "\x00*" and "\x00?" are a literal star and question mark (from
// ${*}, ${?} or substituted text), "\x00\x00" a NUL byte. Patterns
// without variables are never escaped.
const esc = '\x00'

// ARNMatch matches an ARN against a Resource-element pattern as the IAM
// documentation describes it: "*" and "?" match within one colon-separated
// segment, except that a "*" that is the last character of a segment "can
// expand to match beyond the colon boundaries"; "*" alone matches
// everything.
func ARNMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	return globMatch(pattern, arn, true, false)
}

// ARNConditionMatch matches an ARN against an ArnEquals/ArnLike pattern:
// "Each of the six colon-delimited components of the ARN is checked
// separately", so no wildcard runs from one component into the next (the
// sixth component, the resource, keeps any further colons, as in a model
// id's ":0"). A value or pattern without six components matches nothing.
func ARNConditionMatch(pattern, arn string) bool {
	return arnConditionMatch(pattern, arn, false)
}

func arnConditionMatch(pattern, arn string, escaped bool) bool {
	p := strings.SplitN(pattern, ":", 6)
	a := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || len(a) != 6 {
		return false
	}
	for i := range p {
		if !globMatch(p[i], a[i], false, escaped) {
			return false
		}
	}
	return true
}

// checkResourcePattern rejects what the documentation rules out in a
// Resource element: policy variables before the resource part ("only in
// the resource portion of the ARN ... after the fifth colon"). A wildcard
// in a Bedrock resource type (*-model/*) is a wildcard like any other:
// the rule against one in the type is written for IAM's own user/,
// group/ and policy/ ARNs, and "the same wildcard expansion logic applies
// to all services" (IAM JSON policy elements: Resource). With literal (a
// policy whose Version is not 2012-10-17), "${" is text and may stand
// anywhere.
func checkResourcePattern(p string, literal bool) error {
	if p == "*" {
		return nil
	}
	parts := strings.SplitN(p, ":", 6)
	for i := 0; i < len(parts) && i < 5 && !literal; i++ {
		if strings.Contains(parts[i], "${") {
			return fmt.Errorf("resource %q: policy variables are allowed only in the resource part of an ARN, after the fifth colon", p)
		}
	}
	return nil
}

// globMatch matches s against pattern with "*" (any run) and "?" (any one
// character). With segments, neither crosses a ":" unless the "*" is the
// last character of its pattern segment. An escaped pattern (see esc)
// holds literal wildcard characters. It is a dynamic program over
// prefixes, so a pattern with many stars costs at most len(pattern) times
// len(s) steps, after linear checks (literal prefix, suffix and runs) that
// settle most mismatches.
func globMatch(pattern, s string, segments, escaped bool) bool {
	if escaped {
		return globDP(pattern, s, segments, true)
	}
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == s
	}
	// A literal prefix must match as is: most patterns fail here.
	if i := strings.IndexAny(pattern, "*?"); i > 0 {
		if !strings.HasPrefix(s, pattern[:i]) {
			return false
		}
		pattern, s = pattern[i:], s[i:]
	}
	// So must a literal suffix.
	if i := strings.LastIndexAny(pattern, "*?"); i+1 < len(pattern) {
		if !strings.HasSuffix(s, pattern[i+1:]) {
			return false
		}
	}
	// And every literal run must appear, in order.
	rest := s
	for _, chunk := range strings.FieldsFunc(pattern, func(r rune) bool { return r == '*' || r == '?' }) {
		j := strings.Index(rest, chunk)
		if j < 0 {
			return false
		}
		rest = rest[j+len(chunk):]
	}
	return globDP(pattern, s, segments, false)
}

func globDP(pattern, s string, segments, escaped bool) bool {
	prev := make([]bool, len(s)+1) // prev[j]: pattern[:i] matches s[:j]
	cur := make([]bool, len(s)+1)
	prev[0] = true
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		wild := c == '*' || c == '?'
		if escaped && c == esc && i+1 < len(pattern) {
			i++
			c, wild = pattern[i], false
		}
		if wild && c == '*' && i+1 < len(pattern) && pattern[i+1] == '*' {
			// A run of stars matches what its last one does: that one
			// alone decides whether the match may cross a colon, and a
			// run of a policy's size would otherwise cost a pass over s
			// for each star.
			continue
		}
		spans := !segments || starSpansColons(pattern, i)
		cur[0] = wild && c == '*' && prev[0]
		any := cur[0]
		for j := 1; j <= len(s); j++ {
			switch {
			case wild && c == '*':
				cur[j] = prev[j] || (cur[j-1] && (spans || s[j-1] != ':'))
			case wild && c == '?':
				cur[j] = prev[j-1] && !(segments && s[j-1] == ':')
			default:
				cur[j] = prev[j-1] && c == s[j-1]
			}
			any = any || cur[j]
		}
		if !any {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(s)]
}

// starSpansColons reports whether the "*" at pattern[i] ends a segment.
func starSpansColons(pattern string, i int) bool {
	return i+1 == len(pattern) || pattern[i+1] == ':'
}

// unescape turns an escaped pattern back into plain text.
func unescape(p string) string {
	if !strings.ContainsRune(p, esc) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == esc && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
