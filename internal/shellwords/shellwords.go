// Package shellwords splits a command line into its words by the POSIX
// shell's quoting rules, without running a shell, and quotes words back.
//
// Split applies the rules of "Quoting" and "Token Recognition" (POSIX.1-2017,
// Shell Command Language, 2.2 and 2.3): blanks separate words; a backslash
// keeps the next character as it is (a backslash before a newline joins
// the lines); single quotes keep every character up to the next single
// quote; double quotes keep every character but a backslash before $, `,
// ", \ or a newline. Nothing is expanded, so a character a shell would
// act upon outside quotes ($, `, |, &, ;, <, >, (, ), the glob characters
// *, ? and [, a ~ or # that starts a word) is refused, with the advice to
// quote it or to run the command through sh -c: taken as text it would run
// something other than what the line says.
//
// A dependency was weighed: github.com/google/shlex is archived and does
// not follow POSIX inside double quotes; mvdan.cc/sh/v3/shell.Fields
// expands variables from the environment, a leading ~ and globs against
// the file system, which a command line the user's shell has already
// expanded must not get a second time.
package shellwords

import (
	"fmt"
	"strings"
)

// Split returns the words of s. An unterminated quote, a trailing
// backslash or an unquoted character a shell would act upon is an error
// naming the character and its byte offset in s.
func Split(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	end := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\n':
			end()
		case '\\':
			if i+1 == len(s) {
				return nil, fmt.Errorf("a backslash ends the command (offset %d): nothing follows it to keep", i)
			}
			i++
			if s[i] == '\n' {
				continue // a line continuation: no character, and no word by itself
			}
			w.WriteByte(s[i])
			inWord = true
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("the single quote at offset %d is not closed", i)
			}
			w.WriteString(s[i+1 : i+1+j])
			inWord = true
			i += 1 + j
		case '"':
			j, err := doubleQuoted(s, i, &w)
			if err != nil {
				return nil, err
			}
			inWord = true
			i = j
		case '$', '`', '|', '&', ';', '<', '>', '(', ')', '*', '?', '[':
			return nil, special(c, i)
		case '~', '#':
			if !inWord {
				return nil, special(c, i)
			}
			w.WriteByte(c)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	end()
	return words, nil
}

// doubleQuoted copies the text of the double quote that opens at s[open]
// into w and returns the offset of its closing quote.
func doubleQuoted(s string, open int, w *strings.Builder) (int, error) {
	for i := open + 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return i, nil
		case '\\':
			if i+1 < len(s) {
				switch s[i+1] {
				case '$', '`', '"', '\\':
					w.WriteByte(s[i+1])
					i++
					continue
				case '\n':
					i++
					continue
				}
			}
			w.WriteByte(c)
		case '$', '`':
			return 0, special(c, i)
		default:
			w.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("the double quote at offset %d is not closed", open)
}

func special(c byte, i int) error {
	return fmt.Errorf("%q at offset %d means something to a shell, and the command is run without one: quote it ('%c') to pass it as it is, or run a shell yourself (sh -c '...')", string(c), i, c)
}

// Quote returns s as one word of a POSIX command line: as it is when it
// holds only characters no shell acts upon, else in single quotes (for a
// single quote inside, the quoting is closed, a backslash-escaped quote
// written, and the quoting opened again). Split(Quote(s)) is []string{s}.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s) && safe; i++ {
		c := s[i]
		safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_./:=@%+,", c) >= 0 || c >= 0x80
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join quotes each word and joins them with spaces: a command line that
// Split turns back into words.
func Join(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = Quote(w)
	}
	return strings.Join(q, " ")
}
