package emulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/budget"
	"github.com/bedrock-bench/bedrock-bench/internal/atomicfile"
)

// Limits are the HTTP server's protections against slow, stuck or greedy
// clients. Every zero field has a default.
type Limits struct {
	// ReadHeaderTimeout bounds reading a request's headers (default 10 s).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included (default 2 min).
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response, streams included (default 10 min).
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long (default 60 s).
	IdleTimeout time.Duration
	// MaxHeaderBytes caps a request's headers (default 64 KiB).
	MaxHeaderBytes int
	// MaxConcurrentStreams caps HTTP/2 streams per connection (default 128).
	MaxConcurrentStreams int
}

func (l Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&l.ReadHeaderTimeout, 10*time.Second)
	def(&l.ReadTimeout, 2*time.Minute)
	def(&l.WriteTimeout, 10*time.Minute)
	def(&l.IdleTimeout, 60*time.Second)
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = 64 << 10
	}
	if l.MaxConcurrentStreams == 0 {
		l.MaxConcurrentStreams = 128
	}
	return l
}

// StartLoopback serves s on a free port of 127.0.0.1 with its own server
// (HTTPServer: its timeouts and limits) and returns the base URL, e.g.
// "http://127.0.0.1:41234", and stop, which closes the server and waits
// for it to end.
func (s *Server) StartLoopback() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := s.HTTPServer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Serve returns ErrServerClosed after stop; any other error means
		// the listener broke, and the clients' calls report it.
		_ = srv.Serve(ln)
	}()
	stop = func() {
		srv.Close()
		<-done
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// HTTPServer returns an http.Server for s with its limits set, speaking
// HTTP/1.1 and HTTP/2 on one port: unencrypted HTTP/2 with prior
// knowledge (as the AWS SDK for JavaScript v3 does on http://) and, on a
// TLS listener, HTTP/2 negotiated by ALPN.
func (s *Server) HTTPServer() *http.Server {
	l := s.limits
	p := new(http.Protocols)
	p.SetHTTP1(true)
	p.SetHTTP2(true)
	p.SetUnencryptedHTTP2(true)
	return &http.Server{
		Handler:           s,
		Protocols:         p,
		ConnContext:       headerGuard{l.ReadHeaderTimeout}.connContext,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		HTTP2: &http.HTTP2Config{
			MaxConcurrentStreams: l.MaxConcurrentStreams,
			MaxReadFrameSize:     1 << 20,
		},
	}
}

// headerGuard closes a connection on which no request has reached the
// handler within d of its accept: HTTP/1.1 has ReadHeaderTimeout for
// that, HTTP/2 nothing, and a connection that sent only its preface and
// SETTINGS, or a HEADERS frame it never finished, counted as idle and
// stayed for the idle timeout (60 s).
type headerGuard struct{ d time.Duration }

type headerGuardKey struct{}

// connContext starts the connection's timer.
func (g headerGuard) connContext(ctx context.Context, c net.Conn) context.Context {
	if g.d <= 0 {
		return ctx
	}
	return context.WithValue(ctx, headerGuardKey{}, time.AfterFunc(g.d, func() { c.Close() }))
}

// requestBegan stops the timer of the request's connection.
func requestBegan(r *http.Request) {
	if t, ok := r.Context().Value(headerGuardKey{}).(*time.Timer); ok {
		t.Stop()
	}
}

var errTooLarge = errors.New("request body too large")

// errBudget is a body that outgrew what the body
// budget had left while it arrived.
var errBudget = errors.New("request bodies in flight exceed the budget")

// budgetReader reserves a body's bytes from the budget as they
// arrive, each byte twice (the body, and about as much again to decode
// it), and fails with errBudget once the budget has no room for what
// came: a read is at most budgetChunk, so a body is over its share by
// that much at most. held counts what it reserved, which the request
// releases when done.
type budgetReader struct {
	rc   io.ReadCloser
	b    *budget.Bytes
	held *int64
	// q and id: the oldest request in flight (from its headers to its
	// release) takes its body's bytes even past the budget, so that
	// bodies arriving together that outgrow it do not all fail
	// half-read: the oldest is answered, the others throttled.
	q  *bodyQueue
	id uint64
}

func (br *budgetReader) Read(p []byte) (int, error) {
	if len(p) > budgetChunk {
		p = p[:budgetChunk]
	}
	n, err := br.rc.Read(p)
	if n > 0 {
		cost := bodyCost * int64(n)
		if !br.b.Take(cost) {
			if br.q == nil || !br.q.oldest(br.id) {
				return 0, errBudget
			}
			br.b.Force(cost)
		}
		*br.held += cost
	}
	return n, err
}

// bodyQueue orders the requests holding the body budget by their arrival.
type bodyQueue struct {
	mu     sync.Mutex
	next   uint64
	active []uint64 // ascending
}

// enter adds a body and returns its place.
func (q *bodyQueue) enter() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.next++
	q.active = append(q.active, q.next)
	return q.next
}

// leave removes a request once it releases its budget.
func (q *bodyQueue) leave(id uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if i, ok := slices.BinarySearch(q.active, id); ok {
		q.active = slices.Delete(q.active, i, i+1)
	}
}

// oldest reports whether id is the request that has held the budget longest.
func (q *bodyQueue) oldest(id uint64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.active) > 0 && q.active[0] == id
}

func (br *budgetReader) Close() error { return br.rc.Close() }

// readBody reads r's body, at most its Content-Length or, without one,
// at most limit bytes, hashing it on the way.
func readBody(r *http.Request, limit int64) ([]byte, []byte, error) {
	h := sha256.New()
	if r.Body == nil {
		return nil, h.Sum(nil), nil
	}
	// The hash is computed as the bytes arrive.
	in := io.TeeReader(r.Body, h)
	// The buffer grows with the bytes that arrive, whatever the
	// Content-Length declares, so a declared length holds no memory
	// before its bytes come.
	most := limit
	if n := r.ContentLength; n >= 0 {
		most = n
	}
	body, err := io.ReadAll(io.LimitReader(in, most+1))
	if err != nil {
		return nil, nil, err
	}
	switch n := r.ContentLength; {
	case n >= 0 && int64(len(body)) < n:
		return nil, nil, io.ErrUnexpectedEOF
	case int64(len(body)) > most:
		if n >= 0 {
			return nil, nil, errors.New("request body longer than its Content-Length")
		}
		return nil, nil, errTooLarge
	}
	return body, h.Sum(nil), nil
}

// SelfSignedTLS makes a self-signed certificate for 127.0.0.1, ::1 and
// localhost (plus extra host names), valid for 30 days, writes it as PEM
// to certFile (atomically) so that clients can trust it, and returns the
// TLS configuration that serves it with HTTP/2 and HTTP/1.1.
func SelfSignedTLS(certFile string, hosts ...string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "bedrock-bench emulator", Organization: []string{"bedrock-bench"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := atomicfile.Write(certFile, certPEM); err != nil {
		return nil, fmt.Errorf("emulator: write the certificate: %w", err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		NextProtos:   []string{"h2", "http/1.1"},
		MinVersion:   tls.VersionTLS12,
	}, nil
}
