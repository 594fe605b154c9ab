package main

import (
	"strings"
	"testing"
)

// A mistyped Region is an unknown Region, with the closest one the
// catalog knows, in converse and preflight. Against AWS it is refused
// before any call, as record refuses it; against an endpoint of the
// user's (the emulator here) the emulator's answer is read as such.
// Before, both were explained as refused credentials ("Check the
// credential chain", "refresh the credentials").
func TestMistypedRegion(t *testing.T) {
	noCredentials(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	policy := "testdata/allow-all.json"
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		// Against AWS: refused up front, exit 2, as record does.
		{[]string{"converse", "--region", "us-esat-1", "--model", "amazon.nova-micro-v1:0", "hi"}, exitUsage,
			[]string{`--region: Region "us-esat-1" is no AWS Region (neither the catalog's nor one of the`, "the closest known one is us-east-1", "--endpoint https://bedrock-runtime.us-esat-1.amazonaws.com"}},
		{[]string{"preflight", "--region", "us-esat-1", "--model", "amazon.nova-micro-v1:0", "--policy", policy}, exitUsage,
			[]string{`--region: Region "us-esat-1" is no AWS Region`, "the closest known one is us-east-1", "--endpoint https://bedrock.us-esat-1.amazonaws.com"}},
		// Against the emulator: its answer names the unknown Region.
		{[]string{"converse", "--endpoint", url, "--region", "us-esat-1", "--model", "amazon.nova-micro-v1:0", "hi"}, exitFindings,
			[]string{"The Region us-esat-1 is unknown", "the closest the catalog knows is us-east-1"}},
		{[]string{"preflight", "--endpoint", url, "--region", "us-esat-1", "--model", "amazon.nova-micro-v1:0", "--policy", policy}, exitUsage,
			[]string{"refused an unknown Region", "the closest the catalog knows is us-east-1"}},
		{[]string{"preflight", "--matrix", "--endpoint", url, "--region", "us-esat-1", "--region", "us-east-1", "--model", "amazon.nova-micro-v1:0", "--policy", policy}, exitUsage,
			[]string{"refused an unknown Region", "the closest the catalog knows is us-east-1"}},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		errOut = out + errOut // a matrix row's error is in the table
		if code != tc.code || strings.Contains(errOut, "credential") {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: lacks %q\n%s", tc.args, w, errOut)
			}
		}
	}
	// A Region newer than the catalog is still reached through its AWS
	// endpoint: not refused as unknown (here the missing credentials stop
	// the call).
	code, _, errOut := runCLI(t, "converse", "--endpoint", "https://bedrock-runtime.us-esat-1.amazonaws.com", "--region", "us-esat-1", "--model", "amazon.nova-micro-v1:0", "hi")
	if code == exitOK || strings.Contains(errOut, "not a Region of the catalog") || !strings.Contains(errOut, "no AWS credentials") {
		t.Errorf("AWS endpoint of a newer Region: exit %d\n%s", code, errOut)
	}
}

// TestRealRegionsOutsideTheCatalogReachAWS: a Region of an AWS partition
// that the catalog does not describe (eu-central-2, sa-east-1, GovCloud)
// is no typo: converse and preflight call AWS there (here the missing
// credentials stop them), as they did before the Region check. Before
// that check took the SDK's Region list, they were refused with advice
// to "fix" the Region to another one.
func TestRealRegionsOutsideTheCatalogReachAWS(t *testing.T) {
	noCredentials(t)
	for _, region := range []string{"eu-central-2", "sa-east-1", "us-gov-west-1"} {
		for _, args := range [][]string{
			{"converse", "--region", region, "--model", "anthropic.claude-3-haiku-20240307-v1:0", "hi"},
			{"preflight", "--region", region, "--model", "anthropic.claude-3-haiku-20240307-v1:0", "--live", "--principal", "arn:aws:iam::111122223333:role/app"},
		} {
			code, out, errOut := runCLI(t, args...)
			if code == exitOK || strings.Contains(out+errOut, "Region") && strings.Contains(out+errOut, "no AWS Region") || !strings.Contains(errOut, "no AWS credentials") {
				t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
			}
		}
	}
}
