package capture

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

const model = "us.amazon.nova-lite-v1:0"

func newRecorder(t *testing.T, queue int) (*Recorder, string) {
	t.Helper()
	s, err := redact.NewScanner(redact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := NewRecorder(Options{Dir: dir, Redactor: redact.NewRedactor(s, []byte("capture test salt")), Queue: queue})
	if err != nil {
		t.Fatal(err)
	}
	// Its writer is done before the folder is removed (Close may be
	// called again).
	t.Cleanup(func() { r.Close() })
	return r, dir
}

func startEmulator(t *testing.T) *httptest.Server {
	t.Helper()
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs
}

// startProxy runs a capture proxy to the emulator hs, recording into rec
// and signing with the emulator's keys, for the test.
func startProxy(t *testing.T, hs *httptest.Server, rec *Recorder) *httptest.Server {
	t.Helper()
	up, _ := url.Parse(hs.URL)
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec, Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(p)
	t.Cleanup(ps.Close)
	return ps
}

// converseBoth makes one Converse and one ConverseStream call of the test
// conversation through c (the stream with a system prompt), drains the
// stream and returns how many events it held.
func converseBoth(t *testing.T, c *bedrockruntime.Client) int {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation}); err != nil {
		t.Fatalf("Converse: %v", err)
	}
	out, err := c.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: conversation,
		System: []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be brief."}}})
	if err != nil {
		t.Fatalf("ConverseStream: %v", err)
	}
	events := 0
	for range out.GetStream().Events() {
		events++
	}
	if err := out.GetStream().Close(); err != nil {
		t.Fatalf("the stream: %v", err)
	}
	return events
}

// client is an SDK client of endpoint through hc's transport, with the
// workaround of sdkhttp.PlainBody for the SDK's HTTP/1.1 stream race.
func client(endpoint string, hc *http.Client, key, secret string, opts ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	hc = &http.Client{Transport: sdkhttp.PlainBody{RoundTripper: hc.Transport}}
	return bedrockruntime.New(bedrockruntime.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(endpoint), HTTPClient: hc, Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
	}, opts...)
}

var conversation = []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "I am jo.bloggs@contoso-mail.com, is my order late?"}}}}

// fixtures loads what a recorder wrote and checks nothing personal is in it.
func fixtures(t *testing.T, dir string, want int) []*history.History {
	t.Helper()
	hs, err := history.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != want {
		t.Fatalf("%d fixtures, want %d", len(hs), want)
	}
	for _, h := range hs {
		data, _ := os.ReadFile(filepath.Join(dir, h.ID+".json"))
		if strings.Contains(string(data), "jo.bloggs@contoso-mail.com") || !h.Source.Redacted || !h.HasTag("captured") {
			t.Errorf("%s:\n%s", h.ID, data)
		}
	}
	return hs
}

func TestSDKMiddleware(t *testing.T) {
	hs := startEmulator(t)
	rec, dir := newRecorder(t, 16)
	c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
	if events := converseBoth(t, c); events == 0 {
		t.Fatal("the stream held no event")
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	hsx := fixtures(t, dir, 2)
	for _, h := range hsx {
		if h.Format != history.FormatConverse || len(h.Messages) != 1 {
			t.Errorf("%s: %+v", h.ID, h)
		}
	}
	if st := rec.Stats(); st.Captured != 2 || st.Dropped != 0 {
		t.Errorf("stats %+v", st)
	}
	// A closed recorder drops, and the call still succeeds.
	if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation}); err != nil {
		t.Fatalf("Converse with a closed recorder: %v", err)
	}
	if st := rec.Stats(); st.Dropped != 1 {
		t.Errorf("the call after Close should be dropped and counted: %+v", st)
	}
}

func TestQueueNeverBlocks(t *testing.T) {
	s, _ := redact.NewScanner(redact.Options{})
	dir := t.TempDir()
	// A recorder whose writer has not started: the queue fills and stays full.
	r := &Recorder{opts: Options{Dir: dir, Redactor: redact.NewRedactor(s, []byte("x-salt-for-a-test")), MaxBody: 1 << 20, QueueBytes: 1 << 20}, queue: make(chan item, 2), done: make(chan struct{})}
	body := []byte(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`)
	// With no writer, a Record that waited for room would never return:
	// each one past the queue's two places must drop its body instead.
	kept := 0
	for i := 0; i < 50; i++ {
		if r.Record(history.FormatConverse, body, ingest.Source{}) {
			kept++
		}
	}
	if kept != 2 || r.Stats().Dropped != 48 {
		t.Fatalf("kept %d, stats %+v", kept, r.Stats())
	}
	go r.run()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Captured != 2 {
		t.Errorf("stats %+v", st)
	}
	if r.Record(history.FormatConverse, make([]byte, 2<<20), ingest.Source{}) || r.Stats().Skipped != 1 {
		t.Errorf("an oversized body should be skipped")
	}
}

// The proxy re-signs for Bedrock: the application signs with keys the
// emulator does not know, the proxy with the ones it does.
func TestProxyToEmulator(t *testing.T) {
	hs := startEmulator(t)
	rec, dir := newRecorder(t, 16)
	ps := startProxy(t, hs, rec)
	c := client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret-the-emulator-refuses")
	ctx := context.Background()
	// Directly, the application's keys are refused.
	if _, err := client(hs.URL, hs.Client(), "AKIDAPPLICATIONKEY01", "application-secret-the-emulator-refuses").Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation}); err == nil {
		t.Fatal("the emulator should refuse unknown keys")
	}
	resp, err := c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation})
	if err != nil {
		t.Fatalf("Converse through the proxy: %v", err)
	}
	if resp.Output == nil {
		t.Fatal("no output")
	}
	out, err := c.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: append(conversation, types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Let me check."}}},
		types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "thanks"}}})})
	if err != nil {
		t.Fatalf("ConverseStream through the proxy: %v", err)
	}
	events := 0
	for range out.GetStream().Events() {
		events++
	}
	if err := out.GetStream().Err(); err != nil || events < 3 {
		t.Fatalf("stream through the proxy: %d events, %v", events, err)
	}
	out.GetStream().Close()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	hsx := fixtures(t, dir, 2)
	if hsx[0].Source.Origin != "" && hsx[0].Format != history.FormatConverse {
		t.Errorf("format %s", hsx[0].Format)
	}
}

// OpenAI traffic keeps its own auth and its stream comes through chunk by
// chunk: the upstream holds the rest of the stream until the client has
// read the first event, which only works if the proxy does not buffer.
func TestProxyStreamsOpenAIWithoutBuffering(t *testing.T) {
	firstRead := make(chan struct{})
	var gotAuth string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-firstRead:
		case <-time.After(5 * time.Second):
			return
		}
		io.WriteString(w, "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n")
	}))
	defer upstream.Close()
	rec, dir := newRecorder(t, 16)
	ps := startProxy(t, upstream, rec)
	body := `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Say hello to jo.bloggs@contoso-mail.com"}]}`
	req, _ := http.NewRequest(http.MethodPost, ps.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer test-openai-key-passed-through")
	resp, err := ps.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || !strings.Contains(line, "Hel") {
		t.Fatalf("first event: %q %v", line, err)
	}
	close(firstRead)
	rest, _ := io.ReadAll(br)
	if !strings.Contains(string(rest), "[DONE]") {
		t.Fatalf("rest of the stream: %q", rest)
	}
	if gotAuth != "Bearer test-openai-key-passed-through" {
		t.Errorf("the OpenAI auth header should pass through, got %q", gotAuth)
	}
	rec.Close()
	hs := fixtures(t, dir, 1)
	if hs[0].Format != history.FormatOpenAI || hs[0].Model != "gpt-4o" {
		t.Errorf("%+v", hs[0])
	}
	data, _ := os.ReadFile(filepath.Join(dir, hs[0].ID+".json"))
	if strings.Contains(string(data), "test-openai-key") {
		t.Error("a header reached the fixture")
	}
}

// A client that sends its headers and part of its body, then nothing,
// gets 408 once the body timeout passes, instead of holding the proxy's
// handler for as long as it keeps the connection open.
func TestProxyBoundsAStalledBody(t *testing.T) {
	rec, _ := newRecorder(t, 16)
	up, _ := url.Parse("http://127.0.0.1:1")
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec, BodyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(p)
	defer ps.Close()
	defer rec.Close()
	conn, err := net.Dial("tcp", ps.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\"")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("status %d, want 408", resp.StatusCode)
	}
}

// TestProxyErrorsReachTheClient: a request the proxy cannot forward (here
// the upstream is down) is answered in the error shape of its API, so the
// application's client shows the proxy's reason; a Bedrock client took the
// plain-text answer for a broken body ("invalid character 'b' looking for
// beginning of value"). The proxy logs the reason too.
func TestProxyErrorsReachTheClient(t *testing.T) {
	ps, down, logged := downProxy(t)
	_, err := client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "secret").Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "BadGatewayException" || !strings.Contains(ae.ErrorMessage(), "bedrock-bench capture: upstream "+down.Host) {
		t.Errorf("Converse through a proxy whose upstream is down: %v", err)
	}
	if !strings.Contains(logged.String(), "POST /model/"+model+"/converse: 502: bedrock-bench capture: upstream") {
		t.Errorf("the proxy's log: %q", logged.String())
	}
	for path, want := range map[string]string{
		"/v1/chat/completions": `{"error":{"code":null,"message":"bedrock-bench capture: upstream`,
		"/v1/messages":         `{"error":{"message":"bedrock-bench capture: upstream`,
	} {
		resp, err := ps.Client().Post(ps.URL+path, "application/json", strings.NewReader(`{"model":"m","messages":[]}`))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(string(data), want) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, data)
		}
	}
}

// downProxy starts a proxy with a recorder whose upstream is down (a port
// that was listened on and closed), logging into the returned builder.
func downProxy(t *testing.T) (ps *httptest.Server, down *url.URL, logged *strings.Builder) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down = &url.URL{Scheme: "http", Host: ln.Addr().String()}
	ln.Close()
	rec, _ := newRecorder(t, 16)
	logged = &strings.Builder{}
	p, err := NewProxy(ProxyOptions{Upstream: down, Recorder: rec, Region: "us-east-1", ErrorLog: log.New(logged, "", 0),
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	ps = httptest.NewServer(p)
	t.Cleanup(ps.Close)
	return ps, down, logged
}
