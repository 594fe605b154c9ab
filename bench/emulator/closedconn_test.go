package emulator

import (
	"context"
	"errors"
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

// TestClosedConnectionProbe reproduces the rare "use of closed network
// connection" in ConverseStream through the Go SDK under 8 concurrent
// callers and prints the stack that closed the connection. It runs only
// with BEDROCK_BENCH_PROBE_CALLS set (for example 100000): it is an
// investigation, not a check.
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
	if by, _ := closedReads.Load().(string); by != "" {
		t.Logf("a read hit a connection closed locally by:\n%s", strings.TrimSpace(by))
	}
}
