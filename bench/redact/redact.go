package redact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Counts are how many values of each kind were replaced.
type Counts map[Kind]int

// Add adds o into c.
func (c Counts) Add(o Counts) {
	for k, n := range o {
		c[k] += n
	}
}

// Total is the number of replacements.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Secrets is the number of replaced credentials.
func (c Counts) Secrets() int {
	n := 0
	for k, v := range c {
		if k.IsSecret() {
			n += v
		}
	}
	return n
}

// String lists the counts by kind, e.g. "email=2 jwt=1".
func (c Counts) String() string {
	var parts []string
	for k, n := range c {
		parts = append(parts, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// Redactor replaces what a [Scanner] finds with pseudonyms. It is safe
// for concurrent use.
type Redactor struct {
	scan *Scanner
	salt []byte

	// Caches of results: the turns of a conversation are logged again
	// with every request, so most messages and texts were seen before.
	texts *genCache[cached]
	msgs  *genCache[cachedMsg]
	short *shortCache
}

type cachedMsg struct {
	out    []byte
	counts Counts
	// edges are the message's role and text pieces, for its seams with
	// the messages around it (see seamTrack).
	edges msgEdges
}

type cached struct {
	out    string
	counts Counts
}

// cacheSize is the entries of one cache generation.
const cacheSize = 1 << 15

// NewRedactor returns a redactor keyed by salt. The same salt gives the
// same pseudonyms; keep it secret, since anyone holding it can test a
// guessed value against a pseudonym.
func NewRedactor(s *Scanner, salt []byte) *Redactor {
	return &Redactor{scan: s, salt: append([]byte(nil), salt...),
		texts: newGenCache[cached](cacheSize), msgs: newGenCache[cachedMsg](cacheSize / 2), short: newShortCache()}
}

// Scanner returns the redactor's scanner.
func (r *Redactor) Scanner() *Scanner { return r.scan }

// Text returns s with every finding replaced by its pseudonym, and the
// counts by kind.
func (r *Redactor) Text(s string) (string, Counts) {
	out, counts := r.textShared(s)
	return out, counts.clone()
}

// textShared is Text whose counts may be the cache's own: the caller only
// reads them (adding them to its own, say).
func (r *Redactor) textShared(s string) (string, Counts) {
	switch {
	case len(s) < r.scan.minText:
		return s, nil // no rule can match in it
	case len(s) > 8<<10:
		return r.text(s) // the longest would bloat the cache
	case len(s) < 24:
		return r.shortText(s)
	}
	if c, ok := r.texts.get(s); ok {
		return c.out, c.counts
	}
	out, counts := r.text(s)
	// The cache keeps its own copy: s may view a buffer the caller
	// reuses (the body walk hands views of the body it reads).
	key := strings.Clone(s)
	if counts == nil {
		out = key // unchanged: out is s
	}
	r.texts.put(key, cached{out, counts})
	return out, counts
}

// shortText is textShared for short texts (member names, ids, short
// values), through the lock-free short cache.
func (r *Redactor) shortText(s string) (string, Counts) {
	slot := r.short.slot(s)
	if e := slot.Load(); e != nil && e.key == s {
		return e.out, e.counts
	}
	out, counts := r.text(s)
	key := strings.Clone(s) // as in textShared
	if counts == nil {
		out = key
	}
	slot.Store(&shortEntry{key, out, counts})
	return out, counts
}

func (c Counts) clone() Counts {
	if c == nil {
		return nil
	}
	out := make(Counts, len(c))
	for k, n := range c {
		out[k] = n
	}
	return out
}

func (r *Redactor) text(s string) (string, Counts) {
	found := r.scan.Scan(s)
	if len(found) == 0 {
		return s, nil
	}
	counts := Counts{}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, f := range found {
		b.WriteString(s[last:f.Start])
		b.WriteString(r.Pseudonym(f.Kind, f.ValueIn(s)))
		counts[f.Kind]++
		last = f.End
	}
	b.WriteString(s[last:])
	return b.String(), counts
}

// fingerprintLabel is what [Redactor.SaltFingerprint] authenticates:
// no kind of finding is named so, so it is never a pseudonym's input.
const fingerprintLabel = "bedrock-bench salt fingerprint\x00v1"

// SaltFingerprint tells salts apart without telling them: the first 8
// bytes, in hex, of an HMAC-SHA256 of a fixed label under the salt. Two
// redactors with one salt give the same pseudonyms and the same
// fingerprint; it is neither the salt nor a plain hash of it, and does
// not help guess it. A sharded import records it so that shards redacted
// with different salts (pseudonyms that disagree) are not merged.
func (r *Redactor) SaltFingerprint() string {
	m := hmac.New(sha256.New, r.salt)
	m.Write([]byte(fingerprintLabel))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// Pseudonym returns the replacement for value of kind k: deterministic
// for (salt, k, value), tagged with the kind, keeping the value's shape
// where that shape is harmless, and never itself a valid credential, card,
// IBAN or SSN.
func (r *Redactor) Pseudonym(k Kind, value string) string {
	m := hmac.New(sha256.New, r.salt)
	m.Write([]byte(k))
	m.Write([]byte{0})
	m.Write([]byte(value))
	sum := m.Sum(nil)
	tag := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:5])) // 8 chars
	d := digitStream(sum)
	switch k {
	case AWSAccessKeyID:
		// The documented fake shape: four-letter prefix, EXAMPLE suffix.
		if len(value) == 20 {
			return value[:4] + strings.ToUpper(tag) + "XEXAMPLE"
		}
	case Email:
		if !strings.Contains(value, "@") {
			// Percent-encoded in a URL: the pseudonym keeps the encoding.
			return "user-" + tag + "%40example.com"
		}
		return "user-" + tag + "@example.com"
	case Phone:
		return mapDigits(value, d, 0)
	case CardNumber:
		return cardPseudonym(value, d)
	case IBAN:
		return ibanPseudonym(value, d, sum)
	case USSSN:
		// Area 9xx is never issued.
		out := mapDigits(value, d, 0)
		return "9" + out[1:]
	case AWSAccountID:
		// Never a leading 0, so that an account id written as a JSON
		// number ({"accountId": 210987654321}) stays one.
		out := mapDigits(value, d, 0)
		if out != "" && out[0] == '0' {
			out = "1" + out[1:]
		}
		return out
	case IPAddress:
		if a, err := netip.ParseAddr(value); err == nil && a.Is6() && !a.Is4In6() {
			return fmt.Sprintf("2001:db8::%x:%x", uint16(sum[0])<<8|uint16(sum[1]), uint16(sum[2])<<8|uint16(sum[3]))
		}
		nets := []string{"192.0.2.", "198.51.100.", "203.0.113."}
		return fmt.Sprintf("%s%d", nets[int(sum[0])%3], 1+int(sum[1])%254)
	case Custom:
		return mapChars(value, sum)
	case PrivateKey:
		// No "PRIVATE KEY" armour: scanners match from one armour line to
		// the next, across pseudonyms.
		return "[REDACTED-PRIVATE-KEY " + tag + "]"
	case JWT:
		return "REDACTED.JWT." + tag
	case GenericSecret:
		// The colon ends the value for key=value scanners.
		return "REDACTED:" + tag
	}
	// Credentials: keep the telling prefix, then a low-entropy tagged body
	// of the original length, so the type stays readable and no scanner
	// mistakes the pseudonym for a live key.
	return secretPseudonym(k, value, tag)
}

// secretPrefixes are kept in a pseudonym to show the key's type; they are
// those whose scanners also demand the key's body, so the kept prefix plus
// a REDACTED body never matches.
var secretPrefixes = []string{"sk-ant-api03-", "sk-ant-admin01-", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-", "bedrock-api-key-", "ABSK", "IQoJ"}

func secretPseudonym(k Kind, value, tag string) string {
	prefix := ""
	for _, p := range secretPrefixes {
		if strings.HasPrefix(value, p) {
			prefix = p
			break
		}
	}
	body := "REDACTED" + strings.ToUpper(strings.ReplaceAll(string(k), "-", "")) + tag
	n := len(value) - len(prefix)
	if n < len("REDACTED")+len(tag) {
		n = len("REDACTED") + len(tag)
	}
	if len(body) > n {
		body = body[:n-len(tag)] + tag
	}
	return prefix + body + strings.Repeat("x", n-len(body))
}

// digitStream yields pseudo-random decimal digits from an HMAC sum.
func digitStream(sum []byte) func() byte {
	i := 0
	return func() byte {
		c := sum[i%len(sum)]
		if i >= len(sum) {
			c ^= byte(i * 31)
		}
		i++
		return c % 10
	}
}

// mapDigits replaces each digit of v from d, keeping every other byte.
func mapDigits(v string, d func() byte, _ int) string {
	b := []byte(v)
	for i, c := range b {
		if isDigit(c) {
			b[i] = '0' + d()
		}
	}
	return string(b)
}

// mapChars replaces letters by letters and digits by digits, keeping
// case, punctuation and length.
func mapChars(v string, sum []byte) string {
	b := []byte(v)
	for i, c := range b {
		x := sum[i%len(sum)] ^ byte(i/len(sum)*7)
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = 'a' + x%26
		case 'A' <= c && c <= 'Z':
			b[i] = 'A' + x%26
		case isDigit(c):
			b[i] = '0' + x%10
		case c >= 0x80:
			b[i] = 'x' // multi-byte letters become ASCII, keeping the byte length
		}
	}
	return string(b)
}

// cardPseudonym keeps the first digit and the grouping and makes the
// check digit wrong, so the result is shaped like a card but is none.
func cardPseudonym(v string, d func() byte) string {
	b := []byte(v)
	var idx []int
	for i, c := range b {
		if isDigit(c) {
			idx = append(idx, i)
		}
	}
	for _, i := range idx[1:] {
		b[i] = '0' + d()
	}
	digits := digitsOf(string(b))
	if luhnSum(digits)%10 == 0 {
		last := idx[len(idx)-1]
		b[last] = '0' + (b[last]-'0'+1)%10
	}
	return string(b)
}

// ibanPseudonym keeps the country and the layout, maps the account part
// and sets check digits 00, which no valid IBAN has.
func ibanPseudonym(v string, d func() byte, sum []byte) string {
	b := []byte(v)
	n := 0
	for i, c := range b {
		if c == ' ' {
			continue
		}
		switch {
		case n < 2:
		case n < 4:
			b[i] = '0'
		case isDigit(c):
			b[i] = '0' + d()
		case 'A' <= c && c <= 'Z':
			b[i] = 'A' + sum[n%len(sum)]%26
		case 'a' <= c && c <= 'z':
			b[i] = 'a' + sum[n%len(sum)]%26
		}
		n++
	}
	return string(b)
}
