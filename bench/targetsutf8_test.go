package bench_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench"
)

// A target list that is not UTF-8 is refused with the line, column and
// byte offset of the first invalid byte, as preflight --targets does.
// Before, the error was "invalid leading UTF-8 octet" with no position.
func TestLoadTargetsInvalidUTF8(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.json")
	data := "[\n  {\"name\": \"a\", \"region\": \"us-east-1\",\n   \"model\": \"us.amazon.nova-lite-v1:0\", \"why\": \"caf\xe9\"}\n]\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := bench.LoadTargets(p)
	want := p + ":3:52: invalid UTF-8 (byte 0xe9 at offset 92): save the file as UTF-8"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
}
