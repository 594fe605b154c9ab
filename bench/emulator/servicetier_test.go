package emulator

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// TestServiceTierThroughSDK: Converse and ConverseStream with a service
// tier the model takes (gpt-oss-120b takes flex and priority in
// us-east-1: the user guide's service tiers page) answer with the tier,
// and the performanceConfig, that served the request, as the service
// model's ConverseResponse and ConverseStreamMetadataEvent have them;
// without a tier the answer has none.
func TestServiceTierThroughSDK(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const model = "openai.gpt-oss-120b-1:0"
	for _, tier := range []types.ServiceTierType{types.ServiceTierTypeFlex, types.ServiceTierTypePriority, types.ServiceTierTypeDefault} {
		out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{
			ModelId: aws.String(model), Messages: []types.Message{userText("hi")},
			ServiceTier:       &types.ServiceTier{Type: tier},
			PerformanceConfig: &types.PerformanceConfiguration{Latency: types.PerformanceConfigLatencyStandard},
		})
		if err != nil {
			t.Fatalf("%s: %v", tier, err)
		}
		if out.ServiceTier == nil || out.ServiceTier.Type != tier {
			t.Errorf("%s: Converse answered serviceTier %+v", tier, out.ServiceTier)
		}
		if out.PerformanceConfig == nil || out.PerformanceConfig.Latency != types.PerformanceConfigLatencyStandard {
			t.Errorf("%s: Converse answered performanceConfig %+v", tier, out.PerformanceConfig)
		}
		stream, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
			ModelId: aws.String(model), Messages: []types.Message{userText("hi")},
			ServiceTier: &types.ServiceTier{Type: tier},
		})
		if err != nil {
			t.Fatalf("%s stream: %v", tier, err)
		}
		var meta *types.ConverseStreamMetadataEvent
		for ev := range stream.GetStream().Events() {
			if m, ok := ev.(*types.ConverseStreamOutputMemberMetadata); ok {
				meta = &m.Value
			}
		}
		if err := stream.GetStream().Close(); err != nil {
			t.Fatal(err)
		}
		if meta == nil || meta.ServiceTier == nil || meta.ServiceTier.Type != tier || meta.PerformanceConfig != nil {
			t.Errorf("%s: the stream's metadata event: %+v", tier, meta)
		}
	}
	out, err := callConverse(t, c, model, userText("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if out.ServiceTier != nil || out.PerformanceConfig != nil {
		t.Errorf("a request without a tier got %+v, %+v", out.ServiceTier, out.PerformanceConfig)
	}
}

// TestServiceTierRefused: a tier the service model does not list, a
// latency it does not list, "reserved" without a reservation and a tier
// the model does not take in the Region are refused (V-67), through the
// SDK; a tier without its required type through a raw body, which the
// SDK would not send.
func TestServiceTierRefused(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	call := func(model string, tier types.ServiceTierType, latency types.PerformanceConfigLatency) error {
		in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{userText("hi")}, ServiceTier: &types.ServiceTier{Type: tier}}
		if latency != "" {
			in.PerformanceConfig = &types.PerformanceConfiguration{Latency: latency}
		}
		_, err := c.Converse(context.Background(), in)
		return err
	}
	apiErr(t, call("openai.gpt-oss-120b-1:0", "bogus", ""), "ValidationException", "service tier provided is invalid")
	apiErr(t, call("openai.gpt-oss-120b-1:0", "flex", "turbo"), "ValidationException",
		"1 validation error detected: Value 'turbo' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set: [optimized, standard]")
	apiErr(t, call("openai.gpt-oss-120b-1:0", types.ServiceTierTypeReserved, ""), "ValidationException", "Reservation not found.")
	// Nova Micro is not on the page; Nova Pro is, but not from eu-west-2.
	apiErr(t, call("amazon.nova-micro-v1:0", types.ServiceTierTypeFlex, ""), "ValidationException", msgTierUnsupported)
	apiErr(t, call("us.anthropic.claude-opus-4-6-v1", types.ServiceTierTypePriority, ""), "ValidationException", msgTierUnsupported)
	if err := call("amazon.nova-micro-v1:0", types.ServiceTierTypeDefault, ""); err != nil {
		t.Errorf("the default tier is every model's: %v", err)
	}
	if err := call("us.amazon.nova-pro-v1:0", types.ServiceTierTypePriority, types.PerformanceConfigLatencyOptimized); err != nil {
		t.Errorf("Nova Pro takes priority from us-east-1: %v", err)
	}
	_, err := runtimeClient(hs, "eu-west-2").Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{userText("hi")}, ServiceTier: &types.ServiceTier{Type: types.ServiceTierTypeFlex}})
	apiErr(t, err, "ValidationException", msgTierUnsupported)

	status, _, body := rawRequest(t, hs, "POST", "/model/openai.gpt-oss-120b-1%3A0/converse", "us-east-1",
		`{"messages":[{"role":"user","content":[{"text":"hi"}]}],"serviceTier":{}}`, defaultCreds)
	var e struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || status != http.StatusBadRequest ||
		e.Message != "1 validation error detected: Value null at 'serviceTier.type' failed to satisfy constraint: Member must not be null" {
		t.Errorf("a tier without a type: %d %s", status, body)
	}
}

// TestServiceTierCatalogWithoutTable: a catalog of its own without the
// serviceTiers member enforces no model's tiers.
func TestServiceTierCatalogWithoutTable(t *testing.T) {
	cat := catalog.Default()
	cat.ServiceTiers = nil
	_, hs := start(t, &Options{Catalog: cat})
	_, err := runtimeClient(hs, "us-east-1").Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{userText("hi")}, ServiceTier: &types.ServiceTier{Type: types.ServiceTierTypeFlex}})
	if err != nil && strings.Contains(err.Error(), "service tier") {
		t.Errorf("refused without a table: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestInvokeModelServiceTier: InvokeModel and InvokeModelWithResponseStream
// take the service tier and latency as the X-Amzn-Bedrock-Service-Tier and
// X-Amzn-Bedrock-PerformanceConfig-Latency headers (the service model's
// InvokeModelRequest, as the Go SDK serializes InvokeModelInput) and are
// checked as Converse's are (V-67); the answer says what served it in the
// same headers (InvokeModelResponse), which the SDK reads into
// InvokeModelOutput.ServiceTier. Before, the emulator ignored both.
func TestInvokeModelServiceTier(t *testing.T) {
	const body = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}`
	invoke := func(c *bedrockruntime.Client, tier types.ServiceTierType, latency types.PerformanceConfigLatency) (*bedrockruntime.InvokeModelOutput, error) {
		return c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(claude), Body: []byte(body),
			ContentType: aws.String("application/json"), ServiceTier: tier, PerformanceConfigLatency: latency})
	}
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")

	out, err := invoke(c, types.ServiceTierTypeDefault, types.PerformanceConfigLatencyStandard)
	if err != nil {
		t.Fatal(err)
	}
	if out.ServiceTier != types.ServiceTierTypeDefault || out.PerformanceConfigLatency != types.PerformanceConfigLatencyStandard {
		t.Errorf("default: the answer says %q, %q", out.ServiceTier, out.PerformanceConfigLatency)
	}
	out, err = invoke(c, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if out.ServiceTier != "" || out.PerformanceConfigLatency != "" {
		t.Errorf("a call without a tier got %q, %q", out.ServiceTier, out.PerformanceConfigLatency)
	}

	// Claude is not on the user guide's service tiers page.
	_, err = invoke(c, types.ServiceTierTypeFlex, "")
	apiErr(t, err, "ValidationException", "The provided service tier is not supported for this model.")
	_, err = invoke(c, types.ServiceTierTypePriority, "")
	apiErr(t, err, "ValidationException", "The provided service tier is not supported for this model.")
	_, err = invoke(c, types.ServiceTierTypeReserved, "")
	apiErr(t, err, "ValidationException", "Reservation not found.")
	_, err = invoke(c, "cheapest", "")
	apiErr(t, err, "ValidationException", "service tier provided is invalid")
	_, err = invoke(c, types.ServiceTierTypeDefault, "turbo")
	apiErr(t, err, "ValidationException",
		"1 validation error detected: Value 'turbo' at 'performanceConfigLatency' failed to satisfy constraint: Member must satisfy enum value set: [optimized, standard]")
	_, err = c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(claude),
		Body: []byte(body), ContentType: aws.String("application/json"), ServiceTier: types.ServiceTierTypeFlex})
	apiErr(t, err, "ValidationException", "The provided service tier is not supported for this model.")

	// A catalog whose table lists the model takes its flex tier, from the
	// Regions it names only.
	cat := catalog.Default()
	tiers := *cat.ServiceTiers
	tiers.PriorityFlex = map[string][]string{"anthropic.claude-haiku-4-5-20251001-v1:0": {"us-east-1"}}
	cat.ServiceTiers = &tiers
	_, hs = start(t, &Options{Catalog: cat})
	c = runtimeClient(hs, "us-east-1")
	out, err = invoke(c, types.ServiceTierTypeFlex, "")
	if err != nil {
		t.Fatal(err)
	}
	if out.ServiceTier != types.ServiceTierTypeFlex || out.PerformanceConfigLatency != "" {
		t.Errorf("flex: the answer says %q, %q", out.ServiceTier, out.PerformanceConfigLatency)
	}
	stream, err := c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(claude),
		Body: []byte(body), ContentType: aws.String("application/json"), ServiceTier: types.ServiceTierTypePriority})
	if err != nil {
		t.Fatal(err)
	}
	for range stream.GetStream().Events() {
	}
	if err := stream.GetStream().Close(); err != nil {
		t.Fatal(err)
	}
	if stream.ServiceTier != types.ServiceTierTypePriority {
		t.Errorf("the stream's answer says %q", stream.ServiceTier)
	}
	_, err = invoke(runtimeClient(hs, "us-west-2"), types.ServiceTierTypeFlex, "")
	apiErr(t, err, "ValidationException", "The provided service tier is not supported for this model.")
}
