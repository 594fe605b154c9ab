package textpos

import "testing"

func TestPosition(t *testing.T) {
	data := []byte("{\n  \"é\": [1,, 2]\n}")
	for _, c := range []struct{ off, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {2, 2, 1},
		{13, 2, 12}, // the second comma: "é" is two bytes, so two columns
		{-5, 1, 1}, {999, 3, 2},
	} {
		if line, col := Position(data, c.off); line != c.line || col != c.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", c.off, line, col, c.line, c.col)
		}
	}
}

func TestByteColumn(t *testing.T) {
	data := []byte("a: 1\nb: {é: 1, c: *x}\n\xff\xffz")
	for _, c := range []struct{ line, col, want int }{
		{1, 3, 3},
		{2, 14, 15}, // the alias, after "é"
		{2, 5, 5},   // "é" itself starts where it starts
		{3, 3, 3},   // invalid bytes count one each
		{2, 40, 40}, // beyond the line: as given
		{9, 2, 2},   // beyond the data: as given
		{0, 0, 0},
	} {
		if got := ByteColumn(data, c.line, c.col); got != c.want {
			t.Errorf("ByteColumn(%d, %d) = %d, want %d", c.line, c.col, got, c.want)
		}
	}
}

// Counter gives Position's answer for every offset, in any order.
func TestCounter(t *testing.T) {
	data := []byte("{\n  \"é\": [1,, 2]\n}\n\nx")
	c := NewCounter(data)
	for _, off := range []int{0, 1, 2, 2, 5, 13, 17, 18, 19, 20, 3, 21, 999, -5, 13} {
		wl, wc := Position(data, off)
		if line, col := c.Position(off); line != wl || col != wc {
			t.Errorf("Counter.Position(%d) = %d:%d, want %d:%d", off, line, col, wl, wc)
		}
	}
}
