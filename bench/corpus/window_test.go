package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

var generated struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// sharedTemp is a folder for the whole test binary, removed by TestMain.
var sharedTemp string

// generatedLogs writes 3,000 invocation-log records once per test binary
// (genlogs: conversations logged turn by turn and interleaved, Converse
// and Messages API bodies, images, tool rounds, personal data).
func generatedLogs(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("generates logs with go run")
	}
	generated.once.Do(func() {
		generated.dir = filepath.Join(sharedTemp, "genlogs")
		cmd := exec.Command("go", "run", "../ingest/testdata/genlogs", "-n", "3000", "-files", "3", "-out", generated.dir)
		generated.out, generated.err = cmd.CombinedOutput()
	})
	if generated.err != nil {
		t.Fatalf("generating the logs: %v\n%s", generated.err, generated.out)
	}
	return generated.dir
}

// importWith imports src with the window bounded to window bytes.
func importWith(t *testing.T, opts Options, window int, src string) (*Importer, map[string]string, string) {
	t.Helper()
	im := newImporter(t, opts)
	im.windowMax = window
	feed(t, im, ingest.Options{}, src)
	files, rep := finish(t, im)
	return im, files, rep
}

// finish ends an import into a folder of its own and returns the files
// written and the report, as JSON.
func finish(t *testing.T, im *Importer) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	rep, err := im.Finish(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.Write(&b, "r.json"); err != nil {
		t.Fatal(err)
	}
	return tree(t, dir), b.String()
}

// TestWindowChangesNothing imports generated logs with the window as it
// ships (most records are dropped there as they came, never redacted), a
// small one (records leave it before the one extending them comes, and
// chains of prefixes drop each other), and none (every record redacted
// and spooled, as if no record were ever dropped early): the fixtures,
// the manifest and the report must be the same, with one worker or two.
func TestWindowChangesNothing(t *testing.T) {
	logs := generatedLogs(t)
	opts := Options{Select: SelectAll, Workers: 2}
	full, want, wantRep := importWith(t, opts, windowBytes, logs)
	spooled := 0
	for _, e := range full.entries {
		if e.off >= 0 {
			spooled++
		}
	}
	if r := full.rep; r.Records < 3000 || r.Prefixes < r.Records/2 || spooled > r.Records/3 || r.Conversations < 100 || len(r.Redactions) == 0 {
		t.Fatalf("records %d, prefixes %d, spooled %d, conversations %d, redactions %v: the logs do not exercise the window", r.Records, r.Prefixes, spooled, r.Conversations, r.Redactions)
	}
	for _, c := range []struct {
		name    string
		window  int
		workers int
	}{
		{"none", 0, 2},
		{"64 KiB", 64 << 10, 1},
		{"1 MiB", 1 << 20, 2},
	} {
		im, got, gotRep := importWith(t, Options{Select: SelectAll, Workers: c.workers}, c.window, logs)
		if c.window == 0 {
			for _, e := range im.entries {
				if e.off < 0 {
					t.Fatalf("without the window, entry %016x never reached the spool", e.hash)
				}
			}
		}
		if gotRep != wantRep {
			t.Errorf("window %s: the report differs:\n%s\nwant\n%s", c.name, gotRep, wantRep)
		}
		if !slices.Equal(keys(got), keys(want)) {
			t.Fatalf("window %s: %d files, want %d", c.name, len(got), len(want))
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("window %s: %s differs", c.name, k)
			}
		}
	}
}

// TestConversationSkippedWhole: where redaction makes the last record of
// a conversation undecodable (here a --redact-terms word that is also a
// role), its prefixes, dropped in the window before they were redacted,
// are skipped with it and counted so: nothing of the conversation is
// written.
func TestConversationSkippedWhole(t *testing.T) {
	logs := generatedLogs(t)
	s, err := redact.NewScanner(redact.Options{Terms: []string{"assistant"}})
	if err != nil {
		t.Fatal(err)
	}
	r := redact.NewRedactor(s, []byte("a test salt of some length"))
	im, files, _ := importWith(t, Options{Select: SelectAll, Redactor: r}, windowBytes, logs)
	rep := im.rep
	addsUp(t, "skipped at redaction", rep)
	if rep.Skipped == 0 || rep.Skipped+rep.Duplicates+rep.Prefixes+rep.Conversations != rep.Records {
		t.Fatalf("records %d: skipped %d, copies %d, prefixes %d, conversations %d", rep.Records, rep.Skipped, rep.Duplicates, rep.Prefixes, rep.Conversations)
	}
	t.Logf("records %d: skipped %d, copies %d, prefixes %d, conversations %d, files %d", rep.Records, rep.Skipped, rep.Duplicates, rep.Prefixes, rep.Conversations, len(files))
	for name, data := range files {
		if strings.Contains(data, `"role": "assistant"`) || strings.Contains(data, `"role":"assistant"`) {
			t.Errorf("%s keeps an assistant turn the terms should have redacted", name)
		}
	}
	for reason := range rep.SkipReasons {
		if !strings.Contains(reason, "does not decode") {
			t.Errorf("skip reason %q", reason)
		}
	}
}

// conversationBody is a Converse body with the first n of msgs, laid out
// as a client would: system first unless late.
func conversationBody(system string, msgs []string, n int, late bool) []byte {
	var b strings.Builder
	b.WriteString("{")
	if !late {
		b.WriteString(`"system":[{"text":` + strconv.Quote(system) + `}],`)
	}
	b.WriteString(`"messages":[` + strings.Join(msgs[:n], ",") + `]`)
	b.WriteString(`,"inferenceConfig":{"maxTokens":` + strconv.Itoa(100+n) + `}`)
	if late {
		b.WriteString(`,"system":[{"text":` + strconv.Quote(system) + `}]`)
	}
	b.WriteString("}")
	return []byte(b.String())
}

func keysOf(t *testing.T, f history.Format, body []byte) []uint64 {
	t.Helper()
	c, ok := bytesChain(f, body, "", nil)
	if !ok {
		t.Fatalf("bytesChain refused %s", body)
	}
	return c
}

// TestBytesChain: a body whose messages are another's first ones has the
// other's keys as far as it goes, wherever the system prompt sits and
// whatever else differs; its own keys change with the system prompt and
// with a message's bytes, from that message on.
func TestBytesChain(t *testing.T) {
	msgs := []string{
		`{"role":"user","content":[{"text":"Where is my order 1234?"}]}`,
		`{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"track","input":{"order":1234}}}]}`,
		`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":{"at":"Lyon"}}]}}]}`,
		`{"role":"assistant","content":[{"text":"It is in Lyon."}]}`,
		`{"role":"user","content":[{"text":"Thanks"}]}`,
	}
	full := keysOf(t, history.FormatConverse, conversationBody("Be brief.", msgs, 5, false))
	if len(full) != 5 {
		t.Fatalf("%d keys for 5 messages", len(full))
	}
	for n := 1; n < 5; n++ {
		for _, late := range []bool{false, true} {
			if got := keysOf(t, history.FormatConverse, conversationBody("Be brief.", msgs, n, late)); !slices.Equal(got, full[:n]) {
				t.Errorf("%d messages (system late %v): keys are not the first %d of the conversation's", n, late, n)
			}
		}
	}
	other := keysOf(t, history.FormatConverse, conversationBody("Be long.", msgs, 5, false))
	for i := range other {
		if other[i] == full[i] {
			t.Errorf("message %d: the same key under another system prompt", i)
		}
	}
	spaced := slices.Clone(msgs)
	spaced[2] = strings.Replace(spaced[2], `"role":"user"`, `"role": "user"`, 1)
	changed := keysOf(t, history.FormatConverse, conversationBody("Be brief.", spaced, 5, false))
	if !slices.Equal(changed[:2], full[:2]) || changed[2] == full[2] || changed[4] == full[4] {
		t.Errorf("a message's bytes changed: keys %x, before %x", changed, full)
	}
	if an := keysOf(t, history.FormatAnthropic, conversationBody("Be brief.", msgs, 5, false)); an[0] == full[0] {
		t.Error("the same key for a Messages API body as for a Converse one")
	}
	if empty := keysOf(t, history.FormatConverse, []byte(`{"messages":[]}`)); len(empty) != 1 {
		t.Errorf("no messages: %d keys, want the seed's alone", len(empty))
	}
	for _, refused := range []struct {
		f    history.Format
		body string
	}{
		{history.FormatOpenAI, `{"messages":[]}`},
		{history.FormatConverse, `{"messages":[],"messages":[]}`},
		{history.FormatConverse, `{"system":[],"messages":[],"system":[]}`},
		{history.FormatConverse, `{"mess\u0061ges":[]}`},
		{history.FormatConverse, `{"system":[{"text":"x"],"messages":[]}`},
		{history.FormatConverse, `{"messages":[]} x`},
		{history.FormatConverse, `{"messages":{}}`},
		{history.FormatConverse, `{"messages":["text"]}`},
		{history.FormatConverse, `{"messages":[{"role":"user"}`},
		{history.FormatConverse, `{"system":[]}`},
		{history.FormatConverse, `[]`},
		{history.FormatConverse, ``},
	} {
		if _, ok := bytesChain(refused.f, []byte(refused.body), "", nil); ok {
			t.Errorf("bytesChain read %s body %s", refused.f, refused.body)
		}
	}
}

// checkBytesChain holds bytesChain to the decoder on one body: where the
// body decodes, a key per message; and the body cut to its first k
// messages has the first k keys and, where it decodes, the first k
// messages of the decoded history, so that a record dropped as a prefix
// by these keys is one by the decoded chain's.
func checkBytesChain(t *testing.T, f history.Format, body []byte) {
	keys, ok := bytesChain(f, body, "", nil)
	if !ok {
		return
	}
	checkCacheCuts(t, f, body, keys)
	h, err := decodeBody(f, body)
	if err != nil {
		return
	}
	if n := max(1, len(h.Messages)); len(keys) != n {
		t.Fatalf("%d keys for %d messages: %s", len(keys), len(h.Messages), body)
	}
	full, _ := chain(h, nil)
	c, _ := readConversation(f, body, nil)
	for k := 1; k < len(c.spans); k++ {
		cut := slices.Clone(body[:c.from+1])
		for i, span := range c.spans[:k] {
			if i > 0 {
				cut = append(cut, ',')
			}
			cut = append(cut, body[span>>32:span&(1<<32-1)]...)
		}
		cut = append(append(cut, ']'), body[c.to:]...)
		got, ok := bytesChain(f, cut, "", nil)
		if !ok || !slices.Equal(got, keys[:k]) {
			t.Fatalf("cut to %d messages: keys %x (ok %v), want %x\n%s", k, got, ok, keys[:k], cut)
		}
		hk, err := decodeBody(f, cut)
		if err != nil {
			continue
		}
		if part, _ := chain(hk, nil); !slices.Equal(part, full[:k]) {
			t.Fatalf("cut to %d messages, the decoded history is not the first %d of the whole:\n%s\n%s", k, k, cut, body)
		}
	}
}

// checkCacheCuts holds the cache marks bytesChain leaves out of a key to
// the decoder: the body with the marks taken out has the same keys, and
// decodes where the body does, to the same chain hashes, and only there.
func checkCacheCuts(t *testing.T, f history.Format, body []byte, keys []uint64) {
	c, _ := readConversation(f, body, nil)
	var cut []byte
	from := 0
	for _, span := range c.spans {
		start, end := int(span>>32), int(span&(1<<32-1))
		cuts, ok := cacheCuts(f, body[start:end], nil)
		if !ok {
			continue
		}
		for k := 0; k < len(cuts); k += 2 {
			cut = append(cut, body[from:start+cuts[k]]...)
			from = start + cuts[k+1]
		}
	}
	if cut == nil {
		return
	}
	cut = append(cut, body[from:]...)
	if got, ok := bytesChain(f, cut, "", nil); !ok || !slices.Equal(got, keys) {
		t.Fatalf("without its cache marks, the body's keys change (ok %v):\n%s\n%s", ok, body, cut)
	}
	h, err := decodeBody(f, body)
	hc, errc := decodeBody(f, cut)
	if (err == nil) != (errc == nil) {
		t.Fatalf("the body decodes (%v) where it does not without its cache marks (%v), or the other way:\n%s\n%s", err, errc, body, cut)
	}
	if err != nil {
		return
	}
	want, _ := chain(h, nil)
	if got, _ := chain(hc, nil); !slices.Equal(got, want) {
		t.Fatalf("without its cache marks, the body decodes to another chain:\n%s\n%s", body, cut)
	}
}

// decodeBody decodes a request body of format f as a fixture would be.
func decodeBody(f history.Format, body []byte) (*history.History, error) {
	b := []byte(`{"format":` + strconv.Quote(string(f)) + `,"request":`)
	b = append(append(b, body...), '}')
	return decodeFixture(f, b)
}

func TestBytesChainMatchesTheDecoder(t *testing.T) {
	logs := generatedLogs(t)
	files, err := ingest.Files([]string{logs})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		err := ingest.ReadFile(context.Background(), file, ingest.Options{}, ingest.Handler{Emit: func(r ingest.Record) error {
			if n++; n%7 == 0 {
				checkBytesChain(t, r.Format, r.Body)
			}
			return nil
		}, Skip: func(ingest.Skip) {}, Ignored: func(string) {}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func FuzzBytesChain(f *testing.F) {
	msgs := []string{
		`{"role":"user","content":[{"text":"hi"}]}`,
		`{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"n","input":{}}}]}`,
		`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"x"}]}}]}`,
	}
	f.Add(false, conversationBody("s", msgs, 3, false))
	f.Add(false, conversationBody("s", msgs, 2, true))
	f.Add(true, []byte(`{"system":"be kind","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"text","text":"yo"}]}],"max_tokens":9}`))
	f.Add(false, []byte(`{"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{}"}}}},"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
	f.Add(true, []byte(`{"output_format":{"type":"json_schema","schema":{}},"tools":[{"name":"t","input_schema":{},"strict":true}],"messages":[{"role":"user","content":"hi"}],"max_tokens":9}`))
	f.Add(true, []byte(`{"tools":[{"name":"t","input_schema":{}}],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}`))
	for _, c := range cacheConversations {
		f.Add(c.format == history.FormatAnthropic, c.markedBody(len(c.marked)))
		f.Add(c.format == history.FormatAnthropic, c.body(c.marked))
	}
	f.Fuzz(func(t *testing.T, anthropic bool, body []byte) {
		fm := history.FormatConverse
		if anthropic {
			fm = history.FormatAnthropic
		}
		checkBytesChain(t, fm, body)
	})
}

// failingWriter fails every write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestSpoolErrorEndsTheImport: a spool that cannot be written ends the
// import with an error naming it, after every stage has drained, rather
// than a hang or a partial set of fixtures.
func TestSpoolErrorEndsTheImport(t *testing.T) {
	logs := generatedLogs(t)
	im, err := New(Options{Redactor: testRedactor(t), Select: SelectAll, TempDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	im.spoolW = bufio.NewWriterSize(failingWriter{}, 16)
	feed(t, im, ingest.Options{}, logs)
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() { _, err := im.Finish(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "writing the import spool") || !strings.Contains(err.Error(), "no space left") {
			t.Fatalf("Finish: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the import hangs on a spool it cannot write")
	}
	if files := tree(t, dir); len(files) != 0 {
		t.Errorf("%d files written after the spool failed", len(files))
	}
}

// importBodies imports bodies, one record each, in that order: Converse
// bodies, or Messages API ones where the line starts with "A" (taken off).
func importBodies(t *testing.T, bodies [][]byte, window int) (*Importer, map[string]string, string) {
	t.Helper()
	im := newImporter(t, Options{Select: SelectAll, Workers: 2})
	im.windowMax = window
	for i, b := range bodies {
		f := history.FormatConverse
		if len(b) > 0 && b[0] == 'A' {
			f, b = history.FormatAnthropic, b[1:]
		}
		im.Add(ingest.Record{Format: f, Body: b, Source: ingest.Source{Origin: "fuzz", File: "log.jsonl", Line: i + 1, Fidelity: ingest.Verbatim}})
	}
	files, rep := finish(t, im)
	return im, files, rep
}

// FuzzWindow holds the window to what it promises on any log: where every
// record decodes, as it came and redacted (so no record is skipped
// without the window), the fixtures, manifest and report are the same
// with the window as without it. Records are the input's lines.
func FuzzWindow(f *testing.F) {
	for _, seed := range windowSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Split(data, []byte("\n"))
		if len(lines) > 12 {
			lines = lines[:12]
		}
		none, want, wantRep := importBodies(t, lines, 0)
		if none.rep.Skipped > 0 {
			return // a record that does not decode: the window may count it a prefix instead
		}
		_, got, gotRep := importBodies(t, lines, windowBytes)
		if gotRep != wantRep {
			t.Fatalf("the report differs with the window:\n%s\nwithout:\n%s", gotRep, wantRep)
		}
		if !slices.Equal(keys(got), keys(want)) {
			t.Fatalf("files with the window %v, without %v", keys(got), keys(want))
		}
		for k := range want {
			if got[k] != want[k] {
				t.Fatalf("%s differs with the window", k)
			}
		}
	})
}

var windowTurns = []string{
	`{"role":"user","content":[{"text":"Hi, I am jo.bloggs@contoso-mail.com"}]}`,
	`{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"look","input":{"q":"order 1234"}}}]}`,
	`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"shipped"}]}}]}`,
	`{"role":"assistant","content":[{"text":"It shipped."}]}`,
}

// windowLog is a Converse conversation logged turn by turn, one line a
// record; spaced writes some records' messages with other separators.
func windowLog(system string, turns []string, spaced bool) []byte {
	var lines []string
	for n := 1; n <= len(turns); n++ {
		sep := ","
		if spaced && n%2 == 0 {
			sep = ", "
		}
		lines = append(lines, `{"system":[{"text":`+strconv.Quote(system)+`}],"messages":[`+strings.Join(turns[:n], sep)+`]}`)
	}
	return []byte(strings.Join(lines, "\n"))
}

func windowSeeds() [][]byte {
	seeds := [][]byte{
		windowLog("Be brief.", windowTurns, false),
		windowLog("Be brief.", windowTurns, true),
		append(append(windowLog("Be brief.", windowTurns, false), '\n'), windowLog("Call +44 20 7946 0958.", windowTurns[:2], false)...),
		[]byte(`{"messages":[{"role":"user","content":[{"text":"a"}]}]}` + "\n" + `{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"text":"b"}]}],"inferenceConfig":{"maxTokens":5}}`),
		[]byte(`A{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}]}` + "\n" + `A{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}`),
	}
	for _, c := range cacheConversations {
		var lines [][]byte
		for n := 1; n <= len(c.marked); n++ {
			b := c.markedBody(n)
			if c.format == history.FormatAnthropic {
				b = append([]byte("A"), b...)
			}
			lines = append(lines, b)
		}
		seeds = append(seeds, bytes.Join(lines, []byte("\n")))
	}
	return seeds
}

// TestWindowSeedsImport: FuzzWindow's seeds import without a skip and
// drop prefixes in the window, so the fuzzer starts where the property
// is tested.
func TestWindowSeedsImport(t *testing.T) {
	for i, seed := range windowSeeds() {
		im, _, _ := importBodies(t, bytes.Split(seed, []byte("\n")), windowBytes)
		dropped := 0
		for _, e := range im.entries {
			if e.off < 0 {
				dropped++
			}
		}
		if im.rep.Skipped != 0 || dropped == 0 {
			t.Errorf("seed %d: %d skipped, %d dropped in the window: %v", i, im.rep.Skipped, dropped, im.rep.SkipExamples)
		}
	}
}
