package converse

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// Family is what a group of models accepts beyond the rules every model
// shares. The differences are data: a rule consults a field here instead of
// branching on a model name.
type Family struct {
	// Name is the key used by [LookupFamily] and the CLI's --family flag.
	Name string
	// Models describes which models belong, for help texts.
	Models string
	// LeadingAssistant: the conversation may start with an assistant turn (V-1).
	LeadingAssistant bool
	// Prefill: the conversation may end with an assistant turn (V-5).
	Prefill bool
	// NoTrailingWhitespace: a final assistant text may not end in white
	// space (V-6).
	NoTrailingWhitespace bool
	// ProviderTextRules: whitespace-only text is refused by the provider with
	// its own wording rather than Converse's "is blank" (V-8).
	ProviderTextRules bool
	// System: system prompts are supported (V-10).
	System bool
	// Tools: tool use is supported at all (V-25).
	Tools bool
	// ToolChoiceAny and ToolChoiceTool: the toolChoice members accepted (V-27).
	ToolChoiceAny, ToolChoiceTool bool
	// ToolResultAlone: a toolResult may not share its turn with other
	// blocks (V-23).
	ToolResultAlone bool
	// ToolUseAlone: a toolUse may not share its assistant turn with text
	// or other blocks (V-23, tool-use side).
	ToolUseAlone bool
	// ToolUseID is the pattern a toolUseId must match beyond the service's
	// own pattern; nil when there is none (V-15).
	ToolUseID *regexp.Regexp
	// SignedReasoning: replayed reasoning text needs its signature (V-54).
	SignedReasoning bool
	// MaxImages caps the images in one request; 0 means no known cap (V-40).
	MaxImages int
	// MaxImageBytes caps one image, measured on its base64 form as the
	// provider measures it; 0 means no known cap (V-40, rule image-size:
	// Claude on Bedrock takes 5 MiB of base64, [MaxImageBase64Bytes]).
	MaxImageBytes int
	// MediaBytesChecked: the provider reads image and document bytes and
	// refuses those that are not what their format says: an image of
	// another format, or of none (V-39), a document that does not parse
	// as its format (V-37). Claude does; no report shows another family
	// doing so.
	MediaBytesChecked bool
	// Caching: cachePoint blocks are accepted (V-44).
	Caching bool
	// NoToolCachePoints: a cachePoint among toolConfig.tools is refused;
	// the family takes cache points in system and messages only (V-50;
	// Nova, prompt caching page "Fields that accept prompt cache
	// checkpoints": system and messages).
	NoToolCachePoints bool
	// NoExtendedTTL: a cache point with ttl "1h" is refused; the family
	// caches for the default 5 minutes only (V-68; Nova and Nova 2,
	// timothy-agent/timothy #755 on ConverseStream with Nova 2 Lite,
	// LibreChat-AI/agents #256, earendil-works/pi #1570).
	NoExtendedTTL bool
	// ConsecutiveUsers: neighbouring user turns are accepted (V-2; Titan,
	// realwire converse-guardrail-intervened-ok).
	ConsecutiveUsers bool
	// UserAfterResults: a user turn of tool results may be followed by
	// another user turn (V-2; Claude 3 Haiku, realwire
	// converse-consecutive-user-turns-ok).
	UserAfterResults bool
	// NoPrefillAfterResults: with tools set, a final assistant turn after
	// user turns holding a tool result is refused (V-5; Claude 3 Haiku,
	// realwire converse-error-model-prefill-with-tools).
	NoPrefillAfterResults bool
	// NoS3Media: images and documents with an s3Location source are
	// refused (V-42 s3Uri; V-36 on Claude, realwire
	// converse-error-unsupported-field-no-errortype and
	// converse-error-model-document-source-type).
	NoS3Media bool
	// NoVideo: video blocks are refused (V-42 video; Claude, realwire
	// converse-error-video-unsupported). The Claude families have it in
	// the table; [FamilyForModel] sets it too for a model whose catalog
	// entry lists no VIDEO input (catalog.TakesNoVideo: every model but
	// Nova Lite, Pro, Premier and Nova 2 Lite).
	NoVideo bool
	// SystemTools: the family takes Amazon Nova 2's system tools, a
	// toolConfig systemTool (nova_code_interpreter, nova_grounding) that
	// the service runs, and the typed pair they leave in an assistant
	// turn: a toolUse of type server_tool_use and its toolResult of type
	// "<tool>_result", which needs no result from the application
	// (Amazon Nova user guide, "Using built-in tools"; realwire
	// converse-server-tool-nova-ok). The normalizer turns the pair into
	// text for any other family.
	SystemTools bool
	// NoToolResultDocuments: a document inside toolResult.content is
	// refused (Nova 2, realwire
	// converse-error-model-malformed-input-no-errortype).
	NoToolResultDocuments bool
	// NoToolResultImages: an image inside toolResult.content is refused
	// with V-42's text (OpenAI models: anomalyco/opencode #49443, a
	// live table in us-east-1 where gpt-5.6-sol, gpt-5.6-luna,
	// gpt-5.6-terra and gpt-6-astra take a user-level image and refuse
	// one in a tool result; earendil-works/pi #8643; the API reference of
	// ToolResultContentBlock.image: "only supported by Amazon Nova and
	// Anthropic Claude 3 and 4 models"). Llama 4 and Mistral were seen
	// taking one, so only the OpenAI families have it.
	NoToolResultImages bool
	// NoDocumentsBesideResults: a document other than a PDF in the user
	// turn that holds tool results is refused by the provider as if the
	// results were missing (V-23; Claude: pydantic/pydantic-ai #3253, a
	// text/plain document; a PDF is taken; Nova takes both).
	NoDocumentsBesideResults bool
	// NoReasoningOnlyTurn: an assistant turn made only of reasoning is
	// refused as a prefill even when a user turn follows it (V-5,
	// "Special case"; NousResearch/hermes-agent #105780: Claude Sonnet 5
	// and Fable 5.1 refuse it, Sonnet 4.6 takes it).
	NoReasoningOnlyTurn bool
	// SearchResults: searchResult blocks are taken (Bedrock API
	// reference, SearchResultBlock: "only supported by Anthropic Claude"
	// models; the normalizer turns them into text for other families).
	SearchResults bool
	// AnthropicFields: Anthropic's own request fields ("thinking",
	// "top_k") are accepted in additionalModelRequestFields, with
	// Anthropic's thinking rules (V-28, V-55).
	AnthropicFields bool
	// NoStreamingTools: tool use is refused on ConverseStream (V-26).
	NoStreamingTools bool
	// OneSamplingParameter: temperature and topP may not both be set
	// (V-57; Anthropic's migration guides for Sonnet and Haiku 4.5,
	// aws-samples/sample-connector-for-bedrock #87 for Sonnet 4.5,
	// iOfficeAI/gemini-cli-pro PR #38 for Opus 4.6).
	OneSamplingParameter bool
	// SamplingDeprecated: temperature and topP are refused as deprecated
	// (V-58; Claude Opus 4.7 and later, Claude 5).
	SamplingDeprecated bool
	// NoSamplingFields: inferenceConfig.temperature and topP are refused
	// as unsupported fields (V-62; OpenAI gpt-5.x, vercel/ai's fixtures
	// amazon-bedrock-openai-temperature-error.json and
	// amazon-bedrock-openai-top-p-error.json).
	NoSamplingFields bool
	// ReasoningConfig: Nova's reasoningConfig in
	// additionalModelRequestFields is read, with its rule that maxTokens
	// stays unset at maxReasoningEffort "high" (V-59).
	ReasoningConfig bool
	// NoStopSequences: inferenceConfig.stopSequences is refused (V-62;
	// OpenAI gpt-oss, vercel/ai's fixture
	// amazon-bedrock-openai-stop-sequences-error.json).
	NoStopSequences bool
	// AdaptiveThinkingOnly: Anthropic's thinking takes only "type":
	// "adaptive"; "enabled" with a budget_tokens is refused (V-56;
	// Claude Opus 4.7 and later, Claude 5: Bedrock's Opus 4.7 model card,
	// Kilo-Org/kilocode #10732 for Opus 4.8 on Bedrock).
	AdaptiveThinkingOnly bool
	// MaxOutputTokens is the model's output limit: a maxTokens above it
	// is refused (V-61). It is the model's, not the family's:
	// [FamilyForModel] sets it from the catalog (catalog.MaxOutputTokens)
	// for a model the catalog knows; 0, as from [LookupFamily], means not
	// known and nothing is checked. Set it for a model of your own.
	MaxOutputTokens int
	// NoImages: the model takes text input only, and an image anywhere
	// in the messages is refused (V-42). Like MaxOutputTokens it is the
	// model's: [FamilyForModel] sets it for a model whose catalog entry
	// lists no IMAGE input (catalog.TakesNoImages: gpt-oss, DeepSeek,
	// Llama 3.1, ...); false, as from [LookupFamily], checks nothing.
	NoImages bool

	// ExtraInputs are the members of additionalModelRequestFields the
	// provider refuses in Anthropic's words, "<path>: Extra inputs are
	// not permitted" (V-63): other providers' fields.
	ExtraInputs []RefusedField
	// UnknownParameters are the members of additionalModelRequestFields
	// the provider refuses as an OpenAI unknown_parameter error (V-63).
	UnknownParameters []RefusedField
	// NoReasoningConfig: Nova 2's reasoningConfig in
	// additionalModelRequestFields is refused as an invalid reasoning
	// config value (V-63; Nova Micro, vercel/ai fixture
	// amazon-bedrock-nova-micro-portable-reasoning.json).
	NoReasoningConfig bool

	// streaming is set by ValidateStream and CheckStream.
	streaming bool
}

var mistralID = regexp.MustCompile(`^[a-zA-Z0-9]{9}$`)

// families is the table of model families. Sources for each field are in
// the rule table and in the contract reference.
var families = []Family{
	{Name: "anthropic", Models: "Claude 3.5 Haiku, Claude 3.7 Sonnet, Claude Sonnet 4 and Opus 4",
		LeadingAssistant: true, Prefill: true, NoTrailingWhitespace: true, ProviderTextRules: true,
		System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true,
		SignedReasoning: true, MaxImages: 20, MaxImageBytes: MaxImageBase64Bytes, MediaBytesChecked: true, Caching: true, AnthropicFields: true, SearchResults: true,
		UserAfterResults: true, NoPrefillAfterResults: true, NoS3Media: true, NoVideo: true, NoDocumentsBesideResults: true,
		ExtraInputs: claudeNoEffortExtraInputs},
	{Name: "anthropic-one-sampling", Models: "Claude 4.5 and Opus 4.1 (Sonnet, Haiku and Opus 4.5, Opus 4.1)",
		LeadingAssistant: true, Prefill: true, NoTrailingWhitespace: true, ProviderTextRules: true,
		System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true,
		SignedReasoning: true, MaxImages: 20, MaxImageBytes: MaxImageBase64Bytes, MediaBytesChecked: true, Caching: true, AnthropicFields: true, SearchResults: true,
		UserAfterResults: true, NoPrefillAfterResults: true, NoS3Media: true, NoVideo: true, NoDocumentsBesideResults: true,
		OneSamplingParameter: true, ExtraInputs: claudeNoEffortExtraInputs},
	{Name: "anthropic-no-prefill", Models: "Claude Sonnet and Opus 4.6",
		LeadingAssistant: true, Prefill: false, NoTrailingWhitespace: true, ProviderTextRules: true,
		System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true,
		SignedReasoning: true, MaxImages: 20, MaxImageBytes: MaxImageBase64Bytes, MediaBytesChecked: true, Caching: true, AnthropicFields: true, SearchResults: true, NoS3Media: true, NoVideo: true,
		NoDocumentsBesideResults: true, OneSamplingParameter: true, ExtraInputs: claudeExtraInputs},
	{Name: "anthropic-no-sampling", Models: "Claude Opus 4.7 and later, Claude 5 (Sonnet 5, Opus 5, Haiku 5.5, Fable)",
		LeadingAssistant: true, Prefill: false, NoTrailingWhitespace: true, ProviderTextRules: true,
		System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true,
		SignedReasoning: true, MaxImages: 20, MaxImageBytes: MaxImageBase64Bytes, MediaBytesChecked: true, Caching: true, AnthropicFields: true, SearchResults: true, NoS3Media: true, NoVideo: true,
		NoDocumentsBesideResults: true, NoReasoningOnlyTurn: true,
		SamplingDeprecated: true, AdaptiveThinkingOnly: true, ExtraInputs: claudeExtraInputs},
	{Name: "nova", Models: "Amazon Nova",
		Prefill: true, System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true, Caching: true,
		NoToolCachePoints: true, NoExtendedTTL: true, NoReasoningConfig: true},
	{Name: "nova-2", Models: "Amazon Nova 2",
		Prefill: true, System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true, Caching: true,
		NoToolResultDocuments: true, ReasoningConfig: true, NoToolCachePoints: true, NoExtendedTTL: true, SystemTools: true},
	{Name: "titan", Models: "Amazon Titan Text",
		Prefill: true, ConsecutiveUsers: true},
	{Name: "llama", Models: "Meta Llama 3 and 4",
		Prefill: true, System: true, Tools: true, ToolResultAlone: true, ToolUseAlone: true, NoStreamingTools: true},
	{Name: "mistral", Models: "Mistral Large, Ministral, Pixtral",
		Prefill: true, System: true, Tools: true, ToolChoiceAny: true, ToolResultAlone: true,
		ToolUseID: mistralID},
	{Name: "mistral-legacy", Models: "Mistral 7B and Mixtral 8x7B",
		Prefill: true},
	{Name: "cohere", Models: "Cohere Command R and R+",
		Prefill: true, System: true, Tools: true},
	{Name: "ai21", Models: "AI21 Jamba",
		Prefill: true, System: true, Tools: true},
	{Name: "deepseek", Models: "DeepSeek R1",
		Prefill: true, System: true, NoStreamingTools: true},
	// DeepSeek V3.x takes tools, on Converse and ConverseStream, where R1
	// answers "This model doesn't support tool use." (V-25): AWS's
	// maintainers of langchain-aws tested V3.1 and V3.2 against the
	// Converse API (langchain-ai/langchain-aws PR #688 and #1261: toolChoice
	// auto and any work, tool is accepted) and turned on streaming with
	// tools for deepseek.v3-v1:0 (PR #676). Bedrock's prompt caching page
	// lists no DeepSeek model.
	{Name: "deepseek-v3", Models: "DeepSeek V3.1 and V3.2",
		Prefill: true, System: true, Tools: true, ToolChoiceAny: true, ToolChoiceTool: true},
	{Name: "openai", Models: "OpenAI gpt-oss",
		Prefill: true, System: true, Tools: true,
		NoStopSequences: true, NoToolResultImages: true},
	{Name: "openai-gpt-5", Models: "OpenAI gpt-5.x",
		Prefill: true, System: true, Tools: true,
		NoStopSequences: true, NoSamplingFields: true, NoToolResultImages: true, UnknownParameters: gpt5UnknownParameters},
	{Name: "qwen", Models: "Qwen 3",
		LeadingAssistant: true, Prefill: true, System: true, Tools: true},
	{Name: "writer", Models: "Writer Palmyra",
		Prefill: true, System: true, Tools: true, ToolResultAlone: true},
	// Gemma, Kimi and MiniMax: a system prompt and (Kimi) tools are
	// answered (realwire converse-gemma-ok, converse-reasoning-kimi-tooluse-ok,
	// converse-reasoning-minimax-ok); their reasoning carries no signature,
	// and Bedrock's prompt caching page lists none of them.
	{Name: "gemma", Models: "Google Gemma 3",
		Prefill: true, System: true, Tools: true},
	{Name: "kimi", Models: "Moonshot Kimi K2",
		Prefill: true, System: true, Tools: true},
	{Name: "minimax", Models: "MiniMax M2",
		Prefill: true, System: true, Tools: true},
}

// DefaultFamily is the family used when none is named: the most common
// Converse target.
const DefaultFamily = "anthropic"

// Families returns every known family, sorted by name.
func Families() []Family {
	out := append([]Family(nil), families...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// FamilyNames returns the names [LookupFamily] accepts, sorted.
func FamilyNames() []string {
	var names []string
	for _, f := range Families() {
		names = append(names, f.Name)
	}
	return names
}

// LookupFamily returns the family with the given name.
func LookupFamily(name string) (Family, error) {
	for _, f := range families {
		if f.Name == name {
			return f, nil
		}
	}
	return Family{}, fmt.Errorf("unknown model family %q (known: %s)", name, strings.Join(FamilyNames(), ", "))
}

// familyPatterns maps a foundation-model id (without a profile prefix) to
// its family; the first match wins, so specific patterns come first.
var familyPatterns = []struct {
	re     *regexp.Regexp
	family string
}{
	{regexp.MustCompile(`^anthropic\.claude-opus-4-[7-9]`), "anthropic-no-sampling"},
	{regexp.MustCompile(`^anthropic\.claude-(sonnet|opus|haiku|fable)-[5-9]`), "anthropic-no-sampling"},
	{regexp.MustCompile(`^anthropic\.claude-fable`), "anthropic-no-sampling"},
	{regexp.MustCompile(`^anthropic\.claude-(sonnet|opus|haiku)-4-[6-9]`), "anthropic-no-prefill"},
	{regexp.MustCompile(`^anthropic\.claude-(sonnet|opus|haiku)-4-5(-|$)`), "anthropic-one-sampling"},
	{regexp.MustCompile(`^anthropic\.claude-opus-4-1(-|$)`), "anthropic-one-sampling"},
	{regexp.MustCompile(`^anthropic\.claude-3-(haiku|sonnet|opus)-`), noCachingFamily},
	{regexp.MustCompile(`^anthropic\.claude-3-5-sonnet-`), noCachingFamily},
	{regexp.MustCompile(`^anthropic\.`), "anthropic"},
	{regexp.MustCompile(`^amazon\.nova-2`), "nova-2"},
	{regexp.MustCompile(`^amazon\.nova`), "nova"},
	{regexp.MustCompile(`^amazon\.titan`), "titan"},
	{regexp.MustCompile(`^meta\.`), "llama"},
	{regexp.MustCompile(`^mistral\.(mistral-7b|mixtral-8x7b)`), "mistral-legacy"},
	{regexp.MustCompile(`^mistral\.`), "mistral"},
	{regexp.MustCompile(`^cohere\.`), "cohere"},
	{regexp.MustCompile(`^ai21\.`), "ai21"},
	{regexp.MustCompile(`^deepseek\.v3`), "deepseek-v3"},
	{regexp.MustCompile(`^deepseek\.`), "deepseek"},
	{regexp.MustCompile(`^openai\.gpt-[5-9]`), "openai-gpt-5"},
	{regexp.MustCompile(`^openai\.`), "openai"},
	{regexp.MustCompile(`^qwen\.`), "qwen"},
	{regexp.MustCompile(`^writer\.`), "writer"},
	{regexp.MustCompile(`^google\.gemma`), "gemma"},
	{regexp.MustCompile(`^moonshot\.`), "kimi"},
	{regexp.MustCompile(`^minimax\.`), "minimax"},
}

// profilePrefixes are the geography prefixes of system-defined inference
// profile ids.
var profilePrefixes = []string{"us-gov.", "global.", "apac.", "us.", "eu.", "jp.", "au.", "ca.", "in."}

// IsProfileID reports whether id names a system-defined inference profile:
// an id with a geography prefix, or an inference-profile ARN.
func IsProfileID(id string) bool {
	if strings.HasPrefix(id, "arn:") {
		return strings.Contains(id, ":inference-profile/")
	}
	for _, p := range profilePrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// FoundationModelID strips what surrounds a foundation-model id: URL
// escaping, an ARN's prefix, and an inference profile's geography prefix.
// "us.anthropic.claude-3-5-haiku-20241022-v1:0" and
// "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"
// both give "anthropic.claude-3-5-haiku-20241022-v1:0".
func FoundationModelID(id string) string {
	if u, err := url.PathUnescape(id); err == nil {
		id = u
	}
	if strings.HasPrefix(id, "arn:") {
		if i := strings.LastIndexByte(id, '/'); i >= 0 {
			id = id[i+1:]
		}
	}
	for _, p := range profilePrefixes {
		if strings.HasPrefix(id, p) {
			return id[len(p):]
		}
	}
	return id
}

// FamilyOrDefault returns the family of a model id, profile id or ARN,
// or the DefaultFamily for a model the table does not know.
func FamilyOrDefault(id string) Family {
	if f, ok := FamilyForModel(id); ok {
		return f
	}
	f, _ := LookupFamily(DefaultFamily)
	return f
}

// FamilyForModel returns the family of a model id, inference-profile id or
// ARN, with the model's MaxOutputTokens where the catalog gives it,
// NoImages where the catalog lists text input only, and NoVideo where it
// lists no video input. It reports false when the model is not known.
func FamilyForModel(id string) (Family, bool) {
	fm := FoundationModelID(id)
	for _, p := range familyPatterns {
		if p.re.MatchString(fm) {
			f, _ := LookupFamily(p.family)
			f.MaxOutputTokens = catalog.MaxOutputTokens(fm)
			f.NoImages = catalog.TakesNoImages(fm)
			f.NoVideo = f.NoVideo || catalog.TakesNoVideo(fm)
			return f, true
		}
	}
	return Family{}, false
}

// noCachingFamily names the Claude models Bedrock offers no prompt caching
// for: Claude 3 Haiku, Sonnet and Opus, and Claude 3.5 Sonnet (June and
// October). Bedrock's prompt caching page lists Claude 3.5 Haiku, 3.7
// Sonnet and the Claude 4 models, and Claude 3.5 Sonnet v2 as a preview
// that takes no new customers
// (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html,
// "Supported models, Regions, and limits"); a cache point on the others is
// refused (V-44). The catalog agrees: none of them has promptCaching
// (TestFamiliesCacheAsTheCatalogSays).
const noCachingFamily = "anthropic-no-caching"

// The no-caching Claude family is the anthropic family without prompt
// caching: everything else Claude 3 does, it does.
func init() {
	f, err := LookupFamily("anthropic")
	if err != nil {
		panic(err)
	}
	f.Name, f.Models, f.Caching = noCachingFamily, "Claude 3 Haiku, Sonnet and Opus, Claude 3.5 Sonnet", false
	families = append(families, f)
}
