package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/google/go-cmp/cmp"
)

// exchange is a recorded real exchange (testdata/realwire).
type exchange struct {
	Source  string `json:"source"`
	Request struct {
		URL  string          `json:"url"`
		Body json.RawMessage `json:"body"`
	} `json:"request"`
	Response struct {
		Status     int               `json:"status"`
		Headers    map[string]string `json:"headers"`
		Body       json.RawMessage   `json:"body"`
		BodyBase64 string            `json:"body_base64"`
	} `json:"response"`
}

func loadExchange(t *testing.T, name string) exchange {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "realwire", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var e exchange
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestWireShapes sends each recorded request to the emulator, with the
// model swapped for a catalog model of the same family, and checks that
// the answer has the real answer's shape: status, error header, JSON key
// paths, and for streams the event order and each event's payload keys.
// The server's day is one when the captured models were served (Claude
// 3.5 Haiku, of converse-stream-tooluse-ok, reached its end of life on
// 2026-06-19).
func TestWireShapes(t *testing.T) {
	_, hs := start(t, &Options{Date: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)})
	tests := []struct {
		file, model, op string
		// patch adds to the recorded body what the emulator needs to give
		// the same kind of answer.
		patch map[string]any
	}{
		{"converse-text-ok", "us.amazon.nova-micro-v1:0", "converse", nil},
		{"converse-tooluse-ok", "us.amazon.nova-2-lite-v1:0", "converse", map[string]any{"toolChoice": map[string]any{"any": map[string]any{}}}},
		{"converse-error-invalid-model", "does-not-exist", "converse", nil},
		{"converse-stream-text-ok", "amazon.titan-text-express-v1", "converse-stream", nil},
		{"converse-stream-tooluse-ok", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "converse-stream", map[string]any{"toolChoice": map[string]any{"any": map[string]any{}}}},
		{"converse-stream-error-invalid-model", "does-not-exist", "converse-stream", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			real := loadExchange(t, tc.file)
			body := patchBody(t, real.Request.Body, tc.patch)
			status, h, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(tc.model)+"/"+tc.op, "us-east-1", body, defaultCreds)
			if status != real.Response.Status {
				t.Fatalf("status %d, real %d: %s", status, real.Response.Status, got)
			}
			realType := headerValue(real.Response.Headers, "x-amzn-ErrorType")
			if realType != h.Get("X-Amzn-Errortype") {
				t.Errorf("x-amzn-ErrorType %q, real %q", h.Get("X-Amzn-Errortype"), realType)
			}
			if h.Get("Content-Type") != headerValue(real.Response.Headers, "Content-Type") {
				t.Errorf("Content-Type %q, real %q", h.Get("Content-Type"), headerValue(real.Response.Headers, "Content-Type"))
			}
			if real.Response.BodyBase64 == "" {
				if diff := cmp.Diff(keyPaths(t, real.Response.Body), keyPaths(t, []byte(got))); diff != "" {
					t.Errorf("JSON shape differs from the real response (-real +emulator):\n%s", diff)
				}
				return
			}
			raw, _ := base64.StdEncoding.DecodeString(real.Response.BodyBase64)
			realOrder, realKeys := streamShape(t, raw)
			gotOrder, gotKeys := streamShape(t, []byte(got))
			if diff := cmp.Diff(realOrder, gotOrder); diff != "" {
				t.Errorf("event order differs (-real +emulator):\n%s", diff)
			}
			if diff := cmp.Diff(realKeys, gotKeys); diff != "" {
				t.Errorf("event payload keys differ (-real +emulator):\n%s", diff)
			}
		})
	}
}

func patchBody(t *testing.T, body json.RawMessage, patch map[string]any) string {
	t.Helper()
	if patch == nil {
		return string(body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	tc := m["toolConfig"].(map[string]any)
	for k, v := range patch {
		tc[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func headerValue(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// keyPaths lists every key path of a JSON value, arrays collapsed to [].
func keyPaths(t *testing.T, data []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				set[prefix+"."+k] = true
				walk(prefix+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix+"[]", e)
			}
		}
	}
	walk("", v)
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// streamShape decodes every frame (the decoder checks both CRCs) and
// returns the event order with repeats collapsed, and each event type's
// payload key paths.
func streamShape(t *testing.T, body []byte) ([]string, map[string][]string) {
	t.Helper()
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(body)
	var order []string
	keys := map[string][]string{}
	for r.Len() > 0 {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			t.Fatalf("frame %d does not decode: %v", len(order), err)
		}
		typ := msg.Headers.Get(":event-type").String()
		if mt := msg.Headers.Get(":message-type").String(); mt != "event" {
			typ = mt + ":" + msg.Headers.Get(":exception-type").String()
		}
		if len(order) == 0 || order[len(order)-1] != typ {
			order = append(order, typ)
		}
		merged := map[string]bool{}
		for _, k := range keys[typ] {
			merged[k] = true
		}
		for _, k := range keyPaths(t, msg.Payload) {
			// serverToolUsage joined the usage block in 2025-26 (a 2026
			// capture in the contract reference has it; these 2025
			// recordings do not), so it is version drift, not shape.
			if k != ".usage.serverToolUsage" {
				merged[k] = true
			}
		}
		keys[typ] = keys[typ][:0]
		for k := range merged {
			keys[typ] = append(keys[typ], k)
		}
		sort.Strings(keys[typ])
	}
	return order, keys
}
