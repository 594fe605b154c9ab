package ingest

import (
	"bytes"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// requestLine reads one line of request bodies, {request, response} pairs
// or LiteLLM payloads.
func (s *stream) requestLine(line []byte, n int) error {
	if line[0] == '[' {
		// A JSON array of records on one line, or a whole file as an array.
		var recs []jsontext.Value
		if err := json.Unmarshal(line, &recs); err != nil {
			s.skip(n, 0, "malformed JSON: %v", describe(err))
			return nil
		}
		for i, r := range recs {
			if err := s.request(r, n, i+1); err != nil {
				return err
			}
		}
		return nil
	}
	if line[0] != '{' {
		s.skip(n, 0, "not a JSON object: each line holds one logged request")
		return nil
	}
	return s.request(line, n, 0)
}

// envelopeFields are the members of the records this reader accepts.
type envelopeFields struct {
	Request            jsontext.Value `json:"request"`
	Body               jsontext.Value `json:"body"`
	ProxyServerRequest jsontext.Value `json:"proxy_server_request"`
	Messages           jsontext.Value `json:"messages"`
	Input              jsontext.Value `json:"input"`
	Output             jsontext.Value `json:"output"`
	ModelParameters    jsontext.Value `json:"model_parameters"`
	// Members of a Langfuse observation (its API writes camelCase, its
	// export snake_case).
	ModelParametersCamel jsontext.Value `json:"modelParameters"`
	TraceIDCamel         jsontext.Value `json:"traceId"`
	SessionIDCamel       jsontext.Value `json:"sessionId"`
	Type                 jsontext.Value `json:"type"`
	StartTimeSnake       jsontext.Value `json:"start_time"`
	// The members below are read as what they hold, whatever their type:
	// a numeric id or a metadata object logged as a JSON string is no
	// reason to skip a well-formed record.
	Model     jsontext.Value `json:"model"`
	RequestID jsontext.Value `json:"request_id"`
	ID        jsontext.Value `json:"id"`
	SessionID jsontext.Value `json:"session_id"`
	TraceID   jsontext.Value `json:"trace_id"`
	CallType  jsontext.Value `json:"call_type"`
	StartTime jsontext.Value `json:"startTime"`
	Timestamp jsontext.Value `json:"timestamp"`
	CreatedAt jsontext.Value `json:"created_at"`
	Metadata  jsontext.Value `json:"metadata"`
	// A saved API response: a page of records under data (Langfuse's
	// {"data": [...], "meta": {...}}, Helicone's {"data": [...],
	// "error": null}).
	Data jsontext.Value `json:"data"`
	// Where LiteLLM sent the call: the deployment's api_base (a
	// Bedrock endpoint names its Region) and, in a payload that keeps
	// them, the litellm_params with aws_region_name.
	APIBase       jsontext.Value `json:"api_base"`
	LiteLLMParams jsontext.Value `json:"litellm_params"`
	// Members of a Helicone request row (Helicone/helicone,
	// valhalla/jawn/src/lib/stores/request/request.ts, HeliconeRequest).
	RequestBody       jsontext.Value `json:"request_body"`
	RequestPath       jsontext.Value `json:"request_path"`
	RequestProperties jsontext.Value `json:"request_properties"`
	Properties        jsontext.Value `json:"properties"`
	RequestCreatedAt  jsontext.Value `json:"request_created_at"`
	RequestModel      jsontext.Value `json:"request_model"`
	TargetURL         jsontext.Value `json:"target_url"`
	SignedBodyURL     jsontext.Value `json:"signed_body_url"`
}

// isAPIPage reports whether a record is a saved API response holding a
// page of records under data rather than a record itself.
func isAPIPage(e *envelopeFields) bool {
	return e.Data.Kind() == '[' && e.Request == nil && e.Body == nil && e.ProxyServerRequest == nil && e.Messages == nil &&
		e.Input == nil && e.RequestBody == nil
}

// isHeliconeRow reports whether a record is a row of Helicone's request
// table, as its API and `npx @helicone/export` write it: the body under
// request_body (or only behind signed_body_url, exported without
// bodies), with request_path and request_properties beside it.
func isHeliconeRow(e *envelopeFields) bool {
	if e.Request != nil || e.ProxyServerRequest != nil || e.Messages != nil || e.Input != nil {
		return false
	}
	return e.RequestBody != nil || e.SignedBodyURL != nil && (e.RequestPath != nil || e.RequestProperties != nil)
}

// envelopeMetadata is what request reads of a log's metadata.
type envelopeMetadata struct {
	UserID           jsontext.Value `json:"user_id"`
	SessionID        jsontext.Value `json:"session_id"`
	ConversationID   jsontext.Value `json:"conversation_id"`
	LiteLLMSessionID jsontext.Value `json:"litellm_session_id"`
}

// scalar returns a JSON string's value or a number's text; "" for
// anything else.
func scalar(v jsontext.Value) string {
	switch v.Kind() {
	case '"':
		var s string
		_ = json.Unmarshal(v, &s)
		return s
	case '0':
		return string(v)
	}
	return ""
}

func (s *stream) request(data []byte, line, rec int) error {
	var e envelopeFields
	if err := json.Unmarshal(data, &e, jsontext.AllowDuplicateNames(true)); err != nil {
		s.skip(line, rec, "malformed JSON: %v", describe(err))
		return nil
	}
	if isAPIPage(&e) {
		return s.apiPage(e.Data, line, rec)
	}
	var meta envelopeMetadata
	if md := unwrapString(e.Metadata); len(md) > 0 && md[0] == '{' {
		_ = json.Unmarshal(md, &meta, jsontext.AllowDuplicateNames(true))
	}
	src := Source{Line: line, Record: rec, Fidelity: Verbatim, RequestID: firstOf(scalar(e.RequestID), scalar(e.ID))}
	src.Time = timeOf(e.StartTime, e.StartTimeSnake, e.Timestamp, e.CreatedAt)
	src.Captured = day(src.Time)
	session := firstOf(scalar(e.SessionID), scalar(e.SessionIDCamel), scalar(meta.SessionID), scalar(meta.ConversationID), scalar(meta.UserID))
	body := []byte(data)
	origin := "request-log"
	switch {
	case e.Input.Kind() == '{' && e.Output.Kind() == '{' && e.Messages == nil && holdsMessages(e.Input) && holdsMessages(e.Output):
		s.skip(line, rec, "an ADOT LLO log event ({input: {messages}, output: {messages}}) splits the history by role, so the order of its turns is lost; import the spans (gen_ai.input.messages) instead")
		return nil
	case isHeliconeRow(&e):
		return s.heliconeRow(&e, src, line, rec)
	case e.Request == nil && e.ProxyServerRequest == nil && e.Body == nil && isLangfuseObservation(&e):
		return s.langfuseObservation(&e, src, firstOf(session, scalar(e.TraceIDCamel), scalar(e.TraceID)), line, rec)
	case isObjectOrString(e.ProxyServerRequest):
		// LiteLLM spend log: the body the proxy received.
		origin = "litellm-spend-log"
		body = unwrapString(e.ProxyServerRequest)
		if emptyObject(body) {
			s.skip(line, rec, "LiteLLM spend log %q holds no request body (proxy_server_request is {}): LiteLLM keeps bodies only with general_settings.store_prompts_in_spend_logs: true", src.RequestID)
			return nil
		}
		if litellmColdStorage(body) {
			where := "its metadata names no cold_storage_object_key"
			if bytes.Contains(unwrapString(e.Metadata), []byte(`"cold_storage_object_key"`)) {
				where = "its metadata's cold_storage_object_key names the object"
			}
			s.skip(line, rec, "LiteLLM spend log %q holds no request body: proxy_server_request is only {\"litellm_truncated\": true}, the marker current LiteLLM writes where the request went to cold storage (general_settings.store_prompts_in_cold_storage: true with litellm_settings.cold_storage_custom_logger, e.g. s3_v2; %s). Import the standard logging payloads that logger wrote to its bucket (JSON, read as LiteLLM payloads), or set general_settings.store_prompts_in_spend_logs: true to keep the body in the spend log", src.RequestID, where)
			return nil
		}
	case e.Request.Kind() == '{' || e.Request.Kind() == '"' && bytes.HasPrefix(unwrapString(e.Request), []byte("{")):
		// The request, or the request logged as a JSON string.
		origin = "request-response-log"
		body = unwrapString(e.Request)
	case e.Body.Kind() == '{' && e.Messages == nil && e.Input == nil:
		body = e.Body
	case e.Messages.Kind() == '[' && e.ModelParameters.Kind() == '{':
		// LiteLLM standard logging payload: messages and parameters apart.
		origin = "litellm-logging-payload"
		src.Fidelity = Reconstructed
		src.Notes = append(src.Notes, "rebuilt from LiteLLM's messages and model_parameters")
		var b bytes.Buffer
		b.WriteString(`{"model":`)
		mj, _ := json.Marshal(scalar(e.Model))
		b.Write(mj)
		b.WriteString(`,"messages":`)
		b.Write(e.Messages)
		var params map[string]jsontext.Value
		if json.Unmarshal(e.ModelParameters, &params) == nil {
			for _, k := range sortedKeys(params) {
				if k == "model" || k == "messages" {
					continue
				}
				kj, _ := json.Marshal(k)
				b.WriteByte(',')
				b.Write(kj)
				b.WriteByte(':')
				b.Write(params[k])
			}
		}
		b.WriteByte('}')
		body = b.Bytes()
	}
	if len(body) == 0 || body[0] != '{' {
		s.skip(line, rec, "unknown shape: no request body (a request object, messages or input)")
		return nil
	}
	f, ok := s.bodyFormat(body)
	if origin == "litellm-spend-log" || origin == "litellm-logging-payload" {
		// The proxy's route says what it received; a Chat Completions
		// body for a Claude model is no Anthropic body. A body that is
		// no request at all stays unknown.
		if cf, known := litellmCallFormat(scalar(e.CallType)); known && ok && (s.kind == LiteLLM || s.kind == Requests) {
			f, ok = cf, true
		}
	}
	if !ok {
		s.skip(line, rec, "unknown shape: not a Chat Completions, Responses, Messages or Converse request body")
		return nil
	}
	if bytes.Contains(body, []byte("litellm_truncated")) {
		src.Truncated = true
		src.Notes = append(src.Notes, "LiteLLM truncated long strings in this body")
		// The cut may split a value (an e-mail address, a key) so that
		// neither part is one any more, and redaction sees neither:
		// the parts of words touching the marker go with the middle.
		if cut, split := dropLiteLLMCuts(body); split {
			body = cut
			src.Notes = append(src.Notes, "the parts of words LiteLLM's truncation split were dropped")
		}
	}
	src.Origin = origin
	var m struct {
		Model string `json:"model"`
		// The session a LiteLLM caller gave, in the body it sent.
		LiteLLMSessionID jsontext.Value `json:"litellm_session_id"`
		Metadata         jsontext.Value `json:"metadata"`
	}
	_ = json.Unmarshal(body, &m)
	src.Model = firstOf(m.Model, scalar(e.Model))
	if origin == "litellm-spend-log" || origin == "litellm-logging-payload" {
		// LiteLLM's session_id column and trace_id are its trace id: a
		// new one for every call unless the caller sets one, shared by
		// a call's retries and fallbacks, so they would split a
		// conversation into its turns. The hint is the session the
		// caller gave: litellm_session_id, or metadata.session_id in
		// the body it sent or in the payload.
		var bodyMeta envelopeMetadata
		if md := unwrapString(m.Metadata); len(md) > 0 && md[0] == '{' {
			_ = json.Unmarshal(md, &bodyMeta, jsontext.AllowDuplicateNames(true))
		}
		session = firstOf(scalar(m.LiteLLMSessionID), scalar(bodyMeta.LiteLLMSessionID), scalar(bodyMeta.SessionID), scalar(meta.LiteLLMSessionID), scalar(meta.SessionID))
		src.Region = litellmRegion(&e)
	}
	return s.emit(Record{Format: f, Body: body, Source: src, Session: session})
}

// litellmColdStorage reports whether a spend log's proxy_server_request
// is only the {"litellm_truncated": true} marker current LiteLLM leaves
// where the request went to cold storage (litellm/responses/
// litellm_completion_transformation/session_handler.py reads the full
// request back from the object metadata.cold_storage_object_key names).
func litellmColdStorage(body []byte) bool {
	if len(body) > 256 || !bytes.Contains(body, []byte(`"litellm_truncated"`)) {
		return false
	}
	var m map[string]jsontext.Value
	return json.Unmarshal(body, &m, jsontext.AllowDuplicateNames(true)) == nil && len(m) == 1 && m["litellm_truncated"] != nil
}

// litellmRegion is the Region a LiteLLM record says the call went to:
// the Bedrock endpoint of its api_base (the spend log's column, the
// payload's member, or litellm_params.api_base), else
// litellm_params.aws_region_name.
func litellmRegion(e *envelopeFields) string {
	var params struct {
		APIBase       jsontext.Value `json:"api_base"`
		AWSRegionName jsontext.Value `json:"aws_region_name"`
	}
	if p := unwrapString(e.LiteLLMParams); len(p) > 0 && p[0] == '{' {
		_ = json.Unmarshal(p, &params, jsontext.AllowDuplicateNames(true))
	}
	return firstOf(bedrockURLRegion(scalar(e.APIBase)), bedrockURLRegion(scalar(params.APIBase)), awsRegion(scalar(params.AWSRegionName)))
}

// holdsMessages reports whether an object has a messages member.
func holdsMessages(v jsontext.Value) bool {
	var m struct {
		Messages jsontext.Value `json:"messages"`
	}
	return json.Unmarshal(v, &m, jsontext.AllowDuplicateNames(true)) == nil && m.Messages != nil
}

// litellmCallFormat is the format of the body LiteLLM received for a
// call_type (its CallTypes: the route the proxy served).
func litellmCallFormat(callType string) (history.Format, bool) {
	switch callType {
	case "completion", "acompletion":
		return history.FormatOpenAI, true
	case "anthropic_messages":
		return history.FormatAnthropic, true
	case "responses", "aresponses":
		return history.FormatResponses, true
	}
	return "", false
}

// bodyFormat is the forced format, or the detected one.
func (s *stream) bodyFormat(body []byte) (history.Format, bool) {
	switch s.kind {
	case OpenAI:
		return history.FormatOpenAI, true
	case Anthropic:
		return history.FormatAnthropic, true
	case Responses:
		return history.FormatResponses, true
	}
	return DetectBody(body)
}

// detectFields are the members of a request body DetectBody decides from.
type detectFields struct {
	Messages         []detectMessage `json:"messages"`
	Input            jsontext.Value  `json:"input"`
	Instructions     jsontext.Value  `json:"instructions"`
	System           jsontext.Value  `json:"system"`
	AnthropicVersion string          `json:"anthropic_version"`
	InferenceConfig  jsontext.Value  `json:"inferenceConfig"`
	ToolConfig       jsontext.Value  `json:"toolConfig"`
	SchemaVersion    string          `json:"schemaVersion"`
	MaxTokens        jsontext.Value  `json:"max_tokens"`
	Model            string          `json:"model"`
}

// detectMessage is the part of a message of detectFields.Messages
// DetectBody decides from.
type detectMessage struct {
	Role    string         `json:"role"`
	Content jsontext.Value `json:"content"`
}

// DetectBody tells the fixture format of a request body from its shape.
// It reads the body's detectFields straight from the bytes where
// readDetectFields can, with json.Unmarshal where it declines; an
// invalid body has no format.
func DetectBody(body []byte) (history.Format, bool) {
	b, ok := readDetectFields(body)
	if !ok {
		if err := json.Unmarshal(body, &b, jsontext.AllowDuplicateNames(true)); err != nil {
			return "", false
		}
	}
	return formatOf(&b)
}

// formatOf tells the fixture format of a request body from its
// detectFields.
func formatOf(b *detectFields) (history.Format, bool) {
	if b.Messages == nil {
		if b.Input != nil {
			return history.FormatResponses, true
		}
		return "", false
	}
	if b.AnthropicVersion != "" {
		return history.FormatAnthropic, true
	}
	if b.InferenceConfig != nil || b.ToolConfig != nil || b.SchemaVersion == "messages-v1" {
		return history.FormatConverse, true
	}
	anthropicHint, openaiHint := false, false
	for _, m := range b.Messages {
		switch m.Role {
		case "system", "developer", "tool", "function":
			openaiHint = true
		}
		if m.Content.Kind() != '[' {
			continue
		}
		var blocks []map[string]jsontext.Value
		if json.Unmarshal(m.Content, &blocks) != nil {
			continue
		}
		for _, blk := range blocks {
			t, hasType := blk["type"]
			if !hasType {
				// Converse blocks are keyed by kind: {"text": ...}, {"toolUse": ...}.
				return history.FormatConverse, true
			}
			var typ string
			_ = json.Unmarshal(t, &typ)
			switch typ {
			case "tool_use", "tool_result", "thinking", "redacted_thinking", "document":
				anthropicHint = true
			case "image":
				if _, ok := blk["source"]; ok {
					anthropicHint = true
				}
			case "image_url", "input_audio", "file", "refusal":
				openaiHint = true
			}
		}
	}
	switch {
	case anthropicHint && !openaiHint:
		return history.FormatAnthropic, true
	case openaiHint:
		return history.FormatOpenAI, true
	case b.System.Kind() == '[':
		// Converse and Anthropic system arrays: Converse blocks have no type.
		if bytes.Contains(b.System, []byte(`"type"`)) {
			return history.FormatAnthropic, true
		}
		return history.FormatConverse, true
	case b.System.Kind() == '"' || strings.HasPrefix(b.Model, "claude"):
		return history.FormatAnthropic, true
	}
	return history.FormatOpenAI, true
}

// emptyObject reports whether v is {}, with or without spaces inside.
func emptyObject(v []byte) bool {
	v = bytes.TrimSpace(v)
	return len(v) >= 2 && v[0] == '{' && v[len(v)-1] == '}' && len(bytes.TrimSpace(v[1:len(v)-1])) == 0
}

func isObjectOrString(v jsontext.Value) bool {
	return v.Kind() == '{' || v.Kind() == '"'
}

// unwrapString returns a JSON object held as a JSON string, or v itself.
func unwrapString(v jsontext.Value) []byte {
	if v.Kind() != '"' {
		return v
	}
	var s string
	_ = json.Unmarshal(v, &s)
	return []byte(strings.TrimSpace(s))
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// timeOf returns the first of the values that is a time string, as it
// came, or a Unix time (a number, or a string of one) in seconds,
// milliseconds, microseconds or nanoseconds, told by magnitude, as RFC
// 3339.
func timeOf(vs ...jsontext.Value) string {
	for _, v := range vs {
		switch v.Kind() {
		case '"':
			var s string
			_ = json.Unmarshal(v, &s)
			if t, ok := epochText(s); ok {
				return t.Format(time.RFC3339)
			}
			if s != "" {
				return s
			}
		case '0':
			if t, ok := epochText(string(v)); ok {
				return t.Format(time.RFC3339)
			}
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
