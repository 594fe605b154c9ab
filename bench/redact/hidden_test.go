package redact

import (
	"strings"
	"testing"
)

// viewSeeds are texts with escapes before values and before words, as a
// JSON text held in a string holds them.
func viewSeeds() []string {
	befores := []string{"", "x", "Access key ID", "Bearer ", "password=", "the "}
	escapes := []string{`\n`, `\t`, `\r\n`, `\\n`, `\u00e9`, `\b`, `\f`, `\"`, `\/`, `\u0040`}
	values := []string{"AKIAQ3EGYW7PLXN2RTKZ", "4111 1111 1111 1111", "jo@acme.io", "jo%40acme.io", "81.2.69.160",
		"DE89370400440532013000", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
		"123-45-6789", "2a02:c7f:1234::1", "arn:aws:iam::210987654321:role/x", "ghp_0123456789abcdefghijABCDEFGHIJ012345",
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKZ", "hF8kR2pQ9wXzL5mN7vB3cD1eG4jK6tY8uI0oP2aS", "Xk9pQ2mZ7wLr4tY8uI0oP2aSdF",
		"+44 20 7946 0958", "(415) 555-0132", "The quick brown fox", "hello world", "Falcon", "- item"}
	var out []string
	for _, b := range befores {
		for _, e := range escapes {
			for _, v := range values {
				out = append(out, `{"content": "`+b+e+v+e+`"}`)
			}
		}
	}
	return out
}

// TestViewIsSkippedOnlyWhereItFindsNothing: the view of a text is not
// read where an escape stands only before what no built-in rule's value
// starts with (an escaped line break before a word), and there it would
// have found nothing the text does not hold; where an escape stands
// before a value, it is read.
func TestViewIsSkippedOnlyWhereItFindsNothing(t *testing.T) {
	s, err := NewScanner(Options{})
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, text := range viewSeeds() {
		if checkViewSkip(t, s, text) {
			read++
		}
	}
	if read == 0 || read == len(viewSeeds()) {
		t.Errorf("the view is read for %d texts of %d", read, len(viewSeeds()))
	}
	for _, text := range []string{`{"content": "line one\nThe next line\n- item\n\tindented"}`, `C:\\Users\\jo\\notes.txt`} {
		if viewFinds(text) {
			t.Errorf("the view of %q is read", text)
		}
	}
	for _, text := range []string{`x\nAKIAQ3EGYW7PLXN2RTKZ`, `x\njo@acme.io`, `Bearer\n` + strings.Repeat("a1", 10)} {
		if !viewFinds(text) {
			t.Errorf("the view of %q is not read", text)
		}
	}
}

// checkViewSkip fails t if viewFinds says the view of text finds nothing
// new but it does; it reports whether the view is read.
func checkViewSkip(t testing.TB, s *Scanner, text string) bool {
	if viewFinds(text) {
		return true
	}
	raw := s.scan(text, false)
	if got := s.addView(text, raw); len(got) != len(raw) {
		t.Fatalf("%q: the view, not read, finds %+v", text, got[len(raw):])
	}
	return false
}

func FuzzViewFinds(f *testing.F) {
	for _, text := range viewSeeds()[:200] {
		f.Add(text)
	}
	s, err := NewScanner(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkViewSkip(t, s, text)
	})
}
