package iam

import (
	"fmt"
	"sort"
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
	// Partial marks a request whose context is incomplete, as before a
	// migration: a condition on a key that is neither in Context nor in
	// Absent is unknown, and the decision weighs both outcomes (see
	// Decision.Conditional). Without Partial, a key not in Context is
	// absent, as at run time.
	Partial bool
	// Absent lists keys known to be absent from a partial request.
	Absent []string
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
	// Boundary is the caller's permissions boundary, nil for none: "The
	// effective permissions for an entity are the permissions that are
	// granted by both the entity's identity-based policies and its
	// permissions boundaries."
	Boundary *Policy
	// Session holds the session policies passed when the role session was
	// created, empty for none; the session's permissions are the
	// intersection of these and the identity-based policies.
	Session []*Policy
	// Context holds condition keys known for every request of this
	// principal, such as aws:PrincipalTag/team.
	Context map[string][]string
}

// Reason says how a decision was reached.
type Reason int

// The decision reasons, in the order AWS applies them. (New reasons are
// appended, so the values stay stable.)
const (
	// Allowed: no explicit deny, every SCP level allows, an identity
	// statement allows, and the boundary and session policies allow.
	Allowed Reason = iota
	// ExplicitDenySCP: a Deny statement in an SCP matched.
	ExplicitDenySCP
	// ExplicitDenyIdentity: a Deny statement in an identity policy matched.
	ExplicitDenyIdentity
	// ImplicitDenySCP: some SCP level has no Allow statement that matches.
	ImplicitDenySCP
	// ImplicitDenyIdentity: no identity statement allows the request.
	ImplicitDenyIdentity
	// ExplicitDenyBoundary: a Deny statement in the permissions boundary.
	ExplicitDenyBoundary
	// ExplicitDenySession: a Deny statement in a session policy.
	ExplicitDenySession
	// ImplicitDenyBoundary: the permissions boundary does not allow it.
	ImplicitDenyBoundary
	// ImplicitDenySession: no session policy allows it.
	ImplicitDenySession
)

func (r Reason) String() string {
	names := [...]string{"allowed", "explicit deny in a service control policy", "explicit deny in an identity-based policy",
		"no service control policy allows it", "no identity-based policy allows it",
		"explicit deny in a permissions boundary", "explicit deny in a session policy",
		"no permissions boundary allows it", "no session policy allows it"}
	if r < 0 || int(r) >= len(names) {
		return fmt.Sprintf("Reason(%d)", int(r))
	}
	return names[r]
}

// Explicit reports whether the reason is an explicit deny.
func (r Reason) Explicit() bool {
	return r == ExplicitDenySCP || r == ExplicitDenyIdentity || r == ExplicitDenyBoundary || r == ExplicitDenySession
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
	// Conditional is set when the outcome of a Partial request depends on
	// condition keys it leaves unknown. Reason is then the outcome when
	// those conditions go against the caller, Best the outcome when they
	// go for it, and When says which, like "allowed only when aws:SourceIp
	// is in 10.0.0.0/8" or "denied whenever aws:MultiFactorAuthPresent is
	// false".
	Conditional bool
	Best        Reason
	When        string
	// Unknown lists the unknown condition keys the outcome depends on.
	Unknown []string
}

// Allowed reports whether the request is allowed (for a conditional
// decision: whatever the unknown keys turn out to be).
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
	case ExplicitDenyBoundary:
		return head + "with an explicit deny in a permissions boundary"
	case ExplicitDenySession:
		return head + "with an explicit deny in a session policy"
	case ImplicitDenySCP:
		return head + "because no service control policy allows the " + d.Request.Action + " action"
	case ImplicitDenyIdentity:
		return head + "because no identity-based policy allows the " + d.Request.Action + " action"
	case ImplicitDenyBoundary:
		return head + "because no permissions boundary allows the " + d.Request.Action + " action"
	case ImplicitDenySession:
		return head + "because no session policy allows the " + d.Request.Action + " action"
	}
	return ""
}

// mode says how unknown (maybe) statements are taken.
type mode uint8

const (
	worst mode = iota // deny statements apply, allow statements do not
	best              // the reverse
)

// evalCtx is the context of one evaluation.
type evalCtx struct {
	ctx     map[string][]string // lower-cased keys
	partial bool
	absent  map[string]bool
	unknown map[string]bool
}

func newEvalCtx(p *Principal, req Request) *evalCtx {
	ec := &evalCtx{ctx: make(map[string][]string, len(req.Context)+len(p.Context)+2), partial: req.Partial}
	for k, v := range p.Context {
		ec.ctx[strings.ToLower(k)] = v
	}
	if p.ARN != "" && strings.HasPrefix(p.ARN, "arn:") {
		// The keys AWS derives from the principal itself.
		ec.ctx["aws:principalarn"] = []string{p.ARN}
		if parts := strings.SplitN(p.ARN, ":", 6); len(parts) == 6 {
			if parts[4] != "" {
				ec.ctx["aws:principalaccount"] = []string{parts[4]}
			}
			switch kind, rest, _ := strings.Cut(parts[5], "/"); {
			case parts[2] == "iam" && kind == "user":
				ec.ctx["aws:principaltype"] = []string{"User"}
				ec.ctx["aws:username"] = []string{rest[strings.LastIndex(rest, "/")+1:]}
			case parts[2] == "sts" && kind == "assumed-role":
				ec.ctx["aws:principaltype"] = []string{"AssumedRole"}
				// "IAM role – The request context contains the following
				// value for condition key aws:PrincipalArn. Do not specify
				// the assumed role session ARN as a value for this
				// condition key": arn:aws:iam::123456789012:role/role-name
				// (AWS global condition context keys). The session ARN
				// does not carry the role's path: give the role's ARN as
				// the principal when the role has one.
				if role, _, ok := strings.Cut(rest, "/"); ok && role != "" {
					ec.ctx["aws:principalarn"] = []string{parts[0] + ":" + parts[1] + ":iam::" + parts[4] + ":role/" + role}
				}
			case parts[2] == "iam" && kind == "role":
				// A role calls through its sessions.
				ec.ctx["aws:principaltype"] = []string{"AssumedRole"}
			case parts[2] == "iam" && kind == "root":
				ec.ctx["aws:principaltype"] = []string{"Account"}
			}
		}
	}
	for k, v := range req.Context {
		ec.ctx[strings.ToLower(k)] = v
	}
	if req.Partial {
		ec.absent = map[string]bool{}
		for _, k := range req.Absent {
			ec.absent[strings.ToLower(k)] = true
		}
	}
	return ec
}

// lookup finds a condition key case-insensitively. known is false when a
// partial request leaves the key unknown.
func (ec *evalCtx) lookup(key string) (vals []string, present, known bool) {
	k := strings.ToLower(key)
	if v, ok := ec.ctx[k]; ok {
		return v, true, true
	}
	if ec.partial && !ec.absent[k] {
		if ec.unknown == nil {
			ec.unknown = map[string]bool{}
		}
		ec.unknown[key] = true
		return nil, false, false
	}
	return nil, false, true
}

// Evaluate decides one request: an explicit deny anywhere wins, then every
// SCP level must allow, then an identity policy must allow, and the
// permissions boundary and session policies (when set) must allow too.
func (p *Principal) Evaluate(req Request) Decision {
	ec := newEvalCtx(p, req)
	d, _ := p.decide(req, ec, worst)
	if len(ec.unknown) == 0 {
		return d
	}
	b, allowAtoms := p.decide(req, ec, best)
	if d.Allowed() == b.Allowed() {
		return d
	}
	d.Conditional, d.Best = true, b.Reason
	var parts []string
	if len(allowAtoms) > 0 {
		parts = append(parts, "allowed only when "+strings.Join(allowAtoms, " and "))
	}
	if groups := p.maybeDenies(req, ec); len(groups) > 0 {
		parts = append(parts, "denied whenever "+strings.Join(groups, ", or "))
	}
	if len(parts) == 0 {
		parts = append(parts, "depends on condition keys the request does not supply")
	}
	d.When = strings.Join(parts, "; ")
	for k := range ec.unknown {
		d.Unknown = append(d.Unknown, k)
	}
	sort.Strings(d.Unknown)
	return d
}

// layer is one group of policies with the reasons it gives.
type layer struct {
	pols             []*Policy
	explicit, absent Reason
}

func (p *Principal) layers() (denies []layer, allows []layer) {
	for _, level := range p.SCPs {
		denies = append(denies, layer{level, ExplicitDenySCP, ImplicitDenySCP})
	}
	denies = append(denies, layer{p.Identity, ExplicitDenyIdentity, ImplicitDenyIdentity})
	if p.Boundary != nil {
		denies = append(denies, layer{[]*Policy{p.Boundary}, ExplicitDenyBoundary, ImplicitDenyBoundary})
	}
	if len(p.Session) > 0 {
		denies = append(denies, layer{p.Session, ExplicitDenySession, ImplicitDenySession})
	}
	return denies, denies
}

// decide evaluates with unknown statements taken as m says; it returns
// the decision and the conditions of the unknown Allow statements taken
// as applying.
func (p *Principal) decide(req Request, ec *evalCtx, m mode) (Decision, []string) {
	denies, allows := p.layers()
	seen := map[string]bool{}
	var atoms []string
	for _, l := range denies {
		if l.explicit == ExplicitDenyIdentity && l.pols == nil {
			continue
		}
		for _, pol := range l.pols {
			st, t, _ := pol.find(Deny, req, ec)
			if st != nil && (t == yes || m == worst) {
				return Decision{Request: req, Reason: l.explicit, Policy: pol.Name, Statement: st.Label()}, nil
			}
		}
	}
	var allowedBy Decision
	for _, l := range allows {
		var hit *Statement
		var hitPol *Policy
		var hitAtoms []string
		for _, pol := range l.pols {
			st, t, a := pol.find(Allow, req, ec)
			if st == nil || (t == maybe && m == worst) {
				continue
			}
			if hit == nil || t == yes {
				hit, hitPol, hitAtoms = st, pol, a
			}
			if t == yes {
				break
			}
		}
		if hit == nil {
			name := ""
			if len(l.pols) > 0 && l.absent == ImplicitDenySCP {
				name = l.pols[0].Name
			}
			return Decision{Request: req, Reason: l.absent, Policy: name}, nil
		}
		if len(hitAtoms) > 0 {
			// The layer allows only under unknown conditions: word every
			// statement that could, as alternatives.
			alts := p.maybeAllows(l.pols, req, ec)
			a := strings.Join(alts, ", or when ")
			if len(alts) == 0 {
				a = strings.Join(hitAtoms, " and ")
			}
			if !seen[a] {
				seen[a] = true
				atoms = append(atoms, a)
			}
		}
		if l.absent == ImplicitDenyIdentity {
			allowedBy = Decision{Request: req, Reason: Allowed, Policy: hitPol.Name, Statement: hit.Label()}
		}
	}
	return allowedBy, atoms
}

// maybeDenies words the Deny statements whose conditions are unknown:
// each as its unknown conditions joined by "and".
func (p *Principal) maybeDenies(req Request, ec *evalCtx) []string {
	denies, _ := p.layers()
	var out []string
	seen := map[string]bool{}
	for _, l := range denies {
		out = maybeStatements(out, seen, l.pols, Deny, req, ec)
	}
	return out
}

// maybeAllows words the Allow statements of a layer whose conditions are
// unknown, each as its unknown conditions joined by "and".
func (p *Principal) maybeAllows(pols []*Policy, req Request, ec *evalCtx) []string {
	return maybeStatements(nil, map[string]bool{}, pols, Allow, req, ec)
}

// maybeStatements appends to out, once each, the statements of effect in
// pols whose conditions are unknown for req, worded as their unknown
// conditions joined by "and".
func maybeStatements(out []string, seen map[string]bool, pols []*Policy, effect Effect, req Request, ec *evalCtx) []string {
	for _, pol := range pols {
		for i := range pol.Statements {
			st := &pol.Statements[i]
			if st.Effect != effect {
				continue
			}
			if t, atoms := st.eval(req.Action, req.Resource, ec); t == maybe {
				s := strings.Join(atoms, " and ")
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// EvaluateAll decides every request and returns the decisions in order.
func (p *Principal) EvaluateAll(reqs []Request) []Decision {
	out := make([]Decision, len(reqs))
	for i, r := range reqs {
		out[i] = p.Evaluate(r)
	}
	return out
}

// find returns the first statement of the given effect that applies, or,
// when none surely does, the first that may (with its unknown conditions).
func (pol *Policy) find(effect Effect, req Request, ec *evalCtx) (*Statement, truth, []string) {
	var first *Statement
	var firstAtoms []string
	for i := range pol.Statements {
		st := &pol.Statements[i]
		if st.Effect != effect {
			continue
		}
		switch t, atoms := st.eval(req.Action, req.Resource, ec); t {
		case yes:
			return st, yes, nil
		case maybe:
			if first == nil {
				first, firstAtoms = st, atoms
			}
		}
	}
	if first != nil {
		return first, maybe, firstAtoms
	}
	return nil, no, nil
}

// Applies reports whether the statement covers the action on the resource
// under the context, whatever its effect; keys not in ctx are absent.
func (st *Statement) Applies(action, resource string, ctx map[string][]string) bool {
	t, _ := st.eval(action, resource, newEvalCtx(&Principal{}, Request{Context: ctx}))
	return t == yes
}

// eval decides whether the statement covers the request: yes, no, or
// maybe with the unknown conditions it depends on.
func (st *Statement) eval(action, resource string, ec *evalCtx) (truth, []string) {
	if len(st.Action) > 0 && !anyMatch(st.Action, action, actionMatch) {
		return no, nil
	}
	if len(st.NotAction) > 0 && anyMatch(st.NotAction, action, actionMatch) {
		return no, nil
	}
	var atoms []string
	if len(st.Resource) > 0 {
		switch t, a := resourceMatch(st.Resource, resource, ec, st.literal); t {
		case no:
			return no, nil
		case maybe:
			atoms = append(atoms, a)
		}
	}
	if len(st.NotResource) > 0 {
		switch t, a := resourceMatch(st.NotResource, resource, ec, st.literal); t {
		case yes:
			return no, nil
		case maybe:
			atoms = append(atoms, "not "+a)
		}
	}
	for _, c := range st.Conditions {
		switch c.eval(ec, st.literal) {
		case no:
			return no, nil
		case maybe:
			atoms = append(atoms, c.describe())
		}
	}
	if len(atoms) > 0 {
		return maybe, atoms
	}
	return yes, nil
}

// resourceMatch matches a resource against a Resource or NotResource list,
// resolving policy variables unless literal (a policy whose Version is
// not 2012-10-17, where "${...}" is text).
func resourceMatch(patterns []string, resource string, ec *evalCtx, literal bool) (truth, string) {
	var maybeAtom string
	for _, p := range patterns {
		if !literal && strings.Contains(p, "${") {
			if checkResourcePattern(p, false) != nil {
				continue
			}
			v, ok, unknown := expand(p, ec)
			if unknown != "" {
				if maybeAtom == "" {
					maybeAtom = fmt.Sprintf("%s makes the resource match %s", unknown, p)
				}
				continue
			}
			if !ok {
				continue
			}
			if globMatch(v, resource, true, true) {
				return yes, ""
			}
			continue
		}
		if ARNMatch(p, resource) {
			return yes, ""
		}
	}
	if maybeAtom != "" {
		return maybe, maybeAtom
	}
	return no, ""
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
	if pattern == "*" {
		return true
	}
	if len(pattern) == len(action) && strings.EqualFold(pattern, action) {
		return true
	}
	if !strings.ContainsAny(pattern, "*?") {
		return false
	}
	return globMatch(strings.ToLower(pattern), strings.ToLower(action), false, false)
}

// Gap is a policy layer that has no Allow statement for a request: every
// one must be filled before the request is allowed, as the effective
// permissions are the intersection of the layers ("The effective
// permissions are the intersection of both policy types", Permissions
// boundaries for IAM entities).
type Gap struct {
	// Reason is the implicit deny the layer gives: ImplicitDenySCP,
	// ImplicitDenyIdentity, ImplicitDenyBoundary or ImplicitDenySession.
	Reason Reason
	// Level is the SCP level (root first), for ImplicitDenySCP.
	Level int
	// Policy names the layer as Decision does: an SCP level's first
	// policy, or the boundary; empty for identity and session policies.
	Policy string
	// Near is an Allow statement of the layer that covers the action and
	// the resource but whose conditions do not hold, nil for none.
	Near *NearMiss
}

// NearMiss is the Allow statement of a layer that comes nearest to a
// request: it covers the request's action and resource but a condition
// does not hold, or it lacks one of the two in its Action or Resource
// element (with its conditions holding or not).
type NearMiss struct {
	Policy    string
	Statement string
	Failed    []FailedCondition
	// Action is set when the statement's Action element does not list the
	// request's action (its Resource does list the resource): adding the
	// action to it fills the gap, conditions aside.
	Action bool
	// Resource is set when the statement's Resource element does not list
	// the request's resource (its Action does list the action): adding
	// the resource's ARN to it fills the gap, conditions aside.
	Resource bool
}

// Covers reports whether the statement covers the request's action and
// resource, so that only its conditions keep it from allowing.
func (n *NearMiss) Covers() bool { return !n.Action && !n.Resource }

// FailedCondition is a condition that does not hold for a request.
type FailedCondition struct {
	Condition
	// Text words what the condition asks, like "aws:RequestedRegion is
	// us-east-1 or us-east-2".
	Text string
	// Negated is set for an operator that the listed values fail
	// (StringNotEquals, ArnNotLike, ...): the request's value must leave
	// the list rather than join it. Null is never negated.
	Negated bool
	// Null is set for the Null operator.
	Null bool
}

// Gaps lists every layer that has no Allow statement surely applying to
// req, in the order AWS evaluates them (SCP levels, identity policies,
// permissions boundary, session policies), whatever the explicit denies:
// the layers Evaluate does not reach once one of them denies. An Allow
// whose condition is unknown (a partial request) fills its layer: that
// layer does not lack an Allow, the caller's circumstances decide, so a
// denial another layer decided may not list the layer that its Reason
// names.
func (p *Principal) Gaps(req Request) []Gap {
	ec := newEvalCtx(p, req)
	var out []Gap
	check := func(pols []*Policy, reason Reason, level int, name string) {
		for _, pol := range pols {
			if st, _, _ := pol.find(Allow, req, ec); st != nil {
				return
			}
		}
		g := Gap{Reason: reason, Level: level, Policy: name}
		g.Near = nearMiss(pols, req, ec)
		out = append(out, g)
	}
	for i, level := range p.SCPs {
		name := ""
		if len(level) > 0 {
			name = level[0].Name
		}
		check(level, ImplicitDenySCP, i, name)
	}
	check(p.Identity, ImplicitDenyIdentity, 0, "")
	if p.Boundary != nil {
		check([]*Policy{p.Boundary}, ImplicitDenyBoundary, 0, p.Boundary.Name)
	}
	if len(p.Session) > 0 {
		check(p.Session, ImplicitDenySession, 0, "")
	}
	return out
}

// DenyHit is a Deny statement that applies to a request.
type DenyHit struct {
	// Reason is the explicit deny it gives: ExplicitDenySCP,
	// ExplicitDenyIdentity, ExplicitDenyBoundary or ExplicitDenySession.
	Reason Reason
	// Level is the SCP level (root first), for ExplicitDenySCP.
	Level     int
	Policy    string
	Statement string
	// Conditions are the statement's conditions, which say what lifts it.
	Conditions []Condition
}

// Denies lists every Deny statement that surely applies to req, in the
// order AWS evaluates the layers (SCP levels, identity policies,
// permissions boundary, session policies), not only the first, which
// Evaluate reports: "An explicit deny overrides an explicit allow", so
// each must be lifted before the request is allowed. A Deny whose
// condition a partial request leaves unknown is not listed.
func (p *Principal) Denies(req Request) []DenyHit {
	ec := newEvalCtx(p, req)
	var out []DenyHit
	check := func(pols []*Policy, reason Reason, level int) {
		for _, pol := range pols {
			if pol == nil {
				continue
			}
			for i := range pol.Statements {
				st := &pol.Statements[i]
				if st.Effect != Deny {
					continue
				}
				if t, _ := st.eval(req.Action, req.Resource, ec); t == yes {
					out = append(out, DenyHit{Reason: reason, Level: level, Policy: pol.Name, Statement: st.Label(), Conditions: st.Conditions})
				}
			}
		}
	}
	for i, level := range p.SCPs {
		check(level, ExplicitDenySCP, i)
	}
	check(p.Identity, ExplicitDenyIdentity, 0)
	if p.Boundary != nil {
		check([]*Policy{p.Boundary}, ExplicitDenyBoundary, 0)
	}
	check(p.Session, ExplicitDenySession, 0)
	return out
}

// nearMiss finds the Allow statement of pols nearest to allowing req:
// first one that covers the action and the resource but has a condition
// that does not hold, preferring one whose failing conditions all test
// aws:RequestedRegion (the one the advice can name a value for); then one
// whose Action or Resource element lacks the request's action or
// resource (not both), preferring one whose conditions hold. A statement
// whose NotAction or NotResource excludes the request, or whose Resource
// depends on an unknown policy variable, is not one.
func nearMiss(pols []*Policy, req Request, ec *evalCtx) *NearMiss {
	var best *NearMiss
	bestTier := 0
	for _, pol := range pols {
		if pol == nil {
			continue
		}
		for i := range pol.Statements {
			st := &pol.Statements[i]
			if st.Effect != Allow {
				continue
			}
			n, ok := st.nearMiss(req, ec)
			if !ok {
				continue
			}
			n.Policy = pol.Name
			regionOnly := true
			for _, fc := range n.Failed {
				regionOnly = regionOnly && strings.EqualFold(fc.Key, KeyRequestedRegion) && !fc.Null
			}
			// The tiers, best first: covers and fails only Region
			// conditions; covers and fails others; lacks the action or the
			// resource, conditions holding; lacking it and failing only
			// Region conditions; lacking it and failing others. Among
			// statements that lack the resource, one that lists resources
			// of its type (foundation-model, inference-profile) comes first.
			tier := 0
			switch {
			case n.Covers() && regionOnly:
				tier = 0
			case n.Covers():
				tier = 2
			case len(n.Failed) == 0:
				tier = 4
			case regionOnly:
				tier = 6
			default:
				tier = 8
			}
			if n.Resource && !sameType(st.Resource, req.Resource) {
				tier++
			}
			if best == nil || tier < bestTier {
				best, bestTier = n, tier
			}
			if tier == 0 {
				return best
			}
		}
	}
	return best
}

// sameType reports whether a pattern of the list names the resource type
// of arn (the part of its resource before "/").
func sameType(patterns []string, arn string) bool {
	typ := func(s string) string {
		parts := strings.SplitN(s, ":", 6)
		if len(parts) < 6 {
			return ""
		}
		t, _, _ := strings.Cut(parts[5], "/")
		return t
	}
	want := typ(arn)
	for _, p := range patterns {
		if want != "" && typ(p) == want {
			return true
		}
	}
	return false
}

// nearMiss says what keeps the Allow statement from allowing req, and
// whether it is near enough to name (see the package's nearMiss).
func (st *Statement) nearMiss(req Request, ec *evalCtx) (*NearMiss, bool) {
	n := &NearMiss{Statement: st.Label()}
	if len(st.NotAction) > 0 && anyMatch(st.NotAction, req.Action, actionMatch) {
		return nil, false
	}
	if len(st.Action) > 0 && !anyMatch(st.Action, req.Action, actionMatch) {
		n.Action = true
	}
	if len(st.NotResource) > 0 {
		if t, _ := resourceMatch(st.NotResource, req.Resource, ec, st.literal); t != no {
			return nil, false
		}
	}
	if len(st.Resource) > 0 {
		switch t, _ := resourceMatch(st.Resource, req.Resource, ec, st.literal); t {
		case maybe:
			return nil, false
		case no:
			n.Resource = true
		}
	}
	if n.Action && n.Resource {
		return nil, false
	}
	for _, c := range st.Conditions {
		if c.eval(ec, st.literal) != no {
			continue
		}
		fc := FailedCondition{Condition: c, Text: c.describe()}
		if o, err := parseOperator(c.Operator); err == nil {
			fc.Null = o.base == "Null"
			fc.Negated = o.spec.negated && !fc.Null
		}
		n.Failed = append(n.Failed, fc)
	}
	if n.Covers() && len(n.Failed) == 0 {
		// It allows (or may, on an unknown key): no near miss.
		return nil, false
	}
	return n, true
}
