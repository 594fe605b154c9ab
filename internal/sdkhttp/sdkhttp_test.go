package sdkhttp

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// seen records the body each request reached the transport with.
type seen struct{ bodies []io.ReadCloser }

func (s *seen) RoundTrip(r *http.Request) (*http.Response, error) {
	s.bodies = append(s.bodies, r.Body)
	var b []byte
	if r.Body != nil {
		var err error
		if b, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
	}
	return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(b)), Request: r}, nil
}

func (s *seen) Do(r *http.Request) (*http.Response, error) { return s.RoundTrip(r) }

// TestBodiesLoseWriteTo: a body that has WriteTo (as smithy-go's and
// io.NopCloser's over a bytes.Reader do) reaches the transport without
// it, its bytes whole; no body and http.NoBody stay as they are.
func TestBodiesLoseWriteTo(t *testing.T) {
	var s seen
	for name, send := range map[string]func(*http.Request) (*http.Response, error){
		"PlainBody": PlainBody{&s}.RoundTrip,
		"Client":    Client{&s}.Do,
	} {
		s.bodies = nil
		r := httptest.NewRequest("POST", "http://127.0.0.1/model/m/converse-stream", nil)
		r.Body = io.NopCloser(strings.NewReader(`{"messages":[]}`))
		if _, ok := r.Body.(io.WriterTo); !ok {
			t.Fatal("the test body has no WriteTo to hide")
		}
		resp, err := send(r)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if _, ok := s.bodies[0].(io.WriterTo); ok || string(got) != `{"messages":[]}` {
			t.Errorf("%s: the transport got a body with WriteTo (%T), or other bytes: %q", name, s.bodies[0], got)
		}
		for _, body := range []io.ReadCloser{nil, http.NoBody} {
			r := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
			r.Body = body
			if _, err := send(r); err != nil {
				t.Fatal(err)
			}
			if last := s.bodies[len(s.bodies)-1]; last != body {
				t.Errorf("%s: body %v became %T", name, body, last)
			}
		}
	}
}
