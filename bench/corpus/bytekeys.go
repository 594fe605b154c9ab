package corpus

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
)

// bytesChain is the chain of a Converse or Messages API body read from
// its bytes, without decoding it: a key for the system prompt, tools,
// structured-output format (outputConfig, output_format) and service tier
// (serviceTier, service_tier) as they came, with the service tier the
// request's headers asked for (tier, InvokeModel's
// X-Amzn-Bedrock-Service-Tier), then one for each message's bytes after
// the key before.
// Bodies whose conversations share these bytes up to a message decode
// to the same history up to it (a message decodes alone, to the same
// message wherever it is), so a record whose key is in another's chain
// is a prefix of it, as the decoded chain would find. The keys are only
// compared with each other, never with a decoded chain's, and never
// leave memory. ok is false for a body it does not read: another
// format, invalid JSON, a member named twice or with escapes; sight
// decodes those.
//
// A message's cache markers are left out of its key, as the decoded
// chain leaves cache points out: applications move them from turn to
// turn, most often to the last message, so that a conversation's earlier
// record has a cache_control (Messages API) or a cachePoint block
// (Converse) its later ones no longer have. Only a marker the decoder
// reads as a cache point alone is left out (see cacheCuts); a message
// with any other is keyed by its bytes as they came.
//
// Messages are found by their brackets and quotes only (jsonscan.End):
// a record whose messages are another's first ones is dropped without
// its own check, but that one's bytes, the same, are checked when it is
// redacted; where they are not valid it is skipped, and its prefixes
// with it.
func bytesChain(f history.Format, body []byte, tier string, chain []uint64) ([]uint64, bool) {
	c, ok := readConversation(f, body, chain[:0])
	if !ok {
		return chain, false
	}
	var h maphash.Hash
	h.SetSeed(bytesSeed)
	writeBytes(&h, []byte(f))
	for _, s := range c.seeds {
		writeBytes(&h, s)
	}
	h.WriteString(tier)
	prev := h.Sum64()
	chain = c.spans // reused: each span becomes its message's key
	for k, span := range chain {
		h.Reset()
		var p [8]byte
		binary.BigEndian.PutUint64(p[:], prev)
		h.Write(p[:])
		writeMessage(&h, f, body[span>>32:span&(1<<32-1)])
		prev = h.Sum64()
		chain[k] = prev
	}
	if len(chain) == 0 {
		chain = append(chain, prev)
	}
	return chain, true
}

// bytesSeed keys bytesChain's hashes: they are compared within a run
// only, and a seed drawn per process keeps them from being predicted.
var bytesSeed = maphash.MakeSeed()

// writeBytes writes b's length, then b.
func writeBytes(h *maphash.Hash, b []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// writeMessage writes a message's bytes as writeBytes does, without the
// cache markers cacheCuts finds: the same as writeBytes on the message
// written without them.
func writeMessage(h *maphash.Hash, f history.Format, msg []byte) {
	mark := cacheMarkAnthropic
	if f == history.FormatConverse {
		mark = cacheMarkConverse
	}
	if !bytes.Contains(msg, mark) {
		writeBytes(h, msg)
		return
	}
	var buf [8]int
	cuts, ok := cacheCuts(f, msg, buf[:0])
	if !ok || len(cuts) == 0 {
		writeBytes(h, msg)
		return
	}
	n := len(msg)
	for k := 0; k < len(cuts); k += 2 {
		n -= cuts[k+1] - cuts[k]
	}
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(n))
	h.Write(l[:])
	from := 0
	for k := 0; k < len(cuts); k += 2 {
		h.Write(msg[from:cuts[k]])
		from = cuts[k+1]
	}
	h.Write(msg[from:])
}

// The ends of the cache markers' member names: a message without these
// bytes has none. They start with bytes rare in a message, which
// bytes.Index skips to with IndexByte: the search costs a small part of
// the hash.
var (
	cacheMarkAnthropic = []byte(`_control"`)
	cacheMarkConverse  = []byte(`Point"`)
)

// cacheCuts returns the byte ranges (from, to pairs, in order) of the
// cache markers of a message's content blocks, each with the comma that
// joins it to its neighbour, so that msg without them is the message
// written without the marker: a Messages API block's cache_control
// member, or a Converse cachePoint block. Only a marker of a block
// directly in the message's content array, whose value is an object of
// a type and a ttl string and nothing else, is cut, at most one a block,
// and never a block's or the array's only member: the decoder reads it
// as a cache point after the block, which the chain leaves out, and the
// message without it decodes to the same parts. ok is false where the
// message is not read whole (a member named twice or with escapes,
// invalid JSON): its key is then its bytes.
func cacheCuts(f history.Format, msg []byte, cuts []int) ([]int, bool) {
	if len(msg) == 0 || msg[0] != '{' {
		return nil, false
	}
	content := false
	i, empty := jsonscan.Open(msg, 0, '}')
	for more := !empty; more; {
		name, start, esc, ok := jsonscan.Member(msg, i)
		if !ok || esc {
			return nil, false
		}
		if string(name) == "content" {
			if content {
				return nil, false
			}
			content = true
			if start < len(msg) && msg[start] == '[' {
				if i, cuts, ok = contentCuts(f, msg, start, cuts); !ok {
					return nil, false
				}
			} else if i, ok = jsonscan.Skip(msg, start); !ok {
				return nil, false
			}
		} else if i, ok = jsonscan.Skip(msg, start); !ok {
			return nil, false
		}
		if i, more, ok = jsonscan.Next(msg, i, '}'); !ok {
			return nil, false
		}
	}
	return cuts, i == len(msg)
}

// contentCuts appends the cuts of the content array at msg[start] (see
// cacheCuts) and returns its end.
func contentCuts(f history.Format, msg []byte, start int, cuts []int) (int, []int, bool) {
	j, empty := jsonscan.Open(msg, start, ']')
	// kept: a block before this one stays in the key.
	prevEnd, first, kept := start+1, true, false
	for more := !empty; more; first = false {
		e, ok := jsonscan.Skip(msg, j)
		if !ok {
			return 0, nil, false
		}
		next, m, ok := jsonscan.Next(msg, e, ']')
		if !ok {
			return 0, nil, false
		}
		switch {
		case msg[j] != '{':
			kept = true
		case f == history.FormatConverse:
			if !converseCachePoint(msg, j) {
				kept = true
				break
			}
			// The block and the comma before it, after a block that
			// stays; with none before it, the block and the comma after
			// it. Never the array's only block, nor the last of a run of
			// cache points that makes up the whole array: it stays, and
			// the array written without the others has it as its only
			// block, so the two keys agree.
			switch {
			case kept:
				cuts = append(cuts, prevEnd, e)
			case m:
				cuts = append(cuts, j, next)
			case first:
				return 0, nil, false
			default:
				kept = true
			}
		default:
			if cuts, ok = blockCuts(msg, j, cuts); !ok {
				return 0, nil, false
			}
			kept = true
		}
		prevEnd, j, more = e, next, m
	}
	return j, cuts, true
}

// converseCachePoint reports whether the block at msg[i] is a cachePoint
// block alone.
func converseCachePoint(msg []byte, i int) bool {
	i, empty := jsonscan.Open(msg, i, '}')
	if empty {
		return false
	}
	name, value, esc, ok := jsonscan.Member(msg, i)
	if !ok || esc || string(name) != "cachePoint" {
		return false
	}
	e, ok := cacheValue(msg, value)
	if !ok {
		return false
	}
	_, more, ok := jsonscan.Next(msg, e, '}')
	return ok && !more
}

// blockCuts appends the cut of a Messages API block's cache_control
// member, the block at msg[i] (a valid object), with the comma before it,
// or, first, the one after it.
func blockCuts(msg []byte, i int, cuts []int) ([]int, bool) {
	prevEnd, first, found := i+1, true, false
	i, empty := jsonscan.Open(msg, i, '}')
	for more := !empty; more; first = false {
		key := i
		name, start, esc, ok := jsonscan.Member(msg, i)
		if !ok || esc {
			return nil, false // a name with escapes may be cache_control
		}
		cache := string(name) == "cache_control"
		var e int
		if cache {
			if found {
				return nil, false // named twice: the decoder refuses it
			}
			found = true
			e, ok = cacheValue(msg, start)
		} else {
			e, ok = jsonscan.Skip(msg, start)
		}
		if !ok {
			return nil, false
		}
		next, m, ok := jsonscan.Next(msg, e, '}')
		if !ok {
			return nil, false
		}
		if cache {
			switch {
			case !first:
				cuts = append(cuts, prevEnd, e)
			case m:
				cuts = append(cuts, key, next)
			default:
				return nil, false
			}
		}
		prevEnd, i, more = e, next, m
	}
	return cuts, true
}

// cacheValue returns the end of the cache marker's value at msg[i]: an
// object of a type and a ttl string, each at most once, and nothing
// else. ok is false for any other value.
func cacheValue(msg []byte, i int) (int, bool) {
	if i >= len(msg) || msg[i] != '{' {
		return 0, false
	}
	seen := 0
	i, empty := jsonscan.Open(msg, i, '}')
	for more := !empty; more; {
		end, esc, ok := jsonscan.Str(msg, i)
		if !ok || esc {
			return 0, false
		}
		bit := 0
		switch string(msg[i+1 : end-1]) {
		case "type":
			bit = 1
		case "ttl":
			bit = 2
		}
		if bit == 0 || seen&bit != 0 {
			return 0, false
		}
		seen |= bit
		if i = jsonscan.WS(msg, end); i >= len(msg) || msg[i] != ':' {
			return 0, false
		}
		if i, _, ok = jsonscan.Str(msg, jsonscan.WS(msg, i+1)); !ok {
			return 0, false
		}
		if i, more, ok = jsonscan.Next(msg, i, '}'); !ok {
			return 0, false
		}
	}
	return i, true
}

// conversation is where a body's system prompt, tools, structured-output
// format, service tier and messages are.
type conversation struct {
	seeds [4][]byte // the system prompt's, the tools', the output format's and the service tier's values, nil if absent
	// spans are the messages, each start<<32 | end in the body.
	spans []uint64
	// from and to are the messages array's.
	from, to int
}

// readConversation finds a Converse or Messages API body's system prompt,
// tools, output format, service tier and messages (see bytesChain), appending the spans
// to spans.
func readConversation(f history.Format, body []byte, spans []uint64) (conversation, bool) {
	c := conversation{spans: spans}
	var seedKeys [4]string
	switch f {
	case history.FormatConverse:
		seedKeys = [4]string{"system", "toolConfig", "outputConfig", "serviceTier"}
	case history.FormatAnthropic:
		seedKeys = [4]string{"system", "tools", "output_format", "service_tier"}
	default:
		return c, false
	}
	if len(body) >= 1<<32 {
		return c, false
	}
	i := jsonscan.WS(body, 0)
	if i >= len(body) || body[i] != '{' {
		return c, false
	}
	seen := 0
	i, empty := jsonscan.Open(body, i, '}')
	for more := !empty; more; {
		name, start, esc, ok := jsonscan.Member(body, i)
		if !ok || esc {
			return c, false
		}
		// Bits 1, 2, 4 and 8 are the seeds, 16 the messages.
		bit := 0
		switch string(name) {
		case seedKeys[0]:
			bit = 1
		case seedKeys[1]:
			bit = 2
		case seedKeys[2]:
			bit = 4
		case seedKeys[3]:
			bit = 8
		case "messages":
			bit = 16
		}
		if seen&bit != 0 {
			return c, false
		}
		seen |= bit
		if bit == 16 {
			if start >= len(body) || body[start] != '[' {
				return c, false
			}
			j, empty := jsonscan.Open(body, start, ']')
			for more := !empty; more; {
				e, ok := jsonscan.End(body, j)
				if !ok || body[j] != '{' {
					return c, false
				}
				c.spans = append(c.spans, uint64(j)<<32|uint64(e))
				if j, more, ok = jsonscan.Next(body, e, ']'); !ok {
					return c, false
				}
			}
			c.from, c.to, i = start, j, j
		} else {
			if i, ok = jsonscan.Skip(body, start); !ok {
				return c, false
			}
			if bit != 0 {
				c.seeds[bits.TrailingZeros(uint(bit))] = body[start:i]
			}
		}
		if i, more, ok = jsonscan.Next(body, i, '}'); !ok {
			return c, false
		}
	}
	return c, seen&16 != 0 && jsonscan.WS(body, i) == len(body)
}
