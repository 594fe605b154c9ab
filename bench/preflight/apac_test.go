package preflight

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestApacOsakaAndMelbourne: from ap-northeast-1, the APAC Claude Sonnet 4
// profile routes to ap-northeast-1, ap-northeast-2, ap-northeast-3,
// ap-south-1, ap-south-2, ap-southeast-1, ap-southeast-2 and ap-southeast-4
// (Bedrock user guide, "Supported Regions and models for inference
// profiles", APAC Claude Sonnet 4; ap-south-2 is a destination-only Region
// of the catalog). A role that allows the model in the five Regions the
// catalog used to list is denied on a call routed to Osaka, Hyderabad or
// Melbourne; preflight said it was enough.
func TestApacOsakaAndMelbourne(t *testing.T) {
	const (
		profile = "apac.anthropic.claude-sonnet-4-20250514-v1:0"
		fm      = "anthropic.claude-sonnet-4-20250514-v1:0"
	)
	var resources []string
	for _, r := range []string{"ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2"} {
		resources = append(resources, "arn:aws:bedrock:"+r+"::foundation-model/"+fm)
	}
	res, _ := json.Marshal(resources)
	role := `{"Version":"2012-10-17","Statement":[
 {"Sid":"Profile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:ap-northeast-1:111122223333:inference-profile/` + profile + `"},
 {"Sid":"Models","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":` + string(res) + `}]}`
	in := Input{Region: "ap-northeast-1", Model: profile, Principal: principal(t, []string{role}), Now: today}
	r, err := Run(context.Background(), controlPlane(t, "ap-northeast-1"), in)
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	for _, c := range r.IAM {
		if !c.Allowed {
			denied = append(denied, c.Action+" "+c.Resource)
		}
	}
	slices.Sort(denied)
	want := []string{
		"bedrock:InvokeModel arn:aws:bedrock:ap-northeast-3::foundation-model/" + fm,
		"bedrock:InvokeModel arn:aws:bedrock:ap-south-2::foundation-model/" + fm,
		"bedrock:InvokeModel arn:aws:bedrock:ap-southeast-4::foundation-model/" + fm,
		"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:ap-northeast-3::foundation-model/" + fm,
		"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:ap-south-2::foundation-model/" + fm,
		"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:ap-southeast-4::foundation-model/" + fm,
	}
	if diff := cmp.Diff(want, denied); diff != "" {
		t.Errorf("denied (-want +got):\n%s", diff)
	}
	if r.Fix == nil || r.Fix.Statement == nil {
		t.Fatalf("no fix statement: %+v", r.Fix)
	}
	var st struct{ Resource []string }
	if err := json.Unmarshal(r.Fix.Statement, &st); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{
		"arn:aws:bedrock:ap-northeast-3::foundation-model/" + fm,
		"arn:aws:bedrock:ap-south-2::foundation-model/" + fm,
		"arn:aws:bedrock:ap-southeast-4::foundation-model/" + fm,
	}, st.Resource); diff != "" {
		t.Errorf("fix resources (-want +got):\n%s", diff)
	}
	in.Principal = principal(t, []string{role, `{"Statement":[` + string(r.Fix.Statement) + `]}`})
	r2, err := Run(context.Background(), controlPlane(t, "ap-northeast-1"), in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r2.IAM {
		if !c.Allowed {
			t.Errorf("after the fix, still denied: %s %s", c.Action, c.Resource)
		}
	}
}
