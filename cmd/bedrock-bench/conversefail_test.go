package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-bench/bedrock-bench/bench/explain"
)

// TestConverseStreamBrokenMidAnswer: a ConverseStream that fails after
// part of the answer (modelStreamErrorException, "A streaming error
// occurred. Retry your request.", HTTP 424: Amazon Bedrock API Reference,
// ConverseStreamOutput) ends the answer's line before the error, and the
// error is followed by what it means, not by itself again. Before, stdout
// read "This" with no newline, so the terminal showed
// "Thisbedrock-bench converse: ModelStreamErrorException: …" and then the
// same line again.
func TestConverseStreamBrokenMidAnswer(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t, "--stream-exception-probability", "1", "--stream-exception", "modelStreamErrorException")
	defer func() { stop(); wait() }()
	code, out, errOut := runCLI(t, "converse", "--endpoint", url, "--model", "amazon.nova-micro-v1:0", "--stream", "Hello there friend")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if out == "" || !strings.HasSuffix(out, "\n") {
		t.Errorf("the partial answer's line is not ended: %q", out)
	}
	line := "ModelStreamErrorException: An error occurred while streaming the response. Retry your request."
	if n := strings.Count(errOut, line); n != 1 {
		t.Errorf("the error appears %d times:\n%s", n, errOut)
	}
	if !strings.Contains(errOut, "The stream failed in the middle of the answer") || !strings.Contains(errOut, "Retry the request") {
		t.Errorf("no explanation:\n%s", errOut)
	}
}

// TestConverseUnknownErrorIsNotRepeated: an error code the explainer does
// not know is shown once, as explain.Error shows it; before, its
// "explanation" repeated it on the next line.
func TestConverseUnknownErrorIsNotRepeated(t *testing.T) {
	err := callFailure(&smithy.GenericAPIError{Code: "BrandNewException", Message: "Something new happened."}, explain.Context{}, "", 0)
	var f *findingsError
	if !errors.As(err, &f) || err.Error() != "BrandNewException: Something new happened." {
		t.Errorf("got %T %q", err, err)
	}
}

// TestConverseSchemeMismatch: an --endpoint whose scheme does not match
// what the server speaks is one line naming the fix, exit 2. Before, the
// SDK's errors after three attempts: "http: server gave HTTP response to
// HTTPS client", "connection reset by peer", "x509: certificate signed by
// unknown authority".
func TestConverseSchemeMismatch(t *testing.T) {
	isolateAWS(t)
	plain, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	tlsURL, stopTLS, waitTLS := startEmulate(t, "--tls", "--tls-cert", t.TempDir()+"/cert.pem")
	defer func() { stopTLS(); waitTLS() }()
	if !strings.HasPrefix(plain, "http://") || !strings.HasPrefix(tlsURL, "https://") {
		t.Fatalf("emulator URLs %s %s", plain, tlsURL)
	}
	hostPlain, hostTLS := strings.TrimPrefix(plain, "http://"), strings.TrimPrefix(tlsURL, "https://")
	for _, tc := range []struct{ endpoint, want string }{
		{"https://" + hostPlain, "converse: the endpoint speaks plain HTTP: use http://" + hostPlain + "\n"},
		{"http://" + hostTLS, "converse: the endpoint speaks TLS: use https://" + hostTLS + "\n"},
		{tlsURL, "converse reads no CA bundle for a loopback endpoint"},
	} {
		code, _, errOut := runCLI(t, "converse", "--endpoint", tc.endpoint, "--model", "amazon.nova-micro-v1:0", "hi")
		if code != exitUsage || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "attempts") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", tc.endpoint, code, tc.want, errOut)
		}
	}
}

// TestSchemeMismatchIsNotRetried: the SDK retries a connection reset and
// a failed send; a scheme mismatch fails the same way every time, so the
// call is not retried. Before, three attempts.
func TestSchemeMismatchIsNotRetried(t *testing.T) {
	o := bedrockruntime.Options{Retryer: retry.NewStandard()}
	check := &schemeCheck{endpoint: "https://127.0.0.1:1"}
	check.noRetry(&o)
	// As the SDK wraps it: a send error, which its standard retryer retries.
	httpAnswer := &smithyhttp.RequestSendError{Err: errors.New(`Post "https://127.0.0.1:1/model/m/converse": http: server gave HTTP response to HTTPS client`)}
	if !retry.NewStandard().IsErrorRetryable(httpAnswer) {
		t.Fatal("the standard retryer does not retry a send error: the test no longer tests")
	}
	if o.Retryer.IsErrorRetryable(httpAnswer) {
		t.Error("a plain-HTTP answer to https:// is retried")
	}
	if !o.Retryer.IsErrorRetryable(&smithy.GenericAPIError{Code: "ThrottlingException"}) {
		t.Error("a throttled call is no longer retried")
	}
}
