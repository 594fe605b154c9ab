package emulator

import (
	"os"
	"regexp"
	"testing"
)

// TestRuleTextNamesExist: every rule InvokeModel's answers name by
// ruleText is a rule of the contract, so renaming a rule fails here, not
// as a panic on the request that first needs its text.
func TestRuleTextNamesExist(t *testing.T) {
	src, err := os.ReadFile("invoke.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := regexp.MustCompile(`ruleText\("([^"]+)"`).FindAllSubmatch(src, -1)
	if len(calls) == 0 {
		t.Fatal("no ruleText call found in invoke.go")
	}
	for _, c := range calls {
		if invokeRules[string(c[1])] == nil {
			t.Errorf("ruleText(%q): no contract rule has that name", c[1])
		}
	}
}
