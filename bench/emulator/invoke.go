package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	stdjson "encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// messagesRequest is an Anthropic Messages body as InvokeModel takes it
// (the Anthropic SDKs' Bedrock clients send these).
type messagesRequest struct {
	AnthropicVersion string   `json:"anthropic_version"`
	AnthropicBeta    []string `json:"anthropic_beta,omitempty"`
	MaxTokens        *int     `json:"max_tokens"`
	// Messages are read apart, case-sensitively (see parseMessages).
	Messages      []messagesTurn     `json:"-"`
	System        stdjson.RawMessage `json:"system,omitempty"`
	Temperature   *float64           `json:"temperature,omitempty"`
	TopP          *float64           `json:"top_p,omitempty"`
	TopK          *int               `json:"top_k,omitempty"`
	StopSequences []string           `json:"stop_sequences,omitempty"`
	// Tools are read apart, case-sensitively (see parseTools).
	Tools []messagesTool `json:"-"`
	// ToolChoice is read apart, case-sensitively (see readToolChoice).
	ToolChoice   *messagesChoice    `json:"-"`
	Thinking     stdjson.RawMessage `json:"thinking,omitempty"`
	Metadata     stdjson.RawMessage `json:"metadata,omitempty"`
	OutputConfig *messagesOutput    `json:"output_config,omitempty"`
}

// messagesOutput is Claude's output_config: a JSON schema the answer
// follows (structured outputs, which AWS documents for InvokeModel with
// this field) and the effort level.
type messagesOutput struct {
	Format *struct {
		Type   string             `json:"type"`
		Schema stdjson.RawMessage `json:"schema"`
	} `json:"format,omitempty"`
	Effort string `json:"effort,omitempty"`
}

// messagesTurn is a message of a Messages body, read case-sensitively
// (see parseMessages): nil is a key the message does not have.
type messagesTurn struct {
	Role    *string            `json:"role"`
	Content stdjson.RawMessage `json:"content"`
}

type messagesBlock struct {
	Type      string             `json:"type"`
	Text      *string            `json:"text,omitempty"`
	ID        string             `json:"id,omitempty"`
	Name      string             `json:"name,omitempty"`
	Input     stdjson.RawMessage `json:"input,omitempty"`
	ToolUseID string             `json:"tool_use_id,omitempty"`
	Content   stdjson.RawMessage `json:"content,omitempty"`
	Thinking  *string            `json:"thinking,omitempty"`
	Signature string             `json:"signature,omitempty"`
	Data      string             `json:"data,omitempty"`
	IsError   bool               `json:"is_error,omitempty"`
	Source    stdjson.RawMessage `json:"source,omitempty"`
	Cache     stdjson.RawMessage `json:"cache_control,omitempty"`
	// A document's title, context and citations. Citations are a
	// document's {"enabled": true} but a text block's list of the
	// citations an answer gave (Anthropic's TextBlockParam), read apart.
	Title     string             `json:"title,omitempty"`
	Context   string             `json:"context,omitempty"`
	Citations stdjson.RawMessage `json:"citations,omitempty"`
}

// messagesSource is the source of an Anthropic image or document block
// (Anthropic's vision and PDF support docs): base64 data of a media
// type, a url, for documents plain text (data) or content blocks.
type messagesSource struct {
	Type      string             `json:"type"`
	MediaType string             `json:"media_type"`
	Data      string             `json:"data"`
	URL       string             `json:"url"`
	Content   stdjson.RawMessage `json:"content"`
}

type messagesTool struct {
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	InputSchema stdjson.RawMessage `json:"input_schema"`
	Strict      *bool              `json:"strict,omitempty"`
	Type        string             `json:"type,omitempty"`
	Cache       stdjson.RawMessage `json:"cache_control,omitempty"`
}

type messagesChoice struct {
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// malformed is the schema validator's text Bedrock answers for InvokeModel
// bodies that do not fit the model's request schema.
func malformed(detail string) *apiError {
	return validationError("Malformed input request: " + detail + ", please reformat your input and try again.")
}

// modelError is a model's own refusal as InvokeModel answers it: the
// model's text alone, without the [converse.ModelErrorPrefix] Converse
// puts before it.
func modelError(detail string) *apiError {
	return validationError(detail)
}

// ruleText is the message of the contract rule named name, its verbs
// filled with args, as InvokeModel answers it: a model's text without
// the [converse.ModelErrorPrefix] Converse puts before it. The Anthropic
// refusals InvokeModel passes through are the model layer's rules, so
// the two operations answer one text.
func ruleText(name string, args ...any) string {
	r := invokeRules[name]
	if r == nil {
		panic("emulator: no contract rule " + name)
	}
	return strings.TrimPrefix(fmt.Sprintf(r.Message, args...), converse.ModelErrorPrefix)
}

// invokeRules are the contract's rules by name.
var invokeRules = func() map[string]*converse.Rule {
	m := map[string]*converse.Rule{}
	for _, r := range converse.Rules() {
		m[r.Name] = r
	}
	return m
}()

// invokeError is err as InvokeModel answers it: a Converse rule's model
// text (LayerModel) loses the prefix Converse puts before it.
func invokeError(err *apiError) *apiError {
	if err == nil || !strings.HasPrefix(err.Msg, converse.ModelErrorPrefix) {
		return err
	}
	bare := *err
	bare.Msg = strings.TrimPrefix(err.Msg, converse.ModelErrorPrefix)
	return &bare
}

// invokeRefusals are the Converse rules InvokeModel enforces on the
// Converse request a Messages body is turned into, with the same texts
// (a model's without [converse.ModelErrorPrefix]): a cache_control on a
// Claude model Bedrock offers no prompt caching for (V-44: cline/cline
// #2064, through Anthropic's Bedrock client, which calls InvokeModel), a
// ttl 1h cache_control after a 5m one (V-49, Anthropic's own rule, whose
// path counts Anthropic's blocks as the conversion keeps them), more than
// four cache_control blocks (V-45), and the schemas Claude's constrained
// decoding refuses (V-30); by name, max_tokens above the model's output
// limit in the emulator's catalog (V-61), thinking "enabled" where the
// model takes only "adaptive" (V-56, Opus 4.7 and later), and Anthropic's
// own refusals of a model's family: a final assistant turn on Claude 4.6
// and later (V-5 no-prefill), temperature with top_p on Claude 4.5 (V-57),
// either on Claude 5 (V-58), a final turn that does not open with its
// thinking (V-52). Claude reads the bytes of the images and documents a
// Messages body holds as it reads Converse's (see mediaOf): a PDF that is
// none or a document that cannot be its format (V-37), an image of
// another format than declared or no image at all (V-39), an image over
// 5 MB of base64 or more than the family's images (V-40). The media
// texts' paths are Anthropic's messages.N.content.M, which Converse's
// count too, with Converse's tails (image.source.bytes) [Inferred: no
// InvokeModel capture; Anthropic's own API says image.source.base64].
// An image or document in an assistant turn is refused (V-41, Claude's
// own text), as is a thinking block without its signature (V-54,
// Anthropic's pydantic "Field required" for the missing key; a signature
// present but empty gets the same text, as on Converse, whose wire
// cannot tell the two apart [Inferred]). These are the provider's texts,
// which Converse passes on prefixed and InvokeModel bare.
//
// A cache point after a document that is no PDF (V-48) cannot be written
// in a Messages body: its cache_control is a field of the block it
// caches, not a block after it, and Anthropic caches documents (its
// prompt caching docs). The refusal, "type: Field required", is of the
// block Bedrock's Converse translation makes of a cache point, so
// InvokeModel does not enforce it.
var invokeRefusals = map[string]bool{"V-30": true, "V-37": true, "V-39": true, "V-40": true, "V-41": true, "V-44": true, "V-45": true, "V-49": true,
	"reasoning-signature":    true,
	"max-tokens-above-limit": true, "thinking-adaptive-only": true,
	"no-prefill": true, "temperature-with-top-p": true, "sampling-deprecated": true, "thinking-final-turn-start": true}

// invokeRefusal is the first error of invokeRefusals the request gets,
// or nil. Anthropic's beta output-128k-2025-02-19 lifts Claude 3.7
// Sonnet's output limit.
func invokeRefusal(body []byte, conv *converse.Request, f converse.Family) *apiError {
	for _, v := range converse.Check(conv, f) {
		if !invokeRefusals[v.Rule.ID] && !invokeRefusals[v.Rule.Name] {
			continue
		}
		if v.Rule.Name == "max-tokens-above-limit" && bytes.Contains(body, []byte("output-128k-2025-02-19")) {
			continue
		}
		return &apiError{Status: v.Rule.Status, Type: v.Rule.Exception, Msg: v.Message}
	}
	return nil
}

// cachePointOf is the Converse cache point of a Messages cache_control,
// its ttl kept ("5m" or "1h"; none is 5m).
func cachePointOf(cacheControl stdjson.RawMessage) *converse.CachePoint {
	var cc struct {
		TTL string `json:"ttl"`
	}
	_ = stdjson.Unmarshal(cacheControl, &cc)
	return &converse.CachePoint{Type: "default", TTL: cc.TTL}
}

// invokeModel serves InvokeModel and InvokeModelWithResponseStream for
// Anthropic models with Anthropic Messages bodies.
func (s *Server) invokeModel(w http.ResponseWriter, r *http.Request, rawID string, stream bool) {
	a, release, ok := s.admit(w, r, rawID, stream)
	defer release()
	if !ok {
		return
	}
	if !strings.Contains(a.target.Model.ID, "anthropic.") {
		writeError(w, validationError(fmt.Sprintf("The emulator answers InvokeModel for Anthropic models (Messages bodies) only; call %s through Converse.", a.target.Model.ID)))
		return
	}
	tier, latency, aerr := s.invokeTier(r.Header, a.target.Model.ID, a.scope.Region)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	req, conv, aerr := parseMessages(a.body)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	family := converse.FamilyOrDefault(a.target.Model.ID)
	family.MaxOutputTokens = a.target.Model.MaxOutputTokens
	if aerr := invokeRefusal(a.body, conv, family); aerr != nil {
		writeError(w, invokeError(aerr))
		return
	}
	if aerr := s.checkReasoningSignatures(conv, family); aerr != nil {
		writeError(w, invokeError(aerr))
		return
	}
	// A prompt over the model's context window (V-65), which
	// anthropic_beta may open wider, as on Converse, bare.
	if aerr := checkInputLimit(conv, a.target.Model, family, req.AnthropicBeta); aerr != nil {
		writeError(w, invokeError(aerr))
		return
	}
	fault, aerr := s.faults.before(r.Context(), a.scope.Region, stream, a.hashes.attempts)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	// tool_choice "none": the model answers without calling a tool
	// (Anthropic's tool use docs); Converse has no such choice, so the
	// reply is told apart from auto here.
	noToolCalls := req.ToolChoice != nil && req.ToolChoice.Type == "none"
	rep := makeReply(answerContext{model: a.target.Model.ID, family: family, signKey: s.signKey, noToolCalls: noToolCalls, ctx: r.Context()}, conv, a.hashes.reply)
	if r.Context().Err() != nil {
		return // the client went away while the answer was made
	}
	s.cache.account(a.target.Model, family, conv, &rep)
	w.Header().Set(InferenceRegionHeader, a.route)
	if tier != "" {
		w.Header().Set(ServiceTierHeader, tier)
	}
	if latency != "" {
		w.Header().Set(LatencyHeader, latency)
	}
	if stream {
		s.writeMessagesStream(w, a.target.Model.ID, rep, fault)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Bedrock-Input-Token-Count", strconv.Itoa(rep.usage.input))
	h.Set("X-Amzn-Bedrock-Output-Token-Count", strconv.Itoa(rep.usage.output))
	h.Set("X-Amzn-Bedrock-Invocation-Latency", strconv.FormatInt(rep.latencyMs, 10))
	out, _ := json.Marshal(messagesResponse(a.target.Model.ID, rep), json.Deterministic(true))
	_, _ = w.Write(out)
}

// ServiceTierHeader and LatencyHeader are the headers an InvokeModel call
// names its service tier and latency in, and its answer what served it
// (see [converse.ServiceTierHeader]).
const (
	ServiceTierHeader = converse.ServiceTierHeader
	LatencyHeader     = converse.LatencyHeader
)

// invokeTier reads the service tier and latency headers of an InvokeModel
// call to model from region and checks them as Converse's serviceTier and
// performanceConfig are checked (V-67): a tier the service model does not
// list, "reserved" without a reservation, priority or flex where the
// catalog's table does not list the model and Region, and a latency
// other than standard or optimized are refused. The tier's text is
// Converse's, and the latency's Coral's enum text with the header
// member's name [Inferred: neither captured for InvokeModel; nor whether
// the service checks them before the body, as here].
func (s *Server) invokeTier(h http.Header, model, region string) (tier, latency string, aerr *apiError) {
	tier, latency = h.Get(ServiceTierHeader), h.Get(LatencyHeader)
	if latency != "" && latency != converse.LatencyStandard && latency != converse.LatencyOptimized {
		return "", "", validationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'performanceConfigLatency' failed to satisfy constraint: Member must satisfy enum value set: [optimized, standard]", latency))
	}
	if tier == "" {
		return "", latency, nil
	}
	if !converse.ValidServiceTier(tier) {
		return "", "", validationError(msgTierInvalid)
	}
	if aerr := s.checkTier(tier, model, region); aerr != nil {
		return "", "", aerr
	}
	return tier, latency, nil
}

// parseMessages checks an Anthropic Messages body in the order the
// service does (schema, then the model's own rules) and turns it into the
// equivalent Converse request the reply is made from.
func parseMessages(body []byte) (*messagesRequest, *converse.Request, *apiError) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, nil, malformed("#: expected type: JSONObject, found: " + jsonKindName(trimmed))
	}
	var raw map[string]stdjson.RawMessage
	if err := stdjson.Unmarshal(body, &raw); err != nil {
		return nil, nil, malformed("#: invalid JSON")
	}
	allowed := map[string]bool{"anthropic_version": true, "anthropic_beta": true, "max_tokens": true, "messages": true, "system": true, "temperature": true,
		"top_p": true, "top_k": true, "stop_sequences": true, "tools": true, "tool_choice": true, "thinking": true, "metadata": true, "output_config": true}
	for _, k := range []string{"anthropic_version", "max_tokens", "messages"} {
		if _, ok := raw[k]; !ok {
			return nil, nil, malformed("#: required key [" + k + "] not found")
		}
	}
	for k := range raw {
		if !allowed[k] {
			return nil, nil, malformed("#: extraneous key [" + k + "] is not permitted")
		}
	}
	var req messagesRequest
	if err := stdjson.Unmarshal(body, &req); err != nil {
		return nil, nil, malformed("#: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	// The messages, their keys and their blocks' read as written, as
	// Anthropic reads them ("Role" is no role), where encoding/json would
	// match names without regard to case; read once, here.
	msgs := bytes.TrimSpace(raw["messages"])
	if len(msgs) == 0 || msgs[0] != '[' {
		return nil, nil, malformed("#/messages: expected type: JSONArray, found: " + jsonKindName(msgs))
	}
	if err := converse.UnmarshalModelFields(msgs, &req.Messages); err != nil {
		return nil, nil, malformed("#/messages: " + err.Error())
	}
	// Each message as written, whose keys the extra-key check reads.
	var turnsRaw []jsontext.Value
	if err := converse.UnmarshalModelFields(msgs, &turnsRaw); err != nil {
		return nil, nil, malformed("#/messages: " + err.Error())
	}
	tools, aerr := parseTools(raw["tools"])
	if aerr != nil {
		return nil, nil, aerr
	}
	req.Tools = tools
	if aerr := checkRequestMembers(raw); aerr != nil {
		return nil, nil, aerr
	}
	if req.ToolChoice, aerr = readToolChoice(raw["tool_choice"]); aerr != nil {
		return nil, nil, aerr
	}
	// "bedrock-2023-05-31", or the date version Anthropic's own SDKs
	// send (their anthropic-version header, copied into the body).
	if !anthropicVersion.MatchString(req.AnthropicVersion) {
		return nil, nil, malformed("#/anthropic_version: " + strconv.Quote(req.AnthropicVersion) + " is not a valid enum value")
	}
	if req.MaxTokens == nil || *req.MaxTokens < 1 {
		return nil, nil, modelError("max_tokens: Input should be greater than or equal to 1")
	}
	if len(req.Messages) == 0 {
		return nil, nil, modelError("messages: at least one message is required")
	}
	conv := &converse.Request{InferenceConfig: &converse.InferenceConfig{MaxTokens: req.MaxTokens, Temperature: req.Temperature, TopP: req.TopP, StopSequences: req.StopSequences}}
	thinking := false
	if len(req.Thinking) > 0 {
		var t struct {
			Type         string `json:"type"`
			BudgetTokens int    `json:"budget_tokens"`
		}
		_ = converse.UnmarshalModelFields(req.Thinking, &t)
		thinking = t.Type == "enabled" || t.Type == "adaptive"
		if t.Type == "enabled" && t.BudgetTokens < converse.MinThinkingBudget {
			return nil, nil, modelError(ruleText("thinking-budget-minimum"))
		}
		if t.Type == "enabled" && *req.MaxTokens <= t.BudgetTokens {
			return nil, nil, modelError(ruleText("thinking-budget-max-tokens"))
		}
		conv.AdditionalModelRequestFields = append(stdjson.RawMessage(`{"thinking":`), append(req.Thinking, '}')...)
	}
	if o := req.OutputConfig; o != nil {
		conv.OutputConfig = &converse.OutputConfig{Effort: o.Effort}
		if f := o.Format; f != nil {
			if f.Type != "json_schema" {
				return nil, nil, modelError(fmt.Sprintf("output_config.format.type: Input tag '%s' found using 'type' does not match any of the expected tags: 'json_schema'", f.Type))
			}
			if len(f.Schema) == 0 || f.Schema[0] != '{' {
				return nil, nil, modelError("output_config.format.schema: Input should be a valid dictionary")
			}
			conv.OutputConfig.TextFormat = &converse.OutputFormat{Type: "json_schema",
				Structure: converse.OutputFormatStructure{JSONSchema: &converse.JSONSchemaDefinition{Schema: string(f.Schema)}}}
		}
	}
	if thinking && req.Temperature != nil && *req.Temperature != 1 {
		return nil, nil, modelError(ruleText("thinking-temperature"))
	}
	if thinking && req.ToolChoice != nil && (req.ToolChoice.Type == "any" || req.ToolChoice.Type == "tool") {
		return nil, nil, modelError(ruleText("thinking-forced-tool"))
	}
	if len(req.System) > 0 {
		system, aerr := parseSystem(req.System)
		if aerr != nil {
			return nil, nil, aerr
		}
		conv.System = system
	}
	if aerr := checkToolChoice(&req); aerr != nil {
		return nil, nil, aerr
	}
	if len(req.Tools) > 0 {
		conv.ToolConfig = &converse.ToolConfig{}
		for _, t := range req.Tools {
			conv.ToolConfig.Tools = append(conv.ToolConfig.Tools, converse.Tool{ToolSpec: &converse.ToolSpec{Name: t.Name, Description: t.Description, InputSchema: converse.InputSchema{JSON: []byte(t.InputSchema)}, Strict: t.Strict}})
			if len(t.Cache) > 0 {
				conv.ToolConfig.Tools = append(conv.ToolConfig.Tools, converse.Tool{CachePoint: cachePointOf(t.Cache)})
			}
		}
		if c := req.ToolChoice; c != nil {
			switch c.Type {
			case "any":
				conv.ToolConfig.ToolChoice = &converse.ToolChoice{Any: &struct{}{}}
			case "tool":
				conv.ToolConfig.ToolChoice = &converse.ToolChoice{Tool: &converse.ToolChoiceTool{Name: c.Name}}
			}
		}
	}
	var prevToolUses map[string]bool
	// prevUseOrder holds the previous message's tool_use ids in the order
	// it gives them, which the refusal of unanswered ones lists them in.
	var prevUseOrder []string
	for i, turn := range req.Messages {
		// A missing key is pydantic's "Field required", a block without
		// its type its text for a missing discriminator [Inferred: neither
		// captured from Anthropic or Bedrock].
		if turn.Role == nil {
			return nil, nil, modelError(fmt.Sprintf("messages.%d.role: Field required", i))
		}
		role := *turn.Role
		if role != "user" && role != "assistant" {
			return nil, nil, modelError(fmt.Sprintf("messages.%d.role: Input should be 'user' or 'assistant'", i))
		}
		if turn.Content == nil {
			return nil, nil, modelError(fmt.Sprintf("messages.%d.content: Field required", i))
		}
		// A null content is neither a string nor a list: Anthropic's
		// "messages.<n>.content: Input should be a valid list" for a
		// message serialized with "content": null (obot-platform/nanobot
		// PR #193). Before, null read as an empty string.
		if string(bytes.TrimSpace(turn.Content)) == "null" {
			return nil, nil, modelError(fmt.Sprintf("messages.%d.content: Input should be a valid list", i))
		}
		if i == 0 && role != "user" {
			return nil, nil, modelError(`messages: first message must use the "user" role`)
		}
		var blocks []messagesBlock
		var text string
		if stdjson.Unmarshal(turn.Content, &text) == nil {
			blocks = []messagesBlock{{Type: "text", Text: &text}}
		} else if err := converse.UnmarshalModelFields(turn.Content, &blocks); err != nil {
			return nil, nil, modelError(fmt.Sprintf("messages.%d.content: Input should be a valid list", i))
		}
		if aerr := checkMessageShape(i, turnsRaw[i], turn.Content, blocks); aerr != nil {
			return nil, nil, aerr
		}
		m := converse.Message{Role: converse.Role(role)}
		uses := map[string]bool{}
		var useOrder []string
		for j, b := range blocks {
			switch b.Type { // a type checkMessageShape takes
			case "text":
				if b.Text == nil || *b.Text == "" {
					return nil, nil, modelError(ruleText("provider-blank-text", "be non-empty"))
				}
				t := *b.Text
				m.Content = append(m.Content, converse.ContentBlock{Text: &t})
			case "tool_use":
				if !uses[b.ID] {
					useOrder = append(useOrder, b.ID)
				}
				uses[b.ID] = true
				m.Content = append(m.Content, converse.ContentBlock{ToolUse: &converse.ToolUseBlock{ToolUseID: b.ID, Name: b.Name, Input: []byte(b.Input)}})
			case "tool_result":
				if !prevToolUses[b.ToolUseID] {
					return nil, nil, modelError(fmt.Sprintf("messages.%d.content.%d: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, j, b.ToolUseID))
				}
				content, aerr := toolResultContent(b.Content, fmt.Sprintf("messages.%d.content.%d.tool_result.content", i, j))
				if aerr != nil {
					return nil, nil, aerr
				}
				m.Content = append(m.Content, converse.ContentBlock{ToolResult: &converse.ToolResultBlock{ToolUseID: b.ToolUseID, Content: content}})
			case "thinking":
				t := ""
				if b.Thinking != nil {
					t = *b.Thinking
				}
				m.Content = append(m.Content, converse.ContentBlock{ReasoningContent: &converse.ReasoningContent{ReasoningText: &converse.ReasoningText{Text: t, Signature: b.Signature}}})
			case "redacted_thinking":
				m.Content = append(m.Content, converse.ContentBlock{ReasoningContent: &converse.ReasoningContent{RedactedContent: []byte(b.Data)}})
			case "image", "document":
				c, aerr := mediaOf(b, fmt.Sprintf("messages.%d.content.%d", i, j))
				if aerr != nil {
					return nil, nil, aerr
				}
				m.Content = append(m.Content, c)
			}
			if len(b.Cache) > 0 {
				m.Content = append(m.Content, converse.ContentBlock{CachePoint: cachePointOf(b.Cache)})
			}
		}
		// Anthropic's text for a tool_use the next message leaves
		// unanswered, naming that message (contract reference V-23, from
		// pydantic/pydantic-ai #3253); InvokeModel passes Anthropic's
		// errors through without Converse's "The model returned the
		// following errors: " (browser-use/browser-use #988 quotes this
		// rule's older text bare, open-webui/open-webui #2459 another).
		if missing := unansweredToolUses(prevUseOrder, blocks); len(missing) > 0 {
			return nil, nil, modelError(ruleText("document-beside-tool-results", i, strings.Join(missing, ", ")))
		}
		if role == "assistant" {
			prevToolUses, prevUseOrder = uses, useOrder
		} else {
			prevToolUses, prevUseOrder = nil, nil
		}
		conv.Messages = append(conv.Messages, m)
	}
	if *req.Messages[len(req.Messages)-1].Role == "assistant" {
		lm := conv.Messages[len(conv.Messages)-1]
		if n := len(lm.Content); n > 0 && lm.Content[n-1].Text != nil && strings.TrimRight(*lm.Content[n-1].Text, " \t\n\r") != *lm.Content[n-1].Text {
			return nil, nil, modelError(ruleText("final-trailing-whitespace"))
		}
	}
	return &req, conv, nil
}

// parseSystem reads a Messages body's system prompt, a string or a list
// of text blocks, as Anthropic reads it, case-sensitively: a block's
// keys are read as written ({"Type":"text"} has no type), where
// encoding/json would match them without regard to case. A block
// without its type or text gets pydantic's "Field required" at
// system.N (Anthropic's path for a system block, as in
// "system.1.cache_control.ephemeral.scope: Extra inputs are not
// permitted", caozhiyuan/copilot-api #145), a type other than text
// pydantic's text for a literal [Inferred: neither captured].
func parseSystem(raw stdjson.RawMessage) ([]converse.SystemBlock, *apiError) {
	var text string
	if stdjson.Unmarshal(raw, &text) == nil {
		return []converse.SystemBlock{{Text: &text}}, nil
	}
	var blocks []messagesBlock
	var blocksRaw []jsontext.Value
	if converse.UnmarshalModelFields(raw, &blocks) != nil || converse.UnmarshalModelFields(raw, &blocksRaw) != nil {
		return nil, modelError("system: Input should be a valid list")
	}
	var out []converse.SystemBlock
	for i, b := range blocks {
		switch {
		case b.Type == "":
			return nil, modelError(fmt.Sprintf("system.%d.type: Field required", i))
		case b.Type != "text":
			return nil, modelError(fmt.Sprintf("system.%d.type: Input should be 'text'", i))
		case b.Text == nil:
			return nil, modelError(fmt.Sprintf("system.%d.text: Field required", i))
		}
		if k, ok := extraKey(blocksRaw[i], blockKeys["text"]); ok {
			return nil, modelError(fmt.Sprintf("system.%d.%s: %s", i, k, extraInputs))
		}
		t := *b.Text
		out = append(out, converse.SystemBlock{Text: &t})
		if len(b.Cache) > 0 {
			out = append(out, converse.SystemBlock{CachePoint: cachePointOf(b.Cache)})
		}
	}
	return out, nil
}

// parseTools reads a Messages body's tools as Anthropic reads them,
// case-sensitively: {"Name":"f"} has no name, where encoding/json would
// match the keys without regard to case. A custom tool (no type, or
// "custom") without its name or input_schema gets pydantic's "Field
// required" at tools.N.custom, the path Anthropic names a custom tool's
// members at ("tools.0.custom.strict: Extra inputs are not permitted",
// vercel/ai fixture issue-18199-sonnet-5-strict-error.json) [Inferred:
// the missing-field text not captured]. Tools that are not a list get
// the schema validator's text, as messages do [Inferred]; null is none.
func parseTools(raw stdjson.RawMessage) ([]messagesTool, *apiError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '[' {
		return nil, malformed("#/tools: expected type: JSONArray, found: " + jsonKindName(raw))
	}
	var tools []messagesTool
	if err := converse.UnmarshalModelFields(raw, &tools); err != nil {
		return nil, malformed("#/tools: " + err.Error())
	}
	var keys []jsontext.Value
	if err := converse.UnmarshalModelFields(raw, &keys); err != nil {
		return nil, malformed("#/tools: " + err.Error())
	}
	for i, t := range tools {
		if t.Type != "" && t.Type != "custom" {
			// A server tool's shape is its type's.
			if aerr := checkServerTool(i, t.Type, keys[i]); aerr != nil {
				return nil, aerr
			}
			continue
		}
		for _, k := range []string{"name", "input_schema"} {
			if !hasKey(keys[i], k) {
				return nil, modelError(fmt.Sprintf("tools.%d.custom.%s: Field required", i, k))
			}
		}
		if k, ok := extraKey(keys[i], customToolKeys); ok {
			return nil, modelError(fmt.Sprintf("tools.%d.custom.%s: %s", i, k, extraInputs))
		}
	}
	return tools, nil
}

// checkServerTool refuses a member that a server tool of a type
// serverToolKeys lists does not declare, at tools.N.TYPE.KEY: the path
// Anthropic names a server tool's members at, its type for the tag
// ("tools.N.web_search_20250305.name: Input should be 'web_search'",
// quoted by a @kybernesis/exe script) [Inferred: the extra-member text
// at that path not captured]. A type the table does not list is taken
// as it is, as before.
func checkServerTool(i int, typ string, tool []byte) *apiError {
	keys, ok := serverToolKeys[typ]
	if !ok {
		return nil
	}
	if k, ok := extraKey(tool, keys); ok {
		return modelError(fmt.Sprintf("tools.%d.%s.%s: %s", i, typ, k, extraInputs))
	}
	return nil
}

// extraInputs is pydantic's text for a member a model does not declare,
// which Anthropic's API answers after the member's path:
// "messages.1.content.0.text.parsed_output: Extra inputs are not
// permitted".
const extraInputs = "Extra inputs are not permitted"

// messageKeys are the members of a Messages message (Anthropic's
// MessageParam).
var messageKeys = []string{"role", "content"}

// blockKeys are the members Anthropic's Messages API takes in each
// content block type InvokeModel reads (its TextBlockParam,
// ImageBlockParam, DocumentBlockParam, ToolUseBlockParam, with the
// caller programmatic tool calling sets, ToolResultBlockParam,
// ThinkingBlockParam and RedactedThinkingBlockParam): another member is
// refused. A thinking block takes no cache_control
// ("messages.13.content.0.thinking.cache_control: Extra inputs are not
// permitted", Wei-Shaw/sub2api #225).
var blockKeys = map[string][]string{
	"text":              {"type", "text", "cache_control", "citations"},
	"image":             {"type", "source", "cache_control"},
	"document":          {"type", "source", "cache_control", "title", "context", "citations"},
	"tool_use":          {"type", "id", "name", "input", "cache_control", "caller"},
	"tool_result":       {"type", "tool_use_id", "content", "is_error", "cache_control"},
	"thinking":          {"type", "thinking", "signature"},
	"redacted_thinking": {"type", "data"},
}

// customToolKeys are the members of a custom tool (Anthropic's
// ToolParam): its name, description, input_schema, cache_control,
// strict and type, and the members its betas add (defer_loading for
// tool search, input_examples, allowed_callers, eager_input_streaming),
// taken whatever the betas, so no client's request is refused for them
// [Inferred: Anthropic refuses them without their beta,
// "tools.0.custom.defer_loading: Extra inputs are not permitted",
// anthropics/claude-code #31033].
var customToolKeys = []string{"type", "name", "description", "input_schema", "cache_control", "strict",
	"defer_loading", "input_examples", "allowed_callers", "eager_input_streaming"}

// serverToolKeys are the members of each server tool type (Anthropic's
// ToolUnion and BetaToolUnion, @anthropic-ai/sdk 1.17.0, the version the
// conformance suite pins: ToolBash20250124, ToolTextEditor20250728,
// WebSearchTool20250305, ...), beta members taken whatever the betas,
// as a custom tool's are. The table lists every type the SDK declares,
// whichever of them Bedrock runs, so that none is refused for a member
// it documents.
var serverToolKeys = func() map[string][]string {
	common := []string{"type", "name", "cache_control", "allowed_callers", "defer_loading", "strict"}
	with := func(extra ...string) []string { return append(slices.Clone(common), extra...) }
	m := map[string][]string{}
	set := func(keys []string, types ...string) {
		for _, t := range types {
			m[t] = keys
		}
	}
	set(with("input_examples"), "bash_20241022", "bash_20250124", "memory_20250818",
		"text_editor_20241022", "text_editor_20250124", "text_editor_20250429")
	set(with("input_examples", "max_characters"), "text_editor_20250728")
	set(with("input_examples", "display_width_px", "display_height_px", "display_number"), "computer_20241022", "computer_20250124")
	set(with("input_examples", "display_width_px", "display_height_px", "display_number", "enable_zoom"), "computer_20251124")
	set(with(), "code_execution_20250522", "code_execution_20250825", "code_execution_20260120", "code_execution_20260521",
		"tool_search_tool_bm25_20251119", "tool_search_tool_bm25", "tool_search_tool_regex_20251119", "tool_search_tool_regex")
	set(with("max_uses", "allowed_domains", "blocked_domains", "user_location"), "web_search_20250305", "web_search_20260209")
	set(with("max_uses", "allowed_domains", "blocked_domains", "user_location", "response_inclusion"), "web_search_20260318")
	set(with("max_uses", "allowed_domains", "blocked_domains", "citations", "max_content_tokens", "url_sources"), "web_fetch_20250910", "web_fetch_20260209")
	set(with("max_uses", "allowed_domains", "blocked_domains", "citations", "max_content_tokens", "url_sources", "use_cache"), "web_fetch_20260309")
	set(with("max_uses", "allowed_domains", "blocked_domains", "citations", "max_content_tokens", "url_sources", "use_cache", "response_inclusion"), "web_fetch_20260318")
	set(with("max_uses", "model", "max_tokens", "caching"), "advisor_20260301")
	set([]string{"type", "cache_control", "configs"}, "browser_toolset_20260801", "computer_toolset_20260801")
	set([]string{"type", "mcp_server_name", "cache_control", "configs", "default_config", "tools"}, "mcp_toolset")
	return m
}()

// The members of the request's other objects Anthropic's Messages API
// declares (its MessageCreateParams, with the members its betas add,
// taken whatever the betas as a custom tool's are), by the object's
// type where it is a tagged union:
//   - toolChoiceKeys: ToolChoiceAuto, ToolChoiceAny, ToolChoiceTool and
//     ToolChoiceNone;
//   - thinkingKeys: ThinkingConfigEnabled (display, and the beta's
//     block_binding), ThinkingConfigAdaptive, ThinkingConfigDisabled and
//     ThinkingConfigBetweenTools;
//   - metadataKeys: Metadata;
//   - outputConfigKeys: OutputConfig (the beta's task_budget besides
//     effort and format), outputFormatKeys its JSONOutputFormat;
//   - sourceKeys: the sources of an image (Base64ImageSource,
//     URLImageSource, the Files API's FileImageSource) and of a document
//     (Base64PDFSource, PlainTextSource, ContentBlockSource,
//     URLPDFSource, FileDocumentSource).
var (
	toolChoiceKeys = map[string][]string{
		"auto": {"type", "disable_parallel_tool_use"},
		"any":  {"type", "disable_parallel_tool_use"},
		"tool": {"type", "name", "disable_parallel_tool_use"},
		"none": {"type"},
	}
	thinkingKeys = map[string][]string{
		"enabled":       {"type", "budget_tokens", "display", "block_binding"},
		"adaptive":      {"type", "display", "block_binding"},
		"disabled":      {"type"},
		"between_tools": {"type"},
	}
	metadataKeys     = []string{"user_id"}
	outputConfigKeys = []string{"effort", "format", "task_budget"}
	outputFormatKeys = []string{"type", "schema"}
	sourceKeys       = map[string]map[string][]string{
		"image": {
			"base64": {"type", "media_type", "data"},
			"url":    {"type", "url"},
			"file":   {"type", "file_id"},
		},
		"document": {
			"base64":  {"type", "media_type", "data"},
			"text":    {"type", "media_type", "data"},
			"content": {"type", "content"},
			"url":     {"type", "url"},
			"file":    {"type", "file_id"},
		},
	}
)

// checkRequestMembers refuses a member that Anthropic's schema does not
// declare in the body's metadata, output_config (and its format),
// thinking and tool_choice, bare, with pydantic's "Extra inputs are not
// permitted" at the member's path. A tagged union (thinking,
// tool_choice) names the member after its type, as a custom tool's
// members are named after "custom": "thinking.adaptive.effort"
// (immersive-translate/immersive-translate #3818) and
// "thinking.disabled.display" (anthropics/claude-code #69618), seen from
// Anthropic's API; "tool_choice.auto.disable_parallel_tool_use", quoted
// from OpenRouter's Anthropic route, whose schema lacked that member
// [Inferred for tool_choice through InvokeModel]. metadata and
// output_config are no unions, so the member follows the object
// ("metadata.KEY", "output_config.KEY", "output_config.format.KEY")
// [Inferred: none captured]. A type the tables do not list, and a member
// that is no object, are left as before (not checked here).
func checkRequestMembers(raw map[string]stdjson.RawMessage) *apiError {
	if k, ok := extraKey(raw["metadata"], metadataKeys); ok {
		return modelError(fmt.Sprintf("metadata.%s: %s", k, extraInputs))
	}
	if oc := raw["output_config"]; len(oc) > 0 {
		if k, ok := extraKey(oc, outputConfigKeys); ok {
			return modelError(fmt.Sprintf("output_config.%s: %s", k, extraInputs))
		}
		var f struct {
			Format jsontext.Value `json:"format"`
		}
		_ = converse.UnmarshalModelFields(oc, &f)
		// Another format type gets the tag's refusal (parseMessages).
		if typeTag(f.Format) == "json_schema" {
			if k, ok := extraKey(f.Format, outputFormatKeys); ok {
				return modelError(fmt.Sprintf("output_config.format.%s: %s", k, extraInputs))
			}
		}
	}
	for _, u := range []struct {
		name    string
		members map[string][]string
	}{{"thinking", thinkingKeys}, {"tool_choice", toolChoiceKeys}} {
		if tag, k, ok := taggedExtraKey(raw[u.name], u.members); ok {
			return modelError(fmt.Sprintf("%s.%s.%s: %s", u.name, tag, k, extraInputs))
		}
	}
	return nil
}

// readToolChoice reads tool_choice as Anthropic does: its members by
// their exact names ({"Type":"any"} has no type, where encoding/json
// took "Type" for "type"), a union tagged by its type. An object without
// a type, or of a type Anthropic does not declare, is refused with
// pydantic's texts for a tagged union, at the union's path as recorded
// for tools ("tools.0: Input tag 'web_search_20250305' found using 'type'
// does not match any of the expected tags: ...", pydantic-ai's
// CountTokens cassette, error-texts.md) and for a content block without
// its type [Inferred for tool_choice], and a member of the wrong kind
// with pydantic's texts at its path [Inferred]. Absent or null is no
// choice.
func readToolChoice(raw []byte) (*messagesChoice, *apiError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '{' {
		// Bedrock's schema check, as for messages that are no list.
		return nil, malformed("#/tool_choice: expected type: JSONObject, found: " + jsonKindName(raw))
	}
	var c struct {
		Type     jsontext.Value `json:"type"`
		Name     jsontext.Value `json:"name"`
		Parallel jsontext.Value `json:"disable_parallel_tool_use"`
	}
	_ = converse.UnmarshalModelFields(raw, &c)
	tag := typeTag(raw)
	if tag == "" {
		return nil, modelError("tool_choice: Unable to extract tag using discriminator 'type'")
	}
	if _, ok := toolChoiceKeys[tag]; !ok {
		return nil, modelError(fmt.Sprintf("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'", tag))
	}
	choice := &messagesChoice{Type: tag}
	// null is taken as the member left out: the SDKs' optional member,
	// which some clients send as null [Inferred].
	if len(c.Parallel) > 0 && c.Parallel.Kind() != 't' && c.Parallel.Kind() != 'f' && c.Parallel.Kind() != 'n' {
		return nil, modelError(fmt.Sprintf("tool_choice.%s.disable_parallel_tool_use: Input should be a valid boolean", tag))
	}
	if tag == "tool" {
		if len(c.Name) == 0 {
			return nil, modelError("tool_choice.tool.name: Field required")
		}
		if c.Name.Kind() != '"' || converse.UnmarshalModelFields(c.Name, &choice.Name) != nil {
			return nil, modelError("tool_choice.tool.name: Input should be a valid string")
		}
	}
	return choice, nil
}

// typeTag is the type member of the JSON object obj, read as written, or
// "" where it has none or it is no string.
func typeTag(obj []byte) string {
	var v struct {
		Type string `json:"type"`
	}
	if len(obj) == 0 || converse.UnmarshalModelFields(obj, &v) != nil {
		return ""
	}
	return v.Type
}

// taggedExtraKey is the first member of obj, an object of a tagged union
// whose members by type are members, that its type does not declare,
// and that type. An object of a type members does not list is not
// checked.
func taggedExtraKey(obj []byte, members map[string][]string) (tag, key string, ok bool) {
	tag = typeTag(obj)
	keys, listed := members[tag]
	if !listed {
		return "", "", false
	}
	key, ok = extraKey(obj, keys)
	return tag, key, ok
}

// checkMessageShape checks message i of a Messages body as Anthropic's
// schema does, before the rules on what it says: each block's type (a
// block without one gets pydantic's text for a missing discriminator, a
// type InvokeModel does not read its text for an unknown tag
// [Inferred: neither captured]), then the members of each block, of the
// text, image and document items of a tool_result's content, and of the
// message, each refused, bare, with pydantic's "Extra inputs are not
// permitted" at Anthropic's path: messages.N.content.M.TYPE.KEY
// (anthropics/claude-code #4378: "messages.65.content.1.tool_use.text";
// "messages.1.content.0.text.parsed_output", seen live by users of the
// Python SDK), messages.N.content.M.tool_result.content.K.TYPE.KEY
// ("tool_result.content.0.text.annotations", MCP text content sent back)
// and messages.N.KEY ("messages.N.name", an OpenAI message's name)
// [Inferred: through InvokeModel, as Anthropic's API answers them]. An
// image's or document's source, a union tagged by its type, is checked
// against sourceKeys at messages.N.content.M.TYPE.source.TAG.KEY (also
// inside a tool_result's content), the path Anthropic names a source's
// members at ("messages.1.content.0.document.source.base64.media_type:
// Input should be 'application/pdf'", "image.source.base64.media_type"
// of anthropics/claude-code #5955) [Inferred: the extra-member text at
// that path not captured].
// turn is the message as written, content its content and blocks its
// blocks (a string content is one text block, with no members to check).
func checkMessageShape(i int, turn, content []byte, blocks []messagesBlock) *apiError {
	var blocksRaw []jsontext.Value
	if c := bytes.TrimSpace(content); len(c) > 0 && c[0] == '[' {
		_ = converse.UnmarshalModelFields(c, &blocksRaw)
	}
	for j, b := range blocks {
		if b.Type == "" {
			return modelError(fmt.Sprintf("messages.%d.content.%d: Unable to extract tag using discriminator 'type'", i, j))
		}
		keys, ok := blockKeys[b.Type]
		if !ok {
			return modelError(fmt.Sprintf("messages.%d.content.%d.type: Input tag '%s' found using 'type' does not match any of the expected tags", i, j, b.Type))
		}
		if j >= len(blocksRaw) {
			continue
		}
		if b.Type == "tool_result" {
			if k, at, ok := toolResultExtraKey(b.Content); ok {
				return modelError(fmt.Sprintf("messages.%d.content.%d.tool_result.content.%s.%s: %s", i, j, at, k, extraInputs))
			}
		}
		if k, ok := extraKey(blocksRaw[j], keys); ok {
			return modelError(fmt.Sprintf("messages.%d.content.%d.%s.%s: %s", i, j, b.Type, k, extraInputs))
		}
		if tag, k, ok := taggedExtraKey(b.Source, sourceKeys[b.Type]); ok {
			return modelError(fmt.Sprintf("messages.%d.content.%d.%s.source.%s.%s: %s", i, j, b.Type, tag, k, extraInputs))
		}
	}
	if k, ok := extraKey(turn, messageKeys); ok {
		return modelError(fmt.Sprintf("messages.%d.%s: %s", i, k, extraInputs))
	}
	return nil
}

// toolResultExtraKey is the first member of a text, image or document
// item of a tool_result's content that Anthropic does not take, and the
// item's place, "K.TYPE". Other items are not checked.
func toolResultExtraKey(content []byte) (key, at string, ok bool) {
	var items []jsontext.Value
	if c := bytes.TrimSpace(content); len(c) == 0 || c[0] != '[' || converse.UnmarshalModelFields(c, &items) != nil {
		return "", "", false
	}
	for k, it := range items {
		var item struct {
			Type   string         `json:"type"`
			Source jsontext.Value `json:"source"`
		}
		_ = converse.UnmarshalModelFields(it, &item)
		switch item.Type {
		case "text", "image", "document":
			if key, ok := extraKey(it, blockKeys[item.Type]); ok {
				return key, fmt.Sprintf("%d.%s", k, item.Type), true
			}
			if tag, key, ok := taggedExtraKey(item.Source, sourceKeys[item.Type]); ok {
				return key, fmt.Sprintf("%d.%s.source.%s", k, item.Type, tag), true
			}
		}
	}
	return "", "", false
}

// extraKey is the first member of the JSON object obj, read as written,
// that allowed does not hold.
func extraKey(obj []byte, allowed []string) (key string, ok bool) {
	eachKey(obj, func(k string) bool {
		if !slices.Contains(allowed, k) {
			key, ok = k, true
		}
		return !ok
	})
	return key, ok
}

// hasKey reports whether the JSON object obj has a member named key,
// matched as written.
func hasKey(obj []byte, key string) bool {
	found := false
	_ = eachKey(obj, func(k string) bool {
		found = k == key
		return !found
	})
	return found
}

// eachKey calls f with each member name of the JSON object obj, read as
// written, in order, until f returns false. It returns false when obj is
// not a well-formed object.
func eachKey(obj []byte, f func(string) bool) bool {
	dec := jsontext.NewDecoder(bytes.NewReader(obj), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return false
	}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return false
		}
		if !f(tok.String()) {
			return true
		}
		if dec.SkipValue() != nil {
			return false
		}
	}
	return true
}

// toolResultContent is the content of a tool_result block: a string is
// one text; a list of blocks keeps one content block per item, its
// texts, images and documents as Converse's, so the media rules and
// their paths (at, "messages.N.content.M.tool_result.content") count the
// items as Anthropic does; another item is kept as its JSON text.
func toolResultContent(raw stdjson.RawMessage, at string) ([]converse.ToolResultContent, *apiError) {
	var text string
	if stdjson.Unmarshal(raw, &text) == nil {
		return []converse.ToolResultContent{{Text: &text}}, nil
	}
	var items []messagesBlock
	if converse.UnmarshalModelFields(raw, &items) != nil || len(items) == 0 {
		rt := string(raw)
		return []converse.ToolResultContent{{Text: &rt}}, nil
	}
	out := make([]converse.ToolResultContent, 0, len(items))
	for k, it := range items {
		switch it.Type {
		case "text":
			t := ""
			if it.Text != nil {
				t = *it.Text
			}
			out = append(out, converse.ToolResultContent{Text: &t})
		case "image", "document":
			c, aerr := mediaOf(it, fmt.Sprintf("%s.%d", at, k))
			if aerr != nil {
				return nil, aerr
			}
			out = append(out, converse.ToolResultContent{Image: c.Image, Document: c.Document})
		default:
			item, _ := stdjson.Marshal(it)
			t := string(item)
			out = append(out, converse.ToolResultContent{Text: &t})
		}
	}
	return out, nil
}

// anthropicImageTypes are the media types Anthropic takes for a base64
// image, and the Converse image format of each.
var anthropicImageTypes = map[string]string{"image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}

// documentFormats are Converse's document formats of the media types
// a base64 document may declare; Anthropic takes application/pdf, and
// another type keeps no format, which no media rule reads.
var documentFormats = map[string]string{"application/pdf": "pdf", "text/plain": "txt", "text/csv": "csv", "text/html": "html", "text/markdown": "md"}

// mediaOf is the Converse image or document block of b, an Anthropic
// image or document block at the path at ("messages.N.content.M", or
// inside a tool result), so that InvokeModel enforces the rules Claude
// holds the bytes to (V-37, V-39, V-40) and media in assistant turns
// (V-41) as Converse does, and the answer reads the document (its
// citations): base64 data becomes the bytes (data that is no base64 is
// kept as it is, so Claude cannot read it: "Could not process image",
// "The PDF specified was not valid." [Inferred: Anthropic's text for bad
// base64 is not captured]), a text source a text document, a content
// source its text chunks, and a url source a block without bytes, which
// no bytes rule reads. A base64 image of another media type than
// Anthropic's four is refused with Anthropic's text, bare
// (anthropics/claude-code #5955, Anthropic API, in a tool result)
// [Inferred: the same text through Bedrock's InvokeModel].
func mediaOf(b messagesBlock, at string) (converse.ContentBlock, *apiError) {
	var src messagesSource
	_ = converse.UnmarshalModelFields(b.Source, &src)
	data := func() []byte {
		if bs, err := base64.StdEncoding.DecodeString(src.Data); err == nil {
			return bs
		}
		return []byte(src.Data)
	}
	if b.Type == "image" {
		img := &converse.ImageBlock{}
		if src.Type == "base64" {
			format, ok := anthropicImageTypes[src.MediaType]
			if !ok {
				return converse.ContentBlock{}, modelError(at + ".image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'")
			}
			img.Format, img.Source.Bytes = format, data()
		}
		return converse.ContentBlock{Image: img}, nil
	}
	doc := &converse.DocumentBlock{Name: b.Title, Context: b.Context}
	if len(b.Citations) > 0 {
		_ = converse.UnmarshalModelFields(b.Citations, &doc.Citations)
	}
	switch src.Type {
	case "base64":
		doc.Format, doc.Source.Bytes = documentFormats[src.MediaType], data()
	case "text":
		text := src.Data
		doc.Format, doc.Source.Text = "txt", &text
	case "content":
		var text string
		var chunks []messagesBlock
		if stdjson.Unmarshal(src.Content, &text) == nil {
			doc.Source.Content = []converse.DocumentContent{{Text: &text}}
		} else if converse.UnmarshalModelFields(src.Content, &chunks) == nil {
			for _, c := range chunks {
				doc.Source.Content = append(doc.Source.Content, converse.DocumentContent{Text: c.Text})
			}
		}
	case "url":
		doc.Format = "pdf"
	}
	return converse.ContentBlock{Document: doc}, nil
}

// checkToolChoice refuses the tool_choice values the Messages API
// refuses, as Bedrock passes its texts through for InvokeModel (without
// the [converse.ModelErrorPrefix] Converse puts before them:
// open-webui/open-webui #2459 and browser-use/browser-use #988 quote
// InvokeModel's model errors bare):
//   - a tool_choice without tools: "tool_choice may only be specified
//     while providing tools.", which an OpenRouter log quotes as Amazon
//     Bedrock's raw answer for Claude 3 Haiku ({"message":"..."}), the
//     Anthropic API's own text too. "none" is let be: Anthropic documents
//     it as the default when no tools are provided [Inferred: no capture
//     of "none" without tools];
//   - a forced tool that is not among the tools: Anthropic's "Tool 'X' not
//     found in provided tools", seen through an Anthropic Messages proxy
//     [Inferred for Bedrock] (see the Converse rule tool-choice-undeclared,
//     V-69).
func checkToolChoice(req *messagesRequest) *apiError {
	c := req.ToolChoice
	if c == nil {
		return nil
	}
	if len(req.Tools) == 0 {
		if c.Type == "none" {
			return nil
		}
		return validationError("tool_choice may only be specified while providing tools.")
	}
	if c.Type == "tool" {
		for _, t := range req.Tools {
			if t.Name == c.Name {
				return nil
			}
		}
		return modelError(ruleText("tool-choice-undeclared", c.Name))
	}
	return nil
}

// unansweredToolUses are the ids of uses, the tool_use blocks of the
// message before, that blocks, the next message, answers with no
// tool_result block, in the order uses gives them.
func unansweredToolUses(uses []string, blocks []messagesBlock) []string {
	if len(uses) == 0 {
		return nil
	}
	answered := map[string]bool{}
	for _, b := range blocks {
		if b.Type == "tool_result" {
			answered[b.ToolUseID] = true
		}
	}
	var missing []string
	for _, id := range uses {
		if !answered[id] {
			missing = append(missing, id)
		}
	}
	return missing
}

var anthropicVersion = regexp.MustCompile(`^(bedrock-)?20\d\d-\d\d-\d\d$`)

func jsonKindName(b []byte) string {
	if len(b) == 0 {
		return "Null"
	}
	switch b[0] {
	case '{':
		return "JSONObject"
	case '[':
		return "JSONArray"
	case '"':
		return "String"
	case 't', 'f':
		return "Boolean"
	case 'n':
		return "Null"
	}
	return "Number"
}

// messagesContent renders a reply's blocks as Anthropic content blocks.
func messagesContent(rep reply) []any {
	var out []any
	for _, b := range rep.blocks {
		switch {
		case b.text != nil:
			out = append(out, map[string]any{"type": "text", "text": *b.text})
		case b.tool != nil:
			out = append(out, map[string]any{"type": "tool_use", "id": toolUseID(b.tool.ToolUseID), "name": b.tool.Name, "input": stdjson.RawMessage(b.tool.Input)})
		case b.redacted != nil:
			out = append(out, map[string]any{"type": "redacted_thinking", "data": base64.StdEncoding.EncodeToString(b.redacted)})
		default:
			out = append(out, map[string]any{"type": "thinking", "thinking": b.reasoning, "signature": b.signature})
		}
	}
	return out
}

// base58 is the alphabet of Anthropic's ids: no 0, O, I or l.
const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// messagesID is the id of a reply as Anthropic's Messages API on Bedrock
// gives it, "msg_bdrk_01" and 22 base-58 characters
// (msg_bdrk_01XfDUDYJgAACzvnptvVoYEL), derived from the reply's seed: the
// InvokeModel answer, its stream's message_start and Converse's
// additionalModelResponseFields "/id" give the same id for one reply.
func messagesID(rep reply) string {
	sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("msg_bdrk"), rep.seed))
	out := []byte("msg_bdrk_01")
	for _, b := range sum[:22] {
		out = append(out, base58[int(b)%len(base58)])
	}
	return string(out)
}

// toolUseID is the id of a tool call in a Messages answer, in Bedrock's
// form: "toolu_bdrk_01" and 22 base-58 characters
// (toolu_bdrk_01NR9pamiL6h5WqSnVZF1unz), derived from the call's
// Converse id, so one reply's call has one id in each API.
func toolUseID(converseID string) string {
	sum := sha256.Sum256([]byte("toolu_bdrk" + converseID))
	out := []byte("toolu_bdrk_01")
	for _, b := range sum[:22] {
		out = append(out, base58[int(b)%len(base58)])
	}
	return string(out)
}

// messagesResponse is the Anthropic Messages response body.
func messagesResponse(model string, rep reply) map[string]any {
	return map[string]any{
		"id": messagesID(rep), "type": "message", "role": "assistant", "model": modelName(model),
		"content":     messagesContent(rep),
		"stop_reason": nativeStopReason(rep.stopReason), "stop_sequence": rep.nativeStopSequence(),
		"usage": map[string]any{"input_tokens": rep.usage.input, "output_tokens": rep.usage.output,
			"cache_creation_input_tokens": rep.usage.cacheWrite, "cache_read_input_tokens": rep.usage.cacheRead},
	}
}

// modelName is the model's own name, as Anthropic responses give it.
func modelName(id string) string {
	name := strings.TrimPrefix(id, "anthropic.")
	if i := strings.LastIndex(name, "-v"); i > 0 {
		name = name[:i]
	}
	return name
}

// writeMessagesStream answers InvokeModelWithResponseStream: "chunk"
// events whose bytes are Anthropic's stream events, the last one carrying
// Bedrock's invocation metrics.
func (s *Server) writeMessagesStream(w http.ResponseWriter, model string, rep reply, fault streamFault) (built int) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	// The MIME type of the chunks' bytes, which the SDKs give as the
	// output's contentType (InvokeModelWithResponseStream response
	// syntax; InvokeModel's is its Content-Type).
	w.Header().Set("X-Amzn-Bedrock-Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	sw := &streamWriter{w: w, enc: eventstream.NewEncoder(), seed: rep.seed}
	defer func() { built = sw.n }()
	chunk := func(ev map[string]any) {
		if sw.err != nil {
			return // the client went away: no more frames
		}
		b, _ := json.Marshal(ev, json.Deterministic(true))
		sw.event("chunk", map[string]any{"bytes": b})
	}
	chunk(map[string]any{"type": "message_start", "message": map[string]any{"id": messagesID(rep), "type": "message", "role": "assistant", "model": modelName(model),
		"content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": map[string]any{"input_tokens": rep.usage.input, "output_tokens": 1,
			"cache_creation_input_tokens": rep.usage.cacheWrite, "cache_read_input_tokens": rep.usage.cacheRead}}})
	rng := rep.seed | 1
	deltas := 0
	delta := func(i int, d map[string]any) bool {
		if sw.err != nil {
			return false
		}
		chunk(map[string]any{"type": "content_block_delta", "index": i, "delta": d})
		deltas++
		if deltas == 1 && fault.exception != "" {
			sw.exception(fault.exception, fault.message)
			return false
		}
		return true
	}
	for i, c := range messagesContent(rep) {
		b := rep.blocks[i]
		start := c.(map[string]any)
		switch {
		case b.text != nil:
			chunk(map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "text", "text": ""}})
			for _, part := range wordChunks(*b.text, &rng) {
				if !delta(i, map[string]any{"type": "text_delta", "text": part}) {
					return
				}
			}
		case b.tool != nil:
			chunk(map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "tool_use", "id": start["id"], "name": b.tool.Name, "input": map[string]any{}}})
			for _, part := range append([]string{""}, byteChunks(string(b.tool.Input), &rng)...) {
				if !delta(i, map[string]any{"type": "input_json_delta", "partial_json": part}) {
					return
				}
			}
		case b.redacted != nil:
			chunk(map[string]any{"type": "content_block_start", "index": i, "content_block": start})
		default:
			chunk(map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "thinking", "thinking": "", "signature": ""}})
			for _, part := range wordChunks(b.reasoning, &rng) {
				if !delta(i, map[string]any{"type": "thinking_delta", "thinking": part}) {
					return
				}
			}
			if b.signature != "" && !delta(i, map[string]any{"type": "signature_delta", "signature": b.signature}) {
				return
			}
		}
		chunk(map[string]any{"type": "content_block_stop", "index": i})
	}
	chunk(map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": nativeStopReason(rep.stopReason), "stop_sequence": rep.nativeStopSequence()}, "usage": map[string]any{"output_tokens": rep.usage.output}})
	chunk(map[string]any{"type": "message_stop", "amazon-bedrock-invocationMetrics": map[string]any{"inputTokenCount": rep.usage.input, "outputTokenCount": rep.usage.output,
		"invocationLatency": rep.latencyMs, "firstByteLatency": rep.latencyMs / 3}})
	return
}
