package converse

import "testing"

// TestFamiliesOfCatalogModels: the models the catalog gained from Bedrock's
// model-support-by-Region tables and from the realwire captures fall to
// the family whose rules they follow, not to the default (anthropic) one.
// Gemma 3, Kimi K2 Thinking and MiniMax M2 had no family: the emulator
// judged them by Claude's rules (cache points accepted, reasoning
// signatures required). Their captures (realwire converse-gemma-ok,
// converse-reasoning-kimi-tooluse-ok, converse-reasoning-minimax-ok)
// answer a system prompt, tools (Kimi) and reasoning without a signature;
// Bedrock's prompt caching page lists none of them.
func TestFamiliesOfCatalogModels(t *testing.T) {
	for id, want := range map[string]string{
		"google.gemma-3-27b-it":                          "gemma",
		"google.gemma-3-4b-it":                           "gemma",
		"moonshot.kimi-k2-thinking":                      "kimi",
		"minimax.minimax-m2":                             "minimax",
		"mistral.devstral-2-123b":                        "mistral",
		"mistral.mistral-large-3-675b-instruct":          "mistral",
		"mistral.mixtral-8x7b-instruct-v0:1":             "mistral-legacy",
		"us.meta.llama4-maverick-17b-instruct-v1:0":      "llama",
		"meta.llama3-2-1b-instruct-v1:0":                 "llama",
		"qwen.qwen3-32b-v1:0":                            "qwen",
		"openai.gpt-oss-20b-1:0":                         "openai",
		"us.writer.palmyra-x4-v1:0":                      "writer",
		"amazon.titan-text-lite-v1":                      "titan",
		"anthropic.claude-3-sonnet-20240229-v1:0":        noCachingFamily,
		"anthropic.claude-opus-4-20250514-v1:0":          "anthropic",
		"us.anthropic.claude-opus-4-1-20250805-v1:0":     "anthropic-one-sampling",
		"global.anthropic.claude-opus-4-5-20251101-v1:0": "anthropic-one-sampling",
		"us.anthropic.claude-sonnet-5":                   "anthropic-no-sampling",
		"cohere.command-r-plus-v1:0":                     "cohere",
		"ai21.jamba-1-5-mini-v1:0":                       "ai21",
	} {
		f, ok := FamilyForModel(id)
		if !ok || f.Name != want {
			t.Errorf("%s: family %q (known %v), want %q", id, f.Name, ok, want)
		}
	}
	for _, name := range []string{"gemma", "kimi", "minimax"} {
		f, err := LookupFamily(name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Caching || f.SignedReasoning || !f.System {
			t.Errorf("%s: caching %v, signed reasoning %v, system %v; want no caching, unsigned reasoning, a system prompt", name, f.Caching, f.SignedReasoning, f.System)
		}
	}
}
