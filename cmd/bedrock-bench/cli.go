package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/bedrock-bench/bedrock-bench/internal/closest"
)

// Exit codes.
const (
	exitOK       = 0 // all clear
	exitFindings = 1 // the command ran and found problems
	exitUsage    = 2 // bad flags or arguments, or unreadable input
)

// command is one subcommand: a summary for the help page and a function
// that runs it.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands is the registry: one line per subcommand.
var commands = map[string]command{
	"catalog":   {"rebuild the model catalog from an account's ListFoundationModels and ListInferenceProfiles, Region by Region", runCatalog},
	"config":    {"print the effective settings and where each came from (bedrock-bench.yaml, flags, defaults)", runConfig},
	"converse":  {"send one prompt or history through the AWS SDK to a Region or an endpoint", runConverse},
	"converter": {"compare the project's own converter with the built-in normalizer, per history", runConverter},
	"emulate":   {"run a local Bedrock: runtime, control plane, per-Region catalog, IAM, faults", runEmulate},
	"init":      {"make this repository a bedrock-bench project: config, example histories, a test", runInit},
	"lint":      {"decode, normalize and validate history fixtures, or check the cassette folder", runLint},
	"preflight": {"before a migration: the Region's catalog, the profile's routes, IAM on every destination", runPreflight},
	"record":    {"record every (target, history) case into cassettes, against AWS or the emulator", runRecord},
	"replay":    {"run the bench outside go test, from cassettes or against the emulator, and print a report", runReplay},
	"capture":   {"record an application's requests as redacted fixtures: a proxy to Bedrock, OpenAI or Anthropic", runCapture},
	"import":    {"turn production logs (Bedrock, OpenAI, LiteLLM, Anthropic, OTel, HAR) into redacted, deduplicated fixtures", runImport},
	"version":   {"print the module version and VCS revision", runVersion},
}

// usageError is a mistake in how the command was called; it exits 2.
// It wraps the first error among its arguments, if any.
type usageError struct {
	msg string
	err error
}

func (e *usageError) Error() string { return e.msg }

func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), err: firstError(args)}
}

// envError is an environment problem (nothing listens, no answer in
// time): exit 2, without the pointer to --help a usage error gets.
type envError struct{ msg string }

func (e *envError) Error() string { return e.msg }

func envf(format string, args ...any) error { return &envError{fmt.Sprintf(format, args...)} }

// findingsError means the command worked and found problems; it exits 1.
// The findings were already printed.
type findingsError struct{ msg string }

func (e *findingsError) Error() string { return e.msg }

// run dispatches to a subcommand and maps its error to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		printHelp(stdout)
		return exitOK
	}
	if args[0] == "--version" {
		// What other tools answer to it; the command is version.
		args = append([]string{"version"}, args[1:]...)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "bedrock-bench: unknown command %q\n", args[0])
		if s := suggestCommand(args[0]); s != "" {
			fmt.Fprintf(stderr, "Did you mean 'bedrock-bench %s'? (%s)\n", s, commands[s].summary)
		}
		fmt.Fprintf(stderr, "Run 'bedrock-bench help' for the list of commands.\n")
		return exitUsage
	}
	if wantsHelp(args[1:]) {
		// Help is asked for: it goes to stdout, like the command's output.
		stderr = stdout
	}
	err := cmd.run(ctx, args[1:], stdout, stderr)
	var ue *usageError
	var fe *findingsError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, pflag.ErrHelp):
		return exitOK
	case interruptedRead(err):
		fmt.Fprintf(stderr, "bedrock-bench %s: %v\n", args[0], err)
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "bedrock-bench %s: %v\nRun 'bedrock-bench %s --help' for usage.\n", args[0], err, args[0])
		return exitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "bedrock-bench %s: %v\n", args[0], err)
		return exitFindings
	}
	fmt.Fprintf(stderr, "bedrock-bench %s: %v\n", args[0], err)
	return exitUsage
}

// commandSynonyms are names a user may try for a command.
var commandSynonyms = map[string]string{
	"emulator": "emulate",
	"serve":    "emulate",
	"server":   "emulate",
}

// suggestCommand returns the command an unknown name likely meant: a
// synonym, or the command within two edits of it (a typo), or "".
func suggestCommand(name string) string {
	name = strings.ToLower(name)
	if c, ok := commandSynonyms[name]; ok {
		return c
	}
	if _, ok := commands[name]; ok {
		return name // a command in another case: "Replay"
	}
	return closest.Name(name, slices.Sorted(maps.Keys(commands)))
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `bedrock-bench records LLM conversations against Amazon Bedrock and replays
them offline, and checks what breaks when calls move to Bedrock.

Usage:
  bedrock-bench <command> [flags] [args]

Commands:
`)
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, `
Run 'bedrock-bench <command> --help' for a command's flags and examples.
New project: 'bedrock-bench init' in a Go module, then the three commands it prints.
Settings: bedrock-bench.yaml, found from the working directory up ('bedrock-bench config').

Exit codes: 0 all clear, 1 findings, 2 usage or input errors.
Ctrl-C stops a command cleanly (files left whole); a second Ctrl-C ends it at once.
`)
}

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "--help", "-help":
			return true
		}
	}
	return false
}

// newFlagSet returns a flag set that reports errors instead of exiting
// and prints a usage page with the command's synopsis and examples.
func newFlagSet(name, synopsis, examples string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		flags := fs.FlagUsages()
		if flags == "" {
			flags = "  (none)\n"
		}
		fmt.Fprintf(stderr, "Usage: bedrock-bench %s\n\nFlags:\n%s\nExamples:\n%s", synopsis, flags, examples)
		if codes, ok := exitCodes[name]; ok {
			fmt.Fprintf(stderr, "\nExit codes: %s; 2 usage or input errors.\n", codes)
		}
	}
	return fs
}

// exitCodes words what 0 and 1 mean for each subcommand, for its --help
// (2 is always a usage or input error).
var exitCodes = map[string]string{
	"catalog":   "0 the catalog written (a Region that cannot be read writes nothing, exit 2); 1 interrupted while reading --base (a named pipe)",
	"capture":   "0 stopped by Ctrl-C, its summary printed (bodies dropped are counted there)",
	"config":    "0 the settings printed; 1 interrupted while reading --targets (a named pipe)",
	"converse":  "0 an answer; 1 the service answered an error (its code, message and what it means are printed)",
	"converter": "0 the converter answered every case with a request that breaks no rule; 1 it failed, or its request breaks a rule, in a case, or interrupted",
	"emulate":   "0 stopped by Ctrl-C; 1 interrupted before it served, while reading an input file (a named pipe)",
	"import":    "0 imported (records skipped are listed on stderr; when every record is, nothing is imported: exit 2); 1 interrupted (nothing half-written is left), or a record skipped with --strict",
	"init":      "0 the project written",
	"lint":      "0 every fixture decodes and normalizes into a valid request, or the cassette folder is clean; 1 a FAIL line or a finding, or interrupted",
	"preflight": "0 all clear; 1 findings (a model not offered, a route or IAM check denied); with --matrix, a row that could not be checked exits 2 after the whole table; 1 also interrupted while reading an input file (a named pipe)",
	"record":    "0 every case recorded or already there; 1 a case failed, or interrupted (every cassette whole)",
	"replay":    "0 every case passes; 1 a case fails, or interrupted",
	"version":   "0",
}

// parseFlags parses args, turning a flag error into a usage error.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	return nil
}

// writableFolder checks, before any work, that dir can be a folder to
// write into: it is one, or its nearest existing parent is. what names it
// in the error, e.g. "--out".
func writableFolder(what, dir string) error {
	switch d := fileInTheWay(dir); {
	case d == "":
		return nil
	case d == filepath.Clean(dir):
		return usagef("%s %s is a file, not a folder: name a folder", what, dir)
	default:
		return usagef("%s %s: %s is a file, not a folder, so nothing can be written under it", what, dir, d)
	}
}

// writableFile checks, before any work, that a file can be written at
// path: it is not a folder, and its folder can be one.
func writableFile(what, path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("%s %s is a folder: name a file", what, path)
	}
	// A file where a folder of the path should be: "--report f/r.json:
	// f is a file, so r.json cannot be written under it".
	d := fileInTheWay(filepath.Dir(filepath.Clean(path)))
	if d == "" {
		return nil
	}
	rest, err := filepath.Rel(d, filepath.Clean(path))
	if err != nil {
		rest = filepath.Base(path)
	}
	return usagef("%s %s: %s is a file, so %s cannot be written under it", what, path, d, rest)
}

// fileInTheWay is the nearest of dir and its parents that exists, when
// it is not a folder (nothing can be made under it), or "".
func fileInTheWay(dir string) string {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil {
			if st.IsDir() {
				return ""
			}
			return d
		}
		if parent := filepath.Dir(d); parent == d {
			return ""
		}
	}
}

// oneOf checks a flag value against its choices.
func oneOf(flag, value string, choices ...string) error {
	for _, c := range choices {
		if value == c {
			return nil
		}
	}
	return usagef("--%s %q: want one of %s", flag, value, strings.Join(choices, ", "))
}
