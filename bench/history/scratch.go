package history

import "strconv"

// Scratch holds the arrays a decoded history's messages and parts live
// in, to be used again for the next history. It is for a caller that is
// done with each history before it decodes the next, such as a lint
// worker: [Scratch.Decode] and [Scratch.LoadFile] return a history
// whose Messages array, and the arrays of their Parts, the next call on
// the same Scratch overwrites. Strings are never reused: a string taken
// from a history stays valid. The zero value is ready to use; a Scratch
// is not safe for concurrent use.
//
// Reuse spares the allocation, zeroing and collection of those arrays,
// the largest share of what decoding a history allocates.
type Scratch struct {
	messages []Message
	parts    []Part
	// paths are "request.messages[i]" names; strings, so kept for good.
	paths []string
}

// Decode is [Decode] into s's arrays.
func (s *Scratch) Decode(name string, data []byte) (*History, error) {
	return decodeInto(name, data, false, s)
}

// DecodeOwned is [DecodeOwned] into s's arrays.
func (s *Scratch) DecodeOwned(name string, data []byte) (*History, error) {
	return decodeInto(name, data, true, s)
}

// LoadFile is [LoadFile] into s's arrays.
func (s *Scratch) LoadFile(root, path string) (*History, error) {
	return loadFile(root, path, s)
}

// messagePath returns "request.messages[i]", made once.
func (s *Scratch) messagePath(i int) string {
	for len(s.paths) <= i {
		s.paths = append(s.paths, "request.messages["+strconv.Itoa(len(s.paths))+"]")
	}
	return s.paths[i]
}

// take hands out the arrays for a history of about n messages and
// nparts parts, cleared of what the last history wrote, so nothing it
// pointed to is kept alive past its use.
func (s *Scratch) take(n, nparts int) ([]Message, []Part) {
	clear(s.messages)
	clear(s.parts)
	m, p := s.messages[:0], s.parts[:0]
	s.messages, s.parts = nil, nil
	if cap(m) < n {
		m = make([]Message, 0, n)
	}
	if cap(p) < nparts {
		p = make([]Part, 0, nparts)
	}
	return m, p
}

// keep takes back the arrays a history was decoded into.
func (s *Scratch) keep(m []Message, p []Part) {
	if m != nil {
		s.messages = m
	}
	if p != nil {
		s.parts = p
	}
}

// messageArrays sets h.Messages to an empty array for n messages and
// d.parts to one for nparts parts: the scratch's arrays if d has one,
// else new ones. It returns the names of the messages' paths.
func (d *decoder) messageArrays(h *History, n, nparts int) messagePaths {
	if d.scratch != nil {
		h.Messages, d.parts = d.scratch.take(n, nparts)
		return messagePaths{scratch: d.scratch}
	}
	h.Messages = make([]Message, 0, n)
	d.parts = make([]Part, 0, nparts)
	return messagePaths{fresh: newIndexPaths("request.messages", n)}
}

// messagePaths names "request.messages[i]", from the scratch's kept
// names where there is one.
type messagePaths struct {
	scratch *Scratch
	fresh   indexPaths
}

func (p *messagePaths) at(i int) string {
	if p.scratch != nil {
		return p.scratch.messagePath(i)
	}
	return p.fresh.at(i)
}
