package normalize_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

const testModel = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

// emulatorClient starts the bundled emulator in-process on 127.0.0.1 and
// returns a client for it with the given options.
func emulatorClient(t testing.TB, optFns ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	t.Helper()
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	// sdkhttp.PlainBody: the SDK's HTTP/1.1 stream race, as in the emulator's tests.
	return bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		HTTPClient: &http.Client{Transport: sdkhttp.PlainBody{RoundTripper: hs.Client().Transport}},
		Retryer:    aws.NopRetryer{}, Credentials: emulator.DefaultCredentials.Provider()}, optFns...)
}

func text(role types.ConversationRole, s string) types.Message {
	return types.Message{Role: role, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// brokenInput starts with the assistant and has two user turns in a row:
// the service rejects it.
func brokenInput() *bedrockruntime.ConverseInput {
	return &bedrockruntime.ConverseInput{ModelId: aws.String(testModel), Messages: []types.Message{
		text(types.ConversationRoleAssistant, "How can I help?"),
		text(types.ConversationRoleUser, "Book a table."),
		text(types.ConversationRoleUser, "For two, tonight."),
	}}
}

func TestClientRepairsAndReports(t *testing.T) {
	// Without the option the emulator rejects the history, as the service does.
	bare := emulatorClient(t)
	if _, err := bare.Converse(context.Background(), brokenInput()); err == nil || !strings.Contains(err.Error(), "A conversation must alternate between user and assistant roles") {
		t.Fatalf("bare call: %v", err)
	}

	var reports []normalize.Report
	var models []string
	c := emulatorClient(t, normalize.Client(normalize.ClientOptions{Report: func(_ context.Context, model string, rep normalize.Report) {
		models = append(models, model)
		reports = append(reports, rep)
	}}), explain.Middleware(nil))
	in := brokenInput()
	if _, err := c.Converse(context.Background(), in); err != nil {
		t.Fatalf("normalized call: %v", err)
	}
	if len(in.Messages) != 3 || in.Messages[0].Role != types.ConversationRoleAssistant {
		t.Fatal("the caller's input was modified")
	}
	stream, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, Messages: in.Messages})
	if err != nil {
		t.Fatalf("normalized stream call: %v", err)
	}
	for range stream.GetStream().Events() {
	}
	if err := stream.GetStream().Close(); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 {
		t.Fatalf("%d reports, want one per call", len(reports))
	}
	for i, rep := range reports {
		got := fmt.Sprint(rep.Codes())
		if got != "[turns-merged leading-assistant]" || models[i] != testModel {
			t.Errorf("call %d: report %s for %s", i, got, models[i])
		}
	}
}

func TestClientStrict(t *testing.T) {
	var reported int
	c := emulatorClient(t, explain.Middleware(nil), normalize.Client(normalize.ClientOptions{Strict: true,
		Report: func(context.Context, string, normalize.Report) { reported++ }}))
	_, err := c.Converse(context.Background(), brokenInput())
	var se *normalize.StrictError
	var v *converse.Violation
	var ee *explain.Error
	if !errors.As(err, &se) || !errors.As(err, &v) || !errors.As(err, &ee) {
		t.Fatalf("strict error %T %v: want a StrictError unwrapping to a Violation, explained", err, err)
	}
	if v.Rule.ID != "V-2" || len(se.Report.Changes) == 0 || reported != 1 {
		t.Errorf("violation %s, %d repairs listed, %d reports", v.Rule.ID, len(se.Report.Changes), reported)
	}
	// A valid input goes through strict mode as it is.
	ok := &bedrockruntime.ConverseInput{ModelId: aws.String(testModel), Messages: []types.Message{text(types.ConversationRoleUser, "Hi")}}
	if _, err := c.Converse(context.Background(), ok); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
}

func TestClientLeavesOtherOperations(t *testing.T) {
	called := 0
	c := emulatorClient(t, normalize.Client(normalize.ClientOptions{Report: func(context.Context, string, normalize.Report) { called++ }}))
	_, _ = c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(testModel), Body: []byte(`{}`)})
	if called != 0 {
		t.Fatalf("InvokeModel was normalized")
	}
}

// twentyTurns is a valid 20-turn history with tool use: the middleware's
// cost is measured on what it sees on every call of a real application.
func twentyTurns() *bedrockruntime.ConverseInput {
	schema := map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(testModel),
		System: []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "You are a travel assistant."}},
		ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
			Name: aws.String("weather"), InputSchema: &types.ToolInputSchemaMemberJson{Value: docOf(schema)}}}}},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(256)},
	}
	for i := range 4 {
		id := fmt.Sprintf("tooluse_%d", i)
		in.Messages = append(in.Messages,
			text(types.ConversationRoleUser, fmt.Sprintf("What is the weather in city %d?", i)),
			types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{
				&types.ContentBlockMemberText{Value: "Let me check."},
				&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String(id), Name: aws.String("weather"), Input: docOf(map[string]any{"city": fmt.Sprint(i)})}}}},
			types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
				&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String(id), Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "Sunny, 21 C."}}}}}},
			text(types.ConversationRoleAssistant, fmt.Sprintf("It is sunny in city %d.", i)),
		)
	}
	// Four plain turns end the history on a user question answered in
	// text, as a chat does between tool rounds.
	in.Messages = append(in.Messages,
		text(types.ConversationRoleUser, "Which city was warmest?"),
		text(types.ConversationRoleAssistant, "They were all 21 C."),
		text(types.ConversationRoleUser, "Plan a route through them."),
		text(types.ConversationRoleAssistant, "Start in city 0,"))
	return in
}

// BenchmarkClient compares a Converse call to the in-process emulator
// with and without the normalizing middleware, on a 20-turn history.
// The ratio is normalized ns/op over bare ns/op; normalize-only is the
// middleware's own work without a call.
func BenchmarkClient(b *testing.B) {
	in := twentyTurns()
	if len(in.Messages) != 20 {
		b.Fatalf("%d turns", len(in.Messages))
	}
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		opts []func(*bedrockruntime.Options)
	}{
		{"bare", nil},
		{"normalized", []func(*bedrockruntime.Options){normalize.Client(normalize.ClientOptions{})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := emulatorClient(b, bc.opts...)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Converse(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Interleaved: each iteration makes one bare and one normalized call,
	// so load on a shared machine affects both alike; the ratio is the
	// figure to quote.
	b.Run("interleaved", func(b *testing.B) {
		bare := emulatorClient(b)
		norm := emulatorClient(b, normalize.Client(normalize.ClientOptions{}))
		var tb, tn time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := bare.Converse(ctx, in); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, err := norm.Converse(ctx, in); err != nil {
				b.Fatal(err)
			}
			tb, tn = tb+t1.Sub(t0), tn+time.Since(t1)
		}
		b.ReportMetric(float64(tb.Nanoseconds())/float64(b.N), "bare-ns/call")
		b.ReportMetric(float64(tn.Nanoseconds())/float64(b.N), "normalized-ns/call")
		b.ReportMetric(float64(tn)/float64(tb), "ratio")
	})
	b.Run("normalize-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := normalize.ConverseInput(in, normalize.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestClientNilEntries: the SDK leaves a nil entry of a list out of the
// request it sends, so a call holding one succeeds without the option; it
// must succeed with it, and the caller's input keep its nil entries.
func TestClientNilEntries(t *testing.T) {
	valid := func() *bedrockruntime.ConverseInput {
		return &bedrockruntime.ConverseInput{ModelId: aws.String(testModel),
			System: []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "You are terse."}},
			Messages: []types.Message{
				text(types.ConversationRoleUser, "Weather?"),
				{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
					ToolUseId: aws.String("t1"), Name: aws.String("weather"), Input: docOf(map[string]any{"city": "Paris"})}}}},
				{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
					ToolUseId: aws.String("t1"), Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "Sunny."}}}}}},
			},
			ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name: aws.String("weather"), InputSchema: &types.ToolInputSchemaMemberJson{Value: docOf(map[string]any{"type": "object"})}}}}},
		}
	}
	for name, mod := range map[string]func(*bedrockruntime.ConverseInput){
		"content block": func(in *bedrockruntime.ConverseInput) {
			in.Messages[0].Content = append([]types.ContentBlock{nil}, in.Messages[0].Content...)
		},
		"system block": func(in *bedrockruntime.ConverseInput) { in.System = append(in.System, nil) },
		"tool":         func(in *bedrockruntime.ConverseInput) { in.ToolConfig.Tools = append(in.ToolConfig.Tools, nil) },
		"tool result content": func(in *bedrockruntime.ConverseInput) {
			tr := in.Messages[2].Content[0].(*types.ContentBlockMemberToolResult)
			tr.Value.Content = append(tr.Value.Content, nil)
		},
		"and a broken history": func(in *bedrockruntime.ConverseInput) {
			in.Messages = append([]types.Message{text(types.ConversationRoleAssistant, "Hello."), {Role: types.ConversationRoleUser, Content: []types.ContentBlock{nil}}}, in.Messages...)
		},
	} {
		for _, strict := range []bool{false, true} {
			if strict && name == "and a broken history" {
				continue
			}
			in := valid()
			mod(in)
			if _, err := emulatorClient(t).Converse(context.Background(), in); err != nil && name != "and a broken history" {
				t.Fatalf("%s: bare call: %v", name, err)
			}
			want := fmt.Sprintf("%#v", in)
			var reports int
			c := emulatorClient(t, normalize.Client(normalize.ClientOptions{Strict: strict, Report: func(context.Context, string, normalize.Report) { reports++ }}))
			if _, err := c.Converse(context.Background(), in); err != nil {
				t.Errorf("%s (strict %v): %v", name, strict, err)
			}
			st, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, Messages: in.Messages, System: in.System, ToolConfig: in.ToolConfig})
			if err != nil {
				t.Errorf("%s (strict %v), stream: %v", name, strict, err)
			} else {
				for range st.GetStream().Events() {
				}
				if err := st.GetStream().Close(); err != nil {
					t.Error(err)
				}
			}
			if got := fmt.Sprintf("%#v", in); got != want {
				t.Errorf("%s: the caller's input was modified", name)
			}
			if reports != 2 {
				t.Errorf("%s: %d reports for two calls", name, reports)
			}
		}
	}
}

// TestClientOnce: the option given twice, to the client and to one call,
// or twice to the client, runs once per call, as the last one given:
// a call's own options replace the client's.
func TestClientOnce(t *testing.T) {
	var clientReports, callReports int
	c := emulatorClient(t, normalize.Client(normalize.ClientOptions{Report: func(context.Context, string, normalize.Report) { clientReports++ }}))
	_, err := c.Converse(context.Background(), brokenInput(), normalize.Client(normalize.ClientOptions{Strict: true,
		Report: func(context.Context, string, normalize.Report) { callReports++ }}))
	var se *normalize.StrictError
	if !errors.As(err, &se) {
		t.Errorf("a strict call on a lenient client: %v, want a *normalize.StrictError", err)
	}
	if clientReports != 0 || callReports != 1 {
		t.Errorf("%d reports to the client's callback, %d to the call's; want 0 and 1", clientReports, callReports)
	}

	var reports []normalize.Report
	report := func(_ context.Context, _ string, rep normalize.Report) { reports = append(reports, rep) }
	twice := emulatorClient(t, normalize.Client(normalize.ClientOptions{Report: report}), normalize.Client(normalize.ClientOptions{Report: report}))
	if _, err := twice.Converse(context.Background(), brokenInput()); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || len(reports[0].Changes) == 0 {
		t.Errorf("option given twice: %d reports (%v), want one with the repairs", len(reports), reports)
	}
}

// TestClientShared: one client and one input shared by 50 goroutines (run
// with -race): every call is repaired and reported once, and the input is
// left as it was. Streams are not shared here: the SDK's event stream
// decoder is shared by a client's open streams (aws/smithy-go#714), which
// -race reports without the option too.
func TestClientShared(t *testing.T) {
	var reports atomic.Int64
	c := emulatorClient(t, normalize.Client(normalize.ClientOptions{Report: func(_ context.Context, _ string, rep normalize.Report) {
		if len(rep.Changes) == 0 {
			t.Error("an empty report for a broken input")
		}
		reports.Add(1)
	}}))
	in := twentyTurns()
	in.Messages = append([]types.Message{text(types.ConversationRoleAssistant, "Hello.")}, in.Messages...)
	want := fmt.Sprintf("%#v", in.Messages)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 4 {
				if _, err := c.Converse(context.Background(), in); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := fmt.Sprintf("%#v", in.Messages); got != want {
		t.Error("the shared input was modified")
	}
	if n := reports.Load(); n != 200 {
		t.Errorf("%d reports for 200 calls", n)
	}
}

// TestClientOpaqueModelFields: additionalModelRequestFields that are not
// a JSON object hold no thinking to read; the call goes out with them as
// it does without the option, and the service answers it.
func TestClientOpaqueModelFields(t *testing.T) {
	for _, v := range []any{"fast", []any{1.0}, 3.0, true} {
		in := brokenInput()
		in.AdditionalModelRequestFields = document.NewLazyDocument(v)
		if _, _, err := normalize.ConverseInput(in, normalize.Options{}); err != nil {
			t.Errorf("ConverseInput, fields %v: %v", v, err)
		}
		in.Messages = in.Messages[1:2]
		if _, err := emulatorClient(t).Converse(context.Background(), in); err != nil {
			t.Fatalf("bare call, fields %v: %v", v, err)
		}
		for _, strict := range []bool{false, true} {
			if _, err := emulatorClient(t, normalize.Client(normalize.ClientOptions{Strict: strict})).Converse(context.Background(), in); err != nil {
				t.Errorf("fields %v, strict %v: %v", v, strict, err)
			}
		}
	}
}

// capture is a server that records each request body and answers 500 the
// first fail times, then a minimal Converse answer.
type capture struct {
	mu     sync.Mutex
	bodies []string
	fail   int
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.bodies = append(c.bodies, string(b))
	n := len(c.bodies)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n <= c.fail {
		w.Header().Set("X-Amzn-Errortype", "InternalServerException")
		w.WriteHeader(500)
		io.WriteString(w, `{"message":"boom"}`)
		return
	}
	io.WriteString(w, `{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}`)
}

func captureClient(t *testing.T, c *capture, optFns ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	hs := httptest.NewServer(c)
	t.Cleanup(hs.Close)
	return bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		HTTPClient: hs.Client(), RetryMaxAttempts: 3, Credentials: emulator.DefaultCredentials.Provider()}, optFns...)
}

func sendBody(t *testing.T, in *bedrockruntime.ConverseInput, optFns ...func(*bedrockruntime.Options)) []string {
	t.Helper()
	c := &capture{}
	_, err := captureClient(t, c, optFns...).Converse(context.Background(), in)
	if err != nil {
		t.Logf("call: %v", err)
	}
	return c.bodies
}

// TestClientLeavesPromptManagementCallsAlone: a call whose ModelId is a
// prompt of Prompt management, with its variables and no messages, or
// messages appended to the prompt's that start with the assistant. AWS
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
// "If you use a prompt from Prompt management, you can't include the
// following fields in the request: additionalModelRequestFields,
// inferenceConfig, system, or toolConfig", "You can append more messages
// to the prompt by using the messages field", and promptVariables apply
// only with a prompt ARN (converse-contract.md, ConverseRequest). The
// call goes out as it came, Converse and ConverseStream, in strict mode
// too, with an empty report; normalize.ConverseInput returns it as it
// came. Before, a placeholder user turn "." was put first (or added),
// a turn the prompt did not have, and strict mode refused the call.
func TestClientLeavesPromptManagementCallsAlone(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT1234:1",
		"arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT1234",
	} {
		for name, msgs := range map[string][]types.Message{
			"no messages": nil,
			"appended assistant+user": {
				text(types.ConversationRoleAssistant, "Here is the draft."),
				text(types.ConversationRoleUser, "Shorter, please."),
			},
		} {
			vars := map[string]types.PromptVariableValues{"topic": &types.PromptVariableValuesMemberText{Value: "tea"}}
			in := &bedrockruntime.ConverseInput{ModelId: aws.String(arn), Messages: msgs, PromptVariables: vars}
			bare := sendBody(t, in)
			for _, strict := range []bool{false, true} {
				rep := normalize.Report{Changes: []normalize.Change{{Code: "not called"}}}
				with := sendBody(t, in, normalize.Client(normalize.ClientOptions{Strict: strict, Report: func(_ context.Context, _ string, r normalize.Report) { rep = r }}))
				if len(bare) == 0 || len(with) == 0 || bare[0] != with[0] || len(rep.Changes) != 0 {
					t.Errorf("%s, %s, strict %v: a prompt-management call was changed:\nbare: %v\nwith: %v\nreport: %v", arn, name, strict, bare, with, rep.Changes)
				}
			}
			c := &capture{}
			var rep normalize.Report
			stream, err := captureClient(t, c, normalize.Client(normalize.ClientOptions{Report: func(_ context.Context, _ string, r normalize.Report) { rep = r }})).
				ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(arn), Messages: msgs, PromptVariables: vars})
			if err == nil {
				stream.GetStream().Close()
			}
			if len(c.bodies) == 0 || c.bodies[0] != bare[0] || len(rep.Changes) != 0 {
				t.Errorf("%s, %s: ConverseStream sent %v, report %v; want %s", arn, name, c.bodies, rep.Changes, bare[0])
			}
			out, rep, err := normalize.ConverseInput(in, normalize.Options{})
			if err != nil || len(rep.Changes) != 0 || len(out.Messages) != len(msgs) {
				t.Errorf("%s, %s: ConverseInput: %d messages, report %v, %v", arn, name, len(out.Messages), rep.Changes, err)
			}
		}
	}
	// Not a prompt: the model id of a foundation model, an application
	// inference profile, a prompt router; the empty conversation is
	// repaired as before.
	for _, id := range []string{testModel, "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
		"arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1"} {
		_, rep, err := normalize.ConverseInput(&bedrockruntime.ConverseInput{ModelId: aws.String(id)}, normalize.Options{})
		if err != nil || len(rep.Changes) != 1 || rep.Changes[0].Code != normalize.EmptyConversation {
			t.Errorf("%s with no messages: report %v, %v; want the placeholder turn", id, rep.Changes, err)
		}
	}
}

// The SDK retries a 500: the body sent on each attempt is the same, and
// the report is made once.
func TestClientNormalizesOncePerCallNotPerAttempt(t *testing.T) {
	c := &capture{fail: 2}
	n := 0
	cl := captureClient(t, c, normalize.Client(normalize.ClientOptions{Report: func(context.Context, string, normalize.Report) { n++ }}))
	if _, err := cl.Converse(context.Background(), brokenInput()); err != nil {
		t.Fatal(err)
	}
	if len(c.bodies) != 3 || c.bodies[0] != c.bodies[1] || c.bodies[1] != c.bodies[2] || n != 1 {
		t.Fatalf("attempts %d, reports %d, bodies %q", len(c.bodies), n, c.bodies)
	}
}

// A valid input goes out byte for byte as without the option.
func TestClientSendsAValidInputByteForByte(t *testing.T) {
	temp := float32(0.7)
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(testModel),
		System:                       []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be terse."}},
		InferenceConfig:              &types.InferenceConfiguration{Temperature: &temp, MaxTokens: aws.Int32(100), StopSequences: []string{"\n\n"}},
		AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"top_k": 5}),
		Messages: []types.Message{
			text(types.ConversationRoleUser, "Hi \u2028 <b>&</b>"),
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("t1"), Name: aws.String("f"), Input: document.NewLazyDocument(map[string]any{"b": 1.50, "a": []any{}})}}}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("t1"), Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(map[string]any{"x": 1e21})}}}}}},
		},
		ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("f"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}},
	}
	bare := sendBody(t, in)
	var rep normalize.Report
	with := sendBody(t, in, normalize.Client(normalize.ClientOptions{Report: func(_ context.Context, _ string, r normalize.Report) { rep = r }}))
	if len(bare) != 1 || len(with) != 1 || bare[0] != with[0] {
		t.Fatalf("valid input changed on the wire:\nbare %s\nwith %s\nreport %v", bare, with, rep.Changes)
	}
}

// TestClientModelFieldsAreCaseSensitive: the names in
// additionalModelRequestFields are read as Bedrock's providers read them,
// case-sensitively. The SDK's document encoder ignores json tags, so a Go
// struct without explicit lower-case keys sends "Thinking", which is not
// Anthropic's "thinking": the call is not a thinking call, and there is
// nothing to repair. Before, encoding/json read "Thinking" as "thinking",
// the validator held the call to the thinking rules (V-52: the final turn
// does not open with its thinking), the repair, which removes the member
// "thinking", found none, and the call failed with the normalizer's
// "still breaks the contract" error, without reaching the service.
func TestClientModelFieldsAreCaseSensitive(t *testing.T) {
	type thinking struct {
		Type         string
		BudgetTokens int
	}
	fields := struct{ Thinking thinking }{thinking{Type: "enabled", BudgetTokens: 2048}}
	c := emulatorClient(t, normalize.Client(normalize.ClientOptions{}))
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("f"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}}
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(testModel),
		Messages: []types.Message{
			text(types.ConversationRoleUser, "Hi"),
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Checking."},
				&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("t1"), Name: aws.String("f"), Input: document.NewLazyDocument(map[string]any{})}}}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("t1"),
				Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "done"}}}}}},
		},
		ToolConfig:                   tools,
		AdditionalModelRequestFields: document.NewLazyDocument(fields),
	})
	if err != nil {
		t.Fatalf("a call whose fields say \"Thinking\": %v", err)
	}
}
