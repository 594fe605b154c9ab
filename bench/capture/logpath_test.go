package capture

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// TestProxyLogShowsNoRequestData: the proxy's log line for a request it
// answers itself names the path redacted as a fixture's model id is: an
// application inference profile's ARN holds an account id, and its name
// may be a person's address. Before, the decoded path was logged as it
// came ("POST /model/arn:aws:bedrock:us-east-1:610987654321:
// application-inference-profile/jane.doe@acme-corp.io/converse: 502"),
// while the fixture had both values redacted.
func TestProxyLogShowsNoRequestData(t *testing.T) {
	ps, _, logged := downProxy(t)
	const arn = "arn%3Aaws%3Abedrock%3Aus-east-1%3A610987654321%3Aapplication-inference-profile%2Fjane.doe%40acme-corp.io"
	for _, c := range []struct {
		path, auth string
		status     int
	}{
		{"/model/" + arn + "/converse", "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleS0xMjM0NTY3ODkwYWJj", http.StatusBadGateway}, // an API key: passed on, upstream down
		{"/model/" + arn + "/converse", "", http.StatusForbidden},                                                                 // unsigned: refused
		{"/model/" + arn + "/converse-stream", "", http.StatusForbidden},
		{"/v1/users/jane.doe@acme-corp.io/chat/completions", "", http.StatusBadGateway},
	} {
		req, err := http.NewRequest("POST", ps.URL+c.path, strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := ps.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.path, resp.StatusCode, c.status)
		}
	}
	out := logged.String()
	for _, leak := range []string{"610987654321", "jane.doe", "acme-corp", "jane.doe%40", "ABSK"} {
		if strings.Contains(out, leak) {
			t.Errorf("the proxy's log holds %q:\n%s", leak, out)
		}
	}
	for _, want := range []string{"POST /model/arn:aws:bedrock:us-east-1:", ":application-inference-profile/", "/converse: 502: bedrock-bench capture: upstream", "/converse: 403: bedrock-bench capture: the request is not signed", "/converse-stream: 403:", "/chat/completions: 502:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the proxy's log lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("%d log lines, want 4:\n%s", n, out)
	}
}

// TestProxyLogWithoutARecorder: a proxy with no recorder, so no redactor,
// logs the operation of a request it refuses, not its path.
func TestProxyLogWithoutARecorder(t *testing.T) {
	var logged strings.Builder
	p, err := NewProxy(ProxyOptions{Upstream: &url.URL{Scheme: "http", Host: "127.0.0.1:1"}, Region: "us-east-1", ErrorLog: log.New(&logged, "", 0),
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	p.ServeHTTP(w, httptest.NewRequest("POST", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A610987654321%3Aapplication-inference-profile%2Fjane.doe%40acme-corp.io/converse", strings.NewReader("{}")))
	if w.Code != http.StatusForbidden || logged.String() != "POST Converse: 403\n" {
		t.Errorf("status %d, log %q; want 403 and the operation alone", w.Code, logged.String())
	}
}
