package ingest

import "github.com/bedrock-bench/bedrock-bench/bench/converse"

// ServiceTierHeader is the HTTP header an InvokeModel or
// InvokeModelWithResponseStream request names its service tier in
// (Bedrock API reference, InvokeModel, "X-Amzn-Bedrock-Service-Tier"):
// the body is the model's own, with no serviceTier member.
const ServiceTierHeader = "X-Amzn-Bedrock-Service-Tier"

// InvokeTier is the service tier a ServiceTierHeader value asks for, or
// "" where it names none of Bedrock's tiers (priority, default, flex,
// reserved): such a request was refused, and a header's text is not
// kept in a history on the chance that it holds something else.
func InvokeTier(v string) string {
	if converse.ValidServiceTier(v) {
		return v
	}
	return ""
}
