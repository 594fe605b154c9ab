package yamlerr

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

type entry struct {
	Name   string `yaml:"name"`
	Region string `yaml:"region"`
}

func decode(data string) error {
	var v struct {
		Histories string        `yaml:"histories"`
		Targets   []entry       `yaml:"targets"`
		Timeout   time.Duration `yaml:"timeout"`
	}
	dec := yaml.NewDecoder(strings.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(&v)
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"histories: h\nbogus: 1\n", "f.yaml:2: unknown key bogus (hint)"},
		{"targets:\n  - name: a\n    regoin: r\n  - name: b\n    regoin: s\n",
			"f.yaml:3: unknown key regoin\nf.yaml:5: unknown key regoin (hint)"},
		// yaml names the line before a tab inside a mapping.
		{"histories: h\ntargets:\n  - name: a\n\tregion: r\n", "f.yaml:4: indented with a tab; YAML indents with spaces only (hint)"},
		{"targets:\n\t- name: a\n", "f.yaml:2: indented with a tab; YAML indents with spaces only (hint)"},
		{"targets: [\n", "f.yaml:1: did not find expected node content (hint)"},
		// A value of the wrong kind is named in YAML's words, not Go's
		// ("cannot unmarshal !!int `3` into []yamlerr.entry").
		{"histories: h\ntargets: 3\n", "f.yaml:2: want a list here, not 3 (hint)"},
		{"histories: [a]\n", "f.yaml:1: want text here, not a list (hint)"},
		{"targets:\n  - 3\n", "f.yaml:2: want a mapping here, not 3 (hint)"},
		// A duration is text such as 30s: yaml reads a bare number as
		// no duration (converter.timeout: 30).
		{"timeout: 30\n", "f.yaml:1: want a duration such as 30s here, not 30 (hint)"},
		{"timeout: [1]\n", "f.yaml:1: want a duration such as 30s here, not a list (hint)"},
	} {
		err := decode(c.data)
		if err == nil {
			t.Fatalf("%q decoded", c.data)
		}
		if got := Format("f.yaml", []byte(c.data), err, "(hint)"); got != c.want {
			t.Errorf("%q (%v):\n got %s\nwant %s", c.data, err, got, c.want)
		}
	}
	if got := Format("f.yaml", nil, errors.New("yaml: something"), ""); got != "f.yaml: something" {
		t.Errorf("an error without a line: %q", got)
	}
}
