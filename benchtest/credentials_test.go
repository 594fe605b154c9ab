package benchtest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordAgainstAWS runs go test -record (no -endpoint: against AWS) in a
// child process on a temporary project, with the AWS settings env (NAME=
// VALUE each), and returns its output and whether it passed.
func recordAgainstAWS(t *testing.T, env []string, extra ...string) (string, bool) {
	t.Helper()
	p := tempProject(t)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestRunFailsHelper$", "-test.count", "1", "-test.v", "-record")
	cmd.Env = append(os.Environ(), append([]string{"BENCHTEST_RUN_CONFIG=" + p.File, "CI=", "BENCHTEST_AWS_ENV=" + strings.Join(env, "\n")}, extra...)...)
	// A process the child started and left behind (a credential_process)
	// must not hold the test on the output pipe.
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// TestRecordingWithABedrockAPIKeyAlone: go test -record against AWS with
// a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) and no SigV4 credentials
// goes on to call Bedrock, as bedrock-bench record does (the runtime
// takes the key: the Bedrock user guide's "Use an Amazon Bedrock API
// key"). Before, its up-front check asked the SigV4 chain alone, and the
// run stopped with "no AWS credentials to record with". The calls here
// go to a proxy (HTTPS_PROXY) that records where they were going and
// refuses them: the network holds no Bedrock.
func TestRecordingWithABedrockAPIKeyAlone(t *testing.T) {
	var mu sync.Mutex
	var hosts []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.Method+" "+r.Host)
		mu.Unlock()
		http.Error(w, "no Bedrock here", http.StatusForbidden)
	}))
	defer proxy.Close()
	out, _ := recordAgainstAWS(t, []string{"AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl", "AWS_REGION=us-east-1"},
		"HTTPS_PROXY="+proxy.URL, "https_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	if strings.Contains(out, "no AWS credentials") {
		t.Errorf("the API key was refused up front:\n%s", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hosts) == 0 || hosts[0] != "CONNECT bedrock-runtime.us-east-1.amazonaws.com:443" {
		t.Errorf("calls through the proxy: %q, want the first to Bedrock's runtime in us-east-1:\n%s", hosts, out)
	}
}

// TestRecordingCredentialCheckIsBounded: go test -record's up-front
// check of the credential chain gives up after a bound (20 s,
// replay.CredentialsTimeout, lowered here), as bedrock-bench record's
// does, with a line that says what did not answer. Before, it waited as
// long as the chain did: here a credential_process that never returns
// (here it answers after 30 s; the SDK's own bound on one is a minute), elsewhere an SSO or a
// container endpoint that stopped answering.
func TestRecordingCredentialCheckIsBounded(t *testing.T) {
	config := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(config, []byte("[default]\nregion = us-east-1\ncredential_process = exec sleep 30 2>/dev/null\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, ok := recordAgainstAWS(t, []string{"AWS_CONFIG_FILE=" + config}, "BENCHTEST_CREDENTIALS_TIMEOUT=500ms")
	if ok || !strings.Contains(out, "no AWS credentials (the credential chain gave none within 500ms: a credential_process, an SSO or a container endpoint that does not answer); set AWS_PROFILE or AWS_ACCESS_KEY_ID, or record against the bundled emulator with -endpoint emulator") {
		t.Errorf("want the check given up on:\n%s", out)
	}
}
