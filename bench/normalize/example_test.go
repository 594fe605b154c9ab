package normalize_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
)

// An application repairs one SDK input before calling Converse. The
// input is left as it was; the family comes from the model id.
func ExampleConverseInput() {
	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String("us.anthropic.claude-sonnet-4-6"),
		Messages: []types.Message{
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Summarize the call."}}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "In one line."}}},
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Summary:"}}},
		},
		RequestMetadata: map[string]string{"tenant": "acme"},
	}
	out, rep, err := normalize.ConverseInput(in, normalize.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range rep.Changes {
		fmt.Println(c)
	}
	fmt.Println(len(in.Messages), "turns in,", len(out.Messages), "turns out; metadata", out.RequestMetadata["tenant"])
	// Output:
	// messages[1] turns-merged: merged into the user turn from messages[0]
	// messages[2] prefill-unsupported: the anthropic-no-prefill family rejects a final assistant turn; a placeholder user turn was appended
	// 3 turns in, 3 turns out; metadata acme
}

// A client normalizes every Converse and ConverseStream call and hands
// each report to a callback; explain.Middleware explains what still fails.
// Here the client talks to the bundled emulator.
func ExampleClient() {
	srv, err := emulator.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	client := bedrockruntime.New(bedrockruntime.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Credentials: emulator.DefaultCredentials.Provider()},
		normalize.Client(normalize.ClientOptions{
			Report: func(_ context.Context, model string, rep normalize.Report) {
				fmt.Println(model, rep.Codes())
			},
		}),
		explain.Middleware(nil),
	)
	_, err = client.Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
		Messages: []types.Message{
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Welcome back."}}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Where were we?"}}},
		},
	})
	fmt.Println("error:", err)
	// Output:
	// us.anthropic.claude-haiku-4-5-20251001-v1:0 [leading-assistant]
	// error: <nil>
}
