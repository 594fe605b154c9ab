package shellwords

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// cases are command lines and their words, by POSIX.1-2017 2.2 (Quoting).
var cases = []struct {
	line  string
	words []string
}{
	{"", nil},
	{"  \t ", nil},
	{"node convert.mjs", []string{"node", "convert.mjs"}},
	{"  node   convert.mjs  ", []string{"node", "convert.mjs"}},
	{`'/opt/my tools/conv.sh' --flag`, []string{"/opt/my tools/conv.sh", "--flag"}},
	{`"/opt/my tools/conv.sh" --name "a 'b' c"`, []string{"/opt/my tools/conv.sh", "--name", "a 'b' c"}},
	{`/opt/my\ tools/conv.sh`, []string{"/opt/my tools/conv.sh"}},
	{`python -c 'print("hi")'`, []string{"python", "-c", `print("hi")`}},
	{`a''b ''`, []string{"ab", ""}},
	{`"a\"b" "c\\d" "e\f" 'g\h'`, []string{`a"b`, `c\d`, `e\f`, `g\h`}},
	{`"\$HOME" '$HOME' \$HOME`, []string{"$HOME", "$HOME", "$HOME"}},
	{"a\\\nb c", []string{"ab", "c"}},
	{"\"a\\\nb\"", []string{"ab"}},
	{"a~b c#d", []string{"a~b", "c#d"}},
	{"'~/x' \"#y\"", []string{"~/x", "#y"}},
	{"é 'ü x'", []string{"é", "ü x"}},
	{"a\nb", []string{"a", "b"}},
}

func TestSplit(t *testing.T) {
	for _, c := range cases {
		got, err := Split(c.line)
		if err != nil || !slices.Equal(got, c.words) {
			t.Errorf("Split(%q) = %q, %v; want %q", c.line, got, err, c.words)
		}
	}
}

// TestSplitAsAShellDoes: /bin/sh, where there is one, splits every case
// into the same words (a case with a bare newline, which ends a shell's
// command, is left out).
func TestSplitAsAShellDoes(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, c := range cases {
		if strings.Contains(strings.ReplaceAll(c.line, "\\\n", ""), "\n") {
			continue
		}
		out, err := exec.Command(sh, "-c", "printf '%s\\0' - "+c.line).Output()
		if err != nil {
			t.Errorf("sh: %q: %v", c.line, err)
			continue
		}
		words := strings.Split(string(out), "\x00")
		words = words[1 : len(words)-1] // the "-" before, and after the last NUL
		if len(words) == 0 {
			words = nil
		}
		if !slices.Equal(words, c.words) {
			t.Errorf("sh splits %q into %q; the case says %q", c.line, words, c.words)
		}
	}
}

func TestSplitRefuses(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`'open`, "the single quote at offset 0 is not closed"},
		{`a "open`, "the double quote at offset 2 is not closed"},
		{`a\`, "a backslash ends the command (offset 1)"},
		{`node $HOME/c.mjs`, `"$" at offset 5 means something to a shell`},
		{`node "$HOME/c.mjs"`, `"$" at offset 6`},
		{"node `pwd`/c.mjs", "\"`\" at offset 5"},
		{`npm run convert | tee log`, `"|" at offset 16`},
		{`a; b`, `";" at offset 1`},
		{`a && b`, `"&" at offset 2`},
		{`a > log`, `">" at offset 2`},
		{`node ~/c.mjs`, `"~" at offset 5`},
		{`node c.mjs # comment`, `"#" at offset 11`},
		{`node *.mjs`, `"*" at offset 5`},
		{`(a)`, `"(" at offset 0`},
	} {
		words, err := Split(c.line)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Split(%q) = %q, %v; want an error with %q", c.line, words, err, c.want)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, c := range []struct{ word, want string }{
		{"node", "node"},
		{"examples/vercel-ai-sdk/convert.mjs", "examples/vercel-ai-sdk/convert.mjs"},
		{"", "''"},
		{"my tools", "'my tools'"},
		{"it's", `'it'\''s'`},
		{"$HOME", "'$HOME'"},
	} {
		if got := Quote(c.word); got != c.want {
			t.Errorf("Quote(%q) = %s, want %s", c.word, got, c.want)
		}
	}
}

// FuzzSplit: Split never panics, and a line it reads, joined back with
// Join, splits into the same words; a word quoted reads back as itself.
func FuzzSplit(f *testing.F) {
	for _, c := range cases {
		f.Add(c.line)
	}
	f.Add(`a "b\"c" 'd'\''e' \$`)
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			return
		}
		again, err := Split(Join(words))
		if err != nil || !slices.Equal(again, words) {
			t.Errorf("Split(%q) = %q; Join gives %q, which splits into %q, %v", line, words, Join(words), again, err)
		}
		if one, err := Split(Quote(line)); err != nil || len(one) != 1 || one[0] != line {
			t.Errorf("Split(Quote(%q)) = %q, %v", line, one, err)
		}
	})
}
