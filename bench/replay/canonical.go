package replay

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/canonjson"
)

// Canonical returns body as canonical JSON: keys sorted, no white space,
// numbers in one spelling (1, 1.0 and 1e0 are the same number). A body
// that is not JSON is returned unchanged. It is package canonjson's form
// with HTML escaping, the form match keys have always been digests of.
func Canonical(body []byte) []byte {
	out, _ := canonjson.Append(make([]byte, 0, len(body)), body, canonjson.HTML)
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
