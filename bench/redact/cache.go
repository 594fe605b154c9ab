package redact

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// genCache is a bounded map from texts to results, safe for concurrent
// use: two generations per shard, the current one and the one before,
// where a hit in the older moves up and a full current one becomes the
// older. Shards have their own locks, so the workers redacting bodies in
// parallel seldom wait on each other. Keys belong to the cache: put's key
// must not view a buffer anyone writes to again.
type genCache[V any] struct {
	shards [cacheShards]genShard[V]
	limit  int // entries of one generation of one shard
}

const cacheShards = 16

type genShard[V any] struct {
	mu        sync.Mutex
	cur, prev map[string]genEntry[V]
	_         [64]byte // keeps shards' locks off one cache line
}

// genEntry keeps its key, the cache's own copy, so that an entry moving
// up a generation is filed under that copy and not under the caller's
// string, which may view a buffer.
type genEntry[V any] struct {
	key string
	v   V
}

func newGenCache[V any](entries int) *genCache[V] {
	c := &genCache[V]{limit: max(entries/cacheShards, 1)}
	for i := range c.shards {
		c.shards[i].cur = map[string]genEntry[V]{}
	}
	return c
}

// shardOf spreads keys over the shards from their length and a few of
// their bytes: cheap, and enough to part the texts two workers ask for
// at once.
func shardOf(s string) int {
	h := uint(len(s))
	if n := len(s); n > 2 {
		h = h*31 + uint(s[n-1])*7 + uint(s[n-2])*3 + uint(s[n/2])
	}
	return int(h % cacheShards)
}

// get returns the value of s; s may view any buffer.
func (c *genCache[V]) get(s string) (V, bool) {
	sh := &c.shards[shardOf(s)]
	sh.mu.Lock()
	e, ok := sh.cur[s]
	if !ok {
		if e, ok = sh.prev[s]; ok {
			sh.putLocked(c.limit, e)
		}
	}
	sh.mu.Unlock()
	return e.v, ok
}

// put stores v for s. The cache keeps s: it must not view a buffer
// anyone writes to again.
func (c *genCache[V]) put(s string, v V) {
	sh := &c.shards[shardOf(s)]
	sh.mu.Lock()
	sh.putLocked(c.limit, genEntry[V]{s, v})
	sh.mu.Unlock()
}

func (sh *genShard[V]) putLocked(limit int, e genEntry[V]) {
	if len(sh.cur) >= limit {
		sh.prev, sh.cur = sh.cur, make(map[string]genEntry[V], limit)
	}
	sh.cur[e.key] = e
}

// shortCache is a direct-mapped cache of short texts' results, read
// without a lock: member names and short values come again and again.
// A slot holds one entry; a new text for the slot replaces it.
type shortCache struct {
	seed  maphash.Seed
	slots [shortSlots]atomic.Pointer[shortEntry]
}

const shortSlots = 4096

type shortEntry struct {
	key, out string
	counts   Counts
}

func newShortCache() *shortCache { return &shortCache{seed: maphash.MakeSeed()} }

func (c *shortCache) slot(s string) *atomic.Pointer[shortEntry] {
	return &c.slots[maphash.String(c.seed, s)%shortSlots]
}
