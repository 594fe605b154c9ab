package main

import (
	"reflect"
	"testing"
)

// TestContextKeysIgnoreCase: context key names are not case-sensitive
// (IAM JSON policy elements: Condition, "including the aws:SourceIP
// context key is equivalent to testing for AWS:SourceIp"), so one key
// given in two spellings is one key with both values. Before, they were
// two entries, and which one the evaluator read depended on map order.
func TestContextKeysIgnoreCase(t *testing.T) {
	got, err := parseContext([]string{"aws:SourceIp=10.1.2.3", "AWS:sourceip=192.0.2.1", "aws:MultiFactorAuthPresent=true"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"aws:SourceIp": {"10.1.2.3", "192.0.2.1"}, "aws:MultiFactorAuthPresent": {"true"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
