package emulator

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// cacheUsage is the cache part of a Converse usage block.
type cacheUsage struct {
	Read    *int `json:"cacheReadInputTokens"`
	Write   *int `json:"cacheWriteInputTokens"`
	Input   int  `json:"inputTokens"`
	Output  int  `json:"outputTokens"`
	Total   int  `json:"totalTokens"`
	Details []struct {
		InputTokens int    `json:"inputTokens"`
		TTL         string `json:"ttl"`
	} `json:"cacheDetails"`
}

func usageOf(t *testing.T, raw string) cacheUsage {
	t.Helper()
	var out struct {
		Usage cacheUsage `json:"usage"`
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if out.Usage.Read == nil || out.Usage.Write == nil {
		t.Fatalf("a request with a cache point got no cache counts: %s", raw)
	}
	return out.Usage
}

// callable finds a Region and id to call a catalog model by.
func callable(t *testing.T, c *catalog.Catalog, m *catalog.Model) (region, id string) {
	t.Helper()
	if len(m.OnDemand) > 0 {
		return m.OnDemand[0], m.ID
	}
	for _, p := range c.Profiles {
		if p.Model == m.ID {
			for src := range p.Routes {
				return src, p.ID
			}
		}
	}
	t.Fatalf("%s: no Region calls it", m.ID)
	return "", ""
}

// TestPromptCacheMinimum: Bedrock ignores a cache checkpoint whose prompt
// prefix is shorter than the model's minimum number of tokens per cache
// checkpoint, and reports 0 for both cache counts (the real
// converse-reasoning-cachepoint-ok: 43 input tokens, a cache point, no
// cache read or write). The minimum per model is the one of the prompt
// caching page, https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
// ("Supported models, Regions, and limits"), held in the catalog (see
// catalog's TestPromptCachingLimits). With the emulator's estimate of four
// characters a token, a system prompt of 4*min-1 characters is one token
// short: no cache counts, twice; one of 4*min characters is written by the
// first call and read by the second, min tokens each time.
func TestPromptCacheMinimum(t *testing.T) {
	c := catalog.Default()
	var legacy []string
	for _, m := range c.Models {
		legacy = append(legacy, m.ID)
	}
	_, hs := start(t, &Options{LegacyActive: legacy})
	tested := 0
	for _, m := range c.Models {
		if m.PromptCaching == nil || m.Lifecycle.Status(c.Date()) == catalog.EndOfLife {
			continue
		}
		tested++
		min := m.PromptCaching.MinTokens
		region, id := callable(t, c, m)
		path := "/model/" + url.PathEscape(id) + "/converse"
		call := func(t *testing.T, chars int) cacheUsage {
			system := strings.Repeat("x", chars)
			body := `{"system":[{"text":"` + system + `"},{"cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"Summarize it."}]}]}`
			status, _, raw := rawRequest(t, hs, "POST", path, region, body, defaultCreds)
			if status != 200 {
				t.Fatalf("%s: status %d: %s", id, status, raw)
			}
			return usageOf(t, raw)
		}
		t.Run(m.ID, func(t *testing.T) {
			for i, u := range []cacheUsage{call(t, 4*min-1), call(t, 4*min-1)} {
				if *u.Read != 0 || *u.Write != 0 || len(u.Details) != 0 {
					t.Errorf("call %d, prefix of %d tokens (minimum %d): read %d, write %d, details %v; want nothing cached", i+1, min-1, min, *u.Read, *u.Write, u.Details)
				}
				if u.Total != u.Input+u.Output {
					t.Errorf("call %d: total %d, want input %d + output %d", i+1, u.Total, u.Input, u.Output)
				}
			}
			first, second := call(t, 4*min), call(t, 4*min)
			if *first.Read != 0 || *first.Write != min {
				t.Errorf("first call, prefix of %d tokens: read %d, write %d; want the prefix written", min, *first.Read, *first.Write)
			}
			if *second.Read != min || *second.Write != 0 {
				t.Errorf("second call: read %d, write %d; want the prefix read", *second.Read, *second.Write)
			}
			for i, u := range []cacheUsage{first, second} {
				if u.Total != u.Input+u.Output+*u.Read+*u.Write {
					t.Errorf("call %d: total %d, want input %d + output %d + read %d + write %d", i+1, u.Total, u.Input, u.Output, *u.Read, *u.Write)
				}
			}
			if want := strings.HasPrefix(m.ID, "anthropic."); (len(first.Details) == 1 && first.Details[0].InputTokens == min && first.Details[0].TTL == "5m") != want {
				t.Errorf("first call's cacheDetails %v, want [{%d 5m}] for Claude only", first.Details, min)
			}
			if len(second.Details) != 0 {
				t.Errorf("a read has cacheDetails %v", second.Details)
			}
		})
	}
	if tested < 9 {
		t.Errorf("%d catalog models in service cache, want at least 9", tested)
	}
}

// TestPromptCacheMinimumInvokeModel: the same minimum holds for Claude's
// cache_control through InvokeModel, whose usage says
// cache_creation_input_tokens and cache_read_input_tokens.
func TestPromptCacheMinimumInvokeModel(t *testing.T) {
	_, hs := start(t, nil)
	const min = 4096 // Claude Haiku 4.5
	call := func(chars int) map[string]any {
		body := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"system":[{"type":"text","text":"` + strings.Repeat("y", chars) +
			`","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Summarize it."}]}`
		status, _, raw := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(claude)+"/invoke", "us-east-1", body, defaultCreds)
		if status != 200 {
			t.Fatalf("status %d: %s", status, raw)
		}
		var out struct {
			Usage map[string]any `json:"usage"`
		}
		_ = json.Unmarshal([]byte(raw), &out)
		return out.Usage
	}
	counts := func(u map[string]any) string {
		return fmt.Sprintf("write %v read %v", u["cache_creation_input_tokens"], u["cache_read_input_tokens"])
	}
	for i := 0; i < 2; i++ {
		if got := counts(call(4*min - 1)); got != "write 0 read 0" {
			t.Errorf("below the minimum, call %d: %s, want nothing cached", i+1, got)
		}
	}
	if got := counts(call(4 * min)); got != "write 4096 read 0" {
		t.Errorf("at the minimum, first call: %s, want the prefix written", got)
	}
	if got := counts(call(4 * min)); got != "write 0 read 4096" {
		t.Errorf("at the minimum, second call: %s, want the prefix read", got)
	}
}

// TestRealwireCachePointTooShort replays converse-reasoning-cachepoint-ok,
// a 43-token prompt with a cache point on Claude Sonnet 4.5: Bedrock
// answered with both cache counts 0, and so does the emulator, the first
// time and the second.
func TestRealwireCachePointTooShort(t *testing.T) {
	real := loadExchange(t, "converse-reasoning-cachepoint-ok")
	var recorded struct {
		Usage cacheUsage `json:"usage"`
	}
	if err := json.Unmarshal(real.Response.Body, &recorded); err != nil || recorded.Usage.Read == nil || *recorded.Usage.Read != 0 || *recorded.Usage.Write != 0 {
		t.Fatalf("the recording does not show an ignored cache point: %s", real.Response.Body)
	}
	_, hs := start(t, &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}})
	for i := 0; i < 2; i++ {
		status, _, raw := rawRequest(t, hs, "POST", "/model/"+url.PathEscape("us.anthropic.claude-sonnet-4-5-20250929-v1:0")+"/converse", "us-east-1", string(real.Request.Body), defaultCreds)
		if status != 200 {
			t.Fatalf("status %d: %s", status, raw)
		}
		if u := usageOf(t, raw); *u.Read != 0 || *u.Write != 0 || u.Details != nil {
			t.Errorf("call %d: read %d, write %d, details %v; the service cached nothing", i+1, *u.Read, *u.Write, u.Details)
		}
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct{ now time.Time }

func (f *fakeClock) Now() time.Time { return f.now }

// cacheRequest is a request with a system prompt of the given texts, a
// cache point (with ttl, when set) after each, and a question.
func cacheRequest(question string, ttl string, texts ...string) *converse.Request {
	req := &converse.Request{}
	for _, text := range texts {
		req.System = append(req.System, converse.SystemBlock{Text: &text}, converse.SystemBlock{CachePoint: &converse.CachePoint{Type: "default", TTL: ttl}})
	}
	req.Messages = []converse.Message{{Role: converse.RoleUser, Content: []converse.ContentBlock{{Text: &question}}}}
	return req
}

// accountFor is the cache usage the cache gives req on model.
func accountFor(c *promptCache, model *catalog.Model, req *converse.Request) usage {
	f, _ := converse.FamilyForModel(model.ID)
	rep := reply{usage: usage{input: estimateTokens(req) + toolPromptTokens(f, model.ID, req), output: 10}}
	c.account(model, f, req, &rep)
	return rep.usage
}

// TestPromptCacheReadAfterWrite: the same prefix within its ttl is read
// (and the hit renews the ttl); a different prefix is written; after the
// ttl, the same prefix is written again. The ttl is 5 minutes, or 1 hour
// where the cache point asks for it and the model takes it (Claude Sonnet
// 4.6 does, Nova Lite does not: prompt caching page).
func TestPromptCacheReadAfterWrite(t *testing.T) {
	cat := catalog.Default()
	sonnet, _ := cat.Model("anthropic.claude-sonnet-4-6")
	nova, _ := cat.Model("amazon.nova-lite-v1:0")
	long := strings.Repeat("a", 4*1024)
	other := strings.Repeat("b", 4*1024)
	type step struct {
		after       time.Duration
		text        string
		read, write int
	}
	tests := []struct {
		name  string
		model *catalog.Model
		ttl   string
		steps []step
	}{
		{"5m", sonnet, "", []step{
			{0, long, 0, 1024},
			{4 * time.Minute, long, 1024, 0},
			{4 * time.Minute, long, 1024, 0}, // renewed by the hit before
			{0, other, 0, 1024},
			{time.Minute, long, 1024, 0},
			{5*time.Minute + time.Second, long, 0, 1024},
		}},
		{"1h", sonnet, "1h", []step{
			{0, long, 0, 1024},
			{59 * time.Minute, long, 1024, 0},
			{time.Hour + time.Second, long, 0, 1024},
		}},
		{"1h on a model without it", nova, "1h", []step{
			{0, long, 0, 1024},
			{5*time.Minute + time.Second, long, 0, 1024},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
			c := newPromptCache(clock.Now)
			for i, s := range tc.steps {
				clock.now = clock.now.Add(s.after)
				u := accountFor(c, tc.model, cacheRequest("Summarize it.", tc.ttl, s.text))
				if u.cacheRead != s.read || u.cacheWrite != s.write {
					t.Errorf("step %d (+%s): read %d, write %d; want read %d, write %d", i+1, s.after, u.cacheRead, u.cacheWrite, s.read, s.write)
				}
			}
		})
	}
}

// TestPromptCacheMovingCheckpoint: a request that adds a cache point after
// a cached prefix reads the prefix and writes only what follows, with
// that cache point's ttl in cacheDetails; a cache point too close to the
// start is ignored while a later one counts (the real
// converse-cache-nova-ok wrote the whole prompt past a system cache point
// of about 500 tokens).
func TestPromptCacheMovingCheckpoint(t *testing.T) {
	cat := catalog.Default()
	sonnet, _ := cat.Model("anthropic.claude-sonnet-4-6")
	c := newPromptCache(time.Now)
	first := strings.Repeat("a", 4*1024)
	second := strings.Repeat("b", 4*500)
	u := accountFor(c, sonnet, cacheRequest("q", "1h", first))
	if u.cacheWrite != 1024 || !cmp.Equal(u.details, []cacheDetail{{1024, "1h"}}, cmp.AllowUnexported(cacheDetail{})) {
		t.Fatalf("first: write %d, details %v", u.cacheWrite, u.details)
	}
	req := cacheRequest("q", "", first, second)
	req.System[1].CachePoint.TTL = "1h"
	u = accountFor(c, sonnet, req)
	if u.cacheRead != 1024 || u.cacheWrite != 500 || !cmp.Equal(u.details, []cacheDetail{{500, "5m"}}, cmp.AllowUnexported(cacheDetail{})) {
		t.Errorf("grown prompt: read %d, write %d, details %v; want read 1024, write 500 at 5m", u.cacheRead, u.cacheWrite, u.details)
	}
	if want := estimateTokens(req) - 1524; u.input != want {
		t.Errorf("input %d, want the %d tokens after the last cache point", u.input, want)
	}

	nova, _ := cat.Model("amazon.nova-lite-v1:0")
	u = accountFor(newPromptCache(time.Now), nova, cacheRequest("q", "", strings.Repeat("s", 4*500), strings.Repeat("u", 4*800)))
	if u.cacheRead != 0 || u.cacheWrite != 1300 {
		t.Errorf("short first cache point: read %d, write %d; want the 1300 tokens before the second written", u.cacheRead, u.cacheWrite)
	}
}

// TestToolPromptCountsTowardTheMinimum: a Claude model adds a system prompt
// of its own to a request that declares tools, 346 tokens with tool choice
// auto and 313 with any or tool (AWS, Anthropic Claude Messages API, tool
// use: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-tool-use.html),
// and it is part of the prompt before every cache point. A cache point
// whose own prefix is short of the minimum by less than that is cached
// when tools are declared; the emulator ignored it, as it counted only the
// request's own text. Nova adds no such prompt the emulator knows of.
func TestToolPromptCountsTowardTheMinimum(t *testing.T) {
	cat := catalog.Default()
	sonnet, _ := cat.Model("anthropic.claude-sonnet-4-6") // minimum 1024
	nova, _ := cat.Model("amazon.nova-lite-v1:0")         // minimum 1000
	tools := func(choice *converse.ToolChoice) *converse.ToolConfig {
		return &converse.ToolConfig{Tools: []converse.Tool{{ToolSpec: &converse.ToolSpec{Name: "f", InputSchema: converse.InputSchema{JSON: []byte(`{}`)}}}}, ToolChoice: choice}
	}
	// 720 tokens of system prompt, a cache point, a question: 720 and
	// the tool ("f{}", 3 characters) are short of 1024, and with 346 (or
	// 313) more they are not.
	req := func(tc *converse.ToolConfig) *converse.Request {
		r := cacheRequest("q", "", strings.Repeat("s", 4*720))
		r.ToolConfig = tc
		return r
	}
	tests := []struct {
		name  string
		model *catalog.Model
		tc    *converse.ToolConfig
		write int
	}{
		{"no tools", sonnet, nil, 0},
		{"tools, choice auto", sonnet, tools(nil), 346 + 720},
		{"tools, choice any", sonnet, tools(&converse.ToolChoice{Any: &struct{}{}}), 313 + 720},
		{"tools on nova", nova, tools(nil), 0},
	}
	for _, tc := range tests {
		u := accountFor(newPromptCache(time.Now), tc.model, req(tc.tc))
		if u.cacheWrite != tc.write || u.cacheRead != 0 {
			t.Errorf("%s: write %d, read %d; want write %d", tc.name, u.cacheWrite, u.cacheRead, tc.write)
		}
		if f, _ := converse.FamilyForModel(tc.model.ID); u.input != max(1, estimateTokens(req(tc.tc))+toolPromptTokens(f, tc.model.ID, req(tc.tc))-tc.write) {
			t.Errorf("%s: input %d, want the tokens after the cache point", tc.name, u.input)
		}
	}
}

// TestRealwireToolPromptCached replays converse-cache-write-ok, a request
// with two tools, a system prompt and a user turn, each followed by a cache
// point: Bedrock wrote 1322 tokens to the cache. Without the tool-use
// system prompt the emulator's estimate of the prompt stayed under Claude
// Sonnet 4.5's minimum of 1024 tokens and it cached nothing; with it, it
// writes the prompt, within a fifth of the real count.
func TestRealwireToolPromptCached(t *testing.T) {
	real := loadExchange(t, "converse-cache-write-ok")
	_, hs := start(t, &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}})
	status, _, raw := rawRequest(t, hs, "POST", "/model/"+url.PathEscape("us.anthropic.claude-sonnet-4-5-20250929-v1:0")+"/converse", "us-east-1", string(real.Request.Body), defaultCreds)
	if status != 200 {
		t.Fatalf("status %d: %s", status, raw)
	}
	const recorded = 1322
	if u := usageOf(t, raw); *u.Write < recorded*4/5 || *u.Write > recorded*6/5 || *u.Read != 0 {
		t.Errorf("write %d, read %d; Bedrock wrote %d", *u.Write, *u.Read, recorded)
	}
}

// TestCacheRefusals: the emulator refuses what Bedrock refuses about cache
// points, with Bedrock's text, on Converse and ConverseStream alike:
//   - a cache point on Claude 3 Haiku, which Bedrock offers no prompt
//     caching for (V-44; prompt caching page, supported models): the
//     emulator accepted it, as Claude 3 Haiku shared Claude's family;
//   - a 1h cache point after a 5m one on Claude (V-49, Portkey-AI/gateway
//     #1762);
//   - a cache point among the tools on Nova (V-50,
//     NousResearch/hermes-agent #97281);
//   - a cache point with ttl 1h on Nova and Nova 2 (V-68: Bedrock's own
//     text, without the model's prefix, in timothy-agent/timothy #755 on
//     ConverseStream with Nova 2 Lite, LibreChat-AI/agents #256 and
//     earendil-works/pi #1570): the emulator took it and cached for 5
//     minutes.
//
// Each request is accepted once repaired as the normalizer repairs it.
func TestCacheRefusals(t *testing.T) {
	// Claude 3 Haiku is past its end of life on the catalog's date.
	_, hs := start(t, &Options{Date: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)})
	const tool = `{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}`
	tests := []refusalCase{
		{"V-44 Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0",
			`{"system":[{"text":"Be brief."},{"cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
			`{"system":[{"text":"Be brief."}],"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
			"You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information."},
		{"V-49 Claude Sonnet 4.6", "us.anthropic.claude-sonnet-4-6",
			`{"system":[{"text":"Be brief."},{"cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"policy"},{"cachePoint":{"type":"default","ttl":"1h"}},{"text":"hi"}]}]}`,
			`{"system":[{"text":"Be brief."},{"cachePoint":{"type":"default","ttl":"1h"}}],"messages":[{"role":"user","content":[{"text":"policy"},{"cachePoint":{"type":"default","ttl":"1h"}},{"text":"hi"}]}]}`,
			"The model returned the following errors: messages.0.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
		{"V-50 Nova Lite", "us.amazon.nova-lite-v1:0",
			`{"toolConfig":{"tools":[` + tool + `,{"cachePoint":{"type":"default"}}]},"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
			`{"toolConfig":{"tools":[` + tool + `]},"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
			"The model returned the following errors: Malformed input request: #/toolConfig/tools/1: extraneous key [cachePoint] is not permitted, please reformat your input and try again."},
		{"V-68 Nova 2 Lite", "us.amazon.nova-2-lite-v1:0",
			`{"system":[{"text":"Be brief."},{"cachePoint":{"type":"default","ttl":"1h"}}],"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
			`{"system":[{"text":"Be brief."},{"cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
			"Extended TTL prompt caching is only supported for Anthropic models"},
		{"V-68 Nova Lite", "us.amazon.nova-lite-v1:0",
			`{"messages":[{"role":"user","content":[{"text":"policy"},{"cachePoint":{"type":"default","ttl":"1h"}},{"text":"hi"}]}]}`,
			`{"messages":[{"role":"user","content":[{"text":"policy"},{"cachePoint":{"type":"default","ttl":"5m"}},{"text":"hi"}]}]}`,
			"Extended TTL prompt caching is only supported for Anthropic models"},
	}
	checkRefusals(t, hs, tests, "converse", "converse-stream")
}

// TestInvokeModelCacheRefusals: InvokeModel refuses what Converse refuses
// about cache_control, with the same texts, on both of its routes: the
// Messages body's cache_control became a Converse cache point without
// its ttl, and only V-30 was checked, so a cache_control on Claude 3
// Haiku and a ttl 1h one after a 5m one were answered. V-44's text was
// reported through InvokeModel (cline/cline #2064: cline called Bedrock
// through Anthropic's Bedrock client); V-49 is Anthropic's rule, its
// path Anthropic's block (Portkey-AI/gateway #1762; Anthropic's prompt
// caching page, "Mixing different TTLs").
func TestInvokeModelCacheRefusals(t *testing.T) {
	_, hs := start(t, &Options{Date: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)})
	const head = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,`
	tests := []refusalCase{
		{"V-44 Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0",
			head + `"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"hi"}]}`,
			head + `"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"hi"}]}`,
			"You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information."},
		{"V-49 Claude Sonnet 4.6", "us.anthropic.claude-sonnet-4-6",
			head + `"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"policy","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"hi"}]}]}`,
			head + `"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}}],"messages":[{"role":"user","content":[{"type":"text","text":"policy","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"hi"}]}]}`,
			"messages.0.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
		{"V-49 tools before system", "us.anthropic.claude-sonnet-4-6",
			head + `"tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral","ttl":"5m"}}],"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}}],"messages":[{"role":"user","content":"hi"}]}`,
			head + `"tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral","ttl":"1h"}}],"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"5m"}}],"messages":[{"role":"user","content":"hi"}]}`,
			"system.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
	}
	checkRefusals(t, hs, tests, "invoke", "invoke-with-response-stream")
	// The ttl is kept, so a 1h entry lives an hour in the emulator's cache.
	_, conv, aerr := parseMessages([]byte(tests[1].good))
	if aerr != nil || len(conv.System) != 2 || conv.System[1].CachePoint == nil || conv.System[1].CachePoint.TTL != "1h" {
		t.Errorf("cache_control ttl 1h became %+v (%v)", conv.System, aerr)
	}
}

// refusalCase is a request the emulator refuses (bad, with the message
// want) and the same request repaired (good), which it answers.
type refusalCase struct {
	name, model, bad, good, want string
}

// checkRefusals sends each case's bad and good bodies to every operation
// of ops: bad must get 400 ValidationException with its message, good 200.
func checkRefusals(t *testing.T, hs *httptest.Server, tests []refusalCase, ops ...string) {
	t.Helper()
	for _, tc := range tests {
		for _, op := range ops {
			path := "/model/" + url.PathEscape(tc.model) + "/" + op
			status, h, raw := rawRequest(t, hs, "POST", path, "us-east-1", tc.bad, defaultCreds)
			var body struct{ Message string }
			_ = json.Unmarshal([]byte(raw), &body)
			if status != 400 || !strings.HasPrefix(h.Get("x-amzn-ErrorType"), "ValidationException") || body.Message != tc.want {
				t.Errorf("%s, %s: %d %s %s; want 400 ValidationException %q", tc.name, op, status, h.Get("x-amzn-ErrorType"), raw, tc.want)
			}
			if status, _, raw := rawRequest(t, hs, "POST", path, "us-east-1", tc.good, defaultCreds); status != 200 {
				t.Errorf("%s, %s, repaired: %d %.300s", tc.name, op, status, raw)
			}
		}
	}
}
