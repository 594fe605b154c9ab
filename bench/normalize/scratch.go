package normalize

import (
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// Scratch holds the arrays of the last request [Scratch.Naive] and
// [Scratch.Normalize] returned, to build the next one in. It is for a
// caller that is done with each request before it asks for the next of
// the same kind, such as a lint worker: the request each method returns
// is valid until that method's next call on the same Scratch, which
// overwrites its blocks, messages and the texts they point to. Reports
// are never reused, nor are strings. The zero value is ready to use; a
// Scratch is not safe for concurrent use.
//
// Reuse spares the allocation, zeroing and collection of those arrays,
// most of what building a request allocates.
type Scratch struct {
	naive naiveArrays

	strs        slab[string]
	toolUses    slab[converse.ToolUseBlock]
	toolResults slab[converse.ToolResultBlock]
	results     []converse.ToolResultContent
	blocks      []converse.ContentBlock
	turns       []turn
	order       []sourceMessage
	messages    []converse.Message
}

// Naive is [Naive], built in s's arrays.
func (s *Scratch) Naive(h *history.History) converse.Request {
	a := &s.naive
	a.texts, a.calls = a.texts.again(), a.calls.again()
	a.blocks, a.messages = again(a.blocks), again(a.messages)
	return naive(h, a)
}

// Normalize is [Normalize], built in s's arrays.
func (s *Scratch) Normalize(h *history.History, opts Options) (converse.Request, Report, error) {
	return normalize(h, opts, s)
}

// lend gives st the scratch arrays, emptied.
func (s *Scratch) lend(st *state) {
	st.strs, st.toolUses, st.toolResults = s.strs.again(), s.toolUses.again(), s.toolResults.again()
	st.results, st.blocks, st.turns = again(s.results), again(s.blocks), again(s.turns)
	st.order, st.messages = again(s.order), again(s.messages)
	*s = Scratch{naive: s.naive}
}

// keep takes back the arrays st built its request in.
func (s *Scratch) keep(st *state) {
	s.strs, s.toolUses, s.toolResults = st.strs, st.toolUses, st.toolResults
	s.results, s.blocks, s.turns = st.results, st.blocks, st.turns
	s.order, s.messages = st.order, st.req.Messages
}

// again returns a's array emptied, cleared of what its last use wrote so
// that nothing it pointed to is kept alive by the scratch.
func again[T any](a []T) []T {
	clear(a)
	return a[:0]
}

// again returns the slab's last array, emptied and cleared.
func (s *slab[T]) again() slab[T] { return slab[T]{buf: again(s.buf)} }
