package ingest

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestHeliconeJSONExportTrailingComma: Helicone's export in its JSON
// format, run without --limit, writes ",\n" after every record, the last
// too, then "]" (Helicone/helicone, examples/export/typescript/index.ts:
// `JSON.stringify(record, null, 2) + (allData.length + 1 < (options.limit
// || Infinity) ? ",\n" : "\n")`). Every record imports and nothing is
// skipped; before, each such file ended with "malformed JSON ... the rest
// of the file is skipped", and --strict failed it. A comma inside a
// record stays malformed.
func TestHeliconeJSONExportTrailingComma(t *testing.T) {
	chat := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}`
	var b strings.Builder
	b.WriteString("[\n")
	for range 3 {
		var indented bytes.Buffer
		if err := json.Indent(&indented, []byte(heliconeRow("/v1/chat/completions", "", chat, `{"Helicone-Session-Id":"s"}`)), "", "  "); err != nil {
			t.Fatal(err)
		}
		b.WriteString(indented.String() + ",\n")
	}
	b.WriteString("]\n")
	c := readBytes(t, "output.json", []byte(b.String()), Options{})
	if len(c.recs) != 3 || len(c.skips) != 0 {
		t.Errorf("%d records, skips:\n%s", len(c.recs), skipText(c))
	}
	inner := readBytes(t, "output.json", []byte(`[{"model":"m","messages":[{"role":"user","content":"hi"},]}]`), Options{})
	if len(inner.recs) != 0 || len(inner.skips) != 1 || !strings.Contains(inner.skips[0].Reason, "malformed JSON") {
		t.Errorf("a comma inside a record: %d records, skips:\n%s", len(inner.recs), skipText(inner))
	}
}

// mend reads s through trailingComma, a byte at a time as a slow reader
// gives it and at once.
func mend(t *testing.T, s []byte) []byte {
	t.Helper()
	whole, err := io.ReadAll(newTrailingComma(bytes.NewReader(s)))
	if err != nil {
		t.Fatal(err)
	}
	slow, err := io.ReadAll(newTrailingComma(iotest.OneByteReader(bytes.NewReader(s))))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole, slow) {
		t.Fatalf("read at once %q, a byte at a time %q", whole, slow)
	}
	return whole
}

func TestTrailingComma(t *testing.T) {
	for in, want := range map[string]string{
		`[1,2,]`:                                 `[1,2]`,
		"[\n {\"a\":[1,]},\n \t]\n":              "[\n {\"a\":[1,]}\n \t]\n", // only the outer array's
		`["a,]", "\"],"]`:                        `["a,]", "\"],"]`,
		`[1,2] [3,]`:                             `[1,2] [3]`,
		`[1,`:                                    `[1,`,
		`[{"a":1,}]`:                             `[{"a":1,}]`,
		`[1,` + strings.Repeat(" ", 70000) + `]`: `[1,` + strings.Repeat(" ", 70000) + `]`, // too much space: let be
	} {
		if got := mend(t, []byte(in)); string(got) != want {
			t.Errorf("%.40q: got %.40q, want %.40q", in, got, want)
		}
	}
}

// FuzzTrailingComma: a valid JSON document passes through byte for byte,
// and an array of valid values with a comma after the last one comes out
// as the array without it.
func FuzzTrailingComma(f *testing.F) {
	f.Add([]byte(`[{"a":"],\\\""},[1,2]]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":[1,2]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got := mend(t, b)
		if json.Valid(b) && !bytes.Equal(got, b) {
			t.Fatalf("a valid document changed: %q -> %q", b, got)
		}
		trimmed := bytes.TrimSpace(b)
		if json.Valid(trimmed) && len(trimmed) > 2 && trimmed[0] == '[' {
			with := append(append(append([]byte{}, trimmed[:len(trimmed)-1]...), ",\n"...), ']')
			if got := mend(t, with); !bytes.Equal(got, append(trimmed[:len(trimmed)-1:len(trimmed)-1], "\n]"...)) || !json.Valid(got) {
				t.Fatalf("%q with a trailing comma: got %q", trimmed, got)
			}
		}
	})
}
