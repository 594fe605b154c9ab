package history

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecode feeds arbitrary bytes to Decode. The property: it never
// panics, every failure is a *Error that names the file, and a success
// decodes the same way twice.
func FuzzDecode(f *testing.F) {
	files, _ := Files("../../histories")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, format := range Formats {
		f.Add(fixture(string(format), `{"messages":[]}`))
	}
	// Members without a place below the top level, each to be reported.
	f.Add(fixture("converse", `{"messages":[{"role":"user","id":1,"content":[{"text":"a","citationsContent":{}},{"toolResult":{"toolUseId":"t","content":[{"text":"r","x":[1]}]}}]}],"system":[{"text":"s","y":2}],"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}},"z":3}}],"toolChoice":{"auto":{"w":4}}},"inferenceConfig":{"topK":5}}`))
	f.Add(fixture("openai", `{"tools":[{"type":"function","function":{"name":"f","strict":true,"x":1},"y":2}],"messages":[{"role":"assistant","tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{}","z":3}}]}]}`))
	f.Add(fixture("anthropic", `{"metadata":{"x":1},"tools":[{"name":"f","cache_control":{"type":"ephemeral"}}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true},"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/a.png","y":2},"cache_control":{"type":"ephemeral","z":3}}]}]}`))
	f.Add(fixture("openai-responses", `{"instructions":[{"type":"input_text","text":"s","x":1}],"text":{"verbosity":"low"},"tools":[{"type":"function","name":"f","y":2}],"input":[{"role":"assistant","id":"m","content":[{"type":"output_text","text":"a","annotations":[]}]},{"type":"function_call","call_id":"c","name":"f","arguments":"{}","status":"done"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r","z":3}]},{"type":"reasoning","summary":[{"type":"summary_text","text":"t","w":4}]}]}`))
	f.Add(fixture("openai-responses", `{"input":[{"role":"user","content":"hi","call_id":"c0"},{"type":"function_call","role":"assistant","call_id":"c1","name":"f","arguments":"{}","content":"x"},{"type":"reasoning","summary":[],"encrypted_content":"e","output":"o"}]}`))
	f.Add(fixture("converse", `{"system":[{"text":"s","cachePoint":{"type":"default"},"guardContent":null}],"messages":[{"role":"user","content":[{"text":"a","video":{"format":"mp4"},"guardContent":{}},{"document":{"name":"d","format":"txt","source":{"text":"b"},"context":"c"}}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"t"},"redactedContent":"AQID"}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"json":null,"text":"r","document":{"name":"e","source":{"bytes":"aGk="},"context":"x"}}]}}]}]}`))
	f.Add(fixture("openai", `{"messages":[{"role":"user","content":"a","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}],"function_call":{"name":"f"},"refusal":"r","reasoning":"t","reasoning_content":"u","tool_call_id":"c"},{"role":"assistant","content":"b","tool_call_id":"x"},{"role":"function","name":"f","content":"r","refusal":""}]}`))
	f.Add(fixture("anthropic", `{"system":[{"type":"text","text":"s","id":"i"}],"messages":[{"role":"user","content":[{"type":"text","text":"a","title":"t","content":[{"type":"text","text":"b"}]},{"type":"document","source":{"type":"text","data":"d","x":1},"title":"T","tool_use_id":"u"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","source":{"type":"url","url":"u","y":2}}]}]}`))
	// Server tool blocks, odd ones among them.
	f.Add(fixture("anthropic", `{"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"assistant","content":[{"type":"server_tool_use","id":"s","name":"web_search","input":{"query":"q"},"x":1},{"type":"web_search_tool_result","tool_use_id":"s","content":[{"type":"web_search_result","url":"u","title":"t","encrypted_content":"e"}]},{"type":"code_execution_tool_result","tool_use_id":"c","content":{"type":"code_execution_result","stdout":"o","return_code":"x"}},{"type":"mcp_tool_result","tool_use_id":"m","content":7},{"type":"search_result","source":{"type":"url"},"title":"t","content":"c"}]}]}`))
	f.Add(fixture("openai-responses", `{"tools":[{"type":"web_search_preview"}],"input":[{"type":"web_search_call","id":"w","action":{"query":1}},{"type":"mcp_call","name":"f","arguments":"{","output":2},{"type":"code_interpreter_call","outputs":[{"type":"logs","logs":"l"}]}]}`))
	// The block and item types of custom and client-run tools, MCP
	// approvals, compaction, files by id and mid-conversation system
	// blocks, odd ones among them.
	for _, s := range newTypeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Decode("fuzz.json", data)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) || de.File != "fuzz.json" {
				t.Fatalf("error %T %q does not name the file", err, err)
			}
			return
		}
		again, err := Decode("fuzz.json", data)
		if err != nil {
			t.Fatalf("second decode failed: %v", err)
		}
		if !reflect.DeepEqual(h, again) {
			t.Fatalf("decoding is not deterministic (-first +second):\n%s", cmp.Diff(h, again))
		}
	})
}

// newTypeSeeds are bodies of each block and item type the decoders
// learned in 2026-12, for FuzzDecode and FuzzFastPath.
var newTypeSeeds = []string{
	`{"format":"openai","request":{"tools":[{"type":"custom","custom":{"name":"apply_patch","description":"d","format":{"type":"grammar","grammar":{"syntax":"lark","definition":"start: x"}}}},{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"custom","custom":{"name":"apply_patch"}},"messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin Patch"}},{"id":"c2","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"},{"role":"tool","tool_call_id":"c2","content":"ok"}]}}`,
	`{"format":"openai","request":{"tools":[{"type":"custom","custom":{"name":"p","input":"x"},"function":{"name":"q"}}],"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"custom","custom":{"name":"p"}}]}},"messages":[{"role":"assistant","tool_calls":[{"id":"c1","type":"custom","custom":{"name":"p","input":7,"format":{}},"function":{"name":"q"}}]}]}}`,
	`{"format":"openai","request":{"tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","function":{"name":"a"}}],"allowed_tools":{"mode":"auto","tools":[]}},"messages":[{"role":"user","content":"q"}]}}`,
	`{"format":"anthropic","request":{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"container_upload","file_id":"file_1","cache_control":{"type":"ephemeral"}},{"type":"mid_conv_system","content":[{"type":"text","text":"be brief","cache_control":{"type":"ephemeral"},"x":1}]},{"type":"document","title":"t","source":{"type":"content","content":[{"type":"text","text":"a"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}},{"type":"image","source":{"type":"file","file_id":"file_2","url":"u"}}]},{"role":"assistant","content":[{"type":"compaction","content":"summary","encrypted_content":"e"},{"type":"fallback","to":{"model":"m"}},{"type":"tool_addition","tool_name":"t"},{"type":"tool_removal","tool_name":"t"},{"type":"server_tool_use","id":"s1","name":"advisor","input":{}},{"type":"advisor_tool_result","tool_use_id":"s1","content":{"type":"advisor_redacted_result","encrypted_content":"e"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"tool_reference","tool_name":"x"}]}]}]}}`,
	`{"format":"anthropic","request":{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"mid_conv_system","content":"plain"},{"type":"mid_conv_system","content":[{"type":"image"}]},{"type":"document","source":{"type":"content","content":"s"}},{"type":"compaction","content":null},{"type":"compaction","content":[{"type":"text","text":"t"}]}]}]}}`,
	`{"format":"openai-responses","request":{"tools":[{"type":"custom","name":"note","format":{"type":"grammar","syntax":"regex","definition":"x"}},{"type":"computer_use_preview","display_width":1,"display_height":1,"environment":"browser"},{"type":"shell"},{"type":"apply_patch"},{"type":"local_shell"}],"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"custom","name":"note"},{"type":"mcp","server_label":"crm"}]},"input":[{"role":"user","content":"q"},{"type":"custom_tool_call","call_id":"c1","name":"note","input":"a line"},{"type":"custom_tool_call_output","call_id":"c1","output":"ok"},{"type":"computer_call","call_id":"k1","action":{"type":"click","x":1,"y":2},"pending_safety_checks":[]},{"type":"computer_call_output","call_id":"k1","output":{"type":"computer_screenshot","image_url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"local_shell_call","call_id":"l1","action":{"type":"exec","command":["ls"]}},{"type":"local_shell_call_output","id":"l1","output":"a"},{"type":"shell_call","call_id":"s1","action":{"commands":["ls"]}},{"type":"shell_call_output","call_id":"s1","output":[{"stdout":"a","stderr":"","outcome":{"type":"timeout"}}]},{"type":"apply_patch_call","call_id":"p1","operation":{"type":"delete_file","path":"a"}},{"type":"apply_patch_call_output","call_id":"p1","status":"completed"},{"type":"mcp_approval_request","id":"a1","server_label":"crm","name":"f","arguments":"{}"},{"type":"mcp_approval_response","approval_request_id":"a1","approve":true},{"type":"compaction","encrypted_content":"e"}]}}`,
	`{"format":"openai-responses","request":{"tool_choice":{"type":"custom","name":"n","custom":{}},"input":[{"type":"computer_call_output","call_id":"k","output":"x"},{"type":"shell_call_output","call_id":"s","output":{"stdout":1}},{"type":"custom_tool_call","call_id":"c","name":"n","input":{"a":1}},{"type":"mcp_approval_response","approve":false}]}}`,
}
