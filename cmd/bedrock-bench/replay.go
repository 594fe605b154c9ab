package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
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
	if *concurrency < 1 {
		return usagef("--concurrency %d: want at least 1", *concurrency)
	}
	if *emu && fs.Changed("cassettes") {
		return usagef("--cassettes is ignored with --emulator (nothing is read or written); drop one")
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q: replay takes flags only (select cases with --target and --histories)", fs.Arg(0))
	}
	sel, err := cf.cases(ctx)
	if err != nil {
		return err
	}
	cassettes := sel.project.CassettesDir()
	opts := bench.RunOptions{Mode: replay.Replay, Cassettes: cassettes, Concurrency: *concurrency, Rerecord: cf.rerecord()}
	conv, err := startConverter(ctx, sel.project, stderr, "", "")
	if err != nil {
		return err
	}
	if conv != nil {
		defer conv.Close()
		opts.Converter = conv
	}
	source := "cassettes in " + project.Rel(cassettes) + "/, offline"
	if *emu {
		s, err := emulator.New(nil)
		if err != nil {
			return err
		}
		url, stop, err := s.StartLoopback()
		if err != nil {
			return err
		}
		defer stop()
		tmp, err := os.MkdirTemp("", "bedrock-bench-replay-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		opts.Mode, opts.Cassettes = replay.Record, tmp
		opts.Session = replay.Options{Credentials: emulatorCredentials, Endpoint: url}
		source = "the bundled emulator, live"
	} else if err := cassetteFolder(cassettes); err != nil {
		return err
	}
	if sel.shard.Count > 1 {
		source += ", shard " + sel.shard.String()
	}
	reports := bench.RunCases(ctx, sel.cases, opts)
	failed := 0
	for _, r := range reports {
		if !r.OK() {
			failed++
		}
	}
	if *output == "json" {
		if err := writeReplayJSON(stdout, reports, source); err != nil {
			return err
		}
	} else {
		printReplayTable(stdout, terminalOf(stdout), reports, source)
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

func printReplayTable(w io.Writer, t terminal, reports []bench.CaseReport, source string) {
	rows := [][]string{{"TARGET", "HISTORY", "RESULT", "CHANGES", "RAW: PREDICTED = SERVICE", "STREAM"}}
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
		rows = append(rows, []string{r.Case.Target.Name, r.Case.History.ID, result, fmt.Sprint(len(r.Result.Report.Changes)), verdict(r), stream})
	}
	fitColumns(rows, t.width, 2, 0, 1, 4)
	printTable(w, t, rows, map[int]bool{3: true})
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
	fmt.Fprintf(w, "\n%s: %d pass, %d fail (from %s)\n", plural(len(reports), "case"), pass, len(reports)-pass, source)
}

// replaySummary closes replay's JSON report.
type replaySummary struct {
	Cases  int    `json:"cases"`
	Pass   int    `json:"pass"`
	Fail   int    `json:"fail"`
	Source string `json:"source"`
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
		Source  string        `json:"source"`
		Cases   []jcase       `json:"cases"`
		Summary replaySummary `json:"summary"`
	}{Source: source, Cases: []jcase{}, Summary: replaySummary{Cases: len(reports), Source: source}}
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
		if c.Pass {
			out.Summary.Pass++
		} else {
			out.Summary.Fail++
		}
		out.Cases = append(out.Cases, c)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
