package capture

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// plantedEmail returns a planted e-mail address.
func plantedEmail(t *testing.T) string {
	t.Helper()
	for _, p := range redacttest.New(41).All() {
		if p.Kind == redact.Email {
			return p.Value
		}
	}
	t.Fatal("no planted e-mail")
	return ""
}

// folderText returns every file of dir, joined, with the base64 strings
// of length 16 or more decoded, and read as UTF-16 too (their low bytes).
func folderText(t *testing.T, dir string) (string, int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		for _, f := range strings.Split(string(data), `"`) {
			raw, err := base64.StdEncoding.DecodeString(f)
			if err != nil || len(f) < 16 {
				continue
			}
			b.Write(raw)
			for _, odd := range []int{0, 1} {
				b.WriteByte('\n')
				for i := odd; i < len(raw); i += 2 {
					b.WriteByte(raw[i])
				}
			}
		}
	}
	return b.String(), len(entries)
}

// blockWriter makes rec's writer wait, before it redacts each body, until
// the returned function is called.
func blockWriter(rec *Recorder) (release func()) {
	gate := make(chan struct{})
	rec.beforeWrite = func() { <-gate }
	return func() { close(gate) }
}

// TestQueueBoundedInBytes: the bodies a recorder holds are bounded in
// bytes as well as in count: with the defaults (256 bodies, 64 MiB each)
// it held up to 16 GiB; now 128 MiB. A body past the bound is dropped and
// counted, and the call is not kept waiting.
func TestQueueBoundedInBytes(t *testing.T) {
	rec, dir := newRecorder(t, 0)
	release := blockWriter(rec)
	email := plantedEmail(t)
	prefix := `{"messages":[{"role":"user","content":[{"text":"mail ` + email + ` `
	suffix := `"}]}]}`
	const size = 4 << 20
	kept := 0
	for i := range 48 {
		body := prefix + strings.Repeat(string(rune('a'+i%26)), size-len(prefix)-len(suffix)) + suffix
		if rec.Record(history.FormatConverse, []byte(body), ingest.Source{Operation: "Converse", Model: model, Time: now(), Captured: now()[:10]}) {
			kept++
		}
	}
	if want := DefaultQueueBytes / size; kept != want || rec.Stats().Dropped != int64(48-want) {
		t.Errorf("kept %d bodies of 4 MiB, stats %+v; want %d kept", kept, rec.Stats(), want)
	}
	if h := rec.held.Load(); h > DefaultQueueBytes {
		t.Errorf("%d bytes held, over %d", h, DefaultQueueBytes)
	}
	release()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if st := rec.Stats(); st.Captured+st.Skipped != int64(kept) || rec.held.Load() != 0 {
		t.Errorf("stats %+v, %d bytes still held", st, rec.held.Load())
	}
	if all, _ := folderText(t, dir); strings.Contains(all, email) {
		t.Errorf("the planted %q is on disk", email)
	}
}

// TestCloseContextDropsWhatIsLeft: Close waits for every queued body to
// be redacted, which for large bodies took minutes; CloseContext stops
// waiting when its context ends, counts the bodies left (the one being
// redacted too) as dropped before it returns, and nothing is written
// after.
func TestCloseContextDropsWhatIsLeft(t *testing.T) {
	rec, dir := newRecorder(t, 16)
	release := blockWriter(rec)
	email := plantedEmail(t)
	for range 5 {
		body := `{"messages":[{"role":"user","content":[{"text":"mail ` + email + `"}]}]}`
		if !rec.Record(history.FormatConverse, []byte(body), ingest.Source{Operation: "Converse", Model: model, Time: now(), Captured: now()[:10]}) {
			t.Fatal("a body was dropped")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rec.CloseContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("CloseContext: %v, want the context's error", err)
	}
	if st := rec.Stats(); st.Dropped != 5 || st.Captured != 0 {
		t.Errorf("stats %+v, want the 5 bodies dropped", st)
	}
	release()
	<-rec.done
	if st := rec.Stats(); st.Dropped != 5 || st.Captured != 0 || st.Failed != 0 || rec.held.Load() != 0 {
		t.Errorf("after the writer ended: stats %+v, %d bytes held", st, rec.held.Load())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written after CloseContext returned", len(entries))
	}
	// A recorder given the time writes everything.
	rec2, dir2 := newRecorder(t, 16)
	rec2.Record(history.FormatConverse, []byte(`{"messages":[{"role":"user","content":[{"text":"mail `+email+`"}]}]}`), ingest.Source{Operation: "Converse", Model: model, Time: now(), Captured: now()[:10]})
	if err := rec2.CloseContext(context.Background()); err != nil || rec2.Stats().Captured != 1 {
		t.Errorf("CloseContext: %v, stats %+v", err, rec2.Stats())
	}
	if all, n := folderText(t, dir2); n != 1 || strings.Contains(all, email) {
		t.Errorf("%d files, planted value on disk: %v", n, strings.Contains(all, email))
	}
}

// TestProxyWithoutARecorderForwards: a proxy built without a recorder
// (its options allow it) forwards model calls without recording them;
// before, the first one panicked.
func TestProxyWithoutARecorderForwards(t *testing.T) {
	hs := startEmulator(t)
	ps := startProxy(t, hs, nil)
	out, err := client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret").Converse(context.Background(),
		&bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: conversation})
	if err != nil || out.Output == nil {
		t.Fatalf("the call through a proxy without a recorder: %v", err)
	}
}

// TestNonUTF8DocumentsNeverReachACapture: a text document Converse takes
// (csv, txt) written in Windows-1252 (an Excel export) or UTF-16 (with a
// byte order mark or without) is redacted in the fixture; before, its
// bytes were kept as they came, and a UTF-16 one with a byte order mark
// was taken for an MP3 and emptied.
func TestNonUTF8DocumentsNeverReachACapture(t *testing.T) {
	hs := startEmulator(t)
	var values []string
	for _, p := range redacttest.New(42).All() {
		switch p.Kind {
		case redact.Email, redact.CardNumber, redact.USSSN:
			values = append(values, p.Value)
		}
	}
	text := "name;email;card;ssn\r\nJosé Müller;" + strings.Join(values, ";") + "\r\n"
	le := func(bom bool) []byte {
		var b []byte
		if bom {
			b = []byte{0xff, 0xfe}
		}
		for _, u := range utf16.Encode([]rune(text)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	docs := map[string][]byte{
		"windows-1252":    []byte(strings.NewReplacer("é", "\xe9", "ü", "\xfc").Replace(text)),
		"utf-16le bom":    le(true),
		"utf-16le no bom": le(false),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			rec, dir := newRecorder(t, 4)
			c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
			_, _ = c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
				&types.ContentBlockMemberText{Value: "Summarise the attached customers."},
				&types.ContentBlockMemberDocument{Value: types.DocumentBlock{Format: types.DocumentFormatCsv, Name: aws.String("customers"), Source: &types.DocumentSourceMemberBytes{Value: doc}}},
			}}}})
			if err := rec.Close(); err != nil {
				t.Fatal(err)
			}
			all, n := folderText(t, dir)
			if n != 1 || rec.Stats().Captured != 1 {
				t.Fatalf("%d files, stats %+v", n, rec.Stats())
			}
			for _, v := range values {
				if strings.Contains(all, v) {
					t.Errorf("the planted %q is on disk", v)
				}
			}
			if !strings.Contains(all, "José Müller;") {
				t.Errorf("the document's text is not in the fixture")
			}
		})
	}
}
