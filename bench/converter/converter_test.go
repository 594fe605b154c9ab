package converter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
	"github.com/bedrock-bench/bedrock-bench/internal/awstest"
)

const workerEnv = "BEDROCK_BENCH_TEST_WORKER"

// parentEnv makes the test binary a bench that starts a converter (of
// $BEDROCK_BENCH_TEST_WORKER's mode), writes its pid to the file named,
// and waits to be killed.
const parentEnv = "BEDROCK_BENCH_TEST_PARENT"

func parent(pidfile string) {
	os.Unsetenv(parentEnv) // the converter is a worker, not a parent
	exe, _ := os.Executable()
	w, err := Start(Options{Command: []string{exe, "-test.run=^$"}, Timeout: time.Hour})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmp := pidfile + ".tmp"
	os.WriteFile(tmp, []byte(fmt.Sprint(w.cmd.Process.Pid)), 0o644)
	os.Rename(tmp, pidfile)
	time.Sleep(time.Hour)
}

// TestMain doubles as a converter worker: the test binary run with
// $BEDROCK_BENCH_TEST_WORKER set speaks the protocol in the named way.
func TestMain(m *testing.M) {
	if pidfile := os.Getenv(parentEnv); pidfile != "" {
		parent(pidfile)
		os.Exit(0)
	}
	if mode := os.Getenv(workerEnv); mode != "" {
		worker(mode)
		os.Exit(0)
	}
	awstest.Isolate()
	os.Exit(m.Run())
}

func worker(mode string) {
	if mode == "hang" || mode == "deaf" {
		signal.Ignore(syscall.SIGTERM) // as a busy worker may
	}
	switch mode {
	case "deaf": // reads nothing, answers nothing, and never exits
		time.Sleep(time.Hour)
	case "slurp": // one-shot style: reads the whole of stdin before answering
		io.ReadAll(os.Stdin)
		os.Exit(0)
	case "banner": // npm run without --silent: the script's name on stdout, then a converter that works
		fmt.Print("\n> pkg@1.0.0 convert\n> python3 good.py\n\n")
		mode = "stable"
	case "die-says": // cannot start, and says why on stderr
		fmt.Fprintln(os.Stderr, "Traceback (most recent call last):\nModuleNotFoundError: No module named 'litellm'\x1b]0;title\x07")
		os.Exit(3)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<24)
	n := 0
	for in.Scan() {
		n++
		var msg struct {
			ID      string          `json:"id"`
			Target  targetInfo      `json:"target"`
			History json.RawMessage `json:"history"`
		}
		if err := json.Unmarshal(in.Bytes(), &msg); err != nil {
			fmt.Printf(`{"id":"","error":%q}`+"\n", err.Error())
			continue
		}
		switch mode {
		case "huge":
			fmt.Printf(`{"id":%q,"error":"%s"}`+"\n", msg.ID, strings.Repeat("x", MaxLine+1))
			continue
		case "exit0":
			os.Exit(0)
		case "twice": // once: the first history of the first process
			if f, err := os.OpenFile(os.Getenv("BEDROCK_BENCH_TEST_MARK"), os.O_CREATE|os.O_EXCL, 0o600); n == 1 && err == nil {
				f.Close()
				fmt.Printf(`{"id":%q,"error":"the first answer, twice"}`+"\n", msg.ID)
			}
			mode = "stable"
		case "spawn":
			// As a shell running the converter does: the real worker is a
			// child holding the same stdin, stdout and stderr, and hangs.
			exe, _ := os.Executable()
			child := exec.Command(exe, "-test.run=^$")
			child.Env = append(os.Environ(), workerEnv+"=hang")
			child.Stdin, child.Stdout, child.Stderr = os.Stdin, os.Stdout, os.Stderr
			child.Start()
			os.WriteFile(os.Getenv("BEDROCK_BENCH_TEST_PIDFILE"), []byte(fmt.Sprint(child.Process.Pid)), 0o644)
			child.Wait()
			os.Exit(0)
		}
		if mode == "noisy" {
			os.Stderr.Write(bytes.Repeat([]byte("a log line of the converter\n"), 1<<18))
			mode = "stable"
		}
		if mode == "blank" {
			fmt.Print("\n \r\n")
		}
		switch mode {
		case "garbage":
			fmt.Println("Converting…")
		case "hang":
			time.Sleep(time.Hour)
		case "die":
			os.Exit(3)
		case "wrong-id":
			fmt.Printf(`{"id":"other"}` + "\n")
		case "refuse":
			fmt.Printf(`{"id":%q,"error":"cannot convert"}`+"\n", msg.ID)
		default: // "first-user": the history's first user text, as one turn, with pid and count as metadata; "stable": without them
			var env struct {
				Request struct {
					Messages []struct {
						Role    string `json:"role"`
						Content any    `json:"content"`
					} `json:"messages"`
				} `json:"request"`
			}
			json.Unmarshal(msg.History, &env)
			text := "hello"
			for _, m := range env.Request.Messages {
				if s, ok := m.Content.(string); ok && m.Role == "user" && strings.TrimSpace(s) != "" {
					text = s
					break
				}
			}
			req := converse.Request{Messages: []converse.Message{{Role: "user", Content: []converse.ContentBlock{converse.TextBlock(text)}}},
				RequestMetadata: map[string]string{"pid": fmt.Sprint(os.Getpid()), "n": fmt.Sprint(n), "family": msg.Target.Family}}
			if mode != "first-user" {
				req.RequestMetadata = nil // deterministic, for recording
			}
			if mode == "break-v1" {
				req.Messages = append([]converse.Message{{Role: "assistant", Content: []converse.ContentBlock{converse.TextBlock("Earlier answer.")}}}, req.Messages...)
			}
			out, _ := json.Marshal(map[string]any{"id": msg.ID, "request": req})
			fmt.Println(string(out))
		}
	}
}

func startWorker(t *testing.T, mode string, timeout time.Duration) *Worker {
	t.Helper()
	return startWorkerTo(t, mode, timeout, os.Stderr)
}

func cleanCases(t *testing.T) []bench.Case {
	t.Helper()
	hs, err := history.LoadDir("../../histories/clean")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		h.ID = "clean/" + filepath.Base(h.ID)
	}
	return bench.Cases([]bench.Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, hs)
}

func TestOneProcessServesEveryHistory(t *testing.T) {
	w := startWorker(t, "first-user", 10*time.Second)
	cases := cleanCases(t)
	pids := map[string]bool{}
	for i, c := range cases {
		req, err := w.Convert(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		pids[req.RequestMetadata["pid"]] = true
		if req.RequestMetadata["n"] != fmt.Sprint(i+1) || req.RequestMetadata["family"] != "nova" {
			t.Errorf("%s: metadata %v", c.History.ID, req.RequestMetadata)
		}
	}
	if len(pids) != 1 {
		t.Errorf("%d processes served %d histories, want 1", len(pids), len(cases))
	}
}

func TestWorkerMisbehaviour(t *testing.T) {
	c := cleanCases(t)[0]
	for _, tc := range []struct {
		mode, want string
		timeout    time.Duration
	}{
		{"garbage", `answered "Converting…"`, 10 * time.Second},
		{"hang", "did not answer within 300ms", 300 * time.Millisecond},
		{"die", "exited without answering", 10 * time.Second},
		{"wrong-id", `answered for "other"`, 10 * time.Second},
		{"refuse", "cannot convert", 10 * time.Second},
	} {
		w := startWorker(t, tc.mode, tc.timeout)
		_, err := w.Convert(context.Background(), c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.mode, err, tc.want)
		}
		// A stopped worker is started again for the next history.
		if tc.mode == "hang" || tc.mode == "die" {
			t.Setenv(workerEnv, "first-user")
			if _, err := w.Convert(context.Background(), c); err != nil {
				t.Errorf("%s: no restart: %v", tc.mode, err)
			}
		}
	}
	// The error names where the command came from, and nothing when
	// the caller did not say; before, it always sent the user to
	// converter.command in bedrock-bench.yaml, even for --command.
	if _, err := Start(Options{Command: []string{"/nonexistent/converter"}, Origin: "--command"}); err == nil || !strings.HasSuffix(err.Error(), "(check --command)") {
		t.Errorf("missing program from --command: %v", err)
	}
	if _, err := Start(Options{Command: []string{"/nonexistent/converter"}}); err == nil || strings.Contains(err.Error(), "check") {
		t.Errorf("missing program from nowhere said: %v", err)
	}
}

// TestBenchRecordsAndReplaysTheConverter: the bench sends the converter's
// request, records it, replays it offline, and fails a case whose request
// breaks a rule.
func TestBenchRecordsAndReplaysTheConverter(t *testing.T) {
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	dir := t.TempDir()
	cases := cleanCases(t)
	w := startWorker(t, "stable", 10*time.Second)
	opts := bench.RunOptions{Mode: replay.Record, Cassettes: dir, Converter: w, Session: replay.Options{Endpoint: hs.URL, Credentials: emulator.DefaultCredentials.Provider()}}
	for _, r := range bench.RunCases(context.Background(), cases, opts) {
		if !r.OK() || !r.Result.Converted {
			t.Fatalf("record %s: %v %v", r.Case.Name(), r.Err, r.Problems)
		}
	}
	opts.Mode, opts.Session = replay.Replay, replay.Options{}
	for _, r := range bench.RunCases(context.Background(), cases, opts) {
		if !r.OK() {
			t.Errorf("replay %s: %v %v", r.Case.Name(), r.Err, r.Problems)
		}
	}
	// Without the converter, the built-in normalizer's requests miss.
	opts.Converter = nil
	if r := bench.RunCase(context.Background(), cases[0], opts); r.OK() {
		t.Error("the built-in normalizer replayed the converter's cassette")
	}
	opts.Mode, opts.Session = replay.Record, replay.Options{Endpoint: hs.URL, Credentials: emulator.DefaultCredentials.Provider()}
	opts.Converter, opts.Cassettes = startWorker(t, "break-v1", 10*time.Second), t.TempDir()
	r := bench.RunCase(context.Background(), cases[0], opts)
	if len(r.Problems) == 0 || !strings.Contains(r.Problems[0], "the converter's request breaks rule V-1") {
		t.Errorf("a rule-breaking converter: %v %v", r.Err, r.Problems)
	}
}

// TestVercelAISDKExample runs examples/vercel-ai-sdk when its packages
// are installed (npm ci, as .ci/run does).
func TestVercelAISDKExample(t *testing.T) {
	ex := "../../examples/vercel-ai-sdk"
	if _, err := os.Stat(filepath.Join(ex, "node_modules", "ai")); err != nil {
		t.Skip("examples/vercel-ai-sdk: run npm ci there first")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	w, err := Start(Options{Command: []string{"node", "convert.mjs"}, Dir: ex, Histories: "../../histories", Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	nova := bench.Target{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}
	load := func(id string) bench.Case {
		h, err := history.LoadFile("../../histories", "../../histories/"+id+".json")
		if err != nil {
			t.Fatal(err)
		}
		return bench.Case{Target: nova, History: h}
	}
	req, err := w.Convert(context.Background(), load("clean/simple-chat-openai"))
	if err != nil || len(req.Messages) == 0 || converse.Validate(&req, nova.Family()) != nil {
		t.Fatalf("clean history: %v %+v", err, req)
	}
	req, err = w.Convert(context.Background(), load("tools/missing-result-openai"))
	if err != nil {
		t.Fatal(err)
	}
	if v := converse.Check(&req, nova.Family()); len(v) == 0 || v[0].Rule.ID != "V-19" {
		t.Errorf("the AI SDK leaves a missing tool result missing: want V-19, got %v", v)
	}
	if _, err := w.Convert(context.Background(), load("clean/tool-roundtrip-converse")); err == nil || !strings.Contains(err.Error(), "reads openai and anthropic") {
		t.Errorf("a converse history: %v", err)
	}

	// The bench records the AI SDK's requests against the emulator and
	// replays them offline.
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	cases := []bench.Case{load("clean/simple-chat-openai"), load("clean/simple-chat-anthropic"), load("clean/image-data-url-openai"), load("tools/missing-result-openai")}
	opts := bench.RunOptions{Mode: replay.Record, Cassettes: t.TempDir(), Converter: w, Session: replay.Options{Endpoint: hs.URL, Credentials: emulator.DefaultCredentials.Provider()}}
	rec := bench.RunCases(context.Background(), cases, opts)
	opts.Mode, opts.Session = replay.Replay, replay.Options{}
	play := bench.RunCases(context.Background(), cases, opts)
	for i := range cases {
		wantOK := i < 3 // the AI SDK leaves tools/missing-result-openai's result missing: V-19
		if rec[i].OK() != wantOK || play[i].OK() != wantOK || !play[i].Result.Converted {
			t.Errorf("%s: record %v %v, replay %v %v", cases[i].Name(), rec[i].Err, rec[i].Problems, play[i].Err, play[i].Problems)
		}
	}
	if p := play[3].Problems; len(p) == 0 || !strings.Contains(p[0], "breaks rule V-19") {
		t.Errorf("missing result: %v", p)
	}
}

// FuzzParseAnswer: any answer line gives a request or an error, never a
// panic; an accepted request marshals back.
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(`{"id":"a","request":{"messages":[{"role":"user","content":[{"text":"hi"}]}]}}`))
	f.Add([]byte(`{"id":"a","error":"no"}`))
	f.Add([]byte(`{"id":"b"}`))
	f.Add([]byte(`Converting...`))
	f.Add([]byte(`{"id":"a","request":{"messages":[],"extra":1}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		req, err := parseAnswer("a", line)
		if err != nil {
			return
		}
		if _, err := json.Marshal(req); err != nil {
			t.Fatalf("accepted request does not marshal: %v", err)
		}
	})
}

// TestVercelAISDKExampleRunsFromAnyPath: the example runs from a path
// with a space in it, and through a symlink; before, it compared its URL
// with its path, and did nothing (exit 0) from either.
func TestVercelAISDKExampleRunsFromAnyPath(t *testing.T) {
	ex, err := filepath.Abs("../../examples/vercel-ai-sdk")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(ex, "node_modules", "ai")); err != nil {
		t.Skip("examples/vercel-ai-sdk: run npm ci there first")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	spaced := filepath.Join(t.TempDir(), "my tools")
	if err := os.MkdirAll(spaced, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"convert.mjs", "package.json"} {
		data, err := os.ReadFile(filepath.Join(ex, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(spaced, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	linked := filepath.Join(t.TempDir(), "linked")
	for _, l := range [][2]string{{filepath.Join(ex, "node_modules"), filepath.Join(spaced, "node_modules")}, {ex, linked}} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Skip(err)
		}
	}
	h, err := history.LoadFile("../../histories", "../../histories/clean/simple-chat-openai.json")
	if err != nil {
		t.Fatal(err)
	}
	c := bench.Case{Target: bench.Target{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}, History: h}
	for _, script := range []string{filepath.Join(spaced, "convert.mjs"), filepath.Join(linked, "convert.mjs")} {
		w, err := Start(Options{Command: []string{"node", script}, Histories: "../../histories", Timeout: 30 * time.Second, Stderr: &lockedBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		req, err := w.Convert(context.Background(), c)
		w.Close()
		if err != nil || len(req.Messages) == 0 {
			t.Errorf("node %s: %v", script, err)
		}
	}
}
