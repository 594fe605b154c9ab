package project

import (
	"path/filepath"
	"strings"
	"testing"
)

// A --targets file is a list of targets or a project file whatever its
// name ends with: what it holds decides. Before, preflight read a .yaml
// file as a project file and anything else as a JSON list, and replay
// and record read every file as a list, so each refused the other's
// file ("want a mapping here, not a list", "want a list here, not a
// mapping").
func TestLoadTargetsByContent(t *testing.T) {
	dir := t.TempDir()
	list := "- name: t1\n  region: us-east-1\n  model: us.amazon.nova-lite-v1:0\n"
	proj := "family: nova\ntargets:\n  - name: t1\n    region: us-east-1\n    model: my-fine-tune\n"
	for _, tc := range []struct {
		name, data string
		project    bool
		family     string
	}{
		{"t.yaml", list, false, ""},
		{"t.json", `[{"name": "t1", "region": "us-east-1", "model": "us.amazon.nova-lite-v1:0"}]`, false, ""},
		{"targets", list, false, ""},
		{"p.json", proj, true, "nova"},
		{"p.yaml", proj, true, "nova"},
		{"p", "\xef\xbb\xbf" + proj, true, "nova"},
	} {
		p := filepath.Join(dir, tc.name)
		write(t, p, tc.data)
		ts, isProject, err := LoadTargets(p)
		if err != nil || isProject != tc.project || len(ts) != 1 || ts[0].Name != "t1" || ts[0].Region != "us-east-1" || ts[0].FamilyName != tc.family {
			t.Errorf("%s: %v %v %+v", tc.name, err, isProject, ts)
		}
	}
	// Bad content is named by file and line, in either form.
	for name, tc := range map[string]struct{ data, want string }{
		"list.json": {"- name: t1\n  region: us-east-1\n  model: m\n- name: t1\n  region: us-east-1\n  model: m\n", `list.json:4: targets[1] (t1): name "t1" is used twice`},
		"list.yml":  {"- name: t1\n  regoin: us-east-1\n", `list.yml:2: unknown key regoin`},
		"proj.json": {"histories: h\ntargets:\n  - name: a\n    region: r\n    model: m\n  - name: a\n    region: r\n    model: m\n", `proj.json:6: targets[1] (a): name "a" is used twice`},
		"proj.txt":  {"histories: h\nregoin: x\n", `proj.txt:2: unknown key regoin`},
		// One target without the list's "- ": said so, not the project
		// file's "unknown key name".
		"one.yaml": {"name: a\nregion: us-east-1\nmodel: m\n", `one.yaml:1: one target, not a list of them nor a project file: write it as a list item, "- name: ..."`},
		// A project file with a stray target key is a project file whose
		// reader names the key.
		"stray.yaml": {"histories: h\nmodel: x\n", `stray.yaml:2: unknown key model`},
	} {
		p := filepath.Join(dir, name)
		write(t, p, tc.data)
		if _, _, err := LoadTargets(p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// FuzzParseTargets: a --targets file of any content is a list, a project
// file, one target said to be one, or an error naming the file; never a
// panic, and every target it gives has a name, a Region and a model.
func FuzzParseTargets(f *testing.F) {
	for _, s := range []string{
		"- name: t1\n  region: us-east-1\n  model: m\n",
		`[{"name": "t1", "region": "us-east-1", "model": "m"}]`,
		"[{name: t1, region: us-east-1, model: m}]\n",
		"family: nova\ntargets:\n  - name: t1\n    region: us-east-1\n    model: m\n",
		"name: a\nregion: us-east-1\nmodel: m\n",
		"histories: h\nmodel: x\n",
		"\xef\xbb\xbf- {name: a, region: r, model: m}\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, _, err := ParseTargets("t.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "t.yaml") {
				t.Errorf("error without the file: %v", err)
			}
			return
		}
		for _, tg := range ts {
			if tg.Name == "" || tg.Region == "" || tg.Model == "" {
				t.Errorf("a target without name, Region or model: %+v", tg)
			}
		}
	})
}
