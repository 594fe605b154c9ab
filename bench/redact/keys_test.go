package redact_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// privateKeyForms returns the keys of redacttest's PrivateKeys, and the
// lines of each that are its secret.
func privateKeyForms(seed uint64) (keys []string, secret [][]string) {
	for _, k := range redacttest.New(seed).PrivateKeys() {
		keys = append(keys, k.Text)
		secret = append(secret, k.Secret)
	}
	return keys, secret
}

// TestPrivateKeysCutByATruncation: a private key whose END or BEGIN line
// a log's truncation took away is redacted from the armour line left to
// the end or from the start of its string: LiteLLM's marker ("...
// (litellm_truncated skipped N chars) ...") between the key's head and
// its tail or the text's, a field cut to its length, in a message and in
// a JSON text held in a string (a tool call's arguments), whose escapes
// stay valid. Before, the lines after a truncation marker up to the END
// line, and a PGP key's body after its "Version: GnuPG v2.0.22" header,
// were written as they came, and a JSON text's closing escape was taken
// into the key.
func TestPrivateKeysCutByATruncation(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	const marker = "... (litellm_truncated skipped 3000 chars) ..."
	keys, secret := privateKeyForms(1)
	for n, key := range keys {
		lines := strings.Split(key, "\n")
		last := len(lines) - 1
		head := strings.Join(lines[:last-4], "\n")       // no END line
		tail := strings.Join(lines[len(lines)-5:], "\n") // no BEGIN line
		cutHead := head[:len(head)-20]                   // cut inside a line
		cutTail := tail[17:]                             // cut inside a line
		for name, text := range map[string]string{
			"head, then the string's end":    "my deploy key:\n" + cutHead,
			"head, then a field cut's dots":  "my deploy key:\n" + cutHead + "...",
			"head, then a marker and prose":  "my deploy key:\n" + cutHead + marker + "t rotated it yet. thanks",
			"a marker, then the tail":        "my deploy key:\n-----BEG" + marker + cutTail + "\nthanks",
			"prose, a marker, then the tail": "please look at this" + marker + cutTail,
			"head and tail around a marker":  "my deploy key:\n" + cutHead + marker + cutTail + "\nthanks",
		} {
			args, _ := json.Marshal(map[string]string{"path": "/etc/app", "key": text})
			body, _ := json.Marshal(map[string]any{"messages": []any{
				map[string]any{"role": "user", "content": text},
				map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function",
					"function": map[string]any{"name": "save", "arguments": string(args)}}}},
			}})
			out, counts, err := r.Body(body, redact.BodyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Messages []struct {
					ToolCalls []struct {
						Function struct{ Arguments string } `json:"function"`
					} `json:"tool_calls"`
				} `json:"messages"`
			}
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("key %d, %s: the body is no JSON: %v\n%s", n, name, err, out)
			}
			var a map[string]string
			if err := json.Unmarshal([]byte(doc.Messages[1].ToolCalls[0].Function.Arguments), &a); err != nil || a["path"] != "/etc/app" {
				t.Errorf("key %d, %s: the tool call's arguments are no JSON or lost a member: %v %q", n, name, err, doc.Messages[1].ToolCalls[0].Function.Arguments)
			}
			plain, _ := r.Text(text)
			for _, got := range []string{string(out), plain} {
				if counts[redact.PrivateKey] < 2 {
					t.Errorf("key %d, %s: %v", n, name, counts)
				}
				for _, l := range secret[n] {
					for i := 0; i+16 <= len(l); i += 8 {
						if strings.Contains(got, l[i:i+16]) {
							t.Errorf("key %d, %s: %q of a line of the key is left:\n%s", n, name, l[i:i+16], got)
							break
						}
					}
				}
				for _, f := range gl.DetectString(got) {
					t.Errorf("key %d, %s: gitleaks finds %s: %q", n, name, f.RuleID, f.Match)
				}
			}
			if !strings.Contains(plain, "my deploy key:") && !strings.Contains(plain, "please look at this") {
				t.Errorf("key %d, %s: the prose before the key is gone: %q", n, name, plain)
			}
		}
	}
}

// TestWholePrivateKeysAreRedactedOnce: a key with both armour lines is
// one finding, the prose around it is kept, and a key's END line after a
// whole key before it is the second key's, whose lines run from the
// first key's END line (where the cut that took its BEGIN line was is
// not known, so the words between are taken with it).
func TestWholePrivateKeysAreRedactedOnce(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	keys, secret := privateKeyForms(2)
	for n, key := range keys {
		second := strings.Join(strings.Split(keys[(n+1)%len(keys)], "\n")[3:], "\n") // its BEGIN line cut away
		text := "first:\n" + key + "\nand a cut one: " + second + "\nthanks"
		out, counts := r.Text(text)
		if counts[redact.PrivateKey] != 2 || !strings.HasPrefix(out, "first:\n[REDACTED-PRIVATE-KEY ") || strings.Count(out, "[REDACTED-PRIVATE-KEY ") != 2 || !strings.HasSuffix(out, "]\nthanks") {
			t.Errorf("key %d: %q (%v)", n, out, counts)
		}
		for _, l := range append(secret[n], secret[(n+1)%len(keys)][1:]...) {
			if strings.Contains(out, l[:16]) {
				t.Errorf("key %d: %q is left: %q", n, l[:16], out)
			}
		}
	}
}

// TestPuTTYPrivateLinesAreRedacted: a PuTTY key file (PuTTY-User-Key-File-2
// and -3) writes its private key as base64 lines after "Private-Lines: N",
// in clear where its Encryption is none; they are redacted to the end of
// its Private-MAC line, or of the string where a cut took that away, and
// the public lines are kept.
func TestPuTTYPrivateLinesAreRedacted(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	_, secret := privateKeyForms(3)
	pub, priv := secret[0][:4], secret[1]
	file := "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key-20260101\nPublic-Lines: 4\n" + strings.Join(pub, "\n") +
		"\nPrivate-Lines: 9\n" + strings.Join(priv, "\n") + "\nPrivate-MAC: 5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
	for name, text := range map[string]string{
		"whole":               "my key file:\n" + file + "\nthanks",
		"cut":                 "my key file:\n" + file[:len(file)-200],
		"in a JSON text":      `{"file":"` + strings.ReplaceAll(file, "\n", `\n`) + `","n":1}`,
		"in a JSON text, cut": `{"file":"` + strings.ReplaceAll(file[:len(file)-200], "\n", `\n`) + `","n":1}`,
	} {
		out, counts := r.Text(text)
		if counts[redact.PrivateKey] != 1 || !strings.Contains(out, pub[3]) {
			t.Errorf("%s: the public lines or the count: %q (%v)", name, out, counts)
		}
		if strings.HasPrefix(text, "{") && !json.Valid([]byte(out)) {
			t.Errorf("%s: no JSON text any more: %q", name, out)
		}
		for _, l := range priv {
			if strings.Contains(out, l[:16]) || strings.Contains(out, l[len(l)-16:]) {
				t.Errorf("%s: a private line is left: %q", name, out)
			}
		}
		if strings.Contains(out, "5a1b2c3d4e5f6071") {
			t.Errorf("%s: the MAC is left: %q", name, out)
		}
	}
}
