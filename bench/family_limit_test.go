package bench

import "testing"

// TestTargetFamilyKnowsTheOutputLimit: a target's family carries its
// model's output limit from the catalog (V-61; Claude 3.5 Haiku's 8192,
// catalog's TestMaxOutputTokens) also when the target names its family,
// so the normalizer lowers a maxTokens the model refuses; a model the
// catalog does not know has none.
func TestTargetFamilyKnowsTheOutputLimit(t *testing.T) {
	for _, tc := range []struct {
		target Target
		want   int
	}{
		{Target{Model: "us.anthropic.claude-3-5-haiku-20241022-v1:0"}, 8192},
		{Target{Model: "us.anthropic.claude-3-5-haiku-20241022-v1:0", FamilyName: "anthropic"}, 8192},
		{Target{Model: "global.anthropic.claude-opus-4-6-v1", FamilyName: "anthropic-no-prefill"}, 128000},
		{Target{Model: "amazon.nova-micro-v1:0"}, 0},
	} {
		if got := tc.target.Family().MaxOutputTokens; got != tc.want {
			t.Errorf("%s (family %q): MaxOutputTokens %d, want %d", tc.target.Model, tc.target.FamilyName, got, tc.want)
		}
	}
}

// TestTargetFamilyKnowsVideo: a target's family refuses video when its
// model's catalog entry lists no VIDEO input (V-42), also when the
// target names its family, so the normalizer turns a video into a note;
// Nova Lite takes video whatever family is named for it.
func TestTargetFamilyKnowsVideo(t *testing.T) {
	for _, tc := range []struct {
		target Target
		want   bool
	}{
		{Target{Model: "us.meta.llama4-maverick-17b-instruct-v1:0"}, true},
		{Target{Model: "us.meta.llama4-maverick-17b-instruct-v1:0", FamilyName: "llama"}, true},
		{Target{Model: "amazon.nova-micro-v1:0", FamilyName: "nova"}, true},
		{Target{Model: "amazon.nova-lite-v1:0", FamilyName: "nova"}, false},
		{Target{Model: "us.amazon.nova-2-lite-v1:0"}, false},
	} {
		if got := tc.target.Family().NoVideo; got != tc.want {
			t.Errorf("%s (family %q): NoVideo %v, want %v", tc.target.Model, tc.target.FamilyName, got, tc.want)
		}
	}
}
