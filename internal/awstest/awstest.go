// Package awstest gives tests a fixed, empty AWS configuration, so that
// what a developer has in the environment (a Bedrock API key, a profile,
// a Region, an endpoint, a CA bundle) never changes what a test does.
//
// Call [Isolate] from a package's TestMain; call [SetHostile] in a test
// that proves code ignores the ambient configuration.
package awstest

import (
	"os"
	"strings"
	"testing"
)

// Hostile is every AWS variable that the SDK or the AWS CLI reads and
// that could steer a test, each set to a bogus value: a test that still
// passes with these set reads none of them. .ci/run exports the same
// list for one whole `go test ./...`.
var Hostile = map[string]string{
	"AWS_BEARER_TOKEN_BEDROCK":           "bogus-bedrock-api-key",
	"AWS_PROFILE":                        "bogus-profile",
	"AWS_DEFAULT_PROFILE":                "bogus-profile",
	"AWS_CONFIG_FILE":                    "/nonexistent/bogus-aws-config",
	"AWS_SHARED_CREDENTIALS_FILE":        "/nonexistent/bogus-aws-credentials",
	"AWS_REGION":                         "bogus-region-1",
	"AWS_DEFAULT_REGION":                 "bogus-region-2",
	"AWS_ENDPOINT_URL":                   "http://127.0.0.1:9/bogus-endpoint",
	"AWS_ENDPOINT_URL_BEDROCK_RUNTIME":   "http://127.0.0.1:9/bogus-runtime-endpoint",
	"AWS_ENDPOINT_URL_BEDROCK":           "http://127.0.0.1:9/bogus-control-endpoint",
	"AWS_CA_BUNDLE":                      "/nonexistent/bogus-ca-bundle.pem",
	"AWS_ACCESS_KEY_ID":                  "AKIABOGUSBOGUSBOGUS1",
	"AWS_SECRET_ACCESS_KEY":              "bogus-secret-access-key",
	"AWS_SESSION_TOKEN":                  "bogus-session-token",
	"AWS_ROLE_ARN":                       "arn:aws:iam::000000000000:role/bogus",
	"AWS_WEB_IDENTITY_TOKEN_FILE":        "/nonexistent/bogus-web-identity-token",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/bogus-container-credentials",
}

// Isolate removes every AWS_* variable from the process environment and
// points the shared config and credentials files at a path that does not
// exist, so the SDK sees no configuration at all and never asks the
// instance metadata service. Call it from TestMain before m.Run.
func Isolate() {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			os.Unsetenv(k)
		}
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull+"/no-aws-config")
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull+"/no-aws-credentials")
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// SetHostile sets every variable in [Hostile] for the duration of t.
func SetHostile(t testing.TB) {
	t.Helper()
	for k, v := range Hostile {
		t.Setenv(k, v)
	}
}
