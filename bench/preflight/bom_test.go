package preflight

import "testing"

// A targets file saved with a UTF-8 byte order mark is read like the
// same file without it.
func TestParseTargetsWithBOM(t *testing.T) {
	ts, err := ParseTargets("t.json", []byte("\xef\xbb\xbf"+`[{"region": "us-east-1", "model": "us.amazon.nova-lite-v1:0"}]`))
	if err != nil || len(ts) != 1 {
		t.Fatalf("%v %v", ts, err)
	}
}
