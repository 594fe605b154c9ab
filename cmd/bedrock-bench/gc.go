package main

import (
	"os"
	"runtime/debug"
)

// setGC sets the garbage collector's percent and soft memory limit (bytes)
// for a long batch job, leaving each one the user set through GOGC or
// GOMEMLIMIT as it is, and returns the function that restores both.
func setGC(percent int, limit int64) (restore func()) {
	prevPercent, prevLimit := -2, int64(-1)
	if os.Getenv("GOGC") == "" {
		prevPercent = debug.SetGCPercent(percent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		prevLimit = debug.SetMemoryLimit(limit)
	}
	return func() {
		if prevPercent != -2 {
			debug.SetGCPercent(prevPercent)
		}
		if prevLimit >= 0 {
			debug.SetMemoryLimit(prevLimit)
		}
	}
}
