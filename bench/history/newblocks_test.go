package history

import (
	"strings"
	"testing"
)

// The block and item types of 2025-26 traffic decode, each keeping what
// the model saw, with a note where something has no place; before, each
// body failed ("unsupported block type", "unsupported input item type",
// "unsupported tool type custom", "unsupported source type file"), or a
// custom tool call lost its name and input. Shapes from the providers'
// API references: Anthropic's Messages API content blocks
// (container_upload, compaction, mid_conv_system, tool_reference,
// fallback, the file and content sources, advisor_tool_result) and
// OpenAI's custom tools (Chat Completions and Responses) and Responses
// input items (computer_call, local_shell_call, shell_call,
// apply_patch_call and their outputs, mcp_approval_request and
// mcp_approval_response, compaction).
func TestNewBlockTypesDecode(t *testing.T) {
	an := func(blocks string) string {
		return `{"format":"anthropic","request":{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[` + blocks + `]}]}}`
	}
	rs := func(items string) string {
		return `{"format":"openai-responses","request":{"model":"m","input":[{"role":"user","content":"q"},` + items + `]}}`
	}
	for _, c := range []struct {
		name, body string
		// want are strings the decoded history (parts' text, input,
		// tools' schemas, notes) must hold.
		want []string
	}{
		{"container_upload", an(`{"type":"container_upload","file_id":"file_1"}`), []string{"[Uploaded file file_1 to the code execution container]"}},
		{"compaction", an(`{"type":"compaction","content":"the summary","encrypted_content":"opaque"}`), []string{"[Summary of the earlier conversation]\nthe summary"}},
		{"failed compaction", an(`{"type":"compaction","content":null}`), []string{"field-dropped", "compaction that failed"}},
		{"mid_conv_system", an(`{"type":"mid_conv_system","content":[{"type":"text","text":"be brief"}]}`), []string{"System note (not from the user):\nbe brief", "field-mapped"}},
		{"fallback", an(`{"type":"text","text":"x"},{"type":"fallback","to":{"model":"y"}}`), []string{"field-dropped", `"model":"y"`}},
		{"image by file id", an(`{"type":"image","source":{"type":"file","file_id":"file_9"}}`), []string{"[image not included: file_9, sent by id]", "file-unavailable"}},
		{"document by file id", an(`{"type":"document","title":"Deck","source":{"type":"file","file_id":"file_8"}}`), []string{"[document not included: Deck (file_8), sent by id]", "file-unavailable"}},
		{"document of content blocks", an(`{"type":"document","source":{"type":"content","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}}`), []string{"one\n\ntwo"}},
		{"tool_reference", `{"format":"anthropic","request":{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"s","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"tool_reference","tool_name":"get_forecast"}]}]}]}}`, []string{"[Tool found: get_forecast]"}},
		{"advisor_tool_result", `{"format":"anthropic","request":{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"server_tool_use","id":"s1","name":"advisor","input":{}},{"type":"advisor_tool_result","tool_use_id":"s1","content":{"type":"advisor_result","text":"check the totals"}}]}]}}`, []string{"check the totals"}},
		{"chat custom tool", `{"format":"openai","request":{"model":"m","messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin Patch"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}],"tools":[{"type":"custom","custom":{"name":"apply_patch","format":{"type":"grammar","grammar":{"syntax":"lark","definition":"start: x"}}}}],"tool_choice":{"type":"custom","custom":{"name":"apply_patch"}}}}`,
			[]string{`{"input":"*** Begin Patch"}`, `"required":["input"]`, "field-mapped", "custom.format", "grammar"}},
		{"chat custom call without its declaration", `{"format":"openai","request":{"model":"m","messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c1","type":"custom","custom":{"name":"apply_patch","input":"patch text"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}}`,
			[]string{`{"input":"patch text"}`, "apply_patch"}},
		{"responses custom tool", rs(`{"type":"custom_tool_call","call_id":"c1","name":"write_note","input":"a line"},{"type":"custom_tool_call_output","call_id":"c1","output":"ok"}],"tools":[{"type":"custom","name":"write_note","format":{"type":"text"}}`), []string{`{"input":"a line"}`, `"required":["input"]`}},
		{"computer_call", rs(`{"type":"computer_call","call_id":"c1","action":{"type":"click","x":1,"y":2}},{"type":"computer_call_output","call_id":"c1","output":{"type":"computer_screenshot","image_url":"data:image/png;base64,iVBORw0KGgo="}}],"tools":[{"type":"computer_use_preview","display_width":1024,"display_height":768,"environment":"browser"}`),
			[]string{`with action {"type":"click","x":1,"y":2}`, "Screenshot:", "image", "computer_use_preview is a tool"}},
		{"local_shell_call", rs(`{"type":"local_shell_call","call_id":"c1","action":{"type":"exec","command":["ls"]}},{"type":"local_shell_call_output","id":"c1","output":"a.txt"}`), []string{`"command":["ls"]`, "[Result of tool local_shell (call c1)]\na.txt"}},
		{"shell_call and apply_patch_call", rs(`{"type":"shell_call","call_id":"c1","action":{"commands":["ls"]}},{"type":"shell_call_output","call_id":"c1","output":[{"stdout":"a","stderr":"b","outcome":{"type":"exit","exit_code":3}}]},{"type":"apply_patch_call","call_id":"c2","operation":{"type":"update_file","path":"a.go","diff":"-x\n+y"}},{"type":"apply_patch_call_output","call_id":"c2","status":"failed","output":"conflict"}`),
			[]string{"Exit code: 3\nstdout:\na\nstderr:\nb", "update_file a.go]\n-x\n+y", "(call c2): failed]\nconflict"}},
		{"mcp approval", rs(`{"type":"mcp_approval_request","id":"a1","server_label":"crm","name":"find","arguments":"{\"q\":1}"},{"type":"mcp_approval_response","approval_request_id":"a1","approve":false,"reason":"no"}`),
			[]string{`[Asked approval to call tool find of MCP server crm with input {"q":1}]`, "[Declined the MCP tool call asked in a1]\nno"}},
		{"responses compaction", rs(`{"type":"compaction","encrypted_content":"opaque"}`), []string{"field-dropped", "compaction item"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, err := Decode(c.name, []byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			var walk func(ps []Part)
			walk = func(ps []Part) {
				for _, p := range ps {
					b.WriteString(p.Kind.String() + " " + p.ID + " " + p.Name + " " + p.Text + " " + string(p.Input) + "\n")
					walk(p.Content)
				}
			}
			for _, m := range h.Messages {
				walk(m.Parts)
			}
			for _, tl := range h.Tools {
				b.WriteString(tl.Name + " " + string(tl.Schema) + "\n")
			}
			for _, n := range h.Notes {
				b.WriteString(n.Code + " " + n.Detail + "\n")
			}
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("the history does not hold %q:\n%s", w, b.String())
				}
			}
		})
	}
}

// A tool choice of type allowed_tools (OpenAI's Responses API:
// {"type": "allowed_tools", "mode": "auto"|"required", "tools": [...]};
// Chat Completions holds the same list in an allowed_tools member, per
// the openai-python types ToolChoiceAllowed and
// ChatCompletionAllowedToolChoiceParam) decodes to the nearest Converse
// toolChoice, auto or any, or the one tool when the list allows one
// declared tool. Converse has no allow-list, so every declared tool stays
// offered, and the note names those the list left out. Before, the body
// failed: "request.tool_choice.function.name: missing".
func TestAllowedToolsChoice(t *testing.T) {
	fn := `{"type":"function","function":{"name":"%s","parameters":{"type":"object"}}}`
	chatTools := `[` + strings.ReplaceAll(fn, "%s", "get_weather") + `,` + strings.ReplaceAll(fn, "%s", "send_mail") + `]`
	rsTools := `[{"type":"function","name":"get_weather","parameters":{"type":"object"}},{"type":"function","name":"send_mail","parameters":{"type":"object"}}]`
	for _, c := range []struct {
		name, body string
		want       ToolChoice
		note       string
	}{
		{"responses auto", `{"format":"openai-responses","request":{"input":"q","tools":` + rsTools + `,"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"get_weather"},{"type":"mcp","server_label":"deepwiki"},{"type":"image_generation"}]}}}`,
			ToolChoice{Mode: "auto"}, "request.tool_choice (allowed_tools, mode auto, allowing get_weather, mcp deepwiki, image_generation) became toolChoice auto: Converse has no allow-list, so every declared tool stays offered, send_mail too"},
		{"responses required", `{"format":"openai-responses","request":{"input":"q","tools":` + rsTools + `,"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_weather"},{"type":"function","name":"send_mail"}]}}}`,
			ToolChoice{Mode: "any"}, "became toolChoice any: the list leaves out no declared tool"},
		{"responses required, one tool", `{"format":"openai-responses","request":{"input":"q","tools":` + rsTools + `,"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"send_mail"}]}}}`,
			ToolChoice{Mode: "tool", Name: "send_mail"}, "became toolChoice tool send_mail: Converse has no allow-list, so every declared tool stays offered, get_weather too"},
		{"chat auto", `{"format":"openai","request":{"messages":[{"role":"user","content":"q"}],"tools":` + chatTools + `,"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"send_mail"}}]}}}}`,
			ToolChoice{Mode: "auto"}, "request.tool_choice (allowed_tools, mode auto, allowing send_mail) became toolChoice auto: Converse has no allow-list, so every declared tool stays offered, get_weather too"},
		{"chat required", `{"format":"openai","request":{"messages":[{"role":"user","content":"q"}],"tools":` + chatTools + `,"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"send_mail"}},{"type":"function","function":{"name":"get_weather"}}]}}}}`,
			ToolChoice{Mode: "any"}, "became toolChoice any"},
		// The Responses API names a custom tool to call in name.
		{"responses custom", `{"format":"openai-responses","request":{"input":"q","tools":[{"type":"custom","name":"note"}],"tool_choice":{"type":"custom","name":"note"}}}`,
			ToolChoice{Mode: "tool", Name: "note"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, err := Decode(c.name, []byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if h.ToolChoice == nil || *h.ToolChoice != c.want {
				t.Errorf("tool choice %+v, want %+v", h.ToolChoice, c.want)
			}
			if len(h.Tools) != 2 && c.note != "" {
				t.Errorf("%d tools, want both declared tools kept", len(h.Tools))
			}
			if c.note == "" {
				return
			}
			for _, n := range h.Notes {
				if n.Code == NoteFieldMapped && strings.Contains(n.Detail, c.note) {
					return
				}
			}
			t.Errorf("no field-mapped note holds %q: %+v", c.note, h.Notes)
		})
	}
	_, err := Decode("bad", []byte(`{"format":"openai-responses","request":{"input":"q","tool_choice":{"type":"allowed_tools","mode":"none","tools":[]}}}`))
	if err == nil || !strings.Contains(err.Error(), `request.tool_choice.mode: unknown mode "none": one of auto, required`) {
		t.Errorf("mode none: %v", err)
	}
}

// What a mid_conv_system block's text blocks hold beyond their text, and
// a compaction block's encrypted form, are reported at the index of the
// message the block is in; before, the first went to the request's notes
// (index -1) and the second was dropped without a note.
func TestNewBlocksReportAtTheirMessage(t *testing.T) {
	body := `{"format":"anthropic","request":{"max_tokens":10,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"compaction","content":"summary","encrypted_content":"opaque-blob"}]},{"role":"user","content":[{"type":"mid_conv_system","content":[{"type":"text","text":"be brief","citations":[{"type":"char_location","cited_text":"cited-x"}],"cache_control":{"type":"ephemeral"}}]}]}]}}`
	h, err := Decode("f", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"opaque-blob": 1, "cited-x": 2, "content[0].content[0].cache_control": 2}
	for s, index := range want {
		found := false
		for _, n := range h.Notes {
			if n.Code == NoteFieldDropped && n.Index == index && strings.Contains(n.Detail, s) {
				found = true
			}
		}
		if !found {
			t.Errorf("no field-dropped note at %d names %q: %+v", index, s, h.Notes)
		}
	}
}

// TestHostedToolChoiceDropped: a Responses tool_choice that forces one of
// OpenAI's own tools (ToolChoiceTypes, ToolChoiceMcp, ToolChoiceShell,
// ToolChoiceApplyPatch in the OpenAI API reference) decodes, the choice
// dropped with a note, since Bedrock runs none of those tools and their
// declarations are dropped; it failed with "function.name: missing",
// which skipped the conversation in an import.
func TestHostedToolChoiceDropped(t *testing.T) {
	tools := `[{"type":"function","name":"get_weather","parameters":{"type":"object"}},{"type":"web_search_preview"},{"type":"mcp","server_label":"deepwiki","server_url":"https://mcp.example/sse"},{"type":"shell"}]`
	for _, choice := range []string{
		`{"type":"web_search_preview"}`,
		`{"type":"mcp","server_label":"deepwiki","name":"ask_question"}`,
		`{"type":"shell"}`,
		`{"type":"image_generation"}`,
	} {
		body := `{"format":"openai-responses","request":{"input":"q","tools":` + tools + `,"tool_choice":` + choice + `}}`
		h, err := Decode("hosted.json", []byte(body))
		if err != nil {
			t.Errorf("%s: %v", choice, err)
			continue
		}
		if h.ToolChoice != nil {
			t.Errorf("%s: tool choice %+v, want none (the model chooses)", choice, h.ToolChoice)
		}
		if len(h.Tools) != 1 || h.Tools[0].Name != "get_weather" {
			t.Errorf("%s: tools %+v, want the function alone", choice, h.Tools)
		}
		found := false
		for _, n := range h.Notes {
			found = found || n.Code == NoteFieldDropped && strings.Contains(n.Detail, "request.tool_choice = ") && strings.Contains(n.Detail, "which Bedrock does not run")
		}
		if !found {
			t.Errorf("%s: no note names the dropped choice: %+v", choice, h.Notes)
		}
	}
}
