package redact_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestCredentialsInCommandsAndURLs: a credential in a command line or a
// URL, as a tool call or its output shows one: a password in a URL's
// user information whatever its host (an IP address, a name without a
// dot), curl's -u user:password, an Authorization header of any scheme,
// and a credential's name followed by its value after a space (aws
// configure set, a --password flag).
func TestCredentialsInCommandsAndURLs(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range []struct{ text, value string }{
		{"DATABASE_URL=postgres://app:Hunter2Secret@10.20.30.40:5432/app", "Hunter2Secret"},
		{"redis://default:Xk9pQ2mZ7wLr@cache:6379/0", "Xk9pQ2mZ7wLr"},
		{"mongodb+srv://svc:p%40ss-w0rd@cluster0.mongodb.net/db", "p%40ss-w0rd"},
		{"git clone https://jo:ghs_token12@git.internal/repo.git", "ghs_token12"},
		{`{\"url\":\"amqp://guest:Rabbit42@mq:5672\"}`, "Rabbit42"},
		{"curl -u admin:Xk9pQ2mZ7wLr https://api.acme.io/v1", "Xk9pQ2mZ7wLr"},
		{"curl --user 'admin:Xk9pQ2mZ7wLr' https://api.acme.io", "Xk9pQ2mZ7wLr"},
		{"curl -H 'Authorization: Basic YWRtaW46c2VjcmV0' https://api.acme.io", "YWRtaW46c2VjcmV0"},
		{"Proxy-Authorization: Digest username=\"jo\", response=\"6629fae49393a05397450978507c4ef1\"", "6629fae49393a05397450978507c4ef1"},
		{`{"headers": "Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}`, "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
		{"aws configure set aws_secret_access_key hF8kR2pQ9wXzL5mN7vB3cD1eG4jK6tY8uI0oP2aS", "hF8kR2pQ9wXzL5mN7vB3cD1eG4jK6tY8uI0oP2aS"},
		{"mysql --password Sx9mQ2w7pLzK4 -h db", "Sx9mQ2w7pLzK4"},
	} {
		out, counts := r.Text(c.text)
		if strings.Contains(out, c.value) || counts.Secrets() == 0 {
			t.Errorf("%q redacts to %q (%v)", c.text, out, counts)
		}
	}
	for _, text := range []string{
		"https://acme.io:8443/path?user=jo@example.com",
		"ssh://git@github.com:22/acme/app.git",
		"postgres://app:${DB_PASSWORD}@db:5432/app",
		"http://user:@host/",
		"docker run -u 1000:1000 alpine",
		"git push -u origin main",
		"Authorization: Bearer <token>",
		"the Authorization header carries the credentials",
		"set a password for the account",
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%q redacts to %q (%v)", text, out, counts)
		}
	}
}
