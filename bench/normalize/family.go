package normalize

import (
	"fmt"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// applyFamilyRules applies what depends on the family or on the request
// as a whole: tool results alone in their turn, document rules, and the
// image and cache-point limits.
func (s *state) applyFamilyRules() {
	if s.fam.ToolUseAlone {
		s.splitToolUses()
	}
	if s.fam.ToolResultAlone {
		s.splitToolResults()
	}
	s.fixDocuments()
	s.limitImages()
	s.limitCachePoints()
}

// splitToolResults moves whatever shares a turn with tool results into a
// user turn of its own, after a placeholder assistant turn (V-23).
func (s *state) splitToolResults() {
	for i := 0; i < len(s.turns); i++ {
		t := s.turns[i]
		if t.role != converse.RoleUser || !hasResults(t.blocks) {
			continue
		}
		var results, rest []converse.ContentBlock
		for _, b := range t.blocks {
			if b.ToolResult != nil {
				results = append(results, b)
			} else if b.CachePoint == nil || len(rest) > 0 {
				rest = append(rest, b)
			} else {
				s.rep.add(t.src, CachePointDropped, "cache point right after tool results, which must stand alone")
			}
		}
		if len(rest) == 0 {
			s.turns[i].blocks = results
			continue
		}
		s.rep.add(t.src, ToolResultSplit, "the %s family wants tool results alone; %d other blocks moved to a following user turn", s.fam.Name, len(rest))
		s.turns[i].blocks = results
		extra := []turn{
			{role: converse.RoleAssistant, blocks: []converse.ContentBlock{converse.TextBlock(Placeholder)}, src: t.src},
			{role: converse.RoleUser, blocks: rest, src: t.src},
		}
		s.turns = append(s.turns[:i+1], append(extra, s.turns[i+1:]...)...)
		i += 2
	}
}

// splitToolUses moves whatever shares an assistant turn with tool calls
// into an assistant turn of its own before it, followed by a placeholder
// user turn (V-23, tool-use side).
func (s *state) splitToolUses() {
	out := make([]turn, 0, len(s.turns))
	for _, t := range s.turns {
		if t.role != converse.RoleAssistant || !hasCalls(t.blocks) {
			out = append(out, t)
			continue
		}
		var uses, rest []converse.ContentBlock
		for _, b := range t.blocks {
			if b.ToolUse != nil {
				uses = append(uses, b)
			} else {
				rest = append(rest, b)
			}
		}
		if len(rest) == 0 {
			out = append(out, t)
			continue
		}
		s.rep.add(t.src, ToolUseSplit, "the %s family wants tool calls alone; %d other blocks moved to an assistant turn before them", s.fam.Name, len(rest))
		out = append(out,
			turn{role: converse.RoleAssistant, blocks: rest, src: t.src},
			turn{role: converse.RoleUser, blocks: []converse.ContentBlock{converse.TextBlock(Placeholder)}, src: t.src},
			turn{role: converse.RoleAssistant, blocks: uses, src: t.src})
	}
	s.turns = out
}

// fixDocuments gives documents valid, unique names, keeps at most
// [converse.MaxDocuments] (the latest), and adds the text block a message
// with documents needs.
func (s *state) fixDocuments() {
	var docs []*converse.DocumentBlock
	var owners []int
	s.eachMedia(func(ti int, b *converse.ContentBlock, c *converse.ToolResultContent) {
		switch {
		case b != nil && b.Document != nil:
			docs = append(docs, b.Document)
			owners = append(owners, ti)
		case c != nil && c.Document != nil:
			docs = append(docs, c.Document)
			owners = append(owners, ti)
		}
	})
	drop := len(docs) - converse.MaxDocuments
	if drop > 0 {
		n := 0
		s.eachMedia(func(ti int, b *converse.ContentBlock, c *converse.ToolResultContent) {
			if n >= drop {
				return
			}
			switch {
			case b != nil && b.Document != nil:
				s.rep.add(s.turns[ti].src, MediaToText, "document %q over the limit of %d", b.Document.Name, converse.MaxDocuments)
				*b = converse.TextBlock(fmt.Sprintf("[document %q omitted: a request holds at most %d documents]", b.Document.Name, converse.MaxDocuments))
				n++
			case c != nil && c.Document != nil:
				s.rep.add(s.turns[ti].src, MediaToText, "document %q over the limit of %d", c.Document.Name, converse.MaxDocuments)
				*c = converse.ToolResultContent{Text: ptr(fmt.Sprintf("[document %q omitted: a request holds at most %d documents]", c.Document.Name, converse.MaxDocuments))}
				n++
			}
		})
		docs, owners = docs[drop:], owners[drop:]
	}
	used := map[string]bool{}
	for k, d := range docs {
		name := uniqueName(documentName(d.Name), used)
		if name != d.Name {
			s.rep.add(s.turns[owners[k]].src, DocumentRenamed, "%q became %q", d.Name, name)
			d.Name = name
		}
	}
	for i := range s.turns {
		t := &s.turns[i]
		var names []string
		text := false
		for _, b := range t.blocks {
			if b.Document != nil {
				names = append(names, b.Document.Name)
			}
			text = text || b.Text != nil
		}
		if len(names) > 0 && !text {
			s.rep.add(t.src, DocumentTextAdded, "a message with documents needs a text block")
			t.blocks = append(t.blocks, converse.TextBlock("Attached: "+strings.Join(names, ", ")))
		}
	}
}

// limitImages keeps the family's image limit, replacing the earliest
// images with a note.
func (s *state) limitImages() {
	if s.fam.MaxImages == 0 {
		return
	}
	total := 0
	s.eachMedia(func(_ int, b *converse.ContentBlock, c *converse.ToolResultContent) {
		if (b != nil && b.Image != nil) || (c != nil && c.Image != nil) {
			total++
		}
	})
	drop := total - s.fam.MaxImages
	s.eachMedia(func(ti int, b *converse.ContentBlock, c *converse.ToolResultContent) {
		if drop <= 0 {
			return
		}
		note := fmt.Sprintf("[image omitted: a request holds at most %d images]", s.fam.MaxImages)
		switch {
		case b != nil && b.Image != nil:
			*b = converse.TextBlock(note)
		case c != nil && c.Image != nil:
			*c = converse.ToolResultContent{Text: ptr(note)}
		default:
			return
		}
		s.rep.add(s.turns[ti].src, MediaToText, "image over the limit of %d", s.fam.MaxImages)
		drop--
	})
}

// eachMedia visits every content block and tool-result content item in
// request order, for the media limits.
func (s *state) eachMedia(fn func(turn int, b *converse.ContentBlock, c *converse.ToolResultContent)) {
	for i := range s.turns {
		for j := range s.turns[i].blocks {
			b := &s.turns[i].blocks[j]
			if b.ToolResult != nil {
				for k := range b.ToolResult.Content {
					fn(i, nil, &b.ToolResult.Content[k])
				}
				continue
			}
			fn(i, b, nil)
		}
	}
}

// limitCachePoints keeps at most [converse.MaxCachePoints], dropping the
// earliest message cache points first so the system prompt's stays, and
// the tools' last (they head the cached prefix).
func (s *state) limitCachePoints() {
	total := s.toolCachePoints()
	for _, b := range s.system {
		if b.CachePoint != nil {
			total++
		}
	}
	for _, t := range s.turns {
		for _, b := range t.blocks {
			if b.CachePoint != nil {
				total++
			}
		}
	}
	drop := total - converse.MaxCachePoints
	for i := 0; i < len(s.turns) && drop > 0; i++ {
		t := &s.turns[i]
		out := t.blocks[:0:0]
		for _, b := range t.blocks {
			if b.CachePoint != nil && drop > 0 {
				s.rep.add(t.src, CachePointDropped, "over the limit of %d cache points", converse.MaxCachePoints)
				drop--
				continue
			}
			out = append(out, b)
		}
		t.blocks = out
	}
	if drop > 0 {
		out := s.system[:0:0]
		for _, b := range s.system {
			if b.CachePoint != nil && drop > 0 {
				s.rep.add(-1, CachePointDropped, "over the limit of %d cache points", converse.MaxCachePoints)
				drop--
				continue
			}
			out = append(out, b)
		}
		s.system = out
	}
	s.toolCacheDrops = drop
}

// toolCachePoints counts the tools' cache points the request will hold
// before the limit: those the build finds a declared tool right before
// ([toolWalk]), where tools are declared and the family caches.
func (s *state) toolCachePoints() int {
	if !s.useTools || !s.fam.Caching || s.fam.NoToolCachePoints {
		return 0
	}
	n := 0
	var walk toolWalk
	for i := range s.h.Tools {
		if _, cacheable := walk.step(&s.h.Tools[i]); cacheable {
			n++
		}
	}
	return n
}
