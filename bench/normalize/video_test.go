package normalize

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestVideoBecomesNoteWithoutVideo: a Converse video block, in a user
// turn or inside a tool result, becomes a text note naming it
// (media-to-text) for a family that takes no video, as an image does for
// a model without image input; Bedrock refuses the block (V-42, realwire
// converse-error-video-unsupported: Claude Sonnet 4.5, a video inside
// toolResult.content). A family that takes video (Nova 2) gets it as it
// came, beside the text of a result that became text. Before, the block passed through and Normalize failed with
// ErrUnrepaired on V-42.
func TestVideoBecomesNoteWithoutVideo(t *testing.T) {
	bodies := map[string]string{
		"user turn": `{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"what happens?"},{"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://b/v.mp4"}}}}]}]}}`,
		"tool result": `{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"get clip"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"clip","input":{}}}]},` +
			`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"video":{"format":"mp4","source":{"bytes":"AAAA"}}}]}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"clip","inputSchema":{"json":{"type":"object"}}}}]}}}`,
		"tool result as text": `{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"get clip"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"clip","input":{}}}]},` +
			`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"video":{"format":"mp4","source":{"bytes":"AAAA"}}}]}}]}]}}`,
	}
	notes := map[string]string{"user turn": "[video not included: s3://b/v.mp4]", "tool result": "[video not included: (mp4, 3 bytes)]", "tool result as text": "[video not included: (mp4, 3 bytes)]"}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			h, err := history.Decode("histories/video.json", []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			for _, fam := range []string{"anthropic", "anthropic-no-sampling", "llama"} {
				f := mustFamily(t, fam)
				f.NoVideo = true // Llama's models list no VIDEO input in the catalog
				req, rep, err := Normalize(h, Options{Family: f})
				if err != nil {
					t.Fatalf("%s: %v", fam, err)
				}
				out, _ := req.AppendJSON(nil)
				if strings.Contains(string(out), `"video"`) {
					t.Errorf("%s: a video block is sent:\n%s", fam, out)
				}
				if !strings.Contains(string(out), notes[name]) {
					t.Errorf("%s: the note %s is missing:\n%s", fam, notes[name], out)
				}
				if countCode(rep, MediaToText) != 1 {
					t.Errorf("%s: want one media-to-text change: %v", fam, rep.Changes)
				}
			}
			req, _, err := Normalize(h, Options{Family: mustFamily(t, "nova-2")})
			if err != nil {
				t.Fatal(err)
			}
			if out, _ := req.AppendJSON(nil); !strings.Contains(string(out), `"video":{"format":"mp4"`) {
				t.Errorf("nova-2: the video is not sent:\n%s", out)
			}
		})
	}
}

// TestVideoBecomesNoteSDK: the SDK path does the same with a video block
// of a Converse input for a Claude model, and leaves it to a Nova model.
func TestVideoBecomesNoteSDK(t *testing.T) {
	in := func() *bedrockruntime.ConverseInput {
		return &bedrockruntime.ConverseInput{Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
			&types.ContentBlockMemberText{Value: "what happens?"},
			&types.ContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormatMp4,
				Source: &types.VideoSourceMemberS3Location{Value: types.S3Location{Uri: aws.String("s3://b/v.mp4")}}}},
		}}}}
	}
	out, rep, err := ConverseInput(in(), Options{Family: mustFamily(t, "anthropic")})
	if err != nil {
		t.Fatal(err)
	}
	if countCode(rep, MediaToText) != 1 {
		t.Errorf("report %v", rep.Changes)
	}
	if b, ok := out.Messages[0].Content[1].(*types.ContentBlockMemberText); !ok || b.Value != "[video not included: s3://b/v.mp4]" {
		t.Errorf("second block %#v", out.Messages[0].Content[1])
	}
	out, _, err = ConverseInput(in(), Options{Family: mustFamily(t, "nova")})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Messages[0].Content[1].(*types.ContentBlockMemberVideo); !ok {
		t.Errorf("nova: second block %#v", out.Messages[0].Content[1])
	}
}
