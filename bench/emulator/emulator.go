// Package emulator is a local Amazon Bedrock: a real HTTP server that
// speaks Bedrock's wire protocol (restJson1, SigV4, event streams) well
// enough that the unmodified AWS SDKs work against it, with only their
// endpoint overridden.
//
// It reproduces the three contracts a migration breaks: the per-Region
// model catalog, IAM over every Region a cross-Region inference profile
// routes to, and the Converse message rules, each with the service's own
// errors. It serves many Regions on one address, reading the Region from
// each request's SigV4 credential scope. To use it:
//
//  1. Build a [Server] with [New]; a nil *[Options] gives the embedded
//     catalog, the [DefaultCredentials] and a caller allowed everything.
//  2. Serve it: [Server.Serve] on a listener, or use it as an
//     http.Handler (httptest.NewServer works).
//  3. Point an SDK client at it with BaseEndpoint and static credentials.
//
// Replies are deterministic: the same request always gets the same text,
// token counts and tool use. Every response carries the [EmulatedHeader].
package emulator

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
	"github.com/bedrock-bench/bedrock-bench/bench/internal/budget"
)

// EmulatedHeader marks every response the emulator writes, so that a
// recording made against it is never mistaken for one from a real Region.
const EmulatedHeader = "X-Bedrock-Bench-Emulator"

// InferenceRegionHeader names the Region the emulator routed an
// invocation to, as CloudTrail's additionalEventData.inferenceRegion does.
const InferenceRegionHeader = "X-Bedrock-Bench-Inference-Region"

// Version is the emulator's version, sent in [EmulatedHeader].
const Version = "1"

// DefaultAccount is the account the emulator answers as.
const DefaultAccount = "111122223333"

// AuthzMode says which routes of a cross-Region profile IAM checks.
type AuthzMode string

// The authorization modes.
const (
	// Strict checks the profile and the model in every destination Region,
	// as AWS documents: a missing destination fails every call.
	Strict AuthzMode = "strict"
	// PerRoute checks only the destination chosen for each call (seeded),
	// reproducing "works 9 times out of 10".
	PerRoute AuthzMode = "per-route"
)

// Options configure a [Server]. Every zero field has a working default.
type Options struct {
	// Catalog is the model catalog; nil uses catalog.Default().
	Catalog *catalog.Catalog
	// AnyKey accepts every access key and Bedrock API key, as LocalStack
	// does: the Region still comes from the credential scope and the
	// signature's structure, date and scope are checked, but not its value.
	// Credentials and APIKeys then only name principals.
	AnyKey bool
	// Credentials are the key pairs whose signatures are accepted; nil
	// (without AnyKey) accepts DefaultCredentials only.
	Credentials []Credentials
	// APIKeys are the long-term Bedrock API keys accepted as bearer tokens;
	// short-term keys are accepted when made with one of Credentials.
	APIKeys []APIKey
	// Account is the AWS account id in ARNs, 12 digits; empty uses
	// DefaultAccount.
	Account string
	// Principal is the caller and its policies; nil allows everything,
	// as the caller arn:aws:iam::<account>:user/bedrock-bench.
	Principal *iam.Principal
	// Authz selects strict (default) or per-route authorization.
	Authz AuthzMode
	// Seed drives every random choice: routes and faults.
	Seed uint64
	// Date is the day lifecycle states are evaluated on; zero uses the
	// catalog's as-of date, so the emulator answers the same every day.
	Date time.Time
	// Clock is the wall clock for signature expiry; nil uses time.Now.
	Clock func() time.Time
	// NoModelAccess lists model ids this account has not been granted
	// access to: calls get AccessDeniedException "You don't have access
	// to the model with the specified model ID."
	NoModelAccess []string
	// LegacyActive lists Legacy model ids this account has used in the
	// last 15 days; other Legacy models refuse calls, as on Bedrock. An id
	// the catalog does not know is refused with an [*OptionError].
	LegacyActive []string
	// Faults injects throttling, server errors, latency and stream failures.
	Faults Faults
	// MaxBodyBytes caps request bodies; 0 uses [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// BodyBudget caps the bytes of request bodies held at once, across
	// all requests in flight; a request beyond it is throttled before its
	// body is read. A body counts twice its size (decoding it costs about
	// as much again), so the budget must hold twice MaxBodyBytes; New
	// refuses a smaller one. 0 uses 160 MiB, or twice MaxBodyBytes when
	// that is more. Set alone, it bounds MaxBodyBytes to half of it.
	BodyBudget int64
	// Limits are the HTTP server's timeouts and size limits.
	Limits Limits
	// Guardrails are the guardrails requests may name in guardrailConfig.
	Guardrails []Guardrail
	// Log, when set, receives one line per request.
	Log io.Writer
}

// DefaultMaxBodyBytes is the largest request body the emulator reads
// unless Options.MaxBodyBytes says otherwise: 64 MiB, the largest body
// capture records (capture.DefaultMaxBody) and the largest history file
// (history.MaxFileSize), so whatever the bench captured or holds as a
// fixture can be replayed here. It is above what Bedrock documents:
// InvokeModel's body is at most 25,000,000 bytes (API reference,
// InvokeModel, "Length Constraints"), Anthropic's models on Bedrock take
// payloads up to 20 MB, and Converse states no total, only its images
// (3.75 MB each, 20 at most) and documents (4.5 MB each, 5 at most). The
// bound protects the emulator; it is not a rule of the service.
const DefaultMaxBodyBytes = 64 << 20

// defaultBodyBudget is Options.BodyBudget's default: two 64 MiB bodies'
// worth at twice their size would be 256 MiB; 160 MiB holds one maximal
// body beside many ordinary ones.
const defaultBodyBudget = 160 << 20

// bodyCost is what a request holds from the budget per byte of its
// body: the body, and about as much again to decode it.
const bodyCost = 2

// budgetChunk is how much of a body of unknown length (chunked) is
// reserved at a time as it arrives.
const budgetChunk = 32 << 10

// Server is the emulator. It is an http.Handler and safe for concurrent use.
type Server struct {
	cat        *catalog.Catalog
	verifier   *verifier
	principal  *iam.Principal
	account    string
	authz      AuthzMode
	date       time.Time
	legacyOK   map[string]bool
	noAccess   map[string]bool
	maxBody    int64
	budget     budget.Bytes
	bodies     bodyQueue
	limits     Limits
	signKey    []byte
	cache      *promptCache
	guardrails []Guardrail
	faults     *faultInjector
	logMu      sync.Mutex
	log        io.Writer
	requests   atomic.Uint64
}

// New builds a Server.
func New(opts *Options) (*Server, error) {
	if opts == nil {
		opts = &Options{}
	}
	s := &Server{cat: opts.Catalog, account: opts.Account, authz: opts.Authz, date: opts.Date, maxBody: opts.MaxBodyBytes, log: opts.Log}
	if s.cat == nil {
		s.cat = catalog.Default()
	}
	if s.account == "" {
		s.account = DefaultAccount
	}
	if err := checkAccount(s.account); err != nil {
		return nil, err
	}
	if err := checkModelIDs(s.cat, "LegacyActive", opts.LegacyActive); err != nil {
		return nil, err
	}
	if err := checkModelIDs(s.cat, "NoModelAccess", opts.NoModelAccess); err != nil {
		return nil, err
	}
	switch s.authz {
	case "":
		s.authz = Strict
	case Strict, PerRoute:
	default:
		return nil, fmt.Errorf("emulator: authorization mode %q: want %s or %s", s.authz, Strict, PerRoute)
	}
	if s.date.IsZero() {
		s.date = s.cat.Date()
	}
	if s.maxBody < 0 || opts.BodyBudget < 0 {
		return nil, fmt.Errorf("emulator: negative body limit (MaxBodyBytes %d, BodyBudget %d)", s.maxBody, opts.BodyBudget)
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBodyBytes
		if opts.BodyBudget > 0 {
			// A budget set below the default body's cost: the budget
			// bounds the body too, to what it can hold.
			s.maxBody = min(s.maxBody, opts.BodyBudget/bodyCost)
		}
	}
	if s.maxBody > math.MaxInt64/bodyCost {
		return nil, fmt.Errorf("emulator: largest body %d is too large", s.maxBody)
	}
	s.budget.Limit = opts.BodyBudget
	if s.budget.Limit == 0 {
		s.budget.Limit = max(defaultBodyBudget, bodyCost*s.maxBody)
	}
	// A request holds twice its body from the budget: a budget that
	// cannot hold that for the largest body would throttle every such
	// body, retry after retry.
	if s.maxBody < 1 || s.budget.Limit < bodyCost*s.maxBody {
		return nil, fmt.Errorf("emulator: body budget %d cannot hold the largest body (%d bytes) at twice its size, as a request holds it: give a budget of at least %d bytes or a smaller largest body", s.budget.Limit, s.maxBody, bodyCost*max(s.maxBody, 1))
	}
	s.limits = opts.Limits.withDefaults()
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	s.principal = opts.Principal
	if s.principal == nil {
		allow, _ := iam.ParsePolicy("default-allow-all", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
		s.principal = &iam.Principal{Identity: []*iam.Policy{allow}}
	}
	if s.principal.ARN == "" {
		p := *s.principal
		p.ARN = "arn:aws:iam::" + s.account + ":user/bedrock-bench"
		s.principal = &p
	}
	// A key's own principal without an ARN answers as the server's caller.
	named := func(p *iam.Principal) *iam.Principal {
		if p == nil || p.ARN != "" {
			return p
		}
		c := *p
		c.ARN = s.principal.ARN
		return &c
	}
	creds := append([]Credentials(nil), opts.Credentials...)
	if opts.Credentials == nil && opts.APIKeys == nil {
		creds = []Credentials{DefaultCredentials}
	}
	for i := range creds {
		creds[i].Principal = named(creds[i].Principal)
	}
	apiKeys := append([]APIKey(nil), opts.APIKeys...)
	for i := range apiKeys {
		apiKeys[i].Principal = named(apiKeys[i].Principal)
	}
	s.verifier = newVerifier(opts.AnyKey, creds, apiKeys, clock)
	s.verifier.onRefused = func(why string) { s.logf("auth: %s", why) }
	key := sha256.Sum256([]byte(fmt.Sprintf("bedrock-bench emulator reasoning signatures, seed %d", opts.Seed)))
	s.signKey = key[:]
	s.cache = newPromptCache(clock)
	s.guardrails = opts.Guardrails
	s.legacyOK = map[string]bool{}
	for _, m := range opts.LegacyActive {
		s.legacyOK[m] = true
	}
	s.noAccess = map[string]bool{}
	for _, m := range opts.NoModelAccess {
		s.noAccess[m] = true
	}
	f, err := newFaultInjector(opts.Faults, opts.Seed, clock)
	if err != nil {
		return nil, err
	}
	s.faults = f
	return s, nil
}

// Catalog returns the catalog the server answers from.
func (s *Server) Catalog() *catalog.Catalog { return s.cat }

// Requests returns how many requests the server has received.
func (s *Server) Requests() uint64 { return s.requests.Load() }

// ServeHTTP routes a request to its operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestBegan(r)
	s.requests.Add(1)
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h := w.Header()
	h.Set("X-Amzn-Requestid", newRequestID())
	h.Set(EmulatedHeader, Version)
	defer func() {
		if v := recover(); v != nil {
			// Nothing a client sends may take the server down: answer as
			// the service does for its own failures.
			if !rec.wrote {
				writeError(rec, &apiError{Status: 500, Type: "InternalServerException", Msg: "The system encountered an unexpected error during processing. Try your request again."})
			}
			s.logf("%s %s panic: %v", r.Method, r.URL.Path, v)
		}
		s.logf("%s %s %s %d %s", r.Proto, r.Method, r.URL.EscapedPath(), rec.status, time.Since(start).Round(time.Microsecond))
	}()
	path := r.URL.EscapedPath()
	// A path label is one segment: a "/" the client left unescaped in a
	// model id or ARN makes a path no operation has, as on Bedrock.
	label := func(prefix string) (string, bool) {
		rest := path[len(prefix):]
		return rest, !strings.Contains(rest, "/")
	}
	switch {
	case strings.HasPrefix(path, "/model/"):
		id, op, ok := cutLast(path[len("/model/"):], "/")
		if !ok || r.Method != http.MethodPost || strings.Contains(id, "/") {
			break
		}
		switch op {
		case "converse", "converse-stream":
			s.invoke(rec, r, id, op == "converse-stream")
			return
		case "invoke", "invoke-with-response-stream":
			s.invokeModel(rec, r, id, op == "invoke-with-response-stream")
			return
		case "count-tokens", "invoke-with-bidirectional-stream":
			s.writeNotEmulated(rec, r)
			return
		}
	case r.Method == http.MethodGet && path == "/foundation-models":
		s.listFoundationModels(rec, r)
		return
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/foundation-models/"):
		id, ok := label("/foundation-models/")
		if !ok {
			writeUnknownOperation(rec)
			return
		}
		s.getFoundationModel(rec, r, id)
		return
	case r.Method == http.MethodGet && path == "/inference-profiles":
		s.listInferenceProfiles(rec, r)
		return
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/inference-profiles/"):
		id, ok := label("/inference-profiles/")
		if !ok {
			writeUnknownOperation(rec)
			return
		}
		s.getInferenceProfile(rec, r, id)
		return
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/foundation-model-availability/"):
		id, ok := label("/foundation-model-availability/")
		if !ok {
			writeUnknownOperation(rec)
			return
		}
		s.getAvailability(rec, r, id)
		return
	}
	if first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/"); notEmulated[first] {
		s.writeNotEmulated(rec, r)
		return
	}
	writeUnknownOperation(rec)
}

// notEmulated are the first path segments of the Amazon Bedrock
// operations, runtime and control plane (as the AWS SDK for Go's models
// route them), beyond the ones the emulator serves. A call to one is told
// so, rather than answered as Bedrock answers a path it does not have:
// that 200 would pass for an empty success.
var notEmulated = map[string]bool{
	// Runtime.
	"async-invoke": true, "guardrail": true, "guardrail-checks": true,
	// Control plane.
	"advanced-prompt-optimization-job": true, "advanced-prompt-optimization-jobs": true, "automated-reasoning-policies": true,
	"create-foundation-model-agreement": true, "custom-models": true, "delete-foundation-model-agreement": true,
	"enforcedGuardrailsConfiguration": true, "evaluation-job": true, "evaluation-jobs": true, "guardrails": true,
	"imported-models": true, "inference-profiles": true, "list-foundation-model-agreement-offers": true,
	"listTagsForResource": true, "logging": true, "marketplace-model": true, "model-copy-jobs": true,
	"model-customization": true, "model-customization-jobs": true, "model-import-jobs": true,
	"model-invocation-job": true, "model-invocation-jobs": true, "prompt-routers": true,
	"provisioned-model-throughput": true, "provisioned-model-throughputs": true, "resource-policy": true,
	"tagResource": true, "untagResource": true, "use-case-for-model-access": true,
}

// writeNotEmulated answers a Bedrock operation the emulator does not serve
// with an error of its own (501), which every client reports as one.
func (s *Server) writeNotEmulated(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{Status: http.StatusNotImplemented, Type: "NotEmulatedException", Namespace: ":bedrock-bench",
		Msg: fmt.Sprintf("%s %s is an Amazon Bedrock operation the bedrock-bench emulator does not serve; it serves Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, ListFoundationModels, GetFoundationModel, ListInferenceProfiles, GetInferenceProfile and GetFoundationModelAvailability.", r.Method, r.URL.EscapedPath())})
}

// writeUnknownOperation answers a path or method no operation has as
// Bedrock does: Coral's JSON 1.0 envelope with status 200 and no error
// type, which clients take for a success they cannot read. Reports of the
// real answer: an unescaped "/" in an inference profile ARN gets "status
// code 200" and this body (aws-amplify/amplify-flutter#5675), the
// Anthropic SDK's stream decoder fails with "Truncated event message
// received" (anthropics/claude-code#297), the AI SDK runs its success
// handler and reports "Invalid JSON response" (vercel/ai#7825,
// langfuse/langfuse#15619).
func writeUnknownOperation(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}`)
}

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// stops accepting, lets requests in flight finish for up to grace, and
// returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := s.HTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// authenticate checks the headers' authentication, reserves the body's
// bytes from the budget, reads the body (within the size limit) while
// hashing it and finishes verifying the signature. It returns the body,
// the caller's scope and a release function for the reserved bytes,
// which the caller calls once done with the body.
func (s *Server) authenticate(r *http.Request) ([]byte, scope, func(), *apiError) {
	nothing := func() {}
	pending, aerr := s.verifier.checkHeaders(r)
	if aerr != nil {
		return nil, scope{}, nothing, aerr
	}
	sc := pending.scope
	if r.ContentLength > s.maxBody {
		return nil, sc, nothing, &apiError{Status: http.StatusRequestEntityTooLarge, Type: "ValidationException", Msg: msgTooLarge}
	}
	throttled := func() *apiError {
		s.logf("request bodies in flight exceed the budget of %d bytes: throttled", s.budget.Limit)
		return &apiError{Status: http.StatusTooManyRequests, Type: "ThrottlingException", Msg: msgThrottled}
	}
	// A body is reserved as it arrives, a read at a time, whether its
	// length is declared or not (chunked), so that a request holds what
	// it has sent, not what its Content-Length promises: two connections
	// declaring the largest body and sending nothing held the whole
	// budget before. Each byte counts twice: decoding costs about as
	// much again as the body itself.
	// The oldest request holding the budget may go past it while its
	// body arrives, so bodies arriving together that outgrow it do not
	// all fail half-read; it stays the oldest until it is released.
	var held int64
	leave := func() {}
	if r.Body != nil {
		id := s.bodies.enter()
		leave = func() { s.bodies.leave(id) }
		r.Body = &budgetReader{rc: r.Body, b: &s.budget, held: &held, q: &s.bodies, id: id}
	}
	release := func() {
		s.budget.Release(held)
		leave()
	}
	body, sum, err := readBody(r, s.maxBody)
	if err != nil {
		release()
		if errors.Is(err, errTooLarge) {
			return nil, sc, nothing, &apiError{Status: http.StatusRequestEntityTooLarge, Type: "ValidationException", Msg: msgTooLarge}
		}
		if errors.Is(err, errBudget) {
			return nil, sc, nothing, throttled()
		}
		return nil, sc, nothing, validationError("The request body could not be read.")
	}
	if aerr := s.verifier.finish(r, pending, sum); aerr != nil {
		release()
		return nil, sc, nothing, aerr
	}
	if !s.cat.HasRegion(sc.Region) {
		release()
		// An endpoint that does not exist answers nothing; the closest a
		// single address can do is say the Region is not served here.
		return nil, sc, nothing, &apiError{Status: http.StatusBadRequest, Type: "UnrecognizedClientException", Msg: fmt.Sprintf("The Region %s is not in the emulator's catalog (Regions: %s).", sc.Region, strings.Join(s.cat.Regions, ", "))}
	}
	return body, sc, release, nil
}

// caller is the principal a request was authenticated as.
func (s *Server) caller(sc scope) *iam.Principal {
	if sc.Principal != nil {
		return sc.Principal
	}
	return s.principal
}

func (s *Server) logf(format string, args ...any) {
	if s.log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, time.Now().UTC().Format("15:04:05.000")+" "+format+"\n", args...)
}

// newRequestID is a random (version 4) UUID, as the service sends.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// statusRecorder remembers the status for the request log and flushes
// through for event streams.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
