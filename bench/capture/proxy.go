package capture

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/internal/budget"
)

// ProxyOptions configure a [Proxy].
type ProxyOptions struct {
	// Upstream is where requests go: a Bedrock runtime endpoint
	// (https://bedrock-runtime.us-east-1.amazonaws.com), https://api.openai.com,
	// https://api.anthropic.com, or a local emulator.
	Upstream *url.URL
	// Recorder receives the request bodies; nil forwards them without
	// recording (and the error log then names a request's operation, not
	// its path, having no redactor for it).
	Recorder *Recorder
	// Credentials re-sign Bedrock requests (SigV4, service "bedrock"):
	// the application signed for the proxy's host, so its signature
	// cannot be forwarded. Nil forwards Bedrock requests as they are,
	// which only works with bearer-token (API key) auth.
	Credentials aws.CredentialsProvider
	// Region signs Bedrock requests; default: read from the upstream
	// host name.
	Region string
	// MaxBody is the largest request body accepted, larger ones are
	// answered 413; default [DefaultMaxBody], above the largest request
	// the APIs take (Anthropic's Messages API takes 32 MB, and Bedrock
	// bounds neither the count nor the size of images), so that no call
	// the upstream would take fails through the proxy.
	MaxBody int64
	// BodyBudget caps the bytes of request bodies the proxy holds at
	// once, across the requests in flight (a body, and its decoded form
	// when it came compressed); a request that would exceed it is answered
	// 429, which clients retry after a pause. It must hold twice MaxBody,
	// what a compressed body of that size holds, or [NewProxy] refuses it.
	// Default [DefaultBodyBudget], or twice MaxBody where that is more.
	BodyBudget int64
	// BodyTimeout bounds reading a request's body, from the end of its
	// headers; default 2 min. A client that stops sending gets 408.
	BodyTimeout time.Duration
	// StallTimeout bounds each write of an answer to the client; default
	// 2 min. A client that stops reading (a stream it no longer drains)
	// has its request ended, the upstream's with it, instead of holding
	// both for good. The time between writes, waiting on the upstream, is
	// not bounded.
	StallTimeout time.Duration
	// Transport reaches the upstream; default a clone of
	// http.DefaultTransport, which waits for an answer as long as the
	// application does.
	Transport http.RoundTripper
	// Hosts are host names, besides localhost and IP addresses, that a
	// request the proxy re-signs may be addressed to (its Host header):
	// the name the proxy is reached by in a container network, say. A
	// request for any other name is refused, so that a web page whose
	// name its owner points at this machine (DNS rebinding) cannot call
	// Bedrock with the credentials.
	Hosts []string
	// ErrorLog, if not nil, gets one line for each request the proxy
	// answers itself with an error (the upstream unreachable, no
	// credentials or Region to re-sign with, a body too large or too
	// slow), so the person running the proxy sees what the application
	// was told.
	ErrorLog *log.Logger
}

// Proxy is a recording reverse proxy. Requests to a model API
// (/model/{id}/converse[-stream], /model/{id}/invoke, /v1/chat/completions,
// /v1/responses, /v1/messages) have their bodies recorded; every request
// goes on to the upstream, and responses, streams included, come back as
// they arrive, flushed chunk by chunk, never buffered whole.
type Proxy struct {
	opts   ProxyOptions
	rp     *httputil.ReverseProxy
	budget budget.Bytes
}

// DefaultBodyBudget is the default [ProxyOptions.BodyBudget]: room for
// several of the largest bodies at once. With a larger MaxBody the default
// is twice MaxBody, what one compressed body holds.
const DefaultBodyBudget = 8 * DefaultMaxBody

// compressedCost is what a compressed request holds from the budget per
// byte of the largest body: the body and its decoded form.
const compressedCost = 2

var (
	bedrockRoute = regexp.MustCompile(`^/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)$`)
	regionInHost = regexp.MustCompile(`bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com`)
)

// NewProxy builds a proxy.
func NewProxy(opts ProxyOptions) (*Proxy, error) {
	if opts.Upstream == nil || opts.Upstream.Scheme == "" || opts.Upstream.Host == "" {
		return nil, fmt.Errorf("capture: the upstream must be an absolute URL such as https://bedrock-runtime.us-east-1.amazonaws.com")
	}
	if opts.Region == "" {
		if m := regionInHost.FindStringSubmatch(opts.Upstream.Host); m != nil {
			opts.Region = m[1]
		}
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.BodyTimeout <= 0 {
		opts.BodyTimeout = 2 * time.Minute
	}
	if opts.MaxBody > math.MaxInt64/compressedCost {
		return nil, fmt.Errorf("capture: largest body %d is too large", opts.MaxBody)
	}
	if opts.BodyBudget <= 0 {
		opts.BodyBudget = max(DefaultBodyBudget, compressedCost*opts.MaxBody)
	}
	if opts.StallTimeout <= 0 {
		opts.StallTimeout = 2 * time.Minute
	}
	// A compressed body holds twice the largest body from the budget (the
	// body and its decoded form): a budget that cannot hold that would
	// throttle every large compressed body, retry after retry.
	if opts.BodyBudget < compressedCost*opts.MaxBody {
		return nil, fmt.Errorf("capture: body budget %d cannot hold the largest body (%d bytes) at twice its size, as a compressed request holds it: give a budget of at least %d bytes or a smaller largest body", opts.BodyBudget, opts.MaxBody, compressedCost*opts.MaxBody)
	}
	if opts.Transport == nil {
		// Its own connection pool, with no bound on the wait for an
		// answer: a Converse call of a large model may take longer than
		// any bound the proxy would choose (AWS suggests a read timeout of
		// an hour). The application's own timeout ends the call: when it
		// gives up, the request upstream is cancelled with it.
		opts.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	p := &Proxy{opts: opts}
	p.budget.Limit = opts.BodyBudget
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(opts.Upstream)
			pr.Out.Host = opts.Upstream.Host
		},
		Transport:     &signer{p: p},
		FlushInterval: -1,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			p.fail(w, r, http.StatusBadGateway, "bedrock-bench capture: upstream "+opts.Upstream.Host+": "+err.Error())
		},
	}
	return p, nil
}

// ServeHTTP records and forwards one request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if why := p.refuseToSign(r); why != "" {
		p.fail(w, r, http.StatusForbidden, "bedrock-bench capture: "+why)
		return
	}
	if r.Body != nil && r.Method == http.MethodPost {
		// What the body may hold is reserved before it is read: its
		// length when the client names it, else the bound; twice that
		// where it came compressed and is decoded for the recorder.
		reserve := p.opts.MaxBody
		if r.ContentLength >= 0 && r.ContentLength < reserve {
			reserve = r.ContentLength
		}
		if r.Header.Get("Content-Encoding") != "" {
			reserve += p.opts.MaxBody
		}
		if !p.budget.Take(reserve) {
			w.Header().Set("Retry-After", "1")
			p.fail(w, r, http.StatusTooManyRequests, fmt.Sprintf("bedrock-bench capture: request bodies in flight would exceed the proxy's budget of %d bytes; retry", p.opts.BodyBudget))
			return
		}
		defer p.budget.Release(reserve)
		// The body is read whole before anything goes upstream: bound
		// the time a client may take to send it, then lift the bound, so
		// that a stream answered afterwards may run as long as it runs.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(p.opts.BodyTimeout))
		body, err := io.ReadAll(io.LimitReader(r.Body, p.opts.MaxBody+1))
		r.Body.Close()
		_ = rc.SetReadDeadline(time.Time{})
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				w.Header().Set("Connection", "close")
				p.fail(w, r, http.StatusRequestTimeout, fmt.Sprintf("bedrock-bench capture: the request body did not arrive within %s", p.opts.BodyTimeout))
				return
			}
			p.fail(w, r, http.StatusBadRequest, "bedrock-bench capture: reading the request: "+err.Error())
			return
		}
		if int64(len(body)) > p.opts.MaxBody {
			p.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("bedrock-bench capture: request body over %d bytes", p.opts.MaxBody))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		// The upstream gets the body as sent; the recorder, a compressed
		// body decoded (within MaxBody), which it could not read as JSON.
		plain, ok := decode(r.Header.Get("Content-Encoding"), body, p.opts.MaxBody)
		p.record(r, plain, ok)
	}
	p.rp.ServeHTTP(&stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), limit: p.opts.StallTimeout}, r)
}

// stallWriter bounds each write and flush of an answer to the client by
// limit, and only those: the deadline is cleared after each, since an
// HTTP/2 stream is reset when its write deadline passes, even while
// nothing is being written (an upstream that thinks a while between two
// events of a stream).
type stallWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	limit time.Duration
}

func (w *stallWriter) Write(b []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.limit))
	n, err := w.ResponseWriter.Write(b)
	_ = w.rc.SetWriteDeadline(time.Time{})
	return n, err
}

// FlushError flushes within the limit; http.ResponseController, which
// the reverse proxy flushes through, calls it.
func (w *stallWriter) FlushError() error {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.limit))
	err := w.rc.Flush()
	_ = w.rc.SetWriteDeadline(time.Time{})
	return err
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *stallWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// decode undoes the Content-Encoding of a request body, gzip or deflate,
// reading at most max bytes of the result; ok is false for an encoding it
// does not know, or a body that does not decode within max.
func decode(encoding string, body []byte, max int64) ([]byte, bool) {
	var zr io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, true
	case "gzip", "x-gzip":
		gr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, false
		}
		zr = gr
	case "deflate":
		zr = flate.NewReader(bytes.NewReader(body))
		if zl, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
			zr = zl // HTTP's deflate is zlib-wrapped; some clients send it raw
		}
	default:
		return nil, false
	}
	plain, err := io.ReadAll(io.LimitReader(zr, max+1))
	if err != nil || int64(len(plain)) > max {
		return nil, false
	}
	return plain, true
}

// fail answers a request the proxy could not forward, in the error shape
// of the API the request was for, so that the application's client shows
// msg: a Bedrock client reads x-amzn-ErrorType and {"message"}, and took
// a plain-text body for a broken answer ("invalid character 'b' looking
// for beginning of value"); OpenAI and Anthropic clients read their own
// error objects. Other paths get plain text.
func (p *Proxy) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if p.opts.ErrorLog != nil {
		p.opts.ErrorLog.Print(p.logLine(r, status, msg))
	}
	var body any
	switch rt := routeOf(r.URL.EscapedPath()); {
	case rt.bedrock:
		w.Header().Set("X-Amzn-Errortype", strings.ReplaceAll(http.StatusText(status), " ", "")+"Exception")
		body = map[string]string{"message": msg}
	case rt.format == history.FormatOpenAI, rt.format == history.FormatResponses:
		body = map[string]any{"error": map[string]any{"message": msg, "type": "bedrock_bench_capture_error", "code": nil, "param": nil}}
	case rt.format == history.FormatAnthropic:
		body = map[string]any{"type": "error", "error": map[string]string{"type": "api_error", "message": msg}}
	default:
		http.Error(w, msg, status)
		return
	}
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

// logLine is the error log's line for a request the proxy answered
// itself: the method, the path, the status and the reason, redacted as a
// fixture is (a Bedrock path's model id as the fixture's model is: an
// application inference profile's ARN holds an account id, and its name
// may be a person's), since the log of a capture run is often kept. With
// no recorder to redact with, the line names the operation, not the path.
func (p *Proxy) logLine(r *http.Request, status int, msg string) string {
	path := r.URL.EscapedPath()
	if p.opts.Recorder == nil || p.opts.Recorder.opts.Redactor == nil {
		op := routeOf(path).op
		if op == "" {
			op = "a request"
		}
		return fmt.Sprintf("%s %s: %d", r.Method, op, status)
	}
	red := p.opts.Recorder.opts.Redactor
	shown, _ := red.Text(r.URL.Path)
	if m := bedrockRoute.FindStringSubmatch(path); m != nil {
		model, _ := red.Text(modelFromPath(path))
		shown = "/model/" + model + "/" + m[2]
	}
	msg, _ = red.Text(msg)
	return fmt.Sprintf("%s %s: %d: %s", r.Method, shown, status, msg)
}

// HTTPServer returns an http.Server for p speaking HTTP/1.1 and, on the
// same port, unencrypted HTTP/2 with prior knowledge: the AWS SDK for
// JavaScript v3 (and so LangChain's @langchain/aws) talks HTTP/2 to an
// http:// endpoint, and a server of HTTP/1.1 alone answered it with a
// protocol error. Its header and idle timeouts are set; the body's is
// [ProxyOptions.BodyTimeout], and a stream may run as long as it runs.
func (p *Proxy) HTTPServer() *http.Server {
	protos := new(http.Protocols)
	protos.SetHTTP1(true)
	protos.SetHTTP2(true)
	protos.SetUnencryptedHTTP2(true)
	return &http.Server{Handler: p, Protocols: protos, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
}

// route is what a request's path says of a model call: its operation
// ("" for a path of no model API), the format of its body (for Bedrock's
// InvokeModel, "" until the body says), and whether it is Bedrock's.
type route struct {
	op      string
	format  history.Format
	bedrock bool
}

// bedrockOps names the operation of each Bedrock Runtime path.
var bedrockOps = map[string]string{"converse": "Converse", "converse-stream": "ConverseStream", "invoke": "InvokeModel", "invoke-with-response-stream": "InvokeModelWithResponseStream"}

// routeOf reads the model call a request path makes.
func routeOf(path string) route {
	if m := bedrockRoute.FindStringSubmatch(path); m != nil {
		r := route{op: bedrockOps[m[2]], bedrock: true}
		if strings.HasPrefix(m[2], "converse") {
			r.format = history.FormatConverse
		}
		return r
	}
	switch {
	case strings.HasSuffix(path, "/chat/completions"):
		return route{op: "ChatCompletions", format: history.FormatOpenAI}
	case strings.HasSuffix(path, "/responses"):
		return route{op: "Responses", format: history.FormatResponses}
	case strings.HasSuffix(path, "/v1/messages"):
		return route{op: "Messages", format: history.FormatAnthropic}
	}
	return route{}
}

// record hands a model call's body to the recorder; one whose encoding
// could not be undone (decoded false) is counted as skipped.
func (p *Proxy) record(r *http.Request, body []byte, decoded bool) {
	path := r.URL.EscapedPath()
	rt := routeOf(path)
	if rt.op == "" || p.opts.Recorder == nil {
		return
	}
	if !decoded {
		p.opts.Recorder.stats.skipped.Add(1)
		return
	}
	src := ingest.Source{Origin: "capture-proxy", Time: now(), Operation: rt.op}
	src.Captured = src.Time[:10]
	format := rt.format
	if rt.bedrock {
		src.Model = modelFromPath(path)
		src.Region = p.opts.Region
		if format == "" {
			format = invokeFormat(body)
		}
		if strings.HasPrefix(rt.op, "InvokeModel") {
			src.ServiceTier = ingest.InvokeTier(r.Header.Get(converse.ServiceTierHeader))
		}
	}
	if format == "" {
		return
	}
	if src.Model == "" {
		if f, ok := ingest.DetectBody(body); ok && f != "" {
			src.Model = modelOf(body)
		}
	}
	p.opts.Recorder.Record(format, body, src)
}

func modelOf(body []byte) string {
	const key = `"model"`
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(body[i+len(key):], " \t\r\n:")
	if len(rest) == 0 || rest[0] != '"' {
		return ""
	}
	end := bytes.IndexByte(rest[1:], '"')
	if end < 0 || end > 200 {
		return ""
	}
	return string(rest[1 : 1+end])
}

// resigns reports whether the proxy signs r with its credentials: a
// Bedrock call that does not carry an API key of its own.
func (p *Proxy) resigns(r *http.Request) bool {
	return p.opts.Credentials != nil && bedrockRoute.MatchString(r.URL.EscapedPath()) && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ")
}

// refuseToSign says why the proxy will not sign r with its credentials,
// or is empty: only a request an AWS SDK signed (for the proxy's host) is
// signed again, and only one addressed to the proxy by localhost, an IP
// address or a name in Hosts. Anything else reaching the port (another
// process, a web page posting to it, a page whose name was pointed at
// this machine) would otherwise call Bedrock as the person running it.
func (p *Proxy) refuseToSign(r *http.Request) string {
	if !p.resigns(r) {
		return ""
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		return "the request is not signed: the proxy signs with your AWS credentials only a request an AWS SDK signed (any keys), or passes on a Bedrock API key (Authorization: Bearer)"
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if net.ParseIP(host) != nil || strings.EqualFold(host, "localhost") || slices.ContainsFunc(p.opts.Hosts, func(h string) bool { return strings.EqualFold(h, host) }) {
		return ""
	}
	return fmt.Sprintf("the request is addressed to %q: the proxy signs with your AWS credentials only requests addressed to it by localhost, an IP address or a name given with --allow-host (a web page whose name was pointed at this machine must not call Bedrock as you)", r.Host)
}

// signer re-signs Bedrock requests on their way out.
type signer struct{ p *Proxy }

// hopAuth are the headers of the application's own signature, which names
// the proxy's host and cannot be forwarded.
var hopAuth = []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"}

func (s *signer) RoundTrip(req *http.Request) (*http.Response, error) {
	p := s.p
	if p.resigns(req) {
		var body []byte
		if req.Body != nil {
			var err error
			if body, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
			req.Body.Close()
		}
		for _, h := range hopAuth {
			req.Header.Del(h)
		}
		for k := range req.Header {
			if strings.HasPrefix(strings.ToLower(k), "amz-sdk-") {
				req.Header.Del(k)
			}
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		ctx, cancel := context.WithTimeout(req.Context(), 30*time.Second)
		creds, err := p.opts.Credentials.Retrieve(ctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("no AWS credentials to re-sign with (the standard chain: environment, profile, SSO, role): %w", err)
		}
		sum := sha256.Sum256(body)
		if p.opts.Region == "" {
			return nil, fmt.Errorf("no Region to sign for: name it with --region")
		}
		if err := v4.NewSigner().SignHTTP(req.Context(), creds, req, hex.EncodeToString(sum[:]), "bedrock", p.opts.Region, time.Now()); err != nil {
			return nil, err
		}
	}
	return p.opts.Transport.RoundTrip(req)
}
