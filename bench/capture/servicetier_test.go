package capture

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// TestInvokeModelServiceTier: InvokeModel names its service tier in the
// X-Amzn-Bedrock-Service-Tier header (Bedrock API reference, InvokeModel;
// the SDK's InvokeModelInput.ServiceTier), not in the body, so the
// capture keeps it in the fixture's source, and the history asks for it.
// The same body on another tier is another fixture. Both the SDK
// middleware and the proxy see the header.
func TestInvokeModelServiceTier(t *testing.T) {
	body := []byte(`{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"I am jo.bloggs@contoso-mail.com, is my order late?"}]}],"inferenceConfig":{"maxTokens":64}}`)
	invoke := func(c *bedrockruntime.Client) {
		for _, tier := range []types.ServiceTierType{"", types.ServiceTierTypeFlex} {
			// The answer does not matter: the request is captured either way.
			_, _ = c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(model), Body: body, ContentType: aws.String("application/json"), ServiceTier: tier})
		}
	}
	check := func(t *testing.T, rec *Recorder, dir string) {
		t.Helper()
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		tiers := map[string]bool{}
		for _, h := range fixtures(t, dir, 2) {
			tier := ""
			if h.ServiceTier != nil {
				tier = h.ServiceTier.Type
			}
			tiers[tier] = true
			if h.Source.ServiceTier != tier {
				t.Errorf("%s: source tier %q, history tier %q", h.ID, h.Source.ServiceTier, tier)
			}
		}
		if !tiers[""] || !tiers["flex"] {
			t.Errorf("tiers %v: want one fixture without a tier and one on flex", tiers)
		}
	}
	t.Run("middleware", func(t *testing.T) {
		hs := startEmulator(t)
		rec, dir := newRecorder(t, 16)
		invoke(client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec)))
		check(t, rec, dir)
	})
	t.Run("proxy", func(t *testing.T) {
		hs := startEmulator(t)
		rec, dir := newRecorder(t, 16)
		ps := startProxy(t, hs, rec)
		invoke(client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret-the-emulator-refuses"))
		check(t, rec, dir)
	})
}
