package ingest

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidName(t *testing.T) {
	for in, want := range map[string]string{
		"logs/café.jsonl":      "logs/café.jsonl",
		"logs/caf\xe9.jsonl":   `logs/caf\xe9.jsonl`,
		"a\\b\xff\xfe":         `a\b\xff\xfe`,
		"\xe2\x82":             `\xe2\x82`,
		"tab\there":            "tab\there",
		"":                     "",
		"ok \u00e9 \U0001f600": "ok \u00e9 \U0001f600",
	} {
		if got := ValidName(in); got != want || !utf8.ValidString(got) {
			t.Errorf("ValidName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain café, 漢字 \ufffd":                        "plain café, 漢字 \ufffd",
		"\x1b[31mred\x1b[0m.jsonl":                     `\x1b[31mred\x1b[0m.jsonl`,
		"\x1b]0;PWNED\a\x1b[2J\r\nFAKE LINE: all good": `\x1b]0;PWNED\x07\x1b[2J\r\nFAKE LINE: all good`,
		"tab\tdel\x7f c1\u009b31m":                     `tab\tdel\x7f c1\x9b31m`,
		"caf\xe9":                                      `caf\xe9`,
		"rtl \u202egnp.exe \u2028 \u2066":              `rtl \u202egnp.exe \u2028 \u2066`,
	} {
		got := Printable(in)
		if got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if unprintable(r) {
				t.Errorf("Printable(%q) keeps %U", in, r)
			}
		}
	}
}

// The name a reader is given is the name of every record and skip, valid
// UTF-8 whatever the file system gave.
func TestReadNameNotUTF8(t *testing.T) {
	var files []string
	h := Handler{
		Emit: func(r Record) error { files = append(files, r.Source.File); return nil },
		Skip: func(s Skip) { files = append(files, s.File, s.String()) },
	}
	in := "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\nnot json\n"
	if err := Read(context.Background(), "caf\xe9.jsonl", strings.NewReader(in), Options{}, h); err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("got %q, want a record and a skip", files)
	}
	for _, f := range files {
		if !strings.HasPrefix(f, `caf\xe9.jsonl`) {
			t.Errorf("%q: want the name as caf\\xe9.jsonl", f)
		}
	}
}

// FuzzPrintable: whatever a log or a file system gives, ValidName is
// valid UTF-8 and leaves valid UTF-8 as it is, and Printable holds no
// character a terminal acts on.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"caf\xe9.jsonl", "\x1b]0;PWNED\a\x1b[2J\r\nFAKE", "ok", "\u202e\u009b\xc2", "\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := ValidName(s)
		if !utf8.ValidString(v) || utf8.ValidString(s) && v != s {
			t.Fatalf("ValidName(%q) = %q", s, v)
		}
		p := Printable(s)
		if !utf8.ValidString(p) {
			t.Fatalf("Printable(%q) = %q, not UTF-8", s, p)
		}
		for _, r := range p {
			if unprintable(r) {
				t.Fatalf("Printable(%q) = %q keeps %U", s, p, r)
			}
		}
	})
}
