package normalize

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// syntheticHistory returns an OpenAI-format fixture of n messages after a
// system prompt, cycling user, assistant tool call, tool result, assistant
// answer, with realistic lengths and a mid-conversation system reminder
// every 20 messages.
func syntheticHistory(n int) []byte {
	var msgs []string
	msgs = append(msgs, `{"role":"system","content":"You are a support agent for Acme. Answer briefly and cite the knowledge base."}`)
	for i := 0; len(msgs) <= n; i++ {
		id := fmt.Sprintf("call_%04dXq9z", i)
		msgs = append(msgs,
			fmt.Sprintf(`{"role":"user","content":"Question %d: my order %d has not arrived yet and the tracking page shows no update since Monday. What should I do next?"}`, i, 1000+i),
			fmt.Sprintf(`{"role":"assistant","content":null,"tool_calls":[{"id":%q,"type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\": %d, \"include\": [\"tracking\", \"carrier\"]}"}}]}`, id, 1000+i),
			fmt.Sprintf(`{"role":"tool","tool_call_id":%q,"content":"{\"status\": \"in_transit\", \"carrier\": \"DHL\", \"last_scan\": \"2026-11-1%dT09:00:00Z\", \"eta\": \"2026-11-21\"}"}`, id, i%10),
			fmt.Sprintf(`{"role":"assistant","content":"Your order %d is in transit with DHL. The last scan was on Monday; the expected delivery date is 21 November. I will keep an eye on it."}`, 1000+i))
		if i%5 == 4 {
			msgs = append(msgs, `{"role":"system","content":"Reminder: never promise refunds."}`)
		}
	}
	msgs = msgs[:n+1]
	tools := `[{"type":"function","function":{"name":"lookup_order","description":"Look up an order.","parameters":{"type":"object","properties":{"order_id":{"type":"integer"},"include":{"type":"array","items":{"type":"string"}}},"required":["order_id"]}}}]`
	return []byte(`{"description":"synthetic","tags":["bench"],"format":"openai","request":{"model":"gpt-4o","tools":` + tools + `,"messages":[` + strings.Join(msgs, ",") + `]}}`)
}

var benchSizes = []int{20, 200}

// BenchmarkDecode measures decoding a fixture into the neutral model.
func BenchmarkDecode(b *testing.B) {
	for _, n := range benchSizes {
		data := syntheticHistory(n)
		b.Run(fmt.Sprintf("turns=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := history.Decode("bench.json", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNormalize measures Normalize alone on a decoded history.
func BenchmarkNormalize(b *testing.B) {
	for _, n := range benchSizes {
		h, err := history.Decode("bench.json", syntheticHistory(n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("turns=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Normalize(h, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipeline is the whole job: decode the fixture, normalize it,
// encode the Converse JSON that goes on the wire (into a reused buffer, as
// a sender does). Compare it with BenchmarkPlainRoundTrip and the floors
// of BenchmarkFloor.
func BenchmarkPipeline(b *testing.B) {
	for _, n := range benchSizes {
		data := syntheticHistory(n)
		b.Run(fmt.Sprintf("turns=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				h, err := history.Decode("bench.json", data)
				if err != nil {
					b.Fatal(err)
				}
				req, _, err := Normalize(h, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if out, err = req.AppendJSON(out[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// plainChat is the Chat Completions body as a plain struct, for the typed
// baseline: what a program that only passes the payload through pays.
type plainChat struct {
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Format      string   `json:"format"`
	Request     struct {
		Model string `json:"model"`
		Tools []struct {
			Type     string `json:"type"`
			Function struct {
				Name        string         `json:"name"`
				Description string         `json:"description"`
				Parameters  map[string]any `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
		Messages []struct {
			Role       string  `json:"role"`
			Content    *string `json:"content"`
			ToolCallID string  `json:"tool_call_id,omitempty"`
			ToolCalls  []struct {
				ID       string `json:"id"`
				Type     string `json:"type"`
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls,omitempty"`
		} `json:"messages"`
	} `json:"request"`
}

// BenchmarkPlainRoundTrip is the baseline: decode the same payload and
// encode it again, generically (any) and into a plain typed struct.
func BenchmarkPlainRoundTrip(b *testing.B) {
	for _, n := range benchSizes {
		data := syntheticHistory(n)
		b.Run(fmt.Sprintf("any/turns=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("typed/turns=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var v plainChat
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(&v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFloor is the physical floor under every figure above, on the
// same bytes: "tokenizer" reads every JSON token with jsontext without
// building a value; "memmove" copies the bytes once.
func BenchmarkFloor(b *testing.B) {
	for _, n := range benchSizes {
		data := syntheticHistory(n)
		b.Run(fmt.Sprintf("tokenizer/turns=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			dec := jsontext.NewDecoder(bytes.NewReader(data))
			r := bytes.NewReader(data)
			for b.Loop() {
				r.Reset(data)
				dec.Reset(r)
				for {
					if _, err := dec.ReadToken(); err != nil {
						if err != io.EOF {
							b.Fatal(err)
						}
						break
					}
				}
			}
		})
		b.Run(fmt.Sprintf("memmove/turns=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			dst := make([]byte, len(data))
			for b.Loop() {
				copy(dst, data)
			}
		})
	}
}

// BenchmarkValidate measures the contract validator on a normalized request.
func BenchmarkValidate(b *testing.B) {
	h, _ := history.Decode("bench.json", syntheticHistory(200))
	req, _, _ := Normalize(h, Options{})
	fam, _ := converse.LookupFamily(converse.DefaultFamily)
	b.ReportAllocs()
	for b.Loop() {
		if err := converse.Validate(&req, fam); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSyntheticHistoryIsValidInput(t *testing.T) {
	for _, n := range benchSizes {
		h, err := history.Decode("bench.json", syntheticHistory(n))
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Messages) != n+1 {
			t.Errorf("%d messages, want %d", len(h.Messages), n+1)
		}
		if _, _, err := Normalize(h, Options{}); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkEncode compares encoding the normalized request with
// AppendJSON into a reused buffer and with encoding/json's reflection.
func BenchmarkEncode(b *testing.B) {
	for _, n := range benchSizes {
		h, err := history.Decode("bench.json", syntheticHistory(n))
		if err != nil {
			b.Fatal(err)
		}
		req, _, err := Normalize(h, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("append/turns=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				if out, err = req.AppendJSON(out[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("reflection/turns=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(&req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRatios runs the pipeline, the plain typed round trip and the
// tokenizer floor one after another in each iteration, so that the load
// of a shared machine falls on all three alike, and reports the ratios:
// the figures to quote. ns/op is the sum of the three.
func BenchmarkRatios(b *testing.B) {
	for _, n := range benchSizes {
		data := syntheticHistory(n)
		b.Run(fmt.Sprintf("turns=%d", n), func(b *testing.B) {
			var out []byte
			dec := jsontext.NewDecoder(bytes.NewReader(data))
			r := bytes.NewReader(data)
			var tPipe, tPlain, tTok time.Duration
			for b.Loop() {
				t0 := time.Now()
				h, err := history.Decode("bench.json", data)
				if err != nil {
					b.Fatal(err)
				}
				req, _, err := Normalize(h, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if out, err = req.AppendJSON(out[:0]); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				var v plainChat
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(&v); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				r.Reset(data)
				dec.Reset(r)
				for {
					if _, err := dec.ReadToken(); err != nil {
						break
					}
				}
				t3 := time.Now()
				tPipe, tPlain, tTok = tPipe+t1.Sub(t0), tPlain+t2.Sub(t1), tTok+t3.Sub(t2)
			}
			b.ReportMetric(float64(tPipe.Nanoseconds())/float64(b.N), "pipeline-ns/op")
			b.ReportMetric(float64(tPipe)/float64(tPlain), "x-plain-typed")
			b.ReportMetric(float64(tPipe)/float64(tTok), "x-tokenizer")
		})
	}
}

// BenchmarkScratch is lint's work on one 20-turn fixture (decode,
// the one-to-one request and the normalized one), with new arrays for
// each history and with the arrays of the one before (history.Scratch and
// Scratch), in one run.
func BenchmarkScratch(b *testing.B) {
	data := syntheticHistory(20)
	fam := converse.FamilyOrDefault("")
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h, err := history.Decode("bench.json", data)
			if err != nil {
				b.Fatal(err)
			}
			naive := Naive(h)
			_ = converse.Check(&naive, fam)
			if _, _, err := Normalize(h, Options{Family: fam}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reused", func(b *testing.B) {
		var hs history.Scratch
		var ns Scratch
		b.ReportAllocs()
		for b.Loop() {
			h, err := hs.Decode("bench.json", data)
			if err != nil {
				b.Fatal(err)
			}
			naive := ns.Naive(h)
			_ = converse.Check(&naive, fam)
			if _, _, err := ns.Normalize(h, Options{Family: fam}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
