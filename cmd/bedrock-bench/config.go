package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

func runConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("config", "config [flags]", `  bedrock-bench config
  bedrock-bench config --cassettes /tmp/cassettes --output json
`, stderr)
	pf := addProjectFlags(fs)
	targets := fs.String("targets", "", "a YAML or JSON file of targets, instead of the project's")
	output := fs.String("output", "text", "text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	p, err := pf.load()
	if err != nil {
		return err
	}
	if *targets != "" {
		ts, err := bench.LoadTargets(*targets)
		if err != nil {
			return fileError("--targets", *targets, err, targetsFix)
		}
		p.SetTargets(ts, "flag --targets")
	}
	settings := p.Settings()
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"settings": settings})
	}
	rows := [][]string{{"SETTING", "VALUE", "FROM"}}
	for _, s := range settings {
		rows = append(rows, []string{s.Key, s.Value, s.Source})
	}
	t := terminalOf(stdout)
	fitColumns(rows, t.width, 2, 1, 2)
	printTable(stdout, t, rows, nil)
	return nil
}
