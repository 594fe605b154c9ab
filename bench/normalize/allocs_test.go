package normalize

import (
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
