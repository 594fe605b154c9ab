package emulator

import (
	"crypto/sha256"
	"hash"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// promptCache remembers the prompt prefixes written by requests with cache
// points, so that a repeat reads what the first wrote, as Bedrock's
// prompt caching does: per model, for the cache point's ttl (5 minutes
// unless it asks for 1 hour where the model takes it), renewed by each
// hit.
type promptCache struct {
	mu      sync.Mutex
	entries map[[32]byte]time.Time
	clock   func() time.Time
}

// maxCacheEntries bounds the cache's memory.
const maxCacheEntries = 10000

func newPromptCache(clock func() time.Time) *promptCache {
	return &promptCache{entries: map[[32]byte]time.Time{}, clock: clock}
}

// checkpoint is one cache point of a request: the estimated tokens of the
// prompt before it, the hash of that prefix (with the model) and its ttl.
type checkpoint struct {
	tokens int
	key    [32]byte
	ttl    string
}

// cacheDetail is the tokens written to the cache with one ttl
// (usage.cacheDetails).
type cacheDetail struct {
	tokens int
	ttl    string
}

// account fills rep's cache usage for req, as Bedrock does for model:
//   - a cache point whose prompt prefix is shorter than the model's
//     minimum tokens per cache checkpoint is ignored, and a model without
//     prompt caching ignores them all: the counts stay 0;
//   - the longest prefix ending at a cache point that is still cached is
//     read (cacheReadInputTokens), and the prompt from there to the last
//     cache point that counts is written (cacheWriteInputTokens, and per
//     ttl in cacheDetails).
//
// Requests without cache points leave the usage as it is.
func (c *promptCache) account(model *catalog.Model, f converse.Family, req *converse.Request, rep *reply) {
	n := 0
	walkPrompt(req, func(*converse.CachePoint) { n++ }, func(string) {}, func(any, int) {})
	if n == 0 {
		return
	}
	rep.usage.cached = true
	pc := model.PromptCaching
	if pc == nil {
		return
	}
	points := checkpoints(model.ID, toolPromptTokens(f, model.ID, req), req)
	var valid []checkpoint
	for _, p := range points {
		if p.tokens >= pc.MinTokens {
			if !pc.TakesTTL(p.ttl) {
				p.ttl = "5m"
			}
			valid = append(valid, p)
		}
	}
	if len(valid) == 0 {
		return
	}
	now := c.clock()
	c.mu.Lock()
	hit := -1
	for i := len(valid) - 1; i >= 0 && hit < 0; i-- {
		if exp, ok := c.entries[valid[i].key]; ok && !now.After(exp) {
			hit = i
		}
	}
	for _, p := range valid {
		if _, ok := c.entries[p.key]; !ok && len(c.entries) >= maxCacheEntries {
			c.evict(now)
		}
		c.entries[p.key] = now.Add(ttlDuration(p.ttl))
	}
	c.mu.Unlock()

	read := 0
	if hit >= 0 {
		read = valid[hit].tokens
	}
	prev := read
	for _, p := range valid[hit+1:] {
		n := p.tokens - prev
		prev = p.tokens
		if n <= 0 {
			continue
		}
		if k := len(rep.usage.details); k > 0 && rep.usage.details[k-1].ttl == p.ttl {
			rep.usage.details[k-1].tokens += n
		} else {
			rep.usage.details = append(rep.usage.details, cacheDetail{tokens: n, ttl: p.ttl})
		}
	}
	rep.usage.cacheRead = read
	rep.usage.cacheWrite = prev - read
	rep.usage.input = max(1, rep.usage.input-prev)
}

// evict makes room for one entry: expired entries go first, then any.
// The caller holds c.mu.
func (c *promptCache) evict(now time.Time) {
	for k, e := range c.entries {
		if now.After(e) {
			delete(c.entries, k)
		}
	}
	for k := range c.entries {
		if len(c.entries) < maxCacheEntries {
			return
		}
		delete(c.entries, k)
	}
}

func ttlDuration(ttl string) time.Duration {
	if ttl == "1h" {
		return time.Hour
	}
	return 5 * time.Minute
}

// checkpoints lists req's cache points in prompt order (tools, then
// system, then messages), each with the token estimate of the prompt
// before it and the hash of that prefix. preamble is the tokens the model
// puts before the request's own prompt (Claude's tool-use system prompt).
func checkpoints(model string, preamble int, req *converse.Request) []checkpoint {
	h := sha256.New()
	h.Write([]byte(model))
	h.Write([]byte{0})
	var out []checkpoint
	n := 4 * preamble
	walkPrompt(req, func(cp *converse.CachePoint) {
		ttl := cp.TTL
		if ttl == "" {
			ttl = "5m"
		}
		out = append(out, checkpoint{tokens: n / 4, key: [32]byte(h.Sum(nil)), ttl: ttl})
	}, func(role string) {
		h.Write([]byte(role))
	}, func(v any, chars int) {
		hashJSON(h, v)
		n += chars
	})
	return out
}

func hashJSON(h hash.Hash, v any) {
	b, _ := json.Marshal(v, json.Deterministic(true))
	h.Write(b)
}

// walkPrompt visits the prompt as the model reads it: tools, then system,
// then each message (its role, then its blocks). point sees each cache
// point, role each message's role, and block every other block with the
// number of characters it counts for (see estimateTokens).
func walkPrompt(req *converse.Request, point func(*converse.CachePoint), role func(string), block func(v any, chars int)) {
	if tc := req.ToolConfig; tc != nil {
		for _, t := range tc.Tools {
			if t.CachePoint != nil {
				point(t.CachePoint)
				continue
			}
			chars := 0
			if t.ToolSpec != nil {
				chars = len(t.ToolSpec.Name) + len(t.ToolSpec.Description) + len(t.ToolSpec.InputSchema.JSON)
			}
			block(t, chars)
		}
	}
	for _, s := range req.System {
		if s.CachePoint != nil {
			point(s.CachePoint)
			continue
		}
		chars := 0
		if s.Text != nil {
			chars = len(*s.Text)
		}
		block(s, chars)
	}
	for _, m := range req.Messages {
		role(string(m.Role))
		for _, b := range m.Content {
			if b.CachePoint != nil {
				point(b.CachePoint)
				continue
			}
			block(b, blockChars(&b))
		}
	}
}

// blockChars is the characters a message's content block counts for.
func blockChars(b *converse.ContentBlock) int {
	n := 0
	switch {
	case b.Text != nil:
		n = len(*b.Text)
	case b.ToolUse != nil:
		n = len(b.ToolUse.Input) + len(b.ToolUse.Name)
	case b.ToolResult != nil:
		for _, c := range b.ToolResult.Content {
			if c.Text != nil {
				n += len(*c.Text)
			}
			n += len(c.JSON) + len(c.SearchResult)
		}
	case b.Image != nil:
		n = 4 * 1600 // an image costs about 1,600 tokens
	case b.Document != nil:
		n = len(b.Document.Source.Bytes)
	case b.ReasoningContent != nil && b.ReasoningContent.ReasoningText != nil:
		n = len(b.ReasoningContent.ReasoningText.Text)
	case b.SearchResult != nil:
		// A search result's JSON, about its text and titles.
		n = len(b.SearchResult)
	case b.CitationsContent != nil:
		n = len(b.CitationsContent)
	}
	return n
}

// toolPromptTokens is the system prompt a Claude model adds to a request
// that declares a tool, in tokens: it counts toward the prompt before
// every cache point, and so toward the minimum a cache point needs, and
// toward the input tokens. AWS, "Anthropic Claude Messages API", tool use
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-tool-use.html):
// 346 tokens with tool choice auto (or none), 313 with any or tool, for
// Claude 3.7 Sonnet, 3.5 Sonnet v2 and the Claude 4 models; the Claude 3
// models and 3.5 Sonnet (June) in toolPromptByModel, with Claude 3.5 Haiku
// as Anthropic's tool use page gives it (Pricing). Other families add
// nothing the emulator knows of.
func toolPromptTokens(f converse.Family, model string, req *converse.Request) int {
	if !f.AnthropicFields || req.ToolConfig == nil {
		return 0
	}
	declared := false
	for _, t := range req.ToolConfig.Tools {
		declared = declared || t.ToolSpec != nil
	}
	if !declared {
		return 0
	}
	counts := [2]int{346, 313}
	fm := converse.FoundationModelID(model)
	for prefix, c := range toolPromptByModel {
		if strings.HasPrefix(fm, prefix) {
			counts = c
		}
	}
	if tc := req.ToolConfig.ToolChoice; tc != nil && (tc.Any != nil || tc.Tool != nil) {
		return counts[1]
	}
	return counts[0]
}

// toolPromptByModel holds the Claude models whose tool-use system prompt
// differs from 346 and 313 tokens (see toolPromptTokens): auto, then any
// or tool.
var toolPromptByModel = map[string][2]int{
	"anthropic.claude-3-haiku-":            {264, 340},
	"anthropic.claude-3-5-haiku-":          {264, 340},
	"anthropic.claude-3-sonnet-":           {159, 235},
	"anthropic.claude-3-opus-":             {530, 281},
	"anthropic.claude-3-5-sonnet-20240620": {294, 261},
}
