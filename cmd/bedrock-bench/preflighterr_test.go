package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// failingControlPlane answers every call with the error errType, as
// Bedrock's control plane words it (REST-JSON: the X-Amzn-Errortype
// header and a JSON message).
func failingControlPlane(t *testing.T, status int, errType, msg string) string {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", errType+":http://internal.amazon.com/coral/com.amazon.coral.service/")
		w.WriteHeader(status)
		w.Write([]byte(`{"message":"` + msg + `"}`))
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestPreflightExplainsAControlPlaneError: a single target whose
// Region's control plane refuses the caller (an SCP that denies the
// Region, the message in AWS's words as
// aws-samples/recorded-voice-insight-extraction-webapp#4 quotes it) or
// its credentials (an opt-in Region not enabled) gets the line a
// --matrix row gets: who refused, the error as it came, what it means
// and what to check, exit 2. Before, the SDK's error alone ("operation
// error Bedrock: GetInferenceProfile, https response error StatusCode:
// 403, RequestID: , AccessDeniedException: ...").
func TestPreflightExplainsAControlPlaneError(t *testing.T) {
	isolateAWS(t)
	const denied = "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:GetInferenceProfile on resource: arn:aws:bedrock:eu-west-3:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1 with an explicit deny in a service control policy"
	for _, tc := range []struct {
		status           int
		errType, message string
		want             string
	}{
		{http.StatusForbidden, "AccessDeniedException", denied,
			"bedrock-bench preflight: the control plane of eu-west-3 (GetInferenceProfile) refused the caller: AccessDeniedException: " + denied + ": preflight cannot read the Region's catalog; check the SCPs and the caller's bedrock:List*/Get* permissions there\n"},
		{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid.",
			"bedrock-bench preflight: the control plane of eu-west-3 (GetInferenceProfile) refused the credentials: UnrecognizedClientException: The security token included in the request is invalid.: preflight cannot read the Region's catalog; a Region that must be enabled (an opt-in Region) refuses them until the account enables it, otherwise refresh the credentials\n"},
	} {
		url := failingControlPlane(t, tc.status, tc.errType, tc.message)
		code, out, errOut := runCLI(t, "preflight", "--endpoint", url, "--region", "eu-west-3", "--model", "global.anthropic.claude-opus-4-6-v1", "--policy", "testdata/allow-all.json")
		if code != exitUsage || out != "" || errOut != tc.want {
			t.Errorf("%s: exit %d, want 2 and\n%s\ngot\n%s%s", tc.errType, code, tc.want, out, errOut)
		}
	}
}
