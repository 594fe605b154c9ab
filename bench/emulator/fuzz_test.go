package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// FuzzInvoke sends arbitrary model ids and bodies, signed so that they get
// past authentication, to Converse and ConverseStream. The property: the
// server never panics, and every answer is either a success or an error in
// the restJson1 shape with a status that says client error.
func FuzzInvoke(f *testing.F) {
	f.Add("amazon.nova-micro-v1:0", []byte(hiBody), false)
	f.Add("us.anthropic.claude-3-5-haiku-20241022-v1:0", []byte(`{"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"a","name":"f","input":[1]}}]}],"toolConfig":{"tools":[],"toolChoice":{"tool":{"name":"x"}}}}`), true)
	f.Add("global.anthropic.claude-opus-4-6-v1", []byte(`{"messages":[{"role":"user","content":[{"image":{"format":"jpg","source":{"bytes":"AA=="}}},{"document":{"name":"a b","source":{}}}]}],"inferenceConfig":{"maxTokens":0,"temperature":7}}`), false)
	files, _ := filepath.Glob(filepath.Join("testdata", "realwire", "*.json"))
	for _, p := range files {
		data, _ := os.ReadFile(p)
		var e exchange
		if json.Unmarshal(data, &e) == nil && len(e.Request.Body) > 0 {
			f.Add("us.amazon.nova-lite-v1:0", []byte(e.Request.Body), strings.Contains(e.Request.URL, "stream"))
		}
	}
	fuzzEndpoint(f, "converse")
}

// FuzzInvokeModel is FuzzInvoke for InvokeModel and
// InvokeModelWithResponseStream with Anthropic Messages bodies.
func FuzzInvokeModel(f *testing.F) {
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1:0", []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`), false)
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1:0", []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},"tools":[{"name":"f","input_schema":{"type":"object","properties":{"a":{"type":"array","items":{"enum":[1]}}}}}],"messages":[{"role":"user","content":[{"type":"text","text":"call f"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"1"}]}]}`), true)
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1:0", []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"document","source":{"type":"content","content":[{"type":"text","text":"a"}]},"citations":{"enabled":true}}]},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"document","source":{"type":"text","data":"b"}},{"type":"image","source":{"type":"url","url":"u"}}]}]}]}`), false)
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1:0", []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"},"x":1}],"tools":[{"type":"custom","name":"f","input_schema":{"type":"object"},"y":2}],"messages":[{"role":"user","content":[{"type":"text","text":"a","z":3}],"w":4},{"role":"assistant","content":null}]}`), false)
	// The request's other objects and the tagged unions whose members are
	// checked: tool_choice, thinking, metadata, output_config, media
	// sources and server tools, with a member none declares.
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1:0", []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"tools":[{"name":"f","input_schema":{"type":"object"}},{"type":"bash_20250124","name":"bash","x":1},{"type":"web_search_20250305","name":"web_search","max_uses":1}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true,"y":2},"thinking":{"type":"adaptive","display":"omitted","effort":"high"},"metadata":{"user_id":"u","z":3},"output_config":{"effort":"low","format":{"type":"json_schema","schema":{"type":"object"},"name":"n"},"task_budget":{"type":"tokens","total":1}},"messages":[{"role":"user","content":"hi"}]}`), false)
	f.Add("us.anthropic.claude-haiku-4-5-20251001-v1:0", []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"tool_choice":{"type":7},"thinking":{"type":"disabled","display":null},"metadata":[],"output_config":{"format":{"type":"xml","w":1}},"tools":[{"type":"mcp_toolset","mcp_server_name":"m"},{"type":"computer_20251124","name":"computer","display_width_px":1,"display_height_px":1,"v":0}],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"u","detail":"high"}},{"type":"document","source":{"type":"text","media_type":"text/plain","data":"d","title":"t"}},{"type":"document","source":{"type":"file","file_id":"f"}},{"type":"text","text":"hi"}]}]}`), true)
	f.Add("amazon.nova-micro-v1:0", []byte(`[]`), false)
	fuzzEndpoint(f, "invoke")
}

// fuzzEndpoint fuzzes one operation pair: op and its streaming twin.
func fuzzEndpoint(f *testing.F, op string) {
	var log bytes.Buffer
	s, err := New(&Options{Log: &log})
	if err != nil {
		f.Fatal(err)
	}
	signer := v4.NewSigner()
	f.Fuzz(func(t *testing.T, model string, body []byte, stream bool) {
		path := op
		if stream {
			path = map[string]string{"converse": "converse-stream", "invoke": "invoke-with-response-stream"}[op]
		}
		req := httptest.NewRequest("POST", "http://emulator.test/model/"+url.PathEscape(model)+"/"+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(body)
		if err := signer.SignHTTP(context.Background(), defaultCreds, req, hex.EncodeToString(sum[:]), "bedrock", "us-east-1", time.Now()); err != nil {
			t.Skip()
		}
		log.Reset()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if strings.Contains(log.String(), "panic") {
			t.Fatalf("the server panicked: %s", log.String())
		}
		switch {
		case rec.Code == 200:
		case rec.Code >= 400 && rec.Code < 500:
			if rec.Header().Get("X-Amzn-Errortype") == "" || !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("error %d without the restJson1 shape: %q %s", rec.Code, rec.Header().Get("X-Amzn-Errortype"), rec.Body.String())
			}
		default:
			t.Fatalf("status %d for client input: %s", rec.Code, rec.Body.String())
		}
	})
}

// FuzzParseKeys feeds arbitrary keys files to the parser: it never
// panics, and every error names the file.
func FuzzParseKeys(f *testing.F) {
	f.Add([]byte(`{"credentials":[{"accessKeyId":"AKIA","secretAccessKey":"s","expires":"2030-01-01T00:00:00Z","principal":"arn:aws:iam::1:role/a","policies":["p.json"]}],"apiKeys":[{"key":"ABSKYTpi"}]}`))
	f.Add([]byte(`{"credentials":[{"accessKeyId":"\xff"}]}`))
	f.Add([]byte(`{"apiKeys":[{"key":"sk"}]}`))
	load := func(string) (*iam.Policy, error) { return allowAll(), nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := ParseKeys("keys.json", data, load)
		if err != nil && !strings.HasPrefix(err.Error(), "keys.json:") {
			t.Fatalf("error without the file name: %v", err)
		}
	})
}

// FuzzParseGuardrails feeds arbitrary guardrail files to the parser: it
// never panics, every error names the file, and what it accepts has an id.
func FuzzParseGuardrails(f *testing.F) {
	f.Add([]byte(`{"id":"gr","version":"1","deniedWords":["a"],"deniedTopics":[{"name":"t","examples":["b c"]}],"blockedInputMessaging":"no"}`))
	f.Add([]byte(`[{"id":"gr","deniedWords":["("]}]`))
	f.Add([]byte("{\"id\":\"\xff\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gs, err := ParseGuardrails("g.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "g.json:") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, g := range gs {
			if g.ID == "" || g.Version == "" {
				t.Fatalf("accepted a guardrail without id or version: %+v", g)
			}
		}
	})
}
