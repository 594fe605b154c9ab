//go:build peersfloor

// This file is not part of the module's build: scripts/peers-floor.sh copies
// it into a copy of the shared peers-go harness (package main there), which
// holds the Peers table and LoadInputs it uses.

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
	"github.com/go-json-experiment/json/jsontext"
)

var floorSink []byte

// BenchmarkFloor times, inside every iteration and over the same inputs,
// the harness's bedrock-bench converter, Envoy's translator, and the two
// parts of bedrock-bench's row that its decoder and normalizer do not touch: the
// harness's json.Marshal of the normalized requests (computed once, before
// timing) and a jsontext pass that reads every token of the inputs and
// builds nothing (the tokenizer floor). Timing them one after the
// other in each iteration lets the machine's drift fall on all alike.
//
// It reports each one's ns per history, the converter's ratio to Envoy,
// and floor-ratio: (marshal + tokens) / Envoy, the share of Envoy's time
// the row spends before it decodes a value or repairs a turn.
func BenchmarkFloor(b *testing.B) {
	inputs, _, err := LoadInputs(benchDir())
	if err != nil || len(inputs) == 0 {
		b.Fatalf("PEERS_GO_IN=%q: no inputs (%v)", benchDir(), err)
	}
	bb, ev := Peers["bedrock-bench"], Peers["envoy-ai-gateway"]
	bbIn := make([][]byte, len(inputs))
	evIn := make([][]byte, len(inputs))
	reqs := make([]converse.Request, len(inputs))
	for i, in := range inputs {
		bbIn[i], evIn[i] = bb.Input(in.Body), ev.Input(in.Body)
		h, err := history.Decode("floor.json", bbIn[i])
		if err != nil {
			b.Fatalf("history %d: %v", i, err)
		}
		if reqs[i], _, err = normalize.Normalize(h, normalize.Options{Family: converse.FamilyOrDefault(h.Model)}); err != nil {
			b.Fatalf("history %d: %v", i, err)
		}
	}
	dec := jsontext.NewDecoder(bytes.NewReader(nil))
	var tb, te, tm, tt time.Duration
	for b.Loop() {
		t0 := time.Now()
		for _, in := range bbIn {
			_, _, _ = convertSafely(bb, in)
		}
		t1 := time.Now()
		for _, in := range evIn {
			_, _, _ = convertSafely(ev, in)
		}
		t2 := time.Now()
		for i := range reqs {
			floorSink, _ = json.Marshal(&reqs[i])
		}
		t3 := time.Now()
		for _, in := range bbIn {
			dec.Reset(bytes.NewReader(in))
			for {
				if _, err := dec.ReadToken(); err != nil {
					if err != io.EOF {
						b.Fatal(err)
					}
					break
				}
			}
		}
		t4 := time.Now()
		tb, te, tm, tt = tb+t1.Sub(t0), te+t2.Sub(t1), tm+t3.Sub(t2), tt+t4.Sub(t3)
	}
	n := float64(b.N) * float64(len(inputs))
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / n }
	b.ReportMetric(per(tb), "bb-ns/history")
	b.ReportMetric(per(te), "envoy-ns/history")
	b.ReportMetric(per(tm), "marshal-ns/history")
	b.ReportMetric(per(tt), "tokens-ns/history")
	b.ReportMetric(float64(tb)/float64(te), "ratio")
	b.ReportMetric(float64(tm+tt)/float64(te), "floor-ratio")
}
