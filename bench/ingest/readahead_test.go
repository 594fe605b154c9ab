package ingest

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// chunky returns its bytes a few at a time, then err.
type chunky struct {
	data []byte
	rng  *rand.Rand
	err  error
}

func (c *chunky) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, c.err
	}
	n := min(len(p), len(c.data), 1+c.rng.IntN(70000))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// TestReadAheadReadsWhatItsSourceHolds: every byte in order, read in
// pieces of any size, then the source's own error (EOF, or the truncated
// gzip error a reader must see after the bytes before it).
func TestReadAheadReadsWhatItsSourceHolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	broken := errors.New("broken source")
	for _, size := range []int{0, 1, aheadBlockSize - 1, aheadBlockSize, aheadBlockSize + 1, 3*aheadBlockSize + 12345, 9 * aheadBlockSize} {
		for _, end := range []error{io.EOF, broken} {
			want := make([]byte, size)
			for i := range want {
				want[i] = byte(rng.Uint32())
			}
			a := newReadAhead(&chunky{data: bytes.Clone(want), rng: rand.New(rand.NewPCG(uint64(size), 3)), err: end})
			var got []byte
			var err error
			buf := make([]byte, 1+rng.IntN(100000))
			for err == nil {
				var n int
				n, err = a.Read(buf[:1+rng.IntN(len(buf))])
				got = append(got, buf[:n]...)
			}
			a.Close()
			if !bytes.Equal(got, want) || err != end {
				t.Errorf("%d bytes ending in %v: read %d bytes (equal %v), then %v", size, end, len(got), bytes.Equal(got, want), err)
			}
		}
	}
}

// TestReadAheadStopsOnClose: a reader that stops early (an error, a
// cancelled import) leaves no goroutine behind.
func TestReadAheadStopsOnClose(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		a := newReadAhead(bytes.NewReader(make([]byte, 20*aheadBlockSize)))
		if _, err := a.Read(make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left reading ahead", n-before)
	}
}
