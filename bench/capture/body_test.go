package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestProxyRecordsCompressedAndChunkedBodies: a body sent gzip-compressed
// or chunked is recorded as the JSON it holds, redacted, while the
// upstream gets the bytes as sent; a compressed body that decodes beyond
// the bound is forwarded and counted as skipped, never recorded.
func TestProxyRecordsCompressedAndChunkedBodies(t *testing.T) {
	var got [][]byte
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, b)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"c","choices":[]}`))
	}))
	defer upstream.Close()
	rec, dir := newRecorder(t, 16)
	up, _ := url.Parse(upstream.URL)
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec, MaxBody: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(p)
	defer ps.Close()
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	post := func(body io.Reader, encoding string) {
		t.Helper()
		req, _ := http.NewRequest("POST", ps.URL+"/v1/chat/completions", body)
		req.Header.Set("Content-Type", "application/json")
		if encoding != "" {
			req.Header.Set("Content-Encoding", encoding)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v %v", resp, err)
		}
		resp.Body.Close()
	}
	compressed := gz(`{"model":"gpt-4o","messages":[{"role":"user","content":"gzip: I am jo.bloggs@contoso-mail.com"}]}`)
	post(bytes.NewReader(compressed), "gzip")
	// An io.Reader of unknown length goes chunked.
	post(io.MultiReader(strings.NewReader(`{"model":"gpt-4o","messages":[{"role":"user",`), strings.NewReader(`"content":"chunked: I am jo.bloggs@contoso-mail.com"}]}`)), "")
	bomb := gz(`{"model":"gpt-4o","messages":[{"role":"user","content":"` + strings.Repeat("a", 1<<20) + `"}]}`)
	post(bytes.NewReader(bomb), "gzip")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !bytes.Equal(got[0], compressed) || !bytes.Equal(got[2], bomb) {
		t.Errorf("the upstream did not get the bodies as sent")
	}
	hs := fixtures(t, dir, 2)
	var texts []string
	for _, h := range hs {
		if h.Format != history.FormatOpenAI || len(h.Messages) != 1 || len(h.Messages[0].Parts) != 1 {
			t.Fatalf("%s: %+v", h.ID, h)
		}
		texts = append(texts, strings.SplitN(h.Messages[0].Parts[0].Text, ":", 2)[0])
	}
	if strings.Join(texts, ",") != "chunked,gzip" && strings.Join(texts, ",") != "gzip,chunked" {
		t.Errorf("captured %v", texts)
	}
	if st := rec.Stats(); st.Captured != 2 || st.Skipped != 1 {
		t.Errorf("stats %+v, want 2 captured and the bomb skipped", st)
	}
}

// TestSDKMiddlewareCapturesInvokeModel: WithCapture records InvokeModel
// and InvokeModelWithResponseStream bodies in the Anthropic format, as
// the proxy does, and lets other models' bodies pass unrecorded.
func TestSDKMiddlewareCapturesInvokeModel(t *testing.T) {
	hs := startEmulator(t)
	rec, dir := newRecorder(t, 16)
	c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
	ctx := context.Background()
	const claude = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	body := func(text string) []byte {
		return []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":50,"system":"Be brief.","messages":[{"role":"user","content":"` + text + `"}]}`)
	}
	if _, err := c.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String(claude), ContentType: aws.String("application/json"), Body: body("invoke: I am jo.bloggs@contoso-mail.com")}); err != nil {
		t.Fatalf("InvokeModel: %v", err)
	}
	out, err := c.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(claude), ContentType: aws.String("application/json"), Body: body("stream: I am jo.bloggs@contoso-mail.com")})
	if err != nil {
		t.Fatalf("InvokeModelWithResponseStream: %v", err)
	}
	events := 0
	for range out.GetStream().Events() {
		events++
	}
	if err := out.GetStream().Close(); err != nil || events == 0 {
		t.Fatalf("stream: %d events, %v", events, err)
	}
	// A body of another model's format is not a history: not recorded.
	_, _ = c.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String("amazon.titan-text-express-v1"), ContentType: aws.String("application/json"), Body: []byte(`{"inputText":"hello"}`)})
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for _, h := range fixtures(t, dir, 2) {
		if h.Format != history.FormatAnthropic || len(h.Messages) != 1 || len(h.System) != 1 {
			t.Errorf("%s: %+v", h.ID, h)
		}
		ops[h.Description] = true
	}
	if !ops["Captured InvokeModel request to "+claude+"."] || !ops["Captured InvokeModelWithResponseStream request to "+claude+"."] {
		t.Errorf("operations %v", ops)
	}
}

// TestProxyForwardsTheLargestRequestsTheAPIsTake: a 30 MB request, which
// Anthropic's Messages API takes (up to 32 MB) and Bedrock too (it bounds
// neither the count nor the size of images), goes through the proxy with
// its default bound and is recorded; the proxy answered it 413.
func TestProxyForwardsTheLargestRequestsTheAPIsTake(t *testing.T) {
	var got int
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got = int(n)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}]}`))
	}))
	defer upstream.Close()
	rec, dir := newRecorder(t, 4)
	ps := startProxy(t, upstream, rec)
	image := `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + strings.Repeat("iVBORw0KGgoAAAANSUhEUgAA", 3<<20/24) + `"}}`
	images := strings.TrimSuffix(strings.Repeat(image+",", 10), ",")
	body := `{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":[` + images + `,{"type":"text","text":"what differs?"}]}]}`
	if len(body) < 30<<20 || len(body) > 32<<20 {
		t.Fatalf("a body of %d bytes", len(body))
	}
	resp, err := http.Post(ps.URL+"/v1/messages", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || got != len(body) {
		t.Fatalf("%d, the upstream got %d of %d bytes", resp.StatusCode, got, len(body))
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	fixtures(t, dir, 1)
}

// TestProxyServesHTTP2: a client speaking HTTP/2 with prior knowledge,
// as the AWS SDK for JavaScript v3 does to an http:// endpoint, gets its
// Converse answer and its stream, checked event by event, through the
// server of Proxy.HTTPServer, and both requests are captured.
func TestProxyServesHTTP2(t *testing.T) {
	hs := startEmulator(t)
	rec, dir := newRecorder(t, 16)
	up, _ := url.Parse(hs.URL)
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec, Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := p.HTTPServer()
	go srv.Serve(ln)
	defer srv.Close()
	protos := new(http.Protocols)
	protos.SetUnencryptedHTTP2(true)
	var sawH2 bool
	tr := &http.Transport{Protocols: protos}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(r)
		if err == nil && resp.ProtoMajor == 2 {
			sawH2 = true
		}
		return resp, err
	})}
	c := client("http://"+ln.Addr().String(), hc, "AKIDAPPLICATIONKEY01", "application-secret")
	if events := converseBoth(t, c); events < 3 {
		t.Fatalf("stream over HTTP/2: %d events", events)
	}
	if !sawH2 {
		t.Fatal("the calls did not go over HTTP/2")
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	fixtures(t, dir, 2)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSDKMiddlewareConcurrentCalls: calls made at once through one client
// are each captured, or dropped and counted when the queue is full:
// captured and dropped add up to the calls.
func TestSDKMiddlewareConcurrentCalls(t *testing.T) {
	hs := startEmulator(t)
	for _, queue := range []int{256, 2} {
		rec, dir := newRecorder(t, queue)
		c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
		const calls = 64
		errs := make(chan error, calls)
		for i := range calls {
			go func() {
				msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: fmt.Sprintf("call %d", i)}}}}
				_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs})
				errs <- err
			}()
		}
		for range calls {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		st := rec.Stats()
		if st.Captured+st.Dropped != calls || (queue >= calls && st.Dropped != 0) {
			t.Errorf("queue %d: %+v for %d calls", queue, st, calls)
		}
		fixtures(t, dir, int(st.Captured))
	}
}

// TestProxyWaitsAsLongAsTheApplication: the proxy sets no bound of its own
// on the wait for the upstream's answer (a large model's Converse call may
// take most of an hour; it cut them at 5 minutes with 502), and a client
// that gives up cancels the request upstream.
func TestProxyWaitsAsLongAsTheApplication(t *testing.T) {
	rec, _ := newRecorder(t, 4)
	up, _ := url.Parse("http://127.0.0.1:1")
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if tr, ok := p.opts.Transport.(*http.Transport); !ok || tr.ResponseHeaderTimeout != 0 {
		t.Errorf("the default transport bounds the wait for an answer: %v", p.opts.Transport)
	}
	cancelled := make(chan struct{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // then the server sees the connection close
		<-r.Context().Done()
		close(cancelled)
	}))
	defer upstream.Close()
	up, _ = url.Parse(upstream.URL)
	p, _ = NewProxy(ProxyOptions{Upstream: up, Recorder: rec})
	ps := httptest.NewServer(p)
	defer ps.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ps.URL+"/v1/chat/completions", strings.NewReader(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`))
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("the call was not cancelled")
	}
	<-cancelled
}
