package replay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"
)

// answerWith is a transport that answers every request itself.
type answerWith func(*http.Request, []byte) *http.Response

func (f answerWith) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	return f(r, body), nil
}

func jsonAnswer(code int, body string) *http.Response {
	return &http.Response{StatusCode: code, Status: fmt.Sprintf("%d %s", code, http.StatusText(code)),
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}
}

// send records or replays one POST through a session.
func send(t *testing.T, s *Session, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func size(t *testing.T, path string) int {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return int(fi.Size())
}

// TestDeepBodiesStayCompact: a body nested 6,000 deep is stored in about
// its own size; indenting it would grow with the square of the depth (a
// 111 KB history once made a 181 MB cassette).
func TestDeepBodiesStayCompact(t *testing.T) {
	const depth = 3000 // 6,000 levels of JSON
	body := `{"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":` + strings.Repeat(`{"properties":{"x":`, depth) + `{"type":"string"}` + strings.Repeat(`}}`, depth) + `}}}]}}`
	path := filepath.Join(t.TempDir(), "deep.yaml")
	rec, err := Open(path, Record, Options{Transport: answerWith(func(*http.Request, []byte) *http.Response {
		return jsonAnswer(200, `{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn"}`)
	})})
	if err != nil {
		t.Fatal(err)
	}
	send(t, rec, body)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("a %d-byte body nested %d deep made a %d-byte cassette", len(body), 2*depth, size(t, path))
	if got := size(t, path); got > len(body)+4096 {
		t.Errorf("a %d-byte body made a %d-byte cassette", len(body), got)
	}
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if resp := send(t, rep, body); resp.StatusCode != 200 {
		t.Errorf("replay: %d", resp.StatusCode)
	}
}

// TestOversizedErrorIsStoredBounded: an error answer to a huge request
// keeps the request's head and digest, not its bytes, and still replays
// for that request and no other.
func TestOversizedErrorIsStoredBounded(t *testing.T) {
	huge := `{"messages":[{"role":"user","content":[{"text":"` + strings.Repeat("a very long history ", 200<<10/20) + `"}]}]}`
	other := strings.Replace(huge, "a very", "b very", 1)
	tooLarge := `{"message":"Input is too long for requested model."}`
	path := filepath.Join(t.TempDir(), "big.yaml")
	rec, err := Open(path, Record, Options{Transport: answerWith(func(_ *http.Request, body []byte) *http.Response {
		if len(body) > 100<<10 {
			return jsonAnswer(413, tooLarge)
		}
		return jsonAnswer(500, `{"message":"`+strings.Repeat("x", 2*MaxErrorBody)+`"}`)
	})})
	if err != nil {
		t.Fatal(err)
	}
	send(t, rec, huge)
	send(t, rec, `{"small":true}`)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("a %d-byte request answered 413 made a %d-byte cassette", len(huge), size(t, path))
	if got := size(t, path); got > 8*ErrorBodyHead+4096 {
		t.Errorf("a %d-byte request answered with an error made a %d-byte cassette", len(huge), got)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{BodyDigestHeader, fmt.Sprintf("truncated, %d bytes in all", len(huge)), "a very long history"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the cassette lacks %q", want)
		}
	}
	rep, err := Open(path, Replay, Options{})
	if err != nil {
		t.Fatal(err)
	}
	resp := send(t, rep, huge)
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || string(got) != tooLarge {
		t.Errorf("replay of the huge request: %d %s", resp.StatusCode, got)
	}
	resp = send(t, rep, `{"small":true}`)
	got, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || len(got) > 2*ErrorBodyHead || !strings.Contains(string(got), "truncated") {
		t.Errorf("an oversized error answer is kept bounded: %d, %d bytes", resp.StatusCode, len(got))
	}
	req, _ := http.NewRequest("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse", strings.NewReader(other))
	if _, err := rep.RoundTrip(req); !errors.Is(err, ErrNoMatch) {
		t.Errorf("a different huge request must not match: %v", err)
	}
}

// TestAliasBombIsRefused: a cassette built on YAML aliases is refused with
// the file and the line before anything is expanded, in memory linear in
// the file.
func TestAliasBombIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nversion: 1\nbomb0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "bomb%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("interactions:\n    - request:\n        body: *a9\n" + EndMarker + "\n")
	path := filepath.Join(t.TempDir(), "bomb.yaml")
	os.WriteFile(path, []byte(b.String()), 0o644)
	var err error
	alloc := allocated(func() { _, err = Load(path) })
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.File != path || ce.Line != 3 || !strings.Contains(err.Error(), "alias") || !strings.Contains(err.Error(), path+":3:") {
		t.Fatalf("got %v", err)
	}
	t.Logf("refusing a %d-byte alias bomb allocated %d bytes", b.Len(), alloc)
	if alloc > uint64(1000*b.Len()) {
		t.Errorf("refusing a %d-byte alias bomb allocated %d bytes", b.Len(), alloc)
	}
	if _, err := Open(path, Replay, Options{}); !errors.As(err, &ce) {
		t.Errorf("Open: %v", err)
	}
}

// TestTruncatedCassetteIsReported: a cassette cut at any byte is reported
// as cut short or broken, naming the file; it never loads with fewer
// interactions.
func TestTruncatedCassetteIsReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "whole.yaml")
	recordOne(t, path, nil, "cut me")
	data, _ := os.ReadFile(path)
	cut := filepath.Join(dir, "cut.yaml")
	for n := 0; n < len(data)-len(EndMarker)-1; n += 13 {
		os.WriteFile(cut, data[:n], 0o644)
		_, err := Load(cut)
		var ce *CorruptError
		if !errors.As(err, &ce) || ce.File != cut {
			t.Fatalf("cut at byte %d of %d: %v", n, len(data), err)
		}
	}
	if _, err := Load(path); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"not YAML":      "---\nversion: 1\ninteractions:\n  - a: b\n   c: d\n" + EndMarker + "\n",
		"no answer":     "---\nversion: 1\ninteractions:\n    - request:\n        method: POST\n        url: https://x/model/m/converse\n" + EndMarker + "\n",
		"broken stream": "---\nversion: 1\ninteractions:\n    - request:\n        method: POST\n        url: https://x/model/m/converse-stream\n      response:\n        code: 200\n        headers:\n            Content-Type: [application/vnd.amazon.eventstream]\n        body: abc\n" + EndMarker + "\n",
		"bad digest":    strings.Replace(string(data), "headers:\n", "headers:\n            "+BodyDigestHeader+":\n                - zz\n", 1),
		"too big":       "",
		"not cassette":  "---\nversion: [1]\n" + EndMarker + "\n",
	} {
		p := filepath.Join(dir, "bad.yaml")
		os.WriteFile(p, []byte(text), 0o644)
		if name == "too big" {
			os.Truncate(p, MaxCassetteBytes+1)
		}
		_, err := Load(p)
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "re-record") {
			t.Errorf("%s: %v", name, err)
		} else if name == "not YAML" && (ce.Line == 0 || !strings.Contains(err.Error(), fmt.Sprintf("%s:%d:", p, ce.Line))) {
			t.Errorf("%s: want the line: %v", name, err)
		}
	}
}

// FuzzLoad: any file either loads as a cassette that saves and loads back
// the same, or is refused with a *CorruptError; never a panic.
func FuzzLoad(f *testing.F) {
	c := cassette.New("x")
	c.AddInteraction(&cassette.Interaction{Request: cassette.Request{Method: "POST", URL: "https://h/model/m/converse", Body: `{"a":1}`, Headers: http.Header{"Content-Type": {"application/json"}}},
		Response: cassette.Response{Code: 200, Status: "200 OK", Headers: http.Header{"Content-Type": {"application/json"}}, Body: `{"b":2}`}})
	dir := f.TempDir()
	seed := filepath.Join(dir, "seed.yaml")
	if err := Save(seed, c); err != nil {
		f.Fatal(err)
	}
	data, _ := os.ReadFile(seed)
	f.Add(data)
	f.Add([]byte("---\nversion: 1\ninteractions: []\n" + EndMarker + "\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.yaml")
		os.WriteFile(p, data, 0o644)
		c, err := Load(p)
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("not a CorruptError: %v", err)
			}
			return
		}
		again := filepath.Join(t.TempDir(), "g.yaml")
		if err := Save(again, c); err != nil {
			return // a cassette may hold what YAML cannot write back exactly
		}
		back, err := Load(again)
		if err != nil || len(back.Interactions) != len(c.Interactions) {
			t.Fatalf("saved cassette does not load back: %v", err)
		}
		var w1, w2 bytes.Buffer
		for i := range c.Interactions {
			fmt.Fprint(&w1, c.Interactions[i].Request, c.Interactions[i].Response.Body)
			fmt.Fprint(&w2, back.Interactions[i].Request, back.Interactions[i].Response.Body)
		}
		if w1.String() != w2.String() {
			t.Fatalf("round trip changed the cassette")
		}
	})
}

// allocated returns the bytes f allocates, the least of three runs.
func allocated(f func()) uint64 {
	best := ^uint64(0)
	var a, b runtime.MemStats
	for range 3 {
		runtime.GC()
		runtime.ReadMemStats(&a)
		f()
		runtime.ReadMemStats(&b)
		best = min(best, b.TotalAlloc-a.TotalAlloc)
	}
	return best
}

// TestBrokenCassetteNamesTheLine: a cassette edited by hand into
// something replay cannot use, or written by go-vcr v3 or later (format
// version 2, whole, without the end marker), is refused naming the file
// and the line of the problem: the interaction, the value of the wrong
// type, the version.
func TestBrokenCassetteNamesTheLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "whole.yaml")
	recordOne(t, path, nil, "edit me")
	data, _ := os.ReadFile(path)
	second := strings.Replace(string(data), "interactions:\n", "interactions:\n    - request:\n        method: POST\n        url: https://x/model/m/converse\n      response:\n        code: 200\n", 1)
	v4 := "---\nversion: 2\ninteractions:\n    - id: 0\n      request:\n        proto: HTTP/1.1\n        method: POST\n        url: https://x/model/m/converse\n      response:\n        code: 200\n        duration: 1.5s\n"
	for name, tc := range map[string]struct {
		text string
		line int
		want string
	}{
		"no answer":     {text: strings.Replace(second, "code: 200", "code: 0", 1), line: 4, want: "interaction 1: the response has no status code"},
		"no method":     {text: strings.Replace(string(data), "method: POST", "metod: POST", 1), line: 4, want: "interaction 1: the request has no method or URL"},
		"second broken": {text: strings.Replace(second, "headers:\n", "headers:\n            "+BodyDigestHeader+":\n                - zz\n", 1), line: 9, want: "interaction 2:"},
		"wrong type":    {text: strings.Replace(string(data), "code: 200", "code: two hundred", 1), line: lineOf(string(data), "code: 200"), want: "not a go-vcr cassette"},
		"go-vcr v4":     {text: v4, line: 2, want: "cassette format version 2"},
		"v4 with end":   {text: v4 + EndMarker + "\n", line: 2, want: "cassette format version 2"},
	} {
		p := filepath.Join(dir, "bad.yaml")
		os.WriteFile(p, []byte(tc.text), 0o644)
		_, err := Load(p)
		var ce *CorruptError
		if !errors.As(err, &ce) || ce.Line != tc.line || !strings.Contains(err.Error(), fmt.Sprintf("%s:%d:", p, tc.line)) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want %q at line %d, got %v", name, tc.want, tc.line, err)
		}
	}
}

// lineOf is the 1-based line of the first line of text holding s.
func lineOf(text, s string) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}

// TestCorruptColumnCountsBytes: a cassette problem's column counts bytes,
// as every "file:line:col" bedrock-bench prints does (package textpos),
// where the YAML parser counts characters: "é" before the alias is two
// columns.
func TestCorruptColumnCountsBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("---\nversion: 1\ny: {é: &a 1, z: *a}\ninteractions: []\n"+EndMarker+"\n"), 0o644)
	_, err := Load(path)
	want := path + ":3:9:" // the '&' is the 8th character and starts at byte 9
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %s", err, want)
	}
	os.WriteFile(path, []byte("---\n{\"é\": 1, version: 2}\n"+EndMarker+"\n"), 0o644)
	_, err = Load(path)
	if want := path + ":2:20:"; err == nil || !strings.Contains(err.Error(), want) { // the '2': character 19, byte 20
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestSaveKeepsTheCassettesMode: a new cassette is 0644, as the other
// files of a repository are, and one recorded again keeps the mode of
// the one it replaces (0664 here, a group-writable checkout). The
// temporary file os.CreateTemp makes is 0600, and the rename kept that:
// every recording made its cassette private to its owner.
func TestSaveKeepsTheCassettesMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	path := filepath.Join(t.TempDir(), "mode.yaml")
	record := func() {
		s, err := Open(path, Record, Options{Name: "h", Transport: answerWith(func(*http.Request, []byte) *http.Response {
			return jsonAnswer(200, `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn"}`)
		})})
		if err != nil {
			t.Fatal(err)
		}
		send(t, s, `{"messages":[]}`)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	mode := func() os.FileMode {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Mode().Perm()
	}
	record()
	if m := mode(); m != 0o644 {
		t.Errorf("new cassette: mode %v, want -rw-r--r--", m)
	}
	if err := os.Chmod(path, 0o664); err != nil {
		t.Fatal(err)
	}
	record()
	if m := mode(); m != 0o664 {
		t.Errorf("re-recorded cassette: mode %v, want the old -rw-rw-r--", m)
	}
}

// TestCassetteWithWindowsLineEnds: a cassette checked out with CRLF line
// ends (git's core.autocrlf on Windows rewrites every committed text
// file) loads with the same interactions, bodies and all. Before, its last
// line "# end of cassette\r" was not the end marker, and every cassette of
// such a checkout failed as "cut short", with advice to check it out
// again, which brought back the same file.
func TestCassetteWithWindowsLineEnds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lf.yaml")
	recordOne(t, path, nil, "line\nends")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	crlf := filepath.Join(dir, "crlf.yaml")
	if err := os.WriteFile(crlf, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(crlf)
	if err != nil {
		t.Fatalf("CRLF: %v", err)
	}
	if len(got.Interactions) != len(want.Interactions) || len(got.Interactions) == 0 {
		t.Fatalf("%d interactions, want %d", len(got.Interactions), len(want.Interactions))
	}
	for i := range want.Interactions {
		if got.Interactions[i].Request.Body != want.Interactions[i].Request.Body || got.Interactions[i].Response.Body != want.Interactions[i].Response.Body {
			t.Errorf("interaction %d: bodies differ:\n%q\n%q", i, got.Interactions[i].Request.Body, want.Interactions[i].Request.Body)
		}
	}
}
