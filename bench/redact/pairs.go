package redact

import (
	"slices"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// A list of name/value pairs holds a credential's name in one member and
// the credential in another: a container's environment in Kubernetes
// ({"name": "DB_PASSWORD", "value": "…"}) or ECS ("Name", "Value"),
// CloudFormation parameters ("ParameterKey", "ParameterValue"), Elastic
// Beanstalk options ("OptionName", "Value"), an SSM parameter ("Name",
// "Value"), a HAR header ("name", "value"). Where the name member's
// string is a credential's name (see credentialName), the value member's
// string is redacted as it would be under that name: read after the
// name, it is redacted so at once; read before it, its redaction is
// replaced when the object closes. Both walks (bodyWalk and bodyTokens)
// follow an object's members through a pairScan, in the same order, so
// they find the same pairs.

// The members of a pair.
const (
	pairOther = iota
	pairName
	pairValue
)

// pairScan follows the members of one object for a name/value pair.
type pairScan struct {
	member int
	// name is the name member's string, where it names a credential
	// (secret); the last name member read decides.
	name   string
	secret bool
	// val is the value member's string token read before a credential's
	// name, and valKey its member name, which it was redacted under;
	// valObj says it is an object instead (an OpenTelemetry AnyValue),
	// whose strings were redacted under their own names.
	val    piece
	valKey string
	hasVal bool
	valObj bool
}

// pairMember tells the member name n of a pair's name or value. It is
// asked of every member name a body holds, so it looks at the length
// first.
func pairMember(n string) int {
	var names, values []string
	switch len(n) {
	case 3:
		names = []string{"key"}
	case 4:
		names = []string{"name"}
	case 5:
		values = []string{"value"}
	case 10:
		names = []string{"OptionName"}
	case 11:
		names, values = []string{"option_name"}, []string{"OptionValue"}
	case 12:
		names, values = []string{"ParameterKey"}, []string{"option_value"}
	case 13:
		names = []string{"ParameterName", "parameter_key"}
	case 14:
		names, values = []string{"parameter_name"}, []string{"ParameterValue"}
	case 15:
		values = []string{"parameter_value"}
	default:
		return pairOther
	}
	for _, m := range names {
		if strings.EqualFold(n, m) {
			return pairName
		}
	}
	for _, m := range values {
		if strings.EqualFold(n, m) {
			return pairValue
		}
	}
	return pairOther
}

// note notes the member name n whose value comes next.
func (p *pairScan) note(n string) {
	p.member = pairMember(n)
	if p.member == pairValue {
		p.valKey = n
	}
}

// keyFor returns the member name a string about to be read, after the
// member name key, is redacted under: the credential's name for the
// value of a pair whose name came first.
func (p *pairScan) keyFor(key string) string {
	if p.member == pairValue && p.secret {
		return p.name
	}
	return key
}

// wants reports whether str needs the string value about to be read.
func (p *pairScan) wants() bool { return p.member != pairOther }

// str notes the string value s read at pc.
func (p *pairScan) str(s string, pc piece) {
	switch p.member {
	case pairName:
		if p.secret = credentialName(s); p.secret {
			p.name = strings.Clone(s)
		}
	case pairValue:
		p.hasVal = !p.secret
		p.val, p.valKey, p.valObj = pc, strings.Clone(p.valKey), false
	}
}

// obj notes the value member's object read at pc, which underFor did not
// name if the pair's name comes after it.
func (p *pairScan) obj(pc piece) {
	p.hasVal = !p.secret
	p.val, p.valObj = pc, true
}

// underFor returns the credential's name the strings of a container
// about to be read, after the member name key of the object whose pair
// is p, are redacted under (see anyValueMember): the pair's name where
// the container is the value of a pair whose name came first and is a
// credential's (an OpenTelemetry attribute, {"key": "db.password",
// "value": {"stringValue": "…"}}), "cookie" for a HAR cookie list
// ("cookies": [{"name": "sessionid", "value": "…"}]), else under, the
// enclosing container's.
func (p *pairScan) underFor(key, under string) string {
	switch {
	case p.member == pairValue && p.secret:
		return p.name
	case strings.EqualFold(key, "cookies"):
		return "cookie"
	}
	return under
}

// anyValueMember reports whether a string under the member name key,
// inside a container read under a credential's name (see underFor), is
// the credential: an OpenTelemetry AnyValue's stringValue (alone, or in
// an arrayValue's values, as the http.request.header.* attributes hold
// a header's values), or a cookie's value.
func anyValueMember(key string) bool {
	return key == "stringValue" || key == "string_value" || strings.EqualFold(key, "value")
}

// pending reports whether the object closing holds a value read before
// the credential's name that says what it is.
func (p *pairScan) pending() bool { return p.secret && p.hasVal }

// redactPair redacts again, under the credential's name, the value of
// the pair p read before its name (see pairScan), in the body data whose
// patches (in order of start) and counts are patches and total.
func (r *Redactor) redactPair(data []byte, p *pairScan, opts BodyOptions, patches []patch, total Counts) ([]patch, Counts) {
	if p.valObj {
		return r.redactPairObject(data, p, opts, patches, total)
	}
	raw := data[p.val.start:p.val.end]
	u, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return patches, total
	}
	s := string(u)
	red, c := r.value(p.name, s, opts, mediaScope{})
	if c == nil {
		return patches, total
	}
	q, err := jsontext.AppendQuote(nil, red)
	if err != nil {
		return patches, total
	}
	k := sort.Search(len(patches), func(k int) bool { return patches[k].start >= int64(p.val.start) })
	if k < len(patches) && patches[k].start == int64(p.val.start) {
		// The value's redaction under its own member name, replaced.
		_, old := r.value(p.valKey, s, opts, mediaScope{})
		total = subtract(total, old)
		patches[k].repl = q
	} else {
		patches = slices.Insert(patches, k, patch{int64(p.val.start), int64(p.val.end), q})
	}
	return patches, addTo(total, c)
}

// redactPairObject is redactPair for a value member that is an object
// (an OpenTelemetry attribute written {"value": {"stringValue": "…"},
// "key": "db.password"}, as an encoder that does not keep the order of
// a map's members may write it): the object is redacted again with its
// strings under the credential's name (see underFor), and that
// redaction replaces the one its strings got under their own names.
func (r *Redactor) redactPairObject(data []byte, p *pairScan, opts BodyOptions, patches []patch, total Counts) ([]patch, Counts) {
	raw := data[p.val.start:p.val.end]
	w := bodyWalk{r: r, opts: opts, b: raw, under: p.name}
	if !w.run() || w.err != nil {
		return patches, total
	}
	old, err := r.plan(raw, opts, false)
	if err != nil {
		return patches, total
	}
	start, end := int64(p.val.start), int64(p.val.end)
	k := sort.Search(len(patches), func(k int) bool { return patches[k].start >= start })
	e := k
	for e < len(patches) && patches[e].end <= end {
		e++
	}
	repl := make([]patch, len(w.patches))
	for i, q := range w.patches {
		repl[i] = patch{q.start + start, q.end + start, q.repl}
	}
	patches = slices.Replace(patches, k, e, repl...)
	return patches, addTo(subtract(total, old.Counts), w.total)
}
