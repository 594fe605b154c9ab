package canonjson

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// reference is the canonical form as the replay package first computed
// it: decode with encoding/json (numbers as json.Number), write back with
// sorted keys, strings as Marshal writes them (or, for Minimal, as an
// Encoder without HTML escaping writes them). Append must give exactly
// its bytes.
func reference(body []byte, s Style) (out []byte, exact bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return body, false
	}
	var b bytes.Buffer
	referenceWrite(&b, v, s)
	return b.Bytes(), json.Valid(body) && jsontext.Value(body).IsValid()
}

func referenceWrite(b *bytes.Buffer, v any, s Style) {
	str := func(x string) {
		if s == HTML {
			out, _ := json.Marshal(x)
			b.Write(out)
			return
		}
		var tmp bytes.Buffer
		enc := json.NewEncoder(&tmp)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x)
		b.Write(bytes.TrimSuffix(tmp.Bytes(), []byte("\n")))
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			str(k)
			b.WriteByte(':')
			referenceWrite(b, x[k], s)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			referenceWrite(b, e, s)
		}
		b.WriteByte(']')
	case string:
		str(x)
	case json.Number:
		b.WriteString(canonicalNumber(string(x)))
	default:
		vb, _ := json.Marshal(x)
		b.Write(vb)
	}
}

// seeds are bodies on the edges: member order, repeated names, escapes of
// every kind, invalid UTF-8, surrogates, numbers, what may follow a value,
// and the nesting limit.
var seeds = []string{
	`{"b":1,"a":2}`, `{"a":1,"a":2}`, `{"a":1,"b":2,"a":3}`, `{"b":{"d":1,"c":2},"a":[{"z":1,"y":2},{"x":{}}]}`,
	`{"requestMetadata":{"tenant":"acme","session":"s-19"},"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
	` {"a" : [ 1 , 2 ] } `, "\t\n{\r}\n", `[]`, `{}`, `[{}]`, `[[],{}]`,
	`"<task>&amp;</task>"`, `"\u003c\u003e\u0026"`, `"` + "\u2028\u2029" + `"`, `"\u2028\u2029"`,
	`{"<":1,">":2,"&":3}`, `{"\u00e9":1,"e":2,"é":3}`, `{"\u0061":1,"a":2}`, `{"a\"b":1,"a\\b":2,"a/b":3,"a\/b":4}`,
	`"\ud83d\ude00"`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800\ud800"`, `"\udbff\udfff"`, `"\ud800x"`,
	`"` + "\xff" + `"`, `"a` + "\xff\xfe" + `b"`, `{"` + "\xff" + `":1,"` + "\xfe" + `":2}`, `"` + "\xed\xa0\x80" + `"`, `"\ufffd` + "\xef\xbf\xbd" + `"`,
	`"\b\f\n\r\t\u0001\u001f\u007f\"\\\/"`, `"` + "\x7f" + `"`, `"\u0000"`, `"é ü 😀 中"`,
	`0`, `-0`, `1`, `-1`, `1.0`, `1.50`, `100`, `1e2`, `1E+2`, `0.5`, `5e-1`, `1e-7`, `1e-8`, `1e400`, `-2.50E-100000000`,
	`123456789012345678901`, `1234567890123456789012`, `[1,1.0,1e0,10e-1,-0.0]`, `{"maxTokens":512,"temperature":0.7,"topP":0.9}`,
	`1]`, `{}]x`, `[1,2]]`, `[1,2]}`, `{} }`, `[1,2]garbage`, `12x`, `1.5.3`, `truex`, `true]`, `"a"]`, `{}{}`, `1 2`,
	``, ` `, `x`, `nul`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, `01`, `1.`, `1e`, `-`, `"\x"`, `"\u12"`, `"\u12g4"`,
	`"` + "\x1f" + `"`, "\xef\xbb\xbf{}", `"abc\`, `"abc`, `{"a":}`, `[`, `]`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth),
	strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1),
	strings.Repeat(`{"b":1,"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth),
	`"` + strings.Repeat("x<", 20000) + `"`, `"` + strings.Repeat("\\n", 20000) + `"`,
}

// check holds Append to the reference, in both styles, and Write to
// Append.
func check(t *testing.T, body []byte) {
	t.Helper()
	for _, s := range []Style{HTML, Minimal} {
		want, wantExact := reference(body, s)
		got, exact := Append(nil, body, s)
		if !bytes.Equal(got, want) {
			t.Fatalf("style %d, %q:\n got %q\nwant %q", s, trim(body), trim(got), trim(want))
		}
		if exact != wantExact {
			t.Fatalf("style %d, %q: exact %v, want %v", s, trim(body), exact, wantExact)
		}
		var w bytes.Buffer
		if exact2, err := Write(&w, body, s); err != nil || exact2 != exact || !bytes.Equal(w.Bytes(), got) {
			t.Fatalf("style %d, %q: Write gave %q (%v, %v), Append %q", s, trim(body), trim(w.Bytes()), exact2, err, trim(got))
		}
		// Appending keeps what dst held.
		if got2, _ := Append([]byte("prefix"), body, s); string(got2) != "prefix"+string(got) {
			t.Fatalf("style %d, %q: Append lost its dst", s, trim(body))
		}
	}
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + fmt.Sprintf("...(%d bytes)", len(b))
	}
	return string(b)
}

// TestSameAsDecoding: on the seeds, Append gives the bytes and the
// exactness of decoding and writing back; a few answers are spelled out
// so that two implementations agreeing on something wrong would fail.
func TestSameAsDecoding(t *testing.T) {
	for _, s := range seeds {
		check(t, []byte(s))
	}
	for in, want := range map[string]string{
		`{"requestMetadata":{"tenant":"acme","session":"s-19"}}`: `{"requestMetadata":{"session":"s-19","tenant":"acme"}}`,
		` {"b" : [1.0, 2e0, "<x>"], "a": -0} `:                   `{"a":0,"b":[1,2,"<x>"]}`,
		`{"a":1,"a":2}`:                                          `{"a":2}`,
		`"\u00e9\u2028\/"`:                                       `"é\u2028/"`,
		`[1,2]]`:                                                 `[1,2]`,
		`not json`:                                               `not json`,
	} {
		if got, _ := Append(nil, []byte(in), Minimal); string(got) != want {
			t.Errorf("Append(%s) = %s, want %s", in, got, want)
		}
	}
	if got, _ := Append(nil, []byte(`"<&>"`), HTML); string(got) != `"\u003c\u0026\u003e"` {
		t.Errorf("HTML style: %s", got)
	}
	for in, want := range map[string]bool{`{"b":1,"a":2}`: true, `{"a":1,"a":2}`: false, `"\ud800"`: false, "\"\xff\"": false, `[1]]`: false, ` [1] `: true, `x`: false} {
		if _, exact := Append(nil, []byte(in), Minimal); exact != want {
			t.Errorf("Append(%q): exact %v, want %v", in, exact, want)
		}
	}
}

// TestShuffledMembers: any order of an object's members, at any depth,
// gives one canonical form, and it is the reference's.
func TestShuffledMembers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth > 3 || r.IntN(3) == 0 {
			return []string{`1`, `"s"`, `true`, `null`, `2.50`, `"<é>"`}[r.IntN(6)]
		}
		if r.IntN(2) == 0 {
			n := r.IntN(4)
			parts := make([]string, n)
			for i := range parts {
				parts[i] = gen(depth + 1)
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		n := 1 + r.IntN(8)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`"k%d":%s`, i, gen(depth+1))
		}
		r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		return "{" + strings.Join(parts, ",") + "}"
	}
	for range 500 {
		body := []byte(gen(0))
		check(t, body)
	}
}

// TestNumbers spells numbers out: the canonical spelling of each, and
// canonicalizing that spelling gives it back.
func TestNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "0.000": "0", "0e12": "0", "1": "1", "1.0": "1", "10e-1": "1", "-1.50": "-1.5",
		"100": "100", "1e2": "100", "1E+2": "100", "0.5": "0.5", "5e-1": "0.5", "1e-7": "0.0000001", "1.5e-7": "0.00000015",
		"1e-8": "1e-8", "123e-12": "1.23e-10", "12345678901234567890": "12345678901234567890",
		"1.2345678901234567890e19": "12345678901234567890", "1e20": "100000000000000000000", "1e21": "1e21",
		"10000000000000000.5": "10000000000000000.5", "1E100000000": "1e100000000", "-2.50E-100000000": "-2.5e-100000000",
		"1e0000000000000000000000000000000000000005": "100000",
		"1e999999999999999999999999999999":           "1e999999999999999999999999999999",
		"10e999999999999999999999999999999":          "1e1000000000000000000000000000000",
		"0.1e-999999999999999999999999999999":        "1e-1000000000000000000000000000000",
		"1000e-1000000000000000000000000000000":      "1e-999999999999999999999999999997",
		"123456789012345678901":                      "123456789012345678901",
		"1234567890123456789012":                     "1.234567890123456789012e21",
		"not-a-number":                               "not-a-number", "01": "01", "1.": "1.", "1e": "1e",
	} {
		if got := canonicalNumber(in); got != want {
			t.Errorf("canonicalNumber(%s) = %s, want %s", in, got, want)
		}
		if got := canonicalNumber(want); got != want && !strings.Contains(want, "n") && want != "01" && !strings.HasSuffix(want, ".") && !strings.HasSuffix(want, "e") {
			t.Errorf("not idempotent: %s -> %s", want, got)
		}
		// The writer's own shortcut for plain integers agrees.
		if jsonNumber(in) {
			if got, _ := Append(nil, []byte(in), Minimal); string(got) != want {
				t.Errorf("Append(%s) = %s, want %s", in, got, want)
			}
		}
	}
	// Different values stay different.
	for _, p := range [][2]string{{"0.1", "0.1000000000000000000001"}, {"1e100000000", "1e100000001"}, {"1", "-1"}, {"1e-8", "1e8"}} {
		if canonicalNumber(p[0]) == canonicalNumber(p[1]) {
			t.Errorf("%s and %s compare equal", p[0], p[1])
		}
	}
}

func jsonNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

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

// TestCostIsLinear: canonicalizing any body costs memory (bytes
// allocated) and output linear in its size, whatever its shape, including
// the shapes that once expanded numbers to millions of digits. Memory is
// what is measured, not time, so the test does not depend on the
// machine's load; work that allocated nothing could not grow with it.
func TestCostIsLinear(t *testing.T) {
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
		"many keys out of order": func(n int) string {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; b.Len() < n; i++ {
				fmt.Fprintf(&b, `"k%d":1,`, 1<<30-i)
			}
			b.WriteString(`"a":0}`)
			return b.String()
		},
		"nested objects out of order": func(n int) string {
			return strings.Repeat(`{"b":1,"a":`, n/20) + "0" + strings.Repeat("}", n/20)
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
				bytes := allocated(func() { out, _ = Append(nil, in, HTML) })
				perByte[n] = float64(bytes) / float64(len(in))
				if len(out) > 6*len(in)+16 {
					t.Errorf("%d-byte input gave %d bytes of output", len(in), len(out))
				}
				if perByte[n] > 40 {
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

// largeBodies are 20 MiB bodies (the emulator's largest): one long text,
// and many short turns whose objects are all out of order (as an encoder
// that keeps a schema's order writes them), with a map.
func largeBodies() map[string][]byte {
	const size = 20 << 20
	prefix, suffix := `{"messages":[{"role":"user","content":[{"text":"`, `"}]}]}`
	text := []byte(prefix + strings.Repeat("x", size-len(prefix)-len(suffix)) + suffix)
	var b strings.Builder
	b.WriteString(`{"messages":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"role":"user","content":[{"text":"turn %d, a line of text"},{"toolUse":{"toolUseId":"t%d","name":"f","input":{"b":1,"a":[1,2,3]}}}]}`, i, i)
	}
	b.WriteString(`],"requestMetadata":{"tenant":"acme","session":"s-19"}}`)
	return map[string][]byte{"one text": text, "many turns": []byte(b.String())}
}

// TestDigestOfLargeBodiesIsCheap: hashing the canonical form of a 20 MiB
// body allocates no copy of it: next to nothing for one long text, and 8
// bytes for each object out of order.
func TestDigestOfLargeBodiesIsCheap(t *testing.T) {
	for name, body := range largeBodies() {
		h := sha256.New()
		a := allocated(func() {
			h.Reset()
			if _, err := Write(h, body, Minimal); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: %d MiB body, %d KiB allocated", name, len(body)>>20, a>>10)
		limit := uint64(64 << 10)
		if name == "many turns" {
			limit = uint64(len(body) / 2)
		}
		if a > limit {
			t.Errorf("%s: hashing the canonical form of a %d MiB body allocated %d KiB, want at most %d", name, len(body)>>20, a>>10, limit>>10)
		}
	}
}

// BenchmarkDigest hashes the canonical form of the large bodies, beside
// hashing their bytes.
func BenchmarkDigest(b *testing.B) {
	for name, body := range largeBodies() {
		b.Run(name+"/canonical", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			h := sha256.New()
			for b.Loop() {
				h.Reset()
				_, _ = Write(h, body, Minimal)
			}
		})
		b.Run(name+"/bytes", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			h := sha256.New()
			for b.Loop() {
				h.Reset()
				h.Write(body)
			}
		})
	}
}

// FuzzSameAsDecoding: for any bytes, Append gives exactly the bytes and
// the exactness of decoding with encoding/json and writing back with
// sorted keys, in both styles; Write writes what Append appends; and the
// canonical form is its own canonical form.
func FuzzSameAsDecoding(f *testing.F) {
	for _, s := range seeds {
		if len(s) < 1000 {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		check(t, body)
		for _, s := range []Style{HTML, Minimal} {
			c, exact := Append(nil, body, s)
			if again, _ := Append(nil, c, s); !bytes.Equal(again, c) {
				t.Fatalf("not idempotent: %q -> %q -> %q", body, c, again)
			}
			if exact {
				// An exact form means what body means: the other style's
				// form of it is the other style's form of body.
				other := HTML + Minimal - s
				x, _ := Append(nil, c, other)
				y, _ := Append(nil, body, other)
				if !bytes.Equal(x, y) {
					t.Fatalf("%q: exact form %q does not mean the same", body, c)
				}
			}
		}
	})
}
