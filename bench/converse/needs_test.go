package converse

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// allKinds runs every rule, whatever the request holds.
const allKinds = ^blockKinds(0)

// checkNeedsAgree fails when skipping the rules whose needs r lacks
// changes what Check reports for r, for any family, streaming or not.
func checkNeedsAgree(t *testing.T, r *Request) {
	t.Helper()
	kinds := kindsOf(r)
	for _, name := range FamilyNames() {
		f, err := LookupFamily(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, stream := range []bool{false, true} {
			f.streaming = stream
			got, want := check(r, f, kinds), check(r, f, allKinds)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("family %s (stream %v), kinds %08b: skipping rules by need gives\n%v\nrunning all gives\n%v", name, stream, kinds, got, want)
			}
		}
	}
}

// TestNeedsSkipOnlyRulesThatCannotFire holds every rule's needs to what
// the rule reads: on every rule case, failing and passing, and on every
// recorded request, Check reports what running every rule reports.
func TestNeedsSkipOnlyRulesThatCannotFire(t *testing.T) {
	for _, tc := range ruleCases {
		for _, body := range []string{tc.bad, tc.good} {
			r := decodeRequest(t, body)
			checkNeedsAgree(t, r)
			// The case without each kind of block in turn: a rule whose
			// needs name a kind it does not read (or miss one it does)
			// disagrees on some of these.
			for k := hasToolUse; k != 0; k <<= 1 {
				checkNeedsAgree(t, without(r, k))
			}
		}
	}
	for _, body := range realwireBodies(t) {
		var r Request
		if json.Unmarshal(body, &r) == nil {
			checkNeedsAgree(t, &r)
		}
	}
	for _, r := range trickyRequests() {
		checkNeedsAgree(t, &r)
	}
	// Random requests from an alphabet of blocks, each anywhere.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		checkNeedsAgree(t, randomRequest(rng))
	}
}

// blockAlphabet holds a block of every kind, valid and broken.
var blockAlphabet = []string{
	`{"text":"hi"}`, `{"text":" "}`, `{"text":""}`, `{"text":"end "}`,
	use, use2, `{"toolUse":{"toolUseId":"bad id!","name":"bad name!","input":[]}}`,
	res, res2, `{"toolResult":{"toolUseId":"t9","content":[],"status":"error"}}`,
	`{"toolResult":{"toolUseId":"t1","content":[{"json":[1]},{"text":" "}]}}`,
	`{"toolResult":{"toolUseId":"t1","content":[{"image":{"format":"bmp","source":{"s3Location":{"uri":"s3://b/k"}}}}]}}`,
	`{"toolResult":{"toolUseId":"t2","content":[{"document":{"name":"d","format":"txt","source":{"s3Location":{"uri":"s3://b/k"}}}}]}}`,
	`{"toolResult":{"toolUseId":"t1","content":[{"video":{"format":"mp4","source":{"bytes":"AA=="}}}]}}`,
	`{"image":{"format":"png","source":{"bytes":"AA=="}}}`,
	`{"image":{"format":"tiff","source":{"s3Location":{"uri":"s3://X"}}}}`,
	`{"document":{"name":"d","format":"txt","source":{"bytes":"AA=="}}}`,
	`{"document":{"name":"d","format":"txt","source":{"s3Location":{"uri":"s3://bucket/k"}}}}`,
	`{"document":{"name":"","format":"txt","source":{"bytes":"AA=="}}}`,
	`{"document":{"name":"a..b","format":"txt","source":{"bytes":"AA=="}}}`,
	`{"video":{"format":"mp4","source":{"bytes":"AA=="}}}`,
	sig, `{"reasoningContent":{"reasoningText":{"text":"think"}}}`,
	cp,
}

// modelFieldsAlphabet holds additionalModelRequestFields each family
// takes or refuses (V-63).
var modelFieldsAlphabet = []string{
	`{"top_k":5}`, `{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`,
	`{"output_config":{"effort":"low"}}`, `{"output_config":{"effort":"low"},"anthropic_beta":["effort-2025-11-24"]}`,
	`{"thinking":{"type":"enabled","budget_tokens":1024},"reasoning_effort":"low"}`, `{"guardrails":{}}`,
}

// schemaAlphabet holds JSON schemas Claude takes or refuses (V-30).
var schemaAlphabet = []string{
	`{}`, `{"type":"object","additionalProperties":false}`,
	`{"type":"object","properties":{"a":{"type":"array","minItems":2}},"additionalProperties":false}`,
	`{"type":"object","properties":{"a":{"type":"array","maxItems":2}}}`,
}

// randomRequest builds a request of one to four messages, each of one to
// three blocks from blockAlphabet, with or without tools, a system prompt
// and cache points outside the messages.
func randomRequest(rng *rand.Rand) *Request {
	var ms []string
	for range 1 + rng.IntN(4) {
		var blocks []string
		for range 1 + rng.IntN(3) {
			blocks = append(blocks, blockAlphabet[rng.IntN(len(blockAlphabet))])
		}
		if rng.IntN(2) == 0 {
			ms = append(ms, user(blocks...))
		} else {
			ms = append(ms, assistant(blocks...))
		}
	}
	var extra []string
	if rng.IntN(2) == 0 {
		tools := `{"toolSpec":{"name":"f","inputSchema":{"json":{}}}}`
		if rng.IntN(3) == 0 {
			tools = `{"toolSpec":{"name":"f","inputSchema":{"json":` + schemaAlphabet[rng.IntN(len(schemaAlphabet))] + `},"strict":true}}`
		}
		if rng.IntN(3) == 0 {
			tools += "," + cp
		}
		extra = append(extra, `"toolConfig":{"tools":[`+tools+`]}`)
	}
	if rng.IntN(3) == 0 {
		extra = append(extra, `"system":[`+cp+`,{"text":"s"}]`)
	}
	if rng.IntN(3) == 0 {
		extra = append(extra, `"additionalModelRequestFields":`+modelFieldsAlphabet[rng.IntN(len(modelFieldsAlphabet))])
	}
	if rng.IntN(4) == 0 {
		s, _ := json.Marshal(schemaAlphabet[rng.IntN(len(schemaAlphabet))])
		extra = append(extra, `"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":`+string(s)+`}}}}`)
	}
	var r Request
	if err := json.Unmarshal([]byte(msgs(strings.Join(extra, ","), ms...)), &r); err != nil {
		panic(err)
	}
	return &r
}

// TestKindsOf shows which kinds a request holds, tool results' media and
// the system prompt's and tools' cache points included.
func TestKindsOf(t *testing.T) {
	for _, tc := range []struct {
		body string
		want blockKinds
	}{
		{msgs("", user(`{"text":"hi"}`)), 0},
		{msgs("", user(`{"text":"hi"}`), assistant(use), user(res)), hasToolUse | hasToolResult},
		{msgs("", user(`{"toolResult":{"toolUseId":"t1","content":[{"image":{"format":"png","source":{"bytes":"AA=="}}},{"document":{"name":"d","format":"txt","source":{"bytes":"AA=="}}},{"video":{"format":"mp4","source":{"bytes":"AA=="}}}]}}`)), hasToolResult | hasImage | hasDocument | hasVideo},
		{msgs(`"system":[{"text":"s"},`+cp+`]`, user(`{"text":"hi"}`)), hasCachePoint},
		{msgs(`"toolConfig":{"tools":[`+cp+`]}`, user(`{"text":"hi"}`)), hasCachePoint},
		{msgs("", user(`{"text":"hi"}`), assistant(sig, `{"text":"a"}`)), hasReasoning},
		{msgs(`"additionalModelRequestFields":{"top_k":5}`, user(`{"text":"hi"}`)), hasModelFields},
		{msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}},"strict":true}}]}`, user(`{"text":"hi"}`)), hasSchema},
		{msgs(`"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}},"strict":false}}]}`, user(`{"text":"hi"}`)), 0},
		{msgs(`"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{}"}}}}`, user(`{"text":"hi"}`)), hasSchema},
	} {
		if got := kindsOf(decodeRequest(t, tc.body)); got != tc.want {
			t.Errorf("%s:\n got %08b, want %08b", tc.body, got, tc.want)
		}
	}
	// A text-only request skips every rule about tools, media, reasoning
	// and cache points.
	skipped := 0
	for _, r := range rules {
		if r.needs != 0 {
			skipped++
		}
	}
	if skipped < len(rules)/2 {
		t.Errorf("only %d of %d rules declare what they need", skipped, len(rules))
	}
}

// FuzzCheckNeeds decodes arbitrary bytes as a Request and checks that
// skipping rules by need reports what running them all reports.
func FuzzCheckNeeds(f *testing.F) {
	for _, tc := range ruleCases {
		f.Add([]byte(tc.bad))
	}
	for _, body := range realwireBodies(f) {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Request
		if json.Unmarshal(data, &r) != nil || strings.Count(string(data), "{") > 4096 {
			return
		}
		checkNeedsAgree(t, &r)
	})
}

// without returns a copy of r without its blocks of kind k (tool results'
// media, and the system prompt's and tools' cache points, included).
func without(r *Request, k blockKinds) *Request {
	out := *r
	out.Messages = nil
	for _, m := range r.Messages {
		var content []ContentBlock
		for _, b := range m.Content {
			switch {
			case k == hasToolUse && b.ToolUse != nil,
				k == hasToolResult && b.ToolResult != nil,
				k == hasImage && b.Image != nil,
				k == hasDocument && b.Document != nil,
				k == hasVideo && b.Video != nil,
				k == hasReasoning && b.ReasoningContent != nil,
				k == hasCachePoint && b.CachePoint != nil:
				continue
			}
			if b.ToolResult != nil {
				res := *b.ToolResult
				res.Content = nil
				for _, c := range b.ToolResult.Content {
					if k == hasImage && c.Image != nil || k == hasDocument && c.Document != nil || k == hasVideo && c.Video != nil {
						continue
					}
					res.Content = append(res.Content, c)
				}
				b.ToolResult = &res
			}
			content = append(content, b)
		}
		out.Messages = append(out.Messages, Message{Role: m.Role, Content: content})
	}
	if k == hasModelFields {
		out.AdditionalModelRequestFields = nil
	}
	if k == hasSchema {
		out.OutputConfig = nil
		if r.ToolConfig != nil {
			tc := *r.ToolConfig
			tc.Tools = nil
			for _, t := range r.ToolConfig.Tools {
				if t.ToolSpec != nil && t.ToolSpec.Strict != nil {
					spec := *t.ToolSpec
					spec.Strict = nil
					t.ToolSpec = &spec
				}
				tc.Tools = append(tc.Tools, t)
			}
			out.ToolConfig = &tc
		}
	}
	if k == hasCachePoint {
		out.System = nil
		for _, s := range r.System {
			if s.CachePoint == nil {
				out.System = append(out.System, s)
			}
		}
		if r.ToolConfig != nil {
			tc := *r.ToolConfig
			tc.Tools = nil
			for _, t := range r.ToolConfig.Tools {
				if t.CachePoint == nil {
					tc.Tools = append(tc.Tools, t)
				}
			}
			out.ToolConfig = &tc
		}
	}
	return &out
}
