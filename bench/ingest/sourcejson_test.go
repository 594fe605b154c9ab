package ingest

import (
	"math/rand/v2"
	"testing"

	"github.com/go-json-experiment/json"
)

// TestSourceAppendJSONIsMarshal holds AppendJSON to json.Marshal with
// json.Deterministic, which it stands in for: the same bytes, or an
// error where Marshal has one (a string that is not UTF-8), for random
// sources with every member empty or set, text with quotes, control
// characters, HTML, non-ASCII and invalid bytes, and redaction counts.
func TestSourceAppendJSONIsMarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "a", `say "hi"\n`, "tab\there\x01", "<b>&amp;</b>", "été 東京 🙂", "bad \xff byte", "\u2028 line sep", "s3://bucket/key.json"}
	pick := func() string {
		if rng.IntN(3) == 0 {
			return ""
		}
		return texts[rng.IntN(len(texts))]
	}
	kinds := []string{"email", "card-number", "aws-access-key-id", "phone", "image", "custom", "ké"}
	for i := range 5000 {
		s := Source{Captured: pick(), Origin: pick(), Redacted: rng.IntN(2) == 0, File: pick(), Line: rng.IntN(3) - 1,
			Record: rng.IntN(3) * 1000, RequestID: pick(), Time: pick(), Model: pick(), Region: pick(), Operation: pick(),
			Fidelity: pick(), Truncated: rng.IntN(2) == 0}
		for range rng.IntN(3) {
			s.Notes = append(s.Notes, pick())
		}
		if n := rng.IntN(4); n > 0 {
			s.Redactions = map[string]int{}
			for range n {
				s.Redactions[kinds[rng.IntN(len(kinds))]] = rng.IntN(50) + 1
			}
		}
		want, wantErr := json.Marshal(&s, json.Deterministic(true))
		got, gotErr := s.AppendJSON([]byte("prefix"))
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("source %d %+v: AppendJSON error %v, Marshal error %v", i, s, gotErr, wantErr)
		}
		if string(got[:6]) != "prefix" {
			t.Fatalf("source %d: AppendJSON wrote over what b held: %q", i, got)
		}
		if wantErr == nil && string(got[6:]) != string(want) {
			t.Fatalf("source %d:\nAppendJSON %s\nMarshal    %s", i, got[6:], want)
		}
	}
}
