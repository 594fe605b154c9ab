package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// TestRecordingsOfAMapAreByteIdentical: a history whose request carries
// a map (OpenAI metadata, sent as Converse requestMetadata, which the AWS
// SDK for Go writes in Go's random map order) recorded 20 times against
// the in-process emulator, four at a time, through Converse and
// ConverseStream, gives 20 byte-identical cassettes, served from the same
// inference Regions. With 12 keys the SDK writes the map in one order
// every time with a probability far below 1 in 10^20.
func TestRecordingsOfAMapAreByteIdentical(t *testing.T) {
	metadata := map[string]string{}
	for i := range 12 {
		metadata[fmt.Sprintf("key-%02d", i)] = fmt.Sprintf("value-%02d", i)
	}
	fixture := map[string]any{
		"description": "a request with a map",
		"tags":        []string{"clean", "stream"},
		"format":      "openai",
		"source":      map[string]any{"captured": "2026-12-06", "origin": "a test", "redacted": true},
		"request": map[string]any{"model": "gpt-4o", "metadata": metadata, "messages": []map[string]any{
			{"role": "user", "content": "Name three rivers."},
		}},
	}
	root := t.TempDir()
	data, _ := json.Marshal(fixture)
	os.MkdirAll(filepath.Join(root, "maps"), 0o755)
	file := filepath.Join(root, "maps", "metadata-openai.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := history.LoadFile(root, file)
	if err != nil {
		t.Fatal(err)
	}
	// A cross-Region profile: the emulator picks one of several
	// destinations from the request.
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})
	session, _ := emulatorSession(t)

	// Four at a time, as record runs cases.
	const n = 20
	dirs := make([]string, n)
	reports := make([]CaseReport, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range n {
		dirs[i] = t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			reports[i] = RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: dirs[i], Session: session})
		}()
	}
	wg.Wait()

	var first []byte
	var firstRegions []string
	for i, r := range reports {
		if r.Err != nil || !r.Saved {
			t.Fatalf("recording %d: %v %v", i+1, r.Err, r.Problems)
		}
		path := cases[0].Cassette(dirs[i])
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := replay.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var regions []string
		for _, in := range c.Interactions {
			if in.Response.Code == 200 {
				regions = append(regions, in.Response.Headers.Get(emulator.InferenceRegionHeader))
			}
		}
		if i == 0 {
			first, firstRegions = got, regions
			// The map reached the request, whole.
			var sent bool
			for _, in := range c.Interactions {
				if strings.Contains(in.Request.Body, `"requestMetadata":{`) {
					sent = true
					for k := range metadata {
						if !strings.Contains(in.Request.Body, `"`+k+`":`) {
							t.Errorf("requestMetadata lost %s: %s", k, in.Request.Body)
						}
					}
				}
			}
			if !sent || len(regions) < 2 {
				t.Fatalf("the recording has no requestMetadata or too few answers (%d):\n%s", len(regions), got)
			}
			continue
		}
		if strings.Join(regions, " ") != strings.Join(firstRegions, " ") {
			t.Errorf("recording %d was served from %v, the first from %v", i+1, regions, firstRegions)
		}
		if !bytes.Equal(got, first) {
			t.Fatalf("recording %d differs from the first:\n%s", i+1, lineDiff(first, got))
		}
	}
}

// lineDiff shows the lines that differ between two files.
func lineDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out strings.Builder
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			fmt.Fprintf(&out, "line %d:\n- %s\n+ %s\n", i+1, x, y)
		}
	}
	return out.String()
}

// TestRecordStaysInTheCassetteFolder: a target's folder in the cassette
// folder that is a symbolic link to elsewhere (a cloned repository may
// hold one) is refused: the recording wrote its cassette there, and
// removed the temporary files it took for a killed recording's.
func TestRecordStaysInTheCassetteFolder(t *testing.T) {
	base := t.TempDir()
	root, outside := filepath.Join(base, "cassettes"), filepath.Join(base, "elsewhere")
	os.MkdirAll(root, 0o755)
	os.MkdirAll(filepath.Join(outside, "clean"), 0o755)
	// Named as a killed recording's temporary file is, by a process
	// that does not run.
	stale := filepath.Join(outside, "clean", ".x.yaml.tmp-999999999-1")
	if err := os.WriteFile(stale, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "us-east-1-nova-lite")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	h, err := history.Decode("clean/hi.json", []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	h.ID = "clean/hi"
	c := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})[0]
	session, _ := emulatorSession(t)
	rep := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: root, Session: session})
	if rep.Err == nil || !strings.Contains(rep.Err.Error(), "outside "+root) {
		t.Errorf("recording through a link out of the cassette folder: %v; want it refused", rep.Err)
	}
	if _, err := os.Stat(filepath.Join(outside, "clean", "hi.yaml")); err == nil {
		t.Errorf("a cassette was written in %s", outside)
	}
	if _, err := os.Stat(stale); err != nil {
		t.Errorf("a file outside the cassette folder was removed: %v", err)
	}
}

// TestRecordRefusesATooLongHistoryName: a history whose file name leaves
// no room for the temporary file a cassette's save writes is refused
// before any call; the calls were made (and paid for against AWS), and
// the save failed with "file name too long".
func TestRecordRefusesATooLongHistoryName(t *testing.T) {
	h, err := history.Decode("x.json", []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	h.ID = "clean/" + strings.Repeat("a", 240)
	c := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})[0]
	calls := 0
	session, _ := emulatorSession(t)
	session.Endpoint = countingProxy(t, session.Endpoint, &calls)
	rep := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: t.TempDir(), Session: session})
	if rep.Err == nil || !strings.Contains(rep.Err.Error(), "is 240 bytes, over the 200") {
		t.Errorf("recording a history with a 240-byte name: %v", rep.Err)
	}
	if calls > 0 {
		t.Errorf("%d calls made before the name was refused", calls)
	}
}

// countingProxy forwards to url, counting the requests.
func countingProxy(t *testing.T, url string, n *int) string {
	t.Helper()
	target, _ := neturl.Parse(url)
	rp := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*n++
		mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// answering is a server that answers every call with one service error.
func answering(t *testing.T, status int, errorType, msg string) string {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", errorType)
		w.WriteHeader(status)
		io.WriteString(w, `{"message":"`+msg+`"}`)
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestReRecordWithRefusedCredentialsKeepsTheCassette: a cassette recorded
// well, then recorded again with credentials that expired in between (an
// SSO session ending mid-run) or are wrong. The service refuses every
// call for its credentials or signature, which says nothing of the
// request: the old cassette stays as it was, as it does for throttling
// and server errors, and the error says why (ErrCredentials, "refresh
// the credentials"). It was replaced by a cassette of refusals, which then
// replayed as a failing case. The codes and texts are the service's
// (Bedrock "Troubleshooting API error codes"; the authentication layer's
// namespace as in testdata/realwire).
func TestReRecordWithRefusedCredentialsKeepsTheCassette(t *testing.T) {
	h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", "simple-chat-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})[0]
	dir := t.TempDir()
	session, _ := emulatorSession(t)
	if r := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: dir, Session: session}); !r.OK() || !r.Saved {
		t.Fatalf("first recording: %v %v", r.Err, r.Problems)
	}
	good, err := os.ReadFile(c.Cassette(dir))
	if err != nil {
		t.Fatal(err)
	}
	const coral = ":http://internal.amazon.com/coral/com.amazon.coral.service/"
	for _, answer := range []struct {
		typ, msg string
	}{
		{"ExpiredTokenException" + coral, "The security token included in the request is expired"},
		{"UnrecognizedClientException" + coral, "The security token included in the request is invalid."},
		{"InvalidSignatureException" + coral, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
	} {
		url := answering(t, http.StatusForbidden, answer.typ, answer.msg)
		r := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: dir, Session: replay.Options{Endpoint: url, Credentials: emulatorCreds()}})
		now, _ := os.ReadFile(c.Cassette(dir))
		if r.Saved || string(now) != string(good) {
			t.Errorf("%s: the recording replaced the good cassette (saved %v, problems %v)", answer.typ, r.Saved, r.Problems)
		}
		if !errors.Is(r.Err, ErrCredentials) || !strings.Contains(r.Err.Error(), "refresh the credentials") {
			t.Errorf("%s: error %v; want it to say the credentials were refused", answer.typ, r.Err)
		}
	}
}

// TestRecordStopsAfterRefusedCredentials: once the service refuses a
// case's credentials, every later call would be refused the same way
// (the credentials are the run's, not the case's). RunCases starts no
// further case: they are reported with ErrNotTried, and the service sees
// the calls of the first case only. Before, a run of 200 cases sent every
// one of them to be refused.
func TestRecordStopsAfterRefusedCredentials(t *testing.T) {
	var hs []*history.History
	for _, name := range []string{"simple-chat-openai", "structured-output-openai", "simple-chat-anthropic"} {
		h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, hs)
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"The security token included in the request is expired"}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	reports := RunCases(context.Background(), cases, RunOptions{Mode: replay.Record, Cassettes: dir, Concurrency: 1,
		Session: replay.Options{Endpoint: srv.URL, Credentials: emulatorCreds()}})
	if !errors.Is(reports[0].Err, ErrCredentials) {
		t.Fatalf("first case: %v; want ErrCredentials", reports[0].Err)
	}
	for _, r := range reports[1:] {
		if !errors.Is(r.Err, ErrNotTried) || r.Saved {
			t.Errorf("%s: %v (saved %v); want ErrNotTried", r.Case.Name(), r.Err, r.Saved)
		}
	}
	first := calls.Load()
	if first == 0 {
		t.Fatal("the service saw no call")
	}
	// The first case alone again: the same number of calls.
	calls.Store(0)
	RunCases(context.Background(), cases[:1], RunOptions{Mode: replay.Record, Cassettes: dir, Concurrency: 1,
		Session: replay.Options{Endpoint: srv.URL, Credentials: emulatorCreds()}})
	if one := calls.Load(); one != first {
		t.Errorf("the service saw %d calls for three cases, %d for the first alone: the later cases were sent", first, one)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// TestRecordKeepsAnAccessDeniedAnswer: AccessDeniedException on a model
// is the service's answer about the request (the caller's policy does
// not allow this model: an IAM contract case), unlike a refusal of the
// credentials; it is recorded, to replay as the case's answer.
func TestRecordKeepsAnAccessDeniedAnswer(t *testing.T) {
	h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", "simple-chat-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})[0]
	url := answering(t, http.StatusForbidden, "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/",
		"User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 because no identity-based policy allows the bedrock:InvokeModel action")
	dir := t.TempDir()
	r := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: dir, Session: replay.Options{Endpoint: url, Credentials: emulatorCreds()}})
	if !r.Saved || r.Err != nil {
		t.Fatalf("an AccessDeniedException answer was not recorded: saved %v, %v", r.Saved, r.Err)
	}
	if _, err := os.Stat(c.Cassette(dir)); err != nil {
		t.Error(err)
	}
}

// TestRecordMissingNamesACorruptCassette: record-missing finds the
// cassette there but cut short; it says so as replay does (ErrCorrupt,
// restore it from git or re-record), rather than with the loader's bare
// error, and leaves the file as it was.
func TestRecordMissingNamesACorruptCassette(t *testing.T) {
	h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", "simple-chat-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})[0]
	dir := t.TempDir()
	session, _ := emulatorSession(t)
	if r := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: dir, Session: session}); !r.Saved {
		t.Fatalf("recording: %v %v", r.Err, r.Problems)
	}
	path := c.Cassette(dir)
	data, _ := os.ReadFile(path)
	cut := data[:len(data)/2]
	os.WriteFile(path, cut, 0o644)
	for _, mode := range []replay.Mode{replay.Replay, replay.RecordMissing} {
		r := RunCase(context.Background(), c, RunOptions{Mode: mode, Cassettes: dir, Session: session, Rerecord: func(Case) string { return "RECORD-IT" }})
		if !errors.Is(r.Err, ErrCorrupt) || !strings.Contains(r.Err.Error(), "restore it (git checkout -- "+path+") or re-record with RECORD-IT") {
			t.Errorf("%s: %v; want the corrupt cassette named, with the way back", mode, r.Err)
		}
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, cut) {
		t.Error("the corrupt cassette was changed")
	}
}

// TestRecordHintsNameTheEmulator: a target whose cassettes were recorded
// against the bundled emulator (as the committed ones and those of
// bedrock-bench init's first steps are) is recorded there again: replay
// and lint suggest the command with --endpoint emulator, for a missing
// cassette as for a stale one. The command recorded against AWS, which
// needs credentials and gives other answers. A target recorded against
// another endpoint gets the command as it was.
func TestRecordHintsNameTheEmulator(t *testing.T) {
	load := func(name string) *history.History {
		h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", name))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	hs := []*history.History{load("simple-chat-openai.json"), load("simple-chat-anthropic.json")}
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, hs)
	rerecord := func(c Case) string {
		return "bedrock-bench record --target " + c.Target.Name + " --histories " + c.History.ID
	}
	emulated, _ := emulatorSession(t)
	other := replay.Options{Endpoint: answering(t, http.StatusForbidden, "AccessDeniedException", "not authorized"), Credentials: emulatorCreds()}
	for name, tc := range map[string]struct {
		session replay.Options
		flag    string
	}{"emulator": {emulated, " --endpoint emulator"}, "another endpoint": {other, ""}} {
		dir := t.TempDir()
		if r := RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: dir, Session: tc.session}); !r.Saved {
			t.Fatalf("%s: recording: %v", name, r.Err)
		}
		want := rerecord(cases[1]) + tc.flag
		r := RunCase(context.Background(), cases[1], RunOptions{Mode: replay.Replay, Cassettes: dir, Rerecord: rerecord})
		if !errors.Is(r.Err, replay.ErrNoCassette) || !strings.HasSuffix(r.Err.Error(), "record it with "+want) {
			t.Errorf("%s: missing cassette: %v; want it to suggest %q", name, r.Err, want)
		}
		// The first case's cassette answers another history: stale.
		os.Rename(cases[0].Cassette(dir), cases[1].Cassette(dir))
		os.MkdirAll(filepath.Dir(cases[0].Cassette(dir)), 0o755)
		findings, err := LintCassettesWith(context.Background(), dir, cases, LintOptions{Rerecord: rerecord})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, f := range findings {
			kinds[f.Kind] = true
			var want string
			switch f.Kind {
			case "missing":
				want = "record it with " + rerecord(cases[0]) + tc.flag
			case "stale":
				want = "re-record with " + rerecord(cases[1]) + tc.flag
			default:
				continue
			}
			if !strings.HasSuffix(f.Msg, want) {
				t.Errorf("%s: lint %s: %s; want it to end %q", name, f.Kind, f.Msg, want)
			}
		}
		if !kinds["missing"] || !kinds["stale"] {
			t.Errorf("%s: lint found %v; want a missing and a stale cassette", name, findings)
		}
	}
}

// A cassette recorded in one Region does not replay for a target that now
// calls another: replay matches a request on its path and body, which do
// not name the Region, so before, moving a target to ap-south-1 (where the
// model is not offered, contract 1) kept replaying us-east-1's answers and
// go test stayed green.
func TestCassetteOfAnotherRegion(t *testing.T) {
	h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", "simple-chat-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	target := Target{Name: "nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}
	c := Cases([]Target{target}, []*history.History{h})[0]
	dir := t.TempDir()
	emulated, _ := emulatorSession(t)
	rerecord := func(c Case) string { return "bedrock-bench record --target " + c.Target.Name }
	if r := RunCase(context.Background(), c, RunOptions{Mode: replay.Record, Cassettes: dir, Session: emulated}); !r.Saved {
		t.Fatalf("recording: %v", r.Err)
	}
	if r := RunCase(context.Background(), c, RunOptions{Mode: replay.Replay, Cassettes: dir, Rerecord: rerecord}); !r.OK() {
		t.Fatalf("replay in the Region recorded: %v %v", r.Err, r.Problems)
	}
	c.Target.Region = "ap-south-1"
	r := RunCase(context.Background(), c, RunOptions{Mode: replay.Replay, Cassettes: dir, Rerecord: rerecord})
	if !errors.Is(r.Err, ErrOtherRegion) || !strings.Contains(r.Err.Error(), "was recorded in another Region than its target's (us-east-1): target nova-lite now calls ap-south-1") ||
		!strings.HasSuffix(r.Err.Error(), "re-record with bedrock-bench record --target nova-lite --endpoint emulator") {
		t.Errorf("replay for another Region: %v", r.Err)
	}
}

// TestRecordedRegionReadsAWSHostsOnly: only an AWS endpoint's host names
// a Region; a company gateway whose host starts "bedrock-runtime." (a
// cassette recorded through it with a Bedrock API key keeps its URL)
// names none, so its target's replays are not failed as recorded in
// Region "corp".
func TestRecordedRegionReadsAWSHostsOnly(t *testing.T) {
	for url, want := range map[string]string{
		"https://bedrock-runtime.eu-west-2.amazonaws.com/model/x/converse":     "eu-west-2",
		"https://bedrock-runtime.cn-north-1.amazonaws.com.cn/model/x/converse": "cn-north-1",
		"https://bedrock-runtime.corp.example.com/model/x/converse":            "",
		"http://127.0.0.1:8787/model/x/converse":                               "",
	} {
		c := &cassette.Cassette{Interactions: []*cassette.Interaction{{Request: cassette.Request{URL: url}}}}
		if got := recordedRegion(c); got != want {
			t.Errorf("%s: %q, want %q", url, got, want)
		}
	}
}

// TestRecordingAnUnknownRegionIsNoCredentialsRefusal: the bundled
// emulator, reached through its URL, answers a Region outside its catalog
// with UnrecognizedClientException, a code that otherwise refuses the
// credentials. Such a case is not saved and says the Region is unknown,
// with the closest one; it is no ErrCredentials, so the run goes on with
// the next target. Before, the first case stopped the run with advice to
// refresh the credentials.
func TestRecordingAnUnknownRegionIsNoCredentialsRefusal(t *testing.T) {
	h, err := history.LoadFile(historiesDir, filepath.Join(historiesDir, "clean", "simple-chat-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	session, _ := emulatorSession(t)
	cases := Cases([]Target{
		{Name: "typo", Region: "us-esat-1", Model: "us.amazon.nova-lite-v1:0"},
		{Name: "good", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"},
	}, []*history.History{h})
	dir := t.TempDir()
	reports := RunCases(context.Background(), cases, RunOptions{Mode: replay.Record, Cassettes: dir, Concurrency: 1, Session: session})
	typo := reports[0]
	if typo.Case.Target.Name != "typo" {
		t.Fatalf("reports out of order: %s first", typo.Case.Name())
	}
	if typo.Err == nil || errors.Is(typo.Err, ErrCredentials) || typo.Saved ||
		!strings.Contains(typo.Err.Error(), "the endpoint serves no Region us-esat-1") || !strings.Contains(typo.Err.Error(), "the closest the catalog knows is us-east-1") {
		t.Errorf("typo: %v (saved %v)", typo.Err, typo.Saved)
	}
	if good := reports[1]; !good.OK() || !good.Saved {
		t.Errorf("good: %v %v (saved %v); the run stopped after the unknown Region", good.Err, good.Problems, good.Saved)
	}
}
