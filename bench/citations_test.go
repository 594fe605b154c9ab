package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/explain"
)

// citationsAnswer is the answer Claude Sonnet 4.5 gave on Bedrock to a
// document with citations enabled (realwire converse-citations-ok): one
// citationsContent block and nothing else.
const citationsAnswer = `{"metrics":{"latencyMs":1569},"output":{"message":{"content":[{"citationsContent":{"citations":[{"location":{"documentChar":{"documentIndex":0,"end":47,"start":0}},"sourceContent":[{"text":"The return window is thirty days from purchase."}],"title":"Document 1"}],"content":[{"text":"The return window is thirty days from purchase."}]}}],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":583,"outputTokens":28,"totalTokens":611}}`

// TestCallCountsCitedText: the text of a citationsContent block is the
// answer's text; before, an answer that only cites was "an empty answer".
func TestCallCountsCitedText(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, citationsAnswer)
	}))
	defer hs.Close()
	client := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		})})
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}}}
	o := call(context.Background(), client, in, explain.Context{})
	if !o.OK || o.Text != "The return window is thirty days from purchase." {
		t.Errorf("outcome %+v, want the cited text", o)
	}
}
