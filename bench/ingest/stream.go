package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// stream is one source being read.
type stream struct {
	ctx  interface{ Err() error }
	name string
	opts Options
	h    Handler
	kind Kind
	line int // the line being read, for JSON-lines sources
	// spans counts the OTLP spans read, skips the records skipped.
	spans, skips int
}

func (s *stream) skip(line, record int, format string, args ...any) {
	s.skips++
	s.h.Skip(Skip{File: s.name, Line: line, Record: record, Reason: fmt.Sprintf(format, args...)})
}

func (s *stream) emit(r Record) error {
	if r.Source.File == "" {
		r.Source.File = s.name
	}
	// Bodies may point into the line buffer, which the next line reuses.
	r.Body = bytes.Clone(r.Body)
	return s.emitOwned(r)
}

// emitOwned hands on a record whose body is already its own copy.
func (s *stream) emitOwned(r Record) error {
	if r.Source.File == "" {
		r.Source.File = s.name
	}
	return s.h.Emit(r)
}

// lines calls fn for every non-blank line, skipping lines over the size
// limit or not valid UTF-8.
func (s *stream) lines(br *bufio.Reader, fn func(line []byte, n int) error) error {
	limit := s.opts.maxRecord()
	var buf []byte
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		s.line++
		buf = buf[:0]
		over := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !over {
				if len(buf)+len(chunk) > limit {
					over = true
					buf = buf[:0]
				} else {
					buf = append(buf, chunk...)
				}
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if err != nil && err != io.EOF {
			return err
		}
		if len(buf) >= len(bom) && buf[0] == bom[0] && string(buf[:len(bom)]) == bom {
			// A file that was joined to this one started with a mark.
			buf = buf[len(bom):]
		}
		switch {
		case over:
			s.skip(s.line, 0, "record over the size limit of %d bytes (raise --max-record)", limit)
		case len(bytes.TrimSpace(buf)) == 0:
		case !utf8.Valid(buf):
			s.skip(s.line, 0, "invalid UTF-8: the record is not text; re-export it as UTF-8")
		default:
			if ferr := fn(bytes.TrimSpace(buf), s.line); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// document streams one JSON document (or several in a row) from r and
// calls fn with every value at path, where "*" steps into each element of
// an array and a name into that member of an object. Only one value at
// path is held at a time.
func (s *stream) document(r io.Reader, fn func(v []byte, record int) error, path ...string) error {
	dec := jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	record := 0
	for {
		if dec.PeekKind() == 0 {
			_, err := dec.ReadToken()
			if errors.Is(err, io.EOF) {
				return nil
			}
			var gz *truncatedGzip
			if errors.As(err, &gz) {
				return gz
			}
			s.skip(0, record+1, "not JSON at byte %d: %v; the rest of the file is skipped", dec.InputOffset(), describe(err))
			return nil
		}
		err := s.walk(dec, path, fn, &record)
		var gz *truncatedGzip
		if errors.As(err, &gz) {
			return gz
		}
		if err != nil {
			if errors.Is(err, errStop) {
				return err
			}
			var stop *stopError
			if errors.As(err, &stop) {
				return stop.err
			}
			s.skip(0, record+1, "malformed JSON at byte %d: %v; the rest of the file is skipped", dec.InputOffset(), describe(err))
			return nil
		}
	}
}

// documentBytes walks one JSON-lines line as a document.
func (s *stream) documentBytes(line []byte, n int, fn func(v []byte, record int) error, path ...string) error {
	dec := jsontext.NewDecoder(bytes.NewReader(line), jsontext.AllowDuplicateNames(true))
	record := 0
	err := s.walk(dec, path, func(v []byte, rec int) error {
		save := s.line
		err := fn(v, rec)
		s.line = save
		return err
	}, &record)
	var stop *stopError
	if errors.As(err, &stop) {
		return stop.err
	}
	if err != nil {
		s.skip(n, 0, "malformed JSON: %v", describe(err))
	}
	return nil
}

var errStop = errors.New("stop")

// stopError carries the handler's error out of a walk, apart from JSON errors.
type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }

func (s *stream) walk(dec *jsontext.Decoder, path []string, fn func(v []byte, record int) error, record *int) error {
	if err := s.ctx.Err(); err != nil {
		return &stopError{err}
	}
	if len(path) == 0 {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		*record++
		if len(v) > s.opts.maxRecord() {
			s.skip(0, *record, "record over the size limit of %d bytes (raise --max-record)", s.opts.maxRecord())
			return nil
		}
		if err := fn(v, *record); err != nil {
			return &stopError{err}
		}
		return nil
	}
	switch dec.PeekKind() {
	case '[':
		if path[0] != "*" {
			return dec.SkipValue()
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if dec.PeekKind() == 0 {
				_, err := dec.ReadToken()
				return err
			}
			if err := s.walk(dec, path[1:], fn, record); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			if dec.PeekKind() == 0 {
				_, err := dec.ReadToken()
				return err
			}
			name, err := dec.ReadToken()
			if err != nil {
				return err
			}
			if name.String() == path[0] {
				err = s.walk(dec, path[1:], fn, record)
			} else {
				err = dec.SkipValue()
			}
			if err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	}
	return dec.SkipValue()
}

// describe shortens a JSON library error.
func describe(err error) string {
	var sx *jsontext.SyntacticError
	if errors.As(err, &sx) && sx.Err != nil {
		if errors.Is(sx.Err, io.ErrUnexpectedEOF) {
			return "unexpected end of input"
		}
		return sx.Err.Error()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}
