package normalize

import "github.com/bedrock-bench/bedrock-bench/bench/history"

// Participant names. OpenAI's name on a message tells participants of one
// role apart (a group chat, agents sharing a log, few-shot examples given
// as system messages named example_user and example_assistant); a
// Converse message has no such member. Where the messages of a role
// carry different names (a message without one counting as another
// speaker), each named message's first text is headed "name: ", so the
// model still reads who said what, also once the normalizer merges
// neighbouring turns of the role; where they all carry the same name, it
// tells nothing apart and is dropped. Either way the report says so. A
// tool or function message's name is the function's, not a participant's.

// speakers records, for each group of roles, whether its messages carry
// different names.
type speakers struct {
	// named: some message carries a participant name.
	named bool
	// differ is, by speakerGroup, whether the group's messages carry
	// different names.
	differ [3]bool
}

// speakerGroup is the group of role r whose names are compared: system
// and developer messages (both instructions), user messages, assistant
// messages; -1 for a role whose name names no participant.
func speakerGroup(r history.Role) int {
	switch r {
	case history.RoleSystem, history.RoleDeveloper:
		return 0
	case history.RoleUser:
		return 1
	case history.RoleAssistant:
		return 2
	}
	return -1
}

// groupName names the messages of speakerGroup g, for reports.
var groupName = [3]string{"system and developer", "user", "assistant"}

// newSpeakers walks msgs once, with no allocation.
func newSpeakers(msgs []history.Message) speakers {
	var sp speakers
	var first [3]string
	var seen [3]bool
	for i := range msgs {
		m := &msgs[i]
		g := speakerGroup(m.Role)
		if g < 0 {
			continue
		}
		sp.named = sp.named || m.Name != ""
		switch {
		case !seen[g]:
			seen[g], first[g] = true, m.Name
		case m.Name != first[g]:
			sp.differ[g] = true
		}
	}
	return sp
}

// speaker returns the prefix that heads the text of message m (at history
// index) and the index of the part it heads, or -1 when the message's
// name is not kept; it reports what became of the name.
func (s *state) speaker(m *history.Message, index int) (prefix string, at int) {
	g := speakerGroup(m.Role)
	if !s.speakers.named || m.Name == "" || g < 0 {
		return "", -1
	}
	if !s.speakers.differ[g] {
		s.rep.add(index, FieldDropped, "name %q dropped: a Converse message has no participant name, and every %s message carries this one", m.Name, groupName[g])
		return "", -1
	}
	for k := range m.Parts {
		p := &m.Parts[k]
		if p.Kind == history.PartText && !p.Server && !isBlank(p.Text) {
			prefix = m.Name + ": "
			s.rep.add(index, FieldMapped, "name %q became the prefix %q of the message's text: a Converse message has no participant name, and the %s messages carry different names", m.Name, prefix, groupName[g])
			return prefix, k
		}
	}
	s.rep.add(index, FieldDropped, "name %q dropped: a Converse message has no participant name, and this one has no text to head with it", m.Name)
	return "", -1
}
