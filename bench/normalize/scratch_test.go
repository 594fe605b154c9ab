package normalize

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// sharedScratch is the Scratch checkScratch builds every request in,
// after the requests of the inputs before it.
var sharedScratch struct {
	sync.Mutex
	Scratch
}

// checkScratch fails unless Scratch.Normalize and Scratch.Naive, in
// arrays other histories used before, return what Normalize and Naive
// returned for h: the same values, the same wire bytes.
func checkScratch(t *testing.T, h *history.History, opts Options, req converse.Request, rep Report, err error, naive converse.Request) {
	t.Helper()
	sharedScratch.Lock()
	defer sharedScratch.Unlock()
	sreq, srep, serr := sharedScratch.Normalize(h, opts)
	if fmt.Sprint(serr) != fmt.Sprint(err) || !reflect.DeepEqual(srep, rep) || !reflect.DeepEqual(sreq, req) {
		t.Fatalf("%s: Scratch.Normalize (%v) differs from Normalize (%v) (-scratch +normalize):\n%s%s", h.ID, serr, err, cmp.Diff(sreq, req), cmp.Diff(srep, rep))
	}
	sameWire(t, h.ID+": Scratch.Normalize", &sreq, &req)
	snaive := sharedScratch.Naive(h)
	if !reflect.DeepEqual(snaive, naive) {
		t.Fatalf("%s: Scratch.Naive differs from Naive (-scratch +naive):\n%s", h.ID, cmp.Diff(snaive, naive))
	}
	sameWire(t, h.ID+": Scratch.Naive", &snaive, &naive)
}

// sameWire fails unless got and want marshal to the same bytes.
func sameWire(t *testing.T, what string, got, want *converse.Request) {
	t.Helper()
	g, gerr := json.Marshal(got)
	w, werr := json.Marshal(want)
	if string(g) != string(w) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s marshals differently:\n got %s (%v)\nwant %s (%v)", what, g, gerr, w, werr)
	}
}

// A Scratch builds what Normalize and Naive build, history after history,
// for every family, in the arrays of the one before; and a request built
// in it is overwritten by the next call, as its doc says, while the
// report's changes are not.
func TestScratchBuildsWhatNormalizeBuilds(t *testing.T) {
	files, err := history.Files(historiesDir)
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	var hs []*history.History
	for _, p := range files {
		h, err := history.LoadFile(historiesDir, p)
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	for _, n := range []int{200, 2, 20} {
		h, err := history.Decode(fmt.Sprintf("synthetic-%d.json", n), syntheticHistory(n))
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	for _, fam := range converse.Families() {
		for _, h := range hs {
			opts := Options{Family: fam}
			req, rep, err := Normalize(h, opts)
			checkScratch(t, h, opts, req, rep, err, Naive(h))
		}
	}

	var s Scratch
	long, err := history.Decode("long.json", syntheticHistory(200))
	if err != nil {
		t.Fatal(err)
	}
	first, rep, err := s.Normalize(long, Options{})
	if err != nil || len(rep.Changes) == 0 {
		t.Fatal(err, rep)
	}
	changes := append([]Change(nil), rep.Changes...)
	msg0 := first.Messages[0]
	second, _, err := s.Normalize(hs[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if &second.Messages[0] != &first.Messages[0] {
		t.Error("the second request was not built in the first one's messages")
	}
	if reflect.DeepEqual(first.Messages[0], msg0) || !reflect.DeepEqual(first.Messages[0], second.Messages[0]) {
		t.Errorf("the first request's first message was not overwritten by the second's: %+v", first.Messages[0])
	}
	if !reflect.DeepEqual(rep.Changes, changes) {
		t.Error("the first report's changes changed with the second request")
	}
}
