package emulator

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestSlowHeadersBesideTraffic opens connections that dribble their
// headers while normal callers keep working: the slow ones are cut at
// ReadHeaderTimeout (by the server, not by the client's own far later
// deadline) and the others are answered meanwhile.
func TestSlowHeadersBesideTraffic(t *testing.T) {
	_, hs := start(t, &Options{Limits: Limits{ReadHeaderTimeout: 500 * time.Millisecond}})
	addr := strings.TrimPrefix(hs.URL, "http://")
	const slow = 50
	cut := make(chan error, slow)
	for i := 0; i < slow; i++ {
		go func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				cut <- err
				return
			}
			defer c.Close()
			_, _ = io.WriteString(c, "POST /model/x/converse HTTP/1.1\r\nHost: x\r\n")
			// One byte every 100 ms, never finishing the headers.
			go func() {
				for j := 0; j < 100; j++ {
					if _, err := io.WriteString(c, "X"); err != nil {
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}()
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err = io.Copy(io.Discard, c)
			cut <- err
		}()
	}
	var lat []time.Duration
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		t0 := time.Now()
		if status, _, body := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", hiBody, defaultCreds); status != 200 {
			t.Fatalf("normal traffic: %d %s", status, body)
		}
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("normal traffic beside %d slow-header clients: %d calls, p50 %v, p99 %v", slow, len(lat), lat[len(lat)/2], lat[len(lat)*99/100])
	for i := 0; i < slow; i++ {
		if err := <-cut; heldPast(err) {
			t.Fatalf("a slow-header client was held past ReadHeaderTimeout: %v", err)
		}
	}
}

// TestIdleAndSlowBodyConnectionsAreClosed: keep-alive connections idle
// past IdleTimeout and bodies slower than ReadTimeout are cut.
func TestIdleAndSlowBodyConnectionsAreClosed(t *testing.T) {
	_, hs := start(t, &Options{Limits: Limits{IdleTimeout: 300 * time.Millisecond, ReadTimeout: 500 * time.Millisecond}})
	addr := strings.TrimPrefix(hs.URL, "http://")

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	_, _ = io.WriteString(idle, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(idle)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// The server closes the idle connection (end of file); our own
	// deadline, far past the idle timeout, firing instead means it held it.
	_ = idle.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := br.ReadByte(); err == nil || heldPast(err) {
		t.Errorf("idle keep-alive connection held past the idle timeout (%v)", err)
	}

	slowBody, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slowBody.Close()
	_, _ = io.WriteString(slowBody, "POST /model/x/converse HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
	go func() {
		for j := 0; j < 100; j++ {
			if _, err := io.WriteString(slowBody, "x"); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	_ = slowBody.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.Copy(io.Discard, slowBody); heldPast(err) {
		t.Errorf("a slow body was held past ReadTimeout: %v", err)
	}
}

// heldPast reports whether a read ended at the client's own deadline,
// set far past the server's timeout: the server held the connection
// instead of cutting it.
func heldPast(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestHeaderSizeLimit(t *testing.T) {
	_, hs := start(t, &Options{Limits: Limits{MaxHeaderBytes: 8 << 10}})
	req, _ := http.NewRequest("GET", hs.URL+"/foundation-models", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: %d", resp.StatusCode)
	}
}

// TestBodyBudget: bodies in flight beyond the budget are throttled before
// they are read, and the budget is returned after each request.
func TestBodyBudget(t *testing.T) {
	s, hs := start(t, &Options{MaxBodyBytes: 1 << 20, BodyBudget: 2 << 20, Faults: Faults{Latency: 300 * time.Millisecond}})
	body := `{"messages":[{"role":"user","content":[{"text":"` + strings.Repeat("x", 700<<10) + `"}]}]}`
	var wg sync.WaitGroup
	var ok, throttled atomic.Int32
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, h, resp := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", body, defaultCreds)
			switch {
			case status == 200:
				ok.Add(1)
			case status == 429 && strings.HasPrefix(h.Get("X-Amzn-Errortype"), "ThrottlingException") && strings.Contains(resp, msgThrottled):
				throttled.Add(1)
			default:
				t.Errorf("%d %s %.200s", status, h.Get("X-Amzn-Errortype"), resp)
			}
		}()
	}
	wg.Wait()
	// 2 MiB of budget holds one 700 KiB body at twice its size.
	if ok.Load() < 1 || throttled.Load() < 1 {
		t.Errorf("%d answered, %d throttled: want both", ok.Load(), throttled.Load())
	}
	if used := s.budget.Used(); used != 0 {
		t.Errorf("budget holds %d bytes after every request ended", used)
	}
	if _, err := New(&Options{MaxBodyBytes: 10, BodyBudget: 5}); err == nil {
		t.Error("a budget smaller than one body was accepted")
	}
}

// TestLoadMaximalBodies: 64 clients send maximal bodies for 10 s over
// loopback; the process's resident memory stays under 512 MiB. The body
// limit is 20 MiB here, not the default 64 MiB: the body budget (160 MiB)
// bounds what is held whatever the limit, and with 64 MiB bodies one
// fits at a time, so a run answers a handful and measures little else
// (472 MiB peak, measured once).
func TestLoadMaximalBodies(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a 10 s load test; its memory figure means nothing under the race detector")
	}
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status to read resident memory from")
	}
	_ = data
	s, hs := start(t, &Options{MaxBodyBytes: 20 << 20})
	prefix, suffix := `{"messages":[{"role":"user","content":[{"text":"`, `"}]}]}`
	body := []byte(prefix + strings.Repeat("x", int(s.maxBody)-len(prefix)-len(suffix)) + suffix)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	signer := v4.NewSigner()
	tr := &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss := residentBytes(); rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	var answered, throttled, failed atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if err := signer.SignHTTP(ctx, defaultCreds, req, hash, "bedrock", "us-east-1", time.Now()); err != nil {
					failed.Add(1)
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case 200:
					answered.Add(1)
				case 429:
					throttled.Add(1)
					time.Sleep(20 * time.Millisecond)
				default:
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	<-done
	runtime.GC()
	t.Logf("64 clients x 20 MiB bodies for 10 s: %d answered, %d throttled, %d transport errors; peak resident memory %d MiB",
		answered.Load(), throttled.Load(), failed.Load(), peak.Load()>>20)
	if peak.Load() > 512<<20 {
		t.Errorf("peak resident memory %d MiB, want under 512 MiB", peak.Load()>>20)
	}
	if answered.Load() == 0 {
		t.Error("no request was answered under load")
	}
}

// residentBytes reads VmRSS from /proc/self/status.
func residentBytes() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// TestStartLoopbackKeepsTheLimits: the loopback server the CLI and
// benchtest start is the emulator's own, with its timeouts: a client that
// never finishes its headers is cut at ReadHeaderTimeout, and stop ends
// the server.
func TestStartLoopbackKeepsTheLimits(t *testing.T) {
	s, err := New(&Options{Limits: Limits{ReadHeaderTimeout: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := s.StartLoopback()
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(url, "http://")
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("URL %q is not on loopback", url)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /foundation-models HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("a client stuck in its headers was held 5 s (ReadHeaderTimeout 300 ms)")
	}
	t.Logf("cut after %v", time.Since(start))
	stop()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("the server still accepts after stop")
	}
}
