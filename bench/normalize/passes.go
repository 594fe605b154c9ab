package normalize

import (
	"fmt"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// Pass is one step of the normalizer, in the spirit of go/analysis: it
// documents what it requires of the request being built and what it
// guarantees after it ran, and the report codes it may emit. A new case
// is added to the one pass whose job it is. The tests run every pass on
// every fixture and on generated histories for every family, check each
// pass's guarantee right after it, and fail when a pass reports a code it
// does not declare.
type Pass struct {
	// Name is short and stable.
	Name string
	// Doc says what the pass does.
	Doc string
	// Requires is what must hold before the pass runs.
	Requires string
	// Guarantees is what holds after it.
	Guarantees string
	// Codes are the report codes the pass may emit.
	Codes []Code

	run func(*state)
	// check verifies Guarantees on the state after the pass; nil when the
	// guarantee is only checked on the final request by the validator.
	check func(*state) error
}

// Passes returns the normalizer's passes in the order they run.
func Passes() []*Pass { return passes }

var passes = []*Pass{
	{Name: "notes", Doc: "reports what the decoder kept in another form (invalid tool arguments, file and audio parts, request fields)",
		Requires: "a decoded history", Guarantees: "every decoder note is in the report",
		Codes: []Code{ToolInputInvalidJSON, FileUnavailable, AudioToText, FieldMapped, FieldDropped, ToolsUnsupported, CachePointDropped},
		run: func(s *state) {
			for _, n := range s.h.Notes {
				s.rep.add(n.Index, Code(n.Code), "%s", n.Detail)
			}
			tools, cachePoints := 0, 0
			for i := range s.h.Tools {
				switch t := &s.h.Tools[i]; {
				case t.CachePoint != nil:
					cachePoints++
				case t.System && !s.fam.SystemTools:
					s.rep.add(-1, ServerToolFlattened, "system tool %s dropped: the %s family runs no system tools; its calls and results in the history became text", t.Name, s.fam.Name)
				default:
					tools++
				}
			}
			switch {
			case tools > 0 && !s.fam.Tools:
				s.rep.add(-1, ToolsUnsupported, "the %s family has no tool use; %d tool definitions dropped", s.fam.Name, tools)
			case tools > 0 && !s.useTools:
				s.rep.add(-1, ToolsUnsupported, "the %s family has no tool use on ConverseStream; %d tool definitions dropped", s.fam.Name, tools)
			}
			if !s.useTools {
				// No tools are declared, so the cache points among them
				// have nothing to follow.
				for range cachePoints {
					s.rep.add(-1, CachePointDropped, "cache point among the tools, but no tool is declared")
				}
			}
		}},
	{Name: "system", Doc: "hoists the top-level system prompt and the leading system and developer messages into the system field, or into the first user turn for a family without system prompts",
		Requires: "a decoded history", Guarantees: "system blocks are non-blank text or cache points after text; the family supports them",
		Codes: []Code{SystemHoisted, SystemUnsupported, EmptyTextDropped, CachePointDropped, MediaToText, FieldMapped, FieldDropped},
		run:   func(s *state) { s.start = s.collectSystem(s.h) },
		check: func(s *state) error {
			if len(s.system) > 0 && !s.fam.System {
				return fmt.Errorf("system blocks for a family without system prompts")
			}
			for i, b := range s.system {
				if b.Text != nil && isBlank(*b.Text) {
					return fmt.Errorf("system block %d is blank", i)
				}
			}
			return nil
		}},
	{Name: "convert", Doc: "converts each remaining message to a turn, part by part: tool results logged before their call move right after it, identical duplicate calls and results go, blank text goes, a cache point inside a tool result goes right after it, later system messages become marked user text, tool blocks are flattened to text where no tools can be declared, a provider's server tool blocks become text, media that cannot be sent becomes a note",
		Requires:   "the system pass ran",
		Guarantees: "one turn per message (plus one per moved result group), each block a valid member; no blank text; tool blocks only where tools are declared and in the right role",
		Codes: []Code{ToolResultMoved, DuplicateToolCall, DuplicateToolResult, SystemInlined, EmptyTextDropped, MediaToText, MediaFormatMapped, ImageFormatFromBytes,
			ToolBlocksFlattened, ServerToolFlattened, ToolInputWrapped, ToolJSONToText, ToolResultFilled, ReasoningInUserDropped, UnsignedReasoningDropped, CachePointDropped, CachePointMoved,
			FieldMapped, FieldDropped},
		run: func(s *state) { s.convertMessages(s.h, s.start) },
		check: func(s *state) error {
			for i, t := range s.turns {
				for _, b := range t.blocks {
					if b.Text != nil && isBlank(*b.Text) {
						return fmt.Errorf("turn %d has blank text", i)
					}
					if (b.ToolUse != nil || b.ToolResult != nil) && !s.useTools {
						return fmt.Errorf("turn %d has a tool block, but no tools can be declared", i)
					}
					if b.ToolUse != nil && t.role != converse.RoleAssistant || b.ToolResult != nil && t.role != converse.RoleUser {
						return fmt.Errorf("turn %d (%s) has a tool block of the other role", i, t.role)
					}
				}
			}
			return nil
		}},
	{Name: "merge", Doc: "drops empty turns and merges neighbours of the same role, tool results first in a merged user turn; assistant calls followed by the assistant's answer get an empty user turn between them for their results",
		Requires:   "the convert pass ran",
		Guarantees: "roles alternate; only a user turn right after a turn with tool calls may be empty",
		Codes:      []Code{EmptyMessageDropped, TurnsMerged, ToolResultsFirst},
		run:        func(s *state) { s.dropEmptyAndMerge() },
		check: func(s *state) error {
			for i, t := range s.turns {
				if i > 0 && s.turns[i-1].role == t.role {
					return fmt.Errorf("turns %d and %d are both %s", i-1, i, t.role)
				}
				if len(t.blocks) == 0 && (i == 0 || !hasCalls(s.turns[i-1].blocks)) {
					return fmt.Errorf("turn %d is empty", i)
				}
			}
			return nil
		}},
	{Name: "pair-tools", Doc: "answers every call of an assistant turn in the next user turn, in call order: a call sharing an id with another but not its input gets a new id and the result matched by order; a missing result is synthesized; a result answering no call becomes text; results out of call order or after other blocks are put first, in call order",
		Requires:   "the merge pass ran",
		Guarantees: "the user turn after an assistant turn with calls starts with exactly one result per call, in call order; no other turn holds results",
		Codes:      []Code{DuplicateToolCallRenamed, ToolResultSynthesized, OrphanResultToText, ToolResultsFirst},
		run:        func(s *state) { s.repairToolPairing() },
		check: func(s *state) error {
			for i, t := range s.turns {
				if t.role != converse.RoleUser {
					continue
				}
				var calls []string
				if i > 0 {
					for _, b := range s.turns[i-1].blocks {
						if b.ToolUse != nil && !b.ToolUse.Server() {
							calls = append(calls, b.ToolUse.ToolUseID)
						}
					}
				}
				for j, b := range t.blocks {
					switch {
					case j < len(calls) && (b.ToolResult == nil || b.ToolResult.ToolUseID != calls[j]):
						return fmt.Errorf("turn %d block %d does not answer call %s", i, j, calls[j])
					case j >= len(calls) && b.ToolResult != nil:
						return fmt.Errorf("turn %d block %d is a result answering no call", i, j)
					}
				}
				if len(t.blocks) < len(calls) {
					return fmt.Errorf("turn %d answers %d of %d calls", i, len(t.blocks), len(calls))
				}
			}
			return nil
		}},
	{Name: "start", Doc: "puts a placeholder user turn first when the history is empty or starts with the assistant, for every family",
		Requires: "the pair-tools pass ran", Guarantees: "the first turn is a user turn",
		Codes: []Code{EmptyConversation, LeadingAssistant},
		run:   func(s *state) { s.fixStart() },
		check: func(s *state) error {
			if len(s.turns) == 0 || s.turns[0].role != converse.RoleUser {
				return fmt.Errorf("the first turn is not a user turn")
			}
			return nil
		}},
	{Name: "family", Doc: "applies what depends on the family or the request as a whole: assistant turns of reasoning only dropped (Claude 5), images out of tool results (OpenAI), tool calls and results alone in their turns (or, for Claude, away from documents other than PDFs), document names, counts and text, the image and cache-point limits",
		Requires: "the start pass ran", Guarantees: "the family's per-turn and per-request rules hold",
		Codes: []Code{ReasoningOnlyTurnDropped, ToolResultImageMoved, ToolUseSplit, ToolResultSplit, CachePointDropped, MediaToText, DocumentRenamed, DocumentTextAdded},
		run:   func(s *state) { s.applyFamilyRules() }},
	{Name: "end", Doc: "applies the final-turn rules: a placeholder user turn after a final assistant turn for a family without prefill; trailing white space trimmed where the family refuses it",
		Requires: "the family pass ran", Guarantees: "a family without prefill, or without prefill after tool results when tools are set, gets a final user turn",
		Codes: []Code{PrefillUnsupported, TrailingWhitespaceTrimmed},
		run:   func(s *state) { s.fixEnd() },
		check: func(s *state) error {
			if !s.fam.Prefill && s.turns[len(s.turns)-1].role == converse.RoleAssistant {
				return fmt.Errorf("final assistant turn for a family without prefill")
			}
			return nil
		}},
	{Name: "build", Doc: "assembles the request: tool names and ids mapped to the allowed patterns the same way everywhere, the tool configuration (its cache points where the family caches, takes them among the tools and the limit allows) and choice, cache point ttls the family takes (5m only on Nova) in the order Anthropic takes (1h before 5m), inference parameters, provider fields (without thinking where the final turn does not start with it), request metadata and the structured-output schema (without the keywords the family refuses)",
		Requires: "every other pass ran", Guarantees: "a request the validator accepts for the family",
		Codes: []Code{ToolNameMapped, ToolIDMapped, ToolSchemaReplaced, ToolChoiceChanged, InferenceClamped, ThinkingDisabled, ThinkingMadeAdaptive, ThinkingBudgetRaised, OutputSchemaKeywordDropped, StrictToolSchemaRepaired, CachePointDropped, CacheTTLLowered, CacheTTLRaised, FieldMapped, FieldDropped},
		run:   func(s *state) { s.req = s.build(s.h) },
		check: func(s *state) error { return s.validate(&s.req) }},
}
