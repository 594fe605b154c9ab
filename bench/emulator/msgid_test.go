package emulator

import (
	"encoding/json"
	"net/url"
	"regexp"
	"testing"
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
