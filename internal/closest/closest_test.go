package closest

import "testing"

func TestName(t *testing.T) {
	regions := []string{"us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1"}
	for s, want := range map[string]string{
		"us-esat-1":      "us-east-1", // two letters swapped
		"us-east1":       "us-east-1", // one left out
		"eu-centrl-1":    "eu-central-1",
		"us-east-1":      "", // known: nothing to suggest
		"ap-southeast-9": "",
		"":               "",
	} {
		if got := Name(s, regions); got != want {
			t.Errorf("Name(%q) = %q, want %q", s, got, want)
		}
	}
}
