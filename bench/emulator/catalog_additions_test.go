package emulator

import (
	"net/url"
	"strings"
	"testing"
)

// TestCatalogAdditions: models the catalog gained answer as Bedrock does,
// not "The provided model identifier is invalid.". DeepSeek-V3.1 is served
// on demand in us-west-2 and takes tools on ConverseStream (its family,
// deepseek-v3; R1's refused them); Nova Premier, past its end of life on
// the catalog's date (2026-09-14, Bedrock's Model lifecycle page), is
// refused as end of life through its us. profile; Claude 3 Sonnet, retired
// on 2026-07-30, likewise.
func TestCatalogAdditions(t *testing.T) {
	_, hs := start(t, nil)
	tools := `{"messages":[{"role":"user","content":[{"text":"weather in Paris?"}]}],` +
		`"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"any":{}}}}`
	status, _, body := rawRequest(t, hs, "POST", "/model/"+url.PathEscape("deepseek.v3-v1:0")+"/converse-stream", "us-west-2", tools, defaultCreds)
	if status != 200 {
		t.Errorf("DeepSeek-V3.1 with tools on ConverseStream in us-west-2: %d %s; want 200", status, body)
	}
	hi := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	for _, tc := range []struct{ region, id string }{
		{"us-east-2", "us.amazon.nova-premier-v1:0"},
		{"us-east-1", "anthropic.claude-3-sonnet-20240229-v1:0"},
	} {
		status, h, body := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(tc.id)+"/converse", tc.region, hi, defaultCreds)
		if status != 404 || !strings.HasPrefix(h.Get("X-Amzn-Errortype"), "ResourceNotFoundException") || !strings.Contains(body, "end of its life") {
			t.Errorf("%s in %s: %d %s %s; want ResourceNotFoundException, end of life", tc.id, tc.region, status, h.Get("X-Amzn-Errortype"), body)
		}
	}
}
