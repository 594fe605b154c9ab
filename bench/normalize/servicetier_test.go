package normalize

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestServiceTierReachesTheWire: a Converse history whose application
// asked for a service tier (serviceTier, AWS API reference "ServiceTier")
// replays with it, for every family: decoded, kept by the normalizer with
// no note, written in the body and in the SDK input. Before, the decoder
// dropped it and the replay ran on the default tier.
func TestServiceTierReachesTheWire(t *testing.T) {
	for _, tier := range []string{converse.TierFlex, converse.TierPriority} {
		body := `{"description":"d","format":"converse","request":{
		  "messages":[{"role":"user","content":[{"text":"hi"}]}],
		  "serviceTier":{"type":"` + tier + `"}}}`
		h, err := history.Decode("histories/x.json", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range h.Notes {
			if strings.Contains(n.Detail, "serviceTier") {
				t.Errorf("%s: the decoder noted the tier: %s", tier, n.Detail)
			}
		}
		for _, name := range converse.FamilyNames() {
			fam, _ := converse.LookupFamily(name)
			for _, stream := range []bool{false, true} {
				req, rep, err := Normalize(h, Options{Family: fam, Stream: stream})
				if err != nil {
					t.Fatalf("%s %s: %v", tier, name, err)
				}
				if req.ServiceTier == nil || req.ServiceTier.Type != tier {
					t.Fatalf("%s %s: serviceTier = %+v", tier, name, req.ServiceTier)
				}
				for _, c := range rep.Changes {
					if strings.Contains(c.Detail, "serviceTier") {
						t.Errorf("%s %s: the report names the tier: %+v", tier, name, c)
					}
				}
				wire, err := req.AppendJSON(nil)
				if err != nil || !strings.HasSuffix(string(wire), `"serviceTier":{"type":"`+tier+`"}}`) {
					t.Errorf("%s %s: the body does not carry the tier: %s %v", tier, name, wire, err)
				}
				in, err := req.ToSDK("m")
				if err != nil || in.ServiceTier == nil || string(in.ServiceTier.Type) != tier {
					t.Errorf("%s %s: the SDK input does not carry the tier: %+v %v", tier, name, in.ServiceTier, err)
				}
			}
		}
	}
}

// TestServiceTierRefusedBeforeTheCall: a history with a tier the service
// model does not list fails the contract (V-67) as Bedrock refuses it,
// rather than reaching the wire.
func TestServiceTierRefusedBeforeTheCall(t *testing.T) {
	h, err := history.Decode("histories/x.json", []byte(`{"description":"d","format":"converse","request":{
	  "messages":[{"role":"user","content":[{"text":"hi"}]}],"serviceTier":{"type":"bogus"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	fam, _ := converse.LookupFamily(converse.DefaultFamily)
	_, _, err = Normalize(h, Options{Family: fam})
	if err == nil || !strings.Contains(err.Error(), "service tier provided is invalid") {
		t.Fatalf("err = %v, want V-67's refusal", err)
	}
}

// TestServiceTierFromOpenAIAndAnthropic: an OpenAI or Anthropic history's
// service_tier reaches the wire as serviceTier where Bedrock has the same
// tier (a team moving from OpenAI flex to Bedrock flex replays on flex),
// the report saying so; one Bedrock has no equal of is reported dropped,
// and the replay sends no tier.
func TestServiceTierFromOpenAIAndAnthropic(t *testing.T) {
	tests := []struct {
		format, body, want string
		code               Code
	}{
		{"openai", `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"service_tier":"flex"}`, "flex", FieldMapped},
		{"openai-responses", `{"model":"gpt-4o","input":"hi","service_tier":"priority"}`, "priority", FieldMapped},
		{"anthropic", `{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"service_tier":"standard_only"}`, "default", FieldMapped},
		{"openai", `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"service_tier":"scale"}`, "", FieldDropped},
	}
	fam, _ := converse.LookupFamily(converse.DefaultFamily)
	for _, tc := range tests {
		h, err := history.Decode("histories/x.json", []byte(`{"description":"d","format":"`+tc.format+`","request":`+tc.body+`}`))
		if err != nil {
			t.Fatal(err)
		}
		req, rep, err := Normalize(h, Options{Family: fam})
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		got := ""
		if req.ServiceTier != nil {
			got = req.ServiceTier.Type
		}
		if got != tc.want {
			t.Errorf("%s: serviceTier %q, want %q", tc.body, got, tc.want)
		}
		reported := false
		for _, c := range rep.Changes {
			if c.Code == tc.code && strings.HasPrefix(c.Detail, "request.service_tier") {
				reported = true
			}
		}
		if !reported {
			t.Errorf("%s: the report has no %s change for service_tier: %+v", tc.body, tc.code, rep.Changes)
		}
	}
}
