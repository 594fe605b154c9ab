package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

func runRecord(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("record", "record [flags]", `  bedrock-bench record --endpoint emulator                      # every case, against the bundled emulator
  AWS_PROFILE=bench bedrock-bench record --target us-east-1-nova-lite --histories 'tools/*'
  bedrock-bench record --region eu-central-1 --model eu.amazon.nova-pro-v1:0 --only-missing
`, stderr)
	cf := addCaseFlags(fs)
	endpoint := fs.String("endpoint", "", "record against this endpoint instead of AWS; \"emulator\" starts the bundled one in-process")
	concurrency := fs.Int("concurrency", 4, "cases recorded at once")
	onlyMissing := fs.Bool("only-missing", false, "record only cases whose cassette does not exist yet")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up on a case whose calls have not all been answered after this long; its cassette is left as it was")
	redactFlag := fs.Bool("redact", false, "replace secrets and personal data in recordings with pseudonyms instead of refusing to save them")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *concurrency < 1 {
		return usagef("--concurrency %d: want at least 1", *concurrency)
	}
	if *timeout <= 0 {
		return usagef("--timeout %s: want a positive duration such as 10m", *timeout)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q: record takes flags only (select cases with --target and --histories)", fs.Arg(0))
	}
	ep := *endpoint
	if ep != "" && ep != "emulator" {
		if err := checkEndpoint(ep); err != nil {
			return err
		}
	}
	sel, err := cf.cases(ctx)
	if err != nil {
		return err
	}
	// Before any call: a cassette folder that cannot be written would
	// fail every case after its calls were paid for.
	if err := writableFolder("cassette folder", sel.project.CassettesDir()); err != nil {
		return err
	}
	// Before any case: against a loopback endpoint where nothing listens,
	// every case would fail on it after the SDK's retries.
	if err := probeLoopback(ctx, ep); err != nil {
		return err
	}
	if ep == "emulator" {
		s, err := emulator.New(nil)
		if err != nil {
			return err
		}
		url, stop, err := s.StartLoopback()
		if err != nil {
			return err
		}
		defer stop()
		ep = url
	}
	cfg, err := awsConfig(ctx, "", ep)
	if err != nil {
		return envf("AWS configuration: %v", firstLine(err.Error()))
	}
	if ep == "" || replay.IsAWS(ep) {
		// One check of the credential chain, up front: without it every
		// case would print the same SDK error.
		if err := checkCredentials(ctx, cfg, true, "record against the bundled emulator with --endpoint emulator"); err != nil {
			return err
		}
	}
	conv, err := startConverter(ctx, sel.project, stderr, "", "")
	if err != nil {
		return err
	}
	if conv != nil {
		defer conv.Close()
	}
	cassettes := sel.project.CassettesDir()
	mode := replay.Record
	if *onlyMissing {
		mode = replay.RecordMissing
	}
	where := "AWS (credentials from the standard chain)"
	if *endpoint != "" {
		where = *endpoint
	}
	shard := ""
	if sel.shard.Count > 1 {
		shard = " (shard " + sel.shard.String() + ")"
	}
	fmt.Fprintf(stderr, "recording %d cases%s against %s into %s/\n", len(sel.cases), shard, where, project.Rel(cassettes))
	p := newProgress(stderr, "recorded")
	// Against AWS the calls go through the configuration's HTTP client,
	// which trusts its CA bundle (AWS_CA_BUNDLE); the emulator's
	// configuration read nothing from the environment.
	session := replay.RecordOptions(cfg, ep)
	session.Redact = *redactFlag
	opts := bench.RunOptions{
		Mode: mode, Cassettes: cassettes, Concurrency: *concurrency, Progress: p.update,
		Session: session, Rerecord: cf.rerecord(), CaseTimeout: *timeout,
	}
	if conv != nil {
		opts.Converter = conv
	}
	reports := bench.RunCases(ctx, sel.cases, opts)
	saved, skipped, drifted := 0, 0, 0
	var failed []bench.CaseReport
	for _, r := range reports {
		switch {
		case r.Skipped:
			skipped++
		case r.Saved:
			saved++
		}
		if len(r.Drift) > 0 {
			drifted++
			fmt.Fprintf(stdout, "drift in %s:\n", r.Case.Name())
			for _, d := range r.Drift {
				fmt.Fprintf(stdout, "  %s\n%s\n", d.Request, indent(d.Diff, "    "))
			}
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(stderr, "warning: %s: %s\n", r.Case.Name(), w)
		}
		if !r.OK() {
			failed = append(failed, r)
		}
	}
	notTried := 0
	for _, r := range failed {
		if errors.Is(r.Err, bench.ErrNotTried) || errors.Is(r.Err, bench.ErrNotStarted) {
			// Listed once, in the summary: they all have the one cause.
			notTried++
			continue
		}
		fmt.Fprintf(stdout, "%s:\n", r.Case.Name())
		if r.Err != nil {
			fmt.Fprintf(stdout, "  %s\n", indent(r.Err.Error(), "  "))
		}
		for _, p := range r.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	summary := fmt.Sprintf("%s: %d recorded, %d already there, %d with drift, %d failed", plural(len(reports), "case"), saved, skipped, drifted, len(failed)-notTried)
	if notTried > 0 {
		summary += fmt.Sprintf(", %d not tried", notTried)
	}
	fmt.Fprintln(stdout, summary)
	if ctx.Err() != nil {
		return &findingsError{"interrupted: cassettes of cases in flight were left as they were"}
	}
	if len(failed) > 0 {
		refused := 0
		for _, r := range failed {
			if errors.Is(r.Err, bench.ErrCredentials) {
				refused++
			}
		}
		if refused > 0 {
			untried := ""
			if notTried > 0 {
				untried = fmt.Sprintf(", and %s not tried after that", count(notTried, "case was", "cases were"))
			}
			return &findingsError{fmt.Sprintf("%s failed; their problems are listed above; the service refused the credentials of %s, whose cassettes were left as they were%s: refresh the credentials (e.g. aws sso login) and record again",
				plural(len(failed)-notTried, "case"), plural(refused, "case"), untried)}
		}
		return &findingsError{fmt.Sprintf("%s failed; their problems are listed above", plural(len(failed), "case"))}
	}
	return nil
}

func indent(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}
