package converse

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const (
	toolCfg = `"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`
	hi      = `{"role":"user","content":[{"text":"hi"}]}`
	ok      = `{"role":"assistant","content":[{"text":"ok"}]}`
	png     = `{"image":{"format":"png","source":{"bytes":"` + pngBytes + `"}}}`
)

// Media bytes of each format, as base64: Claude reads them (V-37, V-39).
const (
	// pngBytes is a 1x1 PNG.
	pngBytes = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
	// jpegBytes is a 1x1 JPEG.
	jpegBytes = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q=="
	// gifBytes is a 1x1 GIF.
	gifBytes = "R0lGODlhAQABAAAAADs="
	// webpBytes is a 1x1 lossless WebP.
	webpBytes = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="
	// pdfBytes is the start of a PDF.
	pdfBytes = "JVBERi0xLjQKJSVFT0YK"
	// zipBytes is the start of a ZIP archive, as a docx or xlsx is.
	zipBytes = "UEsDBBQA"
)

// msgs builds a request body from message JSON and extra top-level fields.
func msgs(extra string, ms ...string) string {
	s := `{"messages":[` + strings.Join(ms, ",") + `]`
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func user(blocks ...string) string {
	return `{"role":"user","content":[` + strings.Join(blocks, ",") + `]}`
}

func assistant(blocks ...string) string {
	return `{"role":"assistant","content":[` + strings.Join(blocks, ",") + `]}`
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// image is an image block of format with base64 bytes b.
func image(format, b string) string {
	return fmt.Sprintf(`{"image":{"format":%q,"source":{"bytes":%q}}}`, format, b)
}

// docOf is a document block named name of format with base64 bytes b.
func docOf(name, format, b string) string {
	return fmt.Sprintf(`{"document":{"name":%q,"format":%q,"source":{"bytes":%q}}}`, name, format, b)
}

// bigPNG is n bytes that start as a PNG does, as base64.
func bigPNG(n int) string {
	b := make([]byte, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	return base64.StdEncoding.EncodeToString(b)
}

func doc(name string) string {
	return fmt.Sprintf(`{"document":{"name":%q,"format":"txt","source":{"bytes":"AA=="}}}`, name)
}

const (
	use  = `{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}`
	use2 = `{"toolUse":{"toolUseId":"t2","name":"f","input":{}}}`
	res  = `{"toolResult":{"toolUseId":"t1","content":[{"text":"r"}]}}`
	res2 = `{"toolResult":{"toolUseId":"t2","content":[{"text":"r"}]}}`
	sig  = `{"reasoningContent":{"reasoningText":{"text":"think","signature":"c2ln"}}}`
	cp   = `{"cachePoint":{"type":"default"}}`
)

// ruleCases holds, for every rule, a request that breaks only that rule
// and the same request repaired. want is the service's full message.
var ruleCases = []struct {
	rule, family string
	bad, good    string
	want         string
}{
	{"role-enum", "anthropic", msgs("", hi, ok, `{"role":"system","content":[{"text":"x"}]}`), msgs("", hi, ok, hi),
		"1 validation error detected: Value 'system' at 'messages.3.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]"},
	{"system-text-length", "anthropic", msgs(`"system":[{"text":"a"},{"text":""}]`, hi), msgs(`"system":[{"text":"a"}]`, hi),
		"1 validation error detected: Value at 'system.2.member.text' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	{"tools-empty", "anthropic", msgs(`"toolConfig":{"tools":[]}`, hi), msgs(toolCfg, hi),
		"1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	{"tool-spec-name", "anthropic", msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"Complete Session","inputSchema":{"json":{}}}}]}`, hi), msgs(toolCfg, hi),
		"1 validation error detected: Value 'Complete Session' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"},
	{"tool-use-name", "anthropic", msgs(toolCfg, hi, assistant(`{"toolUse":{"toolUseId":"t1","name":"$READ","input":{}}}`), user(res)), msgs(toolCfg, hi, assistant(use), user(res)),
		"1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"},
	{"tool-choice-name", "anthropic", msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":"a.b"}}}`, hi),
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":"f"}}}`, hi),
		"1 validation error detected: Value 'a.b' at 'toolConfig.toolChoice.tool.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"},
	{"tool-use-id", "anthropic", msgs(toolCfg, hi, assistant(`{"toolUse":{"toolUseId":"a|b","name":"f","input":{}}}`), user(`{"toolResult":{"toolUseId":"a|b","content":[{"text":"r"}]}}`)),
		msgs(toolCfg, hi, assistant(use), user(res)),
		"2 validation errors detected: Value at 'messages.2.member.content.1.member.toolUse.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+; Value at 'messages.3.member.content.1.member.toolResult.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+"},
	{"document-name-length", "anthropic", msgs("", user(doc(strings.Repeat("a", 201)), `{"text":"see"}`)), msgs("", user(doc("a"), `{"text":"see"}`)),
		"1 validation error detected: Value at 'messages.1.member.content.1.member.document.name' failed to satisfy constraint: Member must have length less than or equal to 200"},
	{"image-format", "anthropic", msgs("", user(`{"image":{"format":"jpg","source":{"bytes":"`+jpegBytes+`"}}}`)), msgs("", user(`{"image":{"format":"jpeg","source":{"bytes":"`+jpegBytes+`"}}}`)),
		"1 validation error detected: Value at 'messages.1.member.content.1.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]"},
	// V-67: Coral's text for a missing required member [Inferred].
	{"service-tier-type-required", "nova", msgs(`"serviceTier":{}`, hi), msgs(`"serviceTier":{"type":"flex"}`, hi),
		"1 validation error detected: Value null at 'serviceTier.type' failed to satisfy constraint: Member must not be null"},
	// V-67: NousResearch/hermes-agent PR #34476, latency "turbo" on Bedrock.
	{"latency-enum", "nova", msgs(`"performanceConfig":{"latency":"turbo"}`, hi), msgs(`"performanceConfig":{"latency":"optimized"}`, hi),
		"1 validation error detected: Value 'turbo' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set: [optimized, standard]"},
	// V-67: NousResearch/hermes-agent PR #34476, serviceTier "cheapest" on Bedrock.
	{"service-tier-enum", "nova", msgs(`"serviceTier":{"type":"bogus"}`, hi), msgs(`"serviceTier":{"type":"priority"}`, hi),
		"service tier provided is invalid"},
	{"s3-uri", "nova", msgs("", user(`{"image":{"format":"png","source":{"s3Location":{"uri":"https://example.com/a.png"}}}}`)),
		msgs("", user(`{"image":{"format":"png","source":{"s3Location":{"uri":"s3://my-bucket/a.png"}}}}`)),
		"1 validation error detected: Value at 'messages.1.member.content.1.member.image.source.s3Location.uri' failed to satisfy constraint: Member must satisfy regular expression pattern: s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?"},
	{"inference-range", "nova", msgs(`"inferenceConfig":{"temperature":1.5}`, hi), msgs(`"inferenceConfig":{"temperature":1}`, hi),
		"1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1"},
	{"first-message-user", "nova", msgs("", ok, hi), msgs("", hi, ok, hi),
		"A conversation must start with a user message. Try again with a conversation that starts with a user message."},
	{"empty-content", "anthropic", msgs("", hi, `{"role":"assistant","content":[]}`, hi), msgs("", hi, ok, hi),
		"The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again."},
	{"alternate-roles", "anthropic", msgs("", hi, hi), msgs("", user(`{"text":"hi"}`, `{"text":"hi"}`)),
		"A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."},
	{"blank-text", "nova", msgs("", hi, ok, hi, ok, hi, ok, hi, ok, hi, ok, hi, ok, hi, ok, hi, assistant(`{"text":""}`), hi), msgs("", hi, ok, hi),
		"The text field in the ContentBlock object at messages.15.content.0 is blank. Add text to the text field, and try again."},
	{"tool-config-required", "anthropic", msgs("", hi, assistant(use), user(res)), msgs(toolCfg, hi, assistant(use), user(res)),
		"The toolConfig field must be defined when using toolUse and toolResult content blocks."},
	{"tool-use-input-object", "anthropic", msgs(toolCfg, hi, assistant(`{"toolUse":{"toolUseId":"t1","name":"f","input":"{\"a\":1"}}`), user(res)), msgs(toolCfg, hi, assistant(use), user(res)),
		"The format of the value at messages.1.content.0.toolUse.input is invalid. Provide a json object for the field and try again."},
	{"input-schema-object", "anthropic", msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":"{}"}}}]}`, hi), msgs(toolCfg, hi),
		"The format of the value at toolConfig.tools.0.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again."},
	{"tool-result-json-object", "anthropic", msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[{"json":[1,2]}]}}`)),
		msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[{"json":{"a":[1,2]}}]}}`)),
		"The format of the value at messages.2.content.0.toolResult.content.0.json is invalid. Provide a json object for the field and try again."},
	{"duplicate-tool-ids", "anthropic", msgs(toolCfg, hi, assistant(use, use), user(res)), msgs(toolCfg, hi, assistant(use), user(res)),
		"The toolUse blocks at messages.1.content contain duplicate Ids: t1"},
	{"too-many-tool-results", "anthropic", msgs(toolCfg, hi, ok, user(res)), msgs(toolCfg, hi, assistant(use), user(res)),
		"The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."},
	{"missing-tool-results", "nova", msgs(toolCfg, hi, assistant(use, use2), user(res), ok), msgs(toolCfg, hi, assistant(use, use2), user(res, res2), ok),
		"Expected toolResult blocks at messages.2.content for the following Ids: t2"},
	{"error-result-empty", "anthropic", msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","status":"error","content":[]}}`)),
		msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","status":"error","content":[{"text":"boom"}]}}`)),
		"The content field at messages.2.content.0.toolResult cannot be empty when status value is error."},
	{"document-name-chars", "anthropic", msgs("", user(doc("John's report"), `{"text":"see"}`)), msgs("", user(doc("Johns report"), `{"text":"see"}`)),
		"The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request."},
	{"duplicate-document-names", "anthropic", msgs("", user(doc("a"), doc("a"), `{"text":"see"}`)), msgs("", user(doc("a"), doc("a (2)"), `{"text":"see"}`)),
		"Messages can't contain duplicate document names."},
	{"document-count", "anthropic", msgs("", user(doc("a"), doc("b"), doc("c"), doc("d"), doc("e"), doc("f"), `{"text":"see"}`)),
		msgs("", user(doc("a"), doc("b"), doc("c"), doc("d"), doc("e"), `{"text":"see"}`)),
		"You can't include more than 5 documents in a request."},
	{"document-needs-text", "anthropic", msgs("", user(doc("a"))), msgs("", user(doc("a"), `{"text":"see"}`)),
		"A text block must be included when using documents. Add a text block and retry your request."},
	{"reasoning-in-user", "nova", msgs("", user(`{"reasoningContent":{"reasoningText":{"text":"x","signature":"s"}}}`, `{"text":"hi"}`)), msgs("", hi),
		"User messages cannot contain reasoning content. Please remove the reasoning content and try again."},
	{"cache-point-first", "anthropic", msgs("", hi, assistant(cp, `{"text":"ok"}`), hi), msgs("", hi, assistant(`{"text":"ok"}`, cp), hi),
		"There is nothing available to cache. Please remove the invalid cache point and try again."},
	{"cache-point-after-reasoning", "anthropic", msgs("", hi, assistant(sig, cp, `{"text":"ok"}`), hi), msgs("", hi, assistant(sig, `{"text":"ok"}`, cp), hi),
		"Cache point cannot be inserted after reasoning block. Please remove the invalid cache point and try again."},
	{"tool-result-alone", "llama", msgs(toolCfg, hi, assistant(use), user(res, `{"text":"and?"}`)), msgs(toolCfg, hi, assistant(use), user(res), ok, hi),
		"messages.2.content: Conversation blocks and tool result blocks cannot be provided in the same turn."},
	{"tool-use-alone", "llama", msgs(toolCfg, hi, assistant(`{"text":"Let me check."}`, use), user(res)), msgs(toolCfg, hi, assistant(use), user(res)),
		"messages.1.content: Conversation blocks and tool use blocks cannot be provided in the same turn."},
	{"video-unsupported", "anthropic", msgs("", user(`{"text":"watch"}`, `{"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://my-bucket/v.mp4"}}}}`)), msgs("", user(`{"text":"watch"}`)),
		"This model doesn't support the video content block that you provided. Update the content block and try again."},
	{"s3-uri-unsupported", "anthropic", msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[{"image":{"format":"jpeg","source":{"s3Location":{"uri":"s3://my-bucket/kiwi.jpg"}}}}]}}`)),
		msgs(toolCfg, hi, assistant(use), user(res)),
		"This model doesn't support the s3Uri field. Remove s3Uri and try again."},
	{"system-unsupported", "titan", msgs(`"system":[{"text":"be brief"}]`, hi), msgs("", hi),
		"This model doesn't support system messages. Try again without a system message or use a model that supports system messages."},
	{"tools-unsupported", "deepseek", msgs(toolCfg, hi), msgs("", hi),
		"This model doesn't support tool use."},
	{"tool-choice-unsupported", "llama", msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}}}}],"toolChoice":{"any":{}}}`, hi),
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}}}}],"toolChoice":{"auto":{}}}`, hi),
		"This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again."},
	{"caching-unsupported", "llama", msgs("", user(`{"text":"hi"}`, cp)), msgs("", hi),
		"You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information."},
	{"provider-blank-text", "anthropic", msgs("", hi, assistant(`{"text":"\n\n"}`), hi), msgs("", hi, ok, hi),
		"The model returned the following errors: messages: text content blocks must contain non-whitespace text"},
	{"media-in-assistant", "nova", msgs("", hi, assistant(png, `{"text":"ok"}`), hi), msgs("", user(png, `{"text":"hi"}`), ok, hi),
		"The model returned the following errors: messages.1.content: 'image' blocks are not permitted within assistant turns."},
	{"reasoning-signature", "anthropic", msgs("", hi, assistant(`{"reasoningContent":{"reasoningText":{"text":"x"}}}`, `{"text":"ok"}`), hi), msgs("", hi, assistant(sig, `{"text":"ok"}`), hi),
		"The model returned the following errors: messages.1.content.0.thinking.signature: Field required"},
	{"tool-use-id-family", "mistral", msgs(toolCfg, hi, assistant(`{"toolUse":{"toolUseId":"tooluse_abc","name":"f","input":{}}}`), user(`{"toolResult":{"toolUseId":"tooluse_abc","content":[{"text":"r"}]}}`)),
		msgs(toolCfg, hi, assistant(`{"toolUse":{"toolUseId":"abcDEF123","name":"f","input":{}}}`), user(`{"toolResult":{"toolUseId":"abcDEF123","content":[{"text":"r"}]}}`)),
		"The model returned the following errors: Tool call id was tooluse_abc but must be a-z, A-Z, 0-9, with a length of 9."},
	{"image-count", "anthropic", msgs("", user(append(repeat(png, 21), `{"text":"hi"}`)...)), msgs("", user(append(repeat(png, 20), `{"text":"hi"}`)...)),
		"The model returned the following errors: messages: too many images: image_count > 20"},
	// The path counts blocks as Anthropic does, without the cache point.
	{"image-size", "anthropic", msgs("", user(`{"text":"see"}`, cp, image("png", bigPNG(3932161)))), msgs("", user(`{"text":"see"}`, cp, image("png", bigPNG(3932160)))),
		"The model returned the following errors: messages.0.content.1.image.source.bytes: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes"},
	{"image-format-mismatch", "anthropic", msgs("", user(`{"text":"see"}`, image("jpeg", pngBytes))), msgs("", user(`{"text":"see"}`, image("png", pngBytes))),
		"The model returned the following errors: messages.0.content.1.image.source.bytes: The image was specified using the image/jpeg media type, but the image appears to be a image/png image"},
	{"image-unreadable", "anthropic", msgs("", user(image("png", "PGh0bWw+PC9odG1sPg=="), `{"text":"see"}`)), msgs("", user(image("png", pngBytes), `{"text":"see"}`)),
		"The model returned the following errors: Could not process image"},
	{"pdf-invalid", "anthropic", msgs("", user(`{"text":"see"}`, docOf("sheet", "pdf", zipBytes))), msgs("", user(`{"text":"see"}`, docOf("sheet", "xlsx", zipBytes))),
		"The model returned the following errors: messages.0.content.1.image.source.bytes: The PDF specified was not valid."},
	{"document-unparsable", "anthropic", msgs("", user(`{"text":"see"}`, docOf("report", "docx", pdfBytes))), msgs("", user(`{"text":"see"}`, docOf("report", "pdf", pdfBytes))),
		"The model returned the following errors: messages.0.content.1.source.bytes: The document source bytes could not be parsed as the specified format. If using a text-based format, try source.text instead of source.bytes."},
	{"cache-point-count", "anthropic", msgs(`"system":[{"text":"s"},`+cp+`]`, user(`{"text":"a"}`, cp), assistant(`{"text":"b"}`, cp), user(`{"text":"c"}`, cp), assistant(`{"text":"d"}`, cp), hi),
		msgs(`"system":[{"text":"s"},`+cp+`]`, user(`{"text":"a"}`, cp), assistant(`{"text":"b"}`, cp), user(`{"text":"c"}`, cp), assistant(`{"text":"d"}`), hi),
		"The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found 5."},
	{"prefill-after-tool-result", "anthropic", msgs(toolCfg, hi, assistant(use), user(res), ok), msgs(toolCfg, hi, assistant(use), user(res), ok, hi, ok),
		"The model returned the following errors: Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported."},
	{"document-s3-unsupported", "anthropic", msgs("", user(`{"text":"see"}`, `{"document":{"name":"a","format":"pdf","source":{"s3Location":{"uri":"s3://my-bucket/a.pdf"}}}}`)),
		msgs("", user(`{"text":"see"}`, doc("a"))),
		"The model returned the following errors: messages.0.content.1.document.source.type: Field required"},
	{"tool-result-document-unsupported", "nova-2", msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[{"document":{"name":"a","format":"pdf","source":{"bytes":"AA=="}}}]}}`)),
		msgs(toolCfg, hi, assistant(use), user(res)),
		"The model returned the following errors: Malformed input request: #/messages/2/content/0: extraneous key [toolResult] is not permitted, please reformat your input and try again."},
	{"tool-choice-undeclared", "anthropic", msgs(toolCfg[:len(toolCfg)-1]+`,"toolChoice":{"tool":{"name":"zzz"}}}`, hi),
		msgs(toolCfg[:len(toolCfg)-1]+`,"toolChoice":{"tool":{"name":"f"}}}`, hi),
		"The model returned the following errors: Tool 'zzz' not found in provided tools"},
	{"thinking-forced-tool", "anthropic", msgs(toolCfg[:len(toolCfg)-1]+`,"toolChoice":{"any":{}}},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi),
		msgs(toolCfg[:len(toolCfg)-1]+`,"toolChoice":{"auto":{}}},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi),
		"The model returned the following errors: Thinking may not be enabled when tool_choice forces tool use."},
	{"cache-point-after-document", "anthropic", msgs("", user(`{"text":"read"}`, doc("notes"), cp)),
		msgs("", user(`{"text":"read"}`, doc("notes"), `{"text":"what does it say?"}`, cp)),
		"The model returned the following errors: messages.0.content.2.type: Field required"},
	{"thinking-final-turn-start", "anthropic", msgs(toolCfg+`,"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi, assistant(`{"text":"checking"}`, use), user(res)),
		msgs(toolCfg+`,"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi, assistant(sig, `{"text":"checking"}`, use), user(res)),
		"The model returned the following errors: messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking"},
	{"thinking-temperature", "anthropic", msgs(`"inferenceConfig":{"temperature":0.2},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi),
		msgs(`"inferenceConfig":{"temperature":1},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi),
		"The model returned the following errors: temperature may only be set to 1 when thinking is enabled."},
	{"thinking-budget-max-tokens", "anthropic", msgs(`"inferenceConfig":{"maxTokens":4096},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":8000}}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":8001},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":8000}}`, hi),
		"`max_tokens` must be greater than `thinking.budget_tokens`."},
	{"thinking-budget-minimum", "anthropic", msgs(`"inferenceConfig":{"maxTokens":4096},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":512}}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":4096},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}`, hi),
		"The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"},
	{"stop-sequences-unsupported", "openai", msgs(`"inferenceConfig":{"maxTokens":100,"stopSequences":["END"]}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":100}`, hi),
		"This model doesn't support the stopSequences field. Remove stopSequences and try again."},
	{"temperature-with-top-p", "anthropic-no-prefill", msgs(`"inferenceConfig":{"temperature":0.2,"topP":0.9}`, hi),
		msgs(`"inferenceConfig":{"temperature":0.2}`, hi),
		"The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one."},
	{"temperature-with-top-p", "anthropic-one-sampling", msgs(`"inferenceConfig":{"temperature":0.2,"topP":0.9}`, hi),
		msgs(`"inferenceConfig":{"topP":0.9}`, hi),
		"The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one."},
	{"sampling-deprecated", "anthropic-no-sampling", msgs(`"inferenceConfig":{"maxTokens":100,"temperature":0.2}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":100}`, hi),
		"The model returned the following errors: `temperature` is deprecated for this model."},
	{"sampling-deprecated", "anthropic-no-sampling", msgs(`"inferenceConfig":{"maxTokens":100,"topP":0.9}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":100}`, hi),
		"The model returned the following errors: `top_p` is deprecated for this model."},
	// V-61: Claude 3.5 Haiku writes at most 8192 tokens (the catalog's
	// maxOutputTokens, sourced in catalog's TestMaxOutputTokens); a
	// history written for a bigger model asks for 64000.
	{"max-tokens-above-limit", "model:us.anthropic.claude-3-5-haiku-20241022-v1:0", msgs(`"inferenceConfig":{"maxTokens":64000}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":8192}`, hi),
		"The maximum tokens you requested exceeds the model limit of 8192. Try again with a maximum tokens value that is lower than 8192."},
	// Claude 3.7 Sonnet takes 128000 with Anthropic's output-128k beta.
	{"max-tokens-above-limit", "model:anthropic.claude-3-7-sonnet-20250219-v1:0", msgs(`"inferenceConfig":{"maxTokens":128000}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":128000},"additionalModelRequestFields":{"anthropic_beta":["output-128k-2025-02-19"]}`, hi),
		"The maximum tokens you requested exceeds the model limit of 64000. Try again with a maximum tokens value that is lower than 64000."},
	// Opus 4.7 and later take only adaptive thinking (Bedrock's Opus 4.7
	// model card; Kilo-Org/kilocode #10732 for the text).
	{"thinking-adaptive-only", "anthropic-no-sampling",
		msgs(`"inferenceConfig":{"maxTokens":4096},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":2048}}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":4096},"additionalModelRequestFields":{"thinking":{"type":"adaptive"}}`, hi),
		"The model returned the following errors: \"thinking.type.enabled\" is not supported for this model. Use \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior."},
	{"high-reasoning-max-tokens", "nova-2",
		msgs(`"inferenceConfig":{"maxTokens":1000},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":1000},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"medium"}}`, hi),
		"The model returned the following errors: `maxTokens` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at https://docs.aws.amazon.com/nova/latest/userguide"},
	{"high-reasoning-max-tokens", "nova-2",
		msgs(`"inferenceConfig":{"maxTokens":1000,"temperature":0.5},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`, hi),
		msgs(`"inferenceConfig":{"temperature":0.5},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`, hi),
		"The model returned the following errors: `maxTokens` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at https://docs.aws.amazon.com/nova/latest/userguide"},
	// V-63: another provider's fields in additionalModelRequestFields.
	{"model-field-extra-input", "anthropic-no-prefill",
		msgs(`"inferenceConfig":{"maxTokens":2048},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":2048},"additionalModelRequestFields":{"thinking":{"type":"adaptive"}}`, hi),
		"The model returned the following errors: reasoningConfig: Extra inputs are not permitted"},
	{"model-field-extra-input", "anthropic",
		msgs(`"additionalModelRequestFields":{"guardrails":{"guardrailIdentifier":"g"},"top_k":5}`, hi),
		msgs(`"additionalModelRequestFields":{"top_k":5}`, hi),
		"The model returned the following errors: guardrails: Extra inputs are not permitted"},
	{"model-field-extra-input", "anthropic-one-sampling",
		msgs(`"additionalModelRequestFields":{"output_config":{"effort":"low"}}`, hi),
		msgs(`"additionalModelRequestFields":{"output_config":{"effort":"low"},"anthropic_beta":["effort-2025-11-24"]}`, hi),
		"The model returned the following errors: output_config.effort: Extra inputs are not permitted"},
	{"model-field-unknown-parameter", "openai-gpt-5",
		msgs(`"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`, hi),
		msgs(`"additionalModelRequestFields":{"reasoning":{"effort":"high"}}`, hi),
		`The model returned the following errors: {"error":{"code":"unknown_parameter","message":"Unknown parameter: 'reasoningConfig'.","param":"reasoningConfig","type":"invalid_request_error"}}`},
	{"model-field-unknown-parameter", "openai-gpt-5",
		msgs(`"additionalModelRequestFields":{"reasoning_effort":"high"}`, hi),
		msgs(`"additionalModelRequestFields":{"reasoning":{"effort":"high"}}`, hi),
		`The model returned the following errors: {"error":{"code":"unknown_parameter","message":"Unknown parameter: 'reasoning_effort'.","param":"reasoning_effort","type":"invalid_request_error"}}`},
	{"model-field-reasoning-config", "nova",
		msgs(`"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"low"}}`, hi),
		msgs(`"additionalModelRequestFields":{"inferenceConfig":{"topK":10}}`, hi),
		"The model returned the following errors: Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again."},
	{"temperature-unsupported", "openai-gpt-5", msgs(`"inferenceConfig":{"maxTokens":100,"temperature":0}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":100}`, hi),
		"This model doesn't support the temperature field. Remove temperature and try again."},
	{"top-p-unsupported", "openai-gpt-5", msgs(`"inferenceConfig":{"maxTokens":100,"topP":0.5}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":100}`, hi),
		"This model doesn't support the topP field. Remove topP and try again."},
	{"stop-sequences-unsupported", "openai-gpt-5", msgs(`"inferenceConfig":{"maxTokens":100,"stopSequences":["END"]}`, hi),
		msgs(`"inferenceConfig":{"maxTokens":100}`, hi),
		"This model doesn't support the stopSequences field. Remove stopSequences and try again."},
	{"output-schema-unsupported", "anthropic",
		msgs(`"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"maxItems\":5}},\"required\":[\"tags\"]}"}}}}`, hi),
		msgs(`"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"tags\"]}"}}}}`, hi),
		"The model returned the following errors: output_config.format.schema: For 'array' type, property 'maxItems' is not supported"},
	{"strict-tool-schema-open", "anthropic",
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{"type":"object"}}}},{"cachePoint":{"type":"default"}},{"toolSpec":{"name":"b","inputSchema":{"json":{"type":"object","properties":{"x":{"type":"object","properties":{}}},"additionalProperties":false}},"strict":true}}]}`, hi),
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{"type":"object"}}}},{"cachePoint":{"type":"default"}},{"toolSpec":{"name":"b","inputSchema":{"json":{"type":"object","properties":{"x":{"type":"object","properties":{},"additionalProperties":false}},"additionalProperties":false}},"strict":true}}]}`, hi),
		"The model returned the following errors: tools.1.custom: For 'object' type, 'additionalProperties' must be explicitly set to false"},
	{"strict-tool-schema-unsupported", "anthropic",
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{"type":"object","properties":{"n":{"type":"integer","minimum":1}},"additionalProperties":false}},"strict":true}}]}`, hi),
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{"type":"object","properties":{"n":{"type":"integer","minimum":1}},"additionalProperties":false}},"strict":false}}]}`, hi),
		"The model returned the following errors: tools.0.custom: For 'integer' type, property 'minimum' is not supported"},
	{"strict-tool-schema-min-items", "anthropic",
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"process_tags","inputSchema":{"json":{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":2}},"required":["tags"],"additionalProperties":false}},"strict":true}}]}`, hi),
		msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"process_tags","inputSchema":{"json":{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":1}},"required":["tags"],"additionalProperties":false}},"strict":true}}]}`, hi),
		"The model returned the following errors: tools.0.custom: For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [2, 5])"},
	{"output-schema-min-items", "anthropic",
		msgs(`"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":3}},\"required\":[\"tags\"]}"}}}}`, hi),
		msgs(`"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1}},\"required\":[\"tags\"]}"}}}}`, hi),
		"The model returned the following errors: output_config.format.schema: For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [2, 5])"},
	{"streaming-tools-unsupported", "llama+stream", msgs(toolCfg, hi), msgs("", hi),
		"This model doesn't support tool use in streaming mode."},
	{"no-prefill", "anthropic-no-prefill", msgs("", hi, ok), msgs("", hi, ok, hi),
		"The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message."},
	{"reasoning-only-turn", "anthropic-no-sampling", msgs("", hi, assistant(sig), hi), msgs("", hi, assistant(sig, `{"text":"ok"}`), hi),
		"The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message."},
	{"document-beside-tool-results", "anthropic-one-sampling",
		msgs(toolCfg, hi, assistant(use, use2), user(res, res2, doc("notes"), `{"text":"describe it"}`)),
		msgs(toolCfg, hi, assistant(use, use2), user(res, res2), ok, user(doc("notes"), `{"text":"describe it"}`)),
		"The model returned the following errors: messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: t1, t2. Each `tool_use` block must have a corresponding `tool_result` block in the next message."},
	{"image-unsupported", "model:openai.gpt-oss-120b-1:0", msgs("", user(`{"text":"what is it"}`, png)), msgs("", user(`{"text":"what is it"}`)),
		"This model doesn't support the image field for user messages. Remove image and try again."},
	{"tool-result-image-unsupported", "openai-gpt-5",
		msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[{"text":"here"},`+png+`]}}`)),
		msgs(toolCfg, hi, assistant(use), user(res, png)),
		"This model doesn't support the image field for user messages. Remove image and try again."},
	{"final-trailing-whitespace", "anthropic", msgs("", hi, assistant(`{"text":"Here is the JSON: "}`)), msgs("", hi, assistant(`{"text":"Here is the JSON:"}`)),
		"The model returned the following errors: messages: final assistant content cannot end with trailing whitespace"},
}

func decodeRequest(t *testing.T, body string) *Request {
	t.Helper()
	var r Request
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("test request does not decode: %v\n%s", err, body)
	}
	return &r
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.rule, func(t *testing.T) {
			name, stream := strings.CutSuffix(tc.family, "+stream")
			f, err := LookupFamily(name)
			if model, ok := strings.CutPrefix(name, "model:"); ok {
				// A model's family, with what the catalog gives for it.
				f, ok = FamilyForModel(model)
				if !ok {
					t.Fatalf("no family for %s", model)
				}
				err = nil
			}
			if err != nil {
				t.Fatal(err)
			}
			check, validate := Check, Validate
			if stream {
				check, validate = CheckStream, ValidateStream
			}
			bad := decodeRequest(t, tc.bad)
			vs := check(bad, f)
			if len(vs) == 0 {
				t.Fatalf("failing case breaks no rule")
			}
			for _, v := range vs {
				if v.Rule.Name != tc.rule {
					t.Fatalf("failing case should break only %s, also breaks %s: %s", tc.rule, v.Rule.Name, v.Message)
				}
			}
			err = validate(bad, f)
			if err == nil {
				t.Fatalf("Validate accepted the failing case")
			}
			v := err.(*Violation)
			if v.Message != tc.want {
				t.Errorf("message:\n got %s\nwant %s", v.Message, tc.want)
			}
			if v.Rule.Exception != "ValidationException" || v.Rule.Status != 400 {
				t.Errorf("got %s/%d, want ValidationException/400", v.Rule.Exception, v.Rule.Status)
			}
			if err := validate(decodeRequest(t, tc.good), f); err != nil {
				t.Errorf("passing case rejected: %v", err)
			}
			if stream && Validate(bad, f) != nil {
				t.Errorf("the streaming rule applies to Converse too")
			}
		})
	}
}

// TestEveryRuleHasCases fails when a rule is added without a test.
func TestEveryRuleHasCases(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range ruleCases {
		covered[tc.rule] = true
	}
	for _, r := range Rules() {
		if !covered[r.Name] {
			t.Errorf("rule %s (%s) has no case in ruleCases", r.Name, r.ID)
		}
		if r.Message == "" || r.Source == "" || r.ID == "" {
			t.Errorf("rule %s lacks an id, message or source", r.Name)
		}
	}
}

func TestFamilyDifferences(t *testing.T) {
	tests := []struct {
		name, body string
		accept     []string
		reject     []string
		reason     string
	}{
		{"leading assistant", msgs("", ok, hi), []string{"anthropic", "qwen"}, []string{"nova", "llama", "mistral", "cohere", "ai21", "writer"},
			"pydantic-ai PR #6255 live matrix"},
		{"prefill", msgs("", hi, ok), []string{"anthropic", "nova", "llama"}, []string{"anthropic-no-prefill"},
			"Claude 4.6+ rejects prefill"},
		{"text beside tool result", msgs(toolCfg, hi, assistant(use), user(res, `{"text":"more"}`)), []string{"anthropic", "nova"}, []string{"llama", "mistral", "writer"},
			"Llama, Mistral and Writer want the result alone"},
		{"txt document beside tool result", msgs(toolCfg, hi, assistant(use), user(res, doc("notes"), `{"text":"more"}`)),
			[]string{"nova", "nova-2", "openai-gpt-5"},
			[]string{"anthropic", "anthropic-no-caching", "anthropic-one-sampling", "anthropic-no-prefill", "anthropic-no-sampling", "llama"},
			"Claude refuses a document other than a PDF beside tool results (V-23, pydantic/pydantic-ai #3253); Nova takes it"},
		{"pdf document beside tool result", msgs(toolCfg, hi, assistant(use), user(res, `{"document":{"name":"a","format":"pdf","source":{"bytes":"`+pdfBytes+`"}}}`, `{"text":"more"}`)),
			[]string{"anthropic", "anthropic-no-sampling", "nova"}, nil,
			"a PDF does not reproduce V-23 on Claude (contract reference)"},
		{"image inside a tool result", msgs(toolCfg, hi, assistant(use), user(`{"toolResult":{"toolUseId":"t1","content":[`+png+`]}}`)),
			[]string{"anthropic", "anthropic-no-sampling", "nova", "nova-2", "llama"}, []string{"openai", "openai-gpt-5"},
			"OpenAI models refuse an image inside a tool result (V-42, anomalyco/opencode #49443)"},
		{"reasoning-only assistant turn", msgs("", hi, assistant(sig), hi),
			[]string{"anthropic", "anthropic-one-sampling", "anthropic-no-prefill"}, []string{"anthropic-no-sampling"},
			"Claude 5 refuses an assistant turn of reasoning only (V-5, NousResearch/hermes-agent #105780); Sonnet 4.6 takes it"},
		{"whitespace-only text", msgs("", hi, assistant(`{"text":"  "}`), hi), nil, []string{"anthropic", "nova"},
			"rejected everywhere, worded per family"},
		// Anthropic's migration guides say Sonnet 4.5 ("Use only
		// temperature OR top_p, not both", platform.claude.com
		// about-claude/models/migrating-to-claude-4) and Haiku 4.5
		// ("Setting both returns a 400 error on Claude Haiku 4.5",
		// models/haiku-4-5/migration-guide) take one; Opus 4.1 was seen
		// refusing both with the same text (open-webui/functions PR #9,
		// ccbogel/QualCoder #1125), Opus 4.6 too (iOfficeAI/gemini-cli-pro
		// PR #38), and Opus 4.5 sits between them.
		{"temperature and topP", msgs(`"inferenceConfig":{"temperature":0.2,"topP":0.9}`, hi), []string{"anthropic", "nova", "nova-2", "llama", "mistral", "openai"},
			[]string{"anthropic-one-sampling", "anthropic-no-prefill", "anthropic-no-sampling", "openai-gpt-5"},
			"Claude 4.5, Opus 4.1 and 4.6 take one of them (V-57), Opus 4.7+ and Claude 5 neither (V-58), gpt-5.x neither (V-62); Claude 3.7 Sonnet took both (realwire converse-stream-cache-read-ok)"},
		{"temperature alone", msgs(`"inferenceConfig":{"temperature":0.2}`, hi), []string{"anthropic", "anthropic-one-sampling", "anthropic-no-prefill", "openai"},
			[]string{"anthropic-no-sampling", "openai-gpt-5"},
			"Opus 4.7+ and Claude 5 refuse sampling parameters as deprecated (V-58), gpt-5.x as unsupported (V-62)"},
		{"maxTokens at high reasoning", msgs(`"inferenceConfig":{"maxTokens":1000},"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`, hi),
			nil, []string{"nova-2"},
			"Nova 2 refuses maxTokens at high reasoning effort (V-59); Nova 1 refuses reasoningConfig itself (V-63)"},
		// V-63, converse-contract.md: Nova's reasoningConfig is refused by
		// every Claude (Extra inputs), gpt-5.x (unknown_parameter) and
		// Nova 1 (invalid reasoning config), and taken by Nova 2 (vercel/ai
		// fixture amazon-bedrock-nova-2-high-reasoning-success.json).
		{"Nova 2 reasoningConfig", msgs(`"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"medium"}}`, hi),
			[]string{"nova-2"},
			[]string{"anthropic", "anthropic-one-sampling", "anthropic-no-prefill", "anthropic-no-sampling", "openai-gpt-5", "nova"},
			"another provider's field (V-63)"},
		// Anthropic's own fields pass on every Claude: realwire
		// converse-reasoning-adaptive-ok (thinking adaptive, Sonnet 4.6),
		// vercel/ai amazon-bedrock-opus-5-top-k-success.json (top_k),
		// UKGovernmentBEIS/inspect_ai #5300 (output_config.effort, Sonnet
		// 4.6).
		{"Anthropic's own fields", msgs(`"additionalModelRequestFields":{"thinking":{"type":"adaptive"},"top_k":5,"anthropic_beta":["context-1m-2025-08-07"],"output_config":{"effort":"medium"}}`, hi),
			[]string{"anthropic-no-prefill", "anthropic-no-sampling"},
			[]string{"anthropic", "anthropic-one-sampling", "openai-gpt-5"},
			"output_config.effort needs Claude 4.6 or the effort beta (V-63); gpt-5.x does not know thinking"},
		{"Nova's topK", msgs(`"additionalModelRequestFields":{"inferenceConfig":{"topK":10}}`, hi),
			[]string{"nova", "nova-2"}, nil,
			"realwire converse-guardrail-intervened-nova-ok sends it to Nova Lite"},
	}
	for _, tc := range tests {
		r := decodeRequest(t, tc.body)
		for _, name := range tc.accept {
			f, _ := LookupFamily(name)
			if err := Validate(r, f); err != nil {
				t.Errorf("%s: %s should accept (%s): %v", tc.name, name, tc.reason, err)
			}
		}
		for _, name := range tc.reject {
			f, _ := LookupFamily(name)
			if err := Validate(r, f); err == nil {
				t.Errorf("%s: %s should reject (%s)", tc.name, name, tc.reason)
			}
		}
	}
}

func TestFamilyForModel(t *testing.T) {
	tests := []struct{ id, want string }{
		{"anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic-no-caching"},
		{"us.anthropic.claude-3-haiku-20240307-v1:0", "anthropic-no-caching"},
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic"},
		{"us.anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic"},
		{"anthropic.claude-sonnet-4-20250514-v1:0", "anthropic"},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1%3A0", "anthropic-one-sampling"},
		{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic-one-sampling"},
		{"us.anthropic.claude-opus-4-5-20251101-v1:0", "anthropic-one-sampling"},
		{"us.anthropic.claude-opus-4-1-20250805-v1:0", "anthropic-one-sampling"},
		{"eu.anthropic.claude-sonnet-4-6", "anthropic-no-prefill"},
		{"global.anthropic.claude-opus-4-6-v1", "anthropic-no-prefill"},
		// Opus 4.7 and later and the Claude 5 models refuse sampling
		// parameters: Anthropic's Haiku 5.5 migration guide ("Remove
		// temperature, top_p and top_k from your requests"), vercel/ai's
		// Opus 5 fixtures (V-58), github/copilot-sdk #1557 (Opus 4.7 and
		// 4.8 on Bedrock).
		{"anthropic.claude-opus-4-7", "anthropic-no-sampling"},
		{"arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-opus-4-8", "anthropic-no-sampling"},
		{"anthropic.claude-opus-5-v1:0", "anthropic-no-sampling"},
		{"us.anthropic.claude-sonnet-5", "anthropic-no-sampling"},
		{"anthropic.claude-haiku-5-5", "anthropic-no-sampling"},
		{"anthropic.claude-fable-5-1", "anthropic-no-sampling"},
		{"us.amazon.nova-2-lite-v1:0", "nova-2"},
		{"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0", "nova"},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0", "llama"},
		{"mistral.mistral-7b-instruct-v0:2", "mistral-legacy"},
		{"mistral.mistral-large-2407-v1:0", "mistral"},
		{"amazon.titan-text-express-v1", "titan"},
		{"us.deepseek.r1-v1:0", "deepseek"},
		{"openai.gpt-oss-120b-1:0", "openai"},
		// vercel/ai's gpt-5.x test calls these ids (V-62).
		{"us.openai.gpt-5.6-sol", "openai-gpt-5"},
		{"global.openai.gpt-5.6-luna", "openai-gpt-5"},
	}
	for _, tc := range tests {
		f, ok := FamilyForModel(tc.id)
		if !ok || f.Name != tc.want {
			t.Errorf("FamilyForModel(%q) = %q, %v; want %q", tc.id, f.Name, ok, tc.want)
		}
	}
	if _, ok := FamilyForModel("acme.unknown-v1"); ok {
		t.Errorf("unknown model reported as known")
	}
	if _, err := LookupFamily("gpt"); err == nil || !strings.Contains(err.Error(), "anthropic") {
		t.Errorf("LookupFamily of an unknown name should list the known ones, got %v", err)
	}
}

func TestProfileIDsAndDefaultFamily(t *testing.T) {
	for id, want := range map[string]bool{
		"us.amazon.nova-pro-v1:0": true, "global.anthropic.claude-opus-4-6-v1": true, "in.amazon.nova-lite-v1:0": true,
		"arn:aws:bedrock:us-east-1:1:inference-profile/us.x": true,
		"amazon.nova-pro-v1:0":                               false, "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0": false,
	} {
		if IsProfileID(id) != want {
			t.Errorf("IsProfileID(%q) = %v", id, !want)
		}
	}
	if f := FamilyOrDefault("acme.unknown-v1"); f.Name != DefaultFamily {
		t.Errorf("unknown model: %s", f.Name)
	}
	if f := FamilyOrDefault("us.amazon.nova-pro-v1:0"); f.Name != "nova" {
		t.Errorf("known model: %s", f.Name)
	}
}

// TestFinalTurnWithoutThinking: only the message that opens the final
// assistant turn must start with thinking, and only while the request
// ends inside that turn (V-52).
func TestFinalTurnWithoutThinking(t *testing.T) {
	text := `{"text":"checking"}`
	for _, c := range []struct {
		name  string
		body  string
		index int
		found string
	}{
		{"text before the call", msgs(toolCfg, hi, assistant(text, use), user(res)), 1, "text"},
		{"call first", msgs(toolCfg, hi, assistant(use), user(res)), 1, "tool_use"},
		{"thinking first", msgs(toolCfg, hi, assistant(sig, use), user(res)), -1, ""},
		{"second step of the loop need not think", msgs(toolCfg, hi, assistant(sig, use), user(res), assistant(use2), user(res2)), -1, ""},
		{"second step, first step without thinking", msgs(toolCfg, hi, assistant(use), user(res), assistant(sig, use2), user(res2)), 1, "tool_use"},
		{"the user spoke: the turn is over", msgs(toolCfg, hi, assistant(text, use), user(res), ok, hi), -1, ""},
		{"results and text: the user spoke", msgs(toolCfg, hi, assistant(use), user(res, text)), -1, ""},
		{"final assistant turn", msgs("", hi, ok), 1, "text"},
		{"final assistant turn with thinking", msgs("", hi, assistant(sig, text)), -1, ""},
		{"earlier turns are not checked", msgs("", hi, ok, hi), -1, ""},
	} {
		var r Request
		if err := json.Unmarshal([]byte(c.body), &r); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		i, found, missing := FinalTurnWithoutThinking(&r)
		if missing != (c.index >= 0) || missing && (i != c.index || found != c.found) {
			t.Errorf("%s: got (%d, %q, %v), want index %d, %q", c.name, i, found, missing, c.index, c.found)
		}
	}
}
