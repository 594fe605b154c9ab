package benchtest

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// Recording is a cassette serving as the transport of an application's
// own Bedrock Runtime client.
type Recording struct {
	*replay.Session
}

// OpenCassette opens the cassette at path (ending in .yaml) in mode. In
// record modes, calls go wherever the client's configuration sends them.
// Call Close when done: a recording is then written (atomically, scrubbed
// of credentials and account ids).
func OpenCassette(path string, mode replay.Mode) (*Recording, error) {
	s, err := replay.Open(path, mode, replay.Options{Name: path})
	if err != nil {
		return nil, err
	}
	return &Recording{s}, nil
}

// Cassette opens the cassette at path in the mode the test flags ask for
// (replay, or -record / -record-missing) and closes it when the test ends,
// saving a recording unless the test failed. Pass its ClientOptions to the
// application's client constructor:
//
//	rec := benchtest.Cassette(t, "testdata/greeting.yaml")
//	client := bedrockruntime.NewFromConfig(cfg, rec.ClientOptions)
func Cassette(tb testing.TB, path string) *Recording {
	tb.Helper()
	r, err := OpenCassette(path, Mode())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			r.Abort()
			return
		}
		if err := r.Close(); err != nil {
			tb.Error(err)
		}
		if r.Mode() == replay.Replay {
			if n := r.Unplayed(); n > 0 {
				tb.Errorf("%d recorded interactions of %s were not replayed: the cassette is stale; re-record with -record", n, path)
			}
		}
	})
	return r
}

// ClientOptions routes a bedrockruntime client through the cassette. In
// replay it also signs with fake keys, never retries and ignores recorded
// dates, so nothing reaches the network and no credentials are needed.
func (r *Recording) ClientOptions(o *bedrockruntime.Options) {
	o.HTTPClient = &http.Client{Transport: r.Session}
	if r.Mode() == replay.Replay {
		o.Credentials = credentials.NewStaticCredentialsProvider("AKIDREPLAY", "SECRETREPLAY", "")
		o.Retryer = aws.NopRetryer{}
		o.DisableClockSkewCorrection = true
		o.BearerAuthTokenProvider = nil
		o.AuthSchemePreference = []string{"sigv4"}
		if o.Region == "" {
			o.Region = "us-east-1"
		}
	}
}
