package iam

import (
	"bytes"
	"errors"

	"github.com/go-json-experiment/json/jsontext"
)

// A statement's problem is placed in the file, "p.json:12:7: Statement[3]
// ...", at the element at fault where there is one (the value of Effect,
// the misspelt condition operator, the action without a service prefix)
// and else at the statement's opening brace. Only statements that cannot
// be read are placed, with one pass over their own bytes each, so that
// a policy is still read in time linear in its size.

// step is one step of a path into a statement: the member called name,
// or, where name is "", element index of a list (a value that is not a
// list stands for its element 0, as "Action": "s3:*" stands for
// ["s3:*"]).
type step struct {
	name  string
	index int
}

func member(name string) step { return step{name: name} }

// elementError is a statement's problem, err, at the element path leads
// to: its name when name is set, else its value.
type elementError struct {
	path []step
	name bool
	err  error
}

func (e *elementError) Error() string { return e.err.Error() }
func (e *elementError) Unwrap() error { return e.err }

// atValue places err at the value path leads to.
func atValue(err error, path ...step) error { return &elementError{path: path, err: err} }

// atName places err at the name of the member path leads to.
func atName(err error, path ...step) error { return &elementError{path: path, name: true, err: err} }

// offsetIn is where in raw, a statement, err is: the element its
// elementError leads to as far as raw has it, the offset a
// policyElementError holds, else the statement's start. The error
// returned is err without its place.
func offsetIn(raw []byte, err error) (int, error) {
	var ee *elementError
	if errors.As(err, &ee) {
		return locate(raw, ee.path, ee.name), ee.err
	}
	var pe *policyElementError
	if errors.As(err, &pe) {
		return int(pe.offset), err
	}
	return 0, err
}

func newDecoder(data []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

// locate is the offset in raw of the element path leads to: its value,
// or with name the member's name. Where raw does not have it, it is the
// deepest element found on the way. Of a member given twice, the last
// counts, as encoding/json keeps it.
func locate(raw []byte, path []step, name bool) int {
	off := 0
	for i, s := range path {
		dec := newDecoder(raw)
		found, nameAt, start, end := false, int64(0), int64(0), int64(0)
		switch dec.PeekKind() {
		case '{':
			if s.name == "" {
				return off
			}
			if _, err := dec.ReadToken(); err != nil {
				return off
			}
			for dec.PeekKind() == '"' {
				n, err := dec.ReadValue()
				if err != nil {
					return off
				}
				nAt := dec.InputOffset() - int64(len(n))
				match := false
				if u, err := jsontext.AppendUnquote(nil, n); err == nil && string(u) == s.name {
					match = true
				}
				v, err := dec.ReadValue()
				if err != nil {
					return off
				}
				if match {
					found, nameAt, end = true, nAt, dec.InputOffset()
					start = end - int64(len(v))
				}
			}
		case '[':
			if s.name != "" {
				return off
			}
			if _, err := dec.ReadToken(); err != nil {
				return off
			}
			for j := 0; dec.PeekKind() != ']' && dec.PeekKind() != 0; j++ {
				v, err := dec.ReadValue()
				if err != nil {
					return off
				}
				if j == s.index {
					found, end = true, dec.InputOffset()
					start = end - int64(len(v))
					break
				}
			}
		default:
			if s.name != "" || s.index != 0 {
				return off
			}
			// One value standing for a list of it.
			continue
		}
		if !found {
			return off
		}
		if name && i == len(path)-1 {
			return off + int(nameAt)
		}
		raw = raw[start:end]
		off += int(start)
	}
	return off
}

// statementOffsets is where each statement of data, a policy document
// that decodes, starts: the offsets of the elements of its Statement
// list, or of its one Statement object. It is nil where data cannot be
// read so; one pass over data, which skips the values without building
// them.
func statementOffsets(data []byte) []int {
	dec := newDecoder(data)
	if dec.PeekKind() != '{' {
		return nil
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	var offs []int
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil
		}
		if tok.String() != "Statement" {
			if dec.SkipValue() != nil {
				return nil
			}
			continue
		}
		offs = offs[:0]
		switch dec.PeekKind() {
		case '[':
			if _, err := dec.ReadToken(); err != nil {
				return nil
			}
			for dec.PeekKind() != ']' {
				v, err := dec.ReadValue()
				if err != nil {
					return nil
				}
				offs = append(offs, int(dec.InputOffset())-len(v))
			}
			if _, err := dec.ReadToken(); err != nil {
				return nil
			}
		default:
			v, err := dec.ReadValue()
			if err != nil {
				return nil
			}
			offs = append(offs, int(dec.InputOffset())-len(v))
		}
	}
	return offs
}
