package emulator

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

const hiBody = `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`

func TestSignatures(t *testing.T) {
	_, hs := start(t, nil)
	path := "/model/amazon.nova-micro-v1%3A0/converse"
	tests := []struct {
		name          string
		creds         aws.Credentials
		status        int
		errType, want string
	}{
		{"missing", aws.Credentials{}, 403, "AccessDeniedException", `{"Message":"Authorization header is missing"}`},
		{"unknown key", aws.Credentials{AccessKeyID: "AKIAUNKNOWNKEY000000", SecretAccessKey: "x"}, 403, "UnrecognizedClientException", `{"message":"The security token included in the request is invalid."}`},
		{"wrong secret", aws.Credentials{AccessKeyID: DefaultCredentials.AccessKeyID, SecretAccessKey: "wrong"}, 403, "InvalidSignatureException",
			`{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}`},
		{"good", defaultCreds, 200, "", ""},
	}
	for _, tc := range tests {
		status, h, body := rawRequest(t, hs, "POST", path, "us-east-1", hiBody, tc.creds)
		ns := coralNamespace
		if tc.errType == "AccessDeniedException" {
			ns = errorTypeSuffix
		}
		if status != tc.status || (tc.errType != "" && (h.Get("X-Amzn-Errortype") != tc.errType+ns || body != tc.want)) {
			t.Errorf("%s: %d %s %s", tc.name, status, h.Get("X-Amzn-Errortype"), body)
		}
		if h.Get("X-Amzn-Requestid") == "" || h.Get(EmulatedHeader) != Version {
			t.Errorf("%s: every response needs a request id and the emulator mark", tc.name)
		}
	}

	// A body changed after signing fails verification.
	status, _, body := signAndSend(t, hs, "POST", path, "us-east-1", hiBody, `{"messages":[{"role":"user","content":[{"text":"bye"}]}]}`, defaultCreds)
	if status != 403 || !strings.Contains(body, "signature we calculated does not match") {
		t.Errorf("tampered body: %d %s", status, body)
	}

	// The SDK itself, with a wrong secret, surfaces the same error.
	bad := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, "not-the-secret", "")})
	_, err := callConverse(t, bad, "amazon.nova-micro-v1:0", userText("hi"))
	apiErr(t, err, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")

	// Session tokens are part of the signature and are accepted.
	temp := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, DefaultCredentials.SecretAccessKey, "session-token")})
	if _, err := callConverse(t, temp, "amazon.nova-micro-v1:0", userText("hi")); err != nil {
		t.Errorf("session credentials: %v", err)
	}
}

// TestSignatureExpiry: Bedrock accepts a signing time five minutes either
// side of its clock, and words the two failures apart. The expired text
// is the one Bedrock answered (403, anthropics/anthropic-sdk-go#122:
// "Signature expired: 20250130T203827Z is now earlier than
// 20250130T204131Z (20250130T204631Z - 5 min.)").
func TestSignatureExpiry(t *testing.T) {
	now := time.Date(2025, 1, 30, 20, 46, 31, 0, time.UTC)
	_, hs := start(t, &Options{Clock: func() time.Time { return now }})
	send := func(signedAt time.Time) (int, http.Header, string) {
		return signAndSendAt(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", hiBody, hiBody, defaultCreds, signedAt)
	}
	for _, tc := range []struct {
		offset time.Duration
		want   string
	}{
		{-(5*time.Minute + 4*time.Second), "Signature expired: 20250130T204127Z is now earlier than 20250130T204131Z (20250130T204631Z - 5 min.)"},
		{6 * time.Minute, "Signature not yet current: 20250130T205231Z is still later than 20250130T205131Z (20250130T204631Z + 5 min.)"},
	} {
		status, h, body := send(now.Add(tc.offset))
		if want := `{"message":"` + tc.want + `"}`; status != 403 || h.Get("X-Amzn-Errortype") != "InvalidSignatureException"+coralNamespace || body != want {
			t.Errorf("signed %v from now: %d %s %s\nwant 403 %s", tc.offset, status, h.Get("X-Amzn-Errortype"), body, want)
		}
	}
	for _, offset := range []time.Duration{-4 * time.Minute, 4 * time.Minute} {
		if status, _, body := send(now.Add(offset)); status != 200 {
			t.Errorf("signed %v from now, within five minutes: %d %s", offset, status, body)
		}
	}
}

func TestMalformedRequests(t *testing.T) {
	_, hs := start(t, &Options{MaxBodyBytes: 1 << 10})
	tests := []struct {
		name, path, body string
		status           int
		errType          string
	}{
		{"not JSON", "/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[`, 400, "SerializationException"},
		{"wrong types", "/model/amazon.nova-micro-v1%3A0/converse", `{"messages":"hi"}`, 400, "SerializationException"},
		{"too large", "/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[{"role":"user","content":[{"text":"` + strings.Repeat("x", 2<<10) + `"}]}]}`, 413, "ValidationException"},
		{"empty body", "/model/amazon.nova-micro-v1%3A0/converse", ``, 400, "ValidationException"},
		{"model id too long", "/model/" + strings.Repeat("a", 2049) + "/converse", hiBody, 400, "ValidationException"},
	}
	for _, tc := range tests {
		status, h, body := rawRequest(t, hs, "POST", tc.path, "us-east-1", tc.body, defaultCreds)
		if status != tc.status || !strings.HasPrefix(h.Get("X-Amzn-Errortype"), tc.errType) || !strings.HasPrefix(body, "{") {
			t.Errorf("%s: %d %s %s", tc.name, status, h.Get("X-Amzn-Errortype"), body)
		}
	}
	status, _, body := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "mars-north-1", hiBody, defaultCreds)
	if status != 400 || !strings.Contains(body, "mars-north-1 is not in the emulator's catalog") {
		t.Errorf("unknown Region: %d %s", status, body)
	}
}

// TestUnknownOperation: a path or method no operation has gets Coral's
// JSON 1.0 envelope with status 200, as Bedrock answers it (see
// writeUnknownOperation for the reports), and so does an inference
// profile ARN whose "/" the client did not escape: Bedrock reads it as two
// path segments (langfuse/langfuse#15619, anthropics/claude-code#297).
func TestUnknownOperation(t *testing.T) {
	_, hs := start(t, nil)
	const envelope = `{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}`
	profile := "arn:aws:bedrock:us-east-1:" + DefaultAccount + ":inference-profile/us.amazon.nova-micro-v1:0"
	for _, tc := range []struct{ name, method, path, body string }{
		{"unknown operation", "POST", "/model/amazon.nova-micro-v1%3A0/invoke-agent", hiBody},
		{"unknown path", "POST", "/no-such-operation", ``},
		{"GET on a POST route", "GET", "/model/amazon.nova-micro-v1%3A0/converse", ``},
		{"unescaped / in a profile ARN", "POST", "/model/" + profile + "/converse", hiBody},
		{"unescaped / in a profile ARN, stream", "POST", "/model/" + profile + "/converse-stream", hiBody},
		{"unescaped / in a profile ARN, InvokeModel", "POST", "/model/" + profile + "/invoke", hiBody},
		{"unescaped / in GetInferenceProfile", "GET", "/inference-profiles/" + profile, ``},
		{"unescaped / in GetFoundationModel", "GET", "/foundation-models/arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0", ``},
	} {
		status, h, body := rawRequest(t, hs, tc.method, tc.path, "us-east-1", tc.body, defaultCreds)
		if status != 200 || h.Get("X-Amzn-Errortype") != "" || h.Get("Content-Type") != "application/json" || body != envelope {
			t.Errorf("%s: %d %q %q %s", tc.name, status, h.Get("X-Amzn-Errortype"), h.Get("Content-Type"), body)
		}
	}
	// An operation Bedrock has and the emulator does not serve is an error
	// of the emulator's own, never the 200 above.
	for _, tc := range []struct{ method, path string }{
		{"POST", "/model/amazon.nova-micro-v1%3A0/count-tokens"},
		{"POST", "/guardrail/gr1/version/1/apply"},
		{"GET", "/guardrails"},
		{"POST", "/inference-profiles"},
		{"DELETE", "/inference-profiles/abc"},
	} {
		status, h, body := rawRequest(t, hs, tc.method, tc.path, "us-east-1", "{}", defaultCreds)
		if status != 501 || h.Get("X-Amzn-Errortype") != "NotEmulatedException:bedrock-bench" || !strings.Contains(body, "the bedrock-bench emulator does not serve") {
			t.Errorf("%s %s: %d %q %s", tc.method, tc.path, status, h.Get("X-Amzn-Errortype"), body)
		}
	}
	// Escaped, the same ARN is one label and is served.
	status, _, body := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(profile)+"/converse", "us-east-1", hiBody, defaultCreds)
	if status != 200 || !strings.Contains(body, `"stopReason":"end_turn"`) {
		t.Errorf("escaped ARN: %d %s", status, body)
	}
}

// TestModelIDDecodedOnce: the path label is percent-decoded once, as the
// contract reference's §1.2 has it; a model id escaped twice
// (amazon.nova-micro-v1%253A0) names no model.
func TestModelIDDecodedOnce(t *testing.T) {
	_, hs := start(t, nil)
	for _, op := range []string{"converse", "converse-stream"} {
		status, h, body := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%253A0/"+op, "us-east-1", hiBody, defaultCreds)
		if status != 400 || h.Get("X-Amzn-Errortype") != "ValidationException"+errorTypeSuffix || body != `{"message":"The provided model identifier is invalid."}` {
			t.Errorf("%s: %d %s %s", op, status, h.Get("X-Amzn-Errortype"), body)
		}
	}
	status, _, body := rawRequest(t, hs, "GET", "/inference-profiles/us.amazon.nova-micro-v1%253A0", "us-east-1", "", defaultCreds)
	if status != 404 {
		t.Errorf("GetInferenceProfile: %d %s", status, body)
	}
}

func TestFaults(t *testing.T) {
	t.Run("throttle probability", func(t *testing.T) {
		_, hs := start(t, &Options{Faults: Faults{ThrottleProbability: 1}})
		_, err := callConverse(t, runtimeClient(hs, "us-east-1"), "amazon.nova-micro-v1:0", userText("hi"))
		apiErr(t, err, "ThrottlingException", "Too many requests, please wait before trying again. You have sent too many requests. Wait before trying again.")
		var te *types.ThrottlingException
		if !errors.As(err, &te) {
			t.Errorf("SDK type %T", err)
		}
	})
	t.Run("rate per region", func(t *testing.T) {
		now := time.Now()
		_, hs := start(t, &Options{Clock: func() time.Time { return now }, Faults: Faults{ThrottleRate: 1, ThrottleBurst: 2}})
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			var got []string
			for i := 0; i < 4; i++ {
				_, err := callConverse(t, runtimeClient(hs, region), modelIn(region), userText("hi"))
				got = append(got, errCode(err))
			}
			if strings.Join(got, ",") != "ok,ok,ThrottlingException,ThrottlingException" {
				t.Errorf("%s: %v (each Region has its own bucket of 2)", region, got)
			}
		}
		now = now.Add(time.Second)
		if _, err := callConverse(t, runtimeClient(hs, "us-east-1"), "amazon.nova-micro-v1:0", userText("hi")); err != nil {
			t.Errorf("a second later one token is back: %v", err)
		}
	})
	t.Run("server errors", func(t *testing.T) {
		_, hs := start(t, &Options{Seed: 3, Faults: Faults{ErrorProbability: 1}})
		seen := map[string]bool{}
		for i := 0; i < 30; i++ {
			_, err := callConverse(t, runtimeClient(hs, "us-east-1"), "amazon.nova-micro-v1:0", userText("hi"))
			seen[errCode(err)] = true
		}
		for _, want := range []string{ServiceUnavailable, InternalServer, ModelNotReady} {
			if !seen[want] {
				t.Errorf("never saw %s: %v", want, seen)
			}
		}
	})
	t.Run("the SDK retries server errors", func(t *testing.T) {
		s, hs := start(t, &Options{Seed: 1, Faults: Faults{ErrorProbability: 0.5, ErrorKinds: []string{ServiceUnavailable}}})
		c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), RetryMaxAttempts: 10,
			Credentials: credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, DefaultCredentials.SecretAccessKey, "")})
		for i := 0; i < 5; i++ {
			if _, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("hi")); err != nil {
				t.Fatal(err)
			}
		}
		if s.Requests() <= 5 {
			t.Errorf("%d requests for 5 calls: no retry happened", s.Requests())
		}
	})
	t.Run("first attempts throttled", func(t *testing.T) {
		s, hs := start(t, &Options{Faults: Faults{ThrottleFirstAttempts: 2}})
		_, err := callConverse(t, runtimeClient(hs, "us-east-1"), "amazon.nova-micro-v1:0", userText("once"))
		apiErr(t, err, "ThrottlingException", msgThrottled)
		c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), RetryMaxAttempts: 3, Credentials: DefaultCredentials.Provider()})
		before := s.Requests()
		if _, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("twice")); err != nil {
			t.Fatalf("the third attempt should pass: %v", err)
		}
		if n := s.Requests() - before; n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
	})
	t.Run("mid-stream exception", func(t *testing.T) {
		_, hs := start(t, &Options{Faults: Faults{StreamExceptionProbability: 1, StreamException: "throttlingException"}})
		out, err := runtimeClient(hs, "us-east-1").ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{userText("hi")}})
		if err != nil {
			t.Fatal(err)
		}
		events := 0
		for range out.GetStream().Events() {
			events++
		}
		var te *types.ThrottlingException
		if err := out.GetStream().Err(); !errors.As(err, &te) || events != 2 {
			t.Errorf("after %d events: %v (%T)", events, err, err)
		}
	})
	t.Run("bad configuration", func(t *testing.T) {
		for _, f := range []Faults{{ThrottleProbability: 2}, {ErrorProbability: math.NaN()}, {StreamExceptionProbability: -0.5}, {ErrorKinds: []string{"Boom"}}, {StreamException: "boomException"}, {ThrottleRate: -1}} {
			if _, err := New(&Options{Faults: f}); err == nil {
				t.Errorf("%+v accepted", f)
			}
		}
	})
}

func modelIn(region string) string {
	if strings.HasPrefix(region, "eu-") {
		return "eu.amazon.nova-micro-v1:0"
	}
	return "amazon.nova-micro-v1:0"
}

func errCode(err error) string {
	if err == nil {
		return "ok"
	}
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return err.Error()
}

func TestConcurrentRequests(t *testing.T) {
	_, hs := start(t, &Options{Seed: 9, Authz: PerRoute, Faults: Faults{ThrottleProbability: 0.1}})
	// Errors are collected, never sent into a channel: a failing worker
	// can never block the others or the test.
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			c := runtimeClient(hs, []string{"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"}[g%4])
			for i := 0; i < 20; i++ {
				_, err := callConverse(t, c, "us.amazon.nova-lite-v1:0", userText("concurrent"))
				if err != nil && errCode(err) != "ThrottlingException" && errCode(err) != "ValidationException" {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}(g)
	}
	wg.Wait()
	for i, err := range errs {
		if i == 5 {
			t.Errorf("... and %d more", len(errs)-5)
			break
		}
		t.Error(err)
	}
}

func TestGracefulShutdown(t *testing.T) {
	s, err := New(&Options{Faults: Faults{Latency: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, 5*time.Second) }()
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://" + ln.Addr().String()), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, DefaultCredentials.SecretAccessKey, "")})
	inflight := make(chan error, 1)
	go func() {
		_, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("slow"))
		inflight <- err
	}()
	for s.Requests() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-inflight; err != nil {
		t.Errorf("a request in flight when shutdown began failed: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting after shutdown")
	}
}

// TestAnswerOutlastsTheReadTimeout: ReadTimeout bounds reading a request,
// not answering it. Once the body is in, a slow answer (here the Latency
// fault, twice the read timeout) is served in full on HTTP/1.1 and HTTP/2
// alike: the connection's read deadline passing while the handler works
// must not cancel the request's context.
func TestAnswerOutlastsTheReadTimeout(t *testing.T) {
	s, err := New(&Options{Faults: Faults{Latency: 600 * time.Millisecond}, Limits: Limits{ReadTimeout: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := s.StartLoopback()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, h2 := range []bool{false, true} {
		p := new(http.Protocols)
		if h2 {
			p.SetUnencryptedHTTP2(true)
		} else {
			p.SetHTTP1(true)
		}
		c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
			HTTPClient:  &http.Client{Transport: &http.Transport{Protocols: p}},
			Credentials: credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, DefaultCredentials.SecretAccessKey, "")})
		// A cancelled context ends the Latency wait early: the answer
		// coming sooner than the latency is the cut.
		began := time.Now()
		if _, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("slow")); err != nil {
			t.Errorf("HTTP/2 %v: %v", h2, err)
		}
		if took := time.Since(began); took < 600*time.Millisecond {
			t.Errorf("HTTP/2 %v: answered after %v, before the 600ms latency: the request's context was cancelled", h2, took)
		}
	}
}
