package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
)

// editBody decodes a recorded body, lets edit change it and re-encodes it.
func editBody(t *testing.T, body json.RawMessage, edit func(m map[string]any)) string {
	t.Helper()
	if edit == nil {
		return string(body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, _ := json.Marshal(m)
	return string(b)
}

// appendToLastUserText adds text to the last user turn, to set off a
// documented trigger.
func appendToLastUserText(s string) func(map[string]any) {
	return func(m map[string]any) {
		msgs := m["messages"].([]any)
		last := msgs[len(msgs)-1].(map[string]any)
		content := last["content"].([]any)
		first := content[0].(map[string]any)
		first["text"] = first["text"].(string) + s
	}
}

// TestRealwireSuccessShapes sends recorded successful requests (with a
// catalog model of the same family, and where needed the documented
// trigger added) and compares the answer's shape with the real one: the
// JSON key paths of Converse answers, the event order and payload keys of
// streams. Where the emulator leaves out something the service sends, the
// case names the paths it ignores.
func TestRealwireSuccessShapes(t *testing.T) {
	guardrails := []Guardrail{
		{ID: "5zwrmdlsra2e", Version: "DRAFT", DeniedWords: []string{"capital"}, BlockedInputMessaging: "Sorry, the model cannot answer this question."},
		{ID: "xbgw7g293v7o", Version: "DRAFT", DeniedWords: []string{"password"}},
	}
	// The captures of Claude 3.7 Sonnet are replayed on a day it was
	// served (its end of life was 2026-04-28), as an account that used it.
	_, hs := start(t, &Options{Guardrails: guardrails, LegacyActive: []string{"anthropic.claude-3-7-sonnet-20250219-v1:0"}})
	_, hs37 := start(t, &Options{LegacyActive: []string{"anthropic.claude-3-7-sonnet-20250219-v1:0"}, Date: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
	const haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	tests := []struct {
		file, model string
		edit        func(map[string]any)
		// ignore lists key paths (prefixes) the emulator does not produce.
		ignore []string
	}{
		{"converse-text-ok", "us.amazon.nova-micro-v1:0", nil, nil},
		{"converse-text-maxtokens-ok", "amazon.titan-text-express-v1", nil, nil},
		{"converse-reasoning-ok", haiku45, nil, nil},
		{"converse-reasoning-redacted-ok", haiku45, nil, nil},
		{"converse-tooluse-parallel-ok", "amazon.nova-micro-v1:0", appendToLastUserText(" Use get_current_weather."), nil},
		// A white-space-only text block beside other text: the service
		// accepted it, and so does the validator.
		// Its usage has no cacheDetails, which 2026 recordings of a write
		// carry (converse-cache-details-ttl-ok, below): version drift.
		{"converse-cache-write-ok", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", nil, []string{".usage.cacheDetails"}},
		{"converse-cache-nova-ok", "us.amazon.nova-lite-v1:0", nil, nil},
		{"converse-guardrail-trace-ok", "us.amazon.nova-micro-v1:0", nil, []string{
			".trace.guardrail.inputAssessment.xbgw7g293v7o.invocationMetrics.usage.", ".trace.guardrail.outputAssessments", ".trace.guardrail.modelOutput"}},
		{"converse-guardrail-intervened-ok", "amazon.titan-text-express-v1", nil, []string{
			".trace.guardrail.inputAssessment.5zwrmdlsra2e.sensitiveInformationPolicy", ".trace.guardrail.outputAssessments", ".trace.guardrail.modelOutput",
			".trace.guardrail.inputAssessment.5zwrmdlsra2e.appliedGuardrailDetails", ".trace.guardrail.inputAssessment.5zwrmdlsra2e.wordPolicy"}},
		{"converse-reasoning-tooluse-ok", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", appendToLastUserText(" Use get_user_country."), nil},
		{"converse-reasoning-adaptive-ok", "us.anthropic.claude-sonnet-4-6", nil, nil},
		{"converse-reasoning-gpt-oss-ok", "openai.gpt-oss-120b-1:0", nil, nil},
		{"converse-reasoning-deepseek-ok", "us.deepseek.r1-v1:0", nil, nil},
		{"converse-toolresult-ok", "us.amazon.nova-2-lite-v1:0", nil, nil},
		{"converse-tooluse-parallel-three-ok", "us.anthropic.claude-sonnet-4-6", appendToLastUserText(" Use parallel_local_search_one."), nil},
		{"converse-stream-text-nova-ok", "us.amazon.nova-micro-v1:0", nil, nil},
		{"converse-stream-reasoning-gpt-oss-ok", "openai.gpt-oss-120b-1:0", nil, nil},
		{"converse-stream-toolresult-ok", haiku45, nil, nil},
		{"converse-stream-cache-read-ok", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", nil, nil},
		{"converse-stream-reasoning-ok", haiku45, nil, nil},
		// converse-stream-reasoning-redacted-ok got two redacted blocks
		// where the same trigger on Converse got one; the emulator sends
		// one, which converse-reasoning-redacted-ok checks.
		{"converse-stream-text-then-tooluse-ok", haiku45, appendToLastUserText(" Use get_weather."), nil},
		// A text document, an image, structured output: what the
		// conformance suite's image-document and structured-output send.
		{"converse-document-txt-nova-ok", "us.amazon.nova-pro-v1:0", nil, nil},
		{"converse-mistral-toolresult-image-ok", "us.mistral.pixtral-large-2502-v1:0", nil, nil},
		{"converse-mistral-large-output-config-ok", "mistral.mistral-large-2402-v1:0", nil, nil},
		// usage.cacheDetails (the write per ttl) is in this 2026 recording
		// of a cache write, not in the older converse-cache-write-ok's.
		{"converse-cache-details-ttl-ok", "us.anthropic.claude-sonnet-4-6", nil, nil},
		// A document with citations enabled: a citationsContent block
		// citing the document's first sentence, its first chunk, or a
		// PDF's first page. The real answers to the PDF and to the chunks
		// wrap the cited block in plain text of the model's wording, which
		// the emulator leaves out; the usage of the chunks' answer (Sonnet
		// 5, 2026) has no cache write counts.
		{file: "converse-citations-ok", model: "us.anthropic.claude-sonnet-4-6"},
		{file: "converse-citations-pdf-ok", model: "us.anthropic.claude-sonnet-4-6", ignore: []string{".output.message.content[].text"}},
		{file: "converse-citations-chunk-ok", model: "us.anthropic.claude-sonnet-4-6", ignore: []string{".output.message.content[].text", ".usage.cacheWrite"}},
		{file: "converse-stream-citations-ok", model: "us.anthropic.claude-sonnet-4-6"},
		// Text, cited text, text, cited text: the emulator sends the
		// first cited block alone.
		{file: "converse-stream-citations-text-source-ok", model: "us.anthropic.claude-sonnet-4-6"},
	}
	// The recorded answer read the cache an earlier call wrote: the same
	// request goes first.
	readsCache := map[string]bool{"converse-stream-cache-read-ok": true}
	// The real answer has more content blocks than the emulator's: each
	// event type's payload keys are compared, not the event order.
	blocksDiffer := map[string]bool{"converse-stream-citations-text-source-ok": true}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			real := loadExchange(t, tc.file)
			op := "converse"
			if strings.Contains(real.Request.URL, "converse-stream") {
				op = "converse-stream"
			}
			body := editBody(t, real.Request.Body, tc.edit)
			path := "/model/" + url.PathEscape(tc.model) + "/" + op
			srv := hs
			if strings.Contains(tc.model, "claude-3-7-sonnet") {
				srv = hs37
			}
			if readsCache[tc.file] {
				rawRequest(t, srv, "POST", path, "us-east-1", body, defaultCreds)
			}
			status, h, got := rawRequest(t, srv, "POST", path, "us-east-1", body, defaultCreds)
			if status != real.Response.Status {
				t.Fatalf("status %d, real %d: %s", status, real.Response.Status, got)
			}
			if h.Get("Content-Type") != headerValue(real.Response.Headers, "Content-Type") && headerValue(real.Response.Headers, "Content-Type") != "" {
				t.Errorf("Content-Type %q, real %q", h.Get("Content-Type"), headerValue(real.Response.Headers, "Content-Type"))
			}
			keep := func(paths []string) []string {
				var out []string
			next:
				for _, p := range paths {
					for _, ig := range tc.ignore {
						if strings.HasPrefix(p, ig) {
							continue next
						}
					}
					// serverToolUsage joined the usage block in 2025-26; older
					// recordings lack it: version drift, not shape.
					if strings.HasSuffix(p, ".usage.serverToolUsage") {
						continue
					}
					out = append(out, p)
				}
				return out
			}
			if real.Response.BodyBase64 == "" {
				var realBody struct {
					StopReason string `json:"stopReason"`
				}
				_ = json.Unmarshal(real.Response.Body, &realBody)
				if !strings.Contains(got, `"stopReason":"`+realBody.StopReason+`"`) {
					t.Errorf("stop reason differs from the real %q: %s", realBody.StopReason, got)
				}
				if diff := cmp.Diff(keep(keyPaths(t, real.Response.Body)), keep(keyPaths(t, []byte(got)))); diff != "" {
					t.Errorf("JSON shape differs from the real response (-real +emulator):\n%s", diff)
				}
				return
			}
			raw, _ := base64.StdEncoding.DecodeString(real.Response.BodyBase64)
			realOrder, realKeys := streamShape(t, raw)
			gotOrder, gotKeys := streamShape(t, []byte(got))
			if diff := cmp.Diff(realOrder, gotOrder); diff != "" && !blocksDiffer[tc.file] {
				t.Errorf("event order differs (-real +emulator):\n%s", diff)
			}
			for typ := range realKeys {
				realKeys[typ], gotKeys[typ] = keep(realKeys[typ]), keep(gotKeys[typ])
			}
			if diff := cmp.Diff(realKeys, gotKeys); diff != "" {
				t.Errorf("event payload keys differ (-real +emulator):\n%s", diff)
			}
		})
	}
}

// TestRealwireErrors reproduces the recorded emulator-level errors: the
// same status, error type with its namespace, and body.
func TestRealwireErrors(t *testing.T) {
	expiring := Credentials{AccessKeyID: "ASIAEXPIRED000000000", SecretAccessKey: "s", SessionToken: "t", Expires: time.Now().Add(-time.Minute)}
	tests := []struct {
		file  string
		opts  *Options
		model string
		creds aws.Credentials
	}{
		{"converse-error-invalid-model", nil, "does-not-exist", defaultCreds},
		{"converse-stream-error-invalid-model", nil, "does-not-exist", defaultCreds},
		{"converse-error-unrecognized-client", nil, "anthropic.claude-3-haiku-20240307-v1:0", aws.Credentials{AccessKeyID: "AKIANOTKNOWN00000000", SecretAccessKey: "x"}},
		{"error-expired-token", &Options{Credentials: []Credentials{expiring}}, "us.amazon.nova-micro-v1:0", aws.Credentials{AccessKeyID: expiring.AccessKeyID, SecretAccessKey: "s", SessionToken: "t"}},
		{"error-access-denied", &Options{NoModelAccess: []string{"amazon.nova-micro-v1:0"}}, "us.amazon.nova-micro-v1:0", defaultCreds},
		{"converse-error-model-output-schema-maxitems", &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}}, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", defaultCreds},
		{"converse-error-model-strict-tool-maxitems", &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}}, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", defaultCreds},
		{"converse-error-model-strict-tool-minitems", &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}}, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", defaultCreds},
		{"converse-error-internal-server-recursive-schema", &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}}, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", defaultCreds},
		{"converse-error-model-output-schema-multipleof", &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}}, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", defaultCreds},
		{"converse-error-service-unavailable", &Options{Faults: Faults{ErrorProbability: 1, ErrorKinds: []string{ServiceUnavailable}, ServiceUnavailableMessage: msgCapacity}}, "us.amazon.nova-pro-v1:0", defaultCreds},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			real := loadExchange(t, tc.file)
			_, hs := start(t, tc.opts)
			u, _ := url.Parse(real.Request.URL)
			op := u.Path[strings.LastIndex(u.Path, "/")+1:]
			region := strings.Split(u.Host, ".")[1]
			status, h, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(tc.model)+"/"+op, region, string(real.Request.Body), tc.creds)
			if status != real.Response.Status {
				t.Fatalf("status %d, real %d: %s", status, real.Response.Status, got)
			}
			if want := headerValue(real.Response.Headers, "x-amzn-ErrorType"); want != "" && h.Get("X-Amzn-Errortype") != want {
				t.Errorf("x-amzn-ErrorType %q, real %q", h.Get("X-Amzn-Errortype"), want)
			}
			var realBody, gotBody any
			_ = json.Unmarshal(real.Response.Body, &realBody)
			if err := json.Unmarshal([]byte(got), &gotBody); err != nil {
				t.Fatalf("body %s", got)
			}
			if diff := cmp.Diff(realBody, gotBody); diff != "" {
				t.Errorf("body differs (-real +emulator):\n%s", diff)
			}
		})
	}
}

// TestRealwireErrorTexts: the throttling and service-unavailable texts
// real calls got (error-texts.md) are the ones the emulator can answer.
func TestRealwireErrorTexts(t *testing.T) {
	texts, err := readFile("testdata/realwire/error-texts.md")
	if err != nil {
		t.Fatal(err)
	}
	capture, err := readFile("testdata/realwire/converse-error-service-unavailable.json")
	if err != nil {
		t.Fatal(err)
	}
	texts += capture
	for _, msg := range append(append([]string{}, throttleMessages...), msgCapacity, serverErrors[ServiceUnavailable].Msg) {
		if !strings.Contains(texts, msg) {
			t.Errorf("%q is not a recorded text", msg)
		}
	}
	for _, msg := range throttleMessages {
		_, hs := start(t, &Options{Faults: Faults{ThrottleProbability: 1, ThrottleMessage: msg}})
		_, err := callConverse(t, runtimeClient(hs, "us-east-1"), "amazon.nova-micro-v1:0", userText("hi"))
		apiErr(t, err, "ThrottlingException", msg)
	}
	if _, err := New(&Options{Faults: Faults{ThrottleMessage: "Slow down"}}); err == nil {
		t.Error("a throttling text no real call got was accepted")
	}
}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// TestRealwireStringForNumber: a string where the Converse input has a
// number is answered in Coral's words, on Converse and ConverseStream
// alike, as tidyverse/ellmer's recorded call (inferenceConfig.temperature
// "hot", error-texts.md) got them: 400 "STRING_VALUE cannot be converted
// to Float".
func TestRealwireStringForNumber(t *testing.T) {
	texts, err := readFile("testdata/realwire/error-texts.md")
	if err != nil {
		t.Fatal(err)
	}
	const float = "STRING_VALUE cannot be converted to Float"
	if !strings.Contains(texts, "| "+float+" |") {
		t.Fatalf("%q is not a recorded text", float)
	}
	_, hs := start(t, nil)
	for _, tc := range []struct{ config, want string }{
		{`{"temperature":"hot"}`, float},
		{`{"topP":"high"}`, float},
		{`{"maxTokens":"100"}`, "STRING_VALUE cannot be converted to Integer"},
	} {
		body := `{"messages":[{"role":"user","content":[{"text":"What is 1 + 1?"}]}],"inferenceConfig":` + tc.config + `}`
		for _, op := range []string{"converse", "converse-stream"} {
			status, h, got := rawRequest(t, hs, "POST", "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/"+op, "us-east-1", body, defaultCreds)
			if want := `{"message":"` + tc.want + `"}`; status != 400 || !strings.HasPrefix(h.Get("X-Amzn-Errortype"), "SerializationException:") || got != want {
				t.Errorf("%s %s: %d %s %s, want 400 %s", op, tc.config, status, h.Get("X-Amzn-Errortype"), got, want)
			}
		}
	}
}
