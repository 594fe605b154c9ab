package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

// terminal is what the CLI knows about an output stream.
type terminal struct {
	// tty: the stream is a terminal (and TERM is not "dumb").
	tty bool
	// width is the terminal's width in columns; 0 when unknown or not a
	// terminal.
	width int
	// color: FAIL may be colored (a terminal, NO_COLOR unset).
	color bool
}

func terminalOf(w io.Writer) terminal {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return terminal{}
	}
	t := terminal{tty: true}
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
		t.width = cols
	}
	// https://no-color.org: any non-empty value turns color off.
	t.color = os.Getenv("NO_COLOR") == ""
	return t
}

// fail marks a FAIL for the terminal: bold red, unless color is off.
func (t terminal) fail(s string) string {
	if !t.color {
		return s
	}
	return "\033[1;31m" + s + "\033[0m"
}

// clip cuts s to the terminal's width less one column, so a line never
// wraps (a wrapped progress line cannot be erased by \r).
func (t terminal) clip(s string) string {
	if t.width <= 0 || utf8.RuneCountInString(s) < t.width {
		return s
	}
	return string([]rune(s)[:t.width-1])
}

// middle shortens s to n runes by cutting its middle: both ends of an id
// say the most.
func middle(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 5 {
		return s
	}
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// fitColumns shrinks the columns listed in shrinkable (widest first) until
// the row fits width, shortening their cells in the middle. sep is the
// space between columns.
func fitColumns(rows [][]string, width, sep int, shrinkable ...int) {
	if width <= 0 || len(rows) == 0 {
		return
	}
	wd := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			wd[i] = max(wd[i], utf8.RuneCountInString(c))
		}
	}
	total := func() int {
		n := sep * (len(wd) - 1)
		for _, w := range wd {
			n += w
		}
		return n
	}
	for total() >= width {
		best := -1
		for _, i := range shrinkable {
			if wd[i] > 12 && (best < 0 || wd[i] > wd[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		wd[best]--
	}
	for _, r := range rows {
		for _, i := range shrinkable {
			r[i] = middle(r[i], wd[i])
		}
	}
}

// printTable prints rows in aligned columns; rightAlign marks numeric
// columns. Cells equal to "FAIL" are colored on a terminal.
func printTable(w io.Writer, t terminal, rows [][]string, rightAlign map[int]bool) {
	if len(rows) == 0 {
		return
	}
	wd := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			wd[i] = max(wd[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", wd[i]-utf8.RuneCountInString(c))
			if c == "FAIL" {
				c = t.fail(c)
			}
			switch {
			case rightAlign[i]:
				b.WriteString(pad + c)
			case i == len(r)-1:
				b.WriteString(c)
			default:
				b.WriteString(c + pad)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// progress reports cases as they finish: a bar on a terminal, clipped to
// its width, and plain lines otherwise.
type progress struct {
	w    io.Writer
	term terminal
	verb string
}

func newProgress(w io.Writer, verb string) *progress {
	return &progress{w: w, term: terminalOf(w), verb: verb}
}

func (p *progress) update(done, total int, r bench.CaseReport) {
	status := "ok"
	switch {
	case r.Skipped:
		status = "exists, skipped"
	case r.Err != nil:
		status = "ERROR: " + firstLine(r.Err.Error())
	case len(r.Problems) > 0:
		status = fmt.Sprintf("%s (%d problems)", p.term.fail("FAIL"), len(r.Problems))
	case len(r.Drift) > 0:
		status = fmt.Sprintf("ok, %d answers drifted", len(r.Drift))
	}
	if !p.term.tty {
		fmt.Fprintf(p.w, "%s %d/%d %s: %s\n", p.verb, done, total, r.Case.Name(), status)
		return
	}
	const width = 30
	filled := width * done / total
	bar := fmt.Sprintf("[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, r.Case.Name())
	fmt.Fprint(p.w, "\r\033[K"+p.term.clip(bar))
	if r.Err != nil || len(r.Problems) > 0 {
		fmt.Fprintf(p.w, "\r\033[K%s: %s\n", r.Case.Name(), status)
	}
	if done == total {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
