package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const sample = `histories: fixtures
cassettes: rec
family: nova
targets:
  - name: us-east-1-nova-lite
    region: us-east-1
    model: us.amazon.nova-lite-v1:0
  - name: eu-west-1-custom
    region: eu-west-1
    model: my-fine-tune
converter:
  command: [node, convert.mjs]
  timeout: 5s
import:
  dir: fixtures/prod
redaction:
  saltFile: .salt
  patternsFile: redact/patterns.txt
  termsFile: redact/terms.txt
  keepMedia: true
`

func TestDiscoverWalksUp(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, FileName), sample)
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := Discover(deep)
	if err != nil {
		t.Fatal(err)
	}
	if p.File != filepath.Join(root, FileName) || p.Dir != root {
		t.Fatalf("found %q in %q", p.File, p.Dir)
	}
	if p.HistoriesDir() != filepath.Join(root, "fixtures") || p.CassettesDir() != filepath.Join(root, "rec") || p.ImportDir() != filepath.Join(root, "fixtures/prod") {
		t.Errorf("paths not resolved against the file: %s %s %s", p.HistoriesDir(), p.CassettesDir(), p.ImportDir())
	}
	if p.Family != "nova" || len(p.Targets) != 2 || p.Converter.Timeout.Seconds() != 5 || strings.Join(p.Converter.Command, " ") != "node convert.mjs" {
		t.Errorf("settings: %+v", p)
	}
	if !p.Redaction.KeepMedia || p.Redaction.SaltFile != ".salt" || p.Redaction.TermsFile != "redact/terms.txt" {
		t.Errorf("redaction: %+v", p.Redaction)
	}
	if got, want := p.Source("cassettes"), p.File+":2"; got != want {
		t.Errorf("source of cassettes = %q, want %q", got, want)
	}
	if got, want := p.Source("targets"), p.File+":4"; got != want {
		t.Errorf("source of targets = %q, want %q", got, want)
	}
	// The project's default family applies to models the table does not know.
	eff := p.EffectiveTargets()
	if eff[0].FamilyName != "" || eff[1].FamilyName != "nova" || eff[1].Family().Name != "nova" {
		t.Errorf("effective targets: %+v", eff)
	}
	if err := p.Set("cassettes", "elsewhere", "flag --cassettes"); err != nil {
		t.Fatal(err)
	}
	if p.Source("cassettes") != "flag --cassettes" || !filepath.IsAbs(p.Cassettes) {
		t.Errorf("flag override: %q from %q", p.Cassettes, p.Source("cassettes"))
	}
}

func TestDiscoverWithoutFile(t *testing.T) {
	dir := t.TempDir()
	p, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.File != "" || p.Histories != DefaultHistories || p.Cassettes != DefaultCassettes || p.Source("histories") != "default" || len(p.Targets) != 0 {
		t.Errorf("defaults: %+v", p)
	}
	var keys []string
	for _, s := range p.Settings() {
		keys = append(keys, s.Key)
	}
	if got := strings.Join(keys, ","); got != "file,histories,cassettes,family,targets,converter,import.dir,redaction.saltFile,redaction.patternsFile,redaction.termsFile,redaction.keepMedia" {
		t.Errorf("settings keys: %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"unknown key", "histories: h\ntarget:\n  - name: x\n", "p.yaml:2: unknown key target (see the schema in the README"},
		{"unknown target key", "targets:\n  - name: a\n    regoin: r\n", "p.yaml:3: unknown key regoin ("},
		{"tab", "histories: h\ntargets:\n\t- name: a\n", "p.yaml:3: indented with a tab; YAML indents with spaces only"},
		// yaml reports a tab inside a mapping on the line before it.
		{"tab in a target", "histories: h\ntargets:\n  - name: a\n\tregion: r\n", "p.yaml:4: indented with a tab; YAML indents with spaces only"},
		{"tab after spaces", "targets:\n  - name: a\n    region: r\n  \tmodel: m\n", "p.yaml:4: indented with a tab; YAML indents with spaces only"},
		{"not yaml", "targets: [\n", "p.yaml:1: did not find expected node content"},
		{"bad family", "family: gpt\n", "p.yaml:1: family \"gpt\": want one of"},
		{"missing model", "targets:\n  - name: a\n    region: us-east-1\n", "p.yaml:2: targets[0] (a): name, region and model are required"},
		{"account id in name", "targets:\n  - name: prod-123456789012-nova\n    region: us-east-1\n    model: m\n", "p.yaml:2: targets[0] (prod-123456789012-nova): name \"prod-123456789012-nova\" holds an account id"},
		{"slash in name", "targets:\n  - name: a/b\n    region: us-east-1\n    model: m\n", "use letters, digits"},
		// A target's error names the entry's own line, not the list's.
		{"twice", "targets:\n  - {name: a, region: r, model: m}\n\n  - {name: a, region: r, model: m}\n", "p.yaml:4: targets[1] (a): name \"a\" is used twice"},
		{"empty converter", "converter:\n  timeout: 1s\n", "converter.command: give the program"},
		{"wrong type", "targets: 3\n", "p.yaml:1: want a list here, not 3"},
		// Every problem yaml finds gets its own file:line, as an editor reads them
		// (yaml wrote "p.yaml: unmarshal errors:\n  line 2: ...").
		{"two unknown keys", "histories: h\nbogus: 1\ntargets:\n  - {name: a, region: r, model: m, regoin: x}\n", "p.yaml:2: unknown key bogus\np.yaml:4: unknown key regoin (see the schema"},
	} {
		_, err := Parse("p.yaml", []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := Parse("p.yaml", make([]byte, MaxFileSize+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: %v", err)
	}
}

func TestTargetNameNeverHoldsAnAccount(t *testing.T) {
	for _, tc := range []struct{ region, model, want string }{
		{"us-east-1", "us.amazon.nova-lite-v1:0", "us-east-1-us.amazon.nova-lite-v1-0"},
		{"us-east-1", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3", "us-east-1-a1b2c3"},
		{"eu-west-1", "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-6", "eu-west-1-eu.anthropic.claude-sonnet-4-6"},
		{"us-west-2", "custom-123456789012-model", "us-west-2-custom-account-model"},
		{"us-east-1", "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0", "us-east-1-us.amazon.nova-lite-v1-0"},
		{"us-east-1", "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", "us-east-1-amazon.nova-pro-v1-0"},
	} {
		got := bench.TargetName(tc.region, tc.model)
		if got != tc.want {
			t.Errorf("TargetName(%q, %q) = %q, want %q", tc.region, tc.model, got, tc.want)
		}
		if err := bench.ValidateTargets([]bench.Target{{Name: got, Region: tc.region, Model: tc.model}}); err != nil {
			t.Errorf("derived name %q does not validate: %v", got, err)
		}
	}
}

// FuzzParse: any bytes give a project or an error naming the file, never
// a panic; every target of a parsed project has a safe, account-free name.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("targets:\n  - {name: a, region: r, model: m, histories: '[', expect: x}\n"))
	f.Add([]byte("converter: {command: []}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := bench.ValidateTargets(p.Targets); err != nil {
			t.Fatalf("parsed targets do not validate: %v", err)
		}
		_ = p.Settings()
	})
}

// TestConverterSettingQuotesItsWords: config shows the project file's
// converter.command list as a command line that --command reads back into
// the same words: an element with a space is quoted.
func TestConverterSettingQuotesItsWords(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), []byte("converter:\n  command: [node, \"my tools/convert.mjs\", --name, it's]\n"), 0o644)
	p, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Settings() {
		if s.Key == "converter" && s.Value != `node 'my tools/convert.mjs' --name 'it'\''s'` {
			t.Errorf("converter setting %s", s.Value)
		}
	}
	if got := p.Converter.Command; len(got) != 4 || got[1] != "my tools/convert.mjs" {
		t.Errorf("the list form: %q", got)
	}
}

// A second YAML document (after "---") is refused at its line: its
// settings would not be read. A "---" the file starts or ends with is no
// second document.
func TestSecondDocument(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	_, err := Parse(path, []byte("histories: h\n---\ntargets:\n  - name: a\n    region: us-east-1\n    model: m\n"))
	if err == nil || !strings.HasPrefix(err.Error(), path+":2: a second YAML document") {
		t.Errorf("err = %v, want the second document named at line 2", err)
	}
	_, err = Parse(path, []byte("histories: h\n---\n{bad\n"))
	if err == nil || !strings.HasPrefix(err.Error(), path+":") {
		t.Errorf("err = %v, want a second document that does not parse named", err)
	}
	for _, ok := range []string{"---\nhistories: h\n", "histories: h\n---\n", "histories: h\n...\n", "histories: h\n---\n# nothing more\n"} {
		p, err := Parse(path, []byte(ok))
		if err != nil || p.Histories != "h" {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

// converter.timeout is a duration: a bare number is refused in those
// words, not as "want a mapping".
func TestTimeoutIsADuration(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	_, err := Parse(path, []byte("converter:\n  command: [node, c.mjs]\n  timeout: 30\n"))
	if err == nil || !strings.Contains(err.Error(), path+":3: want a duration such as 30s here, not 30") {
		t.Errorf("err = %v", err)
	}
}

// A path the file gives as ~/... is in the home folder, as the README's
// own `> ~/.bedrock-bench-salt` puts the salt; config shows it expanded
// and says so. A shell's ~user or $VAR, which nothing expands here, is
// refused at its line rather than read as a folder of that name.
func TestHomeRelativePaths(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	p, err := Parse(path, []byte("histories: ~/fixtures\nredaction:\n  saltFile: ~/.bedrock-bench-salt\n  termsFile: terms.txt\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Abs(p.Redaction.SaltFile), filepath.Join(home, ".bedrock-bench-salt"); got != want {
		t.Errorf("salt file %s, want %s", got, want)
	}
	if got, want := p.HistoriesDir(), filepath.Join(home, "fixtures"); got != want {
		t.Errorf("histories %s, want %s", got, want)
	}
	if got, want := p.Abs(p.Redaction.TermsFile), filepath.Join(dir, "terms.txt"); got != want {
		t.Errorf("terms file %s, want %s (relative to the file)", got, want)
	}
	for _, s := range p.Settings() {
		switch s.Key {
		case "redaction.saltFile", "histories":
			if strings.Contains(s.Value, "~") || !strings.HasSuffix(s.Source, "(~ is the home folder)") {
				t.Errorf("config row %+v: want the home path, and the source to say so", s)
			}
		case "redaction.termsFile":
			if strings.Contains(s.Source, "home") {
				t.Errorf("config row %+v", s)
			}
		}
	}
	for data, want := range map[string]string{
		"redaction:\n  saltFile: $HOME/.salt\n":   path + ":2: redaction.saltFile $HOME/.salt: environment variables are not expanded",
		"redaction:\n  saltFile: ${HOME}/.salt\n": path + ":2: redaction.saltFile ${HOME}/.salt: environment variables",
		"cassettes: ~bob/cassettes\n":             path + ":1: cassettes ~bob/cassettes: only ~/ (your own home folder) is expanded",
		"import:\n  dir: /data/$USER/imported\n":  path + ":2: import.dir /data/$USER/imported: environment variables",
	} {
		if _, err := Parse(path, []byte(data)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: err = %v, want %s", data, err, want)
		}
	}
}
