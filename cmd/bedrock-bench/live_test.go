package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// queryAnswer is a fake query-protocol service's answer (IAM's, STS's).
type queryAnswer struct {
	status int
	body   string
}

// queryError is a query-protocol error body, as IAM and STS send them
// (IAM API Reference, Common Errors).
func queryError(status int, code, msg string) queryAnswer {
	return queryAnswer{status, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>` + code + `</Code><Message>` + msg + `</Message></Error><RequestId>4fbe3b3b-2c0f-4b5d-9a1e-0d6f1f8a2c11</RequestId></ErrorResponse>`}
}

// fakeQueryService serves IAM and STS: answer gives each call's answer
// by its Action and form. The calls are recorded in asked.
func fakeQueryService(t *testing.T, answer func(action string, form map[string][]string) queryAnswer) (string, func() []map[string][]string) {
	t.Helper()
	var mu sync.Mutex
	var asked []map[string][]string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		asked = append(asked, r.PostForm)
		mu.Unlock()
		a := answer(r.PostForm.Get("Action"), r.PostForm)
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(hs.Close)
	return hs.URL, func() []map[string][]string {
		mu.Lock()
		defer mu.Unlock()
		return append([]map[string][]string(nil), asked...)
	}
}

// simulationAllowed answers iam:SimulatePrincipalPolicy with "allowed",
// in the shape of the API reference's example.
func simulationAllowed(t *testing.T, form map[string][]string) queryAnswer {
	t.Helper()
	tmpl, err := os.ReadFile("testdata/simulate-principal-policy.xml")
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	return queryAnswer{200, strings.NewReplacer("{{POLICY}}", "bedrock-invoke", "{{RESOURCE}}", get("ResourceArns.member.1"), "{{DECISION}}", "allowed",
		"{{ACTION}}", get("ActionNames.member.1"), "{{MISSING}}", "<MissingContextValues/>").Replace(string(tmpl))}
}

func emulatorURL(t *testing.T) string {
	t.Helper()
	em, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(em)
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestMatrixLiveWithTheSimulationRefused: with --matrix --live, IAM
// refusing iam:SimulatePrincipalPolicy concerns every row (IAM is
// global, the principal the same): the run ends at once with one line
// saying what it means, exit 2, as a configuration error does, and IAM
// is not asked again for the other rows. Before, every row failed with
// the same text under a table of FAILED rows.
func TestMatrixLiveWithTheSimulationRefused(t *testing.T) {
	isolateAWS(t)
	const msg = "User: arn:aws:sts::111122223333:assumed-role/dev/alice is not authorized to perform: iam:SimulatePrincipalPolicy on resource: role app because no identity-based policy allows the iam:SimulatePrincipalPolicy action"
	iamURL, asked := fakeQueryService(t, func(action string, _ map[string][]string) queryAnswer {
		return queryError(403, "AccessDenied", strings.ReplaceAll(msg, "SimulatePrincipalPolicy", action))
	})
	args := []string{"preflight", "--matrix", "--live", "--principal", "arn:aws:iam::111122223333:role/app", "--endpoint", emulatorURL(t), "--iam-endpoint", iamURL,
		"--region", "us-east-1", "--region", "eu-west-1", "--region", "ap-northeast-1", "--model", "global.anthropic.claude-opus-4-6-v1", "--model", "anthropic.claude-3-haiku-20240307-v1:0"}
	for _, output := range []string{"text", "json"} {
		before := len(asked())
		code, out, errOut := runCLI(t, append(args, "--output", output)...)
		want := "bedrock-bench preflight: IAM (SimulatePrincipalPolicy) refused the caller: AccessDenied: " + msg + ": preflight cannot simulate the principal's policies; --live needs iam:SimulatePrincipalPolicy and iam:GetContextKeysForPrincipalPolicy on the principal; the matrix stopped at us-east-1 global.anthropic.claude-opus-4-6-v1, as every row needs it\n"
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("--output %s: exit %d, want 2, no table and\n%s\ngot\n%s%s", output, code, want, out, errOut)
		}
		// One GetContextKeysForPrincipalPolicy, one simulation: no row after.
		if n := len(asked()) - before; n != 2 {
			t.Errorf("--output %s: IAM asked %d times, want 2", output, n)
		}
	}
}

// TestMatrixLiveAgainstTheEmulatorsIAM: --iam-endpoint at the emulator,
// which serves no IAM API, is said once and ends the matrix too; before,
// each row failed with it, blamed on that Region's control plane.
func TestMatrixLiveAgainstTheEmulatorsIAM(t *testing.T) {
	isolateAWS(t)
	emu := emulatorURL(t)
	code, out, errOut := runCLI(t, "preflight", "--matrix", "--live", "--principal", "arn:aws:iam::111122223333:role/app", "--endpoint", emu, "--iam-endpoint", emu,
		"--region", "us-east-1", "--region", "eu-west-1", "--model", "global.anthropic.claude-opus-4-6-v1")
	want := "bedrock-bench preflight: iam:SimulatePrincipalPolicy returned no result for bedrock:InvokeModel on arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1: is the IAM endpoint right? (bedrock-bench emulate serves no IAM API: give the policies it runs with as --policy and --scp instead of --live); the matrix stopped at us-east-1 global.anthropic.claude-opus-4-6-v1, as every row needs it\n"
	if code != exitUsage || out != "" || errOut != want {
		t.Errorf("exit %d, want 2, no table and\n%s\ngot\n%s%s", code, want, out, errOut)
	}
}
