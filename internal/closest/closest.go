// Package closest finds the known name nearest a mistyped one, for an
// error that says "did you mean ...".
package closest

// Name returns the name of known nearest to s, a typo away (at most two
// letters inserted, removed, changed or swapped with their neighbour),
// or "" when none is that near, or s itself is known.
func Name(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if k == s {
			return ""
		}
		if d := distance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes.
func distance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		return 1 << 30
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
