package converse

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// The wire model keeps searchResult and citationsContent as raw JSON.
// For the SDK they are read into these mirrors of the API's shapes
// (Bedrock API reference: SearchResultBlock, CitationsContentBlock,
// Citation, CitationLocation), refusing a member the mirror has no
// place for, so nothing is lost without an error.

type searchResultJSON struct {
	Source  *string `json:"source"`
	Title   *string `json:"title"`
	Content []struct {
		Text *string `json:"text"`
	} `json:"content"`
	Citations *struct {
		Enabled *bool `json:"enabled"`
	} `json:"citations"`
}

type citationsContentJSON struct {
	Citations []citationJSON `json:"citations"`
	Content   []textMember   `json:"content"`
}

type citationJSON struct {
	Location      *citationLocationJSON `json:"location"`
	Source        *string               `json:"source"`
	SourceContent []textMember          `json:"sourceContent"`
	Title         *string               `json:"title"`
}

// textMember is a union whose one member is text.
type textMember struct {
	Text *string `json:"text"`
}

type citationLocationJSON struct {
	DocumentChar         *spanJSON `json:"documentChar"`
	DocumentChunk        *spanJSON `json:"documentChunk"`
	DocumentPage         *spanJSON `json:"documentPage"`
	SearchResultLocation *spanJSON `json:"searchResultLocation"`
	Web                  *struct {
		Domain *string `json:"domain"`
		URL    *string `json:"url"`
	} `json:"web"`
}

type spanJSON struct {
	DocumentIndex     *int32 `json:"documentIndex"`
	SearchResultIndex *int32 `json:"searchResultIndex"`
	Start             *int32 `json:"start"`
	End               *int32 `json:"end"`
}

// strictJSON decodes raw into v, refusing members v has no place for.
func strictJSON(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one value")
	}
	return nil
}

// searchResultToSDK converts a searchResult block's JSON.
func searchResultToSDK(raw json.RawMessage) (types.SearchResultBlock, error) {
	var v searchResultJSON
	if err := strictJSON(raw, &v); err != nil {
		return types.SearchResultBlock{}, fmt.Errorf("searchResult: %w", err)
	}
	out := types.SearchResultBlock{Source: v.Source, Title: v.Title}
	if v.Content != nil {
		out.Content = make([]types.SearchResultContentBlock, 0, len(v.Content))
		for _, c := range v.Content {
			out.Content = append(out.Content, types.SearchResultContentBlock{Text: c.Text})
		}
	}
	if v.Citations != nil {
		out.Citations = &types.CitationsConfig{Enabled: v.Citations.Enabled}
	}
	return out, nil
}

// citationsContentToSDK converts a citationsContent block's JSON.
func citationsContentToSDK(raw json.RawMessage) (types.CitationsContentBlock, error) {
	var v citationsContentJSON
	if err := strictJSON(raw, &v); err != nil {
		return types.CitationsContentBlock{}, fmt.Errorf("citationsContent: %w", err)
	}
	var out types.CitationsContentBlock
	if v.Content != nil {
		out.Content = make([]types.CitationGeneratedContent, 0, len(v.Content))
		for k, c := range v.Content {
			if c.Text == nil {
				return out, fmt.Errorf("citationsContent.content.%d: no member set", k)
			}
			out.Content = append(out.Content, &types.CitationGeneratedContentMemberText{Value: *c.Text})
		}
	}
	if v.Citations != nil {
		out.Citations = make([]types.Citation, 0, len(v.Citations))
	}
	for k, c := range v.Citations {
		sc := types.Citation{Source: c.Source, Title: c.Title}
		if c.SourceContent != nil {
			sc.SourceContent = make([]types.CitationSourceContent, 0, len(c.SourceContent))
			for _, t := range c.SourceContent {
				if t.Text == nil {
					return out, fmt.Errorf("citationsContent.citations.%d.sourceContent: no member set", k)
				}
				sc.SourceContent = append(sc.SourceContent, &types.CitationSourceContentMemberText{Value: *t.Text})
			}
		}
		if l := c.Location; l != nil {
			loc, err := citationLocationToSDK(l)
			if err != nil {
				return out, fmt.Errorf("citationsContent.citations.%d.location: %w", k, err)
			}
			sc.Location = loc
		}
		out.Citations = append(out.Citations, sc)
	}
	return out, nil
}

// citationLocationToSDK converts a citation's location, a union.
func citationLocationToSDK(l *citationLocationJSON) (types.CitationLocation, error) {
	n := one(l.DocumentChar != nil) + one(l.DocumentChunk != nil) + one(l.DocumentPage != nil) + one(l.SearchResultLocation != nil) + one(l.Web != nil)
	if n != 1 {
		return nil, fmt.Errorf("%d members set, a union takes one", n)
	}
	switch {
	case l.DocumentChar != nil:
		s := l.DocumentChar
		return &types.CitationLocationMemberDocumentChar{Value: types.DocumentCharLocation{DocumentIndex: s.DocumentIndex, Start: s.Start, End: s.End}}, spanFor(s, false)
	case l.DocumentChunk != nil:
		s := l.DocumentChunk
		return &types.CitationLocationMemberDocumentChunk{Value: types.DocumentChunkLocation{DocumentIndex: s.DocumentIndex, Start: s.Start, End: s.End}}, spanFor(s, false)
	case l.DocumentPage != nil:
		s := l.DocumentPage
		return &types.CitationLocationMemberDocumentPage{Value: types.DocumentPageLocation{DocumentIndex: s.DocumentIndex, Start: s.Start, End: s.End}}, spanFor(s, false)
	case l.SearchResultLocation != nil:
		s := l.SearchResultLocation
		return &types.CitationLocationMemberSearchResultLocation{Value: types.SearchResultLocation{SearchResultIndex: s.SearchResultIndex, Start: s.Start, End: s.End}}, spanFor(s, true)
	}
	return &types.CitationLocationMemberWeb{Value: types.WebLocation{Domain: l.Web.Domain, Url: l.Web.URL}}, nil
}

// spanFor refuses the index member of the other kind of location: a
// document's location has no searchResultIndex, a search result's no
// documentIndex.
func spanFor(s *spanJSON, search bool) error {
	if search && s.DocumentIndex != nil {
		return fmt.Errorf("unknown field \"documentIndex\"")
	}
	if !search && s.SearchResultIndex != nil {
		return fmt.Errorf("unknown field \"searchResultIndex\"")
	}
	return nil
}

// one is 1 for true and 0 for false.
func one(b bool) int {
	if b {
		return 1
	}
	return 0
}
