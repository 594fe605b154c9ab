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
		"anthropic.claude-3-sonnet-20240229-v1:0": {Legacy: "2026-01-30", EndOfLife: "2026-07-30"},
		"anthropic.claude-opus-4-20250514-v1:0":   {Legacy: "2025-10-01", PublicExtendedAccess: "2026-03-01", EndOfLife: "2026-05-31"},
		"anthropic.claude-opus-4-1-20250805-v1:0": {Legacy: "2026-07-08", EndOfLife: "2027-01-08"},
		"meta.llama3-1-405b-instruct-v1:0":        {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-1b-instruct-v1:0":          {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-3b-instruct-v1:0":          {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-11b-instruct-v1:0":         {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"meta.llama3-2-90b-instruct-v1:0":         {Legacy: "2026-01-07", PublicExtendedAccess: "2026-04-07", EndOfLife: "2026-07-07"},
		"cohere.command-r-v1:0":                   {Legacy: "2026-02-19", PublicExtendedAccess: "2026-05-19", EndOfLife: "2026-08-19"},
		"cohere.command-r-plus-v1:0":              {Legacy: "2026-02-19", PublicExtendedAccess: "2026-05-19", EndOfLife: "2026-08-19"},
		"ai21.jamba-1-5-large-v1:0":               {Legacy: "2026-05-26", PublicExtendedAccess: "2026-08-26", EndOfLife: "2026-11-26"},
		"ai21.jamba-1-5-mini-v1:0":                {Legacy: "2026-05-26", PublicExtendedAccess: "2026-08-26", EndOfLife: "2026-11-26"},
		"amazon.nova-premier-v1:0":                {Legacy: "2026-03-13", EndOfLife: "2026-09-14"},
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
	// On the catalog's date (2026-11-20) Claude 3 Sonnet is past its end
	// of life and Jamba 1.5 is Legacy.
	if m, _ := c.Model("anthropic.claude-3-sonnet-20240229-v1:0"); m.Lifecycle.Status(c.Date()) != EndOfLife {
		t.Errorf("Claude 3 Sonnet on %s: %s; want END_OF_LIFE", c.AsOf, m.Lifecycle.Status(c.Date()))
	}
	if m, _ := c.Model("ai21.jamba-1-5-mini-v1:0"); m.Lifecycle.Status(c.Date()) != Legacy {
		t.Errorf("Jamba 1.5 Mini on %s: %s; want LEGACY", c.AsOf, m.Lifecycle.Status(c.Date()))
	}
}
