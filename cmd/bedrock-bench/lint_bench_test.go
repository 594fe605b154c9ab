package main

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/history/synth"
)

// BenchmarkLintFiles lints a generated corpus (BEDROCK_BENCH_LINT_CORPUS
// histories, default 2,000, written to a temporary folder) with --jobs
// GOMAXPROCS, streaming the files and the results: one op is the whole
// corpus.
func BenchmarkLintFiles(b *testing.B) {
	n := 2000
	if v := os.Getenv("BEDROCK_BENCH_LINT_CORPUS"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	if err := synth.WriteCorpus(dir, n, 20); err != nil {
		b.Fatal(err)
	}
	fam, _ := converse.LookupFamily(converse.DefaultFamily)
	lint := func(f string) lintResult { return lintFile(dir, f, fam) }
	b.ReportAllocs()
	for b.Loop() {
		failed := 0
		walk := func(yield func(string) error) error { return history.Walk(dir, yield) }
		err := lintFiles(walk, runtime.GOMAXPROCS(0), lint, func(r lintResult) error {
			if r.Error != "" {
				failed++
			}
			return nil
		})
		if err != nil || failed > 0 {
			b.Fatal(err, failed)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "histories/s")
}
