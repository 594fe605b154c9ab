package converse

import (
	"fmt"
	"slices"
	"strings"
)

// Violation is one broken rule, worded as the service words it.
type Violation struct {
	Rule    *Rule
	Message string

	// at is the index of the message a byMessage rule names.
	at int
}

// Error returns "<Exception>: <message>", the form SDKs print.
func (v *Violation) Error() string { return v.Rule.Exception + ": " + v.Message }

// Check returns every rule the request breaks for family f, in the order
// the service reports them. Schema-layer violations are returned one per
// constraint; [Validate] combines them as the service does.
func Check(r *Request, f Family) []Violation {
	return check(r, f, kindsOf(r))
}

// check runs every rule whose needs kinds holds: pass every kind to run
// them all.
func check(r *Request, f Family, kinds blockKinds) []Violation {
	var out []Violation
	// One emit function for every rule, so a clean request costs a
	// fixed, small number of allocations whatever its size.
	var rule *Rule
	emit := func(args ...any) {
		msg := rule.Message
		if len(args) > 0 {
			msg = fmt.Sprintf(msg, args...)
		}
		v := Violation{Rule: rule, Message: msg}
		if rule.byMessage {
			v.at, _ = args[0].(int)
		}
		out = append(out, v)
	}
	start, end := -1, -1 // the violations of byMessage rules
	for _, rule = range rules {
		if rule.needs == 0 || rule.needs&kinds != 0 {
			n := len(out)
			rule.check(r, &f, emit)
			if rule.byMessage && len(out) > n {
				if start < 0 {
					start = n
				}
				end = len(out)
			}
		}
	}
	if end-start > 1 {
		// In message order, the rules' order kept within a message.
		slices.SortStableFunc(out[start:end], func(a, b Violation) int { return a.at - b.at })
	}
	return out
}

// Validate returns the error the service answers r with for a model of
// family f, or nil when r is valid. The error is a *[Violation]. As on the
// service, every schema-layer violation is reported together in one
// message ("2 validation errors detected: ...; ..."), attributed to the
// first one's rule.
func Validate(r *Request, f Family) error {
	vs := Check(r, f)
	if len(vs) == 0 {
		return nil
	}
	if vs[0].Rule.Layer != LayerSchema {
		return &vs[0]
	}
	var items []string
	for _, v := range vs {
		if v.Rule.Layer == LayerSchema {
			items = append(items, v.Message)
		}
	}
	return &Violation{Rule: vs[0].Rule, Message: SchemaMessage(items)}
}

// ValidateStream is [Validate] for a ConverseStream call: the rules that
// depend on streaming (V-26) apply too.
func ValidateStream(r *Request, f Family) error {
	f.streaming = true
	return Validate(r, f)
}

// CheckStream is [Check] for a ConverseStream call.
func CheckStream(r *Request, f Family) []Violation {
	f.streaming = true
	return Check(r, f)
}

// SchemaMessage joins schema constraint failures the way the service does.
func SchemaMessage(items []string) string {
	plural := "s"
	if len(items) == 1 {
		plural = ""
	}
	return fmt.Sprintf("%d validation error%s detected: %s", len(items), plural, strings.Join(items, "; "))
}
