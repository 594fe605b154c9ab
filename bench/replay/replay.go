// Package replay records Amazon Bedrock exchanges into go-vcr cassettes
// and replays them offline, wired for the AWS SDK for Go v2.
//
// Cassettes are go-vcr v2.1.0 files (github.com/dnaeon/go-vcr/v2/cassette),
// one per (target, history). To use it:
//
//  1. [Open] a cassette in [Replay] (the default), [Record] or
//     [RecordMissing] mode.
//  2. Call Bedrock through [Session.Client]; in replay it never touches the
//     network and uses static fake credentials, no retries and no clock
//     skew correction; in record it uses the credentials and endpoint you
//     give it.
//  3. [Session.Close]: in record mode the cassette is scrubbed, every event
//     stream is checked frame by frame, and the file is written atomically,
//     replacing the old one.
//
// Requests match on method, path and canonical JSON body (key order and
// number spelling do not matter), through an index, so a lookup costs the
// same in a cassette of ten interactions or ten thousand. Signatures,
// dates and SDK headers never take part.
package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

// Mode says whether a session replays or records.
type Mode int

// The modes.
const (
	// Replay serves recorded interactions and never touches the network.
	Replay Mode = iota
	// Record calls Bedrock and writes a new cassette, replacing any old one.
	Record
	// RecordMissing replays a cassette that exists and records one that
	// does not.
	RecordMissing
)

func (m Mode) String() string { return [...]string{"replay", "record", "record-missing"}[m] }

// ParseMode parses "replay", "record" or "record-missing".
func ParseMode(s string) (Mode, error) {
	for m := Replay; m <= RecordMissing; m++ {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("mode %q: want replay, record or record-missing", s)
}

// Errors callers can test for with errors.Is.
var (
	// ErrNoCassette: replay asked for a cassette that does not exist.
	ErrNoCassette = errors.New("no cassette")
	// ErrNoMatch: a replayed request matched no recorded interaction.
	ErrNoMatch = errors.New("no recorded interaction matches the request")
	// ErrLiveCall: something tried to reach the network in replay mode.
	ErrLiveCall = errors.New("replay mode never reaches the network")
)

// Options configure a session. Only record mode uses the AWS fields.
type Options struct {
	// Name identifies what the cassette records (a history id) in errors.
	Name string
	// Credentials sign recorded calls; use the standard chain's provider.
	Credentials aws.CredentialsProvider
	// BearerToken, when set, authenticates recorded calls with a Bedrock
	// API key instead (LoadConfig's BearerAuthTokenProvider). Sessions
	// never read AWS_BEARER_TOKEN_BEDROCK themselves.
	BearerToken bearer.TokenProvider
	// Endpoint overrides Bedrock's endpoint while recording (the emulator).
	Endpoint string
	// Transport reaches Bedrock while recording; nil uses a default
	// http.Transport. Credential providers never share it.
	Transport http.RoundTripper
	// HTTPClient, when set, reaches Bedrock while recording in place of
	// Transport: the AWS configuration's own client (aws.Config's
	// HTTPClient), which trusts its CA bundle (AWS_CA_BUNDLE, a profile's
	// ca_bundle) and goes through its proxy. The session only sends
	// through it; it is never put into the configuration.
	HTTPClient aws.HTTPClient
	// UseFIPSEndpoint and UseDualStackEndpoint choose Bedrock's FIPS and
	// dual-stack endpoints while recording without Endpoint, as a
	// configuration's AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT
	// or a profile's use_fips_endpoint and use_dualstack_endpoint do
	// ([RecordOptions] copies them).
	UseFIPSEndpoint      aws.FIPSEndpointState
	UseDualStackEndpoint aws.DualStackEndpointState
	// RetryMaxAttempts bounds the SDK's attempts (with backoff) on
	// throttling, server errors and ModelNotReadyException while
	// recording; 0 uses 5.
	RetryMaxAttempts int
	// Rerecord is the command to suggest on a replay miss.
	Rerecord string
	// Redact replaces secrets and personal data in recorded requests and
	// answers with deterministic pseudonyms (package redact) instead of
	// refusing to save them; replay then redacts live requests the same
	// way before matching.
	Redact bool
	// RedactSalt keys the pseudonyms; empty uses DefaultRedactSalt. A
	// cassette must be replayed with the salt it was recorded with.
	RedactSalt string
}

// Session is one open cassette.
type Session struct {
	path string
	mode Mode // Replay or Record, after RecordMissing is resolved
	opts Options

	mu     sync.Mutex
	cas    *cassette.Cassette
	index  map[string][]int
	played []bool
	// lines are where the replayed interactions start in the file.
	lines    []int
	previous *cassette.Cassette
	failed   error
	// emulated: the replayed cassette holds answers of the bundled
	// emulator.
	emulated bool
	// attempts maps an operation's Amz-Sdk-Invocation-Id, which the SDK
	// keeps across the retries of one call, to the interaction that
	// records the call.
	attempts map[string]int
	// region is the Region of the last client made (Client).
	region string
	// redactor, in replay, redacts live requests: the cassette was
	// recorded with Options.Redact.
	redactor *redact.Redactor
}

// Open opens the cassette at path (with its ".yaml" extension).
func Open(path string, mode Mode, opts Options) (*Session, error) {
	if !strings.HasSuffix(path, ".yaml") {
		return nil, fmt.Errorf("replay: cassette path %q must end in .yaml", path)
	}
	s := &Session{path: path, mode: mode, opts: opts}
	exists := fileExists(path)
	if mode == RecordMissing {
		s.mode = Record
		if exists {
			s.mode = Replay
		}
	}
	if s.mode == Replay {
		if !exists {
			what := path
			if opts.Name != "" && opts.Name != path {
				what += " (history " + opts.Name + ")"
			}
			return nil, fmt.Errorf("%w: %s; record it with %s", ErrNoCassette, what, opts.rerecord())
		}
		c, lines, err := loadLines(path)
		if err != nil {
			return nil, err
		}
		s.cas, s.lines = c, lines
		s.buildIndex()
		s.emulated = RecordedOnEmulator(c)
		return s, nil
	}
	cleanOnce(filepath.Dir(path))
	if exists {
		// Kept to report drift; never appended to.
		s.previous, _ = Load(path)
	}
	s.cas = cassette.New(strings.TrimSuffix(path, ".yaml"))
	return s, nil
}

// Load reads a cassette file.
//
// A cassette that is not whole (not YAML, cut short, an interaction
// missing its answer or with a broken body), larger than
// MaxCassetteBytes, or using YAML anchors or aliases is refused with a
// *CorruptError naming the file and, where it can, the line. Time and
// memory stay linear in the file's size.
func Load(path string) (*cassette.Cassette, error) {
	c, _, err := loadLines(path)
	return c, err
}

// loadLines is Load, with the line each interaction starts on.
func loadLines(path string) (*cassette.Cassette, []int, error) {
	c, lines, err := loadCassette(path)
	var ce *CorruptError
	if errors.As(err, &ce) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("replay: cassette %s: %w", path, err)
	}
	return c, lines, nil
}

// Rerecord is the command that records the session's cassette again:
// Options.Rerecord, with the flag that records against the bundled
// emulator when the replayed cassette was recorded there ([OnEmulator]).
func (s *Session) Rerecord() string {
	if s.emulated {
		return OnEmulator(s.opts.rerecord())
	}
	return s.opts.rerecord()
}

// EmulatorHeader marks the bundled emulator's answers (the emulator
// package's EmulatedHeader; a test holds the two equal).
const EmulatorHeader = "X-Bedrock-Bench-Emulator"

// RecordedOnEmulator reports whether c holds an answer of the bundled
// emulator.
func RecordedOnEmulator(c *cassette.Cassette) bool {
	for _, in := range c.Interactions {
		if in != nil && in.Response.Headers.Get(EmulatorHeader) != "" {
			return true
		}
	}
	return false
}

// OnEmulator returns cmd, a command that records a cassette, with the
// flag that records it against the bundled emulator, for a cassette
// recorded there: recorded against AWS instead, it would need
// credentials and change every answer. The flag is "-endpoint emulator"
// after go test and "--endpoint emulator" after bedrock-bench; a command
// that names an endpoint already, or none, is returned as it is.
func OnEmulator(cmd string) string {
	switch {
	case cmd == "" || strings.Contains(cmd, "-endpoint"):
		return cmd
	case strings.HasPrefix(cmd, "go test "):
		return cmd + " -endpoint emulator"
	}
	return cmd + " --endpoint emulator"
}

func (o Options) rerecord() string {
	if o.Rerecord != "" {
		return o.Rerecord
	}
	return "go test ./bench -record"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (s *Session) buildIndex() {
	s.index = make(map[string][]int, len(s.cas.Interactions))
	s.played = make([]bool, len(s.cas.Interactions))
	for i, in := range s.cas.Interactions {
		k, err := interactionKey(in)
		if err != nil {
			continue
		}
		s.index[k] = append(s.index[k], i)
		if s.redactor == nil && in.Request.Headers.Get(RedactedHeader) != "" {
			s.redactor, _ = s.opts.redactor()
		}
	}
}

// Mode returns the session's effective mode.
func (s *Session) Mode() Mode { return s.mode }

// Path returns the cassette file.
func (s *Session) Path() string { return s.path }

// Previous returns the cassette a recording replaces, or nil.
func (s *Session) Previous() *cassette.Cassette { return s.previous }

// Cassette returns the cassette being replayed or recorded.
func (s *Session) Cassette() *cassette.Cassette { return s.cas }

// Client returns a Bedrock Runtime client whose traffic goes through the
// session. It is built from the session's options alone: nothing in the
// environment or the shared AWS files (a Bedrock API key, a profile, a
// Region, an endpoint variable, a CA bundle) changes it. In replay it
// signs with static fake credentials, never retries, and ignores recorded
// Date headers for clock skew; in record it signs with Options.Credentials
// (or Options.BearerToken), retries throttling, and sends with
// Options.HTTPClient (a configuration's, with its CA bundle) or
// Options.Transport.
func (s *Session) Client(region string) *bedrockruntime.Client {
	s.mu.Lock()
	s.region = region
	s.mu.Unlock()
	o := bedrockruntime.Options{
		Region:     region,
		HTTPClient: &http.Client{Transport: s},
	}
	var token bearer.TokenProvider
	if s.mode == Replay {
		o.Credentials = credentials.NewStaticCredentialsProvider("AKIDREPLAY", "SECRETREPLAY", "")
		o.Retryer = aws.NopRetryer{}
		o.DisableClockSkewCorrection = true
	} else {
		o.Credentials = s.opts.Credentials
		token = s.opts.BearerToken
		if s.opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(s.opts.Endpoint)
		}
		o.EndpointOptions.UseFIPSEndpoint = s.opts.UseFIPSEndpoint
		o.EndpointOptions.UseDualStackEndpoint = s.opts.UseDualStackEndpoint
		attempts := s.opts.RetryMaxAttempts
		if attempts == 0 {
			attempts = 5
		}
		// Bedrock documents ModelNotReadyException (a model still
		// loading: an imported model's cold start) as retried by the AWS
		// SDKs; the SDK for Go does not retry it.
		o.Retryer = retry.AddWithErrorCodes(retry.NewStandard(func(so *retry.StandardOptions) { so.MaxAttempts = attempts }), "ModelNotReadyException")
	}
	if token == nil {
		return bedrockruntime.New(o, SigV4Only)
	}
	return bedrockruntime.New(o, func(o *bedrockruntime.Options) {
		o.BearerAuthTokenProvider = token
		o.AuthSchemePreference = []string{"httpBearerAuth"}
	})
}

func (s *Session) clientRegion() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.region
}

// SigV4Only is a bedrockruntime client option that signs with SigV4 even
// when AWS_BEARER_TOKEN_BEDROCK is set. The SDK's New reads that variable
// unconditionally, over anything in the aws.Config, and then refuses to
// send a bearer token over plain HTTP: a client of the emulator (or of a
// cassette) passes this option so that a Bedrock API key in the
// environment changes nothing.
func SigV4Only(o *bedrockruntime.Options) {
	o.BearerAuthTokenProvider = nil
	o.AuthSchemePreference = []string{"sigv4"}
}

// RoundTrip serves a request from the cassette, or records it.
func (s *Session) RoundTrip(req *http.Request) (*http.Response, error) {
	return s.roundTrip(req, nil)
}

// Through returns a transport that serves requests as the session does,
// but sends a recording's calls with client: the HTTP client a
// bedrockruntime client was configured with (its CA bundle, proxy and
// timeouts), which the cassette replaces as the client's transport. A
// nil client, or one that is the session's own transport, sends as
// RoundTrip does. Replay never uses client.
func (s *Session) Through(client aws.HTTPClient) http.RoundTripper {
	for {
		hc, ok := client.(*http.Client)
		if !ok {
			break
		}
		switch tr := hc.Transport.(type) {
		case *through:
			client = tr.client
			continue
		case *Session:
			client = nil
		}
		break
	}
	return &through{s: s, client: client}
}

// through is a session's transport that records through a client.
type through struct {
	s      *Session
	client aws.HTTPClient
}

func (t *through) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.s.roundTrip(req, t.client)
}

func (s *Session) roundTrip(req *http.Request, via aws.HTTPClient) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := readRecorded(req.Body, "request body")
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	if s.mode == Replay {
		return s.replay(req, body)
	}
	return s.record(req, body, via)
}

func (s *Session) replay(req *http.Request, body []byte) (*http.Response, error) {
	if s.redactor != nil {
		// As recording did: account ids first, then pseudonyms.
		body = []byte(redactBody(s.redactor, scrubAccounts(string(body))))
	}
	key := matchKey(req.Method, canonicalPath(req.URL), body)
	s.mu.Lock()
	var in *cassette.Interaction
	for _, i := range s.index[key] {
		if !s.played[i] {
			s.played[i] = true
			in = s.cas.Interactions[i]
			break
		}
	}
	s.mu.Unlock()
	if in == nil {
		return nil, s.miss(req, key, body)
	}
	h := in.Response.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{
		Status:        in.Response.Status,
		StatusCode:    in.Response.Code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(in.Response.Body)),
		ContentLength: int64(len(in.Response.Body)),
		Request:       req,
	}, nil
}

// UnplayedText words n recorded interactions a replay left unused:
// "1 recorded interaction was not replayed".
func UnplayedText(n int) string {
	if n == 1 {
		return "1 recorded interaction was not replayed"
	}
	return fmt.Sprintf("%d recorded interactions were not replayed", n)
}

// Unplayed counts the recorded interactions a replay has not used.
func (s *Session) Unplayed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.played {
		if !p {
			n++
		}
	}
	return n
}

// record sends req with via, else Options.HTTPClient, else
// Options.Transport, and keeps the interaction.
func (s *Session) record(req *http.Request, body []byte, via aws.HTTPClient) (*http.Response, error) {
	if via == nil {
		via = s.opts.HTTPClient
	}
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	var (
		resp *http.Response
		err  error
	)
	if via != nil {
		resp, err = via.Do(out)
	} else {
		tr := s.opts.Transport
		if tr == nil {
			tr = http.DefaultTransport
		}
		resp, err = tr.RoundTrip(out)
	}
	if err != nil {
		return nil, err
	}
	respBody, err := readRecorded(resp.Body, "response")
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	// Durations are not kept: they differ on every recording, the body
	// holds the service's own latency, and replay never waits.
	in := &cassette.Interaction{
		Request:  cassette.Request{Method: req.Method, URL: recordedURL(req, s.clientRegion()), Headers: req.Header.Clone(), Body: string(body)},
		Response: cassette.Response{Status: resp.Status, Code: resp.StatusCode, Headers: resp.Header.Clone(), Body: string(respBody)},
	}
	broken := validateStream(in)
	s.mu.Lock()
	if broken != nil {
		s.failed = errors.Join(s.failed, broken)
	}
	// A retry of an attempt the service throttled or failed replaces it:
	// a call is stored once, with the answer it ended with, as replay,
	// which never retries, serves it.
	id := req.Header.Get("Amz-Sdk-Invocation-Id")
	if i, ok := s.attempts[id]; ok && id != "" {
		s.cas.Interactions[i] = in
	} else {
		s.cas.Interactions = append(s.cas.Interactions, in)
		if id != "" {
			if s.attempts == nil {
				s.attempts = map[string]int{}
			}
			s.attempts[id] = len(s.cas.Interactions) - 1
		}
	}
	s.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	return resp, nil
}

// readRecorded reads a body of at most sdkhttp.MaxBody bytes, the bound
// every SDK client of the bench reads an answer with: a cassette holds
// at most MaxCassetteBytes, so a larger body could never be replayed.
func readRecorded(r io.Reader, what string) ([]byte, error) {
	b, err := sdkhttp.ReadAll(r)
	var tl *sdkhttp.TooLargeError
	if errors.As(err, &tl) {
		return nil, fmt.Errorf("replay: the %s is larger than %d MiB, the most a cassette holds", what, tl.Limit>>20)
	}
	return b, err
}

// Close ends the session. In record mode it scrubs the interactions,
// refuses a cassette with a broken event stream, and writes the file
// atomically. Recording nothing writes nothing.
func (s *Session) Close() error {
	if s.mode == Replay {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return fmt.Errorf("replay: not saving %s: %w", s.path, s.failed)
	}
	if len(s.cas.Interactions) == 0 {
		return nil
	}
	var red *redact.Redactor
	if s.opts.Redact {
		r, err := s.opts.redactor()
		if err != nil {
			return fmt.Errorf("replay: not saving %s: %w", s.path, err)
		}
		red = r
	}
	scanner, err := defaultScanner()
	if err != nil {
		return fmt.Errorf("replay: not saving %s: %w", s.path, err)
	}
	var leaks []Leak
	for i, in := range s.cas.Interactions {
		Scrub(in)
		if red != nil {
			redactInteraction(red, in)
		}
		leaks = append(leaks, ScanInteraction(scanner, i+1, in)...)
	}
	if len(leaks) > 0 {
		return &LeakError{History: s.opts.Name, File: s.path, Leaks: leaks}
	}
	seen := map[string]int{}
	for _, in := range s.cas.Interactions {
		boundErrorBodies(in)
		// A request id derived from the request and its position keeps
		// re-recordings of unchanged answers byte-identical.
		k, _ := interactionKey(in)
		seen[k]++
		if in.Response.Headers.Get("X-Amzn-Requestid") != "" {
			in.Response.Headers.Set("X-Amzn-Requestid", stableID(k, seen[k]))
		}
	}
	return Save(s.path, s.cas)
}

// recordedURL is the request's URL on the Region's public endpoint, so
// that a cassette does not change with the endpoint it was recorded
// through (an emulator's port, a FIPS or dual-stack endpoint, say); the
// Region comes from the signature, or, for a call with a Bedrock API key,
// which has none, is region, the Region the session's client was made
// for.
func recordedURL(req *http.Request, region string) string {
	if _, cred, ok := strings.Cut(req.Header.Get("Authorization"), "Credential="); ok {
		if parts := strings.Split(strings.SplitN(cred, ",", 2)[0], "/"); len(parts) == 5 {
			region = parts[2]
		}
	}
	if region == "" {
		return req.URL.String()
	}
	u := url.URL{Scheme: "https", Host: "bedrock-runtime." + region + ".amazonaws.com"}
	u.Path = canonicalPath(req.URL)
	u.RawPath = escapePath(u.Path)
	u.RawQuery = req.URL.RawQuery
	return u.String()
}

// stableID is a request id derived from a match key and an ordinal.
func stableID(key string, n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", key, n)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Abort ends a recording without saving it, leaving any old cassette in
// place.
func (s *Session) Abort() {
	s.mu.Lock()
	s.cas.Interactions = nil
	s.attempts = nil
	s.mu.Unlock()
}

// Save writes a cassette atomically: to a temporary file in the same
// directory, synced, then renamed over the old one. An interrupted save
// leaves the old cassette whole, and at worst a temporary file that the
// next recording into the folder removes ([RemoveStaleTemps]). A new
// cassette is readable by all and writable by its owner (0644), as the
// other files of a repository are; a cassette recorded again keeps the
// permissions of the one it replaces. (os.CreateTemp makes its file
// 0600, which the rename kept.)
func Save(path string, c *cassette.Cassette) error {
	data, err := encodeCassette(c)
	if err != nil {
		return fmt.Errorf("replay: encoding %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// The file must read back as what was written before it replaces
	// anything.
	written, err := os.ReadFile(tmp.Name())
	if err != nil {
		return err
	}
	if back, _, err := loadCassette(tmp.Name()); err != nil || len(back.Interactions) != len(c.Interactions) || !bytes.Equal(written, data) {
		return fmt.Errorf("replay: %s does not read back (%v); the old cassette is kept", path, err)
	}
	perm := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		perm = st.Mode().Perm()
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// encodeCassette is the file Save writes for c.
func encodeCassette(c *cassette.Cassette) ([]byte, error) {
	data, err := yaml.Marshal(c)
	if err != nil {
		return nil, err
	}
	data = append([]byte("---\n"), data...)
	return append(data, EndMarker+"\n"...), nil
}

// LiveTransport is a transport for replay-only clients that refuses every
// request: proof that nothing goes to the network.
type LiveTransport struct{}

// RoundTrip always fails with ErrLiveCall.
func (LiveTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("%w: %s %s", ErrLiveCall, req.Method, req.URL)
}
