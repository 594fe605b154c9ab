package replay

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

// hostsDoer answers every call with a Converse answer and keeps the
// URL each was sent to.
type hostsDoer struct{ urls []string }

func (d *hostsDoer) Do(r *http.Request) (*http.Response, error) {
	d.urls = append(d.urls, r.URL.Scheme+"://"+r.URL.Host)
	resp := jsonAnswer(200, `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`)
	resp.Request = r
	return resp, nil
}

// TestRecordingUsesTheConfigurationsFIPSAndDualStackEndpoints: with
// AWS_USE_FIPS_ENDPOINT or AWS_USE_DUALSTACK_ENDPOINT set, every call
// of the SDK goes to Bedrock's FIPS or dual-stack endpoint
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html);
// a recording against AWS does too (before, it went to the standard
// endpoint whatever the configuration said, which a FIPS-only network
// refuses). The cassette records the Region's public URL either way,
// with SigV4 credentials or a Bedrock API key, whose calls carry no
// Region in a signature (before, such a call kept the FIPS host).
func TestRecordingUsesTheConfigurationsFIPSAndDualStackEndpoints(t *testing.T) {
	t.Setenv("AWS_REGION", "us-gov-west-1")
	for _, c := range []struct{ env, bearer, host string }{
		{"AWS_USE_FIPS_ENDPOINT", "", "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com"},
		{"AWS_USE_DUALSTACK_ENDPOINT", "", "https://bedrock-runtime.us-gov-west-1.api.aws"},
		{"AWS_USE_FIPS_ENDPOINT", "bedrock-api-key-EXAMPLE", "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com"},
		{"", "", "https://bedrock-runtime.us-gov-west-1.amazonaws.com"},
	} {
		t.Run(c.env+c.bearer, func(t *testing.T) {
			if c.env != "" {
				t.Setenv(c.env, "true")
			}
			if c.bearer != "" {
				t.Setenv("AWS_BEARER_TOKEN_BEDROCK", c.bearer)
			} else {
				t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
				t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIEXAMPLE")
			}
			cfg, err := LoadConfig(context.Background(), "", "", nil)
			if err != nil {
				t.Fatal(err)
			}
			d := &hostsDoer{}
			cfg.HTTPClient = d
			path := filepath.Join(t.TempDir(), "fips.yaml")
			s, err := Open(path, Record, RecordOptions(cfg, ""))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Client(cfg.Region).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-lite-v1:0")}); err != nil {
				t.Fatal(err)
			}
			if len(d.urls) != 1 || d.urls[0] != c.host {
				t.Errorf("the recording went to %v, want %s", d.urls, c.host)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			cas, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := cas.Interactions[0].Request.URL, "https://bedrock-runtime.us-gov-west-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse"; got != want {
				t.Errorf("the cassette records %s, want %s", got, want)
			}
		})
	}
}

// TestRecordingRetriesModelNotReady: Bedrock answers
// ModelNotReadyException (429) while a model loads, an imported model's
// cold start, and documents it as retried by the AWS SDKs
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors);
// the SDK for Go does not retry it. A recording does, and keeps the one
// answer the call ended with. Before, the first ModelNotReadyException
// failed the case ("not saved … record again later").
func TestRecordingRetriesModelNotReady(t *testing.T) {
	calls := 0
	path := filepath.Join(t.TempDir(), "cold.yaml")
	s, err := Open(path, Record, Options{Name: "h", Credentials: emuCreds, Transport: answerWith(func(*http.Request, []byte) *http.Response {
		if calls++; calls <= 2 {
			resp := jsonAnswer(429, `{"message":"Model is not ready for inference. Wait and try your request again."}`)
			resp.Header.Set("X-Amzn-Errortype", "ModelNotReadyException:http://internal.amazon.com/coral/com.amazon.bedrock/")
			return resp
		}
		return jsonAnswer(200, `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`)
	})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client("us-east-1").Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("arn:aws:bedrock:us-east-1:111122223333:imported-model/abc")}); err != nil {
		t.Fatalf("after %d calls: %v", calls, err)
	}
	if calls != 3 || len(s.Cassette().Interactions) != 1 || s.Cassette().Interactions[0].Response.Code != 200 {
		t.Errorf("%d calls, %d interactions; want 3 calls and the answer stored once", calls, len(s.Cassette().Interactions))
	}
}
