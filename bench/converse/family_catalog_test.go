package converse

import (
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

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
		"deepseek.r1-v1:0":                               "deepseek",
		"deepseek.v3-v1:0":                               "deepseek-v3",
		"deepseek.v3.2":                                  "deepseek-v3",
		"us.amazon.nova-premier-v1:0":                    "nova",
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

// TestDeepSeekV3TakesTools: DeepSeek V3.1 (deepseek.v3-v1:0) and V3.2 take
// tools on Converse and ConverseStream, with toolChoice any and tool; they
// fell to the R1 family, which refuses tools ("This model doesn't support
// tool use.", V-25) and tools on ConverseStream (V-26), so the emulator
// refused every agent's call to V3.1. Sources: langchain-ai/langchain-aws
// PR #688 and #1261 (AWS's maintainers ran toolChoice auto, any and tool
// against the Converse API on V3.1 and V3.2: all accepted) and PR #676
// (streaming with tools turned on for deepseek.v3-v1:0, which the AWS
// launch post says supports tools). R1 keeps its refusals.
func TestDeepSeekV3TakesTools(t *testing.T) {
	withTools := decodeRequest(t, msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"any":{}}}`, hi))
	named := decodeRequest(t, msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"tool":{"name":"f"}}}`, hi))
	for _, id := range []string{"deepseek.v3-v1:0", "deepseek.v3.2", "arn:aws:bedrock:eu-north-1::foundation-model/deepseek.v3-v1:0"} {
		f, _ := FamilyForModel(id)
		for name, req := range map[string]*Request{"toolChoice any": withTools, "toolChoice tool": named} {
			if err := Validate(req, f); err != nil {
				t.Errorf("%s (family %s), %s: Converse refused: %v", id, f.Name, name, err)
			}
			if err := ValidateStream(req, f); err != nil {
				t.Errorf("%s (family %s), %s: ConverseStream refused: %v", id, f.Name, name, err)
			}
		}
		if f.Caching {
			t.Errorf("%s: family %s caches; Bedrock's prompt caching page lists no DeepSeek model", id, f.Name)
		}
	}
	r1, _ := FamilyForModel("us.deepseek.r1-v1:0")
	err := Validate(withTools, r1)
	if v, _ := err.(*Violation); v == nil || v.Rule.Name != "tools-unsupported" {
		t.Errorf("DeepSeek R1 with tools: %v; want tools-unsupported", err)
	}
}

// TestNovaPremierCaches: Nova Premier is a Nova model in all things,
// prompt caching included: Bedrock's prompt caching page ("Supported
// models, Regions, and limits") lists amazon.nova-premier-v1:0 as
// generally available with 1K tokens per checkpoint, 4 checkpoints, in
// system and messages, as for Nova Micro, Lite and Pro. The catalog gives
// it those limits, and its family takes a 5m cache point in messages and
// refuses one among the tools (V-50).
func TestNovaPremierCaches(t *testing.T) {
	m, ok := catalog.Default().Model("amazon.nova-premier-v1:0")
	if !ok {
		t.Fatal("the catalog does not know Nova Premier")
	}
	if m.PromptCaching == nil || m.PromptCaching.MinTokens != 1000 || m.PromptCaching.TakesTTL("1h") {
		t.Errorf("Nova Premier promptCaching %+v; want 1000 tokens, 5m only", m.PromptCaching)
	}
	f, _ := FamilyForModel("us.amazon.nova-premier-v1:0")
	if err := Validate(decodeRequest(t, msgs("", user(`{"text":"hi"}`, cp))), f); err != nil {
		t.Errorf("Nova Premier (family %s) refuses a cache point in messages: %v", f.Name, err)
	}
	err := Validate(decodeRequest(t, msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}},`+cp+`]}`, hi)), f)
	if err == nil {
		t.Errorf("Nova Premier (family %s) takes a cache point among the tools", f.Name)
	}
}

// TestNoImagesAsTheCatalogSays: a model whose catalog entry lists no
// IMAGE input gets a family that refuses images (V-42), whether chosen by
// its id or by profile; a model that takes images, or one the catalog
// does not know, does not. Before, the catalog's modalities never reached
// the family, and an image for gpt-oss or DeepSeek R1 passed Validate.
func TestNoImagesAsTheCatalogSays(t *testing.T) {
	cat := catalog.Default()
	textOnly := 0
	for _, m := range cat.Models {
		f, ok := FamilyForModel(m.ID)
		if !ok {
			continue
		}
		want := true
		for _, in := range m.Input {
			want = want && in != "IMAGE"
		}
		if f.NoImages != want || ModelTakesNoImages(m.ID) != want {
			t.Errorf("%s (input %v): NoImages %v, ModelTakesNoImages %v; want %v", m.ID, m.Input, f.NoImages, ModelTakesNoImages(m.ID), want)
		}
		if want {
			textOnly++
		}
	}
	if textOnly == 0 {
		t.Fatal("no text-only model in the catalog: the test checks nothing")
	}
	for id, want := range map[string]bool{
		"us.deepseek.r1-v1:0":                         true,
		"openai.gpt-oss-120b-1:0":                     true,
		"global.anthropic.claude-sonnet-4-6":          false,
		"us.amazon.nova-pro-v1:0":                     false,
		"openai.gpt-5.6-luna":                         false, // not in the catalog
		"us.meta.llama3-2-90b-instruct-v1:0":          false,
		"us.meta.llama3-3-70b-instruct-v1:0":          true,
		"eu.anthropic.claude-3-5-haiku-20241022-v1:0": true,
	} {
		if f, _ := FamilyForModel(id); f.NoImages != want {
			t.Errorf("%s: NoImages %v, want %v", id, f.NoImages, want)
		}
	}
}

// TestNoVideoAsTheCatalogSays: a model whose catalog entry lists no VIDEO
// input gets a family that refuses video (V-42), whether chosen by its id
// or by profile, as images are (NoImages); Claude's families refuse it
// whatever the catalog says (realwire converse-error-video-unsupported),
// and a model the catalog does not know keeps its family's setting.
// Before, only Claude refused video, and a video for Llama 4 or Nova
// Micro passed Validate and the normalizer.
func TestNoVideoAsTheCatalogSays(t *testing.T) {
	video := 0
	for _, m := range catalog.Default().Models {
		f, ok := FamilyForModel(m.ID)
		if !ok {
			continue
		}
		want := true
		for _, in := range m.Input {
			want = want && in != "VIDEO"
		}
		if f.NoVideo != want {
			t.Errorf("%s (input %v): NoVideo %v, want %v", m.ID, m.Input, f.NoVideo, want)
		}
		if !want {
			video++
		}
	}
	if video == 0 {
		t.Fatal("no model with video input in the catalog: the test checks nothing")
	}
	for id, want := range map[string]bool{
		"us.amazon.nova-2-lite-v1:0":                false,
		"us.amazon.nova-pro-v1:0":                   false,
		"amazon.nova-micro-v1:0":                    true,
		"us.meta.llama4-maverick-17b-instruct-v1:0": true,
		"global.anthropic.claude-sonnet-4-6":        true,
		"anthropic.claude-fable-9":                  true, // not in the catalog: Claude's family
		"qwen.qwen9-unknown":                        false,
	} {
		if f, _ := FamilyForModel(id); f.NoVideo != want {
			t.Errorf("%s: NoVideo %v, want %v", id, f.NoVideo, want)
		}
	}
}
