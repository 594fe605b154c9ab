package history

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestServerToolBlocks: each block of an Anthropic server tool, of the
// MCP connector, and a search_result block decodes into a part marked
// Server, whose Text keeps what the model saw (the tool's name and
// input; titles, URLs, output, the result's text) and none of what only
// Anthropic reads (encrypted content, file ids); a result keeps its raw
// content in Input, and the tool's name. Before, server_tool_use was
// decoded as a client tool call and every result block failed to decode
// ("unsupported block type").
func TestServerToolBlocks(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  Part
		// absent must not be in the text.
		absent string
	}{
		{"server_tool_use", `{"type":"server_tool_use","id":"srvtoolu_01","name":"web_search","input":{"query":"paris weather"}}`,
			Part{Kind: PartToolCall, Server: true, ID: "srvtoolu_01", Name: "web_search", Input: []byte(`{"query":"paris weather"}`),
				Text: `[Called server tool web_search with input {"query":"paris weather"}]`}, "srvtoolu_01"},
		{"server_tool_use without input", `{"type":"server_tool_use","id":"s","name":"web_search"}`,
			Part{Kind: PartToolCall, Server: true, ID: "s", Name: "web_search", Input: []byte(`{}`),
				Text: `[Called server tool web_search with input {}]`}, ""},
		{"web_search_tool_result", `{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01","content":[{"type":"web_search_result","url":"https://x.example/w","title":"Paris weather","encrypted_content":"SECRETabc","page_age":"1 day"},{"type":"web_search_result","url":"https://y.example/","title":"Y","encrypted_content":"SECRETdef"}]}`,
			Part{Kind: PartToolResult, Server: true, ID: "srvtoolu_01", Name: "web_search",
				Text: "[Result of web_search]\n- Paris weather <https://x.example/w> (page age: 1 day)\n- Y <https://y.example/>"}, "SECRET"},
		{"web_search_tool_result error", `{"type":"web_search_tool_result","tool_use_id":"s","content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "web_search", Text: "[Result of web_search]\nError: max_uses_exceeded"}, ""},
		{"web_search_tool_result empty", `{"type":"web_search_tool_result","tool_use_id":"s","content":[]}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "web_search", Text: "[Result of web_search]\nNo results."}, ""},
		{"web_fetch_tool_result", `{"type":"web_fetch_tool_result","tool_use_id":"s","content":{"type":"web_fetch_result","url":"https://d.example/a","content":{"type":"document","source":{"type":"text","media_type":"text/plain","data":"PAGETEXT"},"title":"Notes","citations":{"enabled":true}},"retrieved_at":"2026-12-01T10:00:00Z"}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "web_fetch", Text: "[Result of web_fetch]\nFetched \"Notes\" <https://d.example/a> at 2026-12-01T10:00:00Z"}, "PAGETEXT"},
		{"web_fetch_tool_result error", `{"type":"web_fetch_tool_result","tool_use_id":"s","content":{"type":"web_fetch_tool_error","error_code":"url_not_accessible"}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "web_fetch", Text: "[Result of web_fetch]\nError: url_not_accessible"}, ""},
		{"code_execution_tool_result", `{"type":"code_execution_tool_result","tool_use_id":"s","content":{"type":"code_execution_result","stdout":"6.0\n","stderr":"warn\n","return_code":0,"content":[{"type":"code_execution_output","file_id":"file_SECRET"}]}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "code_execution", Text: "[Result of code_execution]\nReturn code: 0\nstdout:\n6.0\n\nstderr:\nwarn\n\n(1 output file)"}, "SECRET"},
		{"code_execution_tool_result error", `{"type":"code_execution_tool_result","tool_use_id":"s","content":{"type":"code_execution_tool_result_error","error_code":"execution_time_exceeded"}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "code_execution", Text: "[Result of code_execution]\nError: execution_time_exceeded"}, ""},
		{"bash_code_execution_tool_result", `{"type":"bash_code_execution_tool_result","tool_use_id":"s","content":{"type":"bash_code_execution_result","stdout":"","stderr":"no such file","return_code":1,"content":[]}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "bash_code_execution", Text: "[Result of bash_code_execution]\nReturn code: 1\nstderr:\nno such file"}, ""},
		{"text_editor view", `{"type":"text_editor_code_execution_tool_result","tool_use_id":"s","content":{"type":"text_editor_code_execution_view_result","file_type":"text","content":"line 1\nline 2","num_lines":2,"start_line":1,"total_lines":2}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "text_editor_code_execution", Text: "[Result of text_editor_code_execution]\nline 1\nline 2"}, ""},
		{"text_editor create", `{"type":"text_editor_code_execution_tool_result","tool_use_id":"s","content":{"type":"text_editor_code_execution_create_result","is_file_update":true}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "text_editor_code_execution", Text: "[Result of text_editor_code_execution]\nFile updated."}, ""},
		{"text_editor str_replace", `{"type":"text_editor_code_execution_tool_result","tool_use_id":"s","content":{"type":"text_editor_code_execution_str_replace_result","old_start":1,"old_lines":1,"new_start":1,"new_lines":1,"lines":["-a","+b"]}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "text_editor_code_execution", Text: "[Result of text_editor_code_execution]\nReplaced.\n-a\n+b"}, ""},
		{"text_editor error", `{"type":"text_editor_code_execution_tool_result","tool_use_id":"s","content":{"type":"text_editor_code_execution_tool_result_error","error_code":"file_not_found","error_message":"no mean.txt"}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "text_editor_code_execution", Text: "[Result of text_editor_code_execution]\nError: file_not_found: no mean.txt"}, ""},
		{"tool_search_tool_result", `{"type":"tool_search_tool_result","tool_use_id":"s","content":{"type":"tool_search_tool_search_result","tool_references":[{"type":"tool_reference","tool_name":"get_weather"},{"type":"tool_reference","tool_name":"get_time"}]}}`,
			Part{Kind: PartToolResult, Server: true, ID: "s", Name: "tool_search", Text: "[Result of tool_search]\nTools found: get_weather, get_time"}, ""},
		{"mcp_tool_use", `{"type":"mcp_tool_use","id":"mcptoolu_1","name":"get_ticket","server_name":"tracker","input":{"id":4211}}`,
			Part{Kind: PartToolCall, Server: true, ID: "mcptoolu_1", Name: "get_ticket", Input: []byte(`{"id":4211}`),
				Text: `[Called tool get_ticket of MCP server tracker with input {"id":4211}]`}, "mcptoolu_1"},
		{"mcp_tool_result", `{"type":"mcp_tool_result","tool_use_id":"mcptoolu_1","is_error":true,"content":[{"type":"text","text":"not found"}]}`,
			Part{Kind: PartToolResult, Server: true, ID: "mcptoolu_1", Name: "mcp", IsError: true, Text: "[Error of MCP tool mcp]\nnot found"}, ""},
		{"mcp_tool_result string", `{"type":"mcp_tool_result","tool_use_id":"m","content":"closed"}`,
			Part{Kind: PartToolResult, Server: true, ID: "m", Name: "mcp", Text: "[Result of MCP tool mcp]\nclosed"}, ""},
		{"search_result", `{"type":"search_result","source":"https://kb.example/r","title":"Runbook","content":[{"type":"text","text":"Drain first."},{"type":"text","text":"Then restart."}],"citations":{"enabled":true}}`,
			Part{Kind: PartText, Server: true, Text: "[Search result \"Runbook\" from https://kb.example/r]\nDrain first.\nThen restart."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role := "assistant"
			if tt.want.Kind == PartText {
				role = "user"
			}
			data := fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":"q"},{"role":"`+role+`","content":[`+tt.block+`]}]}`)
			h, err := Decode("histories/x.json", data)
			if err != nil {
				t.Fatal(err)
			}
			checkFastPath(t, data)
			if d := droppedDetails(h); d != nil {
				t.Errorf("dropped notes: %q", d)
			}
			got := h.Messages[1].Parts
			if len(got) != 1 {
				t.Fatalf("%d parts, want 1: %+v", len(got), got)
			}
			p := got[0]
			if tt.want.Kind == PartToolResult {
				if len(p.Input) == 0 {
					t.Errorf("the result's content is not kept in Input")
				}
				p.Input = nil
			}
			if diff := cmp.Diff(tt.want, p); diff != "" {
				t.Errorf("part (-want +got):\n%s", diff)
			}
			if tt.absent != "" && strings.Contains(p.Text, tt.absent) {
				t.Errorf("text %q holds %q", p.Text, tt.absent)
			}
		})
	}
}

// TestServerToolResultNamesItsCall: a result is named by the tool of the
// call it answers (an MCP tool's own name), and a search_result inside a
// tool_result is a Server text of that result.
func TestServerToolResultNamesItsCall(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":"q"},
		{"role":"assistant","content":[{"type":"mcp_tool_use","id":"m1","name":"get_ticket","server_name":"tracker","input":{}},{"type":"mcp_tool_result","tool_use_id":"m1","content":"closed"},{"type":"tool_use","id":"t1","name":"kb","input":{}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"search_result","source":"s","title":"T","content":[{"type":"text","text":"x"}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := h.Messages[1].Parts[1]; r.Name != "get_ticket" || r.Text != "[Result of MCP tool get_ticket]\nclosed" {
		t.Errorf("MCP result: name %q, text %q", r.Name, r.Text)
	}
	c := h.Messages[2].Parts[0].Content
	if len(c) != 1 || !c[0].Server || c[0].Kind != PartText || c[0].Text != "[Search result \"T\" from s]\nx" {
		t.Errorf("search result in a tool result: %+v", c)
	}
}

// TestServerToolDeclarationsDropped: a server tool's declaration (web
// search, web fetch, code execution, tool search, an MCP toolset) is
// not declared as a client tool, which Bedrock would ask the
// application to run; it is reported dropped whole. An Anthropic-defined
// client tool (bash, text editor) stays declared. Before, web_search was
// declared as a client tool with an empty schema.
func TestServerToolDeclarationsDropped(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"tools":[
		{"type":"web_search_20250305","name":"web_search","max_uses":3},
		{"type":"web_fetch_20250910","name":"web_fetch"},
		{"type":"code_execution_20250825","name":"code_execution"},
		{"type":"tool_search_tool_regex_20251119","name":"tool_search_tool_regex"},
		{"type":"mcp_toolset","mcp_server_name":"tracker"},
		{"type":"bash_20250124","name":"bash"},
		{"name":"f","input_schema":{"type":"object"}}],
		"messages":[{"role":"user","content":"q"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range h.Tools {
		names = append(names, tl.Name)
	}
	if diff := cmp.Diff([]string{"bash", "f"}, names); diff != "" {
		t.Errorf("declared tools (-want +got):\n%s", diff)
	}
	var dropped []string
	for _, d := range droppedDetails(h) {
		if strings.Contains(d, "is a server tool") {
			dropped = append(dropped, d[:strings.Index(d, " = ")])
		}
	}
	if diff := cmp.Diff([]string{"request.tools[0]", "request.tools[1]", "request.tools[2]", "request.tools[3]", "request.tools[4]"}, dropped); diff != "" {
		t.Errorf("server tools reported dropped (-want +got):\n%s", diff)
	}
}

// TestServerToolBlockErrors: what the server blocks made possible is
// still refused where it does not belong: an object as a tool_result's
// content, a string as an image's source, a server call without a name.
func TestServerToolBlockErrors(t *testing.T) {
	for _, tt := range []struct{ content, want string }{
		{`{"type":"tool_result","tool_use_id":"t","content":{"type":"text","text":"a"}}`,
			`histories/x.json: request.messages[0].content[0].content: must be a string, an array of content blocks, or null`},
		{`{"type":"image","source":"https://x/a.png"}`,
			`histories/x.json: request.messages[0].content[0].source: must be an object, not string`},
		{`{"type":"server_tool_use","id":"s","input":{}}`,
			`histories/x.json: request.messages[0].content[0].name: missing: a server_tool_use block names its tool`},
		{`{"type":"web_search_tool_result","tool_use_id":"s","content":7}`,
			`histories/x.json: request.messages[0].content[0].content: must be a string, an array of content blocks, or null`},
	} {
		_, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":[`+tt.content+`]}]}`))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.content, err, tt.want)
		}
	}
}

// TestServerBlockUnknownMembersReported: a member a server block's type
// does not have is reported dropped, as on any block; those it has
// (an MCP call's server_name, a search result's citations) are not.
func TestServerBlockUnknownMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[
		{"type":"mcp_tool_use","id":"m","name":"n","server_name":"s","input":{},"caller":{"type":"direct"}},
		{"type":"web_search_tool_result","tool_use_id":"m","content":[],"signature":"x"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{1, `request.messages[1].content[0].caller = {"type":"direct"} dropped: Converse has no place for it`},
		{1, `request.messages[1].content[1].signature = "x" dropped: a web_search_tool_result block has no signature`},
	})
}

// TestResponsesBuiltInToolItems: an OpenAI Responses input item of a
// built-in tool (web search, file search, code interpreter, image
// generation, a remote MCP server's call or tool list) joins the
// assistant turn as a Server tool call whose text keeps what the model
// saw, and the tool's declaration is dropped whole; before, the body did
// not decode (unsupported tool type, unsupported input item type).
func TestResponsesBuiltInToolItems(t *testing.T) {
	tests := []struct{ name, item, want string }{
		{"web_search_call", `{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"paris weather"}}`,
			`[Used built-in tool web_search: searched "paris weather"]`},
		{"web_search_call open_page", `{"type":"web_search_call","id":"ws_2","status":"completed","action":{"type":"open_page","url":"https://x.example/"}}`,
			`[Used built-in tool web_search: opened <https://x.example/>]`},
		{"file_search_call", `{"type":"file_search_call","id":"fs_1","status":"completed","queries":["refund policy"],"results":[{"file_id":"file-SECRET","filename":"policy.md","score":0.9,"text":"Refunds within 30 days."}]}`,
			"[Used built-in tool file_search with queries [\"refund policy\"]]\n- policy.md: Refunds within 30 days."},
		{"code_interpreter_call", `{"type":"code_interpreter_call","id":"ci_1","status":"completed","container_id":"cntr_SECRET","code":"print(2+2)","outputs":[{"type":"logs","logs":"4\n"}]}`,
			"[Ran code with built-in tool code_interpreter]\nprint(2+2)\nOutput:\n4\n"},
		{"image_generation_call", `{"type":"image_generation_call","id":"ig_1","status":"completed","result":"iVBORSECRET"}`,
			"[Generated an image with built-in tool image_generation]"},
		{"mcp_call", `{"type":"mcp_call","id":"mcp_1","server_label":"tracker","name":"get_ticket","arguments":"{\"id\": 4211}","output":"closed"}`,
			"[Called tool get_ticket of MCP server tracker with input {\"id\":4211}]\nResult: closed"},
		{"mcp_list_tools", `{"type":"mcp_list_tools","id":"mcpl_1","server_label":"tracker","tools":[{"name":"get_ticket","input_schema":{}},{"name":"close_ticket","input_schema":{}}]}`,
			"[Listed the tools of MCP server tracker: get_ticket, close_ticket]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4.1","tools":[{"type":"web_search_preview"},{"type":"mcp","server_label":"tracker","server_url":"https://mcp.example/"},{"type":"function","name":"f","parameters":{"type":"object"}}],
				"input":[{"role":"user","content":"q"},`+tt.item+`,{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}]}`))
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Tools) != 1 || h.Tools[0].Name != "f" {
				t.Errorf("declared tools: %+v", h.Tools)
			}
			if len(h.Messages) < 2 || h.Messages[1].Role != RoleAssistant || len(h.Messages[1].Parts) == 0 {
				t.Fatalf("messages: %+v", h.Messages)
			}
			p := h.Messages[1].Parts[0]
			if !p.Server || p.Kind != PartToolCall || p.Text != tt.want {
				t.Errorf("part: server %v kind %v text\n%q\nwant\n%q", p.Server, p.Kind, p.Text, tt.want)
			}
			if strings.Contains(p.Text, "SECRET") {
				t.Errorf("text holds an id or data only OpenAI reads: %q", p.Text)
			}
			if !strings.Contains(string(p.Input), `"id"`) {
				t.Errorf("the item's members are not kept in Input: %s", p.Input)
			}
			var dropped []string
			for _, d := range droppedDetails(h) {
				dropped = append(dropped, d[:strings.Index(d, " = ")])
			}
			if diff := cmp.Diff([]string{"request.tools[0]", "request.tools[1]"}, dropped); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServerToolValueOfTheWrongType: a member of a server tool's result
// or of a built-in tool's item that is not of its type is reported at its
// path, as any decode error is, rather than left out of the text.
func TestServerToolValueOfTheWrongType(t *testing.T) {
	for _, tt := range []struct{ format, body, want string }{
		{"anthropic", `{"max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"web_search_tool_result","tool_use_id":"s","content":[{"type":"web_search_result","url":5}]}]}]}`,
			`histories/x.json: request.messages[0].content[0].content[0].url: must be a string, not number`},
		{"anthropic", `{"max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"code_execution_tool_result","tool_use_id":"s","content":{"type":"code_execution_result","stdout":["a"]}}]}]}`,
			`histories/x.json: request.messages[0].content[0].content.stdout: must be a string, not array`},
		{"openai-responses", `{"input":[{"type":"web_search_call","id":"w","action":{"query":1}}]}`,
			`histories/x.json: request.input[0].action.query: must be a string, not number`},
	} {
		_, err := Decode("histories/x.json", fixture(tt.format, tt.body))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.body, err, tt.want)
		}
	}
}
