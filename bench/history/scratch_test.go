package history

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// openaiBody is an OpenAI-format fixture of n user and assistant turns,
// with a tool call and its result in every fourth.
func openaiBody(n int) []byte {
	var msgs []string
	for i := range n {
		switch {
		case i%4 == 2:
			msgs = append(msgs, fmt.Sprintf(`{"role":"assistant","content":null,"tool_calls":[{"id":"c%d","type":"function","function":{"name":"f","arguments":"{\"n\":%d}"}}]}`, i, i))
		case i%4 == 3:
			msgs = append(msgs, fmt.Sprintf(`{"role":"tool","tool_call_id":"c%d","content":"r%d"}`, i-1, i))
		case i%2 == 0:
			msgs = append(msgs, fmt.Sprintf(`{"role":"user","content":"question %d"}`, i))
		default:
			msgs = append(msgs, fmt.Sprintf(`{"role":"assistant","content":"answer %d"}`, i))
		}
	}
	return []byte(`{"format":"openai","request":{"model":"m","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[` + strings.Join(msgs, ",") + `]}}`)
}

// A Scratch decodes what Decode decodes, reuses its arrays from one
// history to the next, and leaves nothing of a longer history past the
// end of a shorter one.
func TestScratchDecodesWhatDecodeDecodes(t *testing.T) {
	var s Scratch
	var first *Message
	for _, n := range []int{40, 3, 40, 1, 12, 0, 7} {
		data := openaiBody(n)
		want, err := Decode("s.json", data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Decode("s.json", data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d turns: Scratch.Decode differs from Decode (-scratch +decode):\n%s", n, cmp.Diff(got, want))
		}
		if n == 0 {
			continue
		}
		if cap(s.messages) < len(got.Messages) || &s.messages[:1][0] != &got.Messages[0] {
			t.Fatalf("%d turns: the scratch does not keep the array the messages were decoded into", n)
		}
		if first == nil {
			first = &got.Messages[0]
		} else if &got.Messages[0] != first {
			t.Errorf("%d turns: the messages were not decoded into the first history's array", n)
		}
		// What the 40-turn history left past this one's end is gone.
		tail := s.messages[len(got.Messages):cap(s.messages)]
		for i := range tail {
			if !reflect.DeepEqual(tail[i], Message{}) {
				t.Fatalf("%d turns: message %d past the end still holds %+v", n, len(got.Messages)+i, tail[i])
			}
		}
		parts := s.parts[len(s.parts):cap(s.parts)]
		for i := range parts {
			if !reflect.DeepEqual(parts[i], Part{}) {
				t.Fatalf("%d turns: part %d past the end still holds %+v", n, len(s.parts)+i, parts[i])
			}
		}
	}
}

// LoadFile through a Scratch loads what LoadFile loads, file after file.
func TestScratchLoadsWhatLoadFileLoads(t *testing.T) {
	files, err := Files("../../histories")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	var s Scratch
	for _, round := range []string{"forward", "again"} {
		for _, p := range files {
			want, err := LoadFile("../../histories", p)
			got, gerr := s.LoadFile("../../histories", p)
			if fmt.Sprint(err) != fmt.Sprint(gerr) || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, %s: Scratch.LoadFile (%v) differs from LoadFile (%v):\n%s", round, p, gerr, err, cmp.Diff(got, want))
			}
		}
	}
}
