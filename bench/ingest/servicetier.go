package ingest

import "github.com/bedrock-bench/bedrock-bench/bench/converse"

// InvokeTier is the service tier a [converse.ServiceTierHeader] value
// (InvokeModel's; its body is the model's own, with no serviceTier
// member) asks for, or
// "" where it names none of Bedrock's tiers (priority, default, flex,
// reserved): such a request was refused, and a header's text is not
// kept in a history on the chance that it holds something else.
func InvokeTier(v string) string {
	if converse.ValidServiceTier(v) {
		return v
	}
	return ""
}
