package validutf8

import "testing"

func TestTrimBOM(t *testing.T) {
	for in, want := range map[string]string{BOM + "{}": "{}", "{}": "{}", "": "", "\xef\xbb": "\xef\xbb", BOM + BOM: BOM} {
		if got := string(TrimBOM([]byte(in))); got != want {
			t.Errorf("TrimBOM(%q) = %q, want %q", in, got, want)
		}
	}
}
