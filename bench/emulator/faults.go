package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/canonjson"
)

// Faults makes the emulator fail the way Bedrock does under load. Every
// random choice comes from the server's seed, so a sequence of requests
// fails the same way on every run.
type Faults struct {
	// ThrottleRate limits each Region to this many invocations per second
	// (a token bucket holding ThrottleBurst); 0 means no limit.
	ThrottleRate  float64
	ThrottleBurst int
	// ThrottleProbability throttles this share of invocations (0 to 1).
	ThrottleProbability float64
	// ThrottleMessage is the ThrottlingException's text: one of the texts
	// real calls got (request rate, tokens per minute, tokens per day);
	// empty is the request-rate text.
	ThrottleMessage string
	// ServiceUnavailableMessage is ServiceUnavailableException's text: one
	// of the texts real calls got; empty is "Bedrock is unable to process
	// your request."
	ServiceUnavailableMessage string
	// ThrottleFirstAttempts throttles the first N arrivals of each
	// distinct request (same Region, model and body, its members in any
	// order), so that a client's own retries succeed deterministically.
	ThrottleFirstAttempts int
	// ErrorProbability fails this share of invocations with a server
	// error, drawn from ErrorKinds (default: all three).
	ErrorProbability float64
	ErrorKinds       []string
	// Latency is added before every invocation answers.
	Latency time.Duration
	// StreamExceptionProbability ends this share of streams, after their
	// first content frames, with an exception frame of StreamException
	// (default internalServerException).
	StreamExceptionProbability float64
	StreamException            string
}

// The server errors ErrorKinds may name.
const (
	ServiceUnavailable = "ServiceUnavailableException"
	InternalServer     = "InternalServerException"
	ModelNotReady      = "ModelNotReadyException"
)

// throttleMessages are the ThrottlingException texts real calls got
// (testdata/realwire/error-texts.md).
var throttleMessages = []string{
	msgThrottled,
	"Too many tokens, please wait before trying again.",
	"Too many tokens per day, please wait before trying again.",
}

// msgCapacity is the other ServiceUnavailableException text real calls
// got (testdata/realwire/converse-error-service-unavailable.json).
const msgCapacity = "Service capacity limit has been reached. Please try again later."

var serverErrors = map[string]*apiError{
	ServiceUnavailable: {Status: http.StatusServiceUnavailable, Type: ServiceUnavailable, Msg: "Bedrock is unable to process your request."},
	InternalServer:     {Status: http.StatusInternalServerError, Type: InternalServer, Msg: "The system encountered an unexpected error during processing. Try your request again."},
	ModelNotReady:      {Status: http.StatusTooManyRequests, Type: ModelNotReady, Msg: "The model is not ready to serve inference requests. Try your request again later."},
}

// streamExceptions are the exception frames a stream may end with, and
// their messages.
var streamExceptions = map[string]string{
	"internalServerException":     "The system encountered an unexpected error during processing. Try your request again.",
	"serviceUnavailableException": "Bedrock is unable to process your request.",
	"throttlingException":         msgThrottled,
	"modelStreamErrorException":   "An error occurred while streaming the response. Retry your request.",
	"validationException":         "Input is too long for requested model.",
}

// streamFault says how a stream should end early; empty means it does not.
type streamFault struct {
	exception string
	message   string
}

type faultInjector struct {
	cfg   Faults
	clock func() time.Time

	mu      sync.Mutex
	faults  *rand.Rand
	seed    uint64
	buckets map[string]*bucket
	seen    map[[32]byte]int
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newFaultInjector(cfg Faults, seed uint64, clock func() time.Time) (*faultInjector, error) {
	for _, p := range []float64{cfg.ThrottleProbability, cfg.ErrorProbability, cfg.StreamExceptionProbability} {
		if !(p >= 0 && p <= 1) { // NaN too: it compares false with anything
			return nil, fmt.Errorf("emulator: fault probability %v is not between 0 and 1", p)
		}
	}
	if cfg.ThrottleMessage == "" {
		cfg.ThrottleMessage = msgThrottled
	}
	if !contains(throttleMessages, cfg.ThrottleMessage) {
		return nil, fmt.Errorf("emulator: throttling text %q is not one real calls got (%s)", cfg.ThrottleMessage, strings.Join(throttleMessages, " | "))
	}
	switch cfg.ServiceUnavailableMessage {
	case "", serverErrors[ServiceUnavailable].Msg, msgCapacity:
	default:
		return nil, fmt.Errorf("emulator: service-unavailable text %q is not one real calls got (%s | %s)", cfg.ServiceUnavailableMessage, serverErrors[ServiceUnavailable].Msg, msgCapacity)
	}
	if cfg.ThrottleFirstAttempts < 0 {
		return nil, fmt.Errorf("emulator: throttle-first-attempts %d is negative", cfg.ThrottleFirstAttempts)
	}
	if cfg.ThrottleRate < 0 {
		return nil, fmt.Errorf("emulator: throttle rate %v is negative", cfg.ThrottleRate)
	}
	if cfg.ThrottleRate > 0 && cfg.ThrottleBurst <= 0 {
		cfg.ThrottleBurst = max(1, int(cfg.ThrottleRate))
	}
	if len(cfg.ErrorKinds) == 0 {
		cfg.ErrorKinds = []string{ServiceUnavailable, InternalServer, ModelNotReady}
	}
	for _, k := range cfg.ErrorKinds {
		if serverErrors[k] == nil {
			return nil, fmt.Errorf("emulator: error kind %q: want %s, %s or %s", k, ServiceUnavailable, InternalServer, ModelNotReady)
		}
	}
	if cfg.StreamException == "" {
		cfg.StreamException = "internalServerException"
	}
	if _, ok := streamExceptions[cfg.StreamException]; !ok {
		return nil, fmt.Errorf("emulator: stream exception %q is not one the service sends", cfg.StreamException)
	}
	return &faultInjector{
		cfg: cfg, clock: clock,
		faults:  rand.New(rand.NewPCG(seed, 0x6661756c7473)),
		seed:    seed,
		buckets: map[string]*bucket{},
		seen:    map[[32]byte]int{},
	}, nil
}

// requestHashes are what the emulator draws its choices about one
// request from: the destination it is served in, the seed of its answer
// (text, tool use ids, how a stream is cut), and the key that counts its
// attempts for ThrottleFirstAttempts.
type requestHashes struct {
	route, reply, attempts [32]byte
}

// hashRequest hashes a request (Region, model and body) for the choices
// the emulator draws from it. The choices depend on the seed and the
// request only, never on the order requests arrive in, so that
// recordings made concurrently are the same as those made one at a time;
// and on what the body means, never on how it is spelled: each hash
// covers the body's canonical form (package canonjson: members sorted, no
// white space, one spelling per number), not its bytes. The AWS SDK for
// Go writes a map (requestMetadata, say) in Go's random order; a body it
// writes without one is already canonical, so its choices are the ones
// hashing its bytes gave. The body is read once and never copied.
func (f *faultInjector) hashRequest(region, model string, body []byte) requestHashes {
	route, reply, attempts := sha256.New(), sha256.New(), sha256.New()
	// The route hashes the seed, Region and model first; the attempts
	// key, the Region and model; the reply, the model: each a suffix of
	// the route's prefix.
	prefix := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(region)+len(model)+2), f.seed)
	prefix = append(append(append(append(prefix, region...), 0), model...), 0)
	route.Write(prefix)
	attempts.Write(prefix[8:])
	reply.Write(prefix[8+len(region)+1:])
	_, _ = canonjson.Write(io.MultiWriter(route, reply, attempts), body, canonjson.Minimal)
	var out requestHashes
	route.Sum(out.route[:0])
	reply.Sum(out.reply[:0])
	attempts.Sum(out.attempts[:0])
	return out
}

// pickRoute picks the destination a call is served in, from its route
// hash.
func pickRoute(dests []string, sum [32]byte) string {
	if len(dests) == 0 {
		return ""
	}
	return dests[binary.BigEndian.Uint64(sum[:8])%uint64(len(dests))]
}

// before runs ahead of an invocation's answer: it throttles, fails, or
// waits as configured, and decides whether a stream ends early.
func (f *faultInjector) before(ctx context.Context, region string, stream bool, request [32]byte) (streamFault, *apiError) {
	cfg := f.cfg
	var sf streamFault
	f.mu.Lock()
	throttled := cfg.ThrottleProbability > 0 && f.faults.Float64() < cfg.ThrottleProbability
	if n := cfg.ThrottleFirstAttempts; n > 0 && !throttled {
		if len(f.seen) > 100000 {
			clear(f.seen)
		}
		f.seen[request]++
		throttled = f.seen[request] <= n
	}
	if cfg.ThrottleRate > 0 && !throttled {
		throttled = !f.take(region)
	}
	var serverErr *apiError
	if !throttled && cfg.ErrorProbability > 0 && f.faults.Float64() < cfg.ErrorProbability {
		serverErr = serverErrors[cfg.ErrorKinds[f.faults.IntN(len(cfg.ErrorKinds))]]
	}
	if stream && cfg.StreamExceptionProbability > 0 && f.faults.Float64() < cfg.StreamExceptionProbability {
		sf = streamFault{exception: cfg.StreamException, message: streamExceptions[cfg.StreamException]}
	}
	f.mu.Unlock()
	if throttled {
		return sf, &apiError{Status: http.StatusTooManyRequests, Type: "ThrottlingException", Msg: cfg.ThrottleMessage}
	}
	if serverErr != nil {
		if serverErr.Type == ServiceUnavailable && cfg.ServiceUnavailableMessage != "" {
			e := *serverErr
			e.Msg = cfg.ServiceUnavailableMessage
			return sf, &e
		}
		return sf, serverErr
	}
	if cfg.Latency > 0 {
		t := time.NewTimer(cfg.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	return sf, nil
}

// take takes a token from the Region's bucket; f.mu is held.
func (f *faultInjector) take(region string) bool {
	now := f.clock()
	b := f.buckets[region]
	if b == nil {
		b = &bucket{tokens: float64(f.cfg.ThrottleBurst), last: now}
		f.buckets[region] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(float64(f.cfg.ThrottleBurst), b.tokens+elapsed*f.cfg.ThrottleRate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
