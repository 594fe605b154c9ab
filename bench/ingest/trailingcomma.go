package ingest

import "io"

// maxHeldSpace bounds the white space trailingComma holds after a comma
// while it waits to see whether the array ends there.
const maxHeldSpace = 64 << 10

// trailingComma reads a JSON document that is one array and drops a comma
// that ends its elements ("[\n{...},\n{...},\n]"): Helicone's export
// (`npx @helicone/export --format json`, examples/export/typescript in
// Helicone/helicone) writes ",\n" after every record when no --limit is
// given, then "]". Without it the last record was followed by a skip of
// "the rest of the file", and --strict failed every such export. Only the
// outer array is mended; anything else passes through byte for byte.
type trailingComma struct {
	r     io.Reader
	buf   []byte // read from r, not yet scanned
	out   []byte // scanned, ready for the caller
	held  []byte // a comma of the outer array and the white space after it
	depth int
	str   bool // inside a string
	esc   bool // after a backslash inside a string
	err   error
}

func newTrailingComma(r io.Reader) *trailingComma {
	return &trailingComma{r: r, buf: make([]byte, 32<<10)}
}

func (t *trailingComma) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			if len(t.held) > 0 {
				// The document ended after the comma: it is the
				// decoder's to report.
				t.out, t.held = append(t.out, t.held...), t.held[:0]
				continue
			}
			return 0, t.err
		}
		n, err := t.r.Read(t.buf)
		t.scan(t.buf[:n])
		t.err = err
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	if len(t.out) == 0 {
		t.out = t.out[:0:0]
	}
	return n, nil
}

// scan moves b to out, holding back a comma at the outer array's depth
// until the next byte that is not white space says whether it ends it.
func (t *trailingComma) scan(b []byte) {
	out := t.out
	for _, c := range b {
		if len(t.held) > 0 {
			switch c {
			case ' ', '\t', '\r', '\n':
				if len(t.held) < maxHeldSpace {
					t.held = append(t.held, c)
					continue
				}
				out = append(out, t.held...)
				t.held = t.held[:0]
			case ']':
				out = append(out, t.held[1:]...) // the comma goes
				t.held = t.held[:0]
			default:
				out = append(out, t.held...)
				t.held = t.held[:0]
			}
		}
		switch {
		case t.str:
			switch {
			case t.esc:
				t.esc = false
			case c == '\\':
				t.esc = true
			case c == '"':
				t.str = false
			}
		case c == '"':
			t.str = true
		case c == '[' || c == '{':
			t.depth++
		case c == ']' || c == '}':
			t.depth--
		case c == ',' && t.depth == 1:
			t.held = append(t.held, c)
			continue
		}
		out = append(out, c)
	}
	t.out = out
}
