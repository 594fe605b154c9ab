package capture

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// TestProxySignsOnlyWhatCameSigned: the proxy signs Bedrock requests with
// the credentials of the person running it. A request that came with no
// signature (any local process, a web page posting text/plain to
// 127.0.0.1), or addressed to another name (a web page whose name was
// pointed at this machine: DNS rebinding), is refused, not signed; an
// SDK's call by loopback, and by a name given in Hosts, goes through.
func TestProxySignsOnlyWhatCameSigned(t *testing.T) {
	rec, _ := newRecorder(t, 8)
	defer rec.Close()
	ps := startProxy(t, startEmulator(t), rec)
	sdkAuth := "AWS4-HMAC-SHA256 Credential=AKIDAPPLICATIONKEY01/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00"
	for name, set := range map[string]func(*http.Request){
		"unsigned, text/plain": func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") },
		"another Host":         func(r *http.Request) { r.Host = "attacker.example:8799"; r.Header.Set("Authorization", sdkAuth) },
		"another Host, no port": func(r *http.Request) {
			r.Host = "rebound.example"
			r.Header.Set("Authorization", sdkAuth)
		},
	} {
		req, _ := http.NewRequest("POST", ps.URL+"/model/amazon.nova-micro-v1:0/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-Errortype") != "ForbiddenException" {
			t.Errorf("%s: %d %q, want 403 ForbiddenException: the proxy must not sign it with the user's credentials", name, resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"))
		}
	}
	if st := rec.Stats(); st.Captured != 0 {
		t.Errorf("refused requests were captured: %+v", st)
	}

	// An SDK's call by loopback goes through, as one for a name the
	// proxy was told to take.
	c := client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret")
	if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation}); err != nil {
		t.Errorf("an SDK's call by loopback: %v", err)
	}
	up, _ := url.Parse(startEmulator(t).URL)
	p, err := NewProxy(ProxyOptions{Upstream: up, Recorder: rec, Region: "us-east-1", Hosts: []string{"capture.internal"},
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", "http://capture.internal:8799/model/amazon.nova-micro-v1:0/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
	req.Header.Set("Authorization", sdkAuth)
	if why := p.refuseToSign(req); why != "" {
		t.Errorf("a name in Hosts: %s", why)
	}
	req.Host = "CAPTURE.internal."
	if why := p.refuseToSign(req); why != "" {
		t.Errorf("a name in Hosts, in other case and fully qualified: %s", why)
	}
}
