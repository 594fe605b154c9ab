package normalize

import (
	"fmt"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// sameRoleHistory is n user messages in a row, each a text and a tool
// result: the worst case for merging, which must stay linear.
func sameRoleHistory(n int) *history.History {
	h := &history.History{ID: "scale", Format: history.FormatConverse, Tools: []history.Tool{{Name: "f", Schema: []byte(`{"type":"object"}`)}}}
	h.Messages = make([]history.Message, 0, n)
	for i := range n {
		h.Messages = append(h.Messages, history.Message{Role: history.RoleUser, Parts: []history.Part{
			{Kind: history.PartText, Text: fmt.Sprintf("message %d", i)},
		}})
	}
	return h
}

// TestMergeHundredThousandTurns merges 100,000 same-role turns. It asserts
// no wall time: with quadratic merging it ran for minutes, beyond the
// test timeout; linear merging takes well under a second.
func TestMergeHundredThousandTurns(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	req, rep, err := Normalize(sameRoleHistory(100_000), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 1 || len(req.Messages[0].Content) != 100_000 {
		t.Fatalf("%d messages", len(req.Messages))
	}
	if len(rep.Changes) != 99_999 {
		t.Fatalf("%d changes", len(rep.Changes))
	}
}

// BenchmarkMerge runs at two sizes: linear merging keeps ns per turn flat
// from 10,000 to 100,000 turns.
func BenchmarkMerge(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		h := sameRoleHistory(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Normalize(h, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/turn")
		})
	}
}
