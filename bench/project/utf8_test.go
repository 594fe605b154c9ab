package project

import (
	"strings"
	"testing"
)

// A project file that is not UTF-8 is refused with the position of the
// first invalid byte. Before, yaml.v3 said "invalid leading UTF-8 octet"
// with no position.
func TestParseInvalidUTF8(t *testing.T) {
	_, err := Parse("/p/bedrock-bench.yaml", []byte("family: anthropic\nhistories: caf\xe9\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "/p/bedrock-bench.yaml:2:15: invalid UTF-8 (byte 0xe9 at offset 32)") {
		t.Errorf("error %v", err)
	}
}
