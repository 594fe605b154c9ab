package emulator

import (
	"fmt"
	"slices"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/internal/closest"
)

// OptionError is [New]'s refusal of one field of [Options]: a command
// that sets the field from a flag names the flag.
type OptionError struct {
	// Field is the name of the Options field, such as "Account".
	Field string
	// Value is the value refused.
	Value string
	// Reason says why, and what would be accepted.
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("emulator: %s %q: %s", e.Field, e.Value, e.Reason)
}

// checkAccount refuses an account id other than 12 digits: every ARN the
// emulator answers with would hold it ("The 12-digit number ... that
// uniquely identifies an AWS account", AWS account identifiers).
func checkAccount(a string) error {
	ok := len(a) == 12
	for i := 0; ok && i < len(a); i++ {
		ok = a[i] >= '0' && a[i] <= '9'
	}
	if !ok {
		return &OptionError{Field: "Account", Value: a, Reason: "want an AWS account id of 12 digits, such as " + DefaultAccount}
	}
	return nil
}

// checkModelIDs refuses a model id of the option field that the catalog
// does not know: a mistyped LegacyActive id would leave the Legacy model
// it meant refusing calls, a mistyped NoModelAccess id the model it
// meant answering them.
func checkModelIDs(c *catalog.Catalog, field string, ids []string) error {
	for _, id := range ids {
		if _, ok := c.Model(id); ok {
			continue
		}
		known := make([]string, 0, len(c.Models))
		for _, m := range c.Models {
			known = append(known, m.ID)
		}
		slices.Sort(known)
		reason := fmt.Sprintf("not a model id of the catalog (as of %s): give a foundation model's id, such as anthropic.claude-3-haiku-20240307-v1:0", c.AsOf)
		if near := closest.Name(id, known); near != "" {
			reason = fmt.Sprintf("not a model id of the catalog (as of %s); did you mean %s?", c.AsOf, near)
		}
		return &OptionError{Field: field, Value: id, Reason: reason}
	}
	return nil
}
