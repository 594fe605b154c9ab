// Package converse is the Amazon Bedrock Converse wire model and the
// contract validator.
//
// The types mirror the JSON the Converse and ConverseStream operations take
// and return, field for field, so a request built here marshals to exactly
// the body the service receives. To use it:
//
//  1. Build or decode a [Request].
//  2. Pick the model's [Family] with [FamilyForModel] or [LookupFamily].
//  3. Call [Validate] for the first broken rule, as the service would report
//     it, or [Check] for every broken rule.
//  4. Convert to the AWS SDK with [Request.ToSDK] when calling Bedrock.
//
// The rules are data: see [Rules]. Each carries the exception type, HTTP
// status and the exact message text the service returns.
package converse

import "encoding/json"

// Role is a message author as the Converse API names it.
type Role = string

// The roles Converse accepts in messages.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Request is a Converse request body. The model id travels in the URL path,
// never in the body, so it is not a field here.
type Request struct {
	Messages                          []Message          `json:"messages,omitempty"`
	System                            []SystemBlock      `json:"system,omitempty"`
	InferenceConfig                   *InferenceConfig   `json:"inferenceConfig,omitempty"`
	ToolConfig                        *ToolConfig        `json:"toolConfig,omitempty"`
	GuardrailConfig                   *GuardrailConfig   `json:"guardrailConfig,omitempty"`
	AdditionalModelRequestFields      json.RawMessage    `json:"additionalModelRequestFields,omitempty"`
	AdditionalModelResponseFieldPaths []string           `json:"additionalModelResponseFieldPaths,omitempty"`
	RequestMetadata                   map[string]string  `json:"requestMetadata,omitempty"`
	PerformanceConfig                 *PerformanceConfig `json:"performanceConfig,omitempty"`
	// ServiceTier is the tier that serves the request (priority,
	// default, flex or reserved); without it the service uses default.
	ServiceTier *ServiceTier `json:"serviceTier,omitempty"`
	// OutputConfig asks for structured output (a JSON schema the answer
	// follows) or sets the model's effort.
	OutputConfig *OutputConfig `json:"outputConfig,omitempty"`
}

// Message is one turn of the conversation.
type Message struct {
	Role    Role           `json:"role"`
	Content []ContentBlock `json:"content"`
}

// ContentBlock is a union: exactly one member is set.
type ContentBlock struct {
	Text             *string           `json:"text,omitempty"`
	Image            *ImageBlock       `json:"image,omitempty"`
	Document         *DocumentBlock    `json:"document,omitempty"`
	ToolUse          *ToolUseBlock     `json:"toolUse,omitempty"`
	ToolResult       *ToolResultBlock  `json:"toolResult,omitempty"`
	ReasoningContent *ReasoningContent `json:"reasoningContent,omitempty"`
	CachePoint       *CachePoint       `json:"cachePoint,omitempty"`
	GuardContent     json.RawMessage   `json:"guardContent,omitempty"`
	// Video is a video block, kept as JSON: the validator checks whether
	// the family takes video; nothing else looks inside.
	Video json.RawMessage `json:"video,omitempty"`
	// Audio is an audio block, kept as JSON.
	Audio json.RawMessage `json:"audio,omitempty"`
	// SearchResult is a search result (source, title, text content and
	// its citations setting) the application retrieved, kept as JSON.
	SearchResult json.RawMessage `json:"searchResult,omitempty"`
	// CitationsContent is an answer's text with its citations, as a
	// model returns it with citations enabled and an application sends
	// it back in the assistant turn, kept as JSON.
	CitationsContent json.RawMessage `json:"citationsContent,omitempty"`

	// Source is the AWS SDK block this one was converted from, if any.
	// [MessagesToSDK] sends it back as it was wherever the block is
	// unchanged, keeps its other fields where only the owned ones changed,
	// and sends it alone for a member this model does not have (audio,
	// video, citations, guard content, search results...). It is never
	// part of the wire body.
	Source any `json:"-"`
}

// TextBlock returns a content block holding text s.
func TextBlock(s string) ContentBlock { return ContentBlock{Text: &s} }

// Kind names the member that is set, or "" when none is.
func (b *ContentBlock) Kind() string {
	switch {
	case b.Text != nil:
		return "text"
	case b.Image != nil:
		return "image"
	case b.Document != nil:
		return "document"
	case b.ToolUse != nil:
		return "toolUse"
	case b.ToolResult != nil:
		return "toolResult"
	case b.ReasoningContent != nil:
		return "reasoningContent"
	case b.CachePoint != nil:
		return "cachePoint"
	case b.GuardContent != nil:
		return "guardContent"
	case b.Video != nil:
		return "video"
	case b.Audio != nil:
		return "audio"
	case b.SearchResult != nil:
		return "searchResult"
	case b.CitationsContent != nil:
		return "citationsContent"
	}
	return ""
}

// RawMember returns the name and JSON of the member of b that the wire
// model keeps as raw JSON (guardContent, video, audio, searchResult,
// citationsContent), or "" and nil when b sets none of them.
func (b *ContentBlock) RawMember() (string, json.RawMessage) {
	switch {
	case b.GuardContent != nil:
		return "guardContent", b.GuardContent
	case b.Video != nil:
		return "video", b.Video
	case b.Audio != nil:
		return "audio", b.Audio
	case b.SearchResult != nil:
		return "searchResult", b.SearchResult
	case b.CitationsContent != nil:
		return "citationsContent", b.CitationsContent
	}
	return "", nil
}

// RawBlock returns the content block whose member name, one that
// [ContentBlock.RawMember] returns, holds raw, and false for any other
// name.
func RawBlock(name string, raw json.RawMessage) (ContentBlock, bool) {
	var b ContentBlock
	switch name {
	case "guardContent":
		b.GuardContent = raw
	case "video":
		b.Video = raw
	case "audio":
		b.Audio = raw
	case "searchResult":
		b.SearchResult = raw
	case "citationsContent":
		b.CitationsContent = raw
	default:
		return b, false
	}
	return b, true
}

// ImageBlock is an image in a user message or a tool result.
type ImageBlock struct {
	Format string      `json:"format"` // png, jpeg, gif or webp
	Source MediaSource `json:"source"`
}

// MediaSource is where image or document bytes come from. Bytes travel
// base64-encoded on the wire, which encoding/json does for []byte.
type MediaSource struct {
	Bytes      []byte      `json:"bytes,omitempty"`
	S3Location *S3Location `json:"s3Location,omitempty"`
	Text       *string     `json:"text,omitempty"` // documents only, with citations
	// Content is a document's text in chunks, which citations point
	// into by chunk index (documents only; Bedrock API reference:
	// DocumentSource, DocumentContentBlock).
	Content []DocumentContent `json:"content,omitempty"`
}

// DocumentContent is one chunk of a document's content source.
type DocumentContent struct {
	Text *string `json:"text,omitempty"`
}

// S3Location points at an object in Amazon S3.
type S3Location struct {
	URI         string `json:"uri"`
	BucketOwner string `json:"bucketOwner,omitempty"`
}

// DocumentBlock is a document attached to a user message.
type DocumentBlock struct {
	Name    string      `json:"name"`
	Format  string      `json:"format,omitempty"`
	Source  MediaSource `json:"source"`
	Context string      `json:"context,omitempty"`
	// Citations asks the model to cite the document: its answer comes
	// as citationsContent blocks.
	Citations *CitationsConfig `json:"citations,omitempty"`
}

// CitationsConfig turns citations on or off for a document or a search
// result.
type CitationsConfig struct {
	Enabled bool `json:"enabled"`
}

// ToolUseBlock is a tool call made by the assistant.
type ToolUseBlock struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	// Type is the call's kind as the service marks it in an answer:
	// [ToolUseServer] for a call of a system tool (Nova 2's
	// nova_code_interpreter), which the service runs and answers in the
	// same assistant turn; "tool_use", or nothing, for a call of a
	// declared tool the application answers.
	Type string `json:"type,omitempty"`
}

// ToolUseServer is the [ToolUseBlock.Type] of a system tool's call
// (Amazon Nova user guide, "Using built-in tools"; AWS SDK for Go v2
// types.ToolUseTypeServerToolUse).
const ToolUseServer = "server_tool_use"

// Server reports whether u calls a system tool: the service runs it and
// its result follows in the same assistant turn, so the next user turn
// holds no result for it.
func (u *ToolUseBlock) Server() bool { return u.Type == ToolUseServer }

// ToolResultBlock answers a tool call of the previous assistant turn, or,
// in an assistant turn, a system tool's call made just before it.
type ToolResultBlock struct {
	ToolUseID string              `json:"toolUseId"`
	Content   []ToolResultContent `json:"content"`
	Status    string              `json:"status,omitempty"` // success or error
	// Type is the result's kind as the service marks a system tool's
	// result ("nova_code_interpreter_result"); empty for a result the
	// application sends.
	Type string `json:"type,omitempty"`
}

// ToolResultContent is a union: exactly one member is set.
type ToolResultContent struct {
	Text     *string         `json:"text,omitempty"`
	JSON     json.RawMessage `json:"json,omitempty"`
	Image    *ImageBlock     `json:"image,omitempty"`
	Document *DocumentBlock  `json:"document,omitempty"`
	// Video is a video result, kept as JSON (see [ContentBlock.Video]).
	Video json.RawMessage `json:"video,omitempty"`
	// SearchResult is a search result the tool returned, kept as JSON
	// (see [ContentBlock.SearchResult]).
	SearchResult json.RawMessage `json:"searchResult,omitempty"`

	// Source is the AWS SDK item this one was converted from; see
	// [ContentBlock.Source].
	Source any `json:"-"`
}

// RawMember returns the name and JSON of the member of c that the wire
// model keeps as raw JSON (video, searchResult), or "" and nil.
func (c *ToolResultContent) RawMember() (string, json.RawMessage) {
	switch {
	case c.Video != nil:
		return "video", c.Video
	case c.SearchResult != nil:
		return "searchResult", c.SearchResult
	}
	return "", nil
}

// RawResultContent returns the tool result item whose member name, one
// that [ToolResultContent.RawMember] returns, holds raw, and false for
// any other name.
func RawResultContent(name string, raw json.RawMessage) (ToolResultContent, bool) {
	var c ToolResultContent
	switch name {
	case "video":
		c.Video = raw
	case "searchResult":
		c.SearchResult = raw
	default:
		return c, false
	}
	return c, true
}

// ReasoningContent is a model's reasoning, replayed in an assistant turn.
type ReasoningContent struct {
	ReasoningText   *ReasoningText `json:"reasoningText,omitempty"`
	RedactedContent []byte         `json:"redactedContent,omitempty"`
}

// ReasoningText is visible reasoning with the provider's signature.
type ReasoningText struct {
	Text      string `json:"text"`
	Signature string `json:"signature,omitempty"`
}

// CachePoint marks the end of a prompt-cache prefix.
type CachePoint struct {
	Type string `json:"type"` // default
	TTL  string `json:"ttl,omitempty"`
}

// SystemBlock is a union: exactly one member is set.
type SystemBlock struct {
	Text         *string         `json:"text,omitempty"`
	CachePoint   *CachePoint     `json:"cachePoint,omitempty"`
	GuardContent json.RawMessage `json:"guardContent,omitempty"`

	// Source is the AWS SDK block this one was converted from; see
	// [ContentBlock.Source].
	Source any `json:"-"`
}

// InferenceConfig holds the common inference parameters.
type InferenceConfig struct {
	MaxTokens     *int     `json:"maxTokens,omitempty"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

// ToolConfig declares the tools the model may call.
type ToolConfig struct {
	Tools      []Tool      `json:"tools"`
	ToolChoice *ToolChoice `json:"toolChoice,omitempty"`
}

// Tool is a union: exactly one member is set.
type Tool struct {
	ToolSpec *ToolSpec `json:"toolSpec,omitempty"`
	// SystemTool turns on a tool the model's provider defines and the
	// service runs (Nova 2's nova_code_interpreter and nova_grounding).
	SystemTool *SystemTool `json:"systemTool,omitempty"`
	CachePoint *CachePoint `json:"cachePoint,omitempty"`

	// Source is the AWS SDK tool this one was converted from; see
	// [ContentBlock.Source].
	Source any `json:"-"`
}

// SystemTool names a system-defined tool (Bedrock API reference,
// SystemTool; Amazon Nova user guide, "Using built-in tools").
type SystemTool struct {
	Name string `json:"name"`
}

// ToolSpec defines one tool.
type ToolSpec struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	InputSchema InputSchema `json:"inputSchema"`
	// Strict asks the model to keep its calls to the schema exactly
	// (constrained decoding); nil leaves the model's default.
	Strict *bool `json:"strict,omitempty"`
}

// InputSchema holds a tool's JSON schema.
type InputSchema struct {
	JSON json.RawMessage `json:"json"`
}

// ToolChoice is a union: auto, any, or one named tool. There is no "none".
type ToolChoice struct {
	Auto *struct{}       `json:"auto,omitempty"`
	Any  *struct{}       `json:"any,omitempty"`
	Tool *ToolChoiceTool `json:"tool,omitempty"`
}

// ToolChoiceTool forces a call to the named tool.
type ToolChoiceTool struct {
	Name string `json:"name"`
}

// GuardrailConfig names a guardrail to apply.
type GuardrailConfig struct {
	GuardrailIdentifier string `json:"guardrailIdentifier"`
	GuardrailVersion    string `json:"guardrailVersion"`
	Trace               string `json:"trace,omitempty"`
}

// PerformanceConfig selects latency-optimized inference.
type PerformanceConfig struct {
	Latency string `json:"latency,omitempty"`
}

// The latencies of a [PerformanceConfig].
const (
	LatencyStandard  = "standard"
	LatencyOptimized = "optimized"
)

// ServiceTier is the processing tier a request asks for, and a response
// says served it: Type is "priority", "default", "flex" or "reserved".
type ServiceTier struct {
	Type string `json:"type,omitempty"`
}

// The service tiers, as the service model's ServiceTierType lists them.
const (
	TierPriority = "priority"
	TierDefault  = "default"
	TierFlex     = "flex"
	TierReserved = "reserved"
)

// ServiceTierHeader and LatencyHeader carry an InvokeModel or
// InvokeModelWithResponseStream call's service tier and latency, in the
// request and in the response that says what served it: the service
// model's serviceTier and performanceConfigLatency members of the four
// shapes are HTTP headers of these names (AWS SDK for Go v2
// bedrockruntime, InvokeModelInput.ServiceTier and its schema), where
// Converse has them in its body, whose Request holds ServiceTier.
const (
	ServiceTierHeader = "X-Amzn-Bedrock-Service-Tier"
	LatencyHeader     = "X-Amzn-Bedrock-PerformanceConfig-Latency"
)

// OutputConfig asks for a structured answer or sets the model's effort.
type OutputConfig struct {
	// TextFormat constrains the answer's text to a JSON schema.
	TextFormat *OutputFormat `json:"textFormat,omitempty"`
	// Effort is the effort level ("low" to "max") for models that take one.
	Effort string `json:"effort,omitempty"`
}

// JSONSchema returns the JSON schema the answer must follow, or nil when
// o (which may be nil) asks for none.
func (o *OutputConfig) JSONSchema() *JSONSchemaDefinition {
	if o == nil || o.TextFormat == nil {
		return nil
	}
	return o.TextFormat.Structure.JSONSchema
}

// OutputFormat is a structured output format: Type "json_schema", with
// the schema in Structure.
type OutputFormat struct {
	Type      string                `json:"type"`
	Structure OutputFormatStructure `json:"structure"`
}

// OutputFormatStructure is a union whose one member is JSONSchema.
type OutputFormatStructure struct {
	JSONSchema *JSONSchemaDefinition `json:"jsonSchema,omitempty"`
}

// JSONSchemaDefinition is the JSON schema an answer must follow. Schema
// holds the schema's JSON text, as the API takes it: a string.
type JSONSchemaDefinition struct {
	Schema      string `json:"schema"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// Response is a Converse response body.
type Response struct {
	Output                        Output          `json:"output"`
	StopReason                    string          `json:"stopReason"`
	Usage                         Usage           `json:"usage"`
	Metrics                       Metrics         `json:"metrics"`
	AdditionalModelResponseFields json.RawMessage `json:"additionalModelResponseFields,omitempty"`
	Trace                         json.RawMessage `json:"trace,omitempty"`
	// PerformanceConfig and ServiceTier say how the request was served.
	PerformanceConfig *PerformanceConfig `json:"performanceConfig,omitempty"`
	ServiceTier       *ServiceTier       `json:"serviceTier,omitempty"`
}

// Output is a union holding the assistant's message.
type Output struct {
	Message *Message `json:"message,omitempty"`
}

// Usage counts tokens.
type Usage struct {
	InputTokens           int `json:"inputTokens"`
	OutputTokens          int `json:"outputTokens"`
	TotalTokens           int `json:"totalTokens"`
	CacheReadInputTokens  int `json:"cacheReadInputTokens,omitempty"`
	CacheWriteInputTokens int `json:"cacheWriteInputTokens,omitempty"`
}

// Metrics reports the service-side latency.
type Metrics struct {
	LatencyMs int64 `json:"latencyMs"`
}
