package converse

import (
	"reflect"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

const (
	cp1h  = `{"cachePoint":{"type":"default","ttl":"1h"}}`
	cp5m  = `{"cachePoint":{"type":"default","ttl":"5m"}}`
	tool2 = `{"toolSpec":{"name":"g","inputSchema":{"json":{"type":"object"}}}}`
)

// The prompt-caching rules V-49 and V-50, and V-44 for the Claude models
// Bedrock caches nothing for, join the rule table's cases.
func init() {
	ruleCases = append(ruleCases, []struct {
		rule, family string
		bad, good    string
		want         string
	}{
		// Portkey-AI/gateway #1762: a cache point without ttl (5m) on a
		// tool result, then a 1h one after an assistant text.
		{"cache-ttl-order", "anthropic",
			msgs(toolCfg+`,"system":[{"text":"s"},`+cp1h+`]`, hi, assistant(use), user(res, cp), assistant(`{"text":"done"}`, cp1h), hi),
			msgs(toolCfg+`,"system":[{"text":"s"},`+cp1h+`]`, hi, assistant(use), user(res, cp1h), assistant(`{"text":"done"}`, cp1h), hi),
			"The model returned the following errors: messages.3.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
		// hermes-agent #97281: Nova Pro, a cache point after the tools.
		{"tool-cache-point-unsupported", "nova",
			msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}},`+cp+`]}`, hi),
			msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]},"system":[{"text":"s"},`+cp+`]`, hi),
			"The model returned the following errors: Malformed input request: #/toolConfig/tools/1: extraneous key [cachePoint] is not permitted, please reformat your input and try again."},
		// timothy-agent/timothy #755: Nova 2 Lite, a system cache point
		// with ttl 1h; the same cache point without ttl is taken.
		{"cache-ttl-unsupported", "model:us.amazon.nova-2-lite-v1:0",
			msgs(`"system":[{"text":"s"},`+cp1h+`]`, hi),
			msgs(`"system":[{"text":"s"},`+cp+`]`, hi),
			"Extended TTL prompt caching is only supported for Anthropic models"},
	}...)
}

// TestExtendedTTLOnNova: Nova and Nova 2 refuse a cache point with ttl 1h
// wherever it is, on Converse and ConverseStream, with Bedrock's own text
// (timothy-agent/timothy #755, ConverseStream on Nova 2 Lite;
// LibreChat-AI/agents #256; earendil-works/pi #1570); ttl 5m is taken.
// Claude takes a 1h ttl where the catalog gives it and is not held to
// this rule where it does not: reports disagree on Claude 3.7 Sonnet and
// 3.5 Haiku (pi #1570 quotes "Extra inputs are not permitted",
// LibreChat-AI/agents #256 says the ttl quietly becomes 5m).
func TestExtendedTTLOnNova(t *testing.T) {
	const want = "Extended TTL prompt caching is only supported for Anthropic models"
	bodies := map[string]string{
		"system":         msgs(`"system":[{"text":"s"},`+cp1h+`]`, hi),
		"message":        msgs("", user(`{"text":"a"}`, cp1h)),
		"after a 5m one": msgs(`"system":[{"text":"s"},`+cp5m+`]`, user(`{"text":"a"}`, cp1h)),
	}
	for _, id := range []string{"amazon.nova-lite-v1:0", "us.amazon.nova-pro-v1:0", "us.amazon.nova-2-lite-v1:0"} {
		f, _ := FamilyForModel(id)
		for name, body := range bodies {
			for _, validate := range []func(*Request, Family) error{Validate, ValidateStream} {
				err := validate(decodeRequest(t, body), f)
				if v, _ := err.(*Violation); v == nil || v.Message != want || v.Rule.ID != "V-68" {
					t.Errorf("%s, %s: %v; want V-68 %q", id, name, err, want)
				}
			}
		}
		if err := Validate(decodeRequest(t, msgs(`"system":[{"text":"s"},`+cp5m+`]`, user(`{"text":"a"}`, cp))), f); err != nil {
			t.Errorf("%s refuses 5m cache points: %v", id, err)
		}
	}
	for _, id := range []string{"anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0"} {
		f, _ := FamilyForModel(id)
		if err := Validate(decodeRequest(t, bodies["system"]), f); err != nil {
			t.Errorf("%s refuses a 1h cache point: %v", id, err)
		}
	}
}

// TestExtendedTTLAsTheCatalogSays: a family refuses ttl 1h (V-68) only
// where the catalog gives none of its models the 1h ttl; Claude models
// without it (3.5 Haiku, 3.7 Sonnet, Sonnet 4) are left out, as reports
// on them disagree.
func TestExtendedTTLAsTheCatalogSays(t *testing.T) {
	for _, m := range catalog.Default().Models {
		f, ok := FamilyForModel(m.ID)
		if !ok || m.PromptCaching == nil {
			continue
		}
		takes := m.PromptCaching.TakesTTL("1h")
		if f.NoExtendedTTL && takes {
			t.Errorf("%s: family %s refuses ttl 1h; the catalog gives it", m.ID, f.Name)
		}
		if !f.NoExtendedTTL && !takes && !f.AnthropicFields {
			t.Errorf("%s: family %s takes ttl 1h; the catalog does not give it", m.ID, f.Name)
		}
	}
}

// TestCacheTTLOutOfOrder: Anthropic reads tools, then system, then
// messages, and refuses a 1h cache point anywhere after a 5m one (a cache
// point without ttl is 5m): "Cache entries with longer TTL must appear
// before shorter TTLs" (Anthropic, prompt caching, "Mixing different
// TTLs"). The path names the block the cache point marks, counted as
// Anthropic counts blocks, without the cache points.
func TestCacheTTLOutOfOrder(t *testing.T) {
	tools := func(blocks ...string) string {
		s := `"toolConfig":{"tools":[`
		for i, b := range blocks {
			if i > 0 {
				s += ","
			}
			s += b
		}
		return s + "]}"
	}
	sys := `"system":[{"text":"a"},` + cp5m + `,{"text":"b"},` + cp1h + `]`
	tests := []struct {
		name, body, path string
	}{
		{"1h before 5m", msgs(`"system":[{"text":"s"},`+cp1h+`]`, user(`{"text":"a"}`, cp)), ""},
		{"all 5m", msgs(`"system":[{"text":"s"},`+cp+`]`, user(`{"text":"a"}`, cp5m)), ""},
		{"all 1h", msgs(tools(`{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}`, cp1h)+`,"system":[{"text":"s"},`+cp1h+`]`, user(`{"text":"a"}`, cp1h)), ""},
		{"system: 5m then 1h", msgs(sys, hi), "system.1"},
		{"tools then system", msgs(tools(`{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}`, cp, tool2)+`,"system":[{"text":"s"},`+cp1h+`]`, hi), "system.0"},
		{"within the tools", msgs(tools(`{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}`, cp5m, tool2, cp1h), hi), "tools.1"},
		{"system then a message", msgs(`"system":[{"text":"s"},`+cp+`]`, user(`{"text":"a"}`, `{"text":"b"}`, cp1h)), "messages.0.content.1"},
		{"two cache points in a message", msgs("", hi, ok, user(`{"text":"a"}`, cp, `{"text":"b"}`, cp1h)), "messages.2.content.1"},
	}
	for _, tc := range tests {
		path, found := CacheTTLOutOfOrder(decodeRequest(t, tc.body))
		if path != tc.path || found != (tc.path != "") {
			t.Errorf("%s: %q, %v; want %q", tc.name, path, found, tc.path)
		}
	}
}

// TestFamiliesCacheAsTheCatalogSays: a model's family caches (V-44) where
// the catalog gives the model promptCaching limits, and refuses cache
// points where it gives none (Claude 3 Haiku among them, which shared the
// anthropic family and had its cache points accepted).
func TestFamiliesCacheAsTheCatalogSays(t *testing.T) {
	for _, m := range catalog.Default().Models {
		f, ok := FamilyForModel(m.ID)
		if !ok {
			t.Errorf("%s: no family", m.ID)
			continue
		}
		if f.Caching != (m.PromptCaching != nil) {
			t.Errorf("%s: family %s caches: %v; the catalog gives promptCaching %+v", m.ID, f.Name, f.Caching, m.PromptCaching)
		}
	}
}

// TestNoCachingClaude: the Claude models off Bedrock's prompt caching list
// refuse a cache point with V-44's text and are the anthropic family in
// all else; Claude 3.5 Haiku and 3.7 Sonnet, on the list, cache.
func TestNoCachingClaude(t *testing.T) {
	body := decodeRequest(t, msgs("", user(`{"text":"hi"}`, cp)))
	for _, id := range []string{
		"anthropic.claude-3-haiku-20240307-v1:0", "us.anthropic.claude-3-haiku-20240307-v1:0",
		"anthropic.claude-3-sonnet-20240229-v1:0", "anthropic.claude-3-opus-20240229-v1:0",
		"anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-5-sonnet-20241022-v2:0",
	} {
		f, _ := FamilyForModel(id)
		err := Validate(body, f)
		v, _ := err.(*Violation)
		if v == nil || v.Rule.Name != "caching-unsupported" {
			t.Errorf("%s (family %s): %v; want caching-unsupported", id, f.Name, err)
		}
	}
	for _, id := range []string{"anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"} {
		if f, _ := FamilyForModel(id); Validate(body, f) != nil {
			t.Errorf("%s (family %s) refuses a cache point", id, f.Name)
		}
	}
	anthropic, _ := LookupFamily("anthropic")
	none, err := LookupFamily(noCachingFamily)
	if err != nil {
		t.Fatal(err)
	}
	none.Name, none.Models, none.Caching = anthropic.Name, anthropic.Models, true
	if !sameFamily(none, anthropic) {
		t.Errorf("the no-caching family differs from anthropic beyond caching: %+v", none)
	}
}

// sameFamily compares two families field by field (a Family holds a
// regexp and a slice, so == does not compile).
func sameFamily(a, b Family) bool {
	return reflect.DeepEqual(a, b)
}
