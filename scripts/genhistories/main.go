// Command genhistories writes a corpus of synthetic OpenAI-format history
// fixtures for benchmarks (the shared peers harness, lint throughput):
//
//	go run ./scripts/genhistories -n 1000 -turns 20 -out /tmp/histories
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bedrock-bench/bedrock-bench/bench/history/synth"
)

func main() {
	n := flag.Int("n", 1000, "number of histories")
	turns := flag.Int("turns", 20, "messages per history after the system prompt")
	out := flag.String("out", "", "output folder (required)")
	flag.Parse()
	if *out == "" || *n < 0 || *turns < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := synth.WriteCorpus(*out, *n, *turns); err != nil {
		fmt.Fprintln(os.Stderr, "genhistories:", err)
		os.Exit(1)
	}
}
