package corpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// plantedSources writes, for every format, records carrying text t in
// every place a body holds text, plus the surroundings of each source
// (headers, span attributes, log fields) where credentials also show up.
// lines holds the values each right after a line break, which a JSON
// text held in a string (a tool call's arguments, a tool result holding
// JSON) writes as a backslash and a letter.
func plantedSources(t *testing.T, dir string, seed int, text, lines string) {
	t.Helper()
	b64 := base64.StdEncoding.EncodeToString([]byte(text))
	input, _ := credentialPlants(seed)
	input["note"] = text
	input["nested"] = map[string]any{"list": []string{text}}
	input["content"] = lines
	args := js(input)
	written := text + "\n" + js(map[string]any{"written": lines})
	converseBody := map[string]any{
		"system": []any{map[string]any{"text": text}},
		"messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"text": text},
				map[string]any{"document": map[string]any{"format": "txt", "name": "notes", "source": map[string]any{"bytes": b64}}}}},
			map[string]any{"role": "assistant", "content": []any{
				map[string]any{"reasoningContent": map[string]any{"reasoningText": map[string]any{"text": text, "signature": "sig"}}},
				map[string]any{"text": text},
				map[string]any{"toolUse": map[string]any{"toolUseId": "t1", "name": "lookup", "input": map[string]any{"note": text, "nested": map[string]any{"list": []string{text}}}}}}},
			map[string]any{"role": "user", "content": []any{map[string]any{"toolResult": map[string]any{"toolUseId": "t1",
				"content": []any{map[string]any{"text": text}, map[string]any{"json": map[string]any{"v": text}}}}}}},
		},
		"toolConfig":      map[string]any{"tools": []any{map[string]any{"toolSpec": map[string]any{"name": "lookup", "description": text, "inputSchema": map[string]any{"json": map[string]any{"type": "object", "description": text}}}}}},
		"requestMetadata": map[string]any{"note": text},
	}
	// The Converse body is written in one member order wherever it
	// appears, so its copies are exact copies.
	convJSON, err := json.Marshal(converseBody, json.Deterministic(true))
	if err != nil {
		t.Fatal(err)
	}
	bedrock := map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "accountId": "210987654321",
		"identity": map[string]any{"arn": "arn:aws:sts::210987654321:assumed-role/app/" + text}, "region": "us-east-1",
		"requestId": fmt.Sprintf("req-%d", seed), "operation": "Converse", "modelId": "amazon.nova-pro-v1:0",
		"input": map[string]any{"inputBodyJson": jsontext.Value(convJSON)}}
	openaiBody := map[string]any{"model": "gpt-4o", "user": text,
		"messages": []any{
			map[string]any{"role": "system", "content": text},
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": text}}},
			map[string]any{"role": "assistant", "content": text, "tool_calls": []any{map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "lookup", "arguments": args}}}},
			map[string]any{"role": "tool", "tool_call_id": "c1", "content": written},
			map[string]any{"role": "user", "content": text},
			// A custom tool's call: free-form input.
			map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c2", "type": "custom", "custom": map[string]any{"name": "apply_patch", "input": text}}}},
			map[string]any{"role": "tool", "tool_call_id": "c2", "content": text},
		},
		"tools": []any{map[string]any{"type": "function", "function": map[string]any{"name": "lookup", "description": text, "parameters": map[string]any{"type": "object"}}},
			map[string]any{"type": "custom", "custom": map[string]any{"name": "apply_patch", "description": text, "format": map[string]any{"type": "grammar", "grammar": map[string]any{"syntax": "lark", "definition": text}}}}},
		"tool_choice": map[string]any{"type": "allowed_tools", "allowed_tools": map[string]any{"mode": "auto", "tools": []any{map[string]any{"type": "function", "function": map[string]any{"name": "lookup"}}}}},
	}
	anthropicBody := map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "system": text, "metadata": map[string]any{"user_id": text},
		"messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": text},
				map[string]any{"type": "document", "source": map[string]any{"type": "text", "media_type": "text/plain", "data": text}}}},
			map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "thinking", "thinking": text, "signature": "sig"},
				map[string]any{"type": "tool_use", "id": "tu1", "name": "lookup", "input": input}}},
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "tu1", "content": []any{map[string]any{"type": "text", "text": text}}},
				map[string]any{"type": "mid_conv_system", "content": []any{map[string]any{"type": "text", "text": text}}},
				map[string]any{"type": "document", "title": "notes", "source": map[string]any{"type": "content", "content": []any{map[string]any{"type": "text", "text": text}}}},
				map[string]any{"type": "container_upload", "file_id": "file_011"}}},
			map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "compaction", "content": text}}},
		}}
	responsesBody := map[string]any{"model": "gpt-4.1", "instructions": text, "input": []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "input_text", "text": text}}},
		map[string]any{"type": "function_call", "call_id": "c1", "name": "lookup", "arguments": args},
		map[string]any{"type": "function_call_output", "call_id": "c1", "output": written},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "output_text", "text": text}}},
		map[string]any{"role": "user", "content": text},
		map[string]any{"type": "custom_tool_call", "call_id": "u1", "name": "note", "input": text},
		map[string]any{"type": "custom_tool_call_output", "call_id": "u1", "output": text},
		map[string]any{"type": "computer_call", "call_id": "k1", "action": map[string]any{"type": "type", "text": text}},
		map[string]any{"type": "computer_call_output", "call_id": "k1", "output": map[string]any{"type": "computer_screenshot", "image_url": "data:image/png;base64," + b64}},
		map[string]any{"type": "local_shell_call", "call_id": "l1", "action": map[string]any{"type": "exec", "command": []any{"echo", text}}},
		map[string]any{"type": "local_shell_call_output", "id": "l1", "output": text},
		map[string]any{"type": "shell_call", "call_id": "s1", "action": map[string]any{"commands": []any{text}}},
		map[string]any{"type": "shell_call_output", "call_id": "s1", "output": []any{map[string]any{"stdout": text, "stderr": text, "outcome": map[string]any{"type": "exit", "exit_code": 0}}}},
		map[string]any{"type": "apply_patch_call", "call_id": "p1", "operation": map[string]any{"type": "update_file", "path": "notes.txt", "diff": "+" + text}},
		map[string]any{"type": "apply_patch_call_output", "call_id": "p1", "output": text},
		map[string]any{"type": "mcp_approval_request", "id": "a1", "server_label": "crm", "name": "lookup", "arguments": args},
		map[string]any{"type": "mcp_approval_response", "approval_request_id": "a1", "approve": false, "reason": text},
	}, "tools": []any{map[string]any{"type": "custom", "name": "note", "description": text}, map[string]any{"type": "shell"}}}
	har := map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{map[string]any{
		"startedDateTime": "2026-11-20T10:00:00Z",
		"request": map[string]any{"method": "POST", "url": "https://api.openai.com/v1/chat/completions",
			"headers":  []any{map[string]any{"name": "Authorization", "value": "Bearer " + text}, map[string]any{"name": "Cookie", "value": text}},
			"postData": map[string]any{"mimeType": "application/json", "text": js(openaiBody)}},
		"response": map[string]any{"status": 200, "headers": []any{map[string]any{"name": "Set-Cookie", "value": text}}}}}}}
	msgs := []any{map[string]any{"role": "user", "parts": []any{map[string]any{"type": "text", "content": text}}},
		map[string]any{"role": "assistant", "parts": []any{map[string]any{"type": "tool_call", "id": "c1", "name": "lookup", "arguments": map[string]any{"note": text}}}},
		map[string]any{"role": "tool", "parts": []any{map[string]any{"type": "tool_call_response", "id": "c1", "response": text}}}}
	otlp := map[string]any{"resourceSpans": []any{map[string]any{"scopeSpans": []any{map[string]any{"spans": []any{map[string]any{
		"traceId": "t", "spanId": "s", "attributes": []any{
			map[string]any{"key": "gen_ai.system_instructions", "value": map[string]any{"stringValue": js([]any{map[string]any{"type": "text", "content": text}})}},
			map[string]any{"key": "gen_ai.input.messages", "value": map[string]any{"stringValue": js(msgs)}},
			map[string]any{"key": "enduser.id", "value": map[string]any{"stringValue": text}}}}}}}}}}
	// A Helicone export's rows (`npx @helicone/export --include-body`):
	// the body as sent, its session and user properties, a Bedrock call
	// through Helicone's proxy.
	helicone := func(path string, body any) string {
		return js(map[string]any{"request_id": fmt.Sprintf("hreq-%d", seed), "request_created_at": "2026-11-20T10:00:00Z", "request_path": path,
			"request_user_id": text, "request_properties": map[string]any{"Helicone-Session-Id": text, "customer": text},
			"target_url": "https://bedrock-runtime.us-east-1.amazonaws.com" + path, "request_body": body, "response_body": map[string]any{"text": text},
			"signed_body_url": "https://example.invalid/b?sig=" + text, "model": "gpt-4o"})
	}
	// A saved Langfuse API page of one observation, indented.
	obs := map[string]any{"id": "obs", "traceId": "tr", "type": "GENERATION", "startTime": "2026-11-20T10:00:00Z", "model": "gpt-4o",
		"modelParameters": map[string]any{"max_tokens": 100, "user": text}, "metadata": map[string]any{"note": text},
		"input": map[string]any{"messages": openaiBody["messages"], "tools": openaiBody["tools"], "tool_choice": openaiBody["tool_choice"]}, "output": map[string]any{"content": text}}
	page, _ := json.Marshal(map[string]any{"data": []any{obs}, "meta": map[string]any{"page": 1, "note": text}}, jsontext.Multiline(true), json.Deterministic(true))
	// A HAR entry to Bedrock through an interface VPC endpoint.
	vpceHAR := map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{map[string]any{
		"startedDateTime": "2026-11-20T10:00:00Z",
		"request": map[string]any{"method": "POST", "url": "https://vpce-0a1b2c3d4e5f67890-abcdefgh.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/amazon.nova-pro-v1:0/converse",
			"headers":  []any{map[string]any{"name": "Authorization", "value": "AWS4-HMAC-SHA256 Credential=" + text}},
			"postData": map[string]any{"mimeType": "application/json", "text": string(convJSON)}},
		"response": map[string]any{"status": 200, "headers": []any{}}}}}}
	files := map[string]string{
		"helicone.jsonl":        helicone("/v1/chat/completions", openaiBody) + "\n" + helicone("/v1/us-east-1/model/amazon.nova-pro-v1:0/converse", jsontext.Value(convJSON)),
		"langfuse-page.json":    string(page),
		"litellm-payload.jsonl": js(map[string]any{"id": "c", "trace_id": text, "call_type": "acompletion", "model": "gpt-4o", "api_base": "https://bedrock-runtime.us-west-2.amazonaws.com", "litellm_params": map[string]any{"aws_region_name": text}, "messages": openaiBody["messages"], "model_parameters": map[string]any{"tools": openaiBody["tools"], "user": text}, "metadata": map[string]any{"session_id": text}}),
		"vpce.har":              js(vpceHAR),
		"bedrock.jsonl":         js(bedrock),
		"openai.jsonl":          js(openaiBody),
		"pairs.jsonl":           js(map[string]any{"request": openaiBody, "response": map[string]any{"text": text}}),
		"litellm.jsonl":         js(map[string]any{"request_id": "r", "api_base": "https://bedrock-runtime.us-west-2.amazonaws.com", "session_id": text, "proxy_server_request": js(openaiBody), "messages": []any{}, "response": map[string]any{"text": text}}),
		"anthropic.jsonl":       js(anthropicBody),
		"responses.jsonl":       js(responsesBody),
		"session.har":           js(har),
		"spans.json":            js(otlp),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d-%s", seed, name)), []byte(data+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// plantAll writes sources of every format into src, planted with every
// secret and personal-data type of three seeds, and returns the plants.
func plantAll(t *testing.T, src string) []redacttest.Plant {
	t.Helper()
	var plants []redacttest.Plant
	for seed := 1; seed <= 3; seed++ {
		ps := redacttest.New(uint64(seed)).All()
		plants = append(plants, ps...)
		var texts []string
		for _, p := range ps {
			texts = append(texts, p.Text)
		}
		plantedSources(t, src, seed, strings.Join(texts, "\n"), afterBreaks(ps, []string{"\n", "\t", "\r\n"}[seed-1]))
		_, creds := credentialPlants(seed)
		plants = append(plants, creds...)
	}
	return plants
}

// credentialPlants returns a tool's input holding credentials that have
// no shape of their own, which a name says are credentials: under a
// credential's name, in name/value pairs (an environment, CloudFormation
// parameters), in an Authorization header, in a command line (curl -u)
// and in a URL whose host is an IP address, in OpenTelemetry attributes,
// in a Cookie header, a 600-byte secret; a lower-case IBAN; keys whose
// prefix tells their provider, a Slack webhook and an Azure account key;
// and the values.
func credentialPlants(seed int) (map[string]any, []redacttest.Plant) {
	v := func(s string) string { return fmt.Sprintf("%s%d", s, seed) }
	password, dbPassword, secret, param := v("Summer202"), v("hunter2x"), v("jG7rK2pQ9wX"), v("Xq7#Lm9zKp2")
	basic, curl, url := v("YWRtaW46cGFzc"), v("Xk9pQ2mZ7w"), v("Hunter2Sec")
	// Values drawn at run time, so that none is committed: an
	// OpenTelemetry attribute's, a cookie's, a long token's, and keys of
	// providers whose prefix says whose they are.
	rng := rand.New(rand.NewPCG(uint64(seed), 30))
	draw := func(n int) string {
		const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[rng.IntN(len(alnum))]
		}
		return string(b)
	}
	otelPassword, cookie, long := v("Lm9zOtel"), draw(24), draw(600)
	hf, sendgrid := "hf_"+draw(34), "SG."+draw(22)+"."+draw(43)
	webhook := "T" + strings.ToUpper(draw(8)) + "/B" + strings.ToUpper(draw(10)) + "/" + draw(24)
	accountKey := base64.StdEncoding.EncodeToString([]byte(draw(64)))
	const iban = "de89 3704 0044 0532 0130 00"
	input := map[string]any{
		"attributes": []any{map[string]any{"key": "db.password", "value": map[string]any{"stringValue": otelPassword}},
			map[string]any{"key": "http.request.header.cookie", "value": map[string]any{"arrayValue": map[string]any{"values": []any{map[string]any{"stringValue": "sessionid=" + cookie}}}}}},
		"trace":         "GET /account HTTP/1.1\r\nCookie: sessionid=" + cookie + "; csrftoken=" + draw(12) + "\r\n",
		"iban":          iban,
		"payout":        "send it to iban " + iban,
		"client_secret": long,
		"notes":         "HF_TOKEN=" + hf + " sendgrid " + sendgrid + " https://hooks.slack.com/services/" + webhook,
		"storage":       "DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=" + accountKey + ";EndpointSuffix=core.windows.net",
		"password":      password,
		"db_password":   dbPassword,
		"env":           []any{map[string]any{"name": "AWS_SECRET_ACCESS_KEY", "value": secret}},
		"Parameters":    []any{map[string]any{"ParameterKey": "DBPassword", "ParameterValue": param}},
		"headers":       map[string]any{"Authorization": "Basic " + basic},
		"command":       "curl -u admin:" + curl + " https://api.acme.io && psql postgres://app:" + url + "@10.20.30.40:5432/app",
	}
	var plants []redacttest.Plant
	for _, c := range []string{password, dbPassword, secret, param, basic, curl, url, otelPassword, cookie, long, webhook, accountKey} {
		plants = append(plants, redacttest.Plant{Kind: redact.GenericSecret, Value: c})
	}
	plants = append(plants, redacttest.Plant{Kind: redact.APIToken, Value: hf}, redacttest.Plant{Kind: redact.APIToken, Value: sendgrid},
		redacttest.Plant{Kind: redact.IBAN, Value: iban})
	return input, plants
}

// afterBreaks returns the planted values each right after the line
// break br: the value alone where it says what it is, else after the
// word that tells it (Bearer, an ARN's start, a credential's name).
func afterBreaks(ps []redacttest.Plant, br string) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("Access key ID" + br)
		switch p.Kind {
		case redact.BearerToken:
			b.WriteString("Bearer " + p.Value)
		case redact.AWSAccountID:
			b.WriteString("arn:aws:iam::" + p.Value + ":role/app")
		case redact.GenericSecret, redact.AWSSecretAccessKey:
			b.WriteString(p.Text)
		default:
			b.WriteString(p.Value)
		}
		b.WriteString(br)
	}
	return b.String()
}

// An unredacted fixture is never written: every secret and personal-data
// type, planted in every place a body can hold text, in every source
// format, is gone from the output, and gitleaks' default rules find
// nothing there.
func TestPlantedSecretsNeverReachAFixture(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	plants := plantAll(t, src)
	rep := importInto(t, out, Options{Select: SelectAll}, ingest.Options{}, src)
	if rep.Skipped != 0 || rep.Conversations != 3*5 || rep.Duplicates != 3*8 || rep.Entries != 3*13 {
		t.Fatalf("every planted record should import: %+v\n%v", rep, rep.SkipExamples)
	}
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	files := tree(t, out)
	if len(files) != 3*5+1 {
		t.Fatalf("%d files written", len(files))
	}
	for name, content := range files {
		for _, f := range gl.DetectString(content) {
			t.Errorf("%s: gitleaks finds %s: %q", name, f.RuleID, f.Match)
		}
		for _, p := range plants {
			for _, piece := range strings.Split(p.Value, "\n") {
				if len(piece) >= 8 && strings.Contains(content, piece) {
					t.Errorf("%s: the planted %s survived: %q", name, p.Kind, piece)
				}
			}
		}
	}
	for _, k := range redact.Kinds {
		if k != redact.Custom && rep.Redactions[string(k)] == 0 {
			t.Errorf("no %s counted in %v", k, rep.Redactions)
		}
	}
}

// Nothing an import writes on its way holds a planted value either: the
// spool (the bodies that leave the window, redacted) and the index (hash
// keys), read back before they are dropped, and the temporary folder
// holds no other file. The bodies wait unredacted in the window, in
// memory only.
func TestPlantedSecretsNeverReachTheSpool(t *testing.T) {
	src, tmp := t.TempDir(), t.TempDir()
	plants := plantAll(t, src)
	for _, window := range []int{windowBytes, 0} {
		im, err := New(Options{Redactor: testRedactor(t), Select: SelectAll, TempDir: tmp})
		if err != nil {
			t.Fatal(err)
		}
		im.windowMax = window
		feed(t, im, ingest.Options{}, src)
		if err := im.close(); err != nil {
			t.Fatal(err)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("the import left %d files in its temporary folder", len(left))
		}
		spool, err := io.ReadAll(io.NewSectionReader(im.spool, 0, im.spoolOff))
		if err != nil {
			t.Fatal(err)
		}
		index, err := io.ReadAll(io.NewSectionReader(im.prefixF, 0, 1<<30))
		if err != nil {
			t.Fatal(err)
		}
		im.spool.Close()
		im.prefixF.Close()
		if im.rep.Skipped != 0 || len(spool) == 0 {
			t.Fatalf("window %d: %d skipped, %d bytes spooled", window, im.rep.Skipped, len(spool))
		}
		for name, content := range map[string][]byte{"spool": spool, "index": index} {
			for _, p := range plants {
				for _, piece := range strings.Split(p.Value, "\n") {
					if len(piece) >= 8 && bytes.Contains(content, []byte(piece)) {
						t.Errorf("window %d: the planted %s reached the %s: %q", window, p.Kind, name, piece)
					}
				}
			}
		}
	}
}

// skippedPlants writes, into a file whose name holds an e-mail address,
// invocation-log records that are skipped with a reason quoting what the
// record holds: an account id and an e-mail address in the S3 key of a
// body left in S3, an access key id as a request id, an e-mail address as
// an operation, a card number as a model id and as a role, an e-mail
// address as a role; and one record that imports. Beside it, a file of
// proxies' rows skipped quoting their request id (an e-mail address, an
// access key id, a card number): a LiteLLM spend log whose body went to
// cold storage, Helicone rows without their body. It returns the folder
// and the values planted.
func skippedPlants(t *testing.T, dir string) (string, []string) {
	t.Helper()
	var account, email, akid, card string
	for _, p := range redacttest.New(11).All() {
		switch {
		case p.Kind == redact.AWSAccountID:
			account = p.Value
		case p.Kind == redact.Email && email == "" && strings.Contains(p.Value, "@"):
			email = p.Value
		case p.Kind == redact.AWSAccessKeyID:
			akid = p.Value
		case p.Kind == redact.CardNumber:
			card = p.Value
		}
	}
	log := func(requestID, operation, model string, input map[string]any) string {
		return js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "accountId": "123456789012", "region": "us-east-1",
			"requestId": requestID, "operation": operation, "modelId": model, "input": input})
	}
	converse := func(role string) map[string]any {
		return map[string]any{"inputBodyJson": map[string]any{"messages": []any{map[string]any{"role": role, "content": []any{map[string]any{"text": "Where is my parcel?"}}}}}}
	}
	lines := []string{
		log("r1", "Converse", "amazon.nova-pro-v1:0", map[string]any{"inputBodyS3Path": "s3://acme-logs/AWSLogs/" + account + "/BedrockModelInvocationLogs/us-east-1/2026/11/20/13/" + email + "/9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06_input.json.gz"}),
		log(akid, "Converse", "amazon.nova-pro-v1:0", map[string]any{"inputBodyJson": nil}),
		log("r3", "Ask "+email, "amazon.nova-pro-v1:0", converse("user")),
		log("r4", "InvokeModel", "custom-"+card, map[string]any{"inputBodyJson": map[string]any{"inputText": "hello"}}),
		log("r5", "Converse", "amazon.nova-pro-v1:0", converse(card)),
		log("r6", "Converse", "amazon.nova-pro-v1:0", converse(email)),
		log("r7", "Converse", "amazon.nova-pro-v1:0", converse("user")),
	}
	file := filepath.Join(dir, email+".jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Proxies' rows skipped with a reason quoting their request id: a
	// LiteLLM spend log whose body went to cold storage, Helicone rows
	// exported without their body or with Helicone's placeholder.
	proxies := []string{
		js(map[string]any{"request_id": email, "call_type": "acompletion", "metadata": js(map[string]any{"cold_storage_object_key": "s3://acme-logs/" + account + "/" + email + ".json"}), "proxy_server_request": `{"litellm_truncated": true}`}),
		js(map[string]any{"request_id": akid, "request_path": "/v1/chat/completions", "request_properties": map[string]any{"Helicone-Session-Id": email}, "signed_body_url": "https://example.invalid/" + account}),
		js(map[string]any{"request_id": card, "request_path": "/v1/chat/completions", "request_body": map[string]any{"helicone_message": "request body too large " + email}}),
	}
	if err := os.WriteFile(filepath.Join(dir, email+"-proxies.jsonl"), []byte(strings.Join(proxies, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, []string{account, email, akid, card, strings.ReplaceAll(card, " ", "")}
}

// Nothing of the input reaches the report or the manifest unredacted
// either: the reasons and examples of skipped records quote the input
// (an S3 key, a request id, a value the decoder refused), and they are
// redacted as fixtures are, in the manifest, in the report in every
// format, in the shards' outputs and in their merge.
func TestPlantedSecretsNeverReachTheReport(t *testing.T) {
	src := t.TempDir()
	file, plants := skippedPlants(t, src)
	var dirs []string
	run := func(dir string, rep *Report) {
		t.Helper()
		for _, name := range []string{"report.txt", "report.json", "report.html"} {
			var b bytes.Buffer
			if err := rep.Write(&b, name); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dirs = append(dirs, dir)
	}
	whole := t.TempDir()
	all := importInto(t, whole, Options{}, ingest.Options{}, file)
	if all.Skipped != 9 || all.Written != 1 {
		t.Errorf("%d skipped, %d written; want 9 and 1: %v", all.Skipped, all.Written, all.SkipExamples)
	}
	run(whole, all)
	var shards []string
	for i := 0; i < 2; i++ {
		d := t.TempDir()
		importInto(t, d, Options{Shard: i, Shards: 2}, ingest.Options{}, file)
		shards = append(shards, d)
		dirs = append(dirs, d)
	}
	merged := t.TempDir()
	rep, err := Merge(merged, shards, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != all.Skipped || rep.Written != all.Written {
		t.Errorf("merged: %d skipped, %d written; one run %d and %d", rep.Skipped, rep.Written, all.Skipped, all.Written)
	}
	run(merged, rep)
	for _, dir := range dirs {
		files := tree(t, dir)
		if _, ok := files[ManifestName]; !ok {
			t.Errorf("%s: no manifest", dir)
		}
		for name, content := range files {
			for _, p := range plants {
				if strings.Contains(content, p) {
					t.Errorf("%s: the planted %q survived:\n%s", name, p, content)
				}
			}
		}
	}
	// The examples are still useful: file, line, what went wrong, with
	// the pseudonyms fixtures get.
	s := strings.Join(rep.SkipExamples, "\n")
	for _, want := range []string{"@example.com:1: the body is in S3 (s3://acme-logs/AWSLogs/", "/BedrockModelInvocationLogs/", "no request body", "unknown role",
		":1: LiteLLM spend log", "store_prompts_in_cold_storage", ":2: a Helicone request row", "--include-body", ":3: Helicone left the body"} {
		if !strings.Contains(s, want) {
			t.Errorf("the skip examples lost %q:\n%s", want, s)
		}
	}
}
