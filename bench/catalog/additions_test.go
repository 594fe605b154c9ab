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
