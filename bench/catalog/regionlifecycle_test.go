package catalog

import (
	"slices"
	"strings"
	"testing"
)

// TestRegionLifecycle: Bedrock retires a model Region by Region. Claude 3
// Haiku's model card (Bedrock user guide, "Claude 3 Haiku",
// model-card-anthropic-claude-3-haiku, copy read after 2026-09-10) says it
// reached its end of life on 2026-09-10 in most Regions, whose calls now
// answer "ResourceNotFoundException: This model version has reached the
// end of its life.", that ca-central-1 (with eu-central-2 and sa-east-1,
// outside the catalog) still serves it, and that it is Legacy in
// ap-northeast-2. The catalog had one lifecycle per model, so on its date
// (2026-11-20) the emulator refused Claude 3 Haiku in ca-central-1 as past
// its end of life, and preflight and the explainer said no Region served
// it.
func TestRegionLifecycle(t *testing.T) {
	c := Default()
	m, ok := c.Model("anthropic.claude-3-haiku-20240307-v1:0")
	if !ok {
		t.Fatal("Claude 3 Haiku: not in the catalog")
	}
	day := c.Date()
	for region, want := range map[string]Status{"ca-central-1": Active, "ap-northeast-2": Legacy, "us-east-1": EndOfLife, "eu-west-1": EndOfLife} {
		if got := m.LifecycleIn(region).Status(day); got != want {
			t.Errorf("Claude 3 Haiku in %s on %s: %s; want %s", region, c.AsOf, got, want)
		}
	}
	if got := m.StillServed(day); !slices.Equal(got, []string{"ap-northeast-2", "ca-central-1"}) {
		t.Errorf("StillServed: %v; want [ap-northeast-2 ca-central-1]", got)
	}
	// Before its end of life, no Region is an exception.
	if got := m.StillServed(day.AddDate(0, -3, 0)); got != nil {
		t.Errorf("StillServed three months earlier: %v; want none", got)
	}
	// A call by the model's id from ca-central-1 gets the Region's
	// lifecycle; one through the us. profile the model's.
	if got, err := c.Resolve("ca-central-1", m.ID); err != nil || got.Lifecycle().Status(day) != Active {
		t.Errorf("Claude 3 Haiku from ca-central-1: %+v, %v; want its Region's lifecycle, active", got, err)
	}
	if got, err := c.Resolve("us-east-2", "us."+m.ID); err != nil || got.Lifecycle().Status(day) != EndOfLife {
		t.Errorf("us. Claude 3 Haiku from us-east-2: %+v, %v; want the model's lifecycle, end of life", got, err)
	}
}

// TestRegionLifecycleRefused: a regionLifecycle entry must name a Region
// of regions that serves the model on demand, with dates that are dates.
func TestRegionLifecycleRefused(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"asOf":"2026-01-01","regions":["r"],"models":[{"id":"m","onDemand":["r"],"lifecycle":{},"regionLifecycle":{"x":{}}}]}`,
			`c.json: models[0] (m): regionLifecycle names "x", which is not in regions`},
		{`{"asOf":"2026-01-01","regions":["r","s"],"models":[{"id":"m","onDemand":["r"],"lifecycle":{},"regionLifecycle":{"s":{}}}]}`,
			`c.json: models[0] (m): regionLifecycle names "s", where onDemand does not offer it`},
		{`{"asOf":"2026-01-01","regions":["r"],"models":[{"id":"m","onDemand":["r"],"lifecycle":{},"regionLifecycle":{"r":{"endOfLife":"soon"}}}]}`,
			`c.json: models[0] (m): regionLifecycle.r.endOfLife: want a date like 2026-11-20, got "soon"`},
	} {
		_, err := Parse("c.json", []byte(tc.doc))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v; want %s", tc.doc, err, tc.want)
		}
	}
}
