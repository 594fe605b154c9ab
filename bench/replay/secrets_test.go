package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// plantedPrompt is a history turn carrying one of every secret and
// personal datum the scanner knows, generated at run time.
func plantedPrompt() (string, []redacttest.Plant) {
	plants := redacttest.New(14).All()
	var b strings.Builder
	for _, p := range plants {
		b.WriteString(p.Text + "\n")
	}
	return b.String(), plants
}

// recordPlanted records a Converse and a ConverseStream of the planted
// prompt against the emulator.
func recordPlanted(t *testing.T, path string, redactIt bool) (*Session, string, string) {
	t.Helper()
	prompt, _ := plantedPrompt()
	rec, err := Open(path, Record, Options{Name: "planted/secrets", Credentials: emuCreds, Endpoint: startEmulator(t, nil), Redact: redactIt})
	if err != nil {
		t.Fatal(err)
	}
	c := rec.Client("us-east-1")
	text, err := converseText(t, c, "amazon.nova-micro-v1:0", prompt)
	if err != nil {
		t.Fatal(err)
	}
	return rec, text, streamText(t, c, "amazon.nova-micro-v1:0", prompt)
}

// TestPlantedSecretsAreRefused: a history holding secrets and personal
// data is not saved; the error names the case, every field and rule, and
// never the values.
func TestPlantedSecretsAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "planted.yaml")
	rec, _, _ := recordPlanted(t, path, false)
	err := rec.Close()
	var le *LeakError
	if !errors.As(err, &le) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a cassette with secrets was written")
	}
	msg := err.Error()
	for _, want := range []string{"history planted/secrets", path, "--redact", "interaction 1, request body", "interaction 1, response body", "interaction 2, response event", "rule aws-access-key-id", "rule email", "rule jwt"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q", want)
		}
	}
	_, plants := plantedPrompt()
	kinds := map[redact.Kind]bool{}
	for _, l := range le.Leaks {
		if l.Field == "request body" {
			kinds[l.Kind] = true
		}
	}
	for _, p := range plants {
		if strings.Contains(msg, p.Value) {
			t.Errorf("the error shows the %s itself", p.Kind)
		}
	}
	for _, k := range []redact.Kind{redact.AWSAccessKeyID, redact.AWSSecretAccessKey, redact.AWSSessionToken, redact.BedrockAPIKey, redact.JWT,
		redact.PrivateKey, redact.OpenAIAPIKey, redact.AnthropicAPIKey, redact.Email, redact.CardNumber, redact.IBAN, redact.USSSN} {
		if !kinds[k] {
			t.Errorf("no %s found in the request body (found %v)", k, kinds)
		}
	}
	t.Logf("%d leaks found in 2 interactions", len(le.Leaks))
}

// TestRedactRecordsPseudonymsAndReplays: with Redact, the cassette holds
// pseudonyms (in the request, the answer and every stream frame, with
// valid CRCs), a scan of it finds nothing, and replaying the original
// history matches.
func TestRedactRecordsPseudonymsAndReplays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "planted.yaml")
	rec, _, _ := recordPlanted(t, path, true)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	leaks, err := ScanFile(path)
	if err != nil || len(leaks) != 0 {
		t.Fatalf("scan of the redacted cassette: %v %v", leaks, err)
	}
	raw, _ := os.ReadFile(path)
	c, _ := Load(path)
	_, plants := plantedPrompt()
	for _, p := range plants {
		for _, in := range c.Interactions {
			if strings.Contains(in.Request.Body+in.Response.Body, p.Value) || strings.Contains(string(raw), p.Value) {
				t.Errorf("the cassette holds the %s", p.Kind)
			}
		}
	}
	if !strings.Contains(c.Interactions[0].Request.Body, "REDACTED") {
		t.Errorf("no pseudonyms in the request: %.300s", c.Interactions[0].Request.Body)
	}
	rep, err := Open(path, Replay, Options{Name: "planted/secrets"})
	if err != nil {
		t.Fatal(err)
	}
	prompt, _ := plantedPrompt()
	cl := rep.Client("us-east-1")
	text, err := converseText(t, cl, "amazon.nova-micro-v1:0", prompt)
	if err != nil {
		t.Fatalf("replaying the original history: %v", err)
	}
	stream := streamText(t, cl, "amazon.nova-micro-v1:0", prompt)
	for _, p := range plants {
		if strings.Contains(text+stream, p.Value) {
			t.Errorf("the replayed answer holds the %s", p.Kind)
		}
	}
	if n := rep.Unplayed(); n != 0 {
		t.Errorf("%d interactions unplayed", n)
	}
}

// eventStream encodes events as Bedrock sends them; the last is metadata.
func eventStream(t *testing.T, deltas ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := eventstream.NewEncoder()
	ev := func(typ string, payload any) {
		p, _ := json.Marshal(payload)
		h := eventstream.Headers{{Name: ":message-type", Value: eventstream.StringValue("event")}, {Name: ":event-type", Value: eventstream.StringValue(typ)},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")}}
		if err := enc.Encode(&b, eventstream.Message{Headers: h, Payload: p}); err != nil {
			t.Fatal(err)
		}
	}
	ev("messageStart", map[string]any{"role": "assistant", "p": "abc"})
	for _, d := range deltas {
		ev("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": d}, "p": "abcdef"})
	}
	ev("contentBlockStop", map[string]any{"contentBlockIndex": 0})
	ev("messageStop", map[string]any{"stopReason": "end_turn"})
	ev("metadata", map[string]any{"usage": map[string]any{"inputTokens": 1, "outputTokens": 2, "totalTokens": 3}, "metrics": map[string]any{"latencyMs": 1}})
	return b.Bytes()
}

// recordStream records one ConverseStream answered with body.
func recordStream(t *testing.T, path string, body []byte, redactIt bool) (*Session, string) {
	t.Helper()
	rec, err := Open(path, Record, Options{Name: "stream/case", Credentials: emuCreds, Redact: redactIt,
		Transport: answerWith(func(*http.Request, []byte) *http.Response {
			return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}},
				Body: io.NopCloser(bytes.NewReader(body))}
		})})
	if err != nil {
		t.Fatal(err)
	}
	return rec, streamText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "hi")
}

// TestStreamAccountIdsScrubbedFrameByFrame: account ids in a streamed
// answer are replaced inside the frames, which are encoded again with
// valid CRCs: the SDK replays the stream without an error.
func TestStreamAccountIdsScrubbedFrameByFrame(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	rec, live := recordStream(t, path, eventStream(t, "Served by arn:aws:bedrock:us-east-1:", "987654321098:inference-profile/x ", "and arn:aws:iam::987654321098:role/r."), false)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(live, "987654321098") {
		t.Fatalf("the live answer: %q", live)
	}
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := streamText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "hi")
	if strings.Contains(got, "987654321098") || !strings.Contains(got, "arn:aws:iam::"+AccountPlaceholder+":role/r") {
		t.Errorf("replayed: %q", got)
	}
	events, err := DecodeStream([]byte(rep.Cassette().Interactions[0].Response.Body))
	if err != nil || len(events) != 7 {
		t.Errorf("frames: %d, %v", len(events), err)
	}
}

// TestSecretCutBetweenEvents: a key streamed in two pieces is found in the
// joined text and refused; with Redact, its pseudonym replaces it across
// the events and the replayed stream reads as one clean text.
func TestSecretCutBetweenEvents(t *testing.T) {
	_, plants := plantedPrompt()
	key := plants[0].Value // an access key id
	if plants[0].Kind != redact.AWSAccessKeyID {
		t.Fatal("the first plant should be an access key id")
	}
	body := eventStream(t, "Your key is "+key[:9], key[9:]+" and nothing", " else.")
	rec, _ := recordStream(t, filepath.Join(t.TempDir(), "s.yaml"), body, false)
	var le *LeakError
	if err := rec.Close(); !errors.As(err, &le) || !strings.Contains(err.Error(), "response events 2-3 (joined)") || !strings.Contains(err.Error(), "aws-access-key-id") {
		t.Fatalf("got %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.yaml")
	rec, _ = recordStream(t, path, body, true)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := streamText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "hi")
	r := redact.NewRedactor(mustScanner(t), []byte(DefaultRedactSalt))
	if want := "Your key is " + r.Pseudonym(redact.AWSAccessKeyID, key) + " and nothing else."; got != want {
		t.Errorf("replayed %q, want %q", got, want)
	}
}

func mustScanner(t testing.TB) *redact.Scanner {
	s, err := defaultScanner()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestScanFileReportsEveryOccurrence: the cassette scan behind lint
// reports each occurrence, e-mail addresses and bare account ids
// included, and looks inside stream frames that a text search of the
// file (base64 !!binary) cannot see.
func TestScanFileReportsEveryOccurrence(t *testing.T) {
	var email, account string
	for _, p := range redacttest.New(3).All() {
		switch p.Kind {
		case redact.Email:
			email = p.Value
		case redact.AWSAccountID:
			account = p.Value
		}
	}
	c := cassette.New("x")
	c.AddInteraction(&cassette.Interaction{
		Request: cassette.Request{Method: "POST", URL: "https://h/model/m/converse", Headers: http.Header{"Content-Type": {"application/json"}},
			Body: `{"messages":[{"role":"user","content":[{"text":"my account id: ` + account + `, mail ` + email + `"}]}]}`},
		Response: cassette.Response{Code: 200, Status: "200 OK", Headers: http.Header{"Content-Type": {"application/json"}},
			Body: `{"output":{"message":{"role":"assistant","content":[{"text":"I will write to ` + email + ` and cc ` + email + `"}]}}}`}})
	stream := eventStream(t, "Mail ", email, " now.")
	c.AddInteraction(&cassette.Interaction{
		Request:  cassette.Request{Method: "POST", URL: "https://h/model/m/converse-stream", Body: `{}`},
		Response: cassette.Response{Code: 200, Status: "200 OK", Headers: http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}, Body: string(stream)}})
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Count(string(raw), email) != 3 {
		t.Fatalf("the stream's address should be hidden in base64: %d plain occurrences", strings.Count(string(raw), email))
	}
	leaks, err := ScanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range leaks {
		got = append(got, l.Field+" "+string(l.Kind))
	}
	want := []string{"request body aws-account-id", "request body email", "response body email", "response body email", "response event 3 email"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("leaks:\n got %q\nwant %q", got, want)
	}
}

// FuzzStreamRewrite: rewriting a stream body (scrubbing account ids and
// redacting, frame by frame and across events) never panics, and a body
// that decodes still decodes afterwards, with as many frames.
func FuzzStreamRewrite(f *testing.F) {
	f.Add([]byte("x"), "arn:aws:iam::987654321098:role/r", "write to a@b.co.uk")
	f.Add([]byte{}, "arn:aws:bedrock:us-east-1:", "987654321098:inference-profile/x")
	r := redact.NewRedactor(mustScanner(f), []byte("salt"))
	f.Fuzz(func(t *testing.T, raw []byte, a, b string) {
		for _, body := range []string{string(raw), string(eventStream(t, a, b, a+b))} {
			before, err := DecodeStream([]byte(body))
			out := scrubJoinedDeltas(redactJoinedDeltas(r, body))
			out = mapStream(out, func(p []byte) []byte { return []byte(redactBody(r, scrubAccounts(string(p)))) })
			if err != nil {
				continue
			}
			after, err := DecodeStream([]byte(out))
			if err != nil || len(after) != len(before) {
				t.Fatalf("a decodable stream became %d frames (from %d): %v", len(after), len(before), err)
			}
		}
	})
}

// TestScanFileReadsWhatTheInteractionsDoNotShow: a cassette edited by
// hand or by another tool may hold a value where no interaction shows it
// (a YAML comment, a member go-vcr does not read) or in a member the
// scan did not read (a request's form, a response's status). The scan
// behind lint reports each; a cassette as Save writes it gets no second
// report of what its interactions show.
func TestScanFileReadsWhatTheInteractionsDoNotShow(t *testing.T) {
	var email, akid, ghp string
	for _, p := range redacttest.New(17).All() {
		switch {
		case p.Kind == redact.Email && email == "" && strings.Contains(p.Value, "@"):
			email = p.Value
		case p.Kind == redact.AWSAccessKeyID:
			akid = p.Value
		case p.Kind == redact.APIToken:
			ghp = p.Value
		}
	}
	c := cassette.New("x")
	c.AddInteraction(&cassette.Interaction{
		Request: cassette.Request{Method: "POST", URL: "https://h/model/m/converse", Headers: http.Header{"Content-Type": {"application/json"}},
			Body: `{"messages":[{"role":"user","content":[{"text":"hello"}]}]}`},
		Response: cassette.Response{Code: 200, Status: "200 OK", Headers: http.Header{"Content-Type": {"application/json"}},
			Body: `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}}}`}})
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	if leaks, err := ScanFile(path); err != nil || len(leaks) != 0 {
		t.Fatalf("a clean cassette: %v %v", leaks, err)
	}
	raw, _ := os.ReadFile(path)
	edited := strings.Replace(string(raw), "version: 1\n", "version: 1\n# recorded by "+email+" with "+akid+"\n", 1)
	edited = strings.Replace(edited, "        form: {}\n", "        form:\n            token:\n                - "+ghp+"\n        note: ask "+email+"\n", 1)
	edited = strings.Replace(edited, "status: 200 OK", "status: 200 OK for "+email, 1)
	if edited == string(raw) || strings.Count(edited, email) != 3 {
		t.Fatalf("the cassette is not written as the test expects:\n%s", raw)
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	leaks, err := ScanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range leaks {
		got = append(got, l.Field+": "+string(l.Kind))
	}
	want := []string{
		"request form token: api-token",
		"response status: email",
		"line 3, outside the interactions (a comment or a member go-vcr does not read): email",
		"line 3, outside the interactions (a comment or a member go-vcr does not read): aws-access-key-id",
		"line 10, outside the interactions (a comment or a member go-vcr does not read): email",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("leaks:\n%s\nwant\n%s\nin\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), edited)
	}
}

// TestSecretCutBetweenTextBlocks: a request whose key and e-mail address
// are cut between adjacent text blocks of one message is refused, the field
// naming the joined blocks; with Redact, the recorded request holds
// neither half, keeps its three blocks, a scan of it finds nothing, and the same request
// replays. Before, each block was scanned and redacted alone: the
// cassette was saved with both halves of each.
func TestSecretCutBetweenTextBlocks(t *testing.T) {
	_, plants := plantedPrompt()
	key, email := plants[0].Value, ""
	for _, p := range plants {
		if p.Kind == redact.Email && email == "" {
			email = p.Value
		}
	}
	blocks := []types.ContentBlock{
		&types.ContentBlockMemberText{Value: "My key is " + key[:11]},
		&types.ContentBlockMemberText{Value: key[11:] + " and my address " + email[:7]},
		&types.ContentBlockMemberText{Value: email[7:] + ", thanks."},
	}
	call := func(s *Session) error {
		_, err := s.Client("us-east-1").Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"),
			Messages: []types.Message{{Role: types.ConversationRoleUser, Content: blocks}}})
		return err
	}
	endpoint := startEmulator(t, nil)
	open := func(path string, redactIt bool) *Session {
		rec, err := Open(path, Record, Options{Name: "cut/blocks", Credentials: emuCreds, Endpoint: endpoint, Redact: redactIt})
		if err != nil {
			t.Fatal(err)
		}
		if err := call(rec); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	var le *LeakError
	err := open(filepath.Join(t.TempDir(), "s.yaml"), false).Close()
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "request body (text pieces joined): a secret (aws-access-key-id") ||
		!strings.Contains(err.Error(), "request body (text pieces joined): personal data (email") {
		t.Fatalf("got %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.yaml")
	if err := open(path, true).Close(); err != nil {
		t.Fatal(err)
	}
	if leaks, err := ScanFile(path); err != nil || len(leaks) != 0 {
		t.Fatalf("the redacted cassette: %v %v", leaks, err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// The request's; the emulator's answer echoes the blocks joined
	// with spaces, a text that holds no key and no address.
	body := c.Interactions[0].Request.Body
	for _, half := range []string{key[:11], key[11:], email[:7], email[7:]} {
		if strings.Contains(body, half) {
			t.Errorf("the recorded request holds %q: %s", half, body)
		}
	}
	if runs := redact.TextRuns([]byte(c.Interactions[0].Request.Body)); len(runs) != 1 || len(runs[0].Starts) != 3 {
		t.Errorf("the request lost its blocks: %+v", runs)
	}
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := call(rep); err != nil {
		t.Fatalf("replaying the same request: %v", err)
	}
}
