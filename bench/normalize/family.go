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
	if s.fam.NoReasoningOnlyTurn {
		s.dropReasoningOnlyTurns()
	}
	if s.fam.NoToolResultImages {
		s.hoistToolResultImages()
	}
	if s.fam.ToolUseAlone {
		s.splitToolUses()
	}
	if s.fam.ToolResultAlone || s.fam.NoDocumentsBesideResults {
		s.splitToolResults()
	}
	s.fixDocuments()
	s.limitImages()
	s.limitCachePoints()
}

// dropReasoningOnlyTurns removes the assistant turns made only of
// reasoning, which the family refuses wherever they stand (V-5, Claude
// 5), and merges the user turns on either side. Signed reasoning is kept
// as it is or not sent at all: the turn's reasoning came before no answer
// and no tool call, and Claude needs only the reasoning of the turn the
// request ends in, which a turn before a user turn is not.
func (s *state) dropReasoningOnlyTurns() {
	out := s.turns[:0]
	for i := 0; i < len(s.turns); i++ {
		t := s.turns[i]
		if t.role != converse.RoleAssistant || !converse.OnlyReasoning(t.blocks) {
			out = append(out, t)
			continue
		}
		next := i+1 < len(s.turns) && len(out) > 0 && out[len(out)-1].role == converse.RoleUser && s.turns[i+1].role == converse.RoleUser
		detail := "the turn dropped"
		if next {
			detail = fmt.Sprintf("the turn dropped, and the user turn from messages[%d] merged into the one before it", s.turns[i+1].src)
		}
		s.rep.add(t.src, ReasoningOnlyTurnDropped, "the %s family refuses an assistant turn of reasoning only, even before a user turn; %s", s.fam.Name, detail)
		if next {
			prev := &out[len(out)-1]
			prev.blocks = append(prev.blocks[:len(prev.blocks):len(prev.blocks)], s.turns[i+1].blocks...)
			prev.blocks = s.cleanCachePoints(prev.blocks, prev.src)
			i++
		}
	}
	s.turns = out
}

// hoistToolResultImages moves the images inside tool results out of them,
// right after the turn's results, for a family that refuses them there
// but takes them beside (V-42, OpenAI models: earendil-works/pi #8643).
// Each result keeps a note where its image was, so the model can tell
// which result an image belongs to.
func (s *state) hoistToolResultImages() {
	for i := range s.turns {
		t := &s.turns[i]
		if t.role != converse.RoleUser {
			continue
		}
		var images []converse.ContentBlock
		last := -1 // the turn's last result
		for j := range t.blocks {
			r := t.blocks[j].ToolResult
			if r == nil {
				continue
			}
			last = j
			if !resultHasImage(r) {
				continue
			}
			nr := *r
			nr.Content = make([]converse.ToolResultContent, 0, len(r.Content))
			for _, c := range r.Content {
				if c.Image == nil {
					nr.Content = append(nr.Content, c)
					continue
				}
				images = append(images, converse.ContentBlock{Image: c.Image})
				nr.Content = append(nr.Content, converse.ToolResultContent{Text: ptr(fmt.Sprintf("[image %d of the tool results: after them in this message]", len(images)))})
				s.rep.add(t.src, ToolResultImageMoved, "the %s family refuses an image inside a tool result; the image in the result for %s moved right after the turn's tool results", s.fam.Name, r.ToolUseID)
			}
			t.blocks[j].ToolResult = &nr
		}
		if len(images) == 0 {
			continue
		}
		blocks := make([]converse.ContentBlock, 0, len(t.blocks)+len(images))
		blocks = append(blocks, t.blocks[:last+1]...)
		blocks = append(blocks, images...)
		t.blocks = append(blocks, t.blocks[last+1:]...)
	}
}

// resultHasImage reports whether a tool result holds an image.
func resultHasImage(r *converse.ToolResultBlock) bool {
	for i := range r.Content {
		if r.Content[i].Image != nil {
			return true
		}
	}
	return false
}

// splitToolResults moves whatever shares a turn with tool results into a
// user turn of its own, after a placeholder assistant turn (V-23): all of
// it for a family that wants results alone, and for Claude what shares a
// turn with a document other than a PDF.
func (s *state) splitToolResults() {
	for i := 0; i < len(s.turns); i++ {
		t := s.turns[i]
		if t.role != converse.RoleUser || !hasResults(t.blocks) {
			continue
		}
		if !s.fam.ToolResultAlone && !converse.DocumentBesideResults(t.blocks) {
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
		if s.fam.ToolResultAlone {
			s.rep.add(t.src, ToolResultSplit, "the %s family wants tool results alone; %d other blocks moved to a following user turn", s.fam.Name, len(rest))
		} else {
			s.rep.add(t.src, ToolResultSplit, "the %s family refuses a document other than a PDF beside tool results; %d other blocks moved to a following user turn", s.fam.Name, len(rest))
		}
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
