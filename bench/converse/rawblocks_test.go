package converse

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/google/go-cmp/cmp"
)

// citationsSession is a Converse body as an application resumes a
// citations session: a document with citations enabled, the model's
// citationsContent answer sent back, a document whose source is content
// chunks (DocumentSource content), then a search result (Bedrock API
// reference: ContentBlock "a block of content for a message that you
// pass to, or receive from, a model"; SearchResultBlock; CitationsConfig)
// in a user turn and in a tool result.
const citationsSession = `{"messages":[
 {"role":"user","content":[{"text":"What is the return window?"},{"document":{"name":"Policy","format":"txt","source":{"text":"The return window is thirty days from purchase."},"citations":{"enabled":true}}},{"document":{"name":"Leave","format":"txt","source":{"content":[{"text":"Employees get 20 days of annual leave."},{"text":"Ask your manager for details."}]},"context":"HR manual","citations":{"enabled":true}}}]},
 {"role":"assistant","content":[{"citationsContent":{"citations":[{"location":{"documentChar":{"documentIndex":0,"end":47,"start":0}},"sourceContent":[{"text":"The return window is thirty days from purchase."}],"title":"Policy"}],"content":[{"text":"The return window is thirty days from purchase."}]}},{"toolUse":{"toolUseId":"t1","name":"search","input":{"q":"exchanges"}}}]},
 {"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"searchResult":{"source":"https://example.com/exchanges","title":"Exchanges","content":[{"text":"Exchanges are free within 60 days."}],"citations":{"enabled":true}}}]}},
  {"searchResult":{"source":"kb://faq/7","title":"FAQ 7","content":[{"text":"Gift cards are final sale."},{"text":"Store credit never expires."}]}},{"text":"And exchanges?"}]}],
 "toolConfig":{"tools":[{"toolSpec":{"name":"search","inputSchema":{"json":{"type":"object"}}}}]}}`

// TestRawBlocksRoundTrip: searchResult, citationsContent and a
// document's citations setting decode into the wire model and encode
// back to the same JSON; before, the first two were left out of the
// model (a block with "no supported member set"), the document's
// citations were dropped, and so was a document's content source (its
// chunks), which left "source":{}.
func TestRawBlocksRoundTrip(t *testing.T) {
	var r Request
	if err := json.Unmarshal([]byte(citationsSession), &r); err != nil {
		t.Fatal(err)
	}
	if k := r.Messages[1].Content[0].Kind(); k != "citationsContent" {
		t.Errorf("assistant block kind %q, want citationsContent", k)
	}
	if k := r.Messages[2].Content[1].Kind(); k != "searchResult" {
		t.Errorf("user block kind %q, want searchResult", k)
	}
	if c := r.Messages[2].Content[0].ToolResult.Content[0]; c.SearchResult == nil {
		t.Errorf("tool result item lost its searchResult: %+v", c)
	}
	if d := r.Messages[0].Content[1].Document; d.Citations == nil || !d.Citations.Enabled {
		t.Errorf("document citations = %+v, want enabled", d.Citations)
	}
	got, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(decodeAny(t, []byte(citationsSession)), decodeAny(t, got)); diff != "" {
		t.Errorf("round trip changed the body (-in +out):\n%s", diff)
	}
}

// TestRawBlocksThroughSDK: the SDK input ToSDK builds from the blocks
// serializes, through a real client, to the body the wire model encodes;
// before, ToSDK failed ("content block ... is not supported").
func TestRawBlocksThroughSDK(t *testing.T) {
	var r Request
	if err := json.Unmarshal([]byte(citationsSession), &r); err != nil {
		t.Fatal(err)
	}
	want, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := r.ToSDK("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	if err != nil {
		t.Fatal(err)
	}
	var sent []byte
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		sent, _ = io.ReadAll(io.LimitReader(req.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}`)
	}))
	defer hs.Close()
	client := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		})})
	if _, err := client.Converse(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(decodeAny(t, want), decodeAny(t, sent)); diff != "" {
		t.Errorf("the SDK sent another body (-wire model +SDK):\n%s", diff)
	}
}

// TestRawBlocksToSDKRefusesUnknownMembers: a member of a search result
// or a citation the conversion has no place for is an error, not lost.
func TestRawBlocksToSDKRefusesUnknownMembers(t *testing.T) {
	for _, b := range []ContentBlock{
		{SearchResult: json.RawMessage(`{"source":"s","title":"t","content":[],"extra":1}`)},
		{CitationsContent: json.RawMessage(`{"content":[{"text":"a"}],"citations":[{"location":{"documentChar":{"documentIndex":0,"start":0,"end":1},"web":{"url":"u"}}}]}`)},
		{CitationsContent: json.RawMessage(`{"content":[{"image":{}}]}`)},
		{CitationsContent: json.RawMessage(`{"citations":[{"location":{"documentChar":{"searchResultIndex":0}}}]}`)},
	} {
		r := &Request{Messages: []Message{{Role: RoleUser, Content: []ContentBlock{b}}}}
		if _, err := r.ToSDK("m"); err == nil {
			raw, _ := json.Marshal(b)
			t.Errorf("%s converted without error", raw)
		}
	}
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}
