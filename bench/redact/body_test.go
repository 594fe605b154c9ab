package redact_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

func TestBodyMediaAndText(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	photo := base64.StdEncoding.EncodeToString(append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 300)...))
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7 a scanned passport of jo@acme.io"))
	note := base64.StdEncoding.EncodeToString([]byte("call +44 20 7946 0958 or mail jo@acme.io"))
	secretBlob := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1, 200, 3, 99}, 20))
	body := `{"messages":[{"role":"user","content":[
	 {"image":{"format":"png","source":{"bytes":"` + photo + `"}}},
	 {"document":{"format":"pdf","name":"id","source":{"bytes":"` + pdf + `"}}},
	 {"document":{"format":"txt","name":"note","source":{"bytes":"` + note + `"}}},
	 {"type":"image_url","image_url":{"url":"data:image/png;base64,` + photo + `"}},
	 {"type":"redacted_thinking","data":"` + secretBlob + `"},
	 {"toolUse":{"toolUseId":"t1","name":"pay","input":{"card":4111111111111111,"email":"jo@acme.io","jo@acme.io":1}}}]}]}`
	out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(s, photo) || strings.Contains(s, pdf) || strings.Contains(s, note) || strings.Contains(s, "jo@acme.io") || strings.Contains(s, "4111111111111111") {
		t.Fatalf("something survived: %s", s)
	}
	if !strings.Contains(s, secretBlob) {
		t.Errorf("the encrypted blob should be kept")
	}
	if counts[redact.MediaImage] != 2 || counts[redact.MediaDocument] != 1 || counts[redact.Email] != 3 || counts[redact.CardNumber] != 1 || counts[redact.Phone] != 1 {
		t.Errorf("counts %v", counts)
	}
	ph := redact.Placeholder("png")
	if _, err := png.Decode(bytes.NewReader(ph)); err != nil {
		t.Errorf("the PNG placeholder does not decode: %v", err)
	}
	if !strings.Contains(s, base64.StdEncoding.EncodeToString(ph)) {
		t.Errorf("no placeholder in %s", s)
	}
	kept, counts, err := r.Body([]byte(body), redact.BodyOptions{KeepMedia: true})
	if err != nil || !strings.Contains(string(kept), photo) || counts[redact.MediaImage] != 0 || strings.Contains(string(kept), "jo@acme.io") {
		t.Errorf("--keep-media: %v %v", counts, err)
	}
}

func TestPlaceholdersAreValid(t *testing.T) {
	for _, f := range []string{"png", "jpeg", "gif", "webp", "pdf", "zip", "wav"} {
		if len(redact.Placeholder(f)) == 0 {
			t.Errorf("no placeholder for %s", f)
		}
	}
	pdf := string(redact.Placeholder("pdf"))
	if !strings.HasPrefix(pdf, "%PDF-1.4") || !strings.HasSuffix(pdf, "%%EOF\n") {
		t.Errorf("pdf placeholder: %q", pdf)
	}
}

// FuzzBody checks the body walker on any input: no panic, and a valid
// JSON document stays valid JSON.
func FuzzBody(f *testing.F) {
	f.Add([]byte(`{"messages":[{"role":"user","content":[{"text":"mail jo@acme.io","n":4111111111111111}]}]}`))
	f.Add([]byte(`{"a":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="}`))
	f.Add([]byte(`[1,"x",{"bytes":"JVBERi0xLjQK"}]`))
	f.Add([]byte(`{"value":{"arrayValue":{"values":[{"stringValue":"k3y"}]}},"key":"x-api-key"}`))
	s, err := redact.NewScanner(redact.Options{})
	if err != nil {
		f.Fatal(err)
	}
	r := redact.NewRedactor(s, []byte("fuzz salt for bodies"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := r.Body(data, redact.BodyOptions{})
		if err != nil {
			return
		}
		if jsontext.Value(data).IsValid(jsontext.AllowDuplicateNames(true)) && !jsontext.Value(out).IsValid(jsontext.AllowDuplicateNames(true)) {
			t.Fatalf("valid input %q became invalid %q", data, out)
		}
	})
}

// TestBodyCachedMembersMatchAFreshRedaction checks that the system
// prompt, tools and settings, cached as a whole after the first request,
// come out of a second request (and of a request whose members arrive in
// another order) exactly as a fresh redactor writes them, with the same
// counts.
func TestBodyCachedMembersMatchAFreshRedaction(t *testing.T) {
	sys := `"system":[{"text":"You help ann.lee@contoso-mail.com; escalate to +1 415 555 0199"},{"cachePoint":{"type":"default"}}]`
	tools := `"toolConfig":{"tools":[{"toolSpec":{"name":"refund","description":"card 4111111111111111 or jo@acme.io","inputSchema":{"json":{"type":"object","properties":{"jo@acme.io":{"type":"string"}}}}}}]}`
	settings := `"inferenceConfig":{"maxTokens":1024,"stopSequences":["call 4111 1111 1111 1111"]}`
	msgs := `"messages":[{"role":"user","content":[{"text":"mail me at jo@acme.io"}]}]`
	bodies := []string{
		"{" + sys + "," + tools + "," + settings + "," + msgs + "}",
		"{" + msgs + "," + settings + "," + tools + "," + sys + `,"data":["aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ="]}`,
		"{" + sys + "," + tools + "," + settings + "," + msgs + "}",
	}
	warm := newRedactor(t, redact.Options{})
	for i, body := range bodies {
		in := []byte(body)
		got, gotCounts, err := warm.Body(in, redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if string(in) != body {
			t.Fatalf("body %d: the input was changed in place", i)
		}
		want, wantCounts, err := newRedactor(t, redact.Options{}).Body([]byte(body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) || gotCounts.String() != wantCounts.String() {
			t.Errorf("body %d: warm redactor wrote\n%s (%v)\nfresh one\n%s (%v)", i, got, gotCounts, want, wantCounts)
		}
		for _, leak := range []string{"ann.lee@contoso-mail.com", "415 555 0199", "4111111111111111", "4111 1111 1111 1111", "jo@acme.io"} {
			if strings.Contains(string(got), leak) {
				t.Errorf("body %d: %q survived: %s", i, leak, got)
			}
		}
	}
}
