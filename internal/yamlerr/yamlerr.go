// Package yamlerr words a gopkg.in/yaml.v3 decoding error of a file the
// user wrote (bedrock-bench.yaml, a --targets list) as "name:line:
// problem", the form every other file:line the tool prints takes, so an
// editor jumps to it: yaml's own "yaml: unmarshal errors:\n  line 4: field
// regoin not found in type bench.Target" named a Go type and no place an
// editor reads.
package yamlerr

import (
	"cmp"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	unknownField = regexp.MustCompile(`field (\S+) not found in type .*`)
	errorLine    = regexp.MustCompile(`^line (\d+): `)
	// wrongType is yaml's "cannot unmarshal !!str `abc` into int": the
	// node's tag, its value when it is a scalar, and the Go type.
	wrongType = regexp.MustCompile("cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
)

// nodeWords names a YAML node tag as a user wrote it.
var nodeWords = map[string]string{"seq": "a list", "map": "a mapping", "str": "text", "int": "a number", "float": "a number", "bool": "true or false", "null": "nothing"}

// expected names what a value of Go type t is written as in YAML.
func expected(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "time.Duration":
		return "a duration such as 30s"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "struct"), strings.Contains(t, "."):
		return "a mapping"
	case t == "string":
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	return t
}

// plainType words yaml's type error without Go's type names: "cannot
// unmarshal !!int `3` into []bench.Target" is "want a list here, not 3".
func plainType(p string) string {
	m := wrongType.FindStringSubmatch(p)
	if m == nil {
		return p
	}
	got := cmp.Or(nodeWords[m[1]], m[1])
	if m[2] != "" {
		got = m[2]
	}
	return wrongType.ReplaceAllLiteralString(p, "want "+expected(m[3])+" here, not "+got)
}

// Format words err, the error of decoding data, the contents of the file
// name, one "name:line: problem" line for each problem yaml reports (a
// type error may hold several), with hint after the last. An unknown key
// is named as such ("unknown key regoin"), not by the Go type it is
// missing from, and a tab that indents a line is named on its own line,
// not as "a character that cannot start any token" or "a tab character
// that violates indentation" (which yaml reports on the line before the
// tab's, inside a mapping). A problem yaml gives no line for is "name:
// problem".
func Format(name string, data []byte, err error, hint string) string {
	var problems []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		problems = te.Errors
	} else {
		problems = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	lines := strings.Split(string(data), "\n")
	var b strings.Builder
	for i, p := range problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		p = plainType(unknownField.ReplaceAllString(p, "unknown key $1"))
		m := errorLine.FindStringSubmatch(p)
		if m == nil {
			b.WriteString(name + ": " + p)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		p = strings.TrimPrefix(p, m[0])
		last := n // the line yaml names
		if strings.Contains(p, "tab character that violates indentation") {
			last = n + 1
		} else if !strings.Contains(p, "cannot start any token") {
			last = 0
		}
		for l := n; l >= 1 && l <= last && l <= len(lines); l++ {
			if indent := lines[l-1][:len(lines[l-1])-len(strings.TrimLeft(lines[l-1], " \t"))]; strings.Contains(indent, "\t") {
				n, p = l, "indented with a tab; YAML indents with spaces only"
				break
			}
		}
		b.WriteString(name + ":" + strconv.Itoa(n) + ": " + p)
	}
	if hint != "" {
		b.WriteString(" " + hint)
	}
	return b.String()
}
