package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
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
	// distinct request (same Region, model and body), so that a client's
	// own retries succeed deterministically.
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
		if p < 0 || p > 1 {
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

// route picks the destination a call is served in. The choice depends on
// the seed and the request (Region, model and body) only, never on the
// order requests arrive in, so that recordings made concurrently are the
// same as those made one at a time.
func (f *faultInjector) route(dests []string, region, model string, body []byte) string {
	if len(dests) == 0 {
		return ""
	}
	h := sha256.New()
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], f.seed)
	h.Write(seed[:])
	h.Write([]byte(region))
	h.Write([]byte{0})
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write(body)
	sum := h.Sum(nil)
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

// requestKey identifies a request for ThrottleFirstAttempts.
func requestKey(region, model string, body []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(region))
	h.Write([]byte{0})
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write(body)
	return [32]byte(h.Sum(nil))
}
