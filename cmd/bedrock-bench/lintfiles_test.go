package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestLintFilesKeepsOrder: whatever the number of workers and however
// long each file takes, results come out in the order the walk yields the
// files, each once; an error from emit or from the walk ends the run with
// that error.
func TestLintFilesKeepsOrder(t *testing.T) {
	walkOf := func(n int, failAt int) func(func(string) error) error {
		return func(yield func(string) error) error {
			for i := range n {
				if i == failAt {
					return errors.New("walk failed")
				}
				if err := yield(fmt.Sprintf("f%05d", i)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	lint := func(p string) lintResult {
		if rand.IntN(50) == 0 {
			time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
		}
		return lintResult{File: p}
	}
	for _, jobs := range []int{1, 2, 3, 8} {
		for _, n := range []int{0, 1, lintBatch - 1, lintBatch, lintBatch + 1, 1000} {
			var got []string
			err := lintFiles(walkOf(n, -1), jobs, lint, func(r lintResult) error {
				got = append(got, r.File)
				return nil
			})
			if err != nil || len(got) != n {
				t.Fatalf("jobs %d, %d files: %d results, %v", jobs, n, len(got), err)
			}
			for i, f := range got {
				if f != fmt.Sprintf("f%05d", i) {
					t.Fatalf("jobs %d, %d files: result %d is %s", jobs, n, i, f)
				}
			}
		}
		stopAt := errors.New("stop")
		emitted := 0
		err := lintFiles(walkOf(1000, -1), jobs, lint, func(r lintResult) error {
			if emitted++; emitted == 100 {
				return stopAt
			}
			return nil
		})
		if !errors.Is(err, stopAt) || emitted != 100 {
			t.Errorf("jobs %d: an emit error gave %v after %d results, want it after 100", jobs, err, emitted)
		}
		emitted = 0
		err = lintFiles(walkOf(1000, 500), jobs, lint, func(lintResult) error { emitted++; return nil })
		if err == nil || err.Error() != "walk failed" || emitted != 500 {
			t.Errorf("jobs %d: a walk error gave %v after %d results, want it after the 500 files before it", jobs, err, emitted)
		}
	}
}
