package awstest

import (
	"io"
	"net/http"
)

// PlainBody hides the request body's WriteTo from net/http. smithy-go
// closes the request body as soon as the response headers arrive, and its
// closed body's WriteTo answers io.EOF as an error; net/http's HTTP/1.1
// write loop, still making its final check read of the body, takes that
// for a write failure and closes the connection under the response being
// streamed ("use of closed network connection"; the emulator's
// TestClosedConnectionProbe). A plain Read answers a closed body with a
// clean EOF instead. Tests that stream through the SDK give its client
// this transport.
type PlainBody struct{ http.RoundTripper }

// RoundTrip sends r with its body behind a plain io.ReadCloser.
func (p PlainBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = struct{ io.ReadCloser }{r.Body}
	}
	return p.RoundTripper.RoundTrip(r)
}
