// Package redact finds secrets and personal data in text and replaces them
// with deterministic pseudonyms, so that production histories can become
// fixtures without a credential or a personal datum reaching the disk.
//
// A [Scanner] reports [Finding]s: byte ranges of text with their [Kind]
// and the rule that matched. A [Redactor] rewrites them with type-tagged,
// format-preserving pseudonyms derived from HMAC-SHA256(salt, kind, value):
// the same value maps to the same pseudonym everywhere in a run, so the
// turns of one conversation stay coherent and prefix hashes computed after
// redaction still link them. The salt is the caller's and never written.
//
//	s, _ := redact.NewScanner(redact.Options{})
//	r := redact.NewRedactor(s, salt)
//	clean, counts := r.Text(body)
//
// The rule set is a focused one (see rules.go): credential formats with a
// literal prefix or a key name, and personal data validated by checksum
// (Luhn for cards, ISO 7064 mod 97 for IBANs) or by structure (IP
// addresses, SSN areas). Every rule is guarded by a cheap prefilter, so
// text without any trigger costs one pass over its bytes.
package redact

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// Kind is the type of a sensitive value.
type Kind string

// The kinds the scanner reports.
const (
	AWSAccessKeyID     Kind = "aws-access-key-id"
	AWSSecretAccessKey Kind = "aws-secret-access-key"
	AWSSessionToken    Kind = "aws-session-token"
	BedrockAPIKey      Kind = "bedrock-api-key"
	OpenAIAPIKey       Kind = "openai-api-key"
	AnthropicAPIKey    Kind = "anthropic-api-key"
	BearerToken        Kind = "bearer-token"
	JWT                Kind = "jwt"
	PrivateKey         Kind = "private-key"
	// APIToken is another provider's token: GitHub, GitLab, Slack, Stripe,
	// Google API keys.
	APIToken Kind = "api-token"
	// GenericSecret is a value assigned to a name like password, secret,
	// token or api_key.
	GenericSecret Kind = "generic-secret"

	Email        Kind = "email"
	Phone        Kind = "phone"
	CardNumber   Kind = "card-number"
	IBAN         Kind = "iban"
	IPAddress    Kind = "ip-address"
	AWSAccountID Kind = "aws-account-id"
	USSSN        Kind = "us-ssn"
	// Custom is a match of one of the user's patterns or terms.
	Custom Kind = "custom"
)

// Kinds lists every kind, credentials first.
var Kinds = []Kind{
	AWSAccessKeyID, AWSSecretAccessKey, AWSSessionToken, BedrockAPIKey, OpenAIAPIKey, AnthropicAPIKey,
	BearerToken, JWT, PrivateKey, APIToken, GenericSecret,
	Email, Phone, CardNumber, IBAN, IPAddress, AWSAccountID, USSSN, Custom,
}

// The kinds of media a body redaction replaces with placeholders.
const (
	MediaImage    Kind = "image"
	MediaDocument Kind = "document"
	MediaAudio    Kind = "audio"
	MediaVideo    Kind = "video"
)

// IsSecret reports whether k is a credential rather than a personal datum
// or media.
func (k Kind) IsSecret() bool {
	switch k {
	case AWSAccessKeyID, AWSSecretAccessKey, AWSSessionToken, BedrockAPIKey, OpenAIAPIKey, AnthropicAPIKey,
		BearerToken, JWT, PrivateKey, APIToken, GenericSecret:
		return true
	}
	return false
}

// IsMedia reports whether k counts replaced media rather than text.
func (k Kind) IsMedia() bool {
	return k == MediaImage || k == MediaDocument || k == MediaAudio || k == MediaVideo
}

// Finding is one sensitive value in a text.
type Finding struct {
	Kind Kind
	// Rule names the rule that matched, e.g. "aws-access-key-id" or
	// "custom:0" for the first user pattern.
	Rule string
	// Start and End are byte offsets: text[Start:End] is the value.
	Start, End int
	// Secret is true for credentials, false for personal data.
	Secret bool
	// Value is the value as it reads once decoded, where the text writes
	// it in another form (escaped, percent-encoded, with invisible
	// characters or fullwidth letters inside); empty where the value is
	// text[Start:End] itself.
	Value string
}

// ValueIn returns the value of a finding in text, decoded where the text
// writes it in another form: what a pseudonym is made from.
func (f Finding) ValueIn(text string) string {
	if f.Value != "" {
		return f.Value
	}
	return text[f.Start:f.End]
}

// Options configure a [Scanner].
type Options struct {
	// Patterns are the user's regular expressions (RE2 syntax); a match,
	// or its first capture group if it has one, is reported as [Custom].
	Patterns []string
	// Terms are literal words or phrases (names, project code names),
	// matched case-insensitively on word boundaries, reported as [Custom];
	// the words of a phrase match with any run of spaces, or none, between
	// them (see termSpace).
	Terms []string
	// Allow are literal values never reported (test fixtures' own example
	// keys, a company's public support address).
	Allow []string
	// NoPersonal turns the personal-data rules off, keeping credentials
	// and the user's patterns.
	NoPersonal bool
}

// MaxTermsFile bounds a terms or patterns file.
const MaxTermsFile = 4 << 20

// LoadTerms reads a terms file (or a patterns file, which has the same
// shape): one entry a line; blank lines and lines starting with # are
// ignored. A file over MaxTermsFile is refused.
func LoadTerms(path string) ([]string, error) {
	return LoadTermsContext(context.Background(), path)
}

// LoadTermsContext is LoadTerms that gives up when ctx ends, the read of
// a named pipe nothing writes to included (a *bounded.InterruptedError
// wrapping ctx's error).
func LoadTermsContext(ctx context.Context, path string) ([]string, error) {
	data, err := bounded.ReadFileContext(ctx, path, MaxTermsFile, "not a terms file")
	if err != nil {
		return nil, err
	}
	var terms []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		terms = append(terms, line)
	}
	return terms, nil
}

// Scanner finds sensitive values in text. It is safe for concurrent use.
type Scanner struct {
	rules []*rule
	allow map[string]bool
	// minText is the shortest text any rule can match in: shorter texts
	// are not looked at.
	minText int
	// builtinOnly: no pattern or term of the user's, so a text that is
	// a canonical identifier (see plainID) holds nothing to find.
	builtinOnly bool
	// minNumber is the shortest JSON number a body redaction looks at:
	// 9 bytes for the built-in rules (account ids, cards, phone numbers
	// and the like are longer), less where the user's patterns or terms
	// can match a shorter one.
	minNumber int
}

// NewScanner compiles the built-in rules and the user's patterns and terms.
func NewScanner(opts Options) (*Scanner, error) {
	s := &Scanner{allow: map[string]bool{}}
	for _, r := range builtinRules() {
		if opts.NoPersonal && !r.kind.IsSecret() {
			continue
		}
		s.rules = append(s.rules, r)
	}
	for i, p := range opts.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("redaction pattern %d %q: %v (patterns use Go RE2 syntax)", i+1, p, err)
		}
		group := 0
		if re.NumSubexp() > 0 {
			group = 1
		}
		s.rules = append(s.rules, &rule{name: fmt.Sprintf("custom:%d", i), kind: Custom, re: re, group: group})
	}
	terms, keys := termsRule(opts.Terms)
	if len(terms) > 0 {
		// Longest first, so "Ann Lee" wins over "Ann".
		sort.SliceStable(terms, func(i, j int) bool { return terms[i].len > terms[j].len })
		alts := make([]string, len(terms))
		for i, t := range terms {
			alts[i] = t.expr
		}
		re, err := regexp.Compile(`(?i)(?:^|\b|[^\pL\pN]|` + escapedSpace + `)(` + strings.Join(alts, "|") + `)(?:$|\b|[^\pL\pN])`)
		if err != nil {
			return nil, fmt.Errorf("redaction terms: %v", err)
		}
		s.rules = append(s.rules, &rule{name: termsRuleName, kind: Custom, re: re, group: 1, ikeys: keys})
	}
	for _, a := range opts.Allow {
		s.allow[a] = true
	}
	s.builtinOnly = len(opts.Patterns) == 0 && len(terms) == 0
	s.minText, s.minNumber = -1, 9
	for _, r := range s.rules {
		r.minLen = minMatchLen(r.re)
		m := max(r.minLen, 1)
		if s.minText < 0 || m < s.minText {
			s.minText = m
		}
		if r.kind == Custom {
			s.minNumber = min(s.minNumber, m)
		}
		if r.near == atDigitRuns || r.near == atIndexKeys || r.openEnded {
			r.alpha = matchBytes(r.re)
		}
	}
	return s, nil
}

// A term's words may be written with any run of spaces between them, or
// none: a line break where the text was wrapped, two spaces, a tab, a
// no-break or other Unicode space, or, in a JSON text held in a string (a
// tool call's arguments), the escapes \n, \r, \t, \f or a \u escape of
// a space, after any number of backslashes (one for each level of
// nesting). A term's words in another order ("Quill, Zyxander" for
// "Zyxander Quill"), or with other words or a hyphen between them, are
// not the term: the user lists that form too.
const (
	// spaceChar is one whitespace character: ASCII's, the vertical tab,
	// NEL, and every Unicode space and line or paragraph separator.
	spaceChar = `[\t\n\v\f\r \x{85}\p{Z}]`
	// escapedSpace is a JSON escape of one: \n \r \t \f, or a \u
	// escape of a space character.
	escapedSpace = `\\+(?:[nrtf]|u(?:00(?:0[9ABCD]|20|85|A0)|1680|200[0-9A]|202[89F]|205F|3000))`
	// termSpace is what may stand between two words of a term.
	termSpace = `(?:` + spaceChar + `|` + escapedSpace + `)*`
)

// termsRuleName names the rule of the user's terms.
const termsRuleName = "custom:terms"

// termSpaceRun is a run of what may stand between two words of a term.
var termSpaceRun = regexp.MustCompile(`(?i)(?:` + spaceChar + `|` + escapedSpace + `)+`)

// termValue is the value of a term found as v: its words with one space
// between them wherever v spaces them otherwise, or "" where v is that
// already. The pseudonym is made from it and written in place of v, so a
// name gets the same pseudonym however it was spaced, and an escape
// between its words (\n in a JSON text held in a string) is not turned
// into an invalid one ("\q") by a pseudonym that maps its letter.
func termValue(v string) string {
	if n := termSpaceRun.ReplaceAllLiteralString(v, " "); n != v {
		return n
	}
	return ""
}

// termExpr is the expression of one form of a term, and the length of
// that form, which orders the alternatives.
type termExpr struct {
	expr string
	len  int
}

// termsRule returns the expressions of the user's terms, each in its
// composed and decomposed forms, and the lower-case ASCII literals one of
// which any match contains (see termKey); keys is nil where some term
// has none, and then the rule runs on every text.
func termsRule(list []string) (terms []termExpr, keys []string) {
	seen := map[string]bool{}
	seenKey := map[string]bool{}
	keyed := true
	for _, t := range list {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		// A name with accents is written composed (NFC, as typed on most
		// systems) or decomposed (NFD, as macOS names files and some
		// text arrives): both forms are the term.
		for _, form := range []string{t, norm.NFC.String(t), norm.NFD.String(t)} {
			words := strings.Fields(form)
			expr := make([]string, len(words))
			key := ""
			for i, w := range words {
				expr[i] = regexp.QuoteMeta(w)
				if k := termKey(w); len(k) > len(key) {
					key = k
				}
			}
			e := strings.Join(expr, termSpace)
			if seen[e] {
				continue
			}
			seen[e] = true
			terms = append(terms, termExpr{e, len(form)})
			if key == "" {
				keyed = false
			} else if !seenKey[key] {
				seenKey[key] = true
				keys = append(keys, key)
			}
		}
	}
	if !keyed {
		keys = nil
	}
	return terms, keys
}

// termKey returns the longest run of a word's bytes that every match of
// the word, case-insensitive, holds as the same ASCII bytes, lower-cased:
// ASCII but for the letters k and s, which fold to the Kelvin sign and
// the long s. A text whose ASCII-lower-cased form holds no term's key
// holds no term, and is not searched.
func termKey(word string) string {
	best, start := "", 0
	lower := asciiLower(word)
	for i := 0; i <= len(lower); i++ {
		if i < len(lower) {
			if c := lower[i]; c < utf8.RuneSelf && c != 'k' && c != 's' {
				continue
			}
		}
		if i-start > len(best) {
			best = lower[start:i]
		}
		start = i + 1
	}
	return best
}

// Scan returns the sensitive values in text, in order, without overlaps:
// where two rules match overlapping ranges, credentials win over personal
// data and the longer match over the shorter.
//
// A value the text writes in another form (a \u0040 for "@" in a JSON
// text held in a string, a percent or character-reference escape, an
// invisible character inside it, fullwidth letters) is found too, on the
// bytes that write it, with its decoded form as its Value.
func (s *Scanner) Scan(text string) []Finding {
	return s.scan(text, true)
}

// scan is Scan; views is false for a text that is itself a view.
func (s *Scanner) scan(text string, views bool) []Finding {
	if len(text) < s.minText || s.builtinOnly && plainID(text) {
		return nil
	}
	var lower string
	var found []Finding
	var runs []int // digitRuns(text), once a rule needs them
	feat := scanFeatures(text)
	for _, r := range s.rules {
		if len(text) < r.minLen || r.gate != nil && !r.gate(&feat) {
			continue
		}
		if !r.mayMatch(text, &lower, &feat) {
			continue
		}
		spans := [][2]int{{0, len(text)}}
		if r.near != noTrigger {
			if lower == "" {
				lower = asciiLower(text)
			}
			if r.near == atDigitRuns && runs == nil {
				runs = digitRuns(text)
			}
			spans = r.windows(text, lower, runs)
		}
		for _, sp := range spans {
			for _, m := range r.re.FindAllStringSubmatchIndex(text[sp[0]:sp[1]], -1) {
				start, end := m[2*r.group], m[2*r.group+1]
				if start < 0 || end == start {
					continue // no value, or an empty one, which hides nothing
				}
				start, end = start+sp[0], end+sp[0]
				v := text[start:end]
				if s.allow[v] || (r.valid != nil && !r.valid(v, text, start, end)) || r.kind.IsSecret() && isPseudonym(v) {
					continue
				}
				if r.extend != nil {
					var ok bool
					if start, end, ok = r.extend(text, start, end); !ok {
						continue
					}
				}
				f := Finding{Kind: r.kind, Rule: r.name, Start: start, End: end, Secret: r.kind.IsSecret()}
				if r.name == termsRuleName {
					f.Value = termValue(v)
				}
				found = append(found, f)
			}
		}
	}
	if views && feat.hidden {
		found = s.scanView(text, found)
	}
	if len(found) < 2 {
		return found
	}
	// Resolve overlaps: rank by priority, keep a finding only if it does
	// not overlap one already kept.
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.Secret != b.Secret {
			return a.Secret
		}
		if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
			return la > lb
		}
		return a.Start < b.Start
	})
	kept := found[:0:0]
	for _, f := range found {
		ok := true
		for _, k := range kept {
			if f.Start < k.End && k.Start < f.End {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, f)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	return kept
}

// isPseudonym reports a value this package wrote, or a documented example
// key, so that redacting twice changes nothing.
func isPseudonym(v string) bool {
	return strings.Contains(v, "REDACTED") || strings.HasSuffix(v, "EXAMPLE")
}

// plainID reports whether text is, whole, a canonical UUID
// (8-4-4-4-12 hex digits) or an RFC 3339 time in UTC
// ("2026-11-20T08:00:00.123Z"): the request ids and times a log writes
// on every record, where no built-in rule finds anything
// (TestPlainIDsHoldNothing) and the full scan cost several microseconds
// each, on every record of an import.
func plainID(text string) bool {
	switch len(text) {
	case 36:
		for i := 0; i < 36; i++ {
			c := text[i]
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if c != '-' {
					return false
				}
			} else if !isHex(c) {
				return false
			}
		}
		return true
	case 20, 22, 23, 24, 25, 26, 27, 28, 29, 30:
		// YYYY-MM-DDThh:mm:ss[.fraction]Z
		const layout = "dddd-dd-ddTdd:dd:dd"
		for i := 0; i < len(layout); i++ {
			if c := text[i]; layout[i] == 'd' && !isDigit(c) || layout[i] != 'd' && c != layout[i] {
				return false
			}
		}
		rest := text[len(layout):]
		if rest[len(rest)-1] != 'Z' {
			return false
		}
		rest = rest[:len(rest)-1]
		if rest == "" {
			return true
		}
		if rest[0] != '.' || len(rest) < 2 {
			return false
		}
		for i := 1; i < len(rest); i++ {
			if !isDigit(rest[i]) {
				return false
			}
		}
		return true
	}
	return false
}
