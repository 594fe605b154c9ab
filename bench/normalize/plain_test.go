package normalize

import (
	"os"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// checkPlain holds plainValid to its promise on req: when it says yes and
// the request validates, the full normalizer reports no change.
func checkPlain(t *testing.T, name string, req *converse.Request, fam converse.Family, stream bool) bool {
	t.Helper()
	validate := converse.Validate
	if stream {
		validate = converse.ValidateStream
	}
	if !plainValid(req, fam, stream) || validate(req, fam) != nil {
		return false
	}
	h, err := history.FromRequest("plain", req)
	if err != nil {
		t.Fatalf("%s (%s, stream %v): plainValid yet FromRequest fails: %v", name, fam.Name, stream, err)
	}
	_, rep, err := Normalize(h, Options{Family: fam, Stream: stream})
	if err != nil || len(rep.Changes) > 0 {
		t.Fatalf("%s (%s, stream %v): plainValid yet the normalizer changes it: %v %v", name, fam.Name, stream, err, rep.Changes)
	}
	return true
}

// TestPlainValidMeansUnchanged: on every fixture, for every family, both
// the naive and the normalized request, streaming or not.
func TestPlainValidMeansUnchanged(t *testing.T) {
	plain := 0
	for _, h := range loadFixtures(t) {
		for _, fam := range converse.Families() {
			for _, stream := range []bool{false, true} {
				naive := Naive(h)
				if checkPlain(t, h.ID+" naive", &naive, fam, stream) {
					plain++
				}
				req, _, err := Normalize(h, Options{Family: fam, Stream: stream})
				if err == nil && checkPlain(t, h.ID+" normalized", &req, fam, stream) {
					plain++
				}
			}
		}
	}
	if plain < 50 {
		t.Fatalf("only %d plain requests among the fixtures: the test checks too little", plain)
	}
	t.Logf("%d plain requests checked", plain)
}

// FuzzPlainValid: the same promise on any decodable history.
func FuzzPlainValid(f *testing.F) {
	files, _ := history.Files(historiesDir)
	for i, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, uint8(i))
		}
	}
	families := converse.Families()
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		h, err := history.Decode("fuzz.json", data)
		if err != nil {
			return
		}
		fam := families[int(sel>>1)%len(families)]
		stream := sel&1 == 1
		naive := Naive(h)
		checkPlain(t, "naive", &naive, fam, stream)
		if req, _, err := Normalize(h, Options{Family: fam, Stream: stream}); err == nil {
			checkPlain(t, "normalized", &req, fam, stream)
		}
	})
}
