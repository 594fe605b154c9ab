package explain

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

func client(t *testing.T, opts *emulator.Options, region, secret string) *bedrockruntime.Client {
	t.Helper()
	s, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return bedrockruntime.New(bedrockruntime.Options{Region: region, BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, secret, "")}, Middleware(nil))
}

func callConverse(c *bedrockruntime.Client, model string, msgs ...string) error {
	var ms []types.Message
	for _, m := range msgs {
		role := types.ConversationRoleUser
		if strings.HasPrefix(m, "A:") {
			role, m = types.ConversationRoleAssistant, m[2:]
		}
		ms = append(ms, types.Message{Role: role, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: m}}})
	}
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: ms})
	return err
}

func policy(t *testing.T, doc string) *iam.Policy {
	p, err := iam.ParsePolicy("p", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExplainThroughMiddleware(t *testing.T) {
	secret := emulator.DefaultCredentials.SecretAccessKey
	role := policy(t, `{"Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":["arn:aws:bedrock:us-east-1:111122223333:inference-profile/*","arn:aws:bedrock:us-east-1::foundation-model/*","arn:aws:bedrock:us-east-2::foundation-model/*"]}]}`)
	allowAll := policy(t, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	scp := policy(t, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-2"]}}}]}`)
	tests := []struct {
		name   string
		opts   *emulator.Options
		region string
		secret string
		model  string
		msgs   []string
		kind   Kind
		want   []string
	}{
		{"not offered", nil, "ap-south-1", secret, "meta.llama3-3-70b-instruct-v1:0", []string{"hi"}, ModelNotOffered,
			[]string{"not offered in ap-south-1 (this is not an IAM problem)", "us-east-2 (on demand)", "via us.meta.llama3-3-70b-instruct-v1:0"}},
		// Past its end of life (2026-06-19) no Region serves Claude 3.5
		// Haiku: Bedrock's Model lifecycle page.
		{"not offered and retired", nil, "ap-south-1", secret, "anthropic.claude-3-5-haiku-20241022-v1:0", []string{"hi"}, ModelNotOffered,
			[]string{"not offered in ap-south-1 (this is not an IAM problem)", "It reached its end of life on 2026-06-19, so no Region serves it: move to an active model such as global.anthropic.claude-haiku-4-5-20251001-v1:0."}},
		// An id no Region of the catalog offers: a typo, or a model newer
		// than the catalog, which the Region's own list settles.
		{"unknown to the catalog", nil, "us-east-1", secret, "anthropic.claude-opus-9-v1", []string{"hi"}, ModelNotOffered,
			[]string{"not offered in us-east-1", "knows no Region that offers it: check the id", "bedrock-bench preflight --region us-east-1 --model anthropic.claude-opus-9-v1", "emulate --catalog FILE"}},
		{"profile only", nil, "us-west-2", secret, "amazon.nova-pro-v1:0", []string{"hi"}, ProfileOnly,
			[]string{"only through an inference profile", "through us.amazon.nova-pro-v1:0"}},
		{"route denied", &emulator.Options{Principal: &iam.Principal{ARN: "arn:aws:sts::1:assumed-role/a/b", Identity: []*iam.Policy{role}}}, "us-east-1", secret, "us.amazon.nova-pro-v1:0", []string{"hi"}, RouteDenied,
			[]string{"routed to us-west-2", "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0", `"Effect":"Allow"`}},
		{"global denied by SCP", &emulator.Options{Principal: &iam.Principal{ARN: "arn:aws:sts::1:assumed-role/a/b", Identity: []*iam.Policy{allowAll}, SCPs: [][]*iam.Policy{{scp}}}}, "us-east-1", secret, "global.anthropic.claude-opus-4-6-v1", []string{"hi"}, RouteDenied,
			[]string{"Region-less model", `Add "unspecified"`}},
		{"contract", nil, "us-east-1", secret, "amazon.nova-micro-v1:0", []string{"a", "b"}, Contract,
			[]string{"rule V-2 (alternate-roles)", "normalizer"}},
		{"contract at an index", nil, "us-east-1", secret, "amazon.nova-micro-v1:0", []string{"a", "A:", "b"}, Contract,
			[]string{"rule V-7 (blank-text) at messages.1"}},
		{"throttled", &emulator.Options{Faults: emulator.Faults{ThrottleProbability: 1}}, "us-east-1", secret, "amazon.nova-micro-v1:0", []string{"hi"}, Throttled,
			[]string{"throttled", "backoff"}},
		// Claude 3 Haiku's model card: end of life on 2026-09-10 in most
		// Regions, still served in ca-central-1, Legacy in ap-northeast-2.
		{"end of life", nil, "us-east-1", secret, "anthropic.claude-3-haiku-20240307-v1:0", []string{"hi"}, Lifecycle,
			[]string{"past its end of life", "such as us.anthropic.claude-haiku-4-5-20251001-v1:0. ap-northeast-2, ca-central-1 still serve it on demand."}},
		{"not offered, retired but where a Region keeps it", nil, "eu-north-1", secret, "anthropic.claude-3-haiku-20240307-v1:0", []string{"hi"}, ModelNotOffered,
			[]string{"not offered in eu-north-1", "It reached its end of life on 2026-09-10 in every Region but ap-northeast-2, ca-central-1, which still serve it on demand: call it there, or move to an active model such as"}},
		{"legacy", nil, "us-east-1", secret, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", []string{"hi"}, Lifecycle,
			[]string{"is Legacy"}},
		{"bad credentials", nil, "us-east-1", "wrong", "amazon.nova-micro-v1:0", []string{"hi"}, Credentials,
			[]string{"InvalidSignatureException"}},
		// The emulator's answer for a Region its catalog does not know is
		// an unknown Region, not refused credentials.
		{"unknown Region", nil, "us-esat-1", secret, "amazon.nova-micro-v1:0", []string{"hi"}, BadRequest,
			[]string{"The Region us-esat-1 is unknown", "the closest the catalog knows is us-east-1"}},
		{"server error", &emulator.Options{Faults: emulator.Faults{ErrorProbability: 1, ErrorKinds: []string{emulator.ServiceUnavailable}}}, "us-east-1", secret, "amazon.nova-micro-v1:0", []string{"hi"}, ServerError,
			[]string{"transient"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := callConverse(client(t, tc.opts, tc.region, tc.secret), tc.model, tc.msgs...)
			var ee *Error
			if !errors.As(err, &ee) {
				t.Fatalf("error is not explained: %v", err)
			}
			if ee.Explanation.Kind != tc.kind {
				t.Errorf("kind %s, want %s: %s", ee.Explanation.Kind, tc.kind, ee.Explanation)
			}
			for _, w := range tc.want {
				if !strings.Contains(ee.Explanation.String(), w) {
					t.Errorf("explanation lacks %q:\n%s", w, ee.Explanation)
				}
			}
			if tc.name == "unknown Region" && strings.Contains(ee.Explanation.String(), "credential") {
				t.Errorf("explained as a credentials problem:\n%s", ee.Explanation)
			}
			if strings.HasSuffix(tc.name, "retired") && strings.Contains(ee.Explanation.String(), "offered in:") {
				t.Errorf("a retired model is said to be offered somewhere:\n%s", ee.Explanation)
			}
		})
	}
	// The SDK's own error types stay reachable.
	err := callConverse(client(t, nil, "ap-south-1", secret), "meta.llama3-3-70b-instruct-v1:0", "hi")
	var ve *types.ValidationException
	if !errors.As(err, &ve) {
		t.Errorf("errors.As no longer finds the SDK type: %T", err)
	}
}

func TestExplainOtherErrors(t *testing.T) {
	if e := Explain(errors.New("dial tcp: refused"), Context{}); e.Kind != Unknown || e.Summary != "dial tcp: refused" {
		t.Errorf("%+v", e)
	}
}

// TestEveryKnownErrorText: every error text users and recorded fixtures
// show (testdata/error-texts.json, copied from issues and fixtures) is
// recognized and explained with its cause; several came out "unknown", and
// the model-access texts had no explanation at all.
func TestEveryKnownErrorText(t *testing.T) {
	data, err := os.ReadFile("testdata/error-texts.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Texts []struct{ Text, Code, Kind, Says, Model, Region string }
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	for _, tc := range file.Texts {
		ctx := Context{Region: "eu-central-1", Model: "eu.amazon.nova-pro-v1:0"}
		if tc.Model != "" {
			ctx = Context{Region: tc.Region, Model: tc.Model}
		}
		e := Explain(&smithy.GenericAPIError{Code: tc.Code, Message: tc.Text}, ctx)
		if string(e.Kind) != tc.Kind || !strings.Contains(e.String(), tc.Says) {
			t.Errorf("%s %.80s:\n got %s: %s\nwant %s, saying %q", tc.Code, tc.Text, e.Kind, e, tc.Kind, tc.Says)
		}
	}
}

// TestModelFieldTexts: another provider's field refused (V-63) is
// explained by the contract rule, with the normalizer as the fix; strict
// on a tool, refused in the same words, keeps its own advice, which the
// rule's message would otherwise take over.
func TestModelFieldTexts(t *testing.T) {
	e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "The model returned the following errors: reasoningConfig: Extra inputs are not permitted"}, Context{})
	if e.Rule == nil || e.Rule.Name != "model-field-extra-input" {
		t.Errorf("reasoningConfig on Claude: %s", e)
	}
	e = Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: `The model returned the following errors: {"error":{"code":"unknown_parameter","message":"Unknown parameter: 'thinking'.","param":"thinking","type":"invalid_request_error"}}`}, Context{})
	if e.Rule == nil || e.Rule.Name != "model-field-unknown-parameter" {
		t.Errorf("thinking on gpt-5.x: %s", e)
	}
	// Through Converse, and through InvokeModel (the model's text bare).
	for _, msg := range []string{"The model returned the following errors: tools.0.custom.strict: Extra inputs are not permitted", "tools.0.custom.strict: Extra inputs are not permitted"} {
		e = Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: msg}, Context{})
		if e.Rule != nil || !strings.Contains(e.Fix, "Remove strict from the tool spec") {
			t.Errorf("strict on a tool, %q: %s", msg, e)
		}
	}
}

// TestExplainNamesWhatTheServiceNames: the profile-only message names the
// model as the call did, and the Legacy message its own number of days;
// the explanation said the context's model and always 15 days.
func TestExplainNamesWhatTheServiceNames(t *testing.T) {
	e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."}, Context{Region: "us-east-1"})
	if !strings.Contains(e.Summary, "us-east-1 serves anthropic.claude-3-7-sonnet-20250219-v1:0 only") || !strings.Contains(e.Fix, "us.anthropic.claude-3-7-sonnet-20250219-v1:0") {
		t.Errorf("%s", e)
	}
	e = Explain(&smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days. Please upgrade to an active model on Amazon Bedrock"}, Context{Region: "us-east-1", Model: "anthropic.claude-sonnet-4-5-20250929-v1:0"})
	if !strings.Contains(e.Summary, "in the last 30 days") {
		t.Errorf("%s", e)
	}
	// Without a Region in the context, the model-access explanation
	// speaks of the Region called, not of "the model called".
	e = Explain(&smithy.GenericAPIError{Code: "AccessDeniedException", Message: "You don't have access to the model with the specified model ID."}, Context{})
	if !strings.Contains(e.Summary, "no access to the model called in the Region called") || !strings.Contains(e.Fix, "offered in the Region called") {
		t.Errorf("%s", e)
	}
}

// TestExplicitIdentityDenyOnARoute: a Region restriction written as a Deny
// in the caller's own policy denies a global profile's Region-less model
// (posit-dev/positron #10683: "with an explicit deny in an identity-based
// policy") or a geographic profile's destination; the explanation told to
// add an Allow, which no Deny yields to. Its advice, applied, lifts the
// denial ("an explicit deny in any policy overrides the allow", Policy
// evaluation logic, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
func TestExplicitIdentityDenyOnARoute(t *testing.T) {
	role := func(regions string) *iam.Principal {
		return &iam.Principal{ARN: "arn:aws:sts::1:assumed-role/a/b", Identity: []*iam.Policy{policy(t, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
		  {"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":`+regions+`}}}]}`)}}
	}
	secret := emulator.DefaultCredentials.SecretAccessKey
	for _, tc := range []struct {
		model, want, fixed string
	}{
		{"global.anthropic.claude-opus-4-6-v1", `add "unspecified" to the aws:RequestedRegion list of that Deny`, `["us-east-1","unspecified"]`},
		{"us.amazon.nova-pro-v1:0", "add us-west-2 to the aws:RequestedRegion list of that Deny", `["us-east-1","us-east-2","us-west-2"]`},
	} {
		regions := `["us-east-1","us-east-2"]`
		if strings.HasPrefix(tc.model, "global.") {
			regions = `["us-east-1"]`
		}
		err := callConverse(client(t, &emulator.Options{Principal: role(regions)}, "us-east-1", secret), tc.model, "hi")
		var ee *Error
		if !errors.As(err, &ee) {
			t.Fatalf("%s: %v", tc.model, err)
		}
		if ee.Explanation.Kind != RouteDenied || !strings.Contains(ee.Explanation.Fix, tc.want) || strings.Contains(ee.Explanation.Fix, `"Effect":"Allow"`) {
			t.Errorf("%s: %s", tc.model, ee.Explanation)
		}
		if err := callConverse(client(t, &emulator.Options{Principal: role(tc.fixed)}, "us-east-1", secret), tc.model, "hi"); err != nil {
			t.Errorf("%s after the advice: %v", tc.model, err)
		}
	}
}

// TestRecursiveSchemaServerError: Claude answers a recursive outputConfig
// schema with a 500 InternalServerException on every attempt (realwire
// converse-error-internal-server-recursive-schema, Claude Sonnet 4.5).
// Told the request (the middleware knows it), the explainer names the
// schema as the cause instead of a transient fault to retry; without it,
// a server error's advice mentions that case. Before, both said
// "transient" and "retry".
func TestRecursiveSchemaServerError(t *testing.T) {
	schema := `{"$ref": "#/$defs/TreeNode", "$defs": {"TreeNode": {"properties": {"value": {"type": "string"}, "children": {"default": [], "items": {"$ref": "#/$defs/TreeNode"}, "type": "array"}}, "required": ["value"], "type": "object", "additionalProperties": false}}}`
	c := client(t, nil, "us-east-1", emulator.DefaultCredentials.SecretAccessKey)
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Create a tree."}}}},
		OutputConfig: &types.OutputConfig{TextFormat: &types.OutputFormat{Type: types.OutputFormatTypeJsonSchema,
			Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{Schema: aws.String(schema), Name: aws.String("TreeNode")}}}}}
	_, err := c.Converse(context.Background(), in)
	var ee *Error
	if !errors.As(err, &ee) || ee.Explanation.Code != "InternalServerException" {
		t.Fatalf("not an explained InternalServerException: %v", err)
	}
	if e := ee.Explanation; e.Kind != BadRequest || !strings.Contains(e.Summary, "refers to itself") || !strings.Contains(e.Fix, "Retrying as it is fails again") {
		t.Errorf("%s: %s", e.Kind, e)
	}
	stream := &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, Messages: in.Messages, OutputConfig: in.OutputConfig}
	if _, err := c.ConverseStream(context.Background(), stream); !errors.As(err, &ee) || ee.Explanation.Kind != BadRequest {
		t.Errorf("ConverseStream: %v", err)
	}
	// Another model's 500, or one whose request is not known, stays a
	// server error.
	apiErr := &smithy.GenericAPIError{Code: "InternalServerException", Message: "The system encountered an unexpected error during processing. Try your request again."}
	if e := Explain(apiErr, Context{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0"}); e.Kind != ServerError || !strings.Contains(e.Fix, "refers to itself ($ref)") {
		t.Errorf("without the request: %s: %s", e.Kind, e)
	}
	req, _ := converse.RequestFromSDK(in)
	if e := Explain(apiErr, Context{Model: "us.amazon.nova-lite-v1:0", Request: req}); e.Kind != ServerError || strings.Contains(e.Fix, "$ref") {
		t.Errorf("nova: %s: %s", e.Kind, e)
	}
}

// TestMiddlewarePerCallRegion: the Region explained is the one the call
// went to. The middleware took the client's Region when its option was
// applied, so a per-call option (or a later client option) that set
// another Region got an explanation of the wrong Region: Llama 3.3 70B,
// which ap-south-1 does not offer, was "not offered in us-east-1 ... It
// is offered in: us-east-1 via ...".
func TestMiddlewarePerCallRegion(t *testing.T) {
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	opts := bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")}
	toSouth := func(o *bedrockruntime.Options) { o.Region = "ap-south-1" }
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("meta.llama3-3-70b-instruct-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}}}
	for name, call := range map[string]func() error{
		"per-call option": func() error {
			_, err := bedrockruntime.New(opts, Middleware(nil)).Converse(context.Background(), in, toSouth)
			return err
		},
		"later client option": func() error {
			_, err := bedrockruntime.New(opts, Middleware(nil), toSouth).Converse(context.Background(), in)
			return err
		},
	} {
		err := call()
		var ee *Error
		if !errors.As(err, &ee) {
			t.Fatalf("%s: not explained: %v", name, err)
		}
		if e := ee.Explanation; e.Kind != ModelNotOffered || !strings.Contains(e.Summary, "not offered in ap-south-1") || !strings.Contains(e.Fix, "us-east-1 via") {
			t.Errorf("%s: %s: %s", name, e.Kind, e)
		}
	}
}

// TestEveryCaptureTextIsKnown: every error of the recorded captures
// (realwire, copied in ../emulator/testdata/realwire) is in
// testdata/error-texts.json under its capture's name, with its code and
// the model and Region it was called with, so TestEveryKnownErrorText
// explains it. The README said so while 15 of the 17 were missing,
// among them converse-error-model-document-source-type, which was
// explained as V-48.
func TestEveryCaptureTextIsKnown(t *testing.T) {
	data, err := os.ReadFile("testdata/error-texts.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Texts []struct{ Text, Code, Capture, Model, Region string }
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	type entry struct{ text, code, model, region string }
	known := map[string]entry{}
	for _, tc := range file.Texts {
		if tc.Capture != "" {
			known[tc.Capture] = entry{tc.Text, tc.Code, tc.Model, tc.Region}
		}
	}
	paths, err := filepath.Glob("../emulator/testdata/realwire/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	// The recorders removed some x-amzn-ErrorType headers: the status
	// says the code.
	byStatus := map[int]string{400: "ValidationException", 403: "AccessDeniedException", 500: "InternalServerException", 503: "ServiceUnavailableException"}
	errorsSeen := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Request  struct{ URL string }
			Response struct {
				Status  int
				Headers map[string]string
				Body    json.RawMessage
			}
		}
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if c.Response.Status < 400 {
			continue
		}
		errorsSeen++
		var body struct{ Message string }
		_ = json.Unmarshal(c.Response.Body, &body)
		code := byStatus[c.Response.Status]
		for k, v := range c.Response.Headers {
			if strings.EqualFold(k, "x-amzn-ErrorType") {
				code, _, _ = strings.Cut(v, ":")
			}
		}
		u, err := url.Parse(c.Request.URL)
		if err != nil {
			t.Fatal(err)
		}
		region := strings.Split(u.Host, ".")[1]
		model, _ := url.PathUnescape(strings.Split(u.EscapedPath(), "/")[2])
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		want := entry{body.Message, code, model, region}
		if got, ok := known[name]; !ok || got != want {
			t.Errorf("%s: testdata/error-texts.json has %+v, want %+v", name, got, want)
		}
	}
	if errorsSeen < 17 {
		t.Errorf("%d error captures, want the 17 of realwire", errorsSeen)
	}
}

// TestRuleOwnMessage: each contract rule's own message, its verbs filled
// in, is explained as that rule (or one of the same ID). A %d matched any
// text, so V-48's "messages.%d.content.%d.type: Field required" took V-36's
// "messages.2.content.2.document.source.type: Field required" (realwire
// converse-error-model-document-source-type), and V-14's "Value at '%s'
// failed to satisfy constraint: Member must %s", tried first, took every
// schema constraint after it (V-32, V-38, S3).
func TestRuleOwnMessage(t *testing.T) {
	verb := regexp.MustCompile(`%(?:\[\d+\])?[sdv]`)
	for _, r := range converse.Rules() {
		msg := verb.ReplaceAllStringFunc(r.Message, func(v string) string {
			switch {
			case strings.HasSuffix(v, "d"):
				return "3"
			case r.ID == "V-14" && strings.Contains(r.Message, "Value at '"+v):
				// V-14 is the schema's message on a toolUseId path
				// (converse-contract.md V-14).
				return "messages.3.member.content.1.member.toolUse.toolUseId"
			}
			return "fieldX"
		})
		if r.Layer == converse.LayerSchema {
			msg = "1 validation error detected: " + msg
		}
		msgs := []string{msg}
		if bare, ok := strings.CutPrefix(msg, converse.ModelErrorPrefix); ok {
			// InvokeModel's form of the model's text (see
			// converse.ModelErrorPrefix).
			msgs = append(msgs, bare)
		}
		for _, msg := range msgs {
			got, ok := matchRule(msg)
			if !ok || got.ID != r.ID {
				name := "nothing"
				if ok {
					name = got.ID + " " + got.Name
				}
				t.Errorf("%s %s: its message %q is explained as %s", r.ID, r.Name, msg, name)
			}
		}
	}
}

// TestRuleTextsNameTheirRule: the service's texts the explainer words
// more fully than a rule's advice (V-61's limit, V-56's adaptive
// thinking, V-68's ttl) still name the rule in Explanation.Rule, as every
// other contract text does; before, Rule was nil for them, so a caller
// reading it (a report of the rules broken) saw no rule.
func TestRuleTextsNameTheirRule(t *testing.T) {
	for name, c := range map[string]struct{ model, msg string }{
		"max-tokens-above-limit": {"us.anthropic.claude-3-5-haiku-20241022-v1:0", "The maximum tokens you requested exceeds the model limit of 8192. Try again with a maximum tokens value that is lower than 8192."},
		"thinking-adaptive-only": {"us.anthropic.claude-sonnet-5", `The model returned the following errors: "thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`},
		"cache-ttl-unsupported":  {"us.amazon.nova-2-lite-v1:0", "Extended TTL prompt caching is only supported for Anthropic models"},
	} {
		x := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: c.msg}, Context{Region: "us-east-1", Model: c.model})
		if x.Kind != Contract || x.Rule == nil || x.Rule.Name != name {
			t.Errorf("%s: explained as %s, rule %v", name, x.Kind, x.Rule)
		}
		if !strings.Contains(x.Summary, name) {
			t.Errorf("%s: summary %q lost its own words", name, x.Summary)
		}
	}
}

// TestEmulatorOwnTexts: the texts the bundled emulator answers outside
// the converse package's rules are explained as the contract they break,
// as every other text it answers is: a reasoning signature that does not
// match its text on Converse (V-54), and Anthropic's own refusals of a
// Messages body through InvokeModel (the pairing, first-message, role,
// max_tokens and tool_choice checks). Before, each was "unknown".
func TestEmulatorOwnTexts(t *testing.T) {
	for msg, says := range map[string]string{
		"The model returned the following errors: messages.1.content.0: Invalid `signature` in `thinking` block":                                                                              "rule V-54 at messages.1",
		"messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.": "toolu_9",
		`messages: first message must use the "user" role`:         "rule V-1",
		"messages.1.role: Input should be 'user' or 'assistant'":   "rule V-4 at messages.1",
		"max_tokens: Input should be greater than or equal to 1":   "rule V-60",
		"messages: at least one message is required":               "no message",
		"tool_choice may only be specified while providing tools.": "tool_choice",
	} {
		x := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: msg}, Context{Region: "us-east-1", Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0"})
		if x.Kind != Contract || !strings.Contains(x.Summary, says) || x.Fix == "" {
			t.Errorf("%q: %s: %s", msg, x.Kind, x)
		}
	}
}

// TestSchemaConstraintTexts: a schema constraint on another field than a
// toolUseId is not V-14 (tool-use-id); the texts are the contract
// reference's (§1.6, V-13, V-32, V-38) and continuedev/continue #2296.
func TestSchemaConstraintTexts(t *testing.T) {
	for msg, want := range map[string]string{
		"1 validation error detected: Value at 'messages.1.member.content.1.member.document.name' failed to satisfy constraint: Member must have length less than or equal to 200":                                                       "V-32",
		"1 validation error detected: Value at 'messages.1.member.content.2.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]":                                               "V-38",
		"1 validation error detected: Value 'Complete Session' at 'toolConfig.tools.22.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+":                               "V-13",
		"1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+":                                    "V-14",
		"1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1":                                                                              "",
		"1 validation error detected: Value '[</CO, </COMPLETION>, /src/, #- coding: utf-8, ```, def, class, \"\"\"#]' at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must have length less than or equal to 4": "",
	} {
		e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: msg}, Context{})
		got := ""
		if e.Rule != nil {
			got = e.Rule.ID
		}
		if got != want {
			t.Errorf("%.90s: rule %q, want %q: %s", msg, got, want, e)
		}
	}
}

// TestSchemaPathsCountFromZero: a schema error's path counts messages from
// 1 (converse-contract.md §1.6: "Paths are 1-based with .member. between
// list levels"); the explanation named "messages.1" for the first
// message, where every other explanation counts from 0.
func TestSchemaPathsCountFromZero(t *testing.T) {
	for msg, want := range map[string]string{
		"1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]":                          "rule V-4 (role-enum) at messages.0.",
		"1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+": "rule V-13 (tool-use-name) at messages.1.",
		// Bedrock's own sentences count from 0 already.
		"The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again.": "rule V-3 (empty-content) at messages.1.",
	} {
		if e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: msg}, Context{}); !strings.Contains(e.Summary, want) {
			t.Errorf("%.80s: %s, want %q", msg, e.Summary, want)
		}
	}
}

// TestDenialPolicyTypes: a denial is explained by the policy type that
// denied it, with that type's fix. The forms are the IAM User Guide's
// (Troubleshoot access denied error messages: "with an explicit deny in a
// type policy", "because no type policy allows the action action"; the
// permissions boundary, session, service and resource control and VPC
// endpoint policy types). A permissions boundary or a session policy was
// told to add an Allow to the caller's policy, which cannot lift it; an
// RCP's Deny on a route was called a Deny of the identity policies; a
// permissions boundary's Deny and a VPC endpoint policy were unknown.
func TestDenialPolicyTypes(t *testing.T) {
	const user = "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModel on resource: "
	here := "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
	there := "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
	for _, tc := range []struct {
		resource, reason string
		kind             Kind
		says             []string
	}{
		{here, "because no permissions boundary allows the bedrock:InvokeModel action", AccessDenied,
			[]string{"denied by the permissions boundary", `to the managed policy set as the role's or user's permissions boundary.`}},
		{there, "because no permissions boundary allows the bedrock:InvokeModel action", RouteDenied,
			[]string{"where the permissions boundary of the caller's role or user denies", `"Resource":"` + there + `"} to the managed policy set as the role's or user's permissions boundary; AWS checks the model in every destination Region`}},
		{here, "because no session policy allows the bedrock:InvokeModel action", AccessDenied,
			[]string{"denied by the session policy", "with a session policy (Policy or PolicyArns) that allows", "or with none"}},
		{here, "because no VPC endpoint policy allows the bedrock:InvokeModel action", AccessDenied,
			[]string{"denied by the policy of the VPC endpoint", "to the policy of the bedrock-runtime VPC endpoint"}},
		{there, "with an explicit deny in a resource control policy", RouteDenied,
			[]string{"where a resource control policy (RCP) of the organization denies", "A Deny in a resource control policy (RCP) of the organization covers us-west-2", "management account"}},
		{here, "with an explicit deny in a permissions boundary", AccessDenied,
			[]string{"denied by the permissions boundary", "A Deny in the permissions boundary of the caller's role or user decides"}},
		{there, "with an explicit deny in a VPC endpoint policy", RouteDenied,
			[]string{"A Deny in the policy of the VPC endpoint the call went through covers us-west-2"}},
		// The policy's ARN, which denials carry since 2026 (AWS Security
		// Blog, Enhanced access denied error messages with policy ARNs).
		{here, "with an explicit deny in a session policy: arn:aws:iam::111122223333:policy/S", AccessDenied,
			[]string{"denied by the session policy", "A Deny in the session policy"}},
		// The identity policies keep their advice.
		{here, "because no identity-based policy allows the bedrock:InvokeModel action", AccessDenied,
			[]string{`Add to the caller's policy: {"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"` + here + `"}.`}},
	} {
		e := Explain(&smithy.GenericAPIError{Code: "AccessDeniedException", Message: user + tc.resource + " " + tc.reason}, Context{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0"})
		if e.Kind != tc.kind {
			t.Errorf("%s on %s: kind %s, want %s: %s", tc.reason, tc.resource, e.Kind, tc.kind, e)
		}
		for _, w := range tc.says {
			if !strings.Contains(e.String(), w) {
				t.Errorf("%s on %s: lacks %q:\n%s", tc.reason, tc.resource, w, e)
			}
		}
		if !strings.Contains(tc.reason, "identity") && (strings.Contains(e.Fix, "Add to the caller's policy") || strings.Contains(e.Fix, "caller's identity policies covers")) {
			t.Errorf("%s on %s: sent to the identity policy: %s", tc.reason, tc.resource, e.Fix)
		}
	}
}

// TestRouteDeniedWithoutTheModel: the middleware and the bench give the
// model; a caller of Explain may not. The summary then names the profile
// without a name, where it read "Profile  routed to".
func TestRouteDeniedWithoutTheModel(t *testing.T) {
	msg := "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0 because no identity-based policy allows the bedrock:InvokeModel action"
	e := Explain(&smithy.GenericAPIError{Code: "AccessDeniedException", Message: msg}, Context{Region: "us-east-1"})
	if e.Kind != RouteDenied || !strings.HasPrefix(e.Summary, "The inference profile routed to us-west-2") {
		t.Errorf("%s: %s", e.Kind, e.Summary)
	}
}

// TestModelIDPattern: the schema's refusal of a modelId, quoted in
// converse-contract.md §1.2 (aws-samples/amazon-bedrock-client-for-mac
// #11), was unknown.
func TestModelIDPattern(t *testing.T) {
	const pattern = "' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws(-[^:]+)?:bedrock:…)"
	e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "1 validation error detected: Value 'anthropic.claude-v2:0:100k" + pattern}, Context{Region: "us-east-1"})
	if e.Kind != BadRequest || !strings.Contains(e.Summary, "suffix :0:100k") || !strings.Contains(e.Summary, "Provisioned Throughput") || !strings.Contains(e.Fix, "without :0:100k") {
		t.Errorf("%s: %s", e.Kind, e)
	}
	e = Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "1 validation error detected: Value 'anthropic claude" + pattern}, Context{Region: "us-east-1"})
	if e.Kind != BadRequest || !strings.Contains(e.Summary, "malformed") || !strings.Contains(e.Fix, "preflight --region us-east-1") {
		t.Errorf("%s: %s", e.Kind, e)
	}
}

// TestExplainNil: no error is the zero explanation; it panicked.
func TestExplainNil(t *testing.T) {
	if e := Explain(nil, Context{Region: "us-east-1"}); e != (Explanation{}) {
		t.Errorf("%+v", e)
	}
}

// FuzzExplain: any error code and message is explained without a panic,
// and a long message is read only up to a bound.
func FuzzExplain(f *testing.F) {
	f.Add("AccessDeniedException", "User: a is not authorized to perform: b on resource: arn:aws:bedrock:::foundation-model/x because no permissions boundary allows the b action", "us-east-1", "global.x")
	f.Add("AccessDeniedException", "User: a is not authorized to perform: b on resource: arn:aws:bedrock:us-west-2::foundation-model/x with an explicit deny in a service control policy: arn:aws:organizations::1:policy/p", "us-east-1", "us.x")
	f.Add("ValidationException", "The model returned the following errors: messages.2.content.2.document.source.type: Field required", "", "")
	f.Add("ValidationException", "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]", "", "")
	f.Add("ValidationException", "1 validation error detected: Value 'a:0:100k' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern: x", "", "")
	f.Add("ValidationException", "Invocation of model ID a with on-demand throughput isn’t supported.", "", "")
	f.Add("ThrottlingException", "Too many tokens per day", "", "")
	f.Add("AccessDeniedException", strings.Repeat("is not authorized to perform: a on resource: b ", 4000)+"é", "us-east-1", "us.x")
	f.Add("ValidationException", strings.Repeat("1 validation error detected: Value at 'messages.1.member.", 2000), "", "")
	f.Fuzz(func(t *testing.T, code, msg, region, model string) {
		e := Explain(&smithy.GenericAPIError{Code: code, Message: msg}, Context{Region: region, Model: model})
		if e.Message != msg || e.Code != code {
			t.Errorf("the explanation does not carry the error: %q %q", e.Code, e.Message)
		}
		if utf8.ValidString(code+msg+region+model) && !utf8.ValidString(e.String()) {
			t.Errorf("the explanation is not UTF-8: %q", e)
		}
	})
}

// TestProfileOnlyWithoutTheRegion: Bedrock's text for a model served only
// through a profile ("Invocation of model ID M with on-demand throughput
// isn’t supported. Retry your request with the ID or ARN of an inference
// profile that contains this model.", error-texts: aws-samples
// bedrock-multi-agents-collaboration-workshop #21, anthropic-sdk-python
// #894) names the model but not the Region. Explained without the Region
// (a log line that does not say it), the summary began with a blank
// ("  serves anthropic.claude-sonnet-4-6 only through…") and the fix said
// "ListInferenceProfiles in )."; now it names the Region called and the
// model's profiles to choose from.
func TestProfileOnlyWithoutTheRegion(t *testing.T) {
	err := &smithy.GenericAPIError{Code: "ValidationException", Message: "Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."}
	e := Explain(err, Context{})
	if e.Kind != ProfileOnly || e.Summary != "The Region called serves anthropic.claude-sonnet-4-6 only through an inference profile." {
		t.Errorf("summary: %+v", e)
	}
	if want := "Call it through the inference profile among eu.anthropic.claude-sonnet-4-6, global.anthropic.claude-sonnet-4-6, us.anthropic.claude-sonnet-4-6 that the Region called offers"; !strings.HasPrefix(e.Fix, want) {
		t.Errorf("fix: %s\nwant it to start %s", e.Fix, want)
	}
	// With the Region, the profiles callable from it.
	e = Explain(err, Context{Region: "us-west-2"})
	if e.Summary != "us-west-2 serves anthropic.claude-sonnet-4-6 only through an inference profile." || !strings.HasPrefix(e.Fix, "Call it through global.anthropic.claude-sonnet-4-6 or us.anthropic.claude-sonnet-4-6 instead") {
		t.Errorf("in us-west-2: %+v", e)
	}
}

// An error the explainer cannot explain (a cancelled call, the SDK's own
// input validation, a code no pattern knows) keeps its text once: the
// explanation would only repeat it. Before, the middleware's error read
// "operation error ..., context canceled (context canceled)".
func TestUnexplainedErrorIsNotRepeated(t *testing.T) {
	c := client(t, nil, "us-east-1", emulator.DefaultCredentials.SecretAccessKey)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-lite-v1:0"), Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}}}
	_, err := c.Converse(ctx, in)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, context.Canceled) {
		t.Fatalf("%v: want an *Error that unwraps to context.Canceled", err)
	}
	if strings.Count(err.Error(), "context canceled") != 1 {
		t.Errorf("the cause is repeated: %s", err)
	}
	odd := &smithy.GenericAPIError{Code: "SomeNewException", Message: "Something new happened."}
	if got := (&Error{Err: odd, Explanation: Explain(odd, Context{})}).Error(); got != odd.Error() {
		t.Errorf("unknown API error: %q, want %q", got, odd.Error())
	}
	// An explained error still carries its explanation.
	err = callConverse(c, "amazon.nova-lite-v1:0", "A:hi")
	if !strings.Contains(err.Error(), " (The conversation broke rule V-1") {
		t.Errorf("explained: %v", err)
	}
}

// TestUnansweredToolUseThroughInvokeModel: Anthropic's "tool_use ids were
// found without tool_result blocks immediately after" is V-23 through
// Converse (prefixed: Bedrock's translation moved a document away from
// the tool results), but through InvokeModel (bare) it is a Messages body
// sent without the tool's result, V-19's situation. Before, both were
// explained as V-23, pointing InvokeModel users at documents they never
// sent.
func TestUnansweredToolUseThroughInvokeModel(t *testing.T) {
	const bare = "messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1, toolu_2. Each `tool_use` block must have a corresponding `tool_result` block in the next message."
	e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: bare}, Context{})
	if e.Rule == nil || e.Rule.ID != "V-19" || !strings.Contains(e.Summary, "at messages.2") || !strings.Contains(e.Summary, "toolu_1, toolu_2") {
		t.Errorf("InvokeModel's text: %+v", e)
	}
	e = Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: converse.ModelErrorPrefix + bare}, Context{})
	if e.Rule == nil || e.Rule.ID != "V-23" {
		t.Errorf("Converse's text: %+v", e)
	}
}

// TestMessagesSchemaTexts: Anthropic's schema refusals of a Messages
// body, which InvokeModel passes on bare (the emulator answers them:
// TestInvokeModelRefusesExtraInputs, TestInvokeModelMessageKeysAreCaseSensitive),
// are bad requests at the member they name. Before, an extra member was
// explained as V-63 with the normalizer's advice, which reads no Messages
// body, and a missing role or content was unknown.
func TestMessagesSchemaTexts(t *testing.T) {
	for msg, at := range map[string]string{
		"messages.0.name: Extra inputs are not permitted":                             "messages.0.name",
		"messages.1.content.0.thinking.cache_control: Extra inputs are not permitted": "messages.1.content.0.thinking.cache_control",
		"tools.0.custom.parameters: Extra inputs are not permitted":                   "tools.0.custom.parameters",
		"messages.0.role: Field required":                                             "messages.0.role",
		"messages.2.content: Input should be a valid list":                            "messages.2.content",
		"system.0.type: Field required":                                               "system.0.type",
		"messages.0.content.1: Unable to extract tag using discriminator 'type'":      "messages.0.content.1",
		// The members of the request's other objects and of a media
		// source or server tool (TestInvokeModelRefusesExtraInputsBeyondMessages):
		// "thinking.adaptive.effort" as Anthropic's API answered it
		// (immersive-translate/immersive-translate #3818).
		"thinking.adaptive.effort: Extra inputs are not permitted":                   "thinking.adaptive.effort",
		"thinking.disabled.display: Extra inputs are not permitted":                  "thinking.disabled.display",
		"tool_choice.auto.foo: Extra inputs are not permitted":                       "tool_choice.auto.foo",
		"tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted": "tool_choice.none.disable_parallel_tool_use",
		"metadata.session_id: Extra inputs are not permitted":                        "metadata.session_id",
		// A member name the schema's \w does not cover: any name the
		// emulator's check reports.
		"metadata.session-id: Extra inputs are not permitted":                                           "metadata.session-id",
		"messages.0.content.0.text.x-trace.id: Extra inputs are not permitted":                          "messages.0.content.0.text.x-trace.id",
		"output_config.verbosity: Extra inputs are not permitted":                                       "output_config.verbosity",
		"output_config.format.name: Extra inputs are not permitted":                                     "output_config.format.name",
		"messages.0.content.0.image.source.base64.detail: Extra inputs are not permitted":               "messages.0.content.0.image.source.base64.detail",
		"messages.2.content.0.tool_result.content.1.image.source.url.x: Extra inputs are not permitted": "messages.2.content.0.tool_result.content.1.image.source.url.x",
		"tools.0.bash_20250124.input_schema: Extra inputs are not permitted":                            "tools.0.bash_20250124.input_schema",
		// tool_choice read as written (TestInvokeModelReadsToolChoiceAsWritten).
		"tool_choice: Unable to extract tag using discriminator 'type'": "tool_choice",

		"tool_choice.tool.name: Field required":                                       "tool_choice.tool.name",
		"tool_choice.tool.name: Input should be a valid string":                       "tool_choice.tool.name",
		"tool_choice.auto.disable_parallel_tool_use: Input should be a valid boolean": "tool_choice.auto.disable_parallel_tool_use",
	} {
		e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: msg}, Context{})
		if e.Kind != BadRequest || e.Rule != nil || !strings.Contains(e.Summary, "at "+at) {
			t.Errorf("%q: %s %+v", msg, e.Kind, e)
		}
	}
	if e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'"}, Context{}); e.Kind != BadRequest || !strings.Contains(e.Summary, "tool_choice of type required") || !strings.Contains(e.Fix, `{"type": "any"} (OpenAI's "required")`) {
		t.Errorf("tool_choice's unknown type: %+v", e)
	}
	// What a rule names keeps its rule: strict on a tool (V-63's advice),
	// a reasoning block's missing signature (V-54).
	for msg, id := range map[string]string{
		"messages.1.content.0.thinking.signature: Field required": "V-54",
		// output_config.effort on a model that does not take it
		// (anthropics/claude-code-action #1005), bare or prefixed; and
		// a member of thinking through Converse's
		// additionalModelRequestFields, prefixed.
		"output_config.effort: Extra inputs are not permitted":                                              "V-63",
		"The model returned the following errors: output_config.effort: Extra inputs are not permitted":     "V-63",
		"The model returned the following errors: thinking.adaptive.effort: Extra inputs are not permitted": "V-63",
	} {
		if e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: msg}, Context{}); e.Rule == nil || e.Rule.ID != id {
			t.Errorf("%q: %+v, want %s", msg, e, id)
		}
	}
	if e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "tools.0.custom.strict: Extra inputs are not permitted"}, Context{}); !strings.Contains(e.Fix, "Remove strict") {
		t.Errorf("strict: %+v", e)
	}
	// output_config.effort, bare, keeps V-63 with advice for effort,
	// though the other members of output_config are bad requests.
	if e := Explain(&smithy.GenericAPIError{Code: "ValidationException", Message: "output_config.effort: Extra inputs are not permitted"}, Context{}); !strings.Contains(e.Fix, "Remove output_config.effort") || !strings.Contains(e.Fix, converse.EffortBeta) {
		t.Errorf("effort: %+v", e)
	}
}

// TestModelStreamError: ConverseStream's modelStreamErrorException ("A
// streaming error occurred. Retry your request.", HTTP 424; Amazon
// Bedrock API Reference, ConverseStreamOutput) is a failure on the
// service's side to retry, not an unknown error.
func TestModelStreamError(t *testing.T) {
	for _, code := range []string{"ModelStreamErrorException", "modelStreamErrorException"} {
		e := Explain(&smithy.GenericAPIError{Code: code, Message: "An error occurred while streaming the response. Retry your request."}, Context{})
		if e.Kind != ServerError || !strings.Contains(e.Fix, "Retry the request") {
			t.Errorf("%s: %s: %s", code, e.Kind, e)
		}
	}
}

// TestRouteDenialVerbAgrees: the route denial's verb agrees with the
// policies named: "the caller's identity policies deny", "a service
// control policy … denies". Before, "the caller's identity policies
// denies".
func TestRouteDenialVerbAgrees(t *testing.T) {
	const head = "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0 "
	for _, tc := range []struct{ reason, want string }{
		{"because no identity-based policy allows the bedrock:InvokeModel action", "routed to us-west-2, where the caller's identity policies deny arn:"},
		{"with an explicit deny in a service control policy", "routed to us-west-2, where a service control policy (SCP) of the organization denies arn:"},
	} {
		e := Explain(&smithy.GenericAPIError{Code: "AccessDeniedException", Message: head + tc.reason}, Context{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0"})
		if e.Kind != RouteDenied || !strings.Contains(e.Summary, tc.want) {
			t.Errorf("%s: %s: %s", tc.reason, e.Kind, e.Summary)
		}
	}
}
