package redact

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDigitFeatures holds the digit counts scanFeatures takes in its one
// pass to their definitions, on random texts of digits, separators and
// letters: digits is the number of digits, digitRun the longest run of
// them, and digitRuns the starts of the runs.
func TestDigitFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789 -.()+/aZ@:\n"
	for i := range 20000 {
		b := make([]byte, rng.IntN(40))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		text := string(b)
		digits, longest, run := 0, 0, 0
		var starts []int
		for j := 0; j < len(text); j++ {
			if text[j] < '0' || text[j] > '9' {
				run = 0
				continue
			}
			if run == 0 {
				starts = append(starts, j)
			}
			digits++
			run++
			longest = max(longest, run)
		}
		f := scanFeatures(text)
		if f.digits != digits || f.digitRun != longest || !slices.Equal(digitRuns(text), starts) {
			t.Fatalf("text %d %q: features %d digits, run %d, starts %v; want %d, %d, %v", i, text, f.digits, f.digitRun, digitRuns(text), digits, longest, starts)
		}
		for n := 1; n <= 14; n++ {
			if digitRun(n)(&f) != (longest >= n) || digitCount(n)(&f) != (digits >= n) {
				t.Fatalf("text %q, n %d: the prefilters disagree with the counts", text, n)
			}
		}
	}
}

// emailRule is the built-in e-mail rule.
func emailRule(tb testing.TB) *rule {
	for _, r := range builtinRules() {
		if r.name == "email" {
			return r
		}
	}
	tb.Fatal("no e-mail rule")
	return nil
}

// windowedMatches are the matches of r's expression searched in spans of
// text, as Scan searches them, with offsets into text.
func windowedMatches(r *rule, text string, spans [][2]int) [][]int {
	var out [][]int
	for _, sp := range spans {
		for _, m := range r.re.FindAllStringSubmatchIndex(text[sp[0]:sp[1]], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += sp[0]
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// eachRandomText calls fn with n texts of up to maxPieces pieces each,
// drawn by rng.
func eachRandomText(rng *rand.Rand, n, maxPieces int, pieces []string, fn func(text string)) {
	for range n {
		var b strings.Builder
		for range rng.IntN(maxPieces) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		fn(b.String())
	}
}

// checkEmailWindows fails unless the e-mail expression finds the same
// matches in emailWindows' spans as in the whole text.
func checkEmailWindows(t *testing.T, r *rule, text string) {
	t.Helper()
	spans := emailWindows(text)
	for i, sp := range spans {
		if sp[0] < 0 || sp[1] > len(text) || sp[0] >= sp[1] || i > 0 && sp[0] <= spans[i-1][1] {
			t.Fatalf("%q: bad or unmerged windows %v", text, spans)
		}
	}
	whole := r.re.FindAllStringSubmatchIndex(text, -1)
	if got := windowedMatches(r, text, spans); !slices.EqualFunc(got, whole, slices.Equal) {
		t.Fatalf("%q: windows %v find %v; the whole text %v", text, spans, got, whole)
	}
}

// TestEmailWindowsFindWhatTheWholeTextFinds checks the e-mail rule's
// windows on random texts dense in its byte classes, with long local
// parts and domains (past the 64-byte local limit and the 96-byte
// widening of other windows), and on cases written out.
func TestEmailWindowsFindWhatTheWholeTextFinds(t *testing.T) {
	r := emailRule(t)
	for _, text := range []string{
		"", "@", "a@b", "a@b.cc", "mail ann.lee@example.com now", "x a@b.com.x@c.org y",
		strings.Repeat("a", 70) + "@b.com", strings.Repeat("a", 64) + "@b.com", "a@" + strings.Repeat("b", 300) + ".com",
		"a@" + strings.Repeat("b.", 200) + "com", "_%+@x.io", "@@a@@b.co", "a@b.co@c.de", "ann@@b.com",
	} {
		checkEmailWindows(t, r, text)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "Z", "9", ".", "-", "_", "%", "+", "@", " ", ",", "com", "x.io", "é",
		strings.Repeat("b", 40), strings.Repeat("c.", 30), strings.Repeat("d", 70)}
	eachRandomText(rng, 8000, 24, pieces, func(text string) { checkEmailWindows(t, r, text) })
}

func FuzzEmailWindows(f *testing.F) {
	for _, s := range []string{"a@b.com", "x a@b.com.x@c.org y", strings.Repeat("a", 70) + "@b.com", "@a@b.c@d.ee"} {
		f.Add(s)
	}
	r := emailRule(f)
	f.Fuzz(func(t *testing.T, text string) { checkEmailWindows(t, r, text) })
}

// TestMinMatchLenIsALowerBound checks minMatchLen on expressions with
// each kind of node against every string of up to four runes from a small
// alphabet (with a two-byte rune and one that folds to a three-byte
// rune): no string that the whole expression matches is shorter. It also
// checks the exact bound where the expression makes it plain.
func TestMinMatchLenIsALowerBound(t *testing.T) {
	exact := map[string]int{
		`a{3}b?`: 3, `é`: 2, `(?i)é`: 1, `a|bé`: 1, `[^a]`: 1, `\bab$`: 2, `(a)+b*`: 1, `(?:ab){2,}`: 4, `x?`: 0, `.`: 1,
	}
	alphabet := []string{"a", "b", "é", "k", "\u212a"} // K, the Kelvin sign, folds to k
	var texts []string
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		texts = append(texts, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("", 4)
	patterns := []string{`(?i)k`, `(?i)\x{212a}`, `(?i)kk|é`, `[aé]{2}`, `\pL+`, `a*b+`, `(?:a|bb|é){1,2}`, `\Aa\b`, `(?i)[k]é?`}
	for p := range exact {
		patterns = append(patterns, p)
	}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		whole := regexp.MustCompile(`^(?:` + p + `)$`)
		n := minMatchLen(re)
		if want, ok := exact[p]; ok && n != want {
			t.Errorf("minMatchLen(%s) = %d, want %d", p, n, want)
		}
		for _, s := range texts {
			if whole.MatchString(s) && len(s) < n {
				t.Errorf("minMatchLen(%s) = %d, but it matches %q (%d bytes)", p, n, s, len(s))
			}
		}
	}
}

// checkRuleWindows fails unless r's expression finds the same matches in
// the rule's windows as in the whole text.
func checkRuleWindows(t *testing.T, r *rule, text string) {
	t.Helper()
	lower := asciiLower(text)
	spans := r.windows(text, lower, digitRuns(text))
	for i, sp := range spans {
		if sp[0] < 0 || sp[1] > len(text) || sp[0] >= sp[1] || i > 0 && sp[0] <= spans[i-1][1] {
			t.Fatalf("%s, %q: bad or unmerged windows %v", r.name, text, spans)
		}
	}
	whole := r.re.FindAllStringSubmatchIndex(text, -1)
	if got := windowedMatches(r, text, spans); !slices.EqualFunc(got, whole, slices.Equal) {
		t.Fatalf("%s, %q: windows %v find %v; the whole text %v", r.name, text, spans, got, whole)
	}
}

// digitRules are the built-in rules that search around runs of digits,
// as NewScanner sets them up.
func digitRules(tb testing.TB) []*rule {
	s, err := NewScanner(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var out []*rule
	for _, r := range s.rules {
		if r.near == atDigitRuns {
			if r.alpha == nil {
				tb.Fatalf("%s: no match bytes", r.name)
			}
			out = append(out, r)
		}
	}
	if len(out) < 5 {
		tb.Fatalf("%d rules around digits, want 5", len(out))
	}
	return out
}

// TestDigitWindowsFindWhatTheWholeTextFinds checks the windows of the
// card, IBAN, SSN, phone and IPv4 rules on random texts of digits, their
// separators, letters next to them (word boundaries), and runs longer
// than the rules' before and after bounds.
func TestDigitWindowsFindWhatTheWholeTextFinds(t *testing.T) {
	rules := digitRules(t)
	pieces := []string{"0", "1", "2", "5", "9", "44", "555", "1234", " ", "-", ".", "(", ")", "+", "/", "a", "Z", "DE", "x", "é", "\n",
		"+1 (555) 010-4477", "192.168.", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "078-05-1120",
		strings.Repeat("7 ", 60), strings.Repeat("word ", 30), strings.Repeat("AB12", 20)}
	rng := rand.New(rand.NewPCG(7, 8))
	eachRandomText(rng, 10000, 20, pieces, func(text string) {
		for _, r := range rules {
			checkRuleWindows(t, r, text)
		}
	})
}

func FuzzDigitWindows(f *testing.F) {
	for _, s := range []string{"call +1 (555) 010-4477 now", "ip 203.0.113.9", "a555-123-4567", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00"} {
		f.Add(s)
	}
	rules := digitRules(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, r := range rules {
			checkRuleWindows(t, r, text)
		}
	})
}

// TestMatchBytes checks matchBytes on the shapes of node it reads.
func TestMatchBytes(t *testing.T) {
	for p, want := range map[string]string{
		`\d{3}-\d`: "0123456789-", `(?:\(x\)|y)+`: "()xy", `[a-c]\b\+`: "abc+",
	} {
		set := matchBytes(regexp.MustCompile(p))
		var got []byte
		for c := 0; c < 256; c++ {
			if set.has(byte(c)) {
				got = append(got, byte(c))
			}
		}
		w := []byte(want)
		slices.Sort(w)
		if string(got) != string(w) {
			t.Errorf("matchBytes(%s) = %q, want %q", p, got, w)
		}
	}
	if set := matchBytes(regexp.MustCompile(`(?i)k`)); !set.has('K') || !set.has(0xe2) {
		t.Error(`(?i)k: want K and the bytes of the Kelvin sign`)
	}
	if set := matchBytes(regexp.MustCompile(`é|[^a]`)); !set.has(0xc3) || !set.has(0x80) || !set.has('b') || set.has('a') {
		t.Error(`é|[^a]: want every byte beyond ASCII and b`)
	}
	for _, p := range []string{`^\d`, `\d$`, `(?m)^x`, `\Ax`, `x\z`} {
		if matchBytes(regexp.MustCompile(p)) != nil {
			t.Errorf("matchBytes(%s): an anchored expression is not windowed", p)
		}
	}
}

// TestOpenEndedWindowsTakeTheWholeValue: the rules near keywords whose
// value has no length bound (bearer tokens, named session tokens, cookie
// headers) find
// in their windows what a search of the whole text finds, values of any
// length included: no tail of a long token is left past the window.
func TestOpenEndedWindowsTakeTheWholeValue(t *testing.T) {
	s, err := NewScanner(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rules []*rule
	for _, r := range s.rules {
		if r.openEnded {
			rules = append(rules, r)
		}
	}
	if len(rules) != 3 {
		t.Fatalf("%d open-ended rules, want 3", len(rules))
	}
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"Bearer ", "bearer\t", "session_token", "security-token", "Cookie", "set-cookie", "=", ": ", `\"`, "'", ";", " ", "a", "Z9", "x7Kq", ".", "\n",
		strings.Repeat("Ab3+", 30), strings.Repeat("Zq9/", 200), strings.Repeat("word ", 40), strings.Repeat(" ", 120)}
	eachRandomText(rng, 5000, 12, pieces, func(text string) {
		for _, r := range rules {
			checkRuleWindows(t, r, text)
		}
	})
	// The case that was cut: a random 1,000-byte token after the keyword.
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	tok := make([]byte, 1000)
	for i := range tok {
		tok[i] = b64[rng.IntN(len(b64))]
	}
	token := string(tok)
	for _, text := range []string{"Authorization: Bearer " + token, "session_token=" + token + " end", "Cookie: sid=" + token} {
		found := false
		for _, f := range s.Scan(text) {
			found = found || text[f.Start:f.End] == token
		}
		if !found && !strings.HasPrefix(text, "Cookie") {
			t.Errorf("the whole 1,000-byte token is not one finding in %.40q...", text)
		}
		if out, _ := NewRedactor(s, []byte("salt")).Text(text); strings.Contains(out, token[len(token)-16:]) {
			t.Errorf("a tail of the 1,000-byte token is left in %.40q...", text)
		}
	}
}

func FuzzOpenEndedWindows(f *testing.F) {
	for _, s := range []string{"Authorization: Bearer abc.DEF-123_xyz+/=0123456789", "session_token=" + strings.Repeat("Ab3+", 40), "bearer\tbearer\tx7Kq",
		"Cookie: sid=" + strings.Repeat("Ab3+", 40) + "; x=1\r\nset-cookie: a=b", `\"cookie\": \"s=1\"`} {
		f.Add(s)
	}
	s, err := NewScanner(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, r := range s.rules {
			if r.openEnded {
				checkRuleWindows(t, r, text)
			}
		}
	})
}
