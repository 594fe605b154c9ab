package ingest

import (
	"bytes"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
)

// The member names bedrockLog reads, object by object.
var (
	logNames      = []string{"schemaType", "timestamp", "region", "requestId", "operation", "modelId", "inferenceRegion", "requestMetadata", "errorCode", "identity", "input"}
	identityNames = []string{"arn"}
	inputNames    = []string{"inputContentType", "inputBodyJson", "inputBodyS3Path"}
)

// readBedrockLog reads one invocation log record straight from its bytes,
// all of them checked as json checks them, and returns what
// json.Unmarshal(data, &l, jsontext.AllowDuplicateNames(true)) would,
// with a copy of the request body. It reports false, and the caller
// unmarshals (which decides and words any error), for a syntax error and
// for what it does not read the way json does: a member name with
// escapes, a member of bedrockLog or a request metadata key given twice,
// a name json might match to one of bedrockLog's regardless of case, a
// value of another type than its field's (null included), a value nested
// deeper than jsonscan.MaxDepth.
func readBedrockLog(data []byte) (bedrockLog, bool) {
	var l bedrockLog
	r := logReader{b: data, i: jsonscan.WS(data, 0)}
	ok := r.object(logNames, func(name string) bool {
		switch name {
		case "schemaType":
			return r.str(&l.SchemaType)
		case "timestamp":
			return r.str(&l.Timestamp)
		case "region":
			return r.str(&l.Region)
		case "requestId":
			return r.str(&l.RequestID)
		case "operation":
			return r.str(&l.Operation)
		case "modelId":
			return r.str(&l.ModelID)
		case "inferenceRegion":
			return r.str(&l.InferenceRegion)
		case "requestMetadata":
			return r.metadata(&l.RequestMetadata)
		case "errorCode":
			return r.str(&l.ErrorCode)
		case "identity":
			return r.object(identityNames, func(string) bool { return r.str(&l.Identity.ARN) })
		default: // "input"
			return r.object(inputNames, func(name string) bool {
				switch name {
				case "inputContentType":
					return r.str(&l.Input.ContentType)
				case "inputBodyJson":
					return r.raw(&l.Input.InputBodyJSON)
				default: // "inputBodyS3Path"
					return r.str(&l.Input.InputBodyS3Path)
				}
			})
		}
	})
	if !ok || jsonscan.WS(data, r.i) != len(data) {
		return bedrockLog{}, false
	}
	return l, true
}

// logReader is the read position in a log record, for readBedrockLog.
type logReader struct {
	b []byte
	i int
	// unquoted is reused to unquote strings with escapes.
	unquoted []byte
}

// members reads the object at the read position, calling member with
// each member's name (which has no escapes: a name with escapes is
// declined) and the read position on the member's value, which member
// reads. It reports false for anything but a well-formed object or when
// member does.
func (r *logReader) members(member func(name []byte) bool) bool {
	b := r.b
	if r.i >= len(b) || b[r.i] != '{' {
		return false
	}
	var empty bool
	if r.i, empty = jsonscan.Open(b, r.i, '}'); empty {
		return true
	}
	for more := true; more; {
		name, value, esc, ok := jsonscan.Member(b, r.i)
		if !ok || esc {
			return false
		}
		r.i = value
		if !member(name) {
			return false
		}
		if r.i, more, ok = jsonscan.Next(b, r.i, '}'); !ok {
			return false
		}
	}
	return true
}

// object reads the object at the read position into a struct whose
// fields are named known: for a member named one of them it calls read
// with that name, and read reads the value; any other member's value is
// skipped, checked as jsontext checks it. It reports false for a known
// name given twice, for a name that might match a known one without
// regard to case (see foldsOnto), and when members or read does.
func (r *logReader) object(known []string, read func(name string) bool) bool {
	var seen uint64
	return r.members(func(name []byte) bool {
		for k, n := range known {
			if string(name) == n {
				if seen&(1<<k) != 0 {
					return false
				}
				seen |= 1 << k
				return read(n)
			}
		}
		if foldsOnto(name, known) {
			return false
		}
		var ok bool
		r.i, ok = jsonscan.Skip(r.b, r.i)
		return ok
	})
}

// foldsOnto reports whether json could take name for one of known when
// it matches names without regard to case, as it does under
// json.MatchCaseInsensitiveNames or a `case:ignore` tag: whether name has
// a byte beyond ASCII (Unicode case folding), or equals one of known once
// ASCII case is ignored and dashes and underscores are dropped. json's
// defaults match names exactly; a name folding onto a known one is
// declined all the same, as no real record has one.
func foldsOnto(name []byte, known []string) bool {
	for _, c := range name {
		if c >= 0x80 {
			return true
		}
	}
	for _, n := range known {
		if foldEqual(name, n) {
			return true
		}
	}
	return false
}

// foldEqual reports whether name equals known, an ASCII name, once ASCII
// case is ignored and the dashes and underscores of both are dropped.
func foldEqual(name []byte, known string) bool {
	j := 0
	for _, c := range name {
		if c == '-' || c == '_' {
			continue
		}
		for j < len(known) && (known[j] == '-' || known[j] == '_') {
			j++
		}
		if j == len(known) || lower(c) != lower(known[j]) {
			return false
		}
		j++
	}
	for j < len(known) && (known[j] == '-' || known[j] == '_') {
		j++
	}
	return j == len(known)
}

// lower lowers an ASCII letter and returns any other byte as it is.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// str reads the string at the read position into dst, unquoting its
// escapes. It reports false for any other value, null included.
func (r *logReader) str(dst *string) bool {
	end, esc, ok := jsonscan.Str(r.b, r.i)
	if !ok {
		return false
	}
	tok := r.b[r.i:end]
	r.i = end
	if !esc {
		*dst = string(tok[1 : len(tok)-1])
		return true
	}
	r.unquoted, ok = jsonscan.AppendUnquote(r.unquoted[:0], tok)
	*dst = string(r.unquoted)
	return ok
}

// raw reads the value at the read position, checked, into dst as json
// stores a jsontext.Value: a copy of its bytes as they are, without the
// whitespace around it.
func (r *logReader) raw(dst *jsontext.Value) bool {
	if !r.value(dst) {
		return false
	}
	*dst = bytes.Clone(*dst)
	return true
}

// metadata reads requestMetadata, an object of strings, into a new map
// (an empty one for {}, as json makes). It reports false for null, a key
// given twice and a value that is not a string.
func (r *logReader) metadata(dst *map[string]string) bool {
	m := map[string]string{}
	*dst = m
	return r.members(func(name []byte) bool {
		if _, dup := m[string(name)]; dup {
			return false
		}
		var v string
		if !r.str(&v) {
			return false
		}
		m[string(name)] = v
		return true
	})
}
