package iam

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// truth is a three-valued result: a condition on a key the request leaves
// unknown is maybe.
type truth uint8

const (
	no truth = iota
	yes
	maybe
)

// operator is a parsed condition operator.
type operator struct {
	name     string // as written
	base     string
	set      string // "", "ForAnyValue" or "ForAllValues"
	ifExists bool
	spec     opSpec
}

type opSpec struct {
	negated bool
	// vars: policy variables are resolved in the values (string, ARN and
	// Bool operators only, as documented: "You can use a policy variable
	// with the Boolean condition operator", IAM condition operators).
	vars bool
	// glob: the values are patterns (literal wildcard marks apply).
	glob  bool
	match func(policy, value string) bool
	check func(policy string) error
	// phrase describes the test, as in "aws:SourceIp is in 10.0.0.0/8".
	phrase string
}

// operators lists every condition operator in the IAM documentation.
var operators = map[string]opSpec{
	"StringEquals":              {false, true, false, strEq, nil, "is"},
	"StringNotEquals":           {true, true, false, strEq, nil, "is not"},
	"StringEqualsIgnoreCase":    {false, true, false, strEqFold, nil, "is (ignoring case)"},
	"StringNotEqualsIgnoreCase": {true, true, false, strEqFold, nil, "is not (ignoring case)"},
	"StringLike":                {false, true, true, strLike, nil, "matches"},
	"StringNotLike":             {true, true, true, strLike, nil, "does not match"},
	"NumericEquals":             {false, false, false, numCmp(func(c int) bool { return c == 0 }), checkNum, "="},
	"NumericNotEquals":          {true, false, false, numCmp(func(c int) bool { return c == 0 }), checkNum, "≠"},
	"NumericLessThan":           {false, false, false, numCmp(func(c int) bool { return c < 0 }), checkNum, "<"},
	"NumericLessThanEquals":     {false, false, false, numCmp(func(c int) bool { return c <= 0 }), checkNum, "≤"},
	"NumericGreaterThan":        {false, false, false, numCmp(func(c int) bool { return c > 0 }), checkNum, ">"},
	"NumericGreaterThanEquals":  {false, false, false, numCmp(func(c int) bool { return c >= 0 }), checkNum, "≥"},
	"DateEquals":                {false, false, false, dateCmp(func(c int) bool { return c == 0 }), checkDate, "is"},
	"DateNotEquals":             {true, false, false, dateCmp(func(c int) bool { return c == 0 }), checkDate, "is not"},
	"DateLessThan":              {false, false, false, dateCmp(func(c int) bool { return c < 0 }), checkDate, "is before"},
	"DateLessThanEquals":        {false, false, false, dateCmp(func(c int) bool { return c <= 0 }), checkDate, "is at or before"},
	"DateGreaterThan":           {false, false, false, dateCmp(func(c int) bool { return c > 0 }), checkDate, "is after"},
	"DateGreaterThanEquals":     {false, false, false, dateCmp(func(c int) bool { return c >= 0 }), checkDate, "is at or after"},
	"Bool":                      {false, true, false, strings.EqualFold, checkBool, "is"},
	"BinaryEquals":              {false, false, false, binEq, checkBinary, "is"},
	"IpAddress":                 {false, false, false, ipIn, checkIP, "is in"},
	"NotIpAddress":              {true, false, false, ipIn, checkIP, "is not in"},
	"ArnEquals":                 {false, true, true, ARNConditionMatch, nil, "matches"},
	"ArnLike":                   {false, true, true, ARNConditionMatch, nil, "matches"},
	"ArnNotEquals":              {true, true, true, ARNConditionMatch, nil, "does not match"},
	"ArnNotLike":                {true, true, true, ARNConditionMatch, nil, "does not match"},
	"Null":                      {false, false, false, nil, checkBool, ""},
}

func parseOperator(op string) (operator, error) {
	o := operator{name: op, base: op}
	if set, rest, ok := strings.Cut(o.base, ":"); ok {
		if set != "ForAnyValue" && set != "ForAllValues" {
			return o, fmt.Errorf("condition operator %q: unknown qualifier %q (ForAnyValue or ForAllValues)", op, set)
		}
		o.set, o.base = set, rest
	}
	if o.base == "NullIfExists" {
		return o, fmt.Errorf("condition operator %q: IfExists cannot be added to Null (the documentation allows it on every operator except Null)", op)
	}
	if b, ok := strings.CutSuffix(o.base, "IfExists"); ok {
		o.base, o.ifExists = b, true
	}
	spec, ok := operators[o.base]
	if !ok {
		return o, fmt.Errorf("condition operator %q is not an IAM condition operator (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, with IfExists and ForAnyValue:/ForAllValues:)", op)
	}
	o.spec = spec
	return o, nil
}

// checkValue validates one policy value for the operator; literal says
// policy variables are text (a policy whose Version is not 2012-10-17).
func (o operator) checkValue(v string, literal bool) error {
	if o.spec.check == nil || (o.spec.vars && !literal && strings.Contains(v, "${")) {
		return nil
	}
	return o.spec.check(v)
}

func strEq(p, v string) bool     { return p == v }
func strEqFold(p, v string) bool { return strings.EqualFold(p, v) }
func strLike(p, v string) bool   { return globMatch(p, v, false, false) }

func parseNum(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f)
}

func checkNum(s string) error {
	if _, ok := parseNum(s); !ok {
		return fmt.Errorf("%q is not a number", s)
	}
	return nil
}

func numCmp(ok func(int) bool) func(p, v string) bool {
	return func(p, v string) bool {
		pf, ok1 := parseNum(p)
		vf, ok2 := parseNum(v)
		if !ok1 || !ok2 {
			return false
		}
		switch {
		case vf < pf:
			return ok(-1)
		case vf > pf:
			return ok(1)
		}
		return ok(0)
	}
}

// dateLayouts are the W3C profiles of ISO 8601 the documentation accepts.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006"}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) > 4 {
		return time.Unix(n, 0), true // epoch (UNIX) time
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func checkDate(s string) error {
	if _, ok := parseDate(s); !ok {
		return fmt.Errorf("%q is not an ISO 8601 date or epoch time", s)
	}
	return nil
}

func dateCmp(ok func(int) bool) func(p, v string) bool {
	return func(p, v string) bool {
		pt, ok1 := parseDate(p)
		vt, ok2 := parseDate(v)
		if !ok1 || !ok2 {
			return false
		}
		return ok(vt.Compare(pt))
	}
}

func checkBool(s string) error {
	if !strings.EqualFold(s, "true") && !strings.EqualFold(s, "false") {
		return fmt.Errorf("%q is not true or false", s)
	}
	return nil
}

func checkBinary(s string) error {
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		return fmt.Errorf("%q is not base64", s)
	}
	return nil
}

func binEq(p, v string) bool {
	pb, err1 := base64.StdEncoding.DecodeString(p)
	vb, err2 := base64.StdEncoding.DecodeString(v)
	if err1 != nil || err2 != nil {
		return p == v
	}
	return bytes.Equal(pb, vb)
}

// parsePrefix reads a CIDR block or a bare address ("If you specify an IP
// address without the associated routing prefix, IAM uses the default
// prefix value of /32").
func parsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

func checkIP(s string) error {
	if _, ok := parsePrefix(s); !ok {
		return fmt.Errorf("%q is not an IP address or CIDR block like 203.0.113.0/24", s)
	}
	return nil
}

func ipIn(p, v string) bool {
	pp, ok := parsePrefix(p)
	if !ok {
		return false
	}
	vp, ok := parsePrefix(v)
	if !ok {
		return false
	}
	a := vp.Addr().Unmap()
	return pp.Contains(a) || pp.Contains(vp.Addr())
}

// describe words the condition for a finding: "aws:SourceIp is in
// 10.0.0.0/8".
// Negated reports whether the condition's operator is a negated one
// (StringNotEquals, StringNotLike, ArnNotLike, NotIpAddress, ...), which
// holds when the request's value is not among its values. Null is not.
func (c Condition) Negated() bool {
	o, err := parseOperator(c.Operator)
	return err == nil && o.base != "Null" && o.spec.negated
}

func (c Condition) describe() string {
	o, err := parseOperator(c.Operator)
	if err != nil {
		return c.Operator + " on " + c.Key
	}
	if o.base == "Null" {
		absent := false
		for _, v := range c.Values {
			absent = absent || strings.EqualFold(v, "true")
		}
		if absent {
			return c.Key + " is absent"
		}
		return c.Key + " is present"
	}
	key := c.Key
	switch o.set {
	case "ForAnyValue":
		key = "any value of " + key
	case "ForAllValues":
		key = "every value of " + key
	}
	vals := strings.Join(c.Values, " or ")
	if o.spec.negated && len(c.Values) > 1 {
		vals = strings.Join(c.Values, " nor ")
	}
	s := key + " " + o.spec.phrase + " " + vals
	if o.ifExists {
		s += " (or is absent)"
	}
	return s
}

// eval evaluates the condition against the request context; literal says
// policy variables are text (a policy whose Version is not 2012-10-17).
func (c Condition) eval(ec *evalCtx, literal bool) truth {
	o, err := parseOperator(c.Operator)
	if err != nil {
		return no
	}
	vals, present, known := ec.lookup(c.Key)
	if !known {
		return maybe
	}
	if o.base == "Null" {
		for _, want := range c.Values {
			if strings.EqualFold(want, "true") == !present {
				return yes
			}
		}
		return no
	}
	// For the set operators a key whose values are all empty strings is
	// a null data set, as a missing key is: ForAllValues "also returns true
	// if there are no keys in the request, or if the key values resolve to
	// a null data set, such as an empty string" (IAM, single-valued vs.
	// multivalued context keys).
	if !present || len(vals) == 0 || o.set != "" && !slices.ContainsFunc(vals, func(v string) bool { return v != "" }) {
		// "If the key that you specify in a policy condition is not present
		// in the request context, the values do not match": false, true for
		// the negated operators, true with IfExists and for ForAllValues,
		// false for ForAnyValue (with or without IfExists).
		switch {
		case o.set == "ForAllValues":
			return yes
		case o.set == "ForAnyValue":
			return no
		case o.ifExists, o.spec.negated:
			return yes
		}
		return no
	}
	// Resolve policy variables in the values: an expanded value is an
	// escaped pattern (see esc).
	type pval struct {
		s       string
		escaped bool
	}
	pvals := make([]pval, 0, len(c.Values))
	for _, p := range c.Values {
		if !o.spec.vars || literal || !strings.Contains(p, "${") {
			pvals = append(pvals, pval{p, false})
			continue
		}
		v, ok, unknown := expand(p, ec)
		if unknown != "" {
			return maybe
		}
		if ok {
			pvals = append(pvals, pval{v, true})
		}
	}
	arnOp := strings.HasPrefix(o.base, "Arn")
	matches := func(v string) bool {
		for _, p := range pvals {
			switch {
			case p.escaped && arnOp:
				if arnConditionMatch(p.s, v, true) {
					return true
				}
			case p.escaped && o.spec.glob:
				if globMatch(p.s, v, false, true) {
					return true
				}
			case p.escaped:
				if o.spec.match(unescape(p.s), v) {
					return true
				}
			case o.spec.match(p.s, v):
				return true
			}
		}
		return false
	}
	ok := func(v string) bool { return matches(v) != o.spec.negated }
	switch o.set {
	case "ForAllValues":
		for _, v := range vals {
			if !ok(v) {
				return no
			}
		}
		return yes
	case "ForAnyValue":
		for _, v := range vals {
			if ok(v) {
				return yes
			}
		}
		return no
	}
	if o.spec.negated {
		for _, v := range vals {
			if matches(v) {
				return no
			}
		}
		return yes
	}
	for _, v := range vals {
		if matches(v) {
			return yes
		}
	}
	return no
}
