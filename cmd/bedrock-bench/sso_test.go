package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordWithAnSSOProfileNotLoggedIn: with a profile that takes its
// credentials from IAM Identity Center (sso-session) whose session has
// no token yet (no `aws sso login`, or an expired one), record and
// converse stop before any call, in one line that says to log in. The
// check of the credentials was skipped, the SDK's SSO token taken for a
// Bedrock API key: every case was sent and failed with "failed to read
// cached SSO token file".
func TestRecordWithAnSSOProfileNotLoggedIn(t *testing.T) {
	isolateAWS(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	home := t.TempDir()
	config := "[profile sso]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = Bench\nregion = us-east-1\n" +
		"[sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
	if err := os.WriteFile(filepath.Join(home, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	t.Setenv("AWS_PROFILE", "sso")
	dir := t.TempDir()
	for _, args := range [][]string{
		{"record", "--cassettes", dir},
		{"converse", "--model", "amazon.nova-micro-v1:0", "hi"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || out != "" || lines(errOut) != 1 || !strings.Contains(errOut, "no AWS credentials (the profile's IAM Identity Center (SSO) session is not logged in or has expired: run aws sso login)") {
			t.Errorf("%v: exit %d, want 2 and one line saying to log in\nstdout %q\nstderr %q", args, code, out, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("record wrote %d entries", len(entries))
	}
}

// TestAnAWSEndpointChecksTheCredentials: --endpoint naming an AWS
// endpoint (a Region newer than the catalog) calls AWS, so record,
// converse, preflight and catalog check the credential chain first, as
// without --endpoint: with none, one line and exit 2, no case sent.
// Before, they signed with the emulator's fake key pair and every call
// was refused.
func TestAnAWSEndpointChecksTheCredentials(t *testing.T) {
	noCredentials(t)
	ep := "https://bedrock-runtime.us-west-2.amazonaws.com"
	dir := t.TempDir()
	for _, args := range [][]string{
		{"record", "--cassettes", dir, "--endpoint", ep},
		{"converse", "--endpoint", ep, "--region", "us-west-2", "--model", "amazon.nova-micro-v1:0", "hi"},
		{"preflight", "--endpoint", "https://bedrock.us-west-2.amazonaws.com", "--region", "us-west-2", "--model", "amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"},
		{"catalog", "--endpoint", "https://bedrock.us-west-2.amazonaws.com", "--region", "us-west-2", "--out", filepath.Join(dir, "c.json")},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "no AWS credentials") {
			t.Errorf("%v: exit %d, want 2 and no AWS credentials\nstdout %q\nstderr %q", args[0], code, out, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %d entries", len(entries))
	}
}

// TestNoCredentialsSaysWhatWasLookedFor: with no credentials anywhere,
// the cause shown is what the chain looked for, not the error of its
// last provider, the instance metadata service ("GetMetadata, access
// disabled to EC2 IMDS via client option…"), which on a laptop told
// nothing of what to set.
func TestNoCredentialsSaysWhatWasLookedFor(t *testing.T) {
	noCredentials(t)
	code, _, errOut := runCLI(t, "converse", "--region", "us-east-1", "--model", "amazon.nova-micro-v1:0", "hi")
	if code != exitUsage || !strings.Contains(errOut, "no AWS credentials (none in the environment, the shared files or an SSO session, and no instance role); set AWS_PROFILE") || strings.Contains(errOut, "IMDS") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}

// TestConverseWithoutARegion: toward AWS, converse with no --region and
// none in the environment or the profile is a usage error, as the SDK
// makes it; before, the prompt went to us-east-1, which nobody chose
// (a company whose data must stay in the EU included). Toward an
// endpoint that is not AWS's, us-east-1 is still the default.
func TestConverseWithoutARegion(t *testing.T) {
	isolateAWS(t)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	for _, args := range [][]string{
		{"converse", "--model", "amazon.nova-micro-v1:0", "hi"},
		{"converse", "--endpoint", "https://bedrock-runtime.eu-west-1.amazonaws.com", "--model", "amazon.nova-micro-v1:0", "hi"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "no Region: give --region, or set AWS_REGION or the profile's region") {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q", args, code, out, errOut)
		}
	}
}
