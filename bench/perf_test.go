package bench

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// syntheticCases builds n distinct histories against one target, with a
// system prompt, a few turns and a tool round trip each.
func syntheticCases(tb testing.TB, n int) []Case {
	tb.Helper()
	target := Target{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}
	var cases []Case
	for i := 0; i < n; i++ {
		data := fmt.Sprintf(`{"format":"openai","tags":["synthetic"],"request":{"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],"messages":[
		  {"role":"system","content":"You are support agent %d."},
		  {"role":"user","content":"Where is order %d?"},
		  {"role":"assistant","content":null,"tool_calls":[{"id":"call_%d","type":"function","function":{"name":"lookup","arguments":"{\"order\":%d}"}}]},
		  {"role":"tool","tool_call_id":"call_%d","content":"in transit"},
		  {"role":"assistant","content":"It is in transit."},
		  {"role":"user","content":"When will it arrive, roughly? Case %d."}]}}`, i, i, i, i, i, i)
		h, err := history.Decode(fmt.Sprintf("synthetic/case-%04d.json", i), []byte(data))
		if err != nil {
			tb.Fatal(err)
		}
		cases = append(cases, Case{Target: target, History: h})
	}
	return cases
}

// emulatorSession starts an in-process emulator and returns recording
// options that reach it.
func emulatorSession(tb testing.TB) (replay.Options, string) {
	tb.Helper()
	s, err := emulator.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(s)
	tb.Cleanup(hs.Close)
	return replay.Options{Endpoint: hs.URL, Credentials: emulatorCreds()}, hs.URL
}

// recordSynthetic records the cases against an in-process emulator.
func recordSynthetic(tb testing.TB, cases []Case) string {
	tb.Helper()
	creds, _ := emulatorSession(tb)
	dir := tb.TempDir()
	for _, r := range RunCases(context.Background(), cases, RunOptions{Mode: replay.Record, Cassettes: dir, Session: creds, Concurrency: 4}) {
		if !r.OK() {
			tb.Fatalf("%s: %v %v", r.Case.Name(), r.Err, r.Problems)
		}
	}
	return dir
}

// BenchmarkReplay1000 replays 1,000 synthetic cases from one cassette
// set: open each cassette, normalize, validate, Converse and the raw call
// through the replaying SDK client, check. It reports cases/s and the
// process's peak resident memory.
func BenchmarkReplay1000(b *testing.B) {
	cases := syntheticCases(b, 1000)
	dir := recordSynthetic(b, cases)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, r := range RunCases(context.Background(), cases, RunOptions{Mode: replay.Replay, Cassettes: dir, Concurrency: runtime.GOMAXPROCS(0)}) {
			if !r.OK() {
				b.Fatalf("%s: %v %v", r.Case.Name(), r.Err, r.Problems)
			}
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*len(cases))/elapsed.Seconds(), "cases/s")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	}
}

func TestSyntheticCasesReplay(t *testing.T) {
	cases := syntheticCases(t, 20)
	dir := recordSynthetic(t, cases)
	for _, r := range RunCases(context.Background(), cases, RunOptions{Mode: replay.Replay, Cassettes: dir}) {
		if !r.OK() || !r.Result.Normalized.OK || r.Result.Raw.OK != (r.Result.Prediction == nil) {
			t.Errorf("%s: %v %v", r.Case.Name(), r.Err, r.Problems)
		}
	}
}
