package normalize

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// cleanRequest is the normalized synthetic history of n messages: a
// request that needs no repair.
func cleanRequest(t *testing.T, n int) converse.Request {
	h, err := history.Decode("bench.json", syntheticHistory(n))
	if err != nil {
		t.Fatal(err)
	}
	req, _, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestValidateAllocsFlat: validating a request that breaks no rule
// allocates the same whatever its length.
func TestValidateAllocsFlat(t *testing.T) {
	fam, _ := converse.LookupFamily(converse.DefaultFamily)
	allocs := map[int]float64{}
	for _, n := range []int{20, 200} {
		req := cleanRequest(t, n)
		allocs[n] = testing.AllocsPerRun(20, func() {
			if err := converse.Validate(&req, fam); err != nil {
				t.Fatal(err)
			}
		})
	}
	if allocs[20] != allocs[200] {
		t.Errorf("Validate allocates %v times on 20 messages, %v on 200: want the same", allocs[20], allocs[200])
	}
}

// cleanHistory is an OpenAI history of about n messages that needs no
// repair beyond moving its system prompt to the system field: a system
// prompt, then user question, tool call, tool result and
// answer, over and over.
func cleanHistory(t testing.TB, n int) *history.History {
	var b strings.Builder
	b.WriteString(`{"format":"openai","request":{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"lookup_order","description":"Look up an order.","parameters":{"type":"object","properties":{"order_id":{"type":"integer"}}}}}],"messages":[{"role":"system","content":"You are a support agent."}`)
	for i := 0; i < n/4; i++ {
		fmt.Fprintf(&b, `,{"role":"user","content":"Where is order %d?"}`, i)
		fmt.Fprintf(&b, `,{"role":"assistant","content":null,"tool_calls":[{"id":"call_%d","type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\": %d}"}}]}`, i, i)
		fmt.Fprintf(&b, `,{"role":"tool","tool_call_id":"call_%d","content":"{\"status\": \"in_transit\"}"}`, i)
		fmt.Fprintf(&b, `,{"role":"assistant","content":"Order %d is in transit."}`, i)
	}
	b.WriteString(`,{"role":"user","content":"Thanks."}]}}`)
	h, err := history.Decode("clean.json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestNormalizeAllocsFlat: normalizing a history that needs no repair
// allocates the same number of times whatever its length; only changes
// cost allocations of their own.
func TestNormalizeAllocsFlat(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	allocs := map[int]float64{}
	for _, n := range []int{20, 200, 2000} {
		h := cleanHistory(t, n)
		if _, rep, err := Normalize(h, Options{}); err != nil || len(rep.Changes) != 1 || rep.Changes[0].Code != SystemHoisted {
			t.Fatalf("%d messages: %v, changes %v: the history must need no repair", n, err, rep.Changes)
		}
		allocs[n] = testing.AllocsPerRun(20, func() {
			if _, _, err := Normalize(h, Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Logf("allocations: %v at 20 messages, %v at 200, %v at 2,000", allocs[20], allocs[200], allocs[2000])
	if allocs[20] != allocs[200] || allocs[200] != allocs[2000] {
		t.Errorf("Normalize allocates %v times on 20 messages, %v on 200, %v on 2000: want the same", allocs[20], allocs[200], allocs[2000])
	}
}
