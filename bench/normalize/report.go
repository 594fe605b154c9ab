package normalize

import "fmt"

// Code says why the normalizer changed something. Codes are stable: tools
// and golden files match on them.
type Code string

// The changes the normalizer makes, each with the contract rule it serves.
const (
	// SystemHoisted: a leading system or developer message moved to the
	// system field.
	SystemHoisted Code = "system-hoisted"
	// SystemInlined: a later system or developer message became marked user
	// text in place, so the cached prefix stays the same turn to turn (V-4).
	SystemInlined Code = "system-inlined"
	// SystemUnsupported: the family has no system prompts; the system text
	// opens the first user message instead (V-10).
	SystemUnsupported Code = "system-unsupported"
	// EmptyTextDropped: an empty or white-space-only text was removed (V-7, V-8).
	EmptyTextDropped Code = "empty-text-dropped"
	// EmptyMessageDropped: a message left with no content was removed (V-3).
	EmptyMessageDropped Code = "empty-message-dropped"
	// TurnsMerged: neighbouring messages of the same role became one (V-2).
	TurnsMerged Code = "turns-merged"
	// ToolResultsFirst: in a user turn, tool results were moved before
	// the other blocks (a merged turn, or a message that put text
	// between them), or into the order of their calls.
	ToolResultsFirst Code = "tool-results-first"
	// LeadingAssistant: the history starts with the assistant; a
	// placeholder user turn "." was put before it (V-1).
	LeadingAssistant Code = "leading-assistant"
	// EmptyConversation: there was no message at all; a placeholder user
	// turn "." was added (V-1).
	EmptyConversation Code = "empty-conversation"
	// ToolResultSynthesized: a tool call had no result; an error result
	// with the call's id was added (V-19).
	ToolResultSynthesized Code = "tool-result-synthesized"
	// OrphanResultToText: a tool result answered no call of the previous
	// turn; it became text that keeps its id (V-20).
	OrphanResultToText Code = "orphan-result-to-text"
	// DuplicateToolCall: a tool call identical to an earlier one of the
	// turn (same id, name and input) was removed (V-21).
	DuplicateToolCall Code = "duplicate-tool-call-removed"
	// DuplicateToolCallRenamed: a tool call shared its id with an earlier
	// call of the turn but not its name or input; it got a new unique id,
	// and the second result for that id, matched by order, answers it
	// (V-21).
	DuplicateToolCallRenamed Code = "duplicate-tool-call-renamed"
	// ToolResultMoved: a tool result logged before its call moved to the
	// user turn right after the call (V-20).
	ToolResultMoved Code = "tool-result-moved"
	// DuplicateToolResult: a result identical to an earlier one for the
	// same id in one turn was removed (V-21).
	DuplicateToolResult Code = "duplicate-tool-result-removed"
	// ToolNameMapped: a tool name was rewritten to the allowed pattern, the
	// same way in the tool definitions and the history (V-13).
	ToolNameMapped Code = "tool-name-mapped"
	// ToolIDMapped: a tool call id was rewritten, the same way in the call
	// and its result (V-14, V-15).
	ToolIDMapped Code = "tool-id-mapped"
	// ToolBlocksFlattened: the request declares no tools (or the family has
	// none), so tool calls and results became text that keeps their ids
	// (V-11, V-25).
	ToolBlocksFlattened Code = "tool-blocks-flattened"
	// ToolInputWrapped: a tool call's input was not a JSON object; it was
	// wrapped as {"value": ...} (V-16).
	ToolInputWrapped Code = "tool-input-wrapped"
	// ToolJSONToText: a JSON tool result that was not an object became
	// text (V-18).
	ToolJSONToText Code = "tool-json-to-text"
	// ToolResultFilled: an empty tool result got a placeholder text (V-8, V-22).
	ToolResultFilled Code = "tool-result-filled"
	// ToolResultSplit: the family wants tool results alone in their turn,
	// or (Claude) none beside a document other than a PDF; the rest moved
	// to a following turn (V-23).
	ToolResultSplit Code = "tool-result-split"
	// ToolResultImageMoved: an image inside a tool result, which the
	// family refuses there (V-42: OpenAI models), moved right after the
	// turn's tool results, where it takes images; the result keeps a
	// note in its place.
	ToolResultImageMoved Code = "tool-result-image-moved"
	// ToolUseSplit: the family wants tool calls alone in their assistant
	// turn; the rest moved to an assistant turn before them, followed by a
	// placeholder user turn (V-23).
	ToolUseSplit Code = "tool-use-split"
	// ToolSchemaReplaced: a tool's input schema was not a JSON object (V-17).
	ToolSchemaReplaced Code = "tool-schema-replaced"
	// ToolChoiceChanged: the tool choice is not supported as given (V-27).
	ToolChoiceChanged Code = "tool-choice-changed"
	// ToolsUnsupported: the family has no tool use; the tool definitions
	// were dropped (V-25).
	ToolsUnsupported Code = "tools-unsupported"
	// UnsignedReasoningDropped: reasoning without a signature cannot be
	// replayed and was removed (V-54).
	UnsignedReasoningDropped Code = "unsigned-reasoning-dropped"
	// ReasoningInUserDropped: reasoning in a user message was removed (V-51).
	// ReasoningOnlyTurnDropped: an assistant turn made only of reasoning,
	// which the family refuses even before a user turn (V-5: Claude 5),
	// was removed, and the user turns around it merged.
	ReasoningOnlyTurnDropped Code = "reasoning-only-turn-dropped"
	ReasoningInUserDropped   Code = "reasoning-in-user-dropped"
	// ThinkingDisabled: thinking was enabled, but the assistant message
	// that opens the turn the request ends in does not start with its
	// thinking (never stored, or unsigned and dropped); "thinking" was
	// removed from additionalModelRequestFields for this call, as the
	// service's own message advises (V-52).
	ThinkingDisabled Code = "thinking-disabled"
	// ThinkingBudgetRaised: thinking's budget_tokens was below the 1,024
	// Anthropic takes and was raised to it in additionalModelRequestFields
	// (V-56).
	ThinkingBudgetRaised Code = "thinking-budget-raised"
	// TrailingWhitespaceTrimmed: the final assistant text lost its trailing
	// white space (V-6).
	TrailingWhitespaceTrimmed Code = "trailing-whitespace-trimmed"
	// PrefillUnsupported: the family rejects a final assistant turn; a
	// placeholder user turn "." was appended (V-5).
	PrefillUnsupported Code = "prefill-unsupported"
	// MediaToText: an image or document that cannot be sent (a web URL, an
	// unknown format, in an assistant turn, over the count; for Claude,
	// bytes that are no image or do not parse as the document's format,
	// an image over 5 MB of base64), or a video for a model without video
	// input, became a text note naming it (V-38, V-40, V-41, V-34, V-39,
	// V-37, V-42).
	MediaToText Code = "media-to-text"
	// MediaFormatMapped: a media type the service does not name (image/jpg,
	// text/plain) was mapped to its format name (jpeg, txt) (V-38).
	MediaFormatMapped Code = "media-format-mapped"
	// ImageFormatFromBytes: an image's bytes are a PNG, JPEG, GIF or WebP
	// image of another format than the history named; it goes as the
	// format its bytes are, which the model reads (V-39).
	ImageFormatFromBytes Code = "image-format-from-bytes"
	// DocumentRenamed: a document name was rewritten to the allowed
	// characters or made unique (V-31, V-32, V-33).
	DocumentRenamed Code = "document-renamed"
	// DocumentTextAdded: a message with a document got the text block the
	// service requires (V-35).
	DocumentTextAdded Code = "document-text-added"
	// CachePointDropped: a cache point that the service would refuse was
	// removed (V-44 to V-48, V-50).
	CachePointDropped Code = "cache-point-dropped"
	// CacheTTLRaised: a cache point with ttl 5m (or none) came before
	// one with ttl 1h, which Anthropic refuses; its ttl was raised to 1h
	// (V-49).
	CacheTTLRaised Code = "cache-ttl-raised"
	// CacheTTLLowered: a cache point asked for ttl 1h on a family that
	// caches for 5 minutes only (V-68: Nova, Nova 2); the ttl was dropped,
	// so the cache point caches for the default 5 minutes.
	CacheTTLLowered Code = "cache-ttl-lowered"
	// CachePointMoved: a cache point inside a tool result's content
	// (Anthropic's cache_control on a block of a tool_result), where
	// Converse takes none, was put right after the tool result.
	CachePointMoved Code = "cache-point-moved"
	// InferenceClamped: an inference parameter was outside its range
	// (V-60), or maxTokens above the model's output limit (V-61).
	InferenceClamped Code = "inference-clamped"
	// ThinkingMadeAdaptive: thinking "enabled" with a budget_tokens, which
	// the family refuses (V-56: Claude Opus 4.7 and later, Claude 5), became
	// thinking "adaptive"; the model decides how much to think.
	ThinkingMadeAdaptive Code = "thinking-made-adaptive"
	// OutputSchemaKeywordDropped: a structured-output schema held a
	// keyword the family refuses (V-30: maxItems on an array, minimum or
	// multipleOf on an integer for Claude); the answer follows the rest of
	// the schema, and the application checks the dropped bound.
	OutputSchemaKeywordDropped Code = "output-schema-keyword-dropped"
	// StrictToolSchemaRepaired: a strict tool's input schema held what
	// the family's constrained decoding refuses (V-30: an object whose
	// additionalProperties is not false, or a keyword as for
	// OutputSchemaKeywordDropped); objects are closed and the keywords
	// dropped, so the tool stays strict.
	StrictToolSchemaRepaired Code = "strict-tool-schema-repaired"

	// The decoder's notes (see history.Note), reported as they are.

	// ToolInputInvalidJSON: a tool call's arguments were not valid JSON
	// (a cut stream, a model's mistake); the text is kept as
	// {"value": text}.
	ToolInputInvalidJSON Code = "tool-input-invalid-json"
	// FileUnavailable: an OpenAI file part named its file by id only; a
	// text note stands in for it.
	FileUnavailable Code = "file-unavailable"
	// AudioToText: Converse takes no audio input; a text note stands in.
	AudioToText Code = "audio-to-text"
	// FieldMapped: a request field went to its Converse place (OpenAI
	// metadata to requestMetadata, Anthropic thinking to
	// additionalModelRequestFields).
	FieldMapped Code = "field-mapped"
	// FieldDropped: a request field has no place in Converse, or none for
	// the target family.
	FieldDropped Code = "field-dropped"
	// ServerToolFlattened: a block of a provider's server tool (an
	// Anthropic server_tool_use and its web search, web fetch, code
	// execution or tool search result), of its MCP connector, a
	// search_result block, or an OpenAI Responses built-in tool's item,
	// became text in its place that keeps what the model saw: the tool's
	// name and input, the result's titles, URLs, output or text. Bedrock
	// runs no such tool and Converse has no block for it; encrypted
	// content and opaque ids are dropped. The Responses tools the
	// application runs (computer, local shell, shell, apply_patch) and
	// MCP approvals, which it answers, are flattened the same way and
	// reported as the application's: Converse cannot declare them as the
	// model knew them.
	// A Converse searchResult block, which only Claude models take
	// (Bedrock API reference, SearchResultBlock), becomes text the same
	// way for another family.
	ServerToolFlattened Code = "server-tool-flattened"
)

// Change is one thing the normalizer rewrote.
type Change struct {
	// Index is the message's index in the history; -1 for the request as
	// a whole (system prompt, tools, parameters).
	Index int `json:"index"`
	// Code says why.
	Code Code `json:"code"`
	// Detail says what, in a few words.
	Detail string `json:"detail,omitempty"`
}

func (c Change) String() string {
	if c.Index < 0 {
		return fmt.Sprintf("%s: %s", c.Code, c.Detail)
	}
	return fmt.Sprintf("messages[%d] %s: %s", c.Index, c.Code, c.Detail)
}

// Report lists every change, in the order they were made.
type Report struct {
	Changes []Change `json:"changes"`
}

// Codes returns the distinct codes in the report, in first-seen order.
func (r *Report) Codes() []Code {
	var out []Code
	seen := map[Code]bool{}
	for _, c := range r.Changes {
		if !seen[c.Code] {
			seen[c.Code] = true
			out = append(out, c.Code)
		}
	}
	return out
}

func (r *Report) add(index int, code Code, format string, args ...any) {
	r.Changes = append(r.Changes, Change{Index: index, Code: code, Detail: fmt.Sprintf(format, args...)})
}
