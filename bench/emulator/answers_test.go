package emulator

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// converseRaw sends a raw Converse body and decodes the answer.
func converseRaw(t *testing.T, hs *httptest.Server, model, body string) (int, map[string]any, string) {
	t.Helper()
	status, _, raw := rawRequest(t, hs, "POST", "/model/"+strings.ReplaceAll(model, ":", "%3A")+"/converse", "us-east-1", body, defaultCreds)
	var out map[string]any
	_ = json.Unmarshal([]byte(raw), &out)
	return status, out, raw
}

func blocksOf(t *testing.T, out map[string]any) []map[string]any {
	t.Helper()
	o, _ := out["output"].(map[string]any)
	msg, _ := o["message"].(map[string]any)
	list, _ := msg["content"].([]any)
	var blocks []map[string]any
	for _, b := range list {
		blocks = append(blocks, b.(map[string]any))
	}
	return blocks
}

func kindsOf(blocks []map[string]any) string {
	var k []string
	for _, b := range blocks {
		for name := range b {
			k = append(k, name)
		}
	}
	return strings.Join(k, ",")
}

const claude = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

func TestReasoningSignedAndVerified(t *testing.T) {
	_, hs := start(t, nil)
	body := `{"messages":[{"role":"user","content":[{"text":"Why is the sky blue?"}]}],"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}`
	status, out, raw := converseRaw(t, hs, claude, body)
	if status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	blocks := blocksOf(t, out)
	if kindsOf(blocks) != "reasoningContent,text" {
		t.Fatalf("content %s: want reasoning then text", raw)
	}
	rt := blocks[0]["reasoningContent"].(map[string]any)["reasoningText"].(map[string]any)
	if rt["text"] == "" || !strings.HasPrefix(rt["signature"].(string), "RW11U2ln") {
		t.Fatalf("reasoning %v", rt)
	}
	// The history sent back unchanged is accepted; altered, it is refused.
	turn := func(text, sig string) string {
		b, _ := json.Marshal(map[string]any{
			"messages": []any{
				map[string]any{"role": "user", "content": []any{map[string]any{"text": "Why is the sky blue?"}}},
				map[string]any{"role": "assistant", "content": []any{map[string]any{"reasoningContent": map[string]any{"reasoningText": map[string]any{"text": text, "signature": sig}}}, blocks[1]}},
				map[string]any{"role": "user", "content": []any{map[string]any{"text": "And at sunset?"}}},
			},
			"additionalModelRequestFields": map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}},
		})
		return string(b)
	}
	if status, _, raw := converseRaw(t, hs, claude, turn(rt["text"].(string), rt["signature"].(string))); status != 200 {
		t.Errorf("unchanged history: %d %s", status, raw)
	}
	status, _, raw = converseRaw(t, hs, claude, turn(rt["text"].(string)+" (edited)", rt["signature"].(string)))
	if status != 400 || !strings.Contains(raw, "messages.1.content.0: thinking or redacted_thinking blocks in the latest assistant message cannot be modified.") {
		t.Errorf("altered reasoning: %d %s", status, raw)
	}
	sig := []byte(rt["signature"].(string))
	sig[20] ^= 1
	if status, _, raw := converseRaw(t, hs, claude, turn(rt["text"].(string), string(sig))); status != 400 {
		t.Errorf("altered signature: %d %s", status, raw)
	}
	// A real model's signature is not the emulator's to judge.
	if status, _, raw := converseRaw(t, hs, claude, turn("real reasoning", "Eu4CCkgIBxABGAIqQCc4A+JUj/DJn5X49FRHzzGDqrWo")); status != 200 {
		t.Errorf("foreign signature: %d %s", status, raw)
	}

	// Anthropic's documented trigger gets redactedContent.
	status, out, raw = converseRaw(t, hs, claude, `{"messages":[{"role":"user","content":[{"text":"`+RedactedThinkingTrigger+`"}]}],"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}`)
	if b := blocksOf(t, out); status != 200 || kindsOf(b) != "reasoningContent,text" || b[0]["reasoningContent"].(map[string]any)["redactedContent"] == nil {
		t.Errorf("redacted trigger: %s", raw)
	}
	// Families without signatures reason unsigned; no setting, no reasoning.
	status, out, raw = converseRaw(t, hs, "us.amazon.nova-2-lite-v1:0", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"additionalModelRequestFields":{"reasoningConfig":{"type":"enabled"}}}`)
	if b := blocksOf(t, out); status != 200 || kindsOf(b) != "reasoningContent,text" || b[0]["reasoningContent"].(map[string]any)["reasoningText"].(map[string]any)["signature"] != nil {
		t.Errorf("Nova reasoning: %s", raw)
	}
	if _, out, raw := converseRaw(t, hs, claude, `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`); kindsOf(blocksOf(t, out)) != "text" {
		t.Errorf("no thinking, no reasoning: %s", raw)
	}
}

func TestToolUseUnderAuto(t *testing.T) {
	_, hs := start(t, nil)
	tools := `"toolConfig":{"tools":[
	  {"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object","properties":{"zone":{"type":"string"},"city":{"type":"string"},"days":{"type":"integer"},"units":{"type":"string","enum":["metric","imperial"]}},"required":["zone","city","units"]}}}},
	  {"toolSpec":{"name":"get_time","inputSchema":{"json":{"type":"object","properties":{"tz":{"type":"string"}}}}}}]}`
	status, out, raw := converseRaw(t, hs, "amazon.nova-lite-v1:0", `{"messages":[{"role":"user","content":[{"text":"Use get_time, then get_weather for Lisbon."}]}],`+tools+`}`)
	if status != 200 || out["stopReason"] != "tool_use" {
		t.Fatalf("%d %s", status, raw)
	}
	b := blocksOf(t, out)
	if kindsOf(b) != "text,toolUse,toolUse" {
		t.Fatalf("want text then two parallel toolUse blocks: %s", raw)
	}
	if b[1]["toolUse"].(map[string]any)["name"] != "get_time" || b[2]["toolUse"].(map[string]any)["name"] != "get_weather" {
		t.Errorf("tools in the order the turn names them: %s", raw)
	}
	// Input keys come in the schema's order, not sorted.
	if !strings.Contains(raw, `"input":{"zone":"example","city":"example","units":"metric"}`) {
		t.Errorf("input keys not in schema order: %s", raw)
	}
	if b[1]["toolUse"].(map[string]any)["toolUseId"] == b[2]["toolUse"].(map[string]any)["toolUseId"] {
		t.Error("parallel tool uses share an id")
	}
	// Not named: plain text. A tool result turn: the model answers it.
	if _, out, raw := converseRaw(t, hs, "amazon.nova-lite-v1:0", `{"messages":[{"role":"user","content":[{"text":"What is the weather?"}]}],`+tools+`}`); out["stopReason"] != "end_turn" || kindsOf(blocksOf(t, out)) != "text" {
		t.Errorf("no tool named: %s", raw)
	}
	id := b[1]["toolUse"].(map[string]any)["toolUseId"].(string)
	round := `{"messages":[{"role":"user","content":[{"text":"Use get_time."}]},
	  {"role":"assistant","content":[{"toolUse":{"toolUseId":"` + id + `","name":"get_time","input":{}}}]},
	  {"role":"user","content":[{"toolResult":{"toolUseId":"` + id + `","content":[{"text":"12:00"}]}}]}],` + tools + `}`
	if status, out, raw := converseRaw(t, hs, "amazon.nova-lite-v1:0", round); status != 200 || out["stopReason"] != "end_turn" || kindsOf(blocksOf(t, out)) != "text" {
		t.Errorf("tool round trip: %d %s", status, raw)
	}
}

func TestStopSequenceAndResponseFields(t *testing.T) {
	_, hs := start(t, nil)
	status, out, raw := converseRaw(t, hs, claude, `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"stopSequences":["You wrote"]},"additionalModelResponseFieldPaths":["/stop_sequence"]}`)
	if status != 200 || out["stopReason"] != "stop_sequence" {
		t.Fatalf("%d %s", status, raw)
	}
	text := blocksOf(t, out)[0]["text"].(string)
	if strings.Contains(text, "You wrote") || text == "" {
		t.Errorf("text not cut before the stop sequence: %q", text)
	}
	if f, _ := out["additionalModelResponseFields"].(map[string]any); f["stop_sequence"] != "You wrote" {
		t.Errorf("additionalModelResponseFields: %s", raw)
	}
	_, out, raw = converseRaw(t, hs, claude, `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":3}}`)
	if out["stopReason"] != "max_tokens" || len(strings.Fields(blocksOf(t, out)[0]["text"].(string))) != 3 {
		t.Errorf("maxTokens 3: %s", raw)
	}
}

func TestPromptCacheUsage(t *testing.T) {
	_, hs := start(t, nil)
	// About 4,350 tokens: above Claude Haiku 4.5's minimum of 4,096 per
	// cache checkpoint (TestPromptCacheMinimum checks the minimum itself).
	system := strings.Repeat("You are a careful assistant. ", 600)
	body := func(q string) string {
		return `{"system":[{"text":"` + system + `"},{"cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"` + q + `"}]}]}`
	}
	usage := func(raw string) map[string]any {
		var out map[string]any
		_ = json.Unmarshal([]byte(raw), &out)
		u, _ := out["usage"].(map[string]any)
		return u
	}
	_, _, first := converseRaw(t, hs, claude, body("first question"))
	_, _, second := converseRaw(t, hs, claude, body("another question"))
	u1, u2 := usage(first), usage(second)
	if u1["cacheWriteInputTokens"].(float64) == 0 || u1["cacheReadInputTokens"].(float64) != 0 {
		t.Errorf("first call should write the prefix: %v", u1)
	}
	if u2["cacheReadInputTokens"] != u1["cacheWriteInputTokens"] || u2["cacheWriteInputTokens"].(float64) != 0 {
		t.Errorf("the repeat should read what the first wrote: %v then %v", u1, u2)
	}
	if u2["totalTokens"].(float64) != u2["inputTokens"].(float64)+u2["outputTokens"].(float64)+u2["cacheReadInputTokens"].(float64) {
		t.Errorf("total: %v", u2)
	}
	_, _, plain := converseRaw(t, hs, "amazon.nova-micro-v1:0", `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`)
	if _, ok := usage(plain)["cacheReadInputTokens"]; ok {
		t.Errorf("no cache point, no cache fields: %s", plain)
	}
}

func TestGuardrails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guardrail.json")
	if err := os.WriteFile(path, []byte(`{"id":"gr-demo","version":"1","deniedWords":["password"],"deniedTopics":[{"name":"Investments","examples":["which stocks"]}],"blockedInputMessaging":"Sorry, I can't help with that."}`), 0o600); err != nil {
		t.Fatal(err)
	}
	gs, err := LoadGuardrails(path)
	if err != nil {
		t.Fatal(err)
	}
	_, hs := start(t, &Options{Guardrails: gs})
	req := func(text, trace string) string {
		return `{"messages":[{"role":"user","content":[{"text":"` + text + `"}]}],"guardrailConfig":{"guardrailIdentifier":"gr-demo","guardrailVersion":"1"` + trace + `}}`
	}
	status, out, raw := converseRaw(t, hs, "amazon.nova-micro-v1:0", req("What is my PASSWORD?", `,"trace":"enabled"`))
	if status != 200 || out["stopReason"] != "guardrail_intervened" || blocksOf(t, out)[0]["text"] != "Sorry, I can't help with that." {
		t.Fatalf("%d %s", status, raw)
	}
	if !strings.Contains(raw, `"customWords":[{"action":"BLOCKED","detected":true,"match":"password"}]`) || !strings.Contains(raw, `"guardrailArn":"arn:aws:bedrock:us-east-1:111122223333:guardrail/gr-demo"`) {
		t.Errorf("trace: %s", raw)
	}
	if _, out, raw := converseRaw(t, hs, "amazon.nova-micro-v1:0", req("Tell me which stocks to buy", "")); out["stopReason"] != "guardrail_intervened" || out["trace"] != nil {
		t.Errorf("denied topic, no trace asked: %s", raw)
	}
	if _, out, raw := converseRaw(t, hs, "amazon.nova-micro-v1:0", req("Hello", `,"trace":"enabled"`)); out["stopReason"] != "end_turn" || !strings.Contains(raw, `"actionReason":"No action."`) {
		t.Errorf("clean input: %s", raw)
	}
	status, _, raw = converseRaw(t, hs, "amazon.nova-micro-v1:0", `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"guardrailConfig":{"guardrailIdentifier":"nope","guardrailVersion":"1"}}`)
	if status != 400 || !strings.Contains(raw, "guardrail identifier or version") {
		t.Errorf("unknown guardrail: %d %s", status, raw)
	}
	for _, bad := range []string{`{}`, `{"id":"x"}`, `[{"id":"x","deniedWords":["a"],"extra":1}]`, `{"id":`} {
		if _, err := ParseGuardrails("g.json", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "g.json:") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestStreamShapes: reasoning deltas in their own block, then a
// signature delta; text deltas of one to four words; tool input deltas
// after a contentBlockStart, starting with an empty one.
func TestStreamShapes(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	fields, _ := jsonDoc(`{"thinking":{"type":"enabled","budget_tokens":1024}}`)
	out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(claude),
		Messages:                     []types.Message{userText("Explain in detail why the sea is salty, with all the steps you know of.")},
		AdditionalModelRequestFields: fields})
	if err != nil {
		t.Fatal(err)
	}
	var reasoning, signature, text strings.Builder
	deltas := map[int32]int{}
	stops := 0
	for ev := range out.GetStream().Events() {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			deltas[*e.Value.ContentBlockIndex]++
			switch d := e.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberReasoningContent:
				if *e.Value.ContentBlockIndex != 0 {
					t.Errorf("reasoning in block %d", *e.Value.ContentBlockIndex)
				}
				switch r := d.Value.(type) {
				case *types.ReasoningContentBlockDeltaMemberText:
					reasoning.WriteString(r.Value)
				case *types.ReasoningContentBlockDeltaMemberSignature:
					signature.WriteString(r.Value)
				}
			case *types.ContentBlockDeltaMemberText:
				if *e.Value.ContentBlockIndex != 1 {
					t.Errorf("text in block %d", *e.Value.ContentBlockIndex)
				}
				if n := len(strings.Fields(d.Value)); n < 1 || n > 4 {
					t.Errorf("a text delta of %d words: %q", n, d.Value)
				}
				text.WriteString(d.Value)
			}
		case *types.ConverseStreamOutputMemberContentBlockStop:
			stops++
		}
	}
	if err := out.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	if reasoning.Len() == 0 || !strings.HasPrefix(signature.String(), "RW11U2ln") || stops != 2 || deltas[1] < 5 {
		t.Errorf("reasoning %q, signature %q, %d stops, deltas %v", reasoning.String(), signature.String(), stops, deltas)
	}
	want, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(claude),
		Messages:                     []types.Message{userText("Explain in detail why the sea is salty, with all the steps you know of.")},
		AdditionalModelRequestFields: fields})
	if err != nil {
		t.Fatal(err)
	}
	msg := want.Output.(*types.ConverseOutputMemberMessage).Value
	if got := msg.Content[1].(*types.ContentBlockMemberText).Value; got != text.String() {
		t.Errorf("stream text %q, Converse text %q", text.String(), got)
	}
}

// TestStructuredOutput: a Converse call with outputConfig.textFormat (the
// schema from the real capture converse-mistral-large-output-config-ok),
// through the unmodified SDK, answers text that is a JSON object with the
// schema's required properties, of their types; ConverseStream streams
// the same text.
func TestStructuredOutput(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	schema := `{"additionalProperties": false, "properties": {"city": {"type": "string"}, "country": {"type": "string"}, "population": {"type": "integer"}}, "required": ["city", "country", "population"], "type": "object"}`
	oc := &types.OutputConfig{TextFormat: &types.OutputFormat{Type: types.OutputFormatTypeJsonSchema,
		Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{Name: aws.String("CityInfo"), Schema: aws.String(schema)}}}}
	msgs := []types.Message{userText("What is the capital of France? Give me the city name, country, and population.")}
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: msgs, OutputConfig: oc})
	if err != nil {
		t.Fatal(err)
	}
	text := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
	var got map[string]any
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		t.Fatalf("the answer is not JSON: %q (%v)", text, err)
	}
	if _, ok := got["city"].(string); !ok || len(got) != 3 {
		t.Errorf("answer %q does not fit the schema", text)
	}
	if _, ok := got["population"].(float64); !ok {
		t.Errorf("population is not a number: %q", text)
	}
	if out.StopReason != types.StopReasonEndTurn {
		t.Errorf("stop reason %s", out.StopReason)
	}
	st, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: msgs, OutputConfig: oc})
	if err != nil {
		t.Fatal(err)
	}
	var streamed strings.Builder
	for ev := range st.GetStream().Events() {
		if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			if tx, ok := d.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
				streamed.WriteString(tx.Value)
			}
		}
	}
	if err := st.GetStream().Close(); err != nil {
		t.Fatal(err)
	}
	if streamed.String() != text {
		t.Errorf("streamed %q, answered %q", streamed.String(), text)
	}
}

// TestStructuredOutputNativeAnthropic: Claude's own output_config.format
// in additionalModelRequestFields (the body the Vercel AI SDK's
// generateObject sends for Claude Opus 4.6 and Sonnet 4.5) is answered
// with JSON text that fits the schema, as outputConfig is; the models of
// other providers do not read Anthropic's field.
func TestStructuredOutputNativeAnthropic(t *testing.T) {
	_, hs := start(t, nil)
	body := `{"system":[],"messages":[{"role":"user","content":[{"text":"The largest city of Peru"}]}],"additionalModelRequestFields":{"output_config":{"format":{"type":"json_schema","schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer","description":"minimum: -9007199254740991; maximum: 9007199254740991."}},"additionalProperties":false,"required":["city","population"]}}}},"additionalModelResponseFieldPaths":["/delta/stop_sequence"]}`
	for _, model := range []string{"us.anthropic.claude-opus-4-6-v1", claude} {
		status, out, raw := converseRaw(t, hs, model, body)
		blocks := blocksOf(t, out)
		if status != 200 || len(blocks) != 1 || out["stopReason"] != "end_turn" {
			t.Fatalf("%s: %d %s", model, status, raw)
		}
		var got struct {
			City       *string
			Population *int
		}
		text, _ := blocks[0]["text"].(string)
		if err := json.Unmarshal([]byte(text), &got); err != nil || got.City == nil || got.Population == nil {
			t.Errorf("%s: answer %q does not fit the schema (%v)", model, text, err)
		}
	}
	_, out, raw := converseRaw(t, hs, "amazon.nova-micro-v1:0", strings.Replace(body, `,"additionalModelResponseFieldPaths":["/delta/stop_sequence"]`, "", 1))
	if text, _ := blocksOf(t, out)[0]["text"].(string); json.Valid([]byte(text)) {
		t.Errorf("Nova read Anthropic's output_config: %s", raw)
	}
}

// TestStopSequenceWhereClientsReadIt: the stop sequence that cut an answer
// comes back where clients read it. A response field path comes back at
// the place it names ("/delta/stop_sequence", which the Vercel AI SDK asks
// for on Anthropic models, as {"delta":{"stop_sequence":...}}, streamed
// and not); Anthropic Messages bodies carry it in stop_sequence.
func TestStopSequenceWhereClientsReadIt(t *testing.T) {
	_, hs := start(t, nil)
	const stop = `"inferenceConfig":{"stopSequences":["You wrote"]}`
	for _, tc := range []struct{ body, want string }{
		{`{"messages":[{"role":"user","content":[{"text":"hi"}]}],` + stop + `,"additionalModelResponseFieldPaths":["/delta/stop_sequence"]}`, `{"delta":{"stop_sequence":"You wrote"}}`},
		{`{"messages":[{"role":"user","content":[{"text":"hi"}]}],"additionalModelResponseFieldPaths":["/delta/stop_sequence"]}`, `{"delta":{"stop_sequence":null}}`},
		{`{"messages":[{"role":"user","content":[{"text":"hi"}]}],` + stop + `,"additionalModelResponseFieldPaths":["/stop_sequence","/delta/stop_reason"]}`, `{"delta":{"stop_reason":"stop_sequence"},"stop_sequence":"You wrote"}`},
	} {
		_, out, raw := converseRaw(t, hs, claude, tc.body)
		got, _ := json.Marshal(out["additionalModelResponseFields"])
		if string(got) != tc.want {
			t.Errorf("additionalModelResponseFields %s, want %s (%s)", got, tc.want, raw)
		}
	}

	c := runtimeClient(hs, "us-east-1")
	stream, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(claude), Messages: []types.Message{userText("hi")},
		InferenceConfig: &types.InferenceConfiguration{StopSequences: []string{"You wrote"}}, AdditionalModelResponseFieldPaths: []string{"/delta/stop_sequence"}})
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	for ev := range stream.GetStream().Events() {
		if e, ok := ev.(*types.ConverseStreamOutputMemberMessageStop); ok && e.Value.AdditionalModelResponseFields != nil {
			if err := e.Value.AdditionalModelResponseFields.UnmarshalSmithyDocument(&fields); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d, _ := fields["delta"].(map[string]any); d["stop_sequence"] != "You wrote" {
		t.Errorf("messageStop additionalModelResponseFields %v, want delta.stop_sequence", fields)
	}

	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"stop_sequences":["You wrote"],"messages":[{"role":"user","content":"hi"}]}`)
	plain, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(claude), Body: body, ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(plain.Body, &m); err != nil || m["stop_reason"] != "stop_sequence" || m["stop_sequence"] != "You wrote" {
		t.Errorf("InvokeModel: %s", plain.Body)
	}
	out, err := c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(claude), Body: body, ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatal(err)
	}
	var delta map[string]any
	for ev := range out.GetStream().Events() {
		var e map[string]any
		if chunk, ok := ev.(*types.ResponseStreamMemberChunk); ok && json.Unmarshal(chunk.Value.Bytes, &e) == nil && e["type"] == "message_delta" {
			delta, _ = e["delta"].(map[string]any)
		}
	}
	if delta["stop_reason"] != "stop_sequence" || delta["stop_sequence"] != "You wrote" {
		t.Errorf("message_delta %v", delta)
	}
}

// TestRefusalsAsBedrockWordsThem: the emulator validates with
// converse.Validate, so it answers what Bedrock answered: V-19 at the
// first user turn when parallel results are split across two user turns
// (genkit-ai/aws-bedrock-js-plugin #664; it answered V-20 at the second),
// and V-42 for an image sent to a text-only model (gpt-oss) or inside a
// tool result for an OpenAI model (anomalyco/opencode #49443).
func TestRefusalsAsBedrockWordsThem(t *testing.T) {
	_, hs := start(t, nil)
	const tools = `"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`
	const image = `{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}`
	for _, tc := range []struct{ name, model, body, want string }{
		{"split results", claude, `{"messages":[{"role":"user","content":[{"text":"do it"}]},
{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_a","name":"f","input":{}}},{"toolUse":{"toolUseId":"tooluse_b","name":"f","input":{}}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_a","content":[{"text":"1"}]}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_b","content":[{"text":"2"}]}}]}],` + tools + `}`,
			"Expected toolResult blocks at messages.2.content for the following Ids: tooluse_b"},
		{"image for gpt-oss", "openai.gpt-oss-120b-1:0", `{"messages":[{"role":"user","content":[{"text":"what is it"},` + image + `]}]}`,
			"This model doesn't support the image field for user messages. Remove image and try again."},
	} {
		status, out, raw := converseRaw(t, hs, tc.model, tc.body)
		if status != 400 || out["message"] != tc.want {
			t.Errorf("%s: %d %s\nwant 400 %s", tc.name, status, raw, tc.want)
		}
	}
}
