package redact

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// walkSeeds are bodies for the walk: realistic requests in the wire
// formats, with values to redact in names, values, numbers, escaped
// strings, media and data URLs, and bodies on the edges of what the walk
// takes.
func walkSeeds() []string {
	photo := base64.StdEncoding.EncodeToString(append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 64)...))
	note := base64.StdEncoding.EncodeToString([]byte("call +44 20 7946 0958 or mail jo@acme.io"))
	long := strings.Repeat("lorem ipsum dolor sit amet ", 20)
	cp1252 := base64.StdEncoding.EncodeToString([]byte("Jos\xe9 M\xfcller;jo@acme.io;4111 1111 1111 1111"))
	utf16 := base64.StdEncoding.EncodeToString([]byte("\xff\xfej\x00o\x00@\x00a\x00c\x00m\x00e\x00.\x00i\x00o\x00"))
	webm := base64.StdEncoding.EncodeToString([]byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm frames"))
	return []string{
		`{"messages":[{"role":"user","content":[{"document":{"format":"csv","name":"c","source":{"bytes":"` + cp1252 + `"}}},{"document":{"source":{"bytes":"` + utf16 + `"},"format":"txt"}},{"video":{"format":"webm","source":{"bytes":"` + webm + `"}}},{"type":"image","source":{"type":"base64","data":"` + webm + `"}},{"type":"redacted_thinking","data":"` + webm + `"}]}]}`,
		`{"source":{"bytes":"` + webm + `"},"x":[{"source":{"data":"` + webm + `"}}],"data":"data:video/webm;base64,` + webm + `","input_audio":{"data":"` + webm + `"}}`,
		`{"messages":[{"role":"user","content":[{"text":"mail jo@acme.io","n":4111111111111111}]}]}`,
		`{"anthropic_version":"bedrock-2023-05-31","max_tokens":512,"system":"You help ann.lee@contoso-mail.com","messages":[{"role":"user","content":"hi\nmail jo@acme.io\tplease"},{"role":"assistant","content":[{"type":"text","text":"` + long + `"}]}]}`,
		`{"model":"gpt-4o","messages":[{"role":"system","content":"card 4111 1111 1111 1111"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,` + photo + `"}}]}],"tools":[{"type":"function","function":{"name":"refund","parameters":{"type":"object","properties":{"jo@acme.io":{"type":"string"}}}}}]}`,
		`{"messages":[{"role":"user","content":[{"document":{"format":"txt","name":"note","source":{"bytes":"` + note + `"}}},{"image":{"format":"png","source":{"bytes":"` + photo + `"}}}]}],"inferenceConfig":{"maxTokens":10,"stopSequences":["\u00e9t\u00e9 jo@acme.io"]}}`,
		`{"input":[{"role":"user","content":"mail jo@acme.io"}],"data":["aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ="],"stream":true,"user":null,"n":123456789}`,
		`  {"a\nb@acme.io":"x","jo@acme.io":{"jo@acme.io":[1,2,{"k":"v"}]},"a":"a","a":12345678901234567890}  `,
		`[{"messages":1},[{"text":"jo@acme.io"}]]`,
		// OpenTelemetry attributes, the key before and after the value,
		// and cookie lists.
		`{"attributes":[{"key":"db.password","value":{"stringValue":"hunter2"}},{"value":{"arrayValue":{"values":[{"stringValue":"Basic YWRt"},{"stringValue":"x"}]}},"key":"http.request.header.authorization"}]}`,
		`{"value":{"stringValue":"jo@acme.io s3cr3t"},"key":"app.secret"}`,
		`{"request":{"cookies":[{"name":"sid","value":"Pq4Lz"}],"headers":[{"name":"Cookie","value":"sid=Pq4Lz"}]}}`,
		// After a message, the decoder's key is still "messages": the
		// names inside a cached message are never read as tokens.
		`{"messages":[{"role":"user","data":"x"},"` + photo + `"],"system":{"bytes":"x"},"z":"` + photo + `"}`, `"mail jo@acme.io"`, `4111111111111111`, `-0.5e+10`, `true`, `null`,
		`{}`, `[]`, ``, `  `, `{} {}`, `{"a":1,}`, `[1,]`, `{"a" 1}`, `"` + "\xff" + `"`, `"\ud800"`, `{"x":"é jo@acme.io"}`,
		`{"messages":[{"role":"user","content":"x"}],"messages":[{"role":"user","content":"jo@acme.io"}]}`,
		// Values cut between adjacent text pieces.
		`{"messages":[{"role":"user","content":[{"text":"mail jo@ac"},{"text":"me.io now"},{"image":{}},{"text":"jo@acme.io"}]}]}`,
		`{"system":[{"type":"text","text":"card 4111 1111 "},{"type":"text","text":"1111 1111","cache_control":{"type":"ephemeral"}}],"x":["jo@","acme.io"],"data":["jo@","acme.io"]}`,
		`[{"type":"text","content":"call +44 20 79"},{"type":"text","content":"46 0958"},{"type":"image"},"jo@","acme.io",{"text":"a","text":"jo@"},{"text":"acme.io"},{"text":"data:jo@"},"acme.io"]`,
		`{"input":[{"role":"user","content":[{"type":"input_text","text":"jo\u0040ac"},{"type":"input_text","text":"me.io"},{"type":"file","text":"jo@"},{"type":"output_text","text":"acme.io"}]}]}`,
		`[{"messages":1}] [{"text":"jo@"},{"text":"acme.io"}]`,
		// The block and item types of custom and client-run tools,
		// compaction and mid-conversation system blocks.
		`{"messages":[{"role":"assistant","tool_calls":[{"id":"c1","type":"custom","custom":{"name":"apply_patch","input":"+mail jo@acme.io"}}]},{"role":"user","content":[{"type":"mid_conv_system","content":[{"type":"text","text":"card 4111 1111 1111 1111"}]},{"type":"document","source":{"type":"content","content":[{"type":"text","text":"jo@"},{"type":"text","text":"acme.io"}]}}]},{"role":"assistant","content":[{"type":"compaction","content":"call +44 20 7946 0958"}]}]}`,
		`{"input":[{"type":"custom_tool_call","call_id":"c","name":"n","input":"jo@acme.io"},{"type":"shell_call","call_id":"s","action":{"commands":["mail jo@acme.io"]}},{"type":"shell_call_output","call_id":"s","output":[{"stdout":"4111 1111 1111 1111","stderr":""}]},{"type":"computer_call","call_id":"k","action":{"type":"type","text":"jo@acme.io"}},{"type":"computer_call_output","call_id":"k","output":{"type":"computer_screenshot","image_url":"data:image/png;base64,` + photo + `"}},{"type":"apply_patch_call","call_id":"p","operation":{"type":"update_file","path":"a","diff":"+jo@acme.io"}},{"type":"mcp_approval_response","approval_request_id":"a","approve":false,"reason":"jo@acme.io"}]}`,
		// Name/value pairs, the value before or after the name, and
		// values under a credential's name.
		`{"env":[{"value":"hunter2","name":"DB_PASSWORD"},{"name":"API_KEY","value":"abc","value":"x\\u00e9jo@acme.io"},{"name":"STAGE","value":"prod"}],"headers":{"Authorization":"Basic YWRtaW4="},"Parameters":[{"ParameterValue":"Xq7","x":{"name":"SECRET","value":"in"},"ParameterKey":"DBPassword"}]}`,
		`{"messages":[{"role":"tool","content":[{"json":{"Value":"s3cret","Name":"/prod/db/password","password":"","token":"Hello"}}]}]}`,
		strings.Repeat(`[`, 70) + `{"text":"jo@"},{"text":"acme.io"}` + strings.Repeat(`]`, 70),
		strings.Repeat(`[`, 70) + `"jo@acme.io"` + strings.Repeat(`]`, 70),
		`{"messages":[` + strings.Repeat(`[`, 62) + `"jo@acme.io"` + strings.Repeat(`]`, 62) + `]}`,
	}
}

// testRedactor is a fresh redactor: each side of a comparison gets its
// own, so neither reads the other's caches (which are memos: they change
// no result).
func testRedactor(t testing.TB) *Redactor {
	// The user's pattern of nine digits (an employee number, say) makes
	// the shortest numbers that are redacted.
	s, err := NewScanner(Options{Patterns: []string{`\b\d{9}\b`}})
	if err != nil {
		t.Fatal(err)
	}
	return NewRedactor(s, []byte("walk test salt"))
}

// tokensOnly is body through the decoder alone, messages included.
func (r *Redactor) tokensOnly(data []byte, opts BodyOptions, top bool) ([]byte, Counts, error) {
	red, err := r.bodyTokens(data, opts, top, r.tokensOnly)
	if err != nil {
		return nil, nil, err
	}
	return red.bytes(), red.Counts, nil
}

// checkWalk holds the walk to the decoder's loop on data: where the walk
// takes data, the output, the counts and the error match bodyTokens'.
// It reports whether the walk took it.
func checkWalk(t testing.TB, walker, decoder *Redactor, data []byte, top bool) bool {
	in := bytes.Clone(data)
	w := bodyWalk{r: walker, b: data, top: top}
	if !w.run() {
		return false
	}
	if !bytes.Equal(in, data) {
		t.Fatalf("the walk wrote into its input %q", in)
	}
	want, wantCounts, wantErr := decoder.tokensOnly(data, BodyOptions{}, top)
	got, gotCounts := Redaction{data, w.patches, w.total}.bytes(), w.total
	if (w.err != nil) != (wantErr != nil) {
		t.Fatalf("top %v, %q: walk error %v, decoder error %v", top, data, w.err, wantErr)
	}
	if wantErr == nil && (!bytes.Equal(got, want) || gotCounts.String() != wantCounts.String()) {
		t.Fatalf("top %v, %q:\nwalk    %q %v\ndecoder %q %v", top, data, got, gotCounts, want, wantCounts)
	}
	return true
}

// TestBodyWalkMatchesTheDecoder: on every seed, as a whole body and as a
// message, the walk gives the decoder's output or declines; it takes the
// realistic ones, and declines invalid JSON and a second value.
func TestBodyWalkMatchesTheDecoder(t *testing.T) {
	taken := map[string]bool{}
	walker, decoder := testRedactor(t), testRedactor(t)
	for _, s := range walkSeeds() {
		for _, top := range []bool{true, false} {
			if checkWalk(t, walker, decoder, []byte(s), top) {
				taken[s] = true
			}
		}
	}
	for i, s := range walkSeeds()[:8] {
		if !taken[s] {
			t.Errorf("seed %d: the walk declined a realistic body: %s", i, s)
		}
	}
	for _, s := range []string{``, `{} {}`, `{"a":1,}`, `"` + "\xff" + `"`, `"\ud800"`, strings.Repeat(`[`, 70) + `1` + strings.Repeat(`]`, 70)} {
		if taken[s] {
			t.Errorf("the walk took %q, which the decoder must decide", s)
		}
	}
	// Body, through either path, still refuses invalid JSON.
	if _, _, err := testRedactor(t).Body([]byte(`{"a":1,}`), BodyOptions{}); err == nil {
		t.Error("Body took invalid JSON")
	}
}

// cacheEntries returns every key and output the redactor's caches hold.
func cacheEntries(r *Redactor) (keys, outs []string) {
	for i := range r.texts.shards {
		sh := &r.texts.shards[i]
		for _, m := range []map[string]genEntry[cached]{sh.cur, sh.prev} {
			for k, e := range m {
				keys, outs = append(keys, k, e.key), append(outs, e.v.out, e.v.out)
			}
		}
	}
	for i := range r.msgs.shards {
		sh := &r.msgs.shards[i]
		for _, m := range []map[string]genEntry[cachedMsg]{sh.cur, sh.prev} {
			for k, e := range m {
				keys, outs = append(keys, k, e.key), append(outs, string(e.v.out), string(e.v.out))
			}
		}
	}
	for i := range r.short.slots {
		if e := r.short.slots[i].Load(); e != nil {
			keys, outs = append(keys, e.key), append(outs, e.out)
		}
	}
	return keys, outs
}

// ageCaches moves every generational cache entry to the older
// generation, as a full current generation would.
func ageCaches(r *Redactor) {
	for i := range r.texts.shards {
		sh := &r.texts.shards[i]
		sh.prev, sh.cur = sh.cur, map[string]genEntry[cached]{}
	}
	for i := range r.msgs.shards {
		sh := &r.msgs.shards[i]
		sh.prev, sh.cur = sh.cur, map[string]genEntry[cachedMsg]{}
	}
}

// TestTextKeepsNoViewOfItsInput: a text or message the caches keep is a
// copy, so a caller may hand Text and Body views of a buffer it then
// reuses (a kept view would change under the cache's feet). It holds for
// short texts, for long ones, for messages, and for entries moving up
// from the older generation, which a view of the same bytes finds.
func TestTextKeepsNoViewOfItsInput(t *testing.T) {
	r := testRedactor(t)
	texts := []string{"a long enough text mentioning jo@acme.io once", "a long enough text with nothing to redact", "short jo@acme.io", "short and clean"}
	body := `{"messages":[{"role":"user","content":"write to jo@acme.io"},{"role":"assistant","content":"done"}]}`
	use := func() {
		for _, text := range texts {
			buf := []byte(text)
			r.Text(unsafeView(buf))
			copy(buf, strings.Repeat("z", len(buf)))
		}
		buf := []byte(body)
		if _, _, err := r.Body(buf, BodyOptions{}); err != nil {
			t.Fatal(err)
		}
		copy(buf, strings.Repeat("z", len(buf)))
	}
	use()
	if keys, _ := cacheEntries(r); len(keys) < 2*2+2+2*2 {
		t.Fatalf("%d cache keys, want the two long texts, the two short ones and two messages: %q", len(keys), keys)
	}
	ageCaches(r)
	use()
	keys, outs := cacheEntries(r)
	for i := range keys {
		if strings.Contains(keys[i], "zzz") || strings.Contains(outs[i], "zzz") {
			t.Errorf("the cache holds a view of a reused buffer: %q -> %q", keys[i], outs[i])
		}
	}
}

// FuzzBodyWalk: on any input, the walk gives the decoder's output or
// declines.
func FuzzBodyWalk(f *testing.F) {
	for _, s := range walkSeeds() {
		f.Add([]byte(s), true)
	}
	walker, decoder := testRedactor(f), testRedactor(f)
	// With the user's rules matching short values, every number of two
	// digits or more and every text of two bytes or more is looked at.
	short, err := NewScanner(Options{Terms: []string{"Al"}, Patterns: []string{`\b\d{2}\b`}})
	if err != nil {
		f.Fatal(err)
	}
	shortWalker, shortDecoder := NewRedactor(short, []byte("walk test salt")), NewRedactor(short, []byte("walk test salt"))
	f.Fuzz(func(t *testing.T, data []byte, top bool) {
		checkWalk(t, walker, decoder, data, top)
		checkWalk(t, shortWalker, shortDecoder, data, top)
	})
}

func unsafeView(b []byte) string { return unsafe.String(&b[0], len(b)) }

// benchBody is a 20-turn Converse request with a system prompt and tools,
// texts of a few hundred bytes with escapes, and one value to redact a
// turn.
func benchBody() (body []byte, message []byte) {
	var b strings.Builder
	b.WriteString(`{"modelId":"anthropic.claude-3-5-sonnet-20240620-v1:0","system":[{"text":"You are a support agent for ACME.\nBe brief."}],"toolConfig":{"tools":[{"toolSpec":{"name":"lookup","description":"Find an order","inputSchema":{"json":{"type":"object","properties":{"id":{"type":"string"}}}}}}]},"messages":[`)
	for i := range 20 {
		if i > 0 {
			b.WriteByte(',')
		}
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		msg := `{"role":"` + role + `","content":[{"text":"Turn ` + strings.Repeat("x", i) + `: my order is late again.\nPlease check it and write to jo` + string(rune('a'+i)) + `@acme.io, \"quickly\" if you can. ` + strings.Repeat("Some more words about the order and the weather. ", 6) + `"}]}`
		if i == 19 {
			message = []byte(msg)
		}
		b.WriteString(msg)
	}
	b.WriteString(`],"inferenceConfig":{"maxTokens":1024,"temperature":0.2}}`)
	return []byte(b.String()), message
}

// BenchmarkBody times Body's walk beside the jsontext decoder's loop it
// replaces: a whole request whose messages the cache has seen (as in an
// import, where every turn comes back in the next request), and one
// message redacted afresh.
func BenchmarkBody(b *testing.B) {
	body, message := benchBody()
	for _, c := range []struct {
		name string
		data []byte
		top  bool
	}{{"request", body, true}, {"message", message, false}} {
		for _, path := range []string{"walk", "decoder"} {
			b.Run(c.name+"/"+path, func(b *testing.B) {
				r := testRedactor(b)
				fn := r.body
				if path == "decoder" {
					fn = r.tokensOnly
				}
				if _, _, err := fn(c.data, BodyOptions{}, c.top); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(c.data)))
				b.ReportAllocs()
				for b.Loop() {
					fn(c.data, BodyOptions{}, c.top)
				}
			})
		}
	}
}

// TestPlanAppendsWhatBodyReturns: Plan's counts and AppendTo's bytes,
// after whatever dst held, are Body's, for every seed (whitespace around
// a changed body included) and for a body with nothing to change.
func TestPlanAppendsWhatBodyReturns(t *testing.T) {
	r := testRedactor(t)
	seeds := append(walkSeeds(), " \n {\"a\":\"jo@acme.io\"} \t", `{"a":"nothing to see"}`)
	changed := 0
	for _, s := range seeds {
		want, wantCounts, wantErr := r.Body([]byte(s), BodyOptions{})
		red, err := r.Plan([]byte(s), BodyOptions{})
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%q: Plan error %v, Body error %v", s, err, wantErr)
		}
		if err != nil {
			continue
		}
		got := red.AppendTo([]byte("prefix"))
		if string(got) != "prefix"+string(want) || red.Counts.String() != wantCounts.String() {
			t.Fatalf("%q: AppendTo %q %v, Body %q %v", s, got, red.Counts, want, wantCounts)
		}
		if red.Counts != nil {
			changed++
		}
	}
	if changed < 5 {
		t.Fatalf("only %d seeds changed: the test needs bodies with values to redact", changed)
	}
}

// TestRedactorConcurrent: goroutines sharing one redactor, through its
// caches (short, long, message; with generations turning over), get what
// a redactor of their own gives. Run with -race.
func TestRedactorConcurrent(t *testing.T) {
	shared := testRedactor(t)
	shared.texts = newGenCache[cached](cacheShards * 4) // generations turn over
	shared.msgs = newGenCache[cachedMsg](cacheShards * 4)
	var inputs []string
	for i := range 200 {
		inputs = append(inputs, fmt.Sprintf(`{"messages":[{"role":"user","content":"mail u%d@acme.io or call +1 (555) 010-%04d"},{"role":"assistant","content":"ok %d"}],"system":"key%d"}`, i%50, i, i%7, i%13))
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		out, _, err := testRedactor(t).Body([]byte(in), BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(out)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 3 * len(inputs) {
				i := (k*7 + g*31) % len(inputs)
				out, _, err := shared.Body([]byte(inputs[i]), BodyOptions{})
				if err != nil || string(out) != want[i] {
					t.Errorf("goroutine %d, input %d: %s, %v; want %s", g, i, out, err, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestShortValuesMeetTheUsersRules: a value shorter than any built-in
// rule can match (a first name alone, a short code, a five-digit number)
// is still redacted where the user's terms or patterns match it, in a
// text, a body member and a JSON number, by the walk and the decoder's
// loop alike; without such rules short values are left alone.
func TestShortValuesMeetTheUsersRules(t *testing.T) {
	s, err := NewScanner(Options{Terms: []string{"Ann"}, Patterns: []string{`x\d{3}`, `\b\d{5}\b`}})
	if err != nil {
		t.Fatal(err)
	}
	r := NewRedactor(s, []byte("short values salt"))
	for _, in := range []string{"Ann", "x123", "12345"} {
		if out, c := r.Text(in); out == in || c[Custom] != 1 {
			t.Errorf("Text(%q) = %q, %v: want it redacted", in, out, c)
		}
	}
	body := []byte(`{"messages":[{"role":"user","content":"Ann"}],"user":"x123","zip":90210,"n":7}`)
	out, c, err := r.Body(body, BodyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{`"Ann"`, `"x123"`, `90210`} {
		if bytes.Contains(out, []byte(v)) {
			t.Errorf("%s left in %s", v, out)
		}
	}
	if c[Custom] != 3 || !bytes.Contains(out, []byte(`"n":7`)) {
		t.Errorf("counts %v, body %s: want 3 custom findings and n kept", c, out)
	}
	if !checkWalk(t, NewRedactor(s, []byte("short values salt")), NewRedactor(s, []byte("short values salt")), body, true) {
		t.Error("the walk declined the body")
	}
	plain, err := NewScanner(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out, c, err := NewRedactor(plain, []byte("short values salt")).Body(body, BodyOptions{}); err != nil || !bytes.Equal(out, body) || c != nil {
		t.Errorf("built-in rules alone changed %s into %s (%v, %v)", body, out, c, err)
	}
}

// TestEmptyMatchesAreNoFindings: a user's pattern that can match nothing
// (x*) reports its non-empty matches only, and the counts say so.
func TestEmptyMatchesAreNoFindings(t *testing.T) {
	s, err := NewScanner(Options{Patterns: []string{`x*`}})
	if err != nil {
		t.Fatal(err)
	}
	found := s.Scan("abc xx def")
	if len(found) != 1 || found[0].Start != 4 || found[0].End != 6 {
		t.Errorf("findings %+v, want the one at 4 to 6", found)
	}
	if out, c := NewRedactor(s, []byte("empty matches salt")).Text("abc xx def"); c[Custom] != 1 || out[:4] != "abc " || out[6:] != " def" {
		t.Errorf("Text: %q, %v; want the xx alone redacted, counted once", out, c)
	}
}

// TestOneTextPieceAllocatesNothing: the walk looks for adjacent text
// pieces in every array, and joins them only where a run has two or
// more; a message whose texts are one block each (the common case), and
// whose texts the caches hold, is walked without an allocation.
func TestOneTextPieceAllocatesNothing(t *testing.T) {
	r := testRedactor(t)
	msg := []byte(`{"role":"user","content":[{"text":"What is the weather in Paris today, and tomorrow?"},{"image":{"format":"png","source":{"bytes":"aGVsbG8="}}},{"type":"text","text":"Thanks a lot!"}],"parts":["one"]}`)
	walk := func() {
		w := bodyWalk{r: r, b: msg}
		if !w.run() || w.err != nil || len(w.patches) != 0 {
			t.Fatalf("the walk declined or changed %s", msg)
		}
	}
	walk()
	if n := testing.AllocsPerRun(100, walk); n != 0 {
		t.Errorf("%v allocations a walk, want 0", n)
	}
}
