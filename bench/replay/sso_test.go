package replay

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

// authDoer answers every call with a Converse answer and keeps the
// Authorization header of each.
type authDoer struct{ auth []string }

func (d *authDoer) Do(r *http.Request) (*http.Response, error) {
	d.auth = append(d.auth, r.Header.Get("Authorization"))
	resp := jsonAnswer(200, `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`)
	resp.Request = r
	return resp, nil
}

// ssoProfile writes a shared config whose profile "sso" takes its
// credentials from an IAM Identity Center session "s", served by a fake
// portal (AWS_ENDPOINT_URL_SSO), and, when loggedIn, the session's
// cached token, as `aws sso login` leaves it.
func ssoProfile(t *testing.T, loggedIn bool) {
	t.Helper()
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/federation/credentials" || r.Header.Get("X-Amz-Sso_bearer_token") != "sso-access-token" {
			http.Error(w, `{"message":"bad request"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"roleCredentials":{"accessKeyId":"ASIASSOEXAMPLE","secretAccessKey":"sso-secret","sessionToken":"sso-session-token","expiration":4102444800000}}`))
	}))
	t.Cleanup(portal.Close)
	home := t.TempDir()
	config := "[profile sso]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = Bench\nregion = us-east-1\n" +
		"[sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
	if err := os.WriteFile(filepath.Join(home, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	t.Setenv("AWS_PROFILE", "sso")
	t.Setenv("AWS_ENDPOINT_URL_SSO", portal.URL)
	if loggedIn {
		sum := sha1.Sum([]byte("s"))
		cache := filepath.Join(home, ".aws", "sso", "cache")
		if err := os.MkdirAll(cache, 0o700); err != nil {
			t.Fatal(err)
		}
		token := `{"accessToken":"sso-access-token","expiresAt":"2100-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://example.awsapps.com/start"}`
		if err := os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])+".json"), []byte(token), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRecordingWithAnSSOProfileSignsWithItsRoleCredentials: with a
// profile that takes its credentials from IAM Identity Center (an
// sso-session, as `aws configure sso` writes), a recording signs its
// calls (SigV4) with the role credentials the portal hands out, and
// LoadConfig gives no bearer token. The SDK's configuration carries the
// Identity Center token as a bearer token provider, and the session took
// it for a Bedrock API key: every call went out as "Authorization: Bearer
// <the SSO access token>" (or, before `aws sso login`, failed reading
// the token cache, case after case). A Bedrock API key in
// AWS_BEARER_TOKEN_BEDROCK still authenticates, as the SDK does.
func TestRecordingWithAnSSOProfileSignsWithItsRoleCredentials(t *testing.T) {
	ssoProfile(t, true)
	record := func() string {
		t.Helper()
		cfg, err := LoadConfig(context.Background(), "", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		d := &authDoer{}
		cfg.HTTPClient = d
		s, err := Open(filepath.Join(t.TempDir(), "sso.yaml"), Record, RecordOptions(cfg, ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Client(cfg.Region).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-lite-v1:0")}); err != nil {
			t.Fatal(err)
		}
		return d.auth[0]
	}
	if got := record(); !strings.HasPrefix(got, "AWS4-HMAC-SHA256 Credential=ASIASSOEXAMPLE/") {
		t.Errorf("an SSO profile's call is authorized with %q, want SigV4 with the role credentials", got)
	}
	t.Setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-EXAMPLE")
	if got := record(); got != "Bearer bedrock-api-key-EXAMPLE" {
		t.Errorf("with a Bedrock API key too: authorized with %q, want the key", got)
	}
}

// TestAnAWSEndpointGetsTheChainsCredentials: record, converse, preflight
// and catalog take --endpoint https://bedrock-runtime.REGION.amazonaws.com
// to reach a Region newer than the catalog; its calls are signed with the
// standard chain's credentials, here the default profile of the shared
// credentials file (what `aws configure` writes), with neither
// AWS_PROFILE nor AWS_ACCESS_KEY_ID set. Before, any endpoint off
// loopback got the emulator's fake key pair then, and AWS refused every
// call (UnrecognizedClientException). An endpoint that is not AWS's (a
// gateway, an emulator on another host) still falls back to it.
func TestAnAWSEndpointGetsTheChainsCredentials(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIADEFAULTPROFILE1\naws_secret_access_key = default-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	for ep, want := range map[string]string{
		"https://bedrock-runtime.us-west-2.amazonaws.com":           "AKIADEFAULTPROFILE1",
		"https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com.": "AKIADEFAULTPROFILE1",
		"https://bedrock.eu-west-1.api.aws":                         "AKIADEFAULTPROFILE1",
		"http://emulator:8787":                                      "AKIDEMULATOR",
	} {
		cfg, err := LoadConfig(context.Background(), "us-west-2", ep, aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEMULATOR", SecretAccessKey: "x"}, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		got, err := cfg.Credentials.Retrieve(context.Background())
		if err != nil || got.AccessKeyID != want {
			t.Errorf("%s: signed with %q (%v), want %s", ep, got.AccessKeyID, err, want)
		}
	}
}
