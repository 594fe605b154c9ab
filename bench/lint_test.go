package bench

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// copyDir copies the committed cassettes of one target into dir.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

const (
	historiesDir = "../histories"
	cassettesDir = "../cassettes"
)

func TestLintCassettes(t *testing.T) {
	targets := []Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}
	hs, err := history.LoadDir(historiesDir)
	if err != nil {
		t.Fatal(err)
	}
	var clean []*history.History
	for _, h := range hs {
		if strings.HasPrefix(h.ID, "clean/") {
			clean = append(clean, h)
		}
	}
	cases := Cases(targets[:1], clean)
	root := t.TempDir()
	copyDir(t, filepath.Join(cassettesDir, targets[0].Name, "clean"), filepath.Join(root, targets[0].Name, "clean"))

	findings, err := LintCassettes(context.Background(), root, cases)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if !f.Note || f.Kind != "emulated" {
			t.Errorf("committed cassettes should lint clean: %s", f)
		}
	}

	dir := filepath.Join(root, targets[0].Name, "clean")
	// A secret, an orphan, a missing cassette and a stale one.
	secret := filepath.Join(dir, "simple-chat-openai.yaml")
	data, _ := os.ReadFile(secret)
	leak := "headers:\n            Authorization:\n                - AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261120/us-east-1/bedrock/aws4_request, Signature=0123456789abcdef0123\n"
	os.WriteFile(secret, []byte(strings.Replace(string(data), "headers:\n", leak, 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "gone-history.yaml"), []byte("---\nversion: 1\ninteractions: []\n"+replay.EndMarker+"\n"), 0o644)
	os.Remove(filepath.Join(dir, "simple-chat-anthropic.yaml"))
	stalePath := filepath.Join(dir, "tool-roundtrip-converse.yaml")
	data, _ = os.ReadFile(stalePath)
	os.WriteFile(stalePath, []byte(strings.Replace(string(data), "Weather in Vienna?", "Weather in Graz?", 1)), 0o644)
	// A cassette cut short mid-interaction, and one that is not YAML.
	cut := filepath.Join(dir, "image-data-url-openai.yaml")
	data, _ = os.ReadFile(cut)
	os.WriteFile(cut, data[:len(data)*2/3], 0o644)
	garbled := filepath.Join(dir, "redacted-thinking-anthropic.yaml")
	os.WriteFile(garbled, []byte("---\nversion: 2\ninteractions: [{\n"), 0o644)
	// A save killed between writing its temporary file and renaming it.
	os.WriteFile(filepath.Join(dir, ".simple-chat-openai.yaml.tmp-1-123456"), data[:len(data)/2], 0o644)
	old := time.Now().Add(-2 * replay.StaleAge)
	os.Chtimes(filepath.Join(dir, ".simple-chat-openai.yaml.tmp-1-123456"), old, old)

	findings, err = LintCassettes(context.Background(), root, cases)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		if !f.Note {
			got = append(got, filepath.Base(f.File)+" "+f.Kind)
		}
	}
	sort.Strings(got)
	want := []string{
		".simple-chat-openai.yaml.tmp-1-123456 temp",
		"gone-history.yaml orphan",
		"image-data-url-openai.yaml corrupt",
		"redacted-thinking-anthropic.yaml corrupt",
		"simple-chat-anthropic.yaml missing",
		// Every occurrence: the header, its signature (as a generic secret
		// and twice as SigV4 material).
		"simple-chat-openai.yaml secret", "simple-chat-openai.yaml secret", "simple-chat-openai.yaml secret", "simple-chat-openai.yaml secret",
		"tool-roundtrip-converse.yaml stale",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s\nall: %v", diff, findings)
	}
}

// TestFailuresAreExplained: a case that fails says why, in the words of
// the error explainer.
func TestFailuresAreExplained(t *testing.T) {
	hs, err := history.LoadDir(filepath.Join(historiesDir, "clean"))
	if err != nil {
		t.Fatal(err)
	}
	// A target that forgets its Region does not offer the model.
	cases := Cases([]Target{{Name: "mumbai", Region: "ap-south-1", Model: "anthropic.claude-3-5-haiku-20241022-v1:0"}}, hs[:1])
	s, _ := emulatorSession(t)
	r := RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: t.TempDir(), Session: s})
	if len(r.Problems) == 0 || !strings.Contains(r.Problems[0], "not offered in ap-south-1 (this is not an IAM problem)") {
		t.Errorf("problems: %v", r.Problems)
	}
}

// TestLintCassettesCaseCollision: two histories whose ids differ only in
// case (made on Linux) share one cassette on macOS and Windows; lint
// names both.
func TestLintCassettesCaseCollision(t *testing.T) {
	var hs []*history.History
	for _, id := range []string{"tools/call", "Tools/call", "tools/other"} {
		h, err := history.Decode(id+".json", []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`))
		if err != nil {
			t.Fatal(err)
		}
		h.ID = id
		hs = append(hs, h)
	}
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, hs)
	findings, err := LintCassettes(context.Background(), t.TempDir(), cases)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		if f.Kind == "case" {
			got = append(got, filepath.Base(filepath.Dir(f.File))+": "+f.Msg)
		}
	}
	if len(got) != 2 || !strings.Contains(got[0], "histories Tools/call and tools/call differ only in case") {
		t.Errorf("case findings:\n%s", strings.Join(got, "\n"))
	}
}

// TestLintCassettesUnportableName: a history whose id Windows cannot use
// for a file (made on Linux or macOS) is reported: its cassette could
// not be checked out there.
func TestLintCassettesUnportableName(t *testing.T) {
	var hs []*history.History
	ids := []string{`tools/a:b`, `tools/a\b`, "aux/x", "tools/con", "tools/x.", "tools/ok-name.v2"}
	for _, id := range ids {
		h, err := history.Decode("x.json", []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`))
		if err != nil {
			t.Fatal(err)
		}
		h.ID = id
		hs = append(hs, h)
	}
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, hs)
	findings, err := LintCassettes(context.Background(), t.TempDir(), cases)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, f := range findings {
		if f.Kind == "name" {
			id, _, _ := strings.Cut(strings.TrimPrefix(f.Msg, "history "), ": ")
			named[id] = true
		}
	}
	for _, id := range ids {
		if want := id != "tools/ok-name.v2"; named[id] != want {
			t.Errorf("%q: reported %v, want %v", id, named[id], want)
		}
	}
}

// TestLintRerecordCommandIsQuoted: the command lint prints to record a
// missing cassette again quotes the history id: a fixture named
// x'; touch pwned; ' gave a command that ran "touch pwned" when pasted.
func TestLintRerecordCommandIsQuoted(t *testing.T) {
	h, err := history.Decode("x.json", []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	h.ID = "tools/x'; touch pwned; '"
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})
	findings, err := LintCassettes(context.Background(), t.TempDir(), cases)
	if err != nil {
		t.Fatal(err)
	}
	want := `--histories 'tools/x'\''; touch pwned; '\'''`
	missing := 0
	for _, f := range findings {
		if f.Kind == "missing" {
			missing++
			if !strings.Contains(f.Msg, want) {
				t.Errorf("the command is not quoted: %s; want %s", f.Msg, want)
			}
		}
	}
	if missing != 1 {
		t.Errorf("%d missing cassettes reported, want 1: %v", missing, findings)
	}
}

// TestLintNamesAnAdHocTargetsCassettes: a cassette that an ad hoc target
// (record --region R --model M, as record --help shows) recorded into the
// folder named after it is still an orphan, as no target replays it, but
// the finding says so and gives the target to add to keep it, which then
// replays it. Before, it said "its history or target is gone".
func TestLintNamesAnAdHocTargetsCassettes(t *testing.T) {
	hs, err := history.LoadDir(historiesDir)
	if err != nil {
		t.Fatal(err)
	}
	var kept []*history.History
	for _, h := range hs {
		if h.ID == "clean/simple-chat-openai" {
			kept = append(kept, h)
		}
	}
	root := t.TempDir()
	src := filepath.Join(cassettesDir, "us-east-1-nova-lite", "clean")
	adhoc := TargetName("us-east-1", "us.amazon.nova-lite-v1:0")
	copyDir(t, src, filepath.Join(root, adhoc, "clean"))
	copyDir(t, src, filepath.Join(root, "gone-target", "clean"))
	project := []Target{{Name: "eu-west-2-claude", Region: "eu-west-2", Model: "anthropic.claude-sonnet-4-6"}}
	findings, err := LintCassettes(context.Background(), root, Cases(project, kept))
	if err != nil {
		t.Fatal(err)
	}
	var adhocMsg string
	for _, f := range findings {
		switch {
		case f.Kind != "orphan":
		case strings.Contains(f.File, "gone-target"):
			if !strings.Contains(f.Msg, "its history or target is gone") || strings.Contains(f.Msg, "ad hoc") {
				t.Errorf("a gone target's cassette: %s", f)
			}
		case strings.Contains(f.File, adhoc) && strings.HasSuffix(f.File, "simple-chat-openai.yaml"):
			adhocMsg = f.Msg
		}
	}
	if !strings.Contains(adhocMsg, "recorded by an ad hoc target (--region us-east-1 --model us.amazon.nova-lite-v1:0)") || !strings.Contains(adhocMsg, "or delete it") {
		t.Fatalf("the ad hoc target's cassette: %q", adhocMsg)
	}
	// The target it gives is YAML for bedrock-bench.yaml's list, and with
	// it the cassette is no orphan.
	_, entry, ok := strings.Cut(adhocMsg, "targets: ")
	entry, _, _ = strings.Cut(entry, "; or delete it")
	var ts []Target
	if !ok || yaml.Unmarshal([]byte(entry), &ts) != nil || len(ts) != 1 || ts[0] != (Target{Name: adhoc, Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}) {
		t.Fatalf("the target to add %q reads as %+v", entry, ts)
	}
	findings, err = LintCassettes(context.Background(), root, Cases(append(project, ts[0]), kept))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if strings.Contains(f.File, adhoc+string(filepath.Separator)+"clean"+string(filepath.Separator)+"simple-chat-openai.yaml") && !f.Note {
			t.Errorf("with the target added: %s", f)
		}
	}
}
