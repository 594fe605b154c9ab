package converse

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// claudeSchemaUnsupported lists, by the type they constrain, the JSON
// schema keywords Claude's structured output refuses, each seen refused
// in a real call (V-30): maxItems on an array and multipleOf on an
// integer through Bedrock (pydantic-ai's captures), minimum on an integer
// through Anthropic's own API (agentjido/req_llm #302), in the same words.
var claudeSchemaUnsupported = map[string][]string{
	"array":   {"maxItems"},
	"integer": {"minimum", "multipleOf"},
}

// claudeMinItems is the keyword Claude takes only with the values 0 and 1
// (V-30): "For 'array' type, 'minItems' values other than 0 or 1 are not
// supported", in a strict tool's schema (realwire
// converse-error-model-strict-tool-minitems, Claude Sonnet 4.5) and in a
// structured-output schema (the same words under output_config.format.schema,
// quoted from live calls for minItems 2 to 6).
const claudeMinItems = "minItems"

// SchemaKeyword is a keyword of a JSON schema and the type it constrains.
// Value is the keyword's value as the schema wrote it, for a keyword
// Claude takes with some values only (minItems 0 or 1 on an array); it is
// empty for a keyword Claude refuses whatever its value.
type SchemaKeyword struct {
	Type, Keyword string
	Value         string
}

// MinItems reports whether k is an array's minItems above 1, which Claude
// refuses in its own words ("'minItems' values other than 0 or 1 are not
// supported") and a repair lowers to 1 rather than drops.
func (k SchemaKeyword) MinItems() bool {
	return k.Type == "array" && k.Keyword == claudeMinItems && k.Value != ""
}

// OpenObject reports whether k is an object a strict tool's schema left
// open ([ClaudeStrictToolSchema]) rather than a refused keyword.
func (k SchemaKeyword) OpenObject() bool {
	return k.Type == "object" && k.Keyword == "additionalProperties"
}

// ClaudeOutputSchema walks a structured-output JSON schema (the text of
// outputConfig.textFormat.structure.jsonSchema.schema) and returns the
// keywords Claude refuses, in document order, and the schema without
// them, compact: a minItems above 1 is lowered to 1 rather than dropped. A schema that is not valid JSON is returned as it is,
// with none found.
func ClaudeOutputSchema(schema string) (string, []SchemaKeyword) {
	out, found := schemaRewrite{}.apply([]byte(schema))
	if found == nil {
		return schema, nil
	}
	return string(out), found
}

// NativeOutputSchema returns the JSON schema of Claude's own structured
// output, output_config.format with type json_schema, passed through
// additionalModelRequestFields (what the Vercel AI SDK's generateObject
// sends for the Claude models it trusts with it), or nil.
func NativeOutputSchema(r *Request) []byte {
	if len(r.AdditionalModelRequestFields) == 0 || !bytes.Contains(r.AdditionalModelRequestFields, []byte(`"output_config"`)) {
		return nil
	}
	var f struct {
		OutputConfig *struct {
			Format *struct {
				Type   string          `json:"type"`
				Schema json.RawMessage `json:"schema"`
			} `json:"format"`
		} `json:"output_config"`
	}
	if UnmarshalModelFields(r.AdditionalModelRequestFields, &f) != nil || f.OutputConfig == nil || f.OutputConfig.Format == nil ||
		f.OutputConfig.Format.Type != "json_schema" || len(f.OutputConfig.Format.Schema) == 0 {
		return nil
	}
	return f.OutputConfig.Format.Schema
}

// ClaudeStrictToolSchema is [ClaudeOutputSchema] for the input schema of
// a strict tool (toolSpec.strict true), where Claude's constrained
// decoding also wants every object closed: an object schema whose
// additionalProperties is not false is reported as
// {Type: "object", Keyword: "additionalProperties"} and closed in the
// schema returned. The input is returned as it is when nothing is found.
func ClaudeStrictToolSchema(schema []byte) ([]byte, []SchemaKeyword) {
	return schemaRewrite{closeObjects: true}.apply(schema)
}

// schemaRewrite rewrites a JSON schema without the keywords Claude
// refuses, closing objects too for a strict tool.
type schemaRewrite struct {
	closeObjects bool
	found        *[]SchemaKeyword
}

// apply returns the rewritten schema and what was found, or schema as it
// is and nil when nothing was found or schema is not valid JSON.
func (w schemaRewrite) apply(schema []byte) ([]byte, []SchemaKeyword) {
	var found []SchemaKeyword
	w.found = &found
	out, err := w.value(jsontext.Value(schema))
	if err != nil || len(found) == 0 {
		return schema, nil
	}
	return out, found
}

// schemaMaps are the members whose value maps names to subschemas;
// schemaOne the members holding one subschema; schemaList those holding
// an array of them ("items" may be either).
var (
	schemaMaps = map[string]bool{"properties": true, "patternProperties": true, "$defs": true, "definitions": true}
	schemaOne  = map[string]bool{"items": true, "additionalProperties": true, "not": true, "if": true, "then": true, "else": true, "contains": true}
	schemaList = map[string]bool{"anyOf": true, "allOf": true, "oneOf": true, "prefixItems": true, "items": true}
)

// value rewrites the schema v, adding what it finds to w.found.
func (w schemaRewrite) value(v jsontext.Value) (jsontext.Value, error) {
	switch v.Kind() {
	case '{':
	case '[':
		return w.eachElement(v)
	default:
		return v, nil
	}
	names, vals, err := members(v)
	if err != nil {
		return nil, err
	}
	typ := ""
	for i, n := range names {
		if n == "type" && vals[i].Kind() == '"' {
			s, err := jsontext.AppendUnquote(nil, vals[i])
			if err != nil {
				return nil, err
			}
			typ = string(s)
		}
	}
	var keptNames []string
	var keptVals []jsontext.Value
	if w.closeObjects && typ == "object" {
		names, vals = w.closeObject(names, vals)
	}
	for i, n := range names {
		if refused(typ, n) {
			*w.found = append(*w.found, SchemaKeyword{Type: typ, Keyword: n})
			continue
		}
		val := vals[i]
		if typ == "array" && n == claudeMinItems {
			if lowered, ok := lowerMinItems(val); ok {
				*w.found = append(*w.found, SchemaKeyword{Type: typ, Keyword: n, Value: string(val)})
				if lowered == nil {
					continue
				}
				val = lowered
			}
		}
		switch {
		case schemaMaps[n] && val.Kind() == '{':
			val, err = w.eachMember(val)
		case schemaOne[n] && val.Kind() == '{':
			val, err = w.value(val)
		case schemaList[n] && val.Kind() == '[':
			val, err = w.eachElement(val)
		}
		if err != nil {
			return nil, err
		}
		keptNames, keptVals = append(keptNames, n), append(keptVals, val)
	}
	return writeObject(keptNames, keptVals)
}

// openObject is what closeObject records.
var openObject = SchemaKeyword{Type: "object", Keyword: "additionalProperties"}

// closeObject sets an object schema's additionalProperties to false,
// where it is anything else or missing, and records it.
func (w schemaRewrite) closeObject(names []string, vals []jsontext.Value) ([]string, []jsontext.Value) {
	closed := jsontext.Value("false")
	for i, n := range names {
		if n == "additionalProperties" {
			if string(vals[i]) != "false" {
				*w.found = append(*w.found, openObject)
				vals[i] = closed
			}
			return names, vals
		}
	}
	*w.found = append(*w.found, openObject)
	return append(names, "additionalProperties"), append(vals, closed)
}

// writeObject encodes an object of these members, in order.
func writeObject(names []string, vals []jsontext.Value) (jsontext.Value, error) {
	var b bytes.Buffer
	enc := jsontext.NewEncoder(&b)
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return nil, err
	}
	for i, n := range names {
		if err := enc.WriteToken(jsontext.String(n)); err != nil {
			return nil, err
		}
		if err := enc.WriteValue(vals[i]); err != nil {
			return nil, err
		}
	}
	if err := enc.WriteToken(jsontext.EndObject); err != nil {
		return nil, err
	}
	return jsontext.Value(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// lowerMinItems returns what an array's minItems becomes for Claude, and
// whether it must change: a number other than 0 or 1 becomes 1 (the
// array stays non-empty, as far as Claude's decoding can hold it), or is
// dropped (nil) when it is below 1. Anything but a number is left as it
// is, for the service to judge.
func lowerMinItems(v jsontext.Value) (jsontext.Value, bool) {
	if v.Kind() != '0' {
		return nil, false
	}
	n, err := strconv.ParseFloat(string(v), 64)
	if err != nil || n == 0 || n == 1 {
		return nil, false
	}
	if n > 1 {
		return jsontext.Value("1"), true
	}
	return nil, true
}

func refused(typ, keyword string) bool {
	for _, k := range claudeSchemaUnsupported[typ] {
		if k == keyword {
			return true
		}
	}
	return false
}

// members returns an object's member names and values, in order.
func members(v jsontext.Value) ([]string, []jsontext.Value, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(v), jsontext.AllowDuplicateNames(true))
	if _, err := dec.ReadToken(); err != nil {
		return nil, nil, err
	}
	var names []string
	var vals []jsontext.Value
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, nil, err
		}
		names = append(names, tok.String())
		val, err := dec.ReadValue()
		if err != nil {
			return nil, nil, err
		}
		vals = append(vals, val.Clone())
	}
	return names, vals, nil
}

// eachMember rewrites every member value of a map of subschemas.
func (w schemaRewrite) eachMember(v jsontext.Value) (jsontext.Value, error) {
	names, vals, err := members(v)
	if err != nil {
		return nil, err
	}
	for i := range vals {
		if vals[i], err = w.value(vals[i]); err != nil {
			return nil, err
		}
	}
	return writeObject(names, vals)
}

// eachElement rewrites every element of an array of subschemas.
func (w schemaRewrite) eachElement(v jsontext.Value) (jsontext.Value, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(v), jsontext.AllowDuplicateNames(true))
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := jsontext.NewEncoder(&b)
	if err := enc.WriteToken(jsontext.BeginArray); err != nil {
		return nil, err
	}
	for dec.PeekKind() != ']' {
		el, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		out, err := w.value(el.Clone())
		if err != nil {
			return nil, err
		}
		if err := enc.WriteValue(out); err != nil {
			return nil, err
		}
	}
	if err := enc.WriteToken(jsontext.EndArray); err != nil {
		return nil, err
	}
	return jsontext.Value(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// RecursiveOutputSchema reports whether r asks for structured output
// (outputConfig's JSON schema) with a recursive schema: a local $ref that
// leads, directly or through other references, back into the schema it
// sits in ({"$ref": "#/$defs/TreeNode"} inside TreeNode, as Pydantic
// writes a tree). Claude Sonnet 4.5 answers such a request with a 500
// InternalServerException on every attempt (realwire
// converse-error-internal-server-recursive-schema), a service fault no
// rule of this package predicts: the emulator answers it so, and the
// explainer names it as the cause of that 500.
func RecursiveOutputSchema(r *Request) bool {
	js := r.OutputConfig.JSONSchema()
	return js != nil && SchemaRecursive([]byte(js.Schema))
}

// SchemaRecursive reports whether a JSON schema holds a local $ref
// ("#", "#/$defs/Name", any JSON pointer) that leads back into the
// subschema it sits in. Text that is not JSON is not recursive.
func SchemaRecursive(schema []byte) bool {
	if !bytes.Contains(schema, []byte(`"$ref"`)) {
		return false
	}
	var doc any
	if json.Unmarshal(schema, &doc) != nil {
		return false
	}
	// Every local $ref: where it sits and the pointer it names, both
	// as JSON pointers without the "#".
	type ref struct{ at, to string }
	var all []ref
	var walk func(v any, at string, depth int)
	walk = func(v any, at string, depth int) {
		if depth > 512 {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			if to, ok := v["$ref"].(string); ok && (to == "#" || strings.HasPrefix(to, "#/")) {
				all = append(all, ref{at: at, to: strings.TrimPrefix(to, "#")})
			}
			for k, e := range v {
				walk(e, at+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"), depth+1)
			}
		case []any:
			for i, e := range v {
				walk(e, at+"/"+strconv.Itoa(i), depth+1)
			}
		}
	}
	walk(doc, "", 0)
	slices.SortFunc(all, func(a, b ref) int { return strings.Compare(a.at, b.at) })
	inside := func(at, target string) bool {
		return target == "" || at == target || strings.HasPrefix(at, target+"/")
	}
	// A cycle among the targets: target a leads to target b when a $ref
	// to b sits inside a.
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var visit func(target string) bool
	visit = func(target string) bool {
		switch state[target] {
		case open:
			return true
		case done:
			return false
		}
		state[target] = open
		// The $refs inside target sort from target up to target+"0"
		// ("0" follows "/").
		lo, _ := slices.BinarySearchFunc(all, target, func(r ref, t string) int { return strings.Compare(r.at, t) })
		for _, r := range all[lo:] {
			if target != "" && r.at >= target+"0" {
				break
			}
			if inside(r.at, target) && visit(r.to) {
				return true
			}
		}
		state[target] = done
		return false
	}
	for _, r := range all {
		if visit(r.to) {
			return true
		}
	}
	return false
}
