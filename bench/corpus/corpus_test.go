package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

const examples = "../ingest/testdata"

func testRedactor(t testing.TB) *redact.Redactor {
	t.Helper()
	s, err := redact.NewScanner(redact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return redact.NewRedactor(s, []byte("a test salt of some length"))
}

// importInto runs a whole import of sources into dir.
func importInto(t testing.TB, dir string, opts Options, ingestOpts ingest.Options, sources ...string) *Report {
	t.Helper()
	im := newImporter(t, opts)
	feed(t, im, ingestOpts, sources...)
	rep, err := im.Finish(dir)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// newImporter starts an importer with the test redactor (unless opts
// has one) and its own temporary folder.
func newImporter(t testing.TB, opts Options) *Importer {
	t.Helper()
	if opts.Redactor == nil {
		opts.Redactor = testRedactor(t)
	}
	opts.TempDir = t.TempDir()
	im, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// feed reads every record of sources into im.
func feed(t testing.TB, im *Importer, ingestOpts ingest.Options, sources ...string) {
	t.Helper()
	files, err := ingest.Files(sources)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := ingest.ReadFile(context.Background(), f, ingestOpts, ingest.Handler{Emit: func(r ingest.Record) error { im.Add(r); return nil }, Skip: im.Skip, Ignored: im.Ignored}); err != nil {
			t.Fatal(err)
		}
	}
}

// tree reads every file under dir, by relative path.
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

func TestDedupeKeepsLeaves(t *testing.T) {
	dir := t.TempDir()
	rep := importInto(t, dir, Options{Select: SelectAll}, ingest.Options{}, filepath.Join(examples, "openai", "chat-requests.jsonl"))
	// Lines 1-3 grow one conversation, line 4 repeats line 2; 5, 6 and 8
	// are other conversations; 7 is not JSON; 8 has an unknown role.
	if rep.Records != 7 || rep.Duplicates != 1 || rep.Prefixes != 2 || rep.Skipped != 2 || rep.Conversations != 3 || rep.Written != 3 {
		t.Fatalf("report %+v", rep)
	}
	hs, err := history.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var longest *history.History
	for _, h := range hs {
		if !h.Source.Redacted || !h.HasTag("imported") || !h.HasTag("kept:all") {
			t.Errorf("%s: source %+v tags %v", h.ID, h.Source, h.Tags)
		}
		if longest == nil || len(h.Messages) > len(longest.Messages) {
			longest = h
		}
	}
	if len(longest.Messages) != 6 {
		t.Fatalf("the leaf of the growing conversation was not kept: %d messages", len(longest.Messages))
	}
	// Redaction happened before hashing: the e-mail in the last turn is gone.
	data, _ := os.ReadFile(filepath.Join(dir, longest.ID+".json"))
	if bytes.Contains(data, []byte("j.smith@fabrikam-mail.net")) || !bytes.Contains(data, []byte("@example.com")) || !bytes.Contains(data, []byte(`"email": 1`)) {
		t.Errorf("e-mail not redacted or not counted:\n%s", data)
	}
}

func TestBedrockConversationDedupe(t *testing.T) {
	dir := t.TempDir()
	rep := importInto(t, dir, Options{Select: SelectAll}, ingest.Options{S3Mirror: filepath.Join(examples, "s3mirror")}, filepath.Join(examples, "bedrock", "cloudwatch.jsonl"))
	// Three records of one tool conversation leave one leaf.
	if rep.Records != 7 || rep.Prefixes != 2 || rep.Conversations != 5 {
		t.Fatalf("report %+v", rep)
	}
	files := tree(t, dir)
	var all string
	for _, k := range keys(files) {
		all += files[k]
	}
	for _, leak := range []string{"210987654321", "maria.garcia@contoso-mail.com", "+1 415 555 0199", "refunds@contoso-mail.com", "arn:aws:sts"} {
		if strings.Contains(all, leak) {
			t.Errorf("%q reached a fixture", leak)
		}
	}
	if !strings.Contains(all, "inference-profile/us.anthropic") || !strings.Contains(all, accountPlaceholder) {
		t.Errorf("the model ARN should keep its profile with the placeholder account")
	}
	if rep.Redactions["image"] != 1 || rep.Redactions["email"] < 2 {
		t.Errorf("redactions %v", rep.Redactions)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	importInto(t, a, Options{Workers: 1}, ingest.Options{}, examples)
	importInto(t, b, Options{Workers: 3}, ingest.Options{}, examples)
	ta, tb := tree(t, a), tree(t, b)
	if strings.Join(keys(ta), "\n") != strings.Join(keys(tb), "\n") {
		t.Fatalf("different files:\n%v\n%v", keys(ta), keys(tb))
	}
	for k := range ta {
		if ta[k] != tb[k] {
			t.Errorf("%s differs between runs", k)
		}
	}
}

func TestCoverageSelection(t *testing.T) {
	dir := t.TempDir()
	fam, _ := converse.LookupFamily("nova")
	rep := importInto(t, dir, Options{Families: []converse.Family{fam}, Clean: 1}, ingest.Options{S3Mirror: filepath.Join(examples, "s3mirror")}, examples)
	hs, err := history.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	clean, exemplars := 0, 0
	groups := map[string]bool{}
	for _, h := range hs {
		switch {
		case h.HasTag("kept:clean"):
			clean++
		case h.HasTag("kept:exemplar"):
			exemplars++
			var breaks []string
			for _, tag := range h.Tags {
				if strings.HasPrefix(tag, "breaks:") {
					breaks = append(breaks, tag)
				}
			}
			if len(breaks) == 0 || !strings.HasPrefix(h.ID, strings.TrimPrefix(breaks[0], "breaks:")+"/") {
				t.Errorf("%s: tags %v", h.ID, h.Tags)
			}
		default:
			t.Errorf("%s: no reason to be kept: %v", h.ID, h.Tags)
		}
	}
	if clean != 1 || exemplars == 0 {
		t.Fatalf("clean %d exemplars %d", clean, exemplars)
	}
	man, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range man.Fixtures {
		if groups[f.Group] {
			t.Errorf("group %q kept twice", f.Group)
		}
		groups[f.Group] = true
	}
	f := rep.Families[0]
	if f.Family != "nova" || f.Breaking == 0 || f.Share <= 0 || len(f.Rules) == 0 || f.Rules[0].Example == "" {
		t.Errorf("family report %+v", f)
	}
	// --max keeps the most common problems first.
	dir2 := t.TempDir()
	rep2 := importInto(t, dir2, Options{Families: []converse.Family{fam}, Max: 2}, ingest.Options{}, examples)
	if rep2.Written != 2 {
		t.Errorf("--max 2 wrote %d", rep2.Written)
	}
	breaking := importInto(t, t.TempDir(), Options{Families: []converse.Family{fam}, Select: SelectBreaking}, ingest.Options{}, examples)
	if breaking.Written != breaking.Families[0].Breaking {
		t.Errorf("--select breaking wrote %d of %d breaking", breaking.Written, breaking.Families[0].Breaking)
	}
}

func TestShardsMerge(t *testing.T) {
	whole := t.TempDir()
	all := importInto(t, whole, Options{Select: SelectAll}, ingest.Options{}, examples)
	var dirs []string
	total := 0
	for i := 0; i < 3; i++ {
		d := t.TempDir()
		rep := importInto(t, d, Options{Select: SelectAll, Shard: i, Shards: 3}, ingest.Options{}, examples)
		total += rep.Conversations
		dirs = append(dirs, d)
	}
	if total != all.Conversations {
		t.Fatalf("shards hold %d conversations, the whole %d: a conversation was split", total, all.Conversations)
	}
	merged := t.TempDir()
	rep, err := Merge(merged, dirs, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tw, tm := tree(t, whole), tree(t, merged)
	delete(tw, ManifestName)
	delete(tm, ManifestName)
	if strings.Join(keys(tw), "\n") != strings.Join(keys(tm), "\n") {
		t.Fatalf("merged shards differ from one run:\n%v\n%v", keys(tw), keys(tm))
	}
	if rep.Conversations != all.Conversations || rep.Families[0].Breaking != all.Families[0].Breaking || rep.Written != all.Written {
		t.Errorf("merged report %+v\nwhole %+v", rep, all)
	}
	if _, err := Merge(t.TempDir(), []string{t.TempDir()}, MergeOptions{}); err == nil {
		t.Error("merging a folder without a manifest should fail")
	}
}

func TestReportFormats(t *testing.T) {
	rep := importInto(t, t.TempDir(), Options{}, ingest.Options{}, examples)
	var txt, js, page bytes.Buffer
	if err := rep.Write(&txt, "r.txt"); err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(&js, "r.json"); err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(&page, "r.html"); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Records != rep.Records || len(back.Families) != 1 {
		t.Fatalf("JSON report: %v %+v", err, back)
	}
	h := page.String()
	if !strings.Contains(h, `class="bar"`) || !strings.Contains(h, rep.Families[0].Rules[0].Name) || strings.Contains(h, "src=") || strings.Contains(h, "<link") || strings.Contains(h, "http://") || strings.Contains(h, "https://") {
		t.Errorf("the HTML report must be self-contained with bars:\n%s", h)
	}
	if !strings.Contains(txt.String(), "break the contract as sent") {
		t.Errorf("text report:\n%s", txt.String())
	}
	// The lines under "entries read" add up to it, as a reader checks.
	addsUp(t, "examples", rep)
	entries, sum, under := -1, 0, 0
	for _, line := range strings.Split(txt.String(), "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "  entries read "):
			entries, _ = strconv.Atoi(f[2])
		case entries >= 0 && strings.HasPrefix(line, "    ") && len(f) > 0:
			i := slices.IndexFunc(f, func(w string) bool { _, err := strconv.Atoi(w); return err == nil })
			n, _ := strconv.Atoi(f[i])
			sum += n
			under++
		case entries >= 0 && under > 0:
			entries = -2 // the block ended
		}
	}
	if entries != -2 || under < 5 || sum != rep.Entries {
		t.Errorf("the lines under entries read (%d of them) add up to %d, want %d (the entries read):\n%s", under, sum, rep.Entries, txt.String())
	}
	if want := fmt.Sprintf("%d entries read:", rep.Entries); !strings.Contains(h, want) {
		t.Errorf("the HTML report does not say %q", want)
	}
	// The README shows this block for `import --out /tmp/ir --report -
	// bench/ingest/testdata`.
	rep.Out = "/tmp/ir"
	var shown bytes.Buffer
	if err := rep.WriteText(&shown); err != nil {
		t.Fatal(err)
	}
	block, _, _ := strings.Cut(shown.String(), "\n\nFamily")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+block+"\n```") {
		t.Errorf("README.md does not show the report's opening lines as the tool writes them:\n%s", block)
	}
}

func TestFromHistories(t *testing.T) {
	hs, err := history.LoadDir("../../histories")
	if err != nil {
		t.Fatal(err)
	}
	fam, _ := converse.LookupFamily(converse.DefaultFamily)
	rep := FromHistories(hs, []converse.Family{fam})
	f := rep.Families[0]
	if rep.Conversations != len(hs) || f.Breaking == 0 || f.Breaking > len(hs) || len(f.Rules) == 0 || f.Rules[0].Example == "" {
		t.Fatalf("%+v", f)
	}
	sum := 0
	for _, r := range f.Rules {
		sum += r.Count
	}
	if sum < f.Breaking {
		t.Errorf("rule counts %d below breaking histories %d", sum, f.Breaking)
	}
}

// TestWindowKeepsPrefixesOutOfTheSpool checks that a conversation logged
// turn by turn spools only its leaf, and that the window changes nothing
// in what is written: with no window every body goes to the spool, and
// the fixtures and report are the same.
func TestWindowKeepsPrefixesOutOfTheSpool(t *testing.T) {
	run := func(window int) (*Importer, map[string]string, *Report) {
		t.Helper()
		im, err := New(Options{Redactor: testRedactor(t), Select: SelectAll, TempDir: t.TempDir(), Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		im.windowMax = window
		feed(t, im, ingest.Options{S3Mirror: filepath.Join(examples, "s3mirror")}, examples)
		dir := t.TempDir()
		rep, err := im.Finish(dir)
		if err != nil {
			t.Fatal(err)
		}
		return im, tree(t, dir), rep
	}
	win, withWindow, repW := run(windowBytes)
	none, without, repN := run(0)
	var spooled int64
	for _, e := range win.entries {
		if e.off < 0 {
			if e.flags&flagPrefix == 0 {
				t.Errorf("entry %016x never reached the spool but is not a prefix (flags %b)", e.hash, e.flags)
			}
			continue
		}
		spooled += int64(e.size)
	}
	for _, e := range none.entries {
		if e.off < 0 {
			t.Errorf("without the window, entry %016x never reached the spool", e.hash)
		}
	}
	if win.rep.Prefixes == 0 || spooled != win.spoolOff || spooled >= none.spoolOff {
		t.Errorf("spooled %d bytes with the window (%d prefixes), %d without", spooled, win.rep.Prefixes, none.spoolOff)
	}
	if strings.Join(keys(withWindow), "\n") != strings.Join(keys(without), "\n") {
		t.Fatalf("different files:\n%v\n%v", keys(withWindow), keys(without))
	}
	for k := range withWindow {
		if withWindow[k] != without[k] {
			t.Errorf("%s differs with the window", k)
		}
	}
	var a, b bytes.Buffer
	if err := repW.Write(&a, "r.json"); err != nil {
		t.Fatal(err)
	}
	if err := repN.Write(&b, "r.json"); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("the report differs with the window:\n%s\n%s", a.String(), b.String())
	}
}

// TestFixtureMembersInOrder: a written fixture reads description, tags,
// format, source, request, in that order (the spool keeps the source
// last; writing puts it back before the request), and its request is the
// redacted body as it came, members and all.
func TestFixtureMembersInOrder(t *testing.T) {
	dir := t.TempDir()
	importInto(t, dir, Options{Select: SelectAll}, ingest.Options{}, filepath.Join(examples, "openai", "chat-requests.jsonl"))
	files := tree(t, dir)
	n := 0
	for rel, data := range files {
		if rel == ManifestName {
			continue
		}
		n++
		dec := jsontext.NewDecoder(strings.NewReader(data))
		if _, err := dec.ReadToken(); err != nil {
			t.Fatal(err)
		}
		var names []string
		for dec.PeekKind() == '"' {
			tok, err := dec.ReadToken()
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, tok.String())
			if err := dec.SkipValue(); err != nil {
				t.Fatal(err)
			}
		}
		if got := strings.Join(names, " "); got != "description tags format source request" {
			t.Errorf("%s: members %q", rel, got)
		}
		if h, err := history.Decode(rel, []byte(data)); err != nil || !h.Source.Redacted || len(h.Messages) == 0 {
			t.Errorf("%s: %v, source %+v", rel, err, h)
		}
	}
	if n != 3 {
		t.Errorf("%d fixtures, want 3", n)
	}
}

// TestOutputFormatAndStrictToolsKeepConversationsApart: the same messages
// sent with a structured-output schema, or with a tool in strict mode, are
// another request (V-30 may refuse it where the plain one passes), so
// dedupe keeps them apart: neither is an exact copy or a prefix of the
// other. It holds for the byte keys of Converse and Messages API bodies
// and for the decoded chain of the other formats.
func TestOutputFormatAndStrictToolsKeepConversationsApart(t *testing.T) {
	invocation := func(body string) string {
		return `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-11-20T10:00:01Z","accountId":"210987654321","region":"us-east-1",` +
			`"requestId":"r","operation":"Converse","modelId":"anthropic.claude-3-5-haiku-20241022-v1:0","input":{"inputContentType":"application/json","inputBodyJson":` + body + `}}`
	}
	converseMsgs := `"messages":[{"role":"user","content":[{"text":"List three colours."}]},{"role":"assistant","content":[{"text":"Red, green, blue."}]},{"role":"user","content":[{"text":"Now as JSON."}]}]`
	converseTwo := `"messages":[{"role":"user","content":[{"text":"List three colours."}]},{"role":"assistant","content":[{"text":"Red, green, blue."}]}]`
	schema := `"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\"}","name":"Colours"}}}}`
	tool := func(strict string) string {
		return `"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object","additionalProperties":false}}` + strict + `}}]}`
	}
	oaMsgs := `"messages":[{"role":"user","content":"List three colours."},{"role":"assistant","content":"Red, green, blue."},{"role":"user","content":"Now as JSON."}]`
	oaTwo := `"messages":[{"role":"user","content":"List three colours."},{"role":"assistant","content":"Red, green, blue."}]`
	oaTool := func(strict string) string {
		return `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","additionalProperties":false}` + strict + `}}]`
	}
	tests := []struct {
		name, file string
		lines      []string
	}{
		{"converse output", "bedrock.jsonl", []string{
			invocation(`{` + converseMsgs + `}`), invocation(`{` + converseMsgs + `,` + schema + `}`), invocation(`{` + converseTwo + `,` + strings.Replace(schema, "Colours", "Other", 1) + `}`)}},
		{"converse strict", "bedrock.jsonl", []string{
			invocation(`{` + converseMsgs + `,` + tool(``) + `}`), invocation(`{` + converseMsgs + `,` + tool(`,"strict":true`) + `}`), invocation(`{` + converseTwo + `,` + tool(`,"strict":false`) + `}`)}},
		{"openai output", "chat.jsonl", []string{
			`{"model":"gpt-4o",` + oaMsgs + `}`,
			`{"model":"gpt-4o",` + oaMsgs + `,"response_format":{"type":"json_schema","json_schema":{"name":"Colours","schema":{"type":"object"}}}}`,
			`{"model":"gpt-4o",` + oaTwo + `,"response_format":{"type":"json_schema","json_schema":{"name":"Other","schema":{"type":"object"}}}}`}},
		{"openai strict", "chat.jsonl", []string{
			`{"model":"gpt-4o",` + oaMsgs + `,` + oaTool(``) + `}`,
			`{"model":"gpt-4o",` + oaMsgs + `,` + oaTool(`,"strict":true`) + `}`,
			`{"model":"gpt-4o",` + oaTwo + `,` + oaTool(`,"strict":false`) + `}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(src, []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			rep := importInto(t, t.TempDir(), Options{Select: SelectAll}, ingest.Options{}, src)
			if rep.Records != 3 || rep.Duplicates != 0 || rep.Prefixes != 0 || rep.Written != 3 {
				t.Errorf("report %+v: want three conversations kept", rep)
			}
		})
	}
}

// TestFinishContextCancelled: a Finish whose context is done writes
// nothing, neither fixture nor manifest, and says it was interrupted.
func TestFinishContextCancelled(t *testing.T) {
	im := newImporter(t, Options{Select: SelectAll})
	feed(t, im, ingest.Options{}, examples)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	rep, err := im.FinishContext(ctx, dir)
	if !errors.Is(err, context.Canceled) || rep.Written != 0 {
		t.Fatalf("cancelled Finish: %v, %d written", err, rep.Written)
	}
	if got := tree(t, dir); len(got) != 0 {
		t.Errorf("a cancelled Finish wrote %d files", len(got))
	}
}

// fixtureWrittenCtx is a context that is done once dir holds a fixture
// (a .json file): a Finish with it stops right after its first fixture.
type fixtureWrittenCtx struct {
	context.Context
	dir string
}

func (c fixtureWrittenCtx) Err() error {
	found := false
	_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			found = true
		}
		return nil
	})
	if found {
		return context.Canceled
	}
	return nil
}

// TestFinishInterruptedDropsEarlierManifest: an import stopped after its
// first fixture, into a folder an earlier import wrote, leaves no
// manifest; before, the earlier run's manifest stayed beside the new
// fixtures, and `import --merge` read it as theirs.
func TestFinishInterruptedDropsEarlierManifest(t *testing.T) {
	dir := t.TempDir()
	earlier := filepath.Join(dir, ManifestName)
	if err := os.WriteFile(earlier, []byte(`{"version":1,"fixtures":[]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	im := newImporter(t, Options{Select: SelectAll})
	feed(t, im, ingest.Options{}, examples)
	rep, err := im.FinishContext(fixtureWrittenCtx{context.Background(), dir}, dir)
	if !errors.Is(err, context.Canceled) || rep.Written != 1 {
		t.Fatalf("interrupted Finish: %v, %d written", err, rep.Written)
	}
	if _, err := os.Stat(earlier); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the earlier manifest is still beside the new fixture: %v", err)
	}
	if _, err := ReadManifest(dir); err == nil {
		t.Error("ReadManifest reads a manifest after an interrupted run")
	}
	// Interrupted before any fixture, the folder is left as it was.
	if err := os.WriteFile(earlier, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	im = newImporter(t, Options{Select: SelectAll})
	feed(t, im, ingest.Options{}, examples)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := im.FinishContext(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if _, err := os.Stat(earlier); err != nil {
		t.Errorf("a run that wrote nothing removed the manifest: %v", err)
	}
}

// TestServiceTierKeepsConversationsApart: the same messages asked for on
// another service tier are another request (Converse serviceTier, V-67:
// a tier the model does not offer is refused; each tier has its own
// quotas and price), so dedupe keeps them apart: neither is a copy or a
// prefix of the other. It holds for the byte keys of Converse and
// Messages API bodies, for the decoded chain of the other formats, and
// for InvokeModel's tier, which is a header (here a HAR entry's) and not
// in the body.
func TestServiceTierKeepsConversationsApart(t *testing.T) {
	invocation := func(body string) string {
		return `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-11-20T10:00:01Z","accountId":"210987654321","region":"us-east-1",` +
			`"requestId":"r","operation":"Converse","modelId":"openai.gpt-oss-120b-1:0","input":{"inputContentType":"application/json","inputBodyJson":` + body + `}}`
	}
	converseMsgs := `"messages":[{"role":"user","content":[{"text":"List three colours."}]},{"role":"assistant","content":[{"text":"Red, green, blue."}]},{"role":"user","content":[{"text":"Two more."}]}]`
	converseTwo := `"messages":[{"role":"user","content":[{"text":"List three colours."}]},{"role":"assistant","content":[{"text":"Red, green, blue."}]}]`
	oaMsgs := `"messages":[{"role":"user","content":"List three colours."},{"role":"assistant","content":"Red, green, blue."},{"role":"user","content":"Two more."}]`
	oaTwo := `"messages":[{"role":"user","content":"List three colours."},{"role":"assistant","content":"Red, green, blue."}]`
	anMsgs := `"messages":[{"role":"user","content":"List three colours."},{"role":"assistant","content":"Red, green, blue."},{"role":"user","content":"Two more."}]`
	anTwo := `"messages":[{"role":"user","content":"List three colours."},{"role":"assistant","content":"Red, green, blue."}]`
	harEntry := func(tier, msgs string) string {
		h := ``
		if tier != "" {
			h = `{"name":"X-Amzn-Bedrock-Service-Tier","value":"` + tier + `"}`
		}
		body, _ := json.Marshal(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,` + msgs + `}`)
		return `{"startedDateTime":"2026-11-20T10:00:00Z","request":{"method":"POST","url":"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-haiku-4-5-20251001-v1:0/invoke",` +
			`"headers":[` + h + `],"postData":{"mimeType":"application/json","text":` + string(body) + `}},"response":{"status":200,"headers":[]}}`
	}
	tests := []struct {
		name, file string
		lines      []string
		want       int
	}{
		{"converse", "bedrock.jsonl", []string{
			invocation(`{` + converseMsgs + `}`), invocation(`{` + converseMsgs + `,"serviceTier":{"type":"flex"}}`), invocation(`{` + converseTwo + `,"serviceTier":{"type":"priority"}}`)}, 3},
		// Anthropic's standard_only is Bedrock's default tier; its auto
		// has no Bedrock tier and is dropped, so it asks for none.
		{"anthropic", "messages.jsonl", []string{
			`{"model":"claude-haiku-4-5","max_tokens":64,` + anMsgs + `,"service_tier":"auto"}`,
			`{"model":"claude-haiku-4-5","max_tokens":64,` + anTwo + `,"service_tier":"standard_only"}`}, 2},
		{"openai", "chat.jsonl", []string{
			`{"model":"gpt-4o",` + oaMsgs + `}`,
			`{"model":"gpt-4o",` + oaMsgs + `,"service_tier":"flex"}`,
			`{"model":"gpt-4o",` + oaTwo + `,"service_tier":"priority"}`}, 3},
		{"invoke header", "session.har", []string{
			`{"log":{"version":"1.2","entries":[` + harEntry("", anMsgs) + `,` + harEntry("flex", anMsgs) + `,` + harEntry("priority", anTwo) + `]}}`}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(src, []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			rep := importInto(t, dir, Options{Select: SelectAll}, ingest.Options{}, src)
			if rep.Records != tc.want || rep.Duplicates != 0 || rep.Prefixes != 0 || rep.Written != tc.want {
				t.Errorf("report %+v: want %d conversations kept", rep, tc.want)
			}
			tiers := map[string]int{}
			for name, data := range tree(t, dir) {
				if !strings.HasSuffix(name, ".json") || strings.Contains(name, "manifest") {
					continue
				}
				h, err := history.Decode(name, []byte(data))
				if err != nil {
					continue
				}
				tier := ""
				if h.ServiceTier != nil {
					tier = h.ServiceTier.Type
				}
				tiers[tier]++
			}
			if len(tiers) != tc.want {
				t.Errorf("fixtures' service tiers %v: want %d different ones", tiers, tc.want)
			}
		})
	}
}
