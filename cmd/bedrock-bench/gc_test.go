package main

import (
	"runtime/debug"
	"testing"
)

// gcPercent returns the collector's percent without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestSetGCKeepsTheEnvironmentsSettings(t *testing.T) {
	before, limit := gcPercent(), debug.SetMemoryLimit(-1)
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	restore := setGC(1234, 99<<20)
	if got, lim := gcPercent(), debug.SetMemoryLimit(-1); got != 1234 || lim != 99<<20 {
		t.Errorf("without GOGC and GOMEMLIMIT: percent %d, limit %d; want 1234, %d", got, lim, 99<<20)
	}
	restore()
	if got, lim := gcPercent(), debug.SetMemoryLimit(-1); got != before || lim != limit {
		t.Errorf("restored to percent %d, limit %d; want %d, %d", got, lim, before, limit)
	}
	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "1GiB")
	restore = setGC(1234, 99<<20)
	if got, lim := gcPercent(), debug.SetMemoryLimit(-1); got != before || lim != limit {
		t.Errorf("with GOGC and GOMEMLIMIT set: percent %d, limit %d; want them left at %d, %d", got, lim, before, limit)
	}
	restore()
}
