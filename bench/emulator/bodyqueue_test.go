package emulator

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/budget"
)

// TestOldestBodyGoesOn: bodies reserve the budget as their bytes arrive,
// so two that arrive together and outgrow it would both fail half-read
// (CI saw four 700 KB bodies on a 2 MiB budget all throttled, none
// answered). The oldest body being read takes its bytes past the budget
// and is answered; the younger one is throttled; once the oldest is read
// the younger ones are held to the budget again.
func TestOldestBodyGoesOn(t *testing.T) {
	b := &budget.Bytes{Limit: 4 * bodyCost}
	var q bodyQueue
	var heldA, heldB int64
	idA, idB := q.enter(), q.enter()
	a := &budgetReader{rc: io.NopCloser(strings.NewReader("aaaaaaaa")), b: b, held: &heldA, q: &q, id: idA}
	bb := &budgetReader{rc: io.NopCloser(strings.NewReader("bbbbbbbb")), b: b, held: &heldB, q: &q, id: idB}
	two := make([]byte, 2)
	for _, r := range []*budgetReader{a, bb} { // each takes half the budget
		if _, err := r.Read(two); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bb.Read(two); !errors.Is(err, errBudget) {
		t.Errorf("the younger body past the budget: %v, want errBudget", err)
	}
	if _, err := io.ReadAll(a); err != nil {
		t.Errorf("the oldest body past the budget: %v", err)
	}
	if heldA != 8*bodyCost {
		t.Errorf("the oldest body holds %d, want %d", heldA, 8*bodyCost)
	}
	q.leave(idA)
	b.Release(heldA)
	q.leave(idB)
	b.Release(heldB)
	if b.Used() != 0 {
		t.Errorf("%d bytes held after both", b.Used())
	}
	// A body alone is the oldest, and one that arrives after it is not.
	idC, idD := q.enter(), q.enter()
	if !q.oldest(idC) || q.oldest(idD) {
		t.Errorf("oldest: %v %v", q.oldest(idC), q.oldest(idD))
	}
}

// TestOldestHoldsUntilReleased: a request stays the oldest until it
// releases its budget, not only while its body arrives. A body that comes
// while an earlier request, its body read, is still being answered is
// held to the budget: over it, it is throttled. Before, it was then "the
// oldest body being read", went past the budget, and every request of a
// burst was answered (CI: four 700 KB bodies on a 2 MiB budget, four
// answered).
func TestOldestHoldsUntilReleased(t *testing.T) {
	s, hs := start(t, &Options{MaxBodyBytes: 1 << 20, BodyBudget: 2 << 20, Faults: Faults{Latency: 2 * time.Second}})
	body := `{"messages":[{"role":"user","content":[{"text":"` + strings.Repeat("x", 700<<10) + `"}]}]}`
	first := make(chan int, 1)
	go func() {
		status, _, _ := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", body, defaultCreds)
		first <- status
	}()
	// Wait until the first body is in and its answer is being made.
	for deadline := time.Now().Add(20 * time.Second); s.budget.Used() < bodyCost*int64(len(body)); {
		if time.Now().After(deadline) { // a guard against a hang, not a timing
			t.Fatalf("the first body never arrived: %d held", s.budget.Used())
		}
		time.Sleep(5 * time.Millisecond)
	}
	status, h, resp := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", body, defaultCreds)
	if status != 429 || !strings.HasPrefix(h.Get("X-Amzn-Errortype"), "ThrottlingException") {
		t.Errorf("a second body over the budget while the first is answered: %d %.200s", status, resp)
	}
	if status := <-first; status != 200 {
		t.Errorf("the first request: %d", status)
	}
	if used := s.budget.Used(); used != 0 {
		t.Errorf("%d bytes held after both", used)
	}
}
