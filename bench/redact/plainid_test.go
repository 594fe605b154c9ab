package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestPlainIDsHoldNothing: the texts plainID lets the scan pass over,
// canonical UUIDs and RFC 3339 UTC times, hold nothing any built-in rule
// finds when the full scan reads them: random ones, those made of digits
// alone (a 12-digit group, like an account id; runs a card or phone rule
// could read), and the upper-case and fractional forms. With a pattern
// of the user's the scan reads them again: a pattern may be about them.
func TestPlainIDsHoldNothing(t *testing.T) {
	full, err := NewScanner(Options{})
	if err != nil {
		t.Fatal(err)
	}
	full.builtinOnly = false // the full scan, as before the shortcut
	rng := rand.New(rand.NewPCG(1, 2))
	hex := func(n int, digits bool) string {
		const h, d = "0123456789abcdefABCDEF", "0123456789"
		var b strings.Builder
		for range n {
			if digits {
				b.WriteByte(d[rng.IntN(len(d))])
			} else {
				b.WriteByte(h[rng.IntN(len(h))])
			}
		}
		return b.String()
	}
	var texts []string
	for i := range 20000 {
		digits := i%3 == 0
		texts = append(texts, strings.Join([]string{hex(8, digits), hex(4, digits), hex(4, digits), hex(4, digits), hex(12, digits)}, "-"))
		at := time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).UTC()
		texts = append(texts, at.Format(time.RFC3339), at.Format(time.RFC3339Nano), at.Format("2006-01-02T15:04:05.000Z"))
	}
	fast, err := NewScanner(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		if !plainID(text) {
			t.Fatalf("%q is not taken for a plain id", text)
		}
		if f := full.Scan(text); len(f) != 0 {
			t.Fatalf("the full scan finds %v in %q: plainID must not pass over it", f, text)
		}
		if f := fast.Scan(text); len(f) != 0 {
			t.Fatalf("%q: %v", text, f)
		}
	}
	for _, text := range []string{"00000000-0000-4000-8000-85cfafd9cd7", "00000000-0000-4000-8000-85cfafd9cd7g", "2026-11-20T00:00:00+01:00", "2026-11-20 00:00:00Z", "2026-11-20T00:00:00.Z", "jo@acme.io-0000-4000-8000-85cfafd9cd74"} {
		if plainID(text) {
			t.Errorf("%q is taken for a plain id", text)
		}
	}
	custom, err := NewScanner(Options{Patterns: []string{`8000-[0-9a-f]{12}`}})
	if err != nil {
		t.Fatal(err)
	}
	if f := custom.Scan("00000000-0000-4000-8000-85cfafd9cd74"); len(f) != 1 {
		t.Errorf("a pattern of the user's about request ids finds %v, want one finding", f)
	}
}
