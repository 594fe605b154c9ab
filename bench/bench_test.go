package bench_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/benchtest"
)

// TestBench replays every (target, history) case of bedrock-bench.yaml
// from its cassette: offline, deterministic, no credentials. With -record
// (and -endpoint emulator) it records them again; see package benchtest.
func TestBench(t *testing.T) {
	benchtest.Run(t, benchtest.Options{})
}

// TestShardsAreDisjointAndComplete: for several shard counts, every case
// of a realistic matrix lands in exactly one shard, the shards are
// roughly even, and a case stays in its shard when other cases come and go.
func TestShardsAreDisjointAndComplete(t *testing.T) {
	targets := []bench.Target{{Name: "us-east-1-nova-lite", Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"}, {Name: "eu-west-2-claude", Region: "eu-west-2", Model: "anthropic.claude-sonnet-4-6"}}
	var hs []*history.History
	for i := 0; i < 500; i++ {
		h, err := history.Decode("x.json", []byte(`{"format":"openai","request":{"messages":[{"role":"user","content":"hi"}]}}`))
		if err != nil {
			t.Fatal(err)
		}
		h.ID = fmt.Sprintf("group-%d/history-%03d", i%7, i)
		hs = append(hs, h)
	}
	cases := bench.Cases(targets, hs)
	for _, n := range []int{1, 2, 3, 4, 7, 16} {
		owner := map[string]int{}
		for i := 1; i <= n; i++ {
			sh, err := bench.ParseShard(fmt.Sprintf("%d/%d", i, n))
			if err != nil {
				t.Fatal(err)
			}
			got := sh.Select(cases)
			if len(got) < len(cases)/n/2 {
				t.Errorf("shard %d/%d holds %d of %d cases: uneven", i, n, len(got), len(cases))
			}
			for _, c := range got {
				if prev, ok := owner[c.Name()]; ok {
					t.Fatalf("%s is in shards %d and %d of %d", c.Name(), prev, i, n)
				}
				owner[c.Name()] = i
			}
		}
		if len(owner) != len(cases) {
			t.Errorf("%d shards cover %d of %d cases", n, len(owner), len(cases))
		}
		// Stable: the same case in a smaller matrix keeps its shard.
		sh := bench.Shard{Index: owner[cases[10].Name()], Count: n}
		if got := sh.Select(cases[10:11]); len(got) != 1 {
			t.Errorf("%s left shard %s when the matrix shrank", cases[10].Name(), sh)
		}
	}
	for _, bad := range []string{"0/4", "5/4", "1/0", "a/b", "3", "-1/2"} {
		if _, err := bench.ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

func TestLoadTargetsYAMLAndJSON(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"t.json": `[{"name":"us-east-1-nova-lite","region":"us-east-1","model":"us.amazon.nova-lite-v1:0"}]`,
		"t.yaml": "- name: us-east-1-nova-lite\n  region: us-east-1\n  model: us.amazon.nova-lite-v1:0\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		ts, err := bench.LoadTargets(p)
		if err != nil || len(ts) != 1 || ts[0].Family().Name != "nova" {
			t.Errorf("%s: %v %+v", name, err, ts)
		}
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("- name: ok\n  region: us-east-1\n  model: m\n- name: acct-210987654321\n  region: us-east-1\n  model: m\n"), 0o644)
	if _, err := bench.LoadTargets(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml:4: targets[1] (acct-210987654321): name \"acct-210987654321\" holds an account id") {
		t.Errorf("account id in a target name, at the entry's line: %v", err)
	}
	// JSON is YAML: the entry's line is found there too.
	badJSON := filepath.Join(dir, "bad.json")
	os.WriteFile(badJSON, []byte("[\n {\"name\":\"a\",\"region\":\"r\",\"model\":\"m\"},\n {\"name\":\"a\",\"region\":\"r\",\"model\":\"m\"}\n]\n"), 0o644)
	if _, err := bench.LoadTargets(badJSON); err == nil || !strings.Contains(err.Error(), "bad.json:3: targets[1] (a): name \"a\" is used twice") {
		t.Errorf("a name used twice in JSON: %v", err)
	}
	// An unknown key and a tab are named as in bedrock-bench.yaml, at
	// file:line; they gave yaml's "unmarshal errors:\n  line 4: field regoin
	// not found in type bench.Target" and "line 2: found a tab character that
	// violates indentation".
	for data, want := range map[string]string{
		"- name: a\n  region: us-east-1\n  model: m\n  regoin: x\n": "t.yaml:4: unknown key regoin (a target has name, region and model, and may have histories, expect, family and why)",
		"- name: a\n\tregion: us-east-1\n":                          "t.yaml:2: indented with a tab; YAML indents with spaces only (a target has",
	} {
		p := filepath.Join(dir, "t.yaml")
		os.WriteFile(p, []byte(data), 0o644)
		if _, err := bench.LoadTargets(p); err == nil || !strings.HasPrefix(err.Error(), p[:len(p)-len("t.yaml")]+want) {
			t.Errorf("%q: %v\nwant %s", data, err, want)
		}
	}
}

// TestTargetNamesAreFoldersEverywhere: a target name names a cassette
// folder in a repository cloned on any system. Names differing only in
// case are one folder on macOS and Windows (the second target's
// recordings overwrote the first's); Windows has no folder named CON or
// "a." at all.
func TestTargetNamesAreFoldersEverywhere(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"us-east-1-nova", "US-East-1-Nova"}, `name "US-East-1-Nova" differs from "us-east-1-nova" only in case`},
		{[]string{"CON"}, `name "CON" cannot name a folder on Windows`},
		{[]string{"aux.east"}, `name "aux.east" cannot name a folder on Windows`},
		{[]string{"lpt1"}, `cannot name a folder on Windows`},
		{[]string{"east."}, `cannot name a folder on Windows`},
	} {
		var ts []bench.Target
		for _, n := range c.names {
			ts = append(ts, bench.Target{Name: n, Region: "us-east-1", Model: "us.amazon.nova-lite-v1:0"})
		}
		if err := bench.ValidateTargets(ts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want %q", c.names, err, c.want)
		}
	}
	for _, ok := range []string{"console-east", "auxiliary", "com-eu", "nul1", "us-east-1-nova-lite"} {
		if err := bench.ValidateTargets([]bench.Target{{Name: ok, Region: "us-east-1", Model: "m"}}); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
