package normalize

import (
	"fmt"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestNullToolInputIsNoArguments: a tool call whose input is JSON null
// (or absent) goes out as {}, what a tool without arguments takes (the
// Converse API reference: ToolUseBlock.input is a JSON object, V-16), and
// is reported; an input that is a real value other than an object (a
// string, a number, an array) is still kept as {"value": ...}. Before, a
// null input went out as {"value":null}, an argument named "value" the
// tool never declared.
func TestNullToolInputIsNoArguments(t *testing.T) {
	f, err := converse.LookupFamily("anthropic")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ input, want string }{
		{`null`, `{}`},
		{`"x"`, `{"value":"x"}`},
		{`[1,2]`, `{"value":[1,2]}`},
		{`3`, `{"value":3}`},
		{`{"a":1}`, `{"a":1}`},
	} {
		body := fmt.Sprintf(`{"format":"converse","request":{"toolConfig":{"tools":[{"toolSpec":{"name":"now","inputSchema":{"json":{"type":"object"}}}}]},"messages":[
 {"role":"user","content":[{"text":"what time is it"}]},
 {"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"now","input":%s}}]},
 {"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"noon"}]}}]}]}}`, tc.input)
		h, err := history.Decode("x.json", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		req, rep, err := Normalize(h, Options{Family: f})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(req.Messages[1].Content[0].ToolUse.Input); got != tc.want {
			t.Errorf("input %s: sent %s, want %s", tc.input, got, tc.want)
		}
		if wrapped := reportedCode(rep, ToolInputWrapped); wrapped != (tc.input != `{"a":1}`) {
			t.Errorf("input %s: reported %v", tc.input, wrapped)
		}
	}
}

func reportedCode(rep Report, code Code) bool {
	for _, c := range rep.Changes {
		if c.Code == code {
			return true
		}
	}
	return false
}
