package preflight

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// TestARNOfAnotherRegion: the runtime resolves a model ARN in the Region
// called only, so a foundation-model ARN of another Region (or one with an
// account) answers "The provided model identifier is invalid." there, as
// the emulator does; preflight said all clear and checked IAM on the
// called Region's ARN instead.
func TestARNOfAnotherRegion(t *testing.T) {
	for _, tc := range []struct {
		model, want string
	}{
		{"arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-micro-v1:0", NotOffered},
		{"arn:aws:bedrock:us-east-1:111122223333:foundation-model/amazon.nova-micro-v1:0", NotOffered},
		{"arn:aws:bedrock:us-west-2:111122223333:provisioned-model/abcdef123456", NotOffered},
		{"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0", OnDemand},
	} {
		r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: tc.model, Principal: principal(t, []string{allowAll}), Now: today})
		if err != nil {
			t.Fatal(err)
		}
		if r.Catalog.Offered != tc.want {
			t.Errorf("%s in us-east-1: %s, want %s (%v)", tc.model, r.Catalog.Offered, tc.want, r.Findings)
		}
		if tc.want == NotOffered && (len(r.IAM) != 0 || len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, "The provided model identifier is invalid.")) {
			t.Errorf("%s: %+v %+v", tc.model, r.IAM, r.Findings)
		}
	}
	r, _ := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-micro-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
	if len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, `names the Region "us-west-2", not us-east-1`) || len(r.Catalog.Alternatives) == 0 {
		t.Errorf("%+v %+v", r.Findings, r.Catalog)
	}
}

// TestProvisionedModelARN: a Provisioned Throughput is authorized on its
// own ARN ("Allow users to invoke a provisioned model", Identity-based
// policy examples for Provisioned Throughput,
// https://docs.aws.amazon.com/bedrock/latest/userguide/security_iam_id-based-policy-examples-pt.html);
// preflight called it "not offered, not an IAM problem".
func TestProvisionedModelARN(t *testing.T) {
	const arn = "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abcdef123456"
	fmOnly := `{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:*::foundation-model/*"}]}`
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: arn, Principal: principal(t, []string{fmOnly}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if r.Catalog.Offered != Provisioned || len(r.IAM) != 2 || r.IAM[0].Resource != arn || r.IAM[0].Allowed || r.IAM[0].Role != RoleProvisionedModel {
		t.Fatalf("%+v %+v", r.Catalog, r.IAM)
	}
	var st map[string]any
	if r.Fix == nil || json.Unmarshal(r.Fix.Statement, &st) != nil || fmt.Sprint(st["Resource"]) != "["+arn+"]" {
		t.Fatalf("fix: %+v", r.Fix)
	}
	r, err = Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: arn, Principal: principal(t, []string{fmOnly, `{"Statement":[` + string(r.Fix.Statement) + `]}`}), Now: today})
	if err != nil || !r.OK() {
		t.Errorf("after the fix: %v %+v", err, r.Findings)
	}
}

// The Region-deny SCP of AWS's sample "Deny access to AWS based on the
// requested AWS Region with Bedrock CRIS" (aws-samples/service-control-policy-examples,
// Region-controls), approved Regions us-east-1 and us-west-2: the invoke
// actions are denied outside them unless the call names a US profile.
const crisExemptSCP = `{"Version":"2012-10-17","Statement":[
 {"Sid":"DenyOutside","Effect":"Deny","NotAction":["iam:*","sts:*","bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":"*",
  "Condition":{"StringNotEquals":{"aws:RequestedRegion":REGIONS}}},
 {"Sid":"DenyInvokeOutside","Effect":"Deny","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":"*",
  "Condition":{"StringNotEquals":{"aws:RequestedRegion":REGIONS},"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}}]}`

const regionDenySCP = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutside","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
  "Condition":{"StringNotEquals":{"aws:RequestedRegion":REGIONS}}}]}`

// TestSCPDeniesTheRegionCalled: an SCP denying the Region called cannot be
// lifted by exempting cross-Region inference: "This exemption can't bypass
// the Region restriction on the originating call. The inference profile
// resource evaluation carries the source Region and doesn't include
// bedrock:InferenceProfileArn." (Geographic cross-Region inference,
// https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html).
// The advice offered that exemption for the Region called too; each advice
// is checked by applying it.
func TestSCPDeniesTheRegionCalled(t *testing.T) {
	scp := func(doc string, regions ...string) string {
		q, _ := json.Marshal(regions)
		return strings.ReplaceAll(doc, "REGIONS", string(q))
	}
	run := func(region, scpDoc string) *Report {
		t.Helper()
		r, err := Run(context.Background(), controlPlane(t, region), Input{Region: region, Model: "us.amazon.nova-pro-v1:0", Principal: principal(t, []string{allowAll}, scpDoc), Now: today})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Called from us-east-2, outside the list: the profile is denied.
	r := run("us-east-2", scp(regionDenySCP, "us-east-1", "us-west-2"))
	if r.Fix == nil || len(r.Fix.Advice) != 1 {
		t.Fatalf("fix: %+v", r.Fix)
	}
	if a := r.Fix.Advice[0]; !strings.Contains(a, `us-east-2 for the call itself`) || !strings.Contains(a, `add "us-east-2" to the Region allow-list`) || strings.Contains(a, "or exempt") {
		t.Errorf("advice %q", a)
	}
	// The exemption leaves the profile denied, as the docs say...
	if r := run("us-east-2", scp(crisExemptSCP, "us-east-1", "us-west-2")); r.OK() {
		t.Error("the exemption lifted the denial of the Region called")
	}
	// ...and the advice given lifts it.
	if r := run("us-east-2", scp(regionDenySCP, "us-east-1", "us-west-2", "us-east-2")); !r.OK() {
		t.Errorf("after adding us-east-2: %+v", r.Findings)
	}
	// Called from us-east-1, the route to us-east-2 is denied: both ways
	// are offered, and each lifts it.
	r = run("us-east-1", scp(regionDenySCP, "us-east-1", "us-west-2"))
	if r.Fix == nil || len(r.Fix.Advice) != 1 || !strings.Contains(r.Fix.Advice[0], `add "us-east-2" to the Region allow-list condition, or exempt cross-Region inference`) {
		t.Fatalf("fix: %+v", r.Fix)
	}
	if r := run("us-east-1", scp(crisExemptSCP, "us-east-1", "us-west-2")); !r.OK() {
		t.Errorf("after the exemption: %+v", r.Findings)
	}
	if r := run("us-east-1", scp(regionDenySCP, "us-east-1", "us-west-2", "us-east-2")); !r.OK() {
		t.Errorf("after adding us-east-2: %+v", r.Findings)
	}
}

// TestApplicationProfileOfAGlobalProfile: an application profile copying a
// global profile routes where the global profile does; its models[] holds
// only the Region-less ARN and the source Region's, and preflight printed
// the source Region as the only destination.
func TestApplicationProfileOfAGlobalProfile(t *testing.T) {
	base, _ := json.Marshal(catalog.Default())
	doc := strings.TrimSuffix(string(base), "}") + `,"applicationProfiles":[{"id":"glob0000app1","region":"us-east-1","account":"111122223333","copyFrom":"global.anthropic.claude-opus-4-6-v1"}]}`
	cat, err := catalog.Parse("apps.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := emulator.New(&emulator.Options{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	cp := bedrock.New(bedrock.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, Credentials: fakeCreds})
	r, err := Run(context.Background(), cp, Input{Region: "us-east-1", Model: "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/glob0000app1", Principal: principal(t, []string{allowAll}), Catalog: cat, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cat.Profile("global.anthropic.claude-opus-4-6-v1")
	if r.Routing == nil || !r.Routing.Global || !r.Routing.Application || strings.Join(r.Routing.Destinations, ",") != strings.Join(p.Routes["us-east-1"], ",") {
		t.Errorf("routing %+v, want the global profile's %v", r.Routing, p.Routes["us-east-1"])
	}
}

// TestProfileOnlyFixIsTheProfile: a model the Region serves only through a
// profile fails by its id whatever IAM allows ("Invocation of model ID ...
// with on-demand throughput isn't supported"), so the fix names the
// profile to call, not a statement allowing the model by its id.
func TestProfileOnlyFixIsTheProfile(t *testing.T) {
	none := `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	r, err := Run(context.Background(), controlPlane(t, "us-west-2"), Input{Region: "us-west-2", Model: "amazon.nova-pro-v1:0", Principal: principal(t, []string{none}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if r.Catalog.Offered != ProfileOnly || r.Fix == nil || r.Fix.Statement != nil || len(r.Fix.Advice) != 1 || !strings.Contains(r.Fix.Advice[0], "call us.amazon.nova-pro-v1:0 instead") {
		t.Errorf("fix %+v", r.Fix)
	}
}

type emptySimulator struct{}

func (emptySimulator) SimulatePrincipalPolicy(context.Context, *iamsdk.SimulatePrincipalPolicyInput, ...func(*iamsdk.Options)) (*iamsdk.SimulatePrincipalPolicyOutput, error) {
	return &iamsdk.SimulatePrincipalPolicyOutput{}, nil
}

// TestLiveAgainstAnEndpointThatIsNotIAM: --live with --iam-endpoint set to
// the emulator (which answers any unknown operation with a 200 the IAM
// client reads as no result) says what to do instead.
func TestLiveAgainstAnEndpointThatIsNotIAM(t *testing.T) {
	_, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "amazon.nova-micro-v1:0", Simulator: emptySimulator{}, PrincipalARN: "arn:aws:iam::111122223333:role/app", Now: today})
	if err == nil || !strings.Contains(err.Error(), "returned no result") || !strings.Contains(err.Error(), "instead of --live") {
		t.Errorf("error %v", err)
	}
}

// TestARNOfAnotherPartition: ARNs in GovCloud begin with arn:aws-us-gov
// and elsewhere in the commercial Regions with arn:aws (Amazon Resource
// Names (ARNs) in GovCloud (US) Regions,
// https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html),
// so a model ARN of the other partition is an invalid identifier where
// it is called, as the emulator answers it; preflight said all clear and
// checked IAM on the arn:aws: ARN.
func TestARNOfAnotherPartition(t *testing.T) {
	for _, model := range []string{
		"arn:aws-us-gov:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
		"arn:aws-cn:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
		"arn:aws-us-gov:bedrock:us-east-1:111122223333:provisioned-model/abcdef123456",
	} {
		r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: model, Principal: principal(t, []string{allowAll}), Now: today})
		if err != nil {
			t.Fatal(err)
		}
		if r.Catalog.Offered != NotOffered || len(r.IAM) != 0 || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "but ARNs in us-east-1 begin with arn:aws:") {
			t.Errorf("%s: %s %+v %+v", model, r.Catalog.Offered, r.IAM, r.Findings)
		}
	}
}

// govCloud answers the control-plane calls of us-gov-east-1 as AWS does
// for the us-gov. Claude 3 Haiku profile (routes: regions-iam §4.2), with
// the GovCloud partition in every ARN.
type govCloud struct{}

func (govCloud) GetFoundationModel(_ context.Context, in *bedrock.GetFoundationModelInput, _ ...func(*bedrock.Options)) (*bedrock.GetFoundationModelOutput, error) {
	id := aws.ToString(in.ModelIdentifier)
	return &bedrock.GetFoundationModelOutput{ModelDetails: &btypes.FoundationModelDetails{ModelId: aws.String(id), ModelArn: aws.String("arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/" + id),
		ModelName: aws.String("Claude 3 Haiku"), InferenceTypesSupported: []btypes.InferenceType{btypes.InferenceTypeOnDemand}}}, nil
}

func (govCloud) GetInferenceProfile(_ context.Context, in *bedrock.GetInferenceProfileInput, _ ...func(*bedrock.Options)) (*bedrock.GetInferenceProfileOutput, error) {
	const model = "anthropic.claude-3-haiku-20240307-v1:0"
	return &bedrock.GetInferenceProfileOutput{InferenceProfileId: aws.String("us-gov." + model), Type: btypes.InferenceProfileTypeSystemDefined,
		InferenceProfileArn: aws.String("arn:aws-us-gov:bedrock:us-gov-east-1:111122223333:inference-profile/us-gov." + model),
		Models: []btypes.InferenceProfileModel{
			{ModelArn: aws.String("arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/" + model)},
			{ModelArn: aws.String("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/" + model)},
		}}, nil
}

func (govCloud) ListInferenceProfiles(context.Context, *bedrock.ListInferenceProfilesInput, ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error) {
	return &bedrock.ListInferenceProfilesOutput{}, nil
}

// TestGovCloudPolicies: a GovCloud role whose policy names its resources
// with arn:aws-us-gov, as every GovCloud ARN begins, is all clear; preflight
// checked arn:aws: ARNs and found every check denied, and its fix named
// ARNs that do not exist in GovCloud.
func TestGovCloudPolicies(t *testing.T) {
	role := `{"Version":"2012-10-17","Statement":[{"Sid":"Haiku","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":[
  "arn:aws-us-gov:bedrock:us-gov-east-1:111122223333:inference-profile/us-gov.anthropic.claude-3-haiku-20240307-v1:0",
  "arn:aws-us-gov:bedrock:us-gov-*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]}]}`
	r, err := Run(context.Background(), govCloud{}, Input{Region: "us-gov-east-1", Model: "us-gov.anthropic.claude-3-haiku-20240307-v1:0", Principal: principal(t, []string{role}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.IAM) != 6 {
		t.Errorf("%d checks, findings %+v", len(r.IAM), r.Findings)
	}
	// Without the destination, the fix names the GovCloud ARN.
	eastOnly := strings.Replace(role, "us-gov-*", "us-gov-east-1", 1)
	r, err = Run(context.Background(), govCloud{}, Input{Region: "us-gov-east-1", Model: "us-gov.anthropic.claude-3-haiku-20240307-v1:0", Principal: principal(t, []string{eastOnly}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if r.Fix == nil || !strings.Contains(string(r.Fix.Statement), `"arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"`) || len(r.Findings) != 2 {
		fix := ""
		if r.Fix != nil {
			fix = string(r.Fix.Statement)
		}
		t.Errorf("fix: %s findings: %+v", fix, r.Findings)
	}
}
