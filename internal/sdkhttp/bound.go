package sdkhttp

import (
	"context"
	"fmt"
	"io"
	"mime"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// MaxBody bounds each answer's body that bedrock-bench reads whole, an
// error answer's above all: 256 MiB, the most a cassette holds. A
// recording reads every body it records through [ReadAll], and an SDK
// client whose configuration has [BoundBodies] reads every body but an
// event stream's through the same bound, so a service, or a proxy in
// front of it, that answers without end cannot grow memory without end.
// Tests lower it.
var MaxBody int64 = 256 << 20

// TooLargeError is a body longer than its bound.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the answer's body is larger than %s, the most bedrock-bench reads of one: not read further", bounded.Size(e.Limit))
}

// ReadAll reads r whole, at most MaxBody bytes of it, and refuses a
// longer one with a *TooLargeError.
func ReadAll(r io.Reader) ([]byte, error) {
	limit := MaxBody
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return b, nil
}

// BoundBodies is an API option (aws.Config.APIOptions) that bounds each
// response body the SDK reads at MaxBody: reading past it fails with a
// *TooLargeError, so the call fails instead of reading on. An event
// stream (ConverseStream, InvokeModelWithResponseStream) is read frame
// by frame, never whole, and is left as it is.
func BoundBodies(st *middleware.Stack) error {
	// Added last, so that it runs innermost, next to the HTTP client:
	// the operation's deserializer reads the body it bounded.
	return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("BedrockBenchBoundBodies",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil && !eventStream(resp.Header.Get("Content-Type")) {
				resp.Body = &boundedBody{ReadCloser: resp.Body, left: MaxBody, limit: MaxBody}
			}
			return out, md, err
		}), middleware.After)
}

// eventStream reports whether a Content-Type is AWS's event stream.
func eventStream(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/vnd.amazon.eventstream"
}

// boundedBody reads at most limit bytes of a body; a byte more is a
// *TooLargeError.
type boundedBody struct {
	io.ReadCloser
	left, limit int64
	tooLarge    bool
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.tooLarge {
		return 0, &TooLargeError{Limit: b.limit}
	}
	if len(p) == 0 {
		return 0, nil
	}
	if b.left == 0 {
		// Past the bound: one byte more is one too many.
		var one [1]byte
		n, err := b.ReadCloser.Read(one[:])
		if n > 0 {
			b.tooLarge = true
			return 0, &TooLargeError{Limit: b.limit}
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
