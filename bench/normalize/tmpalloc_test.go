package normalize
import "testing"
func BenchmarkTmpAlloc(b *testing.B) {
	h := cleanHistory(b, 2000)
	b.ReportAllocs()
	for b.Loop() { Normalize(h, Options{}) }
}
