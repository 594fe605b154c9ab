// Package textpos turns places in a file into the "line:column" that
// bedrock-bench prints after a file name. Lines and columns count from 1,
// and a column counts bytes from the start of its line, as Go's own tools
// do (go/token.Position.Column, which the compiler, go vet and gofmt
// print) and as Vim's quickfix reads "%c": "é" before the place adds two
// columns, not one. Every "file:line:col" the project prints comes from
// here, so an editor's jump lands on the same byte whichever command
// printed it.
package textpos

import (
	"bytes"
	"unicode/utf8"
)

// Position is the line and column of byte offset off in data. An offset
// beyond data is the end of data; a negative one is its start.
func Position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte("\n")) + 1, off - start + 1
}

// ByteColumn turns col, a column of line counted in characters (UTF-8
// sequences, as gopkg.in/yaml.v3 counts them), into a column counted in
// bytes. An invalid byte counts as one character. A line or column beyond
// the data is returned as it is.
func ByteColumn(data []byte, line, col int) int {
	if line < 1 || col < 1 {
		return col
	}
	for range line - 1 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return col
		}
		data = data[i+1:]
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	}
	n := 0
	for range col - 1 {
		if n >= len(data) {
			return col
		}
		_, size := utf8.DecodeRune(data[n:])
		n += size
	}
	return n + 1
}

// Counter gives the positions of many offsets in one file, in one pass
// over it when they come in increasing order, as a parser's errors do:
// [Position] counts from the start of the data for each, so a file with
// an error on each of its n lines cost n² to report.
type Counter struct {
	data      []byte
	off, line int // the position counted up to: off is on line
	lineStart int // where line starts
}

// NewCounter counts positions in data.
func NewCounter(data []byte) *Counter {
	return &Counter{data: data, line: 1}
}

// Position is the line and column of byte offset off, as [Position]
// gives them. An offset before the previous one counts again from the
// start of the data.
func (c *Counter) Position(off int) (line, col int) {
	off = max(0, min(off, len(c.data)))
	if off < c.off {
		c.off, c.line, c.lineStart = 0, 1, 0
	}
	between := c.data[c.off:off]
	if n := bytes.Count(between, []byte("\n")); n > 0 {
		c.line += n
		c.lineStart = c.off + bytes.LastIndexByte(between, '\n') + 1
	}
	c.off = off
	return c.line, off - c.lineStart + 1
}
