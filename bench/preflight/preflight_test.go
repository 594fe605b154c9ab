package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

var today = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func controlPlane(t *testing.T, region string) *bedrock.Client {
	t.Helper()
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return bedrock.New(bedrock.Options{Region: region, BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
}

func principal(t *testing.T, identity []string, scps ...string) *iam.Principal {
	t.Helper()
	p := &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/app/session"}
	for i, doc := range identity {
		pol, err := iam.ParsePolicy([]string{"role-policy.json", "extra.json"}[i], []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		p.Identity = append(p.Identity, pol)
	}
	for _, doc := range scps {
		full, _ := iam.ParsePolicy("FullAWSAccess", []byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
		pol, err := iam.ParsePolicy("region-allowlist.json", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		p.SCPs = append(p.SCPs, []*iam.Policy{full, pol})
	}
	return p
}

const novaProRole = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Profile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-pro-v1:0"},
 {"Sid":"Models","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":[
   "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
   "arn:aws:bedrock:us-east-2::foundation-model/amazon.nova-pro-v1:0"]}]}`

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func kinds(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Kind)
	}
	return out
}

func TestAllClear(t *testing.T) {
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Fix != nil || r.Catalog.Offered != ViaProfile || r.Catalog.Lifecycle != "ACTIVE" {
		t.Errorf("report: %+v", r)
	}
	if diff := cmp.Diff([]string{"us-east-1", "us-east-2", "us-west-2"}, r.Routing.Destinations); diff != "" {
		t.Errorf("destinations (-want +got):\n%s", diff)
	}
	// Two actions × (profile, source model, two other destinations).
	if len(r.IAM) != 8 {
		t.Errorf("%d checks, want 8", len(r.IAM))
	}
}

// TestRetiredModelNotOffered: a model past its end of life, called in a
// Region that never offered it, is not offered there (the runtime answers
// "The provided model identifier is invalid.", the Region's catalog being
// checked first), and no Region serves it any more: Bedrock's Model
// lifecycle page says that after the EOL date the model "is no longer
// available for use in all AWS Regions". Preflight said where else it was
// "offered in": Regions where every call now fails with
// ResourceNotFoundException (Claude 3.5 Haiku's end of life, 2026-06-19).
func TestRetiredModelNotOffered(t *testing.T) {
	for _, id := range []string{"anthropic.claude-3-5-haiku-20241022-v1:0", "us.anthropic.claude-3-5-haiku-20241022-v1:0"} {
		r, err := Run(context.Background(), controlPlane(t, "ap-south-1"), Input{Region: "ap-south-1", Model: id, Principal: principal(t, []string{allowAll}), Now: today})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{NotOffered}, kinds(r)); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", id, diff)
		}
		if r.Catalog.Offered != NotOffered || len(r.Catalog.Alternatives) != 0 || r.Catalog.Lifecycle != "END_OF_LIFE" || r.Catalog.EndOfLife != "2026-06-19" {
			t.Errorf("%s: %+v; want not offered, end of life 2026-06-19, no alternatives", id, r.Catalog)
		}
		if msg := r.Findings[0].Message; !strings.Contains(msg, "The provided model identifier is invalid.") || !strings.Contains(msg, "end of life on 2026-06-19, so no Region serves it") {
			t.Errorf("%s: %s", id, msg)
		}
		// It names the model to move to, as the explainer does: Claude
		// Haiku 4.5, the line's newest (Anthropic's model deprecations page
		// recommends it for Claude 3.5 Haiku), by the id ap-south-1 calls
		// it with.
		if msg := r.Findings[0].Message; !strings.HasSuffix(msg, "move to an active model such as global.anthropic.claude-haiku-4-5-20251001-v1:0") {
			t.Errorf("%s: names no active successor: %s", id, msg)
		}
	}
	// The day before its end of life, the Regions that served it are the
	// advice.
	r, err := Run(context.Background(), controlPlane(t, "ap-south-1"), Input{Region: "ap-south-1", Model: "anthropic.claude-3-5-haiku-20241022-v1:0", Principal: principal(t, []string{allowAll}), Now: time.Date(2026, 6, 18, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(r.Catalog.Alternatives) == 0 || r.Catalog.Alternatives[0].Region != "us-west-2" {
		t.Errorf("on 2026-06-18: %v %+v; want us-west-2 first among the alternatives", err, r)
	}
}

// TestRetiredModelARegionKeeps: Claude 3 Haiku reached its end of life
// on 2026-09-10 in most Regions, but ca-central-1 still serves it and
// ap-northeast-2 has it Legacy (Bedrock user guide, model card "Claude 3
// Haiku"). Called in eu-north-1, which never offered it, preflight said
// "so no Region serves it"; called in ca-central-1, that it had reached its
// end of life there.
func TestRetiredModelARegionKeeps(t *testing.T) {
	const haiku = "anthropic.claude-3-haiku-20240307-v1:0"
	r, err := Run(context.Background(), controlPlane(t, "eu-north-1"), Input{Region: "eu-north-1", Model: haiku, Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Suggestion{{Region: "ap-northeast-2"}, {Region: "ca-central-1"}}, r.Catalog.Alternatives); diff != "" {
		t.Errorf("alternatives (-want +got):\n%s", diff)
	}
	if msg := r.Findings[0].Message; !strings.Contains(msg, "end of life on 2026-09-10 in every Region but ap-northeast-2, ca-central-1, which still serve it on demand") {
		t.Errorf("eu-north-1: %s", msg)
	}
	r, err = Run(context.Background(), controlPlane(t, "ca-central-1"), Input{Region: "ca-central-1", Model: haiku, Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 0 || r.Catalog.Offered != OnDemand || r.Catalog.Lifecycle != "ACTIVE" {
		t.Errorf("ca-central-1: %+v %+v; want on demand, active, no finding", r.Catalog, r.Findings)
	}
}

func TestModelNotOffered(t *testing.T) {
	r, err := Run(context.Background(), controlPlane(t, "ap-south-1"), Input{Region: "ap-south-1", Model: "meta.llama3-3-70b-instruct-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{NotOffered}, kinds(r)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.Findings[0].Message, "not an IAM problem") || len(r.Catalog.Alternatives) == 0 || r.Catalog.Alternatives[0].Region != "us-east-2" {
		t.Errorf("%+v", r.Catalog)
	}
	if len(r.IAM) != 0 {
		t.Error("IAM checks for a model the Region does not serve")
	}
	// A profile called from a Region that is not one of its sources.
	r, err = Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil || r.Catalog.Offered != NotOffered {
		t.Errorf("eu profile from us-east-1: %v %+v", err, r)
	}
}

func TestOneDestinationDenied(t *testing.T) {
	p := principal(t, []string{novaProRole})
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: p, Now: today})
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	for _, c := range r.IAM {
		if !c.Allowed {
			denied = append(denied, c.Action+" "+c.Resource)
		} else if c.Policy != "role-policy.json" || c.Statement == "" {
			t.Errorf("allowed check should name its statement: %+v", c)
		}
	}
	want := []string{
		"bedrock:InvokeModel arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0",
		"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0",
	}
	if diff := cmp.Diff(want, denied); diff != "" {
		t.Errorf("denied (-want +got):\n%s", diff)
	}
	var st map[string]any
	if err := json.Unmarshal(r.Fix.Statement, &st); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"Sid": "AllowBedrockInvoke", "Effect": "Allow",
		"Action":   []any{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"},
		"Resource": []any{"arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"}}, st); diff != "" {
		t.Errorf("fix (-want +got):\n%s", diff)
	}
	if len(r.Fix.Advice) != 0 {
		t.Errorf("the statement alone fixes it: %v", r.Fix.Advice)
	}
	// Applying the fix clears every finding.
	r2, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0",
		Principal: principal(t, []string{novaProRole, `{"Statement":[` + string(r.Fix.Statement) + `]}`}), Now: today})
	if err != nil || !r2.OK() {
		t.Errorf("after the fix: %v %+v", err, r2.Findings)
	}
}

func TestGlobalProfileDeniedBySCP(t *testing.T) {
	scp := `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideApprovedRegions","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
	  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-2"]}}}]}`
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "global.anthropic.claude-opus-4-6-v1", Principal: principal(t, []string{allowAll}, scp), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Routing.Global {
		t.Error("not seen as global")
	}
	var denied []Check
	for _, c := range r.IAM {
		if !c.Allowed {
			denied = append(denied, c)
		}
	}
	if len(denied) != 2 {
		t.Fatalf("want the Region-less model denied for both actions: %+v", denied)
	}
	for _, c := range denied {
		if c.Resource != "arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1" || c.RequestedRegion != "unspecified" || c.Decision != "explicitDeny" || c.Policy != "region-allowlist.json" {
			t.Errorf("%+v", c)
		}
	}
	if r.Fix == nil || r.Fix.Statement != nil || len(r.Fix.Advice) != 1 || !strings.Contains(r.Fix.Advice[0], `add "unspecified"`) {
		t.Errorf("fix: %+v", r.Fix)
	}
}

func TestProfileOnlyAndLifecycle(t *testing.T) {
	r, err := Run(context.Background(), controlPlane(t, "us-west-2"), Input{Region: "us-west-2", Model: "amazon.nova-pro-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if r.Catalog.Offered != ProfileOnly || !cmp.Equal(r.Catalog.Profiles, []string{"us.amazon.nova-pro-v1:0"}) || !strings.Contains(r.Findings[0].Message, "call us.amazon.nova-pro-v1:0 instead") {
		t.Errorf("%+v %+v", r.Catalog, r.Findings)
	}
	r, err = Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
	if err != nil || !cmp.Equal(kinds(r), []string{"legacy"}) {
		t.Errorf("Sonnet 4.5 is Legacy: %v %v", err, kinds(r))
	}
}

// TestProfilesFromEveryPage: the profiles that serve a profile-only model
// are found on whichever page of ListInferenceProfiles they come, one
// profile a page as with all on one.
func TestProfilesFromEveryPage(t *testing.T) {
	defer func(n int32) { profilesPageSize = n }(profilesPageSize)
	var want []string
	for _, size := range []int32{1000, 1} {
		profilesPageSize = size
		r, err := Run(context.Background(), controlPlane(t, "us-west-2"), Input{Region: "us-west-2", Model: "amazon.nova-pro-v1:0", Principal: principal(t, []string{allowAll}), Now: today})
		if err != nil {
			t.Fatalf("page size %d: %v", size, err)
		}
		if size == 1000 {
			want = r.Catalog.Profiles
			if len(want) == 0 {
				t.Fatal("no profile found for a profile-only model")
			}
		} else if !cmp.Equal(r.Catalog.Profiles, want) {
			t.Errorf("one profile a page: %v, want %v as from one page", r.Catalog.Profiles, want)
		}
	}
}

// TestLiveSimulator checks IAM with iam:SimulatePrincipalPolicy, served
// from a recorded response shaped as in the API reference.
func TestLiveSimulator(t *testing.T) {
	tmpl, err := os.ReadFile("testdata/simulate-principal-policy.xml")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var asked []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		asked = append(asked, r.PostForm)
		mu.Unlock()
		if r.PostForm.Get("Action") != "SimulatePrincipalPolicy" {
			http.Error(w, "unexpected action", 400)
			return
		}
		res := r.PostForm.Get("ResourceArns.member.1")
		decision := "allowed"
		if strings.Contains(res, ":us-west-2:") {
			decision = "implicitDeny"
		}
		body := strings.NewReplacer("{{POLICY}}", "bedrock-invoke", "{{RESOURCE}}", res, "{{DECISION}}", decision, "{{ACTION}}", r.PostForm.Get("ActionNames.member.1"), "{{MISSING}}", "<MissingContextValues/>").Replace(string(tmpl))
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	sim := iamsdk.New(iamsdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")})
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0",
		Simulator: sim, PrincipalARN: "arn:aws:iam::111122223333:role/app", Now: today})
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, c := range r.IAM {
		if !c.Allowed {
			denied++
			if c.Decision != "implicitDeny" || c.Reason != "no identity-based policy allows it" {
				t.Errorf("%+v", c)
			}
		} else if c.Policy != "bedrock-invoke" {
			t.Errorf("allowed check should name the matched policy: %+v", c)
		}
	}
	if denied != 2 || r.Fix == nil || !strings.Contains(string(r.Fix.Statement), "us-west-2") {
		t.Errorf("denied %d, fix %+v", denied, r.Fix)
	}
	// The simulator was asked with the context keys Bedrock sets.
	found := false
	for _, q := range asked {
		if q.Get("Action") != "SimulatePrincipalPolicy" {
			continue
		}
		if q.Get("PolicySourceArn") != "arn:aws:iam::111122223333:role/app" {
			t.Errorf("PolicySourceArn %q", q.Get("PolicySourceArn"))
		}
		for i := 1; i <= 2; i++ {
			k := q.Get("ContextEntries.member." + itoa(i) + ".ContextKeyName")
			v := q.Get("ContextEntries.member." + itoa(i) + ".ContextKeyValues.member.1")
			if k == "bedrock:InferenceProfileArn" && v == "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-pro-v1:0" {
				found = true
			}
		}
	}
	if !found || len(asked) != 9 || len(r.Notes) != 1 {
		t.Errorf("%d simulator calls; profile key sent: %v", len(asked), found)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

// TestLiveSimulatorContext: keys given with --context go to the simulator
// with their documented types, the keys the policies test are listed with
// GetContextKeysForPrincipalPolicy, and a result the simulator reached
// without a key it needed (MissingContextValues) is conditional, not a
// plain denial.
func TestLiveSimulatorContext(t *testing.T) {
	tmpl, err := os.ReadFile("testdata/simulate-principal-policy.xml")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	types := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "text/xml")
		if r.PostForm.Get("Action") == "GetContextKeysForPrincipalPolicy" {
			_, _ = w.Write([]byte(`<GetContextKeysForPrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetContextKeysForPrincipalPolicyResult><ContextKeyNames><member>aws:SourceIp</member><member>aws:MultiFactorAuthPresent</member><member>aws:RequestedRegion</member></ContextKeyNames></GetContextKeysForPrincipalPolicyResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetContextKeysForPrincipalPolicyResponse>`))
			return
		}
		sent := map[string]bool{}
		mu.Lock()
		for i := 1; i <= 9; i++ {
			k := r.PostForm.Get("ContextEntries.member." + itoa(i) + ".ContextKeyName")
			if k != "" {
				sent[k] = true
				types[k] = r.PostForm.Get("ContextEntries.member." + itoa(i) + ".ContextKeyType")
			}
		}
		mu.Unlock()
		decision, missing := "allowed", "<MissingContextValues/>"
		if !sent["aws:MultiFactorAuthPresent"] {
			decision, missing = "implicitDeny", "<MissingContextValues><member>aws:MultiFactorAuthPresent</member></MissingContextValues>"
		}
		res := r.PostForm.Get("ResourceArns.member.1")
		body := strings.NewReplacer("{{POLICY}}", "mfa-required", "{{RESOURCE}}", res, "{{DECISION}}", decision, "{{ACTION}}", r.PostForm.Get("ActionNames.member.1"), "{{MISSING}}", missing).Replace(string(tmpl))
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	sim := iamsdk.New(iamsdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")})
	in := Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Simulator: sim, PrincipalARN: "arn:aws:iam::111122223333:role/app", Now: today,
		Context: map[string][]string{"aws:SourceIp": {"10.1.2.3"}, "aws:CurrentTime": {"2026-12-06T10:00:00Z"}}}
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), in)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"aws:SourceIp": "ip", "aws:CurrentTime": "date", "aws:RequestedRegion": "string", "bedrock:InferenceProfileArn": "string"}; !cmp.Equal(want, types) {
		t.Errorf("context entry types: %v", types)
	}
	if !cmp.Equal(r.ContextKeys, []string{"aws:MultiFactorAuthPresent", "aws:RequestedRegion", "aws:SourceIp"}) || !cmp.Equal(r.UnsuppliedKeys, []string{"aws:MultiFactorAuthPresent"}) {
		t.Errorf("keys: %v unsupplied %v", r.ContextKeys, r.UnsuppliedKeys)
	}
	if !cmp.Equal(kinds(r), []string{"conditional"}) || !strings.Contains(r.Findings[0].Message, "--context aws:MultiFactorAuthPresent=VALUE") {
		t.Errorf("findings: %+v", r.Findings)
	}
	for _, c := range r.IAM {
		if !c.Conditional || c.Allowed {
			t.Errorf("%+v", c)
		}
	}
	if r.Fix != nil {
		t.Errorf("no fix statement for conditional checks: %+v", r.Fix)
	}
	// With the key supplied, the simulator decides.
	in.Context["aws:MultiFactorAuthPresent"] = []string{"true"}
	r, err = Run(context.Background(), controlPlane(t, "us-east-1"), in)
	if err != nil || !r.OK() || types["aws:MultiFactorAuthPresent"] != "boolean" {
		t.Errorf("with MFA: %v %+v %v", err, r.Findings, types)
	}
}

// The prerequisites page's "aws:InferenceProfileArn" is a key Bedrock
// never sets: a condition on it is false, not unknown, and preflight says so.
func TestMisspeltProfileKey(t *testing.T) {
	role := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"Profile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:*:*:inference-profile/*"},
	 {"Sid":"ModelsViaProfile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:*::foundation-model/*",
	  "Condition":{"StringLike":{"aws:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/*"}}}]}`
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Principal: principal(t, []string{role}), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "ModelsViaProfile tests aws:InferenceProfileArn") {
		t.Errorf("notes: %v", r.Notes)
	}
	for _, c := range r.IAM {
		if c.Conditional {
			t.Errorf("the misspelt key is absent, not unknown: %+v", c)
		}
	}
	if !strings.Contains(strings.Join(kinds(r), " "), "denied") {
		t.Errorf("the models are denied: %v", kinds(r))
	}
}

// A denial an identity policy cannot lift gets advice, not the identity
// statement: "The effective permissions are the intersection of both
// policy types" (a permissions boundary,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
// "The resulting session's permissions are the intersection of the session
// policies and ... identity-based policies"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session);
// and an SCP allow list that leaves the action out denies it in every
// Region.
func TestFixAdvisesWhereAnIdentityStatementCannotHelp(t *testing.T) {
	fm := "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
	deny := func(reason iam.Reason, policy string) Check {
		return Check{Action: iam.ActionInvokeModel, Resource: fm, RequestedRegion: "us-west-2", Decision: "implicitDeny", Reason: reason.String(), Policy: policy,
			scp: reason == iam.ImplicitDenySCP}
	}
	for _, tc := range []struct {
		check Check
		want  string
	}{
		{deny(iam.ImplicitDenyBoundary, ""), "the permissions boundary does not allow bedrock:InvokeModel on " + fm},
		{deny(iam.ImplicitDenySession, ""), "the session policies do not allow bedrock:InvokeModel on " + fm},
		{deny(iam.ImplicitDenySCP, "allow-list.json"), "no SCP of the level of allow-list.json allows bedrock:InvokeModel on " + fm},
	} {
		f := fix([]Check{tc.check}, Input{})
		if f == nil || f.Statement != nil || len(f.Advice) != 1 || !strings.HasPrefix(f.Advice[0], tc.want) {
			t.Errorf("%s: %+v, want only the advice %q", tc.check.Reason, f, tc.want)
		}
	}
	if f := fix([]Check{deny(iam.ImplicitDenyIdentity, "")}, Input{}); f == nil || f.Statement == nil || len(f.Advice) != 0 {
		t.Errorf("no identity statement allows it: %+v, want the statement", f)
	}
}

// TestSCPDenyNotAboutTheRegion: an SCP whose Deny does not test the Region
// (here: every model but Amazon's) gets advice on that statement, not the
// Region allow-list advice, which would not lift it.
func TestSCPDenyNotAboutTheRegion(t *testing.T) {
	scp := `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyAmazonModels","Effect":"Deny","Action":"bedrock:InvokeModel*",
	  "NotResource":["arn:aws:bedrock:*::foundation-model/amazon.*","arn:aws:bedrock:*:*:inference-profile/*"]}]}`
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), Input{Region: "us-east-1", Model: "global.anthropic.claude-opus-4-6-v1", Principal: principal(t, []string{allowAll}, scp), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	if r.Fix == nil || r.Fix.Statement != nil || len(r.Fix.Advice) == 0 {
		t.Fatalf("fix: %+v", r.Fix)
	}
	for _, a := range r.Fix.Advice {
		if strings.Contains(a, "aws:RequestedRegion") || !strings.Contains(a, "statement OnlyAmazonModels of the SCP region-allowlist.json explicitly denies it, not for its Region") {
			t.Errorf("advice %q", a)
		}
	}
}

// TestContextCannotSetBedrocksKeys: Bedrock sets aws:RequestedRegion and
// bedrock:InferenceProfileArn itself; "The bedrock:InferenceProfileArn
// condition key is populated for the foundation model resource
// evaluations, but not for the inference profile resource evaluation"
// (Geographic cross-Region inference,
// https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html),
// and a direct call carries none. A --context value for either is left
// out with a note: it stood on the direct call, where AWS's
// DenyNonUSGeographicCRIS SCP then denied a call it does not deny, and a
// differently cased aws:requestedregion competed with the Region's own.
func TestContextCannotSetBedrocksKeys(t *testing.T) {
	const denyNonUS = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyNonUSGeographicCRIS","Effect":"Deny","Action":"bedrock:*","Resource":"*",
 "Condition":{"Null":{"bedrock:InferenceProfileArn":"false"},"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}}]}`
	in := Input{Region: "us-east-1", Model: "amazon.nova-micro-v1:0", Principal: principal(t, []string{allowAll}, denyNonUS), Now: today,
		Context: map[string][]string{"bedrock:InferenceProfileArn": {"arn:aws:bedrock:us-east-1:111122223333:inference-profile/eu.amazon.nova-micro-v1:0"}, "aws:requestedregion": {"eu-west-1"}, "aws:SourceIp": {"10.1.2.3"}}}
	r, err := Run(context.Background(), controlPlane(t, "us-east-1"), in)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.IAM) != 2 {
		t.Errorf("a direct call the SCP does not deny: %+v", r.Findings)
	}
	if len(r.Notes) != 2 || !strings.HasPrefix(r.Notes[0], "--context aws:requestedregion was left out: Bedrock sets it itself") || !strings.HasPrefix(r.Notes[1], "--context bedrock:InferenceProfileArn was left out") {
		t.Errorf("notes: %q", r.Notes)
	}
	if len(in.Context) != 3 {
		t.Errorf("the caller's map was changed: %v", in.Context)
	}
}

// repeatingTokens is a control plane whose ListInferenceProfiles hands
// out the tokens A, B, A, B... for ever (failing after 50 calls, so that
// a reader that never stops ends).
type repeatingTokens struct {
	ControlPlane
	calls int
}

func (r *repeatingTokens) ListInferenceProfiles(ctx context.Context, in *bedrock.ListInferenceProfilesInput, opts ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error) {
	if r.calls++; r.calls > 50 {
		return nil, errors.New("called 50 times: the listing never ends")
	}
	next := "A"
	if aws.ToString(in.NextToken) == "A" {
		next = "B"
	}
	return &bedrock.ListInferenceProfilesOutput{NextToken: aws.String(next)}, nil
}

// TestARepeatedPageToken: a ListInferenceProfiles that hands out a page
// token it handed out before is refused after one round, with an error
// that says so; the SDK's paginator only stops on a token repeated at
// once, and listed a cycle for ever.
func TestARepeatedPageToken(t *testing.T) {
	cp := &repeatingTokens{}
	_, err := profilesWith(context.Background(), cp, "amazon.nova-pro-v1:0")
	if err == nil || !strings.Contains(err.Error(), "a page token it had handed out before") || cp.calls != 3 {
		t.Errorf("%d calls: %v; want an error about a repeated token after 3", cp.calls, err)
	}
}
