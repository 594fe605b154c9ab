package history

import (
	"fmt"
	"strings"
	"testing"
)

// benchFixtures are a fixture per format of about n messages, in the
// shapes logs hold (text, tool calls and results, tools, a tool choice),
// with nothing the decoders report as dropped.
func benchFixtures(n int) []struct {
	format Format
	data   []byte
} {
	var oa, an, cv []string
	for i := 0; len(oa) < n; i++ {
		id := fmt.Sprintf("call_%04dXq9z", i)
		question := fmt.Sprintf("Question %d: my order %d has not arrived yet and the tracking page shows no update since Monday. What should I do next?", i, 1000+i)
		answer := fmt.Sprintf("Your order %d is in transit with DHL. The last scan was on Monday; the expected delivery date is 21 November.", 1000+i)
		args := fmt.Sprintf(`{"order_id": %d, "include": ["tracking", "carrier"]}`, 1000+i)
		result := `{"status": "in_transit", "carrier": "DHL", "eta": "2026-11-21"}`
		oa = append(oa,
			fmt.Sprintf(`{"role":"user","content":%q}`, question),
			fmt.Sprintf(`{"role":"assistant","content":null,"tool_calls":[{"id":%q,"type":"function","function":{"name":"lookup_order","arguments":%q}}]}`, id, args),
			fmt.Sprintf(`{"role":"tool","tool_call_id":%q,"content":%q}`, id, result),
			fmt.Sprintf(`{"role":"assistant","content":[{"type":"text","text":%q}]}`, answer))
		an = append(an,
			fmt.Sprintf(`{"role":"user","content":[{"type":"text","text":%q,"cache_control":{"type":"ephemeral"}}]}`, question),
			fmt.Sprintf(`{"role":"assistant","content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":%q,"name":"lookup_order","input":%s}]}`, id, args),
			fmt.Sprintf(`{"role":"user","content":[{"type":"tool_result","tool_use_id":%q,"content":[{"type":"text","text":%q}]}]}`, id, result),
			fmt.Sprintf(`{"role":"assistant","content":%q}`, answer))
		cv = append(cv,
			fmt.Sprintf(`{"role":"user","content":[{"text":%q}]}`, question),
			fmt.Sprintf(`{"role":"assistant","content":[{"toolUse":{"toolUseId":%q,"name":"lookup_order","input":%s}}]}`, id, args),
			fmt.Sprintf(`{"role":"user","content":[{"toolResult":{"toolUseId":%q,"content":[{"json":%s}],"status":"success"}}]}`, id, result),
			fmt.Sprintf(`{"role":"assistant","content":[{"text":%q}]}`, answer))
	}
	schema := `{"type":"object","properties":{"order_id":{"type":"integer"},"include":{"type":"array","items":{"type":"string"}}},"required":["order_id"]}`
	system := "You are a support agent for Acme. Answer briefly and cite the knowledge base."
	return []struct {
		format Format
		data   []byte
	}{
		{FormatOpenAI, fixture("openai", `{"model":"gpt-4o","temperature":0.2,"tools":[{"type":"function","function":{"name":"lookup_order","description":"Look up an order.","parameters":`+schema+`}}],"tool_choice":"auto",`+
			`"messages":[{"role":"system","content":`+fmt.Sprintf("%q", system)+`},`+strings.Join(oa, ",")+`]}`)},
		{FormatAnthropic, fixture("anthropic", `{"model":"claude","max_tokens":1024,"system":`+fmt.Sprintf("%q", system)+`,"tools":[{"name":"lookup_order","description":"Look up an order.","input_schema":`+schema+`}],"tool_choice":{"type":"auto"},`+
			`"messages":[`+strings.Join(an, ",")+`]}`)},
		{FormatConverse, fixture("converse", `{"system":[{"text":`+fmt.Sprintf("%q", system)+`}],"inferenceConfig":{"maxTokens":1024,"temperature":0.2},`+
			`"toolConfig":{"tools":[{"toolSpec":{"name":"lookup_order","description":"Look up an order.","inputSchema":{"json":`+schema+`}}}],"toolChoice":{"auto":{}}},`+
			`"additionalModelRequestFields":{"top_k":5},"messages":[`+strings.Join(cv, ",")+`]}`)},
	}
}

// BenchmarkDecodeGeneral measures the general decoder, which reads every
// body the fast path declines, on bodies with nothing to report.
func BenchmarkDecodeGeneral(b *testing.B) {
	for _, fx := range benchFixtures(40) {
		b.Run("format="+string(fx.format), func(b *testing.B) {
			b.SetBytes(int64(len(fx.data)))
			b.ReportAllocs()
			for b.Loop() {
				h, err := decodeGeneral("bench.json", fx.data)
				if err != nil {
					b.Fatal(err)
				}
				if d := droppedDetails(h); d != nil {
					b.Fatalf("dropped: %q", d)
				}
			}
		})
	}
}

// BenchmarkDecode measures Decode, fast path first, on the same bodies.
func BenchmarkDecode(b *testing.B) {
	for _, fx := range benchFixtures(40) {
		b.Run("format="+string(fx.format), func(b *testing.B) {
			b.SetBytes(int64(len(fx.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode("bench.json", fx.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConverseDropped measures the search of a Converse body for
// members without a place, alone, on a body with none.
func BenchmarkConverseDropped(b *testing.B) {
	fx := benchFixtures(40)[2]
	start := strings.Index(string(fx.data), `"request":`) + len(`"request":`)
	body := fx.data[start : len(fx.data)-1]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d := decoder{}
		d.converseDropped(body)
		if d.notes != nil {
			b.Fatal(d.notes)
		}
	}
}
