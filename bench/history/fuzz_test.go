package history

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecode feeds arbitrary bytes to Decode. The property: it never
// panics, every failure is a *Error that names the file, and a success
// decodes the same way twice.
func FuzzDecode(f *testing.F) {
	files, _ := Files("../../histories")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, format := range Formats {
		f.Add(fixture(string(format), `{"messages":[]}`))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Decode("fuzz.json", data)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) || de.File != "fuzz.json" {
				t.Fatalf("error %T %q does not name the file", err, err)
			}
			return
		}
		again, err := Decode("fuzz.json", data)
		if err != nil {
			t.Fatalf("second decode failed: %v", err)
		}
		if !reflect.DeepEqual(h, again) {
			t.Fatalf("decoding is not deterministic (-first +second):\n%s", cmp.Diff(h, again))
		}
	})
}
