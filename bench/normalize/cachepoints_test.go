package normalize

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// genCachePoints draws a history whose cache points sit anywhere: in the
// system prompt, in messages, inside tool results and among tools, where tool names repeat
// and cache points follow each other, more of them than the limit, with
// ttls none, 5m and 1h in any order (V-49).
// It returns the history and how many cache points it holds.
func genCachePoints(seed uint64) (*history.History, int) {
	r := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	n := 0
	ttl := func() string { return []string{"", "5m", "1h"}[r.IntN(3)] }
	cp := func() history.Part {
		n++
		return history.Part{Kind: history.PartCachePoint, TTL: ttl()}
	}
	h := &history.History{ID: "cache-points"}
	for range r.IntN(3) {
		if r.IntN(2) == 0 {
			h.System = append(h.System, cp())
		} else {
			h.System = append(h.System, history.Part{Kind: history.PartText, Text: "Be brief."})
		}
	}
	for range r.IntN(14) {
		if r.IntN(2) == 0 {
			n++
			h.Tools = append(h.Tools, history.Tool{CachePoint: &converse.CachePoint{Type: "default", TTL: ttl()}})
		} else {
			h.Tools = append(h.Tools, history.Tool{Name: []string{"a", "b", "c"}[r.IntN(3)], Schema: []byte(`{"type":"object"}`)})
		}
	}
	turns := 1 + 2*r.IntN(4)
	for i := range turns {
		role := history.RoleUser
		if i%2 == 1 {
			role = history.RoleAssistant
		}
		m := history.Message{Role: role}
		if role == history.RoleUser && r.IntN(3) == 0 {
			// A cache point inside a tool result, where Converse takes
			// none (cache_control on a block of an Anthropic tool_result).
			m.Parts = append(m.Parts, history.Part{Kind: history.PartToolResult, ID: "r" + string(rune('0'+i)),
				Content: []history.Part{{Kind: history.PartText, Text: "tool output"}, cp()}})
		}
		for range 1 + r.IntN(3) {
			switch r.IntN(6) {
			case 0, 1:
				m.Parts = append(m.Parts, cp())
			case 2:
				// A block that becomes text (a compaction summary, a
				// container upload) or a client tool's call or output
				// (a Responses shell_call), which the normalizer
				// flattens, with a cache point after it.
				id := "s" + string(rune('0'+i))
				switch {
				case r.IntN(2) == 0:
					m.Parts = append(m.Parts, history.Part{Kind: history.PartText, Server: true, Name: []string{"compaction", "container_upload"}[r.IntN(2)], Text: "[Summary of the earlier conversation]\nsummary"})
				case role == history.RoleAssistant:
					m.Parts = append(m.Parts, history.Part{Kind: history.PartToolCall, Server: true, ID: id, Name: "shell", Input: []byte(`{"action":{"commands":["ls"]}}`), Text: "[Called tool shell]"})
				default:
					m.Parts = append(m.Parts, history.Part{Kind: history.PartToolResult, Server: true, ID: id, Name: "shell", Input: []byte(`{"output":[]}`), Text: "[Result of tool shell]"})
				}
				m.Parts = append(m.Parts, cp())
			default:
				m.Parts = append(m.Parts, history.Part{Kind: history.PartText, Text: "turn text"})
			}
		}
		h.Messages = append(h.Messages, m)
	}
	return h, n
}

// outputCachePoints counts the cache points of req, and reports whether
// every one among its tools has a tool right before it.
func outputCachePoints(req *converse.Request) (n int, toolsOK bool) {
	toolsOK = true
	for _, b := range req.System {
		if b.CachePoint != nil {
			n++
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.CachePoint != nil {
				n++
			}
		}
	}
	if req.ToolConfig != nil {
		for i, t := range req.ToolConfig.Tools {
			if t.CachePoint != nil {
				n++
				toolsOK = toolsOK && i > 0 && req.ToolConfig.Tools[i-1].ToolSpec != nil
			}
		}
	}
	return n, toolsOK
}

// checkCachePoints normalizes a drawn history for fam and checks that the
// request is made (never over the limit of cache points), that each cache
// point among the tools follows a tool, that every cache point is either
// in the request or reported dropped, once, and that none is dropped for
// the limit unless the request then holds as many as the limit allows.
func checkCachePoints(t *testing.T, seed uint64, fam converse.Family) {
	t.Helper()
	h, in := genCachePoints(seed)
	req, rep, err := Normalize(h, Options{Family: fam})
	if err != nil {
		t.Fatalf("seed %d, %s: %v", seed, fam.Name, err)
	}
	out, toolsOK := outputCachePoints(&req)
	dropped, overLimit := 0, false
	for _, c := range rep.Changes {
		if c.Code == CachePointDropped {
			dropped++
			overLimit = overLimit || strings.Contains(c.Detail, "over the limit")
		}
	}
	// One dropped for the limit means the request holds as many as it may.
	if out+dropped != in || !toolsOK || out > converse.MaxCachePoints || overLimit && out != converse.MaxCachePoints {
		t.Fatalf("seed %d, %s: %d cache points in, %d out and %d reported dropped; tools in order: %v\ntools: %+v\nreport: %v",
			seed, fam.Name, in, out, dropped, toolsOK, req.ToolConfig, rep.Changes)
	}
}

// TestCachePointsKeptOrReported runs the check on drawn histories for
// every family. Before the build and the limit agreed on which of the
// tools' cache points count, a cache point right after one the limit
// dropped took its place, and the request went over the limit (V-45);
// one after a tool declared twice was counted and then dropped, so a
// message's cache point was dropped to make room for nothing.
func TestCachePointsKeptOrReported(t *testing.T) {
	for _, fam := range converse.Families() {
		for seed := range uint64(400) {
			checkCachePoints(t, seed, fam)
		}
	}
}

// FuzzCachePoints is the check as a fuzz target: any seed, any family.
func FuzzCachePoints(f *testing.F) {
	for seed := range uint64(10) {
		f.Add(seed, uint8(seed))
	}
	families := converse.Families()
	f.Fuzz(func(t *testing.T, seed uint64, fam uint8) {
		checkCachePoints(t, seed, families[int(fam)%len(families)])
	})
}

// TestCacheTTLRaised: Anthropic refuses a cache point with ttl 1h after
// one with ttl 5m (or none) in the order tools, system, messages (V-49,
// Portkey-AI/gateway #1762; "Cache entries with longer TTL must appear
// before shorter TTLs", Anthropic's prompt caching page). The normalizer
// raises the earlier ones to 1h, each reported, and keeps the 1h one; a
// 5m cache point after the last 1h stays 5m. Nova, which has no such
// rule, raises none (its 1h ttl is lowered instead, V-68).
func TestCacheTTLRaised(t *testing.T) {
	cp := func(ttl string) history.Part { return history.Part{Kind: history.PartCachePoint, TTL: ttl} }
	text := func(s string) history.Part { return history.Part{Kind: history.PartText, Text: s} }
	h := &history.History{ID: "x",
		Tools:  []history.Tool{{Name: "f", Schema: []byte(`{"type":"object"}`)}, {CachePoint: &converse.CachePoint{Type: "default"}}},
		System: []history.Part{text("Be brief."), cp("5m")},
		Messages: []history.Message{
			{Role: history.RoleUser, Parts: []history.Part{text("a"), cp("1h")}},
			{Role: history.RoleAssistant, Parts: []history.Part{text("b")}},
			{Role: history.RoleUser, Parts: []history.Part{text("c"), cp("")}},
		}}
	ttls := func(req converse.Request) []string {
		var out []string
		eachRequestCachePoint(&req, func(_ int, c **converse.CachePoint) { out = append(out, converse.CacheTTL(*c)) })
		return out
	}
	for _, name := range []string{"anthropic", "anthropic-no-prefill"} {
		fam, _ := converse.LookupFamily(name)
		req, rep, err := Normalize(h, Options{Family: fam})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, want := ttls(req), []string{"1h", "1h", "1h", "5m"}; !slices.Equal(got, want) {
			t.Errorf("%s: ttls %v, want %v", name, got, want)
		}
		var raised []int
		for _, c := range rep.Changes {
			if c.Code == CacheTTLRaised {
				raised = append(raised, c.Index)
			}
		}
		if !slices.Equal(raised, []int{-1, -1}) {
			t.Errorf("%s: raised at %v, want the tools' and the system prompt's (-1, -1): %v", name, raised, rep.Changes)
		}
		if h.Tools[1].CachePoint.TTL != "" || h.System[1].TTL != "5m" {
			t.Errorf("%s: the history was modified: %+v %+v", name, h.Tools[1].CachePoint, h.System[1])
		}
	}
	nova, _ := converse.LookupFamily("nova")
	req, rep, err := Normalize(h, Options{Family: nova})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ttls(req), []string{"5m", "5m", "5m"}; !slices.Equal(got, want) {
		t.Errorf("nova: ttls %v, want %v (the tools' cache point dropped, V-50; the 1h lowered, V-68)", got, want)
	}
	for _, c := range rep.Changes {
		if c.Code == CacheTTLRaised {
			t.Errorf("nova: %v", c)
		}
	}
}

// TestCacheTTLLowered: Nova and Nova 2 refuse a cache point with ttl 1h
// with "Extended TTL prompt caching is only supported for Anthropic
// models" (V-68: timothy-agent/timothy #755, LibreChat-AI/agents #256,
// earendil-works/pi #1570). The normalizer drops the ttl, each reported
// at its message, so the cache point stays and caches for 5 minutes; the
// request then passes. Claude keeps its 1h ttls.
func TestCacheTTLLowered(t *testing.T) {
	cp := func(ttl string) history.Part { return history.Part{Kind: history.PartCachePoint, TTL: ttl} }
	text := func(s string) history.Part { return history.Part{Kind: history.PartText, Text: s} }
	h := &history.History{ID: "x",
		System: []history.Part{text("Be brief."), cp("1h")},
		Messages: []history.Message{
			{Role: history.RoleUser, Parts: []history.Part{text("a"), cp("5m")}},
			{Role: history.RoleAssistant, Parts: []history.Part{text("b")}},
			{Role: history.RoleUser, Parts: []history.Part{text("c"), cp("1h")}},
		}}
	for _, model := range []string{"us.amazon.nova-2-lite-v1:0", "amazon.nova-pro-v1:0"} {
		fam, _ := converse.FamilyForModel(model)
		req, rep, err := Normalize(h, Options{Family: fam})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		var got []string
		eachRequestCachePoint(&req, func(_ int, c **converse.CachePoint) { got = append(got, (*c).TTL) })
		if want := []string{"", "5m", ""}; !slices.Equal(got, want) {
			t.Errorf("%s: ttls %q, want %q", model, got, want)
		}
		var lowered []int
		for _, c := range rep.Changes {
			if c.Code == CacheTTLLowered {
				lowered = append(lowered, c.Index)
			}
		}
		if !slices.Equal(lowered, []int{-1, 2}) {
			t.Errorf("%s: lowered at %v, want the system prompt's and message 2's: %v", model, lowered, rep.Changes)
		}
		if err := converse.Validate(&req, fam); err != nil {
			t.Errorf("%s: the normalized request is refused: %v", model, err)
		}
		if h.System[1].TTL != "1h" {
			t.Errorf("%s: the history was modified", model)
		}
	}
	claude, _ := converse.FamilyForModel("anthropic.claude-sonnet-4-5-20250929-v1:0")
	req, rep, err := Normalize(h, Options{Family: claude})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Changes {
		if c.Code == CacheTTLLowered {
			t.Errorf("claude: %v", c)
		}
	}
	if !converse.HasExtendedTTL(&req) {
		t.Errorf("claude lost its 1h ttls")
	}
}
