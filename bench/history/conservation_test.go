package history

import (
	"encoding/base64"
	stdjson "encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The decoders' conservation check: a drawn request body, in one of the
// chat formats, carries a unique token ("#t17#") in every value a decoder
// could keep or lose (texts, names, ids, arguments, media bytes, URLs,
// schemas, members the API does not have, members a part's type does not
// read); decoded, each token is somewhere in the history, or a note at
// the index of the message it was in (-1 for the request) names the
// member that held it, or one of its parents.
//
// What a decoder keeps in another form passes as it is kept: arguments
// that are not JSON are kept as {"value": text}, which holds the token; a
// file sent by id becomes a text note naming the id and the file name;
// an audio part's data is accounted for by its audio-to-text note alone.
// Enumerations (types, roles, a detail level, a ttl) and numbers and
// booleans carry no token.

// tokenAt is where a drawn token was put.
type tokenAt struct {
	tok string
	// index is the index of the message the token's member goes into,
	// or -1 for the request's own members.
	index int
	// path is the member's path, as the decoders' notes name it.
	path string
	// code, if set, is a note that accounts for the token at index
	// whatever its detail (an audio part's data: audio-to-text).
	code string
}

// gen draws the members of one body. A messy body has everything the
// decoder reads and more; a plain one only the shape the fast path takes,
// so that both paths are checked.
type gen struct {
	r     *rand.Rand
	n     int
	toks  []tokenAt
	messy bool
	// declared are the tools the body declares.
	declared arr
}

type (
	obj = map[string]any
	arr = []any
)

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), messy: seed%3 != 0}
}

// tok returns a new token for the member at path, in message index.
func (g *gen) tok(index int, path string) string {
	return g.tokCode(index, path, "")
}

func (g *gen) tokCode(index int, path, code string) string {
	g.n++
	t := fmt.Sprintf("#t%d#", g.n)
	g.toks = append(g.toks, tokenAt{tok: t, index: index, path: path, code: code})
	return t
}

// b64 is a new token, base64-encoded: a decoder keeps its bytes.
func (g *gen) b64(index int, path string) string {
	return base64.StdEncoding.EncodeToString([]byte(g.tok(index, path)))
}

func (g *gen) chance(n int) bool { return g.r.IntN(n) == 0 }

// extra says whether a messy body gets an optional oddity here.
func (g *gen) extra() bool { return g.messy && g.chance(4) }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

// serviceTier adds, now and then in a messy body, a service_tier: one
// of the API's tiers (an enumeration, which carries no token), or a token
// no API lists.
func (g *gen) serviceTier(req obj, tiers ...string) {
	if !g.extra() {
		return
	}
	if g.chance(2) {
		req["service_tier"] = g.pick(tiers...)
		return
	}
	req["service_tier"] = g.tok(-1, "request.service_tier")
}

// unknown adds, now and then in a messy body, a member the API does not
// have to o, at path.
func (g *gen) unknown(o obj, index int, path string) {
	if !g.extra() {
		return
	}
	name := g.pick("x_trace", "vendor_ext", "lang", "debug")
	p := path + "." + name
	switch g.r.IntN(3) {
	case 0:
		o[name] = g.tok(index, p)
	case 1:
		o[name] = obj{"deep": g.tok(index, p+".deep")}
	default:
		o[name] = arr{g.tok(index, p+"[0]"), 7}
	}
}

// schema is a tool's or an output format's JSON schema.
func (g *gen) schema(index int, path string) obj {
	s := obj{"type": "object", "properties": obj{"q": obj{"type": "string", "description": g.tok(index, path+".properties.q.description")}}}
	if g.chance(2) {
		s["description"] = g.tok(index, path+".description")
	}
	return s
}

// args draws a tool call's arguments as a Chat Completions or Responses
// body sends them: JSON text (an object, JSON that is no object, text
// that is not JSON at all, a cut stream), or now and then the object
// itself.
func (g *gen) args(index int, path string) any {
	t := g.tok(index, path)
	switch g.r.IntN(7) {
	case 0:
		return `{"q": "` + t + `", "n": 1}`
	case 1:
		return `["` + t + `", 2]`
	case 2:
		return `"` + t + `"`
	case 3:
		return `{"q": "` + t // a cut stream
	case 4:
		return `q=` + t // not JSON
	case 5:
		if g.messy {
			return obj{"q": t}
		}
	}
	return `{"q":"` + t + `"}`
}

// dataURL is a data URL of a new token's bytes, now and then with a
// media type parameter before ";base64" (RFC 2397).
func (g *gen) dataURL(mediaType string, index int, path string) string {
	if g.extra() {
		mediaType += g.pick(";name=shot.png", ";charset=binary")
	}
	return "data:" + mediaType + ";base64," + g.b64(index, path)
}

// webURL is an https URL holding a new token.
func (g *gen) webURL(ext string, index int, path string) string {
	return "https://files.example.com/" + g.tok(index, path) + "." + ext
}

// --- Chat Completions ---

func (g *gen) openaiBody() obj {
	req := obj{}
	if g.chance(2) {
		req["model"] = g.tok(-1, "request.model")
	}
	if n := g.r.IntN(3); n > 0 {
		tools := arr{}
		for i := range n {
			p := fmt.Sprintf("request.tools[%d]", i)
			if g.messy && g.chance(3) {
				tools = append(tools, g.openaiCustomTool(p))
				continue
			}
			fn := obj{"name": g.tok(-1, p+".function.name"), "parameters": g.schema(-1, p+".function.parameters")}
			if g.chance(2) {
				fn["description"] = g.tok(-1, p+".function.description")
			}
			if g.chance(3) {
				fn["strict"] = true
			}
			g.unknown(fn, -1, p+".function")
			t := obj{"type": "function", "function": fn}
			g.unknown(t, -1, p)
			tools = append(tools, t)
		}
		req["tools"] = tools
		g.declared = tools
	}
	if g.extra() {
		fn := obj{"name": g.tok(-1, "request.functions[0].name"), "description": g.tok(-1, "request.functions[0].description"), "parameters": g.schema(-1, "request.functions[0].parameters")}
		g.unknown(fn, -1, "request.functions[0]")
		req["functions"] = arr{fn}
	}
	switch g.r.IntN(5) {
	case 1:
		req["tool_choice"] = g.pick("auto", "none", "required")
	case 2:
		fn := obj{"name": g.tok(-1, "request.tool_choice.function.name")}
		tc := obj{"type": "function", "function": fn}
		g.unknown(fn, -1, "request.tool_choice.function")
		g.unknown(tc, -1, "request.tool_choice")
		req["tool_choice"] = tc
	case 4:
		if g.messy {
			tc := obj{"type": "allowed_tools", "allowed_tools": g.allowedTools("request.tool_choice.allowed_tools", func(name string) obj {
				return obj{"type": "function", "function": obj{"name": name}}
			})}
			g.unknown(tc, -1, "request.tool_choice")
			req["tool_choice"] = tc
		}
	case 3:
		if g.messy {
			cu := obj{"name": g.tok(-1, "request.tool_choice.custom.name")}
			tc := obj{"type": "custom", "custom": cu}
			g.unknown(cu, -1, "request.tool_choice.custom")
			g.unknown(tc, -1, "request.tool_choice")
			req["tool_choice"] = tc
		}
	}
	switch g.r.IntN(4) {
	case 1:
		req["stop"] = g.tok(-1, "request.stop")
	case 2:
		req["stop"] = arr{g.tok(-1, "request.stop[0]"), g.tok(-1, "request.stop[1]")}
	}
	if g.chance(3) {
		req["max_tokens"] = 100 + g.r.IntN(900)
		req["temperature"] = 0.5
	}
	if g.extra() {
		req["metadata"] = obj{"session": g.tok(-1, "request.metadata.session")}
	}
	if g.extra() {
		if g.chance(3) {
			req["response_format"] = obj{"type": "json_object"}
		} else {
			js := obj{"name": g.tok(-1, "request.response_format.json_schema.name"), "schema": g.schema(-1, "request.response_format.json_schema.schema"), "strict": true}
			if g.chance(2) {
				js["description"] = g.tok(-1, "request.response_format.json_schema.description")
			}
			g.unknown(js, -1, "request.response_format.json_schema")
			rf := obj{"type": "json_schema", "json_schema": js}
			g.unknown(rf, -1, "request.response_format")
			req["response_format"] = rf
		}
	}
	if g.extra() {
		req["user"] = g.tok(-1, "request.user")
		req["reasoning_effort"] = "low"
		req["seed"] = 7
	}
	g.serviceTier(req, "flex", "priority", "default", "auto", "scale")
	g.unknown(req, -1, "request")
	var msgs arr
	var legacy []string
	for i := range 1 + g.r.IntN(8) {
		msgs = append(msgs, g.openaiMessage(i, &legacy))
	}
	req["messages"] = msgs
	return req
}

// allowedTools draws an allowed_tools list at path: a mode, and some of
// the declared tools (entry makes the entry of a function), now and then
// a tool not declared or a hosted one.
func (g *gen) allowedTools(path string, entry func(name string) obj) obj {
	var list arr
	for _, t := range g.declared {
		t := t.(obj)
		name, _ := t["name"].(string)
		for _, inner := range []string{"function", "custom"} {
			if m, ok := t[inner].(obj); ok {
				name, _ = m["name"].(string)
			}
		}
		if name != "" && g.chance(2) {
			e := entry(name)
			if t["type"] == "custom" {
				e = obj{"type": "custom", "custom": obj{"name": name}, "name": name}
			}
			list = append(list, e)
		}
	}
	if g.chance(3) {
		list = append(list, entry(g.tok(-1, path+".tools")))
	}
	if g.chance(4) {
		list = append(list, obj{"type": "mcp", "server_label": g.tok(-1, path+".tools")})
	}
	if g.chance(4) {
		list = append(list, obj{"type": "image_generation"})
	}
	l := obj{"mode": g.pick("auto", "required"), "tools": list}
	g.unknown(l, -1, path)
	return l
}

// openaiCustomTool draws a Chat Completions custom tool at path: a
// name, a description, and a free-form or grammar format.
func (g *gen) openaiCustomTool(p string) obj {
	cu := obj{"name": g.tok(-1, p+".custom.name")}
	if g.chance(2) {
		cu["description"] = g.tok(-1, p+".custom.description")
	}
	switch g.r.IntN(3) {
	case 0:
		cu["format"] = obj{"type": "text"}
	case 1:
		cu["format"] = obj{"type": "grammar", "grammar": obj{"syntax": g.pick("lark", "regex"), "definition": "start: " + g.tok(-1, p+".custom.format.grammar.definition")}}
	}
	g.unknown(cu, -1, p+".custom")
	t := obj{"type": "custom", "custom": cu}
	g.unknown(t, -1, p)
	return t
}

// openaiMessage draws message i; legacy holds the names of the legacy
// function calls made so far, for a function message to answer.
func (g *gen) openaiMessage(i int, legacy *[]string) obj {
	p := fmt.Sprintf("request.messages[%d]", i)
	roles := []string{"system", "developer", "user", "user", "assistant", "assistant", "tool"}
	if g.messy {
		roles = append(roles, "function")
	}
	role := g.pick(roles...)
	m := obj{"role": role}
	switch role {
	case "assistant":
		switch g.r.IntN(4) {
		case 0:
			m["content"] = nil
		case 1:
			m["content"] = g.tok(i, p+".content")
		case 2:
			m["content"] = g.openaiParts(i, p, "text", "refusal")
		}
		if n := g.r.IntN(3); n > 0 {
			var calls arr
			for j := range n {
				cp := fmt.Sprintf("%s.tool_calls[%d]", p, j)
				if g.messy && g.chance(4) {
					// A custom tool's call: free-form input.
					cu := obj{"name": g.tok(i, cp+".custom.name"), "input": g.pick("*** Begin Patch\n+", "SELECT ", "") + g.tok(i, cp+".custom.input")}
					g.unknown(cu, i, cp+".custom")
					c := obj{"id": g.tok(i, cp+".id"), "type": "custom", "custom": cu}
					g.unknown(c, i, cp)
					calls = append(calls, c)
					continue
				}
				fn := obj{"name": g.tok(i, cp+".function.name"), "arguments": g.args(i, cp+".function.arguments")}
				g.unknown(fn, i, cp+".function")
				c := obj{"id": g.tok(i, cp+".id"), "type": "function", "function": fn}
				if g.extra() {
					c["index"] = j
				}
				g.unknown(c, i, cp)
				calls = append(calls, c)
			}
			m["tool_calls"] = calls
		}
		for _, k := range []string{"reasoning_content", "reasoning", "refusal"} {
			if g.chance(4) {
				m[k] = g.tok(i, p+"."+k)
			}
		}
		if g.extra() {
			m["reasoning_details"] = g.reasoningDetails(i, p+".reasoning_details")
		}
		if g.extra() {
			name := g.tok(i, p+".function_call.name")
			*legacy = append(*legacy, name)
			fc := obj{"name": name, "arguments": g.args(i, p+".function_call.arguments")}
			g.unknown(fc, i, p+".function_call")
			m["function_call"] = fc
		}
		if g.extra() {
			m["tool_call_id"] = g.tok(i, p+".tool_call_id")
		}
	case "tool":
		m["tool_call_id"] = g.tok(i, p+".tool_call_id")
		if g.chance(2) {
			m["content"] = g.tok(i, p+".content")
		} else {
			m["content"] = g.openaiParts(i, p, "text", "text", "image_url")
		}
	case "function":
		if len(*legacy) > 0 && g.chance(2) {
			m["name"] = (*legacy)[g.r.IntN(len(*legacy))]
		} else {
			m["name"] = g.tok(i, p+".name")
		}
		m["content"] = g.tok(i, p+".content")
		if g.chance(2) {
			m["tool_call_id"] = g.tok(i, p+".tool_call_id")
		}
	default:
		if g.chance(2) {
			m["content"] = g.tok(i, p+".content")
		} else {
			m["content"] = g.openaiParts(i, p, "text", "text", "image_url", "file", "input_audio", "refusal")
		}
	}
	if role != "function" && g.chance(4) {
		m["name"] = g.tok(i, p+".name")
	}
	if role != "assistant" && g.extra() {
		// Members only an assistant's (or a tool's) message has.
		switch g.r.IntN(4) {
		case 0:
			m["reasoning_content"] = g.tok(i, p+".reasoning_content")
		case 1:
			m["refusal"] = g.tok(i, p+".refusal")
		case 2:
			m["tool_calls"] = arr{obj{"id": g.tok(i, p+".tool_calls"), "type": "function", "function": obj{"name": "f", "arguments": "{}"}}}
		default:
			if role != "tool" && role != "function" {
				m["tool_call_id"] = g.tok(i, p+".tool_call_id")
			}
		}
	}
	if g.extra() {
		switch g.r.IntN(2) {
		case 0:
			m["audio"] = obj{"id": g.tok(i, p+".audio.id")}
		default:
			m["annotations"] = arr{obj{"type": "url_citation", "url_citation": obj{"url": g.tok(i, p+".annotations")}}}
		}
	}
	g.unknown(m, i, p)
	return m
}

// reasoningDetails draws OpenRouter's reasoning_details at path: signed
// text, summaries and encrypted reasoning of Claude's format or another,
// members an entry's type does not read, and an entry of another type.
func (g *gen) reasoningDetails(i int, path string) arr {
	var out arr
	for j := range 1 + g.r.IntN(3) {
		p := fmt.Sprintf("%s[%d]", path, j)
		e := obj{"format": g.pick("anthropic-claude-v1", "anthropic-claude-v1", "openai-responses-v1", "google-gemini-v1", "unknown")}
		switch g.r.IntN(4) {
		case 0:
			e["type"] = "reasoning.text"
			e["text"] = g.tok(i, p+".text")
			if g.chance(3) {
				e["signature"] = g.tok(i, p+".signature")
			}
		case 1:
			e["type"] = "reasoning.summary"
			e["summary"] = g.tok(i, p+".summary")
		case 2:
			e["type"] = "reasoning.encrypted"
			e["data"] = g.b64(i, p+".data")
		default:
			e["type"] = "reasoning.image"
			e["url"] = g.tok(i, p)
		}
		if g.chance(2) {
			e["index"] = j
		}
		if g.chance(3) {
			e["id"] = g.tok(i, p+".id")
		}
		if g.chance(4) {
			// A member another type of entry reads.
			if name := g.pick("text", "summary", "data", "signature"); e[name] == nil {
				e[name] = g.tok(i, p+"."+name)
			}
		}
		g.unknown(e, i, p)
		out = append(out, e)
	}
	return out
}

// openaiParts draws one to three content parts of the kinds given (only
// text in a plain body).
func (g *gen) openaiParts(i int, p string, kinds ...string) arr {
	var parts arr
	for j := range 1 + g.r.IntN(3) {
		pp := fmt.Sprintf("%s.content[%d]", p, j)
		kind := "text"
		if g.messy {
			kind = g.pick(kinds...)
		}
		part := obj{"type": kind}
		switch kind {
		case "text":
			if g.messy {
				part["type"] = g.pick("text", "text", "input_text", "output_text")
			}
			part["text"] = g.tok(i, pp+".text")
		case "refusal":
			part["refusal"] = g.tok(i, pp+".refusal")
		case "image_url":
			if g.extra() {
				// The URL alone, as LiteLLM logs it.
				part["image_url"] = g.webURL("png", i, pp+".image_url")
				break
			}
			iu := obj{}
			if g.chance(2) {
				iu["url"] = g.dataURL(g.pick("image/png", "image/jpeg"), i, pp+".image_url.url")
			} else {
				iu["url"] = g.webURL("png", i, pp+".image_url.url")
			}
			if g.chance(2) {
				iu["detail"] = g.pick("low", "high", "auto")
			}
			g.unknown(iu, i, pp+".image_url")
			part["image_url"] = iu
		case "file":
			f := obj{}
			switch g.r.IntN(4) {
			case 0:
				f["file_id"] = g.tok(i, pp+".file.file_id")
			case 1:
				f["file_data"] = g.dataURL("image/png", i, pp+".file.file_data")
			case 2:
				f["file_data"] = g.b64(i, pp+".file.file_data")
			default:
				f["file_data"] = g.dataURL("application/pdf", i, pp+".file.file_data")
			}
			if _, ok := f["file_id"]; !ok && g.chance(4) {
				f["file_id"] = g.tok(i, pp+".file.file_id")
			}
			if g.chance(2) {
				f["filename"] = g.tok(i, pp+".file.filename") + ".pdf"
			}
			g.unknown(f, i, pp+".file")
			part["file"] = f
		case "input_audio":
			a := obj{"data": base64.StdEncoding.EncodeToString([]byte(g.tokCode(i, pp+".input_audio.data", NoteAudioToText))), "format": g.pick("wav", "mp3")}
			g.unknown(a, i, pp+".input_audio")
			part["input_audio"] = a
		}
		if g.extra() {
			// A member another type of part reads.
			switch g.r.IntN(3) {
			case 0:
				if kind != "refusal" {
					part["refusal"] = g.tok(i, pp+".refusal")
				}
			case 1:
				if kind != "text" {
					part["text"] = g.tok(i, pp+".text")
				}
			default:
				if kind != "image_url" {
					part["image_url"] = obj{"url": g.webURL("png", i, pp+".image_url")}
				}
			}
		}
		if g.extra() {
			cc := obj{"type": "ephemeral"}
			if g.chance(2) {
				cc["ttl"] = g.pick("5m", "1h")
			}
			g.unknown(cc, i, pp+".cache_control")
			part["cache_control"] = cc
			if g.chance(8) {
				part["cache_control"] = g.tok(i, pp+".cache_control")
			}
		}
		g.unknown(part, i, pp)
		parts = append(parts, part)
	}
	return parts
}

// --- Anthropic Messages ---

func (g *gen) anthropicBody() obj {
	req := obj{"max_tokens": 1024}
	if g.chance(2) {
		req["model"] = g.tok(-1, "request.model")
	}
	if g.chance(3) {
		req["anthropic_version"] = g.tok(-1, "request.anthropic_version")
	}
	switch g.r.IntN(3) {
	case 1:
		req["system"] = g.tok(-1, "request.system")
	case 2:
		var blocks arr
		for j := range 1 + g.r.IntN(2) {
			bp := fmt.Sprintf("request.system[%d]", j)
			b := obj{"type": "text", "text": g.tok(-1, bp+".text")}
			g.anthropicExtras(b, "text", -1, bp)
			blocks = append(blocks, b)
		}
		req["system"] = blocks
	}
	if n := g.r.IntN(3); n > 0 {
		var tools arr
		for i := range n {
			p := fmt.Sprintf("request.tools[%d]", i)
			t := obj{"name": g.tok(-1, p+".name"), "input_schema": g.schema(-1, p+".input_schema")}
			if g.chance(2) {
				t["description"] = g.tok(-1, p+".description")
			}
			if g.chance(4) {
				t["strict"] = true
			}
			if g.chance(4) {
				cc := obj{"type": "ephemeral"}
				if g.chance(2) {
					cc["ttl"] = "1h"
				}
				g.unknown(cc, -1, p+".cache_control")
				t["cache_control"] = cc
			}
			if g.extra() {
				t["input_examples"] = arr{obj{"q": g.tok(-1, p+".input_examples")}}
			}
			g.unknown(t, -1, p)
			tools = append(tools, t)
		}
		req["tools"] = tools
		g.declared = tools
	}
	switch g.r.IntN(5) {
	case 1:
		tc := obj{"type": g.pick("auto", "any", "none")}
		if g.extra() {
			tc["name"] = g.tok(-1, "request.tool_choice.name")
		}
		if g.extra() {
			tc["disable_parallel_tool_use"] = true
		}
		g.unknown(tc, -1, "request.tool_choice")
		req["tool_choice"] = tc
	case 2:
		tc := obj{"type": "tool", "name": g.tok(-1, "request.tool_choice.name")}
		g.unknown(tc, -1, "request.tool_choice")
		req["tool_choice"] = tc
	}
	if g.chance(3) {
		req["stop_sequences"] = arr{g.tok(-1, "request.stop_sequences[0]")}
	}
	if g.chance(3) {
		req["thinking"] = obj{"type": "enabled", "budget_tokens": 2048}
		req["top_k"] = 5
	}
	if g.extra() {
		md := obj{"user_id": g.tok(-1, "request.metadata.user_id")}
		g.unknown(md, -1, "request.metadata")
		req["metadata"] = md
	}
	if g.extra() {
		of := obj{"type": "json_schema", "schema": g.schema(-1, "request.output_format.schema")}
		g.unknown(of, -1, "request.output_format")
		req["output_format"] = of
	}
	if g.extra() {
		oc := obj{}
		if g.chance(2) {
			f := obj{"type": "json_schema", "schema": g.schema(-1, "request.output_config.format.schema")}
			g.unknown(f, -1, "request.output_config.format")
			oc["format"] = f
		}
		if g.chance(2) {
			oc["effort"] = g.pick("low", "medium", "high", "xhigh", "max")
		}
		g.unknown(oc, -1, "request.output_config")
		req["output_config"] = oc
	}
	g.serviceTier(req, "standard_only", "auto")
	g.unknown(req, -1, "request")
	var msgs arr
	for i := range 1 + g.r.IntN(8) {
		p := fmt.Sprintf("request.messages[%d]", i)
		role := g.pick("user", "assistant")
		m := obj{"role": role}
		if g.chance(4) {
			m["content"] = g.tok(i, p+".content")
		} else {
			kinds := []string{"text", "text", "image", "document", "tool_result", "search_result", "container_upload", "mid_conv_system"}
			if role == "assistant" {
				kinds = []string{"text", "thinking", "redacted_thinking", "tool_use", "tool_use", "server_tool_use", "mcp_tool_use", "web_search_tool_result", "code_execution_tool_result", "mcp_tool_result",
					"advisor_tool_result", "compaction", "fallback", "tool_addition", "tool_removal"}
			}
			m["content"] = g.anthropicBlocks(i, p+".content", 0, kinds...)
		}
		if g.extra() {
			m["id"] = g.tok(i, p+".id")
		}
		g.unknown(m, i, p)
		msgs = append(msgs, m)
	}
	req["messages"] = msgs
	return req
}

// anthropicBlocks draws one to three blocks of the kinds given (only
// text, tool calls and results in a plain body) at path; depth counts
// tool results within tool results.
func (g *gen) anthropicBlocks(i int, path string, depth int, kinds ...string) arr {
	var blocks arr
	for j := range 1 + g.r.IntN(3) {
		bp := fmt.Sprintf("%s[%d]", path, j)
		kind := g.pick(kinds...)
		if !g.messy && kind != "tool_use" && kind != "tool_result" && kind != "thinking" {
			kind = "text"
		}
		b := obj{"type": kind}
		switch kind {
		case "text":
			b["text"] = g.tok(i, bp+".text")
		case "thinking":
			b["thinking"] = g.tok(i, bp+".thinking")
			if !g.chance(3) {
				b["signature"] = g.tok(i, bp+".signature")
			}
		case "redacted_thinking":
			b["data"] = g.b64(i, bp+".data")
		case "tool_use":
			b["id"] = g.tok(i, bp+".id")
			b["name"] = g.tok(i, bp+".name")
			switch g.r.IntN(4) {
			case 0:
				b["input"] = arr{g.tok(i, bp+".input")}
			case 1:
				b["input"] = g.tok(i, bp+".input")
			default:
				b["input"] = obj{"q": g.tok(i, bp+".input.q")}
			}
		case "tool_result":
			b["tool_use_id"] = g.tok(i, bp+".tool_use_id")
			if g.chance(2) {
				b["content"] = g.tok(i, bp+".content")
			} else {
				inner := []string{"text", "text", "image", "document", "tool_reference"}
				if depth > 0 {
					inner = []string{"text"}
				}
				b["content"] = g.anthropicBlocks(i, bp+".content", depth+1, inner...)
			}
			if g.chance(4) {
				b["is_error"] = true
			}
		case "server_tool_use", "mcp_tool_use":
			b["id"] = g.tok(i, bp+".id")
			b["name"] = g.tok(i, bp+".name")
			b["input"] = obj{"query": g.tok(i, bp+".input.query")}
			if kind == "mcp_tool_use" {
				b["server_name"] = g.tok(i, bp+".server_name")
			}
		case "web_search_tool_result":
			b["tool_use_id"] = g.tok(i, bp+".tool_use_id")
			if g.chance(3) {
				b["content"] = obj{"type": "web_search_tool_result_error", "error_code": g.tok(i, bp+".content.error_code")}
			} else {
				r := obj{"type": "web_search_result", "url": g.tok(i, bp+".content[0].url"), "title": g.tok(i, bp+".content[0].title"),
					"encrypted_content": g.tok(i, bp+".content[0].encrypted_content")}
				g.unknown(r, i, bp+".content[0]")
				b["content"] = arr{r}
			}
		case "code_execution_tool_result":
			b["tool_use_id"] = g.tok(i, bp+".tool_use_id")
			b["content"] = obj{"type": "code_execution_result", "stdout": g.tok(i, bp+".content.stdout"), "stderr": g.tok(i, bp+".content.stderr"), "return_code": 1,
				"content": arr{obj{"type": "code_execution_output", "file_id": g.tok(i, bp+".content.content[0].file_id")}}}
		case "mcp_tool_result":
			b["tool_use_id"] = g.tok(i, bp+".tool_use_id")
			b["content"] = arr{obj{"type": "text", "text": g.tok(i, bp+".content[0].text")}}
			if g.chance(3) {
				b["is_error"] = true
			}
		case "container_upload":
			b["file_id"] = g.tok(i, bp+".file_id")
		case "tool_reference":
			b["tool_name"] = g.tok(i, bp+".tool_name")
		case "mid_conv_system":
			var texts arr
			for k := range 1 + g.r.IntN(2) {
				tp := fmt.Sprintf("%s.content[%d]", bp, k)
				t := obj{"type": "text", "text": g.tok(i, tp+".text")}
				g.anthropicExtras(t, "text", i, tp)
				texts = append(texts, t)
			}
			b["content"] = texts
		case "compaction":
			if g.chance(5) {
				b["content"] = nil // a compaction that failed
			} else {
				b["content"] = g.tok(i, bp+".content")
			}
			if g.chance(2) {
				b["encrypted_content"] = g.tok(i, bp+".encrypted_content")
			}
		case "advisor_tool_result":
			b["tool_use_id"] = g.tok(i, bp+".tool_use_id")
			if g.chance(3) {
				b["content"] = obj{"type": "advisor_redacted_result", "encrypted_content": g.tok(i, bp+".content.encrypted_content")}
			} else {
				b["content"] = obj{"type": "advisor_result", "text": g.tok(i, bp+".content.text")}
			}
		case "fallback":
			b["to"] = obj{"model": g.tok(i, bp+".to.model")}
		case "tool_addition", "tool_removal":
			b["tool_name"] = g.tok(i, bp+".tool_name")
		case "search_result":
			b["source"] = g.tok(i, bp+".source")
			b["title"] = g.tok(i, bp+".title")
			b["content"] = arr{obj{"type": "text", "text": g.tok(i, bp+".content[0].text")}}
			b["citations"] = obj{"enabled": true}
		case "image", "document":
			src := obj{}
			srcTypes := []string{"base64", "url", "text", "file"}
			if kind == "document" {
				srcTypes = append(srcTypes, "content")
			}
			switch t := g.pick(srcTypes...); {
			case t == "file":
				src["type"], src["file_id"] = "file", g.tok(i, bp+".source.file_id")
			case t == "content":
				src["type"] = "content"
				if g.chance(3) {
					src["content"] = g.tok(i, bp+".source.content")
				} else {
					var inner arr
					for k := range 1 + g.r.IntN(3) {
						cp := fmt.Sprintf("%s.source.content[%d]", bp, k)
						if g.chance(4) {
							inner = append(inner, obj{"type": "image", "source": obj{"type": "base64", "media_type": "image/png", "data": g.b64(i, cp+".source.data")}})
							continue
						}
						t := obj{"type": "text", "text": g.tok(i, cp+".text")}
						g.anthropicExtras(t, "text", i, cp)
						inner = append(inner, t)
					}
					src["content"] = inner
				}
			case t == "base64" || (t == "text" && kind == "image"):
				mt := "image/png"
				if kind == "document" {
					mt = "application/pdf"
				}
				src["type"], src["media_type"], src["data"] = "base64", mt, g.b64(i, bp+".source.data")
			case t == "url":
				src["type"], src["url"] = "url", g.webURL(map[string]string{"image": "png", "document": "pdf"}[kind], i, bp+".source.url")
			default:
				src["type"], src["media_type"], src["data"] = "text", "text/plain", g.tok(i, bp+".source.data")
			}
			if g.extra() {
				// A member another type of source reads.
				if src["type"] == "url" {
					src["data"] = g.b64(i, bp+".source.data")
				} else {
					src["url"] = g.webURL("png", i, bp+".source.url")
				}
			}
			g.unknown(src, i, bp+".source")
			b["source"] = src
			if kind == "document" && g.chance(2) {
				b["title"] = g.tok(i, bp+".title")
			}
			if kind == "document" && g.extra() {
				b["context"] = g.tok(i, bp+".context")
				b["citations"] = obj{"enabled": true}
			}
		}
		g.anthropicExtras(b, kind, i, bp)
		blocks = append(blocks, b)
	}
	return blocks
}

// anthropicExtras adds to block b of type kind, at path, a cache_control
// now and then, and in a messy body a member another type of block reads
// or one no block has.
func (g *gen) anthropicExtras(b obj, kind string, i int, path string) {
	if g.chance(5) {
		cc := obj{"type": "ephemeral"}
		if g.chance(2) {
			cc["ttl"] = g.pick("5m", "1h")
		}
		g.unknown(cc, i, path+".cache_control")
		b["cache_control"] = cc
	}
	if g.extra() {
		reads := anthropicReads(kind)
		if serverBlocks[kind] {
			reads = serverReads(kind)
		}
		for _, name := range []string{"title", "name", "id", "text", "thinking", "signature", "tool_use_id"} {
			if _, ok := b[name]; !ok && g.chance(3) && reads&blockOf(name) == 0 {
				b[name] = g.tok(i, path+"."+name)
				break
			}
		}
	}
	if kind == "text" && g.extra() {
		b["citations"] = arr{obj{"type": "char_location", "cited_text": g.tok(i, path+".citations")}}
	}
	g.unknown(b, i, path)
}

// blockOf is the blockFields bit of the member name.
func blockOf(name string) blockFields {
	for i, n := range blockFieldNames {
		if n == name {
			return 1 << i
		}
	}
	return 0
}

// --- OpenAI Responses ---

// rsTurns follows the messages a Responses body's items go into, as the
// decoder places them, for the index of each item's notes.
type rsTurns struct {
	roles []string
	parts []int
}

// rsJoins says whether an item of type typ joins the assistant turn
// before it, as the decoder places it.
func rsJoins(typ string) bool {
	switch typ {
	case "function_call", "custom_tool_call", "computer_call", "local_shell_call", "shell_call", "apply_patch_call", "mcp_approval_request":
		return true
	}
	return false
}

// add places an item of type typ (and role, for a message) with n parts
// and returns the index of the message it goes into.
func (t *rsTurns) add(typ, role string, n int) int {
	last := len(t.roles) - 1
	if last >= 0 && t.roles[last] == "assistant" && (rsJoins(typ) || typ == "reasoning" && t.parts[last] == 0) {
		t.parts[last] += n
		return last
	}
	switch {
	case typ == "compaction":
		// Reported, and in no message.
		return len(t.roles)
	case rsJoins(typ), typ == "reasoning":
		role = "assistant"
	case typ != "message":
		role = "tool"
	}
	t.roles = append(t.roles, role)
	t.parts = append(t.parts, n)
	return len(t.roles) - 1
}

// next is the index the next item of type typ goes into, before add.
func (t *rsTurns) next(typ string) int {
	last := len(t.roles) - 1
	if last >= 0 && t.roles[last] == "assistant" && (rsJoins(typ) || typ == "reasoning" && t.parts[last] == 0) {
		return last
	}
	return len(t.roles)
}

func (g *gen) responsesBody() obj {
	req := obj{}
	if g.chance(2) {
		req["model"] = g.tok(-1, "request.model")
	}
	switch g.r.IntN(3) {
	case 1:
		req["instructions"] = g.tok(-1, "request.instructions")
	case 2:
		req["instructions"] = g.responsesParts(-1, "request.instructions", "input_text")
	}
	if n := g.r.IntN(3); n > 0 {
		var tools arr
		for i := range n {
			p := fmt.Sprintf("request.tools[%d]", i)
			if g.messy && g.chance(3) {
				tools = append(tools, g.responsesOtherTool(p))
				continue
			}
			t := obj{"type": "function", "name": g.tok(-1, p+".name"), "parameters": g.schema(-1, p+".parameters")}
			if g.chance(2) {
				t["description"] = g.tok(-1, p+".description")
			}
			if g.chance(3) {
				t["strict"] = true
			}
			g.unknown(t, -1, p)
			tools = append(tools, t)
		}
		req["tools"] = tools
	}
	switch g.r.IntN(4) {
	case 1:
		req["tool_choice"] = g.pick("auto", "none", "required")
	case 2:
		tc := obj{"type": "function", "name": g.tok(-1, "request.tool_choice.name")}
		g.unknown(tc, -1, "request.tool_choice")
		req["tool_choice"] = tc
	case 4:
		if g.messy {
			tc := g.allowedTools("request.tool_choice", func(name string) obj { return obj{"type": "function", "name": name} })
			tc["type"] = "allowed_tools"
			req["tool_choice"] = tc
		}
	case 3:
		if g.messy {
			tc := obj{"type": "custom", "name": g.tok(-1, "request.tool_choice.name")}
			g.unknown(tc, -1, "request.tool_choice")
			req["tool_choice"] = tc
		}
	}
	if g.chance(3) {
		req["max_output_tokens"] = 500
		req["top_p"] = 0.9
	}
	if g.chance(3) {
		text := obj{}
		if g.chance(3) {
			text["format"] = obj{"type": "text"}
		} else {
			f := obj{"type": "json_schema", "name": g.tok(-1, "request.text.format.name"), "schema": g.schema(-1, "request.text.format.schema"), "strict": true}
			g.unknown(f, -1, "request.text.format")
			text["format"] = f
		}
		if g.extra() {
			text["verbosity"] = "low"
		}
		g.unknown(text, -1, "request.text")
		req["text"] = text
	}
	if g.extra() {
		req["metadata"] = obj{"tenant": g.tok(-1, "request.metadata.tenant")}
	}
	if g.extra() {
		req["prompt"] = obj{"id": g.tok(-1, "request.prompt.id"), "variables": obj{"name": g.tok(-1, "request.prompt.variables.name")}}
	}
	if g.extra() {
		req["store"] = false
		req["user"] = g.tok(-1, "request.user")
		req["reasoning"] = obj{"effort": "low", "summary": g.tok(-1, "request.reasoning.summary")}
	}
	g.serviceTier(req, "flex", "priority", "default", "auto", "scale")
	g.unknown(req, -1, "request")
	if g.chance(8) {
		req["input"] = g.tok(0, "request.input")
		return req
	}
	var turns rsTurns
	var items arr
	for k := range 1 + g.r.IntN(9) {
		p := fmt.Sprintf("request.input[%d]", k)
		typ := g.pick("message", "message", "message", "function_call", "function_call_output", "reasoning")
		if g.messy && g.chance(3) {
			typ = g.pick(rsNewItems...)
		}
		it := obj{}
		at := turns.next(typ)
		n := 1
		switch typ {
		case "message":
			role := g.pick("user", "assistant", "system", "developer")
			it["role"] = role
			if g.chance(2) {
				it["type"] = "message"
			}
			switch g.r.IntN(5) {
			case 0:
				it["content"] = g.tok(at, p+".content")
			case 1:
				it["content"] = arr{}
				n = 0
			default:
				kinds := []string{"input_text", "input_text", "input_image", "input_file"}
				if role == "assistant" {
					kinds = []string{"output_text", "output_text", "refusal"}
				}
				parts := g.responsesParts(at, p+".content", kinds...)
				it["content"] = parts
				n = len(parts)
			}
			turns.add(typ, role, n)
		case "function_call":
			it["type"] = typ
			it["call_id"] = g.tok(at, p+".call_id")
			it["name"] = g.tok(at, p+".name")
			it["arguments"] = g.args(at, p+".arguments")
			turns.add(typ, "", 1)
		case "function_call_output":
			it["type"] = typ
			it["call_id"] = g.tok(at, p+".call_id")
			if g.chance(2) {
				it["output"] = g.tok(at, p+".output")
			} else {
				it["output"] = g.responsesParts(at, p+".output", "input_text", "input_text", "input_image")
			}
			turns.add(typ, "", 1)
		case "reasoning":
			it["type"] = typ
			var summary arr
			for j := range g.r.IntN(3) {
				sp := fmt.Sprintf("%s.summary[%d]", p, j)
				s := obj{"type": "summary_text", "text": g.tok(at, sp+".text")}
				if g.extra() {
					name := g.pick("refusal", "image_url", "filename")
					s[name] = g.tok(at, sp+"."+name)
				}
				g.unknown(s, at, sp)
				summary = append(summary, s)
			}
			it["summary"] = summary
			if len(summary) == 0 || g.chance(3) {
				it["encrypted_content"] = g.tok(at, p+".encrypted_content")
			}
			if len(summary) > 0 {
				// Encrypted content alone is reported, and in no message.
				turns.add(typ, "", 1)
			}
		default:
			n = g.responsesNewItem(it, typ, at, p)
			turns.add(typ, "", n)
		}
		if g.extra() && typ != "local_shell_call_output" && typ != "mcp_approval_request" {
			it["id"] = g.tok(at, p+".id")
			it["status"] = "completed"
		}
		if g.extra() {
			// A member another type of item reads.
			switch name := g.pick("call_id", "name", "content", "output", "role"); {
			case it[name] != nil:
			case name == "content":
				it[name] = g.tok(at, p+"."+name)
			case name == "role" && typ != "message":
				it[name] = "assistant"
			case name != "role" && !(typ == "function_call" && (name == "call_id" || name == "name")) && !(typ == "function_call_output" && name == "call_id"):
				it[name] = g.tok(at, p+"."+name)
			}
		}
		g.unknown(it, at, p)
		items = append(items, it)
	}
	req["input"] = items
	return req
}

// rsNewItems are the Responses item types of custom and client-run
// tools, MCP approvals and compaction.
var rsNewItems = []string{"custom_tool_call", "custom_tool_call_output", "computer_call", "computer_call_output", "local_shell_call", "local_shell_call_output",
	"shell_call", "shell_call_output", "apply_patch_call", "apply_patch_call_output", "mcp_approval_request", "mcp_approval_response", "compaction"}

// responsesOtherTool draws a Responses tool other than a function at
// path: a custom tool, or one OpenAI's models know and the application
// runs.
func (g *gen) responsesOtherTool(p string) obj {
	switch g.r.IntN(3) {
	case 0:
		return obj{"type": "computer_use_preview", "display_width": 1024, "display_height": 768, "environment": g.pick("browser", "mac", "linux")}
	case 1:
		return obj{"type": g.pick("local_shell", "shell", "apply_patch")}
	}
	t := obj{"type": "custom", "name": g.tok(-1, p+".name")}
	if g.chance(2) {
		t["description"] = g.tok(-1, p+".description")
	}
	switch g.r.IntN(3) {
	case 0:
		t["format"] = obj{"type": "text"}
	case 1:
		t["format"] = obj{"type": "grammar", "syntax": g.pick("lark", "regex"), "definition": "start: " + g.tok(-1, p+".format.definition")}
	}
	g.unknown(t, -1, p)
	return t
}

// responsesNewItem fills item it of type typ (one of rsNewItems) at path
// p, in message at, and returns the number of parts it adds.
func (g *gen) responsesNewItem(it obj, typ string, at int, p string) int {
	it["type"] = typ
	callID := func() { it["call_id"] = g.tok(at, p+".call_id") }
	switch typ {
	case "custom_tool_call":
		callID()
		it["name"] = g.tok(at, p+".name")
		it["input"] = g.pick("*** Begin Patch\n", "") + g.tok(at, p+".input")
	case "custom_tool_call_output":
		callID()
		if g.chance(2) {
			it["output"] = g.tok(at, p+".output")
		} else {
			it["output"] = g.responsesParts(at, p+".output", "input_text", "input_text", "input_image")
		}
	case "computer_call":
		callID()
		it["status"] = "completed"
		switch g.r.IntN(3) {
		case 0:
			it["action"] = obj{"type": "click", "button": "left", "x": 10, "y": 20}
		case 1:
			it["action"] = obj{"type": "type", "text": g.tok(at, p+".action.text")}
		default:
			it["action"] = obj{"type": "keypress", "keys": arr{g.tok(at, p+".action.keys[0]")}}
		}
		if g.chance(3) {
			it["pending_safety_checks"] = arr{obj{"id": g.tok(at, p+".pending_safety_checks[0].id"), "code": "malicious_instructions", "message": g.tok(at, p+".pending_safety_checks[0].message")}}
		}
	case "computer_call_output":
		callID()
		shot := obj{"type": "computer_screenshot"}
		switch g.r.IntN(3) {
		case 0:
			shot["image_url"] = g.dataURL("image/png", at, p+".output.image_url")
		case 1:
			shot["image_url"] = g.webURL("png", at, p+".output.image_url")
		default:
			shot["file_id"] = g.tok(at, p+".output.file_id")
		}
		it["output"] = shot
		if g.chance(3) {
			it["acknowledged_safety_checks"] = arr{obj{"id": g.tok(at, p+".acknowledged_safety_checks[0].id")}}
		}
	case "local_shell_call":
		callID()
		it["status"] = "completed"
		it["action"] = obj{"type": "exec", "command": arr{"sh", "-c", g.tok(at, p+".action.command[2]")}, "env": obj{"HOME": g.tok(at, p+".action.env.HOME")}, "timeout_ms": 1000}
	case "local_shell_call_output":
		it["id"] = g.tok(at, p+".id")
		it["output"] = g.tok(at, p+".output")
	case "shell_call":
		callID()
		it["action"] = obj{"commands": arr{g.tok(at, p+".action.commands[0]")}, "timeout_ms": 5000, "max_output_length": 4096}
	case "shell_call_output":
		callID()
		out := obj{"stdout": g.tok(at, p+".output[0].stdout"), "stderr": g.tok(at, p+".output[0].stderr")}
		if g.chance(2) {
			out["outcome"] = obj{"type": "exit", "exit_code": 1}
		} else {
			out["outcome"] = obj{"type": "timeout"}
		}
		it["output"] = arr{out}
		if g.chance(2) {
			it["max_output_length"] = 4096
		}
	case "apply_patch_call":
		callID()
		it["status"] = "completed"
		op := obj{"type": g.pick("create_file", "update_file", "delete_file"), "path": g.tok(at, p+".operation.path")}
		if op["type"] != "delete_file" {
			op["diff"] = "+" + g.tok(at, p+".operation.diff")
		}
		it["operation"] = op
	case "apply_patch_call_output":
		callID()
		it["status"] = g.pick("completed", "failed")
		if g.chance(3) {
			it["output"] = g.tok(at, p+".output")
		}
	case "mcp_approval_request":
		it["id"] = g.tok(at, p+".id")
		it["server_label"] = g.tok(at, p+".server_label")
		it["name"] = g.tok(at, p+".name")
		it["arguments"] = `{"q":"` + g.tok(at, p+".arguments") + `"}`
	case "mcp_approval_response":
		it["approval_request_id"] = g.tok(at, p+".approval_request_id")
		it["approve"] = g.chance(2)
		if g.chance(2) {
			it["reason"] = g.tok(at, p+".reason")
		}
	case "compaction":
		it["encrypted_content"] = g.tok(at, p+".encrypted_content")
		return 0
	}
	return 1
}

// responsesParts draws one to three content parts of the kinds given at
// path, for message index i.
func (g *gen) responsesParts(i int, path string, kinds ...string) arr {
	var parts arr
	for j := range 1 + g.r.IntN(3) {
		pp := fmt.Sprintf("%s[%d]", path, j)
		kind := g.pick(kinds...)
		if !g.messy {
			kind = kinds[0]
		}
		part := obj{"type": kind}
		switch kind {
		case "input_text", "output_text":
			part["text"] = g.tok(i, pp+".text")
			if kind == "output_text" && g.extra() {
				part["annotations"] = arr{obj{"type": "url_citation", "url": g.tok(i, pp+".annotations")}}
			}
		case "refusal":
			part["refusal"] = g.tok(i, pp+".refusal")
		case "input_image":
			switch g.r.IntN(5) {
			case 0:
				if g.messy {
					part["file_id"] = g.tok(i, pp+".file_id")
					break
				}
				fallthrough
			case 1, 2:
				part["image_url"] = g.dataURL("image/png", i, pp+".image_url")
			default:
				part["image_url"] = g.webURL("jpg", i, pp+".image_url")
			}
			if g.chance(2) {
				part["detail"] = g.pick("low", "high", "auto")
			}
		case "input_file":
			switch g.r.IntN(4) {
			case 0:
				part["file_url"] = g.webURL("pdf", i, pp+".file_url")
			case 1:
				if g.messy {
					part["file_id"] = g.tok(i, pp+".file_id")
					break
				}
				fallthrough
			default:
				part["file_data"] = g.dataURL("application/pdf", i, pp+".file_data")
			}
			if g.chance(2) {
				part["filename"] = g.tok(i, pp+".filename")
			}
		}
		if g.extra() {
			// A member another type of part reads.
			for _, name := range []string{"text", "refusal", "image_url", "file_id", "file_url", "filename"} {
				if _, ok := part[name]; !ok && g.chance(3) && !responsesPartReads(kind, name) {
					part[name] = g.tok(i, pp+"."+name)
					break
				}
			}
		}
		g.unknown(part, i, pp)
		parts = append(parts, part)
	}
	return parts
}

// responsesPartReads says whether the conversion of a part of type kind
// keeps its member name, in a body the generator draws.
func responsesPartReads(kind, name string) bool {
	switch kind {
	case "input_text", "output_text":
		return name == "text"
	case "refusal":
		return name == "refusal"
	case "input_image":
		return name == "image_url"
	case "input_file":
		return name == "file_data" || name == "file_url" || name == "filename"
	}
	return false
}

// --- The check ---

// drawBody draws a body of format from seed, in its fixture envelope,
// with the tokens it carries.
func drawBody(format Format, seed uint64) ([]byte, []tokenAt) {
	g := newGen(seed)
	var body obj
	switch format {
	case FormatOpenAI:
		body = g.openaiBody()
	case FormatAnthropic:
		body = g.anthropicBody()
	default:
		body = g.responsesBody()
	}
	req, err := stdjson.Marshal(body)
	if err != nil {
		panic(err)
	}
	return []byte(`{"format":"` + string(format) + `","request":` + string(req) + `}`), g.toks
}

// conservationFormats are the formats the check draws bodies of.
var conservationFormats = []Format{FormatOpenAI, FormatAnthropic, FormatResponses}

// checkDecodersConserve decodes a body drawn from seed in format, with
// Decode and with the general decoder (and the fast path, where it takes
// the body: the same history), and checks that every token is kept or
// noted. It returns whether the fast path took the body.
func checkDecodersConserve(t *testing.T, format Format, seed uint64) (fast bool) {
	t.Helper()
	data, toks := drawBody(format, seed)
	h, err := Decode("conservation.json", data)
	if err != nil {
		t.Fatalf("%s seed %d: %v\n%s", format, seed, err, data)
	}
	general, err := decodeGeneral("conservation.json", data)
	if err != nil {
		t.Fatalf("%s seed %d: general decoder: %v\n%s", format, seed, err, data)
	}
	fast = checkFastPath(t, data)
	checkTokens(t, fmt.Sprintf("%s seed %d", format, seed), h, toks, data)
	checkTokens(t, fmt.Sprintf("%s seed %d (general decoder)", format, seed), general, toks, data)
	return fast
}

// checkTokens fails for a token that is neither in h nor accounted for
// by a note at its message's index.
func checkTokens(t *testing.T, what string, h *History, toks []tokenAt, data []byte) {
	t.Helper()
	kept := strings.Join(historyStrings(h), "\x00")
	for _, tk := range toks {
		if strings.Contains(kept, tk.tok) || noted(h.Notes, tk) {
			continue
		}
		var notes []string
		for _, n := range h.Notes {
			if n.Index == tk.index {
				notes = append(notes, n.Code+": "+n.Detail)
			}
		}
		t.Fatalf("%s: %s at %s (message %d) is not in the history, and no note at %d names it or a member it is in\nnotes at %d:\n  %s\nbody:\n%s",
			what, tk.tok, tk.path, tk.index, tk.index, tk.index, strings.Join(notes, "\n  "), data)
	}
}

// noted says whether a note at tk's index accounts for it: one that
// quotes the token, one that reports as dropped the member that held it
// or a member it is in (below the request itself), or one of tk's code.
func noted(notes []Note, tk tokenAt) bool {
	for _, n := range notes {
		if n.Index != tk.index {
			continue
		}
		if strings.Contains(n.Detail, tk.tok) || (tk.code != "" && n.Code == tk.code) {
			return true
		}
		if n.Code != NoteFieldDropped {
			continue
		}
		for p := tk.path; strings.Contains(p, "."); p = parentPath(p) {
			if strings.HasPrefix(n.Detail, p+" ") {
				return true
			}
		}
	}
	return false
}

// parentPath is the path of the member or element p is in.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		return p[:strings.LastIndexByte(p, '[')]
	}
	return p[:strings.LastIndexByte(p, '.')]
}

// historyStrings lists every string, byte slice and raw JSON value h
// holds, but its notes.
func historyStrings(h *History) []string {
	var out []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				out = append(out, string(v.Bytes()))
				return
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Key())
				walk(it.Value())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type() == reflect.TypeFor[History]() && v.Type().Field(i).Name == "Notes" {
					continue
				}
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(h))
	return out
}

// TestDecodersLoseNothingWithoutANote draws 300 request bodies per chat
// format, two in three of them messy (every kind of message, part and
// block, members another type reads, members the API does not have, at
// every depth), and checks that each token they carry is in the decoded
// history or named by a note at its message's index, whichever decoder
// takes the body.
func TestDecodersLoseNothingWithoutANote(t *testing.T) {
	for _, format := range conservationFormats {
		fast := 0
		for seed := range uint64(300) {
			if checkDecodersConserve(t, format, seed) {
				fast++
			}
		}
		t.Logf("%s: the fast path took %d of 300 bodies", format, fast)
		if format != FormatResponses && fast == 0 {
			t.Errorf("%s: the fast path took no body; the check does not reach it", format)
		}
	}
}

// FuzzDecodersLoseNothingWithoutANote is the check as a fuzz target, on
// any seed and format.
func FuzzDecodersLoseNothingWithoutANote(f *testing.F) {
	for seed := range uint64(12) {
		f.Add(seed, uint8(seed))
	}
	f.Fuzz(func(t *testing.T, seed uint64, format uint8) {
		checkDecodersConserve(t, conservationFormats[int(format)%len(conservationFormats)], seed)
	})
}
