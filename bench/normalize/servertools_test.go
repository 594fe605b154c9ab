package normalize

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestServerToolPartsBecomeText: a part that records a provider's server
// tool block (a call, a result, a search result) becomes its text in its
// place, with one server-tool-flattened change at its message, whether
// or not the request declares tools; a server call shares nothing with
// the client calls around it, so a client call in the same turn keeps
// its result and no error result is made up for the server call (before,
// server_tool_use was a client call, and its result, in the same
// assistant message, was not one the pairing could use).
func TestServerToolPartsBecomeText(t *testing.T) {
	for _, tools := range []bool{true, false} {
		h := &history.History{ID: "srv", Messages: []history.Message{
			{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Weather in Paris?"}}},
			{Role: history.RoleAssistant, Parts: []history.Part{
				{Kind: history.PartToolCall, Server: true, ID: "srvtoolu_1", Name: "web_search", Input: []byte(`{"query":"paris"}`), Text: "[Called server tool web_search]"},
				{Kind: history.PartToolResult, Server: true, ID: "srvtoolu_1", Name: "web_search", Input: []byte(`[{"encrypted_content":"E"}]`), Text: "[Result of web_search]\n- P <https://p>"},
				{Kind: history.PartText, Text: "Sunny."},
				{Kind: history.PartToolCall, ID: "c1", Name: "f", Input: []byte(`{}`)},
			}},
			{Role: history.RoleUser, Parts: []history.Part{
				{Kind: history.PartToolResult, ID: "c1", Content: []history.Part{{Kind: history.PartText, Server: true, Text: "[Search result \"T\" from s]\nx"}}},
				{Kind: history.PartText, Server: true, Text: "[Search result \"U\" from u]\ny"},
			}},
		}}
		if tools {
			h.Tools = []history.Tool{{Name: "f", Schema: []byte(`{"type":"object"}`)}}
		}
		req, rep, err := Normalize(h, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []Change
		for _, c := range rep.Changes {
			if c.Code == ServerToolFlattened {
				got = append(got, c)
			}
		}
		want := []Change{
			{1, ServerToolFlattened, "call srvtoolu_1 of server tool web_search became text that keeps what the model saw: Bedrock runs no provider server tool"},
			{1, ServerToolFlattened, "result srvtoolu_1 of server tool web_search became text that keeps what the model saw: Bedrock runs no provider server tool; encrypted content and ids dropped"},
			{2, ServerToolFlattened, "in the result for c1: search result became text with its title, source and content"},
			{2, ServerToolFlattened, "search result became text with its title, source and content"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tools %v: changes (-want +got):\n%s", tools, diff)
		}
		if countCode(rep, ToolResultSynthesized) > 0 || countCode(rep, OrphanResultToText) > 0 {
			t.Errorf("tools %v: the pairing saw the server call: %v", tools, rep.Changes)
		}
		a := req.Messages[1].Content
		if len(a) < 3 || a[0].Text == nil || *a[0].Text != "[Called server tool web_search]" || a[1].Text == nil || *a[1].Text != "[Result of web_search]\n- P <https://p>" || *a[2].Text != "Sunny." {
			t.Errorf("tools %v: assistant turn %s", tools, mustJSON(t, a))
		}
		u := req.Messages[2].Content
		if tools {
			if u[0].ToolResult == nil || *u[0].ToolResult.Content[0].Text != "[Search result \"T\" from s]\nx" || *u[1].Text != "[Search result \"U\" from u]\ny" {
				t.Errorf("user turn %s", mustJSON(t, u))
			}
		}
		if err := converse.Validate(&req, mustFamily(t, converse.DefaultFamily)); err != nil {
			t.Errorf("tools %v: %v", tools, err)
		}
	}
}

func mustFamily(t *testing.T, name string) converse.Family {
	t.Helper()
	f, err := converse.LookupFamily(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestApplicationToolsReportedAsTheApplications: the Responses items of
// tools the application runs (computer_call, local_shell_call, shell_call,
// apply_patch_call and their outputs) and an MCP approval round, which the
// application answers, were reported as "Bedrock runs no provider server
// tool", as a web search is; their report now says the application runs
// or answers them. A built-in tool the provider runs keeps its wording.
func TestApplicationToolsReportedAsTheApplications(t *testing.T) {
	const fixture = `{"format": "openai-responses", "request": {"model": "gpt-5.1", "input": [
		{"role": "user", "content": "Find the ticket."},
		{"type": "web_search_call", "id": "ws_01", "status": "completed", "action": {"type": "search", "query": "ticket"}},
		{"type": "mcp_approval_request", "id": "mcpr_01", "server_label": "crm", "name": "find_inbox", "arguments": "{}"},
		{"type": "mcp_approval_response", "approval_request_id": "mcpr_01", "approve": true},
		{"type": "computer_call", "id": "cu_01", "call_id": "call_cu01", "status": "completed", "action": {"type": "click", "x": 1, "y": 2}},
		{"type": "computer_call_output", "call_id": "call_cu01", "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}},
		{"type": "shell_call", "id": "sh_01", "call_id": "call_sh01", "status": "completed", "action": {"commands": ["ls"]}},
		{"type": "shell_call_output", "call_id": "call_sh01", "output": [{"stdout": "a", "stderr": "", "outcome": {"type": "exit", "exit_code": 0}}]},
		{"role": "user", "content": "Thanks."}]}}`
	h, err := history.Decode("apptools.json", []byte(fixture))
	if err != nil {
		t.Fatal(err)
	}
	_, rep, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rep.Changes {
		if c.Code == ServerToolFlattened {
			got = append(got, c.Detail)
		}
	}
	want := []string{
		"call ws_01 of server tool web_search became text that keeps what the model saw: Bedrock runs no provider server tool",
		"MCP approval request mcpr_01 for tool find_inbox became text that keeps what the model saw: the application answers it, not the provider, and Converse has no block for it",
		"MCP approval response to mcpr_01 became text that keeps what the model saw: the application answered it, not the provider, and Converse has no block for it",
		"call call_cu01 of tool computer_use_preview became text that keeps what the model saw: the application runs this tool, not the provider, and Converse cannot declare it as the model knew it",
		"result call_cu01 of tool computer_use_preview became text that keeps what the model saw: the application runs this tool, not the provider, and Converse cannot declare it as the model knew it",
		"call call_sh01 of tool shell became text that keeps what the model saw: the application runs this tool, not the provider, and Converse cannot declare it as the model knew it",
		"result call_sh01 of tool shell became text that keeps what the model saw: the application runs this tool, not the provider, and Converse cannot declare it as the model knew it",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server-tool-flattened details (-want +got):\n%s", diff)
	}
}
