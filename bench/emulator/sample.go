package emulator

import (
	"bytes"
	"context"
	stdjson "encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Bounds of a sample: below sampleDepth every property of an object
// without required ones is written and an array gets one element (at
// least its minItems); from there on only what the schema requires, so a
// recursive schema ends; past sampleMaxDepth a branch fails (an anyOf
// tries the next one). sampleMaxNodes bounds the values written in all,
// sampleMaxBytes their text, and sampleMaxItems the elements of one
// array, whatever minItems asks.
const (
	sampleDepth    = 8
	sampleMaxDepth = 32
	sampleMaxNodes = 10000
	sampleMaxBytes = 1 << 20
	sampleMaxItems = 64
)

// Bounds of one answer, whatever its tools: replyMaxBytes bounds the
// sampled tool inputs and structured-output text all together (with each
// tool call's name and id), and sampleMaxWork the schema bytes the
// sampler decodes for them, every tool's schema and every $ref counted.
const (
	replyMaxBytes = 1 << 20
	sampleMaxWork = 16 << 20
)

// replyBudget is what is left of one answer's bounds, shared by its
// samples; ctx ends the sampling early (the client went away).
type replyBudget struct {
	ctx  context.Context
	out  int   // bytes left for sampled values and tool calls
	work int64 // schema bytes left to decode
}

func newReplyBudget(ctx context.Context) *replyBudget {
	if ctx == nil {
		ctx = context.Background() // an answer made outside a request
	}
	return &replyBudget{ctx: ctx, out: replyMaxBytes, work: sampleMaxWork}
}

// sampleInput makes a tool input that fits a JSON schema: an object (the
// empty one when the schema describes none), see [sampleJSON].
func sampleInput(schema []byte) []byte {
	return sampleInputWithin(schema, newReplyBudget(context.Background()))
}

// sampleInputWithin is sampleInput within what is left of b.
func sampleInputWithin(schema []byte, b *replyBudget) []byte {
	out := sampleJSONWithin(schema, b)
	if len(out) == 0 || out[0] != '{' {
		return []byte("{}")
	}
	return out
}

// sampleJSON makes a value that fits a JSON schema, with object keys in
// the schema's own order: const, else the first enum value, else a plain
// value of the schema's type (the first of a list) within its bounds
// (minimum and maximum, minLength and maxLength, minItems and maxItems),
// with every required property (every property when none is required).
// It follows local $ref ("#/$defs/...", "#/definitions/...", any JSON
// pointer into the schema), takes the first anyOf or oneOf branch it can
// write, and merges allOf. A schema it cannot write a value for gives {}.
func sampleJSON(schema []byte) []byte {
	return sampleJSONWithin(schema, newReplyBudget(context.Background()))
}

// sampleJSONWithin is sampleJSON within what is left of b: a value that
// would pass what b has left, or whose schema costs more decoding than
// b has left, gives {}, as does a done context. It takes what it
// wrote and decoded from b.
func sampleJSONWithin(schema []byte, b *replyBudget) []byte {
	s := sampler{root: schema, nodes: sampleMaxNodes, b: b, maxBytes: min(sampleMaxBytes, b.out)}
	var buf bytes.Buffer
	if !s.write(&buf, schema, 0) || buf.Len() > s.maxBytes {
		b.out -= 2
		return []byte("{}")
	}
	b.out -= buf.Len()
	return buf.Bytes()
}

// sampler writes samples of one schema document.
type sampler struct {
	root     []byte
	nodes    int
	maxBytes int
	b        *replyBudget
	// Containers of the document already decoded for a $ref, by their
	// JSON pointer: each is decoded once however many refs pass it.
	objs map[string]map[string]stdjson.RawMessage
	arrs map[string][]stdjson.RawMessage
}

// decode decodes data into v, charging its size to the work budget; it
// fails, decoding nothing, once the budget or the context is spent.
func (s *sampler) decode(data []byte, v any) error {
	if !s.charge(len(data)) {
		return errSampleBudget
	}
	return stdjson.Unmarshal(data, v)
}

// charge takes n bytes of decoding from the work budget, and reports
// whether they were there and the context is not done.
func (s *sampler) charge(n int) bool {
	if s.b.ctx.Err() != nil {
		return false
	}
	if s.b.work < int64(n) {
		s.b.work = 0
		return false
	}
	s.b.work -= int64(n)
	return true
}

var errSampleBudget = errors.New("schema sampling budget spent")

// schemaNode is the part of a JSON schema a sample follows.
type schemaNode struct {
	Ref              string               `json:"$ref"`
	Type             stdjson.RawMessage   `json:"type"`
	Const            stdjson.RawMessage   `json:"const"`
	Enum             []stdjson.RawMessage `json:"enum"`
	Properties       stdjson.RawMessage   `json:"properties"`
	Required         []string             `json:"required"`
	Items            stdjson.RawMessage   `json:"items"`
	PrefixItems      []stdjson.RawMessage `json:"prefixItems"`
	MinItems         *float64             `json:"minItems"`
	MaxItems         *float64             `json:"maxItems"`
	AnyOf            []stdjson.RawMessage `json:"anyOf"`
	OneOf            []stdjson.RawMessage `json:"oneOf"`
	AllOf            []stdjson.RawMessage `json:"allOf"`
	MinLength        *float64             `json:"minLength"`
	MaxLength        *float64             `json:"maxLength"`
	Format           string               `json:"format"`
	Minimum          *float64             `json:"minimum"`
	Maximum          *float64             `json:"maximum"`
	ExclusiveMinimum stdjson.RawMessage   `json:"exclusiveMinimum"`
	ExclusiveMaximum stdjson.RawMessage   `json:"exclusiveMaximum"`
	MultipleOf       *float64             `json:"multipleOf"`
}

// write appends a value that fits schema to buf and reports whether it
// could; on false, buf is as it was.
func (s *sampler) write(buf *bytes.Buffer, schema []byte, depth int) bool {
	mark := buf.Len()
	ok := s.value(buf, schema, depth)
	if !ok {
		buf.Truncate(mark)
	}
	return ok
}

func (s *sampler) value(buf *bytes.Buffer, schema []byte, depth int) bool {
	if depth > sampleMaxDepth || s.nodes <= 0 || buf.Len() > s.maxBytes {
		return false
	}
	s.nodes--
	schema = bytes.TrimSpace(schema)
	switch string(schema) {
	case "true":
		buf.WriteString("{}")
		return true
	case "false":
		return false
	}
	var n schemaNode
	if err := s.decode(schema, &n); err == errSampleBudget {
		return false
	} else if err != nil {
		// Not a schema object: anything fits as far as the sample knows.
		buf.WriteString("{}")
		return true
	}
	switch {
	case n.Const != nil:
		buf.Write(n.Const)
		return true
	case len(n.Enum) > 0:
		buf.Write(n.Enum[0])
		return true
	case n.Ref != "":
		target, ok := s.resolve(n.Ref)
		return ok && s.write(buf, target, depth+1)
	case len(n.AllOf) > 0:
		return s.allOf(buf, schema, &n, depth)
	case len(n.AnyOf) > 0 || len(n.OneOf) > 0:
		for _, branch := range branchOrder(append(n.AnyOf, n.OneOf...), depth) {
			if s.write(buf, branch, depth+1) {
				return true
			}
		}
		return false
	}
	switch typeOf(&n) {
	case "string":
		buf.Write(sampleString(&n))
	case "integer":
		buf.WriteString(sampleNumber(&n, true))
	case "number":
		buf.WriteString(sampleNumber(&n, false))
	case "boolean":
		buf.WriteString("true")
	case "null":
		buf.WriteString("null")
	case "array":
		return s.array(buf, &n, depth)
	default:
		return s.object(buf, &n, n.Properties, depth)
	}
	return true
}

// branchOrder is the order anyOf and oneOf branches are tried in: as
// written, except that from sampleDepth on a branch that is a $ref comes
// after the others, so a recursive schema's sample ends where it may
// (an optional child as null).
func branchOrder(branches []stdjson.RawMessage, depth int) []stdjson.RawMessage {
	if depth < sampleDepth {
		return branches
	}
	var plain, refs []stdjson.RawMessage
	for _, b := range branches {
		if bytes.Contains(b, []byte(`"$ref"`)) {
			refs = append(refs, b)
		} else {
			plain = append(plain, b)
		}
	}
	return append(plain, refs...)
}

// typeOf is the schema's type, the first of a list, or the one its
// keywords imply (properties: object; items: array), or "" (an object).
func typeOf(n *schemaNode) string {
	var typ string
	if stdjson.Unmarshal(n.Type, &typ) == nil {
		return typ
	}
	var types []string
	if stdjson.Unmarshal(n.Type, &types) == nil && len(types) > 0 {
		return types[0]
	}
	if n.Properties == nil && (n.Items != nil || n.PrefixItems != nil) {
		return "array"
	}
	return ""
}

// object writes the required properties of props (every one when none
// is required, below sampleDepth), in the schema's order, then any
// required name props does not describe, as a string.
func (s *sampler) object(buf *bytes.Buffer, n *schemaNode, props stdjson.RawMessage, depth int) bool {
	if !s.charge(len(props)) {
		return false
	}
	keys, values := orderedMembers(props)
	required := map[string]bool{}
	for _, r := range n.Required {
		required[r] = true
	}
	written := map[string]bool{}
	buf.WriteByte('{')
	member := func(k string) {
		if len(written) > 0 {
			buf.WriteByte(',')
		}
		written[k] = true
		name, _ := stdjson.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
	}
	for i, k := range keys {
		if written[k] {
			continue
		}
		if !required[k] && (len(required) > 0 || depth >= sampleDepth) {
			continue
		}
		mark := buf.Len()
		member(k)
		if !s.write(buf, values[i], depth+1) {
			if required[k] {
				return false
			}
			// An optional property with no value it can write is left out.
			buf.Truncate(mark)
			delete(written, k)
		}
	}
	for _, k := range n.Required {
		if !written[k] {
			member(k)
			buf.WriteString(`"example"`)
		}
	}
	buf.WriteByte('}')
	return true
}

// array writes prefixItems, then items up to the count: one element
// below sampleDepth (none without items), at least minItems, at most
// maxItems and sampleMaxItems.
func (s *sampler) array(buf *bytes.Buffer, n *schemaNode, depth int) bool {
	count := 0
	if len(n.Items) > 0 && depth < sampleDepth {
		count = 1
	}
	count = max(count, len(n.PrefixItems))
	if n.MinItems != nil {
		count = max(count, int(math.Min(math.Ceil(*n.MinItems), sampleMaxItems)))
	}
	if n.MaxItems != nil && float64(count) > *n.MaxItems {
		count = max(0, int(*n.MaxItems))
	}
	count = min(count, sampleMaxItems)
	// Draft 4 to 2019-09 write a tuple as an array of items.
	var tuple []stdjson.RawMessage
	items := n.Items
	if !s.charge(len(n.Items)) {
		return false
	}
	if stdjson.Unmarshal(n.Items, &tuple) == nil {
		items = nil
	} else {
		tuple = n.PrefixItems
	}
	buf.WriteByte('[')
	for i := range count {
		if i > 0 {
			buf.WriteByte(',')
		}
		el := items
		if i < len(tuple) {
			el = tuple[i]
		}
		if len(el) == 0 {
			buf.WriteString("{}")
			continue
		}
		if !s.write(buf, el, depth+1) {
			return false
		}
	}
	buf.WriteByte(']')
	return true
}

// allOf writes a value for every schema of allOf at once: an object with
// the properties and required names of each (after their $ref), or else
// the first branch that has a type.
func (s *sampler) allOf(buf *bytes.Buffer, schema []byte, n *schemaNode, depth int) bool {
	if !s.charge(len(schema)) {
		return false
	}
	parts := []stdjson.RawMessage{stripAllOf(schema)}
	for _, b := range n.AllOf {
		for range sampleMaxDepth {
			var r schemaNode
			if s.decode(b, &r) != nil || r.Ref == "" {
				break
			}
			target, ok := s.resolve(r.Ref)
			if !ok {
				return false
			}
			b = target
		}
		parts = append(parts, b)
	}
	merged := schemaNode{}
	var keys []string
	props := map[string]stdjson.RawMessage{}
	object := false
	for _, p := range parts {
		var r schemaNode
		if err := s.decode(p, &r); err == errSampleBudget {
			return false
		} else if err != nil {
			continue
		}
		if !s.charge(len(r.Properties)) {
			return false
		}
		t := typeOf(&r)
		if t == "object" || r.Properties != nil {
			object = true
		} else if t != "" && !object {
			// A branch of another type decides the value.
			return s.write(buf, p, depth+1)
		}
		k, v := orderedMembers(r.Properties)
		for i := range k {
			if _, seen := props[k[i]]; !seen {
				keys = append(keys, k[i])
			}
			props[k[i]] = v[i]
		}
		merged.Required = append(merged.Required, r.Required...)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := stdjson.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		b.Write(props[k])
	}
	b.WriteByte('}')
	return s.object(buf, &merged, b.Bytes(), depth)
}

// stripAllOf returns schema without its allOf member.
func stripAllOf(schema []byte) stdjson.RawMessage {
	keys, values := orderedMembers(schema)
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for i, k := range keys {
		if k == "allOf" {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		name, _ := stdjson.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		b.Write(values[i])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// resolve follows a local reference, a JSON pointer into the schema
// document ("#", "#/$defs/Name", "#/definitions/Name"); a remote one, or
// one that names nothing, is not followed. Each container on the way is
// decoded once per document, so a $ref costs what its path's containers
// do the first time only (before, every $ref decoded the whole document
// again).
func (s *sampler) resolve(ref string) ([]byte, bool) {
	if ref != "#" && !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	if s.objs == nil {
		s.objs = map[string]map[string]stdjson.RawMessage{}
		s.arrs = map[string][]stdjson.RawMessage{}
	}
	cur := stdjson.RawMessage(s.root)
	path := ""
	for _, raw := range strings.Split(strings.TrimPrefix(ref, "#"), "/")[1:] {
		tok := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		obj, isObj := s.objs[path]
		arr, isArr := s.arrs[path]
		if !isObj && !isArr {
			if !s.charge(len(cur)) {
				return nil, false
			}
			if stdjson.Unmarshal(cur, &obj) == nil {
				isObj = true
				s.objs[path] = obj
			} else if stdjson.Unmarshal(cur, &arr) == nil {
				isArr = true
				s.arrs[path] = arr
			} else {
				s.objs[path] = nil
			}
		}
		path += "/" + raw
		if isObj {
			next, ok := obj[tok]
			if !ok {
				return nil, false
			}
			cur = next
			continue
		}
		i, err := strconv.Atoi(tok)
		if !isArr || err != nil || i < 0 || i >= len(arr) {
			return nil, false
		}
		cur = arr[i]
	}
	return cur, true
}

// sampleString is "example", or a value of the schema's format, padded
// or cut to its minLength and maxLength.
func sampleString(n *schemaNode) []byte {
	v := "example"
	switch n.Format {
	case "date-time":
		v = "2025-01-01T00:00:00Z"
	case "date":
		v = "2025-01-01"
	case "time":
		v = "00:00:00Z"
	case "email":
		v = "user@example.com"
	case "uri", "url":
		v = "https://example.com"
	case "uuid":
		v = "00000000-0000-4000-8000-000000000000"
	}
	if n.MinLength != nil && float64(len(v)) < *n.MinLength {
		v += strings.Repeat("x", int(math.Min(*n.MinLength, 4096))-len(v))
	}
	if n.MaxLength != nil && float64(len(v)) > *n.MaxLength {
		v = v[:max(0, int(*n.MaxLength))]
	}
	out, _ := stdjson.Marshal(v)
	return out
}

// sampleNumber is 1, or the nearest value within the schema's bounds (a
// multiple of multipleOf where there is one).
func sampleNumber(n *schemaNode, integer bool) string {
	lo, hi := math.Inf(-1), math.Inf(1)
	loOpen, hiOpen := false, false
	if n.Minimum != nil {
		lo = *n.Minimum
	}
	if n.Maximum != nil {
		hi = *n.Maximum
	}
	if v, ok := exclusiveBound(n.ExclusiveMinimum); ok && v >= lo {
		lo, loOpen = v, true
	} else if string(n.ExclusiveMinimum) == "true" {
		loOpen = true
	}
	if v, ok := exclusiveBound(n.ExclusiveMaximum); ok && v <= hi {
		hi, hiOpen = v, true
	} else if string(n.ExclusiveMaximum) == "true" {
		hiOpen = true
	}
	step := 1.0
	if n.MultipleOf != nil && *n.MultipleOf > 0 {
		step = *n.MultipleOf
	} else if !integer {
		step = 0
	}
	v := 1.0
	if step > 0 {
		v = math.Ceil(1/step) * step
	}
	fits := func(x float64) bool {
		return (x > lo || !loOpen && x == lo) && (x < hi || !hiOpen && x == hi) && (!integer || x == math.Trunc(x))
	}
	if !fits(v) {
		switch {
		case v <= lo && step > 0:
			v = math.Floor(lo/step)*step + step
			if !loOpen && math.Mod(lo, step) == 0 {
				v = lo
			}
		case v <= lo:
			v = lo
			if loOpen {
				v = lo + math.Min(1, (hi-lo)/2)
			}
		case v >= hi && step > 0:
			v = math.Ceil(hi/step)*step - step
			if !hiOpen && math.Mod(hi, step) == 0 {
				v = hi
			}
		default:
			v = hi
			if hiOpen {
				v = hi - math.Min(1, (hi-lo)/2)
			}
		}
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		// Bounds no float64 step reaches: the bound itself, or 1.
		v = 1
		if !math.IsInf(lo, 0) {
			v = lo
		}
	}
	if integer && v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// exclusiveBound reads exclusiveMinimum or exclusiveMaximum as a number
// (draft 6 on; draft 4 has a boolean that qualifies minimum or maximum).
func exclusiveBound(raw stdjson.RawMessage) (float64, bool) {
	var v float64
	if len(raw) == 0 || stdjson.Unmarshal(raw, &v) != nil {
		return 0, false
	}
	return v, true
}
