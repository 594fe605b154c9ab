package redact

import (
	"math"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// rule is one detector: a regular expression guarded by a prefilter and
// optionally checked by a validator.
type rule struct {
	name  string
	kind  Kind
	re    *regexp.Regexp
	group int // capture group holding the value; 0 for the whole match
	// keys are case-sensitive literals, ikeys lower-case literals matched
	// case-insensitively; the rule runs only if one of them occurs. With
	// neither, need decides; with nothing at all the rule always runs.
	// index finds many keys in one pass (see keyIndex).
	keys  []string
	ikeys []string
	index *keyIndex
	need  func(f *features) bool
	// gate is a cheaper test on the text's features, checked first.
	gate func(f *features) bool
	// valid checks a match (checksum, entropy, context).
	valid func(v, text string, start, end int) bool
	// extend, when set, moves a valid match's edges over what its
	// expression cannot bound (a private key whose armour a cut took
	// away, see keyExtent), or refuses it.
	extend func(text string, start, end int) (int, int, bool)
	// near, when set, confines the expression to windows around trigger
	// positions: the bytes before and after each trigger, widened to a
	// token boundary. Rules without a literal prefix run this way, which
	// keeps the cost of a text proportional to its triggers.
	near   trigger
	before int
	after  int
	// minLen is the fewest bytes a match of re takes (see minMatchLen):
	// a shorter text is not searched.
	minLen int
	// alpha holds every byte a match of re can contain (see matchBytes),
	// for the windows around runs of digits and of open-ended rules; nil
	// where re has a text or line anchor, and then windows around digits
	// are the whole text.
	alpha *byteSet
	// openEnded marks a rule near keywords whose value has no length
	// bound (a bearer token, a named session token): its window ends
	// where the run of bytes a match can hold ends, however far after the
	// keyword, so no tail of a long value is left.
	openEnded bool
}

// keyIndex finds whether a text holds one of many literal keys, in any
// ASCII case, in one pass over it rather than one search for each: a set
// of hashes of the keys' first three bytes (lower case), looked up at
// each position, and the keys compared where a hash is in the set.
type keyIndex struct {
	set  [1 << 16 / 64]uint64
	keys map[uint16][]string
}

// newKeyIndex indexes keys, each of three bytes or more.
func newKeyIndex(keys []string) *keyIndex {
	x := &keyIndex{keys: map[uint16][]string{}}
	for _, k := range keys {
		h := hash3(k, 0)
		x.set[h>>6] |= 1 << (h & 63)
		x.keys[h] = append(x.keys[h], k)
	}
	return x
}

// hash3 hashes the three bytes of text at i, in lower case.
func hash3(text string, i int) uint16 {
	v := uint32(lowerBytes[text[i]])<<16 | uint32(lowerBytes[text[i+1]])<<8 | uint32(lowerBytes[text[i+2]])
	return uint16(v * 2654435761 >> 16)
}

// in reports whether text holds one of the keys, in any case.
func (x *keyIndex) in(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		if h := hash3(text, i); x.set[h>>6]&(1<<(h&63)) != 0 && x.match(text, i, h) {
			return true
		}
	}
	return false
}

// at reports whether one of the keys, in any case, starts at text[i].
func (x *keyIndex) at(text string, i int) bool {
	if i+2 >= len(text) {
		return false
	}
	h := hash3(text, i)
	return x.set[h>>6]&(1<<(h&63)) != 0 && x.match(text, i, h)
}

// match reports whether a key whose hash is h starts at text[i].
func (x *keyIndex) match(text string, i int, h uint16) bool {
	for _, k := range x.keys[h] {
		if len(text)-i >= len(k) && strings.EqualFold(text[i:i+len(k)], k) {
			return true
		}
	}
	return false
}

// lowerBytes maps an ASCII letter to lower case, any other byte to itself.
var lowerBytes = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] = byte(c + 'a' - 'A')
		}
	}
	return t
}()

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }

func (s *byteSet) add(lo, hi rune) {
	for c := max(lo, 0); c <= min(hi, 0xff); c++ {
		s[c>>6] |= 1 << (c & 63)
	}
}

// matchBytes returns the bytes a match of re can contain, read from its
// syntax tree: ASCII runes as themselves, any rune beyond ASCII (or any
// letter matched case-insensitively, which may fold to one) as every byte
// of 0x80 and up. It returns nil if re has a text or line anchor, whose
// meaning a window would change.
func matchBytes(re *regexp.Regexp) *byteSet {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	var set byteSet
	if !addMatchBytes(&set, t) {
		return nil
	}
	return &set
}

func addMatchBytes(set *byteSet, t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return false
	case syntax.OpLiteral:
		for _, r := range t.Rune {
			if r >= utf8.RuneSelf {
				set.add(0x80, 0xff)
				continue
			}
			set.add(r, r)
			if t.Flags&syntax.FoldCase != 0 && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				set.add(r^0x20, r^0x20)
				set.add(0x80, 0xff)
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(t.Rune); i += 2 {
			set.add(t.Rune[i], t.Rune[i+1])
			if t.Rune[i+1] >= utf8.RuneSelf {
				set.add(0x80, 0xff)
			}
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		set.add(0, 0xff)
	}
	for _, sub := range t.Sub {
		if !addMatchBytes(set, sub) {
			return false
		}
	}
	return true
}

// digitWindows returns the windows of a rule with match bytes alpha
// around the runs of digits starting at runs: each is the longest run of
// alpha bytes holding the digits, and one byte more on each side. A match
// is a run of alpha bytes holding a digit, so it lies in one of them; no
// match can hold the extra byte, which is there so that a word boundary
// at the run's edge reads as it does in the whole text. Windows that
// touch are merged, and the search in each finds what the search of the
// whole text finds there.
func digitWindows(text string, runs []int, alpha *byteSet) [][2]int {
	var out [][2]int
	for _, p := range runs {
		if n := len(out); n > 0 && p < out[n-1][1]-1 {
			continue // inside the run of the window before
		}
		start, end := p, p
		for start > 0 && alpha.has(text[start-1]) {
			start--
		}
		for end < len(text) && alpha.has(text[end]) {
			end++
		}
		start, end = max(start-1, 0), min(end+1, len(text))
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
			continue
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

// minMatchLen returns a lower bound on the length in bytes of any match
// of re, read from its syntax tree: a rune matched case-insensitively or
// by a class counts one byte (its shortest UTF-8 form could be), an exact
// rune its own length, and anchors, word boundaries and optional parts
// nothing.
func minMatchLen(re *regexp.Regexp) int {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return 0 // cannot happen for a compiled expression; 0 rules nothing out
	}
	return minLenOf(t)
}

func minLenOf(t *syntax.Regexp) int {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return len(t.Rune)
		}
		n := 0
		for _, r := range t.Rune {
			n += max(1, utf8.RuneLen(r))
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLenOf(t.Sub[0])
	case syntax.OpRepeat:
		return t.Min * minLenOf(t.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range t.Sub {
			n += minLenOf(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range t.Sub {
			if m := minLenOf(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0 // empty matches, anchors, boundaries, star, quest, no match
}

// trigger finds the positions a windowed rule looks around.
type trigger uint8

const (
	noTrigger trigger = iota
	atDigitRuns
	atKeywords
	atHexColons
	// atEmailSigns: the exact span each "@" could be inside an e-mail
	// match of (see emailWindows); before and after are unused.
	atEmailSigns
	// atIndexKeys: each place one of the keys of the rule's index
	// starts (see keyIndex), from the byte before it to the end of the
	// run of bytes a match can hold (see runEnd); before and after are
	// unused. A match starts with a key, so it lies in one of them.
	atIndexKeys
	// atCredentialNames: where a keyword stands in a quoted string that
	// is a credential's name (see credentialName): a JSON text's member
	// name, or a pair's name; before and after count from the string's
	// first byte.
	atCredentialNames
	// atCookieLists: a HAR cookie list in a JSON text, from its quoted
	// name "cookies" (escaped or not) to the end of its array (see
	// cookieListWindows); before and after are unused.
	atCookieLists
)

// windows returns the merged [start, end) ranges of text to search;
// runs are where text's runs of digits start (see digitRuns), found once
// for all the rules that look around them.
func (r *rule) windows(text, lower string, runs []int) [][2]int {
	var pos []int
	switch r.near {
	case atEmailSigns:
		return emailWindows(text)
	case atIndexKeys:
		var out [][2]int
		for i := 0; i+2 < len(text); i++ {
			if n := len(out); n > 0 && i < out[n-1][1]-1 || !r.index.at(text, i) {
				continue
			}
			start, end := max(i-1, 0), runEnd(text, i, r.alpha)
			if n := len(out); n > 0 && start <= out[n-1][1] {
				out[n-1][1] = max(out[n-1][1], end)
				continue
			}
			out = append(out, [2]int{start, end})
		}
		return out
	case atCookieLists:
		return cookieListWindows(text, lower)
	case atDigitRuns:
		if r.alpha != nil {
			return digitWindows(text, runs, r.alpha)
		}
		pos = runs
	case atKeywords:
		for _, k := range r.ikeys {
			for off := 0; ; {
				j := strings.Index(lower[off:], k)
				if j < 0 {
					break
				}
				pos = append(pos, off+j)
				off += j + len(k)
			}
		}
		sort.Ints(pos)
	case atCredentialNames:
		for _, k := range r.ikeys {
			for off := 0; ; {
				j := strings.Index(lower[off:], k)
				if j < 0 {
					break
				}
				if a, ok := credentialString(text, off+j); ok && (len(pos) == 0 || pos[len(pos)-1] != a) {
					pos = append(pos, a)
				}
				off += j + len(k)
			}
		}
		sort.Ints(pos)
	case atHexColons:
		for i := 1; i+1 < len(text); i++ {
			if text[i] == ':' && (isHex(text[i-1]) || text[i-1] == ':') && (isHex(text[i+1]) || text[i+1] == ':') {
				pos = append(pos, i)
			}
		}
	}
	var out [][2]int
	for _, p := range pos {
		start, end := widenLeft(text, max(0, p-r.before)), min(len(text), p+r.after)
		if n := len(out); r.openEnded && r.alpha != nil && n > 0 && end < out[n-1][1] {
			end = out[n-1][1] // in the run the window before followed to its end
		} else if r.openEnded && r.alpha != nil {
			end = runEnd(text, end, r.alpha)
		} else if r.near == atCredentialNames {
			end = quoteEnd(text, end)
		} else {
			end = widenRight(text, end)
		}
		// Windows that touch once widened are one: two would find a
		// match in both, or half of one in each.
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
			continue
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

// quoteEnd returns the end of the string a JSON text holds at i: past
// the first quote at or after i. A string value the JSON credential rule
// reads holds no quote, escaped or not, so one that starts before i ends
// there, however long it is.
func quoteEnd(text string, i int) int {
	if j := strings.IndexByte(text[i:], '"'); j >= 0 {
		return i + j + 1
	}
	return len(text)
}

// runEnd returns the end of the run of alpha bytes at i, and one byte
// more: a match that reaches i goes on at most to the run's end, and the
// byte after it lets a word boundary there read as in the whole text.
func runEnd(text string, i int, alpha *byteSet) int {
	for i < len(text) && alpha.has(text[i]) {
		i++
	}
	return min(i+1, len(text))
}

func tokenByte(c byte) bool {
	return isDigit(c) || isHex(c) || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == ':' || c == '/' || c == '_' || c == '=' || c == '@'
}

// widenLeft and widenRight move a window edge out to a byte that cannot
// be inside a value, by at most 96 bytes.
func widenLeft(text string, i int) int {
	for n := 0; i > 0 && n < 96 && tokenByte(text[i-1]); n++ {
		i--
	}
	return i
}

func widenRight(text string, i int) int {
	for n := 0; i < len(text) && n < 96 && tokenByte(text[i]); n++ {
		i++
	}
	return i
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// features are what one pass over a text learns, so that most rules are
// ruled out without looking at the text again.
type features struct {
	// longToken: a run of 10 or more key characters ([A-Za-z0-9+/=_.-])
	// with a digit or a capital letter; every credential has one.
	longToken bool
	// spanDigits is the most digits in one numeric span: digits with
	// spaces, dots, dashes, slashes, parentheses and plus signs between.
	spanDigits int
	// digits counts the digits; digitRun is the most digits in a row.
	digits, digitRun        int
	at, hexColon, ibanStart bool
	// colon: a colon anywhere; member: a quote before one, as a JSON
	// text's member names stand ("password": or \"password\":).
	colon, member bool
	// hidden: the text may write a value in another form (see hiddenAt).
	hidden bool
}

func scanFeatures(text string) features {
	var f features
	run, runMarked := 0, false
	span, digitRun := 0, 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !isDigit(c) {
			digitRun = 0
		}
		switch {
		case isDigit(c):
			run++
			runMarked = true
			span++
			if span > f.spanDigits {
				f.spanDigits = span
			}
			f.digits++
			if digitRun++; digitRun > f.digitRun {
				f.digitRun = digitRun
			}
			continue
		case 'A' <= c && c <= 'Z':
			run++
			runMarked = true
			if !f.ibanStart && i+3 < len(text) && 'A' <= text[i+1] && text[i+1] <= 'Z' && isDigit(text[i+2]) && isDigit(text[i+3]) {
				f.ibanStart = true
			}
		case 'a' <= c && c <= 'z' || c == '+' || c == '/' || c == '=' || c == '_' || c == '-' || c == '.':
			run++
		case c == '@':
			f.at = true
			run, runMarked = 0, false
		case c == ':':
			if i > 0 && i+1 < len(text) && (isHex(text[i-1]) || text[i-1] == ':') && (isHex(text[i+1]) || text[i+1] == ':') {
				f.hexColon = true
			}
			f.colon = true
			if !f.member {
				j := i - 1
				for j >= 0 && text[j] == ' ' {
					j--
				}
				f.member = j >= 0 && text[j] == '"'
			}
			run, runMarked = 0, false
		default:
			run, runMarked = 0, false
			switch c {
			case '\\', '%', '&', 0xC2, 0xCD, 0xE1, 0xE2, 0xEF:
				f.hidden = f.hidden || hiddenAt(text, i)
			}
		}
		if run >= 10 && runMarked {
			f.longToken = true
		}
		switch c {
		case ' ', '.', '-', '(', ')', '+', '/':
		default:
			span = 0
		}
	}
	return f
}

func (r *rule) mayMatch(text string, lower *string, f *features) bool {
	if len(r.keys) == 0 && len(r.ikeys) == 0 {
		return r.need == nil || r.need(f)
	}
	if r.index != nil {
		return r.index.in(text) // its expression ignores case
	}
	for _, k := range r.keys {
		if strings.Contains(text, k) {
			return true
		}
	}
	if len(r.ikeys) > 0 {
		if *lower == "" {
			*lower = asciiLower(text)
		}
		for _, k := range r.ikeys {
			if strings.Contains(*lower, k) {
				return true
			}
		}
	}
	return false
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// builtinRules is the focused rule set. Credential rules follow gitleaks
// v8's (MIT) regular expressions for the same formats; the bare AWS secret
// key and session token follow the documented key shapes.
func builtinRules() []*rule {
	return []*rule{
		// A private key, from its BEGIN line to its END line; where a
		// cut took the END line away (a log's truncation marker, a field
		// cut to its length), to the end of the string or the marker,
		// and where it took the BEGIN line, from the string's start or
		// the marker's end (see keyExtent).
		{name: "private-key", gate: func(f *features) bool { return f.longToken }, kind: PrivateKey, keys: []string{"PRIVATE KEY"},
			re:     regexp.MustCompile(`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)?`),
			extend: keyAfterBegin},
		{name: "private-key-tail", gate: func(f *features) bool { return f.longToken }, kind: PrivateKey, keys: []string{"PRIVATE KEY"},
			re:     regexp.MustCompile(`-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`),
			extend: keyBeforeEnd},
		// A PuTTY key file's private lines (PuTTY-User-Key-File-2 and -3),
		// to its Private-MAC line or, where a cut took that away, to the
		// end of the string or a truncation marker. The public lines
		// before them are kept.
		{name: "putty-private-key", kind: PrivateKey, gate: func(f *features) bool { return f.colon }, keys: []string{"Private-Lines:"},
			re:     regexp.MustCompile(`Private-Lines: *\d{1,4}(?:\r?\n|(?:\\+r)?\\+n)([A-Za-z0-9+/=])`),
			group:  1,
			extend: puttyPrivateLines},
		{name: "aws-access-key-id", gate: func(f *features) bool { return f.longToken }, kind: AWSAccessKeyID, keys: []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
			re: regexp.MustCompile(`\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b`), group: 1},
		{name: "aws-secret-access-key", gate: func(f *features) bool { return f.longToken }, near: atKeywords, before: 40, after: 90, kind: AWSSecretAccessKey, ikeys: []string{"secret", "aws"},
			// The name, then "=", ":" or a space ("aws configure set
			// aws_secret_access_key …"), then the key.
			re:    regexp.MustCompile(`(?i)(?:aws)?_?secret_?(?:access)?_?key(?:_?id)?(?:(?:\\?["'])?\s*(?:[:=]|=>|:=)\s*(?:\\?["'])?|\s+)([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`),
			group: 1},
		{name: "aws-session-token", gate: func(f *features) bool { return f.longToken }, kind: AWSSessionToken, keys: []string{"IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "FQoGZXIvYXdz"},
			re: regexp.MustCompile(`(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{60,}={0,2}`)},
		{name: "aws-session-token-named", gate: func(f *features) bool { return f.longToken }, near: atKeywords, before: 10, after: 600, openEnded: true, kind: AWSSessionToken, ikeys: []string{"session_token", "sessiontoken", "security-token", "security_token"},
			re:    regexp.MustCompile(`(?i)(?:session_?token|security[_-]token)(?:\\?["'])?\s*(?:[:=]|=>)\s*(?:\\?["'])?([A-Za-z0-9/+]{80,}={0,2})`),
			group: 1},
		{name: "bedrock-api-key-long-lived", gate: func(f *features) bool { return f.longToken }, kind: BedrockAPIKey, keys: []string{"ABSK"},
			re: regexp.MustCompile(`\bABSK[A-Za-z0-9+/]{40,400}={0,2}`)},
		{name: "bedrock-api-key-short-lived", gate: func(f *features) bool { return f.longToken }, kind: BedrockAPIKey, keys: []string{"bedrock-api-key-"},
			re: regexp.MustCompile(`bedrock-api-key-[A-Za-z0-9+/=%_.-]{16,}`)},
		{name: "anthropic-api-key", gate: func(f *features) bool { return f.longToken }, kind: AnthropicAPIKey, keys: []string{"sk-ant-"},
			re: regexp.MustCompile(`\bsk-ant-[a-z]{3,6}\d{2}-[A-Za-z0-9_-]{20,}`)},
		{name: "openai-api-key", gate: func(f *features) bool { return f.longToken }, kind: OpenAIAPIKey, keys: []string{"sk-"},
			re:    regexp.MustCompile(`\bsk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]+|[A-Za-z0-9]{32,64})\b`),
			valid: func(v, _ string, _, _ int) bool { return !strings.HasPrefix(v, "sk-ant-") }},
		{name: "jwt", gate: func(f *features) bool { return f.longToken }, kind: JWT, keys: []string{"eyJ"},
			re: regexp.MustCompile(`\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*`)},
		{name: "bearer-token", gate: func(f *features) bool { return f.longToken }, near: atKeywords, before: 2, after: 300, openEnded: true, kind: BearerToken, ikeys: []string{"bearer"},
			re:    regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{16,})`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool { return hasDigit(v) && entropy(v) >= 3 }},
		{name: "github-token", gate: func(f *features) bool { return f.longToken }, kind: APIToken, keys: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
			re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{82})\b`)},
		{name: "gitlab-token", gate: func(f *features) bool { return f.longToken }, kind: APIToken, keys: []string{"glpat-"},
			re: regexp.MustCompile(`\bglpat-[\w-]{20}`)},
		// Slack's bot, user, app-level, workspace, legacy and
		// configuration (xoxe.xoxp-…) tokens.
		{name: "slack-token", gate: func(f *features) bool { return f.longToken }, kind: APIToken, keys: []string{"xox", "XOX"},
			re: regexp.MustCompile(`(?i)\bxox[abposre](?:\.xox[bp])?-[A-Za-z0-9-]{6,}`)},
		// Tokens whose prefix says whose they are (see providerTokens).
		{name: "provider-token", gate: func(f *features) bool { return f.longToken }, near: atIndexKeys, kind: APIToken, keys: providerKeys(), index: providerIndex,
			re: regexp.MustCompile(providerExpr()), valid: notInsideBase64},
		{name: "twilio-api-key", gate: func(f *features) bool { return f.longToken }, kind: APIToken, keys: []string{"SK"},
			re: regexp.MustCompile(`\bSK[0-9a-fA-F]{32}\b`)},
		// A webhook's URL is its credential: Slack's, Microsoft Teams',
		// Discord's; the host is kept, and the path becomes a generic
		// secret's pseudonym, whose colon no webhook rule reads.
		{name: "webhook-url", gate: func(f *features) bool { return f.longToken }, kind: GenericSecret, keys: []string{"hooks.slack.com/", ".webhook.office.com/", "/api/webhooks/"},
			re:    regexp.MustCompile(`(?:\bhooks\.slack\.com/(?:services|workflows|triggers)/|\.webhook\.office\.com/webhookb2/|\bdiscord(?:app)?\.com/api/webhooks/)([A-Za-z0-9@+/_-]{20,})`),
			group: 1},
		// An Azure storage account key, or an Event Hubs or Service Bus
		// shared access key, in a connection string
		// ("…;AccountName=acme;AccountKey=…;EndpointSuffix=…"), and the
		// signature of a shared access signature ("…&sig=…").
		{name: "azure-key", gate: func(f *features) bool { return f.longToken }, near: atKeywords, before: 2, after: 140, kind: GenericSecret, ikeys: []string{"accountkey", "sharedaccesskey", "sig="},
			re:    regexp.MustCompile(`(?i)(?:\b(?:AccountKey|SharedAccessKey)\s*=\s*|[?&;]sig=)([A-Za-z0-9+/%]{20,}(?:={0,2}|(?:%3D){0,2}))`),
			group: 1},
		{name: "stripe-key", gate: func(f *features) bool { return f.longToken }, kind: APIToken, keys: []string{"sk_", "rk_"},
			re: regexp.MustCompile(`\b(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}\b`)},
		{name: "gcp-api-key", gate: func(f *features) bool { return f.longToken }, kind: APIToken, keys: []string{"AIza"},
			re: regexp.MustCompile(`\bAIza[\w-]{35}\b`)},
		{name: "generic-secret", gate: func(f *features) bool { return f.longToken }, near: atKeywords, before: 40, after: 190, kind: GenericSecret, ikeys: []string{"key", "token", "secret", "password", "passwd", "pwd", "credential", "auth"},
			// The name, then "=", ":" or a space (a command's
			// "--password …"), then the value.
			re:    regexp.MustCompile(`(?i)\b[a-z0-9_.-]{0,20}?(?:(?:api|access|auth|client|private|secret)[_.-]?(?:key|token|secret)|secret|token|password|passwd|pwd|credentials?)(?:(?:\\?["'])?\s*(?:[:=]|=>|:=)\s*(?:\\?["'])?|[ \t]+)([A-Za-z0-9_\-+/=.~!@#$%^&*]{10,150})`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool { return entropy(v) >= 3.5 && hasDigit(v) }},

		{name: "aws-secret-access-key-bare", gate: func(f *features) bool { return f.longToken }, kind: AWSSecretAccessKey, keys: []string{"AKIA", "ASIA"},
			// A bare 40-character key counts only next to a key id.
			re:    regexp.MustCompile(`(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool { return entropy(v) >= 4.25 && mixed(v) }},
		{name: "email", gate: func(f *features) bool { return f.at }, near: atEmailSigns, kind: Email, keys: []string{"@"},
			// Letters of the Latin, Greek and Cyrillic scripts, as
			// internationalized addresses write them
			// ("jürgen.müller@müller-bau.de"); not those of scripts
			// written without spaces, which would take the words
			// before an address in.
			re: regexp.MustCompile(`[` + emailLetters + `0-9._%+-]{1,64}@[` + emailLetters + `0-9-]{1,63}(?:\.[` + emailLetters + `0-9-]{1,63})*\.[` + emailLetters + `]{2,24}`),
			valid: func(v, text string, start, _ int) bool {
				if strings.HasSuffix(text[:start], "//") || strings.HasPrefix(v, "REDACTED") {
					return false // URL credentials are another rule's; a pseudonym
				}
				if escapeLetter(text, start) {
					return false // "\njo@…": the view finds the address after the escape
				}
				d := strings.ToLower(v[strings.LastIndexByte(v, '@')+1:])
				return !exampleDomain(d)
			}},
		// An address percent-encoded in a URL ("?user=jo%40acme.io"), where
		// the "@" is "%40": the local part may hold other escapes.
		{name: "email-url-encoded", kind: Email, keys: []string{"%40"},
			re: regexp.MustCompile(`[` + emailLetters + `0-9._%+-]{1,64}%40[` + emailLetters + `0-9-]{1,63}(?:\.[` + emailLetters + `0-9-]{1,63})*\.[` + emailLetters + `]{2,24}`),
			valid: func(v, text string, start, _ int) bool {
				if escapeLetter(text, start) {
					return false // as for the e-mail rule
				}
				d := strings.ToLower(v[strings.LastIndex(v, "%40")+3:])
				return !exampleDomain(d)
			}},
		{name: "aws-account-id-arn", gate: func(f *features) bool { return f.spanDigits >= 12 }, kind: AWSAccountID, keys: []string{"arn:"},
			re: regexp.MustCompile(`\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):`), group: 1,
			valid: func(v, _ string, _, _ int) bool { return !exampleAccount(v) }},
		// AWS delivers logs to S3 under AWSLogs/<account>/ (after the
		// organization id for an organization's trail): Bedrock's
		// inputBodyS3Path, CloudTrail, load balancer logs.
		{name: "aws-account-id-logs-path", gate: func(f *features) bool { return f.spanDigits >= 12 }, kind: AWSAccountID, keys: []string{"AWSLogs/"},
			re: regexp.MustCompile(`\bAWSLogs/(?:o-[a-z0-9]{10,32}/)?(\d{12})\b`), group: 1,
			valid: func(v, _ string, _, _ int) bool { return !exampleAccount(v) }},
		// Buckets are named after the account by convention (SageMaker's
		// sagemaker-<region>-<account>, CDK's cdk-...-assets-<account>-<region>,
		// CloudTrail's aws-cloudtrail-logs-<account>-...): a run of 12
		// digits between dots or hyphens of an S3 bucket name.
		{name: "aws-account-id-bucket", gate: func(f *features) bool { return f.spanDigits >= 12 }, kind: AWSAccountID, keys: []string{"s3://", ":s3:::"},
			re: regexp.MustCompile(`(?:s3://|:s3:::)(?:[a-z0-9.-]*[.-])?(\d{12})\b`), group: 1,
			valid: func(v, _ string, _, _ int) bool { return !exampleAccount(v) }},
		{name: "aws-account-id", gate: func(f *features) bool { return f.spanDigits >= 12 }, near: atKeywords, before: 2, after: 40, kind: AWSAccountID, ikeys: []string{"account"},
			re: regexp.MustCompile(`(?i)account[ _-]?(?:id|number|no\.?)?(?:\\?["'])?\s*[:=#]?\s*(?:\\?["'])?(\d{4}-?\d{4}-?\d{4})\b`), group: 1,
			valid: func(v, _ string, _, _ int) bool { return !exampleAccount(strings.ReplaceAll(v, "-", "")) }},
		{name: "card-number", gate: func(f *features) bool { return f.spanDigits >= 13 }, near: atDigitRuns, before: 2, after: 40, kind: CardNumber, need: digitCount(13),
			re:    regexp.MustCompile(`\b[2-6]\d{3}(?:[ -]?\d){9,15}\b`),
			valid: func(v, text string, start, end int) bool { return luhn(v) && !inUUID(text, start, end) }},
		{name: "iban", gate: func(f *features) bool { return f.ibanStart }, near: atDigitRuns, before: 4, after: 48, kind: IBAN, need: digitRun(2),
			re:    regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`),
			valid: func(v, _ string, _, _ int) bool { return ibanValid(v) }},
		// An IBAN in lower case, or mixed ("de89 3704 0044 0532 0130
		// 00"), as people type it, after a word that says it is one:
		// checked by mod 97 as the upper-case form is. Alone, lower-case
		// words and digits are left.
		{name: "iban-named", gate: func(f *features) bool { return f.digitRun >= 2 && f.digits >= 8 }, near: atKeywords, before: 2, after: 64, kind: IBAN, ikeys: []string{"iban"},
			re:    regexp.MustCompile(`(?i)(?:^|[^a-z])iban(?:[ _-]?(?:no\.?|nr\.?|number|#))?[^0-9a-z]{0,12}(?:(?:is|was|ist|est|es)[^0-9a-z]{1,6})?([a-z]{2}\d{2}(?: ?[a-z0-9]){11,30})\b`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool { return ibanValid(strings.ToUpper(v)) }},
		{name: "us-ssn", gate: func(f *features) bool { return f.spanDigits >= 9 }, near: atDigitRuns, before: 2, after: 16, kind: USSSN, need: digitRun(4),
			re:    regexp.MustCompile(`\b(\d{3})-(\d{2})-(\d{4})\b`),
			valid: func(v, _ string, _, _ int) bool { return ssnValid(v) }},
		// An SSN written with spaces, after a word that says it is one.
		{name: "us-ssn-named", gate: func(f *features) bool { return f.spanDigits >= 9 }, near: atKeywords, before: 2, after: 48, kind: USSSN, ikeys: []string{"ssn", "social security", "ss#"},
			re:    regexp.MustCompile(`(?i)\b(?:ssn|social security(?: number| no\.?| #)?|ss#)[^0-9A-Za-z]{0,6}(\d{3} \d{2} \d{4})\b`),
			group: 1,
			valid: func(v, text string, _, end int) bool { return ssnValid(v) && !moreDigits(text, end) }},
		{name: "phone", gate: func(f *features) bool { return f.spanDigits >= 8 }, near: atDigitRuns, before: 8, after: 32, kind: Phone, need: digitRun(3),
			re:    regexp.MustCompile(`\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}\b|(?:\(\d{3}\) ?|\b\d{3}[-.])\d{3}[-.]\d{4}\b|\b0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}\b`),
			valid: phoneValid},
		// National forms: French, in pairs after a 0
		// ("06 12 34 56 78", "01.42.68.53.00"); North American with
		// spaces, area code and exchange starting 2 to 9
		// ("555 867 5309"). Not one of a longer run of groups.
		{name: "phone-national", gate: func(f *features) bool { return f.spanDigits >= 10 }, near: atDigitRuns, before: 8, after: 32, kind: Phone, need: digitRun(2),
			re: regexp.MustCompile(`\b0[1-9](?:[ .]\d{2}){4}\b|\b[2-9]\d{2} [2-9]\d{2} \d{4}\b`),
			valid: func(v, text string, start, end int) bool {
				if start > 0 {
					if c := text[start-1]; isDigit(c) || c == '.' || c == '-' || c == '/' || c == ':' || c == ',' {
						return false
					}
				}
				return !moreDigits(text, end) && (end >= len(text) || text[end] != '-' && text[end] != '/' && text[end] != ':')
			}},
		// Ten to fourteen bare digits after a word that says they are a
		// phone number ("phone: 4155550123", "Mobile 07700900123").
		{name: "phone-named", gate: func(f *features) bool { return f.digitRun >= 10 }, near: atKeywords, before: 2, after: 48, kind: Phone, ikeys: []string{"phone", "tel", "mobile", "cell", "fax", "whatsapp", "sms"},
			re:    regexp.MustCompile(`(?i)\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|whatsapp|sms)(?:[ _-]?(?:no\.?|number|num|#))?(?:\\?["'])?\s*[:=#]?\s*(?:\\?["'])?(\+?\d{10,14})\b`),
			group: 1,
			valid: phoneValid},
		{name: "ipv4", gate: func(f *features) bool { return f.spanDigits >= 4 }, near: atDigitRuns, before: 2, after: 20, kind: IPAddress, need: digitRun(1),
			re: regexp.MustCompile(`\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b`),
			valid: func(v, text string, start, end int) bool {
				// Not part of a longer dotted version string.
				if versionBefore(text[:start]) || start > 0 && (text[start-1] == '.' || isDigit(text[start-1])) || end < len(text) && end+1 < len(text) && text[end] == '.' && isDigit(text[end+1]) {
					return false
				}
				a, err := netip.ParseAddr(v)
				return err == nil && !a.IsLoopback() && !a.IsUnspecified() && !a.IsPrivate() && !a.IsLinkLocalUnicast() && !docAddr(a)
			}},
		// A password in a URL's user information, whatever its host
		// ("postgres://app:…@10.20.30.40:5432", "redis://default:…@cache"):
		// the bytes RFC 3986 allows there, up to the "@".
		{name: "url-password", kind: GenericSecret, gate: func(f *features) bool { return f.colon }, keys: []string{"://"},
			re:    regexp.MustCompile(`://[^\s:/?#@'"\\<>\[\]{}|]{0,128}:([^\s/?#@'"\\<>\[\]|]{1,256})@`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool { return credentialValue(v) }},
		// curl's -u user:password (and --user, --proxy-user, -U), as a
		// command line in a tool call shows it; not a user and a group
		// id (docker's -u 1000:1000).
		{name: "user-option", kind: GenericSecret, gate: func(f *features) bool { return f.colon }, near: atKeywords, before: 2, after: 400, ikeys: []string{"-u"},
			re:    regexp.MustCompile(`(?:^|[\s'"])(?:-u|-U|--user|--proxy-user)(?:\s+|=)(?:\\?["'])?([^\s:'"\\]{1,128}):([^\s'"\\]{1,256})`),
			group: 2,
			valid: func(v, text string, start, _ int) bool {
				user := text[:start-1]
				user = user[strings.LastIndexAny(user, " \t\n\r'\"=\\")+1:]
				if allDigits(v) && allDigits(user) {
					return false
				}
				return credentialValue(v)
			}},
		// An Authorization or Proxy-Authorization header of any scheme
		// (Basic, Bearer, Token, ApiKey, …; the scheme is kept), and the
		// response of a Digest one.
		{name: "authorization-header", kind: GenericSecret, gate: func(f *features) bool { return f.colon }, near: atKeywords, before: 8, after: 120, ikeys: []string{"authorization"},
			re:    regexp.MustCompile(`(?i)\bauthorization(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?(?:(?:basic|bearer|token|apikey|key|negotiate|ntlm|hawk|oauth|sso-key|dpop|mac|sharedkey|aws4-hmac-sha256)\s+)?([A-Za-z0-9._~+/=-]{4,})`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool {
				if slices.Contains(authSchemes, asciiLower(v)) {
					return false // a scheme, then no credential ("Bearer <token>")
				}
				return credentialValue(v)
			}},
		// A Cookie or Set-Cookie header line (a raw request or a curl -v
		// trace a tool printed, a header in a JSON text): its cookies
		// are sessions. The value, a name=value pair or more, is taken
		// whole to the line's or the string's end (the header's name
		// kept), so a long header leaves no tail.
		// A quoted cookie value (a="b c"), escaped or not, and a
		// backslash in one are taken too (see cookieValueEnd).
		{name: "cookie-header", kind: GenericSecret, gate: func(f *features) bool { return f.colon }, near: atKeywords, before: 8, after: 64, openEnded: true, ikeys: []string{"cookie"},
			re:     regexp.MustCompile(`(?i)\b(?:set-)?cookie(?:\\*["'])?[ \t]*:[ \t]*(?:\\*["'])?([^\r\n"'\\]*=[^\r\n"'\\]*)`),
			group:  1,
			valid:  func(v, _ string, _, _ int) bool { return credentialValue(v) },
			extend: cookieValueEnd},
		// The values of a HAR cookie list ("cookies": [{"name": "sid",
		// "value": "…"}]) in a JSON text held in a string, escaped or
		// not, as a body's own are (see pairScan.underFor); the windows
		// run from the list's name to its end.
		{name: "json-cookie-list", kind: GenericSecret, gate: func(f *features) bool { return f.member }, near: atCookieLists, ikeys: []string{"cookies"},
			re:    regexp.MustCompile(`\\*"(?i:value)\\*"[ \t]*:[ \t]*\\*"((?:[^"\\]|\\+[^"\\])+)\\*"`),
			group: 1,
			valid: func(v, _ string, _, _ int) bool { return credentialValue(v) }},
		{name: "digest-response", kind: GenericSecret, gate: func(f *features) bool { return f.colon }, near: atKeywords, before: 2, after: 400, ikeys: []string{"digest"},
			re:    regexp.MustCompile(`(?i)\bdigest\s[^\r\n]{0,300}?\bresponse=\\?"?([0-9a-f]{32,128})`),
			group: 1},
		// A JSON text held in a string (a tool call's arguments, a
		// tool result) holds member names and values as text: a
		// string under a credential's name, and the value of a
		// name/value pair whose name is a credential's (before or
		// after it), are redacted as the body's own members are (see
		// credentialName and pairScan), escaped or not; so is an
		// OpenTelemetry attribute's stringValue under a credential's
		// key (see otelNameBefore); an authentication scheme before the
		// value is kept. Values of any length: a window ends where the
		// string it ends in does (see quoteEnd), so no tail of a long
		// key or token is left. The windows are made only around quoted
		// strings that are a credential's name, wide enough for a pair.
		{name: "json-credential", kind: GenericSecret, gate: func(f *features) bool { return f.member }, near: atCredentialNames, before: 400, after: 400, ikeys: credentialWords,
			re:    regexp.MustCompile(`\\*"[A-Za-z0-9_.\-/]{3,64}\\*"[ \t]*:[ \t]*\\*"` + authScheme + `((?:[^"\\]|\\+[^"\\])+)\\*"`),
			group: 1,
			valid: func(v, text string, start, end int) bool {
				if !credentialValue(v) {
					return false
				}
				name := jsonNameBefore(text, start)
				if credentialName(name) {
					return true
				}
				if name == "stringValue" || name == "string_value" {
					// An OpenTelemetry attribute's AnyValue, its key
					// before or after it.
					if m := otelNameBefore.FindStringSubmatch(text[max(0, start-600):schemeStart(text, start)]); m != nil && credentialName(m[1]) {
						return true
					}
					m := otelNameAfter.FindStringSubmatch(text[end:min(len(text), end+600)])
					return m != nil && credentialName(m[1])
				}
				if pairMember(name) != pairValue {
					return false
				}
				if m := pairNameBefore.FindStringSubmatch(text[max(0, start-160):schemeStart(text, start)]); m != nil && credentialName(m[1]) {
					return true
				}
				m := pairNameAfter.FindStringSubmatch(text[end:min(len(text), end+160)])
				return m != nil && credentialName(m[1])
			}},
		{name: "ipv6", gate: func(f *features) bool { return f.hexColon }, near: atHexColons, before: 40, after: 40, kind: IPAddress, keys: []string{":"},
			re: regexp.MustCompile(`(?i)(?:^|[^0-9a-f:])((?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4}){0,6})`), group: 1,
			valid: func(v, _ string, _, _ int) bool {
				a, err := netip.ParseAddr(v)
				return err == nil && a.Is6() && strings.Count(v, ":") >= 3 && !a.IsLoopback() && !a.IsUnspecified() && !docAddr(a)
			}},
	}
}

// providerTokens are the credential formats whose literal prefix names
// their provider, after gitleaks v8.30.1's default rules (MIT) for the
// same formats, and the AI providers' keys an LLM application's tool
// calls and logs carry: the prefix, then what follows it. A body
// bounded below only takes the whole token, so no tail of a longer one
// is left.
var providerTokens = [][2]string{
	// AI and ML providers.
	{"hf_", `[A-Za-z0-9]{30,}`}, {"api_org_", `[A-Za-z]{30,}`},
	{"pplx-", `[A-Za-z0-9]{40,}`}, {"gsk_", `[A-Za-z0-9]{40,}`}, {"r8_", `[A-Za-z0-9]{30,}`},
	{"xai-", `[A-Za-z0-9]{60,}`}, {"lsv2_", `(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}`},
	{"pcsk_", `[A-Za-z0-9_]{40,}`}, {"tvly-", `[A-Za-z0-9-]{28,}`},
	{"sk-or-v1-", `[a-f0-9]{64}`},
	// Email, messaging and payments.
	{"SG.", `[\w=.-]{40,}`},
	{"xkeysib-", `[a-f0-9]{64}-[A-Za-z0-9]{16}`},
	{"xapp-", `\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+`},
	{"whsec_", `[A-Za-z0-9+/=]{24,}`},
	{"shippo_live_", `[a-fA-F0-9]{40}`}, {"shippo_test_", `[a-fA-F0-9]{40}`},
	{"duffel_test_", `[\w=-]{40,}`}, {"duffel_live_", `[\w=-]{40,}`},
	{"EZAK", `[A-Za-z0-9]{54}`}, {"EZTK", `[A-Za-z0-9]{54}`},
	{"FLWSECK", `(?:_TEST)?-[A-Za-z0-9]{12,32}(?:-X)?`}, {"FLWPUBK", `(?:_TEST)?-[A-Za-z0-9]{12,32}(?:-X)?`},
	{"sq0atp-", `[\w-]{22,}`}, {"sq0csp-", `[\w-]{40,}`},
	{"EAAA", `[\w-]{22,}`}, {"EAAC", `[A-Za-z0-9]{100,}`}, {"EAAM", `[A-Za-z0-9]{100,}`},
	// Code hosting, packages and CI.
	{"shpat_", `[a-fA-F0-9]{32}`}, {"shpca_", `[a-fA-F0-9]{32}`}, {"shppa_", `[a-fA-F0-9]{32}`}, {"shpss_", `[a-fA-F0-9]{32}`},
	{"_gitlab_session=", `[0-9a-z]{32}`}, {"API-", `(?-i:[A-Z0-9]{26})\b`},
	{"npm_", `[A-Za-z0-9]{36}`}, {"pypi-AgEIcHlwaS5vcmc", `[\w-]{50,}`},
	{"rubygems_", `[a-f0-9]{48}`}, {"CLOJARS_", `[A-Za-z0-9]{60}`},
	{"glcbt-", `[\w.-]{20,}`}, {"gldt-", `[\w.-]{20,}`}, {"glffct-", `[\w.-]{20,}`}, {"glft-", `[\w.-]{20,}`},
	{"glimt-", `[\w.-]{25,}`}, {"glagent-", `[\w.-]{50,}`}, {"gloas-", `[\w.-]{64,}`}, {"glptt-", `[\w.-]{40,}`},
	{"glrt-", `[\w.-]{20,}`}, {"glsoat-", `[\w.-]{20,}`}, {"GR1348941", `[\w-]{20,}`},
	{"sgp_", `(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}`},
	{"AKCp", `[A-Za-z0-9]{69}`}, {"cmVmd", `[A-Za-z0-9]{59}`},
	{"rdme_", `[a-z0-9]{70}`}, {"pnu_", `[A-Za-z0-9]{36}`}, {"pul-", `[a-f0-9]{40}`},
	{"tk-us-", `[\w-]{48}`}, {"ico-", `[A-Za-z0-9]{32}`}, {"fio-u-", `[\w=-]{64}`},
	// Cloud, hosting and infrastructure.
	{"dop_v1_", `[a-f0-9]{64}`}, {"doo_v1_", `[a-f0-9]{64}`}, {"dor_v1_", `[a-f0-9]{64}`},
	{"dapi", `[a-f0-9]{32}(?:-\d)?`}, {"LTAI", `[A-Za-z0-9]{20}`}, {"4b1d", `[A-Za-z0-9]{38}`},
	{"v1.0-", `[a-f0-9]{24}-[a-f0-9]{146}`}, {"dp.pt.", `[A-Za-z0-9]{43}`},
	{"dt0c01.", `[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}`},
	{"HRKU-AA", `[\w-]{58}`}, {"fo1_", `[\w-]{43}`}, {"fm1a_", `[A-Za-z0-9+/]{100,}={0,3}`}, {"fm1r_", `[A-Za-z0-9+/]{100,}={0,3}`}, {"fm2_", `[A-Za-z0-9+/]{100,}={0,3}`},
	{"hvs.", `[\w-]{90,}`}, {"hvb.", `[\w-]{138,}`},
	{"pscale_tkn_", `[\w=.-]{32,}`}, {"pscale_oauth_", `[\w=.-]{32,}`}, {"pscale_pw_", `[\w=.-]{32,}`},
	{"sbp_", `[a-f0-9]{40}`}, {"GOCSPX-", `[\w-]{28}`},
	{"sha256~", `[\w-]{43}`}, {"dnkey-", `[\w=-]{26}-[\w=-]{52}`},
	{"AGE-SECRET-KEY-1", `[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`},
	{"ZXlK", `[A-Za-z0-9/_+-]{40,}={0,2}`}, // a JWT, base64-encoded
	{"ops_eyJ", `[A-Za-z0-9+/]{250,}={0,3}`},
	{"A3-", `[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}`},
	// Observability, productivity and the rest.
	{"glc_", `[A-Za-z0-9+/]{32,}={0,3}`}, {"glsa_", `[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`}, {"eyJrIjoi", `[A-Za-z0-9]{70,}={0,3}`},
	{"sntrys_eyJ", `[\w+/=-]{40,}`}, {"sntryu_", `[a-f0-9]{64}`},
	{"NRAK-", `[A-Za-z0-9]{27}`}, {"NRII-", `[\w-]{32}`}, {"NRJS-", `[a-f0-9]{19}`},
	{"lin_api_", `[A-Za-z0-9]{40}`}, {"ntn_", `[0-9]{11}[A-Za-z0-9]{35}`}, {"PMAK-", `[a-fA-F0-9]{24}-[a-fA-F0-9]{34}`},
	{"ATATT3", `[\w=-]{180,}`}, {"p8e-", `[A-Za-z0-9-]{32}`}, {"tfp_", `[\w.=-]{59}`},
	{"pk.eyJ", `[\w-]{20,}\.[\w-]{20,}`}, {"sk.eyJ", `[\w-]{20,}\.[\w-]{20,}`},
	{"sm_aat_", `[A-Za-z0-9]{16}`}, {"sm_pat_", `[A-Za-z0-9]{16}`}, {"sm_sat_", `[A-Za-z0-9]{16}`},
	{"s-s4t2ud-", `[a-f0-9]{64}`}, {"s-s4t2af-", `[a-f0-9]{64}`},
}

// notInsideBase64 refuses a provider token whose prefix is made of
// base64's letters ("cmVmd", "EAAA", "AKCp") where the match sits inside a
// longer run of base64: a letter, digit, '+' or '/' right before or after
// it. A document's bytes, written as base64, hold such prefixes by chance
// or by encoding ("cmVmdW5k" is "refund"), and the rule would cut a
// token-length piece out of them; gitleaks' own rules for these formats
// end on a word boundary or a delimiter for the same reason. A prefix
// with punctuation ("hf_", "SG.") is no base64 and keeps every match.
func notInsideBase64(v, text string, start, end int) bool {
	lower := strings.ToLower(v)
	for _, k := range base64Keys {
		if strings.HasPrefix(lower, k) {
			return notInBase64Run(text, start, end)
		}
	}
	return true
}

// base64Keys are the prefixes of providerTokens made only of base64's
// letters and digits, lower case.
var base64Keys = func() []string {
	var out []string
	for _, k := range providerKeys() {
		if !strings.ContainsAny(k, "_-.~=") {
			out = append(out, strings.ToLower(k))
		}
	}
	return out
}()

// notInBase64Run reports whether text[start:end] has no base64 letter,
// digit, '+' or '/' right before or after it.
func notInBase64Run(text string, start, end int) bool {
	b64 := func(c byte) bool {
		return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/'
	}
	return !(start > 0 && b64(text[start-1]) || end < len(text) && b64(text[end]))
}

// providerIndex finds the prefixes of providerTokens.
var providerIndex = newKeyIndex(providerKeys())

// providerKeys returns the prefixes of providerTokens, which the
// provider-token rule is keyed on.
func providerKeys() []string {
	var keys []string
	for _, t := range providerTokens {
		if !slices.Contains(keys, t[0]) {
			keys = append(keys, t[0])
		}
	}
	return keys
}

// providerExpr returns the expression of the provider-token rule: each
// of providerTokens, on a word boundary (a token never starts inside a
// word), longest prefix first; a token whose prefix ends in punctuation
// ("npm_", "dor_v1_") in any case, as gitleaks reads most of them (the
// rule's keys are found in any case, see keyIndex), the others ("EAAA",
// "SK") only as written, since a word or a UUID may hold them in
// another case.
func providerExpr() string {
	toks := slices.Clone(providerTokens)
	sort.SliceStable(toks, func(i, j int) bool { return len(toks[i][0]) > len(toks[j][0]) })
	alts := make([]string, len(toks))
	for i, t := range toks {
		alts[i] = regexp.QuoteMeta(t[0]) + `(?:` + t[1] + `)`
		if strings.ContainsAny(t[0], "_-.~=") {
			alts[i] = `(?i:` + alts[i] + `)`
		}
	}
	return `\b(?:` + strings.Join(alts, "|") + `)`
}

// credentialWords are the words a credential's name holds one of (see
// credentialName), lower case.
var credentialWords = []string{"pass", "pwd", "secret", "key", "token", "credential", "auth", "cookie"}

// pairNameBefore reads the name of a name/value pair in a JSON text
// before its value's string.
var pairNameBefore = regexp.MustCompile(`(?i)\\*"` + pairNames + `\\*"[ \t]*:[ \t]*\\*"([^"\\]{3,64})\\*"[ \t]*,[ \t]*\\*"[A-Za-z_]{3,15}\\*"[ \t]*:[ \t]*\\*"$`)

// otelNameBefore reads the name of an OpenTelemetry attribute in a JSON
// text before its value's string: {"key": "db.password", "value":
// {"stringValue": "…"}}, or the last of the strings of an arrayValue
// ({"arrayValue": {"values": [{"stringValue": "…"}, …]}}, as the
// http.request.header.* attributes hold a header's values); escaped or
// not, spaced or pretty-printed.
var otelNameBefore = regexp.MustCompile(`\\*"key\\*"` + jsonSpace + `:` + jsonSpace + `\\*"([^"\\]{3,64})\\*"` + jsonSpace + `,` + jsonSpace +
	`\\*"value\\*"` + jsonSpace + `:` + jsonSpace + `\{` + jsonSpace +
	`(?:\\*"arrayValue\\*"` + jsonSpace + `:` + jsonSpace + `\{` + jsonSpace + `\\*"values\\*"` + jsonSpace + `:` + jsonSpace + `\[` + jsonSpace +
	`(?:\{` + jsonSpace + `\\*"string_?[Vv]alue\\*"` + jsonSpace + `:` + jsonSpace + `\\*"(?:[^"\\]|\\+[^"\\])*\\*"` + jsonSpace + `\}` + jsonSpace + `,` + jsonSpace + `)*` +
	`\{` + jsonSpace + `)?\\*"string_?[Vv]alue\\*"` + jsonSpace + `:` + jsonSpace + `\\*"$`)

// otelNameAfter reads the name of an OpenTelemetry attribute in a JSON
// text after its value's string, where the value member comes first:
// {"value": {"stringValue": "…"}, "key": "db.password"}, or an
// arrayValue's strings before the key.
var otelNameAfter = regexp.MustCompile(`^\\*"` + jsonSpace + `\}` + jsonSpace +
	`(?:,` + jsonSpace + `\{` + jsonSpace + `\\*"string_?[Vv]alue\\*"` + jsonSpace + `:` + jsonSpace + `\\*"(?:[^"\\]|\\+[^"\\])*\\*"` + jsonSpace + `\}` + jsonSpace + `)*` +
	`(?:\]` + jsonSpace + `\}` + jsonSpace + `\}` + jsonSpace + `)?,` + jsonSpace + `\\*"key\\*"` + jsonSpace + `:` + jsonSpace + `\\*"([^"\\]{3,64})\\*"`)

// jsonSpace is what may stand between two tokens of a JSON text, in a
// string or not: spaces, and escaped line breaks and tabs.
const jsonSpace = `(?:[ \t\r\n]|\\+[nrt])*`

// pairNames are the member names of a pair's name (see pairMember).
const pairNames = `(?:name|key|parameter_?key|parameter_?name|option_?name)`

// pairNameAfter reads the name of a name/value pair in a JSON text after
// its value's string.
var pairNameAfter = regexp.MustCompile(`(?i)^\\*"[ \t]*,[ \t]*\\*"` + pairNames + `\\*"[ \t]*:[ \t]*\\*"([^"\\]{3,64})\\*"`)

// authScheme is an HTTP authentication scheme and its space, which the
// JSON rules keep before a credential ("Basic …").
const authScheme = `(?:(?i:basic|bearer|digest|token|negotiate|ntlm|apikey|hawk|oauth|sso-key|dpop|sharedkey|aws4-hmac-sha256) +)?`

// schemeStart returns where the string holding the value at start
// starts: before the authentication scheme authScheme took, if any.
func schemeStart(text string, start int) int {
	if start == 0 || text[start-1] != ' ' {
		return start
	}
	i := start
	for i > 0 && text[i-1] == ' ' {
		i--
	}
	for i > 0 && (isWordByte(text[i-1]) || text[i-1] == '-') {
		i--
	}
	return i
}

// jsonNameBefore returns the member name a JSON text holds before the
// string value starting at start (after its opening quote, escaped or
// not, and an authentication scheme), or "".
func jsonNameBefore(text string, start int) string {
	i := schemeStart(text, start) - 1 // the value's opening quote
	skip := func(c byte) {
		for i >= 0 && text[i] == c {
			i--
		}
	}
	if i < 0 || text[i] != '"' {
		return ""
	}
	i--
	skip('\\')
	for i >= 0 && (text[i] == ' ' || text[i] == '\t') {
		i--
	}
	if i < 0 || text[i] != ':' {
		return ""
	}
	i--
	for i >= 0 && (text[i] == ' ' || text[i] == '\t') {
		i--
	}
	if i < 0 || text[i] != '"' {
		return ""
	}
	i--
	skip('\\')
	end := i + 1
	for i >= 0 && text[i] != '"' && text[i] != '\\' {
		i--
	}
	return text[i+1 : end]
}

// credentialString returns where the quoted string holding text[i]
// starts, if it is a credential's name: a run of name bytes (letters,
// digits, "_", ".", "-", "/") between quotes, escaped or not, that
// credentialName takes.
func credentialString(text string, i int) (int, bool) {
	a, b := i, i
	for a > 0 && a-i < 64 && nameByte(text[a-1]) {
		a--
	}
	for b < len(text) && b-a < 64 && nameByte(text[b]) {
		b++
	}
	if a == 0 || text[a-1] != '"' || b == len(text) || text[b] != '"' && text[b] != '\\' {
		return 0, false
	}
	return a, credentialName(text[a:b])
}

func nameByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == '-' || c == '/'
}

// credentialValue reports whether v, under a credential's name, is one
// (see credentialStart).
func credentialValue(v string) bool {
	_, ok := credentialStart(v)
	return ok
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// moreDigits reports whether text goes on at end with a separator and
// more digits: a longer run of groups, which a match is only part of.
func moreDigits(text string, end int) bool {
	return end+1 < len(text) && (text[end] == ' ' || text[end] == '.') && isDigit(text[end+1])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// mixed reports whether s has upper case, lower case and digits.
func mixed(s string) bool {
	var u, l, d bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		u = u || 'A' <= c && c <= 'Z'
		l = l || 'a' <= c && c <= 'z'
		d = d || isDigit(c)
	}
	return u && l && d
}

// digitRun returns a prefilter true when the text has n digits in a row.
func digitRun(n int) func(*features) bool {
	return func(f *features) bool { return f.digitRun >= n }
}

// digitCount returns a prefilter true when the text has n digits.
func digitCount(n int) func(*features) bool {
	return func(f *features) bool { return f.digits >= n }
}

// emailWindows returns the spans of text the e-mail expression can match
// in, merged where they touch, so that it need not try every position of
// a long text. The expression has no anchors or word boundaries, its local
// part is 1 to 64 of [A-Za-z0-9._%+-] right before an "@", and its domain
// only [A-Za-z0-9.-] bytes after it. So a match using the "@" at p lies in
// [p-k, e), where k (at most 64) is the run of local bytes before p and e
// ends the run of domain bytes after it; nothing can match across a
// window's edge (the byte before a window is not a local byte, or is more
// than 64 bytes from its "@"; the byte at its end is not a domain byte),
// and the search in each window finds what the search of the whole text
// finds there. An "@" with no local or domain byte next to it is no
// e-mail's.
func emailWindows(text string) [][2]int {
	var out [][2]int
	for off := 0; ; {
		j := strings.IndexByte(text[off:], '@')
		if j < 0 {
			return out
		}
		p := off + j
		off = p + 1
		start, runes := p, 0
		for start > 0 && runes < 64 && emailLocal(text[start-1]) {
			start--
			if utf8.RuneStart(text[start]) {
				runes++
			}
		}
		end := p + 1
		for end < len(text) && emailDomain(text[end]) {
			end++
		}
		if start == p || end == p+1 {
			continue
		}
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
			continue
		}
		out = append(out, [2]int{start, end})
	}
}

// emailLocal and emailDomain are the e-mail expression's local-part and
// domain byte classes.
func emailLocal(c byte) bool {
	return emailDomain(c) || c == '_' || c == '%' || c == '+'
}

func emailDomain(c byte) bool {
	return isDigit(c) || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '.' || c == '-' || c >= utf8.RuneSelf
}

// emailLetters are the letters of an address: the Latin, Greek and
// Cyrillic scripts (ASCII letters among them).
const emailLetters = `\p{Latin}\p{Greek}\p{Cyrillic}`

// digitRuns returns where text's runs of digits start.
func digitRuns(text string) []int {
	var pos []int
	for i := 0; i < len(text); i++ {
		if isDigit(text[i]) && (i == 0 || !isDigit(text[i-1])) {
			pos = append(pos, i)
		}
	}
	return pos
}

// versionBefore reports text ending in "version ", "v" or "release ".
func versionBefore(text string) bool {
	t := asciiLower(text[max(0, len(text)-10):])
	return strings.HasSuffix(t, "version ") || strings.HasSuffix(t, "v") || strings.HasSuffix(t, "release ") || strings.HasSuffix(t, "version: ")
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

func digitsOf(s string) []byte {
	var d []byte
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			d = append(d, s[i]-'0')
		}
	}
	return d
}

// inUUID reports whether text[start:end] lies inside a UUID
// (8-4-4-4-12 hex digits, not within a longer word). A random UUID's
// leading groups are all decimal digits and pass the Luhn check about
// once in 22,000 (91 of 2,000,000 version 4 UUIDs): a request id is not
// a card number.
func inUUID(text string, start, end int) bool {
	const n = 36
	for s := max(0, end-n); s <= start && s+n <= len(text); s++ {
		if isUUID(text[s:s+n]) && (s == 0 || !isWordByte(text[s-1])) && (s+n == len(text) || !isWordByte(text[s+n])) {
			return true
		}
	}
	return false
}

// isUUID reports whether u is 36 bytes of hex digits in groups of 8, 4,
// 4, 4 and 12, joined by hyphens.
func isUUID(u string) bool {
	for i := 0; i < len(u); i++ {
		switch c := u[i]; i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return len(u) == 36
}

// isWordByte reports whether c is an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// luhn checks a card number's check digit.
func luhn(s string) bool {
	d := digitsOf(s)
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	return luhnSum(d)%10 == 0
}

func luhnSum(d []byte) int {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i])
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum
}

// ibanValid checks length and the ISO 7064 mod 97-10 checksum.
func ibanValid(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	return ibanMod97(s[4:]+s[:4]) == 1
}

func ibanMod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			r = (r*100 + int(c-'A'+10)) % 97
		default:
			return -1
		}
	}
	return r
}

// ssnValid rejects never-issued areas (000, 666, 900-999), group 00 and
// serial 0000.
func ssnValid(s string) bool {
	area, group, serial := s[0:3], s[4:6], s[7:11]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// phoneValid wants 8 to 15 digits, and a leading + or a separator pattern
// that is not a date, a time or a version.
func phoneValid(v, text string, start, end int) bool {
	n := len(digitsOf(v))
	if n < 8 || n > 15 {
		return false
	}
	if start > 0 {
		if c := text[start-1]; isDigit(c) || c == '.' || c == '-' || c == '/' || c == ':' {
			return false
		}
	}
	if end < len(text) {
		if c := text[end]; c == '.' && end+1 < len(text) && isDigit(text[end+1]) || c == '-' || c == '/' || c == ':' {
			return false
		}
	}
	// Dates like 2026-11-20 12 and dotted versions are not phones.
	if strings.Count(v, ".") >= 2 && !strings.HasPrefix(v, "+") && !strings.Contains(v, "(") {
		return false
	}
	if len(v) >= 10 && isDigit(v[0]) && v[4] == '-' && (v[0] == '1' || v[0] == '2') && v[7] == '-' {
		return false
	}
	return true
}

func exampleDomain(d string) bool {
	for _, e := range []string{"example.com", "example.org", "example.net", "example.invalid"} {
		if d == e || strings.HasSuffix(d, "."+e) {
			return true
		}
	}
	return strings.HasSuffix(d, ".invalid") || strings.HasSuffix(d, ".test") || strings.HasSuffix(d, ".example")
}

// exampleAccount reports the documentation and placeholder account ids.
func exampleAccount(v string) bool {
	switch v {
	case "000000000000", "111122223333", "123456789012", "444455556666":
		return true
	}
	return false
}

var docPrefixes = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// docAddr reports addresses reserved for documentation (RFC 5737, 3849):
// never a real host, and where pseudonyms are drawn from.
func docAddr(a netip.Addr) bool {
	for _, p := range docPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
