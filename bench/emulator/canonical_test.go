package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestCanonicalHeaderValuesAsTheSDKSigns: a header value is canonical as
// aws-sdk-go-v2's signer makes it (runs of spaces collapsed, the ends
// trimmed; a tab or a no-break space inside kept), so what the SDK signs
// verifies; before, any white space was collapsed and a tab inside a
// value failed the signature. A signature in uppercase hex is refused,
// as AWS compares the lowercase hex the SDKs write; before, it was
// lowercased and taken.
func TestCanonicalHeaderValuesAsTheSDKSigns(t *testing.T) {
	_, hs := start(t, nil)
	send := func(value string, mangle func(string) string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", hs.URL+"/model/amazon.nova-micro-v1%3A0/converse", strings.NewReader(hiBody))
		req.Header.Set("Content-Type", "application/json")
		if value != "" {
			req.Header.Set("X-Amz-Meta-Note", value)
		}
		sum := sha256.Sum256([]byte(hiBody))
		if err := v4.NewSigner().SignHTTP(context.Background(), defaultCreds, req, hex.EncodeToString(sum[:]), "bedrock", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		if mangle != nil {
			req.Header.Set("Authorization", mangle(req.Header.Get("Authorization")))
		}
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, v := range []string{"a\tb", "a \t b", "a\u00a0b", "a\u00a0\u00a0b", "a  b   c", "\tlead and trail\t", "a\u2003 b"} {
		if status, body := send(v, nil); status != 200 {
			t.Errorf("header value %q signed by the SDK: %d %.200s", v, status, body)
		}
	}
	upper := func(auth string) string {
		return regexp.MustCompile(`Signature=[0-9a-f]+`).ReplaceAllStringFunc(auth, func(m string) string {
			return "Signature=" + strings.ToUpper(strings.TrimPrefix(m, "Signature="))
		})
	}
	if status, body := send("", upper); status != 403 || !strings.Contains(body, "signature we calculated does not match") {
		t.Errorf("uppercase signature: %d %.200s", status, body)
	}
	if status, body := send("", nil); status != 200 {
		t.Errorf("as signed: %d %.200s", status, body)
	}
}

// sdkStripExcessSpaces is aws-sdk-go-v2's
// aws/signer/internal/v4.StripExcessSpaces (v1.48.0), which an internal
// package keeps from being called here.
func sdkStripExcessSpaces(str string) string {
	var j, k, l, m, spaces int
	for j = len(str) - 1; j >= 0 && str[j] == ' '; j-- {
	}
	for k = 0; k < j && str[k] == ' '; k++ {
	}
	str = str[k : j+1]
	j = strings.Index(str, "  ")
	if j < 0 {
		return str
	}
	buf := []byte(str)
	for k, m, l = j, j, len(buf); k < l; k++ {
		if buf[k] == ' ' {
			if spaces == 0 {
				buf[m] = buf[k]
				m++
			}
			spaces++
		} else {
			spaces = 0
			buf[m] = buf[k]
			m++
		}
	}
	return string(buf[:m])
}

// FuzzStripExcessSpaces: a canonical header value is the SDK's for any
// value.
func FuzzStripExcessSpaces(f *testing.F) {
	for _, s := range []string{"", " ", "  ", "a", " a ", "a  b", "\ta  b\t", "a\u00a0 \u00a0b", "  x  y  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := stripExcessSpaces(s), sdkStripExcessSpaces(s); got != want {
			t.Errorf("%q: %q, the SDK %q", s, got, want)
		}
	})
}
