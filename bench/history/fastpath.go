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
func decodeFast(name string, data []byte, owned bool, s *Scratch) (*History, bool) {
	f := newFastScan(data, owned)
	f.d = &decoder{file: name, data: data, scratch: s}
	f.h = &History{}
	var (
		format  Format
		request bool
		oa      oaRequest
		cv      converse.Request
		an      anRequest
	)
	h := f.h
	ok := f.object(func(key string) bool {
		switch key {
		case "description":
			return f.strInto(&h.Description)
		case "tags":
			var ok bool
			h.Tags, ok = f.strings()
			return ok
		case "format":
			var s string
			if !f.strInto(&s) {
				return false
			}
			format = Format(s)
			return format == FormatOpenAI || format == FormatConverse || format == FormatAnthropic
		case "source":
			return f.source(&h.Source)
		case "request":
			// The format must be known first, as in every fixture the
			// project writes.
			request = true
			switch format {
			case FormatOpenAI:
				return f.openaiRequest(&oa)
			case FormatConverse:
				return f.converseRequest(&cv)
			case FormatAnthropic:
				return f.anthropicRequest(&an)
			}
		}
		return false
	})
	if !ok || !request || !f.end() {
		return nil, false
	}
	h.ID, h.Format = strings.TrimSuffix(name, ".json"), format
	var err error
	switch format {
	case FormatOpenAI:
		// The messages were converted as they were read; the other
		// fields are converted now, as the general decoder does.
		if h.Messages == nil {
			return nil, false
		}
		n := len(f.d.notes)
		err = f.d.openaiFields(&oa, h)
		if len(f.d.notes) > n && n > 0 {
			// The general decoder notes the request's fields (an object
			// tool_choice's members) before its messages.
			f.d.notes = append(f.d.notes[n:len(f.d.notes):len(f.d.notes)], f.d.notes[:n]...)
		}
	case FormatConverse:
		err = f.d.converse(&cv, h)
	default:
		err = f.d.anthropic(&an, h)
	}
	if err != nil {
		return nil, false
	}
	h.Notes = f.d.notes
	if s != nil {
		s.keep(h.Messages, f.d.parts)
	}
	return h, true
}

// source reads the envelope's source object. Members Source has no field
// for (an import's file, line, request id...) are skipped, as the general
// decoder skips them.
func (f *fastScan) source(s *Source) bool {
	return f.object(func(key string) bool {
		switch key {
		case "captured":
			return f.strInto(&s.Captured)
		case "origin":
			return f.strInto(&s.Origin)
		case "redacted":
			return f.boolInto(&s.Redacted)
		case "serviceTier":
			return f.strInto(&s.ServiceTier)
		}
		return f.ignore()
	})
}
