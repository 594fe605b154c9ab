package history

import (
	"bytes"
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// converseDropped notes each member of a Converse body that the wire
// model has no field for, at any depth (a request's promptVariables, a
// block's citationsContent, a member the API adds later): decoding
// leaves them out, and nothing is dropped without a note. A note under
// request.messages[i] carries message index i. The body was decoded
// already, so a token error just ends the walk. The fast path never
// gets here: it declines a body with a member it does not know.
func (d *decoder) converseDropped(body []byte) {
	// The span starts where the decoder stood after the member's name, so
	// it may begin with the colon.
	body = bytes.TrimLeft(body, " \t\r\n:")
	w := walkers.Get().(*converseWalker)
	w.msg = -1
	w.body = *bytes.NewBuffer(body)
	w.dec.Reset(&w.body, jsontext.AllowDuplicateNames(true))
	w.path = append(w.path[:0], "request"...)
	w.value(converseShape())
	// The walker holds the notes rather than d, which then stays where
	// its caller put it (on the stack).
	d.notes = append(d.notes, w.notes...)
	w.release()
}

// release puts w back in the pool, holding on to nothing of the body it
// read, nor to much memory.
func (w *converseWalker) release() {
	clear(w.notes)
	w.notes, w.body = w.notes[:0], bytes.Buffer{}
	w.dec.Reset(&w.body)
	if cap(w.path) > 1<<12 || cap(w.notes) > 1<<8 {
		w.path, w.notes = nil, nil
	}
	walkers.Put(w)
}

// walkers keeps walkers, with their decoders' stacks, for reuse.
var walkers = sync.Pool{New: func() any { return new(converseWalker) }}

// shape is what the wire model holds at one place of a body: an
// object's members by JSON name, or an array's items. A nil *shape is a
// value with nothing to check inside: raw JSON, a map, a scalar, bytes.
type shape struct {
	// object says the value is an object, of members.
	object bool
	// members are an object's members, by JSON name. A struct has few:
	// reading through them beats hashing the name.
	members []member
	// open says every member has a place (an embedded fallback).
	open bool
	// items is the shape of an array's items.
	items *shape
	// messages marks request.messages: its items set a note's index.
	messages bool
}

// member is a member of an object's shape.
type member struct {
	name  string
	shape *shape
}

// member returns the shape of the member called name, and whether s has
// one.
func (s *shape) member(name []byte) (*shape, bool) {
	for _, m := range s.members {
		if m.name == string(name) {
			return m.shape, true
		}
	}
	return nil, s.open
}

// add adds a member called name of type t.
func (s *shape) add(name string, t reflect.Type, seen map[reflect.Type]*shape) {
	s.members = append(s.members, member{name, shapeOf(t, seen)})
}

// converseShape is the shape of a [converse.Request], read off its types
// once.
var converseShape = sync.OnceValue(func() *shape {
	root := shapeOf(reflect.TypeFor[converse.Request](), map[reflect.Type]*shape{})
	for i, m := range root.members {
		if m.name == "messages" && m.shape != nil {
			// A copy: the slice's shape may be shared with another place.
			root.members[i].shape = &shape{items: m.shape.items, messages: true}
		}
	}
	return root
})

// Types whose values decode themselves: what is inside them is theirs.
var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	unmarshalerFromType = reflect.TypeFor[json.UnmarshalerFrom]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shapeOf is the shape of values of type t, as go-json-experiment
// decodes them: a struct is an object of its fields, a slice or an array
// an array of its element's shape (nil when that is nil); pointers are
// followed. seen holds the structs' shapes built so far, for types that
// refer to themselves.
func shapeOf(t reflect.Type, seen map[reflect.Type]*shape) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p := reflect.PointerTo(t); p.Implements(unmarshalerType) || p.Implements(unmarshalerFromType) || p.Implements(textUnmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if s, ok := seen[t]; ok {
			return s
		}
		s := &shape{object: true}
		seen[t] = s
		s.addFields(t, seen)
		return s
	case reflect.Slice, reflect.Array:
		if items := shapeOf(t.Elem(), seen); items != nil {
			return &shape{items: items}
		}
	}
	return nil
}

// addFields adds the members of struct type t: each exported field by
// its JSON name (the tag's, or else the field's), the members of an
// embedded struct as its own; a field tagged "-" is none. An embedded
// fallback (raw JSON, a map) opens s to every member. Names match
// exactly, as the decoder's default options match them; a field tagged
// case:ignore (the wire model has none) would only be reported too
// often, never missed.
func (s *shape) addFields(t reflect.Type, seen map[reflect.Type]*shape) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case (f.Anonymous && name == "") || hasOption(opts, "embed"):
			s.embed(f, seen)
		case !f.IsExported():
		case name == "":
			s.add(f.Name, f.Type, seen)
		default:
			s.add(name, f.Type, seen)
		}
	}
}

// embed adds the members of embedded field f: a struct's fields, or
// every member for a fallback (raw JSON, a map). Any other type is a
// member of its own, named after the field.
func (s *shape) embed(f reflect.StructField, seen map[reflect.Type]*shape) {
	t := f.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct:
		s.addFields(t, seen)
	case t.Kind() == reflect.Map || t == reflect.TypeFor[jsontext.Value]():
		s.open = true
	case f.IsExported():
		s.add(f.Name, f.Type, seen)
	}
}

// hasOption reports whether the comma-separated tag options opts hold
// option.
func hasOption(opts, option string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == option {
			return true
		}
	}
	return false
}

// converseWalker reads a Converse body once, token by token, against
// the wire model's shape.
type converseWalker struct {
	dec  jsontext.Decoder
	body bytes.Buffer
	// notes are the members without a place found so far.
	notes []Note
	// path is the JSON path of the value being read; each level appends
	// its segment and cuts it off after.
	path []byte
	// msg is the index of the message being read, or -1.
	msg int
}

// value reads the next value, expected to be of shape s. It reports
// false on a token error.
func (w *converseWalker) value(s *shape) bool {
	if s != nil {
		switch k := w.dec.PeekKind(); {
		case s.object && k == '{':
			return w.object(s)
		case s.items != nil && k == '[':
			return w.array(s)
		}
	}
	return w.dec.SkipValue() == nil
}

// object reads an object of shape s, noting each member s has no place
// for.
func (w *converseWalker) object(s *shape) bool {
	if _, err := w.dec.ReadToken(); err != nil {
		return false
	}
	for w.dec.PeekKind() == '"' {
		name, err := w.dec.ReadValue()
		if err != nil {
			return false
		}
		n := len(w.path)
		if w.path, err = appendName(append(w.path, '.'), name); err != nil {
			return false
		}
		child, known := s.member(w.path[n+1:])
		var ok bool
		if known {
			ok = w.value(child)
		} else {
			ok = w.dropped()
		}
		w.path = w.path[:n]
		if !ok {
			return false
		}
	}
	_, err := w.dec.ReadToken()
	return err == nil
}

// array reads an array of shape s.
func (w *converseWalker) array(s *shape) bool {
	if _, err := w.dec.ReadToken(); err != nil {
		return false
	}
	outer := w.msg
	for i := 0; w.dec.PeekKind() != ']'; i++ {
		if s.messages {
			w.msg = i
		}
		n := len(w.path)
		w.path = append(strconv.AppendInt(append(w.path, '['), int64(i), 10), ']')
		ok := w.value(s.items)
		w.path = w.path[:n]
		if !ok {
			return false
		}
	}
	w.msg = outer
	_, err := w.dec.ReadToken()
	return err == nil
}

// dropped reads the value at w.path, which has no place, and notes it.
func (w *converseWalker) dropped() bool {
	v, err := w.dec.ReadValue()
	if err != nil {
		return false
	}
	detail := fmt.Sprintf("%s = %s dropped: Converse's wire model here has no place for it", w.path, clip(string(v), 60))
	w.notes = append(w.notes, Note{Index: w.msg, Code: NoteFieldDropped, Detail: detail})
	return true
}

// appendName appends the unquoted JSON string name to dst.
func appendName(dst []byte, name jsontext.Value) ([]byte, error) {
	if len(name) >= 2 && bytes.IndexByte(name, '\\') < 0 {
		return append(dst, name[1:len(name)-1]...), nil
	}
	return jsontext.AppendUnquote(dst, name)
}
