package redact_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

func newRedactor(t testing.TB, opts redact.Options) *redact.Redactor {
	t.Helper()
	s, err := redact.NewScanner(opts)
	if err != nil {
		t.Fatal(err)
	}
	return redact.NewRedactor(s, []byte("test salt"))
}

// Every planted value is found with its kind, replaced, and the redacted
// text is clean for gitleaks' full default rule set.
func TestPlantedValuesAreFoundAndReplaced(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, p := range redacttest.New(seed).All() {
			found := r.Scanner().Scan(p.Text)
			ok := false
			for _, f := range found {
				if f.Kind == p.Kind && f.Start <= strings.Index(p.Text, p.Value) && f.End >= strings.Index(p.Text, p.Value)+len(p.Value)-1 {
					ok = true
				}
				if f.Secret != f.Kind.IsSecret() {
					t.Errorf("%s: Secret=%v for kind %s", p.Kind, f.Secret, f.Kind)
				}
			}
			if !ok {
				t.Errorf("seed %d: %s not found in %q; findings %+v", seed, p.Kind, p.Text, found)
				continue
			}
			out, counts := r.Text(p.Text)
			if strings.Contains(out, p.Value) || counts[p.Kind] == 0 {
				t.Errorf("seed %d: %s survived redaction: %q (counts %v)", seed, p.Kind, out, counts)
			}
			if again := r.Scanner().Scan(out); p.Kind.IsSecret() && len(again) > 0 {
				t.Errorf("seed %d: the pseudonym of %s is found again: %q %+v", seed, p.Kind, out, again)
			}
			if fs := gl.DetectString(out); len(fs) > 0 {
				t.Errorf("seed %d: gitleaks finds %s in the redacted %q", seed, fs[0].RuleID, out)
			}
		}
	}
}

// gitleaks recognizes the planted credentials, so its silence on the
// redacted text means something.
func TestPlantedSecretsAreRealistic(t *testing.T) {
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, p := range redacttest.New(7).All() {
		if !p.Kind.IsSecret() || p.Kind == redact.BearerToken {
			continue
		}
		if fs := gl.DetectString(p.Text); len(fs) == 0 {
			t.Errorf("gitleaks does not recognize the planted %s in %q", p.Kind, p.Text)
		}
		seen++
	}
	if seen < 10 {
		t.Fatalf("only %d secret plants", seen)
	}
}

func TestPseudonymsAreDeterministicAndShaped(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	other := redact.NewRedactor(r.Scanner(), []byte("another salt"))
	text := "Mail ann.lee@acme.co.uk or call +1 415 555 0123; card 4111 1111 1111 1111; IBAN GB82 WEST 1234 5698 7654 32; ssn 123-45-6789; from 81.2.69.160."
	a, ca := r.Text(text)
	b, _ := r.Text(text)
	c, _ := other.Text(text)
	if a != b {
		t.Fatalf("not deterministic:\n%s\n%s", a, b)
	}
	if a == c {
		t.Fatalf("the salt does not change the pseudonyms")
	}
	for _, k := range []redact.Kind{redact.Email, redact.Phone, redact.CardNumber, redact.IBAN, redact.USSSN, redact.IPAddress} {
		if ca[k] != 1 {
			t.Errorf("%s: count %d, want 1 (counts %v, text %q)", k, ca[k], ca, a)
		}
	}
	// The same value maps to the same pseudonym within a text and across texts.
	x, _ := r.Text("ann.lee@acme.co.uk wrote to ann.lee@acme.co.uk")
	parts := strings.Fields(x)
	if parts[0] != parts[3] || !strings.HasSuffix(parts[0], "@example.com") {
		t.Errorf("inconsistent e-mail pseudonyms: %q", x)
	}
	// A percent-encoded address (a URL's query) keeps its encoding, and
	// its pseudonym is not found again.
	y, cy := r.Text("https://app.acme.io/reset?user=ann.lee%40acme.co.uk&step=2")
	if cy[redact.Email] != 1 || strings.Contains(y, "ann.lee") || !strings.HasPrefix(y, "https://app.acme.io/reset?user=user-") || !strings.HasSuffix(y, "%40example.com&step=2") {
		t.Errorf("percent-encoded e-mail: %q (counts %v)", y, cy)
	}
	if again := r.Scanner().Scan(y); len(again) > 0 {
		t.Errorf("the percent-encoded pseudonym is found again: %q %+v", y, again)
	}
	// Shapes survive and pseudonyms are not themselves valid.
	// Phone pseudonyms are phone-shaped by design; nothing else is found again.
	for _, f := range r.Scanner().Scan(a) {
		if f.Kind != redact.Phone {
			t.Errorf("pseudonym %q looks real again: %+v", a[f.Start:f.End], f)
		}
	}
	if !strings.Contains(a, "GB00 ") {
		t.Errorf("IBAN pseudonym should keep the country and carry check digits 00: %q", a)
	}
	if !strings.Contains(a, "card 4") || !strings.Contains(a, "ssn 9") {
		t.Errorf("card or SSN pseudonym lost its shape: %q", a)
	}
}

func TestChecksumsAndFalsePositives(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	clean := []string{
		"card 4111 1111 1111 1112 fails Luhn",
		"IBAN GB82 WEST 1234 5698 7654 33 fails the checksum",
		"version 1.2.3.4 of the library",
		"released 2026-11-20 12:30:45 UTC",
		"the ticket 1234-5678 is closed",
		"order 000-12-3456 and 666-12-3456 and 912-12-3456 are not SSNs",
		"write to support@example.com",
		"https://app.acme.io/reset?user=support%40example.com and 100%40 proof",
		"the bearer of bad news",
		"see docs at 192.0.2.10 and 2001:db8::1 and 127.0.0.1",
		"use AKIAIOSFODNN7EXAMPLE? no, it is lowercase akiaiosfodnn7example",
		"a token: the word token appears here",
		"arn:aws:iam::123456789012:role/doc-example",
		"let x = a::b::c; call foo:bar:baz",
		"pi is 3.14159265358979",
		// Version 4 UUIDs whose leading groups are digits that pass the
		// Luhn check, as random request ids sometimes are (91 in
		// 2,000,000): an id, not a card number.
		"x-amzn-requestid: 41209246-0267-4655-b280-48d12a90fb98",
		`{"requestId":"65549189-2529-4522-A790-AC1D73511663"}`,
	}
	for _, s := range clean {
		found := r.Scanner().Scan(s)
		for _, f := range found {
			if f.Kind == redact.AWSAccessKeyID && strings.Contains(s, "EXAMPLE") {
				continue // the documented example key is still key-shaped; redacting it is harmless
			}
			t.Errorf("false positive %s %q in %q", f.Kind, s[f.Start:f.End], s)
		}
	}
}

func TestUserPatternsAndTerms(t *testing.T) {
	if _, err := redact.NewScanner(redact.Options{Patterns: []string{"("}}); err == nil || !strings.Contains(err.Error(), "pattern 1") {
		t.Fatalf("a bad pattern should be named: %v", err)
	}
	terms := filepath.Join(t.TempDir(), "terms.txt")
	if err := os.WriteFile(terms, []byte("# people\nAnn Lee\n\nProject Falcon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := redact.LoadTerms(terms)
	if err != nil || len(list) != 2 {
		t.Fatalf("LoadTerms: %v %v", list, err)
	}
	r := newRedactor(t, redact.Options{Patterns: []string{`CUST-(\d{6})`}, Terms: list, Allow: []string{"ops@acme.com"}})
	out, counts := r.Text("ann lee of project falcon, customer CUST-123456, wrote to ops@acme.com")
	if counts[redact.Custom] != 3 || strings.Contains(strings.ToLower(out), "ann lee") || strings.Contains(out, "123456") || !strings.Contains(out, "CUST-") {
		t.Errorf("custom redaction: %q %v", out, counts)
	}
	if !strings.Contains(out, "ops@acme.com") {
		t.Errorf("an allowed value was replaced: %q", out)
	}
}

func TestJSON(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	in := []byte(`{"messages":[{"role":"user","content":[{"text":"mail jo@acme.io"}]}],"n":1.50,"ok":true}`)
	out, counts, err := r.JSON(in)
	if err != nil || counts[redact.Email] != 1 || strings.Contains(string(out), "jo@acme.io") || !strings.Contains(string(out), `"n":1.50`) {
		t.Fatalf("JSON: %s %v %v", out, counts, err)
	}
	same, counts, err := r.JSON([]byte(`{"a": "nothing here"}`))
	if err != nil || counts != nil || string(same) != `{"a": "nothing here"}` {
		t.Fatalf("unchanged document: %s %v %v", same, counts, err)
	}
	if _, _, err := r.JSON([]byte(`{"a":`)); err == nil {
		t.Fatal("truncated JSON accepted")
	}
}

func FuzzScan(f *testing.F) {
	for _, p := range redacttest.New(3).All() {
		f.Add(p.Text)
	}
	f.Add(`{"to":"jo\u0040acme.io","n":"\\u002b44 20 7946 0958"}`)
	f.Add(`AKIA\u200bQ7RSTUVWXYZ23456 &#64; %2B44%2020%207946%200958 \uFF4A\uD83D\uDE00`)
	s, err := redact.NewScanner(redact.Options{Terms: []string{"Ann"}})
	if err != nil {
		f.Fatal(err)
	}
	r := redact.NewRedactor(s, []byte("fuzz"))
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		for _, fd := range s.Scan(text) {
			if fd.Start < prev || fd.End <= fd.Start || fd.End > len(text) {
				t.Fatalf("bad finding %+v in %q", fd, text)
			}
			prev = fd.End
		}
		a, _ := r.Text(text)
		b, _ := r.Text(text)
		if a != b {
			t.Fatal("not deterministic")
		}
	})
}

// TestCardNumberBesideAUUID: a UUID is passed over as a card number, and
// a card number beside one, or written in its groups of four, is still
// found.
func TestCardNumberBesideAUUID(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for text, want := range map[string]string{
		"card 4111 1111 1111 1111, request 41209246-0267-4655-b280-48d12a90fb98": "4111 1111 1111 1111",
		"41209246-0267-4655-b280-48d12a90fb98 then 4120-9246-0267-4655":          "4120-9246-0267-4655",
		"41209246-0267-4655": "41209246-0267-4655",
	} {
		cards := foundOf(r, text, redact.CardNumber)
		if len(cards) != 1 || cards[0] != want {
			t.Errorf("%q: cards %q, want %q", text, cards, want)
		}
	}
}

// foundOf returns the values of kind the scanner finds in text.
func foundOf(r *redact.Redactor, text string, kind redact.Kind) []string {
	var got []string
	for _, f := range r.Scanner().Scan(text) {
		if f.Kind == kind {
			got = append(got, text[f.Start:f.End])
		}
	}
	return got
}

// checkAccountID checks that the scan finds the one account id want in
// text, or none where want is empty.
func checkAccountID(t *testing.T, r *redact.Redactor, text, want string) {
	t.Helper()
	got := foundOf(r, text, redact.AWSAccountID)
	if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0] != want) {
		t.Errorf("%q: account ids %q, want %q", text, got, want)
	}
}

// TestAccountIDInAnS3LogPath: AWS delivers logs to S3 under
// AWSLogs/<account>/, and a Bedrock record whose body went to S3 names
// that key (inputBodyS3Path): the account id in it is redacted like one
// in an ARN, the documentation accounts are left, and other numbers of
// the path are not account ids.
func TestAccountIDInAnS3LogPath(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for text, want := range map[string]string{
		"the body is in S3 (s3://acme-logs/AWSLogs/210987654321/BedrockModelInvocationLogs/us-east-1/2026/11/20/13/data/9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06_input.json.gz)": "210987654321",
		"s3://trail/AWSLogs/o-a1b2c3d4e5/345678901234/CloudTrail/":   "345678901234",
		"prefix AWSLogs/210987654321":                                "210987654321",
		"s3://docs/AWSLogs/123456789012/BedrockModelInvocationLogs/": "",
		"s3://acme-logs/AWSLogs/2109876543210/x":                     "",
		"s3://acme-logs/logs/210987654321/x":                         "",
	} {
		checkAccountID(t, r, text, want)
		if want == "" {
			continue
		}
		out, counts := r.Text(text)
		if strings.Contains(out, want) || counts[redact.AWSAccountID] != 1 || !strings.Contains(out, "AWSLogs/") {
			t.Errorf("%q redacts to %q (counts %v)", text, out, counts)
		}
	}
}

// TestMemberNamesTellWhatAValueIs: a body holds a credential or an
// account id apart from the name that says what it is
// ({"db_password": "..."}, {"awsAccountId": 210987654321}); each is
// redacted as it is in text after its name, as a string or a number,
// nested at any depth, and a value under any other name is left.
func TestMemberNamesTellWhatAValueIs(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	var secret, password, account string
	for _, p := range redacttest.New(5).All() {
		switch p.Kind {
		case redact.AWSSecretAccessKey:
			secret = p.Value
		case redact.GenericSecret:
			password = p.Value
		case redact.AWSAccountID:
			account = p.Value
		}
	}
	for _, c := range []struct {
		body, value string
		kind        redact.Kind
	}{
		{`{"input":{"db_password":"` + password + `"}}`, password, redact.GenericSecret},
		{`{"a":[{"userPassword":"` + password + `"}]}`, password, redact.GenericSecret},
		{`{"aws_secret_access_key":"` + secret + `"}`, secret, redact.AWSSecretAccessKey},
		{`{"Credentials":{"SecretAccessKey":"` + secret + `"}}`, secret, redact.AWSSecretAccessKey},
		{`{"accountId":"` + account + `"}`, account, redact.AWSAccountID},
		{`{"awsAccountId":"` + account + `"}`, account, redact.AWSAccountID},
		{`{"owner_account_id":` + account + `}`, account, redact.AWSAccountID},
		{`{"args":"{\"awsAccountId\":\"` + account + `\"}"}`, account, redact.AWSAccountID},
		// A list of values under the name, at the top of a body too.
		{`{"db_password":["` + password + `"]}`, password, redact.GenericSecret},
		{`{"x":{"db_password":["` + password + `"]}}`, password, redact.GenericSecret},
		{`{"note":"` + password + `"}`, password, ""},
		{`{"orderNumber":` + account + `}`, account, ""},
	} {
		out, counts, err := r.Body([]byte(c.body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c.kind == "" {
			if counts != nil {
				t.Errorf("%s: %s redacted (%v)", c.body, out, counts)
			}
			continue
		}
		if strings.Contains(string(out), c.value) || counts[c.kind] != 1 {
			t.Errorf("%s redacts to %s (counts %v), want one %s", c.body, out, counts, c.kind)
		}
	}
}

// TestValuesWrittenInAnotherForm: a value escaped in a JSON text held in
// a string (once or twice), percent-encoded, written with character
// references, with an invisible character inside it or in fullwidth
// letters is found on the bytes that write it, and gets the pseudonym of
// its plain form; the result holds none of it.
func TestValuesWrittenInAnotherForm(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	var akid, email, phone, card string
	for _, p := range redacttest.New(7).All() {
		switch {
		case p.Kind == redact.AWSAccessKeyID:
			akid = p.Value
		case p.Kind == redact.Email && email == "" && strings.Contains(p.Value, "@"):
			email = p.Value
		case p.Kind == redact.Phone && phone == "":
			phone = p.Value
		case p.Kind == redact.CardNumber:
			card = p.Value
		}
	}
	local, domain, _ := strings.Cut(email, "@")
	fullwidth := func(s string) string {
		var b strings.Builder
		for _, c := range s {
			b.WriteRune(c - '!' + 0xFF01)
		}
		return b.String()
	}
	for _, c := range []struct {
		text, value string
		kind        redact.Kind
	}{
		{`{"to":"` + local + `\u0040` + domain + `"}`, email, redact.Email},
		{`{\"to\":\"` + local + `\\u0040` + domain + `\"}`, email, redact.Email},
		{"mail " + local + "\u200b@" + domain + " today", email, redact.Email},
		{"mail " + local + "@" + domain[:2] + "\u00ad" + domain[2:], email, redact.Email},
		{"mail " + fullwidth(email), email, redact.Email},
		{"mail " + local + "&#64;" + domain + " or " + local + "&#x40;" + domain, email, redact.Email},
		{"key " + akid[:4] + "\u200c" + akid[4:] + " used", akid, redact.AWSAccessKeyID},
		{"key " + akid[:10] + "\ufeff" + akid[10:], akid, redact.AWSAccessKeyID},
		{"https://crm.acme.io/call?to=" + strings.NewReplacer("+", "%2B", " ", "%20").Replace(phone) + "&x=1", phone, redact.Phone},
		{"card " + strings.ReplaceAll(card, " ", "\u2060"), card, redact.CardNumber},
	} {
		found := r.Scanner().Scan(c.text)
		var got []string
		for _, f := range found {
			if f.Kind == c.kind {
				got = append(got, f.ValueIn(c.text))
			}
		}
		want := strings.ReplaceAll(c.value, " ", "")
		if len(got) == 0 || strings.ReplaceAll(got[0], " ", "") != want {
			t.Errorf("%q: %s found %q, want %q", c.text, c.kind, got, c.value)
			continue
		}
		out, counts := r.Text(c.text)
		plain, _ := r.Text(c.value)
		if counts[c.kind] == 0 || strings.Contains(out, local) || strings.Contains(out, akid[4:12]) || strings.Contains(out, card[5:9]) {
			t.Errorf("%q redacts to %q (%v)", c.text, out, counts)
		}
		if c.kind != redact.Phone && c.kind != redact.CardNumber && !strings.Contains(out, plain) {
			t.Errorf("%q redacts to %q, without the pseudonym of the plain value, %q", c.text, out, plain)
		}
	}
	// A text with none of these forms is left as the scan of the text
	// alone leaves it.
	for _, text := range []string{`C:\\Users\\jo\\notes.txt`, "50% of 200", "&amp; &#; &#xZZ;", "café — “quoted” ’"} {
		if out, counts := r.Text(text); out != text || counts != nil {
			t.Errorf("%q redacts to %q (%v)", text, out, counts)
		}
	}
}

// TestAccountIDInABucketName: an S3 bucket named after its account (as
// SageMaker, CDK and CloudTrail name theirs), in an s3:// URI or an S3
// ARN, and the account id under a bucketOwner member, are redacted;
// other digits of a bucket name or a key are not account ids.
func TestAccountIDInABucketName(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for text, want := range map[string]string{
		"s3://sagemaker-us-east-1-210987654321/jobs/out.json":            "210987654321",
		"see s3://cdk-hnb659fds-assets-345678901234-us-east-1/asset.zip": "345678901234",
		"arn:aws:s3:::aws-cloudtrail-logs-456789012345-3f1a/AWSLogs/":    "456789012345",
		"s3://acme-docs/invoices/210987654321.pdf":                       "",
		"s3://acme-2109876543210/x":                                      "",
		"s3://docs-123456789012/x":                                       "",
	} {
		checkAccountID(t, r, text, want)
	}
	body := `{"document":{"format":"pdf","name":"statement","source":{"s3Location":{"uri":"s3://sagemaker-us-east-1-210987654321/statement.pdf","bucketOwner":"210987654321"}}}}`
	out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
	if err != nil || strings.Contains(string(out), "210987654321") || counts[redact.AWSAccountID] != 2 {
		t.Errorf("%s redacts to %s (%v, %v)", body, out, counts, err)
	}
}
