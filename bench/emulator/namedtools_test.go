package emulator

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// namedToolsByRegexp is how the tools a turn names were found before:
// one regular expression per tool, each over the whole turn. namedTools
// must find the same tools in the same order.
func namedToolsByRegexp(specs []*converse.ToolSpec, last string) []*converse.ToolSpec {
	type hit struct {
		at   int
		spec *converse.ToolSpec
	}
	var hits []hit
	for _, s := range specs {
		re, err := regexp.Compile(`(?i)(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(s.Name) + `($|[^A-Za-z0-9_])`)
		if err != nil {
			continue
		}
		if loc := re.FindStringIndex(last); loc != nil {
			hits = append(hits, hit{loc[0], s})
		}
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	out := make([]*converse.ToolSpec, len(hits))
	for i, h := range hits {
		out[i] = h.spec
	}
	return out
}

func toolNames(specs []*converse.ToolSpec) string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = fmt.Sprintf("%q", s.Name)
	}
	return strings.Join(names, " ")
}

func specsNamed(names ...string) []*converse.ToolSpec {
	specs := make([]*converse.ToolSpec, len(names))
	for i, n := range names {
		specs[i] = &converse.ToolSpec{Name: n}
	}
	return specs
}

func checkNamedTools(t *testing.T, names []string, text string) {
	t.Helper()
	specs := specsNamed(names...)
	got, want := toolNames(namedTools(specs, text)), toolNames(namedToolsByRegexp(specs, text))
	if got != want {
		t.Errorf("tools %q in %q:\n got %s\nwant %s", names, text, got, want)
	}
}

// TestNamedToolsAsTheRegexpDid: the turn is read once for every tool
// name, and finds what a regular expression per tool found, in the same
// order: whole words only, case-insensitive (the Kelvin sign and long s
// fold to k and s), names with hyphens or other punctuation, names at
// either end, repeated or duplicate names, non-ASCII text and names.
func TestNamedToolsAsTheRegexpDid(t *testing.T) {
	cases := []struct {
		names []string
		text  string
	}{
		{[]string{"get_weather", "search"}, "Please search, then get_weather for Paris."},
		{[]string{"get_weather", "search"}, "get_weatherly searching"},
		{[]string{"a", "b"}, "b a b"},
		{[]string{"get-weather", "get", "weather"}, "call get-weather now"},
		{[]string{"weather", "get-weather"}, "get-weather"},
		{[]string{"-x", "x-", "-"}, "a -x- b x- - -x"},
		{[]string{"Key", "mass"}, "the \u212aEY and the ma\u017f\u017f"},
		{[]string{"caf\u00e9", "\u00e9t\u00e9", "cafe"}, "CAF\u00c9 \u00c9T\u00c9 cafe"},
		{[]string{"x", "x", "y"}, "y then x"},
		{[]string{""}, "ab"},
		{[]string{""}, "a\u00e9b c"},
		{[]string{"", "a"}, "a b"},
		{[]string{"t1", "t2"}, "t1\xff t2"},
		{[]string{"a.b", "a+b", "(x)"}, "use a.b or a+b or (x)"},
		{[]string{"tool"}, ""},
	}
	for _, c := range cases {
		checkNamedTools(t, c.names, c.text)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "B", "c", "_", "-", " ", ".", "1", "\u212a", "k", "\u017f", "s", "\u00e9", "\xff"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 2000 {
		names := make([]string, 1+rng.IntN(5))
		for i := range names {
			names[i] = word(rng.IntN(4))
		}
		checkNamedTools(t, names, word(rng.IntN(24)))
	}
}

// TestNamedToolsReadTheTurnOnce: 5,000 ASCII tool names over a 200 KB
// turn compile no regular expression (before, one per tool, each run
// over the whole turn: 39 s), and still find the names the turn holds.
func TestNamedToolsReadTheTurnOnce(t *testing.T) {
	names := make([]string, 5000)
	for i := range names {
		names[i] = fmt.Sprintf("tool_%d", i)
		if i%2 == 1 {
			names[i] = fmt.Sprintf("tool-%d", i)
		}
	}
	text := strings.Repeat("lorem ipsum dolor ", 200<<10/18) + " tool-4999 and tool_10 "
	before := nameRegexps.Load()
	got := namedTools(specsNamed(names...), text)
	if n := nameRegexps.Load() - before; n != 0 {
		t.Errorf("%d regular expressions compiled for ASCII names", n)
	}
	if toolNames(got) != `"tool-4999" "tool_10"` {
		t.Errorf("found %s", toolNames(got))
	}
}

// FuzzNamedTools: for any names and turn, namedTools finds what the
// regular expressions did.
func FuzzNamedTools(f *testing.F) {
	f.Add("get_weather\nsearch", "Please search, then get_weather")
	f.Add("-x\nK", "\u212a -x")
	f.Fuzz(func(t *testing.T, names, text string) {
		if len(names) > 200 || len(text) > 2000 {
			return
		}
		checkNamedTools(t, strings.Split(names, "\n"), text)
	})
}
