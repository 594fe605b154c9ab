package textpos_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// TestEveryParserCountsBytes: the parsers whose errors name "file:line:col"
// (IAM policies, catalogs, history fixtures, and the UTF-8 check of the
// first two) put the same column on the same byte, counted in bytes: "é"
// before it is two columns. Before, policies and catalogs counted
// characters and histories bytes.
func TestEveryParserCountsBytes(t *testing.T) {
	parsers := map[string]func(name string, data []byte) error{
		"iam":     func(n string, d []byte) error { _, err := iam.ParsePolicy(n, d); return err },
		"catalog": func(n string, d []byte) error { _, err := catalog.Parse(n, d); return err },
		"history": func(n string, d []byte) error { _, err := history.Decode(n, d); return err },
	}
	for _, tc := range []struct{ data, want string }{
		{"{\n  \"Sid\": \"é\",,}", "f.json:2:15"},   // the second comma: character 14, byte 15
		{"{\n  \"Sid\": \"é\xff\"}", "f.json:2:13"}, // the invalid byte (character 12, byte 13), for the parsers that check UTF-8 first
	} {
		for name, parse := range parsers {
			err := parse("f.json", []byte(tc.data))
			if err == nil {
				t.Errorf("%s: %q parsed", name, tc.data)
				continue
			}
			if strings.Contains(tc.data, "\xff") && name == "history" {
				continue // a fixture's strings are checked as they are decoded, without a position
			}
			if !strings.HasPrefix(err.Error(), tc.want+":") {
				t.Errorf("%s: %q: %v, want %s", name, tc.data, err, tc.want)
			}
		}
	}
}
