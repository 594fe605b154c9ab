package validutf8

import "testing"

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		data, want string
	}{
		{"", ""},
		{"{\"a\": \"é\"}\n", ""},
		{"\xff", "f:1:1: invalid UTF-8 (byte 0xff at offset 0): save the file as UTF-8"},
		{"ab\ncdé\xc3", "f:2:5: invalid UTF-8 (byte 0xc3 at offset 7): save the file as UTF-8"},
		{"[\n{\"region\":\"r\xff\"}]", "f:2:13: invalid UTF-8 (byte 0xff at offset 14): save the file as UTF-8"},
	} {
		err := Check("f", []byte(tc.data))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.data, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("%q: %v, want %s", tc.data, err, tc.want)
		}
	}
}
