package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// consoleCommand is one command of a ```console block of the README and
// the output shown under it.
type consoleCommand struct {
	line int // of the command, 1-based
	args []string
	out  []string
}

// readREADME returns the project's README.
func readREADME(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// readmeConsole returns the commands of the README's console blocks that
// run the CLI (go run ./cmd/bedrock-bench ...), with their output.
func readmeConsole(t *testing.T) []consoleCommand {
	t.Helper()
	readme := readREADME(t)
	lines := strings.Split(readme, "\n")
	var cmds []consoleCommand
	in := false
	var cur *consoleCommand
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "```console"):
			in, cur = true, nil
		case in && strings.HasPrefix(l, "```"):
			in, cur = false, nil
		case in && strings.HasPrefix(l, "$ "):
			cur = nil
			cmd, start := strings.TrimPrefix(l, "$ "), i+1
			for strings.HasSuffix(cmd, `\`) && i+1 < len(lines) {
				i++
				cmd = strings.TrimSuffix(cmd, `\`) + " " + strings.TrimSpace(lines[i])
			}
			cmd, _, _ = strings.Cut(cmd, " #")
			rest, ok := strings.CutPrefix(cmd, "go run ./cmd/bedrock-bench ")
			if !ok {
				continue
			}
			cmds = append(cmds, consoleCommand{line: start, args: shellWords(rest)})
			cur = &cmds[len(cmds)-1]
		case in && cur != nil:
			cur.out = append(cur.out, l)
		}
	}
	for i := range cmds {
		// The blank line between two commands is no part of the output.
		for n := len(cmds[i].out); n > 0 && cmds[i].out[n-1] == ""; n = len(cmds[i].out) {
			cmds[i].out = cmds[i].out[:n-1]
		}
	}
	return cmds
}

// shellWords splits a command line on spaces, keeping "double-quoted"
// words whole.
func shellWords(s string) []string {
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				end = len(s) - 1
			}
			words = append(words, s[1:1+end])
			s = s[min(len(s), end+2):]
			continue
		}
		w, rest, _ := strings.Cut(s, " ")
		words = append(words, w)
		s = rest
	}
	return words
}

// matchShown reports whether got is the output the README shows: line for
// line, where a line "..." stands for any lines and "..." inside a line
// for any text.
func matchShown(shown, got []string) bool {
	if len(shown) == 0 {
		return len(got) == 0
	}
	if shown[0] == "..." {
		for i := 0; i <= len(got); i++ {
			if matchShown(shown[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 {
		return false
	}
	parts := strings.Split(shown[0], "...")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	if !regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(got[0]) {
		return false
	}
	return matchShown(shown[1:], got[1:])
}

// TestREADMEPreflightSessions runs each preflight and converse command
// the README shows against the bundled emulator and compares what it prints with the
// README's text, so that the README shows the tool as it is.
func TestREADMEPreflightSessions(t *testing.T) {
	isolateAWS(t)
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	cmds := readmeConsole(t)
	t.Chdir("../..") // the README's paths are from the repository's root
	n := 0
	for i, c := range cmds {
		if len(c.args) == 0 || c.args[0] != "preflight" && c.args[0] != "converse" || strings.Contains(strings.Join(c.args, " "), " ... ") {
			continue
		}
		if i > 0 && len(cmds[i-1].args) > 1 && cmds[i-1].args[0] == "emulate" {
			continue // a session against an emulator started with other flags
		}
		n++
		args := strings.Split(strings.ReplaceAll(strings.Join(c.args, "\x00"), "http://127.0.0.1:8787", url), "\x00")
		_, out, errOut := runCLI(t, args...)
		got := strings.Split(strings.TrimRight(out+errOut, "\n"), "\n")
		shown := c.out
		if strings.Contains(strings.Join(shown, "\n"), "...") {
			shown = append(shown[:len(shown):len(shown)], "...") // an excerpt: its end may be left out too
		}
		if !matchShown(shown, got) {
			t.Errorf("README.md:%d: bedrock-bench %s prints\n%s\nwhere the README shows\n%s", c.line, strings.Join(c.args, " "), strings.Join(got, "\n"), strings.Join(c.out, "\n"))
		}
	}
	if n < 9 {
		t.Fatalf("found %d preflight and converse sessions in the README; the reader of its console blocks no longer sees them", n)
	}
}

// TestREADMEEmulatorBanner: the banner the README shows for
// bedrock-bench emulate is the one it prints.
func TestREADMEEmulatorBanner(t *testing.T) {
	var shown []string
	for _, c := range readmeConsole(t) {
		if len(c.args) == 1 && c.args[0] == "emulate" {
			shown = c.out
		}
	}
	i := 0
	for i < len(shown) && shown[i] != "Press Ctrl-C to stop." {
		i++
	}
	if i == len(shown) {
		t.Fatalf("the README shows no banner of bedrock-bench emulate: %q", shown)
	}
	url, stop, wait := startEmulate(t)
	stop()
	_, out := wait()
	got := strings.Split(strings.TrimRight(strings.ReplaceAll(out, url, "http://127.0.0.1:8787"), "\n"), "\n")
	if !matchShown(append(shown[:i+1:i+1], "..."), got) {
		t.Errorf("bedrock-bench emulate prints\n%s\nwhere the README shows\n%s", strings.Join(got, "\n"), strings.Join(shown[:i+1], "\n"))
	}
}

// TestREADMEQuickStart: the Quick start's table is what replay
// --emulator prints: its header, each row shown and the last line.
func TestREADMEQuickStart(t *testing.T) {
	readme := readREADME(t)
	_, rest, _ := strings.Cut(readme, "\n## Quick start\n")
	_, rest, _ = strings.Cut(rest, "\n```\nTARGET")
	block, _, ok := strings.Cut("TARGET"+rest, "\n```\n")
	if !ok {
		t.Fatal("the Quick start shows no table of replay --emulator")
	}
	t.Chdir("../..")
	code, out, errOut := runCLI(t, "replay", "--emulator")
	if code != exitOK {
		t.Fatalf("replay --emulator: exit %d\n%s", code, errOut)
	}
	got := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, l := range strings.Split(block, "\n") {
		if l != "..." && !strings.Contains("\n"+out, "\n"+l+"\n") {
			t.Errorf("the Quick start shows %q, which replay --emulator does not print", l)
		}
	}
	if last := strings.Split(block, "\n"); last[len(last)-1] != got[len(got)-1] {
		t.Errorf("last line %q, the README shows %q", got[len(got)-1], last[len(last)-1])
	}
}

// TestREADMEInit: bedrock-bench init prints what the README shows, in a
// module with no file of its own.
func TestREADMEInit(t *testing.T) {
	readme := readREADME(t)
	_, rest, _ := strings.Cut(readme, "\n$ bedrock-bench init\n")
	shown, _, ok := strings.Cut(rest, "\n```\n")
	if !ok {
		t.Fatal("the README shows no output of bedrock-bench init")
	}
	dir := filepath.Join(t.TempDir(), "my-service")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/my-service\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := runCLI(t, "init")
	if code != exitOK || strings.TrimRight(out, "\n") != shown {
		t.Errorf("init: exit %d, prints\n%s%s\nwhere the README shows\n%s", code, out, errOut, shown)
	}
}

// TestMatchShown: the comparison of the README's text with the output
// fails where they differ.
func TestMatchShown(t *testing.T) {
	got := []string{"a", "b (x, y)", "c", "d"}
	for _, tc := range []struct {
		shown []string
		want  bool
	}{
		{[]string{"a", "b (x, y)", "c", "d"}, true},
		{[]string{"a", "b (...)", "c", "d"}, true},
		{[]string{"...", "c", "d"}, true},
		{[]string{"a", "...", "d"}, true},
		{[]string{"a", "b (x, y)", "c"}, false},
		{[]string{"a", "b (x, z)", "c", "d"}, false},
		{[]string{"...", "b (x, y)", "d"}, false},
		{[]string{"a", "b (x, y)", "c", "d", "e"}, false},
	} {
		if matchShown(tc.shown, got) != tc.want {
			t.Errorf("matchShown(%q) = %v", tc.shown, !tc.want)
		}
	}
	if w := shellWords(`converse --model m "Say hello" --raw`); strings.Join(w, "|") != "converse|--model|m|Say hello|--raw" {
		t.Errorf("shellWords: %q", w)
	}
}

// TestREADMEFlagsExist: every flag the README's synopses (the lines
// "bedrock-bench CMD [--flag ...]" of its plain blocks, and the lines
// that continue them) and its flag tables (lint's, the emulator's) give a
// command is one the command's help lists.
func TestREADMEFlagsExist(t *testing.T) {
	readme := readREADME(t)
	help := map[string]string{}
	helpOf := func(c string) string {
		if _, ok := help[c]; !ok {
			_, out, _ := runCLI(t, c, "--help")
			help[c] = out
		}
		return help[c]
	}
	flag := regexp.MustCompile("--[a-z][a-z0-9-]*")
	check := func(line int, c, text string) {
		for _, f := range flag.FindAllString(text, -1) {
			if !regexp.MustCompile(`(?m)^\s+(-[a-z], )?` + f + `\b`).MatchString(helpOf(c)) {
				t.Errorf("README.md:%d names %s for bedrock-bench %s, which its help does not list", line, f, c)
			}
		}
	}
	lines := strings.Split(readme, "\n")
	synopsis := regexp.MustCompile(`^bedrock-bench ([a-z]+) (\[|--)`)
	section, cmd := "", ""
	n := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "#") {
			section = l
		}
		switch m := synopsis.FindStringSubmatch(l); {
		case m != nil && commands[m[1]].run != nil:
			cmd = m[1]
			if strings.Contains(l, "common:") {
				continue
			}
			check(i+1, cmd, l)
			n++
		case cmd != "" && strings.HasPrefix(l, "   ") && !strings.Contains(l, "common:"):
			check(i+1, cmd, l) // a synopsis continued
		default:
			cmd = ""
		}
		if strings.HasPrefix(l, "| `-") {
			first, _, _ := strings.Cut(strings.TrimPrefix(l, "| "), " | ")
			switch {
			case section == "## `bedrock-bench lint`":
				check(i+1, "lint", first)
				n++
			case section == "### Flags":
				check(i+1, "emulate", first)
				n++
			}
		}
	}
	if n < 30 {
		t.Fatalf("read %d synopses and flag rows in the README; the reader no longer finds them", n)
	}
}

// TestREADMETableRowsAreWhole: a Markdown table row is one line; a row
// broken over two (the litellm row of the import formats was, after an
// edit wrapped it) ends the table there and prints the rest as a
// paragraph. Code blocks are left out.
func TestREADMETableRowsAreWhole(t *testing.T) {
	inCode := false
	for i, line := range strings.Split(readREADME(t), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode && strings.HasPrefix(line, "|") && !strings.HasSuffix(strings.TrimRight(line, " "), "|") {
			t.Errorf("README.md:%d: a table row that does not end on its line: %.80s…", i+1, line)
		}
	}
}
