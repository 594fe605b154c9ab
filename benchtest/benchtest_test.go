package benchtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// tempProject writes a project with two clean histories and one target.
func tempProject(t *testing.T) *project.Project {
	t.Helper()
	dir := t.TempDir()
	for _, id := range []string{"clean/simple-chat-openai", "resume/sliding-window-openai"} {
		data, err := os.ReadFile(filepath.Join("../histories", id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, "histories", id+".json")
		os.MkdirAll(filepath.Dir(dst), 0o755)
		os.WriteFile(dst, data, 0o644)
	}
	cfg := "targets:\n  - {name: us-east-1-nova-lite, region: us-east-1, model: us.amazon.nova-lite-v1:0}\n"
	file := filepath.Join(dir, project.FileName)
	os.WriteFile(file, []byte(cfg), 0o644)
	p, err := project.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func setFlags(t *testing.T, rec bool, ep, shard string) {
	t.Helper()
	oldR, oldE, oldS := *record, *endpoint, *shardFlag
	*record, *endpoint, *shardFlag = rec, ep, shard
	t.Cleanup(func() { *record, *endpoint, *shardFlag = oldR, oldE, oldS })
}

func TestRunRecordsThenReplays(t *testing.T) {
	t.Setenv("CI", "") // recording against the emulator is allowed anyway; see below
	p := tempProject(t)
	setFlags(t, true, "emulator", "")
	t.Run("record", func(t *testing.T) { Run(t, Options{Project: p}) })
	files, _ := filepath.Glob(filepath.Join(p.CassettesDir(), "*", "*", "*.yaml"))
	if len(files) != 2 {
		t.Fatalf("%d cassettes recorded, want 2", len(files))
	}
	setFlags(t, false, "", "")
	t.Run("replay", func(t *testing.T) { Run(t, Options{Project: p}) })
	// With CI set, recording against the emulator still works.
	t.Setenv("CI", "true")
	setFlags(t, true, "emulator", "")
	t.Run("record-in-ci", func(t *testing.T) { Run(t, Options{Project: p}) })
}

func TestRerecordCommand(t *testing.T) {
	setFlags(t, false, "emulator", "")
	c := bench.Case{Target: bench.Target{Name: "eu-west-2-claude-sonnet-4.6"}}
	c.History = tempHistory(t, "resume/sliding-window-openai")
	got := rerecordCommand(t)(c)
	want := `go test ./benchtest -run '^TestRerecordCommand$/^eu-west-2-claude-sonnet-4\.6$/^resume$/^sliding-window-openai$' -record -endpoint emulator`
	if got != want {
		t.Errorf("hint:\n%s\nwant\n%s", got, want)
	}
}

func tempHistory(t *testing.T, id string) *history.History {
	t.Helper()
	p := tempProject(t)
	h, err := history.LoadFile(p.HistoriesDir(), filepath.Join(p.HistoriesDir(), id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestShardFromFlagAndEnv(t *testing.T) {
	setFlags(t, false, "", "")
	t.Setenv(bench.ShardEnv, "2/5")
	if s, err := Shard(); err != nil || s.String() != "2/5" {
		t.Errorf("env: %v %v", s, err)
	}
	setFlags(t, false, "", "1/2")
	if s, err := Shard(); err != nil || s.String() != "1/2" {
		t.Errorf("flag over env: %v %v", s, err)
	}
	setFlags(t, false, "", "9/2")
	if _, err := Shard(); err == nil || !strings.Contains(err.Error(), "-shard") {
		t.Errorf("bad shard: %v", err)
	}
}

// A Bedrock API key in the environment changes nothing for a client of the
// emulator built with SigV4: without it the SDK would take the key and
// refuse to send it over plain HTTP.
func TestEmulatorIgnoresBedrockAPIKeyInEnvironment(t *testing.T) {
	t.Setenv("AWS_BEARER_TOKEN_BEDROCK", "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl")
	cfg := Emulator(t, nil)
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-lite-v1:0"), Messages: []types.Message{{Role: types.ConversationRoleUser,
		Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}}}
	if _, err := bedrockruntime.NewFromConfig(cfg, SigV4).Converse(context.Background(), in); err != nil {
		t.Fatalf("with benchtest.SigV4: %v", err)
	}
	if _, err := bedrockruntime.NewFromConfig(cfg).Converse(context.Background(), in); err == nil || !strings.Contains(err.Error(), "bearer token with HTTP request requires HTTPS") {
		t.Errorf("without it the SDK should take the key from the environment: %v", err)
	}
}

// The emulator's config retries as the SDK's default config does, so a
// fault meant to be retried (emulator.Faults.ThrottleFirstAttempts: "so
// that a client's own retries succeed") is retried by the application's
// client; before, the config allowed one attempt and the call failed with
// the ThrottlingException.
func TestEmulatorClientRetriesAsTheSDKDoes(t *testing.T) {
	cfg := Emulator(t, &emulator.Options{Faults: emulator.Faults{ThrottleFirstAttempts: 1}})
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-lite-v1:0"), Messages: []types.Message{{Role: types.ConversationRoleUser,
		Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}}}
	out, err := bedrockruntime.NewFromConfig(cfg, SigV4).Converse(context.Background(), in)
	if err != nil {
		t.Fatalf("a call throttled once is retried: %v", err)
	}
	if n, _ := retry.GetAttemptResults(out.ResultMetadata); len(n.Results) != 2 {
		t.Errorf("%d attempts, want 2", len(n.Results))
	}
}

// TestCaseTimeoutEndsBeforeTheTestBinary: a recording case is bounded
// by ten minutes, or by the test binary's -timeout less a margin where
// that comes sooner, so a silent service fails one case instead of go
// test killing the binary with every case in it.
func TestCaseTimeoutEndsBeforeTheTestBinary(t *testing.T) {
	got := caseTimeout(t)
	d, ok := t.Deadline()
	if !ok {
		if got != 10*time.Minute {
			t.Fatalf("no -timeout: got %s, want 10m", got)
		}
		return
	}
	if left := time.Until(d); got >= left || got > 10*time.Minute || got < time.Second {
		t.Fatalf("got %s with %s left before the binary's deadline", got, left)
	}
}

// TestCassetteRecordsWhereEndpointSays: with -record -endpoint emulator,
// Cassette sends the recording to the bundled emulator with its keys,
// whatever the application's client configuration says (here an endpoint
// where nothing listens and keys nobody issued), and the cassette then
// replays offline. A missing cassette names the command that records it,
// in this package and for this test.
func TestCassetteRecordsWhereEndpointSays(t *testing.T) {
	t.Setenv("CI", "")
	path := filepath.Join(t.TempDir(), "greeting.yaml")
	call := func(t *testing.T) {
		rec := Cassette(t, path)
		client := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:9"),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDNOBODY", "nobody", "")}, rec.ClientOptions)
		_, err := client.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"),
			Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello"}}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	setFlags(t, true, "emulator", "")
	t.Run("record", call)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("nothing recorded: %v", err)
	}
	setFlags(t, false, "", "")
	t.Run("replay", call)

	missing := filepath.Join(t.TempDir(), "missing.yaml")
	_, err := openCassette(missing, replay.Replay, replay.Options{Name: missing, Rerecord: recordTestCommand(t)})
	want := `record it with go test ./benchtest -run '^TestCassetteRecordsWhereEndpointSays$' -record`
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "(history") {
		t.Errorf("missing cassette: %v\nwant %q", err, want)
	}
}

// With no cassette at all, the folder is named from the module root, as
// the command beside it runs there, not from the package's folder.
func TestNoCassettesNamesTheFolderFromTheModuleRoot(t *testing.T) {
	got := noCassettes(filepath.Join("..", "cassettes"), "TestBedrockBench")
	want := "no cassettes in cassettes: record them with go test ./benchtest -run '^TestBedrockBench$' -record (against AWS), or add -endpoint emulator"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// fakeTB is a testing.TB whose failures and cleanups a test inspects.
type fakeTB struct {
	testing.TB
	name     string
	errs     []string
	logs     []string
	cleanups []func()
	skipped  bool
}

func (f *fakeTB) Name() string                   { return f.name }
func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Cleanup(fn func())              { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Error(a ...any)                 { f.errs = append(f.errs, fmt.Sprint(a...)) }
func (f *fakeTB) Errorf(format string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(format, a...)) }
func (f *fakeTB) Fatal(a ...any)                 { f.Error(a...); runtime.Goexit() }
func (f *fakeTB) Failed() bool                   { return len(f.errs) > 0 }
func (f *fakeTB) Skipped() bool                  { return f.skipped }
func (f *fakeTB) Skip(a ...any)                  { f.skipped = true; runtime.Goexit() }
func (f *fakeTB) Logf(format string, a ...any)   { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }

// runFake runs body as a test named name and then its cleanups, and
// returns the failures it reported.
func runFake(name string, body func(tb testing.TB)) []string {
	return runFakeTB(&fakeTB{name: name}, body).errs
}

func runFakeTB(f *fakeTB, body func(tb testing.TB)) *fakeTB {
	done := make(chan struct{})
	go func() {
		defer close(done)
		body(f)
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	return f
}

func greet(tb testing.TB, rec *Recording) {
	client := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1"}, rec.ClientOptions)
	_, err := client.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello"}}}}})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestCassetteRecordingWithoutACallFails: a recording in which the test
// made no call through the cassette (its client built without
// rec.ClientOptions, say) fails, naming the cause: nothing was written,
// and the replay would fail for want of the cassette. It passed, and the
// replay then asked to record the cassette again, which wrote nothing
// again.
func TestCassetteRecordingWithoutACallFails(t *testing.T) {
	t.Setenv("CI", "")
	setFlags(t, true, "emulator", "")
	path := filepath.Join(t.TempDir(), "none.yaml")
	errs := runFake("TestNoCall", func(tb testing.TB) { Cassette(tb, path) })
	if len(errs) != 1 || !strings.Contains(errs[0], "made no Bedrock call through the cassette "+path) || !strings.Contains(errs[0], "rec.ClientOptions") {
		t.Errorf("a recording without a call: %q", errs)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("an empty cassette was written")
	}
}

// TestCassetteRecordedByOneTest: two tests recording into one cassette
// replace each other's recording (the last one saved wins, and the other
// test's replay misses), so the second fails naming the first; so does a
// second recording into a cassette still open in one test. Tests may
// share a cassette in replay.
func TestCassetteRecordedByOneTest(t *testing.T) {
	t.Setenv("CI", "")
	setFlags(t, true, "emulator", "")
	path := filepath.Join(t.TempDir(), "shared.yaml")
	if errs := runFake("TestFirst", func(tb testing.TB) { greet(tb, Cassette(tb, path)) }); len(errs) > 0 {
		t.Fatal(errs)
	}
	errs := runFake("TestSecond", func(tb testing.TB) { greet(tb, Cassette(tb, path)) })
	if len(errs) != 1 || !strings.Contains(errs[0], "cassette "+path+" was recorded into by test TestFirst already") {
		t.Errorf("a second test recording into the cassette: %q", errs)
	}
	errs = runFake("TestFirst", func(tb testing.TB) {
		greet(tb, Cassette(tb, path))
		greet(tb, Cassette(tb, path))
	})
	if len(errs) != 1 || !strings.Contains(errs[0], "is recording already in this test") {
		t.Errorf("two recordings open in one test: %q", errs)
	}
	setFlags(t, false, "", "")
	for _, name := range []string{"TestFirst", "TestSecond"} {
		if errs := runFake(name, func(tb testing.TB) { greet(tb, Cassette(tb, path)) }); len(errs) > 0 {
			t.Errorf("%s replaying the shared cassette: %q", name, errs)
		}
	}
}

// TestCassetteNotWhollyReplayedFails: a replay that leaves recorded calls
// unused fails the test, naming the cassette and the command that
// records it again: the code no longer makes those calls.
func TestCassetteNotWhollyReplayedFails(t *testing.T) {
	t.Setenv("CI", "")
	setFlags(t, true, "emulator", "")
	path := filepath.Join(t.TempDir(), "twice.yaml")
	if errs := runFake("TestTwice", func(tb testing.TB) {
		rec := Cassette(tb, path)
		greet(tb, rec)
		greet(tb, rec)
	}); len(errs) > 0 {
		t.Fatal(errs)
	}
	setFlags(t, false, "", "")
	errs := runFake("TestTwice", func(tb testing.TB) { greet(tb, Cassette(tb, path)) })
	if len(errs) != 1 || !strings.Contains(errs[0], "1 recorded interaction was not replayed ("+path+")") || !strings.Contains(errs[0], "-run '^TestTwice$' -record") {
		t.Errorf("a call recorded twice, replayed once: %q", errs)
	}
}

// TestCassetteOfASkippedTest: a test skipped after it opened its
// cassette passes in replay, though it used none of the recorded calls
// (it failed, the cassette called stale), and a recording of a test
// skipped or failed after some calls is not saved, which the test's log
// says.
func TestCassetteOfASkippedTest(t *testing.T) {
	t.Setenv("CI", "")
	setFlags(t, true, "emulator", "")
	path := filepath.Join(t.TempDir(), "skipped.yaml")
	if errs := runFake("TestSkipped", func(tb testing.TB) { greet(tb, Cassette(tb, path)) }); len(errs) > 0 {
		t.Fatal(errs)
	}
	before, _ := os.ReadFile(path)
	f := runFakeTB(&fakeTB{name: "TestSkipped"}, func(tb testing.TB) {
		rec := Cassette(tb, path)
		greet(tb, rec)
		greet(tb, rec)
		tb.Skip("not today")
	})
	after, _ := os.ReadFile(path)
	if len(f.errs) > 0 || string(after) != string(before) || len(f.logs) != 1 || !strings.Contains(f.logs[0], path+" was not recorded again") {
		t.Errorf("a recording skipped after two calls: errors %q, logs %q, cassette changed %v", f.errs, f.logs, string(after) != string(before))
	}
	setFlags(t, false, "", "")
	if errs := runFake("TestSkipped", func(tb testing.TB) { Cassette(tb, path); tb.Skip("short") }); len(errs) > 0 {
		t.Errorf("a replay skipped before its call: %q", errs)
	}
}

// TestCassetteRecordsThroughTheClientsHTTPClient: README ("Use the
// emulator in your tests"): "go test -record calls the service with your
// configuration". Part of that configuration is the HTTP client: a
// corporate CA bundle (AWS_CA_BUNDLE, which config.LoadDefaultConfig
// turns into cfg.HTTPClient's TLS roots) or a proxy. Here the endpoint's
// certificate is trusted only by the configuration's HTTP client, as a
// TLS-inspecting proxy's is; the recording goes through it. It went
// through http.DefaultTransport and failed with "x509: certificate
// signed by unknown authority". The option given again to one call
// records the call once, and the cassette replays.
func TestCassetteRecordsThroughTheClientsHTTPClient(t *testing.T) {
	calls := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"output":{"message":{"role":"assistant","content":[{"text":"hello"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}`)
	}))
	defer srv.Close()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	path := filepath.Join(t.TempDir(), "hello.yaml")
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.amazon.nova-lite-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Say hello."}}}}}
	for _, mode := range []replay.Mode{replay.Record, replay.Replay} {
		rec, err := OpenCassette(path, mode)
		if err != nil {
			t.Fatal(err)
		}
		client := bedrockruntime.NewFromConfig(cfg, rec.ClientOptions)
		if _, err := client.Converse(context.Background(), in, rec.ClientOptions); err != nil {
			t.Fatalf("%s through the configuration's HTTP client: %v", mode, err)
		}
		if mode == replay.Record && len(rec.Cassette().Interactions) != 1 {
			t.Errorf("one call recorded as %d interactions", len(rec.Cassette().Interactions))
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Errorf("the server was called %d times; want once, by the recording", calls)
	}
}

// A histories folder that is missing or holds no history fails the run,
// naming the setting, as bedrock-bench replay does; before, a missing one
// failed with a bare "stat ...: no such file or directory", and an empty
// one passed with no case run.
func TestHistoriesFolderMissingOrEmpty(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, project.FileName)
	cfg := "histories: fixtures\ntargets:\n  - {name: us-east-1-nova-lite, region: us-east-1, model: us.amazon.nova-lite-v1:0}\n"
	if err := os.WriteFile(file, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = loadHistories(p)
	if err == nil || !strings.Contains(err.Error(), project.FileName+":1: histories: ") || !strings.Contains(err.Error(), "fixtures: no such folder: ") {
		t.Errorf("missing folder: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "fixtures"), 0o755); err != nil {
		t.Fatal(err)
	}
	hs, err := loadHistories(p)
	if err == nil || !strings.Contains(err.Error(), "fixtures: no *.json history fixtures: ") {
		t.Errorf("empty folder: %d histories, %v", len(hs), err)
	}
	if hs, err := loadHistories(tempProject(t)); err != nil || len(hs) != 2 {
		t.Errorf("project with two histories: %d, %v", len(hs), err)
	}
}

// Recording a target whose Region the catalog does not know is refused
// before any call, naming the project file's line, the target and the
// known Regions, as bedrock-bench record does (TestTargetRegionOutsideTheCatalog
// in cmd/bedrock-bench). Before, go test -record -endpoint emulator failed
// every case with "the credentials were refused ... refresh the
// credentials (e.g. aws sso login)".
func TestRecordingATargetOutsideTheCatalog(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, project.FileName)
	cfg := "targets:\n  - {name: typo, region: eu-west-9, model: us.amazon.nova-lite-v1:0}\n"
	if err := os.WriteFile(file, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	cases := bench.Cases(p.EffectiveTargets(), []*history.History{tempHistory(t, "clean/simple-chat-openai")})
	for ep, want := range map[string]string{
		"emulator": project.FileName + `:1: target typo: Region "eu-west-9" is not a Region of the catalog (known Regions: us-east-1, `,
		"":         project.FileName + `:1: target typo: Region "eu-west-9" is no AWS Region (neither the catalog's nor one of the`,
	} {
		err := checkRegions(p, cases, ep)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("-endpoint %q: %v", ep, err)
		}
	}
	if err := checkRegions(p, cases, "https://bedrock.example.com"); err != nil {
		t.Errorf("a user's own endpoint may serve any Region: %v", err)
	}
	if err := checkRegions(tempProject(t), bench.Cases(tempProject(t).EffectiveTargets(), []*history.History{tempHistory(t, "clean/simple-chat-openai")}), "emulator"); err != nil {
		t.Errorf("a Region of the catalog: %v", err)
	}
}

// TestRunFailsHelper runs Run on the project file $BENCHTEST_RUN_CONFIG
// in the child process TestRunFailsBeforeAnyCase starts.
func TestRunFailsHelper(t *testing.T) {
	cfg := os.Getenv("BENCHTEST_RUN_CONFIG")
	if cfg == "" {
		t.Skip("run by TestRunFailsBeforeAnyCase")
	}
	// The AWS settings the parent test chose, set after TestMain emptied
	// the environment: NAME=VALUE lines.
	for _, kv := range strings.Split(os.Getenv("BENCHTEST_AWS_ENV"), "\n") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			t.Setenv(k, v)
		}
	}
	if d, err := time.ParseDuration(os.Getenv("BENCHTEST_CREDENTIALS_TIMEOUT")); err == nil {
		replay.CredentialsTimeout = d
	}
	Run(t, Options{Config: cfg})
}

// Run fails, in one line naming the project file, a run that would test
// nothing or could only fail every case: a histories folder missing or
// empty, globs that keep no history, a recording of a Region the catalog
// does not know. Before, the first failed with a bare stat error, the
// next two passed with no case run, and the last failed every case with
// advice to refresh the credentials.
func TestRunFailsBeforeAnyCase(t *testing.T) {
	fixture, err := os.ReadFile("../histories/clean/simple-chat-openai.json")
	if err != nil {
		t.Fatal(err)
	}
	nova := "{name: a, region: us-east-1, model: us.amazon.nova-lite-v1:0}"
	for _, tc := range []struct {
		name, cfg, history string
		args               []string
		want               string
	}{
		{"missing folder", "histories: fixtures\ntargets: [" + nova + "]\n", "", nil, "bedrock-bench.yaml:1: histories: "},
		{"empty folder", "histories: fixtures\ntargets: [" + nova + "]\n", "fixtures/", nil, "fixtures: no *.json history fixtures: "},
		{"no case", "histories: fixtures\ntargets: [{name: a, region: us-east-1, model: us.amazon.nova-lite-v1:0, histories: \"clen/*\"}]\n", "fixtures/clean/a.json", nil, "no case: no history matches the histories: of any target ("},
		// -endpoint without -record would replay and pass: refused.
		{"endpoint without record", "histories: fixtures\ntargets: [" + nova + "]\n", "fixtures/clean/a.json", []string{"-endpoint", "emulator"}, "-endpoint emulator records, and does nothing without -record or -record-missing"},
		{"unknown Region", "histories: fixtures\ntargets: [{name: a, region: eu-west-9, model: us.amazon.nova-lite-v1:0}]\n", "fixtures/clean/a.json", []string{"-record", "-endpoint", "emulator"}, `target a: Region "eu-west-9" is not a Region of the catalog`},
		// An -endpoint that is not a URL failed every case with the SDK's
		// "Failed to parse uri"; one on the loopback interface where
		// nothing listens spent five attempts on each case.
		{"endpoint not a URL", "histories: fixtures\ntargets: [" + nova + "]\n", "fixtures/clean/a.json", []string{"-record", "-endpoint", "127.0.0.1:18787"}, `-endpoint "127.0.0.1:18787": want a URL such as http://127.0.0.1:8787`},
		{"nothing listens", "histories: fixtures\ntargets: [" + nova + "]\n", "fixtures/clean/a.json", []string{"-record", "-endpoint", "http://127.0.0.1:1"}, "nothing listens at http://127.0.0.1:1: start the emulator first (bedrock-bench emulate), or use -endpoint emulator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, project.FileName)
			if err := os.WriteFile(file, []byte(tc.cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			// A cassette of an earlier run: replay does not stop for
			// want of one.
			os.MkdirAll(filepath.Join(dir, "cassettes", "a", "clean"), 0o755)
			os.WriteFile(filepath.Join(dir, "cassettes", "a", "clean", "a.yaml"), []byte("---\nversion: 1\ninteractions: []\n# end of cassette\n"), 0o644)
			if tc.history != "" {
				p := filepath.Join(dir, filepath.FromSlash(tc.history))
				if strings.HasSuffix(tc.history, "/") {
					os.MkdirAll(p, 0o755)
				} else {
					os.MkdirAll(filepath.Dir(p), 0o755)
					os.WriteFile(p, fixture, 0o644)
				}
			}
			cmd := exec.Command(os.Args[0], append([]string{"-test.run", "^TestRunFailsHelper$", "-test.count", "1"}, tc.args...)...)
			cmd.Env = append(os.Environ(), "BENCHTEST_RUN_CONFIG="+file, "CI=")
			out, err := cmd.CombinedOutput()
			// Before any case: no subtest ran.
			if err == nil || !strings.Contains(string(out), tc.want) || strings.Contains(string(out), "credentials") || strings.Contains(string(out), "TestRunFailsHelper/") {
				t.Errorf("exit %v, want a failure saying %q:\n%s", err, tc.want, out)
			}
		})
	}
}

// TestCassetteEndpointWithoutRecord: -endpoint without -record is refused
// by Cassette too; before, the test replayed the cassette and passed.
func TestCassetteEndpointWithoutRecord(t *testing.T) {
	setFlags(t, false, "emulator", "")
	path := filepath.Join(t.TempDir(), "x.yaml")
	errs := runFake("TestX", func(tb testing.TB) { Cassette(tb, path) })
	if len(errs) != 1 || !strings.Contains(errs[0], "-endpoint emulator records, and does nothing without -record or -record-missing") {
		t.Errorf("%q", errs)
	}
}

// TestCassetteEndpointNotListening: Cassette checks -endpoint as Run
// does, a URL and, on the loopback interface, something listening there.
func TestCassetteEndpointNotListening(t *testing.T) {
	for ep, want := range map[string]string{
		"127.0.0.1:18787":    `-endpoint "127.0.0.1:18787": want a URL such as http://127.0.0.1:8787`,
		"http://127.0.0.1:1": "nothing listens at http://127.0.0.1:1: start the emulator first (bedrock-bench emulate), or use -endpoint emulator",
	} {
		setFlags(t, true, ep, "")
		path := filepath.Join(t.TempDir(), "x.yaml")
		errs := runFake("TestX", func(tb testing.TB) { Cassette(tb, path) })
		if len(errs) != 1 || !strings.Contains(errs[0], want) {
			t.Errorf("-endpoint %s: %q", ep, errs)
		}
	}
}
