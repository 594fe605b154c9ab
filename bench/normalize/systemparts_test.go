package normalize

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestDroppedSystemPartIsNamed: the report names the system block it
// drops, with its article, and says why: a guardContent block on a family
// without system prompts (Titan, V-10), a block no Converse system block
// holds. Before, it read "system prompt holds a opaque part, which
// Converse system blocks cannot; dropped" for both.
func TestDroppedSystemPartIsNamed(t *testing.T) {
	titan, err := converse.LookupFamily("titan")
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.Decode("guard.json", []byte(`{"format":"converse","request":{"system":[{"text":"Be brief."},{"guardContent":{"text":{"text":"policy"}}}],"messages":[{"role":"user","content":[{"text":"hi"}]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, rep, err := Normalize(h, Options{Family: titan})
	if err != nil {
		t.Fatal(err)
	}
	want := "system prompt holds a guardContent block, which the titan family cannot take (it has no system prompt, V-10); dropped"
	if !reportedDetail(rep, MediaToText, want) {
		t.Errorf("report %v, want a note %q", rep.Changes, want)
	}
	// An SDK input whose system message holds a block no system block
	// takes (audio).
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-pro-v1:0"), Messages: []types.Message{
		{Role: "system", Content: []types.ContentBlock{&types.ContentBlockMemberAudio{Value: types.AudioBlock{Format: "mp3", Source: &types.AudioSourceMemberBytes{Value: []byte("ID3")}}}}},
		{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}},
	}}
	_, rep, _ = ConverseInput(in, Options{})
	if want := "system prompt holds an audio block, which Converse system blocks cannot hold; dropped"; !reportedDetail(rep, MediaToText, want) {
		t.Errorf("SDK audio in a system message: report %v, want a note %q", rep.Changes, want)
	}
}

// reportedDetail reports whether rep holds a change with code and detail.
func reportedDetail(rep Report, code Code, detail string) bool {
	for _, c := range rep.Changes {
		if c.Code == code && c.Detail == detail {
			return true
		}
	}
	return false
}
