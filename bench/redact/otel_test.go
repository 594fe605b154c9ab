package redact_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// otelAttributes are OpenTelemetry attribute lists as OTLP/JSON writes
// them (a KeyValue's "key" and its AnyValue "value", a header's values
// as an arrayValue of strings; opentelemetry-proto common.proto and the
// semantic conventions' http.request.header.<key>, a string[]), each
// with the credential it holds.
var otelAttributes = []struct{ body, value string }{
	{`{"attributes":[{"key":"db.password","value":{"stringValue":"hunter2"}}]}`, "hunter2"},
	{`{"attributes":[{"key":"http.request.header.authorization","value":{"arrayValue":{"values":[{"stringValue":"Basic YWRtaW46Ulq2"}]}}}]}`, "YWRtaW46Ulq2"},
	{`{"attributes":[{"key":"http.request.header.x-api-key","value":{"arrayValue":{"values":[{"stringValue":"k3yv4lue"},{"stringValue":"k3yv4lu2"}]}}}]}`, "k3yv4lu"},
	{`{"key":"app.client_secret","value":{"stringValue":"s3cr3t-x"}}`, "s3cr3t-x"},
	{`{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}},{"key":"db.password","value":{"stringValue":"Xq7#Lm9z"}}]}}`, "Xq7#Lm9z"},
	{`{"key": "http.request.header.cookie", "value": {"arrayValue": {"values": [{"stringValue": "sessionid=q8Zr2vK9; csrftoken=Lm3Pw7"}]}}}`, "q8Zr2vK9"},
	// The value before the key, as an encoder that does not keep the
	// order of a map's members writes it.
	{`{"attributes":[{"value":{"stringValue":"hunter2"},"key":"db.password"}]}`, "hunter2"},
	{`{"value":{"arrayValue":{"values":[{"stringValue":"Bearer z9Yx8Wv7"},{"stringValue":"k3yv4lue"}]}},"key":"http.request.header.authorization","n":"jo@acme.io"}`, "z9Yx8Wv7"},
	{`{"value":{"stringValue":"s3cr3t-x"},"key":"app.client_secret"}`, "s3cr3t-x"},
}

// TestCredentialsInOpenTelemetryAttributes: an OpenTelemetry attribute
// holds its name in "key" and its value one level down, in an AnyValue
// ({"stringValue": …}, or an arrayValue of them); where the name is a
// credential's, the value is redacted as under that name, in a body and
// in a JSON text held in a string (a span exported into a tool result, a
// log line). Before, the pair rule read only a string "value", and these
// were written as they came.
func TestCredentialsInOpenTelemetryAttributes(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range otelAttributes {
		out, counts, err := r.Body([]byte(c.body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), c.value) || counts.Secrets() == 0 {
			t.Errorf("body %s redacts to %s (%v)", c.body, out, counts)
		}
		for _, text := range []string{c.body, escapeJSON(c.body), escapeJSON(escapeJSON(c.body))} {
			if out, counts := r.Text(text); strings.Contains(out, c.value) || counts.Secrets() == 0 {
				t.Errorf("text %s redacts to %s (%v)", text, out, counts)
			}
		}
		// A tool call's arguments holding the attributes.
		args := `{"arguments":"` + escapeJSON(c.body) + `"}`
		if out, counts, _ := r.Body([]byte(args), redact.BodyOptions{}); strings.Contains(string(out), c.value) || counts.Secrets() == 0 {
			t.Errorf("arguments %s redact to %s (%v)", args, out, counts)
		}
	}
	// The scheme of an Authorization header stays.
	out, _, _ := r.Body([]byte(otelAttributes[1].body), redact.BodyOptions{})
	if !strings.Contains(string(out), `"stringValue":"Basic REDACTED`) {
		t.Errorf("the scheme went: %s", out)
	}
	// Attributes whose name is no credential's are left, and so are the
	// GenAI attributes a span holds the conversation in.
	for _, body := range []string{
		`{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},{"key":"http.request.header.content-type","value":{"arrayValue":{"values":[{"stringValue":"application/json"}]}}}]}`,
		`{"attributes":[{"key":"gen_ai.token.type","value":{"stringValue":"input"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}}]}`,
		`{"value":{"stringValue":"shown"},"key":"service.version"}`,
		`{"key":"db.password","value":{"stringValue":""}}`,
	} {
		if out, counts, _ := r.Body([]byte(body), redact.BodyOptions{}); counts != nil {
			t.Errorf("%s redacts to %s (%v)", body, out, counts)
		}
		if out, counts := r.Text(body); counts != nil {
			t.Errorf("text %s redacts to %s (%v)", body, out, counts)
		}
	}
}

// escapeJSON returns s as the inside of a JSON string.
func escapeJSON(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// TestCookiesAreCredentials: a Cookie or Set-Cookie header's value is a
// session, whatever it looks like: in a header map, a HAR header or
// cookie list, an OpenTelemetry header attribute, a JSON text held in a
// string and in a header line of free text (a curl -v trace, a raw
// request a tool printed). Before, `Cookie: sessionid=…` and {"cookie":
// "sessionid=…"} were written as they came.
func TestCookiesAreCredentials(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range []struct{ body, value string }{
		{`{"headers":{"cookie":"sessionid=q8Zr2vK9xw; csrftoken=Lm3Pw7"}}`, "q8Zr2vK9xw"},
		{`{"headers":{"Cookie":"sessionid=q8Zr2vK9xw; csrftoken=Lm3Pw7"}}`, "Lm3Pw7"},
		{`{"headers":{"set-cookie":"__cf_bm=Jz8kQ2.x9-1700000000; path=/; HttpOnly"}}`, "Jz8kQ2"},
		{`{"headers":[{"name":"Cookie","value":"sessionid=q8Zr2vK9xw"}]}`, "q8Zr2vK9xw"},
		{`{"headers":[{"name":"Set-Cookie","value":"sid=Pq4Lz; Secure"}]}`, "Pq4Lz"},
		{`{"cookies":[{"name":"sessionid","value":"q8Zr2vK9xw","path":"/"}]}`, "q8Zr2vK9xw"},
		{`{"request":{"cookies":[{"name":"sid","value":"Pq4Lz"}]}}`, "Pq4Lz"},
	} {
		out, counts, err := r.Body([]byte(c.body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), c.value) || counts.Secrets() == 0 {
			t.Errorf("body %s redacts to %s (%v)", c.body, out, counts)
		}
	}
	for _, c := range []struct{ text, value string }{
		{"GET / HTTP/1.1\r\nHost: app.acme.io\r\nCookie: sessionid=q8Zr2vK9xw; csrftoken=Lm3Pw7\r\n\r\n", "q8Zr2vK9xw"},
		{"GET / HTTP/1.1\r\nHost: app.acme.io\r\nCookie: sessionid=q8Zr2vK9xw; csrftoken=Lm3Pw7\r\n\r\n", "Lm3Pw7"},
		{"< set-cookie: __cf_bm=Jz8kQ2.x9-1700000000; path=/; HttpOnly\n< server: cloudflare", "Jz8kQ2"},
		{`curl -H 'Cookie: sid=Pq4Lz' https://app.acme.io`, "Pq4Lz"},
		{`{"headers":{"cookie":"sessionid=q8Zr2vK9xw"}}`, "q8Zr2vK9xw"},
		{`{\"headers\":[{\"name\":\"Cookie\",\"value\":\"sessionid=q8Zr2vK9xw\"}]}`, "q8Zr2vK9xw"},
		{`printed: \"Cookie: sessionid=q8Zr2vK9xw\"`, "q8Zr2vK9xw"},
		{`headers:\nCookie: sessionid=q8Zr2vK9xw\nAccept: */*`, "q8Zr2vK9xw"},
	} {
		out, counts := r.Text(c.text)
		if strings.Contains(out, c.value) || counts.Secrets() == 0 {
			t.Errorf("text %q redacts to %q (%v)", c.text, out, counts)
		}
	}
	// A header line keeps its name, and text about cookies is left.
	if out, _ := r.Text("Cookie: sessionid=q8Zr2vK9xw"); !strings.HasPrefix(out, "Cookie: REDACTED") {
		t.Errorf("the header's name went: %q", out)
	}
	for _, text := range []string{
		"Cookie: none", "the cookie: a small file a site stores", `{"cookie":""}`, "set-cookie: ${COOKIE}",
		`{"cookie_consent":"accepted"}`, "Cookies: accepted",
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%q redacts to %q (%v)", text, out, counts)
		}
		if strings.HasPrefix(text, "{") {
			if out, counts, _ := r.Body([]byte(text), redact.BodyOptions{}); counts != nil {
				t.Errorf("body %s redacts to %s (%v)", text, out, counts)
			}
		}
	}
}

// TestLongCredentialsInJSONText: a credential of any length under a
// credential's name in a JSON text held in a string (a tool call's
// arguments, escaped once or twice) is redacted whole: a long opaque
// token, a long JWT, a PEM private key written with escaped line breaks.
// Before, the rule took values of up to 256 bytes, and a longer one that
// no shape rule knew was written as it came.
func TestLongCredentialsInJSONText(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	rng := rand.New(rand.NewPCG(4, 256))
	opaque := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		return string(b)
	}
	var pem strings.Builder
	pem.WriteString("-----BEGIN PRIVATE KEY-----\n")
	for i := 0; i < 10; i++ {
		pem.WriteString(opaque(64) + "\n")
	}
	pem.WriteString("-----END PRIVATE KEY-----\n")
	for _, c := range []struct{ name, value string }{
		{"password", opaque(300)},
		{"client_secret", opaque(2000)},
		{"refresh_token", "v1." + opaque(700)},
		{"private_key", pem.String()},
		{"api_key", "Bearer " + opaque(400)},
	} {
		member := `{"path":"/etc/app","` + c.name + `":"` + escapeJSON(c.value) + `","n":1}`
		for _, body := range []string{
			`{"arguments":"` + escapeJSON(member) + `"}`,
			`{"content":"` + escapeJSON(`{"output":"`+escapeJSON(member)+`"}`) + `"}`,
		} {
			out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if counts.Secrets() == 0 || !strings.Contains(string(out), `/etc/app`) {
				t.Errorf("%s: %.200s (%v)", c.name, out, counts)
			}
			for _, line := range strings.Split(c.value, "\n") {
				for i := 0; i+16 <= len(line); i += 16 {
					if piece := line[i : i+16]; !strings.Contains(piece, "-----") && strings.Contains(string(out), piece) {
						t.Errorf("%s: %q of the %d-byte value is left: %.200s", c.name, piece, len(c.value), out)
						break
					}
				}
			}
		}
	}
}

// TestCookieHeaderAfterAnEscapedLineBreak: a raw request a tool printed,
// held in a JSON text in a string, writes its header lines after an
// escaped line break ("HTTP/1.1\r\nCookie: …"), whose letter hid the
// word boundary the cookie rule starts at; the view reads it. Before,
// the cookie reached the import's spool.
func TestCookieHeaderAfterAnEscapedLineBreak(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, text := range []string{
		`{"trace":"GET / HTTP/1.1\r\nCookie: sessionid=q8Zr2vK9xw; csrftoken=Lm3Pw7\r\n"}`,
		`{\"trace\":\"HTTP/1.1 200 OK\\r\\nSet-Cookie: sid=q8Zr2vK9xw; HttpOnly\\r\\n\"}`,
	} {
		if out, counts := r.Text(text); strings.Contains(out, "q8Zr2vK9xw") || counts.Secrets() == 0 {
			t.Errorf("%s redacts to %s (%v)", text, out, counts)
		}
	}
}
