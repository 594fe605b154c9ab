package preflight

import (
	"strings"
	"testing"
)

func TestParseTargets(t *testing.T) {
	ts, err := ParseTargets("t.json", []byte(`[{"name":"a","region":"us-east-1","model":"us.amazon.nova-pro-v1:0","why":"x"},{"region":" eu-west-1 ","model":"m"}]`))
	if err != nil || len(ts) != 2 || ts[1] != (Target{Region: "eu-west-1", Model: "m"}) {
		t.Fatalf("%v %+v", err, ts)
	}
	for doc, want := range map[string]string{
		`{}`:                         `t.json: want a JSON list`,
		`[]`:                         `t.json: no targets`,
		`[{"region":"us-east-1"}]`:   `t.json: [0]: region and model are required`,
		`[{"region":1,"model":"m"}]`: `t.json: [0]: region: want a string, not a number`,
		"[\n {\"region\": \"r\", \"model\": \"m\"},\n]": `t.json:3:1: invalid character ']' looking for beginning of value: remove the comma before it (JSON allows none before } or ])`,
		"[\n{\"region\":\"r\xff\"}]":                    `t.json:2:13: invalid UTF-8 (byte 0xff at offset 14)`,
	} {
		if _, err := ParseTargets("t.json", []byte(doc)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %q", doc, err, want)
		}
	}
	if ts, err := LoadTargets("testdata/targets.json"); err != nil || len(ts) != 2 {
		t.Errorf("testdata/targets.json: %v %+v", err, ts)
	}
}

// FuzzParseTargets: any bytes give targets with a Region and a model, or
// an error naming the file.
func FuzzParseTargets(f *testing.F) {
	f.Add([]byte(`[{"region":"us-east-1","model":"m"}]`))
	f.Add([]byte("[{\"region\":\"\xff\"}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := ParseTargets("t.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "t.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, x := range ts {
			if x.Region == "" || x.Model == "" {
				t.Fatalf("empty target: %+v", x)
			}
		}
	})
}
