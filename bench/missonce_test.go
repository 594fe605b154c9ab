package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// TestReplayMissDiffShownOncePerCase: an edited history misses on its
// Converse, raw Converse and ConverseStream calls with one difference;
// the case shows it once, and the later calls in one line each. A call
// that differs otherwise still shows its own difference.
func TestReplayMissDiffShownOncePerCase(t *testing.T) {
	diff := "  map[string]any{\n- \"text\": \"Capital of Japan?\"\n+ \"text\": \"Capital of Spain?\"\n  }"
	miss := func(path string, interaction int, d string) error {
		e := &replay.MissError{History: "clean/x", Cassette: "cassettes/t/clean/x.yaml", Method: "POST", Path: path,
			Interaction: interaction, Line: 4, Fields: []string{"messages"}, Diff: d, Rerecord: "bedrock-bench record"}
		// As the SDK wraps a transport's error.
		return fmt.Errorf("operation error Bedrock Runtime: Converse, request send failed: %w", e)
	}
	r := Result{
		Normalized: Outcome{Err: miss("/model/m/converse", 1, diff)},
		Raw:        Outcome{Err: miss("/model/m/converse", 2, diff)},
		Stream:     &Outcome{Err: miss("/model/m/converse-stream", 3, diff)},
	}
	problems := Check(Case{}, r)
	text := strings.Join(problems, "\n")
	if n := strings.Count(text, "Capital of Spain?"); n != 1 || len(problems) != 3 {
		t.Fatalf("the difference is shown %d times in %d problems, want once in 3:\n%s", n, len(problems), text)
	}
	for _, want := range []string{
		"the raw Converse request (POST /model/m/converse) has no recorded match either: it differs from interaction 2 in messages as shown above",
		"the ConverseStream request (POST /model/m/converse-stream) has no recorded match either: it differs from interaction 3 in messages as shown above",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}

	r.Raw.Err = miss("/model/m/converse", 2, strings.ReplaceAll(diff, "Spain", "France"))
	text = strings.Join(Check(Case{}, r), "\n")
	if !strings.Contains(text, "Capital of France?") || strings.Count(text, "Capital of Spain?") != 1 {
		t.Errorf("a raw request that differs otherwise must show its own difference:\n%s", text)
	}
}

// TestReplayMissShowsTheMissAlone: an edited history replayed offline
// fails with the replay's miss, not with the SDK's wrapping of it, which
// named AWS's endpoint and the network ("operation error Bedrock Runtime:
// Converse, https response error StatusCode: 0, RequestID: , request send
// failed, Post \"https://bedrock-runtime.us-east-1.amazonaws.com/...\":
// replay: ..."): a replay never touches the network.
func TestReplayMissShowsTheMissAlone(t *testing.T) {
	dir := t.TempDir()
	fixtures := filepath.Join(dir, "histories")
	src, err := os.ReadFile("../histories/clean/simple-chat-openai.json")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "And of Canada?", "And of Mexico?", 1)
	if edited == string(src) {
		t.Fatal("the fixture no longer asks about Canada")
	}
	if err := os.MkdirAll(filepath.Join(fixtures, "clean"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixtures, "clean", "simple-chat-openai.json"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := history.LoadFile(fixtures, filepath.Join(fixtures, "clean", "simple-chat-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	target := Target{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}
	rep := RunCase(context.Background(), Case{Target: target, History: h}, RunOptions{Mode: replay.Replay, Cassettes: "../cassettes"})
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	problems := Check(rep.Case, rep.Result)
	if len(problems) == 0 {
		t.Fatal("the edited history passes")
	}
	for _, p := range problems {
		if !strings.HasPrefix(p, "replay: ") || strings.Contains(p, "amazonaws.com") || strings.Contains(p, "operation error") {
			t.Errorf("problem does not show the miss alone:\n%.400s", p)
		}
	}
	if !strings.Contains(problems[0], "And of Mexico?") {
		t.Errorf("the miss does not show the difference:\n%s", problems[0])
	}
}
