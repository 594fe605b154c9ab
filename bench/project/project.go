// Package project reads bedrock-bench.yaml, the file that makes a
// repository a bedrock-bench project, and says where every setting came
// from.
//
// The file is found the way go finds go.mod: in the working directory or
// the nearest directory above it. Paths in it are relative to the file's
// own directory. To use it:
//
//  1. [Discover] from a directory (or [Load] a named file).
//  2. Read the settings; [Project.Abs] resolves a folder against the
//     file's directory.
//  3. Override a setting from a flag with [Project.Set], which records the
//     flag as its source; [Project.Settings] lists every setting with its
//     source, for `bedrock-bench config`.
//
// A file that does not parse, holds an unknown key or an invalid target is
// an error naming the file, the line and the fix.
package project

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/shellwords"
	"github.com/bedrock-bench/bedrock-bench/internal/yamlerr"
)

// FileName is the project file's name.
const FileName = "bedrock-bench.yaml"

// MaxFileSize bounds the project file; anything larger is refused.
const MaxFileSize = 1 << 20

// Project is a project's effective settings.
type Project struct {
	// File is the project file read, or "" when none was found and the
	// defaults apply.
	File string
	// Dir is the directory relative paths are resolved against: the
	// file's, or the directory the search started from.
	Dir string

	// Histories is the folder of history fixtures.
	Histories string
	// Cassettes is the folder of cassettes, one per (target, history).
	Cassettes string
	// Family is the default model family: lint's, and the normalizer's for
	// a target whose model the family table does not know.
	Family string
	// Targets is the target matrix.
	Targets []bench.Target
	// Converter, when its Command is set, converts histories instead of
	// the built-in normalizer (package bench/converter).
	Converter Converter
	// Import and Redaction configure `bedrock-bench import` and `capture`.
	Import    Import
	Redaction Redaction

	sources map[string]string
}

// Converter is the team's own history converter: a long-running worker
// speaking JSON lines on stdin and stdout.
type Converter struct {
	// Command is the program and its arguments, run in the project's
	// directory.
	Command []string `yaml:"command"`
	// Timeout bounds one conversion; 0 means 30 s.
	Timeout time.Duration `yaml:"timeout,omitempty"`
}

// Import configures `bedrock-bench import` and `capture`: where the
// histories they write go.
type Import struct {
	// Dir is the folder imported histories are written to; "" means
	// Histories/imported.
	Dir string `yaml:"dir,omitempty"`
}

// Redaction configures how `import` and `capture` redact production data
// before anything reaches the disk.
type Redaction struct {
	// SaltFile holds the secret salt that makes pseudonyms stable within a
	// project and unguessable outside it; keep it out of the repository.
	SaltFile string `yaml:"saltFile,omitempty"`
	// PatternsFile lists extra regular expressions to redact, one a line.
	PatternsFile string `yaml:"patternsFile,omitempty"`
	// TermsFile lists literal terms to redact (names, codenames), one a line.
	TermsFile string `yaml:"termsFile,omitempty"`
	// KeepMedia keeps images and documents instead of replacing them with
	// placeholders.
	KeepMedia bool `yaml:"keepMedia,omitempty"`
}

// file is the YAML schema.
type file struct {
	Histories string         `yaml:"histories"`
	Cassettes string         `yaml:"cassettes"`
	Family    string         `yaml:"family"`
	Targets   []bench.Target `yaml:"targets"`
	Converter Converter      `yaml:"converter"`
	Import    Import         `yaml:"import"`
	Redaction Redaction      `yaml:"redaction"`
}

// Defaults are the settings without a project file.
const (
	DefaultHistories = "histories"
	DefaultCassettes = "cassettes"
)

// Find returns the project file in dir or the nearest directory above it,
// or "" when there is none. One that is not a regular file (a folder, a
// named pipe, a device) is an error naming it: it is not read, and the
// search does not go on past it.
func Find(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(d, FileName)
		st, err := os.Stat(p)
		switch {
		case err == nil:
			if err := regular(p, st); err != nil {
				return "", err
			}
			return p, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d = parent
	}
}

// Discover finds and loads the project file from dir upwards; without one
// it returns the defaults with Dir set to dir.
func Discover(dir string) (*Project, error) {
	p, err := Find(dir)
	if err != nil {
		return nil, err
	}
	if p == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		return defaults(abs), nil
	}
	return Load(p)
}

func defaults(dir string) *Project {
	pr := &Project{Dir: dir, Histories: DefaultHistories, Cassettes: DefaultCassettes, Family: converse.DefaultFamily, sources: map[string]string{}}
	for _, k := range []string{"histories", "cassettes", "family", "targets", "converter", "import", "redaction"} {
		pr.sources[k] = "default"
	}
	return pr
}

// Load reads the project file at path.
func Load(path string) (*Project, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	// A named pipe would hold the open (and the command) until something
	// writes to it: what the file is is known before it is opened.
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if err := regular(abs, st); err != nil {
		return nil, err
	}
	data, err := bounded.ReadFile(abs, MaxFileSize, projectTooLarge)
	if err != nil {
		return nil, err
	}
	return Parse(abs, data)
}

// regular refuses a project file path that is not a regular file.
func regular(path string, st fs.FileInfo) error {
	if st.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf("%s: %s, not a project file: a project file is a YAML file; remove or rename it", path, bounded.Kind(st.Mode()))
}

// projectTooLarge says why a file over MaxFileSize is no project file.
const projectTooLarge = "a project file is a few lines per target"

// Parse reads a project file's contents; path names it in errors and
// gives the directory relative paths are resolved against.
func Parse(path string, data []byte) (*Project, error) {
	if len(data) > MaxFileSize {
		return nil, &bounded.TooLargeError{Path: path, Limit: MaxFileSize, What: projectTooLarge}
	}
	// yaml.v3 refuses invalid UTF-8 without a position: say where.
	if err := validutf8.Check(path, data); err != nil {
		return nil, err
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, errors.New(yamlerr.Format(path, data, err, `(see the schema in the README, section "Use it in your own repository")`))
	}
	// The file is one document: the settings of a second one (after a
	// "---") would not be read, and nothing would say so. An empty one
	// (a "---" the file ends with) holds none.
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errors.New(yamlerr.Format(path, data, err, ""))
		}
		if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null" && doc.Content[0].Value == "" {
			continue
		}
		return nil, fmt.Errorf("%s:%d: a second YAML document starts here: a project file is one document, and the settings of a second would not be read; move them into the first and remove this ---", path, doc.Line)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	lines := keyLines(&root)

	pr := defaults(filepath.Dir(path))
	pr.File = path
	at := func(key string) string { return fmt.Sprintf("%s:%d", path, lines[key]) }
	set := func(key string, dst *string, v string) {
		if v != "" {
			*dst = v
			pr.sources[key] = at(key)
		}
	}
	set("histories", &pr.Histories, f.Histories)
	set("cassettes", &pr.Cassettes, f.Cassettes)
	set("family", &pr.Family, f.Family)
	if _, err := converse.LookupFamily(pr.Family); err != nil {
		return nil, fmt.Errorf("%s: family %q: want one of %s", at("family"), pr.Family, strings.Join(converse.FamilyNames(), ", "))
	}
	if _, ok := lines["targets"]; ok {
		if err := bench.ValidateTargets(f.Targets); err != nil {
			if line := bench.EntryLine(member(&root, "targets"), err); line > 0 {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			return nil, fmt.Errorf("%s: %w", at("targets"), err)
		}
		pr.Targets = f.Targets
		pr.sources["targets"] = at("targets")
	}
	if _, ok := lines["converter"]; ok {
		if len(f.Converter.Command) == 0 || f.Converter.Command[0] == "" {
			return nil, fmt.Errorf("%s: converter.command: give the program and its arguments, e.g. [node, convert.mjs]", at("converter"))
		}
		if f.Converter.Timeout < 0 {
			return nil, fmt.Errorf("%s: converter.timeout %s: want a positive duration such as 30s", at("converter"), f.Converter.Timeout)
		}
		pr.Converter = f.Converter
		pr.sources["converter"] = at("converter")
	}
	if err := checkPaths(path, &root, &f); err != nil {
		return nil, err
	}
	if _, ok := lines["import"]; ok {
		pr.Import = f.Import
		pr.sources["import"] = at("import")
	}
	if _, ok := lines["redaction"]; ok {
		pr.Redaction = f.Redaction
		pr.sources["redaction"] = at("redaction")
	}
	return pr, nil
}

// member is the value of the top-level key of the document root, or nil.
func member(root *yaml.Node, key string) *yaml.Node {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// keyLines maps each top-level key to its line.
func keyLines(root *yaml.Node) map[string]int {
	out := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i].Line
	}
	return out
}

// Abs resolves a path from the project file against the project's
// directory; an absolute path stays as it is, and one that starts with
// ~/ is in the user's home folder (the salt file of the README's
// commands, ~/.bedrock-bench-salt).
func (p *Project) Abs(path string) string {
	if rest, ok := homeRelative(path); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(p.Dir, path)
}

// homeRelative returns the rest of a path that starts with ~/ (or is ~).
func homeRelative(path string) (string, bool) {
	switch {
	case path == "~":
		return "", true
	case strings.HasPrefix(path, "~/"), filepath.Separator != '/' && strings.HasPrefix(path, "~"+string(filepath.Separator)):
		return path[2:], true
	}
	return "", false
}

// envVar is a shell variable in a path: $HOME, ${HOME}.
var envVar = regexp.MustCompile(`\$(?:\{|[A-Za-z_])`)

// checkPaths refuses the path settings the tool would read other than
// their writer meant: a shell's ~user/ or $VAR, which no shell expands
// here, and ~/ where the home folder is not known. The path is then
// taken relative to the file ("<dir>/$HOME/.salt"), and only a missing
// file would say so.
func checkPaths(path string, root *yaml.Node, f *file) error {
	for _, set := range []struct {
		key, sub string
		v        string
	}{
		{"histories", "", f.Histories},
		{"cassettes", "", f.Cassettes},
		{"import", "dir", f.Import.Dir},
		{"redaction", "saltFile", f.Redaction.SaltFile},
		{"redaction", "patternsFile", f.Redaction.PatternsFile},
		{"redaction", "termsFile", f.Redaction.TermsFile},
	} {
		name, n := set.key, member(root, set.key)
		if set.sub != "" {
			name += "." + set.sub
			n = mappingValue(n, set.sub)
		}
		at := path
		if n != nil {
			at = fmt.Sprintf("%s:%d", path, n.Line)
		}
		v := set.v
		switch _, home := homeRelative(v); {
		case home:
			if _, err := os.UserHomeDir(); err != nil {
				return fmt.Errorf("%s: %s %s: ~ is the home folder, which is not known here (%v); give the path relative to this file, or absolute", at, name, v, err)
			}
		case strings.HasPrefix(v, "~"):
			return fmt.Errorf("%s: %s %s: only ~/ (your own home folder) is expanded; give the path as ~/..., relative to this file, or absolute", at, name, v)
		case envVar.MatchString(v):
			return fmt.Errorf("%s: %s %s: environment variables are not expanded; give the path as ~/..., relative to this file, or absolute", at, name, v)
		}
	}
	return nil
}

// mappingValue is the value of key in mapping m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Rel shows path relative to the working directory when that is shorter.
func Rel(path string) string {
	if path == "" {
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(wd, path); err == nil && len(r) < len(path) {
		return r
	}
	return path
}

// HistoriesDir is the fixture folder, resolved.
func (p *Project) HistoriesDir() string { return p.Abs(p.Histories) }

// CassettesDir is the cassette folder, resolved.
func (p *Project) CassettesDir() string { return p.Abs(p.Cassettes) }

// ImportDir is where `import` and `capture` write histories, resolved.
func (p *Project) ImportDir() string {
	if p.Import.Dir != "" {
		return p.Abs(p.Import.Dir)
	}
	return filepath.Join(p.HistoriesDir(), "imported")
}

// Set overrides a setting (histories, cassettes, family) and records
// source, such as "flag --cassettes", as where it came from. A path set
// from a flag is relative to the working directory, not the project.
func (p *Project) Set(key, value, source string) error {
	switch key {
	case "histories", "cassettes":
		abs, err := filepath.Abs(value)
		if err != nil {
			return err
		}
		if key == "histories" {
			p.Histories = abs
		} else {
			p.Cassettes = abs
		}
	case "family":
		p.Family = value
	default:
		return fmt.Errorf("project: no setting %q", key)
	}
	p.sources[key] = source
	return nil
}

// SetTargets replaces the targets, recording source.
func (p *Project) SetTargets(ts []bench.Target, source string) {
	p.Targets = ts
	p.sources["targets"] = source
}

// Source says where a setting came from: "default", "FILE:LINE" or what
// [Project.Set] recorded.
func (p *Project) Source(key string) string { return p.sources[key] }

// Setting is one effective setting and its source.
type Setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// Settings lists the effective settings, in a fixed order.
func (p *Project) Settings() []Setting {
	file := Rel(p.File)
	if file == "" {
		file = "(none: defaults; bedrock-bench init writes one)"
	}
	src := func(key string) string {
		s := p.sources[key]
		if p.File != "" && strings.HasPrefix(s, p.File+":") {
			return Rel(p.File) + s[len(p.File):]
		}
		return s
	}
	// A path the file gives as ~/... is shown expanded, whole, and its
	// source says whose home that is.
	home := func(raw string) string {
		if _, ok := homeRelative(raw); ok {
			return " (~ is the home folder)"
		}
		return ""
	}
	shown := func(raw, abs string) string {
		if _, ok := homeRelative(raw); ok {
			return abs
		}
		return Rel(abs)
	}
	out := []Setting{
		{"file", file, "searched from the working directory upwards"},
		{"histories", shown(p.Histories, p.HistoriesDir()), src("histories") + home(p.Histories)},
		{"cassettes", shown(p.Cassettes, p.CassettesDir()), src("cassettes") + home(p.Cassettes)},
		{"family", p.Family, src("family")},
	}
	names := make([]string, 0, len(p.Targets))
	for _, t := range p.Targets {
		names = append(names, t.Name)
	}
	tv := strings.Join(names, ", ")
	if tv == "" {
		tv = "(none)"
	}
	out = append(out, Setting{"targets", tv, src("targets")})
	cv := "(built-in normalizer)"
	if len(p.Converter.Command) > 0 {
		cv = shellwords.Join(p.Converter.Command) // read back as --command reads it
	}
	out = append(out, Setting{"converter", cv, src("converter")})
	out = append(out, Setting{"import.dir", shown(p.Import.Dir, p.ImportDir()), src("import") + home(p.Import.Dir)})
	r := p.Redaction
	for _, kv := range [][2]string{{"redaction.saltFile", r.SaltFile}, {"redaction.patternsFile", r.PatternsFile}, {"redaction.termsFile", r.TermsFile}} {
		v := "(none)"
		if kv[1] != "" {
			v = shown(kv[1], p.Abs(kv[1]))
		}
		out = append(out, Setting{kv[0], v, src("redaction") + home(kv[1])})
	}
	out = append(out, Setting{"redaction.keepMedia", fmt.Sprint(r.KeepMedia), src("redaction")})
	return out
}

// EffectiveTargets returns the targets with the project's default family
// filled in for those whose model the family table does not know.
func (p *Project) EffectiveTargets() []bench.Target {
	out := make([]bench.Target, len(p.Targets))
	for i, t := range p.Targets {
		if _, known := converse.FamilyForModel(t.Model); t.FamilyName == "" && !known {
			t.FamilyName = p.Family
		}
		out[i] = t
	}
	return out
}
