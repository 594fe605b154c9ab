package converse

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithydoc "github.com/aws/smithy-go/document"
)

// ToSDK converts r into the AWS SDK's input for a call to modelID.
func (r *Request) ToSDK(modelID string) (*bedrockruntime.ConverseInput, error) {
	in := &bedrockruntime.ConverseInput{
		ModelId:                           aws.String(modelID),
		AdditionalModelResponseFieldPaths: r.AdditionalModelResponseFieldPaths,
		RequestMetadata:                   r.RequestMetadata,
	}
	var err error
	if in.Messages, err = MessagesToSDK(r.Messages); err != nil {
		return nil, err
	}
	for i, s := range r.System {
		b, err := systemToSDK(s)
		if err != nil {
			return nil, fmt.Errorf("system.%d: %w", i, err)
		}
		in.System = append(in.System, b)
	}
	if ic := r.InferenceConfig; ic != nil {
		in.InferenceConfig = &types.InferenceConfiguration{StopSequences: ic.StopSequences}
		if ic.MaxTokens != nil {
			in.InferenceConfig.MaxTokens = aws.Int32(int32(*ic.MaxTokens))
		}
		if ic.Temperature != nil {
			in.InferenceConfig.Temperature = aws.Float32(float32(*ic.Temperature))
		}
		if ic.TopP != nil {
			in.InferenceConfig.TopP = aws.Float32(float32(*ic.TopP))
		}
	}
	if tc := r.ToolConfig; tc != nil {
		in.ToolConfig = &types.ToolConfiguration{}
		for i, t := range tc.Tools {
			if orig, ok := t.Source.(types.Tool); ok && sameTool(orig, t) {
				in.ToolConfig.Tools = append(in.ToolConfig.Tools, orig)
				continue
			}
			switch {
			case t.ToolSpec != nil:
				schema, err := docFromJSON(t.ToolSpec.InputSchema.JSON)
				if err != nil {
					return nil, fmt.Errorf("toolConfig.tools.%d.toolSpec.inputSchema.json: %w", i, err)
				}
				spec := types.ToolSpecification{
					Name:        aws.String(t.ToolSpec.Name),
					InputSchema: &types.ToolInputSchemaMemberJson{Value: schema},
				}
				if t.ToolSpec.Description != "" {
					spec.Description = aws.String(t.ToolSpec.Description)
				}
				if t.ToolSpec.Strict != nil {
					spec.Strict = aws.Bool(*t.ToolSpec.Strict)
				}
				if orig, ok := t.Source.(*types.ToolMemberToolSpec); ok {
					// Keep the fields this model does not own.
					merged := orig.Value
					merged.Name, merged.Description, merged.InputSchema, merged.Strict = spec.Name, spec.Description, spec.InputSchema, spec.Strict
					spec = merged
				}
				in.ToolConfig.Tools = append(in.ToolConfig.Tools, &types.ToolMemberToolSpec{Value: spec})
			case t.SystemTool != nil:
				in.ToolConfig.Tools = append(in.ToolConfig.Tools, &types.ToolMemberSystemTool{Value: types.SystemTool{Name: aws.String(t.SystemTool.Name)}})
			case t.CachePoint != nil:
				in.ToolConfig.Tools = append(in.ToolConfig.Tools, &types.ToolMemberCachePoint{Value: cachePointToSDK(t.CachePoint)})
			case t.Source != nil:
				src, ok := t.Source.(types.Tool)
				if !ok {
					return nil, fmt.Errorf("toolConfig.tools.%d: source %T is not an SDK tool", i, t.Source)
				}
				in.ToolConfig.Tools = append(in.ToolConfig.Tools, src)
			default:
				return nil, fmt.Errorf("toolConfig.tools.%d: no member set", i)
			}
		}
		if c := tc.ToolChoice; c != nil {
			switch {
			case c.Auto != nil:
				in.ToolConfig.ToolChoice = &types.ToolChoiceMemberAuto{}
			case c.Any != nil:
				in.ToolConfig.ToolChoice = &types.ToolChoiceMemberAny{}
			case c.Tool != nil:
				in.ToolConfig.ToolChoice = &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(c.Tool.Name)}}
			}
		}
	}
	if g := r.GuardrailConfig; g != nil {
		in.GuardrailConfig = &types.GuardrailConfiguration{
			GuardrailIdentifier: aws.String(g.GuardrailIdentifier),
			GuardrailVersion:    aws.String(g.GuardrailVersion),
			Trace:               types.GuardrailTrace(g.Trace),
		}
	}
	if r.AdditionalModelRequestFields != nil {
		d, err := docFromJSON(r.AdditionalModelRequestFields)
		if err != nil {
			return nil, fmt.Errorf("additionalModelRequestFields: %w", err)
		}
		in.AdditionalModelRequestFields = d
	}
	if p := r.PerformanceConfig; p != nil {
		in.PerformanceConfig = &types.PerformanceConfiguration{Latency: types.PerformanceConfigLatency(p.Latency)}
	}
	if t := r.ServiceTier; t != nil {
		in.ServiceTier = &types.ServiceTier{Type: types.ServiceTierType(t.Type)}
	}
	if o := r.OutputConfig; o != nil {
		in.OutputConfig = outputConfigToSDK(o)
	}
	return in, nil
}

func outputConfigToSDK(o *OutputConfig) *types.OutputConfig {
	out := &types.OutputConfig{}
	if o.Effort != "" {
		out.Effort = aws.String(o.Effort)
	}
	if f := o.TextFormat; f != nil {
		tf := &types.OutputFormat{Type: types.OutputFormatType(f.Type)}
		if s := f.Structure.JSONSchema; s != nil {
			d := types.JsonSchemaDefinition{Schema: aws.String(s.Schema)}
			if s.Name != "" {
				d.Name = aws.String(s.Name)
			}
			if s.Description != "" {
				d.Description = aws.String(s.Description)
			}
			tf.Structure = &types.OutputFormatStructureMemberJsonSchema{Value: d}
		}
		out.TextFormat = tf
	}
	return out
}

func outputConfigFromSDK(o *types.OutputConfig) *OutputConfig {
	out := &OutputConfig{Effort: aws.ToString(o.Effort)}
	if f := o.TextFormat; f != nil {
		out.TextFormat = &OutputFormat{Type: string(f.Type)}
		if s, ok := f.Structure.(*types.OutputFormatStructureMemberJsonSchema); ok {
			out.TextFormat.Structure.JSONSchema = &JSONSchemaDefinition{
				Schema: aws.ToString(s.Value.Schema), Name: aws.ToString(s.Value.Name), Description: aws.ToString(s.Value.Description),
			}
		}
	}
	return out
}

// ToSDKStream converts r into the SDK's ConverseStream input for a call
// to modelID.
func (r *Request) ToSDKStream(modelID string) (*bedrockruntime.ConverseStreamInput, error) {
	in, err := r.ToSDK(modelID)
	if err != nil {
		return nil, err
	}
	out := &bedrockruntime.ConverseStreamInput{
		ModelId: in.ModelId, Messages: in.Messages, System: in.System,
		InferenceConfig: in.InferenceConfig, ToolConfig: in.ToolConfig,
		AdditionalModelRequestFields:      in.AdditionalModelRequestFields,
		AdditionalModelResponseFieldPaths: in.AdditionalModelResponseFieldPaths,
		RequestMetadata:                   in.RequestMetadata,
		PerformanceConfig:                 in.PerformanceConfig,
		ServiceTier:                       in.ServiceTier,
		OutputConfig:                      in.OutputConfig,
	}
	if g := in.GuardrailConfig; g != nil {
		out.GuardrailConfig = &types.GuardrailStreamConfiguration{
			GuardrailIdentifier: g.GuardrailIdentifier, GuardrailVersion: g.GuardrailVersion, Trace: g.Trace,
		}
	}
	return out, nil
}

// RequestFromSDK converts the SDK's input back into a [Request].
func RequestFromSDK(in *bedrockruntime.ConverseInput) (*Request, error) {
	r := &Request{
		AdditionalModelResponseFieldPaths: in.AdditionalModelResponseFieldPaths,
		RequestMetadata:                   in.RequestMetadata,
	}
	var err error
	if r.Messages, err = MessagesFromSDK(in.Messages); err != nil {
		return nil, err
	}
	for i, s := range in.System {
		switch v := s.(type) {
		case *types.SystemContentBlockMemberText:
			r.System = append(r.System, SystemBlock{Text: aws.String(v.Value), Source: s})
		case *types.SystemContentBlockMemberCachePoint:
			r.System = append(r.System, SystemBlock{CachePoint: cachePointFromSDK(v.Value), Source: s})
		case nil:
			return nil, fmt.Errorf("system.%d: nil block", i)
		default:
			r.System = append(r.System, SystemBlock{Source: s})
		}
	}
	if ic := in.InferenceConfig; ic != nil {
		r.InferenceConfig = &InferenceConfig{StopSequences: ic.StopSequences}
		if ic.MaxTokens != nil {
			n := int(*ic.MaxTokens)
			r.InferenceConfig.MaxTokens = &n
		}
		if ic.Temperature != nil {
			v := float64(*ic.Temperature)
			r.InferenceConfig.Temperature = &v
		}
		if ic.TopP != nil {
			v := float64(*ic.TopP)
			r.InferenceConfig.TopP = &v
		}
	}
	if tc := in.ToolConfig; tc != nil {
		r.ToolConfig = &ToolConfig{Tools: []Tool{}}
		for i, t := range tc.Tools {
			switch v := t.(type) {
			case *types.ToolMemberToolSpec:
				spec := &ToolSpec{Name: aws.ToString(v.Value.Name), Description: aws.ToString(v.Value.Description)}
				if v.Value.Strict != nil {
					spec.Strict = aws.Bool(*v.Value.Strict)
				}
				if s, ok := v.Value.InputSchema.(*types.ToolInputSchemaMemberJson); ok {
					if spec.InputSchema.JSON, err = docToJSON(s.Value); err != nil {
						return nil, fmt.Errorf("toolConfig.tools.%d: %w", i, err)
					}
				}
				r.ToolConfig.Tools = append(r.ToolConfig.Tools, Tool{ToolSpec: spec, Source: t})
			case *types.ToolMemberSystemTool:
				r.ToolConfig.Tools = append(r.ToolConfig.Tools, Tool{SystemTool: &SystemTool{Name: aws.ToString(v.Value.Name)}, Source: t})
			case *types.ToolMemberCachePoint:
				r.ToolConfig.Tools = append(r.ToolConfig.Tools, Tool{CachePoint: cachePointFromSDK(v.Value), Source: t})
			case nil:
				return nil, fmt.Errorf("toolConfig.tools.%d: nil tool", i)
			default:
				r.ToolConfig.Tools = append(r.ToolConfig.Tools, Tool{Source: t})
			}
		}
		switch v := tc.ToolChoice.(type) {
		case *types.ToolChoiceMemberAuto:
			r.ToolConfig.ToolChoice = &ToolChoice{Auto: &struct{}{}}
		case *types.ToolChoiceMemberAny:
			r.ToolConfig.ToolChoice = &ToolChoice{Any: &struct{}{}}
		case *types.ToolChoiceMemberTool:
			r.ToolConfig.ToolChoice = &ToolChoice{Tool: &ToolChoiceTool{Name: aws.ToString(v.Value.Name)}}
		}
	}
	if g := in.GuardrailConfig; g != nil {
		r.GuardrailConfig = &GuardrailConfig{
			GuardrailIdentifier: aws.ToString(g.GuardrailIdentifier),
			GuardrailVersion:    aws.ToString(g.GuardrailVersion),
			Trace:               string(g.Trace),
		}
	}
	if in.AdditionalModelRequestFields != nil {
		if r.AdditionalModelRequestFields, err = docToJSON(in.AdditionalModelRequestFields); err != nil {
			return nil, fmt.Errorf("additionalModelRequestFields: %w", err)
		}
	}
	if p := in.PerformanceConfig; p != nil {
		r.PerformanceConfig = &PerformanceConfig{Latency: string(p.Latency)}
	}
	if t := in.ServiceTier; t != nil {
		r.ServiceTier = &ServiceTier{Type: string(t.Type)}
	}
	if o := in.OutputConfig; o != nil {
		r.OutputConfig = outputConfigFromSDK(o)
	}
	return r, nil
}

// MessagesToSDK converts messages into the SDK's types.
func MessagesToSDK(ms []Message) ([]types.Message, error) {
	out := make([]types.Message, 0, len(ms))
	for i, m := range ms {
		sm := types.Message{Role: types.ConversationRole(m.Role)}
		for j := range m.Content {
			b, err := blockToSDK(&m.Content[j])
			if err != nil {
				return nil, fmt.Errorf("messages.%d.content.%d: %w", i, j, err)
			}
			sm.Content = append(sm.Content, b)
		}
		out = append(out, sm)
	}
	return out, nil
}

// MessagesFromSDK converts the SDK's messages into [Message] values.
func MessagesFromSDK(ms []types.Message) ([]Message, error) {
	out := make([]Message, 0, len(ms))
	for i, sm := range ms {
		m := Message{Role: Role(sm.Role), Content: make([]ContentBlock, 0, len(sm.Content))}
		for j, b := range sm.Content {
			cb, err := blockFromSDK(b)
			if err != nil {
				return nil, fmt.Errorf("messages.%d.content.%d: %w", i, j, err)
			}
			m.Content = append(m.Content, cb)
		}
		out = append(out, m)
	}
	return out, nil
}

// blockToSDK converts b, reusing its Source: as it is when b is
// unchanged, as the base for the owned fields otherwise.
func blockToSDK(b *ContentBlock) (types.ContentBlock, error) {
	if b.Source == nil {
		return freshBlockToSDK(b)
	}
	orig, ok := b.Source.(types.ContentBlock)
	if !ok {
		return nil, fmt.Errorf("source %T is not an SDK content block", b.Source)
	}
	if b.Kind() == "" {
		return orig, nil
	}
	if t, ok := orig.(*types.ContentBlockMemberText); ok && b.Text != nil && *b.Text == t.Value {
		return orig, nil // the common case, without a round trip
	}
	if proj, err := blockFromSDK(orig); err == nil && equalBlock(&proj, b) {
		return orig, nil
	}
	fresh, err := freshBlockToSDK(b)
	if err != nil {
		return nil, err
	}
	return mergeBlock(orig, fresh), nil
}

// mergeBlock keeps what orig holds beyond the fields this model owns,
// when fresh is the same member: a tool use's or a tool result's type
// where fresh sets none (a Claude answer's "tool_use"), a tool result's
// "success" status, a document's citations and context.
func mergeBlock(orig, fresh types.ContentBlock) types.ContentBlock {
	switch f := fresh.(type) {
	case *types.ContentBlockMemberToolUse:
		if o, ok := orig.(*types.ContentBlockMemberToolUse); ok {
			v := o.Value
			v.ToolUseId, v.Name, v.Input = f.Value.ToolUseId, f.Value.Name, f.Value.Input
			if f.Value.Type != "" {
				v.Type = f.Value.Type
			}
			return &types.ContentBlockMemberToolUse{Value: v}
		}
	case *types.ContentBlockMemberToolResult:
		if o, ok := orig.(*types.ContentBlockMemberToolResult); ok {
			v := o.Value
			v.ToolUseId, v.Content = f.Value.ToolUseId, f.Value.Content
			if f.Value.Type != nil {
				v.Type = f.Value.Type
			}
			if (v.Status == types.ToolResultStatusError) != (f.Value.Status == types.ToolResultStatusError) {
				v.Status = f.Value.Status
			}
			return &types.ContentBlockMemberToolResult{Value: v}
		}
	case *types.ContentBlockMemberDocument:
		if o, ok := orig.(*types.ContentBlockMemberDocument); ok {
			return &types.ContentBlockMemberDocument{Value: mergeDocument(o.Value, f.Value)}
		}
	case *types.ContentBlockMemberImage:
		if o, ok := orig.(*types.ContentBlockMemberImage); ok {
			return &types.ContentBlockMemberImage{Value: mergeImage(o.Value, f.Value)}
		}
	}
	return fresh
}

func mergeDocument(orig, fresh types.DocumentBlock) types.DocumentBlock {
	v := orig
	v.Name, v.Format = fresh.Name, fresh.Format
	if o, err := documentFromSDK(orig); err != nil || !sameJSON(o.Source, mustDocument(fresh).Source) {
		v.Source = fresh.Source
	}
	return v
}

func mustDocument(d types.DocumentBlock) *DocumentBlock {
	out, err := documentFromSDK(d)
	if err != nil {
		return &DocumentBlock{}
	}
	return out
}

func mergeImage(orig, fresh types.ImageBlock) types.ImageBlock {
	v := orig
	v.Format = fresh.Format
	o, err1 := imageFromSDK(orig)
	f, err2 := imageFromSDK(fresh)
	if err1 != nil || err2 != nil || !sameJSON(o.Source, f.Source) {
		v.Source = fresh.Source
	}
	return v
}

// sameTool reports whether t is what orig converts to.
func sameTool(orig types.Tool, t Tool) bool {
	if t.ToolSpec == nil && t.SystemTool == nil && t.CachePoint == nil {
		return true
	}
	proj, err := RequestFromSDK(&bedrockruntime.ConverseInput{ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{orig}}})
	return err == nil && sameJSON(proj.ToolConfig.Tools[0], t)
}

// equalBlock reports whether a and b have the same wire form, field by
// field (Source is not part of it).
func equalBlock(a, b *ContentBlock) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch {
	case a.Text != nil:
		return *a.Text == *b.Text
	case a.Image != nil:
		return equalImage(a.Image, b.Image)
	case a.Document != nil:
		return equalDocument(a.Document, b.Document)
	case a.ToolUse != nil:
		return a.ToolUse.ToolUseID == b.ToolUse.ToolUseID && a.ToolUse.Name == b.ToolUse.Name && a.ToolUse.Type == b.ToolUse.Type && bytes.Equal(a.ToolUse.Input, b.ToolUse.Input)
	case a.ToolResult != nil:
		x, y := a.ToolResult, b.ToolResult
		if x.ToolUseID != y.ToolUseID || x.Status != y.Status || x.Type != y.Type || len(x.Content) != len(y.Content) {
			return false
		}
		for i := range x.Content {
			if !equalResultContent(&x.Content[i], &y.Content[i]) {
				return false
			}
		}
		return true
	case a.ReasoningContent != nil:
		x, y := a.ReasoningContent, b.ReasoningContent
		if (x.ReasoningText == nil) != (y.ReasoningText == nil) {
			return false
		}
		return bytes.Equal(x.RedactedContent, y.RedactedContent) && (x.ReasoningText == nil || *x.ReasoningText == *y.ReasoningText)
	case a.CachePoint != nil:
		return *a.CachePoint == *b.CachePoint
	}
	return sameJSON(a, b)
}

func equalResultContent(a, b *ToolResultContent) bool {
	switch {
	case a.Text != nil:
		return b.Text != nil && *a.Text == *b.Text
	case a.JSON != nil:
		return b.JSON != nil && bytes.Equal(a.JSON, b.JSON)
	case a.Image != nil:
		return b.Image != nil && equalImage(a.Image, b.Image)
	case a.Document != nil:
		return b.Document != nil && equalDocument(a.Document, b.Document)
	}
	return sameJSON(a, b)
}

func equalImage(a, b *ImageBlock) bool {
	return a.Format == b.Format && equalSource(&a.Source, &b.Source)
}

func equalDocument(a, b *DocumentBlock) bool {
	return a.Name == b.Name && a.Format == b.Format && a.Context == b.Context && equalSource(&a.Source, &b.Source) &&
		(a.Citations == nil) == (b.Citations == nil) && (a.Citations == nil || *a.Citations == *b.Citations)
}

func equalSource(a, b *MediaSource) bool {
	if (a.S3Location == nil) != (b.S3Location == nil) || (a.Text == nil) != (b.Text == nil) || len(a.Content) != len(b.Content) || (a.Content == nil) != (b.Content == nil) {
		return false
	}
	for i := range a.Content {
		x, y := a.Content[i].Text, b.Content[i].Text
		if (x == nil) != (y == nil) || x != nil && *x != *y {
			return false
		}
	}
	return bytes.Equal(a.Bytes, b.Bytes) && (a.S3Location == nil || *a.S3Location == *b.S3Location) && (a.Text == nil || *a.Text == *b.Text)
}

// sameJSON reports whether a and b have the same wire form; Source
// fields are not part of it.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func freshBlockToSDK(b *ContentBlock) (types.ContentBlock, error) {
	switch {
	case b.Text != nil:
		return &types.ContentBlockMemberText{Value: *b.Text}, nil
	case b.Image != nil:
		img, err := imageToSDK(b.Image)
		if err != nil {
			return nil, err
		}
		return &types.ContentBlockMemberImage{Value: img}, nil
	case b.Document != nil:
		d, err := documentToSDK(b.Document)
		if err != nil {
			return nil, err
		}
		return &types.ContentBlockMemberDocument{Value: d}, nil
	case b.ToolUse != nil:
		in, err := docFromJSON(b.ToolUse.Input)
		if err != nil {
			return nil, fmt.Errorf("toolUse.input: %w", err)
		}
		return &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
			ToolUseId: aws.String(b.ToolUse.ToolUseID), Name: aws.String(b.ToolUse.Name), Input: in,
			Type: types.ToolUseType(b.ToolUse.Type),
		}}, nil
	case b.ToolResult != nil:
		tr := types.ToolResultBlock{
			ToolUseId: aws.String(b.ToolResult.ToolUseID),
			Status:    types.ToolResultStatus(b.ToolResult.Status),
			Content:   []types.ToolResultContentBlock{},
		}
		if b.ToolResult.Type != "" {
			tr.Type = aws.String(b.ToolResult.Type)
		}
		for k, c := range b.ToolResult.Content {
			sc, err := toolResultContentToSDK(c)
			if err != nil {
				return nil, fmt.Errorf("toolResult.content.%d: %w", k, err)
			}
			tr.Content = append(tr.Content, sc)
		}
		return &types.ContentBlockMemberToolResult{Value: tr}, nil
	case b.ReasoningContent != nil:
		rc := b.ReasoningContent
		if rc.ReasoningText != nil {
			rt := types.ReasoningTextBlock{Text: aws.String(rc.ReasoningText.Text)}
			if rc.ReasoningText.Signature != "" {
				rt.Signature = aws.String(rc.ReasoningText.Signature)
			}
			return &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{Value: rt}}, nil
		}
		return &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberRedactedContent{Value: rc.RedactedContent}}, nil
	case b.CachePoint != nil:
		return &types.ContentBlockMemberCachePoint{Value: cachePointToSDK(b.CachePoint)}, nil
	case b.SearchResult != nil:
		v, err := searchResultToSDK(b.SearchResult)
		if err != nil {
			return nil, err
		}
		return &types.ContentBlockMemberSearchResult{Value: v}, nil
	case b.CitationsContent != nil:
		v, err := citationsContentToSDK(b.CitationsContent)
		if err != nil {
			return nil, err
		}
		return &types.ContentBlockMemberCitationsContent{Value: v}, nil
	}
	return nil, fmt.Errorf("content block %q is not supported by the SDK conversion", b.Kind())
}

// blockFromSDK converts b and records it as the result's Source. A
// member this model does not have becomes a block with only its Source.
func blockFromSDK(b types.ContentBlock) (ContentBlock, error) {
	cb, err := convertBlockFromSDK(b)
	cb.Source = b
	return cb, err
}

func convertBlockFromSDK(b types.ContentBlock) (ContentBlock, error) {
	switch v := b.(type) {
	case *types.ContentBlockMemberText:
		return TextBlock(v.Value), nil
	case *types.ContentBlockMemberImage:
		img, err := imageFromSDK(v.Value)
		if err != nil {
			return ContentBlock{}, nil // a source this model lacks: pass it through
		}
		return ContentBlock{Image: img}, nil
	case *types.ContentBlockMemberDocument:
		d, err := documentFromSDK(v.Value)
		if err != nil {
			return ContentBlock{}, nil
		}
		return ContentBlock{Document: d}, nil
	case *types.ContentBlockMemberToolUse:
		in, err := docToJSON(v.Value.Input)
		if err != nil {
			return ContentBlock{}, fmt.Errorf("toolUse.input: %w", err)
		}
		return ContentBlock{ToolUse: &ToolUseBlock{
			ToolUseID: aws.ToString(v.Value.ToolUseId), Name: aws.ToString(v.Value.Name), Input: in,
			Type: string(v.Value.Type),
		}}, nil
	case *types.ContentBlockMemberToolResult:
		tr := &ToolResultBlock{
			ToolUseID: aws.ToString(v.Value.ToolUseId),
			Status:    string(v.Value.Status),
			Type:      aws.ToString(v.Value.Type),
			Content:   make([]ToolResultContent, 0, len(v.Value.Content)),
		}
		for k, c := range v.Value.Content {
			rc, err := toolResultContentFromSDK(c)
			if err != nil {
				return ContentBlock{}, fmt.Errorf("toolResult.content.%d: %w", k, err)
			}
			tr.Content = append(tr.Content, rc)
		}
		return ContentBlock{ToolResult: tr}, nil
	case *types.ContentBlockMemberReasoningContent:
		switch r := v.Value.(type) {
		case *types.ReasoningContentBlockMemberReasoningText:
			return ContentBlock{ReasoningContent: &ReasoningContent{ReasoningText: &ReasoningText{
				Text: aws.ToString(r.Value.Text), Signature: aws.ToString(r.Value.Signature),
			}}}, nil
		case *types.ReasoningContentBlockMemberRedactedContent:
			return ContentBlock{ReasoningContent: &ReasoningContent{RedactedContent: r.Value}}, nil
		}
		return ContentBlock{}, nil
	case *types.ContentBlockMemberCachePoint:
		return ContentBlock{CachePoint: cachePointFromSDK(v.Value)}, nil
	case nil:
		return ContentBlock{}, fmt.Errorf("nil content block")
	}
	return ContentBlock{}, nil
}

func toolResultContentToSDK(c ToolResultContent) (types.ToolResultContentBlock, error) {
	if c.Source == nil {
		return freshToolResultContentToSDK(c)
	}
	orig, ok := c.Source.(types.ToolResultContentBlock)
	if !ok {
		return nil, fmt.Errorf("source %T is not an SDK tool result content block", c.Source)
	}
	if c.Text == nil && c.JSON == nil && c.Image == nil && c.Document == nil {
		return orig, nil
	}
	if proj, err := toolResultContentFromSDK(orig); err == nil && equalResultContent(&proj, &c) {
		return orig, nil
	}
	fresh, err := freshToolResultContentToSDK(c)
	if err != nil {
		return nil, err
	}
	switch f := fresh.(type) {
	case *types.ToolResultContentBlockMemberDocument:
		if o, ok := orig.(*types.ToolResultContentBlockMemberDocument); ok {
			return &types.ToolResultContentBlockMemberDocument{Value: mergeDocument(o.Value, f.Value)}, nil
		}
	case *types.ToolResultContentBlockMemberImage:
		if o, ok := orig.(*types.ToolResultContentBlockMemberImage); ok {
			return &types.ToolResultContentBlockMemberImage{Value: mergeImage(o.Value, f.Value)}, nil
		}
	}
	return fresh, nil
}

func freshToolResultContentToSDK(c ToolResultContent) (types.ToolResultContentBlock, error) {
	switch {
	case c.Text != nil:
		return &types.ToolResultContentBlockMemberText{Value: *c.Text}, nil
	case c.JSON != nil:
		d, err := docFromJSON(c.JSON)
		if err != nil {
			return nil, fmt.Errorf("json: %w", err)
		}
		return &types.ToolResultContentBlockMemberJson{Value: d}, nil
	case c.Image != nil:
		img, err := imageToSDK(c.Image)
		return &types.ToolResultContentBlockMemberImage{Value: img}, err
	case c.Document != nil:
		d, err := documentToSDK(c.Document)
		return &types.ToolResultContentBlockMemberDocument{Value: d}, err
	case c.SearchResult != nil:
		v, err := searchResultToSDK(c.SearchResult)
		return &types.ToolResultContentBlockMemberSearchResult{Value: v}, err
	}
	return nil, fmt.Errorf("no member set")
}

func toolResultContentFromSDK(c types.ToolResultContentBlock) (ToolResultContent, error) {
	out, err := convertToolResultContentFromSDK(c)
	out.Source = c
	return out, err
}

func convertToolResultContentFromSDK(c types.ToolResultContentBlock) (ToolResultContent, error) {
	switch v := c.(type) {
	case *types.ToolResultContentBlockMemberText:
		return ToolResultContent{Text: aws.String(v.Value)}, nil
	case *types.ToolResultContentBlockMemberJson:
		j, err := docToJSON(v.Value)
		return ToolResultContent{JSON: j}, err
	case *types.ToolResultContentBlockMemberImage:
		img, err := imageFromSDK(v.Value)
		if err != nil {
			return ToolResultContent{}, nil
		}
		return ToolResultContent{Image: img}, nil
	case *types.ToolResultContentBlockMemberDocument:
		d, err := documentFromSDK(v.Value)
		if err != nil {
			return ToolResultContent{}, nil
		}
		return ToolResultContent{Document: d}, nil
	case nil:
		return ToolResultContent{}, fmt.Errorf("nil tool result content")
	}
	return ToolResultContent{}, nil
}

func imageToSDK(img *ImageBlock) (types.ImageBlock, error) {
	out := types.ImageBlock{Format: types.ImageFormat(img.Format)}
	switch {
	case img.Source.S3Location != nil:
		out.Source = &types.ImageSourceMemberS3Location{Value: s3ToSDK(img.Source.S3Location)}
	default:
		out.Source = &types.ImageSourceMemberBytes{Value: img.Source.Bytes}
	}
	return out, nil
}

func imageFromSDK(img types.ImageBlock) (*ImageBlock, error) {
	out := &ImageBlock{Format: string(img.Format)}
	switch s := img.Source.(type) {
	case *types.ImageSourceMemberBytes:
		out.Source.Bytes = s.Value
	case *types.ImageSourceMemberS3Location:
		out.Source.S3Location = s3FromSDK(s.Value)
	default:
		return nil, fmt.Errorf("unsupported image source %T", img.Source)
	}
	return out, nil
}

func documentToSDK(d *DocumentBlock) (types.DocumentBlock, error) {
	out := types.DocumentBlock{Name: aws.String(d.Name), Format: types.DocumentFormat(d.Format)}
	if d.Context != "" {
		out.Context = aws.String(d.Context)
	}
	if d.Citations != nil {
		out.Citations = &types.CitationsConfig{Enabled: aws.Bool(d.Citations.Enabled)}
	}
	switch {
	case d.Source.S3Location != nil:
		out.Source = &types.DocumentSourceMemberS3Location{Value: s3ToSDK(d.Source.S3Location)}
	case d.Source.Text != nil:
		out.Source = &types.DocumentSourceMemberText{Value: *d.Source.Text}
	case d.Source.Content != nil:
		chunks := make([]types.DocumentContentBlock, 0, len(d.Source.Content))
		for _, c := range d.Source.Content {
			if c.Text == nil {
				return out, fmt.Errorf("document %q: a content chunk without text", d.Name)
			}
			chunks = append(chunks, &types.DocumentContentBlockMemberText{Value: *c.Text})
		}
		out.Source = &types.DocumentSourceMemberContent{Value: chunks}
	default:
		out.Source = &types.DocumentSourceMemberBytes{Value: d.Source.Bytes}
	}
	return out, nil
}

func documentFromSDK(d types.DocumentBlock) (*DocumentBlock, error) {
	out := &DocumentBlock{Name: aws.ToString(d.Name), Format: string(d.Format), Context: aws.ToString(d.Context)}
	if d.Citations != nil {
		out.Citations = &CitationsConfig{Enabled: aws.ToBool(d.Citations.Enabled)}
	}
	switch s := d.Source.(type) {
	case *types.DocumentSourceMemberBytes:
		out.Source.Bytes = s.Value
	case *types.DocumentSourceMemberS3Location:
		out.Source.S3Location = s3FromSDK(s.Value)
	case *types.DocumentSourceMemberText:
		out.Source.Text = aws.String(s.Value)
	case *types.DocumentSourceMemberContent:
		out.Source.Content = make([]DocumentContent, 0, len(s.Value))
		for _, c := range s.Value {
			t, ok := c.(*types.DocumentContentBlockMemberText)
			if !ok {
				return nil, fmt.Errorf("unsupported document content chunk %T", c)
			}
			out.Source.Content = append(out.Source.Content, DocumentContent{Text: aws.String(t.Value)})
		}
	default:
		return nil, fmt.Errorf("unsupported document source %T", d.Source)
	}
	return out, nil
}

func s3ToSDK(l *S3Location) types.S3Location {
	out := types.S3Location{Uri: aws.String(l.URI)}
	if l.BucketOwner != "" {
		out.BucketOwner = aws.String(l.BucketOwner)
	}
	return out
}

func s3FromSDK(l types.S3Location) *S3Location {
	return &S3Location{URI: aws.ToString(l.Uri), BucketOwner: aws.ToString(l.BucketOwner)}
}

func systemToSDK(s SystemBlock) (types.SystemContentBlock, error) {
	if g, ok := s.Source.(*types.ContentBlockMemberGuardContent); ok && s.Text == nil && s.CachePoint == nil && s.GuardContent == nil {
		// A message's guard content, moved to the system field.
		return &types.SystemContentBlockMemberGuardContent{Value: g.Value}, nil
	}
	if orig, ok := s.Source.(types.SystemContentBlock); ok {
		if s.Text == nil && s.CachePoint == nil && s.GuardContent == nil {
			return orig, nil
		}
		if proj, err := RequestFromSDK(&bedrockruntime.ConverseInput{System: []types.SystemContentBlock{orig}}); err == nil && sameJSON(proj.System[0], s) {
			return orig, nil
		}
	}
	switch {
	case s.Text != nil:
		return &types.SystemContentBlockMemberText{Value: *s.Text}, nil
	case s.CachePoint != nil:
		return &types.SystemContentBlockMemberCachePoint{Value: cachePointToSDK(s.CachePoint)}, nil
	}
	return nil, fmt.Errorf("system block is not supported by the SDK conversion")
}

func cachePointToSDK(c *CachePoint) types.CachePointBlock {
	return types.CachePointBlock{Type: types.CachePointType(c.Type), Ttl: types.CacheTTL(c.TTL)}
}

func cachePointFromSDK(c types.CachePointBlock) *CachePoint {
	return &CachePoint{Type: string(c.Type), TTL: string(c.Ttl)}
}

// docFromJSON turns raw JSON into a smithy document. Numbers keep their
// exact text.
func docFromJSON(raw json.RawMessage) (document.Interface, error) {
	if raw == nil {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return document.NewLazyDocument(toSmithyNumbers(v)), nil
}

// docToJSON turns a smithy document back into JSON. Marshaling (rather
// than UnmarshalSmithyDocument) keeps numbers exact for documents built
// locally and for documents decoded from a response.
func docToJSON(d document.Interface) (json.RawMessage, error) {
	if d == nil {
		return nil, nil
	}
	b, err := d.MarshalSmithyDocument()
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}

func toSmithyNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		return smithydoc.Number(x)
	case map[string]any:
		for k, e := range x {
			x[k] = toSmithyNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = toSmithyNumbers(e)
		}
	}
	return v
}
