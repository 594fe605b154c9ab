package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// converseBody is a Converse request of exactly n bytes (n >= 60).
func converseBody(n int) string {
	prefix, suffix := `{"messages":[{"role":"user","content":[{"text":"`, `"}]}]}`
	return prefix + strings.Repeat("x", n-len(prefix)-len(suffix)) + suffix
}

// TestBodyBudgetHoldsTheLargestBody: a request holds twice its body from
// the budget, so New refuses a budget below twice the largest body (one
// between once and twice throttled every maximal body, retry after
// retry), and with the smallest budget it accepts, a maximal body is
// answered. A budget given alone bounds the body to half of it; a
// largest body given alone raises the default budget to twice its size.
func TestBodyBudgetHoldsTheLargestBody(t *testing.T) {
	const largest = 256 << 10
	for _, b := range []int64{largest, 2*largest - 1} {
		if _, err := New(&Options{MaxBodyBytes: largest, BodyBudget: b}); err == nil || !strings.Contains(err.Error(), "at least 524288 bytes") {
			t.Errorf("a budget of %d for bodies of %d: %v", b, largest, err)
		}
	}
	for _, o := range []*Options{{MaxBodyBytes: -1}, {BodyBudget: -1}, {BodyBudget: 1}} {
		if _, err := New(o); err == nil {
			t.Errorf("%+v accepted", *o)
		}
	}
	s, hs := start(t, &Options{MaxBodyBytes: largest, BodyBudget: 2 * largest})
	status, _, raw := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", converseBody(largest), defaultCreds)
	if status != http.StatusOK {
		t.Errorf("a maximal body with the smallest budget: %d %.200s", status, raw)
	}
	if s.budget.Used() != 0 {
		t.Errorf("budget holds %d bytes after the request", s.budget.Used())
	}

	s, hs = start(t, &Options{BodyBudget: 1 << 20})
	if s.maxBody != 512<<10 {
		t.Fatalf("a budget of 1 MiB alone: largest body %d", s.maxBody)
	}
	status, _, raw = rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", converseBody(int(s.maxBody)), defaultCreds)
	if status != http.StatusOK {
		t.Errorf("a maximal body with a budget given alone: %d %.200s", status, raw)
	}

	s, err := New(&Options{MaxBodyBytes: 100 << 20})
	if err != nil || s.budget.Limit != 200<<20 {
		t.Errorf("a 100 MiB largest body alone: %v, budget %d", err, s.budget.Limit)
	}
	if s, err := New(nil); err != nil || s.budget.Limit != 160<<20 || s.maxBody != 64<<20 {
		t.Errorf("defaults: %v", err)
	}
}

// chunkedRequest starts a signed Converse request whose body has no
// Content-Length (chunked): the returned writer sends it, and the
// channel gets the answer's status once the body is closed.
func chunkedRequest(t *testing.T, hs *httptest.Server, body string) (io.WriteCloser, <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), defaultCreds, req, hex.EncodeToString(sum[:]), "bedrock", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		resp, err := hs.Client().Do(req)
		if err != nil {
			pr.CloseWithError(err)
			done <- 0
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	return pw, done
}

// TestChunkedBodyHoldsWhatArrived: a body without Content-Length holds
// from the budget what it has sent (twice over), not the largest body;
// before, each such request held twice the largest body (128 MiB of the
// default 160 MiB), so a second one beside it was throttled. A chunked
// body that outgrows what the budget has left is throttled, and every
// byte comes back once the requests end.
func TestChunkedBodyHoldsWhatArrived(t *testing.T) {
	s, hs := start(t, &Options{MaxBodyBytes: 1 << 20, BodyBudget: 2 << 20})
	body := converseBody(64 << 10)
	// The first request sends half its body and waits.
	w1, done1 := chunkedRequest(t, hs, body)
	t.Cleanup(func() { w1.Close() }) // on failure, so the server can close
	if _, err := io.WriteString(w1, body[:len(body)/2]); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.budget.Used() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if used := s.budget.Used(); used == 0 || used > 2*int64(len(body)) {
		t.Fatalf("a half-sent chunked body of %d bytes holds %d", len(body), used)
	}
	// A second chunked request is answered meanwhile.
	w2, done2 := chunkedRequest(t, hs, body)
	go func() { _, _ = io.WriteString(w2, body); w2.Close() }()
	if status := <-done2; status != http.StatusOK {
		t.Errorf("a chunked request beside another: %d", status)
	}
	// One that would need more than the budget has left is throttled.
	big := converseBody(1000 << 10)
	w3, done3 := chunkedRequest(t, hs, big)
	go func() { _, _ = io.WriteString(w3, big); w3.Close() }()
	if status := <-done3; status != http.StatusTooManyRequests {
		t.Errorf("a chunked body past what the budget has left: %d", status)
	}
	if _, err := io.WriteString(w1, body[len(body)/2:]); err != nil {
		t.Fatal(err)
	}
	w1.Close()
	if status := <-done1; status != http.StatusOK {
		t.Errorf("the first chunked request: %d", status)
	}
	// Alone, the same large body fits.
	w4, done4 := chunkedRequest(t, hs, big)
	go func() { _, _ = io.WriteString(w4, big); w4.Close() }()
	if status := <-done4; status != http.StatusOK {
		t.Errorf("a chunked body the budget holds: %d", status)
	}
	if used := s.budget.Used(); used != 0 {
		t.Errorf("budget holds %d bytes after every request ended", used)
	}
}

// TestDeclaredLengthHoldsWhatArrived: a body with a Content-Length holds
// from the budget what has arrived (twice over), not what it declares;
// before, two connections declaring the largest body and sending a few
// bytes reserved the whole budget, and every other call was throttled
// until the read timeout cut them (in verify mode too: the signature is
// checked once the body is in). The declared length is not allocated
// before it arrives either.
func TestDeclaredLengthHoldsWhatArrived(t *testing.T) {
	s, hs := start(t, &Options{MaxBodyBytes: 1 << 20, BodyBudget: 2 << 20})
	const sent = 16
	for range 2 {
		pr, pw := io.Pipe()
		t.Cleanup(func() { pw.Close() })
		req, err := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = 1 << 20
		req.Header.Set("Content-Type", "application/json")
		if err := v4.NewSigner().SignHTTP(context.Background(), defaultCreds, req, strings.Repeat("0", 64), "bedrock", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		go func() {
			if resp, err := hs.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		if _, err := pw.Write([]byte(strings.Repeat("x", sent))); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.budget.Used() < 2*bodyCost*sent && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if used := s.budget.Used(); used != 2*bodyCost*sent {
		t.Fatalf("two stalled bodies that sent %d bytes each hold %d bytes of the budget, want %d", sent, used, 2*bodyCost*sent)
	}
	if status, _, raw := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", converseBody(512<<10), defaultCreds); status != http.StatusOK {
		t.Errorf("a call beside two stalled declared bodies: %d %.200s", status, raw)
	}
}
