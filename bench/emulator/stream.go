package emulator

import (
	stdjson "encoding/json"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/go-json-experiment/json"
)

// padding is the alphabet the service pads event payloads with ("p").
const padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// writeStream answers ConverseStream with the frames the service sends:
// messageStart; per content block its deltas (reasoning text then its
// signature, text, a citation then its text, or a contentBlockStart then
// tool input) and a
// contentBlockStop; messageStop; metadata. Text comes in deltas of one to
// four words, as real streams do. A stream fault ends it after the first
// delta with an exception frame. Once a write fails (the client went
// away) it builds no more frames. It returns how many events it built.
func (s *Server) writeStream(w http.ResponseWriter, rep reply, fault streamFault) (built int) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	sw := &streamWriter{w: w, enc: eventstream.NewEncoder(), seed: rep.seed}
	defer func() { built = sw.n }()
	sw.event("messageStart", map[string]any{"role": "assistant"})
	rng := rep.seed | 1
	deltas := 0
	delta := func(i int, d map[string]any) bool {
		if sw.err != nil {
			return false
		}
		sw.event("contentBlockDelta", map[string]any{"contentBlockIndex": i, "delta": d})
		deltas++
		if deltas == 1 && fault.exception != "" {
			sw.exception(fault.exception, fault.message)
			return false
		}
		return true
	}
	blocks := rep.blocks
	if rep.emptyFirstText {
		empty := ""
		blocks = append([]block{{text: &empty}}, blocks...)
	}
	for i, b := range blocks {
		switch {
		case b.cite != nil:
			// The citation comes first, then the cited text (realwire
			// converse-stream-citations-ok).
			if !delta(i, map[string]any{"citation": b.cite.fields()}) {
				return
			}
			for _, chunk := range wordChunks(*b.text, &rng) {
				if !delta(i, map[string]any{"text": chunk}) {
					return
				}
			}
		case b.text != nil:
			for _, chunk := range wordChunks(*b.text, &rng) {
				if !delta(i, map[string]any{"text": chunk}) {
					return
				}
			}
		case b.tool != nil:
			start := map[string]any{"name": b.tool.Name, "toolUseId": b.tool.ToolUseID}
			switch {
			case b.tool.Type != "":
				start["type"] = b.tool.Type
			case rep.serverTools:
				// Beside a system tool's call, Nova 2 types its client
				// calls too (realwire converse-stream-server-tool-nova-ok).
				start["type"] = "tool_use"
			}
			sw.event("contentBlockStart", map[string]any{"contentBlockIndex": i, "start": map[string]any{"toolUse": start}})
			for _, chunk := range append([]string{""}, byteChunks(string(b.tool.Input), &rng)...) {
				if !delta(i, map[string]any{"toolUse": map[string]any{"input": chunk}}) {
					return
				}
			}
		case b.result != nil:
			// A system tool's result: its start, then its content in
			// one delta (realwire converse-stream-server-tool-nova-ok).
			sw.event("contentBlockStart", map[string]any{"contentBlockIndex": i, "start": map[string]any{"toolResult": map[string]any{
				"status": b.result.Status, "toolUseId": b.result.ToolUseID, "type": b.result.Type}}})
			if !delta(i, map[string]any{"toolResult": []any{map[string]any{"json": stdjson.RawMessage(b.result.Content[0].JSON)}}}) {
				return
			}
		case b.redacted != nil:
			if !delta(i, map[string]any{"reasoningContent": map[string]any{"redactedContent": b.redacted}}) {
				return
			}
		default:
			for _, chunk := range wordChunks(b.reasoning, &rng) {
				if !delta(i, map[string]any{"reasoningContent": map[string]any{"text": chunk}}) {
					return
				}
			}
			if b.signature != "" && !delta(i, map[string]any{"reasoningContent": map[string]any{"signature": b.signature}}) {
				return
			}
		}
		sw.event("contentBlockStop", map[string]any{"contentBlockIndex": i})
	}
	stop := map[string]any{"stopReason": rep.stopReason}
	if rep.additional != nil {
		stop["additionalModelResponseFields"] = rep.additional
	}
	sw.event("messageStop", stop)
	meta := map[string]any{"metrics": map[string]any{"latencyMs": rep.latencyMs}, "usage": rep.usageJSON()}
	if rep.trace != nil {
		meta["trace"] = rep.trace
	}
	rep.served(meta)
	sw.event("metadata", meta)
	return
}

// next steps a small deterministic generator.
func next(x *uint64) uint64 {
	*x = *x*6364136223846793005 + 1442695040888963407
	return *x >> 33
}

// wordChunks splits text into deltas of one to four words that
// concatenate back to it exactly, each word keeping its leading space.
func wordChunks(text string, rng *uint64) []string {
	var words []string
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] == ' ' {
			j++
		}
		for j < len(text) && text[j] != ' ' {
			j++
		}
		words = append(words, text[i:j])
		i = j
	}
	var out []string
	for i := 0; i < len(words); {
		n := 1 + int(next(rng)%4)
		out = append(out, strings.Join(words[i:min(i+n, len(words))], ""))
		i += n
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// byteChunks cuts tool input JSON into pieces of 2 to 12 bytes, as the
// service streams partial JSON.
func byteChunks(s string, rng *uint64) []string {
	var out []string
	for i := 0; i < len(s); {
		n := 2 + int(next(rng)%11)
		out = append(out, s[i:min(i+n, len(s))])
		i += n
	}
	return out
}

type streamWriter struct {
	w    http.ResponseWriter
	enc  *eventstream.Encoder
	seed uint64
	n    int
	err  error
}

func (sw *streamWriter) event(typ string, payload map[string]any) {
	if sw.err != nil {
		return // the client went away: no more frames
	}
	payload["p"] = padding[:1+int((sw.seed+uint64(sw.n)*13)%uint64(len(padding)-1))]
	sw.n++
	body, _ := json.Marshal(payload, json.Deterministic(true))
	sw.frame(eventstream.Headers{
		{Name: ":event-type", Value: eventstream.StringValue(typ)},
		{Name: ":content-type", Value: eventstream.StringValue("application/json")},
		{Name: ":message-type", Value: eventstream.StringValue("event")},
	}, body)
}

func (sw *streamWriter) exception(typ, msg string) {
	body, _ := json.Marshal(map[string]string{"message": msg})
	sw.frame(eventstream.Headers{
		{Name: ":exception-type", Value: eventstream.StringValue(typ)},
		{Name: ":content-type", Value: eventstream.StringValue("application/json")},
		{Name: ":message-type", Value: eventstream.StringValue("exception")},
	}, body)
}

func (sw *streamWriter) frame(h eventstream.Headers, payload []byte) {
	if sw.err != nil {
		return // the client went away; stop writing
	}
	sw.err = sw.enc.Encode(sw.w, eventstream.Message{Headers: h, Payload: payload})
	if f, ok := sw.w.(http.Flusher); ok {
		f.Flush()
	}
}
