package bench

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// plantedHistory writes a fixture whose turns carry one of every secret
// and personal datum the scanner knows (generated at run time), marked
// "redacted": false, and loads it.
func plantedHistory(t *testing.T) (*history.History, []redacttest.Plant) {
	t.Helper()
	plants := redacttest.New(8).All()
	var first, last strings.Builder
	for i, p := range plants {
		if i%2 == 0 {
			first.WriteString(p.Text + "\n")
		} else {
			last.WriteString(p.Text + "\n")
		}
	}
	fixture := map[string]any{
		"description": "a support chat pasted with credentials in it",
		"tags":        []string{"clean", "stream"},
		"format":      "openai",
		"source":      map[string]any{"captured": "2026-12-01", "origin": "a test", "redacted": false},
		"request": map[string]any{"model": "gpt-4o", "messages": []map[string]any{
			{"role": "user", "content": first.String()},
			{"role": "assistant", "content": "Noted."},
			{"role": "user", "content": last.String()},
		}},
	}
	root := t.TempDir()
	data, _ := json.Marshal(fixture)
	if err := os.MkdirAll(filepath.Join(root, "leaky"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "leaky", "pasted-keys-openai.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := history.LoadFile(root, filepath.Join(root, "leaky", "pasted-keys-openai.json"))
	if err != nil {
		t.Fatal(err)
	}
	return h, plants
}

// TestRecordingRefusesOrRedactsPlantedSecrets: recording a history with
// planted secrets against the emulator warns that the fixture is not
// marked redacted and refuses to save; with Redact it saves a cassette in
// which the scan (and cassette lint) finds nothing, and which replays.
func TestRecordingRefusesOrRedactsPlantedSecrets(t *testing.T) {
	h, plants := plantedHistory(t)
	targets := []Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}
	cases := Cases(targets, []*history.History{h})
	session, _ := emulatorSession(t)
	root := t.TempDir()

	r := RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: root, Session: session})
	var le *replay.LeakError
	if !errors.As(r.Err, &le) || !strings.Contains(r.Err.Error(), "history leaky/pasted-keys-openai") {
		t.Fatalf("recording a leaky history: %v", r.Err)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `not marked "redacted": true`) {
		t.Errorf("warnings: %v", r.Warnings)
	}
	if _, err := os.Stat(cases[0].Cassette(root)); err == nil {
		t.Fatal("the cassette was written")
	}

	session.Redact = true
	r = RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: root, Session: session})
	if r.Err != nil || !r.Saved {
		t.Fatalf("recording with redaction: %v %v", r.Err, r.Problems)
	}
	path := cases[0].Cassette(root)
	leaks, err := replay.ScanFile(path)
	if err != nil || len(leaks) != 0 {
		t.Errorf("the redacted cassette: %v %v", leaks, err)
	}
	raw, _ := os.ReadFile(path)
	c, _ := replay.Load(path)
	for _, p := range plants {
		in := string(raw)
		for _, i := range c.Interactions {
			in += i.Request.Body + i.Response.Body
		}
		if strings.Contains(in, p.Value) {
			t.Errorf("the cassette holds the %s", p.Kind)
		}
	}
	findings, err := LintCassettes(context.Background(), root, cases)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if !f.Note {
			t.Errorf("lint: %s", f)
		}
	}
	if r := RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Replay, Cassettes: root}); !r.OK() {
		t.Errorf("replay of the redacted cassette: %v %v", r.Err, r.Problems)
	}
}

// TestRecordingGivesUpOnAServiceThatStopsAnswering: a recording against
// an endpoint that takes the request and never answers ends when
// CaseTimeout has passed, with an error that names the bound, and writes
// no cassette. Without the bound the case would wait forever: the record
// client sets no response timeout of its own, since a long generation is
// one slow response.
func TestRecordingGivesUpOnAServiceThatStopsAnswering(t *testing.T) {
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(silent.Close)
	t.Cleanup(func() { close(release) })
	h, _ := plantedHistory(t)
	cases := Cases([]Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}, []*history.History{h})
	root := t.TempDir()
	done := make(chan CaseReport, 1)
	go func() {
		done <- RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: root, CaseTimeout: 200 * time.Millisecond,
			Session: replay.Options{Endpoint: silent.URL, Credentials: emulatorCreds(), RetryMaxAttempts: 1}})
	}()
	var r CaseReport
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the case still waits for the silent endpoint")
	}
	if r.OK() || r.Err == nil || !strings.Contains(r.Err.Error(), "no answer within 200ms") {
		t.Fatalf("want the bound named in the error, got %v %v", r.Err, r.Problems)
	}
	if _, err := os.Stat(cases[0].Cassette(root)); err == nil {
		t.Fatal("a cassette was written")
	}
}

// TestRecordingReadsBase64Documents: a history whose document (a
// Converse document's bytes, base64) holds secrets and personal data is
// refused like one whose text does, though the request body shows them
// only as base64; with Redact the document's text is redacted, and
// neither the cassette nor any document in it, decoded, holds a planted
// value. Before, the scan read the base64 and saved the cassette.
func TestRecordingReadsBase64Documents(t *testing.T) {
	plants := redacttest.New(9).All()
	var doc strings.Builder
	for _, p := range plants {
		doc.WriteString(p.Text + "\n\f")
	}
	fixture := map[string]any{
		"description": "a statement sent as a document",
		"tags":        []string{"clean"},
		"format":      "converse",
		"source":      map[string]any{"captured": "2026-12-01", "origin": "a test", "redacted": false},
		"request": map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{
			map[string]any{"text": "Summarize the statement."},
			map[string]any{"document": map[string]any{"format": "txt", "name": "statement", "source": map[string]any{"bytes": base64.StdEncoding.EncodeToString([]byte(doc.String()))}}}}}}},
	}
	fixtures := t.TempDir()
	data, _ := json.Marshal(fixture)
	if err := os.MkdirAll(filepath.Join(fixtures, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixtures, "docs", "statement.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := history.LoadFile(fixtures, filepath.Join(fixtures, "docs", "statement.json"))
	if err != nil {
		t.Fatal(err)
	}
	targets := []Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}}
	cases := Cases(targets, []*history.History{h})
	session, _ := emulatorSession(t)
	root := t.TempDir()

	r := RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: root, Session: session})
	var le *replay.LeakError
	if !errors.As(r.Err, &le) {
		t.Fatalf("recording a history with secrets in a document: %v (saved %v)", r.Err, r.Saved)
	}
	if _, err := os.Stat(cases[0].Cassette(root)); err == nil {
		t.Fatal("the cassette was written")
	}

	session.Redact = true
	r = RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Record, Cassettes: root, Session: session})
	if r.Err != nil || !r.Saved {
		t.Fatalf("recording with redaction: %v %v", r.Err, r.Problems)
	}
	path := cases[0].Cassette(root)
	if leaks, err := replay.ScanFile(path); err != nil || len(leaks) != 0 {
		t.Errorf("the redacted cassette: %v %v", leaks, err)
	}
	raw, _ := os.ReadFile(path)
	all := string(raw)
	c, _ := replay.Load(path)
	for _, i := range c.Interactions {
		for _, body := range []string{i.Request.Body, i.Response.Body} {
			all += body + strings.Join(redact.DocumentTexts([]byte(body)), "\n")
		}
	}
	if !strings.Contains(all, "Summarize the statement.") {
		t.Fatal("the cassette does not hold the request: the test checks less than it says")
	}
	for _, p := range plants {
		for _, piece := range strings.Split(p.Value, "\n") {
			if len(piece) >= 8 && strings.Contains(all, piece) {
				t.Errorf("the cassette holds the %s: %q", p.Kind, piece)
			}
		}
	}
	if r := RunCase(context.Background(), cases[0], RunOptions{Mode: replay.Replay, Cassettes: root}); !r.OK() {
		t.Errorf("replay of the redacted cassette: %v %v", r.Err, r.Problems)
	}
}
