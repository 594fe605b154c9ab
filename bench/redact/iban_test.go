package redact_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestLowerCaseIBANs: an IBAN typed in lower or mixed case, grouped or
// not, is found after a word that says it is one (ISO 13616: the check
// digits are computed on the upper-case form, so mod 97 checks it as
// the upper-case rule does): in text, under an "iban" member, in a JSON
// text held in a string. Before, only the upper-case form was found, and
// "de89 3704 0044 0532 0130 00" was written as it came.
func TestLowerCaseIBANs(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	const grouped, bare = "de89 3704 0044 0532 0130 00", "de89370400440532013000"
	const gb = "gb82 west 1234 5698 7654 32"
	for _, c := range []struct{ text, value string }{
		{"my iban is " + grouped + ", thanks", grouped},
		{"IBAN: " + bare, bare},
		{"Iban " + gb + ".", gb},
		{"IBAN no. De89370400440532013000", "De89370400440532013000"},
		{`{"iban":"` + grouped + `"}`, grouped},
		{`{\"customer_iban\":\"` + bare + `\"}`, bare},
		{`payout: {\\\"iban\\\": \\\"` + bare + `\\\"}`, bare},
	} {
		found := foundOf(r, c.text, redact.IBAN)
		if len(found) != 1 || found[0] != c.value {
			t.Errorf("%q: IBANs %q, want %q", c.text, found, c.value)
		}
		out, counts := r.Text(c.text)
		if strings.Contains(out, c.value) || counts[redact.IBAN] != 1 {
			t.Errorf("%q redacts to %q (%v)", c.text, out, counts)
		}
		if again := foundOf(r, out, redact.IBAN); len(again) != 0 {
			t.Errorf("the pseudonym in %q is an IBAN again", out)
		}
	}
	for _, c := range []struct{ body, value string }{
		{`{"customer":{"iban":"` + grouped + `"}}`, grouped},
		{`{"payment":{"IBAN":"` + bare + `"}}`, bare},
		{`{"arguments":"{\"iban\":\"` + bare + `\"}"}`, bare},
	} {
		out, counts, err := r.Body([]byte(c.body), redact.BodyOptions{})
		if err != nil || strings.Contains(string(out), c.value) || counts[redact.IBAN] != 1 {
			t.Errorf("%s redacts to %s (%v, %v)", c.body, out, counts, err)
		}
	}
	// A wrong check digit, lower-case words and digits with no IBAN
	// before them, and an IBAN's word before something else are left.
	for _, text := range []string{
		"iban de89 3704 0044 0532 0130 01",
		"de89 3704 0044 0532 0130 00 without the word",
		"the ab12 cd34 ef56 gh78 ij90 of the build",
		"iban validation: ok 12345678901234",
		"iban: see the ticket ab12345678901234",
	} {
		if found := foundOf(r, text, redact.IBAN); len(found) != 0 {
			t.Errorf("%q: IBANs %q", text, found)
		}
	}
}
