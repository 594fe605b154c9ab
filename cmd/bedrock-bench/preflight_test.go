package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPreflightCommand(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	base := []string{"preflight", "--endpoint", url}

	code, out, errOut := runCLI(t, append(base, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json")...)
	if code != exitOK || !strings.Contains(out, "all clear") {
		t.Errorf("all clear: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, append(base, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/role-us-east-only.json")...)
	if code != exitFindings || !strings.Contains(out, "DENIED   model in us-west-2") || !strings.Contains(out, `"Sid": "AllowBedrockInvoke"`) {
		t.Errorf("denied destination: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, append(base, "--region", "us-east-1", "--model", "global.anthropic.claude-opus-4-6-v1", "--policy", "testdata/allow-all.json", "--scp", "testdata/scp-region-allowlist.json")...)
	if code != exitFindings || !strings.Contains(out, "global model (unspecified)") || !strings.Contains(out, `add "unspecified"`) {
		t.Errorf("global + SCP: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, append(base, "--region", "ap-south-1", "--model", "anthropic.claude-3-5-haiku-20241022-v1:0", "--policy", "testdata/allow-all.json", "--output", "json")...)
	var rep struct {
		Catalog struct {
			Offered      string `json:"offered"`
			Alternatives []struct {
				Region string `json:"Region"`
			} `json:"alternatives"`
		} `json:"catalog"`
		Findings []struct {
			Kind string `json:"kind"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitFindings || err != nil || rep.Catalog.Offered != "not-offered" || rep.Findings[0].Kind != "not-offered" {
		t.Errorf("json: exit %d %v\n%s", code, err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "m", "--policy", "p"}, "--region and --model are required"},
		{[]string{"--region", "us-east-1", "--model", "m", "--live"}, "--live needs --principal"},
		{[]string{"--region", "us-east-1", "--model", "m"}, "give the caller's policies with --policy"},
		{[]string{"--region", "us-east-1", "--model", "m", "--policy", "testdata/missing.json"}, "--policy: open testdata/missing.json"},
	} {
		code, _, errOut := runCLI(t, append(base, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %s", tc.args, code, errOut)
		}
	}
}
