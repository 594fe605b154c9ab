// Package iam evaluates AWS IAM identity policies, service control
// policies (SCPs), permissions boundaries and session policies for a
// request, following AWS's documented evaluation logic, and builds the
// requests Amazon Bedrock authorizes for a model invocation, cross-Region
// routes included.
//
// To use it:
//
//  1. [ParsePolicy] each policy document (or [LoadPolicy] a file);
//     [ParsePolicyPartial] keeps the statements it can read and lists the
//     others in [Policy.Invalid].
//  2. Describe the caller as a [Principal]: its ARN, identity policies,
//     SCP levels, permissions boundary and session policies.
//  3. Build the requests for a call with [Invocation.Requests].
//  4. [Principal.Evaluate] each request; a denied [Decision] words the
//     AccessDeniedException as the service does. A request marked Partial
//     (its context is incomplete, as before a migration) may get a
//     conditional decision: allowed only when some condition holds.
//
// Every condition operator AWS documents is evaluated: the String, Numeric,
// Date, Bool, BinaryEquals, IpAddress, Arn and Null families, with
// IfExists (except on Null) and the ForAnyValue/ForAllValues set forms;
// policy variables with defaults are resolved in condition values and in
// the resource part of Resource ARNs.
package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/jsonpos"
	"github.com/bedrock-bench/bedrock-bench/internal/textpos"
)

// MaxPolicySize bounds what LoadPolicy reads, 1 MiB: AWS's own limits are
// far smaller (6,144 characters for a managed policy, 10,240 for a role's
// inline policies, 5,120 for an SCP, whitespace aside), so anything larger
// is not a policy, and a bound near them keeps the cost of a hostile file
// small.
const MaxPolicySize = 1 << 20

// Policy is a parsed policy document.
type Policy struct {
	// Name identifies the policy in reports: a file name, or an SCP ARN.
	Name       string
	Version    string
	Statements []Statement
	// Invalid lists the statements ParsePolicyPartial could not read; they
	// take no part in evaluation.
	Invalid []StatementError
}

// StatementError is a statement that could not be read.
type StatementError struct {
	// Policy is the policy's name (its file), Index the statement's
	// position in it (from 0), Sid its Sid if it could be read.
	Policy string
	Index  int
	Sid    string
	Effect Effect
	// Line and Col place the problem in the file, as package textpos
	// counts them (from 1, the column in bytes): the element at fault
	// (the Effect's value, a misspelt condition operator, the action
	// without a service prefix) where there is one, else the
	// statement's opening brace. Zero when the place is not known.
	Line, Col int
	Err       error
}

// Error names the policy, the place, the statement and its Sid:
// "role.json:16:21: Statement[1] (Sid "Misspelt"): condition operator ...".
func (e StatementError) Error() string {
	where := e.Policy
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", e.Policy, e.Line, e.Col)
	}
	sid := ""
	if e.Sid != "" {
		sid = fmt.Sprintf(" (Sid %q)", e.Sid)
	}
	return fmt.Sprintf("%s: Statement[%d]%s: %v", where, e.Index, sid, e.Err)
}

// Statement is one statement of a policy.
type Statement struct {
	Sid         string
	Effect      Effect
	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string
	// Conditions in document order: operator, key, values.
	Conditions []Condition
	// Index is the statement's position in its policy.
	Index int
	// literal is set for a policy whose Version is not 2012-10-17: its
	// policy variables are text, not variables.
	literal bool
}

// The policy language versions ("Version" element). Policy variables
// exist only in 2012-10-17; a policy without a Version is 2008-10-17.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is Allow or Deny.
type Effect string

// The statement effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Condition is one key test inside a Condition block.
type Condition struct {
	// Operator as written, e.g. "ForAnyValue:StringLike" or "ArnNotLikeIfExists".
	Operator string
	Key      string
	Values   []string
}

// Label names the statement in reports: its Sid, or its position.
func (s *Statement) Label() string {
	if s.Sid != "" {
		return s.Sid
	}
	return fmt.Sprintf("Statement[%d]", s.Index)
}

// LoadPolicy reads and parses a policy file; any statement it cannot read
// is an error.
func LoadPolicy(path string) (*Policy, error) {
	return LoadPolicyContext(context.Background(), path)
}

// LoadPolicyContext is LoadPolicy that gives up when ctx ends, the read
// of a named pipe nothing writes to included (a *bounded.InterruptedError
// wrapping ctx's error).
func LoadPolicyContext(ctx context.Context, path string) (*Policy, error) {
	data, err := readBounded(ctx, path)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(path, data)
}

// LoadPolicyPartial reads a policy file like ParsePolicyPartial.
func LoadPolicyPartial(path string) (*Policy, error) {
	return LoadPolicyPartialContext(context.Background(), path)
}

// LoadPolicyPartialContext is LoadPolicyPartial that gives up when ctx
// ends, as LoadPolicyContext does.
func LoadPolicyPartialContext(ctx context.Context, path string) (*Policy, error) {
	data, err := readBounded(ctx, path)
	if err != nil {
		return nil, err
	}
	return ParsePolicyPartial(path, data)
}

func readBounded(ctx context.Context, path string) ([]byte, error) {
	return bounded.ReadFileContext(ctx, path, MaxPolicySize, "not a policy document")
}

// ParsePolicy parses a policy document. Errors name the policy and the
// statement; any statement it cannot read is an error.
func ParsePolicy(name string, data []byte) (*Policy, error) {
	p, err := ParsePolicyPartial(name, data)
	if err != nil {
		return nil, err
	}
	if len(p.Invalid) > 0 {
		return nil, p.Invalid[0]
	}
	return p, nil
}

// ParsePolicyPartial parses a policy document, keeping every statement it
// can read and listing the others in Invalid with their position. Only a
// document that is not a policy at all (not JSON, not UTF-8, no Statement)
// is an error.
func ParsePolicyPartial(name string, data []byte) (*Policy, error) {
	if err := validutf8.Check(name, data); err != nil {
		return nil, err
	}
	data = validutf8.TrimBOM(data)
	var doc struct {
		Version   *string         `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a policy document: %s%s", jsonpos.At(name, data, err), jsonpos.Problem(data, err), notJSON(data, err))
	}
	if doc.Statement == nil {
		if hint := cliOutput(data); hint != "" {
			return nil, fmt.Errorf("%s: %s", name, hint)
		}
	}
	if err := checkElements(data, policyElements, false); err != nil {
		var pe *policyElementError
		if errors.As(err, &pe) {
			line, col := textpos.Position(data, int(pe.offset))
			return nil, fmt.Errorf("%s:%d:%d: %v", name, line, col, err)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	version := ""
	if doc.Version != nil {
		// <version_block> = "Version" : ("2008-10-17" | "2012-10-17")
		// (Grammar of the IAM JSON policy language): IAM refuses a
		// policy with any other Version.
		version = *doc.Version
		if version != Version2012 && version != Version2008 {
			return nil, fmt.Errorf("%s: Version %q is not a version of the policy language: write \"Version\": %q (the other version, %q, has no policy variables)", name, version, Version2012, Version2008)
		}
	}
	var raws []json.RawMessage
	switch firstByte(doc.Statement) {
	case '[':
		if err := json.Unmarshal(doc.Statement, &raws); err != nil {
			return nil, fmt.Errorf("%s: Statement: %v", name, err)
		}
	case '{':
		raws = []json.RawMessage{doc.Statement}
	default:
		return nil, fmt.Errorf("%s: Statement: missing, or not an object or a list of objects", name)
	}
	p := &Policy{Name: name, Version: version, Statements: make([]Statement, 0, len(raws))}
	// "If you do not include a Version element, the value defaults to
	// 2008-10-17 ... variables such as ${aws:username} aren't recognized
	// as variables and are instead treated as literal strings in the
	// policy" (IAM JSON policy elements: Version).
	literal := version != Version2012
	// Where each statement starts, to place the problems of those that
	// cannot be read; counted only when there is one.
	var starts []int
	var lines *textpos.Counter
	for i, raw := range raws {
		st, err := parseStatement(raw, literal)
		st.Index = i
		if err != nil {
			off, err := offsetIn(raw, err)
			bad := StatementError{Policy: name, Index: i, Sid: st.Sid, Effect: st.Effect, Err: err}
			if lines == nil {
				starts, lines = statementOffsets(data), textpos.NewCounter(data)
			}
			if len(starts) == len(raws) {
				bad.Line, bad.Col = lines.Position(starts[i] + off)
			}
			p.Invalid = append(p.Invalid, bad)
			continue
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func parseStatement(raw json.RawMessage, literal bool) (Statement, error) {
	// Each element is decoded on its own, so that an error names it
	// ("Sid: want a string, not a number"), in JSON's words, not Go's.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Statement{}, fmt.Errorf("%s: a statement is an object with Effect, Action and Resource", jsonpos.Problem(raw, err))
	}
	var s struct {
		Sid, Effect                              stringField
		Action, NotAction, Resource, NotResource stringOrList
		Condition                                map[string]json.RawMessage
		Principal, NotPrincipal                  json.RawMessage
	}
	// The Sid and Effect first, for the report when another element
	// cannot be read.
	for _, f := range []struct {
		name string
		v    any
	}{{"Sid", &s.Sid}, {"Effect", &s.Effect}, {"Action", &s.Action}, {"NotAction", &s.NotAction}, {"Resource", &s.Resource},
		{"NotResource", &s.NotResource}, {"Condition", &s.Condition}, {"Principal", &s.Principal}, {"NotPrincipal", &s.NotPrincipal}} {
		v, ok := fields[f.name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, f.v); err != nil {
			st := Statement{Sid: string(s.Sid), Effect: Effect(s.Effect)}
			if f.name == "Condition" {
				return st, atValue(fmt.Errorf("Condition: want an object of condition operators, like {\"StringEquals\": {\"aws:RequestedRegion\": \"us-east-1\"}}, not %s", jsonKind(v)), member(f.name))
			}
			return st, atValue(fmt.Errorf("%s: %s", f.name, jsonpos.Problem(v, err)), member(f.name))
		}
	}
	st := Statement{Sid: string(s.Sid), Effect: Effect(s.Effect), Action: s.Action, NotAction: s.NotAction, Resource: s.Resource, NotResource: s.NotResource, literal: literal}
	if err := checkElements(raw, statementElements, true); err != nil {
		return st, err
	}
	switch {
	case s.Principal != nil || s.NotPrincipal != nil:
		// "The principal_block element is required in resource-based
		// policies ... It must not be included in identity-based
		// policies" (Grammar of the IAM JSON policy language); IAM
		// refuses such a policy ("Has prohibited field Principal"), and
		// neither SCPs, permissions boundaries nor session policies
		// take one.
		el := "Principal"
		if s.Principal == nil {
			el = "NotPrincipal"
		}
		return st, atName(fmt.Errorf("%s: only resource-based policies and trust policies name principals; IAM refuses an identity-based policy, permissions boundary, session policy or SCP that holds one (\"Has prohibited field %s\"): remove it, or to spare some principals use a condition on aws:PrincipalArn", el, el), member(el))
	case s.Effect == "" && fields["Effect"] == nil:
		return st, fmt.Errorf("Effect is missing: add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"")
	case st.Effect != Allow && st.Effect != Deny:
		return st, atValue(fmt.Errorf("Effect must be Allow or Deny, not %q", string(s.Effect)), member("Effect"))
	case (len(st.Action) == 0) == (len(st.NotAction) == 0):
		return st, fmt.Errorf("needs exactly one of Action and NotAction")
	case (len(st.Resource) == 0) == (len(st.NotResource) == 0):
		return st, fmt.Errorf("needs exactly one of Resource and NotResource")
	}
	for _, el := range []struct {
		name string
		list []string
	}{{"Action", st.Action}, {"NotAction", st.NotAction}} {
		for i, a := range el.list {
			if a != "*" && !strings.Contains(a, ":") {
				return st, atValue(fmt.Errorf("action %q needs a service prefix, like bedrock:InvokeModel", a), member(el.name), step{index: i})
			}
		}
	}
	for _, el := range []struct {
		name string
		list []string
	}{{"Resource", st.Resource}, {"NotResource", st.NotResource}} {
		for i, r := range el.list {
			if err := checkResourcePattern(r, literal); err != nil {
				return st, atValue(err, member(el.name), step{index: i})
			}
		}
	}
	ops := make([]string, 0, len(s.Condition))
	for op := range s.Condition {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		parsed, err := parseOperator(op)
		if err != nil {
			return st, atName(err, member("Condition"), member(op))
		}
		var block map[string]json.RawMessage
		if err := json.Unmarshal(s.Condition[op], &block); err != nil {
			//lint:ignore ST1005 the path starts with the policy element's name, as the policy spells it
			return st, atValue(fmt.Errorf("Condition.%s: want an object of condition keys and their values, like {\"aws:RequestedRegion\": [\"us-east-1\"]}, not %s", op, jsonKind(s.Condition[op])), member("Condition"), member(op))
		}
		keys := make([]string, 0, len(block))
		for k := range block {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var vals stringOrList
			if err := json.Unmarshal(block[k], &vals); err != nil {
				//lint:ignore ST1005 the path starts with the policy element's name, as the policy spells it
				return st, atValue(fmt.Errorf("Condition.%s.%s: %v", op, k, err), member("Condition"), member(op), member(k))
			}
			for i, v := range vals {
				if err := parsed.checkValue(v, literal); err != nil {
					//lint:ignore ST1005 the path starts with the policy element's name, as the policy spells it
					return st, atValue(fmt.Errorf("Condition.%s.%s: %v", op, k, err), member("Condition"), member(op), member(k), step{index: i})
				}
			}
			st.Conditions = append(st.Conditions, Condition{Operator: op, Key: k, Values: vals})
		}
	}
	return st, nil
}

// stringOrList is a policy field written as one string or a list; bools
// and numbers (as in Bool or Null conditions) are kept as their text.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(data []byte) error {
	switch firstByte(data) {
	case '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return err
		}
		for _, r := range raws {
			v, err := scalar(r)
			if err != nil {
				return fmt.Errorf("want a string or a list of strings, not a list holding %s", jsonKind(r))
			}
			*s = append(*s, v)
		}
		return nil
	case 'n':
		return nil
	}
	v, err := scalar(data)
	if err != nil {
		return err
	}
	*s = []string{v}
	return nil
}

func scalar(data []byte) (string, error) {
	switch firstByte(data) {
	case '"':
		var v string
		err := json.Unmarshal(data, &v)
		return v, err
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(bytes.TrimSpace(data)), nil
	}
	return "", fmt.Errorf("want a string or a list of strings, not %s", jsonKind(data))
}

// stringField is a policy element that holds one string (Sid, Effect).
type stringField string

func (s *stringField) UnmarshalJSON(data []byte) error {
	switch firstByte(data) {
	case 'n':
		return nil
	case '"':
	default:
		return fmt.Errorf("want a string, not %s", jsonKind(data))
	}
	var v string
	err := json.Unmarshal(data, &v)
	*s = stringField(v)
	return err
}

// jsonKind names the kind of a JSON value as its writer sees it, with the
// value itself when it is short: "an object", "the number 1".
func jsonKind(data []byte) string {
	t := bytes.TrimSpace(data)
	switch firstByte(t) {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	}
	if len(t) <= 20 {
		return "the number " + string(t)
	}
	return "a number"
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// The elements of a policy and of a statement, spelled as the grammar
// spells them: "Elements that must be literal strings are enclosed in
// double quotation marks" (Grammar of the IAM JSON policy language).
// The decoder of encoding/json matches names regardless of case, so
// checkElements holds them to it.
var (
	policyElements    = []string{"Version", "Id", "Statement"}
	statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)

// checkElements refuses, in the JSON object data, a member that is not
// one of allowed as spelled there (nil: any name), and a member given
// twice: "Individual elements must not contain multiple instances of the
// same key. For example, you cannot include the Effect block twice in the
// same statement" (Grammar of the IAM JSON policy language). With
// condition, it checks a statement's Condition block too: no operator
// twice, and no key twice under one operator. Input that does not decode
// passes: the caller's decoding reports it. One pass over the bytes, with
// go-json-experiment's tokenizer, which skips values without building
// them.
func checkElements(data []byte, allowed []string, condition bool) error {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	depth := 0
	if condition {
		depth = 2
	}
	err := checkObject(dec, data, "", allowed, depth)
	var pe *policyElementError
	if errors.As(err, &pe) {
		return err
	}
	return nil
}

// policyElementError is a name checkElements refuses, and where it
// starts in the data.
type policyElementError struct {
	msg    string
	offset int64
}

func (e *policyElementError) Error() string { return e.msg }

// checkObject checks the object at dec's position (anything else is
// skipped). With depth > 0 it checks, one level down, the members of a
// statement's Condition and then of each operator.
func checkObject(dec *jsontext.Decoder, data []byte, path string, allowed []string, depth int) error {
	if dec.PeekKind() != '{' {
		return dec.SkipValue()
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	// Under an operator the names are condition keys, and "Condition
	// key names are not case-sensitive" (IAM JSON policy elements:
	// Condition): aws:SourceIp and aws:sourceip are one key given twice.
	keys := depth == 0 && strings.HasPrefix(path, "Condition.")
	// A set, not a list: the names under an operator are the policy
	// author's, as many as the file holds, and a list made the check
	// quadratic in them.
	seen := map[string]bool{}
	for dec.PeekKind() != '}' {
		// The name starts at the first quote after the previous value:
		// what comes between is a comma, a brace and space.
		at := dec.InputOffset()
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		at += int64(bytes.IndexByte(data[min(at, int64(len(data))):], '"'))
		n := tok.String()
		k := n
		if keys {
			// Folded as strings.EqualFold compares: upper then lower
			// case maps ſ to s and the Kelvin sign to k.
			k = strings.ToLower(strings.ToUpper(n))
		}
		if seen[k] {
			return &policyElementError{fmt.Sprintf("%s%s is given twice; IAM refuses a policy with a key twice in one element: merge the two", path, n), at}
		}
		seen[k] = true
		if allowed != nil && !slices.Contains(allowed, n) {
			for _, a := range allowed {
				if strings.EqualFold(a, n) {
					return &policyElementError{fmt.Sprintf("%s%s must be spelled %s: the names of policy elements are case-sensitive", path, n, a), at}
				}
			}
			return &policyElementError{fmt.Sprintf("%s%s is not a policy element (%s are): IAM refuses the policy", path, n, strings.Join(allowed, ", ")), at}
		}
		if depth > 0 && (path != "" || n == "Condition") {
			err = checkObject(dec, data, path+n+".", nil, depth-1)
		} else {
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// cliOutput recognizes, in a document without a Statement, the output of
// the AWS CLI commands that print a policy inside their answer, and says
// how to save the policy alone: GetRolePolicy (and GetUserPolicy,
// GetGroupPolicy) answer RoleName, PolicyName and PolicyDocument;
// GetPolicyVersion a PolicyVersion whose Document is the policy;
// Organizations' DescribePolicy a Policy whose Content is the SCP as a
// JSON string; and a CloudFormation resource (AWS::IAM::ManagedPolicy,
// AWS::IAM::Policy) holds it in Properties.PolicyDocument.
func cliOutput(data []byte) string {
	var out struct {
		PolicyDocument json.RawMessage
		PolicyVersion  *struct{ Document json.RawMessage }
		Policy         *struct{ Content *string }
		Type           string
		Properties     *struct{ PolicyDocument json.RawMessage }
	}
	if json.Unmarshal(data, &out) != nil {
		return ""
	}
	switch {
	case out.PolicyDocument != nil:
		return "this is the output of aws iam get-role-policy (or get-user-policy, get-group-policy), not a policy document: save the policy alone with --query PolicyDocument, e.g. aws iam get-role-policy --role-name ROLE --policy-name NAME --query PolicyDocument > FILE"
	case out.PolicyVersion != nil && out.PolicyVersion.Document != nil:
		return "this is the output of aws iam get-policy-version, not a policy document: save the policy alone with --query PolicyVersion.Document, e.g. aws iam get-policy-version --policy-arn ARN --version-id v1 --query PolicyVersion.Document > FILE"
	case strings.HasPrefix(out.Type, "AWS::") && out.Properties != nil && out.Properties.PolicyDocument != nil:
		return fmt.Sprintf("this is a CloudFormation resource (%s), not a policy document: save its Properties.PolicyDocument alone, as JSON", out.Type)
	case out.Policy != nil && out.Policy.Content != nil:
		return "this is the output of aws organizations describe-policy, not a policy document: save the policy alone with --query Policy.Content --output text, e.g. aws organizations describe-policy --policy-id p-ID --query Policy.Content --output text > FILE"
	}
	return ""
}

// notJSON is the fix for the policy files that are not JSON at all, when
// the JSON error alone does not say it: an empty file, a comment (IAM's
// editor and most others take none), or YAML, which CloudFormation
// templates hold their policies in. "IAM identifies JSON syntax errors"
// (Grammar of the IAM JSON policy language): a policy document is JSON.
func notJSON(data []byte, err error) string {
	var syn *json.SyntaxError
	t := bytes.TrimSpace(data)
	switch {
	case len(t) == 0:
		return ": the file is empty; a policy document is a JSON object: {\"Version\": \"2012-10-17\", \"Statement\": [...]}"
	case !errors.As(err, &syn):
		return ""
	}
	at := int(min(max(syn.Offset-1, 0), int64(len(data))))
	switch rest := data[at:]; {
	case bytes.HasPrefix(rest, []byte("//")) || bytes.HasPrefix(rest, []byte("/*")):
		return ": remove the comment (JSON allows none)"
	case at == len(data)-len(bytes.TrimLeft(data, " \t\r\n")) && firstByte(t) != '{' && firstByte(t) != '[':
		// The very first character is not JSON's.
		return ": a policy document is JSON; convert a YAML policy (as CloudFormation templates hold) to JSON"
	}
	return ""
}
