package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes data to name in a new temporary folder.
func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A target whose Region the catalog does not know is refused before any
// call when the calls go to the emulator or to AWS, naming the file, the
// target and the known Regions, exit 2. Before, replay --emulator failed
// every case with "not saved: the credentials were refused ... record
// again". A user's own endpoint may serve any Region: not checked there.
func TestTargetRegionOutsideTheCatalog(t *testing.T) {
	isolateAWS(t)
	tf := writeTemp(t, "t.json", `[{"name":"x","region":"us-east-9","model":"us.amazon.nova-lite-v1:0"}]`)
	common := []string{"--fixtures", "../../histories", "--histories", "resume/*"}
	for _, args := range [][]string{
		{"replay", "--emulator", "--targets", tf},
		{"record", "--endpoint", "emulator", "--cassettes", t.TempDir(), "--targets", tf},
		{"record", "--cassettes", t.TempDir(), "--targets", tf},
		{"replay", "--emulator", "--region", "us-east-9", "--model", "us.amazon.nova-lite-v1:0"},
	} {
		code, out, errOut := runCLI(t, append(args, common...)...)
		want, known := tf+": target x: Region \"us-east-9\" is not a Region of the catalog", "us-east-1, us-east-2"
		if args[len(args)-2] == "--model" {
			want = "--region: Region \"us-east-9\" is not a Region of the catalog"
		}
		if args[0] == "record" && args[1] != "--endpoint" {
			// Toward AWS: no Region of any AWS partition.
			want, known = tf+": target x: Region \"us-east-9\" is no AWS Region", "the closest known one is us-east-1"
		}
		if code != exitUsage || out != "" || !strings.Contains(errOut, want) || !strings.Contains(errOut, known) || strings.Contains(errOut, "credentials") {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q", args, code, out, errOut)
		}
	}
	// Replay from cassettes makes no call: the missing cassettes are the
	// problem, not the Region.
	code, _, errOut := runCLI(t, append([]string{"replay", "--cassettes", t.TempDir(), "--targets", tf}, common...)...)
	if code != exitUsage || strings.Contains(errOut, "not a Region of the catalog") {
		t.Errorf("replay from cassettes: exit %d\n%s", code, errOut)
	}
}

// An empty --targets file is named as the file that lists no targets.
// Before, the message named the project file.
func TestEmptyTargetsFile(t *testing.T) {
	tf := writeTemp(t, "t.json", "[]")
	code, _, errOut := runCLI(t, "replay", "--emulator", "--targets", tf)
	if code != exitUsage || !strings.Contains(errOut, "no targets: the --targets file "+tf+" lists none") || strings.Contains(errOut, "bedrock-bench.yaml") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

// config --config names the flag as where the file came from; before,
// it said the file was "searched from the working directory upwards".
func TestConfigFileFromFlag(t *testing.T) {
	code, out, errOut := runCLI(t, "config", "--config", "../../bedrock-bench.yaml")
	if code != exitOK || !strings.Contains(out, "flag --config") || strings.Contains(out, "searched from") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// replay --cassettes FILE says the path is a file; before, it said
// there was no cassette folder.
func TestReplayCassettesIsAFile(t *testing.T) {
	code, _, errOut := runCLI(t, "replay", "--cassettes", "../../README.md")
	if code != exitUsage || !strings.Contains(errOut, "README.md is a file, not a folder") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

// A project whose histories folder does not exist names the project
// file's line and the fix, for replay and lint; before, a bare "stat
// ...: no such file or directory".
func TestMissingHistoriesFolder(t *testing.T) {
	cfg := writeTemp(t, "bedrock-bench.yaml", "histories: nope\ntargets:\n  - name: a\n    region: us-east-1\n    model: us.amazon.nova-lite-v1:0\n")
	for _, args := range [][]string{{"replay", "--emulator"}, {"lint"}} {
		code, _, errOut := runCLI(t, append(args, "--config", cfg)...)
		if code != exitUsage || !strings.Contains(errOut, "bedrock-bench.yaml:1: histories: ") || !strings.Contains(errOut, "no such folder") || !strings.Contains(errOut, "--fixtures") || strings.Contains(errOut, "stat ") {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
}

// One --targets file works in every command: a YAML list of targets in
// preflight --matrix, and a project file in replay and config, whatever
// the file's name. Before, preflight refused a .yaml list ("want a mapping
// here, not a list") and replay refused a project file ("want a list
// here, not a mapping").
func TestOneTargetsFileEverywhere(t *testing.T) {
	isolateAWS(t)
	list := writeTemp(t, "t.yaml", "- name: t1\n  region: us-east-1\n  model: us.amazon.nova-lite-v1:0\n")
	projData, err := os.ReadFile("../../bedrock-bench.yaml")
	if err != nil {
		t.Fatal(err)
	}
	proj := writeTemp(t, "targets.txt", string(projData))
	url, stop, wait := startEmulate(t)
	defer func() { stop(); wait() }()
	code, out, errOut := runCLI(t, "preflight", "--matrix", "--targets", list, "--endpoint", url, "--policy", "testdata/allow-all.json")
	if code != exitOK || !strings.Contains(out, "us.amazon.nova-lite-v1:0") {
		t.Errorf("preflight, a YAML list: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "replay", "--targets", proj, "--fixtures", "../../histories", "--cassettes", "../../cassettes", "--histories", "clean/simple-chat-openai", "--target", "us-east-1-nova-lite")
	if code != exitOK || !strings.Contains(out, "1 case: 1 pass") {
		t.Errorf("replay, a project file: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "config", "--targets", list)
	if code != exitOK || !strings.Contains(out, "t1") {
		t.Errorf("config, a YAML list: exit %d\n%s%s", code, out, errOut)
	}
	// A list entry at fault is named by its line, in preflight too.
	bad := writeTemp(t, "bad.yaml", "- name: t1\n  region: us-east-1\n  modle: m\n")
	code, _, errOut = runCLI(t, "preflight", "--matrix", "--targets", bad, "--endpoint", url, "--policy", "testdata/allow-all.json")
	if code != exitUsage || !strings.Contains(errOut, "bad.yaml:3: unknown key modle") {
		t.Errorf("preflight, a bad list: exit %d\n%s", code, errOut)
	}
	// A YAML flow list is a YAML list (before, preflight read anything
	// starting with [ as JSON: "invalid character 'n' looking for
	// beginning of object key string"), and one target written without
	// the list's "- " is said to be one, in preflight as elsewhere.
	flow := writeTemp(t, "flow.yaml", "[{name: t1, region: us-east-1, model: us.amazon.nova-lite-v1:0}]\n")
	code, out, errOut = runCLI(t, "preflight", "--matrix", "--targets", flow, "--endpoint", url, "--policy", "testdata/allow-all.json")
	if code != exitOK || !strings.Contains(out, "us.amazon.nova-lite-v1:0") {
		t.Errorf("preflight, a YAML flow list: exit %d\n%s%s", code, out, errOut)
	}
	// A JSON list with a comma before ] gets JSON's error, not YAML's
	// reading of it as a list of unnamed targets.
	comma := writeTemp(t, "comma.json", `[{"region": "us-east-1", "model": "us.amazon.nova-lite-v1:0"},]`)
	code, _, errOut = runCLI(t, "preflight", "--matrix", "--targets", comma, "--endpoint", url, "--policy", "testdata/allow-all.json")
	if code != exitUsage || !strings.Contains(errOut, "comma.json:1:") || strings.Contains(errOut, "are required") {
		t.Errorf("preflight, a JSON list with a trailing comma: exit %d\n%s", code, errOut)
	}
	one := writeTemp(t, "one.yaml", "name: t1\nregion: us-east-1\nmodel: us.amazon.nova-lite-v1:0\n")
	for _, args := range [][]string{
		{"preflight", "--matrix", "--targets", one, "--endpoint", url, "--policy", "testdata/allow-all.json"},
		{"config", "--targets", one},
	} {
		code, _, errOut = runCLI(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "one.yaml:1: one target, not a list of them") {
			t.Errorf("%s, one target: exit %d\n%s", args[0], code, errOut)
		}
	}
}

// A project file without targets is said to list none; before, the
// sentence lost its verb ("no targets: the project file F; give them").
// When the targets' own histories: globs keep no history, the error names
// each target and its glob, not flags the user did not pass (before: "no
// case selected: check --target and --histories"); a --histories that
// matches no history says so.
func TestNoTargetsNoCaseMessages(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bedrock-bench.yaml")
	if err := os.WriteFile(cfg, []byte("histories: histories\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "replay", "--emulator", "--config", cfg)
	if code != exitUsage || !strings.Contains(errOut, "no targets: the project file "+cfg+" lists none; give them in bedrock-bench.yaml") {
		t.Errorf("no targets: exit %d\n%s", code, errOut)
	}
	data := "histories: ../../../histories\ntargets:\n  - name: a\n    region: us-east-1\n    model: us.amazon.nova-lite-v1:0\n    histories: \"nothing/*\"\n"
	abs, err := filepath.Abs("../../histories")
	if err != nil {
		t.Fatal(err)
	}
	data = strings.Replace(data, "../../../histories", abs, 1)
	if err := os.WriteFile(cfg, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, `no case selected: no history matches the histories: glob of the targets (target a has histories: "nothing/*"; ` + cfg + `:2): fix the glob`},
		{[]string{"--histories", "clean/*"}, `no case selected: none of the histories --histories "clean/*" keeps matches the histories: glob of the targets (target a has histories: "nothing/*"`},
		{[]string{"--histories", "nope/*"}, `no case selected: --histories "nope/*" matches no history of`},
	} {
		code, _, errOut := runCLI(t, append([]string{"replay", "--emulator", "--config", cfg}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "check --target") {
			t.Errorf("%v: exit %d\n%s", tc.args, code, errOut)
		}
	}
}
