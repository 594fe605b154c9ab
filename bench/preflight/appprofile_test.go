package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	rtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

const appARN = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/hq2of259skzs"

// appEmulator serves the default catalog plus one application profile
// that copies the US Nova Pro profile, with the principal's policies.
func appEmulator(t *testing.T, p *iam.Principal) *httptest.Server {
	t.Helper()
	base, err := json.Marshal(catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.TrimSuffix(string(base), "}") + `,"applicationProfiles":[{"id":"hq2of259skzs","name":"team-ml","region":"us-east-1","account":"111122223333","copyFrom":"us.amazon.nova-pro-v1:0"}]}`
	cat, err := catalog.Parse("apps.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	// The same caller reads the control plane.
	reads, _ := iam.ParsePolicy("reads.json", []byte(`{"Statement":[{"Effect":"Allow","Action":["bedrock:Get*","bedrock:List*"],"Resource":"*"}]}`))
	caller := *p
	caller.Identity = append(append([]*iam.Policy{}, p.Identity...), reads)
	s, err := emulator.New(&emulator.Options{Catalog: cat, Principal: &caller})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs
}

var fakeCreds = credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")

// An application profile policy names the application profile's ARN and
// the models of the routes it copies; a policy that names only the
// system profile is not enough.
const appRole = `{"Version":"2012-10-17","Statement":[
 {"Sid":"App","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*"},
 {"Sid":"Models","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0",
  "Condition":{"ArnLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*"}}}]}`

func TestApplicationProfile(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		policy string
		ok     bool
	}{
		{"policy for the application profile", appRole, true},
		{"policy for the system profile only", novaProRole, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := principal(t, []string{tc.policy})
			hs := appEmulator(t, p)
			cp := bedrock.New(bedrock.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, Credentials: fakeCreds})
			r, err := Run(ctx, cp, Input{Region: "us-east-1", Model: appARN, Principal: p, Now: today})
			if err != nil {
				t.Fatal(err)
			}
			if r.Catalog.Kind != "application-inference-profile" || r.Routing == nil || !r.Routing.Application || r.Routing.ProfileARN != appARN ||
				strings.Join(r.Routing.Destinations, ",") != "us-east-1,us-east-2,us-west-2" || r.Catalog.ModelID != "amazon.nova-pro-v1:0" {
				t.Fatalf("catalog %+v routing %+v", r.Catalog, r.Routing)
			}
			if r.IAM[0].Resource != appARN || r.IAM[0].Role != iam.RoleApplicationProfile {
				t.Errorf("the application profile's own ARN is evaluated first: %+v", r.IAM[0])
			}
			if r.OK() != tc.ok {
				t.Errorf("preflight OK=%v, want %v: %+v", r.OK(), tc.ok, r.Findings)
			}
			// The emulator agrees when the call is made.
			rt := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, Credentials: fakeCreds})
			_, err = rt.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(appARN), Messages: []rtypes.Message{{Role: rtypes.ConversationRoleUser, Content: []rtypes.ContentBlock{&rtypes.ContentBlockMemberText{Value: "hi"}}}}})
			var ae smithy.APIError
			switch {
			case tc.ok && err != nil:
				t.Errorf("converse through the application profile: %v", err)
			case !tc.ok && (!errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" || !strings.Contains(ae.ErrorMessage(), "application-inference-profile/hq2of259skzs")):
				t.Errorf("want AccessDenied on the application profile: %v", err)
			}
		})
	}
	// The application profile lives in its own Region and account only.
	hs := appEmulator(t, principal(t, []string{allowAll}))
	cp := bedrock.New(bedrock.Options{Region: "us-west-2", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, Credentials: fakeCreds})
	r, err := Run(ctx, cp, Input{Region: "us-west-2", Model: strings.Replace(appARN, "us-east-1", "us-west-2", 1), Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil || r.Catalog.Offered != NotOffered {
		t.Errorf("from another Region: %v %+v", err, r)
	}
	// ListInferenceProfiles lists it with typeEquals=APPLICATION, in its
	// own Region only; without the filter, only system-defined profiles.
	for _, tc := range []struct {
		region string
		typ    btypes.InferenceProfileType
		want   int
	}{{"us-east-1", btypes.InferenceProfileTypeApplication, 1}, {"us-west-2", btypes.InferenceProfileTypeApplication, 0}} {
		cp := bedrock.New(bedrock.Options{Region: tc.region, BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, Credentials: fakeCreds})
		out, err := cp.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{TypeEquals: tc.typ})
		if err != nil || len(out.InferenceProfileSummaries) != tc.want {
			t.Fatalf("%s: %v %+v", tc.region, err, out)
		}
		if tc.want == 1 {
			got := out.InferenceProfileSummaries[0]
			if aws.ToString(got.InferenceProfileArn) != appARN || got.Type != btypes.InferenceProfileTypeApplication || len(got.Models) != 3 {
				t.Errorf("listed: %+v", got)
			}
		}
	}
	all, err := cp.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all.InferenceProfileSummaries {
		if p.Type != btypes.InferenceProfileTypeSystemDefined {
			t.Errorf("unfiltered list holds %s of type %s", aws.ToString(p.InferenceProfileId), p.Type)
		}
	}
}

func TestMatrixAgainstTheEmulator(t *testing.T) {
	p := principal(t, []string{novaProRole})
	hs := appEmulator(t, p)
	cpFor := func(region string) (ControlPlane, error) {
		return bedrock.New(bedrock.Options{Region: region, BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, Credentials: fakeCreds}), nil
	}
	targets := append(Targets([]string{"us-east-1", "eu-west-1"}, []string{"us.amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0"}), Target{Region: "us-east-1", Model: appARN})
	m, err := RunMatrix(context.Background(), cpFor, targets, Input{Principal: p, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range m.Rows {
		var ds []string
		for _, d := range r.Destinations {
			ds = append(ds, d.Region+"="+d.Verdict)
		}
		got[r.Region+" "+r.Model] = r.Offered + " " + r.Verdict + " " + strings.Join(ds, ",")
	}
	want := map[string]string{
		"us-east-1 us.amazon.nova-pro-v1:0": "via-profile denied us-east-1=allowed,us-east-2=allowed,us-west-2=denied",
		"us-east-1 amazon.nova-pro-v1:0":    "on-demand allowed us-east-1=allowed",
		"eu-west-1 us.amazon.nova-pro-v1:0": "not-offered not-offered ",
		"eu-west-1 amazon.nova-pro-v1:0":    "profile-only denied eu-west-1=denied",
		"us-east-1 " + appARN:               "via-profile denied us-east-1=denied,us-east-2=allowed,us-west-2=denied",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
	// One statement fixes the IAM denials of the whole matrix: applying it
	// leaves only the catalog findings. A profile-only model called by
	// its id gets no statement (the call would still fail) but the
	// profile to call.
	if a := m.Fix.Advice; len(a) != 1 || !strings.HasPrefix(a[0], "eu-west-1: calling amazon.nova-pro-v1:0 by its id fails however IAM allows it: call eu.amazon.nova-pro-v1:0 instead") {
		t.Errorf("advice %q", a)
	}
	var st map[string]any
	if m.Fix == nil || json.Unmarshal(m.Fix.Statement, &st) != nil {
		t.Fatalf("fix: %+v", m.Fix)
	}
	fixed := principal(t, []string{novaProRole, `{"Statement":[` + string(m.Fix.Statement) + `]}`})
	m2, err := RunMatrix(context.Background(), cpFor, targets, Input{Principal: fixed, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range m2.Rows {
		for _, f := range r.Findings {
			if f.Kind == "denied" && r.Offered != ProfileOnly {
				t.Errorf("after the matrix fix, %s %s: %s", r.Region, r.Model, f.Message)
			}
		}
	}
}
