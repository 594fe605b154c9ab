package redact

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDigitFeatures holds the digit counts scanFeatures takes in its one
// pass to their definitions, on random texts of digits, separators and
// letters: digits is the number of digits, digitRun the longest run of
// them, and digitRuns the starts of the runs.
func TestDigitFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789 -.()+/aZ@:\n"
	for i := range 20000 {
		b := make([]byte, rng.IntN(40))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		text := string(b)
		digits, longest, run := 0, 0, 0
		var starts []int
		for j := 0; j < len(text); j++ {
			if text[j] < '0' || text[j] > '9' {
				run = 0
				continue
			}
			if run == 0 {
				starts = append(starts, j)
			}
			digits++
			run++
			longest = max(longest, run)
		}
		f := scanFeatures(text)
		if f.digits != digits || f.digitRun != longest || !slices.Equal(digitRuns(text), starts) {
			t.Fatalf("text %d %q: features %d digits, run %d, starts %v; want %d, %d, %v", i, text, f.digits, f.digitRun, digitRuns(text), digits, longest, starts)
		}
		for n := 1; n <= 14; n++ {
			if digitRun(n)(&f) != (longest >= n) || digitCount(n)(&f) != (digits >= n) {
				t.Fatalf("text %q, n %d: the prefilters disagree with the counts", text, n)
			}
		}
	}
}
