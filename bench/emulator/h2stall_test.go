package emulator

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestHTTP2StalledConnectionsAreCut: an unencrypted HTTP/2 connection
// that never completes a request's headers (only the preface and
// SETTINGS, or a HEADERS frame without END_HEADERS) is closed after the
// read-header timeout, as an HTTP/1.1 one is; before, it stayed for the
// idle timeout (60 s by default). The idle timeout here is far past the
// test's hang guard, so a connection closed in time was closed by the
// read-header bound.
func TestHTTP2StalledConnectionsAreCut(t *testing.T) {
	_, hs := start(t, &Options{Limits: Limits{ReadHeaderTimeout: 200 * time.Millisecond, IdleTimeout: 10 * time.Minute}})
	const settings = "\x00\x00\x00\x04\x00\x00\x00\x00\x00"
	// HEADERS (type 1) on stream 1, flags END_STREAM only (no
	// END_HEADERS): one byte of a header block, then nothing.
	const openHeaders = "\x00\x00\x01\x01\x01\x00\x00\x00\x01\x82"
	for name, sent := range map[string]string{"settings only": settings, "unfinished headers": settings + openHeaders} {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(hs.URL, "http://"), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"+sent); err != nil {
			t.Fatal(err)
		}
		// A hang guard, not a measure: the server must close first.
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		_, err = io.Copy(io.Discard, c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("%s: the connection was still open at the hang guard", name)
		}
	}
}
