package redact_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// plantValues returns the planted e-mail, card number and US SSN of seed.
func plantValues(t *testing.T, seed uint64) []string {
	t.Helper()
	want := map[redact.Kind]string{}
	for _, p := range redacttest.New(seed).All() {
		switch p.Kind {
		case redact.Email, redact.CardNumber, redact.USSSN:
			want[p.Kind] = p.Value
		}
	}
	if len(want) != 3 {
		t.Fatalf("plants: %v", want)
	}
	return []string{want[redact.Email], want[redact.CardNumber], want[redact.USSSN]}
}

// encodeUTF16 writes s in UTF-16, big-endian or not, with a byte order
// mark or not.
func encodeUTF16(s string, big, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	var b []byte
	for _, u := range units {
		if big {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// payloads returns every base64 payload of a body's strings, decoded,
// with the data: URLs'.
func payloads(t *testing.T, body []byte) [][]byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	var out [][]byte
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if _, p, ok := strings.Cut(v, ";base64,"); ok {
				v = p
			}
			if raw, err := base64.StdEncoding.DecodeString(v); err == nil && len(v) >= 16 {
				out = append(out, raw)
			}
		}
	}
	walk(v)
	return out
}

// leaked returns the planted values found in raw, read as it is and as
// UTF-16 of either byte order (the low bytes of Latin text).
func leaked(raw []byte, values []string) []string {
	var lo, hi []byte
	for i := 0; i+1 < len(raw); i += 2 {
		lo = append(lo, raw[i])
		hi = append(hi, raw[i+1])
	}
	var found []string
	for _, v := range values {
		for _, b := range [][]byte{raw, lo, hi} {
			if strings.Contains(string(b), v) {
				found = append(found, v)
				break
			}
		}
	}
	return found
}

// TestTextDocumentsNotInUTF8: a text document Converse takes (csv, txt,
// md, html; see the DocumentBlock format list in the Converse API
// reference) may be written in Windows-1252 (an Excel CSV export) or
// UTF-16 (Notepad's "Unicode", with a byte order mark, or a program's
// export without one). Its text is read, redacted and written back in
// UTF-8; a UTF-16 byte order mark is not taken for an MP3 frame.
func TestTextDocumentsNotInUTF8(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	values := plantValues(t, 31)
	text := "name;email;card;ssn\r\nJosé Müller;" + strings.Join(values, ";") + "\r\n"
	cp1252 := []byte(strings.NewReplacer("é", "\xe9", "ü", "\xfc").Replace(text))
	docs := map[string][]byte{
		"windows-1252":    cp1252,
		"utf-16le bom":    encodeUTF16(text, false, true),
		"utf-16be bom":    encodeUTF16(text, true, true),
		"utf-16le no bom": encodeUTF16(text, false, false),
		"utf-16be no bom": encodeUTF16(text, true, false),
	}
	for name, doc := range docs {
		b64 := base64.StdEncoding.EncodeToString(doc)
		for shape, body := range map[string]string{
			"converse":  `{"messages":[{"role":"user","content":[{"text":"summarise"},{"document":{"format":"csv","name":"customers","source":{"bytes":"` + b64 + `"}}}]}]}`,
			"anthropic": `{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"text/plain","data":"` + b64 + `"}}]}]}`,
			"data url":  `{"messages":[{"role":"user","content":[{"type":"file","file":{"file_data":"data:text/csv;base64,` + b64 + `"}}]}]}`,
			// Not in a message: read by the token decoder's path.
			"nested": `{"x":` + strings.Repeat(`[`, 70) + `{"document":{"format":"txt","source":{"bytes":"` + b64 + `"}}}` + strings.Repeat(`]`, 70) + `}`,
		} {
			t.Run(name+"/"+shape, func(t *testing.T) {
				out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if counts[redact.Email] != 1 || counts[redact.CardNumber] != 1 || counts[redact.USSSN] != 1 {
					t.Errorf("counts %v", counts)
				}
				ps := payloads(t, out)
				if len(ps) != 1 {
					t.Fatalf("%d payloads in %s", len(ps), out)
				}
				if l := leaked(ps[0], values); len(l) > 0 {
					t.Errorf("planted %q kept in the document: %q", l, ps[0])
				}
				if !utf8.Valid(ps[0]) || !strings.HasPrefix(string(ps[0]), "name;email;card;ssn\r\nJosé Müller;") {
					t.Errorf("the document is not its text in UTF-8: %q", ps[0])
				}
				if texts := redact.DocumentTexts([]byte(body)); len(texts) != 1 || texts[0] != text {
					t.Errorf("DocumentTexts: %q", texts)
				}
			})
		}
	}
	// Nothing to redact: the document is kept as it was, in its encoding.
	plain := base64.StdEncoding.EncodeToString(encodeUTF16("nothing personal here\r\n", false, true))
	body := `{"document":{"format":"txt","source":{"bytes":"` + plain + `"}}}`
	if out, counts, err := r.Body([]byte(body), redact.BodyOptions{}); err != nil || string(out) != body || counts != nil {
		t.Errorf("a document with nothing to redact: %s %v %v", out, counts, err)
	}
}

// TestUnknownMediaReplaced: bytes in a media block's source that are
// neither known media nor text (a WebM or Matroska video, which Converse
// takes as formats webm and mkv; FLV, MPEG, WMV; a text document that
// reads as no text) are replaced, as known media is, unless media is
// kept; bytes outside a block's source (an Anthropic redacted_thinking
// block's encrypted data) are kept.
func TestUnknownMediaReplaced(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	frame := "PERSONAL-FRAME-DATA-" + plantValues(t, 32)[0]
	videos := map[string][]byte{
		"webm": append([]byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x00\x00"), frame...),
		"flv":  append([]byte("FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00\x12\x00"), frame...),
		"mpeg": append([]byte("\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01\x01\x89\xc3\xf8"), frame...),
		"wmv":  append([]byte("\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c"), frame...),
		"mov":  append([]byte("\x00\x00\x00\x08wide\x00\x01\x00\x00mdat\x00\x01\x02\x03"), frame...),
		"txt":  append([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12"), frame...),
	}
	for format, v := range videos {
		b64 := base64.StdEncoding.EncodeToString(v)
		block := `{"video":{"format":"` + format + `","source":{"bytes":"` + b64 + `"}}}`
		kind := redact.MediaVideo
		if format == "txt" {
			block = `{"document":{"format":"txt","name":"d","source":{"bytes":"` + b64 + `"}}}`
			kind = redact.MediaDocument
		}
		for shape, body := range map[string]string{
			"converse":  `{"messages":[{"role":"user","content":[` + block + `]}]}`,
			"anthropic": `{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/heic","data":"` + b64 + `"}}]}]}`,
			"data url":  `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:video/webm;base64,` + b64 + `"}}]}]}`,
		} {
			t.Run(format+"/"+shape, func(t *testing.T) {
				out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(out), b64) || strings.Contains(string(out), "PERSONAL-FRAME-DATA") {
					t.Errorf("the bytes are kept: %s", out)
				}
				want := kind
				switch shape {
				case "anthropic":
					want = redact.MediaDocument // the block's kind is in its "type"
				case "data url":
					want = redact.MediaVideo
				}
				if counts[want] != 1 {
					t.Errorf("counts %v, want one %s", counts, want)
				}
				if kept, _, _ := r.Body([]byte(body), redact.BodyOptions{KeepMedia: true}); !strings.Contains(string(kept), b64) {
					t.Errorf("KeepMedia: the bytes are replaced: %s", kept)
				}
			})
		}
	}
	blob := base64.StdEncoding.EncodeToString(videos["webm"])
	body := `{"messages":[{"role":"assistant","content":[{"type":"redacted_thinking","data":"` + blob + `"}]}]}`
	if out, _, _ := r.Body([]byte(body), redact.BodyOptions{}); !strings.Contains(string(out), blob) {
		t.Errorf("the encrypted blob is replaced: %s", out)
	}
}
