// Package capture records the requests an application sends to Bedrock,
// OpenAI or Anthropic as redacted history fixtures, for applications whose
// logs keep no bodies. Two ways in:
//
//   - [WithCapture], an aws-sdk-go-v2 client option: one line where the
//     application builds its bedrockruntime client;
//   - [Proxy], a recording reverse proxy for any language
//     (bedrock-bench capture --listen ... --upstream ...).
//
// Both hand bodies to a [Recorder], which redacts and writes them off the
// request path: a queue bounded in bodies and in bytes that never blocks
// and never fails the call; when it is full the body is dropped and
// counted.
package capture

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/corpus"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// DefaultMaxBody is the largest request body the proxy forwards and a
// recorder records, unless their options say otherwise: 64 MiB, twice
// the 32 MB Anthropic's Messages API takes.
const DefaultMaxBody = 64 << 20

// DefaultQueueBytes bounds the bytes of the bodies a recorder holds, queued
// or being written, unless its options say otherwise: 128 MiB, two bodies
// of [DefaultMaxBody].
const DefaultQueueBytes = 128 << 20

// Options configure a [Recorder].
type Options struct {
	// Dir is the folder fixtures are written into.
	Dir string
	// Redactor redacts every body; required.
	Redactor *redact.Redactor
	// Body tunes body redaction (keep media or not).
	Body redact.BodyOptions
	// Queue is how many bodies may wait to be written; default 256.
	Queue int
	// QueueBytes bounds the bytes of the bodies held, queued or being
	// redacted and written (each is a copy of the caller's, so it is held
	// past the caller's call); a body past it is dropped and counted.
	// Default [DefaultQueueBytes], and never less than MaxBody.
	QueueBytes int64
	// MaxBody is the largest body recorded; default [DefaultMaxBody].
	MaxBody int
}

// Stats count what a recorder did.
type Stats struct {
	// Captured bodies were recorded: written as fixtures, or found to
	// be one already captured (Repeated).
	Captured int64
	// Repeated counts the captured bodies whose fixture was there
	// already, the same conversation captured before (by this recorder
	// or an earlier one into the same folder): it is left as it was,
	// byte for byte, not rewritten with this request's time, model and
	// Region. A fixture is named by its redacted body (and service
	// tier), not by its model: a history is replayed against every
	// target's model.
	Repeated int64
	// Dropped bodies found the queue full (in bodies or bytes), came
	// after Close, or were left unwritten when CloseContext's context
	// ended.
	Dropped int64
	// Skipped bodies were too large or did not decode as their format.
	Skipped int64
	// Failed writes hit a disk error.
	Failed int64
}

// Recorder writes captured request bodies as redacted fixtures.
type Recorder struct {
	opts    Options
	queue   chan item
	done    chan struct{}
	closeMu sync.RWMutex
	closed  bool
	stats   struct{ captured, repeated, dropped, skipped, failed atomic.Int64 }
	lastErr atomic.Value
	// held is the bytes of the bodies accepted and not yet written.
	held atomic.Int64
	// writeMu orders writing a fixture and abandoning the queue: once
	// abandoned, nothing more is written, and the bodies pending
	// (accepted, not yet counted) were counted as dropped.
	writeMu   sync.Mutex
	abandoned bool
	pending   int64
	// beforeWrite, if set, runs before each body is redacted (tests).
	beforeWrite func()
}

type item struct {
	format history.Format
	body   []byte
	src    ingest.Source
}

// NewRecorder starts a recorder writing into opts.Dir.
func NewRecorder(opts Options) (*Recorder, error) {
	if opts.Redactor == nil {
		return nil, errors.New("capture: a redactor is required: an unredacted fixture is never written")
	}
	if opts.Dir == "" {
		return nil, errors.New("capture: no output folder")
	}
	if opts.Queue <= 0 {
		opts.Queue = 256
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.QueueBytes <= 0 {
		opts.QueueBytes = DefaultQueueBytes
	}
	opts.QueueBytes = max(opts.QueueBytes, int64(opts.MaxBody))
	r := &Recorder{opts: opts, queue: make(chan item, opts.Queue), done: make(chan struct{})}
	go r.run()
	return r, nil
}

// Record queues a body without waiting; it returns false when the body was
// dropped (queue full in bodies or bytes, recorder closed, body too
// large). body is copied.
func (r *Recorder) Record(format history.Format, body []byte, src ingest.Source) bool {
	if len(body) > r.opts.MaxBody {
		r.stats.skipped.Add(1)
		return false
	}
	r.closeMu.RLock()
	defer r.closeMu.RUnlock()
	if r.closed || !r.reserve(int64(len(body))) {
		r.stats.dropped.Add(1)
		return false
	}
	r.writeMu.Lock()
	r.pending++
	r.writeMu.Unlock()
	select {
	case r.queue <- item{format: format, body: bytes.Clone(body), src: src}:
		return true
	default:
		r.writeMu.Lock()
		r.pending--
		r.writeMu.Unlock()
		r.held.Add(-int64(len(body)))
		r.stats.dropped.Add(1)
		return false
	}
}

// reserve takes n bytes from the queue's bound, if they fit.
func (r *Recorder) reserve(n int64) bool {
	for {
		h := r.held.Load()
		if h+n > r.opts.QueueBytes {
			return false
		}
		if r.held.CompareAndSwap(h, h+n) {
			return true
		}
	}
}

// Stats returns the counts so far.
func (r *Recorder) Stats() Stats {
	return Stats{Captured: r.stats.captured.Load(), Repeated: r.stats.repeated.Load(), Dropped: r.stats.dropped.Load(), Skipped: r.stats.skipped.Load(), Failed: r.stats.failed.Load()}
}

// Err returns the last write error, if any.
func (r *Recorder) Err() error {
	if e, ok := r.lastErr.Load().(error); ok {
		return e
	}
	return nil
}

// Close stops accepting bodies and waits until the queued ones are written.
func (r *Recorder) Close() error {
	return r.CloseContext(context.Background())
}

// CloseContext stops accepting bodies and waits until the queued ones are
// written or ctx ends, whichever comes first. When ctx ends first, the
// bodies not yet written, the one being redacted included, are dropped and
// counted in Stats.Dropped before it returns, and nothing more is written;
// it returns ctx's error. A large body can take minutes to redact: a
// command that stops on Ctrl-C gives its writes a deadline here.
func (r *Recorder) CloseContext(ctx context.Context) error {
	r.closeMu.Lock()
	if !r.closed {
		r.closed = true
		close(r.queue)
	}
	r.closeMu.Unlock()
	if ctx.Err() == nil {
		select {
		case <-r.done:
			return r.Err()
		case <-ctx.Done():
		}
	}
	r.writeMu.Lock()
	if !r.abandoned {
		r.abandoned = true
		r.stats.dropped.Add(r.pending)
		r.pending = 0
	}
	r.writeMu.Unlock()
	// The queued bodies are let go now, not when the writer comes to them.
	for it := range r.queue {
		r.held.Add(-int64(len(it.body)))
	}
	return errors.Join(ctx.Err(), r.Err())
}

func (r *Recorder) run() {
	defer close(r.done)
	for it := range r.queue {
		r.writeOne(it)
		r.held.Add(-int64(len(it.body)))
	}
}

// writeOne writes one body and counts it, unless the queue was abandoned,
// which counted it already.
func (r *Recorder) writeOne(it item) {
	if r.isAbandoned() {
		return
	}
	if r.beforeWrite != nil {
		r.beforeWrite()
	}
	path, data, err := r.prepare(it)
	// The file is written under the lock: once CloseContext has
	// abandoned the queue, nothing more is.
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	if r.abandoned {
		return
	}
	repeated := false
	if err == nil {
		// The same body captured before is its fixture already: it is
		// not rewritten, so a fixture does not change (and churn in
		// version control) with each capture of its conversation.
		if _, serr := os.Lstat(path); serr == nil {
			repeated = true
		} else {
			err = corpus.WriteFileAtomic(path, data)
		}
	}
	r.pending--
	switch {
	case err == nil:
		r.stats.captured.Add(1)
		if repeated {
			r.stats.repeated.Add(1)
		}
	case errors.Is(err, errSkip):
		r.stats.skipped.Add(1)
	default:
		r.stats.failed.Add(1)
		r.lastErr.Store(err)
	}
}

func (r *Recorder) isAbandoned() bool {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	return r.abandoned
}

var errSkip = errors.New("skipped")

// prepare redacts one body into a fixture, returning where it goes and
// its bytes: named by the hash of its redacted contents and service tier,
// so the same request captured twice is one file.
func (r *Recorder) prepare(it item) (string, []byte, error) {
	body, counts, err := r.opts.Redactor.Body(it.body, r.opts.Body)
	if err != nil || !jsontext.Value(body).IsValid() {
		return "", nil, errSkip
	}
	doc := func(body []byte, src ingest.Source) []byte {
		var b bytes.Buffer
		b.WriteString(`{"description":`)
		// The model as redacted: an ARN holds an account id.
		d, _ := json.Marshal(fmt.Sprintf("Captured %s request to %s.", src.Operation, cmp.Or(src.Model, "an unnamed model")))
		b.Write(d)
		b.WriteString(`,"tags":["captured"],"format":`)
		f, _ := json.Marshal(string(it.format))
		b.Write(f)
		b.WriteString(`,"source":`)
		s, _ := json.Marshal(src, json.Deterministic(true))
		b.Write(s)
		b.WriteString(`,"request":`)
		b.Write(body)
		b.WriteString("}")
		return b.Bytes()
	}
	src := it.src
	src.Redacted = true
	src.Fidelity = ingest.Verbatim
	src.Model, _ = r.opts.Redactor.Text(src.Model)
	if len(counts) > 0 {
		src.Redactions = map[string]int{}
		for k, n := range counts {
			src.Redactions[string(k)] = n
		}
	}
	if _, err := history.Decode("captured", doc(body, ingest.Source{})); err != nil {
		return "", nil, errSkip
	}
	// The same body on another service tier (InvokeModel's header) is
	// another request, so another file.
	named := append([]byte(it.format+"\x00"), body...)
	if src.ServiceTier != "" {
		named = append(append(named, "\x00tier="...), src.ServiceTier...)
	}
	sum := sha256.Sum256(named)
	name := fmt.Sprintf("%s-%s.json", it.format, hex.EncodeToString(sum[:6]))
	out := jsontext.Value(doc(body, src))
	_ = out.Indent(jsontext.WithIndent("  "))
	return filepath.Join(r.opts.Dir, name), append([]byte(out), '\n'), nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }
