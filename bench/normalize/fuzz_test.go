package normalize

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// FuzzNormalize: for any decodable history and any family, Normalize
// returns a request that Validate accepts (it reports a typed *Error
// otherwise, and that is a bug this target exists to find), that marshals
// and converts to the SDK, without touching its input.
func FuzzNormalize(f *testing.F) {
	files, _ := history.Files(historiesDir)
	for i, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, uint8(i))
		}
	}
	families := converse.Families()
	f.Fuzz(func(t *testing.T, data []byte, fam uint8) {
		h, err := history.Decode("fuzz.json", data)
		if err != nil {
			return
		}
		pristine, _ := history.Decode("fuzz.json", data)
		family := families[int(fam)%len(families)]
		req, rep, err := Normalize(h, Options{Family: family})
		if err != nil {
			t.Fatalf("%s: %v\nreport: %v", family.Name, err, rep.Changes)
		}
		if err := converse.Validate(&req, family); err != nil {
			t.Fatalf("%s: Normalize returned an invalid request: %v", family.Name, err)
		}
		if _, err := json.Marshal(req); err != nil {
			t.Fatalf("request does not marshal: %v", err)
		}
		if _, err := req.ToSDK("m"); err != nil {
			t.Fatalf("request does not convert to the SDK: %v", err)
		}
		if !reflect.DeepEqual(pristine, h) {
			t.Fatalf("Normalize modified its input (-before +after):\n%s", cmp.Diff(pristine, h))
		}
		naive := Naive(h)
		_ = converse.Check(&naive, family)
		checkScratch(t, h, Options{Family: family}, req, rep, err, naive)

		// The SDK path: the naive request as an SDK input comes out valid.
		in, err := naive.ToSDK("m")
		if err != nil {
			return
		}
		out, _, err := ConverseInput(in, Options{Family: family})
		if errors.Is(err, ErrUnsupportedInput) {
			return // a role the SDK path does not read (developer)
		}
		if err != nil {
			t.Fatalf("%s: SDK path: %v", family.Name, err)
		}
		back, err := converse.RequestFromSDK(out)
		if err != nil {
			t.Fatalf("SDK path output does not convert back: %v", err)
		}
		if err := converse.Validate(back, family); err != nil {
			t.Fatalf("%s: SDK path returned an invalid request: %v", family.Name, err)
		}
	})
}
