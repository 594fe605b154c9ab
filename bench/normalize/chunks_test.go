package normalize

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestDocumentChunksPassThrough: a document whose source is content
// chunks (Bedrock API reference: DocumentSource content, as realwire
// converse-citations-chunk-ok sends it) comes out of a Converse history
// as it went in; before, the chunks were lost and the document became a
// note ("cannot be sent inline").
func TestDocumentChunksPassThrough(t *testing.T) {
	const doc = `{"document":{"name":"company_policy","format":"txt","source":{"content":[{"text":"Employees get 20 days annual leave."},{"text":"Consult with your manager for details."}]},"citations":{"enabled":true}}}`
	body := `{"description":"d","tags":["t"],"format":"converse","source":{"captured":"2026-11-20","origin":"o","redacted":true},"request":{"messages":[{"role":"user","content":[` + doc + `,{"text":"How many days of annual leave?"}]}]}}`
	h, err := history.Decode("chunks.json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	req, rep, err := Normalize(h, Options{Family: converse.FamilyOrDefault("anthropic.claude-sonnet-4-6")})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 0 {
		t.Errorf("changes %v, want none", rep.Changes)
	}
	var want converse.ContentBlock
	if err := json.Unmarshal([]byte(doc), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Document, req.Messages[0].Content[0].Document); diff != "" {
		t.Errorf("document changed (-in +out):\n%s", diff)
	}
}
