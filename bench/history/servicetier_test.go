package history

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestServiceTierOpenAIAnthropic: an OpenAI (Chat Completions, Responses)
// or Anthropic body's service_tier is kept as Converse's serviceTier
// where Bedrock has the same tier: OpenAI's flex, priority and default
// (OpenAI API reference, "service_tier"; Bedrock user guide,
// service-tiers-inference) and Anthropic's standard_only, its standard
// tier, which is Bedrock's default. auto, scale and a value the API does
// not list have no Bedrock equal: each is reported dropped with why, and
// the replay runs on the default tier. Before, every one was dropped as
// a field Converse has no place for.
func TestServiceTierOpenAIAnthropic(t *testing.T) {
	bodies := map[string]func(tier string) string{
		"openai": func(tier string) string {
			return `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"service_tier":` + tier + `}`
		},
		"openai-responses": func(tier string) string { return `{"model":"gpt-4o","input":"hi","service_tier":` + tier + `}` },
		"anthropic": func(tier string) string {
			return `{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"hi"}],"service_tier":` + tier + `}`
		},
	}
	tests := []struct {
		format, tier string
		want         string // the Converse tier, or "" for none
		note         string // the service_tier note, or "" for none
	}{
		{"openai", `"flex"`, "flex", `request.service_tier "flex" became serviceTier flex`},
		{"openai", `"priority"`, "priority", `request.service_tier "priority" became serviceTier priority`},
		{"openai", `"default"`, "default", `request.service_tier "default" became serviceTier default`},
		{"openai", `"auto"`, "", `request.service_tier = "auto" dropped: auto lets the OpenAI project's own setting choose the tier`},
		{"openai", `"scale"`, "", `request.service_tier = "scale" dropped: scale is OpenAI's Scale Tier`},
		{"openai", `"reserved"`, "", `request.service_tier = "reserved" dropped: not one of OpenAI's service tiers (auto, default, flex, priority, scale)`},
		{"openai", `7`, "", `request.service_tier = 7 dropped: not a tier name; want one of OpenAI's service tiers`},
		{"openai", `null`, "", ""},
		{"openai-responses", `"flex"`, "flex", `request.service_tier "flex" became serviceTier flex`},
		{"openai-responses", `"priority"`, "priority", `request.service_tier "priority" became serviceTier priority`},
		{"openai-responses", `"scale"`, "", `request.service_tier = "scale" dropped: scale is OpenAI's Scale Tier`},
		{"anthropic", `"standard_only"`, "default", `request.service_tier "standard_only" became serviceTier default`},
		{"anthropic", `"auto"`, "", `request.service_tier = "auto" dropped: auto serves the request from the organization's Anthropic Priority Tier`},
		{"anthropic", `"flex"`, "", `request.service_tier = "flex" dropped: not one of Anthropic's service tiers (auto, standard_only)`},
	}
	for _, tc := range tests {
		t.Run(tc.format+" "+tc.tier, func(t *testing.T) {
			h, err := Decode("histories/x.json", fixture(tc.format, bodies[tc.format](tc.tier)))
			if err != nil {
				t.Fatal(err)
			}
			var want *converse.ServiceTier
			if tc.want != "" {
				want = &converse.ServiceTier{Type: tc.want}
			}
			if diff := cmp.Diff(want, h.ServiceTier); diff != "" {
				t.Errorf("serviceTier (-want +got):\n%s", diff)
			}
			var notes []Note
			for _, n := range h.Notes {
				if strings.Contains(n.Detail, "service_tier") {
					notes = append(notes, n)
				}
			}
			switch {
			case tc.note == "" && len(notes) > 0:
				t.Errorf("notes %+v, want none", notes)
			case tc.note != "" && (len(notes) != 1 || !strings.HasPrefix(notes[0].Detail, tc.note) || notes[0].Index != -1):
				t.Errorf("notes %+v, want one at the request starting %q", notes, tc.note)
			case tc.note != "" && (tc.want != "") != (notes[0].Code == NoteFieldMapped):
				t.Errorf("note code %s for tier %q", notes[0].Code, tc.want)
			}
		})
	}
}
