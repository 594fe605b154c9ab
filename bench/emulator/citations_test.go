package emulator

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// citedDoc is a user turn asking about a document with citations enabled.
func citedDoc(question string, doc types.DocumentBlock) types.Message {
	doc.Citations = &types.CitationsConfig{Enabled: aws.Bool(true)}
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberText{Value: question},
		&types.ContentBlockMemberDocument{Value: doc},
	}}
}

// span is the text between two character (not byte) offsets.
func span(s string, start, end int32) string {
	r := []rune(s)
	if start < 0 || end > int32(len(r)) || start > end {
		return "<out of range>"
	}
	return string(r[start:end])
}

// TestCitationsThroughSDK: a Claude model given a document with
// citations enabled answers with a citationsContent block the AWS SDK for
// Go decodes, whose citation points at a real span of the document: a
// text document's first sentence with the white space after it
// (documentChar, in characters), a content source's first chunk
// (documentChunk), a PDF's first page (documentPage), as realwire
// converse-citations-ok, converse-citations-chunk-ok and
// converse-citations-pdf-ok recorded. Before, the answer was plain text.
func TestCitationsThroughSDK(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const text = "Le délai de retour est de trente jours. Gift cards are final sale."
	tests := []struct {
		name string
		doc  types.DocumentBlock
		// check verifies the location and returns the cited source text
		// the document holds there.
		check func(t *testing.T, loc types.CitationLocation) string
	}{
		{"text", types.DocumentBlock{Name: aws.String("Policy"), Format: types.DocumentFormatTxt, Source: &types.DocumentSourceMemberText{Value: text}},
			func(t *testing.T, loc types.CitationLocation) string {
				l, ok := loc.(*types.CitationLocationMemberDocumentChar)
				if !ok {
					t.Fatalf("location %T, want documentChar", loc)
				}
				if *l.Value.Start != 0 || *l.Value.End != 40 {
					t.Errorf("span [%d, %d), want the first sentence [0, 40)", *l.Value.Start, *l.Value.End)
				}
				return span(text, *l.Value.Start, *l.Value.End)
			}},
		{"text bytes", types.DocumentBlock{Name: aws.String("Policy"), Format: types.DocumentFormatMd, Source: &types.DocumentSourceMemberBytes{Value: []byte(text)}},
			func(t *testing.T, loc types.CitationLocation) string {
				l, ok := loc.(*types.CitationLocationMemberDocumentChar)
				if !ok {
					t.Fatalf("location %T, want documentChar", loc)
				}
				return span(text, *l.Value.Start, *l.Value.End)
			}},
		{"chunks", types.DocumentBlock{Name: aws.String("Policy"), Format: types.DocumentFormatTxt, Source: &types.DocumentSourceMemberContent{Value: []types.DocumentContentBlock{
			&types.DocumentContentBlockMemberText{Value: " "}, &types.DocumentContentBlockMemberText{Value: "Employees get 20 days."}}}},
			func(t *testing.T, loc types.CitationLocation) string {
				l, ok := loc.(*types.CitationLocationMemberDocumentChunk)
				if !ok {
					t.Fatalf("location %T, want documentChunk", loc)
				}
				if *l.Value.Start != 1 || *l.Value.End != 2 {
					t.Errorf("chunks [%d, %d), want the first with text [1, 2)", *l.Value.Start, *l.Value.End)
				}
				return "Employees get 20 days."
			}},
		{"pdf", types.DocumentBlock{Name: aws.String("Policy"), Format: types.DocumentFormatPdf, Source: &types.DocumentSourceMemberBytes{Value: []byte("%PDF-1.4\n%%EOF\n")}},
			func(t *testing.T, loc types.CitationLocation) string {
				l, ok := loc.(*types.CitationLocationMemberDocumentPage)
				if !ok {
					t.Fatalf("location %T, want documentPage", loc)
				}
				if *l.Value.Start != 1 || *l.Value.End != 2 {
					t.Errorf("pages [%d, %d), want [1, 2)", *l.Value.Start, *l.Value.End)
				}
				return "Page 1 of Policy."
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A document before it, without citations, counts in the index.
			plain := types.DocumentBlock{Name: aws.String("Other"), Format: types.DocumentFormatTxt, Source: &types.DocumentSourceMemberBytes{Value: []byte("Unrelated.")}}
			first := types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Read this."}, &types.ContentBlockMemberDocument{Value: plain}}}
			msgs := []types.Message{first, assistantText("Done."), citedDoc("What is the return window?", tc.doc)}
			out, err := callConverse(t, c, claude, msgs...)
			if err != nil {
				t.Fatal(err)
			}
			content := out.Output.(*types.ConverseOutputMemberMessage).Value.Content
			if len(content) != 1 {
				t.Fatalf("%d blocks, want one citationsContent", len(content))
			}
			cc, ok := content[0].(*types.ContentBlockMemberCitationsContent)
			if !ok {
				t.Fatalf("block %T, want citationsContent", content[0])
			}
			if len(cc.Value.Citations) != 1 || len(cc.Value.Content) != 1 {
				t.Fatalf("citations %d, content %d; want 1 and 1", len(cc.Value.Citations), len(cc.Value.Content))
			}
			cit := cc.Value.Citations[0]
			if aws.ToString(cit.Title) != "Policy" {
				t.Errorf("title %q, want the document's name", aws.ToString(cit.Title))
			}
			want := tc.check(t, cit.Location)
			var idx int32 = -1
			switch l := cit.Location.(type) {
			case *types.CitationLocationMemberDocumentChar:
				idx = *l.Value.DocumentIndex
			case *types.CitationLocationMemberDocumentChunk:
				idx = *l.Value.DocumentIndex
			case *types.CitationLocationMemberDocumentPage:
				idx = *l.Value.DocumentIndex
			}
			if idx != 1 {
				t.Errorf("document index %d, want 1 (the second document of the request)", idx)
			}
			if len(cit.SourceContent) != 1 {
				t.Fatalf("%d source contents, want 1", len(cit.SourceContent))
			}
			if got := cit.SourceContent[0].(*types.CitationSourceContentMemberText).Value; got != want {
				t.Errorf("source content %q, want the document's %q", got, want)
			}
			said := cc.Value.Content[0].(*types.CitationGeneratedContentMemberText).Value
			if said != strings.TrimSpace(want) {
				t.Errorf("cited text %q, want %q", said, strings.TrimSpace(want))
			}
		})
	}
}

// TestCitationsStreamThroughSDK: ConverseStream sends the citation delta
// first, then the cited text in text deltas, in one block (realwire
// converse-stream-citations-ok), and the SDK decodes both.
func TestCitationsStreamThroughSDK(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const doc = "The return window is thirty days from purchase. Exchanges are free."
	out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(claude), Messages: []types.Message{
		citedDoc("What is the return window?", types.DocumentBlock{Name: aws.String("Document 1"), Format: types.DocumentFormatTxt, Source: &types.DocumentSourceMemberText{Value: doc}}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var text strings.Builder
	var cit *types.CitationsDelta
	for ev := range out.GetStream().Events() {
		e, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta)
		if !ok {
			continue
		}
		if *e.Value.ContentBlockIndex != 0 {
			t.Errorf("a delta in block %d", *e.Value.ContentBlockIndex)
		}
		switch d := e.Value.Delta.(type) {
		case *types.ContentBlockDeltaMemberCitation:
			kinds = append(kinds, "citation")
			cit = &d.Value
		case *types.ContentBlockDeltaMemberText:
			if len(kinds) == 0 || kinds[len(kinds)-1] != "text" {
				kinds = append(kinds, "text")
			}
			text.WriteString(d.Value)
		default:
			t.Errorf("delta %T", d)
		}
	}
	if err := out.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(kinds, ",") != "citation,text" {
		t.Fatalf("deltas %v, want a citation then text", kinds)
	}
	l, ok := cit.Location.(*types.CitationLocationMemberDocumentChar)
	if !ok {
		t.Fatalf("location %T, want documentChar", cit.Location)
	}
	if *l.Value.Start != 0 || *l.Value.End != 48 || aws.ToString(cit.Title) != "Document 1" {
		t.Errorf("citation [%d, %d) %q, want [0, 48) of Document 1", *l.Value.Start, *l.Value.End, aws.ToString(cit.Title))
	}
	if got := aws.ToString(cit.SourceContent[0].Text); got != doc[:48] {
		t.Errorf("source content %q", got)
	}
	if text.String() != "The return window is thirty days from purchase." {
		t.Errorf("cited text %q", text.String())
	}
}

// TestCitationsOnlyClaude: citations are Claude's (every recorded
// citations answer is a Claude model's); another family, or a document
// without citations enabled, gets the plain answer.
func TestCitationsOnlyClaude(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	doc := types.DocumentBlock{Name: aws.String("Policy"), Format: types.DocumentFormatTxt, Source: &types.DocumentSourceMemberBytes{Value: []byte("Thirty days.")}}
	for _, tc := range []struct {
		model string
		msg   types.Message
	}{
		{"us.amazon.nova-lite-v1:0", citedDoc("What is the return window?", doc)},
		{claude, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "What is the return window?"}, &types.ContentBlockMemberDocument{Value: doc}}}},
	} {
		out, err := callConverse(t, c, tc.model, tc.msg)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range out.Output.(*types.ConverseOutputMemberMessage).Value.Content {
			if _, ok := b.(*types.ContentBlockMemberText); !ok {
				t.Errorf("%s: block %T, want text", tc.model, b)
			}
		}
	}
}

// TestCiteTextBound: a first sentence is cited up to maxCitedChars
// characters, whether it ends just inside the bound, at it or beyond, in
// a document far longer than the bound.
func TestCiteTextBound(t *testing.T) {
	rest := strings.Repeat("é", 1<<20)
	for _, tc := range []struct {
		words int // characters before the full stop
		want  int
	}{
		{maxCitedChars - 3, maxCitedChars - 1}, // the stop and one space
		{maxCitedChars - 1, maxCitedChars},     // the stop fills the bound
		{maxCitedChars, maxCitedChars},
		{maxCitedChars + 5, maxCitedChars},
	} {
		text := strings.Repeat("a", tc.words) + ". " + rest
		c := citeText(text)
		if c == nil || c.end != tc.want || c.start != 0 || c.source != string([]rune(text)[:tc.want]) {
			t.Errorf("sentence of %d characters: %+v, want a span of %d", tc.words, c, tc.want)
		}
	}
	if c := citeText("Short."); c == nil || c.end != 6 {
		t.Errorf("a whole short text: %+v", c)
	}
}
