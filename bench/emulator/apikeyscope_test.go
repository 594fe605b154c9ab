package emulator

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// presignedKey makes a short-term Bedrock API key as shortTermKey does,
// with the service, host and expiry given.
func presignedKey(t *testing.T, c aws.Credentials, service, host string, expires int, at time.Time) string {
	t.Helper()
	req, _ := http.NewRequest("POST", fmt.Sprintf("https://%s/?Action=CallWithBearerToken&X-Amz-Expires=%d", host, expires), nil)
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), c, req, "UNSIGNED-PAYLOAD", service, "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	return shortTermKeyPrefix + base64.StdEncoding.EncodeToString([]byte(strings.TrimPrefix(u, "https://")+"&Version=1"))
}

// TestShortTermKeyScope: a short-term Bedrock API key is a URL for
// bedrock.amazonaws.com presigned for the bedrock service, valid at most
// 12 hours ("How Amazon Bedrock API keys work", Amazon Bedrock user
// guide: valid for the shorter of 12 hours and the session), dated
// within the clock skew SigV4 allows. Anything else is refused as a bad
// key is (UnrecognizedClientException), whether the emulator verifies
// keys or takes any; before, keys presigned for s3 or sts, for another
// host, for ten years or dated in 2030 were taken.
func TestShortTermKeyScope(t *testing.T) {
	_, verify := start(t, &Options{Credentials: []Credentials{DefaultCredentials}})
	_, anyKey := start(t, &Options{AnyKey: true})
	now := time.Now()
	cases := []struct {
		name    string
		token   string
		status  int
		errType string
	}{
		{"as the generators make it", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 43200, now), 200, ""},
		{"an hour", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 3600, now), 200, ""},
		{"signed for s3", presignedKey(t, defaultCreds, "s3", "bedrock.amazonaws.com", 43200, now), 403, "UnrecognizedClientException"},
		{"signed for sts", presignedKey(t, defaultCreds, "sts", "bedrock.amazonaws.com", 43200, now), 403, "UnrecognizedClientException"},
		{"another host", presignedKey(t, defaultCreds, "bedrock", "sts.amazonaws.com", 43200, now), 403, "UnrecognizedClientException"},
		{"ten years", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 10*365*24*3600, now), 403, "UnrecognizedClientException"},
		{"12 hours and a second", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 43201, now), 403, "UnrecognizedClientException"},
		{"dated in 2030", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 43200, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)), 403, "UnrecognizedClientException"},
		{"dated past the skew", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 43200, now.Add(maxClockSkew+time.Minute)), 403, "UnrecognizedClientException"},
		{"dated within the skew", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 43200, now.Add(maxClockSkew-time.Minute)), 200, ""},
		{"expired", presignedKey(t, defaultCreds, "bedrock", "bedrock.amazonaws.com", 3600, now.Add(-2*time.Hour)), 403, "ExpiredTokenException"},
	}
	for _, hs := range []struct {
		mode string
		url  string
		c    *http.Client
	}{{"verifying", verify.URL, verify.Client()}, {"any key", anyKey.URL, anyKey.Client()}} {
		for _, tc := range cases {
			status, h, body := bearerRequest(t, hs.c, hs.url, tc.token)
			if status != tc.status || (tc.errType != "" && h.Get("X-Amzn-Errortype") != tc.errType+coralNamespace) {
				t.Errorf("%s, %s: %d %s %.200s", hs.mode, tc.name, status, h.Get("X-Amzn-Errortype"), body)
			}
			if tc.errType == "UnrecognizedClientException" && !strings.Contains(body, "The security token included in the request is invalid.") {
				t.Errorf("%s, %s: %.200s", hs.mode, tc.name, body)
			}
		}
	}
}
