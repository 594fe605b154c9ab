package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/dnaeon/go-vcr/v2/recorder"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

var emuCreds = credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "a-session-token")

func startEmulator(t *testing.T, opts *emulator.Options) string {
	t.Helper()
	s, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL
}

func userMsg(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

func converseText(t *testing.T, c *bedrockruntime.Client, model, prompt string) (string, error) {
	t.Helper()
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{userMsg(prompt)},
		RequestMetadata: map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6"}})
	if err != nil {
		return "", err
	}
	return out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value, nil
}

func streamText(t *testing.T, c *bedrockruntime.Client, model, prompt string) string {
	t.Helper()
	out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: []types.Message{userMsg(prompt)}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for ev := range out.GetStream().Events() {
		if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			b.WriteString(d.Value.Delta.(*types.ContentBlockDeltaMemberText).Value)
		}
	}
	if err := out.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// profileARN carries the emulator's account id, which must not reach
// the cassette.
const profileARN = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0"

func TestRecordThenReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t", "case.yaml")
	rec, err := Open(path, Record, Options{Name: "h1", Credentials: emuCreds, Endpoint: startEmulator(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	c := rec.Client("us-east-1")
	want1, err := converseText(t, c, profileARN, "first")
	if err != nil {
		t.Fatal(err)
	}
	want2 := streamText(t, c, "us.amazon.nova-lite-v1:0", "second")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "a-session-token", "AKIA", "Signature=", "aws4_request", "Amz-Sdk-Invocation-Id", "User-Agent", "111122223333", "Date:"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("cassette contains %q", secret)
		}
	}
	if !strings.Contains(string(data), "inference-profile%2Fus.amazon.nova-lite-v1%3A0") || !strings.Contains(string(data), AccountPlaceholder) {
		t.Errorf("the profile ARN should be recorded escaped with the placeholder account:\n%s", data)
	}
	if !strings.Contains(string(data), "body: !!binary") {
		t.Error("the event stream should be stored byte-exact as binary")
	}

	rep, err := Open(path, Replay, Options{Name: "h1"})
	if err != nil {
		t.Fatal(err)
	}
	c = rep.Client("us-east-1")
	got1, err := converseText(t, c, profileARN, "first")
	if err != nil {
		t.Fatal(err)
	}
	if got1 != want1 || streamText(t, c, "us.amazon.nova-lite-v1:0", "second") != want2 {
		t.Errorf("replay differs from the recording")
	}
	if n := rep.Unplayed(); n != 0 {
		t.Errorf("%d interactions unplayed", n)
	}
}

func TestCanonical(t *testing.T) {
	same := [][2]string{
		{`{"b":1,"a":[1.0,2e0,{"y":true,"x":null}]}`, `{ "a" : [1, 2, {"x": null, "y": true}], "b": 1.00 }`},
		{`{"t":0.5}`, `{"t":5e-1}`},
		{`{"n":12345678901234567890}`, `{"n":1.2345678901234567890e19}`},
	}
	for _, p := range same {
		if a, b := string(Canonical([]byte(p[0]))), string(Canonical([]byte(p[1]))); a != b {
			t.Errorf("%s and %s differ: %s vs %s", p[0], p[1], a, b)
		}
	}
	if string(Canonical([]byte(`{"t":0.5}`))) == string(Canonical([]byte(`{"t":0.25}`))) {
		t.Error("different numbers compare equal")
	}
	if string(Canonical([]byte("not json"))) != "not json" {
		t.Error("non-JSON bodies must pass through")
	}
}

// recordOne records one Converse into a fresh cassette.
func recordOne(t *testing.T, path string, opts *emulator.Options, prompt string) {
	t.Helper()
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, opts)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", prompt); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMiss(t *testing.T) {
	path := filepath.Join(t.TempDir(), "miss.yaml")
	recordOne(t, path, nil, "Say hello")
	rep, err := Open(path, Replay, Options{Name: "resume/x", Rerecord: "go test ./bench -record -run X"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = converseText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "Say hi")
	var me *MissError
	if !errors.As(err, &me) || !errors.Is(err, ErrNoMatch) {
		t.Fatalf("got %v", err)
	}
	msg := me.Error()
	for _, want := range []string{"history resume/x", "cassette " + path, "POST /model/amazon.nova-micro-v1:0/converse", `-`, `"Say hello"`, `+`, `"Say hi"`, "go test ./bench -record -run X"} {
		if !strings.Contains(msg, want) {
			t.Errorf("miss error lacks %q:\n%s", want, msg)
		}
	}
	// A miss is answered once: no retries in replay.
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("the SDK retried a miss: %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none.yaml"), Replay, Options{Name: "h"}); !errors.Is(err, ErrNoCassette) || !strings.Contains(err.Error(), "history h") {
		t.Errorf("missing cassette: %v", err)
	}
}

func TestReplayNeverDials(t *testing.T) {
	var conns atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	path := filepath.Join(t.TempDir(), "c.yaml")
	recordOne(t, path, nil, "hello")
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Client("us-east-1")
	// Point the client at a live listener: replay must still not dial it.
	c = bedrockruntime.New(c.Options(), func(o *bedrockruntime.Options) { o.BaseEndpoint = aws.String("http://" + ln.Addr().String()) })
	if _, err := converseText(t, c, "amazon.nova-micro-v1:0", "hello"); err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, c, "amazon.nova-micro-v1:0", "a miss"); !errors.Is(err, ErrNoMatch) {
		t.Fatalf("miss: %v", err)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("replay opened %d connections", n)
	}
	if _, err := (LiveTransport{}).RoundTrip(httptest.NewRequest("GET", "https://bedrock.us-east-1.amazonaws.com/", nil)); !errors.Is(err, ErrLiveCall) {
		t.Errorf("LiveTransport: %v", err)
	}
}

func TestRerecordReplacesAndReportsDrift(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	recordOne(t, path, nil, "hello")
	old, _ := Load(path)
	// The same request answered by a throttled service, then by a new prompt.
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, &emulator.Options{Faults: emulator.Faults{ThrottleProbability: 1}}), RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "hello"); err == nil {
		t.Fatal("expected throttling")
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	now, _ := Load(path)
	if len(now.Interactions) != 1 || len(old.Interactions) != 1 {
		t.Fatalf("re-recording must replace, not append: %d interactions", len(now.Interactions))
	}
	drift := CompareRecordings(old, now)
	if len(drift) != 1 || !strings.Contains(drift[0].Diff, "ThrottlingException") || !strings.Contains(drift[0].Diff, "429") {
		t.Errorf("drift: %+v", drift)
	}
	if d := CompareRecordings(old, old); len(d) != 0 {
		t.Errorf("a recording drifts from itself: %+v", d)
	}
}

func TestDriftIgnoresVolatileFields(t *testing.T) {
	mk := func(body string) *cassette.Cassette {
		c := cassette.New("x")
		c.AddInteraction(&cassette.Interaction{Request: cassette.Request{Method: "POST", URL: "https://h/model/m/converse", Body: `{"a":1}`},
			Response: cassette.Response{Code: 200, Headers: http.Header{"X-Amzn-Requestid": {body}}, Body: body}})
		return c
	}
	a := mk(`{"metrics":{"latencyMs":100},"usage":{"inputTokens":100,"outputTokens":20},"output":{"text":"hi"}}`)
	b := mk(`{"metrics":{"latencyMs":900},"usage":{"inputTokens":104,"outputTokens":21},"output":{"text":"hi"}}`)
	if d := CompareRecordings(a, b); len(d) != 0 {
		t.Errorf("latency, request id and small token moves are not drift: %+v", d)
	}
	c := mk(`{"metrics":{"latencyMs":100},"usage":{"inputTokens":160,"outputTokens":20},"output":{"text":"hello"}}`)
	if d := CompareRecordings(a, c); len(d) != 1 || !strings.Contains(d[0].Diff, "hello") || !strings.Contains(d[0].Diff, "160") {
		t.Errorf("text and a big token change are drift: %+v", d)
	}
}

func TestTruncatedStreamIsRefused(t *testing.T) {
	emu := startEmulator(t, nil)
	// A proxy that cuts the stream's last frame in half.
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequest(r.Method, emu+r.URL.EscapedPath(), r.Body)
		req.Header = r.Header.Clone()
		req.Host = r.Host // the signature covers the host
		req.ContentLength = r.ContentLength
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Error(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body[:len(body)-20])
	}))
	defer cut.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	recordOne(t, path, nil, "keep me")
	before, _ := os.ReadFile(path)
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: cut.URL, RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	out, err := rec.Client("us-east-1").ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{userMsg("x")}})
	if err == nil {
		for range out.GetStream().Events() {
		}
	}
	if err := rec.Close(); err == nil || !strings.Contains(err.Error(), "event stream") {
		t.Fatalf("a cut stream must not be saved: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("the old cassette was touched")
	}
}

// A response larger than a cassette can hold is refused as it is read,
// never held whole in memory, and nothing is saved for it.
func TestOversizedResponseRefused(t *testing.T) {
	defer func(m int64) { sdkhttp.MaxBody = m }(sdkhttp.MaxBody)
	sdkhttp.MaxBody = 1 << 20
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"output":{"message":{"role":"assistant","content":[{"text":"`))
		_, _ = w.Write(bytes.Repeat([]byte("a"), 1<<20))
		_, _ = w.Write([]byte(`"}]}},"stopReason":"end_turn"}`))
	}))
	defer big.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: big.URL, RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "x")
	if err == nil || !strings.Contains(err.Error(), "response is larger than 1 MiB, the most a cassette holds") {
		t.Fatalf("an oversized response: %v", err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a session that recorded nothing wrote %s: %v", path, err)
	}
}

func TestAbortKeepsOldCassette(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	recordOne(t, path, nil, "keep me")
	before, _ := os.ReadFile(path)
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "interrupted"); err != nil {
		t.Fatal(err)
	}
	rec.Abort()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	if string(before) != string(after) || len(entries) != 1 {
		t.Errorf("an aborted recording changed the directory: %d entries", len(entries))
	}
}

func TestScrubBearerAndAccounts(t *testing.T) {
	in := &cassette.Interaction{
		Request: cassette.Request{Method: "POST", URL: "https://x/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc/converse",
			Headers: http.Header{"Authorization": {"Bearer ABSKQmVkcm9ja0FQSUtleQ"}, "X-Custom": {"Bearer leak"}, "Content-Type": {"application/json"}},
			Body:    `{"toolConfig":{"x":"arn:aws:bedrock:eu-west-1:123456789012:guardrail/g"}}`},
		Response: cassette.Response{Code: 200, Headers: http.Header{"Date": {"Mon"}, "Content-Type": {"application/json"}}, Body: `{"arn":"arn:aws:iam::123456789012:role/x"}`},
	}
	Scrub(in)
	all := in.Request.URL + in.Request.Body + in.Response.Body + strings.Join(in.Request.Headers.Values("X-Custom"), "")
	if strings.Contains(all, "123456789012") || in.Request.Headers.Get("Authorization") != "" || in.Request.Headers.Get("X-Custom") != "" || in.Response.Headers.Get("Date") != "" {
		t.Errorf("not scrubbed: %+v", in)
	}
	if !regexp.MustCompile(`application-inference-profile%2Fabc`).MatchString(in.Request.URL) {
		t.Errorf("URL: %s", in.Request.URL)
	}
}

// TestScrubStoresRequestBodiesCanonical: a JSON request body is stored
// in canonical form (members sorted, a map's keys too, one spelling per
// number, strings as written, no white space), whatever order it was
// sent in, with the match key of the body sent; a body whose canonical
// form would lose something, or that is not JSON, is stored as sent
// (compact); response bodies keep the service's order.
func TestScrubStoresRequestBodiesCanonical(t *testing.T) {
	for sent, want := range map[string]string{
		`{"requestMetadata":{"tenant":"acme","session":"s-19"},"messages":[{"role":"user","content":[{"text":"<task> & é"}]}]}`: `{"messages":[{"content":[{"text":"<task> & é"}],"role":"user"}],"requestMetadata":{"session":"s-19","tenant":"acme"}}`,
		"{ \"inferenceConfig\": { \"temperature\": 0.50, \"maxTokens\": 1e3 },\n \"system\": [ {\"text\": \"\\u00e9\\n\"} ] }":  `{"inferenceConfig":{"maxTokens":1000,"temperature":0.5},"system":[{"text":"é\n"}]}`,
		`{"b": 1, "a": 2, "a": 3}`:       `{"b":1,"a":2,"a":3}`,
		"{\"t\": \"\xff\", \"a\": 1}":    "{\"t\":\"\xff\",\"a\":1}",
		`{"t": "\ud800", "a": 1}`:        `{"t":"\ud800","a":1}`,
		`{"b":1,"a":2}]`:                 `{"b":1,"a":2}]`,
		"plain text, not JSON {\"b\":1}": "plain text, not JSON {\"b\":1}",
		``:                               ``,
	} {
		in := &cassette.Interaction{
			Request:  cassette.Request{Method: "POST", URL: "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse", Headers: http.Header{}, Body: sent},
			Response: cassette.Response{Code: 200, Headers: http.Header{"Content-Type": {"application/json"}}, Body: `{"stopReason":"end_turn", "output":{}}`},
		}
		Scrub(in)
		if in.Request.Body != want {
			t.Errorf("%q stored as\n%q, want\n%q", sent, in.Request.Body, want)
		}
		if in.Response.Body != `{"stopReason":"end_turn","output":{}}` {
			t.Errorf("response stored as %s", in.Response.Body)
		}
		k, err := interactionKey(in)
		if err != nil || k != matchKey("POST", "/model/m/converse", []byte(sent)) {
			t.Errorf("%q: the stored body does not match the body sent (%v)", sent, err)
		}
	}
}

// FuzzRequestBody: for any request body, the form Scrub stores has the
// match key of the body sent (so replay finds it), and storing it again
// changes nothing.
func FuzzRequestBody(f *testing.F) {
	f.Add([]byte(`{"requestMetadata":{"tenant":"acme","session":"s-19"},"messages":[{"role":"user","content":[{"text":"<hi>"}]}]}`))
	f.Add([]byte(`{"a":"arn:aws:iam::123456789012:role/x","b":"arn:aws:iam::\u0031\u0032\u0033456789012:role/y"}`))
	f.Add([]byte(`{"b":1,"a":1,"a":2}`))
	f.Add([]byte("{\"t\":\"\xff\"}"))
	f.Add([]byte(`{"b":1}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		stored := requestBody(scrubAccounts(string(body)))
		if bodyDigest([]byte(stored)) != bodyDigest(body) {
			t.Fatalf("%q stored as %q, which does not match it", body, stored)
		}
		if again := requestBody(scrubAccounts(stored)); again != stored {
			t.Fatalf("%q stored as %q, then as %q", body, stored, again)
		}
	})
}

// TestGoVCRReplaysOurCassettes: the cassettes are plain go-vcr v2.1.0
// files; go-vcr's own recorder replays them.
func TestGoVCRReplaysOurCassettes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	recordOne(t, path, nil, "interop")
	r, err := recorder.NewAsMode(strings.TrimSuffix(path, ".yaml"), recorder.ModeReplaying, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	r.SetMatcher(func(req *http.Request, i cassette.Request) bool {
		u, _ := urlOf(i.URL)
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(strings.NewReader(string(body)))
		return req.Method == i.Method && canonicalPath(req.URL) == canonicalPath(u) && string(Canonical(body)) == string(Canonical([]byte(i.Body)))
	})
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", HTTPClient: &http.Client{Transport: r}, Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")})
	if _, err := converseText(t, c, "amazon.nova-micro-v1:0", "interop"); err != nil {
		t.Fatal(err)
	}
}

// lookupSession is a replay session over a cassette of n interactions.
func lookupSession(b *testing.B, n int) (*Session, []*http.Request, [][]byte) {
	c := cassette.New(filepath.Join(b.TempDir(), "c"))
	var reqs []*http.Request
	var bodies [][]byte
	for i := 0; i < n; i++ {
		body := fmt.Sprintf(`{"messages":[{"role":"user","content":[{"text":"question number %d"}]}],"inferenceConfig":{"maxTokens":%d}}`, i, 100+i%7)
		u := "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-lite-v1%3A0/converse"
		c.AddInteraction(&cassette.Interaction{Request: cassette.Request{Method: "POST", URL: u, Body: body},
			Response: cassette.Response{Code: 200, Status: "200 OK", Headers: http.Header{"Content-Type": {"application/json"}}, Body: `{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn"}`}})
		r, _ := http.NewRequest("POST", u, nil)
		reqs = append(reqs, r)
		bodies = append(bodies, []byte(body))
	}
	path := c.File
	if err := Save(path, c); err != nil {
		b.Fatal(err)
	}
	s, err := Open(path, Replay, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s, reqs, bodies
}

// BenchmarkLookup measures one replayed request (canonicalizing its body
// and finding its interaction) in cassettes of 100 and 10,000
// interactions: the index keeps the cost flat.
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("interactions=%d", n), func(b *testing.B) {
			s, reqs, bodies := lookupSession(b, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				k := i % n
				s.played[k] = false
				reqs[k].Body = io.NopCloser(bytes.NewReader(bodies[k]))
				resp, err := s.RoundTrip(reqs[k])
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				i++
			}
		})
	}
}

// FuzzCanonical: canonical JSON is idempotent, and re-indenting a JSON
// body never changes its canonical form (or its match key).
func FuzzCanonical(f *testing.F) {
	f.Add([]byte(`{"b":1,"a":[1.0,2e0,{"y":true,"x":null}],"n":12345678901234567890}`))
	f.Add([]byte(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := Canonical(body)
		if len(c) > 6*len(body)+16 {
			t.Fatalf("%d bytes canonicalized to %d", len(body), len(c))
		}
		if string(Canonical(c)) != string(c) {
			t.Fatalf("not idempotent:\n%s\n%s", c, Canonical(c))
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, body, "", "  ") == nil && string(Canonical(pretty.Bytes())) != string(c) {
			t.Fatalf("indenting changed the canonical form:\n%s\n%s", c, Canonical(pretty.Bytes()))
		}
	})
}

// A gateway in front of Bedrock (record --endpoint) may pass on the
// caller's OpenAI or Anthropic organization and project in response
// headers, ids no scanner rule tells from any other: no cassette keeps
// them, nor the cookie it sets.
func TestGatewayOrganizationHeadersNeverReachACassette(t *testing.T) {
	emu := startEmulator(t, nil)
	values := map[string]string{
		"Openai-Organization":       "org-" + strings.Repeat("k3v9q2x7", 3),
		"Openai-Project":            "proj_" + strings.Repeat("m1p4z8w6", 3),
		"Anthropic-Organization-Id": "5f1c9e2a-7b3d-4e8f-a6c1-2d9b8e7f3a4c",
		"Set-Cookie":                "__cf_bm=" + strings.Repeat("Qx7Lm2Np", 5) + "; path=/; HttpOnly",
	}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequest(r.Method, emu+r.URL.EscapedPath(), r.Body)
		req.Header = r.Header.Clone()
		req.Host = r.Host // the signature covers the host
		req.ContentLength = r.ContentLength
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		for k, v := range values {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer gw.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: gw.URL, RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "hello"); err != nil {
		t.Fatal(err)
	}
	_ = streamText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "hello")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		if strings.Contains(string(data), v) {
			t.Errorf("the cassette keeps %s: %s", k, v)
		}
	}
}

// TestRetriedAttemptsRecordOnlyTheAnswer: a call the service throttles
// and the SDK then retries while recording is stored once, with the
// answer the call got; replay, which never retries, serves that answer.
// The throttled attempt used to be recorded too, before it, so replay
// answered the call with the ThrottlingException. A call the application
// itself makes twice is still recorded twice.
func TestRetriedAttemptsRecordOnlyTheAnswer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "throttled.yaml")
	rec, err := Open(path, Record, Options{Name: "h", Credentials: emuCreds, Endpoint: startEmulator(t, &emulator.Options{Faults: emulator.Faults{ThrottleFirstAttempts: 1}})})
	if err != nil {
		t.Fatal(err)
	}
	c := rec.Client("us-east-1")
	var want []string
	for range 2 {
		got, err := converseText(t, c, "amazon.nova-micro-v1:0", "Say hello")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, got)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	cas, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cas.Interactions) != 2 {
		t.Fatalf("recorded %d interactions, want the 2 calls", len(cas.Interactions))
	}
	for i, in := range cas.Interactions {
		if in.Response.Code != 200 {
			t.Errorf("interaction %d: recorded status %d, want the answer the retry got", i+1, in.Response.Code)
		}
	}
	rep, err := Open(path, Replay, Options{Name: "h"})
	if err != nil {
		t.Fatal(err)
	}
	c = rep.Client("us-east-1")
	for i := range 2 {
		got, err := converseText(t, c, "amazon.nova-micro-v1:0", "Say hello")
		if err != nil || got != want[i] {
			t.Errorf("replayed call %d: %q, %v; want %q", i+1, got, err, want[i])
		}
	}
}

// countingTransport counts the requests it passes on.
type countingTransport struct {
	n  atomic.Int32
	rt http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

// TestMissNamesTheClosestInteraction: a miss names the closest recorded
// request by number and line and the members that differ. It prefers a
// request not replayed yet, says when the model differs, says when the
// call was replayed already (the code makes it once more than when it
// was recorded), and is never retried, whatever retryer the client has.
func TestMissNamesTheClosestInteraction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.yaml")
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"Say hello", "Say goodbye"} {
		if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", p); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	var starts []int
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "- request:") {
			starts = append(starts, i+1)
		}
	}
	if len(starts) != 2 {
		t.Fatalf("want 2 interactions:\n%s", data)
	}
	open := func() *bedrockruntime.Client {
		rep, err := Open(path, Replay, Options{Name: path, Rerecord: "go test -record"})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Client("us-east-1")
	}
	missOf := func(err error) string {
		t.Helper()
		var me *MissError
		if !errors.As(err, &me) {
			t.Fatalf("want a miss, got %v", err)
		}
		return me.Error()
	}

	// "Say hello" replayed, then a changed goodbye: the closest is the
	// goodbye, not yet replayed, though "hello" differs as little.
	c := open()
	if _, err := converseText(t, c, "amazon.nova-micro-v1:0", "Say hello"); err != nil {
		t.Fatal(err)
	}
	_, err = converseText(t, c, "amazon.nova-micro-v1:0", "Say hellp")
	msg := missOf(err)
	for _, want := range []string{fmt.Sprintf("interaction 2 at %s:%d, differs in messages", path, starts[1]), `"Say goodbye"`, `"Say hellp"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("miss lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "history") {
		t.Errorf("a history named as its cassette is named once:\n%s", msg)
	}

	// Once more than recorded.
	c = open()
	for range 2 {
		_, err = converseText(t, c, "amazon.nova-micro-v1:0", "Say hello")
	}
	if msg := missOf(err); !strings.Contains(msg, fmt.Sprintf("once, and replayed it already (interaction 1 at %s:%d)", path, starts[0])) {
		t.Errorf("a call made once more than recorded:\n%s", msg)
	}

	// Another model.
	_, err = converseText(t, open(), "amazon.nova-lite-v1:0", "Say goodbye")
	msg = missOf(err)
	for _, want := range []string{"interaction 2", "differs in model (", "- amazon.nova-micro-v1:0", "+ amazon.nova-lite-v1:0"} {
		if !strings.Contains(msg, want) {
			t.Errorf("miss with another model lacks %q:\n%s", want, msg)
		}
	}

	// A retryer given after the session's options does not retry it.
	rep, err := Open(path, Replay, Options{Name: path})
	if err != nil {
		t.Fatal(err)
	}
	ct := &countingTransport{rt: rep}
	retrying := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", Credentials: emuCreds, HTTPClient: &http.Client{Transport: ct}, Retryer: retry.NewStandard()}, SigV4Only)
	_, err = converseText(t, retrying, "amazon.nova-micro-v1:0", "Say nothing")
	missOf(err)
	if n := ct.n.Load(); n != 1 {
		t.Errorf("a miss was sent %d times, want once", n)
	}
}

// TestConcurrentRecordingKeepsEveryCall: calls made at once through one
// session, as parallel subtests sharing a client do, are all recorded
// and all replay, at once too. Identical requests replay their answers in
// the order they were recorded.
func TestConcurrentRecordingKeepsEveryCall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fanout.yaml")
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	fanOut := func(c *bedrockruntime.Client) []error {
		errs := make([]error, n)
		done := make(chan int)
		for i := range n {
			go func() {
				_, errs[i] = converseText(t, c, "amazon.nova-micro-v1:0", fmt.Sprintf("question %d", i))
				done <- i
			}()
		}
		for range n {
			<-done
		}
		return errs
	}
	for i, err := range fanOut(rec.Client("us-east-1")) {
		if err != nil {
			t.Fatalf("recording call %d: %v", i, err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range fanOut(rep.Client("us-east-1")) {
		if err != nil {
			t.Errorf("replaying call %d: %v", i, err)
		}
	}
	if u := rep.Unplayed(); u != 0 || len(rep.Cassette().Interactions) != n {
		t.Errorf("%d interactions recorded, %d not replayed; want %d, 0", len(rep.Cassette().Interactions), u, n)
	}

	// Two identical requests with different answers: served in order.
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	first := *c.Interactions[0]
	second := first
	second.Response.Body = strings.Replace(first.Response.Body, `"text":"`, `"text":"second: `, 1)
	c.Interactions = []*cassette.Interaction{&first, &second}
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	rep, err = Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	prompt := decodeJSON([]byte(first.Request.Body)).(map[string]any)["messages"].([]any)[0].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
	a, errA := converseText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", prompt)
	b, errB := converseText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", prompt)
	if errA != nil || errB != nil || strings.HasPrefix(a, "second: ") || !strings.HasPrefix(b, "second: ") {
		t.Errorf("identical requests replayed %q (%v) then %q (%v); want the recorded order", a, errA, b, errB)
	}
}

// TestMissShowsNoSecret: a miss prints the closest recorded request's
// difference, which a CI log keeps. A secret the request holds (a key
// pasted into the history after it was recorded) is shown as a pseudonym
// that says its kind, never in full; text around it, and a change in it,
// still show.
func TestMissShowsNoSecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.yaml")
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "Check my key please"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	const (
		gh  = "ghp_R2d8aF3kL9mN0pQ4sT6vW8xY1zB3cD5eG7hJ"
		aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9a8b7c6d"
	)
	rep, err := Open(path, Replay, Options{Name: path, Rerecord: "go test -record"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = converseText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "Check my key please: "+gh+" and aws_secret_access_key="+aws)
	var me *MissError
	if !errors.As(err, &me) {
		t.Fatalf("want a miss, got %v", err)
	}
	msg := me.Error()
	for _, secret := range []string{gh, aws, gh[:16], aws[:16]} {
		if strings.Contains(msg, secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("the miss shows the secret %s:\n%s", secret, msg)
		}
	}
	for _, want := range []string{"Check my key please: ", "Check my key please: REDACTEDAPITOKEN", "aws_secret_access_key=REDACTEDAWSSECRETACCESSKEY"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the miss lacks %q:\n%s", want, msg)
		}
	}
}

// TestRecordingTrustsTheConfigurationsCABundle: behind a TLS-inspecting
// proxy, the configuration's HTTP client trusts the proxy's CA
// (AWS_CA_BUNDLE or a profile's ca_bundle, which config.LoadDefaultConfig
// turns into cfg.HTTPClient's roots). RecordOptions hands that client to
// the session for AWS and for an endpoint off loopback, never for the
// emulator's loopback configuration, which read nothing from the
// environment; the recording goes through it. It went through a default
// transport and failed with "x509: certificate signed by unknown
// authority". The emulator here serves TLS with its own certificate,
// which only srv.Client() trusts, as only the configuration's client
// trusts the proxy's.
func TestRecordingTrustsTheConfigurationsCABundle(t *testing.T) {
	em, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(em)
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", HTTPClient: srv.Client(), Credentials: emuCreds}
	if o := RecordOptions(cfg, srv.URL); o.HTTPClient != nil {
		t.Error("RecordOptions for a loopback endpoint took the configuration's HTTP client")
	}
	for _, ep := range []string{"", "https://bedrock-runtime.us-east-1.amazonaws.com"} {
		if o := RecordOptions(cfg, ep); o.HTTPClient != cfg.HTTPClient || o.Credentials == nil {
			t.Errorf("RecordOptions for %q: HTTP client %v; want the configuration's", ep, o.HTTPClient)
		}
	}
	opts := RecordOptions(cfg, "")
	opts.Name, opts.Endpoint = "h", srv.URL
	path := filepath.Join(t.TempDir(), "proxied.yaml")
	rec, err := Open(path, Record, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "Say hello"); err != nil {
		t.Fatalf("recording through the configuration's HTTP client: %v", err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if cas, err := Load(path); err != nil || len(cas.Interactions) != 1 {
		t.Fatalf("cassette: %v", err)
	}
}

// TestThroughUnwrapsItself: a session's transport given the client it
// already wraps (rec.ClientOptions applied to a client and again to one
// of its calls) sends with the client underneath, not through the
// session a second time.
func TestThroughUnwrapsItself(t *testing.T) {
	s := &Session{mode: Record}
	inner := &http.Client{}
	once := s.Through(inner)
	twice := s.Through(&http.Client{Transport: once})
	if tr, ok := twice.(*through); !ok || tr.client != inner {
		t.Errorf("wrapped again: %#v", twice)
	}
	if tr := s.Through(&http.Client{Transport: s}).(*through); tr.client != nil {
		t.Errorf("a client whose transport is the session: %#v", tr.client)
	}
}

// TestRerecordHintNamesTheEmulator: a cassette recorded against the
// bundled emulator is recorded there again: the command a miss (and
// Session.Rerecord) suggests adds the endpoint flag, in the spelling of
// the command, as the command that recorded it had. Without it, the
// command recorded against AWS, which needs credentials and answers
// otherwise. A cassette of another service's answers gets no flag.
func TestRerecordHintNamesTheEmulator(t *testing.T) {
	if EmulatorHeader != emulator.EmulatedHeader {
		t.Fatalf("EmulatorHeader %q, the emulator's %q", EmulatorHeader, emulator.EmulatedHeader)
	}
	for cmd, want := range map[string]string{
		"go test ./bench -run '^TestBench$' -record":          "go test ./bench -run '^TestBench$' -record -endpoint emulator",
		"bedrock-bench record --target t --histories h":       "bedrock-bench record --target t --histories h --endpoint emulator",
		"go test . -run X -record -endpoint http://127.0.0.1": "go test . -run X -record -endpoint http://127.0.0.1",
		"": "",
	} {
		if got := OnEmulator(cmd); got != want {
			t.Errorf("OnEmulator(%q) = %q, want %q", cmd, got, want)
		}
	}
	emulated := filepath.Join(t.TempDir(), "emulated.yaml")
	recordOne(t, emulated, nil, "Say hello")
	other := filepath.Join(t.TempDir(), "other.yaml")
	s, err := Open(other, Record, Options{Name: "h", Transport: answerWith(func(*http.Request, []byte) *http.Response {
		return jsonAnswer(200, `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn"}`)
	})})
	if err != nil {
		t.Fatal(err)
	}
	send(t, s, `{"messages":[]}`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	const cmd = "go test ./app -run '^TestX$' -record"
	for path, want := range map[string]string{emulated: cmd + " -endpoint emulator", other: cmd} {
		rep, err := Open(path, Replay, Options{Name: "h", Rerecord: cmd})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Rerecord(); got != want {
			t.Errorf("%s: Rerecord %q, want %q", filepath.Base(path), got, want)
		}
		_, err = converseText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "Something else")
		var me *MissError
		if !errors.As(err, &me) || me.Rerecord != want {
			t.Errorf("%s: miss %v; want it to suggest %q", filepath.Base(path), err, want)
		}
	}
}
