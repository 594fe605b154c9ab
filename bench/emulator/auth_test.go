package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	smithybearer "github.com/aws/smithy-go/auth/bearer"

	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func sdkClient(url, region string, creds aws.Credentials) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{Region: region, BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		HTTPClient:  &http.Client{Transport: sdkhttp.PlainBody{RoundTripper: http.DefaultTransport}},
		Credentials: credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)})
}

func TestAnyKey(t *testing.T) {
	var log syncBuffer
	_, hs := start(t, &Options{AnyKey: true, Log: &log})
	// The LocalStack habit: test/test works, in any Region of the catalog.
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		c := sdkClient(hs.URL, region, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"})
		out, err := callConverse(t, c, modelIn(region), userText("hi"))
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		if got := header(out, InferenceRegionHeader); got[:3] != region[:3] {
			t.Errorf("routed to %q from the scope's Region %s", got, region)
		}
	}
	// The structure is still checked.
	req, _ := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", strings.NewReader(hiBody))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/bedrock, SignedHeaders=host, Signature=00")
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-Errortype") != "IncompleteSignatureException"+coralNamespace {
		t.Errorf("malformed scope: %d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), b)
	}
	status, _, _ := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", hiBody, aws.Credentials{AccessKeyID: "x", SecretAccessKey: "y"})
	if status != 200 {
		t.Errorf("any key: %d", status)
	}
}

func TestRequestIDsAreUUIDv4(t *testing.T) {
	_, hs := start(t, nil)
	v4re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		_, h, _ := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", hiBody, defaultCreds)
		id := h.Get("X-Amzn-Requestid")
		if !v4re.MatchString(id) || seen[id] {
			t.Fatalf("request id %q is not a fresh UUIDv4", id)
		}
		seen[id] = true
	}
}

func TestKeysFilePrincipals(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("nova-only.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"arn:aws:bedrock:*::foundation-model/amazon.nova-micro-v1:0"}]}`)
	keys := write("keys.json", `{"credentials":[
	  {"accessKeyId":"AKIAADMIN00000000000","secretAccessKey":"admin-secret"},
	  {"accessKeyId":"AKIAAPP0000000000000","secretAccessKey":"app-secret","principal":"arn:aws:iam::111122223333:role/app","policies":["nova-only.json"]},
	  {"accessKeyId":"ASIATEMP000000000000","secretAccessKey":"temp-secret","sessionToken":"the-token"},
	  {"accessKeyId":"ASIAOLD0000000000000","secretAccessKey":"old-secret","sessionToken":"t","expires":"2020-01-01T00:00:00Z"}]}`)
	creds, apiKeys, err := LoadKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	_, hs := start(t, &Options{Credentials: creds, APIKeys: apiKeys, Log: &log})
	call := func(c aws.Credentials, model string) error {
		_, err := callConverse(t, sdkClient(hs.URL, "us-east-1", c), model, userText("hi"))
		return err
	}
	admin := aws.Credentials{AccessKeyID: "AKIAADMIN00000000000", SecretAccessKey: "admin-secret"}
	app := aws.Credentials{AccessKeyID: "AKIAAPP0000000000000", SecretAccessKey: "app-secret"}
	if err := call(admin, "amazon.nova-lite-v1:0"); err != nil {
		t.Errorf("admin: %v", err)
	}
	if err := call(app, "amazon.nova-micro-v1:0"); err != nil {
		t.Errorf("app, allowed model: %v", err)
	}
	err = call(app, "amazon.nova-lite-v1:0")
	if errCode(err) != "AccessDeniedException" || !strings.Contains(err.Error(), "arn:aws:iam::111122223333:role/app is not authorized") {
		t.Errorf("app, other model: %v", err)
	}
	if err := call(aws.Credentials{AccessKeyID: "ASIATEMP000000000000", SecretAccessKey: "temp-secret", SessionToken: "the-token"}, "amazon.nova-micro-v1:0"); err != nil {
		t.Errorf("session token: %v", err)
	}
	err = call(aws.Credentials{AccessKeyID: "ASIATEMP000000000000", SecretAccessKey: "temp-secret", SessionToken: "another"}, "amazon.nova-micro-v1:0")
	apiErr(t, err, "UnrecognizedClientException", msgBadToken)
	err = call(aws.Credentials{AccessKeyID: "ASIAOLD0000000000000", SecretAccessKey: "old-secret", SessionToken: "t"}, "amazon.nova-micro-v1:0")
	apiErr(t, err, "ExpiredTokenException", msgExpiredToken)
	err = call(aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, "amazon.nova-micro-v1:0")
	apiErr(t, err, "UnrecognizedClientException", msgBadToken)
	if l := log.String(); !strings.Contains(l, "access key test is not one this emulator accepts") || !strings.Contains(l, "AKIAADMIN00000000000") || !strings.Contains(l, "without --access-key and --keys") {
		t.Errorf("the log should say which keys are accepted and how to change it:\n%s", l)
	}
	// A known key signed with a wrong secret: the log said nothing but
	// the status, while an unknown or expired key was explained. Neither
	// secret is logged.
	err = call(aws.Credentials{AccessKeyID: "AKIAADMIN00000000000", SecretAccessKey: "not-the-admin-secret"}, "amazon.nova-micro-v1:0")
	apiErr(t, err, "InvalidSignatureException", msgBadSignature)
	if l := log.String(); !strings.Contains(l, "auth: access key AKIAADMIN00000000000 is accepted, but the request's signature is not the one its secret access key makes") || strings.Contains(l, "admin-secret") {
		t.Errorf("the log should say the known key's signature does not match, without its secret:\n%s", l)
	}

	for name, bad := range map[string]string{
		"empty":       `{}`,
		"unknown":     `{"credentials":[{"accessKeyId":"a","secretAccessKey":"b","role":"x"}]}`,
		"no secret":   `{"credentials":[{"accessKeyId":"a"}]}`,
		"twice":       `{"credentials":[{"accessKeyId":"a","secretAccessKey":"b"},{"accessKeyId":"a","secretAccessKey":"c"}]}`,
		"bad expiry":  `{"credentials":[{"accessKeyId":"a","secretAccessKey":"b","expires":"tomorrow"}]}`,
		"bad api key": `{"apiKeys":[{"key":"sk-123"}]}`,
		"syntax":      `{"credentials":[`,
		"utf8":        "{\"credentials\":[{\"accessKeyId\":\"\xff\"}]}",
	} {
		if _, _, err := ParseKeys("keys.json", []byte(bad), nil); err == nil || !strings.HasPrefix(err.Error(), "keys.json:") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// longTermKey makes a long-term Bedrock API key as AWS issues them.
func longTermKey(alias, secret string) string {
	return longTermKeyPrefix + base64.StdEncoding.EncodeToString([]byte(alias+":"+secret))
}

// shortTermKey makes a short-term Bedrock API key as the AWS token
// generators do: a SigV4-presigned CallWithBearerToken URL, base64.
func shortTermKey(t *testing.T, c aws.Credentials, region string, at time.Time) string {
	t.Helper()
	req, _ := http.NewRequest("POST", "https://bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Expires=43200", nil)
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), c, req, "UNSIGNED-PAYLOAD", "bedrock", region, at)
	if err != nil {
		t.Fatal(err)
	}
	return shortTermKeyPrefix + base64.StdEncoding.EncodeToString([]byte(strings.TrimPrefix(u, "https://")+"&Version=1"))
}

func bearerRequest(t *testing.T, client *http.Client, url, token string) (int, http.Header, string) {
	t.Helper()
	return bearerCall(t, client, url, "amazon.nova-micro-v1%3A0", token)
}

func bearerCall(t *testing.T, client *http.Client, url, model, token string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/model/"+model+"/converse", strings.NewReader(hiBody))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestBedrockAPIKeys(t *testing.T) {
	good := longTermKey("BedrockAPIKey-abcd-at-111122223333", "s3cr3t")
	_, hs := start(t, &Options{Credentials: []Credentials{DefaultCredentials}, APIKeys: []APIKey{{Key: good}}})
	cases := []struct {
		name, token string
		status      int
		errType     string
	}{
		{"long-term listed", good, 200, ""},
		{"long-term unknown", longTermKey("BedrockAPIKey-zzzz-at-111122223333", "other"), 403, "UnrecognizedClientException"},
		{"short-term from a known key", shortTermKey(t, defaultCreds, "us-east-1", time.Now()), 200, ""},
		{"short-term, wrong secret", shortTermKey(t, aws.Credentials{AccessKeyID: DefaultCredentials.AccessKeyID, SecretAccessKey: "nope"}, "us-east-1", time.Now()), 403, "UnrecognizedClientException"},
		{"short-term expired", shortTermKey(t, defaultCreds, "us-east-1", time.Now().Add(-13*time.Hour)), 403, "ExpiredTokenException"},
		{"neither format", "sk-ant-123", 403, "UnrecognizedClientException"},
	}
	for _, tc := range cases {
		status, h, body := bearerRequest(t, hs.Client(), hs.URL, tc.token)
		if status != tc.status || (tc.errType != "" && h.Get("X-Amzn-Errortype") != tc.errType+coralNamespace) {
			t.Errorf("%s: %d %s %s", tc.name, status, h.Get("X-Amzn-Errortype"), body)
		}
	}
	// A short-term key is bound to the Region it was made in.
	_, anyHS := start(t, &Options{AnyKey: true})
	euKey := shortTermKey(t, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, "eu-west-1", time.Now())
	if status, h, body := bearerCall(t, anyHS.Client(), anyHS.URL, "eu.amazon.nova-micro-v1%3A0", euKey); status != 200 || !strings.HasPrefix(h.Get(InferenceRegionHeader), "eu-") {
		t.Errorf("eu-west-1 key, eu profile: %d %s %s", status, h.Get(InferenceRegionHeader), body)
	}
	if status, _, body := bearerCall(t, anyHS.Client(), anyHS.URL, "us.amazon.nova-micro-v1%3A0", euKey); status != 400 || !strings.Contains(body, msgInvalidModel) {
		t.Errorf("eu-west-1 key, us profile: %d %s", status, body)
	}
	if status, _, body := bearerRequest(t, anyHS.Client(), anyHS.URL, longTermKey("BedrockAPIKey-x-at-1", "y")); status != 200 {
		t.Errorf("any key mode, long-term key: %d %s", status, body)
	}
}

func TestTLSAndBearerThroughSDK(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "emulator.pem")
	cfg, err := SelfSignedTLS(certFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(&Options{AnyKey: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, tls.NewListener(ln, cfg), time.Second) }()
	t.Cleanup(func() { cancel(); <-done })

	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("the written certificate is not PEM")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	url := "https://" + ln.Addr().String()
	// The SDK's bearer path (AWS_BEARER_TOKEN_BEDROCK) needs HTTPS.
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		HTTPClient:              &http.Client{Transport: sdkhttp.PlainBody{RoundTripper: tr}},
		BearerAuthTokenProvider: smithybearer.StaticTokenProvider{Token: smithybearer.Token{Value: longTermKey("BedrockAPIKey-x-at-111122223333", "y")}},
		AuthSchemePreference:    []string{"httpBearerAuth"},
	})
	out, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("over TLS"))
	if err != nil {
		t.Fatal(err)
	}
	if out.StopReason == "" {
		t.Error("no stop reason")
	}
	resp, err := (&http.Client{Transport: tr}).Get(url + "/foundation-models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("TLS clients should negotiate HTTP/2, got %s", resp.Proto)
	}
}

// TestHTTP2PriorKnowledge is what the AWS SDK for JavaScript v3 does on
// http://: HTTP/2 without TLS, signing :authority instead of host. The
// signature here is computed by the steps AWS documents, independently
// of the emulator's code.
func TestHTTP2PriorKnowledge(t *testing.T) {
	_, hs := start(t, nil)
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: p}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	send := func(signedName string) (*http.Response, string) {
		now := time.Now().UTC()
		amzDate, day := now.Format("20060102T150405Z"), now.Format("20060102")
		host := strings.TrimPrefix(hs.URL, "http://")
		sum := sha256.Sum256([]byte(hiBody))
		headers := map[string]string{signedName: host, "content-type": "application/json", "x-amz-date": amzDate}
		var names []string
		for k := range headers {
			names = append(names, k)
		}
		sort.Strings(names)
		var canon strings.Builder
		canon.WriteString("POST\n/model/amazon.nova-micro-v1%253A0/converse\n\n")
		for _, k := range names {
			canon.WriteString(k + ":" + headers[k] + "\n")
		}
		canon.WriteString("\n" + strings.Join(names, ";") + "\n" + hex.EncodeToString(sum[:]))
		creq := sha256.Sum256([]byte(canon.String()))
		scope := day + "/us-east-1/bedrock/aws4_request"
		mac := func(k []byte, s string) []byte { m := hmac.New(sha256.New, k); m.Write([]byte(s)); return m.Sum(nil) }
		k := mac(mac(mac(mac([]byte("AWS4"+DefaultCredentials.SecretAccessKey), day), "us-east-1"), "bedrock"), "aws4_request")
		sig := hex.EncodeToString(mac(k, "AWS4-HMAC-SHA256\n"+amzDate+"\n"+scope+"\n"+hex.EncodeToString(creq[:])))
		req, _ := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", strings.NewReader(hiBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Amz-Date", amzDate)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+DefaultCredentials.AccessKeyID+"/"+scope+", SignedHeaders="+strings.Join(names, ";")+", Signature="+sig)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	for _, name := range []string{":authority", "host"} {
		resp, body := send(name)
		if resp.StatusCode != 200 || resp.ProtoMajor != 2 {
			t.Errorf("signed %s over %s: %d %s", name, resp.Proto, resp.StatusCode, body)
		}
	}
	// The Go SDK over the same unencrypted HTTP/2 transport.
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{}, HTTPClient: &http.Client{Transport: sdkhttp.PlainBody{RoundTripper: tr}},
		Credentials: DefaultCredentials.Provider()})
	if _, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("h2c")); err != nil {
		t.Error(err)
	}
	// HTTP/1.1 still works on the same port.
	if status, _, body := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", hiBody, defaultCreds); status != 200 {
		t.Errorf("HTTP/1.1: %d %s", status, body)
	}
}

func TestUnsignedBodiesAreNotRead(t *testing.T) {
	s, hs := start(t, nil)
	// An unsigned request is refused from its headers: the body is never
	// read, so the budget is never touched.
	big := bytes.Repeat([]byte("x"), 8<<20)
	req, _ := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", bytes.NewReader(big))
	resp, err := hs.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("unsigned: %d", resp.StatusCode)
		}
	}
	if used := s.budget.Used(); used != 0 {
		t.Errorf("budget holds %d bytes after the request", used)
	}
}

// TestSignatureBeforeBody: a client that signs the payload hash in
// x-amz-content-sha256 is verified from its headers alone, before any body
// byte is read; the body must then match the signed hash.
func TestSignatureBeforeBody(t *testing.T) {
	_, hs := start(t, nil)
	send := func(creds aws.Credentials, signed string, body io.Reader, length int64) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", body)
		req.ContentLength = length
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256([]byte(signed))
		req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "bedrock", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := send(defaultCreds, hiBody, strings.NewReader(hiBody), int64(len(hiBody))); status != 200 {
		t.Errorf("honest: %d %s", status, body)
	}
	tampered := strings.Replace(hiBody, "hi", "ho", 1)
	if status, body := send(defaultCreds, hiBody, strings.NewReader(tampered), int64(len(tampered))); status != 403 || !strings.Contains(body, "signature we calculated does not match") {
		t.Errorf("body unlike its signed hash: %d %s", status, body)
	}
	// A wrong secret is refused while the body has not even been sent.
	pr, pw := io.Pipe()
	defer pw.Close()
	done := make(chan int, 1)
	go func() {
		status, _ := send(aws.Credentials{AccessKeyID: DefaultCredentials.AccessKeyID, SecretAccessKey: "wrong"}, hiBody, pr, 1<<20)
		done <- status
	}()
	select {
	case status := <-done:
		if status != 403 {
			t.Errorf("wrong secret: %d", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server waited for the body before checking the signature")
	}
}

// A keys or guardrail file that is not JSON is named with the line and
// column of the byte to fix, as every file:line:col the tool prints (they
// gave "byte N", which no editor jumps to), and a comma before } or ],
// which jsontext words "at start of value", is named as the one to remove.
func TestKeysAndGuardrailSyntaxErrorsPointAtTheByte(t *testing.T) {
	keys := "{\"credentials\": [\n  {\"accessKeyId\": \"AKIA\", \"secretAccessKey\": \"s\"},\n]}"
	_, _, err := ParseKeys("keys.json", []byte(keys), nil)
	if want := "keys.json:2:50: invalid character ',' at start of value: remove this comma (JSON allows none before } or ])"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("keys: %v\nwant %s...", err, want)
	}
	guardrail := "{\"id\": \"g\",\n \"deniedWords\": [\"a\" \"b\"]}"
	_, err = ParseGuardrails("g.json", []byte(guardrail))
	if want := "g.json:2:22: invalid character '\"' after array element (expecting ',' or ']')"; err == nil || err.Error() != want {
		t.Errorf("guardrail: %v\nwant %s", err, want)
	}
}

// TestKeysAndGuardrailFilesWithABOM: a keys or guardrail file saved with
// a UTF-8 byte order mark (Windows Notepad, PowerShell) reads as without
// one, and a later error keeps the line and column an editor shows, as
// policy and catalog files do; before, "invalid character 'ï'".
func TestKeysAndGuardrailFilesWithABOM(t *testing.T) {
	keys := `{"credentials": [{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "s"}]}`
	creds, _, err := ParseKeys("keys.json", []byte("\xef\xbb\xbf"+keys), nil)
	if err != nil || len(creds) != 1 || creds[0].AccessKeyID != "AKIAIOSFODNN7EXAMPLE" {
		t.Errorf("keys with a BOM: %v %+v", err, creds)
	}
	g, err := ParseGuardrails("g.json", []byte("\xef\xbb\xbf"+`{"id": "g", "deniedWords": ["a"]}`))
	if err != nil || len(g) != 1 || g[0].ID != "g" {
		t.Errorf("guardrail with a BOM: %v %+v", err, g)
	}
	_, err = ParseGuardrails("g.json", []byte("\xef\xbb\xbf"+"{\"id\": \"g\",\n \"deniedWords\": [\"a\" \"b\"]}"))
	if want := "g.json:2:22: invalid character"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("guardrail error after a BOM: %v, want %s...", err, want)
	}
}
