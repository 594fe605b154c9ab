package corpus

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestHTMLRulesHaveNoFormatPlaceholders: a rule's row in the HTML report
// shows what the text report shows (its id and name, count, share and
// example), not the rule's error text, whose %s and %d the service fills
// with the offending value and position and which no report has. Before,
// the rules table read "The text field in the ContentBlock object at %s
// is blank" and "Value '%s' at 'messages.%d.member.role' …".
func TestHTMLRulesHaveNoFormatPlaceholders(t *testing.T) {
	rep := newReport(nil)
	f := &FamilyReport{Family: "nova", Conversations: 2, Breaking: 2, Share: 1}
	for _, r := range converse.Rules() {
		if strings.Contains(r.Message, "%s") || strings.Contains(r.Message, "%d") {
			f.Rules = append(f.Rules, &RuleStat{ID: r.ID, Name: r.Name, Message: r.Message, Count: 1, Share: 0.5})
		}
	}
	if len(f.Rules) == 0 {
		t.Fatal("no rule's text has a placeholder: the test no longer tests")
	}
	rep.Families = []*FamilyReport{f}
	var page, txt bytes.Buffer
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"HTML": page.String(), "text": txt.String()} {
		if strings.Contains(out, "%s") || strings.Contains(out, "%d") {
			t.Errorf("%s report shows a format placeholder:\n%s", name, out)
		}
		for _, s := range f.Rules {
			if !strings.Contains(out, s.Name) {
				t.Errorf("%s report lacks rule %s %s", name, s.ID, s.Name)
			}
		}
	}
}
