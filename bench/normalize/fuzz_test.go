package normalize

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// FuzzNormalize: for any decodable history and any family, Normalize
// returns a request that Validate accepts (it reports a typed *Error
// otherwise, and that is a bug this target exists to find), that marshals
// and converts to the SDK, without touching its input.
func FuzzNormalize(f *testing.F) {
	files, _ := history.Files(historiesDir)
	for i, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, uint8(i))
		}
	}
	// Custom tools, client-run tool items, compaction and
	// mid-conversation system blocks, an allowed_tools choice.
	f.Add([]byte(`{"format":"openai-responses","request":{"tools":[{"type":"custom","name":"note"},{"type":"function","name":"f","parameters":{"type":"object"}},{"type":"shell"}],"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"custom","name":"note"}]},"input":[{"role":"user","content":"q"},{"type":"shell_call_output","call_id":"s1","output":[{"stdout":"early","stderr":""}]},{"type":"custom_tool_call","call_id":"c1","name":"note","input":"a line"},{"type":"shell_call","call_id":"s1","action":{"commands":["ls"]}},{"type":"computer_call","call_id":"k1","action":{"type":"click","x":1,"y":2}},{"type":"custom_tool_call_output","call_id":"c1","output":"ok"},{"type":"computer_call_output","call_id":"k1","output":{"type":"computer_screenshot","image_url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"compaction","encrypted_content":"e"},{"type":"mcp_approval_request","id":"a1","server_label":"crm","name":"f","arguments":"{}"}]}}`), uint8(0))
	f.Add([]byte(`{"format":"anthropic","request":{"max_tokens":10,"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[{"role":"assistant","content":[{"type":"compaction","content":"summary"},{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"mid_conv_system","content":[{"type":"text","text":"be brief","cache_control":{"type":"ephemeral"}}]},{"type":"tool_result","tool_use_id":"t1","content":[{"type":"tool_reference","tool_name":"g"}]},{"type":"container_upload","file_id":"file_1","cache_control":{"type":"ephemeral"}},{"type":"document","source":{"type":"file","file_id":"file_2"}}]}]}}`), uint8(1))
	// A Nova 2 system tool's typed call and result, and video blocks
	// in a turn and in a tool result.
	f.Add([]byte(`{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"q"},{"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://b/v.mp4"}}}}]},{"role":"assistant","content":[{"toolUse":{"input":{"snippet":"1+1"},"name":"nova_code_interpreter","toolUseId":"s1","type":"server_tool_use"}},{"toolResult":{"content":[{"json":{"stdOut":"2"}}],"status":"success","toolUseId":"s1","type":"nova_code_interpreter_result"}},{"toolUse":{"input":{},"name":"f","toolUseId":"c1","type":"tool_use"}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"c1","content":[{"video":{"format":"mp4","source":{"bytes":"AAAA"}}}]}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}},{"systemTool":{"name":"nova_code_interpreter"}}]}}}`), uint8(5))
	families := converse.Families()
	f.Fuzz(func(t *testing.T, data []byte, fam uint8) {
		h, err := history.Decode("fuzz.json", data)
		if err != nil {
			return
		}
		pristine, _ := history.Decode("fuzz.json", data)
		family := families[int(fam)%len(families)]
		// The high bit: the model takes text only (V-42), which is
		// the model's, not the family's.
		family.NoImages = fam&0x80 != 0
		req, rep, err := Normalize(h, Options{Family: family})
		if err != nil {
			t.Fatalf("%s: %v\nreport: %v", family.Name, err, rep.Changes)
		}
		if err := converse.Validate(&req, family); err != nil {
			t.Fatalf("%s: Normalize returned an invalid request: %v", family.Name, err)
		}
		if _, err := json.Marshal(req); err != nil {
			t.Fatalf("request does not marshal: %v", err)
		}
		if _, err := req.ToSDK("m"); err != nil {
			t.Fatalf("request does not convert to the SDK: %v", err)
		}
		if !reflect.DeepEqual(pristine, h) {
			t.Fatalf("Normalize modified its input (-before +after):\n%s", cmp.Diff(pristine, h))
		}
		naive := Naive(h)
		_ = converse.Check(&naive, family)
		checkScratch(t, h, Options{Family: family}, req, rep, err, naive)

		// The SDK path: the naive request as an SDK input comes out valid.
		in, err := naive.ToSDK("m")
		if err != nil {
			return
		}
		out, _, err := ConverseInput(in, Options{Family: family})
		if errors.Is(err, ErrUnsupportedInput) {
			return // a role the SDK path does not read (developer)
		}
		if err != nil {
			t.Fatalf("%s: SDK path: %v", family.Name, err)
		}
		back, err := converse.RequestFromSDK(out)
		if err != nil {
			t.Fatalf("SDK path output does not convert back: %v", err)
		}
		if err := converse.Validate(back, family); err != nil {
			t.Fatalf("%s: SDK path returned an invalid request: %v", family.Name, err)
		}
	})
}
