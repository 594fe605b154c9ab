package ingest

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// apiPage reads a saved API response that holds a page of records under
// data (Langfuse's GET /api/public/observations, {"data": [...], "meta":
// {...}}; Helicone's POST /v1/request/query-clickhouse, {"data": [...],
// "error": null}): each item is read as a record of its own, numbered
// within the page. An empty page is no model call.
func (s *stream) apiPage(data jsontext.Value, line, rec int) error {
	var items []jsontext.Value
	if err := json.Unmarshal(data, &items); err != nil {
		s.skip(line, rec, "malformed JSON: %v", describe(err))
		return nil
	}
	if len(items) == 0 {
		s.h.Ignored(s.name)
		return nil
	}
	for i, item := range items {
		if item.Kind() != '{' {
			s.skip(line, i+1, "an item of the page's data that is not a record (a JSON object)")
			continue
		}
		if err := s.request(item, line, i+1); err != nil {
			return err
		}
	}
	return nil
}

// A Helicone request row (Helicone/helicone, valhalla/jawn/src/lib/
// stores/request/request.ts, HeliconeRequest; examples/export/typescript
// writes them with --include-body):
//
//	{"request_id", "request_created_at", "request_path": "/v1/chat/completions",
//	 "request_body": {...the body as sent...}, "request_properties":
//	 {"Helicone-Session-Id": ...}, "request_model", "model", "target_url",
//	 "response_body", "signed_body_url", ...}
//
// Helicone stores the body the application sent, so the request is
// verbatim. Its API leaves request_body out (or {}) and points to the
// stored bodies with signed_body_url; the export fetches them with
// --include-body. A body too large for the API is replaced by
// {"helicone_message": "..."}.

// heliconeSession is the request property Helicone's sessions set
// (the Helicone-Session-Id header).
const heliconeSession = "Helicone-Session-Id"

// heliconeRow reads one Helicone request row.
func (s *stream) heliconeRow(e *envelopeFields, src Source, line, rec int) error {
	src.Origin = "helicone"
	src.Fidelity = Verbatim
	if t := timeOf(e.RequestCreatedAt); t != "" {
		src.Time, src.Captured = t, day(t)
	}
	body := unwrapString(e.RequestBody)
	if len(body) == 0 || body[0] != '{' || emptyObject(body) {
		s.skip(line, rec, "a Helicone request row %q without its request body (Helicone's API leaves request_body out and points to it with signed_body_url): export with `npx @helicone/export --include-body`, which fetches the bodies", src.RequestID)
		return nil
	}
	if !jsontext.Value(body).IsValid(jsontext.AllowDuplicateNames(true)) {
		// A body held as a string is not checked by the row's own parse.
		s.skip(line, rec, "a Helicone request row %q whose request_body is not one JSON object", src.RequestID)
		return nil
	}
	var held struct {
		Message  jsontext.Value `json:"helicone_message"`
		Messages jsontext.Value `json:"messages"`
		Input    jsontext.Value `json:"input"`
	}
	if json.Unmarshal(body, &held, jsontext.AllowDuplicateNames(true)) == nil && held.Message != nil && held.Messages == nil && held.Input == nil {
		s.skip(line, rec, "Helicone left the body of request %q out of the row (helicone_message: %s): fetch it from the row's signed_body_url, or export with `npx @helicone/export --include-body`", src.RequestID, scalar(held.Message))
		return nil
	}
	path := strings.TrimSpace(scalar(e.RequestPath))
	if target := scalar(e.TargetURL); path == "" && target != "" {
		if u, err := url.Parse(strings.TrimSpace(target)); err == nil {
			path = u.EscapedPath()
		}
	}
	rt, known := routeOf(path)
	f := rt.format
	switch {
	case known && f == "":
		// InvokeModel: the body says which family it is.
		df, ok := DetectBody(body)
		if !ok || df != history.FormatAnthropic && df != history.FormatConverse {
			s.skip(line, rec, "a Helicone InvokeModel request for %q whose body is neither an Anthropic Messages body nor a messages-v1 body; only those import", rt.model)
			return nil
		}
		f = df
	case !known && path != "":
		// Embeddings, moderations, images...: the path says what the
		// body is, and it is no conversation.
		s.skip(line, rec, "a Helicone request to %q, not a Chat Completions, Responses, Messages, Converse or InvokeModel call", path)
		return nil
	case !known:
		var ok bool
		if f, ok = s.bodyFormat(body); !ok {
			s.skip(line, rec, "a Helicone request whose body is not a Chat Completions, Responses, Messages or Converse request")
			return nil
		}
	}
	src.Operation = rt.operation
	src.Region = firstOf(bedrockURLRegion(scalar(e.TargetURL)), rt.region)
	var m struct {
		Model string `json:"model"`
	}
	if rt.model == "" {
		_ = json.Unmarshal(body, &m)
	}
	src.Model = firstOf(rt.model, m.Model, scalar(e.RequestModel), scalar(e.Model))
	return s.emit(Record{Format: f, Body: body, Source: src, Session: heliconeSessionOf(e)})
}

// heliconeSessionOf is the row's Helicone-Session-Id property, the key
// Helicone groups a session's requests by; request_properties holds the
// request's properties, properties the same in newer rows.
func heliconeSessionOf(e *envelopeFields) string {
	for _, v := range []jsontext.Value{e.RequestProperties, e.Properties} {
		p := unwrapString(v)
		if len(p) == 0 || p[0] != '{' || !bytes.Contains(bytes.ToLower(p), []byte("helicone-session-id")) {
			continue
		}
		var props map[string]jsontext.Value
		if json.Unmarshal(p, &props, jsontext.AllowDuplicateNames(true)) != nil {
			continue
		}
		for _, k := range sortedKeys(props) {
			if strings.EqualFold(k, heliconeSession) {
				if id := scalar(props[k]); id != "" {
					return id
				}
			}
		}
	}
	return ""
}
