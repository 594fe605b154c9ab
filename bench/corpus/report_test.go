package corpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
)

// invocationLog is one Bedrock invocation-log line.
func invocationLog(requestID, operation, model string, input map[string]any) string {
	return js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "accountId": "123456789012", "region": "us-east-1",
		"requestId": requestID, "operation": operation, "modelId": model, "input": input})
}

// skipPairs writes inputs that the ingest package skips, each reason
// twice with other variable parts (values, S3 keys, ids, models, paths,
// numbers), and returns the key each pair must share. With a mirror, the
// S3 reasons are those of a mirror that lacks the objects.
func skipPairs(t *testing.T, dir, mirror string) map[string]int {
	t.Helper()
	converse := func(role string) map[string]any {
		return map[string]any{"inputBodyJson": map[string]any{"messages": []any{map[string]any{"role": role, "content": []any{map[string]any{"text": "Where is my parcel?"}}}}}}
	}
	s3 := func(uri string) map[string]any { return map[string]any{"inputBodyS3Path": uri} }
	long := strings.Repeat("Where is my parcel? ", 120)
	lines := []string{
		invocationLog("r1", "Converse", "amazon.nova-pro-v1:0", s3("s3://contoso-logs/AWSLogs/210987654321/BedrockModelInvocationLogs/us-east-1/2026/11/20/13/data/9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06_input.json.gz")),
		invocationLog("r2", "Converse", "amazon.nova-pro-v1:0", s3("s3://b/k.json")),
		invocationLog("9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06", "Converse", "amazon.nova-pro-v1:0", map[string]any{"inputBodyJson": nil}),
		invocationLog("abc123", "Converse", "amazon.nova-pro-v1:0", map[string]any{"inputBodyJson": nil}),
		invocationLog("r5", "InvokeModel", "amazon.titan-embed-text-v2:0", map[string]any{"inputBodyJson": map[string]any{"inputText": "x"}}),
		invocationLog("r6", "InvokeModel", "arn:aws:bedrock:us-east-1:210987654321:custom-model/cohere.embed-english-v3/a1b2c3", map[string]any{"inputBodyJson": map[string]any{"inputText": "y"}}),
		invocationLog("r7", "ListFoundationModels", "amazon.nova-pro-v1:0", converse("user")),
		invocationLog("r8", "Apply \"Guardrail\" 2", "amazon.nova-pro-v1:0", converse("user")),
		`{"schemaType": tru}`,
		`{"schemaType": "ModelInvocationLog", "requestId": 12,}`,
		invocationLog("r11", "Converse", "amazon.nova-pro-v1:0", converse("robot")),
		invocationLog("r12", "Converse", "amazon.nova-pro-v1:0", converse("narrator 2")),
		invocationLog("r13", "Converse", "amazon.nova-pro-v1:0", converse(long)),
		invocationLog("r14", "Converse", "amazon.nova-pro-v1:0", converse(long+long)),
	}
	want := map[string]int{
		"record … has no request body": 2,
		"InvokeModel body for … is neither an Anthropic Messages body nor a messages-v1 body; only those import":        2,
		"operation … is not a conversation call (Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream)": 2,
		"malformed JSON":                    2,
		"the converse body does not decode": 2,
		"record over the size limit of … bytes (raise --max-record)": 2,
	}
	if mirror == "" {
		want["the body is in S3 (…); mirror the bucket locally and pass --s3-mirror DIR"] = 2
	} else {
		lines = append(lines,
			invocationLog("r15", "Converse", "amazon.nova-pro-v1:0", s3("https://contoso-logs.example/AWSLogs/1.json")),
			invocationLog("r16", "Converse", "amazon.nova-pro-v1:0", s3("gs://b/2")),
			invocationLog("r21", "Converse", "amazon.nova-pro-v1:0", s3("s3://b/data/missing 3.json")),
			invocationLog("r17", "Converse", "amazon.nova-pro-v1:0", s3("s3://b/../etc/passwd")),
			invocationLog("r18", "Converse", "amazon.nova-pro-v1:0", s3("s3://../x/y")),
			invocationLog("r19", "Converse", "amazon.nova-pro-v1:0", s3("s3://b/junk-1.json")),
			invocationLog("r20", "Converse", "amazon.nova-pro-v1:0", s3("s3://b/data/junk 2.json")))
		want["the body is in S3 (…) and not in the mirror …"] = 3 // the first two records and r21
		want["inputBodyS3Path … is not an s3:// URI"] = 2
		want["inputBodyS3Path … climbs out of the mirror"] = 2
	}
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bedrock.jsonl", strings.Join(lines, "\n")+"\n")
	har := func(path string) map[string]any {
		return map[string]any{"startedDateTime": "2026-11-20T10:00:00Z", "request": map[string]any{"method": "POST", "url": "https://bedrock-runtime.us-east-1.amazonaws.com" + path}}
	}
	write("session.har", js(map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{
		har("/model/amazon.nova-pro-v1%3A0/converse"), har("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream")}}}))
	want["POST … has no request body in the HAR (browsers and sanitized exports drop some bodies)"] = 2
	span := func(id string) map[string]any {
		return map[string]any{"traceId": "t", "spanId": id, "attributes": []any{map[string]any{"key": "gen_ai.input.messages", "value": map[string]any{"stringValue": "[]"}}}}
	}
	write("spans.json", js(map[string]any{"resourceSpans": []any{map[string]any{"scopeSpans": []any{map[string]any{"spans": []any{span("5fb397be34d26b51"), span("s2")}}}}}}))
	want["span … has GenAI attributes but no messages"] = 2
	return want
}

// TestSkipReasonKeys: the report counts the skip reasons the ingest
// package gives under keys that keep their words (S3, messages-v1,
// --s3-mirror, --max-record) and mask only what varies, so a reason
// given twice with other values, S3 keys, ids, models or numbers is
// counted once under one key, and no key holds a digit of the values.
func TestSkipReasonKeys(t *testing.T) {
	for _, withMirror := range []bool{false, true} {
		src, mirror := t.TempDir(), ""
		if withMirror {
			mirror = t.TempDir()
			for _, name := range []string{"junk-1.json", "data/junk 2.json"} {
				p := filepath.Join(mirror, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte("not json"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := skipPairs(t, src, mirror)
		if withMirror {
			want["the mirrored body of … is not JSON"] = 2
		}
		rep := importInto(t, t.TempDir(), Options{}, ingest.Options{MaxRecord: 2000, S3Mirror: mirror}, src)
		for k, n := range want {
			if rep.SkipReasons[k] != n {
				t.Errorf("mirror %v: %d skips under %q, want %d", withMirror, rep.SkipReasons[k], k, n)
			}
		}
		for k, n := range rep.SkipReasons {
			if want[k] == 0 {
				t.Errorf("mirror %v: unexpected key %q (%d)", withMirror, k, n)
			}
			if regexp.MustCompile(`\d{2}|\b\d\b`).MatchString(strings.NewReplacer("S3", "", "v1", "", "s3", "").Replace(k)) {
				t.Errorf("mirror %v: key %q holds a number", withMirror, k)
			}
		}
	}
}

// TestSkipKey checks the masking of one reason at a time: what varies
// goes, the words of the reason stay.
func TestSkipKey(t *testing.T) {
	for reason, want := range map[string]string{
		"the body is in S3 (s3://contoso-bedrock-logs/AWSLogs/610824831388/BedrockModelInvocationLogs/us-east-1/2026/11/20/13/data/9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06_input.json.gz); mirror the bucket locally and pass --s3-mirror DIR": "the body is in S3 (…); mirror the bucket locally and pass --s3-mirror DIR",
		`InvokeModel body for "amazon.titan-embed-text-v2:0" is neither an Anthropic Messages body nor a messages-v1 body; only those import`:                                                                                               "InvokeModel body for … is neither an Anthropic Messages body nor a messages-v1 body; only those import",
		"record over the size limit of 16777216 bytes (raise --max-record)":                                       "record over the size limit of … bytes (raise --max-record)",
		"not JSON at byte 1234: invalid character 'x'; the rest of the file is skipped":                           "not JSON at byte …",
		"the converse body does not decode: messages[0].role: unknown role \"x\": one of user, assistant, system": "the converse body does not decode",
		`record "a \"b\": c" has no request body: text delivery was off for this log configuration`:               "record … has no request body",
		"unreadable: open /home/jo/logs/x.jsonl: permission denied":                                               "unreadable",
		"the body is in S3 (s3://b/k) and not in the mirror \"/srv/s3 copy\": open /srv/s3 copy/k: no such file":  "the body is in S3 (…) and not in the mirror …",
		"truncated gzip: the file ends mid-stream; the rest of the file is lost (re-download it)":                 "truncated gzip",
		"span 5fb397be34d26b51 seen 3 times at 10.5 s, 2.json, 1.2.3 and v1:0":                                    "span 5fb397be34d26b51 seen … times at … s, 2.json, … and v1:0",
		"the body is in S3 (s3://b/data/junk 2.json); mirror the bucket locally and pass --s3-mirror DIR":         "the body is in S3 (…); mirror the bucket locally and pass --s3-mirror DIR",
		"no body in /a/b/c.json.": "no body in ….",
		// The first clause ends at the first ": " outside brackets and
		// quotes; in a reason whose brackets do not pair, at the first.
		"Helicone left the body of request \"9b1c8f2e\" out of the row (helicone_message: request body too large): fetch it from the row's signed_body_url, or export with `npx @helicone/export --include-body`": "Helicone left the body of request … out of the row (helicone_message: request body too large)",
		"field [a: b] is missing: add it":    "field [a: b] is missing",
		"see `x: y` then: z":                 "see `x: y` then",
		"an open (bracket: then more: words": "an open (bracket",
		"a stray ) bracket: words":           "a stray ) bracket",
	} {
		if got := skipKey(reason); got != want {
			t.Errorf("skipKey(%q)\n = %q\nwant %q", reason, got, want)
		}
	}
}

// TestSharedRuleIDsKeepTheirNames: several rules share an id in the
// contract reference (V-13 is tool-spec-name, tool-use-name and
// tool-choice-name; V-42 video-unsupported and s3-uri-unsupported; V-5,
// V-23, V-30, V-36, V-56, V-62, V-63 and V-67 too). A history whose only
// fault is toolConfig.toolChoice.tool.name is named tool-choice-name in
// its tags, folder, description, manifest and the report, with that
// rule's message, and is its own group: before, verdicts kept only the
// id and named it after the first rule of V-13 (breaks:tool-spec-name,
// filed under tool-spec-name/, one exemplar for both problems). A
// verdict of rules whose id is their own reads as before: the bare id.
func TestSharedRuleIDsKeepTheirNames(t *testing.T) {
	// The choice names a declared tool, so that no history also breaks
	// tool-choice-undeclared (V-69).
	body := func(question, choice string, toolNames ...string) string {
		var tools []any
		for _, n := range toolNames {
			tools = append(tools, map[string]any{"toolSpec": map[string]any{"name": n, "inputSchema": map[string]any{"json": map[string]any{"type": "object"}}}})
		}
		return js(map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"text": question}}}},
			"toolConfig": map[string]any{"tools": tools, "toolChoice": map[string]any{"tool": map[string]any{"name": choice}}}})
	}
	src, out := t.TempDir(), t.TempDir()
	lines := body("first question", "bad name", "ok") + "\n" + body("second question", "ok", "bad name", "ok") + "\n" +
		js(map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"text": "third"}}}, map[string]any{"role": "user", "content": []any{map[string]any{"text": "again"}}}}, "inferenceConfig": map[string]any{}}) + "\n"
	if err := os.WriteFile(filepath.Join(src, "converse.jsonl"), []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := importInto(t, out, Options{}, ingest.Options{}, src)
	man, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range man.Fixtures {
		got[f.Rules[0]] = f.File
	}
	for key, name := range map[string]string{"V-13 tool-choice-name": "tool-choice-name", "V-13 tool-spec-name": "tool-spec-name"} {
		file := got[key]
		if !strings.HasPrefix(file, name+"/") {
			t.Errorf("%s: fixture %q, want one under %s/ (manifest %v)", key, file, name, got)
			continue
		}
		data, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		var fx struct {
			Description string   `json:"description"`
			Tags        []string `json:"tags"`
		}
		if err := json.Unmarshal(data, &fx); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(fx.Tags, "breaks:"+name) || len(fx.Tags) != 3 || !strings.Contains(fx.Description, "Breaks "+name+" for family") {
			t.Errorf("%s: tags %q, description %q", file, fx.Tags, fx.Description)
		}
	}
	if _, ok := got["V-2"]; !ok || len(got) != 3 {
		t.Errorf("manifest rules %v: want the history of two user turns under the bare id V-2", got)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tool-choice-name", "tool-spec-name"} {
		if !regexp.MustCompile(`V-13 ` + name + `\s+1\s+33\.3%\s+` + name + `/`).MatchString(text.String()) {
			t.Errorf("the report has no row for V-13 %s with its fixture:\n%s", name, text.String())
		}
	}
	for _, s := range rep.Families[0].Rules {
		i := slices.IndexFunc(converse.Rules(), func(r *converse.Rule) bool { return r.Name == s.Name })
		if i < 0 || converse.Rules()[i].ID != s.ID || converse.Rules()[i].Message != s.Message {
			t.Errorf("report rule %s %s: message %q", s.ID, s.Name, s.Message)
		}
	}
}

// TestMergeKeepsRulesOfSharedIDsApart: merging the reports of shards
// counts each rule of a shared id apart, by its name, as one import does.
func TestMergeKeepsRulesOfSharedIDsApart(t *testing.T) {
	f := &FamilyReport{byRule: map[string]*RuleStat{}}
	for _, name := range []string{"tool-spec-name", "tool-choice-name", "tool-spec-name"} {
		f.addUp(&FamilyReport{Rules: []*RuleStat{{ID: "V-13", Name: name, Count: 1}, {ID: "V-2", Name: "alternate-roles", Count: 1}}})
	}
	var got []string
	for _, s := range f.Rules {
		got = append(got, fmt.Sprintf("%s %s %d", s.ID, s.Name, s.Count))
	}
	if want := "V-13 tool-spec-name 2, V-2 alternate-roles 3, V-13 tool-choice-name 1"; strings.Join(got, ", ") != want {
		t.Errorf("merged rules %q, want %q", strings.Join(got, ", "), want)
	}
}

// The HTML report lists the skip reasons as the text report does: the
// most frequent first, then by name (it listed them by name).
func TestSkipReasonsInTheSameOrder(t *testing.T) {
	rep := newReport(nil)
	for reason, n := range map[string]int{"a rare reason": 1, "b common reason": 5, "c common reason": 5, "d middling reason": 3} {
		for range n {
			rep.skip(ingest.Skip{File: "f.jsonl", Reason: reason})
		}
	}
	want := []string{"b common reason", "c common reason", "d middling reason", "a rare reason"}
	var txt, page bytes.Buffer
	if err := rep.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": txt.String(), "HTML": page.String()} {
		_, out, _ = strings.Cut(out, "kipped") // the reasons' table or list
		last := -1
		for _, r := range want {
			i := strings.Index(out, r)
			if i < last {
				t.Errorf("%s report: %q out of order (want %q):\n%s", name, r, want, out)
			}
			last = i
		}
	}
}

// TestMaskReason: what a skip reason quotes of the record is masked, a
// position a decoder places is kept, and a position's segments below a
// member whose value is the application's own object (a tool's input) are
// masked too, since the application names them: a name there may be a
// personal datum.
func TestMaskReason(t *testing.T) {
	for in, want := range map[string]string{
		`unknown role "Patient John Smith": one of user, assistant`:                       `unknown role "…": one of user, assistant`,
		`unknown role "/Users/jsmith/Documents": one of user, assistant`:                  `unknown role "…": one of user, assistant`,
		`bad value "x y" at "/messages/0/content"`:                                        `bad value "…" at "/messages/0/content"`,
		`cannot unmarshal within "/messages/2/content/0/toolUse/input/jsmith_hiv_status"`: `cannot unmarshal within "/messages/2/content/0/toolUse/input/…"`,
		`cannot unmarshal within "/messages/0/content/0/json/a/b"`:                        `cannot unmarshal within "/messages/0/content/0/json/…/…"`,
		`cannot unmarshal within "/messages/0/name of bob"`:                               `cannot unmarshal within "…"`,
	} {
		if got := MaskReason(in); got != want {
			t.Errorf("MaskReason(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}
