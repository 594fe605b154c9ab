// Package budget counts the bytes of request bodies a server holds at
// once across its requests, so that many large requests arriving together
// are turned away instead of exhausting memory.
package budget

import "sync/atomic"

// Bytes is a budget of Limit bytes. The zero value takes nothing; it is
// safe for concurrent use.
type Bytes struct {
	// Limit is the most bytes held at once.
	Limit int64
	used  atomic.Int64
}

// Take reserves n bytes, or reports that they would exceed the limit.
func (b *Bytes) Take(n int64) bool {
	for {
		used := b.used.Load()
		if used+n > b.Limit {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			return true
		}
	}
}

// Force takes n bytes whatever the limit: for the one request that must
// go on for any to (see the emulator's oldest body in flight).
func (b *Bytes) Force(n int64) { b.used.Add(n) }

// Release returns n bytes taken before.
func (b *Bytes) Release(n int64) { b.used.Add(-n) }

// Used returns the bytes held now.
func (b *Bytes) Used() int64 { return b.used.Load() }
