package emulator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

func TestConverseThroughSDK(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	out, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("What is the capital of Peru?"))
	if err != nil {
		t.Fatal(err)
	}
	msg := out.Output.(*types.ConverseOutputMemberMessage).Value
	text := msg.Content[0].(*types.ContentBlockMemberText).Value
	if !strings.Contains(text, "amazon.nova-micro-v1:0") || !strings.Contains(text, "What is the capital of Peru?") {
		t.Errorf("reply does not name the model and quote the turn: %q", text)
	}
	if out.StopReason != types.StopReasonEndTurn || *out.Usage.TotalTokens != *out.Usage.InputTokens+*out.Usage.OutputTokens || *out.Usage.OutputTokens == 0 {
		t.Errorf("stop %s, usage %+v", out.StopReason, out.Usage)
	}
	if header(out, EmulatedHeader) != Version || header(out, "X-Amzn-Requestid") == "" || header(out, InferenceRegionHeader) != "us-east-1" {
		t.Errorf("headers: emulated %q, request id %q, region %q", header(out, EmulatedHeader), header(out, "X-Amzn-Requestid"), header(out, InferenceRegionHeader))
	}
	again, err := callConverse(t, c, "amazon.nova-micro-v1:0", userText("What is the capital of Peru?"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(text, again.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value); diff != "" || *again.Usage.TotalTokens != *out.Usage.TotalTokens {
		t.Errorf("the same request got a different reply: %s", diff)
	}
}

func TestModelIDForms(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	for _, id := range []string{
		"amazon.nova-micro-v1:0",
		"us.amazon.nova-micro-v1:0",
		"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
		"arn:aws:bedrock:us-east-1:" + DefaultAccount + ":inference-profile/us.amazon.nova-micro-v1:0",
		"global.anthropic.claude-haiku-4-5-20251001-v1:0",
	} {
		if _, err := callConverse(t, c, id, userText("hi")); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}

func TestToolUseReply(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	schema := document.NewLazyDocument(map[string]any{"type": "object", "properties": map[string]any{
		"city": map[string]any{"type": "string"}, "units": map[string]any{"type": "string", "enum": []any{"metric", "imperial"}}},
		"required": []any{"city", "units"}})
	in := &bedrockruntime.ConverseInput{
		ModelId:  aws.String("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
		Messages: []types.Message{userText("Weather in Lima?")},
		ToolConfig: &types.ToolConfiguration{
			Tools:      []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("get_weather"), InputSchema: &types.ToolInputSchemaMemberJson{Value: schema}}}},
			ToolChoice: &types.ToolChoiceMemberAny{},
		},
	}
	out, err := c.Converse(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	use := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberToolUse).Value
	var input map[string]any
	if err := use.Input.UnmarshalSmithyDocument(&input); err != nil {
		t.Fatal(err)
	}
	if out.StopReason != types.StopReasonToolUse || *use.Name != "get_weather" || !strings.HasPrefix(*use.ToolUseId, "tooluse_") || input["units"] != "metric" || input["city"] != "example" {
		t.Errorf("tool use: stop %s, %s %s %v", out.StopReason, *use.Name, *use.ToolUseId, input)
	}
	in.ToolConfig.ToolChoice = &types.ToolChoiceMemberAuto{}
	out, err = c.Converse(context.Background(), in)
	if err != nil || out.StopReason != types.StopReasonEndTurn {
		t.Errorf("auto tool choice should answer with text: %v %v", err, out)
	}
}

func TestMaxTokens(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{userText("Tell me everything.")}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(3)}})
	if err != nil {
		t.Fatal(err)
	}
	if out.StopReason != types.StopReasonMaxTokens || *out.Usage.OutputTokens != 3 {
		t.Errorf("stop %s, output tokens %d", out.StopReason, *out.Usage.OutputTokens)
	}
}

// apiErr asserts err is the API error code with exactly the message.
func apiErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Errorf("got %s: %s\nwant %s: %s", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func TestCatalogContract(t *testing.T) {
	_, hs := start(t, &Options{LegacyActive: []string{"anthropic.claude-opus-4-1-20250805-v1:0"}})
	tests := []struct {
		region, model, code, msg, reason string
	}{
		{"ap-south-1", "anthropic.claude-3-5-haiku-20241022-v1:0", "ValidationException", "The provided model identifier is invalid.", "Claude 3.5 Haiku was never offered in ap-south-1: the Region's catalog is checked before the lifecycle"},
		{"us-west-2", "anthropic.claude-3-5-haiku-20241022-v1:0", "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.", "Claude 3.5 Haiku end of life on 2026-06-19, where it was on demand"},
		{"us-west-2", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.", "Claude 3.5 Haiku end of life through its profile (accelerated-intelligent-document-processing-on-aws #708, verified live 2026-08-29)"},
		{"ap-south-1", "meta.llama3-3-70b-instruct-v1:0", "ValidationException", "The provided model identifier is invalid.", "Llama 3.3 70B is not offered in ap-south-1"},
		{"us-west-2", "amazon.nova-micro-v1:0", "ValidationException", "Invocation of model ID amazon.nova-micro-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", "Nova Micro is only behind the us. profile in us-west-2"},
		{"us-east-1", "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "ValidationException", "The provided model identifier is invalid.", "an eu profile called from us-east-1"},
		{"eu-west-2", "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "ValidationException", "The provided model identifier is invalid.", "eu-west-2 is not a source of that profile"},
		{"us-west-2", "amazon.nova-pro-v1:0", "ValidationException", "Invocation of model ID amazon.nova-pro-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", "profile-only in us-west-2"},
		{"us-east-1", "anthropic.claude-opus-4-1-20250805-v1:0", "ValidationException", "Invocation of model ID anthropic.claude-opus-4-1-20250805-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", "legacy-but-active model, profile-only"},
		{"us-east-1", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.", "Claude 3.7 Sonnet end of life on 2026-04-28 (BerriAI/litellm PR #26721, verified live that day)"},
		{"us-east-1", "us.anthropic.claude-sonnet-4-20250514-v1:0", "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.", "Sonnet 4 reached end of life on 2026-10-14"},
		{"us-east-1", "anthropic.claude-3-haiku-20240307-v1:0", "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.", "Claude 3 Haiku end of life on 2026-09-10"},
		{"us-east-1", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "ResourceNotFoundException", "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days. Please upgrade to an active model on Amazon Bedrock", "Sonnet 4.5 went Legacy on 2026-10-08 and this account is not an active user"},
	}
	for _, tc := range tests {
		_, err := callConverse(t, runtimeClient(hs, tc.region), tc.model, userText("hi"))
		t.Run(tc.reason, func(t *testing.T) { apiErr(t, err, tc.code, tc.msg) })
	}
	if _, err := callConverse(t, runtimeClient(hs, "us-east-1"), "us.anthropic.claude-opus-4-1-20250805-v1:0", userText("hi")); err != nil {
		t.Errorf("a Legacy model the account uses should answer: %v", err)
	}
	var ve *types.ValidationException
	_, err := callConverse(t, runtimeClient(hs, "ap-south-1"), "anthropic.claude-3-5-haiku-20241022-v1:0", userText("hi"))
	if !errors.As(err, &ve) {
		t.Errorf("the SDK should surface *types.ValidationException, got %T", err)
	}
}

func TestConverseContract(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	_, err := callConverse(t, c, "amazon.nova-micro-v1:0", assistantText("Hello! How can I help?"), userText("Where is my order?"))
	apiErr(t, err, "ValidationException", "A conversation must start with a user message. Try again with a conversation that starts with a user message.")
	if _, err := callConverse(t, c, "us.anthropic.claude-haiku-4-5-20251001-v1:0", assistantText("Hello! How can I help?"), userText("Where is my order?")); err != nil {
		t.Errorf("Anthropic accepts a leading assistant turn: %v", err)
	}
	_, err = callConverse(t, c, "amazon.nova-micro-v1:0", userText("a"), userText("b"))
	apiErr(t, err, "ValidationException", "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.")
	_, err = callConverse(t, c, "amazon.nova-micro-v1:0", userText("a"), assistantText(""), userText("b"))
	apiErr(t, err, "ValidationException", "The text field in the ContentBlock object at messages.1.content.0 is blank. Add text to the text field, and try again.")
	_, err = callConverse(t, c, "us.anthropic.claude-opus-4-6-v1", userText("a"), assistantText("prefill"))
	apiErr(t, err, "ValidationException", "The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message.")
}

func TestStreamThroughSDK(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "eu-west-1")
	want, err := callConverse(t, c, "eu.amazon.nova-lite-v1:0", userText("Stream me a reply."))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("eu.amazon.nova-lite-v1:0"), Messages: []types.Message{userText("Stream me a reply.")}})
	if err != nil {
		t.Fatal(err)
	}
	stream := out.GetStream()
	defer stream.Close()
	var kinds []string
	var text strings.Builder
	var usage *types.TokenUsage
	for ev := range stream.Events() {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberMessageStart:
			kinds = append(kinds, "messageStart")
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			if len(kinds) == 0 || kinds[len(kinds)-1] != "contentBlockDelta" {
				kinds = append(kinds, "contentBlockDelta")
			}
			text.WriteString(e.Value.Delta.(*types.ContentBlockDeltaMemberText).Value)
		case *types.ConverseStreamOutputMemberContentBlockStop:
			kinds = append(kinds, "contentBlockStop")
		case *types.ConverseStreamOutputMemberMessageStop:
			kinds = append(kinds, "messageStop:"+string(e.Value.StopReason))
		case *types.ConverseStreamOutputMemberMetadata:
			kinds = append(kinds, "metadata")
			usage = e.Value.Usage
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"messageStart", "contentBlockDelta", "contentBlockStop", "messageStop:end_turn", "metadata"}, kinds); diff != "" {
		t.Errorf("event order (-want +got):\n%s", diff)
	}
	// The stream says what the plain call says, except that the prompt
	// differs by nothing: same model, same body.
	wantText := want.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
	if text.String() != wantText || *usage.OutputTokens != *want.Usage.OutputTokens {
		t.Errorf("streamed %q (%d tokens), converse said %q (%d)", text.String(), *usage.OutputTokens, wantText, *want.Usage.OutputTokens)
	}
}

func TestStreamToolUse(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	schema := document.NewLazyDocument(map[string]any{"type": "object", "properties": map[string]any{"q": map[string]any{"type": "string"}}, "required": []any{"q"}})
	out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
		Messages: []types.Message{userText("search")},
		ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("search"), InputSchema: &types.ToolInputSchemaMemberJson{Value: schema}}}},
			ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String("search")}}}})
	if err != nil {
		t.Fatal(err)
	}
	var name, input, stop string
	for ev := range out.GetStream().Events() {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockStart:
			name = *e.Value.Start.(*types.ContentBlockStartMemberToolUse).Value.Name
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			input += *e.Value.Delta.(*types.ContentBlockDeltaMemberToolUse).Value.Input
		case *types.ConverseStreamOutputMemberMessageStop:
			stop = string(e.Value.StopReason)
		}
	}
	if err := out.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	if name != "search" || input != `{"q":"example"}` || stop != "tool_use" {
		t.Errorf("tool stream: %q %q %q", name, input, stop)
	}
}

func TestStreamErrorsBeforeTheStream(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "ap-south-1")
	_, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"), Messages: []types.Message{userText("hi")}})
	apiErr(t, err, "ValidationException", "The provided model identifier is invalid.")
}

func TestCrossRegionIAM(t *testing.T) {
	// The documented geographic policy, with us-west-2 left out.
	geo := mustPolicy(t, "app-role-policy", `{"Version":"2012-10-17","Statement":[
	 {"Sid":"Profile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-pro-v1:0"},
	 {"Sid":"Models","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":[
	   "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
	   "arn:aws:bedrock:us-east-2::foundation-model/amazon.nova-pro-v1:0"]}]}`)
	principal := &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/app/session", Identity: []*iam.Policy{geo}}
	want := "User: arn:aws:sts::111122223333:assumed-role/app/session is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0 because no identity-based policy allows the bedrock:InvokeModel action"

	_, strict := start(t, &Options{Principal: principal})
	c := runtimeClient(strict, "us-east-1")
	for i := 0; i < 5; i++ {
		_, err := callConverse(t, c, "us.amazon.nova-pro-v1:0", userText("hi"))
		apiErr(t, err, "AccessDeniedException", want)
	}
	if _, err := callConverse(t, c, "amazon.nova-pro-v1:0", userText("hi")); err != nil {
		t.Errorf("a direct call in us-east-1 is allowed: %v", err)
	}

	// Per route, only calls routed to us-west-2 fail: intermittently
	// across different requests, and the same way for the same seed and
	// request, whatever order requests come in.
	outcomes := func(seed uint64, reverse bool) string {
		_, hs := start(t, &Options{Principal: principal, Authz: PerRoute, Seed: seed})
		c := runtimeClient(hs, "us-east-1")
		out := make([]byte, 30)
		for k := 0; k < 30; k++ {
			i := k
			if reverse {
				i = 29 - k
			}
			_, err := callConverse(t, c, "us.amazon.nova-pro-v1:0", userText(fmt.Sprintf("question %d", i)))
			if err == nil {
				out[i] = '.'
				continue
			}
			apiErr(t, err, "AccessDeniedException", want)
			out[i] = 'x'
		}
		return string(out)
	}
	first := outcomes(7, false)
	if strings.Count(first, "x") == 0 || strings.Count(first, ".") == 0 {
		t.Errorf("per-route mode should fail some calls and pass others: %s", first)
	}
	if again := outcomes(7, true); again != first {
		t.Errorf("the same seed should route each request the same way, in any order:\n%s\n%s", first, again)
	}
	if other := outcomes(8, false); other == first {
		t.Errorf("another seed should route differently: %s", other)
	}
}

// TestDestinationOutsideTheServedRegions: from eu-central-1 the EU Claude
// Sonnet 4.5 profile routes to eu-south-1 and eu-south-2 as well (Bedrock
// user guide, "Supported Regions and models for inference profiles"),
// Regions the emulator does not serve, and Bedrock authorizes "the
// foundation model in each candidate destination Region" (Geographic
// cross-Region inference). A role that allows the model in every other
// destination is refused, naming the eu-south-1 ARN, on every call in
// strict mode; the emulator let the calls through, its routes stopping at
// the Regions it serves. Allowed there too, calls pass, and some are
// served in eu-south-1.
func TestDestinationOutsideTheServedRegions(t *testing.T) {
	const (
		profile = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
		fm      = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	)
	policy := func(regions ...string) *iam.Policy {
		var res []string
		for _, r := range regions {
			res = append(res, `"arn:aws:bedrock:`+r+`::foundation-model/`+fm+`"`)
		}
		return mustPolicy(t, "app-role-policy", `{"Version":"2012-10-17","Statement":[
	 {"Sid":"Profile","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":"arn:aws:bedrock:eu-central-1:111122223333:inference-profile/`+profile+`"},
	 {"Sid":"Models","Effect":"Allow","Action":"bedrock:InvokeModel*","Resource":[`+strings.Join(res, ",")+`]}]}`)
	}
	others := []string{"eu-central-1", "eu-north-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"}
	principal := &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/app/session", Identity: []*iam.Policy{policy(others...)}}
	// Sonnet 4.5 is Legacy on the catalog's date: the account has used it.
	_, hs := start(t, &Options{Principal: principal, LegacyActive: []string{fm}})
	c := runtimeClient(hs, "eu-central-1")
	want := "User: arn:aws:sts::111122223333:assumed-role/app/session is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-south-1::foundation-model/" + fm + " because no identity-based policy allows the bedrock:InvokeModel action"
	for i := 0; i < 5; i++ {
		_, err := callConverse(t, c, profile, userText(fmt.Sprintf("question %d", i)))
		apiErr(t, err, "AccessDeniedException", want)
	}

	principal.Identity = []*iam.Policy{policy(append(others, "eu-south-1")...)}
	_, hs = start(t, &Options{Principal: principal, LegacyActive: []string{fm}})
	c = runtimeClient(hs, "eu-central-1")
	served := map[string]bool{}
	for i := 0; i < 30; i++ {
		out, err := callConverse(t, c, profile, userText(fmt.Sprintf("question %d", i)))
		if err != nil {
			t.Fatalf("allowed in every destination: %v", err)
		}
		served[header(out, InferenceRegionHeader)] = true
	}
	if !served["eu-south-1"] {
		t.Errorf("30 calls served in %v, never in eu-south-1", served)
	}
}

func TestGlobalProfileSCP(t *testing.T) {
	allowAll := mustPolicy(t, "admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	scp := mustPolicy(t, "arn:aws:organizations::000000000000:policy/o-abc/service_control_policy/p-region", `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"*","Resource":"*"},
	 {"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-2"]}}}]}`)
	_, hs := start(t, &Options{Principal: &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/dev/me", Identity: []*iam.Policy{allowAll}, SCPs: [][]*iam.Policy{{scp}}}})
	c := runtimeClient(hs, "us-east-1")
	_, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("global.anthropic.claude-opus-4-6-v1"), Messages: []types.Message{userText("hi")}})
	apiErr(t, err, "AccessDeniedException", "User: arn:aws:sts::111122223333:assumed-role/dev/me is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1 with an explicit deny in a service control policy: arn:aws:organizations::000000000000:policy/o-abc/service_control_policy/p-region")
	if _, err := callConverse(t, c, "us.anthropic.claude-opus-4-6-v1", userText("hi")); err != nil {
		t.Errorf("the us profile stays inside the allow-list: %v", err)
	}
}

// Global condition keys come from the request itself, as in AWS: a policy
// that allows only a corporate network denies a caller on loopback, and one
// that allows loopback lets it through. "aws:SourceIp ... the requester's IP
// address" (IAM User Guide, AWS global condition context keys).
func TestSourceIpFromTheConnection(t *testing.T) {
	for _, tc := range []struct {
		cidr    string
		allowed bool
	}{{"10.0.0.0/8", false}, {"127.0.0.0/8", true}} {
		p := mustPolicy(t, "office-only", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"`+tc.cidr+`"},"Bool":{"aws:SecureTransport":"false"}}}]}`)
		_, hs := start(t, &Options{Principal: &iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/app/s", Identity: []*iam.Policy{p}}})
		_, err := callConverse(t, runtimeClient(hs, "us-east-1"), "amazon.nova-lite-v1:0", userText("hi"))
		if tc.allowed && err != nil {
			t.Errorf("%s: a loopback caller is denied: %v", tc.cidr, err)
		}
		if !tc.allowed {
			apiErr(t, err, "AccessDeniedException", "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 because no identity-based policy allows the bedrock:InvokeModel action")
		}
	}
}

// TestChoicesFollowWhatTheBodyMeans: one request written two ways (its
// members in another order, a map's keys in another order, white space,
// another spelling of a number) is served from the same inference Region
// with the same answer, and counts as one request for
// ThrottleFirstAttempts; and the route does vary from request to request.
// The AWS SDK for Go writes a map (requestMetadata) in Go's random order,
// so a choice drawn from the bytes made recordings differ.
func TestChoicesFollowWhatTheBodyMeans(t *testing.T) {
	const path = "/model/us.amazon.nova-pro-v1%3A0/converse"
	routes := map[string]bool{}
	_, hs := start(t, nil)
	for i := range 40 {
		prompt := fmt.Sprintf("Question %d: which river is longest?", i)
		a := fmt.Sprintf(`{"inferenceConfig":{"temperature":0.5},"messages":[{"content":[{"text":%q}],"role":"user"}],"requestMetadata":{"session":"s-19","tenant":"acme","user":"u-7"}}`, prompt)
		b := fmt.Sprintf(`{ "requestMetadata" : { "user": "u-7", "tenant": "acme", "session": "s-19" },
			"messages": [ { "role": "user", "content": [ { "text": %q } ] } ], "inferenceConfig": { "temperature": 5e-1 } }`, prompt)
		sa, ha, ba := rawRequest(t, hs, "POST", path, "us-east-1", a, defaultCreds)
		sb, hb, bb := rawRequest(t, hs, "POST", path, "us-east-1", b, defaultCreds)
		if sa != 200 || sb != 200 {
			t.Fatalf("%d %s / %d %s", sa, ba, sb, bb)
		}
		ra, rb := ha.Get(InferenceRegionHeader), hb.Get(InferenceRegionHeader)
		if ra != rb || ra == "" {
			t.Errorf("request %d: served from %q written one way, %q the other", i, ra, rb)
		}
		if ba != bb {
			t.Errorf("request %d: answers differ:\n%s\n%s", i, ba, bb)
		}
		routes[ra] = true
	}
	if len(routes) < 2 {
		t.Errorf("40 requests all served from %v: the route does not depend on the request", routes)
	}

	_, hs = start(t, &Options{Faults: Faults{ThrottleFirstAttempts: 1}})
	a := `{"messages":[{"content":[{"text":"hi"}],"role":"user"}],"requestMetadata":{"a":"1","b":"2"}}`
	b := `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"requestMetadata":{"b":"2","a":"1"}}`
	if status, _, _ := rawRequest(t, hs, "POST", path, "us-east-1", a, defaultCreds); status != 429 {
		t.Errorf("first attempt: %d, want 429", status)
	}
	if status, _, body := rawRequest(t, hs, "POST", path, "us-east-1", b, defaultCreds); status != 200 {
		t.Errorf("the same request written another way, second attempt: %d %s", status, body)
	}
}

// TestForcedToolChoiceOfAnUndeclaredTool: a Converse toolChoice.tool
// naming no declared tool is refused for Claude as the contract's
// tool-choice-undeclared (V-69) words it: Anthropic's "Tool 'X' not found
// in provided tools" behind Bedrock's prefix [Inferred: no Bedrock
// capture]. Before, the emulator answered 200 with a toolUse of the first
// declared tool, a call the request never asked for.
func TestForcedToolChoiceOfAnUndeclaredTool(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	schema := document.NewLazyDocument(map[string]any{"type": "object"})
	cfg := func(choice string) *types.ToolConfiguration {
		return &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("a"), InputSchema: &types.ToolInputSchemaMemberJson{Value: schema}}}},
			ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(choice)}}}
	}
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(claude), Messages: []types.Message{userText("call a")}, ToolConfig: cfg("zzz")})
	apiErr(t, err, "ValidationException", "The model returned the following errors: Tool 'zzz' not found in provided tools")
	_, err = c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(claude), Messages: []types.Message{userText("call a")}, ToolConfig: cfg("zzz")})
	apiErr(t, err, "ValidationException", "The model returned the following errors: Tool 'zzz' not found in provided tools")
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(claude), Messages: []types.Message{userText("call a")}, ToolConfig: cfg("a")})
	if err != nil {
		t.Fatal(err)
	}
	content := out.Output.(*types.ConverseOutputMemberMessage).Value.Content
	if use, ok := content[len(content)-1].(*types.ContentBlockMemberToolUse); !ok || aws.ToString(use.Value.Name) != "a" {
		t.Errorf("forced a: %#v", content)
	}
}
