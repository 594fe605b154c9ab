package catalog

import (
	"errors"
	"slices"
	"testing"
)

// TestNovaPremierAndDeepSeekV3 holds the catalog to the pages it took
// them from; before, both ids answered "The provided model identifier is
// invalid." in every Region.
//
// Nova Premier: Bedrock's supported-models table (February 2026 copy)
// lists it only through inference profiles, and the inference-profile
// page routes us.amazon.nova-premier-v1:0 from us-east-1, us-east-2 and
// us-west-2 to the same three; the batch-inference table agrees (no
// single-Region support, profile Regions us-east-1, us-east-2,
// us-west-2).
//
// DeepSeek-V3.1: the supported-models table gives it single-Region
// support in ap-northeast-1, ap-south-1, ap-southeast-3, eu-north-1,
// eu-west-2, us-east-2 and us-west-2, and the inference-profile page has
// no profile for it (ap-southeast-3 is not among the catalog's Regions).
func TestNovaPremierAndDeepSeekV3(t *testing.T) {
	c := Default()
	premier, ok := c.Profile("us.amazon.nova-premier-v1:0")
	if !ok {
		t.Fatal("no us.amazon.nova-premier-v1:0 profile")
	}
	us := []string{"us-east-1", "us-east-2", "us-west-2"}
	for _, src := range us {
		if got := premier.Routes[src]; !slices.Equal(got, us) {
			t.Errorf("us.amazon.nova-premier-v1:0 from %s routes to %v; want %v", src, got, us)
		}
	}
	if len(premier.Routes) != len(us) {
		t.Errorf("us.amazon.nova-premier-v1:0 has %d sources; want 3", len(premier.Routes))
	}
	got, err := c.Resolve("us-west-2", "amazon.nova-premier-v1:0")
	if err != nil || !got.ProfileOnly {
		t.Errorf("amazon.nova-premier-v1:0 in us-west-2: %+v, %v; want offered only through its profile", got, err)
	}
	if _, err := c.Resolve("eu-west-1", "us.amazon.nova-premier-v1:0"); !errors.Is(err, ErrNotOffered) {
		t.Errorf("us.amazon.nova-premier-v1:0 from eu-west-1: %v; want not offered", err)
	}

	v3 := []string{"ap-northeast-1", "ap-south-1", "eu-north-1", "eu-west-2", "us-east-2", "us-west-2"}
	for _, r := range c.Regions {
		got, err := c.Resolve(r, "deepseek.v3-v1:0")
		want := slices.Contains(v3, r)
		if want && (err != nil || got.ProfileOnly) {
			t.Errorf("deepseek.v3-v1:0 in %s: %+v, %v; want served on demand", r, got, err)
		}
		if !want && err == nil {
			t.Errorf("deepseek.v3-v1:0 in %s: offered; the table does not list %s", r, r)
		}
	}
}

// TestLifecycleDates: the models added from the Region tables carry the
// Legacy, public extended access and end-of-life dates of Bedrock's
// Model lifecycle page ("Legacy and end-of-life (EOL) models"; Opus 4.1
// from its Model lifecycle (Legacy) page), which are Bedrock's own and not
// the providers'. Without them Claude 3 Sonnet, Opus 4, Llama 3.1 405B,
// Llama 3.2, Command R and R+ showed as ACTIVE in ListFoundationModels
// and the emulator served them long after Bedrock retired them. Where the
// page gives a Region group its own public extended access date (Claude 3
// Sonnet: Asia Pacific only), the catalog leaves the date out.
func TestLifecycleDates(t *testing.T) {
	c := Default()
	for id, want := range map[string]Lifecycle{
		"anthropic.claude-3-sonnet-20240229-v1:0":  {Legacy: "2026-01-30", EndOfLife: "2026-07-30"},
		"anthropic.claude-3-haiku-20240307-v1:0":   {Legacy: "2026-03-10", PublicExtendedAccess: "2026-06-10", EndOfLife: "2026-09-10"},
		"anthropic.claude-sonnet-4-20250514-v1:0":  {Legacy: "2026-04-14", PublicExtendedAccess: "2026-07-14", EndOfLife: "2026-10-14"},
		"anthropic.claude-opus-4-20250514-v1:0":    {Legacy: "2025-10-01", PublicExtendedAccess: "2026-03-01", EndOfLife: "2026-05-31"},
		"anthropic.claude-opus-4-1-20250805-v1:0":  {Legacy: "2026-07-08", EndOfLife: "2027-01-08"},
		"meta.llama3-1-405b-instruct-v1:0":         {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-1b-instruct-v1:0":           {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-3b-instruct-v1:0":           {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-11b-instruct-v1:0":          {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-90b-instruct-v1:0":          {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"cohere.command-r-v1:0":                    {Legacy: "2026-02-19", PublicExtendedAccess: "2026-05-19", EndOfLife: "2026-08-19"},
		"cohere.command-r-plus-v1:0":               {Legacy: "2026-02-19", PublicExtendedAccess: "2026-05-19", EndOfLife: "2026-08-19"},
		"ai21.jamba-1-5-large-v1:0":                {Legacy: "2026-05-26", PublicExtendedAccess: "2026-08-26", EndOfLife: "2026-11-26"},
		"ai21.jamba-1-5-mini-v1:0":                 {Legacy: "2026-05-26", PublicExtendedAccess: "2026-08-26", EndOfLife: "2026-11-26"},
		"amazon.nova-premier-v1:0":                 {Legacy: "2026-03-13", EndOfLife: "2026-09-14"},
		"anthropic.claude-3-5-haiku-20241022-v1:0": {Legacy: "2025-12-19", PublicExtendedAccess: "2026-03-19", EndOfLife: "2026-06-19"},
		// Claude 3.7 Sonnet left the commercial Regions on 2026-04-28: a
		// live call that day answered "This model version has reached the
		// end of its life." (BerriAI/litellm PR #26721), and the lifecycle
		// page's May 2026 copy lists it for GovCloud only (Legacy
		// 2026-01-30, end of life 2026-07-30 there), as it lists no model
		// already past its end of life. Its commercial Legacy date is not
		// on any page read here, so it is left out.
		"anthropic.claude-3-7-sonnet-20250219-v1:0": {EndOfLife: "2026-04-28"},
	} {
		m, ok := c.Model(id)
		if !ok {
			t.Errorf("%s: not in the catalog", id)
			continue
		}
		got := m.Lifecycle
		got.StartOfLife = ""
		if got != want {
			t.Errorf("%s: lifecycle %+v; want %+v", id, got, want)
		}
	}
	// On the catalog's date (2026-11-20) Claude 3 Sonnet and Claude 3.5
	// Haiku are past their end of life (3.5 Haiku's was verified live on
	// 2026-08-29: accelerated-intelligent-document-processing-on-aws #708,
	// "This model version has reached the end of its life.") and Jamba 1.5
	// is Legacy.
	for _, id := range []string{"anthropic.claude-3-sonnet-20240229-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0"} {
		if m, _ := c.Model(id); m.Lifecycle.Status(c.Date()) != EndOfLife {
			t.Errorf("%s on %s: %s; want END_OF_LIFE", id, c.AsOf, m.Lifecycle.Status(c.Date()))
		}
	}
	if m, _ := c.Model("ai21.jamba-1-5-mini-v1:0"); m.Lifecycle.Status(c.Date()) != Legacy {
		t.Errorf("Jamba 1.5 Mini on %s: %s; want LEGACY", c.AsOf, m.Lifecycle.Status(c.Date()))
	}
}

// TestFebruaryRegionTable: where the model-support-by-Region page
// (models-regions, copy fetched 2026-02-15) lists a Region the catalog
// did not, the model is offered there now. Its first table ("single-Region
// support") puts gpt-oss-120b on demand in nine of the catalog's Regions
// and Claude 3.7 Sonnet on demand in London; its second (inference
// profiles) makes Nova 2 Lite callable from ca-west-1 and ap-southeast-4,
// Nova Lite and Pro from ap-southeast-4, Claude 3.7 Sonnet from
// ap-northeast-3, Claude Sonnet 4 and Opus 4.6 from both. The routes are
// the inference-profile page's (Supported cross-Region inference
// profiles): us.amazon.nova-2-lite-v1:0 from ca-central-1 and ca-west-1
// adds the caller's Region to the three US ones; the apac. profiles from
// the new sources route within Asia Pacific (ap-south-2 among them, a
// destination only in the catalog). Opus 4.6 is newer than that
// page: its global profile takes the Regions, as Opus 4.5's lists them.
func TestFebruaryRegionTable(t *testing.T) {
	c := Default()
	for _, r := range []string{"us-east-1", "us-east-2", "us-west-2", "ap-northeast-1", "ap-south-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2"} {
		if got, err := c.Resolve(r, "openai.gpt-oss-120b-1:0"); err != nil || got.ProfileOnly {
			t.Errorf("openai.gpt-oss-120b-1:0 in %s: %+v, %v; want on demand", r, got, err)
		}
	}
	if got, err := c.Resolve("eu-west-2", "anthropic.claude-3-7-sonnet-20250219-v1:0"); err != nil || got.ProfileOnly {
		t.Errorf("Claude 3.7 Sonnet in eu-west-2: %+v, %v; want on demand", got, err)
	}
	us := []string{"us-east-1", "us-east-2", "us-west-2"}
	for _, tc := range []struct {
		region, id string
		dests      []string
	}{
		{"ca-central-1", "us.amazon.nova-2-lite-v1:0", append([]string{"ca-central-1"}, us...)},
		{"ca-west-1", "us.amazon.nova-2-lite-v1:0", append([]string{"ca-west-1"}, us...)},
		{"ca-west-1", "global.amazon.nova-2-lite-v1:0", c.Regions},
		{"ap-southeast-4", "global.amazon.nova-2-lite-v1:0", c.Regions},
		{"ap-southeast-4", "apac.amazon.nova-lite-v1:0", []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-4"}},
		{"ap-southeast-4", "apac.amazon.nova-pro-v1:0", []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-4"}},
		{"ap-northeast-3", "apac.anthropic.claude-3-7-sonnet-20250219-v1:0", []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2"}},
		{"ap-northeast-3", "apac.anthropic.claude-sonnet-4-20250514-v1:0", []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-4"}},
		{"ap-southeast-4", "apac.anthropic.claude-sonnet-4-20250514-v1:0", []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-4"}},
		{"ap-northeast-3", "global.anthropic.claude-opus-4-6-v1", c.Regions},
		{"ap-southeast-4", "global.anthropic.claude-opus-4-6-v1", c.Regions},
	} {
		got, err := c.Resolve(tc.region, tc.id)
		if err != nil {
			t.Errorf("%s from %s: %v; want callable", tc.id, tc.region, err)
			continue
		}
		if !slices.Equal(slices.Sorted(slices.Values(got.Destinations)), slices.Sorted(slices.Values(tc.dests))) {
			t.Errorf("%s from %s routes to %v; want %v", tc.id, tc.region, got.Destinations, tc.dests)
		}
	}
}
