package preflight

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// The sentences of AWS's policy evaluation logic these tests follow
// (How AWS enforcement code logic evaluates requests to allow or deny
// access,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
// "An explicit deny overrides an explicit allow."; "The AWS enforcement
// code evaluates all policies within the account that apply to the
// request. These include AWS Organizations SCPs and RCPs, resource-based
// policies, identity-based policies, IAM permissions boundaries, and
// session policies."; and "Requests must be explicitly allowed by a policy
// or set of policies following the evaluation logic below to be allowed."
// A request that an explicit Deny decides is allowed only once that Deny
// is lifted and every layer that lacks an Allow allows it: the report
// names them all, so one run tells the user everything to change.

const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// policySet is a caller's policies as documents, each named by its file.
type policySet struct {
	identity []string
	scps     [][]string // each level: its documents; a deny list holds fullAWSAccess too
	boundary string
	session  []string
}

func (ps policySet) principal(t *testing.T) *iam.Principal {
	t.Helper()
	p := &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/app/session"}
	for i, d := range ps.identity {
		p.Identity = append(p.Identity, parse(t, fmt.Sprintf("identity-%d.json", i), d))
	}
	for l, level := range ps.scps {
		var pols []*iam.Policy
		for i, d := range level {
			name := fmt.Sprintf("scp-%d-%d.json", l, i)
			if d == fullAWSAccess {
				name = "FullAWSAccess"
			}
			pols = append(pols, parse(t, name, d))
		}
		p.SCPs = append(p.SCPs, pols)
	}
	if ps.boundary != "" {
		p.Boundary = parse(t, "boundary.json", ps.boundary)
	}
	for i, d := range ps.session {
		p.Session = append(p.Session, parse(t, fmt.Sprintf("session-%d.json", i), d))
	}
	return p
}

const (
	fmWest = "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
	// An SCP deny list that leaves out us-west-2.
	scpDenyWest = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideTheEast","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
	  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]}}}]}`
	// An identity policy that denies us-west-2.
	identityDenyWest = `{"Version":"2012-10-17","Statement":[{"Sid":"NoOregon","Effect":"Deny","Action":"bedrock:*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":["us-west-1","us-west-2"]}}}]}`
	// A Deny of us-west-2 alone.
	denyOregonOnly = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOregon","Effect":"Deny","Action":"*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":"us-west-2"}}}]}`
	// An Allow everywhere but us-west-2.
	allowButOregon = `{"Version":"2012-10-17","Statement":[{"Sid":"NotOregon","Effect":"Allow","Action":"*","Resource":"*",
	  "Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-west-2"}}}]}`
	// An allow-list SCP whose Allow covers every action but only the
	// resources of the east.
	scpAllowEastResources = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowEastResources","Effect":"Allow","Action":"*",
	  "Resource":["arn:aws:bedrock:us-east-1:*","arn:aws:bedrock:us-east-2:*"]}]}`
)

func run(t *testing.T, region, model string, p *iam.Principal, ctx map[string][]string) *Report {
	t.Helper()
	r, err := Run(context.Background(), controlPlane(t, region), Input{Region: region, Model: model, Principal: p, Now: today, Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestExplicitDenyAndAMissingAllow: the identity policy lacks the model in
// us-west-2 and an SCP denies that Region. The SCP's Deny decides, but
// lifting it leaves the identity policy's gap: the report names both, and
// the fix holds both the statement and the SCP advice (before, only the
// SCP advice, so the user learnt of the statement on the next run).
func TestExplicitDenyAndAMissingAllow(t *testing.T) {
	ps := policySet{identity: []string{novaProRole}, scps: [][]string{{fullAWSAccess, scpDenyWest}}}
	r := run(t, "us-east-1", "us.amazon.nova-pro-v1:0", ps.principal(t), nil)
	denied := 0
	for _, c := range r.IAM {
		if c.Resource != fmWest {
			if !c.Allowed {
				t.Errorf("check %+v", c)
			}
			continue
		}
		denied++
		if c.Allowed || c.Decision != "explicitDeny" || c.Reason != iam.ExplicitDenySCP.String() || !cmp.Equal(c.MissingAllow, []string{"identity"}) ||
			!cmp.Equal(c.ExplicitDenies, []Deny{{Layer: "scp", Policy: "scp-0-1.json", Statement: "DenyOutsideTheEast"}}) {
			t.Errorf("check %+v", c)
		}
	}
	if denied != 2 || r.Fix == nil || !strings.Contains(string(r.Fix.Statement), fmWest) {
		t.Fatalf("fix %s: want the statement with %s", dump(r), fmWest)
	}
	want := []string{`the SCPs deny aws:RequestedRegion us-west-2: add "us-west-2" to the Region allow-list condition, or exempt cross-Region inference with an ArnNotLike condition on bedrock:InferenceProfileArn`}
	if !cmp.Equal(r.Fix.Advice, want) {
		t.Errorf("advice %q\nwant %q", r.Fix.Advice, want)
	}
	// The JSON carries both.
	b, _ := json.Marshal(r.IAM[len(r.IAM)-1])
	if !strings.Contains(string(b), `"missingAllow":["identity"]`) || !strings.Contains(string(b), `"explicitDenies":[{"layer":"scp","policy":"scp-0-1.json","statement":"DenyOutsideTheEast"}]`) {
		t.Errorf("json %s", b)
	}
}

// TestEveryExplicitDenyIsNamed: an SCP and the identity policy both deny
// us-west-2; both Denies are named, each with what lifts it.
func TestEveryExplicitDenyIsNamed(t *testing.T) {
	ps := policySet{identity: []string{allowAll, identityDenyWest}, scps: [][]string{{fullAWSAccess, scpDenyWest}}}
	r := run(t, "us-east-1", "us.amazon.nova-pro-v1:0", ps.principal(t), nil)
	for _, c := range r.IAM {
		if c.Resource == fmWest && !cmp.Equal(c.ExplicitDenies, []Deny{{Layer: "scp", Policy: "scp-0-1.json", Statement: "DenyOutsideTheEast"}, {Layer: "identity", Policy: "identity-1.json", Statement: "NoOregon"}}) {
			t.Errorf("check %+v", c)
		}
	}
	if r.Fix == nil || r.Fix.Statement != nil || len(r.Fix.Advice) != 2 || !strings.Contains(r.Fix.Advice[1], "statement NoOregon of identity-1.json denies aws:RequestedRegion us-west-2") {
		t.Errorf("fix %s", dump(r))
	}
}

// TestAllowListSCPWithANarrowedResource: an allow-list SCP whose Allow
// covers every action but only the east's resources (SCPs take a Resource
// element like any policy: SCP syntax,
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html)
// gets advice naming the ARN to add to that statement's Resource, not
// "add the actions", which it already covers.
func TestAllowListSCPWithANarrowedResource(t *testing.T) {
	ps := policySet{identity: []string{allowAll}, scps: [][]string{{scpAllowEastResources}}}
	r := run(t, "us-east-1", "us.amazon.nova-pro-v1:0", ps.principal(t), nil)
	want := []string{`no SCP of the level of scp-0-0.json allows bedrock:InvokeModel on ` + fmWest + `, bedrock:InvokeModelWithResponseStream on ` + fmWest +
		` (an allow list replaces FullAWSAccess): statement AllowEastResources of scp-0-0.json covers the actions, but not these resources: add "` + fmWest + `" to that statement's Resource`}
	if r.Fix == nil || r.Fix.Statement != nil || !cmp.Equal(r.Fix.Advice, want) {
		t.Errorf("fix: %s\nwant advice %q", dump(r), want)
	}
	// A global profile: the Region-less ARN.
	r = run(t, "us-east-1", "global.anthropic.claude-opus-4-6-v1", ps.principal(t), nil)
	if r.Fix == nil || len(r.Fix.Advice) != 1 || !strings.HasSuffix(r.Fix.Advice[0], `add "arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1" to that statement's Resource`) {
		t.Errorf("global fix: %s", dump(r))
	}
}

// TestSCPDenyOfARegion: an SCP that denies a Region by name (StringEquals)
// is lifted by taking the Region out of its list, not by adding it to an
// allow list: added to that list, it is still denied.
func TestSCPDenyOfARegion(t *testing.T) {
	ps := policySet{identity: []string{allowAll}, scps: [][]string{{fullAWSAccess, strings.ReplaceAll(identityDenyWest, "NoOregon", "DenyOregon")}}}
	r := run(t, "us-east-1", "us.amazon.nova-pro-v1:0", ps.principal(t), nil)
	want := []string{"bedrock:InvokeModel on " + fmWest + ", bedrock:InvokeModelWithResponseStream on " + fmWest +
		`: statement DenyOregon of the SCP scp-0-1.json denies aws:RequestedRegion us-west-2: remove "us-west-2" from that statement's aws:RequestedRegion values`}
	if r.Fix == nil || !cmp.Equal(r.Fix.Advice, want) {
		t.Errorf("fix: %s\nwant advice %q", dump(r), want)
	}
}

// TestBoundaryWithoutTheActions: a permissions boundary that allows other
// services only gets advice to add the actions to its statement (before:
// "add the resources", which its Resource "*" already holds).
func TestBoundaryWithoutTheActions(t *testing.T) {
	ps := policySet{identity: []string{allowAll}, boundary: `{"Version":"2012-10-17","Statement":[{"Sid":"StorageOnly","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}
	r := run(t, "us-east-1", "amazon.nova-pro-v1:0", ps.principal(t), nil)
	fm := "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
	want := []string{"the permissions boundary does not allow bedrock:InvokeModel on " + fm + ", bedrock:InvokeModelWithResponseStream on " + fm +
		`, and an identity policy cannot grant more than the boundary: statement StorageOnly of boundary.json covers the resources, but not these actions: add "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream" to that statement's Action`}
	if r.Fix == nil || !cmp.Equal(r.Fix.Advice, want) {
		t.Errorf("fix: %s\nwant advice %q", dump(r), want)
	}
}

// adviceCases are callers whose calls some layer denies, one or several
// layers at once; TestAdviceFixes follows each one's advice.
var adviceCases = []struct {
	name, region, model string
	ps                  policySet
	ctx                 map[string][]string
}{
	{"identity lacks a destination", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{novaProRole}}, nil},
	{"allow-list SCP with a Region condition", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{regionAllowList}}}, nil},
	{"allow-list SCP with a Region condition, global", "us-east-1", "global.anthropic.claude-opus-4-6-v1", policySet{identity: []string{allowAll}, scps: [][]string{{regionAllowList}}}, nil},
	{"allow-list SCP with another condition", "us-east-1", "amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{
		`{"Version":"2012-10-17","Statement":[{"Sid":"AllowML","Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}}]}`}}},
		map[string][]string{"aws:PrincipalTag/team": {"web"}}},
	{"boundary with a Region condition", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, boundary: eastOnly}, nil},
	{"session policy with a Region condition", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, session: []string{eastOnly}}, nil},
	{"identity with a Region condition", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{eastOnly}}, nil},
	{"identity and boundary lack a destination", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{novaProRole}, boundary: novaProRole}, nil},
	{"identity and session lack a destination", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{novaProRole}, session: []string{novaProRole}}, nil},
	{"session without streaming", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, session: []string{
		`{"Version":"2012-10-17","Statement":[{"Sid":"SessionInvokeOnly","Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}]}`}}, nil},
	{"SCP deny list, global", "us-east-1", "global.anthropic.claude-opus-4-6-v1", policySet{identity: []string{allowAll}, scps: [][]string{{fullAWSAccess, scpDenyUS}}}, nil},
	{"SCP deny list, the Region called", "eu-west-1", "global.anthropic.claude-opus-4-6-v1", policySet{identity: []string{allowAll}, scps: [][]string{{fullAWSAccess, scpDenyUS}}}, nil},
	{"SCP Deny not about the Region", "us-east-1", "global.anthropic.claude-opus-4-6-v1", policySet{identity: []string{allowAll}, scps: [][]string{{fullAWSAccess, scpOnlyAmazon}}}, nil},
	{"SCP Deny and identity lacks", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{novaProRole}, scps: [][]string{{fullAWSAccess, scpDenyWest}}}, nil},
	{"SCP Deny and identity lacks, global", "us-east-1", "global.anthropic.claude-opus-4-6-v1", policySet{identity: []string{usModelsOnly}, scps: [][]string{{fullAWSAccess, scpDenyUS}}}, nil},
	{"SCP Deny and identity Deny", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll, identityDenyWest}, scps: [][]string{{fullAWSAccess, scpDenyWest}}}, nil},
	{"SCP Deny of a Region", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{fullAWSAccess, identityDenyWest}}}, nil},
	{"allow-list SCP with a narrowed Resource", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{scpAllowEastResources}}}, nil},
	{"allow-list SCP with a narrowed Resource, global", "us-east-1", "global.anthropic.claude-opus-4-6-v1", policySet{identity: []string{allowAll}, scps: [][]string{{scpAllowEastResources}}}, nil},
	{"allow-list SCP with a narrowed Resource and a Region condition", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{
		`{"Version":"2012-10-17","Statement":[{"Sid":"EastOnly","Effect":"Allow","Action":"bedrock:*","Resource":"arn:aws:bedrock:us-east-1:*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`}}}, nil},
	{"allow-list SCP without Bedrock", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{
		`{"Version":"2012-10-17","Statement":[{"Sid":"ApprovedServices","Effect":"Allow","Action":["ec2:*","s3:*"],"Resource":"*"}]}`}}}, nil},
	{"allow-list SCP with InvokeModel only", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{
		`{"Version":"2012-10-17","Statement":[{"Sid":"InvokeOnly","Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}]}`}}}, nil},
	{"allow-list SCP that names other resources only", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{
		`{"Version":"2012-10-17","Statement":[{"Sid":"Buckets","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::data/*"}]}`}}}, nil},
	{"two allow-list levels", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{regionAllowList}, {scpAllowEastResources}}}, nil},
	{"boundary without the actions", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, boundary: `{"Version":"2012-10-17","Statement":[{"Sid":"StorageOnly","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}, nil},
	{"SCP Deny of one Region", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{fullAWSAccess, denyOregonOnly}}}, nil},
	{"allow-list SCP of every Region but one", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{allowButOregon}}}, nil},
	{"allow-list SCP of every Region but two", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, scps: [][]string{{strings.ReplaceAll(allowButOregon, `"us-west-2"`, `["us-west-1","us-west-2"]`)}}}, nil},
	{"boundary of Denies only", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{allowAll}, boundary: `{"Version":"2012-10-17","Statement":[{"Sid":"NoIAM","Effect":"Deny","Action":"iam:*","Resource":"*"}]}`}, nil},
	{"boundary Deny of a Region and identity lacks", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{novaProRole}, boundary: allowAllButWest}, nil},
	{"everything at once", "us-east-1", "us.amazon.nova-pro-v1:0", policySet{identity: []string{novaProRole, identityDenyWest}, scps: [][]string{{fullAWSAccess, scpDenyWest}, {scpAllowEastResources}},
		boundary: novaProRole, session: []string{eastOnly}}, nil},
}

const (
	regionAllowList = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowApproved","Effect":"Allow","Action":"*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]}}}]}`
	eastOnly = `{"Version":"2012-10-17","Statement":[{"Sid":"EastOnly","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]}}}]}`
	scpDenyUS = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideApprovedRegions","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
	  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-2"]}}}]}`
	scpOnlyAmazon = `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyAmazonModels","Effect":"Deny","Action":"bedrock:InvokeModel*",
	  "NotResource":["arn:aws:bedrock:*::foundation-model/amazon.*","arn:aws:bedrock:*:*:inference-profile/*"]}]}`
	usModelsOnly = `{"Version":"2012-10-17","Statement":[{"Sid":"USModels","Effect":"Allow","Action":"bedrock:InvokeModel*",
	  "Resource":["arn:aws:bedrock:us-*:*:inference-profile/*","arn:aws:bedrock:us-*::foundation-model/*"]}]}`
	allowAllButWest = `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},
	  {"Sid":"NotOregon","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-west-2"}}}]}`
)

// TestAdviceFixes follows the fix of every case literally: the statement
// goes into the identity policies, and each line of advice is applied to
// the policy it names as it says. Preflight must then find no IAM
// denial. A line of advice the test cannot follow fails it: the advice
// must say what to change, where. An explicit Deny the advice says to
// narrow is taken out ("An explicit deny overrides an explicit allow":
// nothing else lifts it).
func TestAdviceFixes(t *testing.T) {
	for _, tc := range adviceCases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.ps.principal(t)
			r := run(t, tc.region, tc.model, p, tc.ctx)
			if r.Fix == nil || !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Kind == "denied" }) {
				t.Fatalf("no denial to fix: %s %+v", dump(r), r.Findings)
			}
			applyFix(t, p, r.Fix)
			after := run(t, tc.region, tc.model, p, tc.ctx)
			for _, c := range after.IAM {
				if !c.Allowed {
					t.Errorf("after the fix %s\n%s on %s is still %s (%s %s %s)", dump(r), c.Action, c.Resource, c.Decision, c.Reason, c.Policy, c.Statement)
				}
			}
		})
	}
}

var (
	quoted     = `((?:"[^"]*"(?:, )?)+)`
	reNear     = regexp.MustCompile(`statement (\S+) of (\S+) covers (?:them|the actions|the resources), but (.*?): ((?:add|remove|change) .*)$`)
	reEdit     = regexp.MustCompile(`(add|remove) ` + quoted + ` (?:to|from) that statement's (Resource|Action|aws:RequestedRegion values)`)
	reChange   = regexp.MustCompile(`its Condition \(([^)]*)\) does not hold`)
	reSCPs     = regexp.MustCompile(`^the SCPs deny aws:RequestedRegion .*?: add ` + quoted + ` to the Region allow-list condition`)
	reDropOne  = regexp.MustCompile(`: statement (\S+) of (?:the SCP )?(\S+) denies aws:RequestedRegion \S+, the only Region it lists: remove that statement$`)
	reDeny     = regexp.MustCompile(`: statement (\S+) of (?:the SCP )?(\S+) explicitly denies it`)
	reDenyArea = regexp.MustCompile(`: statement (\S+) of (?:the SCP )?(\S+) denies aws:RequestedRegion .*?: (add|remove) ` + quoted + ` (?:to|from) that statement's aws:RequestedRegion values`)
	reAddStmt  = regexp.MustCompile(`^(?:no SCP of the level of \S+ allows|the permissions boundary does not allow) (.*?)(?: \(an allow list replaces FullAWSAccess\))?(?:, and an identity policy cannot grant more than the boundary)?: add an Allow statement with these actions and resources to (?:the boundary \()?([^)\s]+)\)?$`)
	reSession  = regexp.MustCompile(`^the session policies do not allow (.*?), and a session gets no more than they allow: pass session policies that allow it when assuming the role$`)
)

// applyFix changes p's policies as the fix says.
func applyFix(t *testing.T, p *iam.Principal, f *Fix) {
	t.Helper()
	if f.Statement != nil {
		p.Identity = append(p.Identity, parse(t, "fix.json", `{"Version":"2012-10-17","Statement":[`+string(f.Statement)+`]}`))
	}
	for _, a := range f.Advice {
		switch {
		case strings.Contains(a, "does not clear every denial"):
			t.Errorf("the fix says it is not enough: %s", a)
		case reDenyArea.MatchString(a):
			m := reDenyArea.FindStringSubmatch(a)
			editRegions(t, statementOf(t, p, m[2], m[1]), m[3], unquote(m[4]), iam.Deny)
		case reDropOne.MatchString(a):
			m := reDropOne.FindStringSubmatch(a)
			removeStatement(t, p, m[2], m[1])
		case reDeny.MatchString(a):
			m := reDeny.FindStringSubmatch(a)
			removeStatement(t, p, m[2], m[1])
		case reNear.MatchString(a):
			m := reNear.FindStringSubmatch(a)
			st := statementOf(t, p, m[2], m[1])
			remedy, _, _ := strings.Cut(m[4], ", or ")
			edits := reEdit.FindAllStringSubmatch(remedy, -1)
			for _, e := range edits {
				switch e[3] {
				case "Resource":
					st.Resource = append(st.Resource, unquote(e[2])...)
				case "Action":
					st.Action = append(st.Action, unquote(e[2])...)
				default:
					editRegions(t, st, e[1], unquote(e[2]), iam.Allow)
				}
			}
			if strings.Contains(remedy, "remove that statement's aws:RequestedRegion condition") {
				st.Conditions = slices.DeleteFunc(st.Conditions, func(c iam.Condition) bool { return c.Key == iam.KeyRequestedRegion })
			} else if strings.Contains(remedy, "change that condition") {
				keys := strings.Split(reChange.FindStringSubmatch(m[3])[1], ", ")
				st.Conditions = slices.DeleteFunc(st.Conditions, func(c iam.Condition) bool { return slices.Contains(keys, c.Key) })
			} else if len(edits) == 0 {
				t.Errorf("advice names no change: %s", a)
			}
		case reSCPs.MatchString(a):
			vals := unquote(reSCPs.FindStringSubmatch(a)[1])
			n := 0
			for _, level := range p.SCPs {
				for _, pol := range level {
					for i := range pol.Statements {
						st := &pol.Statements[i]
						for j, c := range st.Conditions {
							if st.Effect == iam.Deny && c.Key == iam.KeyRequestedRegion && c.Negated() {
								st.Conditions[j].Values = append(slices.Clone(c.Values), vals...)
								n++
							}
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("no Region allow-list condition in the SCPs: %s", a)
			}
		case reAddStmt.MatchString(a):
			m := reAddStmt.FindStringSubmatch(a)
			addAllow(t, p, m[2], m[1])
		case reSession.MatchString(a):
			for _, pol := range p.Session {
				addAllow(t, p, pol.Name, reSession.FindStringSubmatch(a)[1])
			}
		default:
			t.Errorf("advice the test cannot follow: %s", a)
		}
	}
}

// statementOf finds the statement by its label in the policy so named,
// in any layer.
func statementOf(t *testing.T, p *iam.Principal, policy, label string) *iam.Statement {
	t.Helper()
	for _, pol := range allPolicies(p) {
		if pol.Name != policy {
			continue
		}
		for i := range pol.Statements {
			if pol.Statements[i].Label() == label {
				return &pol.Statements[i]
			}
		}
	}
	t.Fatalf("no statement %s in %s", label, policy)
	return nil
}

func allPolicies(p *iam.Principal) []*iam.Policy {
	var out []*iam.Policy
	for _, level := range p.SCPs {
		out = append(out, level...)
	}
	out = append(out, p.Identity...)
	if p.Boundary != nil {
		out = append(out, p.Boundary)
	}
	return append(out, p.Session...)
}

func removeStatement(t *testing.T, p *iam.Principal, policy, label string) {
	t.Helper()
	n := 0
	for _, pol := range allPolicies(p) {
		if pol.Name == policy {
			before := len(pol.Statements)
			pol.Statements = slices.DeleteFunc(pol.Statements, func(s iam.Statement) bool { return s.Label() == label })
			n += before - len(pol.Statements)
		}
	}
	if n == 0 {
		t.Fatalf("no statement %s in %s", label, policy)
	}
}

// editRegions adds the values to (or removes them from) the statement's
// aws:RequestedRegion conditions of the effect's sense: those that hold
// when the value is listed (an Allow's StringEquals, a Deny's
// StringEquals) for "add" on an Allow and "remove" on a Deny, the negated
// ones otherwise.
func editRegions(t *testing.T, st *iam.Statement, op string, vals []string, effect iam.Effect) {
	t.Helper()
	n := 0
	for j, c := range st.Conditions {
		if c.Key != iam.KeyRequestedRegion {
			continue
		}
		n++
		switch op {
		case "add":
			st.Conditions[j].Values = append(slices.Clone(c.Values), vals...)
		case "remove":
			st.Conditions[j].Values = slices.DeleteFunc(slices.Clone(c.Values), func(v string) bool { return slices.Contains(vals, v) })
			if len(st.Conditions[j].Values) == 0 {
				// "Arrays can take one or more values" (Grammar of the
				// IAM JSON policy language,
				// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
				t.Errorf("statement %s: the advice leaves its aws:RequestedRegion condition without a value", st.Label())
			}
		}
	}
	if n == 0 {
		t.Errorf("statement %s has no aws:RequestedRegion condition", st.Label())
	}
}

// addAllow adds to the named policy an Allow statement for the requests
// listed as "ACTION on ARN, ACTION on ARN".
func addAllow(t *testing.T, p *iam.Principal, policy, what string) {
	t.Helper()
	var actions, resources []string
	for _, w := range strings.Split(what, ", ") {
		a, r, ok := strings.Cut(w, " on ")
		if !ok {
			t.Fatalf("not ACTION on ARN: %q", w)
		}
		actions, resources = append(actions, a), append(resources, r)
	}
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": actions, "Resource": resources}}})
	add := parse(t, "", string(doc)).Statements
	for _, pol := range allPolicies(p) {
		if pol.Name == policy {
			pol.Statements = append(pol.Statements, add...)
			return
		}
	}
	t.Fatalf("no policy %s", policy)
}

func unquote(list string) []string {
	var out []string
	for _, q := range strings.Split(list, ", ") {
		out = append(out, strings.Trim(q, `"`))
	}
	return out
}
