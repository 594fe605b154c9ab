package emulator

import (
	"errors"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// New refuses an account id that is not 12 digits and a Legacy model id
// the catalog does not know; both were taken silently, the first put
// into every ARN, the second left the model it meant refusing calls.
func TestNewRefusesAMalformedAccountAndAnUnknownLegacyModel(t *testing.T) {
	asOf := catalog.Default().AsOf
	for _, tc := range []struct {
		opts          Options
		field, reason string
	}{
		{Options{Account: "12"}, "Account", "want an AWS account id of 12 digits, such as 111122223333"},
		{Options{Account: "11112222333a"}, "Account", "want an AWS account id of 12 digits, such as 111122223333"},
		{Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1"}}, "LegacyActive", "not a model id of the catalog (as of " + asOf + "); did you mean anthropic.claude-sonnet-4-5-20250929-v1:0?"},
		{Options{LegacyActive: []string{"no-such-model"}}, "LegacyActive", "not a model id of the catalog (as of " + asOf + "): give a foundation model's id, such as anthropic.claude-3-haiku-20240307-v1:0"},
		// A mistyped NoModelAccess id left the model it meant answering.
		{Options{NoModelAccess: []string{"amazon.nova-micro-v1"}}, "NoModelAccess", "not a model id of the catalog (as of " + asOf + "); did you mean amazon.nova-micro-v1:0?"},
	} {
		_, err := New(&tc.opts)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Field != tc.field || oe.Reason != tc.reason {
			t.Errorf("%+v: %v, want %s: %s", tc.opts, err, tc.field, tc.reason)
		}
	}
	for _, o := range []Options{{Account: "123456789012"}, {LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}}, {NoModelAccess: []string{"amazon.nova-micro-v1:0"}}} {
		if _, err := New(&o); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
}
