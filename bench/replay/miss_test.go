package replay

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissMasksAsImportRedacts: a miss prints both bodies into logs CI
// keeps, so it masks them as import redacts a body, not string by string:
// a member name that is a key, a value whose member name says it is a
// secret (an AWS secret key under SecretAccessKey, a password under
// db_password), and a value after an escaped line break in a JSON text
// held in a string are masked too. Before, each string value was scanned
// alone, and all four were printed as they are.
func TestMissMasksAsImportRedacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "masked.yaml")
	rec, err := Open(path, Record, Options{Credentials: emuCreds, Endpoint: startEmulator(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := converseText(t, rec.Client("us-east-1"), "amazon.nova-micro-v1:0", "Check my settings"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 30)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	secretKey := base64.StdEncoding.EncodeToString(random) // 40 characters
	const (
		memberKey = "AKIAQ3EGYW7PMEMBERKZ"
		password  = "hunter2"
		afterLF   = "ghp_R2d8aF3kL9mN0pQ4sT6vW8xY1zB3cD5eG7hJ"
	)
	var body map[string]any
	if err := json.Unmarshal([]byte(rec.cas.Interactions[0].Request.Body), &body); err != nil {
		t.Fatal(err)
	}
	body["additionalModelRequestFields"] = map[string]any{
		"Credentials": map[string]any{"SecretAccessKey": secretKey},
		memberKey:     1,
		"config":      map[string]any{"db_password": password},
		"args":        `{"env":"REGION=us-east-1\n` + afterLF + `"}`,
	}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Open(path, Replay, Options{Name: path, Rerecord: "go test -record"})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "http://bedrock.test/model/amazon.nova-micro-v1:0/converse", strings.NewReader(string(data)))
	_, err = rep.RoundTrip(req)
	var me *MissError
	if !errors.As(err, &me) {
		t.Fatalf("want a miss, got %v", err)
	}
	msg := me.Error()
	for _, secret := range []string{secretKey, secretKey[:16], memberKey, password, afterLF, afterLF[:16]} {
		if strings.Contains(msg, secret) {
			t.Errorf("the miss shows the secret %s:\n%s", secret, msg)
		}
	}
	// Still readable: the member that differs, the names around the
	// secrets, and each secret's kind.
	for _, want := range []string{"additionalModelRequestFields", "Credentials", "SecretAccessKey", "db_password", "REGION=us-east-1", "REDACTEDAWSSECRETACCESSKEY", "REDACTEDAPITOKEN", "REDACTED:", "XEXAMPLE"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the miss lacks %q:\n%s", want, msg)
		}
	}
}

// TestMissMasksSecretMembers: the body a miss shows hides the string
// under a member whose name says or mentions a credential, whatever it
// holds, by the one rule redaction owns (redact.SecretMember): every
// name the miss masked before still is (secretArn, apiKeyId, pwd,
// nextToken, token alone), and so is a credential's name the body's
// redaction reads (passphrase, Authorization, Cookie, accessKey) where it
// kept the value, a password of symbols only, that it reads as a mask;
// before, the miss kept its own list of words and showed those. A count
// of tokens stays visible, as a string or a number.
func TestMissMasksSecretMembers(t *testing.T) {
	mask := secretMask()
	const value = "~!@#$%^*()+" // no letter or digit: a body's redaction reads it as masked
	for _, name := range []string{
		// Masked before.
		"password", "db_password", "Passwd", "pwd", "pwdFile", "secret", "client_secret", "secretArn", "SecretId",
		"credential", "credentialsPath", "apikey", "api_key", "x-api-key", "apiKeyId", "private_key", "privateKeyPath",
		"token", "access_token", "nextToken", "pageToken", "max_token", "idempotencyToken", "tokenType",
		// A credential's name redaction reads, which the miss's list lacked.
		"passphrase", "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "accessKey", "sessionKey", "signing_key", "auth",
	} {
		got, _ := json.Marshal(mask([]byte(`{"` + name + `":"` + value + `"}`)))
		if strings.Contains(string(got), value) || !strings.Contains(string(got), name) {
			t.Errorf("%s: %s", name, got)
		}
	}
	for _, name := range []string{"tokens", "max_tokens", "maxTokens", "inputTokens", "outputTokens", "cache_read_input_tokens", "max_completion_tokens", "stopSequences", "keyword", "author", "passage"} {
		for _, v := range []string{`"1024"`, `1024`} {
			got, _ := json.Marshal(mask([]byte(`{"` + name + `":` + v + `}`)))
			if want := `{"` + name + `":` + v + `}`; string(got) != want {
				t.Errorf("%s: %s, want %s", name, got, want)
			}
		}
	}
}
