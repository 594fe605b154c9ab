package normalize

import (
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// plainValid reports whether r is a request the normalizer would leave
// exactly as it is, with an empty report, without running it: user and
// assistant turns alternating from a user turn, text, tool calls and their
// results in call order right after them, declared tools with auto
// choice, nothing the family wants repaired. It is deliberately narrow:
// anything else (media, documents, cache points, reasoning, model fields,
// a tool choice other than auto...) answers false and takes the full
// path. TestPlainValidMeansUnchanged and FuzzPlainValid hold it to that
// promise; the caller must still validate r.
func plainValid(r *converse.Request, fam converse.Family, stream bool) bool {
	if len(r.Messages) == 0 || len(r.AdditionalModelRequestFields) > 0 || r.GuardrailConfig != nil ||
		r.PerformanceConfig != nil || r.AdditionalModelResponseFieldPaths != nil || r.RequestMetadata != nil || r.OutputConfig != nil {
		return false
	}
	if len(r.System) > 0 && !fam.System {
		return false
	}
	for i := range r.System {
		b := &r.System[i]
		if b.Text == nil || b.CachePoint != nil || b.GuardContent != nil || isBlank(*b.Text) {
			return false
		}
	}
	if ic := r.InferenceConfig; ic != nil {
		if ic.MaxTokens != nil && *ic.MaxTokens < 1 {
			return false
		}
		for _, v := range [...]*float64{ic.Temperature, ic.TopP} {
			if v != nil && !(*v >= 0 && *v <= 1) {
				return false
			}
		}
		for _, s := range ic.StopSequences {
			if s == "" {
				return false
			}
		}
	}
	var declared map[string]bool
	if tc := r.ToolConfig; tc != nil {
		if len(tc.Tools) == 0 || !fam.Tools || (stream && fam.NoStreamingTools) {
			return false
		}
		if c := tc.ToolChoice; c != nil && (c.Auto == nil || c.Any != nil || c.Tool != nil) {
			return false
		}
		declared = make(map[string]bool, len(tc.Tools))
		for i := range tc.Tools {
			s := tc.Tools[i].ToolSpec
			if s == nil || tc.Tools[i].CachePoint != nil || !converse.ValidToolName(s.Name) || declared[s.Name] || !isJSONObject(s.InputSchema.JSON) {
				return false
			}
			declared[s.Name] = true
		}
	}
	validID := converse.ValidToolUseID
	if fam.ToolUseID != nil {
		validID = fam.ToolUseID.MatchString
	}
	var ids map[string]bool
	var calls []string // the previous assistant turn's calls, in order
	for i := range r.Messages {
		m := &r.Messages[i]
		want := converse.RoleUser
		if i%2 == 1 {
			want = converse.RoleAssistant
		}
		if m.Role != want || len(m.Content) == 0 {
			return false
		}
		if m.Role == converse.RoleUser {
			answered := 0
			for j := range m.Content {
				b := &m.Content[j]
				switch b.Kind() {
				case "text":
					if !onlyText(b) || isBlank(*b.Text) || (fam.ToolResultAlone && answered > 0) {
						return false
					}
				case "toolResult":
					tr := b.ToolResult
					if !onlyToolResult(b) || j != answered || answered >= len(calls) || tr.ToolUseID != calls[answered] || !plainResult(tr) {
						return false
					}
					answered++
				default:
					return false
				}
			}
			if answered != len(calls) {
				return false
			}
			calls = calls[:0]
			continue
		}
		text := false
		for j := range m.Content {
			b := &m.Content[j]
			switch b.Kind() {
			case "text":
				if !onlyText(b) || isBlank(*b.Text) {
					return false
				}
				text = true
			case "toolUse":
				u := b.ToolUse
				if !onlyToolUse(b) || declared == nil || !declared[u.Name] || !validID(u.ToolUseID) || ids[u.ToolUseID] || !isJSONObject(u.Input) {
					return false
				}
				if ids == nil {
					ids = map[string]bool{}
				}
				ids[u.ToolUseID] = true
				calls = append(calls, u.ToolUseID)
			default:
				return false
			}
		}
		if fam.ToolUseAlone && text && len(calls) > 0 {
			return false
		}
	}
	if len(calls) > 0 {
		return false // the last turn's calls have no results
	}
	n := len(r.Messages)
	if last := &r.Messages[n-1]; last.Role == converse.RoleAssistant {
		if !fam.Prefill || (fam.NoPrefillAfterResults && declared != nil && n > 1 && hasResults(r.Messages[n-2].Content)) {
			return false
		}
		if b := &last.Content[len(last.Content)-1]; fam.NoTrailingWhitespace && b.Text != nil && trimRight(*b.Text) != *b.Text {
			return false
		}
	}
	return true
}

func onlyText(b *converse.ContentBlock) bool {
	return b.Image == nil && b.Document == nil && b.ToolUse == nil && b.ToolResult == nil && b.ReasoningContent == nil && b.CachePoint == nil && b.GuardContent == nil && b.Video == nil
}

func onlyToolUse(b *converse.ContentBlock) bool {
	return b.Text == nil && b.Image == nil && b.Document == nil && b.ToolResult == nil && b.ReasoningContent == nil && b.CachePoint == nil && b.GuardContent == nil && b.Video == nil
}

func onlyToolResult(b *converse.ContentBlock) bool {
	return b.Text == nil && b.Image == nil && b.Document == nil && b.ToolUse == nil && b.ReasoningContent == nil && b.CachePoint == nil && b.GuardContent == nil && b.Video == nil
}

// plainResult: a result of text and JSON objects only, none blank.
func plainResult(tr *converse.ToolResultBlock) bool {
	if len(tr.Content) == 0 || (tr.Status != "" && tr.Status != "success" && tr.Status != "error") {
		return false
	}
	for i := range tr.Content {
		c := &tr.Content[i]
		switch {
		case c.Image != nil || c.Document != nil || c.Video != nil:
			return false
		case c.Text != nil && c.JSON == nil:
			if isBlank(*c.Text) {
				return false
			}
		case c.JSON != nil && c.Text == nil:
			if !isJSONObject(c.JSON) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
