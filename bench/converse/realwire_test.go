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
