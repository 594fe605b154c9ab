package replay

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates, the least of three runs.
func allocated(f func()) uint64 {
	best := ^uint64(0)
	var a, b runtime.MemStats
	for range 3 {
		runtime.GC()
		runtime.ReadMemStats(&a)
		f()
		runtime.ReadMemStats(&b)
		best = min(best, b.TotalAlloc-a.TotalAlloc)
	}
	return best
}

// TestCanonicalCostIsLinear: canonicalizing any body costs memory (bytes
// allocated) and output linear in its size, whatever its shape, including
// the shapes that once expanded numbers to millions of digits. Memory is
// what is measured, not time, so the test does not depend on the
// machine's load; work that allocated nothing could not grow with it.
func TestCanonicalCostIsLinear(t *testing.T) {
	shapes := map[string]func(n int) string{
		"one huge exponent": func(n int) string { return "1E" + strings.Repeat("9", n) },
		"huge exponents":    func(n int) string { return "[" + strings.Repeat("1E20000000,", n/11) + "1E20000000]" },
		"long mantissa":     func(n int) string { return "1." + strings.Repeat("7", n) + "e-5" },
		"long zeros":        func(n int) string { return "1" + strings.Repeat("0", n) },
		"tiny fractions":    func(n int) string { return "[" + strings.Repeat("1e-99999999,", n/12) + "0]" },
		"deep nesting":      func(n int) string { return strings.Repeat("[", n/2) + strings.Repeat("]", n/2) },
		"many keys": func(n int) string {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; b.Len() < n; i++ {
				fmt.Fprintf(&b, `"k%d":%d.5e3,`, i, i)
			}
			b.WriteString(`"z":0}`)
			return b.String()
		},
		"escaped strings": func(n int) string { return `["` + strings.Repeat(`<\u00e9>`, n/8) + `"]` },
	}
	const small, large = 4 << 10, 256 << 10
	for name, gen := range shapes {
		t.Run(name, func(t *testing.T) {
			perByte := map[int]float64{}
			for _, n := range []int{small, large} {
				in := []byte(gen(n))
				var out []byte
				bytes := allocated(func() { out = Canonical(in) })
				perByte[n] = float64(bytes) / float64(len(in))
				if len(out) > 6*len(in)+16 {
					t.Errorf("%d-byte input gave %d bytes of output", len(in), len(out))
				}
				// A generous constant, far below the millions of bytes per
				// input byte an expansion costs.
				if perByte[n] > 400 {
					t.Errorf("%d-byte input allocated %d bytes (%.0f per input byte)", len(in), bytes, perByte[n])
				}
			}
			t.Logf("allocated per input byte: %.1f at %d bytes, %.1f at %d bytes", perByte[small], small, perByte[large], large)
			// Growing the input 64 times must not grow the cost per byte
			// much: quadratic work would grow it about 64 times.
			if perByte[large] > 3*perByte[small]+8 {
				t.Errorf("cost per input byte grew from %.1f to %.1f bytes between %d and %d bytes of input", perByte[small], perByte[large], small, large)
			}
		})
	}
}
