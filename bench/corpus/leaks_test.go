package corpus

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// planted is one value planted in an import's input, and what it is.
type planted struct {
	what, value string
}

// importLeaks imports the files (name to content) with every history
// kept and a report and returns every file written (fixtures, manifest,
// report) by path, and the reason of every skip.
func importLeaks(t *testing.T, files map[string]string) (map[string]string, *Report) {
	t.Helper()
	src, out := t.TempDir(), t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(data+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rep := importInto(t, out, Options{Select: SelectAll}, ingest.Options{}, src)
	for _, name := range []string{"report.txt", "report.json", "report.html"} {
		var b strings.Builder
		if err := rep.Write(&b, name); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return tree(t, out), rep
}

// assertNoLeak fails for every planted value in a written file, and for
// every gitleaks finding there.
func assertNoLeak(t *testing.T, written map[string]string, plants []planted) {
	t.Helper()
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range written {
		for _, f := range gl.DetectString(content) {
			t.Errorf("%s: gitleaks finds %s: %q", name, f.RuleID, f.Match)
		}
		for _, p := range plants {
			if strings.Contains(content, p.value) {
				t.Errorf("%s: the planted %s survived: %q", name, p.what, p.value)
			}
		}
	}
}

// keyedPlants are credentials and an account id that only their member
// name tells apart from any other string or number: a tool's input
// holds {"db_password": "..."}, not "db_password: ...".
func keyedPlants() (map[string]any, []planted) {
	var secret, password, account string
	for _, p := range redacttest.New(21).All() {
		switch p.Kind {
		case redact.AWSSecretAccessKey:
			secret = p.Value
		case redact.GenericSecret:
			password = p.Value
		case redact.AWSAccountID:
			account = p.Value
		}
	}
	apiKey := strings.ToLower(password[:8]) + "9" + password[8:]
	var number any
	_, _ = fmt.Sscan(account, &number)
	args := map[string]any{
		"db_password":           password,
		"aws_secret_access_key": secret,
		"credentials":           map[string]any{"SecretAccessKey": secret, "apiKey": apiKey},
		"awsAccountId":          account,
		"owner_account_id":      number,
	}
	return args, []planted{{"password", password}, {"AWS secret key", secret}, {"API key", apiKey}, {"account id", account}}
}

// A value whose member name says what it is (a password, an API key, an
// AWS secret key, an account id) is redacted as it would be in text
// after its name, wherever a body holds members: a tool's input, a
// tool's JSON result, request metadata, in every source format.
func TestKeyedValuesNeverReachAFixture(t *testing.T) {
	args, plants := keyedPlants()
	converseBody := map[string]any{
		"messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"text": "Log me in."}}},
			map[string]any{"role": "assistant", "content": []any{map[string]any{"toolUse": map[string]any{"toolUseId": "t1", "name": "login", "input": args}}}},
			map[string]any{"role": "user", "content": []any{map[string]any{"toolResult": map[string]any{"toolUseId": "t1", "content": []any{map[string]any{"json": args}}}}}},
		},
		"requestMetadata": map[string]any{"db_password": args["db_password"], "awsAccountId": args["awsAccountId"]},
	}
	anthropicBody := map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": []any{
		map[string]any{"role": "user", "content": "Log me in."},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "tu1", "name": "login", "input": args}}},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "tu1", "content": "done"}}},
	}}
	msgs := []any{map[string]any{"role": "user", "parts": []any{map[string]any{"type": "text", "content": "Log me in."}}},
		map[string]any{"role": "assistant", "parts": []any{map[string]any{"type": "tool_call", "id": "c1", "name": "login", "arguments": args}}},
		map[string]any{"role": "tool", "parts": []any{map[string]any{"type": "tool_call_response", "id": "c1", "response": args}}}}
	otlp := map[string]any{"resourceSpans": []any{map[string]any{"scopeSpans": []any{map[string]any{"spans": []any{map[string]any{
		"traceId": "t", "spanId": "s", "attributes": []any{
			map[string]any{"key": "gen_ai.input.messages", "value": map[string]any{"stringValue": js(msgs)}}}}}}}}}}
	written, rep := importLeaks(t, map[string]string{
		"bedrock.jsonl": js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "region": "us-east-1",
			"requestId": "r1", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": map[string]any{"inputBodyJson": converseBody}}),
		"anthropic.jsonl": js(anthropicBody),
		"spans.json":      js(otlp),
	})
	if rep.Skipped != 0 || rep.Written != 3 {
		t.Fatalf("every planted record should import: %d skipped, %d written: %v", rep.Skipped, rep.Written, rep.SkipExamples)
	}
	assertNoLeak(t, written, plants)
}

// A value written in another form (escaped inside a tool call's JSON
// arguments, as Python's json.dumps writes an invisible character; with
// a zero-width character inside; in fullwidth letters; percent-encoded
// in a URL; as an HTML character reference) reaches no fixture, in the
// text and the tool calls of every format.
func TestValuesInAnotherFormNeverReachAFixture(t *testing.T) {
	var akid, email, phone string
	for _, p := range redacttest.New(23).All() {
		switch {
		case p.Kind == redact.AWSAccessKeyID:
			akid = p.Value
		case p.Kind == redact.Email && email == "" && strings.Contains(p.Value, "@"):
			email = p.Value
		case p.Kind == redact.Phone && phone == "":
			phone = p.Value
		}
	}
	local, domain, _ := strings.Cut(email, "@")
	var wide strings.Builder
	for _, c := range email {
		wide.WriteRune(c - '!' + 0xFF01)
	}
	encodedPhone := strings.NewReplacer("+", "%2B", " ", "%20").Replace(phone)
	// Each text holds each value once, in another form; the planted
	// pieces are what is left of them as written.
	texts := []string{
		"Write to " + local + "\u200b@" + domain + " with key " + akid[:4] + "\u200b" + akid[4:] + ".",
		"Write to " + wide.String() + ", or call https://crm.acme.io/dial?to=" + encodedPhone + "&from=web.",
		"<p>Write to " + local + "&#64;" + domain + "</p>",
	}
	plants := []planted{{"e-mail local part", local}, {"access key id", akid[4:]}, {"fullwidth e-mail", wide.String()}, {"percent-encoded phone", encodedPhone}}
	// As json.dumps writes arguments: every non-ASCII character escaped,
	// and the "@" too, as some encoders do.
	escaped := func(s string) string {
		var b strings.Builder
		for _, c := range s {
			if c >= 0x80 || c == '@' {
				fmt.Fprintf(&b, `\u%04x`, c)
				continue
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	var args []string
	for _, text := range texts {
		args = append(args, `{"note": "`+escaped(text)+`"}`)
	}
	openaiBody := map[string]any{"model": "gpt-4o", "messages": []any{
		map[string]any{"role": "user", "content": strings.Join(texts, "\n")},
		map[string]any{"role": "assistant", "tool_calls": []any{
			map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "note", "arguments": args[0]}},
			map[string]any{"id": "c2", "type": "function", "function": map[string]any{"name": "note", "arguments": args[1]}},
			map[string]any{"id": "c3", "type": "function", "function": map[string]any{"name": "note", "arguments": args[2]}}}},
		map[string]any{"role": "tool", "tool_call_id": "c1", "content": args[1]},
		map[string]any{"role": "tool", "tool_call_id": "c2", "content": args[2]},
		map[string]any{"role": "tool", "tool_call_id": "c3", "content": args[0]},
	}}
	converseBody := map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"text": texts[0]}, map[string]any{"text": texts[1]}, map[string]any{"text": texts[2]}}}}}
	written, rep := importLeaks(t, map[string]string{
		"openai.jsonl": js(openaiBody),
		"bedrock.jsonl": js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "region": "us-east-1",
			"requestId": "r1", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": map[string]any{"inputBodyJson": converseBody}}),
	})
	if rep.Skipped != 0 || rep.Written != 2 {
		t.Fatalf("every planted record should import: %d skipped, %d written: %v", rep.Skipped, rep.Written, rep.SkipExamples)
	}
	assertNoLeak(t, written, plants)
}

// A base64 text document is redacted whatever its type says and however
// plain its text: a Converse document whose text (from a PDF, say) has
// page breaks, an XML file and an SVG image sent as data URLs. Before,
// only control-free text sent as text/*, JSON or CSV was decoded, and the
// rest was kept as it came.
func TestBase64TextDocumentsNeverReachAFixture(t *testing.T) {
	var akid, email, card string
	for _, p := range redacttest.New(29).All() {
		switch {
		case p.Kind == redact.AWSAccessKeyID:
			akid = p.Value
		case p.Kind == redact.Email && email == "" && strings.Contains(p.Value, "@"):
			email = p.Value
		case p.Kind == redact.CardNumber:
			card = p.Value
		}
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	page := "Statement for " + email + "\nCard " + card + "\n\fPage 2\nDeploy key " + akid + "\n"
	xml := `<?xml version="1.0"?><customer><email>` + email + `</email><card>` + card + `</card><key>` + akid + `</key></customer>`
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="10">` + email + ` ` + card + ` ` + akid + `</text></svg>`
	converseBody := map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"text": "Summarize the statement."},
		map[string]any{"document": map[string]any{"format": "txt", "name": "statement", "source": map[string]any{"bytes": b64(page)}}}}}}}
	openaiBody := map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": "What do these say?"},
		map[string]any{"type": "file", "file": map[string]any{"filename": "customer.xml", "file_data": "data:application/xml;base64," + b64(xml)}},
		map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/svg+xml;base64," + b64(svg)}}}}}}
	written, rep := importLeaks(t, map[string]string{
		"bedrock.jsonl": js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "region": "us-east-1",
			"requestId": "r1", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": map[string]any{"inputBodyJson": converseBody}}),
		"openai.jsonl": js(openaiBody),
	})
	if rep.Skipped != 0 || rep.Written != 2 {
		t.Fatalf("every planted record should import: %d skipped, %d written: %v", rep.Skipped, rep.Written, rep.SkipExamples)
	}
	// The documents as written, decoded: what a reader of the fixture
	// gets back.
	decoded := map[string]string{}
	for name, content := range written {
		decoded[name] = content
		for _, m := range regexp.MustCompile(`(?:"bytes": "|;base64,)([A-Za-z0-9+/=]+)"`).FindAllStringSubmatch(content, -1) {
			if raw, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
				decoded[name] += "\n" + string(raw)
			}
		}
	}
	assertNoLeak(t, decoded, []planted{{"e-mail address", email}, {"card number", card}, {"access key id", akid}})
}

// What a log says of a call and a fixture's source copies (its request
// id, time and Region, from a log record's fields, a HAR response header
// or a span's attributes) is redacted as the body is: an application
// may set a request id, and a log may hold anything there.
func TestSourceFieldsNeverHoldAPlantedValue(t *testing.T) {
	ps := redacttest.New(31).All()
	var plants []planted
	pick := func(k redact.Kind) string {
		for _, p := range ps {
			if p.Kind == k && !strings.Contains(p.Value, "%") {
				plants = append(plants, planted{string(k), p.Value})
				return p.Value
			}
		}
		t.Fatalf("no %s planted", k)
		return ""
	}
	email, akid, ghp, phone, ip := pick(redact.Email), pick(redact.AWSAccessKeyID), pick(redact.APIToken), pick(redact.Phone), pick(redact.IPAddress)
	converseBody := map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"text": "Where is my parcel?"}}}}}
	openaiBody := map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": "Where is my order?"}}}
	har := map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{map[string]any{
		"startedDateTime": "2026-11-20T10:00:00Z",
		"request": map[string]any{"method": "POST", "url": "https://api.openai.com/v1/chat/completions",
			"postData": map[string]any{"mimeType": "application/json", "text": js(openaiBody)}},
		"response": map[string]any{"status": 200, "headers": []any{map[string]any{"name": "x-request-id", "value": "req-for-" + email}}}}}}}
	msgs := []any{map[string]any{"role": "user", "parts": []any{map[string]any{"type": "text", "content": "Where is my refund?"}}}}
	otlp := map[string]any{"resourceSpans": []any{map[string]any{"scopeSpans": []any{map[string]any{"spans": []any{map[string]any{
		"traceId": "t", "spanId": "s", "attributes": []any{
			map[string]any{"key": "gen_ai.input.messages", "value": map[string]any{"stringValue": js(msgs)}},
			map[string]any{"key": "gen_ai.response.id", "value": map[string]any{"stringValue": "resp " + phone}},
			map[string]any{"key": "cloud.region", "value": map[string]any{"stringValue": "eu-west-1 via " + ip}}}}}}}}}}
	written, rep := importLeaks(t, map[string]string{
		"bedrock.jsonl": js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z " + email, "region": "us-east-1 " + akid,
			"requestId": ghp, "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": map[string]any{"inputBodyJson": converseBody}}),
		"session.har": js(har),
		"spans.json":  js(otlp),
		"litellm.jsonl": js(map[string]any{"request_id": "call-" + email, "startTime": "2026-11-20T10:00:00Z " + phone,
			"proxy_server_request": js(map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": "Cancel it."}}})}),
	})
	if rep.Skipped != 0 || rep.Written != 4 {
		t.Fatalf("every planted record should import: %d skipped, %d written: %v", rep.Skipped, rep.Written, rep.SkipExamples)
	}
	assertNoLeak(t, written, plants)
}

// An account id in an S3 location (a bucket named after its account, as
// SageMaker, CDK and CloudTrail name theirs, and a location's
// bucketOwner) reaches no fixture: documents and images given by S3
// location, and a text naming the bucket.
func TestS3LocationAccountsNeverReachAFixture(t *testing.T) {
	var account string
	for _, p := range redacttest.New(37).All() {
		if p.Kind == redact.AWSAccountID {
			account = p.Value
		}
	}
	bucket := "sagemaker-us-east-1-" + account
	loc := func(key string) map[string]any {
		return map[string]any{"s3Location": map[string]any{"uri": "s3://" + bucket + "/" + key, "bucketOwner": account}}
	}
	converseBody := map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"text": "Compare with the copy in s3://" + bucket + "/archive/ please."},
		map[string]any{"document": map[string]any{"format": "pdf", "name": "statement", "source": loc("statement.pdf")}},
		map[string]any{"image": map[string]any{"format": "png", "source": loc("scan.png")}}}}}}
	written, rep := importLeaks(t, map[string]string{
		"bedrock.jsonl": js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "region": "us-east-1",
			"requestId": "r1", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": map[string]any{"inputBodyJson": converseBody}}),
	})
	if rep.Skipped != 0 || rep.Written != 1 {
		t.Fatalf("every planted record should import: %d skipped, %d written: %v", rep.Skipped, rep.Written, rep.SkipExamples)
	}
	assertNoLeak(t, written, []planted{{"account id", account}})
}

// A name from the user's terms is redacted in either Unicode form: a
// terms file holds "Zoë Müller" as typed (composed, NFC), and text may
// spell it decomposed (NFD: an "e" and a combining diaeresis), as macOS
// file names and some exports do.
func TestTermsInEitherUnicodeFormNeverReachAFixture(t *testing.T) {
	composed := "Zo\u00eb M\u00fcller"
	decomposed := "Zoe\u0308 Mu\u0308ller"
	s, err := redact.NewScanner(redact.Options{Terms: []string{composed}})
	if err != nil {
		t.Fatal(err)
	}
	red := redact.NewRedactor(s, []byte("a test salt of some length"))
	src, out := t.TempDir(), t.TempDir()
	openaiBody := map[string]any{"model": "gpt-4o", "messages": []any{
		map[string]any{"role": "user", "content": "Please write to " + decomposed + " about the order, and copy " + composed + "."}}}
	if err := os.WriteFile(filepath.Join(src, "openai.jsonl"), []byte(js(openaiBody)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := importInto(t, out, Options{Redactor: red, Select: SelectAll}, ingest.Options{}, src)
	if rep.Written != 1 {
		t.Fatalf("%d written: %v", rep.Written, rep.SkipExamples)
	}
	written := tree(t, out)
	// As a reader sees it: escapes decoded, where the fixture has any.
	for name, content := range written {
		var v any
		if json.Unmarshal([]byte(content), &v) == nil {
			b, _ := json.Marshal(v)
			written[name] += "\n" + string(b)
		}
	}
	assertNoLeak(t, written, []planted{{"composed name", composed}, {"decomposed name", decomposed}})
}

// The name of the user who runs an import, in the path of a source in
// their home folder, reaches no fixture, manifest or report: a source
// is named relative to the working folder where it lies under it, and
// as ~/... in a home folder, whether given as an absolute path or as
// one climbing out of the working folder.
func TestHomeFolderNeverReachesAFixture(t *testing.T) {
	root := t.TempDir()
	user := "jbloggs" + strings.ToLower(redacttest.New(41).All()[0].Value[4:10])
	home := filepath.Join(root, "home", user)
	work := filepath.Join(root, "work", "project")
	for _, d := range []string{filepath.Join(home, "logs"), work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	body := func(q string) string {
		return js(map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": q}}})
	}
	if err := os.WriteFile(filepath.Join(home, "logs", "a.jsonl"), []byte(body("Where is my order?")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "logs", "b.jsonl"), []byte(body("Cancel it.")+"\n{not json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Chdir(work)
	climbing := filepath.Join("..", "..", "home", user, "logs")
	for _, src := range [][]string{
		{filepath.Join(home, "logs", "a.jsonl"), filepath.Join(home, "logs", "b.jsonl")},
		{filepath.Join(climbing, "a.jsonl"), filepath.Join(climbing, "b.jsonl")},
	} {
		out := t.TempDir()
		rep := importInto(t, out, Options{Select: SelectAll}, ingest.Options{}, src...)
		if rep.Written != 2 || rep.Skipped != 1 {
			t.Fatalf("%d written, %d skipped: %v", rep.Written, rep.Skipped, rep.SkipExamples)
		}
		var b strings.Builder
		if err := rep.Write(&b, "report.txt"); err != nil {
			t.Fatal(err)
		}
		written := tree(t, out)
		written["report.txt"] = b.String()
		assertNoLeak(t, written, []planted{{"user name", user}})
		if !strings.Contains(written[ManifestName], "~/logs/b.jsonl:2") {
			t.Errorf("the skip is not named ~/logs/b.jsonl:2:\n%s", written[ManifestName])
		}
	}
	for _, p := range []string{"/home/" + user + "/logs/a.jsonl", "/Users/" + user + "/logs/a.jsonl"} {
		if got := shownPath(p, "/srv/work", "/root"); got != "~/logs/a.jsonl" {
			t.Errorf("shownPath(%q) = %q", p, got)
		}
	}
	if got := shownPath("/srv/work/logs/a.jsonl", "/srv/work", "/root"); got != "logs/a.jsonl" {
		t.Errorf("a path under the working folder is shown as %q", got)
	}
}

// A value LiteLLM's truncation cut in two never reaches a written file:
// neither part is a value redaction finds, so import drops the parts of
// words that touch the marker, in the form current LiteLLM writes
// ("head... (litellm_truncated skipped N chars. <note>) ...tail", the
// note holding parentheses of its own) and the older one without the
// note. Every 8 bytes of each planted value, cut near its start, in its
// middle and near its end, are checked (but those of what every value
// of its kind starts or ends with: bedrock-api-key-...), and gitleaks
// finds nothing.
func TestValuesCutByLiteLLMNeverReachAFixture(t *testing.T) {
	const note = "Truncation is a DB storage safeguard. Full, untruncated data is logged to logging callbacks (OTEL, Datadog, etc.). To increase the truncation limit, set `MAX_STRING_LENGTH_PROMPT_IN_DB` in your env."
	markers := []string{
		"... (litellm_truncated skipped 4000 chars. " + note + ") ...",
		"... (litellm_truncated skipped 4000 chars) ...",
	}
	var lines []string
	var plants []planted
	others := redacttest.New(8).All()
	for n, p := range redacttest.New(7).All() {
		at := strings.Index(p.Text, p.Value)
		if len(p.Value) < 16 || strings.ContainsAny(p.Value, " \n") || at < 0 {
			continue
		}
		plants = append(plants, valueWindows(string(p.Kind), p.Value, others[n].Value, 0)...)
		for _, c := range []int{8, len(p.Value) / 2, len(p.Value) - 8} {
			for m, marker := range markers {
				content := fmt.Sprintf("note %d-%d: %s%s%s thanks", c, m, p.Text[:at+c], marker, p.Text[at+c:])
				body := js(map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": content}}})
				lines = append(lines, js(map[string]any{"request_id": fmt.Sprintf("r%d", len(lines)), "call_type": "acompletion", "proxy_server_request": body}))
			}
		}
	}
	written, rep := importLeaks(t, map[string]string{"spend.jsonl": strings.Join(lines, "\n")})
	if rep.Skipped != 0 || rep.Conversations+rep.Duplicates != len(lines) {
		t.Fatalf("every record should import: %+v", rep)
	}
	assertNoLeak(t, written, plants)
}

// A Langfuse observation's request is rebuilt from its input, model and
// modelParameters and redacted as any body: nothing planted in its
// messages, tools, parameters, output or metadata reaches a written file.
func TestLangfuseObservationsNeverLeak(t *testing.T) {
	var plants []planted
	var texts []string
	for _, p := range redacttest.New(9).All() {
		plants = append(plants, planted{string(p.Kind), p.Value})
		texts = append(texts, p.Text)
	}
	text := strings.Join(texts, "\n")
	msgs := []any{map[string]any{"role": "system", "content": text}, map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": text}}},
		map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "lookup", "arguments": js(map[string]any{"note": text})}}}},
		map[string]any{"role": "tool", "tool_call_id": "c1", "content": text}}
	tools := []any{map[string]any{"type": "function", "function": map[string]any{"name": "lookup", "description": text, "parameters": map[string]any{"type": "object", "description": text}}}}
	obs := js(map[string]any{"id": "obs-1", "traceId": "tr-1", "type": "GENERATION", "model": "gpt-4o", "startTime": "2026-11-20T10:00:00Z",
		"modelParameters": map[string]any{"temperature": 0.2, "user": text, "stop": []any{text}},
		"input":           map[string]any{"messages": msgs, "tools": tools}, "output": map[string]any{"role": "assistant", "content": text}, "metadata": map[string]any{"note": text}})
	written, rep := importLeaks(t, map[string]string{"observations.jsonl": obs})
	if rep.Skipped != 0 || rep.Conversations != 1 {
		t.Fatalf("the observation should import: %+v", rep)
	}
	assertNoLeak(t, written, plants)
}

// A private key LiteLLM's truncation cut never reaches a written file:
// its END line in the middle LiteLLM skipped (the head of the key, then
// the marker), its BEGIN line there (the marker, then the key's tail and
// END line), or both (head and tail of the key around the marker), in a
// message and in a tool call's arguments, in every armour gitleaks reads
// (PEM, encrypted PEM, OpenSSH, PGP). No 16 bytes of a line of a key are
// left, and gitleaks finds nothing.
func TestPrivateKeysCutByLiteLLMNeverReachAFixture(t *testing.T) {
	const note = "Truncation is a DB storage safeguard. Full, untruncated data is logged to logging callbacks (OTEL, Datadog, etc.). To increase the truncation limit, set `MAX_STRING_LENGTH_PROMPT_IN_DB` in your env."
	markers := []string{
		"... (litellm_truncated skipped 4000 chars. " + note + ") ...",
		"... (litellm_truncated skipped 4000 chars) ...",
	}
	var lines []string
	var plants []planted
	for _, k := range redacttest.New(12).PrivateKeys() {
		for _, l := range k.Secret {
			for i := 0; i+16 <= len(l); i += 8 {
				plants = append(plants, planted{"private key", l[i : i+16]})
			}
		}
		begin := strings.Index(k.Text, "\n") + 1
		end := strings.LastIndex(k.Text, "\n")
		for _, cut := range []int{begin + 20, (begin + end) / 2, end - 20} {
			for m, marker := range markers {
				for _, content := range []string{
					"my deploy key:\n" + k.Text[:cut] + marker + " did it work?",
					"my deploy key:\n-----BEGIN" + marker + k.Text[cut:] + "\nthanks",
					"my deploy key:\n" + k.Text[:cut] + marker + k.Text[min(len(k.Text), cut+40):] + "\nthanks",
				} {
					args := js(map[string]any{"path": "/etc/app", "key": content})
					body := js(map[string]any{"model": "gpt-4o", "messages": []any{
						map[string]any{"role": "user", "content": content},
						map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "save", "arguments": args}}}},
						map[string]any{"role": "tool", "tool_call_id": "c1", "content": "saved"},
					}})
					lines = append(lines, js(map[string]any{"request_id": fmt.Sprintf("r%d-%d", len(lines), m), "call_type": "acompletion", "proxy_server_request": body}))
				}
			}
		}
	}
	written, rep := importLeaks(t, map[string]string{"spend.jsonl": strings.Join(lines, "\n")})
	if rep.Skipped != 0 || rep.Conversations+rep.Duplicates != len(lines) {
		t.Fatalf("every record should import: %+v", rep)
	}
	assertNoLeak(t, written, plants)
}

// A value cut between two turns of one conversation (the first part at
// the end of a user turn, the rest at the start of the next; two
// assistant turns) never reaches a written file: no 8 bytes of it are
// left and gitleaks finds nothing. The conversation is logged turn by turn, as a proxy logs it,
// so the record that ends on the first part is a prefix of the next,
// dropped as one before it is redacted. (A record that holds only the
// first part, and is no prefix of one holding the rest, keeps it: no
// rule finds a value in half of one.)
func TestValuesCutBetweenTurnsNeverReachAFixture(t *testing.T) {
	var lines []string
	var plants []planted
	others := redacttest.New(14).All()
	for n, p := range redacttest.New(13).All() {
		at := strings.Index(p.Text, p.Value)
		if len(p.Value) < 16 || strings.ContainsAny(p.Value, " \n") || at < 0 {
			continue
		}
		plants = append(plants, valueWindows(string(p.Kind), p.Value, others[n].Value, 2)...)
		for _, cut := range []int{at + 4, at + len(p.Value)/2, at + len(p.Value) - 4} {
			head, tail := p.Text[:cut], p.Text[cut:]
			for _, role := range []string{"user", "assistant"} {
				other := map[string]string{"user": "assistant", "assistant": "user"}[role]
				turns := []any{
					map[string]any{"role": "user", "content": "hello"},
					map[string]any{"role": role, "content": head},
					map[string]any{"role": other, "content": "go on"},
					map[string]any{"role": role, "content": tail},
				}
				if role == "user" {
					turns = turns[1:]
				} else {
					turns = append(turns, map[string]any{"role": "user", "content": "thanks"})
				}
				for k := 1; k <= len(turns); k++ {
					sid := fmt.Sprintf("s%d-%d-%s", n, cut, role)
					lines = append(lines, js(map[string]any{"model": "gpt-4o", "messages": turns[:k], "metadata": map[string]any{"session_id": sid}}))
				}
			}
		}
	}
	written, rep := importLeaks(t, map[string]string{"chat.jsonl": strings.Join(lines, "\n")})
	if rep.Skipped != 0 || rep.Conversations == 0 {
		t.Fatalf("every record should import: %+v", rep)
	}
	assertNoLeak(t, written, plants)
}

// valueWindows returns every 8 bytes of value as planted values of kind,
// but those of what every value of its kind starts or ends with, which a
// pseudonym keeps (sk-proj-, bedrock-api-key-): the bytes value shares
// with other, another value of its kind, at either end, less 7, and at
// least edge bytes at each end.
func valueWindows(kind, value, other string, edge int) []planted {
	head, tail := 0, 0
	for head < min(len(other), len(value)) && other[head] == value[head] {
		head++
	}
	for tail < min(len(other), len(value)) && other[len(other)-1-tail] == value[len(value)-1-tail] {
		tail++
	}
	var out []planted
	for i := max(edge, head-7); i+8 <= len(value)-max(edge, tail-7); i++ {
		out = append(out, planted{kind, value[i : i+8]})
	}
	return out
}

// TestSkipReasonsQuoteNoRecordText: a skip reason quotes what the decoder
// refused, the record's own text: a role, a model, a request id, an
// operation. Free text there (a patient's name where a role should be) is
// no pattern the redactor knows, so the reasons the report and the
// manifest keep mask every quoted value but a position in the record;
// the reason's count key and its problem stay. Before, `unknown role
// "Patient John Smith"` reached report.txt, report.json and report.html.
func TestSkipReasonsQuoteNoRecordText(t *testing.T) {
	plants := []planted{
		{"a name as a role", "Patient John Smith"},
		{"a diagnosis as a model", "diagnosed with type 2 diabetes"},
		{"a name as an operation", "Dr Maria Gonzalez"},
		{"a path as a role", "/Users/jsmith/Documents/patient-records"},
	}
	bedrock := func(id, op, model string, body any) string {
		return js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "region": "us-east-1",
			"requestId": id, "operation": op, "modelId": model, "input": map[string]any{"inputBodyJson": body}})
	}
	written, rep := importLeaks(t, map[string]string{
		"bedrock.jsonl": strings.Join([]string{
			bedrock("r1", "Converse", "amazon.nova-pro-v1:0", map[string]any{"messages": []any{
				map[string]any{"role": plants[0].value, "content": []any{map[string]any{"text": "hello"}}}}}),
			bedrock("r2", "InvokeModel", plants[1].value, map[string]any{"prompt": "hello"}),
			bedrock("r3", plants[2].value, "amazon.nova-pro-v1:0", map[string]any{}),
			bedrock("r4", "Converse", "amazon.nova-pro-v1:0", map[string]any{"messages": []any{
				map[string]any{"role": plants[3].value, "content": []any{map[string]any{"text": "hello"}}}}}),
		}, "\n"),
	})
	if rep.Skipped != 4 {
		t.Fatalf("%d skipped, want 4: %v", rep.Skipped, rep.SkipExamples)
	}
	assertNoLeak(t, written, plants)
	if !slices.ContainsFunc(rep.SkipExamples, func(s string) bool {
		return strings.Contains(s, `messages[0].role: unknown role "…": one of user, assistant, system`)
	}) {
		t.Errorf("the role's problem is gone from the examples: %v", rep.SkipExamples)
	}
}
