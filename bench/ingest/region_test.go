package ingest

import (
	"strconv"
	"strings"
	"testing"
)

// TestHARRegionOfEveryBedrockEndpoint: a HAR entry to Bedrock names its
// Region in the host, whichever endpoint took the call (the Region's,
// FIPS, China, bedrock-mantle, and interface VPC endpoints' Regional and
// zonal DNS names, docs.aws.amazon.com/bedrock/latest/userguide/
// vpc-interface-endpoints.html); before, a VPC endpoint gave no Region.
// A host that only looks like one gives none.
func TestHARRegionOfEveryBedrockEndpoint(t *testing.T) {
	conv := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	chat := `{"model":"openai.gpt-oss-120b-1:0","messages":[{"role":"user","content":"hi"}]}`
	for _, tc := range []struct{ url, body, region string }{
		{"https://bedrock-runtime.us-west-2.amazonaws.com/model/amazon.nova-pro-v1:0/converse", conv, "us-west-2"},
		{"https://bedrock-runtime-fips.us-east-1.amazonaws.com/model/amazon.nova-pro-v1:0/converse", conv, "us-east-1"},
		{"https://vpce-0a1b2c3d4e5f67890-abcdefgh.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/amazon.nova-pro-v1:0/converse", conv, "us-east-1"},
		{"https://vpce-0a1b2c3d4e5f67890-abcdefgh-us-east-1a.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/amazon.nova-pro-v1:0/converse-stream", conv, "us-east-1"},
		{"https://VPCE-0A1B.Bedrock-Runtime.EU-West-3.vpce.amazonaws.com:443/model/amazon.nova-pro-v1:0/converse", conv, "eu-west-3"},
		{"https://bedrock-runtime.cn-north-1.amazonaws.com.cn/model/amazon.nova-pro-v1:0/converse", conv, "cn-north-1"},
		{"https://bedrock-runtime.us-gov-west-1.amazonaws.com/model/amazon.nova-pro-v1:0/converse", conv, "us-gov-west-1"},
		{"https://bedrock-mantle.ap-southeast-2.api.aws/v1/chat/completions", chat, "ap-southeast-2"},
		{"https://bedrock-runtime.us-east-2.amazonaws.com/openai/v1/chat/completions", chat, "us-east-2"},
		{"https://bedrock-runtime.us-east-1.amazonaws.com.evil.example/model/amazon.nova-pro-v1:0/converse", conv, ""},
		{"https://proxy.internal/bedrock-runtime.us-east-1.amazonaws.com/v1/chat/completions", chat, ""},
		{"https://api.openai.com/v1/chat/completions", chat, ""},
	} {
		har := `{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-11-20T10:00:00Z","request":{"method":"POST","url":` + strconv.Quote(tc.url) +
			`,"headers":[],"postData":{"mimeType":"application/json","text":` + strconv.Quote(tc.body) + `}},"response":{"status":200,"headers":[]}}]}}`
		c := readBytes(t, "s.har", []byte(har), Options{})
		if len(c.recs) != 1 || c.recs[0].Source.Region != tc.region {
			t.Errorf("%s: %d records %+v, want Region %q\n%s", tc.url, len(c.recs), c.recs, tc.region, skipText(c))
		}
	}
}

// TestLiteLLMRegion: a LiteLLM record keeps the Region its call went to:
// the Bedrock endpoint of its api_base (the spend log's column and the
// StandardLoggingPayload's member, BerriAI/litellm litellm/types/
// utils.py) or litellm_params.aws_region_name; before, it was dropped.
func TestLiteLLMRegion(t *testing.T) {
	body := `{"model":"bedrock-claude","messages":[{"role":"user","content":"hi"}]}`
	for _, tc := range []struct{ name, extra, region string }{
		{"spend log api_base", `"api_base":"https://bedrock-runtime.us-west-2.amazonaws.com"`, "us-west-2"},
		{"api_base with a path", `"api_base":"https://bedrock-runtime.eu-central-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1:0/converse"`, "eu-central-1"},
		{"api_base through a VPC endpoint", `"api_base":"https://vpce-0123456789abcdef0-abcd1234.bedrock-runtime.ap-northeast-1.vpce.amazonaws.com"`, "ap-northeast-1"},
		{"litellm_params.aws_region_name", `"litellm_params":{"aws_region_name":"us-east-2"}`, "us-east-2"},
		{"litellm_params.api_base", `"litellm_params":{"api_base":"https://bedrock-runtime-fips.us-east-1.amazonaws.com"}`, "us-east-1"},
		{"api_base wins over the configured Region", `"api_base":"https://bedrock-runtime.us-west-2.amazonaws.com","litellm_params":{"aws_region_name":"us-east-1"}`, "us-west-2"},
		{"another provider's api_base", `"api_base":"https://api.openai.com/v1"`, ""},
		{"no Region name", `"litellm_params":{"aws_region_name":"us east; drop"}`, ""},
	} {
		for _, shape := range []string{
			`{"request_id":"r1","call_type":"acompletion",` + tc.extra + `,"proxy_server_request":` + body + `}`,
			`{"id":"c1","trace_id":"t","call_type":"acompletion","model":"bedrock-claude",` + tc.extra + `,"messages":[{"role":"user","content":"hi"}],"model_parameters":{}}`,
		} {
			c := readBytes(t, "litellm.jsonl", []byte(shape+"\n"), Options{})
			if len(c.recs) != 1 || c.recs[0].Source.Region != tc.region {
				t.Errorf("%s (%s): %d records, Region %q, want %q\n%s", tc.name, shape[:20], len(c.recs), regionOf(c), tc.region, skipText(c))
			}
		}
	}
}

func regionOf(c *collected) string {
	var out []string
	for _, r := range c.recs {
		out = append(out, r.Source.Region)
	}
	return strings.Join(out, ",")
}
