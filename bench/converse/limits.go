package converse

import (
	"bytes"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// output128kBeta is Anthropic's beta that lets Claude 3.7 Sonnet write up
// to 128000 tokens, twice its limit (BerriAI/litellm #8984).
const output128kBeta = "output-128k-2025-02-19"

// OverOutputLimit reports whether maxTokens is above the model's output
// limit, f.MaxOutputTokens, which Bedrock refuses (V-61). A family
// without a known limit (0) is never over it, nor is a request that
// turns on Anthropic's output-128k beta in additionalModelRequestFields
// (anthropic_beta), which raises Claude 3.7 Sonnet's limit.
func OverOutputLimit(r *Request, f Family, maxTokens int) bool {
	if f.MaxOutputTokens <= 0 || maxTokens <= f.MaxOutputTokens {
		return false
	}
	return !bytes.Contains(r.AdditionalModelRequestFields, []byte(output128kBeta))
}

// ThinkingType returns additionalModelRequestFields.thinking.type
// ("enabled", "adaptive", "disabled"), or "" when the request sets none.
func ThinkingType(r *Request) string {
	if len(r.AdditionalModelRequestFields) == 0 {
		return ""
	}
	var f struct {
		Thinking *struct {
			Type string `json:"type"`
		} `json:"thinking"`
	}
	if UnmarshalModelFields(r.AdditionalModelRequestFields, &f) != nil || f.Thinking == nil {
		return ""
	}
	return f.Thinking.Type
}

// ModelMaxOutputTokens is the catalog's output limit (V-61) for a model
// id, inference-profile id or ARN, or 0 when the catalog does not know
// it: what [FamilyForModel] sets, for a family chosen by name.
func ModelMaxOutputTokens(id string) int {
	return catalog.MaxOutputTokens(FoundationModelID(id))
}

// ModelTakesNoImages reports whether the catalog lists text input only
// for a model id, inference-profile id or ARN (V-42): what
// [FamilyForModel] sets as NoImages, for a family chosen by name.
func ModelTakesNoImages(id string) bool {
	return catalog.TakesNoImages(FoundationModelID(id))
}

// ModelTakesNoVideo reports whether the catalog lists no video input for
// a model id, inference-profile id or ARN (V-42): what [FamilyForModel]
// adds to NoVideo, for a family chosen by name.
func ModelTakesNoVideo(id string) bool {
	return catalog.TakesNoVideo(FoundationModelID(id))
}
