package bench

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

var (
	record        = flag.Bool("record", false, "record every cassette again, against AWS (standard credential chain) or -endpoint; review the diff before committing")
	recordMissing = flag.Bool("record-missing", false, "record only the cassettes that do not exist yet")
	endpoint      = flag.String("endpoint", "", "record against this endpoint; \"emulator\" starts the bundled emulator in-process")
	redactFlag    = flag.Bool("redact", false, "with -record: replace secrets and personal data with pseudonyms instead of refusing to save them")
)

const (
	historiesDir = "../histories"
	cassettesDir = "../cassettes"
)

// TestBench replays every (target, history) case from its cassette:
// offline, deterministic, no credentials. With -record it calls the
// service instead and rewrites the cassettes.
func TestBench(t *testing.T) {
	mode := replay.Replay
	switch {
	case *record:
		mode = replay.Record
	case *recordMissing:
		mode = replay.RecordMissing
	}
	if mode != replay.Replay && os.Getenv("CI") != "" {
		t.Fatal("refusing to record with CI set: CI only replays")
	}
	targets, err := LoadTargets("targets.json")
	if err != nil {
		t.Fatal(err)
	}
	histories, err := history.LoadDir(historiesDir)
	if err != nil {
		t.Fatal(err)
	}
	opts := RunOptions{Mode: mode, Cassettes: cassettesDir, Session: recordOptions(t, mode), Concurrency: 1,
		Rerecord: func(c Case) string { return fmt.Sprintf("go test ./bench -record -run '^TestBench/%s$'", c.Name()) }}
	for _, c := range Cases(targets, histories) {
		t.Run(c.Name(), func(t *testing.T) {
			r := RunCase(context.Background(), c, opts)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			for _, p := range r.Problems {
				t.Error(p)
			}
			for _, w := range r.Warnings {
				t.Log("warning: " + w)
			}
			for _, d := range r.Drift {
				t.Logf("drift in %s:\n%s", d.Request, d.Diff)
			}
		})
	}
}

// recordOptions builds the session options for the mode: nothing for
// replay; the emulator or the AWS chain for recording.
func recordOptions(t *testing.T, mode replay.Mode) replay.Options {
	if mode == replay.Replay {
		return replay.Options{}
	}
	ep := *endpoint
	if ep == "emulator" {
		s, err := emulator.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s)
		t.Cleanup(hs.Close)
		ep = hs.URL
	}
	cfg, err := replay.LoadConfig(context.Background(), "", ep, emulatorCreds())
	if err != nil {
		t.Fatal(err)
	}
	return replay.Options{Credentials: cfg.Credentials, BearerToken: cfg.BearerAuthTokenProvider, Endpoint: strings.TrimSpace(ep), Redact: *redactFlag}
}
