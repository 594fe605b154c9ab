package history

import (
	"strings"
	"testing"
)

// TestLegacyFunctionResultsPairInOrder: a legacy function_call carries no
// id, so the decoder gives each call one (call_<message index>) and pairs
// each function message with an open call of its name. README, History
// fixtures: each call is "answered by the next function message of that
// name". Calls logged one after the other (a turn stored step by step)
// are answered in the order they were made; before, the first result went
// to the latest call, so two calls of one name got each other's answers.
// A call left unanswered in an earlier turn (before a user message) does
// not take the result of a later turn's call.
func TestLegacyFunctionResultsPairInOrder(t *testing.T) {
	call := func(q string) string {
		return `{"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":` + q + `}"}}`
	}
	result := func(q string) string {
		return `{"role":"function","name":"lookup","content":"answer for q=` + q + `"}`
	}
	other := `{"role":"assistant","content":null,"function_call":{"name":"other","arguments":"{}"}}`
	otherResult := `{"role":"function","name":"other","content":"other answer"}`
	user := `{"role":"user","content":"go on"}`
	tests := []struct {
		name     string
		messages []string
		// want maps each result's message index to the id of the call
		// it answers.
		want map[int]string
	}{
		{"calls then results", []string{user, call("1"), call("2"), result("1"), result("2")},
			map[int]string{3: "call_1", 4: "call_2"}},
		{"three calls then results", []string{user, call("1"), call("2"), call("3"), result("1"), result("2"), result("3")},
			map[int]string{4: "call_1", 5: "call_2", 6: "call_3"}},
		{"each call answered at once", []string{user, call("1"), result("1"), call("2"), result("2")},
			map[int]string{2: "call_1", 4: "call_3"}},
		{"interleaved", []string{user, call("1"), call("2"), result("1"), call("3"), result("2"), result("3")},
			map[int]string{3: "call_1", 5: "call_2", 6: "call_4"}},
		{"names kept apart", []string{user, call("1"), other, call("2"), otherResult, result("1"), result("2")},
			map[int]string{4: "call_2", 5: "call_1", 6: "call_3"}},
		{"earlier turn left open", []string{user, call("1"), user, call("2"), result("2")},
			map[int]string{4: "call_3"}},
		{"earlier turn answered after the later", []string{user, call("1"), user, call("2"), call("3"), result("2"), result("3"), result("1")},
			map[int]string{5: "call_3", 6: "call_4", 7: "call_1"}},
		{"results after a user message", []string{user, call("1"), call("2"), user, result("1"), result("2")},
			map[int]string{4: "call_1", 5: "call_2"}},
		{"more results than calls", []string{user, call("1"), result("1"), result("2")},
			map[int]string{2: "call_1", 3: ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fixture("openai", `{"model":"gpt-3.5-turbo","functions":[{"name":"lookup","parameters":{"type":"object"}},{"name":"other","parameters":{"type":"object"}}],"messages":[`+strings.Join(tt.messages, ",")+`]}`)
			h, err := Decode("histories/x.json", data)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range h.Messages {
				if m.Role != RoleTool {
					continue
				}
				want, ok := tt.want[i]
				if !ok {
					t.Fatalf("messages[%d] is a result the test does not expect", i)
				}
				if got := m.Parts[0].ID; got != want {
					t.Errorf("messages[%d] (%q) answers %q, want %q", i, m.Parts[0].Content[0].Text, got, want)
				}
			}
			if !checkFastPath(t, data) {
				t.Error("the fast path declined a legacy history; it reads function calls")
			}
		})
	}
}
