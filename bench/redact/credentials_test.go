package redact_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestCredentialNamesRedactAnyValue: a string under a member whose name
// says it is a credential (a password, a secret, an API, access or
// private key, an access or auth token, credentials, an Authorization
// header) is redacted whatever its length and entropy; before, it had to
// pass the checks a credential found in free text passes (10 bytes or
// more, a digit, entropy 3.5 bits), and a short, plain or digitless
// password was written as it came.
func TestCredentialNamesRedactAnyValue(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range []struct{ body, value string }{
		{`{"input":{"password":"Summer2024!"}}`, "Summer2024!"},
		{`{"input":{"db_password":"hunter2"}}`, "hunter2"},
		{`{"input":{"password":"correcthorsebattery"}}`, "correcthorsebattery"},
		{`{"input":{"api_key":"3f8a9c2e"}}`, "3f8a9c2e"},
		{`{"x-api-key":"k3y-v4lue"}`, "k3y-v4lue"},
		{`{"ClientSecret":"s3cr3t"}`, "s3cr3t"},
		{`{"SecretString":"{\"user\":\"app\",\"pass\":\"Xq7Lm9\"}"}`, "Xq7Lm9"},
		{`{"GITHUB_TOKEN":"abcdefgh"}`, "abcdefgh"},
		{`{"refresh_token":"r1x"}`, "r1x"},
		{`{"private_key":"MIIBOgIBAAJBAK"}`, "MIIBOgIBAAJBAK"},
		{`{"credentials":"admin:letmein"}`, "letmein"},
		{`{"auth":"admin:letmein"}`, "letmein"},
		{`{"passphrase":"open sesame"}`, "open sesame"},
		{`{"userPwd":"qwerty"}`, "qwerty"},
		{`{"headers":{"Authorization":"Basic YWRtaW46cGFzc3dvcmQ="}}`, "YWRtaW46cGFzc3dvcmQ="},
		{`{"headers":{"Proxy-Authorization":"Digest username=\"jo\", response=\"6629fae4\""}}`, "6629fae4"},
		{`{"headers":{"authorization":"opaque"}}`, "opaque"},
		{`[{"password":["hunter2"]}]`, "hunter2"},
	} {
		out, counts, err := r.Body([]byte(c.body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), c.value) || counts.Secrets() != 1 {
			t.Errorf("%s redacts to %s (%v)", c.body, out, counts)
		}
	}
	// The scheme of an Authorization header stays, so the fixture still
	// says what kind of credential it sent.
	out, _, _ := r.Body([]byte(`{"Authorization":"Basic YWRtaW46cGFzc3dvcmQ="}`), redact.BodyOptions{})
	if !strings.HasPrefix(string(out), `{"Authorization":"Basic REDACTED`) {
		t.Errorf("the scheme went: %s", out)
	}
	// Values that are no credential are left: empty or masked ones,
	// booleans and null written as strings, references to one kept
	// elsewhere, numbers, a pseudonym; and names that only look like
	// credential names (a pagination token, a token of a model's output,
	// an S3 object key, a key name, the author, the working directory).
	for _, body := range []string{
		`{"password":""}`, `{"password":"********"}`, `{"password":"none"}`, `{"api_key":"null"}`,
		`{"password":"${DB_PASSWORD}"}`, `{"api_key":"$OPENAI_API_KEY"}`, `{"token":"{{ secrets.TOKEN }}"}`,
		`{"password":12345}`, `{"password":true}`, `{"password":"REDACTED:abcdefgh"}`,
		`{"NextToken":"eyJwYWdlIjoyfQ"}`, `{"nextPageToken":"CAUQAA"}`, `{"ClientToken":"abc-123"}`,
		`{"logprobs":{"content":[{"token":"Hello","logprob":-0.1,"top_logprobs":[{"token":" world","logprob":-2}]}]}}`,
		`{"Key":"reports/2026/q3.csv"}`, `{"key":"gen_ai.system"}`, `{"sort_key":"created"}`, `{"KeyName":"deploy"}`,
		`{"author":"Jo"}`, `{"pwd":"/home/app"}`, `{"max_tokens":"1024"}`, `{"token_type":"Bearer"}`,
		`{"SecretId":"prod/db"}`, `{"password_policy":{"min_length":12}}`, `{"oauth":{"provider":"github"}}`,
		`{"public_key":"ssh-ed25519 AAAAC3Nza"}`,
	} {
		out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if counts != nil {
			t.Errorf("%s redacts to %s (%v)", body, out, counts)
		}
	}
}
