package redact_test

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestProviderKeysAndWebhooks: a Hugging Face token, a SendGrid key, a
// Slack, Teams or Discord webhook's URL, an Azure storage account key in
// a connection string and a shared access signature, each drawn at run
// time, are redacted in a chat message, under a member that is no
// credential's name, and in a tool call's arguments; the webhook keeps
// its host. Before, all of them were written as they came.
func TestProviderKeysAndWebhooks(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(30, 5))
	str := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	const alnum = letters + "0123456789"
	hf := "hf_" + str(letters, 34)
	sendgrid := "SG." + str(alnum+"_-", 22) + "." + str(alnum+"_-", 43)
	slack := "T" + str("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8) + "/B" + str("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10) + "/" + str(alnum, 24)
	accountKey := base64.StdEncoding.EncodeToString([]byte(str(alnum, 64)))
	sig := strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(base64.StdEncoding.EncodeToString([]byte(str(alnum, 32))))
	teams := str("abcdef0123456789", 8) + "-" + str("abcdef0123456789", 4) + "@" + str("abcdef0123456789", 8) + "/IncomingWebhook/" + str("abcdef0123456789", 32)
	discord := "1" + str("0123456789", 17) + "/" + str(alnum+"_-", 68)
	for _, c := range []struct{ text, value, keep string }{
		{"HF_TOKEN is " + hf + " for the gated model", hf, ""},
		{"sendgrid: " + sendgrid, sendgrid, ""},
		{"post to https://hooks.slack.com/services/" + slack + " when done", slack, "https://hooks.slack.com/services/"},
		{"DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=" + accountKey + ";EndpointSuffix=core.windows.net", accountKey, "AccountName=acmelogs;AccountKey="},
		{"https://acmelogs.blob.core.windows.net/c/a.json?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&sig=" + sig, sig, "&sig="},
		{"https://acme.webhook.office.com/webhookb2/" + teams, teams, ".webhook.office.com/webhookb2/"},
		{"https://discord.com/api/webhooks/" + discord, discord, "discord.com/api/webhooks/"},
	} {
		out, counts := r.Text(c.text)
		if strings.Contains(out, c.value) || counts.Secrets() == 0 || !strings.Contains(out, c.keep) {
			t.Errorf("%q redacts to %q (%v)", c.text, out, counts)
		}
		args, _ := json.Marshal(map[string]string{"note": "see\n" + c.text})
		for _, body := range []string{
			`{"config":{"notes":"` + escapeJSON(c.text) + `"}}`,
			`{"tool_calls":[{"function":{"name":"notify","arguments":"` + escapeJSON(string(args)) + `"}}]}`,
		} {
			out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), c.value) || counts.Secrets() == 0 {
				t.Errorf("%s redacts to %s (%v)", body, out, counts)
			}
			for _, f := range gl.DetectString(string(out)) {
				t.Errorf("gitleaks finds %s %q in %s", f.RuleID, f.Match, out)
			}
		}
	}
	// Words and paths that share a prefix are left.
	for _, text := range []string{
		"the hf_ prefix marks Hugging Face tokens", "SG. Pepper, in the record shop", "see hooks.slack.com/services/ for the docs",
		"AccountKey=<your key>", "api-docs/v1.0-beta", "dapi is not a word", "the SKU list", "shpat_ tokens",
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%q redacts to %q (%v)", text, out, counts)
		}
	}
}

// TestBase64IsNoProviderToken: a document's bytes written as base64 hold
// the prefixes of tokens made of base64's letters ("cmVmd" is how "ref"
// begins, so "refund …" encodes to "cmVmdW5k…"; binary data holds
// "EAAA" and "AKCp" by chance), and the rule took a token-length piece out
// of them, changing the document (19 documents of the generated import
// corpus). gitleaks' rules for these formats end on a word boundary or a
// delimiter; inside a run of base64 no match is a token. The same tokens
// standing alone are redacted.
func TestBase64IsNoProviderToken(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	rng := rand.New(rand.NewPCG(7, 11))
	str := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	doc := base64.StdEncoding.EncodeToString([]byte("refund summary would thanks deploy yesterday address clause update"))
	if !strings.HasPrefix(doc, "cmVmd") {
		t.Fatalf("the document's base64 %q does not open with the prefix", doc)
	}
	for _, text := range []string{
		doc,
		`{"bytes":"` + doc + `"}`,
		"iVBORw0KGgo/EAAA" + str(alnum, 40) + "+AAAA",
		"JVBERi0xLjQK+AKCp" + str(alnum, 69) + "/x",
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%q redacts to %q (%v)", text, out, counts)
		}
	}
	for _, token := range []string{"cmVmd" + str(alnum, 59), "AKCp" + str(alnum, 69), "EAAA" + str(alnum, 40)} {
		for _, text := range []string{"token: " + token, `{"k":"` + token + `"}`, "use " + token + ", then"} {
			if out, _ := r.Text(text); strings.Contains(out, token) {
				t.Errorf("%q redacts to %q", text, out)
			}
		}
	}
}
