package normalize

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// checkIdempotent normalizes h for fam, then normalizes the request it
// got as a Converse history: the second run must change nothing and
// report nothing.
func checkIdempotent(t *testing.T, name string, h *history.History, fam converse.Family, stream bool) {
	t.Helper()
	req, _, err := Normalize(h, Options{Family: fam, Stream: stream})
	if err != nil {
		t.Fatalf("%s (%s, stream %v): %v", name, fam.Name, stream, err)
	}
	again, err := history.FromRequest(name, &req)
	if err != nil {
		t.Fatalf("%s (%s, stream %v): the normalized request does not decode: %v", name, fam.Name, stream, err)
	}
	req2, rep2, err := Normalize(again, Options{Family: fam, Stream: stream})
	if err != nil {
		t.Fatalf("%s (%s, stream %v): normalizing the output: %v", name, fam.Name, stream, err)
	}
	if diff := cmp.Diff(req, req2, canonicalJSON); diff != "" || len(rep2.Changes) > 0 {
		out, _ := json.MarshalIndent(req.Messages, "", " ")
		t.Fatalf("%s (%s, stream %v): normalizing the output again changes it: %v\n%s\noutput: %s", name, fam.Name, stream, rep2.Changes, diff, out)
	}
}

// TestIdempotent: the normalizer's output is a fixed point, for every
// fixture and the generated histories of the property, conservation and
// cache-point tests, for every family. Moving tool results first once
// put two cache points side by side, which a second run then dropped.
func TestIdempotent(t *testing.T) {
	n := uint64(100)
	if testing.Short() {
		n = 30
	}
	for _, fam := range converse.Families() {
		for _, h := range loadFixtures(t) {
			checkIdempotent(t, h.ID, h, fam, false)
			checkIdempotent(t, h.ID, h, fam, true)
		}
		for seed := range n {
			g := newGenHistory(seed)
			h, err := history.Decode("gen.json", g.render())
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			checkIdempotent(t, "property", h, fam, seed%3 == 0)
			parts, _ := genParts(seed)
			checkIdempotent(t, "conservation", parts, fam, seed%2 == 0)
			cps, _ := genCachePoints(seed)
			checkIdempotent(t, "cache points", cps, fam, false)
		}
	}
}
