package corpus

import (
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// A secret inside the block and item types the decoders learned in
// 2026-12 (a custom tool's free-form input and its declaration's
// grammar, a computer action's typed text, a shell command and its
// output, an applied patch, an MCP approval's reason, an Anthropic
// compaction summary and a document made of content blocks) is
// redacted: the bodies import, and no planted value reaches a written
// file.
func TestNewBlockShapesNeverLeak(t *testing.T) {
	var openaiKey, akid, email string
	for _, p := range redacttest.New(43).All() {
		switch p.Kind {
		case redact.OpenAIAPIKey:
			openaiKey = p.Value
		case redact.AWSAccessKeyID:
			akid = p.Value
		case redact.Email:
			email = p.Value
		}
	}
	if openaiKey == "" || akid == "" || email == "" {
		t.Fatal("the generator no longer plants an OpenAI key, an AWS key id and an e-mail address")
	}
	chat := map[string]any{"model": "gpt-5",
		"tools": []any{map[string]any{"type": "custom", "custom": map[string]any{"name": "apply_patch", "format": map[string]any{"type": "grammar", "grammar": map[string]any{"syntax": "regex", "definition": "contact " + email}}}}},
		"messages": []any{
			map[string]any{"role": "user", "content": "Set the key."},
			map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "custom", "custom": map[string]any{"name": "apply_patch", "input": "*** Begin Patch\n+OPENAI_API_KEY=" + openaiKey + "\n*** End Patch"}}}},
			map[string]any{"role": "tool", "tool_call_id": "c1", "content": "done"},
		}}
	responses := map[string]any{"model": "computer-use-preview", "input": []any{
		map[string]any{"role": "user", "content": "Log in."},
		map[string]any{"type": "computer_call", "call_id": "k1", "action": map[string]any{"type": "type", "text": "key " + openaiKey}},
		map[string]any{"type": "computer_call_output", "call_id": "k1", "output": map[string]any{"type": "computer_screenshot", "image_url": "https://shots.example.com/1.png?owner=" + email}},
		map[string]any{"type": "local_shell_call", "call_id": "s1", "action": map[string]any{"type": "exec", "command": []any{"echo", akid}}},
		map[string]any{"type": "local_shell_call_output", "id": "s1", "output": "AWS_ACCESS_KEY_ID=" + akid},
		map[string]any{"type": "apply_patch_call", "call_id": "p1", "operation": map[string]any{"type": "update_file", "path": ".env", "diff": "+KEY=" + openaiKey}},
		map[string]any{"type": "apply_patch_call_output", "call_id": "p1", "output": "wrote " + email},
		map[string]any{"type": "mcp_approval_request", "id": "a1", "server_label": "crm", "name": "mail", "arguments": `{"to":"` + email + `"}`},
		map[string]any{"type": "mcp_approval_response", "approval_request_id": "a1", "approve": false, "reason": "not " + email},
		map[string]any{"type": "custom_tool_call", "call_id": "u1", "name": "note", "input": "key " + openaiKey},
		map[string]any{"type": "custom_tool_call_output", "call_id": "u1", "output": "ok " + akid},
	}}
	anthropic := map[string]any{"model": "claude-opus-4-6", "max_tokens": 100, "messages": []any{
		map[string]any{"role": "user", "content": "Go on."},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "compaction", "content": "The user's key is " + openaiKey + " and mail " + email}}},
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "container_upload", "file_id": "file_01"},
			map[string]any{"type": "document", "title": "notes", "source": map[string]any{"type": "content", "content": []any{map[string]any{"type": "text", "text": "id " + akid}}}},
			map[string]any{"type": "mid_conv_system", "content": []any{map[string]any{"type": "text", "text": "Reply to " + email}}},
		}},
	}}
	written, rep := importLeaks(t, map[string]string{
		"chat.jsonl":      js(chat),
		"responses.jsonl": js(responses),
		"anthropic.jsonl": js(anthropic),
	})
	if rep.Skipped != 0 || rep.Written != 3 {
		t.Fatalf("every body should import: %d skipped, %d written: %v", rep.Skipped, rep.Written, rep.SkipExamples)
	}
	assertNoLeak(t, written, []planted{{"OpenAI key", openaiKey}, {"AWS key id", akid}, {"e-mail address", email}})
}
