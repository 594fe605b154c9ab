package main

import (
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/bedrock-bench/bedrock-bench/bench/project"
)

func runConfig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("config", "config [flags]", `  bedrock-bench config
  bedrock-bench config --cassettes /tmp/cassettes --output json
`, stderr)
	pf := addProjectFlags(fs)
	targets := fs.String("targets", "", "a YAML or JSON list of targets, or a project file (its targets), instead of the project's")
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
		ts, _, err := project.LoadTargetsContext(ctx, *targets)
		if err != nil {
			return fileError("--targets", *targets, err, targetsFix)
		}
		p.SetTargets(ts, "flag --targets")
	}
	settings := withSaltSource(p.Settings(), os.Getenv(saltEnv) != "")
	if fs.Changed("config") {
		// The file was named, not searched for.
		for i := range settings {
			if settings[i].Key == "file" {
				settings[i].Source = "flag --config"
			}
		}
	}
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

// withSaltSource adds the salt import and capture would use, and where it
// comes from, after the project's redaction.saltFile: $BEDROCK_BENCH_SALT
// wins over that file (envSet), so the file's row then says it is not in
// effect. --salt-file, which wins over both, is a flag of import and
// capture, not of config.
func withSaltSource(settings []project.Setting, envSet bool) []project.Setting {
	out := make([]project.Setting, 0, len(settings)+1)
	for _, s := range settings {
		if s.Key != "redaction.saltFile" {
			out = append(out, s)
			continue
		}
		file := s.Value != "(none)"
		salt := project.Setting{Key: "salt", Value: s.Value, Source: s.Source + " (redaction.saltFile)"}
		switch {
		case envSet:
			salt.Value, salt.Source = "$"+saltEnv, "environment (a --salt-file flag wins)"
			if file {
				s.Source += " (not in effect: $" + saltEnv + " is set)"
			}
		case !file:
			salt.Value, salt.Source = "(none: import and capture need one)", "default"
		}
		out = append(out, s, salt)
	}
	return out
}
