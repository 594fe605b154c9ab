package emulator

import (
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/go-json-experiment/json"
)

// padding is the alphabet the service pads event payloads with ("p").
const padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// writeStream answers ConverseStream with the frames the service sends:
// messageStart, contentBlockStart (tool use only), contentBlockDelta,
// contentBlockStop, messageStop, metadata. A stream fault ends it after
// the first delta with an exception frame.
func (s *Server) writeStream(w http.ResponseWriter, rep reply, fault streamFault) {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	sw := &streamWriter{w: w, enc: eventstream.NewEncoder(), seed: rep.seed}
	sw.event("messageStart", map[string]any{"role": "assistant"})
	var deltas []map[string]any
	if rep.tool != nil {
		sw.event("contentBlockStart", map[string]any{"contentBlockIndex": 0, "start": map[string]any{"toolUse": map[string]any{"name": rep.tool.Name, "toolUseId": rep.tool.ToolUseID}}})
		for _, chunk := range split(string(rep.tool.Input), 3) {
			deltas = append(deltas, map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"toolUse": map[string]any{"input": chunk}}})
		}
	} else {
		for _, chunk := range textChunks(rep.text, 4) {
			deltas = append(deltas, map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": chunk}})
		}
	}
	for i, d := range deltas {
		sw.event("contentBlockDelta", d)
		if i == 0 && fault.exception != "" {
			sw.exception(fault.exception, fault.message)
			return
		}
	}
	sw.event("contentBlockStop", map[string]any{"contentBlockIndex": 0})
	sw.event("messageStop", map[string]any{"stopReason": rep.stopReason})
	sw.event("metadata", map[string]any{
		"metrics": map[string]any{"latencyMs": rep.latencyMs},
		"usage":   rep.usageJSON(),
	})
}

type streamWriter struct {
	w    http.ResponseWriter
	enc  *eventstream.Encoder
	seed uint64
	n    int
	err  error
}

func (sw *streamWriter) event(typ string, payload map[string]any) {
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

// textChunks splits text into deltas of a few words that concatenate back
// to it exactly.
func textChunks(text string, words int) []string {
	fields := strings.SplitAfter(text, " ")
	var out []string
	for i := 0; i < len(fields); i += words {
		out = append(out, strings.Join(fields[i:min(i+words, len(fields))], ""))
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// split cuts s into n roughly equal parts that concatenate back to it.
func split(s string, n int) []string {
	if len(s) <= n {
		return []string{s}
	}
	var out []string
	size := (len(s) + n - 1) / n
	for i := 0; i < len(s); i += size {
		out = append(out, s[i:min(i+size, len(s))])
	}
	return out
}
