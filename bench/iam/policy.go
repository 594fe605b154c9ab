// Package iam evaluates AWS IAM identity policies and service control
// policies (SCPs) for a request, following AWS's documented evaluation
// logic, and builds the requests Amazon Bedrock authorizes for a model
// invocation, cross-Region routes included.
//
// To use it:
//
//  1. [ParsePolicy] each policy document (or [LoadPolicy] a file).
//  2. Describe the caller as a [Principal]: its ARN, identity policies and
//     SCP levels.
//  3. Build the requests for a call with [Invocation.Requests].
//  4. [Principal.Evaluate] each request; a denied [Decision] words the
//     AccessDeniedException as the service does.
package iam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Policy is a parsed policy document.
type Policy struct {
	// Name identifies the policy in reports: a file name, or an SCP ARN.
	Name       string
	Version    string
	Statements []Statement
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
}

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

// LoadPolicy reads and parses a policy file.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(path, data)
}

// ParsePolicy parses a policy document. Errors name the policy and the
// statement.
func ParsePolicy(name string, data []byte) (*Policy, error) {
	var doc struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a policy document: %v", name, err)
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
	p := &Policy{Name: name, Version: doc.Version}
	for i, raw := range raws {
		st, err := parseStatement(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: Statement[%d]: %v", name, i, err)
		}
		st.Index = i
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func parseStatement(raw json.RawMessage) (Statement, error) {
	var s struct {
		Sid         string                                `json:"Sid"`
		Effect      string                                `json:"Effect"`
		Action      stringOrList                          `json:"Action"`
		NotAction   stringOrList                          `json:"NotAction"`
		Resource    stringOrList                          `json:"Resource"`
		NotResource stringOrList                          `json:"NotResource"`
		Condition   map[string]map[string]json.RawMessage `json:"Condition"`
		Principal   json.RawMessage                       `json:"Principal"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return Statement{}, err
	}
	st := Statement{Sid: s.Sid, Effect: Effect(s.Effect), Action: s.Action, NotAction: s.NotAction, Resource: s.Resource, NotResource: s.NotResource}
	switch {
	case st.Effect != Allow && st.Effect != Deny:
		return st, fmt.Errorf("Effect must be Allow or Deny, not %q", s.Effect)
	case (len(st.Action) == 0) == (len(st.NotAction) == 0):
		return st, fmt.Errorf("needs exactly one of Action and NotAction")
	case (len(st.Resource) == 0) == (len(st.NotResource) == 0):
		return st, fmt.Errorf("needs exactly one of Resource and NotResource")
	}
	for _, a := range append(append([]string{}, st.Action...), st.NotAction...) {
		if a != "*" && !strings.Contains(a, ":") {
			return st, fmt.Errorf("action %q needs a service prefix, like bedrock:InvokeModel", a)
		}
	}
	ops := make([]string, 0, len(s.Condition))
	for op := range s.Condition {
		ops = append(ops, op)
	}
	sortStrings(ops)
	for _, op := range ops {
		if _, err := parseOperator(op); err != nil {
			return st, err
		}
		keys := make([]string, 0, len(s.Condition[op]))
		for k := range s.Condition[op] {
			keys = append(keys, k)
		}
		sortStrings(keys)
		for _, k := range keys {
			var vals stringOrList
			if err := json.Unmarshal(s.Condition[op][k], &vals); err != nil {
				return st, fmt.Errorf("Condition.%s.%s: %v", op, k, err)
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
				return err
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
	return "", fmt.Errorf("want a string or a list of strings, got %s", bytes.TrimSpace(data))
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
