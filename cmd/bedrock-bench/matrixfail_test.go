package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// refusingRegion is the emulator, except that every call signed for
// region is refused as an SCP that denies the Region's control plane
// refuses it (the message in AWS's words, as quoted in
// aws-samples/recorded-voice-insight-extraction-webapp#4).
func refusingRegion(t *testing.T, region string) string {
	t.Helper()
	em, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), "/"+region+"/bedrock/") {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-Errortype", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:GetInferenceProfile on resource: arn:aws:bedrock:eu-west-3:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1 with an explicit deny in a service control policy"}`))
			return
		}
		em.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestAMatrixRowThatFailsLeavesTheOthers: a migration check over 12
// Regions, one of which (eu-west-3) refuses the caller on its control
// plane, reports that row as failed, with the error and what it means,
// and every other row as checked, in text and in JSON, and exits 2
// (the table is incomplete). Before, the first refusal ended the whole
// matrix with the error alone.
func TestAMatrixRowThatFailsLeavesTheOthers(t *testing.T) {
	isolateAWS(t)
	url := refusingRegion(t, "eu-west-3")
	regions := []string{"us-east-1", "us-east-2", "us-west-2", "ca-central-1", "eu-central-1", "eu-west-1",
		"eu-west-2", "eu-west-3", "eu-north-1", "ap-northeast-1", "ap-south-1", "ap-southeast-2"}
	args := []string{"preflight", "--matrix", "--endpoint", url, "--model", "global.anthropic.claude-opus-4-6-v1", "--policy", "testdata/allow-all.json"}
	for _, r := range regions {
		args = append(args, "--region", r)
	}
	code, out, errOut := runCLI(t, args...)
	if code != exitUsage {
		t.Errorf("exit %d, want 2 (a row not checked)\n%s%s", code, out, errOut)
	}
	const meaning = "the control plane of eu-west-3 (GetInferenceProfile) refused the caller: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:GetInferenceProfile on resource: arn:aws:bedrock:eu-west-3:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1 with an explicit deny in a service control policy: preflight cannot read the Region's catalog; check the SCPs and the caller's bedrock:List*/Get* permissions there"
	for _, want := range []string{
		"eu-west-3       global.anthropic.claude-opus-4-6-v1           FAILED        not checked (see below)",
		"failed: eu-west-3 global.anthropic.claude-opus-4-6-v1: " + meaning,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	for _, r := range regions {
		if r != "eu-west-3" && !strings.Contains(out, r+strings.Repeat(" ", 16-len(r))+"global.anthropic.claude-opus-4-6-v1           via profile") {
			t.Errorf("row %s missing or not checked:\n%s", r, out)
		}
	}
	if !strings.Contains(errOut, "bedrock-bench preflight: 1 row not checked, 0 findings") {
		t.Errorf("stderr: %s", errOut)
	}

	code, out, _ = runCLI(t, append(args, "--output", "json")...)
	var m struct {
		Rows []struct {
			Region, Offered, Verdict, Error string
			Destinations                    []struct{ Region, Verdict string }
			Findings                        []json.RawMessage
		} `json:"rows"`
		Findings *int `json:"findings"`
		Failed   int  `json:"failed"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != exitUsage || len(m.Rows) != 12 || m.Failed != 1 || m.Findings == nil {
		t.Fatalf("json: exit %d %v\n%s", code, err, out)
	}
	for _, r := range m.Rows {
		switch {
		case r.Region == "eu-west-3":
			if r.Verdict != "failed" || r.Offered != "unknown" || r.Error != meaning || r.Destinations == nil || r.Findings == nil {
				t.Errorf("failed row: %+v", r)
			}
		case r.Verdict != "allowed" || r.Offered != "via-profile" || r.Error != "":
			t.Errorf("row %s: %+v", r.Region, r)
		}
	}
}
