package history

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// tierMap says what becomes of each service_tier value of a format: the
// Bedrock tier it becomes (to), or why it has none (why).
type tierMap struct {
	// api names the API's service tiers, for a value it does not list.
	api   string
	tiers map[string]struct{ to, why string }
}

// openaiTiers are the service tiers of OpenAI's Chat Completions and
// Responses APIs (API reference, "service_tier": auto, default, flex,
// scale, priority). Bedrock has the same default, flex and priority tiers
// (Bedrock user guide, service-tiers-inference); auto and scale have no
// Bedrock equal.
var openaiTiers = tierMap{
	api: "OpenAI's service tiers (auto, default, flex, priority, scale)",
	tiers: map[string]struct{ to, why string }{
		"default":  {to: converse.TierDefault},
		"flex":     {to: converse.TierFlex},
		"priority": {to: converse.TierPriority},
		"auto":     {why: "auto lets the OpenAI project's own setting choose the tier, and Bedrock has no such setting: the replay runs on Bedrock's default tier"},
		"scale":    {why: "scale is OpenAI's Scale Tier, capacity bought for the OpenAI project; Bedrock's nearest, the reserved tier, needs a reservation the account holds: the replay runs on Bedrock's default tier"},
	},
}

// anthropicTiers are the service tiers of Anthropic's Messages API (API
// reference, "service_tier": auto, standard_only; the service tiers page).
// standard_only asks for Anthropic's standard tier, which is Bedrock's
// default one; auto has no Bedrock equal.
var anthropicTiers = tierMap{
	api: "Anthropic's service tiers (auto, standard_only)",
	tiers: map[string]struct{ to, why string }{
		"standard_only": {to: converse.TierDefault},
		"auto":          {why: "auto serves the request from the organization's Anthropic Priority Tier commitment when it has capacity left, and Bedrock has no such choice (its priority tier is asked for call by call): the replay runs on Bedrock's default tier"},
	},
}

// serviceTier keeps the service_tier at path as the Converse serviceTier
// where Bedrock has the same tier, and reports it dropped, with why,
// where it has none. A null or absent one asks for nothing.
func (d *decoder) serviceTier(raw jsontext.Value, path string, m tierMap, h *History) {
	if len(raw) == 0 || raw.Kind() == 'n' {
		return
	}
	var name string
	if raw.Kind() != '"' || json.Unmarshal(raw, &name) != nil {
		d.note(-1, NoteFieldDropped, "%s = %s dropped: not a tier name; want one of %s", path, clip(string(raw), 60), m.api)
		return
	}
	t, ok := m.tiers[name]
	switch {
	case !ok:
		d.note(-1, NoteFieldDropped, "%s = %s dropped: not one of %s", path, clip(string(raw), 60), m.api)
	case t.to == "":
		d.note(-1, NoteFieldDropped, "%s = %s dropped: %s", path, string(raw), t.why)
	default:
		h.ServiceTier = &converse.ServiceTier{Type: t.to}
		d.note(-1, NoteFieldMapped, "%s %s became serviceTier %s", path, string(raw), t.to)
	}
}
