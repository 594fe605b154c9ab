package emulator

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/internal/awstest"
)

// hostileAWS is an AWS environment that would break any test reading it:
// a bearer token (which the SDK's constructor picks up by itself), a
// profile, files, a Region and endpoints that do not exist.
var hostileAWS = map[string]string{
	"AWS_BEARER_TOKEN_BEDROCK":         "ABSKbm90LWEta2V5OmF0LWFsbA==",
	"AWS_PROFILE":                      "no-such-profile",
	"AWS_CONFIG_FILE":                  "/nonexistent/config",
	"AWS_SHARED_CREDENTIALS_FILE":      "/nonexistent/credentials",
	"AWS_REGION":                       "mars-north-1",
	"AWS_DEFAULT_REGION":               "mars-north-1",
	"AWS_ENDPOINT_URL":                 "http://127.0.0.1:1",
	"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": "http://127.0.0.1:1",
	"AWS_ENDPOINT_URL_BEDROCK":         "http://127.0.0.1:1",
	"AWS_CA_BUNDLE":                    "/nonexistent/ca.pem",
	"AWS_ACCESS_KEY_ID":                "AKIAHOSTILE000000000",
	"AWS_SECRET_ACCESS_KEY":            "hostile",
	"AWS_SESSION_TOKEN":                "hostile",
}

// TestMain runs the tests with no AWS configuration at all: whatever the
// machine's environment holds, the emulator's tests never read it.
func TestMain(m *testing.M) {
	awstest.Isolate()
	os.Exit(m.Run())
}

// TestHostileAWSEnvironment runs SDK-driven tests again in a child process
// started with a hostile AWS environment: they must pass all the same.
func TestHostileAWSEnvironment(t *testing.T) {
	if testing.Short() || os.Getenv("BEDROCK_BENCH_HOSTILE_CHILD") != "" {
		t.Skip("the child run, or -short")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestConcurrentRequests|TestConverseThroughSDK|TestStreamThroughSDK|TestSignatures)$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BEDROCK_BENCH_HOSTILE_CHILD=1")
	for k, v := range hostileAWS {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("with a hostile AWS environment: %v\n%s", err, out)
	}
}
