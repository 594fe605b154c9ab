package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// samplingCatalog is the default catalog with Claude Opus 4.7 and OpenAI
// gpt-5.6 added on demand in us-east-1, which the embedded catalog does
// not list yet; the Regions here are the test's, not a claim about
// Bedrock's. Opus 4.7's maxOutputTokens is its model card's 128K.
func samplingCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	base, err := json.Marshal(catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(base, &doc); err != nil {
		t.Fatal(err)
	}
	var models []json.RawMessage
	if err := json.Unmarshal(doc["models"], &models); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{
		`{"id":"anthropic.claude-opus-4-7","name":"Claude Opus 4.7","provider":"Anthropic","input":["TEXT","IMAGE"],"onDemand":["us-east-1"],"maxOutputTokens":128000,"lifecycle":{"startOfLife":"2026-04-16"}}`,
		`{"id":"openai.gpt-5.6-sol","name":"gpt-5.6 sol","provider":"OpenAI","input":["TEXT"],"onDemand":["us-east-1"],"lifecycle":{"startOfLife":"2026-06-01"}}`,
	} {
		models = append(models, json.RawMessage(m))
	}
	doc["models"], _ = json.Marshal(models)
	data, _ := json.Marshal(doc)
	cat, err := catalog.Parse("sampling.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestSamplingContract: the emulator refuses the inference parameters a
// model refuses, with Bedrock's text, on Converse and (before the stream
// starts) on ConverseStream, and answers once they are left out: both of
// temperature and topP on Claude Haiku 4.5 (V-57, Anthropic's Haiku 4.5
// migration guide), either on Claude Opus 4.7 (V-58, vercel/ai's Opus 5
// fixtures), either or stop sequences on OpenAI gpt-5.x (V-62, vercel/ai's
// gpt-5.x fixtures), and maxTokens on Nova 2 reasoning at high effort
// (V-59, vercel/ai's Nova 2 fixture).
func TestSamplingContract(t *testing.T) {
	_, hs := start(t, &Options{Catalog: samplingCatalog(t)})
	c := runtimeClient(hs, "us-east-1")
	f := func(v float32) *float32 { return &v }
	high := document.NewLazyDocument(map[string]any{"reasoningConfig": map[string]any{"type": "enabled", "maxReasoningEffort": "high"}})
	tests := []struct {
		model  string
		ic     types.InferenceConfiguration
		fields document.Interface
		msg    string
		fixed  types.InferenceConfiguration
	}{
		{"us.anthropic.claude-haiku-4-5-20251001-v1:0", types.InferenceConfiguration{Temperature: f(0.2), TopP: f(0.9)}, nil,
			"The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.",
			types.InferenceConfiguration{Temperature: f(0.2)}},
		{"anthropic.claude-opus-4-7", types.InferenceConfiguration{Temperature: f(0.2), MaxTokens: aws.Int32(100)}, nil,
			"The model returned the following errors: `temperature` is deprecated for this model.",
			types.InferenceConfiguration{MaxTokens: aws.Int32(100)}},
		{"anthropic.claude-opus-4-7", types.InferenceConfiguration{TopP: f(0.9)}, nil,
			"The model returned the following errors: `top_p` is deprecated for this model.",
			types.InferenceConfiguration{}},
		{"openai.gpt-5.6-sol", types.InferenceConfiguration{Temperature: f(1)}, nil,
			"This model doesn't support the temperature field. Remove temperature and try again.",
			types.InferenceConfiguration{}},
		{"openai.gpt-5.6-sol", types.InferenceConfiguration{TopP: f(0.5)}, nil,
			"This model doesn't support the topP field. Remove topP and try again.",
			types.InferenceConfiguration{}},
		{"openai.gpt-5.6-sol", types.InferenceConfiguration{StopSequences: []string{"END"}}, nil,
			"This model doesn't support the stopSequences field. Remove stopSequences and try again.",
			types.InferenceConfiguration{}},
		{"us.amazon.nova-2-lite-v1:0", types.InferenceConfiguration{MaxTokens: aws.Int32(1000)}, high,
			"The model returned the following errors: `maxTokens` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at https://docs.aws.amazon.com/nova/latest/userguide",
			types.InferenceConfiguration{}},
	}
	for _, tc := range tests {
		t.Run(tc.model+" "+strings.Fields(tc.msg)[len(strings.Fields(tc.msg))/2], func(t *testing.T) {
			ic := tc.ic
			_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, InferenceConfig: &ic, AdditionalModelRequestFields: tc.fields})
			apiErr(t, err, "ValidationException", tc.msg)
			_, err = c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, InferenceConfig: &ic, AdditionalModelRequestFields: tc.fields})
			apiErr(t, err, "ValidationException", tc.msg)
			fixed := tc.fixed
			if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, InferenceConfig: &fixed, AdditionalModelRequestFields: tc.fields}); err != nil {
				t.Errorf("without the refused parameter: %v", err)
			}
		})
	}
}

// TestModelFieldsContract: the emulator refuses another provider's field
// in additionalModelRequestFields with the provider's own words, on
// Converse and (before the stream starts) on ConverseStream, and answers
// once it is left out (V-63, converse-contract.md): Nova's reasoningConfig
// on Claude ("reasoningConfig: Extra inputs are not permitted",
// egoist/chatwise-releases #867), on gpt-5.x (an unknown_parameter error,
// vercel/ai fixture amazon-bedrock-openai-cris-reasoning-config-error.json)
// and on Nova 1 (vercel/ai fixture
// amazon-bedrock-nova-micro-portable-reasoning.json); output_config.effort
// on Claude 4.5 without the effort beta (anthropics/claude-code-action
// #1005). Nova 2 reads reasoningConfig; Claude keeps its own fields.
func TestModelFieldsContract(t *testing.T) {
	_, hs := start(t, &Options{Catalog: samplingCatalog(t)})
	c := runtimeClient(hs, "us-east-1")
	doc := func(v map[string]any) document.Interface { return document.NewLazyDocument(v) }
	reasoning := map[string]any{"type": "enabled", "maxReasoningEffort": "medium"}
	tests := []struct {
		model      string
		bad, fixed map[string]any
		msg        string
	}{
		{"us.anthropic.claude-sonnet-4-6", map[string]any{"reasoningConfig": reasoning, "thinking": map[string]any{"type": "adaptive"}},
			map[string]any{"thinking": map[string]any{"type": "adaptive"}},
			"The model returned the following errors: reasoningConfig: Extra inputs are not permitted"},
		{"us.anthropic.claude-haiku-4-5-20251001-v1:0", map[string]any{"output_config": map[string]any{"effort": "low"}},
			map[string]any{"top_k": 5},
			"The model returned the following errors: output_config.effort: Extra inputs are not permitted"},
		{"openai.gpt-5.6-sol", map[string]any{"reasoningConfig": reasoning},
			map[string]any{"reasoning": map[string]any{"effort": "medium"}},
			`The model returned the following errors: {"error":{"code":"unknown_parameter","message":"Unknown parameter: 'reasoningConfig'.","param":"reasoningConfig","type":"invalid_request_error"}}`},
		{"us.amazon.nova-micro-v1:0", map[string]any{"reasoningConfig": reasoning},
			map[string]any{"inferenceConfig": map[string]any{"topK": 10}},
			"The model returned the following errors: Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again."},
	}
	for _, tc := range tests {
		t.Run(tc.model, func(t *testing.T) {
			_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, AdditionalModelRequestFields: doc(tc.bad)})
			apiErr(t, err, "ValidationException", tc.msg)
			_, err = c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, AdditionalModelRequestFields: doc(tc.bad)})
			apiErr(t, err, "ValidationException", tc.msg)
			if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, AdditionalModelRequestFields: doc(tc.fixed)}); err != nil {
				t.Errorf("without the refused field: %v", err)
			}
		})
	}
	if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("us.amazon.nova-2-lite-v1:0"),
		Messages: []types.Message{userText("hi")}, AdditionalModelRequestFields: doc(map[string]any{"reasoningConfig": reasoning})}); err != nil {
		t.Errorf("Nova 2 with reasoningConfig: %v", err)
	}
}

// TestStreamingToolsContract: Llama refuses tool use on ConverseStream
// and takes it on Converse (V-26; earendil-works/pi #3739, "Converse
// works"), so the emulator checks a stream's body by the streaming rules.
func TestStreamingToolsContract(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	model := aws.String("us.meta.llama3-3-70b-instruct-v1:0")
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name:        aws.String("lookup"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})},
	}}}}
	if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: model,
		Messages: []types.Message{userText("hi")}, ToolConfig: tools}); err != nil {
		t.Fatalf("Converse with tools: %v", err)
	}
	_, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: model,
		Messages: []types.Message{userText("hi")}, ToolConfig: tools})
	apiErr(t, err, "ValidationException", "This model doesn't support tool use in streaming mode.")
	out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: model,
		Messages: []types.Message{userText("hi")}})
	if err != nil {
		t.Fatalf("ConverseStream without tools: %v", err)
	}
	out.GetStream().Close()
}

// TestOutputLimitAndAdaptiveThinking: the emulator refuses a maxTokens
// above the model's output limit in its catalog with Bedrock's text
// (V-61), on Converse, ConverseStream and InvokeModel, and takes the
// limit itself; and Claude Opus 4.7 refuses thinking "enabled" with a
// budget, taking "adaptive" (V-56; Bedrock's Opus 4.7 model card,
// Kilo-Org/kilocode #10732 for the text). Opus 4.7's limit comes from the
// server's catalog, not the embedded one, which does not list it. The
// server's day is one when Claude 3.5 Haiku was still served (its end of
// life is 2026-06-19, before the catalog's date).
func TestOutputLimitAndAdaptiveThinking(t *testing.T) {
	_, hs := start(t, &Options{Catalog: samplingCatalog(t), LegacyActive: []string{"anthropic.claude-3-7-sonnet-20250219-v1:0"}, Date: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)})
	c := runtimeClient(hs, "us-east-1")
	enabled := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 2048}})
	adaptive := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "adaptive"}})
	limit := func(n int) string {
		return fmt.Sprintf("The maximum tokens you requested exceeds the model limit of %d. Try again with a maximum tokens value that is lower than %d.", n, n)
	}
	const adaptiveOnly = `The model returned the following errors: "thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
	tests := []struct {
		model         string
		maxTokens     int32
		fields        document.Interface
		msg           string
		fixedMax      int32
		fixedFields   document.Interface
		messagesBody  string
		messagesFixed string
	}{
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", 64000, nil, limit(8192), 8192, nil,
			`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64000,"messages":[{"role":"user","content":"hi"}]}`,
			`{"anthropic_version":"bedrock-2023-05-31","max_tokens":8192,"messages":[{"role":"user","content":"hi"}]}`},
		{"anthropic.claude-opus-4-7", 200000, nil, limit(128000), 128000, nil,
			`{"anthropic_version":"bedrock-2023-05-31","max_tokens":200000,"messages":[{"role":"user","content":"hi"}]}`,
			`{"anthropic_version":"bedrock-2023-05-31","max_tokens":128000,"messages":[{"role":"user","content":"hi"}]}`},
		{"anthropic.claude-opus-4-7", 4096, enabled, adaptiveOnly, 4096, adaptive,
			`{"anthropic_version":"bedrock-2023-05-31","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"hi"}]}`,
			`{"anthropic_version":"bedrock-2023-05-31","max_tokens":4096,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"hi"}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.model+" "+strings.Fields(tc.msg)[2], func(t *testing.T) {
			ic := types.InferenceConfiguration{MaxTokens: aws.Int32(tc.maxTokens)}
			_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, InferenceConfig: &ic, AdditionalModelRequestFields: tc.fields})
			apiErr(t, err, "ValidationException", tc.msg)
			_, err = c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, InferenceConfig: &ic, AdditionalModelRequestFields: tc.fields})
			apiErr(t, err, "ValidationException", tc.msg)
			_, err = c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(tc.model), Body: []byte(tc.messagesBody), ContentType: aws.String("application/json")})
			apiErr(t, err, "ValidationException", strings.TrimPrefix(tc.msg, converse.ModelErrorPrefix))
			fixed := types.InferenceConfiguration{MaxTokens: aws.Int32(tc.fixedMax)}
			if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model),
				Messages: []types.Message{userText("hi")}, InferenceConfig: &fixed, AdditionalModelRequestFields: tc.fixedFields}); err != nil {
				t.Errorf("Converse within the limit: %v", err)
			}
			if _, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(tc.model), Body: []byte(tc.messagesFixed), ContentType: aws.String("application/json")}); err != nil {
				t.Errorf("InvokeModel within the limit: %v", err)
			}
		})
	}
	// Claude 3.7 Sonnet writes up to 128000 tokens with Anthropic's
	// output-128k beta (BerriAI/litellm #8984), 64000 without.
	beta := `{"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["output-128k-2025-02-19"],"max_tokens":128000,"messages":[{"role":"user","content":"hi"}]}`
	if _, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String("us.anthropic.claude-3-7-sonnet-20250219-v1:0"), Body: []byte(beta), ContentType: aws.String("application/json")}); err != nil {
		t.Errorf("Claude 3.7 Sonnet with the output-128k beta: %v", err)
	}
	_, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String("us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
		Body: []byte(strings.Replace(beta, `"anthropic_beta":["output-128k-2025-02-19"],`, "", 1)), ContentType: aws.String("application/json")})
	apiErr(t, err, "ValidationException", limit(64000))
}
