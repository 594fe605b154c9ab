package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"math/big"
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

// canonicalNumber spells a JSON number one way: integers without a
// fraction or exponent, everything else in Go's shortest 'g' form.
func canonicalNumber(s string) string {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s
	}
	f, ok := new(big.Float).SetPrec(200).SetString(s)
	if !ok {
		return s
	}
	if f.IsInt() {
		i, _ := f.Int(nil)
		return i.String()
	}
	v, _ := f.Float64()
	return strconv.FormatFloat(v, 'g', -1, 64)
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
	sum := sha256.Sum256(Canonical([]byte(scrubAccounts(string(body)))))
	return method + " " + path + " " + string(sum[:])
}
