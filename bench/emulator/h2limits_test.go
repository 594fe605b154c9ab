package emulator

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestHTTP2StreamCap reads the server's first SETTINGS frame on an
// unencrypted HTTP/2 connection (prior knowledge, as the JS SDK speaks):
// it announces the configured cap on concurrent streams, so one client
// cannot hold more than that many requests open on a connection
// (RFC 9113, section 6.5.2, SETTINGS_MAX_CONCURRENT_STREAMS = 0x3).
func TestHTTP2StreamCap(t *testing.T) {
	for _, want := range []int{0, 7} {
		_, hs := start(t, &Options{Limits: Limits{MaxConcurrentStreams: want}})
		if want == 0 {
			want = 128 // the default
		}
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(hs.URL, "http://"), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		// The client preface, then an empty SETTINGS frame.
		if _, err := io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"); err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		var hdr [9]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			t.Fatalf("no frame from the server: %v", err)
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		if hdr[3] != 0x4 || n%6 != 0 || n > 1<<14 {
			t.Fatalf("first frame: type %#x length %d, want SETTINGS", hdr[3], n)
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			t.Fatal(err)
		}
		got := -1
		for i := 0; i < n; i += 6 {
			if binary.BigEndian.Uint16(payload[i:]) == 0x3 {
				got = int(binary.BigEndian.Uint32(payload[i+2:]))
			}
		}
		if got != want {
			t.Errorf("SETTINGS_MAX_CONCURRENT_STREAMS = %d, want %d", got, want)
		}
	}
}
