package benchtest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

// TestRecordingStopsAfterRefusedCredentials: go test -record, when the
// service refuses the credentials (ExpiredTokenException: an SSO session
// that expired mid-run), sends no later case: they fail as not tried,
// their cassettes untouched, as bedrock-bench record does. Before, every
// case of the run was sent and refused.
func TestRecordingStopsAfterRefusedCredentials(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", "ExpiredTokenException")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"message":"The security token included in the request is expired"}`))
	}))
	defer srv.Close()
	p := tempProject(t)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestRunFailsHelper$", "-test.count", "1", "-test.v", "-record", "-endpoint", srv.URL)
	cmd.Env = append(os.Environ(), "BENCHTEST_RUN_CONFIG="+p.File, "CI=")
	out, err := cmd.CombinedOutput()
	if err == nil || strings.Count(string(out), "the credentials were refused") != 1 || !strings.Contains(string(out), bench.ErrNotTried.Error()) {
		t.Errorf("exit %v, want one case refused and the other not tried:\n%s", err, out)
	}
	// Both histories are tagged stream: a case makes three calls.
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls, want the first case's 3 (Converse, raw Converse, ConverseStream)", n)
	}
	if files, _ := filepath.Glob(filepath.Join(p.CassettesDir(), "*", "*", "*.yaml")); len(files) != 0 {
		t.Errorf("cassettes written: %v", files)
	}
}
