package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

// tracedConn remembers who closed it, so that a later "use of closed
// network connection" can be traced to the closing side.
type tracedConn struct {
	net.Conn
	mu       sync.Mutex
	closedBy string
}

func (c *tracedConn) Close() error {
	c.mu.Lock()
	if c.closedBy == "" {
		c.closedBy = string(debug.Stack())
	}
	c.mu.Unlock()
	return c.Conn.Close()
}

func (c *tracedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err != nil {
		writeErrors.Store(fmt.Sprintf("%d of %d bytes written: %v", n, len(p), err))
	}
	return n, err
}

var writeErrors atomic.Value

func (c *tracedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && errors.Is(err, net.ErrClosed) {
		c.mu.Lock()
		closedReads.Store(c.closedBy)
		c.mu.Unlock()
	}
	return n, err
}

var closedReads atomic.Value

// bodyProbe records what the transport's write loop saw of the request
// body: reads after the SDK closed it, and read errors.
type bodyProbe struct {
	mu     sync.Mutex
	rc     io.ReadCloser
	closed bool
}

func (b *bodyProbe) Read(p []byte) (int, error) {
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	n, err := b.rc.Read(p)
	if closed {
		bodyEvents.Store(fmt.Sprintf("the transport read the request body after the SDK closed it: %d bytes, %v", n, err))
	} else if err != nil && err != io.EOF {
		bodyEvents.Store(fmt.Sprintf("request body read error: %v", err))
	}
	return n, err
}

func (b *bodyProbe) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return b.rc.Close()
}

var bodyEvents atomic.Value

type probeTransport struct{ http.RoundTripper }

func (p probeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body = &bodyProbe{rc: r.Body}
	}
	return p.RoundTripper.RoundTrip(r)
}

// TestClosedConnectionProbe reproduces the rare "use of closed network
// connection" in ConverseStream through the Go SDK under 8 concurrent
// callers over HTTP/1.1 and prints the stack that closed the connection.
// It runs only with BEDROCK_BENCH_PROBE_CALLS set (for example 200000): it
// is an investigation, not a check.
//
// Findings (6 failures in 200,000 calls here, 1 in 100,000 against the
// emulator before its transport changes, about 1 in 100 for the first
// call on a fresh connection): the connection is closed by the client's
// own net/http Transport write loop (persistConn.writeLoop ->
// persistConn.close), never by the server, with no failed socket write
// before it. The cause is in smithy-go: it closes the request body as
// soon as the response headers arrive (transport/http/client.go), and its
// closed body's WriteTo returns io.EOF as an error
// (internal/io/safe.go). net/http sends the body, the server answers,
// and the write loop's final check read (transfer.go, "nextra") goes
// through WriteTo, gets that io.EOF, takes it for a failed write and
// closes the connection the response is still being read from. With the
// body's WriteTo hidden (BEDROCK_BENCH_PROBE_WORKAROUND=1, the
// sdkhttp.PlainBody wrapper the tests use) it does not happen: 0 in 150,000.
func TestClosedConnectionProbe(t *testing.T) {
	calls, _ := strconv.Atoi(os.Getenv("BEDROCK_BENCH_PROBE_CALLS"))
	if calls == 0 {
		t.Skip("set BEDROCK_BENCH_PROBE_CALLS to run")
	}
	_, hs := start(t, nil)
	dialer := &net.Dialer{}
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &tracedConn{Conn: c}, nil
	}}
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: DefaultCredentials.Provider(), HTTPClient: &http.Client{Transport: tr}})
	if os.Getenv("BEDROCK_BENCH_PROBE_WORKAROUND") != "" {
		// The same calls with the request body's WriteTo hidden.
		c = bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
			Credentials: DefaultCredentials.Provider(), HTTPClient: &http.Client{Transport: probeTransport{tr}}})
	}
	in := &bedrockruntime.ConverseStreamInput{ModelId: aws.String("us.amazon.nova-lite-v1:0"), Messages: benchMessages}
	var done, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for done.Add(1) <= int64(calls) {
				out, err := c.ConverseStream(context.Background(), in)
				if err == nil {
					for range out.GetStream().Events() {
					}
					err = out.GetStream().Err()
					out.GetStream().Close()
				}
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d calls, %d failed; first error: %v", calls, failed.Load(), firstErr.Load())
	if e, _ := bodyEvents.Load().(string); e != "" {
		t.Logf("request body: %s", e)
	}
	if w, _ := writeErrors.Load().(string); w != "" {
		t.Logf("a request write failed: %s", w)
	}
	if by, _ := closedReads.Load().(string); by != "" {
		t.Logf("a read hit a connection closed locally by:\n%s", strings.TrimSpace(by))
	}
}
