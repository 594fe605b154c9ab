package main

import (
	"bufio"
	"context"
	"embed"
	"errors"
	"fmt"
	"go/build"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/project"
)

//go:embed initdata/histories
var initHistories embed.FS

const initConfig = `# bedrock-bench project file: found by walking up from the working
# directory, like go.mod. Paths are relative to this file.
# 'bedrock-bench config' prints the effective settings and their sources.

histories: histories   # history fixtures, one file per history
cassettes: cassettes   # recordings, cassettes/<target>/<history>.yaml
family: anthropic      # default model family, for models the family table does not know

# Each history runs against each target. Names name cassette folders:
# letters, digits, '.', '_' and '-', never an account id.
targets:
  - name: us-east-1-nova-lite
    region: us-east-1
    model: us.amazon.nova-lite-v1:0
  - name: eu-west-2-claude-sonnet-4-6
    region: eu-west-2
    model: anthropic.claude-sonnet-4-6

# Your own converter instead of the built-in normalizer (see the README):
# converter:
#   command: [node, convert.mjs]
`

const initTest = `package %s

import (
	"testing"

	"github.com/bedrock-bench/bedrock-bench/benchtest"
)

// TestBedrockBench replays every (target, history) case of
// bedrock-bench.yaml from its cassette, offline. Re-record with
//
//	go test . -run TestBedrockBench -record -endpoint emulator   # the bundled emulator
//	go test . -run TestBedrockBench -record                      # AWS, standard credential chain
func TestBedrockBench(t *testing.T) {
	benchtest.Run(t, benchtest.Options{})
}
`

// initNext are the three commands init prints; scripts/e2e-init.sh runs
// exactly these.
var initNext = []string{
	"go mod tidy",
	"go test . -run TestBedrockBench -record -endpoint emulator",
	"go test ./...",
}

func runInit(_ context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newFlagSet("init", "init [flags]", `  bedrock-bench init        # in the directory of the Go package that should hold the test
`, stderr)
	testFile := flags.String("test-file", "bedrock_bench_test.go", "name of the test file written in this directory")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usagef("unexpected argument %q: init works in the current directory", flags.Arg(0))
	}
	if strings.ContainsAny(*testFile, "/"+string(os.PathSeparator)) {
		return usagef("--test-file %q: want a file name, not a path: init writes the test in the current directory, so run it in the package's folder (cd %s)", *testFile, filepath.Dir(*testFile))
	}
	if !strings.HasSuffix(*testFile, "_test.go") {
		return usagef("--test-file %q: want a file name ending in _test.go", *testFile)
	}
	if existing, err := project.Find("."); err == nil && existing != "" {
		return usagef("this directory already belongs to the project %s; init never overwrites (run bedrock-bench config to see its settings)", project.Rel(existing))
	}
	pkg, err := packageName(".")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		project.FileName:     []byte(initConfig),
		*testFile:            []byte(fmt.Sprintf(initTest, pkg)),
		"cassettes/.gitkeep": nil,
	}
	err = fs.WalkDir(initHistories, "initdata/histories", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := initHistories.ReadFile(p)
		files[strings.TrimPrefix(p, "initdata/")] = data
		return err
	})
	if err != nil {
		return err
	}
	var names []string
	for name := range files {
		if _, err := os.Lstat(filepath.FromSlash(name)); err == nil {
			return usagef("%s already exists; init never overwrites a file (move it away, or write the project file by hand)", name)
		}
		// A folder init writes into must be a folder, or not exist yet.
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if st, err := os.Stat(filepath.FromSlash(dir)); err == nil && !st.IsDir() {
				return usagef("%s is a file, and init writes %s in a folder of that name (move the file away)", dir, name)
			}
		}
		names = append(names, name)
	}
	sortStrings(names)
	// Anything else that fails a write (a read-only folder, a full disk)
	// takes back what this run wrote: init writes everything or nothing.
	var written, made []string
	for _, name := range names {
		dirs, err := mkdirs(filepath.Dir(filepath.FromSlash(name)))
		made = append(made, dirs...)
		if err == nil {
			err = writeNew(filepath.FromSlash(name), files[name])
		}
		if err != nil {
			for i := len(written) - 1; i >= 0; i-- {
				os.Remove(written[i])
			}
			for i := len(made) - 1; i >= 0; i-- {
				os.Remove(made[i])
			}
			return fmt.Errorf("%w (init wrote nothing)", err)
		}
		written = append(written, filepath.FromSlash(name))
	}
	for _, name := range names {
		fmt.Fprintf(stdout, "wrote %s\n", name)
	}
	fmt.Fprintf(stdout, "\nNext:\n")
	for _, c := range initNext {
		fmt.Fprintf(stdout, "  %s\n", c)
	}
	return nil
}

// mkdirs makes dir and its missing parents, and returns the folders it
// made, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; d != "." && d != string(filepath.Separator); d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return made, err
		}
		made = append(made, missing[i])
	}
	return made, nil
}

// writeNew creates a file that must not exist yet.
func writeNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usagef("%s already exists; init never overwrites a file", name)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}

// packageName is the Go package of dir: the one the go command builds
// from its .go files (go/build, as go build reads them: a file its build
// constraints leave out, such as a //go:build ignore generator in package
// main, does not count, and an external test package x_test names x), or
// else named after the folder's import path, as the go command names it:
// its last element, less a major version suffix (/v2, gopkg.in's .v3); a
// test file must join it. dir must be in a module, .go files or not: the
// steps init prints next (go mod tidy, go test) need one.
func packageName(dir string) (string, error) {
	mod, err := findGoMod(dir)
	if err != nil {
		return "", usagef("no go.mod here or above: run go mod init first, then bedrock-bench init")
	}
	p, err := build.ImportDir(dir, 0)
	var multiple *build.MultiplePackageError
	switch {
	case errors.As(err, &multiple):
		return "", usagef("%s holds packages %s (%s) and %s (%s); the go command builds none of them: keep one package per folder, then bedrock-bench init",
			dir, multiple.Packages[0], multiple.Files[0], multiple.Packages[1], multiple.Files[1])
	case p != nil && p.Name != "":
		// Another error (a file that does not parse) is the go
		// command's to report; the name stands.
		return p.Name, nil
	}
	f, err := os.Open(mod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			path := strings.Trim(strings.TrimSpace(rest), `"`)
			if abs, err := filepath.Abs(dir); err == nil {
				if rel, err := filepath.Rel(filepath.Dir(mod), abs); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
					path += "/" + filepath.ToSlash(rel)
				}
			}
			return packageNameOf(path), nil
		}
	}
	return "", usagef("%s: no module line", mod)
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$|\.v[0-9]+$`)

// packageNameOf is the package name the go command gives an import path:
// its last element less a major version, as an identifier ("app" when
// nothing of it is left).
func packageNameOf(path string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if majorVersion.MatchString(last) {
		if trimmed := majorVersion.ReplaceAllString(last, ""); trimmed != "" {
			last = trimmed
		} else if len(elems) > 1 {
			last = elems[len(elems)-2]
		}
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return -1
	}, last)
	if name == "" || name[0] >= '0' && name[0] <= '9' || token.IsKeyword(name) {
		name = "app"
	}
	return name
}

func findGoMod(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(d, "go.mod")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fs.ErrNotExist
		}
		d = parent
	}
}
