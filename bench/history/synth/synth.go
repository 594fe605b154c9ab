// Package synth generates synthetic OpenAI Chat Completions history
// fixtures for benchmarks: a support conversation cycling user question,
// assistant tool call, tool result and assistant answer, with a system
// reminder every twenty messages. The output is deterministic for a given
// turn count and seed.
package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// OpenAI returns a history envelope ({"format": "openai", "request": ...})
// of n messages after a system prompt. seed varies the ids, numbers and
// dates so that histories of a corpus differ.
func OpenAI(n, seed int) []byte {
	return []byte(`{"description":"synthetic","tags":["bench"],"format":"openai","request":` + string(OpenAIBody(n, seed)) + `}`)
}

// OpenAIBody returns the Chat Completions request body of [OpenAI].
func OpenAIBody(n, seed int) []byte {
	msgs := make([]string, 0, n+2)
	msgs = append(msgs, `{"role":"system","content":"You are a support agent for Acme. Answer briefly and cite the knowledge base."}`)
	for i := 0; len(msgs) <= n; i++ {
		k := seed*1000 + i
		id := fmt.Sprintf("call_%04dXq9z", k)
		msgs = append(msgs,
			fmt.Sprintf(`{"role":"user","content":"Question %d: my order %d has not arrived yet and the tracking page shows no update since Monday. What should I do next?"}`, i, 1000+k),
			fmt.Sprintf(`{"role":"assistant","content":null,"tool_calls":[{"id":%q,"type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\": %d, \"include\": [\"tracking\", \"carrier\"]}"}}]}`, id, 1000+k),
			fmt.Sprintf(`{"role":"tool","tool_call_id":%q,"content":"{\"status\": \"in_transit\", \"carrier\": \"DHL\", \"last_scan\": \"2026-11-1%dT09:00:00Z\", \"eta\": \"2026-11-21\"}"}`, id, k%10),
			fmt.Sprintf(`{"role":"assistant","content":"Your order %d is in transit with DHL. The last scan was on Monday; the expected delivery date is 21 November. I will keep an eye on it."}`, 1000+k))
		if i%5 == 4 {
			msgs = append(msgs, `{"role":"system","content":"Reminder: never promise refunds."}`)
		}
	}
	msgs = msgs[:n+1]
	tools := `[{"type":"function","function":{"name":"lookup_order","description":"Look up an order.","parameters":{"type":"object","properties":{"order_id":{"type":"integer"},"include":{"type":"array","items":{"type":"string"}}},"required":["order_id"]}}}]`
	return []byte(`{"model":"gpt-4o","tools":` + tools + `,"messages":[` + strings.Join(msgs, ",") + `]}`)
}

// WriteCorpus writes count histories of turns messages each into dir as
// h000000.json, h000001.json, ..., in subfolders of 1,000 files.
func WriteCorpus(dir string, count, turns int) error {
	for i := 0; i < count; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("%03d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
		}
		name := filepath.Join(sub, "h"+strconv.Itoa(1000000 + i)[1:]+".json")
		if err := os.WriteFile(name, OpenAI(turns, i), 0o644); err != nil {
			return err
		}
	}
	return nil
}
