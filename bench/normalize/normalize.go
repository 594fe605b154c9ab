// Package normalize turns any real conversation history into a Converse
// request the service accepts, and reports every change it made.
//
// Real histories break the Converse contract in ways clean fixtures never
// do: sessions resumed mid-conversation, turns merged by a client, system
// messages in the middle, tool calls without results, empty messages,
// reasoning without a signature. [Normalize] repairs each of these by a
// fixed, documented policy and keeps the meaning of the conversation:
//
//  1. Decode a fixture with package history.
//  2. Call [Normalize] with the target model's family.
//  3. Send the request; read the [Report] to see what was rewritten.
//
// In an application, normalize the AWS SDK input itself: [ConverseInput]
// and [ConverseStreamInput] for one call, or the [Client] option to
// normalize every Converse and ConverseStream call of a bedrockruntime
// client, with a report callback and a strict mode.
//
// The normalizer is a sequence of documented [Pass] values; see [Passes].
//
// [Naive] gives the opposite: the history converted one to one, with no
// repair, which is what most clients send and what the service rejects.
package normalize

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// Options tune [Normalize]. The zero value targets [converse.DefaultFamily].
type Options struct {
	// Family is the target model's family; when its Name is empty the
	// default family is used.
	Family converse.Family
	// Stream says the request goes to ConverseStream, whose rules differ
	// for some families (V-26).
	Stream bool
}

// Placeholder is the text of a turn the normalizer has to add: short,
// not white space, and neutral, so the model does not read an
// instruction into it.
const Placeholder = "."

// ErrUnrepaired marks a request that still breaks the contract after
// normalization: a bug in the normalizer, never a property of the input.
var ErrUnrepaired = errors.New("normalized request still breaks the contract")

// Error is returned by [Normalize] when it cannot produce a valid request.
type Error struct {
	// History is the history's id.
	History string
	// Violation is the rule the request still breaks.
	Violation *converse.Violation
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %v: %s (rule %s)", e.History, ErrUnrepaired, e.Violation.Message, e.Violation.Rule.ID)
}

// Unwrap lets errors.Is match [ErrUnrepaired] and errors.As find the
// *converse.Violation, as [StrictError] does.
func (e *Error) Unwrap() []error {
	if e.Violation == nil {
		return []error{ErrUnrepaired}
	}
	return []error{ErrUnrepaired, e.Violation}
}

// turn is a message being built: role, blocks, and the history index it
// came from for reports.
type turn struct {
	role   converse.Role
	blocks []converse.ContentBlock
	src    int
	// tool: the turn holds only what OpenAI "tool" messages held, so
	// joining it with its neighbour of the same kind is the straight
	// conversion, not a merge to report.
	tool bool
}

type state struct {
	// fieldsChanged: additionalModelRequestFields were rewritten
	// (thinking removed or its budget raised, Claude's own output schema
	// repaired), so the SDK paths write them back.
	fieldsChanged bool
	h             *history.History
	stream        bool
	start         int // the first message after the leading system run
	req           converse.Request
	fam           converse.Family
	useTools      bool
	// toolCacheDrops is how many of the tools' cache points go over the
	// limit, dropped first when the tools are declared.
	toolCacheDrops int
	rep            Report
	system         []converse.SystemBlock
	turns          []turn
	// speakers says which roles' messages carry different participant
	// names (see speaker).
	speakers speakers

	strs        slab[string]
	toolUses    slab[converse.ToolUseBlock]
	toolResults slab[converse.ToolResultBlock]
	results     []converse.ToolResultContent // backing for tool result contents
	blocks      []converse.ContentBlock      // backing for turns' blocks
	calls       []*converse.ToolUseBlock     // scratch for the pairing pass
	order       []sourceMessage              // lent for orderMessages' list
	messages    []converse.Message           // lent for the request's messages
}

// carveBlocks returns an empty slice of capacity n from one shared array;
// the full slice expression makes an append beyond n copy, never run into
// the next turn's blocks.
func (s *state) carveBlocks(n int) []converse.ContentBlock {
	if cap(s.blocks)-len(s.blocks) < n {
		s.blocks = make([]converse.ContentBlock, 0, max(64, n))
	}
	l := len(s.blocks)
	s.blocks = s.blocks[:l+n]
	return s.blocks[l : l : l+n]
}

// Normalize returns a request that [converse.Validate] accepts for the
// target family, and the report of every change. It never modifies h, and
// the same input always gives the same output.
func Normalize(h *history.History, opts Options) (converse.Request, Report, error) {
	return normalize(h, opts, nil)
}

// normalize is [Normalize], built in the arrays of sc if not nil.
func normalize(h *history.History, opts Options, sc *Scratch) (converse.Request, Report, error) {
	req, rep, _, err := normalizeFields(h, opts, sc)
	return req, rep, err
}

// normalizeFields is normalize, also saying whether the request's
// additionalModelRequestFields differ from the history's.
func normalizeFields(h *history.History, opts Options, sc *Scratch) (converse.Request, Report, bool, error) {
	fam := opts.Family
	if fam.Name == "" {
		fam, _ = converse.LookupFamily(converse.DefaultFamily)
	}
	s := newState(h, fam, opts.Stream)
	if sc != nil {
		sc.lend(s)
	}
	for _, p := range passes {
		p.run(s)
	}
	if sc != nil {
		sc.keep(s)
	}
	req := s.req
	if s.rep.Changes == nil {
		s.rep.Changes = []Change{}
	}
	if err := s.validate(&req); err != nil {
		var v *converse.Violation
		errors.As(err, &v)
		return req, s.rep, s.fieldsChanged, &Error{History: h.ID, Violation: v}
	}
	return req, s.rep, s.fieldsChanged, nil
}

func newState(h *history.History, fam converse.Family, stream bool) *state {
	return &state{fam: fam, useTools: declaresTools(h, fam) && fam.Tools && !(stream && fam.NoStreamingTools), h: h, stream: stream}
}

// declaresTools reports whether h declares a tool (not only cache points)
// that fam takes: a system tool counts only for a family that runs them.
func declaresTools(h *history.History, fam converse.Family) bool {
	for i := range h.Tools {
		if t := &h.Tools[i]; t.CachePoint == nil && (!t.System || fam.SystemTools) {
			return true
		}
	}
	return false
}

// keepsSystemTool reports whether the request declares the system tool
// name and keeps the typed calls and results of it: the family runs
// system tools (Nova 2) and the history declares it as one.
func (s *state) keepsSystemTool(name string) bool {
	if !s.useTools || !s.fam.SystemTools {
		return false
	}
	for i := range s.h.Tools {
		if t := &s.h.Tools[i]; t.System && t.Name == name {
			return true
		}
	}
	return false
}

// validate checks the request as the call will be made.
func (s *state) validate(r *converse.Request) error {
	if s.stream {
		return converse.ValidateStream(r, s.fam)
	}
	return converse.Validate(r, s.fam)
}

// collectSystem hoists the top-level system prompt and the leading run of
// system and developer messages. It returns the index of the first message
// that is not part of that run.
func (s *state) collectSystem(h *history.History) int {
	s.speakers = newSpeakers(h.Messages)
	// add hoists parts, the part at heading with prefix before its text.
	add := func(parts []history.Part, index int, prefix string, at int) {
		for k, p := range parts {
			if k == at {
				p.Text = prefix + p.Text
			}
			switch {
			case p.Kind == history.PartText && isBlank(p.Text):
				s.rep.add(index, EmptyTextDropped, "empty system text")
			case p.Kind == history.PartText:
				s.system = append(s.system, converse.SystemBlock{Text: ptr(p.Text), Source: p.Source})
			case p.Kind == history.PartOpaque && s.fam.System && p.Input == nil && isSDKSystemSource(p.Source):
				s.system = append(s.system, converse.SystemBlock{Source: p.Source})
			case p.Kind == history.PartOpaque && s.fam.System && p.Name == "guardContent":
				s.system = append(s.system, converse.SystemBlock{GuardContent: p.Input})
			case p.Kind == history.PartCachePoint && s.fam.Caching && len(s.system) > 0 && s.system[len(s.system)-1].CachePoint == nil:
				s.system = append(s.system, converse.SystemBlock{CachePoint: cachePoint(p.TTL), Source: p.Source})
			case p.Kind == history.PartCachePoint && !s.fam.Caching:
				s.rep.add(index, CachePointDropped, "the %s family has no prompt caching", s.fam.Name)
			case p.Kind == history.PartCachePoint:
				s.rep.add(index, CachePointDropped, "cache point with nothing before it")
			case p.Kind == history.PartOpaque && (p.Name == "guardContent" || p.Input == nil && isSDKSystemSource(p.Source)):
				s.rep.add(index, MediaToText, "system prompt holds %s, which the %s family cannot take (it has no system prompt, V-10); dropped", systemPartWhat(&p), s.fam.Name)
			default:
				s.rep.add(index, MediaToText, "system prompt holds %s, which Converse system blocks cannot hold; dropped", systemPartWhat(&p))
			}
		}
	}
	add(h.System, -1, "", -1)
	i := 0
	for ; i < len(h.Messages); i++ {
		m := &h.Messages[i]
		if m.Role != history.RoleSystem && m.Role != history.RoleDeveloper {
			break
		}
		prefix, at := s.speaker(m, i)
		add(m.Parts, i, prefix, at)
		s.rep.add(i, SystemHoisted, "%s message moved to the system field", m.Role)
	}
	if !s.fam.System && len(s.system) > 0 {
		var text []converse.ContentBlock
		for _, b := range s.system {
			if b.Text != nil {
				text = append(text, converse.TextBlock("System instructions:\n"+*b.Text))
			}
		}
		s.system = nil
		s.turns = append(s.turns, turn{role: converse.RoleUser, blocks: text, src: 0})
		s.rep.add(-1, SystemUnsupported, "the %s family has no system prompts; the system text opens the first user turn", s.fam.Name)
	}
	return i
}

// convertMessages turns each remaining message into a turn, part by part.
func (s *state) convertMessages(h *history.History, start int) {
	msgs := s.orderMessages(h, start)
	s.order = msgs
	s.reserve(msgs)
	if s.turns == nil {
		s.turns = make([]turn, 0, len(msgs)+2)
	}
	for _, sm := range msgs {
		m, i := sm.msg, sm.index
		if len(m.Parts) == 0 && sm.emptied {
			continue // every part moved after its call
		}
		t := turn{role: converse.RoleUser, src: i, tool: m.Role == history.RoleTool, blocks: s.carveBlocks(len(m.Parts) + noteBlocks(m.Role))}
		switch m.Role {
		case history.RoleAssistant:
			t.role = converse.RoleAssistant
		case history.RoleSystem, history.RoleDeveloper:
			s.rep.add(i, SystemInlined, "%s message after the conversation began became marked user text in place", m.Role)
			t.blocks = append(t.blocks, converse.TextBlock("System note (not from the user):"))
		}
		prefix, at := s.speaker(m, i)
		for k := range m.Parts {
			p := &m.Parts[k]
			if k == at {
				named := *p
				named.Text = prefix + p.Text
				p = &named
			}
			t.blocks = s.convertPart(t.blocks, p, t.role, i)
		}
		t.blocks = s.cleanCachePoints(t.blocks, i)
		if m.Role == history.RoleSystem || m.Role == history.RoleDeveloper {
			t.blocks = joinSystemNote(t.blocks)
		}
		s.turns = append(s.turns, t)
	}
}

// reserve sizes the block array and the slabs for the parts of msgs, in
// one walk, so converting them allocates once per array; repairs that add
// blocks grow them.
func (s *state) reserve(msgs []sourceMessage) {
	var blocks, texts, calls, results, contents int
	for _, sm := range msgs {
		blocks += len(sm.msg.Parts) + noteBlocks(sm.msg.Role)
		for j := range sm.msg.Parts {
			p := &sm.msg.Parts[j]
			switch {
			case p.Server && p.Type == "", p.Kind == history.PartText: // a server part becomes text
				texts++
			case p.Server: // a system tool's part: text, or a typed block
				texts++
				calls++
			case p.Kind == history.PartToolCall:
				calls++
			case p.Kind == history.PartToolResult:
				results++
				contents += len(p.Content)
				texts += len(p.Content)
			}
		}
	}
	if s.blocks == nil || cap(s.blocks)-len(s.blocks) < blocks {
		s.blocks = make([]converse.ContentBlock, 0, blocks)
	}
	s.strs.reserve(texts)
	s.toolUses.reserve(calls)
	s.toolResults.reserve(results)
	if cap(s.results)-len(s.results) < contents {
		s.results = make([]converse.ToolResultContent, 0, contents)
	}
}

// noteBlocks is the number of blocks a turn from a message of role r
// holds beyond one a part: the note that opens a system message inlined
// after the conversation began.
func noteBlocks(r history.Role) int {
	if r == history.RoleSystem || r == history.RoleDeveloper {
		return 1
	}
	return 0
}

// sourceMessage is a message to convert and its index in the history.
type sourceMessage struct {
	msg     *history.Message
	index   int
	emptied bool
}

// orderMessages lists the messages from start, with every tool result
// logged before its call moved into a tool message right after the
// message that makes the call. h is not modified.
func (s *state) orderMessages(h *history.History, start int) []sourceMessage {
	out := s.order[:0]
	if out == nil || cap(out) < len(h.Messages)-start {
		out = make([]sourceMessage, 0, len(h.Messages)-start)
	}
	if resultsFollowCalls(h, start) {
		for i := start; i < len(h.Messages); i++ {
			out = append(out, sourceMessage{msg: &h.Messages[i], index: i})
		}
		return s.dropIdenticalDuplicates(out)
	}
	ncalls := 0
	for i := start; i < len(h.Messages); i++ {
		if h.Messages[i].Role == history.RoleAssistant {
			ncalls += len(h.Messages[i].Parts)
		}
	}
	callAt := make(map[string]int, ncalls)
	for i := start; i < len(h.Messages); i++ {
		if h.Messages[i].Role != history.RoleAssistant {
			continue
		}
		for _, p := range h.Messages[i].Parts {
			if _, ok := callAt[p.ID]; p.Kind == history.PartToolCall && !p.Server && !ok {
				callAt[p.ID] = i
			}
		}
	}
	var moved map[int][]history.Part
	for i := start; i < len(h.Messages); i++ {
		m := &h.Messages[i]
		early := false
		for _, p := range m.Parts {
			if j, ok := callAt[p.ID]; ok && p.Kind == history.PartToolResult && !p.Server && j > i {
				early = true
			}
		}
		if early && m.Role != history.RoleAssistant {
			keep := &history.Message{Role: m.Role, Name: m.Name, Path: m.Path}
			for _, p := range m.Parts {
				if j, ok := callAt[p.ID]; ok && p.Kind == history.PartToolResult && !p.Server && j > i {
					s.rep.add(i, ToolResultMoved, "result for %s came before its call (messages[%d]); moved right after it", p.ID, j)
					if moved == nil {
						moved = map[int][]history.Part{}
					}
					moved[j] = append(moved[j], p)
					continue
				}
				keep.Parts = append(keep.Parts, p)
			}
			out = append(out, sourceMessage{msg: keep, index: i, emptied: true})
		} else {
			out = append(out, sourceMessage{msg: m, index: i})
		}
		if parts := moved[i]; parts != nil {
			out = append(out, sourceMessage{msg: &history.Message{Role: history.RoleTool, Parts: parts}, index: i})
		}
	}
	return s.dropIdenticalDuplicates(out)
}

// resultsFollowCalls reports whether every tool result from start answers
// a call of the latest assistant message before it: the common case, in
// which no result came before its call, told without building a map.
func resultsFollowCalls(h *history.History, start int) bool {
	last := -1
	for i := start; i < len(h.Messages); i++ {
		m := &h.Messages[i]
		if m.Role == history.RoleAssistant {
			last = i
			continue
		}
		for j := range m.Parts {
			p := &m.Parts[j]
			if p.Kind != history.PartToolResult || p.Server {
				continue
			}
			if last < 0 || !hasCall(&h.Messages[last], p.ID) {
				return false
			}
		}
	}
	return true
}

// hasCall reports whether m makes a tool call with id.
func hasCall(m *history.Message, id string) bool {
	for j := range m.Parts {
		if m.Parts[j].Kind == history.PartToolCall && !m.Parts[j].Server && m.Parts[j].ID == id {
			return true
		}
	}
	return false
}

// dropIdenticalDuplicates removes a tool call identical to an earlier one
// of the same run of assistant messages (same id, name and input), and a
// tool result identical to an earlier one answering the same turn (same
// id and content): logging twice adds nothing. Calls and results that
// only share an id are kept; later passes give them their own ids.
func (s *state) dropIdenticalDuplicates(msgs []sourceMessage) []sourceMessage {
	calls, results := newDupSet(callKey), newDupSet(resultKey)
	for k := range msgs {
		sm := &msgs[k]
		assistant := sm.msg.Role == history.RoleAssistant
		switch {
		case len(sm.msg.Parts) == 0:
			// An empty message separates nothing: it is dropped later.
		case assistant:
			results.clear()
		default:
			calls.clear()
		}
		var keep []history.Part
		dropped := false
		for j := range sm.msg.Parts {
			p := &sm.msg.Parts[j]
			dup := false
			switch {
			case p.Server:
				// Text in the request: nothing to pair.
			case p.Kind == history.PartToolCall && assistant:
				if dup = calls.seen(p); dup {
					s.rep.add(sm.index, DuplicateToolCall, "second, identical tool call with id %s removed", p.ID)
				}
			case p.Kind == history.PartToolResult && !assistant:
				if dup = results.seen(p); dup {
					s.rep.add(sm.index, DuplicateToolResult, "second, identical result for %s removed", p.ID)
				}
			}
			if dup && !dropped {
				keep = append([]history.Part(nil), sm.msg.Parts[:j]...)
				dropped = true
			} else if dropped && !dup {
				keep = append(keep, *p)
			}
		}
		if dropped {
			m := *sm.msg
			m.Parts = keep
			sm.msg = &m
			sm.emptied = true
		}
	}
	return msgs
}

// dupSet tells whether a part's key was seen before. A key starts with
// the part's id and a NUL byte, so parts with different ids, none holding
// a NUL, never share a key: keys are only built and compared between
// parts of the same id, which is rare. Once an id holds a NUL, every key
// is built and kept.
type dupSet struct {
	key   func(*history.Part) string
	first map[string]*history.Part   // by id: the first part seen
	more  map[string][]*history.Part // by id: the others
	all   map[string]bool            // every key, once an id held a NUL
}

func newDupSet(key func(*history.Part) string) *dupSet {
	return &dupSet{key: key, first: map[string]*history.Part{}}
}

func (d *dupSet) clear() {
	clear(d.first)
	d.more, d.all = nil, nil
}

// seen records p and reports whether a part with p's key came before.
func (d *dupSet) seen(p *history.Part) bool {
	if d.all == nil && strings.IndexByte(p.ID, 0) >= 0 {
		d.all = map[string]bool{}
		for id, q := range d.first {
			d.all[d.key(q)] = true
			for _, r := range d.more[id] {
				d.all[d.key(r)] = true
			}
		}
	}
	if d.all != nil {
		k := d.key(p)
		dup := d.all[k]
		d.all[k] = true
		return dup
	}
	q, ok := d.first[p.ID]
	if !ok {
		d.first[p.ID] = p
		return false
	}
	k := d.key(p)
	if d.key(q) == k {
		return true
	}
	for _, r := range d.more[p.ID] {
		if d.key(r) == k {
			return true
		}
	}
	if d.more == nil {
		d.more = map[string][]*history.Part{}
	}
	d.more[p.ID] = append(d.more[p.ID], p)
	return false
}

// callKey identifies a tool call by its id, name and input.
func callKey(p *history.Part) string {
	return p.ID + "\x00" + p.Name + "\x00" + string(compact(p.Input))
}

// resultKey identifies a tool result by its id and content.
func resultKey(p *history.Part) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\x00%v", p.ID, p.IsError)
	for _, c := range p.Content {
		m := c.MediaOrZero()
		fmt.Fprintf(&b, "\x00%d\x00%s\x00%s\x00%x\x00%s", c.Kind, c.Text, compact(c.Input), m.Data, m.URL)
	}
	return b.String()
}

// joinSystemNote folds the marker into the first text of an inlined
// system message, or drops it when the message had no text.
func joinSystemNote(blocks []converse.ContentBlock) []converse.ContentBlock {
	if len(blocks) > 1 && blocks[1].Text != nil {
		joined := *blocks[0].Text + "\n" + *blocks[1].Text
		return append([]converse.ContentBlock{converse.TextBlock(joined)}, blocks[2:]...)
	}
	if len(blocks) == 1 {
		return nil
	}
	return blocks
}

// convertPart appends the blocks for one part of a message. A block
// converted as it is keeps the part's Source, so an SDK input's fields
// survive.
func (s *state) convertPart(out []converse.ContentBlock, p *history.Part, role converse.Role, index int) []converse.ContentBlock {
	n := len(out)
	out = s.convertPartBlocks(out, p, role, index)
	if p.Source != nil && len(out) == n+1 && out[n].Text == nil == (p.Kind != history.PartText) {
		out[n].Source = p.Source
	}
	return out
}

func (s *state) convertPartBlocks(out []converse.ContentBlock, p *history.Part, role converse.Role, index int) []converse.ContentBlock {
	assistant := role == converse.RoleAssistant
	if p.Server && p.Type != "" && assistant && s.keepsSystemTool(p.Name) {
		// A system tool's call or result, which the service ran and
		// wrote into the assistant turn: it goes back as it came.
		if p.Kind == history.PartToolCall {
			input := s.toolInput(index, p.ID, p.Input)
			return append(out, converse.ContentBlock{ToolUse: s.toolUses.new(converse.ToolUseBlock{ToolUseID: p.ID, Name: p.Name, Input: input, Type: p.Type})})
		}
		tr := s.toolResult(p, index)
		tr.Type = p.Type
		return append(out, converse.ContentBlock{ToolResult: tr})
	}
	if p.Server && p.Type != "" {
		s.rep.add(index, ServerToolFlattened, "%s became text that keeps what the model saw: %s", serverWhat(p), s.systemWhy(p, assistant))
		return append(out, s.text(serverText(p)))
	}
	if p.Server {
		s.rep.add(index, ServerToolFlattened, "%s", serverDetail(p))
		return append(out, s.text(serverText(p)))
	}
	switch p.Kind {
	case history.PartText:
		if isBlank(p.Text) {
			s.rep.add(index, EmptyTextDropped, "blank text")
			return out
		}
		return append(out, s.text(p.Text))
	case history.PartImage, history.PartDocument:
		if assistant {
			s.rep.add(index, MediaToText, "%s in an assistant turn", p.Kind)
			return append(out, converse.TextBlock(mediaNote(*p)))
		}
		b, ok := s.media(*p, index)
		if !ok {
			return append(out, converse.TextBlock(mediaNote(*p)))
		}
		return append(out, b)
	case history.PartToolCall:
		if !s.useTools || !assistant {
			s.rep.add(index, ToolBlocksFlattened, "tool call %s (%s) became text", p.ID, p.Name)
			return append(out, converse.TextBlock(callText(*p)))
		}
		input := s.toolInput(index, p.ID, p.Input)
		return append(out, converse.ContentBlock{ToolUse: s.toolUses.new(converse.ToolUseBlock{ToolUseID: p.ID, Name: p.Name, Input: input})})
	case history.PartToolResult:
		if !s.useTools || assistant {
			s.rep.add(index, ToolBlocksFlattened, "tool result for %s became text", p.ID)
			out = append(out, s.resultAsText(*p, "", index)...)
		} else {
			out = append(out, converse.ContentBlock{ToolResult: s.toolResult(p, index)})
		}
		for k := range p.Content {
			// Converse takes no cache point inside a tool result: it
			// goes right after the result, which it ended or nearly.
			if c := &p.Content[k]; c.Kind == history.PartCachePoint {
				if s.fam.Caching {
					s.rep.add(index, CachePointMoved, "cache point inside the tool result for %s moved right after it", p.ID)
				}
				out = s.convertPartBlocks(out, c, role, index)
			}
		}
		return out
	case history.PartJSON:
		return append(out, converse.TextBlock(string(p.Input)))
	case history.PartReasoning, history.PartRedactedReasoning:
		switch {
		case !assistant:
			s.rep.add(index, ReasoningInUserDropped, "%s in a user turn", p.Kind)
			return out
		case p.Kind == history.PartReasoning && p.Signature == "":
			s.rep.add(index, UnsignedReasoningDropped, "reasoning without a signature cannot be replayed")
			return out
		case p.Kind == history.PartReasoning:
			return append(out, converse.ContentBlock{ReasoningContent: &converse.ReasoningContent{
				ReasoningText: &converse.ReasoningText{Text: p.Text, Signature: p.Signature}}})
		}
		return append(out, converse.ContentBlock{ReasoningContent: &converse.ReasoningContent{RedactedContent: p.MediaOrZero().Data}})
	case history.PartCachePoint:
		if !s.fam.Caching {
			s.rep.add(index, CachePointDropped, "the %s family has no prompt caching", s.fam.Name)
			return out
		}
		return append(out, converse.ContentBlock{CachePoint: cachePoint(p.TTL)})
	case history.PartOpaque:
		if s.fam.NoVideo && (p.Name == "video" || p.Input == nil && isSDKVideo(p.Source)) {
			s.rep.add(index, MediaToText, "the %s family takes no video (V-42); video %s became a note", s.fam.Name, describeVideo(p))
			return append(out, s.text(videoNote(p)))
		}
		if p.Input == nil {
			return append(out, converse.ContentBlock{Source: p.Source})
		}
		if p.Name == "searchResult" && !s.fam.SearchResults {
			s.rep.add(index, ServerToolFlattened, "the %s family takes no search results; %s", s.fam.Name, searchResultDetail)
			return append(out, s.text(searchResultText(p.Input)))
		}
		if b, ok := converse.RawBlock(p.Name, p.Input); ok {
			return append(out, b)
		}
	}
	return out
}

// systemWhy says why a system tool's call or result p is not sent back
// typed.
func (s *state) systemWhy(p *history.Part, assistant bool) string {
	switch {
	case !s.fam.SystemTools:
		return fmt.Sprintf("the %s family runs no system tools", s.fam.Name)
	case !assistant:
		return "it is not in an assistant turn"
	case !s.useTools:
		return fmt.Sprintf("the %s family has no tool use on ConverseStream", s.fam.Name)
	}
	return fmt.Sprintf("the request declares no system tool %s", p.Name)
}

// describeVideo names a video that cannot be sent, for the note that
// takes its place: its S3 location, or its format and size.
func describeVideo(p *history.Part) string {
	var v struct {
		Format string `json:"format"`
		Source struct {
			Bytes      []byte `json:"bytes"`
			S3Location struct {
				URI string `json:"uri"`
			} `json:"s3Location"`
		} `json:"source"`
	}
	if p.Input != nil {
		_ = json.Unmarshal(p.Input, &v)
	} else {
		v.Format, v.Source.S3Location.URI, v.Source.Bytes = sdkVideo(p.Source)
	}
	switch {
	case v.Source.S3Location.URI != "":
		return v.Source.S3Location.URI
	case v.Format != "":
		return fmt.Sprintf("(%s, %d bytes)", v.Format, len(v.Source.Bytes))
	}
	return fmt.Sprintf("(%d bytes)", len(v.Source.Bytes))
}

// videoNote is the text that stands in for a video that cannot be sent.
func videoNote(p *history.Part) string {
	return "[video not included: " + describeVideo(p) + "]"
}

// searchResultDetail ends a report line for a search result that became
// text.
const searchResultDetail = "it became text with its title, source and content"

// searchResultText is the text that stands in for a Converse searchResult
// block's JSON raw: its title and source, then its text content, as an
// Anthropic search_result block becomes.
func searchResultText(raw []byte) string {
	var v struct {
		Source  string `json:"source"`
		Title   string `json:"title"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	_ = json.Unmarshal(raw, &v)
	text := "[Search result " + strconv.Quote(v.Title)
	if v.Source != "" {
		text += " from " + v.Source
	}
	text += "]"
	for _, c := range v.Content {
		if c.Text != "" {
			text += "\n" + c.Text
		}
	}
	return text
}

// toolResult converts a tool result, filling empty content.
func (s *state) toolResult(p *history.Part, index int) *converse.ToolResultBlock {
	tr := s.toolResults.new(converse.ToolResultBlock{ToolUseID: p.ID})
	if p.IsError {
		tr.Status = "error"
	}
	if n := len(p.Content); n > 0 {
		// Carve the content from one shared array; a full slice
		// expression keeps appends from running into the next result's.
		if cap(s.results)-len(s.results) < n {
			s.results = make([]converse.ToolResultContent, 0, max(2*cap(s.results), 8, n))
		}
		tr.Content = s.results[len(s.results) : len(s.results) : len(s.results)+n]
		s.results = s.results[:len(s.results)+n]
	}
	blanks := 0
	for k := range p.Content {
		c := &p.Content[k]
		n := len(tr.Content)
		switch c.Kind {
		case history.PartOpaque:
			switch rc, ok := converse.RawResultContent(c.Name, c.Input); {
			case s.fam.NoVideo && (c.Name == "video" || c.Input == nil && isSDKVideo(c.Source)):
				s.rep.add(index, MediaToText, "in the result for %s: the %s family takes no video (V-42); video %s became a note", p.ID, s.fam.Name, describeVideo(c))
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: s.strs.new(videoNote(c))})
			case c.Input == nil:
				tr.Content = append(tr.Content, converse.ToolResultContent{})
			case c.Name == "searchResult" && !s.fam.SearchResults:
				s.rep.add(index, ServerToolFlattened, "in the result for %s: the %s family takes no search results; %s", p.ID, s.fam.Name, searchResultDetail)
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: s.strs.new(searchResultText(c.Input))})
			case ok:
				tr.Content = append(tr.Content, rc)
			}
		case history.PartText:
			switch {
			case c.Server:
				// A search result: text, as in a message.
				s.rep.add(index, ServerToolFlattened, "in the result for %s: %s", p.ID, serverDetail(c))
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: s.strs.new(serverText(c))})
			case !isBlank(c.Text):
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: s.strs.new(c.Text)})
			default:
				blanks++
			}
		case history.PartJSON:
			if isJSONObject(c.Input) {
				tr.Content = append(tr.Content, converse.ToolResultContent{JSON: c.Input})
			} else {
				s.rep.add(index, ToolJSONToText, "JSON result for %s was %s, not an object", p.ID, jsonKind(c.Input))
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: ptr(string(c.Input))})
			}
		case history.PartDocument:
			if s.fam.NoToolResultDocuments {
				s.rep.add(index, MediaToText, "the %s family takes no documents inside tool results; %s became a note", s.fam.Name, describeMedia(*c))
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: ptr(mediaNote(*c))})
			} else if b, ok := s.media(*c, index); ok {
				tr.Content = append(tr.Content, converse.ToolResultContent{Document: b.Document})
			} else {
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: ptr(mediaNote(*c))})
			}
		case history.PartImage:
			if b, ok := s.media(*c, index); ok {
				tr.Content = append(tr.Content, converse.ToolResultContent{Image: b.Image, Document: b.Document})
			} else {
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: ptr(mediaNote(*c))})
			}
		}
		if c.Source != nil && len(tr.Content) == n+1 && (tr.Content[n].Text == nil) == (c.Kind != history.PartText) {
			tr.Content[n].Source = c.Source
		}
	}
	if blanks > 0 && len(tr.Content) > 0 {
		s.rep.add(index, EmptyTextDropped, "blank text in the result for %s", p.ID)
	}
	if len(tr.Content) == 0 {
		text := "(no output)"
		if p.IsError {
			text = "(the tool failed without a message)"
		}
		s.rep.add(index, ToolResultFilled, "result for %s was empty", p.ID)
		tr.Content = []converse.ToolResultContent{{Text: ptr(text)}}
	}
	return tr
}

// resultAsText renders a tool result as user text that keeps its id;
// images and documents in it stay as blocks of their own.
func (s *state) resultAsText(p history.Part, why string, index int) []converse.ContentBlock {
	body := ""
	var media []converse.ContentBlock
	for _, c := range p.Content {
		switch {
		case c.Server:
			s.rep.add(index, ServerToolFlattened, "in the result for %s: %s", p.ID, serverDetail(&c))
			body = joinText(body, serverText(&c))
		case c.Kind == history.PartText:
			body = joinText(body, c.Text)
		case c.Kind == history.PartJSON:
			body = joinText(body, string(c.Input))
		case c.Kind == history.PartImage || c.Kind == history.PartDocument:
			if b, ok := s.media(c, index); ok {
				media = append(media, b)
			} else {
				body = joinText(body, mediaNote(c))
			}
		case c.Kind == history.PartOpaque && c.Name == "searchResult" && c.Input != nil:
			body = joinText(body, searchResultText(c.Input))
		case c.Kind == history.PartOpaque && c.Name == "video" && c.Input != nil && !s.fam.NoVideo:
			media = append(media, converse.ContentBlock{Video: c.Input})
		case c.Kind == history.PartOpaque && (c.Name == "video" || c.Input == nil && isSDKVideo(c.Source)):
			why := "the " + s.fam.Name + " family takes no video (V-42)"
			if !s.fam.NoVideo {
				why = "the result became text"
			}
			s.rep.add(index, MediaToText, "in the result for %s: %s; video %s became a note", p.ID, why, describeVideo(&c))
			body = joinText(body, videoNote(&c))
		}
	}
	status := "Result"
	if p.IsError {
		status = "Error"
	}
	head := fmt.Sprintf("[%s of tool call %s%s]", status, p.ID, why)
	if !isBlank(body) {
		head += ":\n" + body
	}
	return append([]converse.ContentBlock{converse.TextBlock(head)}, media...)
}

// serverText is the text that stands in for a server tool's part.
func serverText(p *history.Part) string {
	if isBlank(p.Text) {
		return "[" + serverWhat(p) + "]"
	}
	return p.Text
}

// serverWhat names a server tool's part for a report line.
func serverWhat(p *history.Part) string {
	kind := "server tool"
	if p.Client {
		kind = "tool"
	}
	switch p.Kind {
	case history.PartToolCall:
		return fmt.Sprintf("call %s of %s %s", p.ID, kind, p.Name)
	case history.PartToolResult:
		return fmt.Sprintf("result %s of %s %s", p.ID, kind, p.Name)
	}
	if p.Name != "" {
		return p.Name + " block"
	}
	return "search result"
}

// serverDetail is the report line of a server tool's part made text.
func serverDetail(p *history.Part) string {
	if p.Client {
		// A Responses computer, shell or apply_patch call or output, or
		// an MCP approval round: the application's, not the provider's.
		switch {
		case mcpApproval(p) && p.Kind == history.PartToolResult:
			return fmt.Sprintf("MCP approval response to %s became text that keeps what the model saw: the application answered it, not the provider, and Converse has no block for it", p.ID)
		case mcpApproval(p):
			return fmt.Sprintf("MCP approval request %s for tool %s became text that keeps what the model saw: the application answers it, not the provider, and Converse has no block for it", p.ID, p.Name)
		}
		return serverWhat(p) + " became text that keeps what the model saw: the application runs this tool, not the provider, and Converse cannot declare it as the model knew it"
	}
	switch p.Kind {
	case history.PartToolCall:
		return serverWhat(p) + " became text that keeps what the model saw: Bedrock runs no provider server tool"
	case history.PartToolResult:
		return serverWhat(p) + " became text that keeps what the model saw: Bedrock runs no provider server tool; encrypted content and ids dropped"
	}
	if p.Name != "" {
		// A container upload, a compaction summary, a tool reference.
		return serverWhat(p) + " became text that keeps what the model saw: Converse has no block for it"
	}
	return "search result became text with its title, source and content"
}

// mcpApproval reports whether a Client part is an MCP approval request
// (the only one whose members name an MCP server) or response.
func mcpApproval(p *history.Part) bool {
	if p.Name == "mcp_approval" && p.Kind == history.PartToolResult {
		return true
	}
	var m struct {
		ServerLabel string `json:"server_label"`
	}
	return p.Kind == history.PartToolCall && json.Unmarshal(p.Input, &m) == nil && m.ServerLabel != ""
}

// callText renders a tool call as assistant text that keeps its id.
// An input logged as a JSON string holding JSON shows as that value.
func callText(p history.Part) string {
	input := compact(p.Input)
	var str string
	if json.Unmarshal(input, &str) == nil && json.Valid([]byte(str)) {
		input = compact([]byte(str))
	}
	return fmt.Sprintf("[Called tool %s (call %s) with input %s]", p.Name, p.ID, input)
}

// cleanCachePoints removes cache points the service refuses: first in a
// message, right after reasoning, right after another cache point, or,
// for Anthropic, right after a document other than a PDF or a video.
func (s *state) cleanCachePoints(blocks []converse.ContentBlock, index int) []converse.ContentBlock {
	has := false
	for i := range blocks {
		has = has || blocks[i].CachePoint != nil
	}
	if !has {
		return blocks
	}
	out := blocks[:0:0]
	for _, b := range blocks {
		if b.CachePoint != nil {
			if len(out) == 0 || out[len(out)-1].ReasoningContent != nil || out[len(out)-1].CachePoint != nil {
				s.rep.add(index, CachePointDropped, "cache point with nothing to cache before it, or right after reasoning")
				continue
			}
			if s.fam.AnthropicFields && converse.CachePointRefusedAfter(&out[len(out)-1]) {
				s.rep.add(index, CachePointDropped, "cache point right after a document that is not a PDF, or a video, which the %s family refuses (V-48)", s.fam.Name)
				continue
			}
		}
		out = append(out, b)
	}
	return out
}

// dropEmptyAndMerge removes turns with no content, then merges neighbours
// of the same role; in a merged user turn tool results come first.
func (s *state) dropEmptyAndMerge() {
	// Each merge looks only at the turn being merged, never at what was
	// merged before, so merging n turns is linear.
	type acc struct {
		calls, other, sort bool
	}
	out := make([]turn, 0, len(s.turns)+2) // room for fixStart and fixEnd
	st := make([]acc, 0, len(s.turns))
	scan := func(blocks []converse.ContentBlock, a *acc) (moved bool) {
		for _, b := range blocks {
			switch {
			case b.ToolUse != nil && !b.ToolUse.Server():
				a.calls = true
				a.other = true
			case b.ToolResult == nil || b.ToolResult.Type != "":
				// A system tool's call or result stays where it is.
				a.other = true
			case a.other:
				moved = true
			}
		}
		return moved
	}
	for k, t := range s.turns {
		if len(t.blocks) == 0 {
			s.rep.add(t.src, EmptyMessageDropped, "no content left")
			continue
		}
		n := len(out)
		if n > 0 && out[n-1].role == t.role && t.role == converse.RoleAssistant && s.useTools && st[n-1].calls && !answeredLater(s.turns[k+1:], out[n-1].blocks) {
			// The answer after unanswered calls: their results go
			// between the two, so an empty user turn is put there for
			// the pairing pass to fill. Calls whose results come after
			// the next assistant message (a client that stored each
			// step of one answer as its own message) are merged
			// with it instead, below.
			var a acc
			scan(t.blocks, &a)
			out = append(out, turn{role: converse.RoleUser, src: t.src}, t)
			st = append(st, acc{}, a)
			continue
		}
		if n > 0 && out[n-1].role == t.role {
			prev, a := &out[n-1], &st[n-1]
			moved := scan(t.blocks, a)
			prev.blocks = append(prev.blocks, t.blocks...)
			if prev.tool && t.tool {
				continue
			}
			prev.tool = false
			s.rep.add(t.src, TurnsMerged, "merged into the %s turn from messages[%d]", t.role, prev.src)
			if moved && t.role == converse.RoleUser {
				s.rep.add(t.src, ToolResultsFirst, "tool results moved before the other blocks of the merged turn")
				a.sort = true
			}
			continue
		}
		var a acc
		scan(t.blocks, &a)
		out = append(out, t)
		st = append(st, a)
	}
	for i := range out {
		if st[i].sort {
			// Moving the results can bring two cache points together.
			out[i].blocks = s.cleanCachePoints(resultsFirst(out[i].blocks), out[i].src)
		}
	}
	s.turns = out
}

// answeredLater reports whether the first user turns after the assistant
// turns at the head of turns hold a result for one of the calls in
// blocks.
func answeredLater(turns []turn, blocks []converse.ContentBlock) bool {
	j := 0
	for j < len(turns) && turns[j].role == converse.RoleAssistant {
		j++
	}
	for ; j < len(turns) && turns[j].role == converse.RoleUser; j++ {
		for _, r := range turns[j].blocks {
			if r.ToolResult == nil {
				continue
			}
			for _, c := range blocks {
				if c.ToolUse != nil && !c.ToolUse.Server() && c.ToolUse.ToolUseID == r.ToolResult.ToolUseID {
					return true
				}
			}
		}
	}
	return false
}

// resultsFirst moves tool results before every other block, keeping order
// within each group.
func resultsFirst(blocks []converse.ContentBlock) []converse.ContentBlock {
	out := make([]converse.ContentBlock, 0, len(blocks))
	for _, b := range blocks {
		if b.ToolResult != nil {
			out = append(out, b)
		}
	}
	for _, b := range blocks {
		if b.ToolResult == nil {
			out = append(out, b)
		}
	}
	return out
}

// repairToolPairing makes every assistant turn's tool calls answered, in
// call order, by the next user turn, and turns every other result into
// text. Duplicate ids in a turn are removed.
func (s *state) repairToolPairing() {
	var renamed map[string][]string
	for i := 0; i < len(s.turns); i++ {
		t := &s.turns[i]
		if t.role == converse.RoleAssistant {
			t.blocks, renamed = s.dedupeCalls(t.blocks, t.src)
			if hasCalls(t.blocks) && (i+1 == len(s.turns) || s.turns[i+1].role != converse.RoleUser) {
				s.turns = append(s.turns[:i+1], append([]turn{{role: converse.RoleUser, src: t.src}}, s.turns[i+1:]...)...)
			}
			continue
		}
		calls := s.calls[:0]
		if i > 0 && s.turns[i-1].role == converse.RoleAssistant {
			for _, b := range s.turns[i-1].blocks {
				if b.ToolUse != nil && !b.ToolUse.Server() {
					calls = append(calls, b.ToolUse)
				}
			}
		}
		s.calls = calls
		s.turns[i].blocks = s.pairResults(calls, s.turns[i].blocks, renamed, s.turns[i].src)
		renamed = nil
	}
}

// dedupeCalls removes a tool call identical to an earlier one of the
// turn (same id, name and input) and gives a call that only shares its id
// a new unique id. It returns the new ids by original id, in call order,
// for the results of the next turn.
func (s *state) dedupeCalls(blocks []converse.ContentBlock, index int) ([]converse.ContentBlock, map[string][]string) {
	calls := 0
	for i := range blocks {
		if blocks[i].ToolUse != nil && !blocks[i].ToolUse.Server() {
			calls++
		}
	}
	if calls < 2 {
		return blocks, nil
	}
	seen := map[string]*converse.ToolUseBlock{}
	var renamed map[string][]string
	out := blocks[:0:0]
	for _, b := range blocks {
		if u := b.ToolUse; u != nil && !u.Server() {
			first, dup := seen[u.ToolUseID]
			switch {
			case dup && first.Name == u.Name && bytes.Equal(compact(first.Input), compact(u.Input)):
				s.rep.add(index, DuplicateToolCall, "second, identical tool call with id %s removed", u.ToolUseID)
				continue
			case dup:
				id := u.ToolUseID
				for n := 2; seen[id] != nil; n++ {
					id = fmt.Sprintf("%s_%d", u.ToolUseID, n)
				}
				s.rep.add(index, DuplicateToolCallRenamed, "second tool call with id %s (%s) has other input; it became %s, and the second result for that id answers it", u.ToolUseID, u.Name, id)
				if renamed == nil {
					renamed = map[string][]string{}
				}
				renamed[u.ToolUseID] = append(renamed[u.ToolUseID], id)
				u = &converse.ToolUseBlock{ToolUseID: id, Name: u.Name, Input: u.Input}
				b.ToolUse = u
			}
			seen[u.ToolUseID] = u
		}
		out = append(out, b)
	}
	return out, renamed
}

// pairResults rebuilds a user turn: one result per call, in call order
// (synthesized where missing), then the turn's other blocks, with every
// result that answers no call turned into text.
func (s *state) pairResults(calls []*converse.ToolUseBlock, blocks []converse.ContentBlock, renamed map[string][]string, index int) []converse.ContentBlock {
	if len(calls) == 0 && !hasResults(blocks) || paired(calls, blocks) {
		return blocks
	}
	byID := map[string]converse.ContentBlock{}
	var rest []converse.ContentBlock
	open := map[string]bool{}
	for _, c := range calls {
		open[c.ToolUseID] = true
	}
	// kept lists the ids of the results kept, in the turn's order;
	// late says one of them came after a block that goes after them.
	var kept []string
	late := false
	for _, b := range blocks {
		r := b.ToolResult
		switch {
		case r == nil:
			rest = append(rest, b)
		case byID[r.ToolUseID].ToolResult != nil && len(renamed[r.ToolUseID]) > 0:
			// Matched by order to the renamed duplicate call.
			id := renamed[r.ToolUseID][0]
			renamed[r.ToolUseID] = renamed[r.ToolUseID][1:]
			nr := *r
			nr.ToolUseID = id
			b.ToolResult = &nr
			byID[id] = b
			kept = append(kept, id)
			late = late || len(rest) > 0
		case byID[r.ToolUseID].ToolResult != nil && sameJSON(byID[r.ToolUseID].ToolResult, r):
			s.rep.add(index, DuplicateToolResult, "second, identical result for %s removed", r.ToolUseID)
		case byID[r.ToolUseID].ToolResult != nil:
			s.rep.add(index, OrphanResultToText, "second result for %s, with other content, answers no call; kept as text", r.ToolUseID)
			rest = append(rest, s.orphanText(r)...)
		case open[r.ToolUseID]:
			byID[r.ToolUseID] = b
			kept = append(kept, r.ToolUseID)
			late = late || len(rest) > 0
		default:
			s.rep.add(index, OrphanResultToText, "result for %s answers no call of the previous turn", r.ToolUseID)
			rest = append(rest, s.orphanText(r)...)
		}
	}
	out := make([]converse.ContentBlock, 0, len(calls)+len(rest))
	for _, c := range calls {
		r, ok := byID[c.ToolUseID]
		if !ok {
			s.rep.add(index, ToolResultSynthesized, "call %s (%s) had no result; an error result was added", c.ToolUseID, c.Name)
			r = converse.ContentBlock{ToolResult: &converse.ToolResultBlock{ToolUseID: c.ToolUseID, Status: "error",
				Content: []converse.ToolResultContent{{Text: ptr("No result was recorded for this tool call.")}}}}
		} else if len(kept) > 0 {
			late = late || kept[0] != c.ToolUseID
			kept = kept[1:]
		}
		out = append(out, r)
	}
	if late {
		s.rep.add(index, ToolResultsFirst, "tool results put first in the turn, in the order of their calls")
	}
	// Moving the results can bring two cache points together.
	return s.cleanCachePoints(append(out, rest...), index)
}

// paired reports whether blocks already answers calls: one result per
// call, in call order, first, and no other result.
func paired(calls []*converse.ToolUseBlock, blocks []converse.ContentBlock) bool {
	if len(blocks) < len(calls) {
		return false
	}
	for i, c := range calls {
		if r := blocks[i].ToolResult; r == nil || r.ToolUseID != c.ToolUseID {
			return false
		}
	}
	return !hasResults(blocks[len(calls):])
}

// orphanText renders an unanswerable tool result as text with its id.
func (s *state) orphanText(r *converse.ToolResultBlock) []converse.ContentBlock {
	body := ""
	var media []converse.ContentBlock
	for _, c := range r.Content {
		switch {
		case c.Text != nil:
			body = joinText(body, *c.Text)
		case c.JSON != nil:
			body = joinText(body, string(c.JSON))
		case c.Image != nil:
			media = append(media, converse.ContentBlock{Image: c.Image})
		case c.Document != nil:
			media = append(media, converse.ContentBlock{Document: c.Document})
		}
	}
	status := "Result"
	if r.Status == "error" {
		status = "Error"
	}
	text := fmt.Sprintf("[%s of tool call %s, which has no matching call]:\n%s", status, r.ToolUseID, body)
	return append([]converse.ContentBlock{converse.TextBlock(text)}, media...)
}

// fixStart applies the leading-assistant policy: a conversation always
// starts with a user turn, so a placeholder user turn goes before a
// leading assistant turn, for every family. Families that accept a leading
// assistant lose nothing, and the request stays the same across families.
func (s *state) fixStart() {
	switch {
	case len(s.turns) == 0:
		s.rep.add(-1, EmptyConversation, "no messages; a placeholder user turn was added")
		s.turns = []turn{{role: converse.RoleUser, blocks: []converse.ContentBlock{converse.TextBlock(Placeholder)}}}
	case s.turns[0].role == converse.RoleAssistant:
		s.rep.add(s.turns[0].src, LeadingAssistant, "history starts with the assistant; a placeholder user turn was put first")
		s.turns = append([]turn{{role: converse.RoleUser, blocks: []converse.ContentBlock{converse.TextBlock(Placeholder)}, src: s.turns[0].src}}, s.turns...)
	}
}

// fixEnd applies the final-assistant rules of the family.
func (s *state) fixEnd() {
	last := &s.turns[len(s.turns)-1]
	if last.role != converse.RoleAssistant {
		return
	}
	if s.fam.NoPrefillAfterResults && s.useTools && len(s.turns) > 1 && hasResults(s.turns[len(s.turns)-2].blocks) {
		s.rep.add(last.src, PrefillUnsupported, "with tools, the %s family rejects a final assistant turn right after tool results; a placeholder user turn was appended", s.fam.Name)
		s.turns = append(s.turns, turn{role: converse.RoleUser, blocks: []converse.ContentBlock{converse.TextBlock(Placeholder)}, src: last.src})
		return
	}
	if !s.fam.Prefill {
		s.rep.add(last.src, PrefillUnsupported, "the %s family rejects a final assistant turn; a placeholder user turn was appended", s.fam.Name)
		s.turns = append(s.turns, turn{role: converse.RoleUser, blocks: []converse.ContentBlock{converse.TextBlock(Placeholder)}, src: last.src})
		return
	}
	if !s.fam.NoTrailingWhitespace {
		return
	}
	b := &last.blocks[len(last.blocks)-1]
	if b.Text == nil {
		return
	}
	trimmed := trimRight(*b.Text)
	if trimmed == *b.Text {
		return
	}
	s.rep.add(last.src, TrailingWhitespaceTrimmed, "final assistant text ended in white space")
	if trimmed != "" {
		last.blocks[len(last.blocks)-1] = converse.TextBlock(trimmed)
		return
	}
	last.blocks = last.blocks[:len(last.blocks)-1]
	if len(last.blocks) == 0 {
		s.turns = s.turns[:len(s.turns)-1]
	}
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// systemPartWhat names a system part the normalizer drops, with its
// article: "a guardContent block" (its Converse member, or the SDK
// type's), "an audio block", "an image", "a tool call".
func systemPartWhat(p *history.Part) string {
	switch p.Kind {
	case history.PartOpaque:
		name := p.Name
		if name == "" {
			name = sdkMemberName(p.Source)
		}
		if name == "" {
			return "a block of unknown kind"
		}
		return withArticle(name + " block")
	case history.PartJSON:
		return "a JSON part"
	case history.PartReasoning, history.PartRedactedReasoning:
		return strings.ReplaceAll(p.Kind.String(), "_", " ")
	}
	return withArticle(strings.ReplaceAll(p.Kind.String(), "_", " "))
}

// sdkMemberName is the member an SDK union value stands for, as Converse
// names it: "guardContent" for a *types.SystemContentBlockMemberGuardContent,
// "audio" for a *types.ContentBlockMemberAudio; "" for another value.
func sdkMemberName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return ""
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	_, name, ok := strings.Cut(t.Name(), "Member")
	if !ok || name == "" {
		return ""
	}
	return strings.ToLower(name[:1]) + name[1:]
}

// withArticle puts "a" or "an" before s, by its first letter.
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// toolInput is a tool call's input as Converse takes it, a JSON object
// (V-16). JSON null, or no input at all, is {}: what a tool without
// arguments takes. Another value that is not an object (a string, a
// number, an array) is kept as {"value": ...}. Either is reported.
func (s *state) toolInput(index int, id string, input json.RawMessage) json.RawMessage {
	if isJSONObject(input) {
		return input
	}
	switch kind := jsonKind(input); kind {
	case "null", "missing":
		s.rep.add(index, ToolInputWrapped, "input of tool call %s was %s: sent as {}, a call without arguments", id, kind)
		return json.RawMessage(`{}`)
	default:
		s.rep.add(index, ToolInputWrapped, "input of tool call %s was %s, not an object", id, kind)
		return wrapValue(input)
	}
}
