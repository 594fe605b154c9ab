package iam

import (
	"fmt"
	"strings"
)

// Literal wildcard characters, as the policy variables ${*} and ${?} (and
// values substituted for variables) give them: they match only themselves.
const (
	litStar = '\x00'
	litQues = '\x01'
)

// ARNMatch matches an ARN against a Resource-element pattern as the IAM
// documentation describes it: "*" and "?" match within one colon-separated
// segment, except that a "*" that is the last character of a segment "can
// expand to match beyond the colon boundaries"; "*" alone matches
// everything.
func ARNMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	return globMatch(pattern, arn, true)
}

// ARNConditionMatch matches an ARN against an ArnEquals/ArnLike pattern:
// "Each of the six colon-delimited components of the ARN is checked
// separately", so no wildcard runs from one component into the next (the
// sixth component, the resource, keeps any further colons, as in a model
// id's ":0"). A value or pattern without six components matches nothing.
func ARNConditionMatch(pattern, arn string) bool {
	p := strings.SplitN(pattern, ":", 6)
	a := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || len(a) != 6 {
		return false
	}
	for i := range p {
		if !globMatch(p[i], a[i], false) {
			return false
		}
	}
	return true
}

// checkResourcePattern rejects what the documentation rules out in a
// Resource element: policy variables before the resource part ("only in
// the resource part of the ARN ... after the fifth colon") and, for
// Bedrock, whose resources always start with a type, a wildcard in the
// resource type ("You can't use a wildcard in the portion of the ARN that
// specifies the resource type").
func checkResourcePattern(p string) error {
	if p == "*" {
		return nil
	}
	parts := strings.SplitN(p, ":", 6)
	for i := 0; i < len(parts) && i < 5; i++ {
		if strings.Contains(parts[i], "${") {
			return fmt.Errorf("resource %q: policy variables are allowed only in the resource part of an ARN, after the fifth colon", p)
		}
	}
	if len(parts) == 6 && parts[2] == "bedrock" {
		if typ, _, ok := strings.Cut(parts[5], "/"); ok && strings.ContainsAny(typ, "*?") {
			return fmt.Errorf("resource %q: a wildcard cannot stand in the resource type (%q); name it, like foundation-model/*", p, typ)
		}
	}
	return nil
}

// globMatch matches s against pattern with "*" (any run) and "?" (any one
// character). With segments, neither crosses a ":" unless the "*" is the
// last character of its pattern segment. It is a dynamic program over
// prefixes, so a pattern with many stars costs at most len(pattern) times
// len(s) steps, with a linear fast path for patterns without wildcards.
func globMatch(pattern, s string, segments bool) bool {
	if !strings.ContainsAny(pattern, "*?\x00\x01") {
		return pattern == s
	}
	// A literal prefix must match as is: most patterns fail here.
	if i := strings.IndexAny(pattern, "*?\x00\x01"); i > 0 {
		if !strings.HasPrefix(s, pattern[:i]) {
			return false
		}
		pattern, s = pattern[i:], s[i:]
	}
	prev := make([]bool, len(s)+1) // prev[j]: pattern[:i] matches s[:j]
	cur := make([]bool, len(s)+1)
	prev[0] = true
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		spans := !segments || starSpansColons(pattern, i)
		cur[0] = c == '*' && prev[0]
		any := cur[0]
		for j := 1; j <= len(s); j++ {
			switch c {
			case '*':
				cur[j] = prev[j] || (cur[j-1] && (spans || s[j-1] != ':'))
			case '?':
				cur[j] = prev[j-1] && !(segments && s[j-1] == ':')
			case litStar:
				cur[j] = prev[j-1] && s[j-1] == '*'
			case litQues:
				cur[j] = prev[j-1] && s[j-1] == '?'
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

// unliteral turns literal wildcard marks back into the characters.
func unliteral(s string) string {
	if !strings.ContainsAny(s, "\x00\x01") {
		return s
	}
	return strings.NewReplacer("\x00", "*", "\x01", "?").Replace(s)
}
