package emulator

import (
	"encoding/json"
	"net/url"
	"testing"
)

// TestCitationsSessionAccepted: a resumed citations session (a document
// with citations enabled, the model's citationsContent answer sent back
// in the assistant turn, search results in a user turn and in a tool
// result) is answered, and its search results and cited answer count
// toward the input tokens; before, the blocks decoded to nothing and
// counted for nothing.
func TestCitationsSessionAccepted(t *testing.T) {
	_, hs := start(t, nil)
	const search = `{"searchResult":{"source":"kb://faq/7","title":"FAQ 7","content":[{"text":"` + "Gift cards are final sale and store credit never expires, whatever the purchase date or the store. " + `"}],"citations":{"enabled":true}}}`
	body := func(extra string) string {
		return `{"messages":[
 {"role":"user","content":[{"text":"What is the return window?"},{"document":{"name":"Policy","format":"txt","source":{"text":"The return window is thirty days from purchase."},"citations":{"enabled":true}}}]},
 {"role":"assistant","content":[{"citationsContent":{"citations":[{"location":{"documentChar":{"documentIndex":0,"end":47,"start":0}},"sourceContent":[{"text":"The return window is thirty days from purchase."}],"title":"Policy"}],"content":[{"text":"The return window is thirty days from purchase."}]}}]},
 {"role":"user","content":[` + extra + `{"text":"And gift cards?"}]}]}`
	}
	path := "/model/" + url.PathEscape("us.anthropic.claude-sonnet-4-6") + "/converse"
	input := func(b string) int {
		status, _, got := rawRequest(t, hs, "POST", path, "us-east-1", b, defaultCreds)
		if status != 200 {
			t.Fatalf("status %d: %s", status, got)
		}
		var resp struct {
			Output struct {
				Message struct {
					Content []map[string]json.RawMessage `json:"content"`
				} `json:"message"`
			} `json:"output"`
			Usage struct {
				InputTokens int `json:"inputTokens"`
			} `json:"usage"`
		}
		if err := json.Unmarshal([]byte(got), &resp); err != nil || len(resp.Output.Message.Content) == 0 {
			t.Fatalf("answer %s: %v", got, err)
		}
		return resp.Usage.InputTokens
	}
	without, with := input(body("")), input(body(search+","))
	if with-without < len(search)/5 {
		t.Errorf("input tokens %d with the search result, %d without: it counted for %d, want about %d", with, without, with-without, len(search)/4)
	}
}
