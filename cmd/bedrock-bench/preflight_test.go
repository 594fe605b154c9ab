package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
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
	code, out, _ = runCLI(t, append(base, "--region", "ap-south-1", "--model", "meta.llama3-3-70b-instruct-v1:0", "--policy", "testdata/allow-all.json", "--output", "json")...)
	var rep struct {
		Catalog struct {
			Offered      string `json:"offered"`
			Alternatives []struct {
				Region string `json:"region"`
			} `json:"alternatives"`
		} `json:"catalog"`
		Findings []struct {
			Kind string `json:"kind"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitFindings || err != nil || rep.Catalog.Offered != "not-offered" || rep.Findings[0].Kind != "not-offered" ||
		len(rep.Catalog.Alternatives) == 0 || rep.Catalog.Alternatives[0].Region != "us-east-2" {
		t.Errorf("json: exit %d %v\n%s", code, err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "m", "--policy", "p"}, "--region is required: the Region to migrate to"},
		{[]string{"--region", "eu-west-1", "--policy", "p"}, "--model is required: the model id, inference profile id or ARN to call in eu-west-1"},
		{[]string{"--policy", "p"}, "--region and --model are required"},
		{[]string{"--region", "us-east-1", "--model", "m", "--live", "--policy", "p"}, "--live checks the principal's real policies; drop --policy"},
		{[]string{"--region", "us-east-1", "--model", "m"}, "give the caller's policies with --policy"},
		{[]string{"--region", "us-east-1", "--model", "m", "--policy", "testdata/missing.json"}, "--policy: open testdata/missing.json"},
	} {
		code, _, errOut := runCLI(t, append(base, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %s", tc.args, code, errOut)
		}
	}
}

func TestPreflightConditionsAndUnreadableStatements(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	base := []string{"preflight", "--endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/role-office-network.json"}

	// A source-IP condition is a conditional finding, not exit 2.
	code, out, errOut := runCLI(t, base...)
	if code != exitFindings || !strings.Contains(out, "allowed only when aws:SourceIp is in 10.0.0.0/8") || !strings.Contains(out, "--context aws:SourceIp=VALUE") {
		t.Errorf("conditional: exit %d\n%s%s", code, out, errOut)
	}
	// The misspelt operator is reported with its file, line and column
	// (the operator's), index and Sid, and the
	// other statement is still evaluated.
	if !strings.Contains(out, "unreadable-statement: testdata/role-office-network.json:16:21: Statement[1] (Sid \"Misspelt\"): condition operator \"StringEqualz\"") {
		t.Errorf("unreadable statement not reported:\n%s", out)
	}
	if strings.Contains(out, `"Sid": "AllowBedrockInvoke"`) {
		t.Errorf("a conditional allow needs no fix statement:\n%s", out)
	}
	// --context decides it: inside the network only the misspelt
	// statement remains.
	code, out, _ = runCLI(t, append(base, "--context", "aws:SourceIp=10.20.30.40")...)
	if code != exitFindings || strings.Contains(out, "CONDITIONAL") || strings.Contains(out, "DENIED") || !strings.Contains(out, "unreadable-statement") {
		t.Errorf("inside the network: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, append(base, "--context", "aws:SourceIp=192.0.2.1")...)
	if code != exitFindings || !strings.Contains(out, "DENIED") {
		t.Errorf("outside the network: exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, append(base, "--context", "SourceIp")...)
	if code != exitUsage || !strings.Contains(errOut, "want KEY=VALUE") {
		t.Errorf("bad --context: exit %d %s", code, errOut)
	}
}

func TestPreflightNetworkErrorIsNotUsage(t *testing.T) {
	isolateAWS(t)
	code, out, errOut := runCLI(t, "preflight", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json")
	if code != exitUsage || out != "" {
		t.Errorf("exit %d\n%s", code, out)
	}
	if strings.Contains(errOut, "--help") || strings.Count(errOut, "preflight") != 1 || !strings.Contains(errOut, "bedrock-bench preflight: nothing listens at http://127.0.0.1:1: start the emulator first (bedrock-bench emulate)") {
		t.Errorf("a refused connection is reported once, without the usage hint, and suggests the emulator:\n%s", errOut)
	}
}

func TestPreflightMatrix(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	args := []string{"preflight", "--matrix", "--endpoint", url,
		"--region", "us-east-1", "--region", "ap-south-1",
		"--model", "us.amazon.nova-pro-v1:0", "--model", "anthropic.claude-3-5-haiku-20241022-v1:0",
		"--policy", "testdata/role-us-east-only.json"}
	code, out, errOut := runCLI(t, args...)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"us-east-1       us.amazon.nova-pro-v1:0                       via profile   us-east-1 ok, us-east-2 ok, us-west-2 DENIED",
		"ap-south-1      us.amazon.nova-pro-v1:0                       NOT OFFERED   -",
		"ap-south-1      anthropic.claude-3-5-haiku-20241022-v1:0      NOT OFFERED   -",
		"fix for the whole matrix",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, append(args, "--output", "json")...)
	var m struct {
		Rows []struct {
			Region, Model, Offered, Verdict string
			Destinations                    []struct{ Region, Verdict string }
		} `json:"rows"`
		Fix struct {
			Statement struct{ Resource []string } `json:"statement"`
		} `json:"fix"`
		Findings int `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != exitFindings || len(m.Rows) != 4 || m.Findings == 0 {
		t.Fatalf("json: exit %d %v\n%s", code, err, out)
	}
	if r := m.Rows[0]; r.Offered != "via-profile" || r.Verdict != "denied" || len(r.Destinations) != 3 || r.Destinations[2].Region != "us-west-2" || r.Destinations[2].Verdict != "denied" {
		t.Errorf("row 0: %+v", r)
	}
	if len(m.Fix.Statement.Resource) == 0 || !strings.Contains(strings.Join(m.Fix.Statement.Resource, " "), "us-west-2::foundation-model/amazon.nova-pro-v1:0") {
		t.Errorf("fix: %+v", m.Fix)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"preflight", "--region", "us-east-1", "--region", "eu-west-1", "--model", "m", "--policy", "testdata/allow-all.json"}, "add --matrix"},
		{[]string{"preflight", "--targets", "x.json", "--policy", "testdata/allow-all.json"}, "--targets is for --matrix"},
		{[]string{"preflight", "--matrix", "--targets", "x.json", "--region", "us-east-1", "--policy", "testdata/allow-all.json"}, "not both"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %s", tc.args, code, errOut)
		}
	}
}

func TestPreflightBoundaryAndSessionPolicy(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	base := []string{"preflight", "--endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"}
	code, out, errOut := runCLI(t, append(base, "--boundary", "testdata/boundary-us-only.json")...)
	if code != exitFindings || !strings.Contains(out, "DENIED   model in us-west-2") || !strings.Contains(out, "no permissions boundary allows it") || strings.Contains(out, "DENIED   model in us-east-2") {
		t.Errorf("boundary: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, append(base, "--session-policy", "testdata/session-no-stream.json")...)
	if code != exitFindings || !strings.Contains(out, "InvokeModelWithResponseStream") || !strings.Contains(out, "no session policy allows it") {
		t.Errorf("session policy: exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, append(base, "--boundary", "testdata/missing.json")...)
	if code != exitUsage || !strings.Contains(errOut, "--boundary: open testdata/missing.json") {
		t.Errorf("missing boundary: exit %d %s", code, errOut)
	}
}

func TestPreflightMatrixTargetsFile(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	// The project's own targets: given as a file, and found from here up
	// when --matrix has neither --targets nor --region/--model.
	for name, args := range map[string][]string{
		"--targets project file": {"--targets", "../../bedrock-bench.yaml"},
		"project discovered":     nil,
	} {
		args = append([]string{"preflight", "--matrix", "--endpoint", url, "--policy", "testdata/allow-all.json", "--output", "json"}, args...)
		code, out, errOut := runCLI(t, args...)
		var m struct {
			Rows []struct{ Region, Model, Offered string } `json:"rows"`
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil || (code != exitOK && code != exitFindings) || len(m.Rows) != 3 {
			t.Fatalf("%s: exit %d %v\n%s%s", name, code, err, out, errOut)
		}
		if m.Rows[0].Region != "us-east-1" || m.Rows[0].Model != "us.amazon.nova-lite-v1:0" || m.Rows[0].Offered != "via-profile" {
			t.Errorf("%s: first target: %+v", name, m.Rows[0])
		}
		if m.Rows[2].Region != "ap-south-1" || m.Rows[2].Offered != "not-offered" {
			t.Errorf("%s: third target: %+v", name, m.Rows[2])
		}
	}
}

// An SCP level with an Allow statement is an allow list, which replaced
// FullAWSAccess; a level of Deny statements is a deny list beside it.
// "If you want to replace the default FullAWSAccess policy with an SCP
// that limits the permissions that can be delegated, you must attach the
// replacement SCP before you can remove the default SCP. This is the
// authorization strategy of an "allow list"."
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html)
func TestSCPAllowListReplacesFullAWSAccess(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	allowList := write("allow-list.json", `{"Version":"2012-10-17","Statement":[{"Sid":"ApprovedServices","Effect":"Allow","Action":["ec2:*","s3:*"],"Resource":"*"}]}`)
	withBedrock := write("allow-bedrock.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}`)
	denyList := "testdata/scp-region-allowlist.json"
	r := iam.Request{Action: iam.ActionInvokeModel, Resource: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
		Context: map[string][]string{iam.KeyRequestedRegion: {"us-east-1"}}}
	for _, tc := range []struct {
		name   string
		levels []string
		want   iam.Reason
	}{
		{"an allow list without bedrock", []string{allowList}, iam.ImplicitDenySCP},
		{"an allow list with bedrock", []string{allowList + "," + withBedrock}, iam.Allowed},
		{"a deny list keeps FullAWSAccess", []string{denyList}, iam.Allowed},
		{"an allow list at one level of two", []string{denyList, allowList}, iam.ImplicitDenySCP},
	} {
		p, err := loadPreflightPrincipal(t.Context(), "", []string{"testdata/allow-all.json"}, tc.levels, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := p.Evaluate(r); d.Reason != tc.want {
			t.Errorf("preflight, %s: %v, want %v", tc.name, d.Reason, tc.want)
		}
		e, err := loadPrincipal(t.Context(), "", []string{"testdata/allow-all.json"}, tc.levels)
		if err != nil {
			t.Fatal(err)
		}
		if d := e.Evaluate(r); d.Reason != tc.want {
			t.Errorf("emulator, %s: %v, want %v", tc.name, d.Reason, tc.want)
		}
	}
}

// TestPreflightEveryLayerInText: an SCP denies us-west-2 and the identity
// policy lacks the model there. The SCP decides, yet both must change
// ("An explicit deny overrides an explicit allow", and "Requests must be
// explicitly allowed by a policy or set of policies": How AWS enforcement
// code logic evaluates requests to allow or deny access,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
// the terminal shows the other layer under the check and a fix for each,
// and the JSON lists both.
func TestPreflightEveryLayerInText(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	args := []string{"preflight", "--endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0",
		"--policy", "testdata/role-us-east-only.json", "--scp", "testdata/scp-us-east-only.json"}
	code, out, errOut := runCLI(t, args...)
	fm := "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
	for _, want := range []string{
		"iam       DENIED   model in us-west-2           " + fm + " (both actions): explicit deny in a service control policy: scp-us-east-only.json DenyOutsideTheEast\n" +
			"                   also: no identity-based policy allows it\n",
		`"Sid": "AllowBedrockInvoke"`,
		`"` + fm + `"`,
		`fix: the SCPs deny aws:RequestedRegion us-west-2: add "us-west-2" to the Region allow-list condition`,
	} {
		if code != exitFindings || !strings.Contains(out, want) {
			t.Errorf("exit %d: want %q in\n%s%s", code, want, out, errOut)
		}
	}
	code, out, _ = runCLI(t, append(args, "--output", "json")...)
	var rep struct {
		IAM []struct {
			Resource       string
			Decision       string
			MissingAllow   []string                                    `json:"missingAllow"`
			ExplicitDenies []struct{ Layer, Policy, Statement string } `json:"explicitDenies"`
		} `json:"iam"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFindings {
		t.Fatalf("json: exit %d %v\n%s", code, err, out)
	}
	for _, c := range rep.IAM {
		if c.Resource == fm && (c.Decision != "explicitDeny" || strings.Join(c.MissingAllow, " ") != "identity" || len(c.ExplicitDenies) != 1 ||
			c.ExplicitDenies[0].Layer != "scp" || c.ExplicitDenies[0].Statement != "DenyOutsideTheEast") {
			t.Errorf("check %+v", c)
		}
	}
}

// TestStrayArgumentsAreRefused: a word after the flags is a usage error
// naming it, as record and replay treat one. Before, preflight, converter
// and capture ignored it: `--policy a.json b.json` checked a.json alone
// and could say "all clear" for policies the caller does not have.
// preflight's endpoints must be URLs, as converse's and record's are;
// before, `--endpoint emulator` failed after three retries with
// "unsupported protocol scheme".
func TestStrayArgumentsAreRefused(t *testing.T) {
	isolateAWS(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"preflight", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/role-us-east-only.json", "testdata/allow-all.json"},
			`unexpected argument "testdata/allow-all.json": preflight takes flags only; give each policy file with its own flag (--policy a.json --policy b.json)`},
		{[]string{"converter", "extra"}, `unexpected argument "extra": converter takes flags only`},
		{[]string{"capture", "--upstream", "http://127.0.0.1:1", "extra"}, `unexpected argument "extra": capture takes flags only`},
		{[]string{"preflight", "--endpoint", "emulator", "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0", "--policy", "testdata/allow-all.json"},
			`--endpoint "emulator": want a URL such as http://127.0.0.1:8787`},
		{[]string{"preflight", "--iam-endpoint", "iam.amazonaws.com", "--live", "--principal", "arn:aws:iam::123456789012:role/r", "--region", "us-east-1", "--model", "us.amazon.nova-pro-v1:0"},
			`--iam-endpoint "iam.amazonaws.com": want a URL`},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d\n%s%s", c.args, code, out, errOut)
		}
	}
}
