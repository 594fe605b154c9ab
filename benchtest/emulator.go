package benchtest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// StartEmulator starts the bundled emulator on a free loopback port and
// returns an aws.Config that reaches it: Region us-east-1, the emulator's
// endpoint and its documented key pair, SigV4. Nothing of the caller's AWS
// configuration is read. The SDK's retries are left as they are by
// default (three attempts, with backoff), so an application's client
// meets the emulator's throttling and server faults as it meets
// Bedrock's. Build a bedrockruntime client with the [SigV4]
// option: the SDK itself reads AWS_BEARER_TOKEN_BEDROCK over any config.
// opts may be nil (every model of the embedded catalog, a caller allowed
// everything). Call stop when done.
func StartEmulator(opts *emulator.Options) (cfg aws.Config, stop func(), err error) {
	s, err := emulator.New(opts)
	if err != nil {
		return aws.Config{}, nil, err
	}
	// The emulator's own server: HTTP/1.1 and h2c, its timeouts and limits.
	url, stop, err := s.StartLoopback()
	if err != nil {
		return aws.Config{}, nil, err
	}
	cfg = aws.Config{
		Region:               "us-east-1",
		BaseEndpoint:         aws.String(url),
		Credentials:          emulator.DefaultCredentials.Provider(),
		AuthSchemePreference: []string{"sigv4"},
	}
	return cfg, stop, nil
}

// Emulator is [StartEmulator] for a test: the emulator stops when the test
// ends. Build any AWS SDK client from the config; for bedrockruntime add
// [SigV4], so that a Bedrock API key in the environment changes nothing:
//
//	client := bedrockruntime.NewFromConfig(benchtest.Emulator(t, nil), benchtest.SigV4)
func Emulator(tb testing.TB, opts *emulator.Options) aws.Config {
	tb.Helper()
	cfg, stop, err := StartEmulator(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return cfg
}

// SigV4 is a bedrockruntime client option that signs with SigV4 even when
// AWS_BEARER_TOKEN_BEDROCK is set: the SDK reads that variable in New, over
// any aws.Config, and refuses to send a bearer token over plain HTTP.
var SigV4 = replay.SigV4Only
