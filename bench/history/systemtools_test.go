package history

import (
	"strings"
	"testing"
)

// TestConverseSystemTools: a Converse body's systemTool becomes a system
// tool of the history, a server_tool_use call a Server call with its
// type, and the result of that call in the same assistant turn a Server
// result with its type, name and items (Amazon Nova user guide, "Using
// built-in tools"; realwire converse-server-tool-nova-ok). A client
// call's "tool_use" type, and the type of a result that answers no
// system tool call, are reported as dropped. Before, the systemTool and
// every type were dropped as members without a place, and the server
// call was a client call.
func TestConverseSystemTools(t *testing.T) {
	body := `{"messages":[{"role":"user","content":[{"text":"What is 1234 * 5678?"}]},
 {"role":"assistant","content":[
  {"toolUse":{"input":{"snippet":"1234 * 5678"},"name":"nova_code_interpreter","toolUseId":"s1","type":"server_tool_use"}},
  {"toolResult":{"content":[{"json":{"stdOut":"7006652"}}],"status":"success","toolUseId":"s1","type":"nova_code_interpreter_result"}},
  {"toolUse":{"input":{"result":7006652},"name":"final_result","toolUseId":"c1","type":"tool_use"}}]},
 {"role":"user","content":[{"toolResult":{"toolUseId":"c1","content":[{"text":"ok"}],"type":"x"}}]}],
 "toolConfig":{"tools":[{"toolSpec":{"name":"final_result","inputSchema":{"json":{"type":"object"}}}},{"systemTool":{"name":"nova_code_interpreter"}}]}}`
	h, err := Decode("histories/x.json", fixture("converse", body))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Tools) != 2 || !h.Tools[1].System || h.Tools[1].Name != "nova_code_interpreter" || h.Tools[0].System {
		t.Errorf("tools %+v", h.Tools)
	}
	a := h.Messages[1].Parts
	if c := a[0]; c.Kind != PartToolCall || !c.Server || c.Type != "server_tool_use" || c.Name != "nova_code_interpreter" ||
		c.Text != `[Called server tool nova_code_interpreter with input {"snippet":"1234 * 5678"}]` {
		t.Errorf("server call %+v", c)
	}
	if r := a[1]; r.Kind != PartToolResult || !r.Server || r.Type != "nova_code_interpreter_result" || r.Name != "nova_code_interpreter" ||
		r.ID != "s1" || len(r.Content) != 1 || r.Content[0].Kind != PartJSON || r.Text != "[Result of server tool nova_code_interpreter]\n"+`{"stdOut":"7006652"}` {
		t.Errorf("server result %+v", r)
	}
	if c := a[2]; c.Server || c.Type != "" || c.Kind != PartToolCall {
		t.Errorf("client call %+v", c)
	}
	var notes []string
	for _, n := range h.Notes {
		notes = append(notes, n.Detail)
	}
	want := []string{
		`request.messages[1].content[2].toolUse.type = "tool_use" dropped: the call is of a tool the application runs, which goes back untyped`,
		`request.messages[2].content[0].toolResult.type = "x" dropped: the result answers no system tool call of its turn`,
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
	if _, err := Decode("histories/x.json", fixture("converse", `{"messages":[],"toolConfig":{"tools":[{"systemTool":{}}]}}`)); err == nil ||
		!strings.Contains(err.Error(), "request.toolConfig.tools[0].systemTool.name") {
		t.Errorf("a system tool without a name: %v", err)
	}
}
