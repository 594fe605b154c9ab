package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", "replay [flags]", `  bedrock-bench replay                        # every case from cassettes/, offline
  bedrock-bench replay --emulator             # every case live against the bundled emulator
  bedrock-bench replay --target eu-west-2-claude-sonnet-4-6 --histories 'resume/*' --output json
`, stderr)
	cf := addCaseFlags(fs)
	emu := fs.Bool("emulator", false, "run every case live against the bundled emulator instead of the cassettes (nothing is written)")
	output := fs.String("output", "text", "text or json")
	concurrency := fs.Int("concurrency", 4, "cases run at once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	cases, err := cf.cases()
	if err != nil {
		return err
	}
	opts := bench.RunOptions{Mode: replay.Replay, Cassettes: *cf.cassettes, Concurrency: *concurrency,
		Rerecord: func(c bench.Case) string {
			return fmt.Sprintf("bedrock-bench record --target %s --histories '%s'", c.Target.Name, c.History.ID)
		}}
	source := "cassettes in " + *cf.cassettes + "/, offline"
	if *emu {
		s, err := emulator.New(nil)
		if err != nil {
			return err
		}
		hs := httptest.NewServer(s)
		defer hs.Close()
		tmp, err := os.MkdirTemp("", "bedrock-bench-replay-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		opts.Mode, opts.Cassettes = replay.Record, tmp
		opts.Session = replay.Options{Credentials: emulatorCredentials, Endpoint: hs.URL}
		source = "the bundled emulator, live"
	}
	reports := bench.RunCases(ctx, cases, opts)
	if *output == "json" {
		return writeReplayJSON(stdout, reports, source)
	}
	printReplayTable(stdout, reports, source)
	failed := 0
	for _, r := range reports {
		if !r.OK() {
			failed++
		}
	}
	if failed > 0 {
		return &findingsError{fmt.Sprintf("%d of %d cases failed", failed, len(reports))}
	}
	return nil
}

// verdict words a case's raw-request check: the rule the validator
// predicted and whether the service agreed.
func verdict(r bench.CaseReport) string {
	p := r.Result.Prediction
	raw := r.Result.Raw
	switch {
	case r.Err != nil:
		return "-"
	case r.Case.Target.Expect == bench.ExpectNotOffered:
		return "model not offered"
	case p == nil && raw.OK:
		return "valid = accepted"
	case p == nil:
		return "valid, but " + raw.ErrorType
	case raw.OK:
		return p.Rule.ID + ", but accepted"
	case raw.Message == p.Message:
		return p.Rule.ID + " = " + raw.ErrorType
	}
	return p.Rule.ID + " != " + raw.ErrorType
}

func printReplayTable(w io.Writer, reports []bench.CaseReport, source string) {
	type row struct{ target, hist, result, changes, raw, stream string }
	rows := []row{{"TARGET", "HISTORY", "RESULT", "CHANGES", "RAW: PREDICTED = SERVICE", "STREAM"}}
	pass := 0
	for _, r := range reports {
		result := "pass"
		if !r.OK() {
			result = "FAIL"
		} else {
			pass++
		}
		stream := ""
		if s := r.Result.Stream; s != nil {
			stream = fmt.Sprintf("%d events", s.Events)
			if !s.OK {
				stream = s.ErrorType
			}
		}
		rows = append(rows, row{r.Case.Target.Name, r.Case.History.ID, result, fmt.Sprint(len(r.Result.Report.Changes)), verdict(r), stream})
	}
	var wd [6]int
	for _, x := range rows {
		for i, c := range []string{x.target, x.hist, x.result, x.changes, x.raw, x.stream} {
			wd[i] = max(wd[i], len(c))
		}
	}
	for _, x := range rows {
		fmt.Fprintf(w, "%-*s  %-*s  %-*s  %*s  %-*s  %s\n", wd[0], x.target, wd[1], x.hist, wd[2], x.result, wd[3], x.changes, wd[4], x.raw, x.stream)
	}
	for _, r := range reports {
		if r.OK() {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", r.Case.Name())
		if r.Err != nil {
			fmt.Fprintf(w, "  %s\n", indent(r.Err.Error(), "  "))
		}
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	fmt.Fprintf(w, "\n%d cases: %d pass, %d fail (from %s)\n", len(reports), pass, len(reports)-pass, source)
}

func writeReplayJSON(w io.Writer, reports []bench.CaseReport, source string) error {
	type jcase struct {
		Target   string         `json:"target"`
		History  string         `json:"history"`
		Pass     bool           `json:"pass"`
		Error    string         `json:"error,omitempty"`
		Problems []string       `json:"problems"`
		Changes  int            `json:"changes"`
		Raw      bench.Outcome  `json:"raw"`
		Answer   bench.Outcome  `json:"answer"`
		Stream   *bench.Outcome `json:"stream,omitempty"`
		Rule     string         `json:"predictedRule,omitempty"`
	}
	out := struct {
		Source string  `json:"source"`
		Cases  []jcase `json:"cases"`
	}{Source: source, Cases: []jcase{}}
	var failed []string
	for _, r := range reports {
		c := jcase{Target: r.Case.Target.Name, History: r.Case.History.ID, Pass: r.OK(), Problems: r.Problems, Changes: len(r.Result.Report.Changes),
			Raw: r.Result.Raw, Answer: r.Result.Normalized, Stream: r.Result.Stream}
		if c.Problems == nil {
			c.Problems = []string{}
		}
		if r.Err != nil {
			c.Error = r.Err.Error()
		}
		if p := r.Result.Prediction; p != nil {
			c.Rule = p.Rule.ID + " " + p.Rule.Name
		}
		if !c.Pass {
			failed = append(failed, filepath.ToSlash(r.Case.Name()))
		}
		out.Cases = append(out.Cases, c)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	if len(failed) > 0 {
		return &findingsError{fmt.Sprintf("%d cases failed: %s", len(failed), strings.Join(failed, ", "))}
	}
	return nil
}
