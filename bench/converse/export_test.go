package converse

// RuleCase is one entry of ruleCases, for the tests of package
// converse_test, which hold the other places the contract must hold in
// (the emulator, the normalizer).
type RuleCase struct {
	Rule, Family string
	Bad, Good    string
	Want         string
}

// RuleCases returns ruleCases: for every rule, a request that breaks
// only that rule, the same request repaired, and the service's message.
func RuleCases() []RuleCase {
	out := make([]RuleCase, len(ruleCases))
	for i, tc := range ruleCases {
		out[i] = RuleCase{Rule: tc.rule, Family: tc.family, Bad: tc.bad, Good: tc.good, Want: tc.want}
	}
	return out
}
