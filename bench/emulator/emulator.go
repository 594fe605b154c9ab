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
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
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
	// Credentials are the key pairs whose signatures are accepted; nil
	// accepts DefaultCredentials only.
	Credentials []Credentials
	// Account is the AWS account id in ARNs; empty uses DefaultAccount.
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
	// LegacyActive lists Legacy model ids this account has used in the
	// last 15 days; other Legacy models refuse calls, as on Bedrock.
	LegacyActive []string
	// Faults injects throttling, server errors, latency and stream failures.
	Faults Faults
	// MaxBodyBytes caps request bodies; 0 uses 20 MiB.
	MaxBodyBytes int64
	// Log, when set, receives one line per request.
	Log io.Writer
}

// Server is the emulator. It is an http.Handler and safe for concurrent use.
type Server struct {
	cat       *catalog.Catalog
	verifier  *verifier
	principal *iam.Principal
	account   string
	authz     AuthzMode
	date      time.Time
	legacyOK  map[string]bool
	maxBody   int64
	faults    *faultInjector
	logMu     sync.Mutex
	log       io.Writer
	requests  atomic.Uint64
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
	if s.maxBody == 0 {
		s.maxBody = 20 << 20
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	creds := opts.Credentials
	if creds == nil {
		creds = []Credentials{DefaultCredentials}
	}
	s.verifier = newVerifier(creds, clock)
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
	s.legacyOK = map[string]bool{}
	for _, m := range opts.LegacyActive {
		s.legacyOK[m] = true
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
		s.logf("%s %s %d %s", r.Method, r.URL.EscapedPath(), rec.status, time.Since(start).Round(time.Microsecond))
	}()
	path := r.URL.EscapedPath()
	switch {
	case strings.HasPrefix(path, "/model/"):
		id, op, ok := cutLast(path[len("/model/"):], "/")
		if !ok || r.Method != http.MethodPost || (op != "converse" && op != "converse-stream") {
			break
		}
		s.invoke(rec, r, id, op == "converse-stream")
		return
	case r.Method == http.MethodGet && path == "/foundation-models":
		s.listFoundationModels(rec, r)
		return
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/foundation-models/"):
		s.getFoundationModel(rec, r, path[len("/foundation-models/"):])
		return
	case r.Method == http.MethodGet && path == "/inference-profiles":
		s.listInferenceProfiles(rec, r)
		return
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/inference-profiles/"):
		s.getInferenceProfile(rec, r, path[len("/inference-profiles/"):])
		return
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/foundation-model-availability/"):
		s.getAvailability(rec, r, path[len("/foundation-model-availability/"):])
		return
	}
	// The service answers an unknown operation in Coral's JSON 1.0 shape.
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Errortype", "UnknownOperationException")
	rec.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(rec, `{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}`)
}

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// stops accepting, lets requests in flight finish for up to grace, and
// returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
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

// authenticate reads the body (within the size limit) and verifies the
// signature. It returns the body and the caller's scope.
func (s *Server) authenticate(r *http.Request) ([]byte, scope, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
	if err != nil {
		return nil, scope{}, validationError("The request body could not be read.")
	}
	if int64(len(body)) > s.maxBody {
		return nil, scope{}, &apiError{Status: http.StatusRequestEntityTooLarge, Type: "ValidationException", Msg: msgTooLarge}
	}
	sc, aerr := s.verifier.verify(r, body)
	if aerr != nil {
		return nil, sc, aerr
	}
	if !s.cat.HasRegion(sc.Region) {
		// An endpoint that does not exist answers nothing; the closest a
		// single address can do is say the Region is not served here.
		return nil, sc, &apiError{Status: http.StatusBadRequest, Type: "UnrecognizedClientException", Msg: fmt.Sprintf("The Region %s is not in the emulator's catalog (Regions: %s).", sc.Region, strings.Join(s.cat.Regions, ", "))}
	}
	return body, sc, nil
}

func (s *Server) logf(format string, args ...any) {
	if s.log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, time.Now().UTC().Format("15:04:05.000")+" "+format+"\n", args...)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
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
