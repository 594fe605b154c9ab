package benchtest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// Recording is a cassette serving as the transport of an application's
// own Bedrock Runtime client.
type Recording struct {
	*replay.Session
	// endpoint and creds, when set, send a recording there with these
	// keys (Cassette with -endpoint), whatever the client's configuration
	// says.
	endpoint string
	creds    aws.CredentialsProvider
}

// OpenCassette opens the cassette at path (ending in .yaml) in mode. In
// record modes, calls go wherever the client's configuration sends them.
// Call Close when done: a recording is then written (atomically, scrubbed
// of credentials and account ids).
func OpenCassette(path string, mode replay.Mode) (*Recording, error) {
	return openCassette(path, mode, replay.Options{Name: path})
}

func openCassette(path string, mode replay.Mode, opts replay.Options) (*Recording, error) {
	s, err := replay.Open(path, mode, opts)
	if err != nil {
		return nil, err
	}
	return &Recording{Session: s}, nil
}

// Cassette opens the cassette at path in the mode the test flags ask for
// (replay, or -record / -record-missing) and closes it when the test ends,
// saving a recording unless the test failed. Pass its ClientOptions to the
// application's client constructor:
//
//	rec := benchtest.Cassette(t, "testdata/greeting.yaml")
//	client := bedrockruntime.NewFromConfig(cfg, rec.ClientOptions)
//
// A recording goes where the client's configuration sends it, or, with
// -endpoint, to that endpoint (-endpoint emulator: the bundled emulator,
// in-process) with the emulator's keys. A missing cassette fails the test
// with the command that records it.
func Cassette(tb testing.TB, path string) *Recording {
	tb.Helper()
	r, err := openCassette(path, Mode(), replay.Options{Name: path, Rerecord: recordTestCommand(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	if r.Mode() != replay.Replay {
		if ep := strings.TrimSpace(*endpoint); ep != "" {
			if ep == "emulator" {
				ep = *Emulator(tb, nil).BaseEndpoint
			}
			r.endpoint, r.creds = ep, emulator.DefaultCredentials.Provider()
		}
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
				tb.Errorf("%d recorded interactions of %s were not replayed: the cassette is stale; re-record with %s", n, path, recordTestCommand(tb))
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
	if r.endpoint != "" {
		o.BaseEndpoint = aws.String(r.endpoint)
		o.Credentials = r.creds
		o.BearerAuthTokenProvider = nil
		o.AuthSchemePreference = []string{"sigv4"}
		if o.Region == "" {
			o.Region = "us-east-1"
		}
	}
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

// recordTestCommand words the go test command that records tb's
// cassettes again, in its package, with the -endpoint in use.
func recordTestCommand(tb testing.TB) string {
	parts := strings.Split(tb.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := "go test " + packageDir() + " -run " + quote(strings.Join(parts, "/")) + " -record"
	if ep := *endpoint; ep != "" {
		cmd += " -endpoint " + quote(ep)
	}
	return cmd
}
