package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// startEmulate runs "bedrock-bench emulate" in-process and returns its
// URL, a stop function, and wait, which returns the exit code and the
// whole output once the command has ended.
func startEmulate(t *testing.T, args ...string) (url string, stop context.CancelFunc, wait func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"emulate", "--listen", "127.0.0.1:0", "--quiet"}, args...), pw, io.Discard)
		pw.Close()
	}()
	var out strings.Builder
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
		if rest, ok := strings.CutPrefix(lines.Text(), "bedrock-bench emulator listening on "); ok {
			url = rest
			break
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("emulate did not start; exit %d, output:\n%s", <-code, out.String())
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for lines.Scan() {
			out.WriteString(lines.Text() + "\n")
		}
	}()
	wait = func() (int, string) {
		c := <-code
		<-done
		return c, out.String()
	}
	return url, cancel, wait
}

func client(url, region string) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{Region: region, BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")})
}

func hello(c *bedrockruntime.Client, model string) error {
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}}})
	return err
}

func TestEmulateServesAndStops(t *testing.T) {
	url, stop, wait := startEmulate(t)
	if err := hello(client(url, "us-east-1"), "us.amazon.nova-pro-v1:0"); err != nil {
		t.Fatal(err)
	}
	stop()
	c, out := wait()
	if c != exitOK {
		t.Errorf("exit %d after Ctrl-C, want 0", c)
	}
	// AWS_DEFAULT_REGION: the AWS CLI v1 and boto3 read no other.
	for _, want := range []string{"AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + url, "17 Regions", "everything allowed", "AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1", "emulator stopped after 1 requests"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEmulatePolicies(t *testing.T) {
	url, stop, wait := startEmulate(t, "--policy", "testdata/role-us-east-only.json", "--principal", "arn:aws:sts::111122223333:assumed-role/app/s")
	err := hello(client(url, "us-east-1"), "us.amazon.nova-pro-v1:0")
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" || !strings.Contains(ae.ErrorMessage(), "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0") {
		t.Errorf("the us profile routes to us-west-2, which the role does not allow: %v", err)
	}
	stop()
	// The banner counts in words that agree with the number.
	if _, out := wait(); !strings.Contains(out, "IAM: 1 identity policy, 0 SCP levels, strict authorization") {
		t.Errorf("banner:\n%s", out)
	}
}

// TestEmulateBannerNamesPerKeyPolicies: keys from --keys that stand for
// a caller with policies of their own are evaluated with those, and the
// banner says so rather than "everything allowed".
func TestEmulateBannerNamesPerKeyPolicies(t *testing.T) {
	dir := t.TempDir()
	policy, err := os.ReadFile("testdata/role-us-east-only.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "role.json"), policy, 0o644); err != nil {
		t.Fatal(err)
	}
	keys := `{"credentials":[{"accessKeyId":"` + emulator.DefaultCredentials.AccessKeyID + `","secretAccessKey":"` + emulator.DefaultCredentials.SecretAccessKey +
		`","principal":"arn:aws:sts::111122223333:assumed-role/app/s","policies":["role.json"]}, {"accessKeyId":"AKIAOTHER00000000000","secretAccessKey":"other"}]}`
	if err := os.WriteFile(filepath.Join(dir, "keys.json"), []byte(keys), 0o644); err != nil {
		t.Fatal(err)
	}
	url, stop, wait := startEmulate(t, "--keys", filepath.Join(dir, "keys.json"))
	var ae smithy.APIError
	if err := hello(client(url, "us-east-1"), "us.amazon.nova-pro-v1:0"); !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Errorf("the key's policy allows us-east only: %v", err)
	}
	stop()
	// It said "everything allowed; 1 key from --keys ...", as if the
	// key's policies did not deny.
	if _, out := wait(); !strings.Contains(out, "IAM: 1 key with its own caller and policies (from "+filepath.Join(dir, "keys.json")+"); other keys: everything allowed (no --policy), strict authorization") {
		t.Errorf("the banner should name the keys with their own policies:\n%s", out)
	}
}

// TestEmulateBannerSaysWhatIAMAllows: --principal without --policy allows
// everything, and the banner said "1 identity policy, 0 SCP levels"; keys
// that all have their own caller and policies leave no one allowed
// everything.
func TestEmulateBannerSaysWhatIAMAllows(t *testing.T) {
	_, stop, wait := startEmulate(t, "--principal", "arn:aws:iam::111122223333:user/x")
	stop()
	if _, out := wait(); !strings.Contains(out, "IAM: everything allowed (no --policy), strict authorization") {
		t.Errorf("--principal alone:\n%s", out)
	}
	_, stop, wait = startEmulate(t, "--scp", "testdata/role-us-east-only.json")
	stop()
	if _, out := wait(); !strings.Contains(out, "IAM: every action allowed by the identity (no --policy), 1 SCP level, strict authorization") {
		t.Errorf("--scp alone:\n%s", out)
	}
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys.json")
	os.WriteFile(keys, []byte(`{"credentials":[{"accessKeyId":"AKIAAPP0000000000000","secretAccessKey":"s","principal":"arn:aws:iam::111122223333:role/app"}],"apiKeys":[{"key":"ABSKQmVkcm9ja0FQSUtleS1hYmMtYXQtMTExMTIyMjIzMzMzOnNlY3JldA==","principal":"arn:aws:iam::111122223333:role/b"}]}`), 0o644)
	_, stop, wait = startEmulate(t, "--keys", keys, "--policy", "testdata/role-us-east-only.json")
	stop()
	if _, out := wait(); !strings.Contains(out, "IAM: 2 keys, each with its own caller and policies (from "+keys+"), strict authorization") {
		t.Errorf("--keys, every key with its caller:\n%s", out)
	}
}

func TestEmulateUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"emulate", "--policy", "testdata/nope.json"}, "--policy: open testdata/nope.json"},
		{[]string{"emulate", "--authz", "sometimes"}, `--authz "sometimes": want one of strict, per-route`},
		{[]string{"emulate", "--date", "tomorrow"}, `--date "tomorrow": want YYYY-MM-DD or today`},
		{[]string{"emulate", "--throttle-probability", "3"}, "--throttle-probability 3: want a share of invocations between 0 and 1, such as 0.05"},
		{[]string{"emulate", "--error-probability", "-0.5"}, "--error-probability -0.5: want a share of invocations between 0 and 1"},
		// Two bad: the first in --help's order, every time (before, map order).
		{[]string{"emulate", "--stream-exception-probability", "4", "--throttle-probability", "2", "--error-probability", "3"}, "--throttle-probability 2: want"},
		{[]string{"emulate", "--listen", "256.0.0.1:1"}, "--listen: "},
		{[]string{"emulate", "--addr", "256.0.0.1:1"}, "--listen: "},
		{[]string{"emulate", "--addr", "127.0.0.1:0", "--listen", "127.0.0.1:1"}, "--addr is the older name of --listen: give one of them"},
		{[]string{"emulate", "--guardrail", "testdata/role-us-east-only.json"}, "--guardrail: testdata/role-us-east-only.json: "},
		{[]string{"emulate", "--keys", "testdata/nope.json"}, "--keys: "},
		{[]string{"emulate", "--catalog", "testdata/role-us-east-only.json"}, "--catalog: testdata/role-us-east-only.json: asOf"},
	}
	for _, tc := range tests {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestConverseCommand(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	c, out, errOut := runCLI(t, "converse", "--endpoint", url, "--region", "us-east-1", "--model", "us.amazon.nova-lite-v1:0", "Say", "hello")
	if c != exitOK || !strings.Contains(out, `You wrote: "Say hello"`) || !strings.Contains(out, "[stop: end_turn") {
		t.Errorf("exit %d\n%s\n%s", c, out, errOut)
	}
	c, _, errOut = runCLI(t, "converse", "--endpoint", url, "--region", "us-east-1", "--model", "amazon.nova-micro-v1:0", "--raw", "--history", "../../histories/resume/converse-leading-assistant.json")
	if c != exitFindings || !strings.Contains(errOut, "ValidationException: A conversation must start with a user message.") {
		t.Errorf("raw leading assistant on Nova: exit %d, %s", c, errOut)
	}
	c, out, errOut = runCLI(t, "converse", "--endpoint", url, "--region", "us-east-1", "--model", "amazon.nova-micro-v1:0", "--stream", "--history", "../../histories/resume/converse-leading-assistant.json")
	if c != exitOK || !strings.Contains(errOut, "normalized: messages[0] leading-assistant") || !regexp.MustCompile(`\[stop: end_turn, tokens in [1-9][0-9]*, out [1-9][0-9]*\]\n$`).MatchString(out) {
		// The stream's stop line holds the usage of its metadata event, as a call's does.
		t.Errorf("normalized stream: exit %d\n%s\n%s", c, out, errOut)
	}
	if c, _, errOut := runCLI(t, "converse", "--endpoint", url, "hi"); c != exitUsage || !strings.Contains(errOut, "--model is required") {
		t.Errorf("missing model: %d %s", c, errOut)
	}
}

func TestEmulateAuthModes(t *testing.T) {
	anyKey := func(url string) *bedrockruntime.Client {
		return bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
			Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	}
	url, stop, wait := startEmulate(t)
	if err := hello(anyKey(url), "amazon.nova-micro-v1:0"); err != nil {
		t.Errorf("default mode accepts any key: %v", err)
	}
	stop()
	if _, out := wait(); !strings.Contains(out, "any access key or Bedrock API key accepted") || !strings.Contains(out, "AWS_ACCESS_KEY_ID=test") {
		t.Errorf("the banner should say any key is accepted:\n%s", out)
	}

	url, stop, wait = startEmulate(t, "--access-key", emulator.DefaultCredentials.AccessKeyID, "--secret-key", emulator.DefaultCredentials.SecretAccessKey)
	defer func() { stop(); wait() }()
	if err := hello(client(url, "us-east-1"), "amazon.nova-micro-v1:0"); err != nil {
		t.Errorf("the configured key: %v", err)
	}
	var ae smithy.APIError
	if err := hello(anyKey(url), "amazon.nova-micro-v1:0"); !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Errorf("another key with --access-key: %v", err)
	}
	if code, _, errOut := runCLI(t, "emulate", "--access-key", "A"); code != exitUsage || !strings.Contains(errOut, "--access-key and --secret-key go together") {
		t.Errorf("half a key pair: %d %s", code, errOut)
	}
}

func TestEmulateTLS(t *testing.T) {
	cert := filepath.Join(t.TempDir(), "ca.pem")
	url, stop, wait := startEmulate(t, "--tls", "--tls-cert", cert)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url %s", url)
	}
	pem, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		HTTPClient:  &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	if err := hello(c, "amazon.nova-micro-v1:0"); err != nil {
		t.Error(err)
	}
	stop()
	if _, out := wait(); !strings.Contains(out, "export AWS_CA_BUNDLE="+cert+" NODE_EXTRA_CA_CERTS="+cert) {
		t.Errorf("the banner should say how to trust the certificate:\n%s", out)
	}
}

// A NaN fault probability is refused like one out of 0..1: the emulator
// compared it and took it, and served. The context ends a run that
// serves anyway.
func TestEmulateRefusesNaNProbability(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"emulate", "-q", "--listen", "127.0.0.1:0", "--stream-exception-probability", "NaN"}, &stdout, &stderr)
	if want := "--stream-exception-probability NaN: want a share of invocations between 0 and 1"; code != exitUsage || !strings.Contains(stderr.String(), want) {
		t.Errorf("exit %d, want 2 and %q\n%s", code, want, stderr.String())
	}
}

// TestEmulateRefusesAMistypedLegacyModelOrAccount: both started, and were
// ignored: the model still answered Legacy, and every ARN held the
// account "12". An emulator that starts anyway is stopped and fails the
// test rather than serving on.
func TestEmulateRefusesAMistypedLegacyModelOrAccount(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--legacy-active", "anthropic.claude-sonnet-4-5-20250929-v1"}, `--legacy-active "anthropic.claude-sonnet-4-5-20250929-v1": not a model id of the catalog (as of `},
		{[]string{"--account", "12"}, `--account "12": want an AWS account id of 12 digits, such as 111122223333`},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var errOut bytes.Buffer
		code := make(chan int, 1)
		go func() {
			code <- run(ctx, append([]string{"emulate", "--listen", "127.0.0.1:0", "--quiet"}, tc.args...), pw, &errOut)
			pw.Close()
		}()
		out, _ := bufio.NewReader(pr).ReadString('\n')
		if out != "" {
			cancel()
			io.Copy(io.Discard, pr)
		}
		c := <-code
		cancel()
		if c != exitUsage || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, c, out, errOut.String(), tc.want)
		}
	}
}
