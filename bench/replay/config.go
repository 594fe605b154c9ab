package replay

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/auth/bearer"

	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

// LoadConfig returns the AWS configuration for recording (and for the
// CLI's live calls) in region. Its clients read each answer's body, an
// error's above all, up to sdkhttp.MaxBody (256 MiB), as a recording
// reads it ([sdkhttp.BoundBodies]): an answer without end fails the call.
//
// With an endpoint on the loopback interface and a fallback provider (the
// bundled emulator and its documented key pair), it reads nothing from
// the environment or the shared files: no profile, Region, endpoint
// variable, CA bundle or Bedrock API key can steer a call to the
// emulator. The Region defaults to us-east-1.
//
// Otherwise the Region is region, else the configuration's, else none
// (a call to AWS in a Region nobody chose could send data where it must
// not go, so the caller decides), and it loads the standard chain
// (environment, shared config and credentials files, SSO, instance
// roles) on the SDK's own HTTP client,
// so credential traffic never goes through a recording; a Bedrock API key
// in AWS_BEARER_TOKEN_BEDROCK is returned as the BearerAuthTokenProvider.
// With an endpoint elsewhere, not an AWS endpoint ([IsAWS]), and
// neither AWS_ACCESS_KEY_ID nor AWS_PROFILE set, fallback signs the
// calls; an AWS endpoint (a Region's, named to reach a Region newer than
// the catalog) always gets the standard chain's credentials, which may
// come from the default profile, SSO, web identity or a role.
//
// With an endpoint on the loopback interface, either way, its HTTP client
// sends request bodies through sdkhttp.Client, so that a response (a
// stream above all) is not cut by the SDK's HTTP/1.1 race with net/http,
// which needs an answer that comes back within microseconds. Elsewhere
// the configuration keeps the SDK's own client, to which each service
// client applies the defaults mode's connect and TLS timeouts
// (AWS_DEFAULTS_MODE, defaults_mode) and its service read timeout: it
// applies them only to an *awshttp.BuildableClient, never behind a
// wrapper.
func LoadConfig(ctx context.Context, region, endpoint string, fallback aws.CredentialsProvider) (aws.Config, error) {
	if endpoint != "" && fallback != nil && IsLoopback(endpoint) {
		return HermeticConfig(region, endpoint, fallback), nil
	}
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if endpoint != "" && fallback != nil && !IsAWS(endpoint) && os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		opts = append(opts, config.WithCredentialsProvider(fallback))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, err
	}
	if endpoint != "" {
		cfg.BaseEndpoint = aws.String(endpoint)
	}
	// The SDK sets a bearer token provider for a profile with an
	// sso-session: the IAM Identity Center token, which only the SSO
	// credential provider may use. Sent to Bedrock as an API key it is
	// refused (and, never logged in, every call failed reading its
	// cache), so the provider is a Bedrock API key's alone.
	cfg.BearerAuthTokenProvider = nil
	if tok := os.Getenv("AWS_BEARER_TOKEN_BEDROCK"); tok != "" {
		cfg.BearerAuthTokenProvider = bearer.StaticTokenProvider{Token: bearer.Token{Value: tok}}
	}
	if endpoint != "" && IsLoopback(endpoint) {
		cfg.HTTPClient = plainBodies(cfg.HTTPClient)
	}
	cfg.APIOptions = append(cfg.APIOptions, sdkhttp.BoundBodies)
	return cfg, nil
}

// plainBodies wraps an SDK HTTP client (the SDK's default where there is
// none) in sdkhttp.Client.
func plainBodies(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		c = awshttp.NewBuildableClient()
	}
	if _, ok := c.(sdkhttp.Client); ok {
		return c
	}
	return sdkhttp.Client{Doer: c}
}

// IsAWS reports whether endpoint is a URL on an AWS service domain
// (amazonaws.com, amazonaws.com.cn, api.aws): a Region's endpoint, a
// FIPS, dual-stack or VPC endpoint.
func IsAWS(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	for _, d := range []string{".amazonaws.com", ".amazonaws.com.cn", ".api.aws"} {
		if strings.HasSuffix(h, d) {
			return true
		}
	}
	return false
}

// HermeticConfig is a configuration built from its arguments alone:
// nothing is read from the environment or the shared files. Its clients
// read each answer's body up to sdkhttp.MaxBody, as LoadConfig's do.
func HermeticConfig(region, endpoint string, creds aws.CredentialsProvider) aws.Config {
	cfg := aws.NewConfig()
	cfg.Region = region
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	cfg.Credentials = creds
	if endpoint != "" {
		cfg.BaseEndpoint = aws.String(endpoint)
	}
	cfg.HTTPClient = plainBodies(nil)
	cfg.APIOptions = append(cfg.APIOptions, sdkhttp.BoundBodies)
	return *cfg
}

// IsLoopback reports whether endpoint is a URL on the loopback interface
// (localhost, 127.0.0.0/8, ::1).
func IsLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// RecordOptions are the options of a recording session for cfg, a
// configuration from [LoadConfig] for endpoint: its credentials, its
// Bedrock API key, and, where LoadConfig loaded the standard chain (AWS,
// or an endpoint off the loopback interface), its HTTP client, so that a
// recording trusts the CA bundle the configuration names (AWS_CA_BUNDLE,
// a profile's ca_bundle: a TLS-inspecting proxy's) as the SDK does, and
// its FIPS and dual-stack endpoint settings (AWS_USE_FIPS_ENDPOINT,
// AWS_USE_DUALSTACK_ENDPOINT, a profile's use_fips_endpoint), so that a
// recording reaches the endpoint every other call of the SDK would. With
// an endpoint on the loopback interface nothing of the environment was
// read, and the session's own transport sends.
func RecordOptions(cfg aws.Config, endpoint string) Options {
	o := Options{Credentials: cfg.Credentials, BearerToken: cfg.BearerAuthTokenProvider, Endpoint: endpoint}
	if !IsLoopback(endpoint) {
		o.HTTPClient = cfg.HTTPClient
		eo := bedrockruntime.NewFromConfig(cfg, SigV4Only).Options().EndpointOptions
		o.UseFIPSEndpoint, o.UseDualStackEndpoint = eo.UseFIPSEndpoint, eo.UseDualStackEndpoint
	}
	return o
}

// Transport is the transport of cfg's HTTP client, a configuration from
// [LoadConfig], for code that forwards requests itself rather than
// through an SDK client (capture's recording proxy): like a recording
// through [RecordOptions], it trusts the CA bundle the configuration
// names (AWS_CA_BUNDLE, a profile's ca_bundle: a TLS-inspecting proxy's)
// and goes through the proxy the environment names (HTTPS_PROXY), as the
// SDK does. It sets no bound on the wait for an answer (the client's
// timeouts are not kept): the caller of the forwarded request decides.
func Transport(cfg aws.Config) http.RoundTripper {
	c := cfg.HTTPClient
	if p, ok := c.(sdkhttp.Client); ok {
		c = p.Doer
	}
	switch c := c.(type) {
	case nil:
		return awshttp.NewBuildableClient().GetTransport()
	case *awshttp.BuildableClient:
		return c.GetTransport()
	case *http.Client:
		if c.Transport == nil {
			return http.DefaultTransport
		}
		return c.Transport
	default:
		return doer{c}
	}
}

// doer sends a request through an SDK HTTP client of a kind [Transport]
// cannot take the transport of.
type doer struct{ aws.HTTPClient }

func (d doer) RoundTrip(r *http.Request) (*http.Response, error) { return d.Do(r) }
