package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/converter"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/internal/shellwords"
)

// startConverter starts the project's converter, or returns nil when the
// project uses the built-in normalizer. origin says where the command
// came from when not from the project file ("--command").
//
// timeoutSetting says where the timeout is raised when not in the project
// file ("--timeout").
func startConverter(_ context.Context, p *project.Project, stderr io.Writer, origin, timeoutSetting string) (*converter.Worker, error) {
	if len(p.Converter.Command) == 0 {
		return nil, nil
	}
	if origin == "" {
		origin = converterOrigin(p)
	}
	if timeoutSetting == "" {
		timeoutSetting = "converter.timeout in " + cmp.Or(p.File, project.FileName)
	}
	w, err := converter.Start(converter.Options{Command: p.Converter.Command, Dir: p.Dir, Histories: p.HistoriesDir(), Timeout: p.Converter.Timeout, Stderr: stderr, Origin: origin, TimeoutSetting: timeoutSetting})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return w, nil
}

// converterOrigin names the project file's converter.command: the file
// read, or its usual name.
func converterOrigin(p *project.Project) string {
	if p.File != "" {
		return "converter.command in " + p.File
	}
	return "converter.command in " + project.FileName
}

// converterRow is one (target, history) line of the converter report.
type converterRow struct {
	Target    string   `json:"target"`
	History   string   `json:"history"`
	BuiltIn   []string `json:"builtIn"`
	Converter []string `json:"converter"`
	// Error is why the converter gave no request.
	Error string `json:"error,omitempty"`
}

func runConverter(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("converter", "converter [flags]", `  bedrock-bench converter                          # the project's converter against the built-in normalizer
  bedrock-bench converter --command 'node examples/vercel-ai-sdk/convert.mjs' --output json
`, stdout)
	cf := addCaseFlags(fs)
	command := fs.String("command", "", "the converter command, split into words as a POSIX shell does (quotes, backslashes), without running one (default: converter.command in the project file)")
	output := fs.String("output", "text", "text or json")
	timeout := fs.Duration("timeout", 0, "give the converter this long to answer each history (default: converter.timeout in the project file, else 30s)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.Changed("timeout") && *timeout <= 0 {
		return usagef("--timeout %s: want a positive duration such as 30s", *timeout)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q: converter takes flags only (the command with --command, in quotes)", fs.Arg(0))
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	sel, err := cf.cases(ctx)
	if err != nil {
		return err
	}
	if *command != "" {
		words, err := shellwords.Split(*command)
		if err != nil {
			return usagef("--command: %v", err)
		}
		if len(words) == 0 {
			return usagef("--command %q: name a program", *command)
		}
		sel.project.Converter.Command = words
	}
	if len(sel.project.Converter.Command) == 0 {
		return usagef("no converter: set converter.command in %s or pass --command", project.FileName)
	}
	origin, timeoutSetting := "", ""
	if *command != "" {
		// The project file's converter.timeout is for its own command.
		origin, timeoutSetting = "--command", "--timeout"
	}
	if fs.Changed("timeout") {
		sel.project.Converter.Timeout, timeoutSetting = *timeout, "--timeout"
	}
	w, err := startConverter(ctx, sel.project, stderr, origin, timeoutSetting)
	if err != nil {
		return err
	}
	defer w.Close()
	rows := []converterRow{}
	worse := 0
	interrupted := false
	for _, c := range sel.cases {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		fam := c.Target.Family()
		row := converterRow{Target: c.Target.Name, History: c.History.ID, BuiltIn: []string{}, Converter: []string{}}
		if req, _, err := normalize.Normalize(c.History, normalize.Options{Family: fam}); err != nil {
			row.BuiltIn = append(row.BuiltIn, "error: "+err.Error())
		} else {
			row.BuiltIn = rules(&req, fam)
		}
		req, err := w.Convert(ctx, c)
		if err != nil && ctx.Err() != nil {
			interrupted = true // Ctrl-C while the converter worked: no verdict
			break
		}
		if err != nil {
			row.Error = err.Error()
		} else {
			row.Converter = rules(&req, fam)
		}
		if row.Error != "" || len(row.Converter) > 0 {
			worse++
		}
		rows = append(rows, row)
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Converter   string         `json:"converter"`
			Rows        []converterRow `json:"rows"`
			Summary     map[string]int `json:"summary"`
			Interrupted bool           `json:"interrupted,omitempty"`
		}{strings.Join(sel.project.Converter.Command, " "), rows, map[string]int{"cases": len(rows), "converterBreaksRules": worse}, interrupted}); err != nil {
			return err
		}
	} else {
		t := terminalOf(stdout)
		table := [][]string{{"TARGET", "HISTORY", "BUILT-IN NORMALIZER", "CONVERTER"}}
		for _, r := range rows {
			conv := list(r.Converter)
			if r.Error != "" {
				conv = "FAIL"
			} else if len(r.Converter) > 0 {
				conv = "breaks " + conv
			}
			table = append(table, []string{r.Target, r.History, list(r.BuiltIn), conv})
		}
		fitColumns(table, t.width, 2, 0, 1)
		printTable(stdout, t, table, nil)
		gaveUp, same := w.GaveUp(), 0
		for _, r := range rows {
			if r.Error == "" {
				continue
			}
			// Once the converter is given up, the remaining cases fail
			// with one error: it is printed once.
			if gaveUp != nil && strings.HasSuffix(r.Error, gaveUp.Error()) {
				if same++; same > 1 {
					continue
				}
			}
			fmt.Fprintf(stdout, "\n%s: %s\n", r.Target, r.Error) // the error names the converter and the history
		}
		if same > 1 {
			fmt.Fprintf(stdout, "(the same for the %s after it)\n", plural(same-1, "case"))
		}
		fmt.Fprintf(stdout, "\n%d cases: the converter's request breaks a rule (or fails) in %d, the built-in normalizer's in %d\n", len(rows), worse, countBroken(rows))
	}
	if interrupted {
		return &findingsError{fmt.Sprintf("interrupted after %d of %d cases: the results above are not the whole set", len(rows), len(sel.cases))}
	}
	if worse > 0 {
		failed := 0
		for _, r := range rows {
			if r.Error != "" {
				failed++
			}
		}
		return &findingsError{fmt.Sprintf("the converter failed in %d of %d cases, and its request breaks the Converse contract in %d", failed, len(rows), worse-failed)}
	}
	return nil
}

// rules lists the rules a request breaks, "V-1 first-message-user" style.
func rules(req *converse.Request, fam converse.Family) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, v := range converse.Check(req, fam) {
		if !seen[v.Rule.ID] {
			seen[v.Rule.ID] = true
			out = append(out, v.Rule.ID+" "+v.Rule.Name)
		}
	}
	return out
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "valid"
	}
	return strings.Join(xs, ", ")
}

func countBroken(rows []converterRow) int {
	n := 0
	for _, r := range rows {
		if len(r.BuiltIn) > 0 {
			n++
		}
	}
	return n
}

var _ bench.Converter = (*converter.Worker)(nil)
