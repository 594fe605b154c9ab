package normalize

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestStructuredOutputReachesTheWire: an OpenAI request with a JSON-schema
// response_format, normalized for every family, sends the schema as
// outputConfig.textFormat: in the request, in its JSON body, and in the
// SDK input the bench calls Bedrock with.
func TestStructuredOutputReachesTheWire(t *testing.T) {
	body := `{"description":"d","format":"openai","request":{"model":"gpt-4o",
	  "messages":[{"role":"system","content":"Answer in JSON."},{"role":"user","content":"Which city?"}],
	  "response_format":{"type":"json_schema","json_schema":{"name":"City","strict":true,
	    "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}}`
	h, err := history.Decode("histories/x.json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema", Structure: converse.OutputFormatStructure{
		JSONSchema: &converse.JSONSchemaDefinition{Name: "City", Schema: `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`}}}}
	for _, name := range converse.FamilyNames() {
		fam, _ := converse.LookupFamily(name)
		req, rep, err := Normalize(h, Options{Family: fam})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, req.OutputConfig); diff != "" {
			t.Errorf("%s: outputConfig (-want +got):\n%s", name, diff)
		}
		wire, err := req.AppendJSON(nil)
		if err != nil || !strings.Contains(string(wire), `"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\"`) {
			t.Errorf("%s: the body does not carry the schema: %s %v", name, wire, err)
		}
		in, err := req.ToSDK("m")
		if err != nil || in.OutputConfig == nil || in.OutputConfig.TextFormat == nil || in.OutputConfig.TextFormat.Structure == nil {
			t.Errorf("%s: the SDK input lost outputConfig: %+v %v", name, in, err)
		}
		mapped := false
		for _, c := range rep.Changes {
			mapped = mapped || c.Code == FieldMapped && strings.Contains(c.Detail, "outputConfig.textFormat")
		}
		if !mapped {
			t.Errorf("%s: the report does not say response_format was mapped: %+v", name, rep.Changes)
		}
	}
}

// TestOutputSchemaKeywordsRepaired: for a Claude family, the schema
// keywords Claude refuses (V-30) are dropped and reported, and the request
// then passes the validator; other families get the schema as it was; the
// history itself is never changed.
func TestOutputSchemaKeywordsRepaired(t *testing.T) {
	schema := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"maxItems":5},"n":{"type":"integer","multipleOf":5}},"required":["tags","n"]}`
	h := &history.History{ID: "x", Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Tags?"}}}},
		Output: &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema", Structure: converse.OutputFormatStructure{
			JSONSchema: &converse.JSONSchemaDefinition{Name: "T", Schema: schema}}}}}
	claude, _ := converse.LookupFamily("anthropic")
	if converse.Validate(&converse.Request{Messages: []converse.Message{{Role: "user", Content: []converse.ContentBlock{converse.TextBlock("Tags?")}}}, OutputConfig: h.Output}, claude) == nil {
		t.Fatal("the validator accepts a schema Claude refuses")
	}
	req, rep, err := Normalize(h, Options{Family: claude})
	if err != nil {
		t.Fatalf("the repaired request is still refused: %v", err)
	}
	want := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},"n":{"type":"integer"}},"required":["tags","n"]}`
	if got := req.OutputConfig.TextFormat.Structure.JSONSchema.Schema; got != want {
		t.Errorf("schema:\n got %s\nwant %s", got, want)
	}
	var dropped []string
	for _, c := range rep.Changes {
		if c.Code == OutputSchemaKeywordDropped {
			dropped = append(dropped, c.Detail)
		}
	}
	if len(dropped) != 2 || !strings.HasPrefix(dropped[0], "outputConfig schema: maxItems dropped where the type is array") || !strings.HasPrefix(dropped[1], "outputConfig schema: multipleOf dropped where the type is integer") {
		t.Errorf("report: %q", dropped)
	}
	if h.Output.TextFormat.Structure.JSONSchema.Schema != schema {
		t.Error("Normalize changed the history's schema")
	}
	nova, _ := converse.LookupFamily("nova")
	req, rep, err = Normalize(h, Options{Family: nova})
	if err != nil || req.OutputConfig.TextFormat.Structure.JSONSchema.Schema != schema {
		t.Errorf("nova: the schema changed (%v): %s", err, req.OutputConfig.TextFormat.Structure.JSONSchema.Schema)
	}
	for _, c := range rep.Changes {
		if c.Code == OutputSchemaKeywordDropped {
			t.Errorf("nova: %s", c.Detail)
		}
	}
}

// TestStrictToolSchemaRepaired: a strict tool keeps its strict mode on the
// wire for every family; for a Claude family its schema is made what
// Claude's constrained decoding takes (V-30): objects closed, refused
// keywords dropped, each reported, so the request passes the validator. A
// tool that is not strict, and the history itself, are left as they were.
func TestStrictToolSchemaRepaired(t *testing.T) {
	strictSchema := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"maxItems":5},"opts":{"type":"object","properties":{"x":{"type":"boolean"}}}},"required":["tags"],"additionalProperties":false}`
	freeSchema := `{"type":"object","properties":{"tags":{"type":"array","maxItems":5}}}`
	yes := true
	h := &history.History{ID: "x", Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Tags?"}}}},
		Tools: []history.Tool{{Name: "pick", Schema: []byte(strictSchema), Strict: &yes}, {Name: "free", Schema: []byte(freeSchema)}}}
	claude, _ := converse.LookupFamily("anthropic")
	if err := converse.Validate(ptr(Naive(h)), claude); err == nil || !strings.Contains(err.Error(), "tools.0.custom: For 'object' type") {
		t.Fatalf("the validator does not refuse the strict tool as it is: %v", err)
	}
	req, rep, err := Normalize(h, Options{Family: claude})
	if err != nil {
		t.Fatalf("the repaired request is still refused: %v", err)
	}
	tools := req.ToolConfig.Tools
	want := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},"opts":{"type":"object","properties":{"x":{"type":"boolean"}},"additionalProperties":false}},"required":["tags"],"additionalProperties":false}`
	if got := string(tools[0].ToolSpec.InputSchema.JSON); got != want || tools[0].ToolSpec.Strict == nil || !*tools[0].ToolSpec.Strict {
		t.Errorf("strict tool: %s (strict %v)\nwant %s", got, tools[0].ToolSpec.Strict, want)
	}
	if got := string(tools[1].ToolSpec.InputSchema.JSON); got != freeSchema || tools[1].ToolSpec.Strict != nil {
		t.Errorf("the tool that is not strict changed: %s (strict %v)", got, tools[1].ToolSpec.Strict)
	}
	var repaired []string
	for _, c := range rep.Changes {
		if c.Code == StrictToolSchemaRepaired {
			repaired = append(repaired, c.Detail)
		}
	}
	if len(repaired) != 2 || !strings.HasPrefix(repaired[0], `strict tool "pick": maxItems dropped where the type is array`) ||
		!strings.HasPrefix(repaired[1], `strict tool "pick": an object schema's additionalProperties set to false`) {
		t.Errorf("report: %q", repaired)
	}
	if string(h.Tools[0].Schema) != strictSchema {
		t.Error("Normalize changed the history's schema")
	}
	wire, err := req.AppendJSON(nil)
	if err != nil || !strings.Contains(string(wire), `"additionalProperties":false}},"strict":true}}`) {
		t.Errorf("the body does not carry strict: %s %v", wire, err)
	}
	if in, err := req.ToSDK("m"); err != nil || in.ToolConfig.Tools[0].(*types.ToolMemberToolSpec).Value.Strict == nil {
		t.Errorf("the SDK input lost strict: %v", err)
	}
	nova, _ := converse.LookupFamily("nova")
	req, rep, err = Normalize(h, Options{Family: nova})
	if err != nil || string(req.ToolConfig.Tools[0].ToolSpec.InputSchema.JSON) != strictSchema || req.ToolConfig.Tools[0].ToolSpec.Strict == nil {
		t.Errorf("nova: the strict tool changed (%v): %s", err, req.ToolConfig.Tools[0].ToolSpec.InputSchema.JSON)
	}
	for _, c := range rep.Changes {
		if c.Code == StrictToolSchemaRepaired {
			t.Errorf("nova: %s", c.Detail)
		}
	}
}

// TestSchemaMinItemsLowered: Claude takes an array's minItems only as 0 or
// 1 (V-30, realwire converse-error-model-strict-tool-minitems: "For
// 'array' type, 'minItems' values other than 0 or 1 are not supported").
// For a Claude family the normalizer lowers a larger one to 1, in a
// strict tool's schema and in a structured-output schema, and reports
// each with its value, so the request passes and the array stays
// non-empty; other families get the schemas as they were.
func TestSchemaMinItemsLowered(t *testing.T) {
	toolSchema := `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":2}},"required":["tags"],"additionalProperties":false}`
	outSchema := `{"type":"object","properties":{"steps":{"type":"array","items":{"type":"string"},"minItems":3}},"required":["steps"]}`
	yes := true
	h := &history.History{ID: "x", Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Tags?"}}}},
		Tools: []history.Tool{{Name: "process_tags", Schema: []byte(toolSchema), Strict: &yes}},
		Output: &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema", Structure: converse.OutputFormatStructure{
			JSONSchema: &converse.JSONSchemaDefinition{Name: "T", Schema: outSchema}}}}}
	claude, _ := converse.LookupFamily("anthropic")
	if err := converse.Validate(ptr(Naive(h)), claude); err == nil || !strings.Contains(err.Error(), "'minItems' values other than 0 or 1 are not supported") {
		t.Fatalf("the validator does not refuse the request as it is: %v", err)
	}
	req, rep, err := Normalize(h, Options{Family: claude})
	if err != nil {
		t.Fatalf("the repaired request is still refused: %v", err)
	}
	if got, want := string(req.ToolConfig.Tools[0].ToolSpec.InputSchema.JSON), strings.Replace(toolSchema, `"minItems":2`, `"minItems":1`, 1); got != want {
		t.Errorf("strict tool schema:\n got %s\nwant %s", got, want)
	}
	if got, want := req.OutputConfig.TextFormat.Structure.JSONSchema.Schema, strings.Replace(outSchema, `"minItems":3`, `"minItems":1`, 1); got != want {
		t.Errorf("output schema:\n got %s\nwant %s", got, want)
	}
	var details []string
	for _, c := range rep.Changes {
		if c.Code == StrictToolSchemaRepaired || c.Code == OutputSchemaKeywordDropped {
			details = append(details, c.Detail)
		}
	}
	want := []string{
		`strict tool "process_tags": minItems 2 lowered to 1 where the type is array (Claude takes 0 or 1 only): the anthropic family refuses it (V-30); the tool must check that bound`,
		`outputConfig schema: minItems 3 lowered to 1 where the type is array (Claude takes 0 or 1 only): the anthropic family refuses it (V-30); the application must check that bound`,
	}
	slices.Sort(details)
	slices.Sort(want)
	if diff := cmp.Diff(want, details); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	nova, _ := converse.LookupFamily("nova")
	req, _, err = Normalize(h, Options{Family: nova})
	if err != nil || string(req.ToolConfig.Tools[0].ToolSpec.InputSchema.JSON) != toolSchema || req.OutputConfig.TextFormat.Structure.JSONSchema.Schema != outSchema {
		t.Errorf("nova: a schema changed (%v)", err)
	}
}

// TestToolCachePointsKept: a cache point among the tools reaches the
// request in its place for a family with prompt caching, counts toward the
// limit of cache points (the tools' dropped last, since they head the
// cached prefix), and is dropped with a report where the family has no
// caching, takes none among the tools (Nova: V-50, NousResearch/hermes-agent
// #97281) or nothing comes before it.
func TestToolCachePointsKept(t *testing.T) {
	cp := func(ttl string) history.Tool {
		return history.Tool{CachePoint: &converse.CachePoint{Type: "default", TTL: ttl}}
	}
	tool := func(name string) history.Tool { return history.Tool{Name: name, Schema: []byte(`{"type":"object"}`)} }
	user := func(cache bool) history.Message {
		m := history.Message{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Hi"}}}
		if cache {
			m.Parts = append(m.Parts, history.Part{Kind: history.PartCachePoint})
		}
		return m
	}
	ok := history.Message{Role: history.RoleAssistant, Parts: []history.Part{{Kind: history.PartText, Text: "OK"}}}
	shape := func(req converse.Request) string {
		var out []string
		for _, t := range req.ToolConfig.Tools {
			switch {
			case t.CachePoint != nil:
				out = append(out, "cp"+t.CachePoint.TTL)
			default:
				out = append(out, t.ToolSpec.Name)
			}
		}
		for _, m := range req.Messages {
			for _, b := range m.Content {
				if b.CachePoint != nil {
					out = append(out, "msg-cp")
				}
			}
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name, family string
		tools        []history.Tool
		msgs         []history.Message
		want         string
		dropped      int
	}{
		{"kept", "anthropic", []history.Tool{tool("a"), cp("1h"), tool("b")}, []history.Message{user(false)}, "a cp1h b", 0},
		{"first dropped", "anthropic", []history.Tool{cp(""), tool("a"), cp(""), cp("")}, []history.Message{user(false)}, "a cp", 2},
		// Nova takes no cache point among the tools (V-50).
		{"none on nova", "nova", []history.Tool{tool("a"), cp(""), tool("b"), cp("")}, []history.Message{user(false)}, "a b", 2},
		{"no caching", "mistral", []history.Tool{tool("a"), cp("")}, []history.Message{user(false)}, "a", 1},
		{"messages dropped first", "anthropic", []history.Tool{tool("a"), cp("")},
			[]history.Message{user(true), ok, user(true), ok, user(true), ok, user(true)}, "a cp msg-cp msg-cp msg-cp", 1},
		{"tools over the limit", "anthropic", []history.Tool{tool("a"), cp(""), tool("b"), cp(""), tool("c"), cp(""), tool("d"), cp(""), tool("e"), cp("")},
			[]history.Message{user(false)}, "a b cp c cp d cp e cp", 1},
		// A cache point after a second declaration of a tool, which the
		// build drops, has no tool before it: it is not counted toward
		// the limit, so no message cache point makes room for it.
		{"after a tool declared twice", "anthropic", []history.Tool{tool("a"), cp(""), tool("a"), cp("")},
			[]history.Message{user(true), ok, user(true), ok, user(true)}, "a cp msg-cp msg-cp msg-cp", 1},
		// A cache point right after one the limit dropped has no tool
		// before it either: before, it took the dropped one's place and
		// the request held five cache points.
		{"after one over the limit", "anthropic", []history.Tool{tool("a"), cp(""), cp(""), tool("b"), cp(""), tool("c"), cp(""), tool("d"), cp(""), tool("e"), cp("")},
			[]history.Message{user(false)}, "a b cp c cp d cp e cp", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fam, _ := converse.LookupFamily(tc.family)
			h := &history.History{ID: "x", Tools: tc.tools, Messages: tc.msgs}
			req, rep, err := Normalize(h, Options{Family: fam})
			if err != nil {
				t.Fatal(err)
			}
			if got := shape(req); got != tc.want {
				t.Errorf("request: %q, want %q", got, tc.want)
			}
			n := 0
			for _, c := range rep.Changes {
				if c.Code == CachePointDropped {
					n++
				}
			}
			if n != tc.dropped {
				t.Errorf("%d cache points reported dropped, want %d: %+v", n, tc.dropped, rep.Changes)
			}
		})
	}
}
