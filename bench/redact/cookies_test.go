package redact_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestQuotedCookieValuesAreRedactedWhole: a Cookie or Set-Cookie header
// is redacted whole to its end where a cookie's value is quoted (RFC
// 6265 allows a DQUOTE-wrapped value; a="b c" with a space is what
// browsers send as well) or holds a backslash: in free text, in a JSON
// string (escaped once), and in a JSON text held in a string (escaped
// twice); the string around it stays valid. Before, the value ended at
// the first quote or backslash and the rest of the header was written
// as it came.
func TestQuotedCookieValuesAreRedactedWhole(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	const (
		a = "Qz8pLm2xTv"
		b = "Wk4nRs7yBc"
		c = "Hd6jFq9eNu"
	)
	for _, header := range []string{
		`Cookie: sid="` + a + ` ` + b + `"; csrf=` + c,
		`Cookie: sid=` + a + `\` + b + `; csrf=` + c,
		`Cookie: csrf=` + c + `; sid="` + a + `\"` + b + `"`,
		`Set-Cookie: sid="` + a + `:` + b + `,` + c + `"; Path=/; HttpOnly`,
		`cookie: sid='` + a + `'; x="` + b + `"; csrf=` + c,
	} {
		check := func(where, text, out string, counts redact.Counts) {
			t.Helper()
			for _, v := range []string{a, b, c} {
				if strings.Contains(out, v) && strings.Contains(header, v) {
					t.Errorf("%s: %q of %q is left: %q (%v)", where, v, text, out, counts)
				}
			}
			if counts.Secrets() == 0 || !strings.Contains(strings.ToLower(out), "cookie: redacted:") {
				t.Errorf("%s: %q redacts to %q (%v)", where, text, out, counts)
			}
		}
		// Free text: a raw request a tool printed, and a curl command.
		for _, text := range []string{
			"GET / HTTP/1.1\r\nHost: app.acme.io\r\n" + header + "\r\nAccept: */*\r\n\r\n",
			"the request sent\n" + header,
		} {
			out, counts := r.Text(text)
			check("text", text, out, counts)
			if strings.Contains(text, "Accept") && !strings.Contains(out, "\r\nAccept: */*\r\n") {
				t.Errorf("the next header went: %q", out)
			}
		}
		// A message's text and a tool call's arguments in a body.
		raw := "GET / HTTP/1.1\r\n" + header + "\r\nAccept: */*\r\n"
		args, _ := json.Marshal(map[string]string{"trace": raw, "headers": header[:strings.Index(header, ":")] + ":" + header[strings.Index(header, ":")+1:]})
		member, _ := json.Marshal(map[string]any{"request": map[string]any{"headers": map[string]string{"Cookie": header[strings.Index(header, ":")+2:], "Host": "app.acme.io"}}})
		body, _ := json.Marshal(map[string]any{"messages": []any{
			map[string]any{"role": "user", "content": raw},
			map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function",
				"function": map[string]any{"name": "log", "arguments": string(args)}}}},
			map[string]any{"role": "tool", "tool_call_id": "c1", "content": string(member)},
		}})
		out, counts, err := r.Body(body, redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Messages []struct {
				Content   string `json:"content"`
				ToolCalls []struct {
					Function struct{ Arguments string } `json:"function"`
				} `json:"tool_calls"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%s: the body is no JSON: %v\n%s", header, err, out)
		}
		check("body", header, string(out), counts)
		var got map[string]string
		if err := json.Unmarshal([]byte(doc.Messages[1].ToolCalls[0].Function.Arguments), &got); err != nil || !strings.HasSuffix(got["trace"], "\r\nAccept: */*\r\n") {
			t.Errorf("%s: the arguments: %v %q", header, err, doc.Messages[1].ToolCalls[0].Function.Arguments)
		}
		var res map[string]map[string]map[string]string
		if err := json.Unmarshal([]byte(doc.Messages[2].Content), &res); err != nil || res["request"]["headers"]["Host"] != "app.acme.io" {
			t.Errorf("%s: the tool result: %v %q", header, err, doc.Messages[2].Content)
		}
	}
}

// TestCookieListsInJSONText: a HAR cookie list ("cookies": [{"name":
// "sid", "value": "…"}], as a HAR entry's request and response hold it)
// in a JSON text held in a string, a tool result or a tool call's
// arguments, escaped once or twice, has its values redacted as a body's
// own list has; the names, paths and domains are kept. Before, the values
// were written as they came.
func TestCookieListsInJSONText(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	values := []string{"q8Zr2vK9xw", "Pq4Lz", "b7-Xe.2f_t", "a b"}
	entry := map[string]any{"request": map[string]any{"method": "GET", "url": "https://app.acme.io/",
		"cookies": []any{
			map[string]any{"name": "sessionid", "value": values[0], "path": "/", "domain": "app.acme.io", "httpOnly": true},
			map[string]any{"value": values[1], "name": "csrftoken"},
			map[string]any{"name": "theme", "value": values[2], "expires": nil},
			map[string]any{"name": "q", "value": values[3]},
		},
		"headers": []any{map[string]any{"name": "Accept", "value": "*/*"}},
	}}
	har, _ := json.Marshal(entry)
	pretty, _ := json.MarshalIndent(entry, "", "  ")
	for _, text := range []string{string(har), string(pretty)} {
		args, _ := json.Marshal(map[string]string{"entry": text})
		body, _ := json.Marshal(map[string]any{"messages": []any{
			map[string]any{"role": "user", "content": text},
			map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function",
				"function": map[string]any{"name": "save", "arguments": string(args)}}}},
		}})
		out, counts, err := r.Body(body, redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			if strings.Contains(string(out), `"`+v+`\`) {
				t.Errorf("the cookie value %q is left: %s", v, out)
			}
		}
		if counts.Secrets() != 2*len(values) {
			t.Errorf("%v, want %d secrets: %s", counts, 2*len(values), out)
		}
		for _, keep := range []string{"sessionid", "csrftoken", "app.acme.io", "*/*"} {
			if !strings.Contains(string(out), keep) {
				t.Errorf("%q went: %s", keep, out)
			}
		}
		var doc struct {
			Messages []struct {
				Content   string `json:"content"`
				ToolCalls []struct {
					Function struct{ Arguments string } `json:"function"`
				} `json:"tool_calls"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(out, &doc); err != nil || !json.Valid([]byte(doc.Messages[0].Content)) {
			t.Fatalf("no JSON any more: %v %s", err, out)
		}
		var a map[string]string
		if err := json.Unmarshal([]byte(doc.Messages[1].ToolCalls[0].Function.Arguments), &a); err != nil || !json.Valid([]byte(a["entry"])) {
			t.Errorf("the arguments are no JSON any more: %v %s", err, doc.Messages[1].ToolCalls[0].Function.Arguments)
		}
	}
	// Other lists and other values are kept.
	for _, text := range []string{
		`{"cookies":[{"name":"consent","value":"none"}]}`,
		`{"cookies":[],"headers":[{"name":"X-Trace","value":"abc123def456"}]}`,
		`{"cookie_names":["sessionid"],"value":"abc123def456"}`,
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%s redacts to %s (%v)", text, out, counts)
		}
	}
}
