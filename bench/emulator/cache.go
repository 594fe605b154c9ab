package emulator

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// promptCache remembers the prompt prefixes written by requests with cache
// points, so that a repeat reads what the first wrote, as Bedrock's
// prompt caching does (per model, for 5 minutes or the cache point's ttl).
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

// account fills rep's cache usage for req: the prefix up to the last cache
// point is read when cached, written otherwise. Requests without cache
// points leave the usage as it is.
func (c *promptCache) account(model string, req *converse.Request, rep *reply) {
	points, ttl := cachePoints(req)
	if points == 0 {
		return
	}
	prefix := prefixChars(req, points-1)
	tokens := prefix / 4
	rep.usage.cached = true
	if tokens == 0 {
		return
	}
	key := prefixKey(model, req, points-1)
	now := c.clock()
	c.mu.Lock()
	exp, hit := c.entries[key]
	if hit && now.After(exp) {
		hit = false
	}
	if len(c.entries) >= maxCacheEntries && !hit {
		for k, e := range c.entries {
			if now.After(e) || len(c.entries) >= maxCacheEntries {
				delete(c.entries, k)
			}
			if len(c.entries) < maxCacheEntries {
				break
			}
		}
	}
	c.entries[key] = now.Add(ttl)
	c.mu.Unlock()
	rep.usage.input = max(1, rep.usage.input-tokens)
	if hit {
		rep.usage.cacheRead = tokens
	} else {
		rep.usage.cacheWrite = tokens
	}
}

// cachePoints counts a request's cache points and the longest ttl.
func cachePoints(req *converse.Request) (int, time.Duration) {
	n, ttl := 0, 5*time.Minute
	see := func(cp *converse.CachePoint) {
		if cp == nil {
			return
		}
		n++
		if cp.TTL == "1h" {
			ttl = time.Hour
		}
	}
	if req.ToolConfig != nil {
		for _, t := range req.ToolConfig.Tools {
			see(t.CachePoint)
		}
	}
	for _, s := range req.System {
		see(s.CachePoint)
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			see(b.CachePoint)
		}
	}
	return n, ttl
}

// prefixKey hashes the model and the prompt up to the upto-th cache point.
func prefixKey(model string, req *converse.Request, upto int) [32]byte {
	h := sha256.New()
	h.Write([]byte(model))
	h.Write([]byte{0})
	seen := 0
	write := func(v any) { b, _ := json.Marshal(v, json.Deterministic(true)); h.Write(b) }
	if req.ToolConfig != nil {
		for _, t := range req.ToolConfig.Tools {
			if t.CachePoint != nil {
				if seen == upto {
					return [32]byte(h.Sum(nil))
				}
				seen++
			}
			write(t)
		}
	}
	for _, s := range req.System {
		if s.CachePoint != nil {
			if seen == upto {
				return [32]byte(h.Sum(nil))
			}
			seen++
		}
		write(s)
	}
	for _, m := range req.Messages {
		h.Write([]byte(m.Role))
		for _, b := range m.Content {
			if b.CachePoint != nil {
				if seen == upto {
					return [32]byte(h.Sum(nil))
				}
				seen++
			}
			write(b)
		}
	}
	return [32]byte(h.Sum(nil))
}
