//go:build race

package converse

// raceEnabled: the race detector's instrumentation changes how many
// allocations a call makes, so allocation counts are not compared.
const raceEnabled = true
