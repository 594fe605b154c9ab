package converse

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realExchange is one recorded exchange with Amazon Bedrock (see
// testdata/realwire/SOURCES.md for where each comes from).
type realExchange struct {
	Request struct {
		URL  string          `json:"url"`
		Body json.RawMessage `json:"body"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"response"`
}

// notContract are the recorded errors that no request rule predicts: the
// caller's credentials, the model id, capacity, and provider-side schema
// checks the contract does not model. Each says why.
var notContract = map[string]string{
	"converse-error-invalid-model.json":                    "a model id the account cannot use: the emulator's catalog answers it, not Validate",
	"converse-stream-error-invalid-model.json":             "a model id the account cannot use",
	"converse-error-unrecognized-client.json":              "credentials",
	"converse-error-service-unavailable.json":              "capacity",
	"converse-error-internal-server-recursive-schema.json": "a service fault on a recursive outputConfig schema",
}

// TestRealExchanges replays every recorded Converse request through
// Validate: a real success must be accepted, and a real error that is a
// contract rule must come out with the same message.
func TestRealExchanges(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "realwire", "*.json"))
	if err != nil || len(files) < 50 {
		t.Fatalf("%d captures: %v", len(files), err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var ex realExchange
			if err := json.Unmarshal(data, &ex); err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(ex.Request.URL)
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.Split(u.EscapedPath(), "/")
			if len(parts) < 3 || parts[1] != "model" {
				t.Skipf("not a model call: %s", u.Path)
			}
			model, _ := url.PathUnescape(parts[2])
			fam, ok := FamilyForModel(model)
			if !ok {
				t.Skipf("model %s belongs to no known family", model)
			}
			body := ex.Request.Body
			var s string
			if json.Unmarshal(body, &s) == nil {
				body = json.RawMessage(s)
			}
			var req Request
			if err := json.Unmarshal(body, &req); err != nil {
				t.Fatalf("request body: %v", err)
			}
			validate := Validate
			if len(parts) > 3 && parts[3] == "converse-stream" {
				validate = ValidateStream
			}
			got := validate(&req, fam)
			if ex.Response.Status == 200 {
				if got != nil {
					t.Fatalf("%s (%s) accepted this request; Validate says %v", model, fam.Name, got)
				}
				return
			}
			var resp struct {
				Message string `json:"message"`
			}
			_ = json.Unmarshal(ex.Response.Body, &resp)
			if why, ok := notContract[name]; ok {
				if got != nil {
					t.Fatalf("the service answered %q (%s), but Validate predicts %v", resp.Message, why, got)
				}
				return
			}
			if got == nil {
				t.Fatalf("%s (%s) answered %d %q; Validate accepts the request", model, fam.Name, ex.Response.Status, resp.Message)
			}
			v := got.(*Violation)
			if v.Message != resp.Message {
				t.Fatalf("message differs:\n got: %s\nwant: %s", v.Message, resp.Message)
			}
			if v.Rule.Status != ex.Response.Status {
				t.Errorf("status %d, the service answered %d", v.Rule.Status, ex.Response.Status)
			}
			for k, h := range ex.Response.Headers {
				if strings.EqualFold(k, "x-amzn-ErrorType") {
					if typ, _, _ := strings.Cut(h, ":"); typ != v.Rule.Exception {
						t.Errorf("type %s, the service answered %s", v.Rule.Exception, typ)
					}
				}
			}
		})
	}
}

// TestServerToolAnswerReplays: the recorded Nova 2 answer with a system
// tool's call and result (realwire converse-server-tool-nova-ok) is a
// valid assistant turn to send back: the server_tool_use call needs no
// result in the next user turn, and its result, in the assistant turn,
// answers no call of the turn before (V-19, V-20 count neither); the
// client call beside them still needs its result. Before, the result in
// the assistant turn broke V-20 and the call, without its type, V-19.
func TestServerToolAnswerReplays(t *testing.T) {
	fam, ok := FamilyForModel("us.amazon.nova-2-lite-v1:0")
	if !ok || !fam.SystemTools {
		t.Fatalf("Nova 2 Lite: family %q, SystemTools %v", fam.Name, fam.SystemTools)
	}
	r := novaServerToolTurn(t)
	text := "Final result processed."
	answer := Message{Role: RoleUser, Content: []ContentBlock{{ToolResult: &ToolResultBlock{
		ToolUseID: "tooluse_DaRsVjwcShCI_3pOsIsWqg", Content: []ToolResultContent{{Text: &text}}}}}}
	r.Messages = append(r.Messages, answer)
	if err := Validate(&r, fam); err != nil {
		t.Fatalf("the replayed answer is refused: %v", err)
	}
	// Without the client call's result, V-19 names that call only.
	r.Messages[2] = Message{Role: RoleUser, Content: []ContentBlock{TextBlock("next")}}
	err := Validate(&r, fam)
	if err == nil || !strings.Contains(err.Error(), "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_DaRsVjwcShCI_3pOsIsWqg") ||
		strings.Contains(err.Error(), "dV5ehBNfl1hUE") {
		t.Fatalf("without the client result: %v", err)
	}
	// A result for the server call in the next user turn answers no call.
	r.Messages[2] = answer
	r.Messages[2].Content = append(r.Messages[2].Content, ContentBlock{ToolResult: &ToolResultBlock{
		ToolUseID: "tooluse_dV5ehBNfl1hUE-UTM9cIww", Content: []ToolResultContent{{Text: &text}}}})
	if err := Validate(&r, fam); err == nil || !strings.Contains(err.Error(), "exceeds the number of toolUse blocks") {
		t.Fatalf("a client result for the server call: %v", err)
	}
}

// novaServerToolTurn is the recorded Nova 2 request with a system tool
// (realwire converse-server-tool-nova-ok), its answer appended as the
// assistant turn: the typed server tool call and result and a client call.
func novaServerToolTurn(t *testing.T) Request {
	t.Helper()
	data, err := os.ReadFile("testdata/realwire/converse-server-tool-nova-ok.json")
	if err != nil {
		t.Fatal(err)
	}
	var capture struct {
		Request struct {
			Body Request `json:"body"`
		} `json:"request"`
		Response struct {
			Body Response `json:"body"`
		} `json:"response"`
	}
	if err := json.Unmarshal(data, &capture); err != nil {
		t.Fatal(err)
	}
	r := capture.Request.Body
	r.Messages = append(r.Messages, *capture.Response.Body.Output.Message)
	return r
}
