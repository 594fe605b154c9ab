package preflight

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

func parse(t *testing.T, name, doc string) *iam.Policy {
	t.Helper()
	pol, err := iam.ParsePolicy(name, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

func dump(r *Report) string {
	b, _ := json.MarshalIndent(r.Fix, "", "  ")
	return string(b)
}

// An allow-list SCP whose Allow statement tests aws:RequestedRegion denies
// a destination it does not list: the advice names that condition and the
// value it needs, not the actions, which the statement already covers.
// SCPs use the IAM policy language, conditions on Allow included ("SCP
// syntax",
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html);
// a global profile's Region-less model ARN carries aws:RequestedRegion
// "unspecified", which an SCP restricting Regions must include (Global
// cross-Region inference,
// https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html).
func TestAllowListSCPWithARegionCondition(t *testing.T) {
	allowList := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowApproved","Effect":"Allow","Action":"*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]}}}]}`
	p := &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/app/session",
		Identity: []*iam.Policy{parse(t, "role-policy.json", allowAll)},
		SCPs:     [][]*iam.Policy{{parse(t, "allowlist.json", allowList)}}}
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: p, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	fm := "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
	for _, c := range r.IAM {
		if denied := c.Resource == fm; c.Allowed == denied || denied && (c.Reason != iam.ImplicitDenySCP.String() || !cmp.Equal(c.MissingAllow, []string{"scp:allowlist.json"})) {
			t.Errorf("check %+v", c)
		}
	}
	want := []string{`no SCP of the level of allowlist.json allows bedrock:InvokeModel on ` + fm + `, bedrock:InvokeModelWithResponseStream on ` + fm +
		` (an allow list replaces FullAWSAccess): statement AllowApproved of allowlist.json covers them, but only where aws:RequestedRegion is us-east-1 or us-east-2: add "us-west-2" to that statement's aws:RequestedRegion values`}
	if r.Fix == nil || r.Fix.Statement != nil || !cmp.Equal(r.Fix.Advice, want) {
		t.Errorf("fix: %s\nwant advice %q", dump(r), want)
	}

	// A global profile: the Region-less ARN needs "unspecified".
	r, err = Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "global.anthropic.claude-opus-4-6-v1", Principal: p, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if r.Fix == nil || len(r.Fix.Advice) != 1 || !strings.Contains(r.Fix.Advice[0], `add "unspecified" to that statement's aws:RequestedRegion values`) || strings.Contains(r.Fix.Advice[0], "add the actions") {
		t.Errorf("global fix: %s", dump(r))
	}

	// Another condition is named by its key.
	allowList = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowFromTheVPC","Effect":"Allow","Action":"*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:PrincipalTag/team":"ml"}}}]}`
	p.SCPs = [][]*iam.Policy{{parse(t, "allowlist.json", allowList)}}
	r, err = Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "amazon.nova-pro-v1:0", Principal: p, Now: today,
		Context: map[string][]string{"aws:PrincipalTag/team": {"web"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Fix == nil || len(r.Fix.Advice) != 1 || !strings.Contains(r.Fix.Advice[0], "statement AllowFromTheVPC of allowlist.json covers them, but its Condition (aws:PrincipalTag/team) does not hold for this request") || strings.Contains(r.Fix.Advice[0], "add the actions") {
		t.Errorf("other condition: %s", dump(r))
	}
}

// The same for the other layers: a boundary, session policy or identity
// policy whose Allow covers the model but not its Region.
func TestAllowWithARegionConditionInEveryLayer(t *testing.T) {
	eastOnly := `{"Version":"2012-10-17","Statement":[{"Sid":"EastOnly","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]}}}]}`
	const add = `covers them, but only where aws:RequestedRegion is us-east-1 or us-east-2: add "us-west-2" to that statement's aws:RequestedRegion values`
	for _, tc := range []struct {
		name string
		p    *iam.Principal
		want string
	}{
		{"boundary", &iam.Principal{Identity: []*iam.Policy{parse(t, "role-policy.json", allowAll)}, Boundary: parse(t, "boundary.json", eastOnly)},
			"the permissions boundary does not allow "},
		{"session", &iam.Principal{Identity: []*iam.Policy{parse(t, "role-policy.json", allowAll)}, Session: []*iam.Policy{parse(t, "session.json", eastOnly)}},
			"the session policies do not allow "},
		{"identity", &iam.Principal{Identity: []*iam.Policy{parse(t, "identity.json", eastOnly)}},
			"no identity-based policy allows "},
	} {
		r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: tc.p, Now: today})
		if err != nil {
			t.Fatal(err)
		}
		if r.Fix == nil || len(r.Fix.Advice) != 1 || !strings.HasPrefix(r.Fix.Advice[0], tc.want) || !strings.Contains(r.Fix.Advice[0], "statement EastOnly of "+tc.name) ||
			!strings.Contains(r.Fix.Advice[0], add) || strings.Contains(r.Fix.Advice[0], "add the resources") {
			t.Errorf("%s: %s", tc.name, dump(r))
		}
	}
}

// An identity policy and a permissions boundary that both lack a
// destination: "The effective permissions are the intersection of both
// policy types" (Permissions boundaries for IAM entities,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html),
// so the advice names both, and applying it clears the denial. No
// statement denies, so none is said to.
func TestIdentityAndBoundaryBothLackADestination(t *testing.T) {
	fm := "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
	for _, tc := range []struct {
		name   string
		p      func(*iam.Policy) *iam.Principal
		layer  string
		advice string
	}{
		{"boundary", func(pol *iam.Policy) *iam.Principal { return &iam.Principal{Boundary: pol} }, "boundary",
			"the permissions boundary does not allow bedrock:InvokeModel on " + fm + ", bedrock:InvokeModelWithResponseStream on " + fm + `, and an identity policy cannot grant more than the boundary: statement Models of boundary.json covers the actions, but not these resources: add "` + fm + `" to that statement's Resource`},
		{"session", func(pol *iam.Policy) *iam.Principal { return &iam.Principal{Session: []*iam.Policy{pol}} }, "session",
			"the session policies do not allow bedrock:InvokeModel on " + fm + ", bedrock:InvokeModelWithResponseStream on " + fm + `, and a session gets no more than they allow: statement Models of session.json covers the actions, but not these resources: add "` + fm + `" to that statement's Resource`},
	} {
		p := tc.p(parse(t, tc.name+".json", novaProRole))
		p.ARN = "arn:aws:sts::111122223333:assumed-role/app/session"
		p.Identity = []*iam.Policy{parse(t, "role-policy.json", novaProRole)}
		r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: p, Now: today})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.IAM {
			// The decision is unchanged: the identity policies decide first.
			if denied := c.Resource == fm; c.Allowed == denied || denied && (c.Reason != iam.ImplicitDenyIdentity.String() || !cmp.Equal(c.MissingAllow, []string{"identity", tc.layer})) {
				t.Errorf("%s: check %+v", tc.name, c)
			}
		}
		if r.Fix == nil || r.Fix.Statement == nil || !cmp.Equal(r.Fix.Advice, []string{tc.advice}) {
			t.Fatalf("%s: fix %s\nwant the statement and the advice %q", tc.name, dump(r), tc.advice)
		}
		// Applying both clears every finding.
		var st map[string]any
		if err := json.Unmarshal(r.Fix.Statement, &st); err != nil {
			t.Fatal(err)
		}
		fixed, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
		p = tc.p(&iam.Policy{Name: tc.name + ".json", Statements: append(parse(t, "", novaProRole).Statements, parse(t, "", string(fixed)).Statements...)})
		p.Identity = []*iam.Policy{parse(t, "role-policy.json", novaProRole), parse(t, "extra.json", string(fixed))}
		r, err = Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: p, Now: today})
		if err != nil || !r.OK() {
			t.Errorf("%s: after the fix: %v %+v", tc.name, err, r.Findings)
		}
	}
}
