package ingest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// A Langfuse observation, as its API (GET /api/public/observations,
// camelCase) or its blob-storage export (snake_case) writes it:
//
//	{"id", "traceId", "type": "GENERATION", "startTime", "model",
//	 "modelParameters": {...}, "input": ..., "output": ..., "metadata"}
//
// Its OpenAI integration (langfuse/langfuse-python, langfuse/openai.py)
// stores the call's messages as input, or {messages, tools | functions,
// function_call} when tools were given, and the answer as output.

// langfuseTypes are the types of Langfuse observations; only a
// GENERATION is a model call.
var langfuseTypes = []string{"GENERATION", "SPAN", "EVENT", "AGENT", "TOOL", "CHAIN", "RETRIEVER", "EVALUATOR", "EMBEDDING", "GUARDRAIL"}

// isLangfuseObservation reports whether a record with an input member and
// no messages is a Langfuse observation rather than an OpenAI Responses
// body: a Responses body has no observation type, no traceId and no
// modelParameters, and its input is a string or an array, never an
// object.
func isLangfuseObservation(e *envelopeFields) bool {
	if e.Input == nil || e.Messages != nil {
		return false
	}
	if t := scalar(e.Type); t != "" && e.Type.Kind() == '"' {
		for _, lt := range langfuseTypes {
			if t == lt {
				return true
			}
		}
	}
	return e.TraceIDCamel != nil || e.ModelParametersCamel != nil || e.Input.Kind() == '{' ||
		e.TraceID != nil && (e.Output != nil || e.ModelParameters != nil)
}

// langfuseInput is an observation's input when it is an object: the
// OpenAI integration's {messages, tools | functions, function_call}.
type langfuseInput struct {
	Messages     jsontext.Value `json:"messages"`
	Tools        jsontext.Value `json:"tools"`
	ToolChoice   jsontext.Value `json:"tool_choice"`
	Functions    jsontext.Value `json:"functions"`
	FunctionCall jsontext.Value `json:"function_call"`
}

// langfuseParams are the Chat Completions parameters a Langfuse
// observation's modelParameters may hold.
var langfuseParams = map[string]bool{
	"temperature": true, "top_p": true, "max_tokens": true, "max_completion_tokens": true, "stop": true, "seed": true,
	"frequency_penalty": true, "presence_penalty": true, "n": true, "response_format": true, "tool_choice": true,
	"parallel_tool_calls": true, "reasoning_effort": true, "logprobs": true, "top_logprobs": true, "service_tier": true,
}

// langfuseDefaults are the values Langfuse's OpenAI integration records
// for a parameter the call did not set (temperature 1, top_p 1, the
// penalties 0; max_tokens infinite, checked apart): such a value says
// nothing of the request.
var langfuseDefaults = map[string]float64{"temperature": 1, "top_p": 1, "frequency_penalty": 0, "presence_penalty": 0}

// langfuseObservation rebuilds a Chat Completions body from a Langfuse
// GENERATION observation: the messages (and tools) of its input, its
// model and its modelParameters. Other observations are no model calls;
// an input that holds no chat messages is skipped saying so.
func (s *stream) langfuseObservation(e *envelopeFields, src Source, session string, line, rec int) error {
	if t := scalar(e.Type); t != "" && t != "GENERATION" {
		// A span, a tool call, an event...: not a model call.
		s.h.Ignored(s.name)
		return nil
	}
	var in langfuseInput
	switch e.Input.Kind() {
	case '[':
		in.Messages = e.Input
	case '{':
		if err := json.Unmarshal(e.Input, &in, jsontext.AllowDuplicateNames(true)); err != nil {
			s.skip(line, rec, "a Langfuse observation whose input is malformed: %v", describe(err))
			return nil
		}
	case '"':
		s.skip(line, rec, "a Langfuse observation whose input is a prompt string, not chat messages: a legacy Completions call, or a framework's own input; only chat messages (input: [...] or {messages: [...]}) are read")
		return nil
	}
	if why := chatMessagesProblem(in.Messages); why != "" {
		s.skip(line, rec, "a Langfuse observation whose input holds no chat messages (%s): only chat messages (input: [...] or {messages: [...]}) are read", why)
		return nil
	}
	src.Origin = "langfuse-observation"
	src.Fidelity = Reconstructed
	src.Notes = append(src.Notes, "rebuilt from a Langfuse observation's input, model and modelParameters")
	body := map[string]jsontext.Value{"messages": in.Messages}
	if bytes.Contains(in.Messages, []byte(`"image_url"`)) {
		msgs, dropped, placeholders := dropStrippedImages(in.Messages)
		if dropped > 0 {
			body["messages"] = msgs
			note := fmt.Sprintf("Langfuse's OpenAI integration removed the data: URL of %d image part(s); they were dropped", dropped)
			if placeholders > 0 {
				note += fmt.Sprintf(", and %d message(s) that held nothing else hold the text %q instead", placeholders, strippedImagePlaceholder)
			}
			src.Notes = append(src.Notes, note)
		}
	}
	if model := scalar(e.Model); model != "" {
		body["model"], _ = json.Marshal(model)
	}
	params := e.ModelParametersCamel
	if params == nil {
		params = e.ModelParameters
	}
	if p := unwrapString(params); len(p) > 0 && p[0] == '{' {
		var m map[string]jsontext.Value
		if json.Unmarshal(p, &m, jsontext.AllowDuplicateNames(true)) == nil {
			var defaults, other []string
			for _, k := range sortedKeys(m) {
				v, keep := langfuseParam(k, m[k])
				switch {
				case !langfuseParams[k]:
					other = append(other, k)
				case keep:
					body[k] = v
				case v != nil:
					defaults = append(defaults, k)
				}
			}
			if len(defaults) > 0 {
				src.Notes = append(src.Notes, "modelParameters "+strings.Join(defaults, ", ")+" held what Langfuse's OpenAI integration records for a parameter the call did not set (temperature 1, top_p 1, penalties 0, max_tokens infinite), and were not taken")
			}
			if len(other) > 0 {
				src.Notes = append(src.Notes, "modelParameters "+strings.Join(other, ", ")+" have no Chat Completions field and were dropped")
			}
		}
	}
	for k, v := range map[string]jsontext.Value{"tools": in.Tools, "tool_choice": in.ToolChoice, "functions": in.Functions, "function_call": in.FunctionCall} {
		if v != nil && string(v) != "null" {
			body[k] = v
		}
	}
	data, err := json.Marshal(body, json.Deterministic(true))
	if err != nil {
		s.skip(line, rec, "cannot rebuild the request of a Langfuse observation: %v", describe(err))
		return nil
	}
	f, ok := s.bodyFormat(data)
	if !ok {
		s.skip(line, rec, "a Langfuse observation whose input holds no chat messages: not a Chat Completions, Messages or Converse history")
		return nil
	}
	src.Model = scalar(e.Model)
	return s.emit(Record{Format: f, Body: data, Source: src, Session: session})
}

// chatMessagesProblem says why v is not a list of chat messages (objects
// with a string role), or "".
func chatMessagesProblem(v jsontext.Value) string {
	if v.Kind() != '[' {
		return "no list of messages"
	}
	var msgs []struct {
		Role jsontext.Value `json:"role"`
	}
	if err := json.Unmarshal(v, &msgs, jsontext.AllowDuplicateNames(true)); err != nil {
		return "its items are not messages"
	}
	if len(msgs) == 0 {
		return "an empty list"
	}
	for _, m := range msgs {
		if m.Role.Kind() != '"' {
			return "an item without a role"
		}
	}
	return ""
}

// langfuseParam returns the request value of a Langfuse model parameter
// and whether to keep it: numbers recorded as strings become numbers; a
// default of Langfuse's OpenAI integration and an infinite max_tokens are
// returned with false (nil for a value of no use at all: null).
func langfuseParam(k string, v jsontext.Value) (jsontext.Value, bool) {
	if v.Kind() == 'n' {
		return nil, false
	}
	def, isDefault := langfuseDefaults[k]
	numeric := isDefault || k == "max_tokens" || k == "max_completion_tokens" || k == "seed" || k == "n" || k == "top_logprobs"
	if !numeric {
		return v, true
	}
	var f float64
	switch v.Kind() {
	case '0':
		if json.Unmarshal(v, &f) != nil {
			return v, true
		}
	case '"':
		var s string
		_ = json.Unmarshal(v, &s)
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			// "inf", "Infinity" parse; anything else is kept as it came.
			return v, true
		}
		f = x
		if !math.IsInf(f, 0) && !math.IsNaN(f) {
			v = jsontext.Value(strconv.FormatFloat(f, 'f', -1, 64))
		}
	default:
		return v, true
	}
	if math.IsInf(f, 0) || math.IsNaN(f) || isDefault && f == def {
		return v, false
	}
	return v, true
}

// strippedImagePlaceholder is the text of a message whose every part was
// an image Langfuse's OpenAI integration did not keep.
const strippedImagePlaceholder = "[image not kept by the log]"

// dropStrippedImages removes the image parts whose image_url Langfuse's
// OpenAI integration deleted ({"type": "image_url"} alone) and returns
// the messages, how many parts it removed, and how many messages it left
// with strippedImagePlaceholder because they held nothing else.
func dropStrippedImages(v jsontext.Value) (_ jsontext.Value, dropped, placeholders int) {
	var msgs []map[string]jsontext.Value
	if json.Unmarshal(v, &msgs, jsontext.AllowDuplicateNames(true)) != nil {
		return v, 0, 0
	}
	for _, m := range msgs {
		var parts []map[string]jsontext.Value
		if m["content"].Kind() != '[' || json.Unmarshal(m["content"], &parts) != nil {
			continue
		}
		kept := parts[:0]
		for _, p := range parts {
			if _, has := p["image_url"]; scalar(p["type"]) == "image_url" && !has {
				dropped++
				continue
			}
			kept = append(kept, p)
		}
		if len(kept) == 0 && len(parts) > 0 {
			// A message of images only would be left empty, which
			// Converse refuses and the normalizer drops, merging the
			// turns around it: a placeholder keeps the turn.
			kept = append(kept, map[string]jsontext.Value{"type": jsontext.Value(`"text"`), "text": jsontext.Value(`"` + strippedImagePlaceholder + `"`)})
			placeholders++
		}
		if len(kept) < len(parts) || placeholders > 0 {
			m["content"], _ = json.Marshal(kept, json.Deterministic(true))
		}
	}
	if dropped == 0 {
		return v, 0, 0
	}
	out, err := json.Marshal(msgs, json.Deterministic(true))
	if err != nil {
		return v, 0, 0
	}
	return out, dropped, placeholders
}
