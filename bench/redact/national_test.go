package redact_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestNationalFormsOfPersonalData: phone numbers in common national
// forms (French in pairs, North American with spaces, ten bare digits
// after a word that says it is a phone number), an e-mail address with
// letters beyond ASCII, and an SSN with spaces after a word that says it
// is one. Before, each was written as it came (of the address, all but
// its last ASCII letters).
func TestNationalFormsOfPersonalData(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range []struct {
		text, value string
		kind        redact.Kind
	}{
		{"Appelez-moi au 06 12 34 56 78 demain.", "06 12 34 56 78", redact.Phone},
		{"Standard : 01.42.68.53.00", "01.42.68.53.00", redact.Phone},
		{"Jenny's number is 555 867 5309, call her.", "555 867 5309", redact.Phone},
		{"phone: 4155550123", "4155550123", redact.Phone},
		{"Mobile 07700900123 (UK)", "07700900123", redact.Phone},
		{"Schreiben Sie an jürgen.müller@müller-bau.de bitte.", "jürgen.müller@müller-bau.de", redact.Email},
		{"contact: élodie@exemple.fr", "élodie@exemple.fr", redact.Email},
		{"SSN 123 45 6789 on file", "123 45 6789", redact.USSSN},
		{"social security number: 123 45 6789", "123 45 6789", redact.USSSN},
	} {
		out, counts := r.Text(c.text)
		if counts[c.kind] != 1 || strings.Contains(out, c.value) || strings.Contains(out, c.value[len(c.value)-4:]) {
			t.Errorf("%q redacts to %q (%v), want one %s", c.text, out, counts, c.kind)
		}
	}
	out, _, err := r.Body([]byte(`{"phone":"4155550123","mobile":"0612345678"}`), redact.BodyOptions{})
	if err != nil || strings.Contains(string(out), "4155550123") || strings.Contains(string(out), "0612345678") {
		t.Errorf("phone members redact to %s (%v)", out, err)
	}
	// Numbers of the same shapes that are none: a date, a time, a
	// version, an order number, an epoch time, thousands with spaces, an
	// SSN-shaped number without its word, CJK text before an address.
	for _, text := range []string{
		"on 2026 11 20 12 30", "order 4155550123 shipped", "at 1716239022 seconds", "total 1 234 567 890 items",
		"table: 100 25 2000", "ids 123 45 6789", "v1.12.34.56.78", "ratio 06 12 34 56", "le 12 34 56 78 90",
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%q redacts to %q (%v)", text, out, counts)
		}
	}
	if out, _ := r.Text("連絡先はjo@acme.ioです"); !strings.HasPrefix(out, "連絡先はuser-") {
		t.Errorf("the text before an address went with it: %q", out)
	}
}
