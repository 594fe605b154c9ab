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
