package preflight

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEUDestinationOutsideTheCatalogRegions: from eu-central-1 the EU
// Claude Sonnet 4.5 profile routes to eu-central-1, eu-north-1, eu-south-1,
// eu-south-2, eu-west-1 and eu-west-3 (Bedrock user guide, "Supported
// Regions and models for inference profiles",
// https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html;
// the catalog adds eu-west-2). Milan and Spain are not Regions the
// emulator serves, but Bedrock authorizes "the foundation model in each
// candidate destination Region" (Geographic cross-Region inference,
// https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html),
// and "If any destination Region in a cross-Region inference profile is
// blocked in your SCPs, the request will fail even if other Regions remain
// allowed" (the supported-profiles page). A role that allows the model in
// every destination among the catalog's Regions and in eu-south-2, not in
// eu-south-1, is denied there; so is an SCP allow-list of the catalog's
// Regions. Preflight said both were enough: the catalog's routes stopped
// at its 17 Regions.
func TestEUDestinationOutsideTheCatalogRegions(t *testing.T) {
	const (
		profile = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
		fm      = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	)
	run := func(t *testing.T, p Input) *Report {
		t.Helper()
		p.Region, p.Model, p.Now = "eu-central-1", profile, today
		r, err := Run(context.Background(), controlPlane(t, "eu-central-1"), p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	denied := func(r *Report) []string {
		var out []string
		for _, c := range r.IAM {
			if !c.Allowed {
				out = append(out, c.Action+" "+c.Resource)
			}
		}
		slices.Sort(out)
		return out
	}
	t.Run("identity policy", func(t *testing.T) {
		var resources []string
		for _, r := range []string{"eu-central-1", "eu-north-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"} {
			resources = append(resources, "arn:aws:bedrock:"+r+"::foundation-model/"+fm)
		}
		res, _ := json.Marshal(resources)
		role := `{"Version":"2012-10-17","Statement":[
 {"Sid":"Profile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:eu-central-1:111122223333:inference-profile/` + profile + `"},
 {"Sid":"Models","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":` + string(res) + `}]}`
		r := run(t, Input{Principal: principal(t, []string{role})})
		if r.Routing == nil || !slices.Contains(r.Routing.Destinations, "eu-south-1") || !slices.Contains(r.Routing.Destinations, "eu-south-2") {
			t.Fatalf("routing %+v; want eu-south-1 and eu-south-2 among the destinations", r.Routing)
		}
		want := []string{
			"bedrock:InvokeModel arn:aws:bedrock:eu-south-1::foundation-model/" + fm,
			"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:eu-south-1::foundation-model/" + fm,
		}
		if diff := cmp.Diff(want, denied(r)); diff != "" {
			t.Errorf("denied (-want +got):\n%s", diff)
		}
		if !slices.Contains(kinds(r), "denied") {
			t.Errorf("findings %v; want the denial", kinds(r))
		}
		row := rowOf(r)
		if i := slices.IndexFunc(row.Destinations, func(d Destination) bool { return d.Region == "eu-south-1" }); i < 0 || row.Destinations[i].Verdict != VerdictDenied || row.Verdict != VerdictDenied {
			t.Errorf("matrix row %+v; want eu-south-1 denied", row)
		}
		if r.Fix == nil || r.Fix.Statement == nil {
			t.Fatalf("no fix statement: %+v", r.Fix)
		}
		var st struct{ Resource []string }
		if err := json.Unmarshal(r.Fix.Statement, &st); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"arn:aws:bedrock:eu-south-1::foundation-model/" + fm}, st.Resource); diff != "" {
			t.Errorf("fix resources (-want +got):\n%s", diff)
		}
		// With eu-south-1 allowed too, every check passes (Sonnet 4.5 is
		// Legacy on the catalog's date, which preflight reports apart).
		if r := run(t, Input{Principal: principal(t, []string{role, `{"Statement":[` + string(r.Fix.Statement) + `]}`})}); len(denied(r)) != 0 || !slices.Equal(kinds(r), []string{"legacy"}) {
			t.Errorf("with eu-south-1 allowed: %v %+v", denied(r), r.Findings)
		}
	})
	t.Run("SCP", func(t *testing.T) {
		scp := func(regions ...string) string {
			q, _ := json.Marshal(regions)
			return strings.ReplaceAll(regionDenySCP, "REGIONS", string(q))
		}
		served := []string{"eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3"}
		r := run(t, Input{Principal: principal(t, []string{allowAll}, scp(served...))})
		want := []string{
			"bedrock:InvokeModel arn:aws:bedrock:eu-south-1::foundation-model/" + fm,
			"bedrock:InvokeModel arn:aws:bedrock:eu-south-2::foundation-model/" + fm,
			"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:eu-south-1::foundation-model/" + fm,
			"bedrock:InvokeModelWithResponseStream arn:aws:bedrock:eu-south-2::foundation-model/" + fm,
		}
		if diff := cmp.Diff(want, denied(r)); diff != "" {
			t.Errorf("denied (-want +got):\n%s", diff)
		}
		for _, c := range r.IAM {
			if !c.Allowed && (c.Decision != "explicitDeny" || c.Policy != "region-allowlist.json") {
				t.Errorf("%+v; want an explicit deny of the SCP", c)
			}
		}
		if r.Fix == nil || len(r.Fix.Advice) != 1 || !strings.Contains(r.Fix.Advice[0], `"eu-south-1"`) {
			t.Errorf("fix: %+v", r.Fix)
		}
		if r := run(t, Input{Principal: principal(t, []string{allowAll}, scp(append(served, "eu-south-1", "eu-south-2")...))}); len(denied(r)) != 0 || !slices.Equal(kinds(r), []string{"legacy"}) {
			t.Errorf("with eu-south-1 and eu-south-2 allowed: %v %+v", denied(r), r.Findings)
		}
	})
}
