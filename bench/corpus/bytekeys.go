package corpus

import (
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
		writeBytes(&h, body[span>>32:span&(1<<32-1)])
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
		end, esc, ok := jsonscan.Str(body, i)
		if !ok || esc {
			return c, false
		}
		name := body[i+1 : end-1]
		if i = jsonscan.WS(body, end); i >= len(body) || body[i] != ':' {
			return c, false
		}
		start := jsonscan.WS(body, i+1)
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
