// Package preflight checks, before a migration, what a move to a Region
// and a model will run into: whether the Region's catalog offers the
// model, where an inference profile routes, and whether the caller's IAM
// policies and SCPs allow the model in every one of those Regions.
//
// To use it:
//
//  1. Give [Run] a control-plane client (*bedrock.Client satisfies
//     [ControlPlane]) for the Region, and an [Input]: the model, and the
//     caller's policies or a live [Simulator] (*iam.Client).
//  2. Read the [Report]: the catalog result, the routes, one [Check] per
//     action and resource, the findings, and the statement that fixes the
//     denials.
package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
	"github.com/bedrock-bench/bedrock-bench/bench/internal/pages"
)

// ControlPlane is what preflight reads from Bedrock's control plane.
type ControlPlane interface {
	GetFoundationModel(context.Context, *bedrock.GetFoundationModelInput, ...func(*bedrock.Options)) (*bedrock.GetFoundationModelOutput, error)
	GetInferenceProfile(context.Context, *bedrock.GetInferenceProfileInput, ...func(*bedrock.Options)) (*bedrock.GetInferenceProfileOutput, error)
	ListInferenceProfiles(context.Context, *bedrock.ListInferenceProfilesInput, ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error)
}

// Simulator is IAM's policy simulator.
type Simulator interface {
	SimulatePrincipalPolicy(context.Context, *iamsdk.SimulatePrincipalPolicyInput, ...func(*iamsdk.Options)) (*iamsdk.SimulatePrincipalPolicyOutput, error)
}

// ContextKeyLister lists the condition keys a principal's policies test;
// *iam.Client satisfies it. A Simulator that also satisfies it lets
// preflight say which keys the run does not supply.
type ContextKeyLister interface {
	GetContextKeysForPrincipalPolicy(context.Context, *iamsdk.GetContextKeysForPrincipalPolicyInput, ...func(*iamsdk.Options)) (*iamsdk.GetContextKeysForPrincipalPolicyOutput, error)
}

var (
	_ ControlPlane     = (*bedrock.Client)(nil)
	_ Simulator        = (*iamsdk.Client)(nil)
	_ ContextKeyLister = (*iamsdk.Client)(nil)
)

// Input says what to check.
type Input struct {
	Region string
	// Model is a model id, an inference profile id, or an ARN.
	Model string
	// Principal is the caller with its identity policies and SCPs; used
	// unless Simulator is set.
	Principal *iam.Principal
	// Simulator checks IAM live with iam:SimulatePrincipalPolicy for
	// PrincipalARN instead.
	Simulator    Simulator
	PrincipalARN string
	// PrincipalFrom says where PrincipalARN came from (see
	// [CallerPrincipal]), for the report; nil means it was given
	// (FromFlag).
	PrincipalFrom *LivePrincipal
	// Catalog suggests other Regions and profiles; nil uses the embedded one.
	Catalog *catalog.Catalog
	// Now is the day lifecycle dates are compared with; zero means today.
	Now time.Time
	// Context supplies condition keys the run cannot know, such as
	// aws:SourceIp or aws:PrincipalTag/team (--context key=value). A
	// condition on any other key that Bedrock does not set is evaluated
	// both ways and reported as conditional.
	Context map[string][]string
}

// Report is preflight's answer.
type Report struct {
	Region string `json:"region"`
	Model  string `json:"model"`
	// Principal is the principal a live check simulated, and where its
	// ARN came from; nil when the policies were given as files.
	Principal *LivePrincipal `json:"principal,omitempty"`
	Catalog   Catalog        `json:"catalog"`
	Routing   *Routing       `json:"routing,omitempty"`
	IAM       []Check        `json:"iam"`
	Fix       *Fix           `json:"fix,omitempty"`
	Findings  []Finding      `json:"findings"`
	// ContextKeys lists the condition keys the principal's policies test,
	// as the live simulator reports them; UnsuppliedKeys those that
	// neither Bedrock nor --context supplies.
	ContextKeys    []string `json:"contextKeys,omitempty"`
	UnsuppliedKeys []string `json:"unsuppliedKeys,omitempty"`
	// Notes are remarks that are not findings.
	Notes []string `json:"notes,omitempty"`
}

// OK reports whether preflight found nothing.
func (r *Report) OK() bool { return len(r.Findings) == 0 }

// The catalog results.
const (
	// OnDemand: the Region serves the model by its own id.
	OnDemand = "on-demand"
	// ViaProfile: the Region serves the model through the profile called.
	ViaProfile = "via-profile"
	// ProfileOnly: the model was called by its id, but the Region serves
	// it only through a profile.
	ProfileOnly = "profile-only"
	// NotOffered: the Region does not serve it at all.
	NotOffered = "not-offered"
	// Provisioned: a Provisioned Throughput ARN, which no catalog lists;
	// only IAM is checked.
	Provisioned = "provisioned"
)

// Catalog is what the Region's catalog says about the model.
type Catalog struct {
	// Kind is "foundation-model", "inference-profile",
	// "application-inference-profile" or "provisioned-model".
	Kind string `json:"kind"`
	// Offered is on-demand, via-profile, profile-only, not-offered or
	// provisioned.
	Offered   string `json:"offered"`
	ModelID   string `json:"modelId,omitempty"`
	ModelName string `json:"modelName,omitempty"`
	// Lifecycle is ACTIVE, LEGACY or END_OF_LIFE.
	Lifecycle string `json:"lifecycle,omitempty"`
	EndOfLife string `json:"endOfLife,omitempty"`
	// Profiles lists profiles callable from the Region that contain the
	// model (for a profile-only model).
	Profiles []string `json:"profiles,omitempty"`
	// Alternatives lists where else the model is served, best first (from
	// the embedded catalog).
	Alternatives []catalog.Suggestion `json:"alternatives,omitempty"`
}

// Routing is where a profile sends calls from the Region.
type Routing struct {
	Profile    string `json:"profile"`
	ProfileARN string `json:"profileArn"`
	// Application marks an application inference profile.
	Application  bool     `json:"application,omitempty"`
	Global       bool     `json:"global,omitempty"`
	Destinations []string `json:"destinations"`
}

// RoleProvisionedModel is the role of a Provisioned Throughput's ARN in
// a Check.
const RoleProvisionedModel = "provisioned model"

// Check is one IAM evaluation.
type Check struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// Role says why Bedrock evaluates the resource.
	Role            string `json:"role"`
	RequestedRegion string `json:"requestedRegion"`
	Allowed         bool   `json:"allowed"`
	// Decision is allowed, implicitDeny or explicitDeny.
	Decision string `json:"decision"`
	// Reason says which layer decided.
	Reason string `json:"reason"`
	// Policy and Statement name what decided, when known.
	Policy    string `json:"policy,omitempty"`
	Statement string `json:"statement,omitempty"`
	// Conditional marks a check whose outcome depends on condition keys
	// the run does not supply; When says how, like "allowed only when
	// aws:SourceIp is in 10.0.0.0/8", and UnknownKeys lists the keys.
	Conditional bool     `json:"conditional,omitempty"`
	When        string   `json:"when,omitempty"`
	UnknownKeys []string `json:"unknownKeys,omitempty"`
	// MissingAllow lists, for a denial, every layer that has no Allow
	// statement for the request (the one Reason names, and those
	// evaluation did not reach), whether or not an explicit Deny decided:
	// "scp:POLICY" (an SCP level, by its first policy), "identity",
	// "boundary", "session". Each must allow before the request is. (A
	// layer whose Allow depends on a condition key the run does not know
	// is not listed.)
	MissingAllow []string `json:"missingAllow,omitempty"`
	// ExplicitDenies lists, for a denial an explicit Deny decided, every
	// Deny statement that applies to the request, in the order AWS
	// evaluates the layers (the one Policy and Statement name first).
	ExplicitDenies []Deny `json:"explicitDenies,omitempty"`
	// gaps are those layers, for the fix.
	gaps []iam.Gap
	// denies are the Deny statements of ExplicitDenies, for the fix.
	denies []iam.DenyHit
	// local marks a check evaluated with the policies (not the live
	// simulator), whose gaps and denies are known.
	local bool
	// scp marks SCP decisions, for the fix.
	scp bool
	// req is the request evaluated, for checking the fix.
	req iam.Request
}

// Deny names a Deny statement that applies to a request.
type Deny struct {
	// Layer is "scp", "identity", "boundary" or "session".
	Layer     string `json:"layer"`
	Policy    string `json:"policy"`
	Statement string `json:"statement"`
}

// Fix is what would make the denials go away.
type Fix struct {
	// Statement is the smallest identity-policy statement that allows
	// every request no SCP or explicit deny blocks.
	Statement json.RawMessage `json:"statement,omitempty"`
	// Advice covers what a statement cannot fix: SCPs, explicit denies.
	Advice []string `json:"advice,omitempty"`
}

// Finding is one problem found.
type Finding struct {
	// Kind is not-offered, profile-only, legacy, end-of-life, denied,
	// conditional or unreadable-statement.
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Run checks in.Model in in.Region.
func Run(ctx context.Context, cp ControlPlane, in Input) (*Report, error) {
	if in.Region == "" || in.Model == "" {
		return nil, ErrInput{"a Region and a model are required"}
	}
	if in.Principal == nil && in.Simulator == nil {
		return nil, ErrInput{"give the caller's policies or a simulator"}
	}
	if in.Catalog == nil {
		in.Catalog = catalog.Default()
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	r := &Report{Region: in.Region, Model: in.Model, Principal: in.livePrincipal(), IAM: []Check{}, Findings: []Finding{}}
	r.Findings = append(r.Findings, unreadable(in.Principal)...)
	r.Notes = append(r.Notes, misspeltKeys(in.Principal)...)
	in.Context, r.Notes = withoutBedrockKeys(in.Context, r.Notes)
	inv, err := r.checkCatalog(ctx, cp, in)
	if err != nil {
		return nil, err
	}
	if inv == nil {
		return r, nil
	}
	if err := r.listContextKeys(ctx, in); err != nil {
		return nil, err
	}
	for _, action := range []string{iam.ActionInvokeModel, iam.ActionInvokeModelWithResponseStream} {
		inv.Action = action
		reqs := inv.Requests()
		if r.Catalog.Offered == Provisioned {
			// The provisioned-model ARN itself, in the Region called
			// (Identity-based policy examples for Provisioned Throughput,
			// https://docs.aws.amazon.com/bedrock/latest/userguide/security_iam_id-based-policy-examples-pt.html).
			reqs = []iam.Request{{Action: action, Resource: in.Model, Context: map[string][]string{iam.KeyRequestedRegion: {in.Region}}, Role: RoleProvisionedModel, Region: in.Region}}
		}
		checks, err := evaluate(ctx, in, reqs)
		if err != nil {
			return nil, err
		}
		r.IAM = append(r.IAM, checks...)
	}
	r.Findings = append(r.Findings, iamFindings(r.IAM)...)
	r.Fix = fix(r.IAM, in)
	if r.Catalog.Offered == ProfileOnly && r.Fix != nil {
		// Allowing the model by its id lifts the denial, but the call
		// still answers that on-demand throughput isn't supported: the
		// fix is to call a profile, whose IAM is another check.
		msg := "calling " + in.Model + " by its id fails however IAM allows it: call an inference profile that contains it"
		if len(r.Catalog.Profiles) > 0 {
			msg = fmt.Sprintf("calling %s by its id fails however IAM allows it: call %s instead, and run preflight with --model %s for the Regions and IAM it needs", in.Model, strings.Join(r.Catalog.Profiles, " or "), r.Catalog.Profiles[0])
		}
		r.Fix = &Fix{Advice: []string{msg}}
	}
	return r, nil
}

// livePrincipal is the principal a live check simulates, nil without
// one.
func (in Input) livePrincipal() *LivePrincipal {
	switch {
	case in.Simulator == nil:
		return nil
	case in.PrincipalFrom != nil:
		p := *in.PrincipalFrom
		p.ARN = in.PrincipalARN
		return &p
	}
	return &LivePrincipal{ARN: in.PrincipalARN, From: FromFlag}
}

// listContextKeys asks a live simulator which condition keys the
// principal's policies test.
func (r *Report) listContextKeys(ctx context.Context, in Input) error {
	lister, ok := in.Simulator.(ContextKeyLister)
	if !ok {
		return nil
	}
	out, err := lister.GetContextKeysForPrincipalPolicy(ctx, &iamsdk.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String(in.PrincipalARN)})
	if err != nil {
		// Only a help: the simulation itself still reports missing keys.
		r.Notes = append(r.Notes, fmt.Sprintf("could not list the condition keys the policies test (iam:GetContextKeysForPrincipalPolicy): %v", err))
		return nil
	}
	r.ContextKeys = append([]string(nil), out.ContextKeyNames...)
	sort.Strings(r.ContextKeys)
	bedrockSets := map[string]bool{strings.ToLower(iam.KeyRequestedRegion): true, strings.ToLower(iam.KeyInferenceProfileArn): true, "aws:principalarn": true, "aws:principalaccount": true}
	for k := range in.Context {
		bedrockSets[strings.ToLower(k)] = true
	}
	for _, k := range r.ContextKeys {
		if !bedrockSets[strings.ToLower(k)] {
			r.UnsuppliedKeys = append(r.UnsuppliedKeys, k)
		}
	}
	return nil
}

// ErrInput is a mistake in the Input.
type ErrInput struct{ msg string }

func (e ErrInput) Error() string { return "preflight: " + e.msg }

// iamFindings turns denied checks into findings: one per denial, and one
// per distinct condition for the conditional ones.
func iamFindings(checks []Check) []Finding {
	var out []Finding
	var order []string
	cond := map[string][]Check{}
	for _, c := range checks {
		switch {
		case c.Allowed:
		case c.Conditional:
			if cond[c.When] == nil {
				order = append(order, c.When)
			}
			cond[c.When] = append(cond[c.When], c)
		default:
			out = append(out, Finding{Kind: "denied", Message: fmt.Sprintf("%s on %s (%s) is denied: %s", c.Action, c.Resource, c.Role, c.Reason)})
		}
	}
	for _, when := range order {
		cs := cond[when]
		keys := map[string]bool{}
		var hints []string
		for _, c := range cs {
			for _, k := range c.UnknownKeys {
				if !keys[k] {
					keys[k] = true
					hints = append(hints, "--context "+k+"=VALUE")
				}
			}
		}
		what := fmt.Sprintf("%s on %s (%s)", cs[0].Action, cs[0].Resource, cs[0].Role)
		if len(cs) > 1 {
			what += fmt.Sprintf(" and %d more checks", len(cs)-1)
		}
		out = append(out, Finding{Kind: "conditional", Message: fmt.Sprintf("%s: %s; the run does not know, give %s to decide", what, when, strings.Join(hints, " "))})
	}
	return out
}

// misspeltKeys notes conditions on aws:InferenceProfileArn: the inference
// profile prerequisites page says "use the aws:InferenceProfileArn
// condition key", but its own example, the cross-Region inference pages
// and the service authorization reference all use bedrock:InferenceProfileArn,
// the key Bedrock sets; preflight takes the aws: spelling as never present.
func misspeltKeys(p *iam.Principal) []string {
	if p == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	check := func(pols []*iam.Policy) {
		for _, pol := range pols {
			if pol == nil {
				continue
			}
			for _, st := range pol.Statements {
				for _, c := range st.Conditions {
					if strings.EqualFold(c.Key, "aws:InferenceProfileArn") && !seen[pol.Name+st.Label()] {
						seen[pol.Name+st.Label()] = true
						out = append(out, fmt.Sprintf("%s: %s tests aws:InferenceProfileArn, which Bedrock never sets (one documentation page spells it so); the key is bedrock:InferenceProfileArn", pol.Name, st.Label()))
					}
				}
			}
		}
	}
	for _, level := range p.SCPs {
		check(level)
	}
	check(p.Identity)
	check([]*iam.Policy{p.Boundary})
	check(p.Session)
	return out
}

// unreadable reports the statements of the principal's policies that
// could not be read: they were left out of the evaluation.
func unreadable(p *iam.Principal) []Finding {
	if p == nil {
		return nil
	}
	var out []Finding
	add := func(pols []*iam.Policy) {
		for _, pol := range pols {
			if pol == nil {
				continue
			}
			for _, e := range pol.Invalid {
				consequence := "it was left out: the results assume it does not apply"
				if e.Effect == iam.Deny {
					consequence = "it was left out, so a Deny it holds is not applied: the results may allow more than AWS does"
				}
				out = append(out, Finding{Kind: "unreadable-statement", Message: fmt.Sprintf("%v; %s", e, consequence)})
			}
		}
	}
	for _, level := range p.SCPs {
		add(level)
	}
	add(p.Identity)
	add([]*iam.Policy{p.Boundary})
	add(p.Session)
	return out
}

// checkCatalog fills the catalog and routing parts and returns the
// invocation to authorize, or nil when the Region does not offer it.
func (r *Report) checkCatalog(ctx context.Context, cp ControlPlane, in Input) (*iam.Invocation, error) {
	inv := &iam.Invocation{Region: in.Region}
	fm := in.Model
	if converse.IsProfileID(in.Model) || IsApplicationProfile(in.Model) {
		r.Catalog.Kind = "inference-profile"
		out, err := cp.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(in.Model)})
		if err != nil {
			if !isNotFound(err) {
				return nil, fmt.Errorf("preflight: GetInferenceProfile %s in %s: %w", in.Model, in.Region, err)
			}
			r.notOffered(in, fmt.Sprintf("inference profile %s cannot be called from %s: calls answer \"The provided model identifier is invalid.\"", in.Model, in.Region))
			return nil, nil
		}
		routing := &Routing{Profile: aws.ToString(out.InferenceProfileId), ProfileARN: aws.ToString(out.InferenceProfileArn)}
		for _, m := range out.Models {
			arn := aws.ToString(m.ModelArn)
			parts := strings.SplitN(arn, ":", 6)
			if len(parts) < 6 {
				continue
			}
			_, fm, _ = strings.Cut(parts[5], "/")
			if parts[3] == "" {
				routing.Global = true
				continue
			}
			routing.Destinations = append(routing.Destinations, parts[3])
		}
		if routing.Global {
			// A global profile routes to every commercial Region; IAM sees
			// one Region-less ARN. The embedded catalog lists them.
			if p, ok := in.Catalog.Profile(routing.Profile); ok && len(p.Routes[in.Region]) > 0 {
				routing.Destinations = p.Routes[in.Region]
			}
		}
		if out.Type == btypes.InferenceProfileTypeApplication || IsApplicationProfile(routing.ProfileARN) {
			// An application profile copies a system profile's (or one
			// model's) routes; IAM sees its own ARN.
			r.Catalog.Kind = "application-inference-profile"
			routing.Application = true
			inv.ProfileARN = routing.ProfileARN
			// Its models[] holds the Region-less ARN and the source
			// Region's: the global profile it copies says where it routes.
			if p, ok := in.Catalog.Profile(globalProfileFor(in.Catalog, fm)); ok && routing.Global && len(p.Routes[in.Region]) > 0 {
				routing.Destinations = p.Routes[in.Region]
			}
		}
		r.Routing = routing
		inv.Profile, inv.Global, inv.Destinations = routing.Profile, routing.Global, routing.Destinations
		inv.Account = accountOf(routing.ProfileARN)
	} else {
		r.Catalog.Kind = "foundation-model"
		if parts := strings.SplitN(in.Model, ":", 6); len(parts) == 6 && parts[0] == "arn" {
			kind, _, _ := strings.Cut(parts[5], "/")
			if kind == "provisioned-model" && parts[1] == iam.Partition(in.Region) && parts[2] == "bedrock" && parts[3] == in.Region {
				// A Provisioned Throughput of the account: no catalog lists
				// it, and IAM authorizes its own ARN.
				r.Catalog.Kind, r.Catalog.Offered = "provisioned-model", Provisioned
				r.Notes = append(r.Notes, fmt.Sprintf("%s is a Provisioned Throughput: preflight does not read it from the control plane (bedrock:GetProvisionedModelThroughput), so it checks only that IAM allows its ARN", in.Model))
				return &iam.Invocation{Region: in.Region, Model: in.Model}, nil
			}
			// The runtime resolves an ARN in the Region called only: a
			// foundation-model ARN of another Region, or one with an
			// account, is an invalid identifier there, as is any other
			// resource type (a provisioned model of another Region).
			// So is an ARN of another partition than the Region's.
			part := iam.Partition(in.Region)
			if parts[1] != part || parts[2] != "bedrock" || parts[3] != in.Region || kind != "foundation-model" || parts[4] != "" {
				msg := fmt.Sprintf("%s cannot be called in %s: calls answer \"The provided model identifier is invalid.\" (not an IAM problem)", in.Model, in.Region)
				switch {
				case parts[3] != in.Region:
					msg = fmt.Sprintf("%s names the Region %q, not %s, where it is called: calls answer \"The provided model identifier is invalid.\" (not an IAM problem); call it in %s or use the ARN of %s", in.Model, parts[3], in.Region, parts[3], in.Region)
				case parts[1] != part:
					msg = fmt.Sprintf("%s names the partition %q, but ARNs in %s begin with arn:%s: calls answer \"The provided model identifier is invalid.\" (not an IAM problem); write arn:%s:%s", in.Model, parts[1], in.Region, part, part, strings.Join(parts[2:], ":"))
				}
				r.notOffered(in, msg)
				return nil, nil
			}
		}
		fm = converse.FoundationModelID(in.Model)
	}
	r.Catalog.ModelID = fm
	inv.Model = fm
	out, err := cp.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String(fm)})
	if err != nil {
		var ae smithy.APIError
		if !errors.As(err, &ae) || (ae.ErrorCode() != "ValidationException" && ae.ErrorCode() != "ResourceNotFoundException") {
			return nil, fmt.Errorf("preflight: GetFoundationModel %s in %s: %w", fm, in.Region, err)
		}
		r.notOffered(in, fmt.Sprintf("model %s is not offered in %s: calls answer \"The provided model identifier is invalid.\" (not an IAM problem)", fm, in.Region))
		return nil, nil
	}
	d := out.ModelDetails
	r.Catalog.ModelName = aws.ToString(d.ModelName)
	onDemand := false
	for _, t := range d.InferenceTypesSupported {
		onDemand = onDemand || t == btypes.InferenceTypeOnDemand
	}
	r.lifecycle(d.ModelLifecycle, in.Now)
	switch {
	case r.Routing != nil:
		r.Catalog.Offered = ViaProfile
	case onDemand:
		r.Catalog.Offered = OnDemand
	default:
		r.Catalog.Offered = ProfileOnly
		profiles, err := profilesWith(ctx, cp, fm)
		if err != nil {
			return nil, err
		}
		r.Catalog.Profiles = profiles
		msg := fmt.Sprintf("%s serves %s only through an inference profile: calling it by its id answers \"Invocation of model ID %s with on-demand throughput isn\u2019t supported.\"", in.Region, fm, in.Model)
		if len(profiles) > 0 {
			msg += "; call " + strings.Join(profiles, " or ") + " instead"
		}
		r.Findings = append(r.Findings, Finding{Kind: ProfileOnly, Message: msg})
	}
	return inv, nil
}

func (r *Report) notOffered(in Input, msg string) {
	r.Catalog.Offered = NotOffered
	if m, ok := in.Catalog.Model(converse.FoundationModelID(in.Model)); ok && m.Lifecycle.Status(in.Now) == catalog.EndOfLife {
		// Past its end of life no Region serves it (Bedrock's Model
		// lifecycle page: "no longer available for use in all AWS
		// Regions"), so the Regions that once did are no advice.
		r.Catalog.Lifecycle, r.Catalog.EndOfLife = string(catalog.EndOfLife), m.Lifecycle.EndOfLife
		if still := m.StillServed(in.Now); len(still) > 0 {
			// A Region may keep a model the others retired (Claude 3
			// Haiku's model card): those are the Regions to name.
			for _, reg := range still {
				r.Catalog.Alternatives = append(r.Catalog.Alternatives, catalog.Suggestion{Region: reg})
			}
			msg += fmt.Sprintf("; and it reached its end of life on %s in every Region but %s, which still serve it on demand: call it there, or move to an active model", m.Lifecycle.EndOfLife, strings.Join(still, ", "))
		} else {
			msg += fmt.Sprintf("; and it reached its end of life on %s, so no Region serves it: move to an active model", m.Lifecycle.EndOfLife)
		}
		if next, ok := in.Catalog.Successor(m.ID, in.Region); ok {
			msg += " such as " + next
		}
		r.Findings = append(r.Findings, Finding{Kind: NotOffered, Message: msg})
		return
	}
	r.Catalog.Alternatives = in.Catalog.Where(converse.FoundationModelID(in.Model), in.Region)
	if len(r.Catalog.Alternatives) > 8 {
		r.Catalog.Alternatives = r.Catalog.Alternatives[:8]
	}
	r.Findings = append(r.Findings, Finding{Kind: NotOffered, Message: msg})
}

func (r *Report) lifecycle(lc *btypes.FoundationModelLifecycle, now time.Time) {
	if lc == nil {
		return
	}
	r.Catalog.Lifecycle = string(lc.Status)
	if lc.EndOfLifeTime != nil {
		r.Catalog.EndOfLife = lc.EndOfLifeTime.UTC().Format(time.DateOnly)
		if !now.Before(*lc.EndOfLifeTime) {
			r.Catalog.Lifecycle = string(catalog.EndOfLife)
			r.Findings = append(r.Findings, Finding{Kind: "end-of-life", Message: fmt.Sprintf("%s reached its end of life on %s: calls answer ResourceNotFoundException", r.Catalog.ModelID, r.Catalog.EndOfLife)})
			return
		}
	}
	if lc.Status == btypes.FoundationModelLifecycleStatusLegacy {
		msg := fmt.Sprintf("%s is Legacy: accounts that have not used it in 15 days cannot call it", r.Catalog.ModelID)
		if r.Catalog.EndOfLife != "" {
			msg += "; end of life on " + r.Catalog.EndOfLife
		}
		r.Findings = append(r.Findings, Finding{Kind: "legacy", Message: msg})
	}
}

// profilesPageSize is how many profiles each ListInferenceProfiles call
// asks for: the most the API allows. Tests lower it.
var profilesPageSize int32 = 1000

// profilesWith lists the profiles callable from the client's Region that
// contain model, through every page, each token once (see package pages:
// a token handed out again is an error wrapping pages.ErrRepeatedToken).
func profilesWith(ctx context.Context, cp ControlPlane, model string) ([]string, error) {
	var out []string
	err := pages.Each(func(token *string) (*string, error) {
		page, err := cp.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(profilesPageSize), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, p := range page.InferenceProfileSummaries {
			for _, m := range p.Models {
				if strings.HasSuffix(aws.ToString(m.ModelArn), "/"+model) {
					out = append(out, aws.ToString(p.InferenceProfileId))
					break
				}
			}
		}
		return page.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("preflight: ListInferenceProfiles: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// IsApplicationProfile reports whether id is an application inference
// profile ARN.
func IsApplicationProfile(id string) bool {
	return strings.HasPrefix(id, "arn:") && strings.Contains(id, ":application-inference-profile/")
}

// globalProfileFor finds the global system profile of a model.
func globalProfileFor(c *catalog.Catalog, model string) string {
	for _, p := range c.Profiles {
		if p.Global && p.Model == model {
			return p.ID
		}
	}
	return ""
}

func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "ResourceNotFoundException" || ae.ErrorCode() == "ValidationException")
}

// evaluate decides each request with the policy files or the simulator.
func evaluate(ctx context.Context, in Input, reqs []iam.Request) ([]Check, error) {
	var out []Check
	for _, req := range reqs {
		req = withContext(req, in.Context)
		c := Check{Action: req.Action, Resource: req.Resource, Role: req.Role, RequestedRegion: req.Region, req: req}
		if in.Simulator != nil {
			if err := simulate(ctx, in, req, &c); err != nil {
				return nil, err
			}
		} else {
			d := in.Principal.Evaluate(req)
			c.Allowed, c.Policy, c.Statement = d.Allowed(), d.Policy, d.Statement
			c.Reason = d.Reason.String()
			c.scp = d.Reason == iam.ExplicitDenySCP || d.Reason == iam.ImplicitDenySCP
			c.Conditional, c.When, c.UnknownKeys = d.Conditional, d.When, d.Unknown
			c.local = true
			if !d.Allowed() && !d.Conditional {
				// Every layer's problem, not only the one that decided:
				// the request is allowed only once each is solved.
				c.gaps = in.Principal.Gaps(req)
				for _, g := range c.gaps {
					c.MissingAllow = append(c.MissingAllow, gapName(g))
				}
				if d.Reason.Explicit() {
					c.denies = in.Principal.Denies(req)
					if !slices.ContainsFunc(c.denies, func(h iam.DenyHit) bool {
						return h.Reason == d.Reason && h.Policy == d.Policy && h.Statement == d.Statement
					}) {
						// A Deny on a key the run does not know decided.
						c.denies = append([]iam.DenyHit{{Reason: d.Reason, Policy: d.Policy, Statement: d.Statement}}, c.denies...)
					}
					for _, h := range c.denies {
						c.ExplicitDenies = append(c.ExplicitDenies, Deny{Layer: denyLayer(h.Reason), Policy: h.Policy, Statement: h.Statement})
					}
				}
			}
			switch {
			case d.Reason == iam.Allowed:
				c.Decision = "allowed"
			case d.Reason.Explicit():
				c.Decision = "explicitDeny"
			default:
				c.Decision = "implicitDeny"
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// withoutBedrockKeys drops from the supplied context the keys Bedrock
// sets itself for each evaluation, whatever their case ("Condition key
// names are not case-sensitive", IAM JSON policy elements: Condition):
// aws:RequestedRegion and bedrock:InferenceProfileArn. A supplied value
// would stand where Bedrock sets none (the profile key on the profile's
// own evaluation and on a direct call), and a supplied aws:requestedregion
// would compete with the Region's value, which won by chance.
func withoutBedrockKeys(supplied map[string][]string, notes []string) (map[string][]string, []string) {
	var out map[string][]string
	var dropped []string
	for k, v := range supplied {
		if strings.EqualFold(k, iam.KeyRequestedRegion) || strings.EqualFold(k, iam.KeyInferenceProfileArn) {
			dropped = append(dropped, k)
			continue
		}
		if out == nil {
			out = make(map[string][]string, len(supplied))
		}
		out[k] = v
	}
	sort.Strings(dropped)
	for _, k := range dropped {
		notes = append(notes, fmt.Sprintf("--context %s was left out: Bedrock sets it itself for each check (aws:RequestedRegion to the Region each one carries, bedrock:InferenceProfileArn on the models a profile reaches and nowhere else)", k))
	}
	return out, notes
}

// withContext marks the request partial (preflight cannot know the
// caller's network, MFA or clock) and adds the keys the user supplied;
// the keys Bedrock sets keep their values, and the profile key is known to
// be absent where Bedrock does not set it.
func withContext(req iam.Request, supplied map[string][]string) iam.Request {
	ctx := make(map[string][]string, len(req.Context)+len(supplied))
	for k, v := range supplied {
		ctx[k] = v
	}
	for k, v := range req.Context {
		ctx[k] = v
	}
	req.Context, req.Partial = ctx, true
	if _, ok := req.Context[iam.KeyInferenceProfileArn]; !ok {
		req.Absent = append(req.Absent, iam.KeyInferenceProfileArn)
	}
	// Bedrock never sets this spelling (see misspeltKeys).
	req.Absent = append(req.Absent, "aws:InferenceProfileArn")
	return req
}

// simulate asks iam:SimulatePrincipalPolicy about one request, with the
// context keys Bedrock sets and those supplied with --context.
func simulate(ctx context.Context, in Input, req iam.Request, c *Check) error {
	var entries []iamtypes.ContextEntry
	keys := make([]string, 0, len(req.Context))
	for k := range req.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		entries = append(entries, iamtypes.ContextEntry{ContextKeyName: aws.String(k), ContextKeyType: ContextKeyType(k, len(req.Context[k])), ContextKeyValues: req.Context[k]})
	}
	out, err := in.Simulator.SimulatePrincipalPolicy(ctx, &iamsdk.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(in.PrincipalARN),
		ActionNames:     []string{req.Action},
		ResourceArns:    []string{req.Resource},
		ContextEntries:  entries,
	})
	if err != nil {
		return fmt.Errorf("preflight: iam:SimulatePrincipalPolicy for %s on %s: %w", req.Action, req.Resource, err)
	}
	if len(out.EvaluationResults) == 0 {
		// What a non-IAM endpoint's answer parses to, such as the
		// emulator's (it serves no IAM API).
		return noSimulation{fmt.Sprintf("iam:SimulatePrincipalPolicy returned no result for %s on %s: is the IAM endpoint right? (bedrock-bench emulate serves no IAM API: give the policies it runs with as --policy and --scp instead of --live)", req.Action, req.Resource)}
	}
	res := out.EvaluationResults[0]
	c.Decision = string(res.EvalDecision)
	c.Allowed = res.EvalDecision == iamtypes.PolicyEvaluationDecisionTypeAllowed
	if len(res.MissingContextValues) > 0 && !c.Allowed {
		// The simulator needed keys the run does not supply: its answer
		// holds only for their absence.
		c.Conditional, c.UnknownKeys = true, res.MissingContextValues
		c.When = "decided without " + strings.Join(res.MissingContextValues, ", ") + ", which the policies test"
	}
	for _, m := range res.MatchedStatements {
		c.Policy = aws.ToString(m.SourcePolicyId)
		break
	}
	switch {
	case c.Allowed:
		c.Reason = "allowed"
	case res.OrganizationsDecisionDetail != nil && !res.OrganizationsDecisionDetail.AllowedByOrganizations:
		c.Reason, c.scp = "denied by a service control policy", true
	case res.EvalDecision == iamtypes.PolicyEvaluationDecisionTypeExplicitDeny:
		c.Reason = "explicit deny in an identity-based policy"
	default:
		c.Reason = "no identity-based policy allows it"
	}
	return nil
}

// fix builds the smallest statement that allows every request denied
// only for want of an allow, and advice for what a statement cannot fix.
// Every layer that lacks an Allow for a request gets its advice (the
// statement for the identity policies), and every Deny statement that
// applies to it, not only the one that decided: the request is allowed
// only once each of them allows it ("An explicit deny overrides an
// explicit allow", and every layer must allow). With policy files, the
// statement is checked by evaluating again.
func fix(checks []Check, in Input) *Fix {
	var f Fix
	actions := map[string]bool{}
	var resources []string
	seen := map[string]bool{}
	scpRegions := map[string]bool{}       // a route's models
	scpSourceRegions := map[string]bool{} // the call itself
	var layers []*layerAdvice
	byTemplate := map[string]*layerAdvice{}
	addLayer := func(a advice, c Check) {
		la := byTemplate[a.template]
		if la == nil {
			la = &layerAdvice{template: a.template, what: map[string]bool{}, values: map[string]map[string]bool{}}
			byTemplate[a.template] = la
			layers = append(layers, la)
		}
		la.what[c.Action+" on "+c.Resource] = true
		for k, v := range a.values {
			if la.values[k] == nil {
				la.values[k] = map[string]bool{}
			}
			la.values[k][v] = true
		}
	}
	addResource := func(c Check) {
		actions[c.Action] = true
		if !seen[c.Resource] {
			seen[c.Resource] = true
			resources = append(resources, c.Resource)
		}
	}
	for _, c := range checks {
		if c.Allowed || c.Conditional {
			continue
		}
		if c.local {
			// Every layer without an Allow, whichever decided, and every
			// Deny that applies.
			for _, g := range c.gaps {
				if g.Reason == iam.ImplicitDenyIdentity {
					addResource(c)
				}
				if a := gapAdvice(g, c); a.template != "" {
					addLayer(a, c)
				}
			}
			for _, h := range c.denies {
				switch a, region := denyAdvice(h, c); {
				case region && len(c.req.Context[iam.KeyInferenceProfileArn]) == 0:
					// The call itself (the profile, or the model called
					// directly): Bedrock sets no bedrock:InferenceProfileArn
					// on it, so only the allow list lifts it.
					scpSourceRegions[c.RequestedRegion] = true
				case region:
					scpRegions[c.RequestedRegion] = true
				default:
					addLayer(a, c)
				}
			}
			continue
		}
		// Without the policies (a live simulation, or a bare check), only
		// the layer that decided is known.
		switch c.Reason {
		case iam.ImplicitDenySCP.String(), iam.ImplicitDenyBoundary.String(), iam.ImplicitDenySession.String():
			addLayer(gapAdvice(iam.Gap{Reason: reasonOf(c.Reason), Policy: c.Policy}, c), c)
			continue
		}
		switch {
		case c.scp && len(c.req.Context[iam.KeyInferenceProfileArn]) == 0:
			scpSourceRegions[c.RequestedRegion] = true
		case c.scp:
			// The simulator does not say which SCP statement denied:
			// Region allow lists are the common case.
			scpRegions[c.RequestedRegion] = true
		case c.Decision == "explicitDeny":
			addLayer(advice{template: "{what}: statement " + c.Statement + " of " + c.Policy + " explicitly denies it; no Allow overrides that, narrow the Deny"}, c)
		default:
			addResource(c)
		}
	}
	if len(scpSourceRegions) > 0 {
		rs := slices.Sorted(maps.Keys(scpSourceRegions))
		// "This exemption can't bypass the Region restriction on the
		// originating call. The inference profile resource evaluation
		// carries the source Region and doesn't include
		// bedrock:InferenceProfileArn." (Geographic cross-Region inference,
		// https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html)
		f.Advice = append(f.Advice, fmt.Sprintf("the SCPs deny aws:RequestedRegion %s for the call itself, which carries no bedrock:InferenceProfileArn: add %s to the Region allow-list condition (an exemption on bedrock:InferenceProfileArn does not lift the Region called)", strings.Join(rs, ", "), quoteList(rs)))
		for r := range scpSourceRegions {
			delete(scpRegions, r)
		}
	}
	if len(scpRegions) > 0 {
		rs := slices.Sorted(maps.Keys(scpRegions))
		f.Advice = append(f.Advice, fmt.Sprintf("the SCPs deny aws:RequestedRegion %s: add %s to the Region allow-list condition, or exempt cross-Region inference with an ArnNotLike condition on bedrock:InferenceProfileArn", strings.Join(rs, ", "), quoteList(rs)))
	}
	for _, la := range layers {
		f.Advice = append(f.Advice, la.String())
	}
	if len(resources) > 0 {
		var acts []string
		for a := range actions {
			acts = append(acts, a)
		}
		sort.Strings(acts)
		st := statement{Sid: "AllowBedrockInvoke", Effect: "Allow", Action: acts, Resource: resources}
		f.Statement, _ = json.MarshalIndent(st, "", "  ")
		if in.Principal != nil {
			if left := unfixed(in.Principal, st, checks); left != "" {
				f.Advice = append(f.Advice, "the statement above does not clear every denial by itself, even with the advice here: "+left)
			}
		}
	}
	if f.Statement == nil && len(f.Advice) == 0 {
		return nil
	}
	return &f
}

// advice is one layer's advice for one request: a template for
// layerAdvice with the values its placeholders take.
type advice struct {
	template string
	// values maps a placeholder ({regions}, {resources}, {actions}) to
	// the value this request adds to it.
	values map[string]string
}

// layerAdvice is the advice for one layer (or one statement of it), with
// the requests it lacks and the values its placeholders gather.
type layerAdvice struct {
	// template holds {what} for the requests, and placeholders for the
	// values, quoted: {regions} (aws:RequestedRegion values), {resources}
	// (ARNs), {actions}; {regions:plain} for the values as text.
	template string
	what     map[string]bool
	values   map[string]map[string]bool
}

func (la *layerAdvice) String() string {
	s := strings.ReplaceAll(la.template, "{what}", strings.Join(slices.Sorted(maps.Keys(la.what)), ", "))
	for k, vs := range la.values {
		sorted := slices.Sorted(maps.Keys(vs))
		s = strings.ReplaceAll(s, k, quoteList(sorted))
		// {regions:plain}: the values unquoted, as text.
		s = strings.ReplaceAll(s, strings.TrimSuffix(k, "}")+":plain}", strings.Join(sorted, ", "))
	}
	if la.values["{regions}"][iam.RegionUnspecified] {
		// "If you have an SCP that restricts access to specific Regions,
		// you must include "unspecified" in your aws:RequestedRegion
		// condition" (Global cross-Region inference,
		// https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html)
		s += ` ("unspecified" is the aws:RequestedRegion of a global profile's Region-less model ARN)`
	}
	return s
}

// reasonOf maps a Check's reason text back to its Reason.
func reasonOf(text string) iam.Reason {
	for r := iam.Allowed; r <= iam.ImplicitDenySession; r++ {
		if r.String() == text {
			return r
		}
	}
	return iam.Allowed
}

// gapName names a layer in Check.MissingAllow.
func gapName(g iam.Gap) string {
	switch g.Reason {
	case iam.ImplicitDenySCP:
		return "scp:" + g.Policy
	case iam.ImplicitDenyBoundary:
		return "boundary"
	case iam.ImplicitDenySession:
		return "session"
	}
	return "identity"
}

// denyLayer names a Deny's layer in Check.ExplicitDenies.
func denyLayer(r iam.Reason) string {
	switch r {
	case iam.ExplicitDenySCP:
		return "scp"
	case iam.ExplicitDenyBoundary:
		return "boundary"
	case iam.ExplicitDenySession:
		return "session"
	}
	return "identity"
}

// onlyRegion reports whether every value of a condition is region.
func onlyRegion(values []string, region string) bool {
	for _, v := range values {
		if !strings.EqualFold(v, region) {
			return false
		}
	}
	return len(values) > 0
}

// requestedRegion is the aws:RequestedRegion of c's request.
func requestedRegion(c Check) string {
	if vs := c.req.Context[iam.KeyRequestedRegion]; len(vs) > 0 {
		return vs[0]
	}
	return c.RequestedRegion
}

// gapAdvice words what a layer without an Allow for c needs. The Allow
// statement nearest to allowing it is named with what it lacks: a
// condition that does not hold (the value its aws:RequestedRegion
// condition needs), the resource's ARN in its Resource, or the action in
// its Action; instead of advice to add what it already covers. For the
// identity policies, whose statement the fix prints, only a statement
// that covers the request and fails a condition gets advice.
func gapAdvice(g iam.Gap, c Check) advice {
	var head, tail string
	switch g.Reason {
	case iam.ImplicitDenySCP:
		head = "no SCP of the level of " + g.Policy + " allows {what} (an allow list replaces FullAWSAccess)"
		tail = ": add an Allow statement with these actions and resources to " + g.Policy
	case iam.ImplicitDenyBoundary:
		head = "the permissions boundary does not allow {what}, and an identity policy cannot grant more than the boundary"
		tail = ": add an Allow statement with these actions and resources to the boundary"
		if g.Policy != "" {
			tail += " (" + g.Policy + ")"
		}
	case iam.ImplicitDenySession:
		head = "the session policies do not allow {what}, and a session gets no more than they allow"
		tail = ": pass session policies that allow it when assuming the role"
	case iam.ImplicitDenyIdentity:
		if g.Near == nil || !g.Near.Covers() {
			return advice{}
		}
		head = "no identity-based policy allows {what}"
	}
	n := g.Near
	if n == nil {
		return advice{template: head + tail}
	}
	var regionTexts, others []string
	negated, onlyThis := false, true
	for _, fc := range n.Failed {
		if strings.EqualFold(fc.Key, iam.KeyRequestedRegion) && !fc.Null {
			regionTexts = append(regionTexts, fc.Text)
			negated = negated || fc.Negated
			onlyThis = onlyThis && fc.Negated && onlyRegion(fc.Values, requestedRegion(c))
			continue
		}
		if !slices.Contains(others, fc.Key) {
			others = append(others, fc.Key)
		}
	}
	a := advice{values: map[string]string{}}
	covered := "them"
	var lacks, remedies []string
	switch {
	case n.Action:
		covered = "the resources"
		lacks = append(lacks, " not these actions")
		remedies = append(remedies, "add {actions} to that statement's Action")
		a.values["{actions}"] = c.Action
	case n.Resource:
		covered = "the actions"
		lacks = append(lacks, " not these resources")
		remedies = append(remedies, "add {resources} to that statement's Resource")
		a.values["{resources}"] = c.Resource
	}
	if len(regionTexts) > 0 {
		lacks = append(lacks, " only where "+strings.Join(regionTexts, " and "))
		a.values["{regions}"] = requestedRegion(c)
		switch {
		case onlyThis:
			// Its values would be left empty.
			remedies = append(remedies, "remove that statement's aws:RequestedRegion condition")
		case negated:
			remedies = append(remedies, "remove {regions} from that statement's aws:RequestedRegion values")
		default:
			remedies = append(remedies, "add {regions} to that statement's aws:RequestedRegion values")
		}
	}
	if len(others) > 0 {
		lacks = append(lacks, " its Condition ("+strings.Join(others, ", ")+") does not hold for this request")
		remedies = append(remedies, "change that condition")
	}
	s := head + ": statement " + n.Statement + " of " + n.Policy + " covers " + covered + ", but" + strings.Join(lacks, ", and") + ": " + strings.Join(remedies, " and ")
	if g.Reason == iam.ImplicitDenyIdentity {
		s += ", or add the statement above to the identity policy"
	} else if len(others) > 0 {
		s += ", or allow them in a statement without it"
	}
	a.template = s
	return a
}

// denyAdvice words what lifts a Deny statement that applies to c. region
// reports an SCP Deny of the Region allow-list kind (a negated condition
// on aws:RequestedRegion, as in StringNotEquals), which fix words for all
// the SCPs at once: add the Region to the list. A Deny whose condition
// lists the Region (StringEquals) is lifted by taking it out; any other
// is named, with "narrow the Deny".
func denyAdvice(h iam.DenyHit, c Check) (a advice, region bool) {
	of := h.Policy
	if h.Reason == iam.ExplicitDenySCP {
		of = "the SCP " + h.Policy
	}
	var negated, listed, literal bool
	onlyThis := true
	for _, cond := range h.Conditions {
		if !strings.EqualFold(cond.Key, iam.KeyRequestedRegion) {
			continue
		}
		if cond.Negated() {
			negated = true
			continue
		}
		listed = true
		onlyThis = onlyThis && onlyRegion(cond.Values, requestedRegion(c))
		for _, v := range cond.Values {
			literal = literal || strings.EqualFold(v, requestedRegion(c))
		}
	}
	switch {
	case negated && h.Reason == iam.ExplicitDenySCP:
		return advice{}, true
	case negated:
		return advice{template: "{what}: statement " + h.Statement + " of " + of + " denies aws:RequestedRegion {regions:plain}: add {regions} to that statement's aws:RequestedRegion values",
			values: map[string]string{"{regions}": requestedRegion(c)}}, false
	case listed && onlyThis:
		// Taking the Region out would leave its values empty; taking the
		// condition out would deny every Region.
		return advice{template: "{what}: statement " + h.Statement + " of " + of + " denies aws:RequestedRegion {regions:plain}, the only Region it lists: remove that statement",
			values: map[string]string{"{regions}": requestedRegion(c)}}, false
	case listed && !literal:
		// A pattern (StringLike "us-west-*") matches it.
		return advice{template: "{what}: statement " + h.Statement + " of " + of + " denies aws:RequestedRegion {regions:plain}: change that statement's aws:RequestedRegion values so that none matches {regions}",
			values: map[string]string{"{regions}": requestedRegion(c)}}, false
	case listed:
		return advice{template: "{what}: statement " + h.Statement + " of " + of + " denies aws:RequestedRegion {regions:plain}: remove {regions} from that statement's aws:RequestedRegion values",
			values: map[string]string{"{regions}": requestedRegion(c)}}, false
	case h.Reason == iam.ExplicitDenySCP:
		return advice{template: "{what}: statement " + h.Statement + " of " + of + " explicitly denies it, not for its Region; no identity policy overrides an SCP's Deny: narrow the Deny, or have the organization exempt the caller"}, false
	}
	return advice{template: "{what}: statement " + h.Statement + " of " + of + " explicitly denies it; no Allow overrides that, narrow the Deny"}, false
}

// statement is a policy statement in the conventional key order.
type statement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource []string `json:"Resource"`
}

func quoteList(rs []string) string {
	q := make([]string, len(rs))
	for i, r := range rs {
		q[i] = `"` + r + `"`
	}
	return strings.Join(q, ", ")
}

// unfixed checks the fix by evaluating again: it adds st to the
// principal's identity policies and, to every other layer that lacked an
// Allow for a request st was built for, a statement allowing that
// request, as the advice says. It returns "" when every such request is
// then allowed, or what still denies the first that is not.
func unfixed(p *iam.Principal, st statement, checks []Check) string {
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
	pol, err := iam.ParsePolicy("fix", doc)
	if err != nil {
		return err.Error()
	}
	fixed := *p
	fixed.Identity = append(append([]*iam.Policy{}, p.Identity...), pol)
	fixed.SCPs = make([][]*iam.Policy, len(p.SCPs))
	for i, level := range p.SCPs {
		fixed.SCPs[i] = append([]*iam.Policy{}, level...)
	}
	fixed.Session = append([]*iam.Policy{}, p.Session...)
	var verify []Check
	drop := map[string]bool{}
	for _, c := range checks {
		// With the policies, every implicit denial has its gaps; the
		// statement holds the requests the identity policies lack.
		inStatement := false
		for _, g := range c.gaps {
			inStatement = inStatement || g.Reason == iam.ImplicitDenyIdentity
		}
		if !inStatement || c.Allowed || c.Conditional {
			continue
		}
		verify = append(verify, c)
		for _, h := range c.denies {
			// The advice lifts each Deny.
			drop[denyLayer(h.Reason)+"\x00"+h.Policy+"\x00"+h.Statement] = true
		}
		for _, g := range c.gaps {
			doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{statement{Effect: "Allow", Action: []string{c.Action}, Resource: []string{c.Resource}}}})
			fill, err := iam.ParsePolicy("fix", doc)
			if err != nil {
				return err.Error()
			}
			switch g.Reason {
			case iam.ImplicitDenySCP:
				fixed.SCPs[g.Level] = append(fixed.SCPs[g.Level], fill)
			case iam.ImplicitDenySession:
				fixed.Session = append(fixed.Session, fill)
			case iam.ImplicitDenyBoundary:
				b := *fixed.Boundary
				b.Statements = append(append([]iam.Statement{}, b.Statements...), fill.Statements...)
				fixed.Boundary = &b
			}
		}
	}
	if len(drop) > 0 {
		for i := range fixed.SCPs {
			fixed.SCPs[i] = withoutDenies(fixed.SCPs[i], "scp", drop)
		}
		fixed.Identity = withoutDenies(fixed.Identity, "identity", drop)
		if fixed.Boundary != nil {
			fixed.Boundary = withoutDenies([]*iam.Policy{fixed.Boundary}, "boundary", drop)[0]
		}
		fixed.Session = withoutDenies(fixed.Session, "session", drop)
	}
	for _, c := range verify {
		req := c.req
		if req.Action == "" {
			req = iam.Request{Action: c.Action, Resource: c.Resource, Context: map[string][]string{iam.KeyRequestedRegion: {c.RequestedRegion}}}
		}
		d := fixed.Evaluate(req)
		switch {
		case d.Allowed():
		case d.Conditional:
			return fmt.Sprintf("%s on %s is then %s", c.Action, c.Resource, d.When)
		case d.Reason.Explicit():
			return fmt.Sprintf("%s on %s is still denied by statement %s of %s (%s)", c.Action, c.Resource, d.Statement, d.Policy, d.Reason)
		default:
			return fmt.Sprintf("%s on %s is still denied: %s", c.Action, c.Resource, d.Reason)
		}
	}
	return ""
}

// withoutDenies copies pols without the Deny statements of the layer
// that drop names (by layer, policy and statement label).
func withoutDenies(pols []*iam.Policy, layer string, drop map[string]bool) []*iam.Policy {
	out := make([]*iam.Policy, len(pols))
	for i, pol := range pols {
		cp := *pol
		cp.Statements = nil
		for _, st := range pol.Statements {
			if st.Effect == iam.Deny && drop[layer+"\x00"+pol.Name+"\x00"+st.Label()] {
				continue
			}
			cp.Statements = append(cp.Statements, st)
		}
		out[i] = &cp
	}
	return out
}

// ContextKeyType is the simulator's type for a global condition key (the
// types of the global condition keys reference); other keys are strings,
// or string lists when several values are given.
func ContextKeyType(key string, values int) iamtypes.ContextKeyTypeEnum {
	switch strings.ToLower(key) {
	case "aws:sourceip":
		return iamtypes.ContextKeyTypeEnumIp
	case "aws:multifactorauthpresent", "aws:securetransport", "aws:viaawsservice", "aws:principalisawsservice":
		return iamtypes.ContextKeyTypeEnumBoolean
	case "aws:multifactorauthage":
		return iamtypes.ContextKeyTypeEnumNumeric
	case "aws:currenttime", "aws:tokenissuetime", "aws:epochtime":
		return iamtypes.ContextKeyTypeEnumDate
	case "aws:tagkeys", "aws:calledvia", "aws:principalorgpaths":
		return iamtypes.ContextKeyTypeEnumStringList
	}
	if values > 1 {
		return iamtypes.ContextKeyTypeEnumStringList
	}
	return iamtypes.ContextKeyTypeEnumString
}
