package replay

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Canonical returns body as canonical JSON: keys sorted, no white space,
// numbers in one spelling (1, 1.0 and 1e0 are the same number). A body
// that is not JSON is returned unchanged.
func Canonical(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return body
	}
	var b bytes.Buffer
	writeCanonical(&b, v)
	return b.Bytes()
}

func writeCanonical(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			writeCanonical(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(canonicalNumber(string(x)))
	default:
		vb, _ := json.Marshal(x)
		b.Write(vb)
	}
}

// canonicalNumber spells a JSON number one way, exactly and in bounded
// space: the value is read as a decimal mantissa and exponent (never
// expanded, never rounded through float64), normalized (no leading or
// trailing zeros in the mantissa), and written as a plain integer or
// decimal when that stays short, or as d.ddde±N otherwise. 1, 1.0, 1e0
// and 10e-1 are all "1"; 1E100000000 is "1e100000000". The result is
// never longer than the input plus a small constant, and canonicalizing
// it again gives it back. A string that is not a JSON number is returned
// unchanged.
func canonicalNumber(s string) string {
	neg, digits, exp, ok := parseNumber(s)
	if !ok {
		return s
	}
	if digits == "" {
		return "0"
	}
	var b strings.Builder
	b.Grow(len(digits) + len(exp) + 8)
	if neg {
		b.WriteByte('-')
	}
	// value = digits × 10^exp; e is exp when it is small.
	e, small := smallInt(exp)
	switch {
	case small && e >= 0 && int64(len(digits))+e <= plainDigits:
		b.WriteString(digits)
		for i := int64(0); i < e; i++ {
			b.WriteByte('0')
		}
	case small && e < 0 && -e <= int64(len(digits))+plainZeros:
		if point := int64(len(digits)) + e; point > 0 {
			b.WriteString(digits[:point])
			b.WriteByte('.')
			b.WriteString(digits[point:])
		} else {
			b.WriteString("0.")
			for i := point; i < 0; i++ {
				b.WriteByte('0')
			}
			b.WriteString(digits)
		}
	default:
		// Scientific: d.ddd × 10^(exp + len(digits) - 1).
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		b.WriteString(addDecimal(exp, int64(len(digits)-1)))
	}
	return b.String()
}

// Where plain notation stops: integers of more than plainDigits digits,
// and fractions with more than plainZeros zeros after the point beyond
// their digits, are written in scientific notation.
const (
	plainDigits = 21
	plainZeros  = 6
)

// parseNumber splits a JSON number into its sign, its significant digits
// (no leading or trailing zeros; empty for zero) and the decimal exponent
// that makes value = digits × 10^exp, as a signed decimal string. Its
// cost is linear in len(s).
func parseNumber(s string) (neg bool, digits, exp string, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		neg, i = true, i+1
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return false, "", "", false
	}
	var frac string
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if frac = s[fs:i]; frac == "" {
			return false, "", "", false
		}
	}
	exp = "0"
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		sign := ""
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = "-"
			}
			i++
		}
		es := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if es == i {
			return false, "", "", false
		}
		e := strings.TrimLeft(s[es:i], "0")
		if e == "" {
			e, sign = "0", ""
		}
		exp = sign + e
	}
	if i != len(s) {
		return false, "", "", false
	}
	// digits × 10^(exp - len(frac)), then strip zeros on both ends.
	all := intPart + frac
	lead := 0
	for lead < len(all) && all[lead] == '0' {
		lead++
	}
	all = all[lead:]
	trail := 0
	for trail < len(all) && all[len(all)-1-trail] == '0' {
		trail++
	}
	all = all[:len(all)-trail]
	if all == "" {
		return neg, "", "0", true
	}
	return neg, all, addDecimal(exp, int64(trail)-int64(len(frac))), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// smallInt parses a signed decimal string that fits comfortably in an
// int64 (at most 15 digits).
func smallInt(s string) (int64, bool) {
	if len(strings.TrimPrefix(s, "-")) > 15 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// addDecimal returns the signed decimal string a + d, for a signed
// decimal string a of any length (no leading zeros) and a small d, in
// time linear in len(a): exponents are added without ever converting an
// arbitrarily long one to a number.
func addDecimal(a string, d int64) string {
	if n, ok := smallInt(a); ok {
		return strconv.FormatInt(n+d, 10)
	}
	// |a| >= 10^15 > |d|, so the sign of the result is the sign of a, and
	// the magnitude is |a| + d or |a| - d.
	neg := strings.HasPrefix(a, "-")
	mag := strings.TrimPrefix(a, "-")
	if neg {
		d = -d
	}
	var out []byte
	if d >= 0 {
		out = addMagnitude(mag, uint64(d))
	} else {
		out = subMagnitude(mag, uint64(-d))
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// addMagnitude adds d to the decimal digits m.
func addMagnitude(m string, d uint64) []byte {
	out := make([]byte, len(m)+1)
	carry := d
	for i := len(m) - 1; i >= 0; i-- {
		v := uint64(m[i]-'0') + carry
		out[i+1] = byte(v%10) + '0'
		carry = v / 10
	}
	if carry > 0 {
		// carry < 10 here: |d| is far below 10^len(m).
		out[0] = byte(carry) + '0'
		return out
	}
	return out[1:]
}

// subMagnitude subtracts d from the decimal digits m, m > d.
func subMagnitude(m string, d uint64) []byte {
	out := []byte(m)
	borrow := d
	for i := len(out) - 1; i >= 0 && borrow > 0; i-- {
		v := int64(out[i]-'0') - int64(borrow%10)
		borrow /= 10
		if v < 0 {
			v += 10
			borrow++
		}
		out[i] = byte(v) + '0'
	}
	for len(out) > 1 && out[0] == '0' {
		out = out[1:]
	}
	return out
}

// accountARN finds an account id inside an ARN.
var accountARN = regexp.MustCompile(`(arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:)([0-9]{12})(:)`)

// AccountPlaceholder replaces account ids in recorded ARNs.
const AccountPlaceholder = "000000000000"

// scrubAccounts replaces account ids in ARNs with the placeholder.
func scrubAccounts(s string) string {
	if !strings.Contains(s, "arn:") {
		return s
	}
	return accountARN.ReplaceAllString(s, "${1}"+AccountPlaceholder+"${3}")
}

// canonicalPath is the request path unescaped, account ids scrubbed.
func canonicalPath(u *url.URL) string {
	p, err := url.PathUnescape(u.EscapedPath())
	if err != nil {
		p = u.Path
	}
	return scrubAccounts(p)
}

// matchKey identifies a request for the index: method, canonical path
// and a hash of the canonical, scrubbed body.
func matchKey(method, path string, body []byte) string {
	sum := bodyDigest(body)
	return method + " " + path + " " + string(sum[:])
}
