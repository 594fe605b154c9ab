package normalize

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// citationsFixture is the resumed citations session: a document with
// citations enabled, the citationsContent answer sent back, a search
// result in a tool result and one in the user turn.
const citationsFixture = "../../histories/resume/converse-citations-search-results.json"

func loadCitations(t *testing.T) (*history.History, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(citationsFixture)
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.Decode("resume/converse-citations-search-results.json", data)
	if err != nil {
		t.Fatalf("decode: %v (before: the searchResult and citationsContent blocks had no supported member)", err)
	}
	var env struct {
		Request map[string]any `json:"request"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	return h, env.Request
}

// TestCitationsSessionPassesThrough: for a Claude family, which takes
// search results, the session's request is the body the application
// sent, member for member, with no change reported; before, the fixture
// did not decode, and the document's citations setting was dropped.
func TestCitationsSessionPassesThrough(t *testing.T) {
	h, want := loadCitations(t)
	for _, name := range []string{"anthropic", "anthropic-one-sampling", "anthropic-no-prefill", "anthropic-no-sampling"} {
		fam, _ := converse.LookupFamily(name)
		req, rep, err := Normalize(h, Options{Family: fam})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rep.Changes) != 0 {
			t.Errorf("%s: changes %+v, want none", name, rep.Changes)
		}
		body, err := req.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: request differs from the body sent (-sent +normalized):\n%s", name, diff)
		}
	}
}

// TestSearchResultsFlattenedForOtherFamilies: a family that takes no
// search results (Bedrock API reference, SearchResultBlock: "only
// supported by Anthropic Claude" models) gets each as text in its place,
// with its title, source and content, reported; citationsContent, for
// which no family rule is documented, passes through.
func TestSearchResultsFlattenedForOtherFamilies(t *testing.T) {
	h, _ := loadCitations(t)
	fam, _ := converse.LookupFamily("nova")
	req, rep, err := Normalize(h, Options{Family: fam})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rep.Changes {
		got = append(got, string(c.Code)+": "+c.Detail)
	}
	want := []string{
		"server-tool-flattened: in the result for tooluse_kb7Qx2mZRw6yF3nV1aLp0c: the nova family takes no search results; it became text with its title, source and content",
		"server-tool-flattened: the nova family takes no search results; it became text with its title, source and content",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	body, _ := req.AppendJSON(nil)
	if bytes.Contains(body, []byte(`"searchResult"`)) {
		t.Errorf("a search result is still a block: %s", body)
	}
	last := req.Messages[2].Content
	if tr := last[0].ToolResult; tr == nil || tr.Content[0].Text == nil || *tr.Content[0].Text != "[Search result \"Exchanges\" from kb://policies/exchanges]\nExchanges are free within sixty days of purchase." {
		t.Errorf("tool result item: %+v", last[0])
	}
	if last[1].Text == nil || *last[1].Text != "[Search result \"Gift card FAQ\" from https://example.com/faq/gift-cards]\nGift cards are final sale.\nStore credit never expires." {
		t.Errorf("user block: %+v", last[1])
	}
	if !strings.Contains(string(body), `"citationsContent"`) {
		t.Errorf("citationsContent was not passed through: %s", body)
	}
	if err := converse.Validate(&req, fam); err != nil {
		t.Errorf("the normalized request breaks a rule: %v", err)
	}
}
