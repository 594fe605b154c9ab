package history

import (
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// decodeFast decodes the common shape of a fixture in one pass over its
// bytes: an envelope whose format ("openai", "anthropic" or "converse")
// comes before its request, and a body made of the fields most logs hold.
// It fills the request types the general decoder fills and converts them
// with the same code, so a history it returns is the one the general
// decoder would return (FuzzFastPath holds it to that). Anything else,
// including every error, it leaves to the general decoder: ok is false.
func decodeFast(name string, data []byte) (*History, bool) {
	f := newFastScan(data)
	f.d = &decoder{file: name, data: data}
	f.h = &History{}
	var (
		desc   string
		tags   []string
		src    Source
		format string
		oa     oaRequest
		cv     converse.Request
		an     anRequest
		have   uint32
		ok     bool
	)
	if !f.eat('{') {
		return nil, false
	}
	for first := true; ; first = false {
		key, done, ok2 := f.member(first)
		if !ok2 {
			return nil, false
		}
		if done {
			break
		}
		switch key {
		case "description":
			if seen(&have, 1) {
				return nil, false
			}
			desc, _, ok = f.str()
		case "tags":
			if seen(&have, 2) {
				return nil, false
			}
			tags, ok = f.strings()
		case "format":
			if seen(&have, 4) {
				return nil, false
			}
			format, _, ok = f.str()
			switch Format(format) {
			case FormatOpenAI, FormatConverse, FormatAnthropic:
			default:
				ok = false
			}
		case "source":
			if seen(&have, 8) {
				return nil, false
			}
			ok = f.source(&src)
		case "request":
			// The format must be known first, as in every fixture the
			// project writes.
			if seen(&have, 16) || have&4 == 0 {
				return nil, false
			}
			switch Format(format) {
			case FormatOpenAI:
				ok = f.openaiRequest(&oa)
			case FormatConverse:
				ok = f.converseRequest(&cv)
			default:
				ok = f.anthropicRequest(&an)
			}
		default:
			ok = false
		}
		if !ok {
			return nil, false
		}
	}
	if have&16 == 0 || !f.end() {
		return nil, false
	}
	h := f.h
	h.ID, h.Description, h.Tags, h.Format, h.Source = strings.TrimSuffix(name, ".json"), desc, tags, Format(format), src
	switch Format(format) {
	case FormatOpenAI:
		// The messages were converted as they were read; the other
		// fields are converted now, as the general decoder does.
		if h.Messages == nil || f.d.openaiFields(&oa, h) != nil {
			return nil, false
		}
	case FormatConverse:
		if f.d.converse(&cv, h) != nil {
			return nil, false
		}
	default:
		if f.d.anthropic(&an, h) != nil {
			return nil, false
		}
	}
	h.Notes = f.d.notes
	return h, true
}

// source reads the envelope's source object.
func (f *fastScan) source(s *Source) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "captured":
			if seen(&have, 1) {
				return false
			}
			s.Captured, _, ok = f.str()
		case "origin":
			if seen(&have, 2) {
				return false
			}
			s.Origin, _, ok = f.str()
		case "redacted":
			if seen(&have, 4) {
				return false
			}
			switch f.peek() {
			case 't':
				s.Redacted, ok = true, f.literal("true")
			case 'f':
				s.Redacted, ok = false, f.literal("false")
			default:
				ok = false
			}
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}
