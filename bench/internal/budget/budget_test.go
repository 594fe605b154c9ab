package budget

import (
	"sync"
	"testing"
)

func TestBytes(t *testing.T) {
	b := &Bytes{Limit: 100}
	if !b.Take(60) || b.Take(41) || !b.Take(40) || b.Take(1) {
		t.Fatalf("takes past the limit: used %d", b.Used())
	}
	b.Release(60)
	if b.Used() != 40 || !b.Take(60) {
		t.Fatalf("a release does not return the bytes: used %d", b.Used())
	}
	// Concurrent takes never hold more than the limit together.
	b = &Bytes{Limit: 1000}
	var wg sync.WaitGroup
	var mu sync.Mutex
	held := 0
	for range 64 {
		wg.Go(func() {
			if b.Take(100) {
				mu.Lock()
				held++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if held != 10 || b.Used() != 1000 {
		t.Errorf("%d takes of 100 held against a limit of 1000 (used %d)", held, b.Used())
	}
}
