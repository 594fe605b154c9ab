package converse

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Layer is the part of the service that enforces a rule. Each layer words
// its messages differently, and the service reports them in this order.
type Layer int

// The validation layers, in the order the service applies them.
const (
	// LayerSchema is Smithy/Coral schema validation. Its messages use
	// 1-based paths with ".member." and are combined into one
	// "N validation error(s) detected: ..." message.
	LayerSchema Layer = iota
	// LayerConverse is Bedrock's own Converse checks, with 0-based paths.
	LayerConverse
	// LayerCapability is what a model family does not support at all.
	LayerCapability
	// LayerModel is a provider's error passed through by Bedrock, prefixed
	// ModelErrorPrefix by Converse (InvokeModel passes it bare).
	LayerModel
)

// ModelErrorPrefix is what Converse and ConverseStream put before a
// model's own error text (LayerModel). InvokeModel and
// InvokeModelWithResponseStream pass the model's text without it:
// "ValidationException: messages: text content blocks must be non-empty"
// (anomalyco/opencode #15715, continuedev/continue #10804, Go SDK;
// microsoft/genaiscript #1561, JS SDK).
const ModelErrorPrefix = "The model returned the following errors: "

// Rule is one contract rule: what the service checks and exactly how it
// answers when the check fails.
type Rule struct {
	// ID is the rule's id in the contract reference, e.g. "V-7".
	ID string
	// Name is a short, stable name for reports.
	Name string
	// Layer is the part of the service that enforces the rule.
	Layer Layer
	// Exception is the error type in the x-amzn-ErrorType header.
	Exception string
	// Status is the HTTP status.
	Status int
	// Message is the service's message text, with fmt verbs where the
	// indexes, ids or values go.
	Message string
	// Source says where the text was observed.
	Source string

	// needs holds the block kinds without which the rule cannot fire:
	// [Check] skips it for a request holding none of them. Zero means it
	// always runs.
	needs blockKinds
	// byMessage: the rule's first message argument is the 0-based index
	// of the message it names. [Check] reports the violations of such
	// rules, which sit next to each other in the table, in message order:
	// the service checks tool pairing message by message and answers the
	// first message that fails, whichever of the rules that is (V-19 and
	// V-20: results split across two user turns get V-19 at the first).
	byMessage bool

	check func(r *Request, f *Family, emit func(args ...any))
}

// blockKinds is a set of the content block kinds a request holds.
type blockKinds uint16

const (
	hasToolUse blockKinds = 1 << iota
	hasToolResult
	// hasImage, hasDocument and hasVideo count blocks inside tool
	// results too.
	hasImage
	hasDocument
	hasVideo
	hasReasoning
	// hasCachePoint counts cache points in the system prompt and the
	// tools too.
	hasCachePoint
	// hasModelFields: the request sets additionalModelRequestFields.
	hasModelFields
	// hasSchema: the request asks for structured output
	// (outputConfig's JSON schema) or declares a strict tool.
	hasSchema
)

// kindsOf returns the block kinds r holds, in one pass over its blocks.
func kindsOf(r *Request) blockKinds {
	var k blockKinds
	for i := range r.Messages {
		for j := range r.Messages[i].Content {
			b := &r.Messages[i].Content[j]
			// A block holds one member on the wire, but a Request built in
			// Go may set several: look at every one.
			if b.ToolResult != nil {
				k |= hasToolResult
				for _, c := range b.ToolResult.Content {
					if c.Image != nil {
						k |= hasImage
					}
					if c.Document != nil {
						k |= hasDocument
					}
					if c.Video != nil {
						k |= hasVideo
					}
				}
			}
			if b.ToolUse != nil {
				k |= hasToolUse
			}
			if b.Image != nil {
				k |= hasImage
			}
			if b.Document != nil {
				k |= hasDocument
			}
			if b.Video != nil {
				k |= hasVideo
			}
			if b.ReasoningContent != nil {
				k |= hasReasoning
			}
			if b.CachePoint != nil {
				k |= hasCachePoint
			}
		}
	}
	for _, s := range r.System {
		if s.CachePoint != nil {
			k |= hasCachePoint
		}
	}
	if r.ToolConfig != nil {
		for _, t := range r.ToolConfig.Tools {
			if t.CachePoint != nil {
				k |= hasCachePoint
			}
			if t.ToolSpec != nil && t.ToolSpec.Strict != nil && *t.ToolSpec.Strict {
				k |= hasSchema
			}
		}
	}
	if len(r.AdditionalModelRequestFields) > 0 {
		k |= hasModelFields
	}
	if r.OutputConfig.JSONSchema() != nil {
		k |= hasSchema
	}
	return k
}

const validation = "ValidationException"

var (
	toolNamePattern  = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	toolUseIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_.:-]+$`)
	docNamePattern   = regexp.MustCompile(`^[A-Za-z0-9_()\[\] -]+$`)
	s3URIPattern     = regexp.MustCompile(`^s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?$`)
)

// ThinkingEnabled reports whether the request turns Anthropic's extended
// thinking on: additionalModelRequestFields.thinking.type is "enabled" or
// "adaptive".
func ThinkingEnabled(r *Request) bool {
	if len(r.AdditionalModelRequestFields) == 0 {
		return false
	}
	var f struct {
		Thinking *struct {
			Type string `json:"type"`
		} `json:"thinking"`
	}
	if UnmarshalModelFields(r.AdditionalModelRequestFields, &f) != nil || f.Thinking == nil {
		return false
	}
	return f.Thinking.Type == "enabled" || f.Thinking.Type == "adaptive"
}

// HighReasoning reports whether the request turns Nova's reasoning on at
// its highest effort: additionalModelRequestFields.reasoningConfig has
// type "enabled" and maxReasoningEffort "high". Nova 2 then sets the
// output length itself and refuses a maxTokens (V-59).
func HighReasoning(r *Request) bool {
	if len(r.AdditionalModelRequestFields) == 0 || !bytes.Contains(r.AdditionalModelRequestFields, []byte(`"reasoningConfig"`)) {
		return false
	}
	var f struct {
		ReasoningConfig *struct {
			Type   string `json:"type"`
			Effort string `json:"maxReasoningEffort"`
		} `json:"reasoningConfig"`
	}
	if UnmarshalModelFields(r.AdditionalModelRequestFields, &f) != nil || f.ReasoningConfig == nil {
		return false
	}
	return f.ReasoningConfig.Type == "enabled" && f.ReasoningConfig.Effort == "high"
}

// MinThinkingBudget is the smallest budget_tokens Anthropic's thinking
// takes (V-56).
const MinThinkingBudget = 1024

// ThinkingBudget returns the budget_tokens of Anthropic's thinking when
// additionalModelRequestFields enables it with one ("type": "enabled"),
// and whether it does.
func ThinkingBudget(r *Request) (int, bool) {
	if len(r.AdditionalModelRequestFields) == 0 {
		return 0, false
	}
	var f struct {
		Thinking *struct {
			Type   string   `json:"type"`
			Budget *float64 `json:"budget_tokens"`
		} `json:"thinking"`
	}
	if UnmarshalModelFields(r.AdditionalModelRequestFields, &f) != nil || f.Thinking == nil || f.Thinking.Type != "enabled" || f.Thinking.Budget == nil {
		return 0, false
	}
	b := *f.Thinking.Budget
	if b != float64(int64(b)) || b < 0 || b > 1<<31 {
		return 0, false
	}
	return int(b), true
}

// FinalTurnWithoutThinking reports whether the request ends inside the
// assistant's turn (with an assistant message, or with a user message of
// tool results only) and the assistant message that opens that turn does
// not start with a reasoning block; it returns that message's index and
// the kind of its first block as Anthropic names it. With thinking
// enabled, Anthropic refuses such a request (V-52): the turn's thinking
// must be replayed, or thinking disabled.
func FinalTurnWithoutThinking(r *Request) (index int, found string, ok bool) {
	n := len(r.Messages)
	if n == 0 || r.Messages[n-1].Role == RoleUser && !onlyResults(r.Messages[n-1].Content) {
		return 0, "", false
	}
	index = -1
	for i := n - 1; i >= 0; i-- {
		m := &r.Messages[i]
		if m.Role == RoleAssistant {
			index = i
			continue
		}
		if !onlyResults(m.Content) {
			break
		}
	}
	if index < 0 || len(r.Messages[index].Content) == 0 {
		return 0, "", false
	}
	b := &r.Messages[index].Content[0]
	switch {
	case b.ReasoningContent != nil:
		return 0, "", false
	case b.ToolUse != nil:
		found = "tool_use"
	case b.Image != nil:
		found = "image"
	case b.Document != nil:
		found = "document"
	default:
		found = "text"
	}
	return index, found, true
}

// CachePointRefusedAfter reports whether Anthropic refuses a cache point
// right after b: a document other than a PDF, or a video (V-48).
func CachePointRefusedAfter(b *ContentBlock) bool {
	return b.Video != nil || b.Document != nil && b.Document.Format != "pdf"
}

// OnlyReasoning reports whether blocks are reasoning blocks and nothing
// else: an assistant turn Claude 5 refuses (V-5, "Special case").
func OnlyReasoning(blocks []ContentBlock) bool {
	for i := range blocks {
		if blocks[i].ReasoningContent == nil {
			return false
		}
	}
	return len(blocks) > 0
}

// DocumentBesideResults reports whether blocks, a user turn, hold tool
// results and a document other than a PDF: Claude refuses the turn
// (V-23).
func DocumentBesideResults(blocks []ContentBlock) bool {
	results, docs := false, false
	for i := range blocks {
		b := &blocks[i]
		results = results || b.ToolResult != nil
		docs = docs || b.Document != nil && b.Document.Format != "pdf"
	}
	return results && docs
}

// hasImageBlock reports whether r holds an image inside a tool result,
// or also in a message itself when inMessages is true.
func hasImageBlock(r *Request, inMessages bool) bool {
	for i := range r.Messages {
		for j := range r.Messages[i].Content {
			b := &r.Messages[i].Content[j]
			if inMessages && b.Image != nil {
				return true
			}
			if b.ToolResult != nil {
				for k := range b.ToolResult.Content {
					if b.ToolResult.Content[k].Image != nil {
						return true
					}
				}
			}
		}
	}
	return false
}

// onlyResults reports whether blocks are tool results and nothing else.
func onlyResults(blocks []ContentBlock) bool {
	for _, b := range blocks {
		if b.ToolResult == nil {
			return false
		}
	}
	return len(blocks) > 0
}

// extraFor gives the punctuation each name pattern allows, for the fast
// path of nameConstraints.
var extraFor = map[*regexp.Regexp]string{toolNamePattern: "_-", toolUseIDPattern: "_.:-"}

var imageFormats = map[string]bool{"png": true, "jpeg": true, "gif": true, "webp": true}

// MaxDocuments is the number of documents one request may carry (V-34).
const MaxDocuments = 5

// MaxCachePoints is the number of cache points one request may carry (V-45).
const MaxCachePoints = 4

// rules is the contract, in the order the service reports it.
var rules = []*Rule{
	// Schema layer.
	{ID: "V-4", Name: "role-enum", Layer: LayerSchema,
		Message: "Value '%s' at 'messages.%d.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]",
		Source:  "continuedev/continue #1938",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i, m := range r.Messages {
				if m.Role != RoleUser && m.Role != RoleAssistant {
					emit(m.Role, i+1)
				}
			}
		}},
	{ID: "V-9", Name: "system-text-length", Layer: LayerSchema,
		Message: "Value at 'system.%d.member.text' failed to satisfy constraint: Member must have length greater than or equal to 1",
		Source:  "service model (SystemContentBlock.text min 1)",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i, s := range r.System {
				if s.Text != nil && *s.Text == "" {
					emit(i + 1)
				}
			}
		}},
	{ID: "V-12", Name: "tools-empty", Layer: LayerSchema,
		Message: "Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
		Source:  "Portkey-AI/gateway #1124",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if r.ToolConfig != nil && len(r.ToolConfig.Tools) == 0 {
				emit()
			}
		}},
	{ID: "V-13", Name: "tool-spec-name", Layer: LayerSchema,
		Message: "Value '%s' at 'toolConfig.tools.%d.member.toolSpec.name' failed to satisfy constraint: Member must %s",
		Source:  "aws-samples/remote-swe-agents PR #457; BerriAI/litellm #24668",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if r.ToolConfig == nil {
				return
			}
			for i, t := range r.ToolConfig.Tools {
				if t.ToolSpec != nil {
					for _, c := range nameConstraints(t.ToolSpec.Name, 64, toolNamePattern) {
						emit(t.ToolSpec.Name, i+1, c)
					}
				}
			}
		}},
	{ID: "V-13", Name: "tool-use-name", Layer: LayerSchema, needs: hasToolUse,
		Message: "Value at 'messages.%d.member.content.%d.member.toolUse.name' failed to satisfy constraint: Member must %s",
		Source:  "openclaw/openclaw #12892; vercel/ai bedrock-invalid-tool-name-validation-error.json",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.ToolUse != nil {
					for _, c := range nameConstraints(b.ToolUse.Name, 64, toolNamePattern) {
						emit(i+1, j+1, c)
					}
				}
			})
		}},
	{ID: "V-13", Name: "tool-choice-name", Layer: LayerSchema,
		Message: "Value '%s' at 'toolConfig.toolChoice.tool.name' failed to satisfy constraint: Member must %s",
		Source:  "service model (SpecificToolChoice.name) [Inferred wording]",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if r.ToolConfig != nil && r.ToolConfig.ToolChoice != nil && r.ToolConfig.ToolChoice.Tool != nil {
				n := r.ToolConfig.ToolChoice.Tool.Name
				for _, c := range nameConstraints(n, 64, toolNamePattern) {
					emit(n, c)
				}
			}
		}},
	{ID: "V-14", Name: "tool-use-id", Layer: LayerSchema, needs: hasToolUse | hasToolResult,
		Message: "Value at '%s' failed to satisfy constraint: Member must %s",
		Source:  "service model (ToolUseId pattern) [Inferred wording]",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				switch {
				case b.ToolUse != nil:
					for _, c := range nameConstraints(b.ToolUse.ToolUseID, 64, toolUseIDPattern) {
						emit(fmt.Sprintf("messages.%d.member.content.%d.member.toolUse.toolUseId", i+1, j+1), c)
					}
				case b.ToolResult != nil:
					for _, c := range nameConstraints(b.ToolResult.ToolUseID, 64, toolUseIDPattern) {
						emit(fmt.Sprintf("messages.%d.member.content.%d.member.toolResult.toolUseId", i+1, j+1), c)
					}
				}
			})
		}},
	{ID: "V-32", Name: "document-name-length", Layer: LayerSchema, needs: hasDocument,
		Message: "Value at 'messages.%d.member.content.%d.member.document.name' failed to satisfy constraint: Member must have length %s",
		Source:  "vercel/ai amazon-bedrock-invalid-document-filenames.json",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.Document == nil {
					return
				}
				switch n := len([]rune(b.Document.Name)); {
				case n == 0:
					emit(i+1, j+1, "greater than or equal to 1")
				case n > 200:
					emit(i+1, j+1, "less than or equal to 200")
				}
			})
		}},
	{ID: "V-38", Name: "image-format", Layer: LayerSchema, needs: hasImage,
		Message: "Value at '%s' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
		Source:  "NousResearch/hermes-agent #55429 (tail inferred)",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.Image != nil && !imageFormats[b.Image.Format] {
					emit(fmt.Sprintf("messages.%d.member.content.%d.member.image.format", i+1, j+1))
				}
				if b.ToolResult != nil {
					for k, c := range b.ToolResult.Content {
						if c.Image != nil && !imageFormats[c.Image.Format] {
							emit(fmt.Sprintf("messages.%d.member.content.%d.member.toolResult.content.%d.member.image.format", i+1, j+1, k+1))
						}
					}
				}
			})
		}},
	{ID: "S3", Name: "s3-uri", Layer: LayerSchema, needs: hasImage | hasDocument,
		Message: "Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?",
		Source:  "service model (S3Location.uri pattern) [Inferred wording]",
		check: func(r *Request, _ *Family, emit func(...any)) {
			check := func(src MediaSource, path string) {
				if src.S3Location != nil && !s3URIPattern.MatchString(src.S3Location.URI) {
					emit(path + ".source.s3Location.uri")
				}
			}
			eachBlock(r, func(i, j int, b *ContentBlock) {
				switch {
				case b.Image != nil:
					check(b.Image.Source, fmt.Sprintf("messages.%d.member.content.%d.member.image", i+1, j+1))
				case b.Document != nil:
					check(b.Document.Source, fmt.Sprintf("messages.%d.member.content.%d.member.document", i+1, j+1))
				}
			})
		}},
	{ID: "V-60", Name: "inference-range", Layer: LayerSchema,
		Message: "Value '%s' at 'inferenceConfig.%s' failed to satisfy constraint: Member must have value %s",
		Source:  "stdapi-ai/stdapi.ai #224",
		check: func(r *Request, _ *Family, emit func(...any)) {
			ic := r.InferenceConfig
			if ic == nil {
				return
			}
			if ic.MaxTokens != nil && *ic.MaxTokens < 1 {
				emit(strconv.Itoa(*ic.MaxTokens), "maxTokens", "greater than or equal to 1")
			}
			for _, p := range []struct {
				name string
				v    *float64
			}{{"temperature", ic.Temperature}, {"topP", ic.TopP}} {
				if p.v == nil {
					continue
				}
				if *p.v > 1 {
					emit(javaFloat(*p.v), p.name, "less than or equal to 1")
				} else if *p.v < 0 {
					emit(javaFloat(*p.v), p.name, "greater than or equal to 0")
				}
			}
		}},
	{ID: "V-67", Name: "service-tier-type-required", Layer: LayerSchema,
		Message: "Value null at 'serviceTier.type' failed to satisfy constraint: Member must not be null",
		Source:  "service model (ServiceTier.type is required) [Inferred wording: Coral's text for a missing required member; not captured]",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if r.ServiceTier != nil && r.ServiceTier.Type == "" {
				emit()
			}
		}},
	{ID: "V-67", Name: "latency-enum", Layer: LayerSchema,
		Message: "Value '%s' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set: [optimized, standard]",
		Source:  "NousResearch/hermes-agent PR #34476 (live: latency \"turbo\" refused with \"... must satisfy enum value set: [optimized, standard]\"; the head is Coral's form [Inferred])",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if p := r.PerformanceConfig; p != nil && p.Latency != "" && p.Latency != LatencyStandard && p.Latency != LatencyOptimized {
				emit(p.Latency)
			}
		}},

	// Converse layer.
	{ID: "V-67", Name: "service-tier-enum", Layer: LayerConverse,
		Message: "service tier provided is invalid",
		Source:  "NousResearch/hermes-agent PR #34476 (live: serviceTier \"cheapest\"); a Bedrock router's change notes (serviceTier \"standard\"): both quote this text, Bedrock's own rather than Coral's enum check [Unsure: capitals and a final period; its place among Bedrock's checks]",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if t := r.ServiceTier; t != nil && t.Type != "" && !ValidServiceTier(t.Type) {
				emit()
			}
		}},
	{ID: "V-1", Name: "first-message-user", Layer: LayerConverse,
		Message: "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
		Source:  "langgenius/dify #12340; pydantic/pydantic-ai PR #6255 (per-family scope)",
		check: func(r *Request, f *Family, emit func(...any)) {
			switch {
			case len(r.Messages) == 0:
				emit()
			case r.Messages[0].Role == RoleUser:
			case r.Messages[0].Role == RoleAssistant && f.LeadingAssistant:
			default:
				emit()
			}
		}},
	{ID: "V-3", Name: "empty-content", Layer: LayerConverse,
		Message: "The content field in the Message object at messages.%d is empty. Add a ContentBlock object to the content field and try again.",
		Source:  "vercel/ai amazon-bedrock-empty-message-validation-error.json (2026-08-05)",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i, m := range r.Messages {
				if len(m.Content) == 0 {
					emit(i)
				}
			}
		}},
	{ID: "V-2", Name: "alternate-roles", Layer: LayerConverse,
		Message: "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
		Source:  "langchain-ai/langchain-aws #130; MadcowD/ell PR #369; exceptions from captures: realwire converse-consecutive-user-turns-ok (Claude 3 Haiku: tool results, then user text), converse-guardrail-intervened-ok (Titan: two user turns)",
		check: func(r *Request, f *Family, emit func(...any)) {
			for i := 1; i < len(r.Messages); i++ {
				prev, m := r.Messages[i-1], r.Messages[i]
				if m.Role != prev.Role {
					continue
				}
				if m.Role == RoleUser && (f.ConsecutiveUsers || f.UserAfterResults && onlyResults(prev.Content)) {
					continue
				}
				emit()
				return
			}
		}},
	{ID: "V-7", Name: "blank-text", Layer: LayerConverse,
		Message: "The text field in the ContentBlock object at %s is blank. Add text to the text field, and try again.",
		Source:  "aws-samples/bedrock-engineer #8; langchain-ai/langchain-aws #403 (whitespace)",
		check: func(r *Request, f *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.Text != nil && (*b.Text == "" || (!f.ProviderTextRules && isBlank(*b.Text))) {
					emit(fmt.Sprintf("messages.%d.content.%d", i, j))
				}
				if b.ToolResult != nil && !f.ProviderTextRules {
					for k, c := range b.ToolResult.Content {
						if c.Text != nil && isBlank(*c.Text) {
							emit(fmt.Sprintf("messages.%d.content.%d.toolResult.content.%d", i, j, k))
						}
					}
				}
			})
		}},
	{ID: "V-11", Name: "tool-config-required", Layer: LayerConverse, needs: hasToolUse | hasToolResult,
		Message: "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
		Source:  "langgenius/dify #16421; vxcontrol/pentagi #160",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if r.ToolConfig == nil && hasToolBlocks(r) {
				emit()
			}
		}},
	{ID: "V-16", Name: "tool-use-input-object", Layer: LayerConverse, needs: hasToolUse,
		Message: "The format of the value at messages.%d.content.%d.toolUse.input is invalid. Provide a json object for the field and try again.",
		Source:  "getnao/nao #1005",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.ToolUse != nil && !isJSONObject(b.ToolUse.Input) {
					emit(i, j)
				}
			})
		}},
	{ID: "V-17", Name: "input-schema-object", Layer: LayerConverse,
		Message: "The format of the value at toolConfig.tools.%d.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again.",
		Source:  "aws/aws-sdk-net #3377",
		check: func(r *Request, _ *Family, emit func(...any)) {
			if r.ToolConfig == nil {
				return
			}
			for i, t := range r.ToolConfig.Tools {
				if t.ToolSpec != nil && !isJSONObject(t.ToolSpec.InputSchema.JSON) {
					emit(i)
				}
			}
		}},
	{ID: "V-18", Name: "tool-result-json-object", Layer: LayerConverse, needs: hasToolResult,
		Message: "The format of the value at messages.%d.content.%d.toolResult.content.%d.json is invalid. Provide a json object for the field and try again.",
		Source:  "sigoden/aichat PR #1550; deepset-ai/haystack-core-integrations PR #3766",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.ToolResult == nil {
					return
				}
				for k, c := range b.ToolResult.Content {
					if c.JSON != nil && !isJSONObject(c.JSON) {
						emit(i, j, k)
					}
				}
			})
		}},
	{ID: "V-21", Name: "duplicate-tool-ids", Layer: LayerConverse, needs: hasToolUse | hasToolResult,
		Message: "The %s blocks at messages.%d.content contain duplicate Ids: %s",
		Source:  "BerriAI/litellm #20047; vercel/ai amazon-bedrock-mistral-duplicate-tool-call-ids-error.json",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i, m := range r.Messages {
				uses, results := toolCounts(m)
				for _, kind := range [...]string{"toolUse", "toolResult"} {
					if kind == "toolUse" && uses < 2 || kind == "toolResult" && results < 2 {
						continue
					}
					if d := duplicates(toolIDs(m, kind)); len(d) > 0 {
						emit(kind, i, strings.Join(d, ", "))
					}
				}
			}
		}},
	{ID: "V-20", Name: "too-many-tool-results", Layer: LayerConverse, needs: hasToolResult, byMessage: true,
		Message: "The number of toolResult blocks at messages.%d.content exceeds the number of toolUse blocks of previous turn.",
		Source:  "Just-Curieous/Curie #16; pydantic/pydantic-ai #2327",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i, m := range r.Messages {
				_, results := toolCounts(m)
				if results == 0 {
					continue
				}
				uses := 0
				if i > 0 {
					uses, _ = toolCounts(r.Messages[i-1])
				}
				if results > uses {
					emit(i)
				}
			}
		}},
	{ID: "V-19", Name: "missing-tool-results", Layer: LayerConverse, needs: hasToolUse, byMessage: true,
		Message: "Expected toolResult blocks at messages.%d.content for the following Ids: %s",
		Source:  "agno-agi/agno #6698; NousResearch/hermes-agent #108584; genkit-ai/aws-bedrock-js-plugin #664 (Claude Sonnet 4.5: two results sent as two user turns get this at the first, not V-20 at the second)",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i := 0; i+1 < len(r.Messages); i++ {
				if uses, _ := toolCounts(r.Messages[i]); uses == 0 {
					continue
				}
				next := r.Messages[i+1].Content
				var missing []string
				for bk := range r.Messages[i].Content {
					b := &r.Messages[i].Content[bk]
					if b.ToolUse != nil && !b.ToolUse.Server() && !answers(next, b.ToolUse.ToolUseID) {
						missing = append(missing, b.ToolUse.ToolUseID)
					}
				}
				if len(missing) > 0 {
					emit(i+1, strings.Join(missing, ", "))
				}
			}
		}},
	{ID: "V-22", Name: "error-result-empty", Layer: LayerConverse, needs: hasToolResult,
		Message: "The content field at messages.%d.content.%d.toolResult cannot be empty when status value is error.",
		Source:  "aws-samples/sample-multi-agent-orchestration-chat-on-agentcore #15",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if b.ToolResult != nil && b.ToolResult.Status == "error" && len(b.ToolResult.Content) == 0 {
					emit(i, j)
				}
			})
		}},
	{ID: "V-31", Name: "document-name-chars", Layer: LayerConverse, needs: hasDocument,
		Message: "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.",
		Source:  "vercel/ai amazon-bedrock-invalid-document-filenames.json (2026-09-04)",
		check: func(r *Request, _ *Family, emit func(...any)) {
			eachDocument(r, func(d *DocumentBlock) {
				if d.Name != "" && !ValidDocumentName(d.Name) {
					emit()
				}
			})
		}},
	{ID: "V-33", Name: "duplicate-document-names", Layer: LayerConverse, needs: hasDocument,
		Message: "Messages can't contain duplicate document names.",
		Source:  "aws-samples/generative-ai-use-cases #1685",
		check: func(r *Request, _ *Family, emit func(...any)) {
			seen := map[string]bool{}
			dup := false
			eachDocument(r, func(d *DocumentBlock) {
				dup = dup || seen[d.Name]
				seen[d.Name] = true
			})
			if dup {
				emit()
			}
		}},
	{ID: "V-34", Name: "document-count", Layer: LayerConverse, needs: hasDocument,
		Message: "You can't include more than 5 documents in a request.",
		Source:  "aws-samples/generative-ai-use-cases #1685",
		check: func(r *Request, _ *Family, emit func(...any)) {
			n := 0
			eachDocument(r, func(*DocumentBlock) { n++ })
			if n > MaxDocuments {
				emit()
			}
		}},
	{ID: "V-35", Name: "document-needs-text", Layer: LayerConverse, needs: hasDocument,
		Message: "A text block must be included when using documents. Add a text block and retry your request.",
		Source:  "realwire converse-error-document-needs-text-block (Nova Pro, 2026-01); archestra-ai/archestra PR #4220",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for _, m := range r.Messages {
				docs, text := false, false
				for bk := range m.Content {
					b := &m.Content[bk]
					docs = docs || b.Document != nil
					text = text || b.Text != nil
				}
				if docs && !text {
					emit()
					return
				}
			}
		}},
	{ID: "V-51", Name: "reasoning-in-user", Layer: LayerConverse, needs: hasReasoning,
		Message: "User messages cannot contain reasoning content. Please remove the reasoning content and try again.",
		Source:  "vercel/ai issue-7034-error.json",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for _, m := range r.Messages {
				if m.Role == RoleAssistant {
					continue
				}
				for bk := range m.Content {
					b := &m.Content[bk]
					if b.ReasoningContent != nil {
						emit()
						return
					}
				}
			}
		}},
	{ID: "V-46", Name: "cache-point-first", Layer: LayerConverse, needs: hasCachePoint,
		Message: "There is nothing available to cache. Please remove the invalid cache point and try again.",
		Source:  "vercel/ai amazon-bedrock-cache-point-only-assistant-error.json",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for _, m := range r.Messages {
				if len(m.Content) > 0 && m.Content[0].CachePoint != nil {
					emit()
					return
				}
			}
			if len(r.System) > 0 && r.System[0].CachePoint != nil {
				emit()
			}
		}},
	{ID: "V-47", Name: "cache-point-after-reasoning", Layer: LayerConverse, needs: hasCachePoint,
		Message: "Cache point cannot be inserted after reasoning block. Please remove the invalid cache point and try again.",
		Source:  "anomalyco/opencode #36517; 0xPlaygrounds/rig #1673",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for _, m := range r.Messages {
				for j := 1; j < len(m.Content); j++ {
					if m.Content[j].CachePoint != nil && m.Content[j-1].ReasoningContent != nil {
						emit()
						return
					}
				}
			}
		}},
	{ID: "V-23", Name: "tool-result-alone", Layer: LayerConverse, needs: hasToolResult,
		Message: "messages.%d.content: Conversation blocks and tool result blocks cannot be provided in the same turn.",
		Source:  "BerriAI/litellm #6053; strands-agents/harness-sdk #1223 (Llama 4); pydantic-ai (scope)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.ToolResultAlone {
				return
			}
			for i, m := range r.Messages {
				results, other := 0, 0
				for bk := range m.Content {
					b := &m.Content[bk]
					if b.ToolResult != nil {
						results++
					} else {
						other++
					}
				}
				if results > 0 && other > 0 {
					emit(i)
				}
			}
		}},

	{ID: "V-23", Name: "tool-use-alone", Layer: LayerConverse, needs: hasToolUse,
		Message: "messages.%d.content: Conversation blocks and tool use blocks cannot be provided in the same turn.",
		Source:  "langchain-ai/langchain-aws PR #274 (Meta Llama, messages.1.content: an assistant turn with text and toolUse); quarkiverse/quarkus-langchain4j #1983",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.ToolUseAlone {
				return
			}
			for i, m := range r.Messages {
				uses, other := 0, 0
				for bk := range m.Content {
					b := &m.Content[bk]
					if b.ToolUse != nil {
						uses++
					} else {
						other++
					}
				}
				if uses > 0 && other > 0 {
					emit(i)
				}
			}
		}},

	// Capability layer.
	{ID: "V-42", Name: "video-unsupported", Layer: LayerCapability, needs: hasVideo,
		Message: "This model doesn't support the video content block that you provided. Update the content block and try again.",
		Source:  "realwire converse-error-video-unsupported (Claude Sonnet 4.5; the same text for byte sources and for video inside toolResult.content); the model's catalog entry lists no VIDEO input [Inferred: the text is recorded for Claude, and assumed the same for every model without video input]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoVideo {
				return
			}
			found := false
			eachBlock(r, func(_, _ int, b *ContentBlock) {
				found = found || b.Video != nil
				if b.ToolResult != nil {
					for _, c := range b.ToolResult.Content {
						found = found || c.Video != nil
					}
				}
			})
			if found {
				emit()
			}
		}},
	{ID: "V-42", Name: "s3-uri-unsupported", Layer: LayerCapability, needs: hasImage | hasDocument,
		Message: "This model doesn't support the s3Uri field. Remove s3Uri and try again.",
		Source:  "realwire converse-error-unsupported-field-no-errortype (Claude Sonnet 4.5, an s3Location image inside toolResult.content)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoS3Media {
				return
			}
			found := false
			eachBlock(r, func(_, _ int, b *ContentBlock) {
				found = found || b.Image != nil && b.Image.Source.S3Location != nil
				if b.ToolResult != nil {
					for _, c := range b.ToolResult.Content {
						found = found || c.Image != nil && c.Image.Source.S3Location != nil || c.Document != nil && c.Document.Source.S3Location != nil
					}
				}
			})
			if found {
				emit()
			}
		}},
	// V-42 for images: Bedrock's own capability check, with one text for
	// both cases. The text is recorded for a user-level image
	// (earendil-works/pi #8960, gpt-5.6-luna; the contract reference's
	// vercel/ai fixture) and for an image inside a tool result
	// (anomalyco/opencode #49443 and #48069, earendil-works/pi #8643),
	// where it still names user messages.
	{ID: "V-42", Name: "image-unsupported", Layer: LayerCapability, needs: hasImage,
		Message: "This model doesn't support the image field for user messages. Remove image and try again.",
		Source:  "contract reference V-42 (\"non-vision models\"); the model's catalog entry lists TEXT input only (gpt-oss, DeepSeek R1, ...) [Inferred: the text is recorded for OpenAI models, and assumed the same for every text-only model]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.NoImages && hasImageBlock(r, true) {
				emit()
			}
		}},
	{ID: "V-42", Name: "tool-result-image-unsupported", Layer: LayerCapability, needs: hasImage,
		Message: "This model doesn't support the image field for user messages. Remove image and try again.",
		Source:  "anomalyco/opencode #49443 (us-east-1: openai.gpt-6-astra, gpt-5.6-sol, gpt-5.6-luna, gpt-5.6-terra answer 200 for a user-level image, 400 with this text for one inside toolResult.content; Claude, Nova and Llama 4 take both) and #48069; earendil-works/pi #8643 (the image beside the toolResult is taken); API reference ToolResultContentBlock.image",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.NoToolResultImages && hasImageBlock(r, false) {
				emit()
			}
		}},
	{ID: "V-10", Name: "system-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support system messages. Try again without a system message or use a model that supports system messages.",
		Source:  "Mintplex-Labs/anything-llm #2486; 567-labs/instructor #1753",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.System && len(r.System) > 0 {
				emit()
			}
		}},
	{ID: "V-25", Name: "tools-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support tool use.",
		Source:  "langchain-ai/langchain-aws #447",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.Tools && (r.ToolConfig != nil || hasToolBlocks(r)) {
				emit()
			}
		}},
	{ID: "V-62", Name: "temperature-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support the temperature field. Remove temperature and try again.",
		Source:  "vercel/ai fixture amazon-bedrock-openai-temperature-error.json (OpenAI gpt-5.x on Bedrock; its test sends gpt-5.6-sol and gpt-5.6-luna ids)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; f.NoSamplingFields && ic != nil && ic.Temperature != nil {
				emit()
			}
		}},
	{ID: "V-62", Name: "top-p-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support the topP field. Remove topP and try again.",
		Source:  "vercel/ai fixture amazon-bedrock-openai-top-p-error.json (OpenAI gpt-5.x on Bedrock)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; f.NoSamplingFields && ic != nil && ic.TopP != nil {
				emit()
			}
		}},
	{ID: "V-62", Name: "stop-sequences-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support the stopSequences field. Remove stopSequences and try again.",
		Source:  "vercel/ai fixture amazon-bedrock-openai-stop-sequences-error.json (gpt-oss refuses stopSequences only; the same template as realwire converse-error-unsupported-field-no-errortype)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; f.NoStopSequences && ic != nil && len(ic.StopSequences) > 0 {
				emit()
			}
		}},
	{ID: "V-26", Name: "streaming-tools-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support tool use in streaming mode.",
		Source:  "earendil-works/pi #3739 (Llama 4 Maverick and Scout; Converse works); obot-platform/obot #6740, #4101 (Llama, DeepSeek)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.streaming && f.NoStreamingTools && f.Tools && r.ToolConfig != nil {
				emit()
			}
		}},
	{ID: "V-27", Name: "tool-choice-unsupported", Layer: LayerCapability,
		Message: "This model doesn't support the toolConfig.toolChoice.%s field. Remove toolConfig.toolChoice.%s and try again.",
		Source:  "vercel/ai #4396; strands-agents/harness-sdk #1241",
		check: func(r *Request, f *Family, emit func(...any)) {
			if r.ToolConfig == nil || r.ToolConfig.ToolChoice == nil || !f.Tools {
				return
			}
			tc := r.ToolConfig.ToolChoice
			if tc.Any != nil && !f.ToolChoiceAny {
				emit("any", "any")
			}
			if tc.Tool != nil && !f.ToolChoiceTool {
				emit("tool", "tool")
			}
		}},
	{ID: "V-44", Name: "caching-unsupported", Layer: LayerCapability,
		Message: "You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.",
		Source:  "cline/cline #2064; anomalyco/opencode #782",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.Caching && countCachePoints(r) > 0 {
				emit()
			}
		}},
	// V-68: Bedrock's own check, worded without the model's prefix.
	{ID: "V-68", Name: "cache-ttl-unsupported", Layer: LayerCapability, needs: hasCachePoint,
		Message: "Extended TTL prompt caching is only supported for Anthropic models",
		Source:  "timothy-agent/timothy #755 (Nova 2 Lite, ConverseStream, 400 ValidationException); LibreChat-AI/agents #256 (Nova, system and message cache points); earendil-works/pi #1570 (Amazon Nova); the same text in all three, without \"The model returned the following errors\"",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.Caching && f.NoExtendedTTL && HasExtendedTTL(r) {
				emit()
			}
		}},
	{ID: "V-61", Name: "max-tokens-above-limit", Layer: LayerCapability,
		Message: "The maximum tokens you requested exceeds the model limit of %d. Try again with a maximum tokens value that is lower than %d.",
		Source:  "vercel/ai #2772; boto/boto3 #4279; langgenius/dify #10390 (Claude 3.5 Haiku); charmbracelet/crush #946 (32768); the limit is the catalog's maxOutputTokens",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; ic != nil && ic.MaxTokens != nil && OverOutputLimit(r, *f, *ic.MaxTokens) {
				emit(f.MaxOutputTokens, f.MaxOutputTokens)
			}
		}},

	// Model layer.

	// V-63: another provider's fields in additionalModelRequestFields,
	// refused by the provider's request validation before it reads the
	// conversation.
	{ID: "V-63", Name: "model-field-extra-input", Layer: LayerModel, needs: hasModelFields,
		Message: "The model returned the following errors: %s: Extra inputs are not permitted",
		Source:  "BerriAI/litellm #13825 (guardrails, Claude Sonnet 4), #13609 (reasoning, Claude Opus 4.1); egoist/chatwise-releases #867 and langchain-ai/langchain-aws #393 (reasoningConfig, Claude 3.7 Sonnet); anthropics/claude-code-action #1005 (output_config.effort, before Claude 4.6)",
		check: func(r *Request, f *Family, emit func(...any)) {
			refusedIn(r, f.ExtraInputs, func(path string) { emit(path) })
		}},
	{ID: "V-63", Name: "model-field-unknown-parameter", Layer: LayerModel, needs: hasModelFields,
		Message: `The model returned the following errors: {"error":{"code":"unknown_parameter","message":"Unknown parameter: '%[1]s'.","param":"%[1]s","type":"invalid_request_error"}}`,
		Source:  "vercel/ai fixtures amazon-bedrock-openai-cris-reasoning-config-error.json and amazon-bedrock-openai-cris-reasoning-effort-error.json (gpt-5.6-luna); agentgateway/agentgateway #3442 (thinking, gpt-5.6-terra)",
		check: func(r *Request, f *Family, emit func(...any)) {
			refusedIn(r, f.UnknownParameters, func(path string) { emit(path) })
		}},
	{ID: "V-63", Name: "model-field-reasoning-config", Layer: LayerModel, needs: hasModelFields,
		Message: "The model returned the following errors: Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.",
		Source:  "vercel/ai fixture amazon-bedrock-nova-micro-portable-reasoning.json (Nova Micro); a code comment quoting it for nova-pro-v1",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.NoReasoningConfig && hasTopLevel(r, "reasoningConfig") {
				emit()
			}
		}},
	{ID: "V-8", Name: "provider-blank-text", Layer: LayerModel,
		Message: "The model returned the following errors: messages: text content blocks must %s",
		Source:  "NousResearch/hermes-agent PRs #61318, #63983; #55092 (empty tool result)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.ProviderTextRules {
				return
			}
			done := false
			// A white-space-only text is refused only when its message has
			// no other text: realwire converse-cache-read-ok sends "\n"
			// between a document and a cache point, and is accepted.
			var blankMessage map[int]bool // only messages that are blank, so a clean request allocates nothing
			for i, m := range r.Messages {
				hasBlank, hasText := false, false
				for bk := range m.Content {
					b := &m.Content[bk]
					if b.Text != nil && isBlank(*b.Text) && *b.Text != "" {
						hasBlank = true
					} else if b.Text != nil && !isBlank(*b.Text) {
						hasText = true
					}
				}
				if hasBlank && !hasText {
					if blankMessage == nil {
						blankMessage = map[int]bool{}
					}
					blankMessage[i] = true
				}
			}
			eachBlock(r, func(i, _ int, b *ContentBlock) {
				if done {
					return
				}
				if b.Text != nil && *b.Text != "" && isBlank(*b.Text) && blankMessage[i] {
					emit("contain non-whitespace text")
					done = true
				}
				if b.ToolResult != nil {
					for _, c := range b.ToolResult.Content {
						if c.Text != nil && isBlank(*c.Text) && !done {
							if *c.Text == "" {
								emit("be non-empty")
							} else {
								emit("contain non-whitespace text")
							}
							done = true
						}
					}
				}
			})
		}},
	{ID: "V-41", Name: "media-in-assistant", Layer: LayerModel, needs: hasImage | hasDocument,
		Message: "The model returned the following errors: messages.%d.content: '%s' blocks are not permitted within assistant turns.",
		Source:  "epam/ai-dial-adapter-bedrock PR #306; Message.content doc string",
		check: func(r *Request, _ *Family, emit func(...any)) {
			for i, m := range r.Messages {
				if m.Role != RoleAssistant {
					continue
				}
				for bk := range m.Content {
					b := &m.Content[bk]
					switch {
					case b.Image != nil:
						emit(i, "image")
						return
					case b.Document != nil:
						emit(i, "document")
						return
					}
				}
			}
		}},
	{ID: "V-23", Name: "document-beside-tool-results", Layer: LayerModel, needs: hasDocument,
		Message: "The model returned the following errors: messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
		Source:  "pydantic/pydantic-ai #3253 (Claude on Bedrock: toolResult, then a txt document and text in one user turn, messages.2, the one id; Nova Pro takes it); contract reference V-23 (\"A text/plain document reproduces the error; a PDF does not\"); the ids of several results joined with \", \" as in pydantic/pydantic-ai #7564 [Inferred]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoDocumentsBesideResults {
				return
			}
			for i, m := range r.Messages {
				if m.Role != RoleUser || !DocumentBesideResults(m.Content) {
					continue
				}
				emit(i, strings.Join(toolIDs(m, "toolResult"), ", "))
				return
			}
		}},
	{ID: "V-54", Name: "reasoning-signature", Layer: LayerModel, needs: hasReasoning,
		Message: "The model returned the following errors: messages.%d.content.%d.thinking.signature: Field required",
		Source:  "run-llama/llama_index #20851",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.SignedReasoning {
				return
			}
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if rc := b.ReasoningContent; rc != nil && rc.ReasoningText != nil && rc.ReasoningText.Signature == "" {
					emit(i, j)
				}
			})
		}},
	{ID: "V-48", Name: "cache-point-after-document", Layer: LayerModel, needs: hasCachePoint,
		Message: "The model returned the following errors: messages.%d.content.%d.type: Field required",
		Source:  "strands-agents/harness-sdk #1966 (ConverseStream); aws-samples/amazon-bedrock-client-for-mac PR #119; pydantic-ai (scope: documents other than PDF, and videos, not images); the index is the cache point's [Unsure]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.AnthropicFields {
				return
			}
			for i, m := range r.Messages {
				for j := 1; j < len(m.Content); j++ {
					if m.Content[j].CachePoint != nil && CachePointRefusedAfter(&m.Content[j-1]) {
						emit(i, j)
						return
					}
				}
			}
		}},
	{ID: "V-52", Name: "thinking-final-turn-start", Layer: LayerModel,
		Message: "The model returned the following errors: messages.%d.content.0.type: Expected `thinking` or `redacted_thinking`, but found `%s`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking",
		Source:  "pydantic/pydantic-ai #2453 (Converse, claude-sonnet-4, messages.1: text then toolUse, then its result); langchain-ai/langchain-aws #844 (ConverseStream, reasoning not replayed)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.AnthropicFields || !ThinkingEnabled(r) {
				return
			}
			if i, found, ok := FinalTurnWithoutThinking(r); ok {
				emit(i, found)
			}
		}},
	{ID: "V-15", Name: "tool-use-id-family", Layer: LayerModel, needs: hasToolUse,
		Message: "The model returned the following errors: Tool call id was %s but must be a-z, A-Z, 0-9, with a length of 9.",
		Source:  "vercel/ai #11802, PR #11863 (Bedrock wrapper not captured)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.ToolUseID == nil {
				return
			}
			eachBlock(r, func(_, _ int, b *ContentBlock) {
				if b.ToolUse != nil && !f.ToolUseID.MatchString(b.ToolUse.ToolUseID) {
					emit(b.ToolUse.ToolUseID)
				}
			})
		}},
	{ID: "V-40", Name: "image-count", Layer: LayerModel, needs: hasImage,
		Message: "The model returned the following errors: messages: too many images: image_count > %d",
		Source:  "boto/boto3 #4632",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.MaxImages == 0 {
				return
			}
			n := 0
			eachBlock(r, func(_, _ int, b *ContentBlock) {
				if b.Image != nil {
					n++
				}
				if b.ToolResult != nil {
					for _, c := range b.ToolResult.Content {
						if c.Image != nil {
							n++
						}
					}
				}
			})
			if n > f.MaxImages {
				emit(f.MaxImages)
			}
		}},
	// V-40 for one image's size: Claude measures an image by its base64
	// form, so an image above about 3.75 MiB of bytes is refused. The
	// path is the one recorded on Converse in 2026 (image.source.bytes;
	// Anthropic's own API says image.source.base64, and a 2025 Converse
	// report image.source); inside a tool result it is inferred.
	{ID: "V-40", Name: "image-size", Layer: LayerModel, needs: hasImage,
		Message: "The model returned the following errors: %s.image.source.bytes: image exceeds 5 MB maximum: %d bytes > %d bytes",
		Source:  "aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws #778 (Claude Sonnet 4.6, Converse: messages.0.content.2, 7167852 bytes, the base64 length) and PR #841; aws/aws-sdk-js-v3 #6785 (Claude 3.5 Sonnet v2, 2025: the same text at messages.0.content.1.image.source)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.MaxImageBytes == 0 {
				return
			}
			firstMedia(r, true, func(i, j, k int, _ string, b []byte) bool {
				if n := Base64Len(len(b)); n > f.MaxImageBytes {
					emit(mediaPath(&r.Messages[i], i, j, k), n, f.MaxImageBytes)
					return true
				}
				return false
			})
		}},
	// V-39: Claude reads the image's bytes and refuses another format
	// than the one declared. Partly inferred: on Converse only the start
	// is recorded ("The model returned the following errors:
	// messages.0.content.1.image.so...", NousResearch/hermes-agent
	// #55429, Claude Sonnet 4.5, real JPEG bytes under another label);
	// the rest is Anthropic's own text (vybestack/llxprt-code #2130,
	// "...image.source.base64: The image was specified using the
	// image/jpeg media type, but the image appears to be a image/png
	// image"; ziatdinovmax/SciLink #382 quotes the sentence from Bedrock
	// through LiteLLM), with the path's tail as Converse records it for
	// image-size (image.source.bytes).
	{ID: "V-39", Name: "image-format-mismatch", Layer: LayerModel, needs: hasImage,
		Message: "The model returned the following errors: %s.image.source.bytes: The image was specified using the image/%s media type, but the image appears to be a image/%s image",
		Source:  "NousResearch/hermes-agent #55429 (live on Claude Sonnet 4.5: the prefix and path start); vybestack/llxprt-code #2130 (Anthropic's sentence); ziatdinovmax/SciLink #382 (Bedrock, Claude Opus 4.8, through LiteLLM) [Inferred: the path's tail]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.MediaBytesChecked {
				return
			}
			firstMedia(r, true, func(i, j, k int, format string, b []byte) bool {
				if got := SniffImageFormat(b); imageFormats[format] && got != "" && got != format {
					emit(mediaPath(&r.Messages[i], i, j, k), format, got)
					return true
				}
				return false
			})
		}},
	// V-39 for bytes that are no image Claude reads (not PNG, JPEG, GIF or
	// WebP: another image format, a document, text): Anthropic's API
	// answers "Could not process image" without a path
	// (anthropics/claude-code #6175: HTML saved as a .jpg). Bedrock's
	// prefix is inferred, as for every text Claude gives.
	{ID: "V-39", Name: "image-unreadable", Layer: LayerModel, needs: hasImage,
		Message: "The model returned the following errors: Could not process image",
		Source:  "anthropics/claude-code #6175 (HTML bytes as an image), #3386, #2519 (Anthropic API) [Inferred: the same text behind Bedrock's prefix]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.MediaBytesChecked {
				return
			}
			firstMedia(r, true, func(_, _, _ int, format string, b []byte) bool {
				if imageFormats[format] && SniffImageFormat(b) == "" {
					emit()
					return true
				}
				return false
			})
		}},
	// V-37 for a PDF that is not one. The text and its path are as
	// recorded on Converse (maximhq/bifrost #5472: an XLSX sent as format
	// pdf to Claude Sonnet 4.6, "messages.0.content.1.image.source.bytes:
	// The PDF specified was not valid."; Bedrock names the document's
	// source so); inside a tool result the path is inferred.
	{ID: "V-37", Name: "pdf-invalid", Layer: LayerModel, needs: hasDocument,
		Message: "The model returned the following errors: %s.image.source.bytes: The PDF specified was not valid.",
		Source:  "maximhq/bifrost #5472 (Claude Sonnet 4.6, Converse, XLSX bytes as format pdf) and PR #5947; Anthropic's own text for bytes that are no PDF (\"...pdf.source.base64.data: The PDF specified was not valid.\")",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.MediaBytesChecked {
				return
			}
			firstMedia(r, false, func(i, j, k int, format string, b []byte) bool {
				if format == "pdf" && !DocumentBytesParse(format, b) {
					emit(mediaPath(&r.Messages[i], i, j, k))
					return true
				}
				return false
			})
		}},
	// V-37 for the other formats: bytes that cannot be the declared
	// format (DocumentBytesParse: a docx that is no ZIP, a txt that is no
	// UTF-8 text). Refused only where it cannot be the format, so a
	// document Bedrock takes is never refused.
	{ID: "V-37", Name: "document-unparsable", Layer: LayerModel, needs: hasDocument,
		Message: "The model returned the following errors: %s.source.bytes: The document source bytes could not be parsed as the specified format. If using a text-based format, try source.text instead of source.bytes.",
		Source:  "maximhq/bifrost #5472 (Claude Sonnet 4.6, Converse, messages.0.content.1) [Inferred: which bytes of which format give it; the path inside a tool result]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.MediaBytesChecked {
				return
			}
			firstMedia(r, false, func(i, j, k int, format string, b []byte) bool {
				if format != "pdf" && !DocumentBytesParse(format, b) {
					emit(mediaPath(&r.Messages[i], i, j, k))
					return true
				}
				return false
			})
		}},
	{ID: "V-45", Name: "cache-point-count", Layer: LayerModel, needs: hasCachePoint,
		Message: "The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found %d.",
		Source:  "maximhq/bifrost PR #5931 (limit); Anthropic wording [Unsure on Bedrock]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if n := countCachePoints(r); f.Caching && n > MaxCachePoints {
				emit(n)
			}
		}},
	{ID: "V-49", Name: "cache-ttl-order", Layer: LayerModel, needs: hasCachePoint,
		Message: "The model returned the following errors: %s.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.",
		Source:  "Portkey-AI/gateway #1762 (Claude on Bedrock: a cache point without ttl on a tool result, then a ttl 1h one at messages.3.content.0); Anthropic's prompt caching page, \"Mixing different TTLs\"; the path is of the block the cache point marks, as Anthropic counts blocks (tools.N and system.N paths [Inferred])",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.AnthropicFields || !f.Caching {
				return
			}
			if path, ok := CacheTTLOutOfOrder(r); ok {
				emit(path)
			}
		}},
	{ID: "V-50", Name: "tool-cache-point-unsupported", Layer: LayerModel, needs: hasCachePoint,
		Message: "The model returned the following errors: Malformed input request: #/toolConfig/tools/%d: extraneous key [cachePoint] is not permitted, please reformat your input and try again.",
		Source:  "NousResearch/hermes-agent #97281 (Nova Pro, ConverseStream: #/toolConfig/tools/18, the cache point after 18 tools); danny-avila/LibreChat #13838 (#/toolConfig/tools/0); prompt caching page: Nova takes cache points in system and messages",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoToolCachePoints || r.ToolConfig == nil {
				return
			}
			for i, t := range r.ToolConfig.Tools {
				if t.CachePoint != nil {
					emit(i)
					return
				}
			}
		}},
	{ID: "V-5", Name: "no-prefill", Layer: LayerModel,
		Message: "The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message.",
		Source:  "anomalyco/opencode #29760; NousResearch/hermes-agent PR #101401",
		check: func(r *Request, f *Family, emit func(...any)) {
			if n := len(r.Messages); !f.Prefill && n > 0 && r.Messages[n-1].Role == RoleAssistant {
				emit()
			}
		}},
	{ID: "V-5", Name: "reasoning-only-turn", Layer: LayerModel, needs: hasReasoning,
		Message: "The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message.",
		Source:  "NousResearch/hermes-agent #105780 (Bedrock, thinking on: global.anthropic.claude-sonnet-5 and claude-fable-5-1 refuse an assistant turn of reasoningContent only with this text even when a user turn follows; claude-sonnet-4-6 takes it); contract reference V-5, \"Special case\"",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoReasoningOnlyTurn {
				return
			}
			for i := range r.Messages {
				if r.Messages[i].Role == RoleAssistant && OnlyReasoning(r.Messages[i].Content) {
					emit()
					return
				}
			}
		}},
	{ID: "V-5", Name: "prefill-after-tool-result", Layer: LayerModel, needs: hasToolResult,
		Message: "The model returned the following errors: Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported.",
		Source:  "realwire converse-error-model-prefill-with-tools (Claude 3 Haiku, 2026-01-22); accepted after plain user text: converse-assistant-prefill-with-tools-ok",
		check: func(r *Request, f *Family, emit func(...any)) {
			n := len(r.Messages)
			if !f.NoPrefillAfterResults || r.ToolConfig == nil || n < 2 || r.Messages[n-1].Role != RoleAssistant {
				return
			}
			// The user turns before the final one, which the provider
			// joins into one message.
			for i := n - 2; i >= 0 && r.Messages[i].Role == RoleUser; i-- {
				for bk := range r.Messages[i].Content {
					b := &r.Messages[i].Content[bk]
					if b.ToolResult != nil {
						emit()
						return
					}
				}
			}
		}},
	{ID: "V-36", Name: "document-s3-unsupported", Layer: LayerModel, needs: hasDocument,
		Message: "The model returned the following errors: messages.%d.content.%d.document.source.type: Field required",
		Source:  "realwire converse-error-model-document-source-type (Claude Sonnet 4.5, an s3Location document in a user turn)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoS3Media {
				return
			}
			done := false
			eachBlock(r, func(i, j int, b *ContentBlock) {
				if !done && b.Document != nil && b.Document.Source.S3Location != nil {
					emit(i, j)
					done = true
				}
			})
		}},
	{ID: "V-36", Name: "tool-result-document-unsupported", Layer: LayerModel, needs: hasDocument,
		Message: "The model returned the following errors: Malformed input request: #/messages/%d/content/%d: extraneous key [toolResult] is not permitted, please reformat your input and try again.",
		Source:  "realwire converse-error-model-malformed-input-no-errortype (Nova 2 Lite, an s3Location document inside toolResult.content)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.NoToolResultDocuments {
				return
			}
			for i, m := range r.Messages {
				for j := range m.Content {
					b := &m.Content[j]
					if b.ToolResult == nil {
						continue
					}
					for _, c := range b.ToolResult.Content {
						if c.Document != nil {
							emit(i, j)
							return
						}
					}
				}
			}
		}},
	// V-69: not in the contract reference (it stops at V-67; V-68 is
	// the first added). Converse passes toolChoice.tool to Claude as
	// tool_choice {"type": "tool"}, and Anthropic refuses a name no tool
	// declares.
	{ID: "V-69", Name: "tool-choice-undeclared", Layer: LayerModel,
		Message: "The model returned the following errors: Tool '%s' not found in provided tools",
		Source:  "Anthropic's Messages API text for a tool_choice naming no declared tool, seen through an Anthropic Messages proxy (tools [calc], tool_choice {\"type\":\"tool\",\"name\":\"web_search\"}: \"Tool 'web_search' not found in provided tools\"); Bedrock's prefix as for every Claude error it passes through [Inferred: no Bedrock capture]",
		check: func(r *Request, f *Family, emit func(...any)) {
			if !f.AnthropicFields || r.ToolConfig == nil || r.ToolConfig.ToolChoice == nil || r.ToolConfig.ToolChoice.Tool == nil {
				return
			}
			name := r.ToolConfig.ToolChoice.Tool.Name
			if len(nameConstraints(name, 64, toolNamePattern)) > 0 {
				return // refused by the schema (V-13), never sent to Claude
			}
			for _, t := range r.ToolConfig.Tools {
				if t.ToolSpec != nil && t.ToolSpec.Name == name {
					return
				}
			}
			emit(name)
		}},
	{ID: "V-28", Name: "thinking-forced-tool", Layer: LayerModel,
		Message: "The model returned the following errors: Thinking may not be enabled when tool_choice forces tool use.",
		Source:  "vercel/ai fixture amazon-bedrock-issue-11227-opus-4-5-error.json",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.AnthropicFields && ThinkingEnabled(r) && r.ToolConfig != nil && r.ToolConfig.ToolChoice != nil &&
				(r.ToolConfig.ToolChoice.Any != nil || r.ToolConfig.ToolChoice.Tool != nil) {
				emit()
			}
		}},
	{ID: "V-30", Name: "output-schema-unsupported", Layer: LayerModel, needs: hasSchema | hasModelFields,
		Message: "The model returned the following errors: output_config.format.schema: For '%s' type, property '%s' is not supported",
		Source:  "pydantic/pydantic-ai Bedrock captures (maxItems on an array, multipleOf on an integer, Claude Sonnet 4.5); vercel/ai fixture issue-17197-max-items-error.json; agentjido/req_llm #302 (minimum, Anthropic's own API)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if k, ok := outputSchemaFinding(r, f); ok && !k.MinItems() {
				emit(k.Type, k.Keyword)
			}
		}},
	{ID: "V-30", Name: "output-schema-min-items", Layer: LayerModel, needs: hasSchema | hasModelFields,
		Message: "The model returned the following errors: output_config.format.schema: For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [2, 5])",
		Source:  "the words of realwire converse-error-model-strict-tool-minitems under output_config.format.schema, as live calls through Anthropic's API quote them for minItems 2 to 6; \"(got: [2, 5])\" is the same whatever the value",
		check: func(r *Request, f *Family, emit func(...any)) {
			if k, ok := outputSchemaFinding(r, f); ok && k.MinItems() {
				emit()
			}
		}},
	{ID: "V-30", Name: "strict-tool-schema-open", Layer: LayerModel, needs: hasSchema,
		Message: "The model returned the following errors: tools.%d.custom: For 'object' type, 'additionalProperties' must be explicitly set to false",
		Source:  "vercel/ai fixture amazon-bedrock-strict-open-schema-error.json",
		check: func(r *Request, f *Family, emit func(...any)) {
			if i, _, ok := strictToolFinding(r, f, true); ok {
				emit(i)
			}
		}},
	{ID: "V-30", Name: "strict-tool-schema-unsupported", Layer: LayerModel, needs: hasSchema,
		Message: "The model returned the following errors: tools.%d.custom: For '%s' type, property '%s' is not supported",
		Source:  "pydantic/pydantic-ai Bedrock capture test_strict_tool_array_maxItems (maxItems on an array, Claude Sonnet 4.5); the other keywords are those output-schema-unsupported models, refused by the same constrained decoding",
		check: func(r *Request, f *Family, emit func(...any)) {
			if i, k, ok := strictToolFinding(r, f, false); ok && !k.MinItems() {
				emit(i, k.Type, k.Keyword)
			}
		}},
	{ID: "V-30", Name: "strict-tool-schema-min-items", Layer: LayerModel, needs: hasSchema,
		Message: "The model returned the following errors: tools.%d.custom: For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [2, 5])",
		Source:  "realwire converse-error-model-strict-tool-minitems (minItems 2 in a strict tool, Claude Sonnet 4.5); live calls quote the same \"(got: [2, 5])\" for minItems 3 to 6",
		check: func(r *Request, f *Family, emit func(...any)) {
			if i, k, ok := strictToolFinding(r, f, false); ok && k.MinItems() {
				emit(i)
			}
		}},
	{ID: "V-55", Name: "thinking-temperature", Layer: LayerModel,
		Message: "The model returned the following errors: temperature may only be set to 1 when thinking is enabled.",
		Source:  "Aider-AI/aider #3720",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.AnthropicFields && ThinkingEnabled(r) && r.InferenceConfig != nil && r.InferenceConfig.Temperature != nil && *r.InferenceConfig.Temperature != 1 {
				emit()
			}
		}},
	{ID: "V-56", Name: "thinking-adaptive-only", Layer: LayerModel,
		Message: "The model returned the following errors: \"thinking.type.enabled\" is not supported for this model. Use \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.",
		Source:  "Kilo-Org/kilocode #10732 (Opus 4.8 on Bedrock, 400 ValidationException); anomalyco/opencode #22863 (Opus 4.7); Bedrock's Claude Opus 4.7 model card (\"thinking.type: enabled with budget_tokens is not supported and will return a 400 error\")",
		check: func(r *Request, f *Family, emit func(...any)) {
			if f.AdaptiveThinkingOnly && ThinkingType(r) == "enabled" {
				emit()
			}
		}},
	{ID: "V-56", Name: "thinking-budget-max-tokens", Layer: LayerModel,
		Message: "`max_tokens` must be greater than `thinking.budget_tokens`.",
		Source:  "BerriAI/litellm #39627 (400, body {\"message\":\"`max_tokens` must be greater than `thinking.budget_tokens`.\"})",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; f.AnthropicFields && ic != nil && ic.MaxTokens != nil {
				if b, ok := ThinkingBudget(r); ok && *ic.MaxTokens <= b {
					emit()
				}
			}
		}},
	{ID: "V-56", Name: "thinking-budget-minimum", Layer: LayerModel,
		Message: "The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
		Source:  "danny-avila/LibreChat #8346",
		check: func(r *Request, f *Family, emit func(...any)) {
			if b, ok := ThinkingBudget(r); f.AnthropicFields && ok && b < MinThinkingBudget {
				emit()
			}
		}},
	{ID: "V-57", Name: "temperature-with-top-p", Layer: LayerModel,
		Message: "The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.",
		Source:  "aws-samples/sample-connector-for-bedrock #87 (global.anthropic.claude-sonnet-4-5); iOfficeAI/gemini-cli-pro PR #38 (global.anthropic.claude-opus-4-6-v1)",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; f.OneSamplingParameter && ic != nil && ic.Temperature != nil && ic.TopP != nil {
				emit()
			}
		}},
	{ID: "V-58", Name: "sampling-deprecated", Layer: LayerModel,
		Message: "The model returned the following errors: `%s` is deprecated for this model.",
		Source:  "vercel/ai fixtures amazon-bedrock-opus-5-deprecated-sampling-parameter.json and amazon-bedrock-opus-5-deprecated-top-p.json; browser-use/browser-use PR #5448 (Opus 4.7 and later)",
		check: func(r *Request, f *Family, emit func(...any)) {
			ic := r.InferenceConfig
			if !f.SamplingDeprecated || ic == nil {
				return
			}
			if ic.Temperature != nil {
				emit("temperature")
			}
			if ic.TopP != nil {
				emit("top_p")
			}
		}},
	{ID: "V-59", Name: "high-reasoning-max-tokens", Layer: LayerModel,
		Message: "The model returned the following errors: `maxTokens` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at https://docs.aws.amazon.com/nova/latest/userguide",
		Source:  "vercel/ai fixture amazon-bedrock-nova-2-high-reasoning-validation-error.json",
		check: func(r *Request, f *Family, emit func(...any)) {
			if ic := r.InferenceConfig; f.ReasoningConfig && ic != nil && ic.MaxTokens != nil && HighReasoning(r) {
				emit()
			}
		}},
	{ID: "V-6", Name: "final-trailing-whitespace", Layer: LayerModel,
		Message: "The model returned the following errors: messages: final assistant content cannot end with trailing whitespace",
		Source:  "aws/aws-sdk-net PR #4015; langchain-ai/langchain-aws PR #599",
		check: func(r *Request, f *Family, emit func(...any)) {
			n := len(r.Messages)
			if !f.NoTrailingWhitespace || n == 0 || r.Messages[n-1].Role != RoleAssistant {
				return
			}
			c := r.Messages[n-1].Content
			if len(c) == 0 || c[len(c)-1].Text == nil {
				return
			}
			if t := *c[len(c)-1].Text; t != "" && t != strings.TrimRightFunc(t, unicode.IsSpace) {
				emit()
			}
		}},
}

func init() {
	// The rules checked message by message sit together, so [check]
	// orders them in one run.
	first, last := -1, -1
	for i, r := range rules {
		if r.byMessage {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for _, r := range rules[max(first, 0) : last+1] {
		if !r.byMessage {
			panic("converse: rule " + r.Name + " sits among the rules checked message by message")
		}
	}
	for _, r := range rules {
		if r.Exception == "" {
			r.Exception = validation
		}
		if r.Status == 0 {
			r.Status = 400
		}
	}
}

// Rules returns the contract's rules in the order the service reports them.
// The returned rules must not be modified.
func Rules() []*Rule { return rules }

// ValidServiceTier reports whether tier is one of the service tiers the
// service model's ServiceTierType lists (V-67).
func ValidServiceTier(tier string) bool {
	switch tier {
	case TierPriority, TierDefault, TierFlex, TierReserved:
		return true
	}
	return false
}

// ValidDocumentName reports whether name passes the service's document
// name rule (V-31): letters, digits, underscores, hyphens, parentheses,
// square brackets and single spaces.
func ValidDocumentName(name string) bool {
	return docNamePattern.MatchString(name) && !strings.Contains(name, "  ")
}

// ValidToolName reports whether name is a valid tool name (V-13):
// 1 to 64 of [a-zA-Z0-9_-].
func ValidToolName(name string) bool { return validName(name, "_-") }

// ValidToolUseID reports whether id is a valid toolUseId (V-14):
// 1 to 64 of [a-zA-Z0-9_.:-].
func ValidToolUseID(id string) bool { return validName(id, "_.:-") }

// validName checks 1 to 64 ASCII letters, digits and the given extras
// without a regexp: it runs for every tool block of every request.
func validName(s, extra string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// nameConstraints returns the schema constraints s breaks, in the
// service's wording.
func nameConstraints(s string, max int, re *regexp.Regexp) []string {
	if fast := validName(s, extraFor[re]); fast && max == 64 {
		return nil
	}
	var out []string
	if s == "" {
		out = append(out, "have length greater than or equal to 1")
	} else if len(s) > max {
		out = append(out, fmt.Sprintf("have length less than or equal to %d", max))
	}
	if !re.MatchString(s) {
		out = append(out, "satisfy regular expression pattern: "+strings.Trim(re.String(), "^$"))
	}
	return out
}

func eachBlock(r *Request, fn func(i, j int, b *ContentBlock)) {
	for i := range r.Messages {
		c := r.Messages[i].Content
		for j := range c {
			fn(i, j, &c[j])
		}
	}
}

func eachDocument(r *Request, fn func(d *DocumentBlock)) {
	eachBlock(r, func(_, _ int, b *ContentBlock) {
		if b.Document != nil {
			fn(b.Document)
		}
		if b.ToolResult != nil {
			for _, c := range b.ToolResult.Content {
				if c.Document != nil {
					fn(c.Document)
				}
			}
		}
	})
}

func hasToolBlocks(r *Request) bool {
	found := false
	eachBlock(r, func(_, _ int, b *ContentBlock) {
		found = found || b.ToolUse != nil || b.ToolResult != nil
	})
	return found
}

func countCachePoints(r *Request) int {
	n := 0
	for _, s := range r.System {
		if s.CachePoint != nil {
			n++
		}
	}
	if r.ToolConfig != nil {
		for _, t := range r.ToolConfig.Tools {
			if t.CachePoint != nil {
				n++
			}
		}
	}
	eachBlock(r, func(_, _ int, b *ContentBlock) {
		if b.CachePoint != nil {
			n++
		}
	})
	return n
}

// toolCounts counts the toolUse and the toolResult blocks of m.
// toolCounts counts the tool calls of m the application answers and the
// results m holds for calls of the turn before. A system tool's call
// (toolUse type server_tool_use) and its result in the same assistant
// turn are the service's own exchange: neither counts (realwire
// converse-server-tool-nova-ok, where the answer holds both).
func toolCounts(m Message) (uses, results int) {
	server := false
	for k := range m.Content {
		if u := m.Content[k].ToolUse; u != nil {
			if u.Server() {
				server = true
			} else {
				uses++
			}
		}
		if m.Content[k].ToolResult != nil {
			results++
		}
	}
	if server {
		for k := range m.Content {
			if r := m.Content[k].ToolResult; r != nil && ServerResult(m, r) {
				results--
			}
		}
	}
	return uses, results
}

// ServerResult reports whether r, a result in m, answers a system tool's
// call made in m (toolUse type server_tool_use): the service ran the tool
// and wrote the result into the same assistant turn, so it answers no
// call of the turn before and needs no result from the application.
func ServerResult(m Message, r *ToolResultBlock) bool {
	if m.Role != RoleAssistant {
		return false
	}
	for k := range m.Content {
		if u := m.Content[k].ToolUse; u != nil && u.Server() && u.ToolUseID == r.ToolUseID {
			return true
		}
	}
	return false
}

// answers reports whether blocks hold a toolResult for id.
func answers(blocks []ContentBlock, id string) bool {
	for _, b := range blocks {
		if b.ToolResult != nil && b.ToolResult.ToolUseID == id {
			return true
		}
	}
	return false
}

func toolIDs(m Message, kind string) []string {
	var ids []string
	for k := range m.Content {
		b := &m.Content[k]
		switch {
		case kind == "toolUse" && b.ToolUse != nil:
			ids = append(ids, b.ToolUse.ToolUseID)
		case kind == "toolResult" && b.ToolResult != nil:
			ids = append(ids, b.ToolResult.ToolUseID)
		}
	}
	return ids
}

// duplicates returns each id that occurs more than once, in first-seen order.
func duplicates(ids []string) []string {
	if len(ids) < 2 {
		return nil
	}
	seen := make(map[string]int, len(ids))
	var out []string
	for _, id := range ids {
		seen[id]++
		if seen[id] == 2 {
			out = append(out, id)
		}
	}
	return out
}

// isBlank reports whether s is empty or only white space.
func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// isJSONObject reports whether raw is a JSON object.
func isJSONObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// javaFloat formats v as the service's Java backend prints it: 1.5, 2.0.
func javaFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// outputSchemaFinding returns the first finding of [ClaudeOutputSchema]
// in r's structured-output schema, for a Claude family: outputConfig's,
// else Claude's own output_config passed through
// additionalModelRequestFields, which is held to the same.
func outputSchemaFinding(r *Request, f *Family) (SchemaKeyword, bool) {
	if !f.AnthropicFields {
		return SchemaKeyword{}, false
	}
	if js := r.OutputConfig.JSONSchema(); js != nil {
		if _, found := ClaudeOutputSchema(js.Schema); len(found) > 0 {
			return found[0], true
		}
	}
	if s := NativeOutputSchema(r); s != nil {
		if _, found := ClaudeOutputSchema(string(s)); len(found) > 0 {
			return found[0], true
		}
	}
	return SchemaKeyword{}, false
}

// strictToolFinding returns the first finding of [ClaudeStrictToolSchema]
// in r's strict tools, for a Claude family, with the tool's index among
// the tool specs (the index of the provider's tools array the message
// names): the first object left open when open is true, else the first
// refused keyword. An open object is reported before any keyword,
// wherever it sits: the SDKs send a schema's members in an order of
// their own (the Go SDK sorts them), so the order of the two kinds in
// the request cannot decide which the service names.
func strictToolFinding(r *Request, f *Family, open bool) (int, SchemaKeyword, bool) {
	if !f.AnthropicFields || r.ToolConfig == nil {
		return 0, SchemaKeyword{}, false
	}
	i := 0
	for _, t := range r.ToolConfig.Tools {
		s := t.ToolSpec
		if s == nil {
			continue
		}
		if s.Strict != nil && *s.Strict {
			_, found := ClaudeStrictToolSchema(s.InputSchema.JSON)
			for _, k := range found {
				if k.OpenObject() == open {
					return i, k, true
				}
			}
		}
		i++
	}
	return 0, SchemaKeyword{}, false
}

// CacheTTL is the ttl a cache point asks for: "5m" unless it says "1h"
// (Anthropic's default, and the one of a cache point without ttl).
func CacheTTL(c *CachePoint) string {
	if c.TTL == "1h" {
		return "1h"
	}
	return "5m"
}

// HasExtendedTTL reports whether a cache point of r, among the tools, in
// the system prompt or in the messages, asks for ttl 1h (V-68).
func HasExtendedTTL(r *Request) bool {
	if tc := r.ToolConfig; tc != nil {
		for _, t := range tc.Tools {
			if t.CachePoint != nil && CacheTTL(t.CachePoint) == "1h" {
				return true
			}
		}
	}
	for _, s := range r.System {
		if s.CachePoint != nil && CacheTTL(s.CachePoint) == "1h" {
			return true
		}
	}
	found := false
	eachBlock(r, func(_, _ int, b *ContentBlock) {
		found = found || (b.CachePoint != nil && CacheTTL(b.CachePoint) == "1h")
	})
	return found
}

// CacheTTLOutOfOrder reports whether a cache point with ttl 1h comes after
// one with ttl 5m (or none) in the order Anthropic reads a prompt: tools,
// system, messages (V-49). It returns the Anthropic path of the block the
// first such cache point marks, the block right before it, counted
// without the cache points: "tools.1", "system.0",
// "messages.3.content.0".
func CacheTTLOutOfOrder(r *Request) (string, bool) {
	// short: a 5m cache point was seen. In each list, n counts the blocks
	// before a cache point that are not cache points: the block it marks
	// is the last of them.
	short := false
	check := func(c *CachePoint) bool {
		if CacheTTL(c) == "5m" {
			short = true
			return false
		}
		return short
	}
	if tc := r.ToolConfig; tc != nil {
		n := 0
		for _, t := range tc.Tools {
			if t.CachePoint == nil {
				n++
			} else if check(t.CachePoint) {
				return fmt.Sprintf("tools.%d", max(n-1, 0)), true
			}
		}
	}
	n := 0
	for _, s := range r.System {
		if s.CachePoint == nil {
			n++
		} else if check(s.CachePoint) {
			return fmt.Sprintf("system.%d", max(n-1, 0)), true
		}
	}
	for i, m := range r.Messages {
		n := 0
		for j := range m.Content {
			if c := m.Content[j].CachePoint; c == nil {
				n++
			} else if check(c) {
				return fmt.Sprintf("messages.%d.content.%d", i, max(n-1, 0)), true
			}
		}
	}
	return "", false
}
