package emulator

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/jsonpos"
)

// Guardrail is a guardrail the emulator applies when a request's
// guardrailConfig names it: denied words and denied topics (each topic
// matched by its example phrases), blocking the input with the
// guardrail's message.
type Guardrail struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	// DeniedWords block a request whose user text holds one (whole words,
	// any case).
	DeniedWords []string `json:"deniedWords"`
	// DeniedTopics block a request whose user text holds one of a topic's
	// examples.
	DeniedTopics []GuardrailTopic `json:"deniedTopics"`
	// BlockedInputMessaging is the answer's text when the input is
	// blocked; empty uses the console's default.
	BlockedInputMessaging string `json:"blockedInputMessaging"`
}

// GuardrailTopic is a denied topic.
type GuardrailTopic struct {
	Name     string   `json:"name"`
	Examples []string `json:"examples"`
}

const defaultBlockedMessage = "Sorry, the model cannot answer this question."

// LoadGuardrails reads a guardrail file: one guardrail object or an array
// of them.
//
//	{"id": "gr-demo", "version": "1", "deniedWords": ["password"],
//	 "deniedTopics": [{"name": "Investment advice", "examples": ["which stocks"]}],
//	 "blockedInputMessaging": "Sorry, I can't help with that."}
func LoadGuardrails(path string) ([]Guardrail, error) {
	return LoadGuardrailsContext(context.Background(), path)
}

// LoadGuardrailsContext is LoadGuardrails that gives up when ctx ends, the
// read of a named pipe nothing writes to included (a
// *bounded.InterruptedError wrapping ctx's error).
func LoadGuardrailsContext(ctx context.Context, path string) ([]Guardrail, error) {
	data, err := readBounded(ctx, path, maxKeysFile, "a guardrail file")
	if err != nil {
		return nil, err
	}
	return ParseGuardrails(path, data)
}

// ParseGuardrails parses a guardrail file's contents; name is used in errors.
func ParseGuardrails(name string, data []byte) ([]Guardrail, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: invalid UTF-8", name)
	}
	data = validutf8.TrimBOM(data) // Windows editors write one
	var list []Guardrail
	trimmed := strings.TrimSpace(string(data))
	var err error
	if strings.HasPrefix(trimmed, "[") {
		err = json.Unmarshal(data, &list, json.RejectUnknownMembers(true))
	} else {
		var g Guardrail
		err = json.Unmarshal(data, &g, json.RejectUnknownMembers(true))
		list = []Guardrail{g}
	}
	if err != nil {
		var syn *jsontext.SyntacticError
		var se *json.SemanticError
		switch {
		case errors.As(err, &syn):
			return nil, fmt.Errorf("%s: %v%s", jsonpos.At(name, data, err), syn.Err, jsonpos.Fix(data, err))
		case errors.As(err, &se):
			return nil, fmt.Errorf("%s: %s: %v (fields: id, version, deniedWords, deniedTopics[].name, deniedTopics[].examples, blockedInputMessaging)", name, se.JSONPointer, se.Err)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	for i, g := range list {
		if g.ID == "" {
			return nil, fmt.Errorf("%s: guardrail %d: id is required", name, i)
		}
		if g.Version == "" {
			list[i].Version = "DRAFT"
		}
		if len(g.DeniedWords)+len(g.DeniedTopics) == 0 {
			return nil, fmt.Errorf("%s: guardrail %s: no deniedWords and no deniedTopics: it would never intervene", name, g.ID)
		}
	}
	return list, nil
}

// guardrailVerdict is what applying a guardrail found.
type guardrailVerdict struct {
	g      *Guardrail
	words  []string
	topics []string
	chars  int
}

// findGuardrail resolves a guardrailConfig's identifier (id or ARN) and
// version.
func findGuardrail(list []Guardrail, cfg *converse.GuardrailConfig) *Guardrail {
	id := cfg.GuardrailIdentifier
	if i := strings.LastIndex(id, "/"); strings.HasPrefix(id, "arn:") && i >= 0 {
		id = id[i+1:]
	}
	for i := range list {
		g := &list[i]
		if g.ID == id && (cfg.GuardrailVersion == g.Version || cfg.GuardrailVersion == "DRAFT") {
			return g
		}
	}
	return nil
}

// applyGuardrail checks the user turns' text.
func applyGuardrail(g *Guardrail, req *converse.Request) guardrailVerdict {
	v := guardrailVerdict{g: g}
	var text strings.Builder
	for _, m := range req.Messages {
		if m.Role != converse.RoleUser {
			continue
		}
		for _, b := range m.Content {
			if b.Text != nil {
				text.WriteString(*b.Text)
				text.WriteByte('\n')
			}
		}
	}
	t := text.String()
	v.chars = utf8.RuneCountInString(strings.TrimSuffix(t, "\n"))
	for _, w := range g.DeniedWords {
		if w != "" && wordIn(t, w) {
			v.words = append(v.words, w)
		}
	}
	for _, topic := range g.DeniedTopics {
		for _, ex := range topic.Examples {
			if ex != "" && wordIn(t, ex) {
				v.topics = append(v.topics, topic.Name)
				break
			}
		}
	}
	return v
}

func wordIn(text, phrase string) bool {
	re, err := regexp.Compile(`(?i)(^|\W)` + regexp.QuoteMeta(phrase) + `($|\W)`)
	return err == nil && re.MatchString(text)
}

func (v guardrailVerdict) intervened() bool { return len(v.words)+len(v.topics) > 0 }

// trace is the guardrail trace in the service's shape.
func (v guardrailVerdict) trace(account, region string) map[string]any {
	assessment := map[string]any{
		"appliedGuardrailDetails": map[string]any{
			"guardrailArn":       fmt.Sprintf("arn:%s:bedrock:%s:%s:guardrail/%s", catalog.Partition(region), region, account, v.g.ID),
			"guardrailId":        v.g.ID,
			"guardrailOrigin":    []string{"REQUEST"},
			"guardrailOwnership": "SELF",
			"guardrailVersion":   v.g.Version,
		},
		"invocationMetrics": map[string]any{
			"guardrailCoverage":          map[string]any{"textCharacters": map[string]any{"guarded": v.chars, "total": v.chars}},
			"guardrailProcessingLatency": 120,
			"usage": map[string]any{"automatedReasoningPolicies": 0, "automatedReasoningPolicyUnits": 0, "contentPolicyImageUnits": 0, "contentPolicyUnits": 0,
				"contextualGroundingPolicyUnits": 0, "sensitiveInformationPolicyFreeUnits": 0, "sensitiveInformationPolicyUnits": 0,
				"topicPolicyUnits": boolInt(len(v.g.DeniedTopics) > 0), "wordPolicyUnits": boolInt(len(v.g.DeniedWords) > 0)},
		},
	}
	if len(v.words) > 0 {
		var words []any
		for _, w := range v.words {
			words = append(words, map[string]any{"action": "BLOCKED", "detected": true, "match": w})
		}
		assessment["wordPolicy"] = map[string]any{"customWords": words}
	}
	if len(v.topics) > 0 {
		var topics []any
		for _, t := range v.topics {
			topics = append(topics, map[string]any{"action": "BLOCKED", "detected": true, "name": t, "type": "DENY"})
		}
		assessment["topicPolicy"] = map[string]any{"topics": topics}
	}
	reason := "No action."
	if v.intervened() {
		reason = "Guardrail blocked."
	}
	return map[string]any{"guardrail": map[string]any{"actionReason": reason, "inputAssessment": map[string]any{v.g.ID: assessment}}}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
