package sdkhttp

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestBoundedBodyReadsUpToTheBound: a body of exactly the bound is read
// whole; one byte more is a *TooLargeError, and so is every read after.
func TestBoundedBodyReadsUpToTheBound(t *testing.T) {
	for _, tc := range []struct {
		n       int
		tooLong bool
	}{{0, false}, {9, false}, {10, false}, {11, true}, {1000, true}} {
		b := &boundedBody{ReadCloser: io.NopCloser(strings.NewReader(strings.Repeat("x", tc.n))), left: 10, limit: 10}
		got, err := io.ReadAll(b)
		var tl *TooLargeError
		if tc.tooLong != errors.As(err, &tl) || (!tc.tooLong && len(got) != tc.n) {
			t.Errorf("%d bytes: read %d, %v", tc.n, len(got), err)
		}
		if tc.tooLong {
			if _, err := b.Read(make([]byte, 1)); !errors.As(err, &tl) {
				t.Errorf("%d bytes: a read after the bound answered %v", tc.n, err)
			}
		}
		old := MaxBody
		MaxBody = 10
		got, err = ReadAll(strings.NewReader(strings.Repeat("x", tc.n)))
		MaxBody = old
		if tc.tooLong != errors.As(err, &tl) || (!tc.tooLong && len(got) != tc.n) {
			t.Errorf("ReadAll of %d bytes: read %d, %v", tc.n, len(got), err)
		}
	}
}
