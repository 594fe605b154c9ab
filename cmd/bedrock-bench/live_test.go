package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
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

// fakeIdentity serves STS and IAM for --live: sts:GetCallerIdentity
// answers caller (in the API reference's shape), iam:GetRole answers
// roleARN for its name, or AccessDenied when roleARN is empty, and the
// simulation allows everything.
func fakeIdentity(t *testing.T, caller, roleARN string) (string, func() []map[string][]string) {
	t.Helper()
	return fakeQueryService(t, func(action string, form map[string][]string) queryAnswer {
		switch action {
		case "GetCallerIdentity":
			return queryAnswer{200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>` + caller +
				`</Arn><UserId>AROA3XFRBF535EXAMPLE:alice</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`}
		case "GetRole":
			name := form["RoleName"][0]
			if roleARN == "" {
				return queryError(403, "AccessDenied", "User: "+caller+" is not authorized to perform: iam:GetRole on resource: role "+name+" because no identity-based policy allows the iam:GetRole action")
			}
			path := strings.TrimSuffix(roleARN[strings.Index(roleARN, ":role/")+len(":role"):], name)
			return queryAnswer{200, `<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>` + path + `</Path><RoleName>` + name +
				`</RoleName><RoleId>AROA3XFRBF535EXAMPLE</RoleId><Arn>` + roleARN + `</Arn><CreateDate>2025-03-04T10:00:00Z</CreateDate></Role></GetRoleResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetRoleResponse>`}
		case "GetContextKeysForPrincipalPolicy":
			return queryAnswer{200, `<GetContextKeysForPrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetContextKeysForPrincipalPolicyResult><ContextKeyNames/></GetContextKeysForPrincipalPolicyResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetContextKeysForPrincipalPolicyResponse>`}
		case "SimulatePrincipalPolicy":
			return simulationAllowed(t, form)
		}
		return queryError(400, "InvalidAction", "unexpected "+action)
	})
}

// TestLiveWithoutPrincipalChecksTheCaller: preflight --live without
// --principal asks sts:GetCallerIdentity who the caller is and simulates
// that. An IAM Identity Center session
// (arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_.../alice) is
// simulated as its role, whose ARN iam:SimulatePrincipalPolicy wants
// with the path the session ARN leaves out (/aws-reserved/sso.amazonaws.com/eu-west-1/
// for Identity Center in eu-west-1): read with iam:GetRole. An IAM user
// is simulated as it is. The output says which principal was checked
// and where it came from. Before, --live without --principal was a usage
// error.
func TestLiveWithoutPrincipalChecksTheCaller(t *testing.T) {
	isolateAWS(t)
	emu := emulatorURL(t)
	const (
		session = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_BedrockDev_0123456789abcdef/alice@example.com"
		role    = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_BedrockDev_0123456789abcdef"
		user    = "arn:aws:iam::111122223333:user/ci/deployer"
	)
	for _, tc := range []struct {
		caller, roleARN, want, line string
		getRole                     bool
	}{
		{session, role, role, "principal: " + role + " (the caller: sts:GetCallerIdentity gave " + session + "; the role's ARN, with its path, from iam:GetRole)\n", true},
		{user, "", user, "principal: " + user + " (the caller, from sts:GetCallerIdentity)\n", false},
	} {
		url, asked := fakeIdentity(t, tc.caller, tc.roleARN)
		args := []string{"preflight", "--live", "--endpoint", emu, "--iam-endpoint", url, "--sts-endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0"}
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || !strings.HasPrefix(out, "preflight: us.amazon.nova-pro-v1:0 in us-east-1\n"+tc.line+"\n") {
			t.Errorf("%s: exit %d, want 0 and %q\n%s%s", tc.caller, code, tc.line, out, errOut)
		}
		simulated, gotRole := 0, false
		for _, q := range asked() {
			switch q["Action"][0] {
			case "SimulatePrincipalPolicy", "GetContextKeysForPrincipalPolicy":
				simulated++
				if got := q["PolicySourceArn"][0]; got != tc.want {
					t.Errorf("%s: %s for %s, want %s", tc.caller, q["Action"][0], got, tc.want)
				}
			case "GetRole":
				gotRole = q["RoleName"][0] == "AWSReservedSSO_BedrockDev_0123456789abcdef"
			}
		}
		if simulated == 0 || gotRole != tc.getRole {
			t.Errorf("%s: %d simulations, GetRole asked %v", tc.caller, simulated, gotRole)
		}

		// JSON, and the matrix, name it too.
		code, out, _ = runCLI(t, append(args, "--output", "json")...)
		var rep struct {
			Principal struct{ ARN, From, CallerARN string } `json:"principal"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitOK || rep.Principal.ARN != tc.want || rep.Principal.From != "sts:GetCallerIdentity" ||
			(tc.getRole && rep.Principal.CallerARN != session) || (!tc.getRole && rep.Principal.CallerARN != "") {
			t.Errorf("%s: json exit %d %v: %+v\n%s", tc.caller, code, err, rep.Principal, out)
		}
		code, out, errOut = runCLI(t, append(args, "--matrix", "--region", "us-east-2")...)
		if code != exitOK || !strings.HasPrefix(out, tc.line+"\nREGION ") {
			t.Errorf("%s: matrix exit %d\n%s%s", tc.caller, code, out, errOut)
		}
	}

	// A given --principal is used as it is, and STS is not asked.
	url, asked := fakeIdentity(t, session, role)
	code, out, errOut := runCLI(t, "preflight", "--live", "--principal", "arn:aws:iam::111122223333:role/app", "--endpoint", emu, "--iam-endpoint", url, "--sts-endpoint", url,
		"--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0")
	if code != exitOK || !strings.Contains(out, "\nprincipal: arn:aws:iam::111122223333:role/app (--principal)\n") {
		t.Errorf("--principal: exit %d\n%s%s", code, out, errOut)
	}
	for _, q := range asked() {
		if a := q["Action"][0]; a == "GetCallerIdentity" || a == "GetRole" {
			t.Errorf("--principal given, but %s was asked", a)
		}
	}
}

// TestLiveWithoutPrincipalWhenGetRoleIsRefused: a role session whose
// policies do not allow iam:GetRole cannot say its role's path: preflight
// says so, exit 2, and gives the --principal to write, in the caller's
// partition (GovCloud here: arn:aws-us-gov) and, for an IAM Identity
// Center role, with Identity Center's path. Nothing is simulated for a
// principal that does not exist. The root user, which the simulator
// cannot take, is refused with what to give instead.
func TestLiveWithoutPrincipalWhenGetRoleIsRefused(t *testing.T) {
	isolateAWS(t)
	emu := emulatorURL(t)
	const session = "arn:aws-us-gov:sts::111122223333:assumed-role/AWSReservedSSO_BedrockDev_0123456789abcdef/alice"
	for _, tc := range []struct{ caller, want string }{
		{session, "bedrock-bench preflight: the caller is the role session " + session + "; iam:SimulatePrincipalPolicy needs the role's ARN, with the path the session's ARN leaves out, and IAM refused iam:GetRole on AWSReservedSSO_BedrockDev_0123456789abcdef (AccessDenied: User: " + session + " is not authorized to perform: iam:GetRole on resource: role AWSReservedSSO_BedrockDev_0123456789abcdef because no identity-based policy allows the iam:GetRole action): give --principal arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_BedrockDev_0123456789abcdef (IAM Identity Center's path; with Identity Center in a Region other than us-east-1, arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/REGION/AWSReservedSSO_BedrockDev_0123456789abcdef); `aws iam get-role --role-name AWSReservedSSO_BedrockDev_0123456789abcdef --query Role.Arn` prints it, run with a profile allowed iam:GetRole\n"},
		{"arn:aws-us-gov:sts::111122223333:assumed-role/app/i-0abc", "bedrock-bench preflight: the caller is the role session arn:aws-us-gov:sts::111122223333:assumed-role/app/i-0abc; iam:SimulatePrincipalPolicy needs the role's ARN, with the path the session's ARN leaves out, and IAM refused iam:GetRole on app (AccessDenied: User: arn:aws-us-gov:sts::111122223333:assumed-role/app/i-0abc is not authorized to perform: iam:GetRole on resource: role app because no identity-based policy allows the iam:GetRole action): give --principal arn:aws-us-gov:iam::111122223333:role/PATH/app (the role's path: arn:aws-us-gov:iam::111122223333:role/app for a role without one); `aws iam get-role --role-name app --query Role.Arn` prints it, run with a profile allowed iam:GetRole\n"},
		{"arn:aws-us-gov:iam::111122223333:root", "bedrock-bench preflight: the caller is the root user of account 111122223333 (arn:aws-us-gov:iam::111122223333:root), which iam:SimulatePrincipalPolicy cannot simulate: give --principal with the ARN of the role or user the application runs as\n"},
	} {
		url, asked := fakeIdentity(t, tc.caller, "")
		code, out, errOut := runCLI(t, "preflight", "--live", "--endpoint", emu, "--iam-endpoint", url, "--sts-endpoint", url, "--region", "us-gov-west-1", "--model", "anthropic.claude-3-haiku-20240307-v1:0")
		if code != exitUsage || out != "" || errOut != tc.want {
			t.Errorf("%s: exit %d, want 2 and\n%s\ngot\n%s%s", tc.caller, code, tc.want, out, errOut)
		}
		for _, q := range asked() {
			if a := q["Action"][0]; a == "SimulatePrincipalPolicy" {
				t.Errorf("%s: simulated %s", tc.caller, q["PolicySourceArn"])
			}
		}
	}
}

// TestLiveWithoutPrincipalAgainstTheEmulator: --live without --principal
// or --sts-endpoint, with --endpoint on this machine (the bundled
// emulator), would ask AWS's STS who the caller is with the emulator's
// key pair: a call that can only fail (InvalidClientTokenId), or wait on
// a network the machine may not have, and whose error only suggested
// --principal. It is refused before any call, saying that the emulator
// serves no STS and what to give instead. The --timeout only bounds a
// build without the check, which made that call.
func TestLiveWithoutPrincipalAgainstTheEmulator(t *testing.T) {
	noCredentials(t)
	emu := emulatorURL(t)
	local := strings.Replace(emu, "127.0.0.1", "localhost", 1)
	// An IAM that knows the principal, so that STS is the only call
	// left to AWS (TestLiveAgainstTheEmulatorWithoutIAM has the other).
	iam := "http://127.0.0.1:1"
	for _, args := range [][]string{
		{"--endpoint", emu, "--iam-endpoint", iam, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0"},
		{"--endpoint", local, "--iam-endpoint", iam, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0"},
		{"--matrix", "--endpoint", emu, "--iam-endpoint", iam, "--region", "us-east-1", "--region", "us-west-2", "--model", "us.amazon.nova-pro-v1:0"},
	} {
		code, out, errOut := runCLI(t, append([]string{"preflight", "--live", "--timeout", "20s"}, args...)...)
		want := "bedrock-bench preflight: --live without --principal asks STS who the caller is (sts:GetCallerIdentity), and --endpoint " + args[slices.Index(args, "--endpoint")+1] +
			" is on this machine, as the bundled emulator is: the emulator serves no STS, and AWS's STS refuses its key pair; give --principal ARN, the role or user to simulate (or --sts-endpoint URL, an STS that knows the caller); to check the policies the emulator runs with, give them as --policy and --scp instead of --live\n"
		if code != exitUsage || out != "" || !strings.HasPrefix(errOut, want) {
			t.Errorf("%v: exit %d, want 2 and\n%s\ngot\n%s%s", args, code, want, out, errOut)
		}
	}
}

// TestLiveAgainstTheEmulatorWithoutIAM: --live with --endpoint on this
// machine and no --iam-endpoint sent iam:SimulatePrincipalPolicy to AWS's
// IAM signed with the emulator's key pair, a call that can only be
// refused (or wait on a network the machine may not have). It is refused
// before any call, with or without --principal, naming --policy and
// --iam-endpoint.
func TestLiveAgainstTheEmulatorWithoutIAM(t *testing.T) {
	noCredentials(t)
	emu := emulatorURL(t)
	for _, args := range [][]string{
		{"--principal", "arn:aws:iam::111122223333:role/app"},
		{},
		{"--principal", "arn:aws:iam::111122223333:role/app", "--matrix", "--region", "us-west-2"},
	} {
		args = append([]string{"preflight", "--live", "--timeout", "20s", "--endpoint", emu, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0"}, args...)
		code, out, errOut := runCLI(t, args...)
		want := "bedrock-bench preflight: --live asks IAM to simulate the principal's policies (iam:SimulatePrincipalPolicy), and --endpoint " + emu +
			" is on this machine, as the bundled emulator is: the emulator serves no IAM, and AWS's IAM refuses its key pair; to check the policies the emulator runs with, give them as --policy and --scp instead of --live (or give --iam-endpoint URL, an IAM that knows the principal)\n"
		if code != exitUsage || out != "" || !strings.HasPrefix(errOut, want) {
			t.Errorf("%v: exit %d, want 2 and\n%s\ngot\n%s%s", args, code, want, out, errOut)
		}
	}
}
