package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// TestProxySignsOnlyWhatCameSigned: the proxy signs Bedrock requests with
// the credentials of the person running it. A request that came with no
// signature (any local process, a web page posting text/plain to
// 127.0.0.1), or addressed to another name (a web page whose name was
// pointed at this machine: DNS rebinding), is refused, not signed; an
// SDK's call by loopback, and by a name given in Hosts, goes through.
func TestProxySignsOnlyWhatCameSigned(t *testing.T) {
	rec, _ := newRecorder(t, 8)
	defer rec.Close()
	ps := startProxy(t, startEmulator(t), rec)
	sdkAuth := "AWS4-HMAC-SHA256 Credential=AKIDAPPLICATIONKEY01/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00"
	for name, set := range map[string]func(*http.Request){
		"unsigned, text/plain": func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") },
		"another Host":         func(r *http.Request) { r.Host = "attacker.example:8799"; r.Header.Set("Authorization", sdkAuth) },
		"another Host, no port": func(r *http.Request) {
			r.Host = "rebound.example"
			r.Header.Set("Authorization", sdkAuth)
		},
	} {
		req, _ := http.NewRequest("POST", ps.URL+"/model/amazon.nova-micro-v1:0/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-Errortype") != "ForbiddenException" {
			t.Errorf("%s: %d %q, want 403 ForbiddenException: the proxy must not sign it with the user's credentials", name, resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"))
		}
	}
	if st := rec.Stats(); st.Captured != 0 {
		t.Errorf("refused requests were captured: %+v", st)
	}

	// An SDK's call by loopback goes through, as one for a name the
	// proxy was told to take.
	c := client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret")
	if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation}); err != nil {
		t.Errorf("an SDK's call by loopback: %v", err)
	}
	up, _ := url.Parse(startEmulator(t).URL)
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec, Region: "us-east-1", Hosts: []string{"capture.internal"},
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", "http://capture.internal:8799/model/amazon.nova-micro-v1:0/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
	req.Header.Set("Authorization", sdkAuth)
	if why := p.refuseToSign(req); why != "" {
		t.Errorf("a name in Hosts: %s", why)
	}
	req.Host = "CAPTURE.internal."
	if why := p.refuseToSign(req); why != "" {
		t.Errorf("a name in Hosts, in other case and fully qualified: %s", why)
	}
}

// TestProxyBodyBudget: request bodies held at once across requests are
// bounded; one past the budget is answered 429 (which clients retry), and
// the bytes come back when the requests end.
func TestProxyBodyBudget(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 4)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"msg_1","content":[{"type":"text","text":"hi"}]}`)
	}))
	defer up.Close()
	upURL, _ := url.Parse(up.URL)
	rec, _ := newRecorder(t, 8)
	p, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, MaxBody: 1000, BodyBudget: 2000})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(p)
	defer ps.Close()
	body := `{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"` + strings.Repeat("x", 900) + `"}]}`
	post := func() (*http.Response, error) {
		return http.Post(ps.URL+"/v1/messages", "application/json", strings.NewReader(body))
	}
	done := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := post()
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
	}
	<-arrived
	<-arrived // two bodies held, waiting on the upstream
	resp, err := post()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a third body past the budget: %d, want 429 with Retry-After", resp.StatusCode)
	}
	close(release)
	for range 2 {
		if code := <-done; code != 200 {
			t.Errorf("a request within the budget: %d", code)
		}
	}
	ps.Close() // waits for the handlers to return
	if used := p.budget.Used(); used != 0 {
		t.Errorf("%d bytes still held after the requests ended", used)
	}
	if _, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, MaxBody: 1000, BodyBudget: 999}); err == nil {
		t.Error("a budget smaller than the largest body is accepted")
	}
}

// TestProxyEndsAStalledAnswer: a client that stops reading an answer (a
// stream it no longer drains) has its request ended once a write has
// waited StallTimeout, and the upstream's request with it, over HTTP/1.1
// and HTTP/2; before, the proxy and the upstream held both for good.
// Without the bound the test does not end (go test's -timeout fails it).
func TestProxyEndsAStalledAnswer(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		stopped := make(chan struct{})
		up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(stopped)
			w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
			chunk := make([]byte, 64<<10)
			rc := http.NewResponseController(w)
			for range 4096 { // 256 MiB, far past what socket buffers and flow control hold
				if _, err := w.Write(chunk); err != nil || rc.Flush() != nil {
					return
				}
			}
			t.Errorf("h2 %v: the whole answer was written to a client that read none of it", h2)
		}))
		ps, resp := streamThroughProxy(t, up, 200*time.Millisecond, h2)
		// The client reads nothing of the answer: the proxy's writes
		// block, and the bound ends the request.
		<-stopped
		resp.Body.Close()
		ps.Close()
		up.Close()
	}
}

// TestProxyWaitsBetweenEvents: the stall bound covers writes only; an
// upstream that pauses longer than it between two events of a stream
// (a model thinking) has its whole answer passed on, over HTTP/1.1 and
// HTTP/2, where a deadline left set would reset the stream.
func TestProxyWaitsBetweenEvents(t *testing.T) {
	// The bound is long enough that a loaded machine's scheduling does
	// not make one small write outlast it; the pauses are twice as long.
	const stall = 300 * time.Millisecond
	for _, h2 := range []bool{false, true} {
		up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			for i := range 3 {
				if i > 0 {
					time.Sleep(2 * stall)
				}
				fmt.Fprintf(w, "event %d\n", i)
				_ = rc.Flush()
			}
		}))
		ps, resp := streamThroughProxy(t, up, stall, h2)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || string(got) != "event 0\nevent 1\nevent 2\n" {
			t.Errorf("h2 %v: %q, %v: the pauses between events cut the answer", h2, got, err)
		}
		ps.Close()
		up.Close()
	}
}

// streamThroughProxy starts a proxy to up whose writes to the client may
// wait stall (its own server, HTTP/1.1 and HTTP/2 on one port) and posts
// a streamed Messages request through it over HTTP/2 with prior knowledge
// or HTTP/1.1; it returns the proxy's server and the answer, unread.
func streamThroughProxy(t *testing.T, up *httptest.Server, stall time.Duration, h2 bool) (*httptest.Server, *http.Response) {
	t.Helper()
	upURL, _ := url.Parse(up.URL)
	rec, _ := newRecorder(t, 8)
	p, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, StallTimeout: stall})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewUnstartedServer(p)
	ps.Config = p.HTTPServer()
	ps.Start()
	protos := new(http.Protocols)
	if h2 {
		protos.SetUnencryptedHTTP2(true)
	} else {
		protos.SetHTTP1(true)
	}
	c := &http.Client{Transport: &http.Transport{Protocols: protos}}
	resp, err := c.Post(ps.URL+"/v1/messages", "application/json", strings.NewReader(`{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return ps, resp
}

// TestProxyBudgetHoldsACompressedBody: a compressed body holds up to
// twice MaxBody from the budget (the body and its decoded form), so a
// budget below that throttled every large compressed body, on every
// retry; NewProxy refused only a budget below MaxBody. It now refuses
// one below twice MaxBody, as the emulator's New does, and its default
// grows to twice a MaxBody set above half of it.
func TestProxyBudgetHoldsACompressedBody(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"c","choices":[]}`)
	}))
	defer up.Close()
	upURL, _ := url.Parse(up.URL)
	rec, _ := newRecorder(t, 8)
	_, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, MaxBody: 1000, BodyBudget: 1500})
	if err == nil || !strings.Contains(err.Error(), "at least 2000 bytes") {
		t.Errorf("a budget of 1.5 times the largest body: %v; want it refused, naming 2000 bytes", err)
	}
	if _, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, MaxBody: math.MaxInt64/2 + 1}); err == nil {
		t.Error("a largest body whose double overflows is accepted")
	}
	big, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, MaxBody: DefaultBodyBudget})
	if err != nil || big.budget.Limit != 2*DefaultBodyBudget {
		t.Errorf("default budget for a largest body of %d: %v, %+v; want %d", int64(DefaultBodyBudget), err, big, 2*DefaultBodyBudget)
	}

	p, err := NewProxy(ProxyOptions{Upstream: upURL, Recorder: rec, MaxBody: 1000, BodyBudget: 2000})
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewServer(p)
	defer ps.Close()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	// Random-looking bytes do not compress: the body is near MaxBody. The
	// proxy forwards it, and records nothing, as it holds no JSON.
	for i := range 29 {
		h := sha256.Sum256([]byte{byte(i)})
		zw.Write(h[:])
	}
	zw.Close()
	if b.Len() < 900 || b.Len() > 1000 {
		t.Fatalf("compressed body of %d bytes; the test wants one near the 1000-byte bound", b.Len())
	}
	for range 3 {
		// Nothing else in flight: the last request's reservation is
		// released once its handler returns, which may be just after its
		// answer reached the client.
		for wait := 0; p.budget.Used() != 0; wait++ {
			if wait == 5000 {
				t.Fatalf("the body budget still holds %d bytes after the answer", p.budget.Used())
			}
			time.Sleep(time.Millisecond)
		}
		req, _ := http.NewRequest("POST", ps.URL+"/v1/chat/completions", bytes.NewReader(b.Bytes()))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("a compressed body within MaxBody throttled with nothing else in flight")
		}
	}
}
