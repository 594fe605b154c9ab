package main

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// startCapture runs capture in process with args and returns the proxy's
// URL and a function that stops it and returns its exit code and stderr.
func startCapture(t *testing.T, args ...string) (string, func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"capture", "--listen", "127.0.0.1:0", "--out", t.TempDir()}, args...), &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	for i := 0; i < 500; i++ {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], func() (int, string) { cancel(); return <-done, stderr.String() }
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	t.Fatalf("capture did not start:\n%s", stderr.String())
	return "", nil
}

// TestCaptureTrustsTheConfigurationsCABundle: behind a TLS-inspecting
// proxy, whose certificate the AWS configuration names (AWS_CA_BUNDLE,
// or a profile's ca_bundle, as the AWS CLI's "Configuration and
// credential file settings" describe them), capture forwards the
// application's calls upstream trusting that certificate, as the SDK and
// a recording do (TestRecordingTrustsTheConfigurationsCABundle). Before,
// its transport knew only the system's roots, and every forwarded call
// failed with "x509: certificate signed by unknown authority".
func TestCaptureTrustsTheConfigurationsCABundle(t *testing.T) {
	withSalt(t)
	isolateAWS(t)
	em, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewTLSServer(em)
	defer upstream.Close()
	bundle := filepath.Join(t.TempDir(), "inspecting-proxy.pem")
	if err := os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: upstream.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(profile, []byte("[default]\nca_bundle = "+bundle+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	for name, env := range map[string]map[string]string{
		"AWS_CA_BUNDLE":           {"AWS_CA_BUNDLE": bundle},
		"the profile's ca_bundle": {"AWS_CONFIG_FILE": profile},
	} {
		t.Run(name, func(t *testing.T) {
			for k, v := range env {
				t.Setenv(k, v)
			}
			base, stop := startCapture(t, "--upstream", upstream.URL, "--region", "us-east-1")
			// An AWS SDK's request, signed for the proxy: the proxy signs
			// it again with the configuration's credentials.
			req, _ := http.NewRequest("POST", base+"/model/amazon.nova-micro-v1:0/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hello"}]}]}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDAPPLICATIONKEY01/20261207/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			code, errOut := stop()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"stopReason"`) {
				t.Errorf("through the proxy: %d %s\n%s", resp.StatusCode, body, errOut)
			}
			if code != exitOK || strings.Contains(errOut, "warning") {
				t.Errorf("exit %d\n%s", code, errOut)
			}
		})
	}
}
