package iam

import (
	"fmt"
	"strings"
)

// Request is one authorization request: an action on a resource with the
// request context AWS sets.
type Request struct {
	Action   string
	Resource string
	// Context holds condition keys (matched case-insensitively) and values.
	Context map[string][]string
	// Role says why Bedrock evaluates this resource, for reports: see the
	// Role* constants.
	Role string
	// Region is the Region the evaluation carries in aws:RequestedRegion.
	Region string
}

// Principal is a caller with its policies.
type Principal struct {
	// ARN is the caller as AWS names it in denials, e.g.
	// arn:aws:sts::111122223333:assumed-role/app/session.
	ARN string
	// Identity holds the identity-based policies attached to the caller.
	Identity []*Policy
	// SCPs holds the service control policies at each level of the
	// organization, root first. Every level must allow a request.
	SCPs [][]*Policy
}

// Reason says how a decision was reached.
type Reason int

// The decision reasons, in the order AWS applies them.
const (
	// Allowed: no explicit deny, every SCP level allows, and an identity
	// statement allows.
	Allowed Reason = iota
	// ExplicitDenySCP: a Deny statement in an SCP matched.
	ExplicitDenySCP
	// ExplicitDenyIdentity: a Deny statement in an identity policy matched.
	ExplicitDenyIdentity
	// ImplicitDenySCP: some SCP level has no Allow statement that matches.
	ImplicitDenySCP
	// ImplicitDenyIdentity: no identity statement allows the request.
	ImplicitDenyIdentity
)

func (r Reason) String() string {
	return [...]string{"allowed", "explicit deny in a service control policy", "explicit deny in an identity-based policy",
		"no service control policy allows it", "no identity-based policy allows it"}[r]
}

// Decision is the outcome for one request.
type Decision struct {
	Request Request
	Reason  Reason
	// Policy and Statement name what decided: the denying statement, the
	// allowing identity statement, or, for an implicit SCP deny, the
	// level's first policy.
	Policy    string
	Statement string
}

// Allowed reports whether the request is allowed.
func (d Decision) Allowed() bool { return d.Reason == Allowed }

// Message words a denial as Amazon Bedrock does in AccessDeniedException.
func (d Decision) Message(principal string) string {
	head := fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s ", principal, d.Request.Action, d.Request.Resource)
	switch d.Reason {
	case ExplicitDenySCP:
		if strings.HasPrefix(d.Policy, "arn:aws:organizations::") {
			return head + "with an explicit deny in a service control policy: " + d.Policy
		}
		return head + "with an explicit deny in a service control policy"
	case ExplicitDenyIdentity:
		return head + "with an explicit deny in an identity-based policy"
	case ImplicitDenySCP:
		return head + "because no service control policy allows the " + d.Request.Action + " action"
	case ImplicitDenyIdentity:
		return head + "because no identity-based policy allows the " + d.Request.Action + " action"
	}
	return ""
}

// Evaluate decides one request: an explicit deny anywhere wins, then every
// SCP level must allow, then an identity policy must allow.
func (p *Principal) Evaluate(req Request) Decision {
	ctx := req.Context
	if p.ARN != "" && lookup(ctx, "aws:PrincipalArn") == nil {
		ctx = withKey(ctx, "aws:PrincipalArn", p.ARN)
	}
	for _, level := range p.SCPs {
		for _, pol := range level {
			if st := pol.match(Deny, req, ctx); st != nil {
				return Decision{Request: req, Reason: ExplicitDenySCP, Policy: pol.Name, Statement: st.Label()}
			}
		}
	}
	for _, pol := range p.Identity {
		if st := pol.match(Deny, req, ctx); st != nil {
			return Decision{Request: req, Reason: ExplicitDenyIdentity, Policy: pol.Name, Statement: st.Label()}
		}
	}
	for _, level := range p.SCPs {
		allowed := false
		for _, pol := range level {
			if pol.match(Allow, req, ctx) != nil {
				allowed = true
				break
			}
		}
		if !allowed {
			name := ""
			if len(level) > 0 {
				name = level[0].Name
			}
			return Decision{Request: req, Reason: ImplicitDenySCP, Policy: name}
		}
	}
	for _, pol := range p.Identity {
		if st := pol.match(Allow, req, ctx); st != nil {
			return Decision{Request: req, Reason: Allowed, Policy: pol.Name, Statement: st.Label()}
		}
	}
	return Decision{Request: req, Reason: ImplicitDenyIdentity}
}

// EvaluateAll decides every request and returns the decisions in order.
func (p *Principal) EvaluateAll(reqs []Request) []Decision {
	out := make([]Decision, len(reqs))
	for i, r := range reqs {
		out[i] = p.Evaluate(r)
	}
	return out
}

// match returns the first statement of the given effect that applies.
func (pol *Policy) match(effect Effect, req Request, ctx map[string][]string) *Statement {
	for i := range pol.Statements {
		st := &pol.Statements[i]
		if st.Effect == effect && st.Applies(req.Action, req.Resource, ctx) {
			return st
		}
	}
	return nil
}

// Applies reports whether the statement covers the action on the resource
// under the context, whatever its effect.
func (st *Statement) Applies(action, resource string, ctx map[string][]string) bool {
	if len(st.Action) > 0 && !anyMatch(st.Action, action, actionMatch) {
		return false
	}
	if len(st.NotAction) > 0 && anyMatch(st.NotAction, action, actionMatch) {
		return false
	}
	if len(st.Resource) > 0 && !anyMatch(st.Resource, resource, ARNMatch) {
		return false
	}
	if len(st.NotResource) > 0 && anyMatch(st.NotResource, resource, ARNMatch) {
		return false
	}
	for _, c := range st.Conditions {
		if !c.holds(ctx) {
			return false
		}
	}
	return true
}

func anyMatch(patterns []string, s string, match func(p, s string) bool) bool {
	for _, p := range patterns {
		if match(p, s) {
			return true
		}
	}
	return false
}

// actionMatch matches "service:Action" patterns case-insensitively.
func actionMatch(pattern, action string) bool {
	return globMatch(strings.ToLower(pattern), strings.ToLower(action), false)
}

// ARNMatch matches an ARN against a Resource or ArnLike pattern, as IAM
// does: "*" and "?" match within one colon-separated segment, except that a
// "*" that ends a segment may expand beyond the colon; "*" alone matches
// everything.
func ARNMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	return globMatch(pattern, arn, true)
}

// globMatch matches s against pattern with "*" (any run) and "?" (any one
// character). With segments, neither crosses a ":" unless the "*" is the
// last character of its pattern segment. It is a dynamic program over
// prefixes, so a pattern with many stars stays linear in each dimension.
func globMatch(pattern, s string, segments bool) bool {
	prev := make([]bool, len(s)+1) // prev[j]: pattern[:i-1] matches s[:j]
	cur := make([]bool, len(s)+1)
	prev[0] = true
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		spans := !segments || starSpansColons(pattern, i)
		cur[0] = c == '*' && prev[0]
		for j := 1; j <= len(s); j++ {
			switch {
			case c == '*':
				cur[j] = prev[j] || (cur[j-1] && (spans || s[j-1] != ':'))
			case c == '?':
				cur[j] = prev[j-1] && !(segments && s[j-1] == ':')
			default:
				cur[j] = prev[j-1] && c == s[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(s)]
}

// starSpansColons reports whether the "*" at pattern[i] ends a segment.
func starSpansColons(pattern string, i int) bool {
	return i+1 == len(pattern) || pattern[i+1] == ':'
}

// operator is a parsed condition operator.
type operator struct {
	base     string
	set      string // "", "ForAnyValue" or "ForAllValues"
	ifExists bool
}

var operators = map[string]struct {
	negated bool
	match   func(policy, value string) bool
}{
	"StringEquals":              {false, func(p, v string) bool { return p == v }},
	"StringNotEquals":           {true, func(p, v string) bool { return p == v }},
	"StringEqualsIgnoreCase":    {false, strings.EqualFold},
	"StringNotEqualsIgnoreCase": {true, strings.EqualFold},
	"StringLike":                {false, func(p, v string) bool { return globMatch(p, v, false) }},
	"StringNotLike":             {true, func(p, v string) bool { return globMatch(p, v, false) }},
	"ArnEquals":                 {false, ARNMatch},
	"ArnLike":                   {false, ARNMatch},
	"ArnNotEquals":              {true, ARNMatch},
	"ArnNotLike":                {true, ARNMatch},
	"Bool":                      {false, strings.EqualFold},
	"Null":                      {false, nil},
}

func parseOperator(op string) (operator, error) {
	o := operator{base: op}
	if set, rest, ok := strings.Cut(o.base, ":"); ok {
		if set != "ForAnyValue" && set != "ForAllValues" {
			return o, fmt.Errorf("condition operator %q: unknown qualifier %q (ForAnyValue or ForAllValues)", op, set)
		}
		o.set, o.base = set, rest
	}
	if b, ok := strings.CutSuffix(o.base, "IfExists"); ok && b != "Null" {
		o.base, o.ifExists = b, true
	}
	if _, ok := operators[o.base]; !ok {
		return o, fmt.Errorf("condition operator %q is not supported (String*, Arn*, Bool, Null, with ForAnyValue:/ForAllValues: and IfExists)", op)
	}
	return o, nil
}

// holds evaluates the condition against the request context.
func (c Condition) holds(ctx map[string][]string) bool {
	op, err := parseOperator(c.Operator)
	if err != nil {
		return false
	}
	vals := lookup(ctx, c.Key)
	if op.base == "Null" {
		for _, want := range c.Values {
			if strings.EqualFold(want, "true") == (vals == nil) {
				return true
			}
		}
		return false
	}
	spec := operators[op.base]
	if vals == nil {
		switch {
		case op.ifExists, op.set == "ForAllValues":
			return true
		case op.set == "ForAnyValue":
			return false
		}
		return spec.negated
	}
	matches := func(v string) bool {
		for _, p := range c.Values {
			if spec.match(p, v) {
				return true
			}
		}
		return false
	}
	// ok says whether one context value satisfies the operator.
	ok := func(v string) bool { return matches(v) != spec.negated }
	switch op.set {
	case "ForAllValues":
		for _, v := range vals {
			if !ok(v) {
				return false
			}
		}
		return true
	case "ForAnyValue":
		for _, v := range vals {
			if ok(v) {
				return true
			}
		}
		return false
	}
	if spec.negated {
		for _, v := range vals {
			if matches(v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if matches(v) {
			return true
		}
	}
	return false
}

// lookup finds a condition key case-insensitively; nil means absent.
func lookup(ctx map[string][]string, key string) []string {
	if v, ok := ctx[key]; ok {
		return v
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func withKey(ctx map[string][]string, key, value string) map[string][]string {
	out := make(map[string][]string, len(ctx)+1)
	for k, v := range ctx {
		out[k] = v
	}
	out[key] = []string{value}
	return out
}
