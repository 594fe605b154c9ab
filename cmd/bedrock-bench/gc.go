package main

import (
	"os"
	"runtime/debug"
)

// setGC sets the garbage collector's percent and soft memory limit (bytes)
// for a long batch job, leaving each one the user set through GOGC or
// GOMEMLIMIT as it is, and returns the function that restores what it set.
func setGC(percent int, limit int64) (restore func()) {
	var undo []func()
	if os.Getenv("GOGC") == "" {
		prev := debug.SetGCPercent(percent)
		undo = append(undo, func() { debug.SetGCPercent(prev) })
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(limit)
		undo = append(undo, func() { debug.SetMemoryLimit(prev) })
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}
