package emulator

import (
	"context"
	stdjson "encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// refFanSchema is a tool schema whose 10 properties each $ref a $defs
// entry that again has 10 $ref properties, beside a padding member of
// pad bytes: before, each $ref decoded the whole document again, so a
// sample cost its nodes times the body.
func refFanSchema(pad int) []byte {
	props := map[string]any{}
	for _, k := range "abcdefghij" {
		props[string(k)] = map[string]any{"$ref": "#/$defs/x"}
	}
	b, _ := stdjson.Marshal(map[string]any{"type": "object", "properties": props,
		"$defs": map[string]any{"x": map[string]any{"type": "object", "properties": props}}, "pad": strings.Repeat("p", pad)})
	return b
}

// TestSampleDecodesTheDocumentOnce: following $ref decodes each
// container of the schema once per sample, so a megabyte of padding
// beside the fan-out schema costs about twice its size in decoding, not
// once per reference (before: past the work budget).
func TestSampleDecodesTheDocumentOnce(t *testing.T) {
	work := func(pad int) int64 {
		b := newReplyBudget(context.Background())
		if out := sampleJSONWithin(refFanSchema(pad), b); !stdjson.Valid(out) || len(out) < 1000 {
			t.Fatalf("sample %.200s", out)
		}
		return sampleMaxWork - b.work
	}
	const pad = 1 << 20
	small, large := work(0), work(pad)
	if large-small > 3*pad {
		t.Errorf("%d bytes of padding cost %d more bytes of decoding (%d without it), want at most %d", pad, large-small, small, 3*pad)
	}
}

// TestSampleWorkIsBoundedPerAnswer: a schema whose every node refers to
// the whole (padded) document, or many tools of such schemas, decode at
// most sampleMaxWork bytes in all for one answer; what is past it is {}.
func TestSampleWorkIsBoundedPerAnswer(t *testing.T) {
	pad := strings.Repeat("p", 256<<10)
	schema := []byte(`{"type":"object","properties":{"a":{"$ref":"#"},"b":{"$ref":"#"},"c":{"$ref":"#"}},"required":["a","b","c"],"pad":"` + pad + `"}`)
	b := newReplyBudget(context.Background())
	for range 100 {
		if out := sampleInputWithin(schema, b); !stdjson.Valid(out) || out[0] != '{' {
			t.Fatalf("sample %.200s", out)
		}
	}
	if b.work < 0 || b.work > sampleMaxWork {
		t.Errorf("work left %d of %d", b.work, sampleMaxWork)
	}
	if b.work != 0 {
		t.Errorf("100 self-referring padded schemas left %d bytes of the work budget: the test no longer reaches it", b.work)
	}
}

// TestSampleStopsWhenTheClientLeaves: a done context stops sampling
// before it decodes anything.
func TestSampleStopsWhenTheClientLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := newReplyBudget(ctx)
	if out := sampleInputWithin(refFanSchema(1<<10), b); string(out) != "{}" {
		t.Errorf("sample with the client gone: %.200s", out)
	}
	if b.work != sampleMaxWork {
		t.Errorf("%d bytes decoded after the client left", sampleMaxWork-b.work)
	}
	req := ampRequest(t, 3)
	rep := makeReply(answerContext{model: "amazon.nova-micro-v1:0", ctx: ctx}, req, [32]byte{})
	for _, bl := range rep.blocks {
		if bl.tool != nil && string(bl.tool.Input) != "{}" {
			t.Errorf("tool input sampled after the client left: %d bytes", len(bl.tool.Input))
		}
	}
}

// ampRequest names n tools whose schema requires three arrays of 64
// strings of 4096 characters: 786 KB of input per call from a request
// of a few hundred bytes.
func ampRequest(t *testing.T, n int) *converse.Request {
	t.Helper()
	schema := `{"type":"object","required":["a","b","c"],"properties":{` +
		`"a":{"type":"array","minItems":64,"items":{"type":"string","minLength":4096}},` +
		`"b":{"type":"array","minItems":64,"items":{"type":"string","minLength":4096}},` +
		`"c":{"type":"array","minItems":64,"items":{"type":"string","minLength":4096}}}}`
	var tools []string
	var names []string
	for i := range n {
		name := "t" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("0", i/26)
		names = append(names, name)
		tools = append(tools, `{"toolSpec":{"name":"`+name+`","inputSchema":{"json":`+schema+`}}}`)
	}
	body := `{"messages":[{"role":"user","content":[{"text":"please call ` + strings.Join(names, " ") + `"}]}],"toolConfig":{"tools":[` + strings.Join(tools, ",") + `]}}`
	var req converse.Request
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatal(err)
	}
	return &req
}

// TestReplySizeIsBounded: sampled tool inputs and the calls' names and
// ids total at most replyMaxBytes per answer, however many tools the
// turn names (before: 786 KB per tool, the tool count uncapped, so a
// 484-byte request became a 22.9 MB stream); each input is still JSON.
func TestReplySizeIsBounded(t *testing.T) {
	for _, n := range []int{3, 40} {
		rep := makeReply(answerContext{model: "amazon.nova-micro-v1:0", ctx: context.Background()}, ampRequest(t, n), [32]byte{})
		total, calls := 0, 0
		for _, bl := range rep.blocks {
			if bl.tool != nil {
				calls++
				total += len(bl.tool.Input) + 2*len(bl.tool.Name) + len(bl.tool.ToolUseID)
				if !stdjson.Valid(bl.tool.Input) {
					t.Errorf("input %.100s", bl.tool.Input)
				}
			}
		}
		if calls == 0 || total > replyMaxBytes {
			t.Errorf("%d tools named: %d calls, %d bytes, want at most %d", n, calls, total, replyMaxBytes)
		}
	}
}

// failingWriter fails every write, as a connection the client left.
type failingWriter struct {
	h      http.Header
	writes int
}

func (f *failingWriter) Header() http.Header { return f.h }
func (f *failingWriter) WriteHeader(int)     {}
func (f *failingWriter) Write([]byte) (int, error) {
	f.writes++
	return 0, errors.New("broken pipe")
}

// TestStreamStopsBuildingFramesOnceAWriteFails: a stream whose first
// write fails builds no further event (before, it marshalled every
// frame of the answer, in 2 to 12 byte tool-input pieces, for nobody).
func TestStreamStopsBuildingFramesOnceAWriteFails(t *testing.T) {
	s, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := makeReply(answerContext{model: "anthropic.claude-haiku-4-5-20251001-v1:0", ctx: context.Background()}, ampRequest(t, 1), [32]byte{})
	fw := &failingWriter{h: http.Header{}}
	if built := s.writeStream(fw, rep, streamFault{}); built != 1 || fw.writes != 1 {
		t.Errorf("ConverseStream: %d events built, %d writes after the first write failed", built, fw.writes)
	}
	fw = &failingWriter{h: http.Header{}}
	if built := s.writeMessagesStream(fw, "anthropic.claude-haiku-4-5-20251001-v1:0", rep, streamFault{}); built != 1 || fw.writes != 1 {
		t.Errorf("InvokeModelWithResponseStream: %d events built, %d writes after the first write failed", built, fw.writes)
	}
}
