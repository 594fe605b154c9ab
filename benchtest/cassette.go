package benchtest

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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
// record modes, calls go wherever the client's configuration sends them,
// through the client's own HTTP client.
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
// saving a recording unless the test failed or was skipped. Pass its
// ClientOptions to the application's client constructor:
//
//	rec := benchtest.Cassette(t, "testdata/greeting.yaml")
//	client := bedrockruntime.NewFromConfig(cfg, rec.ClientOptions)
//
// A recording goes where the client's configuration sends it, or, with
// -endpoint, to that endpoint (-endpoint emulator: the bundled emulator,
// in-process) with the emulator's keys. A missing cassette fails the test
// with the command that records it.
//
// A recording belongs to one test: recording into a cassette that another
// test recorded into, or that is open already, fails the test, as the
// recordings would replace each other. A recording in which the test made
// no call through the cassette fails too: nothing is written, and the
// replay would fail for want of a cassette.
func Cassette(tb testing.TB, path string) *Recording {
	tb.Helper()
	if err := checkModeFlags(); err != nil {
		tb.Fatal(err)
	}
	r, err := openCassette(path, Mode(), replay.Options{Name: path, Rerecord: recordTestCommand(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	if r.Mode() != replay.Replay {
		release, err := claim(path, tb.Name())
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(release)
		if err := probeEndpoint(); err != nil {
			tb.Fatal(err)
		}
		if ep := strings.TrimSpace(*endpoint); ep != "" {
			if ep == "emulator" {
				ep = *Emulator(tb, nil).BaseEndpoint
			}
			r.endpoint, r.creds = ep, emulator.DefaultCredentials.Provider()
		}
	}
	tb.Cleanup(func() {
		if tb.Failed() || tb.Skipped() {
			// A test that stopped early made only some of its calls: a
			// recording of them is not saved, and a replay leaves the
			// rest unused without the cassette being stale.
			if r.Mode() != replay.Replay && len(r.Cassette().Interactions) > 0 {
				tb.Logf("%s was not recorded again, as the test failed or was skipped; an older recording is kept", path)
			}
			r.Abort()
			return
		}
		if r.Mode() != replay.Replay && len(r.Cassette().Interactions) == 0 {
			tb.Errorf("the test made no Bedrock call through the cassette %s, so none was written and a replay would fail for want of it: build the client with rec.ClientOptions (a client without them calls Bedrock itself, and nothing records it), or drop the Cassette call from a test that makes no call", path)
			return
		}
		if err := r.Close(); err != nil {
			tb.Error(err)
		}
		if r.Mode() == replay.Replay {
			if n := r.Unplayed(); n > 0 {
				tb.Errorf("%s (%s): the cassette is stale; re-record with %s", replay.UnplayedText(n), path, r.Rerecord())
			}
		}
	})
	return r
}

// ClientOptions routes a bedrockruntime client through the cassette. A
// recording sends its calls with the client's own HTTP client (the one
// its configuration holds: a CA bundle, a proxy), or with -endpoint a
// default one. In replay it also signs with fake keys, never retries and
// ignores recorded dates, so nothing reaches the network and no
// credentials are needed.
func (r *Recording) ClientOptions(o *bedrockruntime.Options) {
	switch {
	case r.Mode() == replay.Replay || r.endpoint != "":
		o.HTTPClient = &http.Client{Transport: r.Session}
	default:
		o.HTTPClient = &http.Client{Transport: r.Session.Through(o.HTTPClient)}
	}
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

// inUse records which test recorded into each cassette in this process,
// and whether the recording is open.
var inUse = struct {
	sync.Mutex
	m map[string]*cassetteUse
}{m: map[string]*cassetteUse{}}

type cassetteUse struct {
	test string
	open bool
}

// claim takes the cassette at path for a recording by test, refusing one
// another test recorded into or one still open; release marks it closed.
func claim(path, test string) (release func(), err error) {
	key, err := filepath.Abs(path)
	if err != nil {
		key = filepath.Clean(path)
	}
	inUse.Lock()
	defer inUse.Unlock()
	u := inUse.m[key]
	switch {
	case u == nil:
		u = &cassetteUse{test: test}
		inUse.m[key] = u
	case u.test != test:
		return nil, fmt.Errorf("cassette %s was recorded into by test %s already: give each test its own cassette (named after the test, say), as their recordings replace each other", path, u.test)
	case u.open:
		return nil, fmt.Errorf("cassette %s is recording already in this test: open it once and pass rec.ClientOptions to each client, as two recordings into one file replace each other", path)
	}
	u.open = true
	return func() {
		inUse.Lock()
		u.open = false
		inUse.Unlock()
	}, nil
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
