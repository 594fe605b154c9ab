package replay

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/defaults"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"

	"github.com/bedrock-bench/bedrock-bench/internal/awstest"
	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

// TestMain runs the package's tests with a fixed, empty AWS
// configuration: nothing in the developer's environment reaches them.
func TestMain(m *testing.M) {
	awstest.Isolate()
	os.Exit(m.Run())
}

// TestAmbientAWSConfigurationIsIgnored: with every AWS variable set to a
// bogus value (a Bedrock API key, a profile, files, Regions, endpoints, a
// CA bundle, keys), recording against the emulator and replaying through
// the SDK work exactly as in a clean environment.
func TestAmbientAWSConfigurationIsIgnored(t *testing.T) {
	awstest.SetHostile(t)
	emu := startEmulator(t, nil)
	cfg, err := LoadConfig(context.Background(), "", emu, emuCreds)
	if err != nil {
		t.Fatalf("a loopback endpoint must not read the ambient configuration: %v", err)
	}
	if cfg.Region != "us-east-1" || cfg.BearerAuthTokenProvider != nil || cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != emu {
		t.Errorf("config for the emulator took something from the environment: region %q, endpoint %v, bearer %v", cfg.Region, cfg.BaseEndpoint, cfg.BearerAuthTokenProvider != nil)
	}
	if c, err := cfg.Credentials.Retrieve(context.Background()); err != nil || c.AccessKeyID != emulator.DefaultCredentials.AccessKeyID {
		t.Errorf("credentials for the emulator: %v %v", c.AccessKeyID, err)
	}
	if _, ok := cfg.HTTPClient.(sdkhttp.Client); !ok {
		t.Errorf("the emulator's config has HTTP client %T, not the one that keeps streams whole", cfg.HTTPClient)
	}
	path := filepath.Join(t.TempDir(), "hostile.yaml")
	rec, err := Open(path, Record, Options{Name: "h", Credentials: cfg.Credentials, BearerToken: cfg.BearerAuthTokenProvider, Endpoint: emu})
	if err != nil {
		t.Fatal(err)
	}
	want, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "hostile")
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	wantStream := streamText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "hostile stream")
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, v := range awstest.Hostile {
		if strings.Contains(string(data), v) {
			t.Errorf("the cassette holds the ambient value %q", v)
		}
	}
	rep, err := Open(path, Replay, Options{Name: "h"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := converseText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "hostile")
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if got != want || streamText(t, rep.Client("us-east-1"), "amazon.nova-micro-v1:0", "hostile stream") != wantStream {
		t.Error("replay differs from the recording")
	}
	if n := rep.Unplayed(); n != 0 {
		t.Errorf("%d interactions unplayed", n)
	}
}

func TestIsLoopback(t *testing.T) {
	for ep, want := range map[string]bool{"http://127.0.0.1:8080": true, "http://localhost:1": true, "http://[::1]:9": true, "http://127.3.4.5": true,
		"https://bedrock-runtime.us-east-1.amazonaws.com": false, "http://10.0.0.1:80": false, "127.0.0.1:80": false, "": false} {
		if IsLoopback(ep) != want {
			t.Errorf("IsLoopback(%q) = %v", ep, !want)
		}
	}
}

// TestLoadConfigKeepsStreamsWhole: the standard chain's configuration
// with an endpoint on loopback (a local emulator reached with the
// caller's own credentials) sends bodies through sdkhttp.Client around
// the SDK's own client, so its transport settings stay.
func TestLoadConfigKeepsStreamsWhole(t *testing.T) {
	cfg, err := LoadConfig(context.Background(), "eu-west-3", "http://127.0.0.1:4566", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.HTTPClient.(sdkhttp.Client)
	if !ok {
		t.Fatalf("HTTP client %T", cfg.HTTPClient)
	}
	if _, ok := c.Doer.(*awshttp.BuildableClient); !ok || cfg.Region != "eu-west-3" {
		t.Errorf("wrapped client %T, region %q: want the SDK's BuildableClient", c.Doer, cfg.Region)
	}
	if again := plainBodies(cfg.HTTPClient); again != cfg.HTTPClient {
		t.Error("a wrapped client was wrapped again")
	}
}

// TestLoadConfigKeepsTheSDKTimeouts: toward AWS, the configuration keeps
// the SDK's own client, so that a service client applies the defaults
// mode's timeouts to it. AWS_DEFAULTS_MODE=standard sets a connect and a
// TLS negotiation timeout (connectTimeoutInMillis and
// tlsNegotiationTimeoutInMillis, "Smart configuration defaults" in the AWS
// SDKs and Tools Reference Guide,
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-smart-config-defaults.html);
// the SDK applies them only to an *awshttp.BuildableClient.
func TestLoadConfigKeepsTheSDKTimeouts(t *testing.T) {
	t.Setenv("AWS_DEFAULTS_MODE", "standard")
	mode, err := defaults.GetModeConfiguration(aws.DefaultsModeStandard)
	if err != nil {
		t.Fatal(err)
	}
	connect, ok1 := mode.GetConnectTimeout()
	handshake, ok2 := mode.GetTLSNegotiationTimeout()
	if !ok1 || !ok2 {
		t.Fatal("the standard mode sets no connect or TLS timeout")
	}
	for _, endpoint := range []string{"", "https://bedrock-runtime.eu-west-3.amazonaws.com"} {
		cfg, err := LoadConfig(context.Background(), "eu-west-3", endpoint, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DefaultsMode != aws.DefaultsModeStandard {
			t.Fatalf("defaults mode %q: AWS_DEFAULTS_MODE was not read", cfg.DefaultsMode)
		}
		client := bedrockruntime.NewFromConfig(cfg).Options().HTTPClient
		b, ok := client.(*awshttp.BuildableClient)
		if !ok {
			t.Fatalf("endpoint %q: the service client has HTTP client %T, so the SDK applied no timeout to it", endpoint, client)
		}
		if got := b.GetDialer().Timeout; got != connect {
			t.Errorf("endpoint %q: connect timeout %v, want the standard mode's %v", endpoint, got, connect)
		}
		if got := b.GetTransport().TLSHandshakeTimeout; got != handshake {
			t.Errorf("endpoint %q: TLS handshake timeout %v, want the standard mode's %v", endpoint, got, handshake)
		}
	}
}
