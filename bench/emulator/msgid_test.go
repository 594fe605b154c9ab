package emulator

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// msgIDPattern is the form of the Messages ids Bedrock returns for
// Anthropic models: "msg_bdrk_01" and 22 characters of Anthropic's base-58
// alphabet, as in msg_bdrk_01XfDUDYJgAACzvnptvVoYEL.
var msgIDPattern = regexp.MustCompile(`^msg_bdrk_01[1-9A-HJ-NP-Za-km-z]{22}$`)

// TestMessagesIDOneForm: the id of a reply is the same, in the same form,
// whether InvokeModel's Messages answer or Converse's
// additionalModelResponseFields ("/id") gives it.
func TestMessagesIDOneForm(t *testing.T) {
	_, hs := start(t, nil)
	status, out, raw := converseRaw(t, hs, claude, `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"additionalModelResponseFieldPaths":["/id","/model"]}`)
	fields, _ := out["additionalModelResponseFields"].(map[string]any)
	id, _ := fields["id"].(string)
	if status != 200 || !msgIDPattern.MatchString(id) || fields["model"] != "claude-haiku-4-5-20251001" {
		t.Fatalf("Converse /id and /model: %d %s", status, raw)
	}
	status, _, raw = rawRequest(t, hs, "POST", "/model/"+url.PathEscape(claude)+"/invoke", "us-east-1", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}`, defaultCreds)
	var msg struct{ ID, Model string }
	if err := json.Unmarshal([]byte(raw), &msg); status != 200 || err != nil || !msgIDPattern.MatchString(msg.ID) {
		t.Fatalf("InvokeModel id: %d %s", status, raw)
	}
	rep := reply{seed: 42}
	f := responseFields([]string{"/id"}, claude, rep)
	if got, want := f["id"], messagesResponse(claude, rep)["id"]; got != want {
		t.Errorf("one reply, two ids: response field %v, Messages answer %v", got, want)
	}
	t.Logf("converse %s invoke %s", id, msg.ID)
}

// toolUseIDPattern is the form of the tool call ids Bedrock's Messages
// answers give: "toolu_bdrk_01" and 22 base-58 characters, as in
// toolu_bdrk_01NR9pamiL6h5WqSnVZF1unz.
var toolUseIDPattern = regexp.MustCompile(`^toolu_bdrk_01[1-9A-HJ-NP-Za-km-z]{22}$`)

// TestToolUseIDForm: an InvokeModel answer's tool call has an id of
// Bedrock's form (before: "toolu_bdrk_" and 22 base-62 characters), the
// same in the stream, and a tool result that names it is taken in the
// next call.
func TestToolUseIDForm(t *testing.T) {
	_, hs := start(t, nil)
	path := "/model/" + url.PathEscape(claude) + "/invoke"
	tools := `"tools":[{"name":"lookup","input_schema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}]`
	body := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,` + tools + `,"messages":[{"role":"user","content":"please lookup the tides"}]}`
	status, _, raw := rawRequest(t, hs, "POST", path, "us-east-1", body, defaultCreds)
	var msg struct {
		Content []struct {
			Type, ID string
			Input    json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(raw), &msg); status != 200 || err != nil {
		t.Fatalf("%d %v %s", status, err, raw)
	}
	id, input := "", json.RawMessage(nil)
	for _, b := range msg.Content {
		if b.Type == "tool_use" {
			id, input = b.ID, b.Input
		}
	}
	if !toolUseIDPattern.MatchString(id) {
		t.Fatalf("tool_use id %q: %s", id, raw)
	}
	out, err := runtimeClient(hs, "us-east-1").InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(claude), Body: []byte(body), ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatal(err)
	}
	streamed := ""
	for ev := range out.GetStream().Events() {
		var e struct {
			Type         string
			ContentBlock struct{ Type, ID string } `json:"content_block"`
		}
		if chunk, ok := ev.(*types.ResponseStreamMemberChunk); ok && json.Unmarshal(chunk.Value.Bytes, &e) == nil && e.ContentBlock.Type == "tool_use" {
			streamed = e.ContentBlock.ID
		}
	}
	if streamed != id {
		t.Errorf("the stream's tool_use id is %q, the answer's %q", streamed, id)
	}
	next := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,` + tools + `,"messages":[{"role":"user","content":"please lookup the tides"},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"` + id + `","name":"lookup","input":` + string(input) + `}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"` + id + `","content":"high at noon"}]}]}`
	if status, _, raw = rawRequest(t, hs, "POST", path, "us-east-1", next, defaultCreds); status != 200 {
		t.Errorf("a tool result for %s: %d %s", id, status, raw)
	}
}
