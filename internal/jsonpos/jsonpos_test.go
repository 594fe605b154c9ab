package jsonpos

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestAt(t *testing.T) {
	for _, c := range []struct {
		data string
		want string
	}{
		{"root:x:0:0:root:/root:/bin/bash\n", "f:1:1"},
		{"{\n  \"a\": 1,\n  \"b\": 2,\n}", "f:4:1"},
		{"{\n  \"é\": [1, 2,, 3]}", "f:2:15"}, // in bytes: "é" is two
		{`{"n": "x"}`, "f:1:9"},               // a type error: the end of the value
		{"", "f:1:1"},                         // cut short at its start
	} {
		var v struct{ N int }
		err := json.Unmarshal([]byte(c.data), &v)
		if err == nil {
			t.Fatalf("%q decoded", c.data)
		}
		if got := At("f", []byte(c.data), err); got != c.want {
			t.Errorf("%q: At = %q, want %q (%v)", c.data, got, c.want, err)
		}
	}
	if got := At("f", []byte("{}"), errors.New("other")); got != "f" {
		t.Errorf("another error: %q", got)
	}
}
