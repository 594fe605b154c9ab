package normalize

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// ConverseInput normalizes an AWS SDK Converse input: the same repairs as
// [Normalize], for an application that builds its requests with the SDK.
//
// It never modifies in. The result is a new input in which only the fields
// the normalizer owns can differ: Messages, System, ToolConfig and
// InferenceConfig, and in AdditionalModelRequestFields "thinking" (removed
// where the final turn does not start with its thinking, V-52; its
// budget_tokens raised to the least Anthropic takes, V-56), the schema
// of Claude's own output_config (V-30), and the members the family's
// provider refuses (another provider's fields, such as Nova's
// reasoningConfig for Claude, V-63), which are removed, and OutputConfig's
// JSON schema, without the keywords Claude refuses (V-30), its other
// members kept. Within them every block that
// needed no repair is the very value of the input; the other fields of a
// repaired block (a tool result's "success" status, a document's
// citations and context, a tool use's type) are kept. Every other field
// (ModelId, GuardrailConfig, the rest of AdditionalModelRequestFields,
// PromptVariables, RequestMetadata, PerformanceConfig, ServiceTier,
// and any the SDK adds later) is copied as it is.
//
// An input whose ModelId is a prompt ARN (Prompt management) comes back
// as it came, with an empty report: its messages are appended to the
// prompt's own turns, so they need not start with a user turn nor hold
// one at all.
//
// The family is opts.Family when it is named, else the family of
// in.ModelId (see [converse.FamilyOrDefault]). The error is an *[Error]
// when the repaired request still breaks the contract, and an
// [ErrUnsupportedInput] error when the input cannot be read (a nil block).
func ConverseInput(in *bedrockruntime.ConverseInput, opts Options) (*bedrockruntime.ConverseInput, Report, error) {
	if in == nil {
		return nil, Report{}, fmt.Errorf("%w: nil ConverseInput", ErrUnsupportedInput)
	}
	out := *in
	o, rep, err := normalizeOwned(aws.ToString(in.ModelId), owned{in.Messages, in.System, in.ToolConfig, in.InferenceConfig, in.AdditionalModelRequestFields, in.OutputConfig}, opts)
	if o != nil {
		out.Messages, out.System, out.ToolConfig, out.InferenceConfig, out.AdditionalModelRequestFields, out.OutputConfig = o.messages, o.system, o.toolConfig, o.inference, o.fields, o.output
	}
	return &out, rep, err
}

// ConverseStreamInput is [ConverseInput] for ConverseStream: the rules of
// a streaming call apply (opts.Stream is set).
func ConverseStreamInput(in *bedrockruntime.ConverseStreamInput, opts Options) (*bedrockruntime.ConverseStreamInput, Report, error) {
	if in == nil {
		return nil, Report{}, fmt.Errorf("%w: nil ConverseStreamInput", ErrUnsupportedInput)
	}
	out := *in
	opts.Stream = true
	o, rep, err := normalizeOwned(aws.ToString(in.ModelId), owned{in.Messages, in.System, in.ToolConfig, in.InferenceConfig, in.AdditionalModelRequestFields, in.OutputConfig}, opts)
	if o != nil {
		out.Messages, out.System, out.ToolConfig, out.InferenceConfig, out.AdditionalModelRequestFields, out.OutputConfig = o.messages, o.system, o.toolConfig, o.inference, o.fields, o.output
	}
	return &out, rep, err
}

// ErrUnsupportedInput marks an SDK input the normalizer cannot read.
var ErrUnsupportedInput = errors.New("normalize: unsupported input")

// owned are the SDK input fields the normalizer may rewrite.
type owned struct {
	messages   []types.Message
	system     []types.SystemContentBlock
	toolConfig *types.ToolConfiguration
	inference  *types.InferenceConfiguration
	// fields is read (thinking in it changes what the tool choice and
	// inference parameters may be), and written back where the build
	// rewrote it: thinking disabled (V-52) or its budget raised (V-56),
	// Claude's own output schema repaired (V-30), another provider's
	// fields removed (V-63).
	fields document.Interface
	// output is read (Claude refuses some keywords of its JSON schema,
	// V-30) and written back where the build dropped them.
	output *types.OutputConfig
}

// familyFor picks the target family: the one named in opts, else the
// model's.
func familyFor(modelID string, opts Options) converse.Family {
	if opts.Family.Name != "" {
		return opts.Family
	}
	return converse.FamilyOrDefault(modelID)
}

// requestFromOwned is the wire view of the owned fields.
func requestFromOwned(in owned) (*converse.Request, error) {
	req, err := converse.RequestFromSDK(&bedrockruntime.ConverseInput{
		Messages: in.messages, System: in.system, ToolConfig: in.toolConfig, InferenceConfig: in.inference,
		AdditionalModelRequestFields: in.fields, OutputConfig: in.output,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedInput, err)
	}
	if f := req.AdditionalModelRequestFields; len(f) > 0 && !isJSONObject(f) {
		// Fields that are not an object hold no thinking to read; they
		// go out as they came, and the service judges them.
		req.AdditionalModelRequestFields = nil
	}
	return req, nil
}

// promptARN matches the ARN of a prompt of Prompt management, of a
// version or not: the prompt alternative of Converse's
// ConversationalModelId pattern, with an id of any length (the service
// judges it).
var promptARN = regexp.MustCompile(`^arn:aws(-[a-z0-9-]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:prompt/[0-9a-zA-Z]+(:[0-9]+)?$`)

// isPromptARN reports whether modelID names a prompt of Prompt
// management. AWS (Converse API reference): with a prompt ARN, the
// messages field appends messages to the prompt's, promptVariables fill
// its variables, and additionalModelRequestFields, inferenceConfig,
// system and toolConfig are refused. The messages are the tail of a
// conversation the prompt opens: none, or one starting with the
// assistant, is not a broken history (V-1 does not apply).
func isPromptARN(modelID string) bool {
	return strings.HasPrefix(modelID, "arn:") && strings.Contains(modelID, ":prompt/") && promptARN.MatchString(modelID)
}

func normalizeOwned(modelID string, in owned, opts Options) (*owned, Report, error) {
	if isPromptARN(modelID) {
		return &in, Report{Changes: []Change{}}, nil
	}
	req, err := requestFromOwned(in)
	if err != nil {
		return nil, Report{}, err
	}
	opts.Family = familyFor(modelID, opts)
	// A plain, valid input is one the normalizer leaves as it is: skip it.
	validate := converse.Validate
	if opts.Stream {
		validate = converse.ValidateStream
	}
	if plainValid(req, opts.Family, opts.Stream) && validate(req, opts.Family) == nil {
		return &in, Report{Changes: []Change{}}, nil
	}
	h, err := history.FromRequest(modelID, req)
	if err != nil {
		return nil, Report{}, fmt.Errorf("%w: %v", ErrUnsupportedInput, err)
	}
	nreq, rep, fieldsChanged, nerr := normalizeFields(h, opts, nil)
	if tc := in.toolConfig; tc != nil && len(tc.Tools) == 0 {
		// The history holds no tools, and the request made from it no
		// toolConfig: the one that goes is reported, as the decoder
		// reports it for a Converse body.
		rep.add(-1, FieldDropped, "toolConfig dropped: it declares no tools, and Converse refuses an empty toolConfig.tools (V-12)")
	}
	if nerr != nil {
		var e *Error
		if errors.As(nerr, &e) {
			e.History = "Converse input for " + modelID
		}
	}
	if nerr == nil && len(rep.Changes) == 0 {
		// Nothing was changed (every change is reported): the input goes
		// out as it came, without converting the request back.
		return &in, rep, nil
	}
	out, err := ownedFromRequest(&nreq, in, fieldsChanged, nreq.OutputConfig != req.OutputConfig)
	if err != nil {
		return nil, rep, err
	}
	return out, rep, nerr
}

// ownedFromRequest converts the normalized request back, reusing the
// input's values wherever they are unchanged.
func ownedFromRequest(r *converse.Request, orig owned, fieldsChanged, outputChanged bool) (*owned, error) {
	sdk, err := r.ToSDK("")
	if err != nil {
		return nil, fmt.Errorf("normalize: converting the request back to the SDK: %w", err)
	}
	out := &owned{messages: sdk.Messages, system: sdk.System, toolConfig: sdk.ToolConfig, inference: sdk.InferenceConfig}
	if len(out.messages) == 0 && orig.messages != nil && len(r.Messages) == 0 {
		out.messages = orig.messages
	}
	if out.system == nil && orig.system != nil && len(orig.system) == 0 {
		out.system = orig.system
	}
	out.fields = orig.fields
	if fieldsChanged {
		out.fields = sdk.AdditionalModelRequestFields
	}
	out.output = orig.output
	if outputChanged {
		out.output = sdk.OutputConfig
	}
	out.toolConfig = mergeToolConfig(orig.toolConfig, out.toolConfig)
	out.inference = mergeInference(orig.inference, out.inference)
	return out, nil
}

// mergeToolConfig keeps the input's tool configuration where the
// normalized one is the same, and its other fields where it is not.
func mergeToolConfig(orig, norm *types.ToolConfiguration) *types.ToolConfiguration {
	if orig == nil || norm == nil {
		return norm
	}
	if reflect.DeepEqual(orig.Tools, norm.Tools) && sameChoice(orig.ToolChoice, norm.ToolChoice) {
		return orig
	}
	v := *orig
	v.Tools = norm.Tools
	if !sameChoice(orig.ToolChoice, norm.ToolChoice) {
		v.ToolChoice = norm.ToolChoice
	}
	return &v
}

func sameChoice(a, b types.ToolChoice) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case *types.ToolChoiceMemberAuto:
		_, ok := b.(*types.ToolChoiceMemberAuto)
		return ok
	case *types.ToolChoiceMemberAny:
		_, ok := b.(*types.ToolChoiceMemberAny)
		return ok
	case *types.ToolChoiceMemberTool:
		y, ok := b.(*types.ToolChoiceMemberTool)
		return ok && aws.ToString(x.Value.Name) == aws.ToString(y.Value.Name)
	}
	return false
}

// mergeInference keeps the input's inference configuration where the
// normalized values are the same, and its other fields where they are not.
func mergeInference(orig, norm *types.InferenceConfiguration) *types.InferenceConfiguration {
	if orig == nil {
		return norm
	}
	n := norm
	if n == nil {
		n = &types.InferenceConfiguration{}
	}
	if eqPtr(orig.MaxTokens, n.MaxTokens) && eqPtr(orig.Temperature, n.Temperature) && eqPtr(orig.TopP, n.TopP) && sameStops(orig.StopSequences, n.StopSequences) {
		return orig
	}
	v := *orig
	v.MaxTokens, v.Temperature, v.TopP = n.MaxTokens, n.Temperature, n.TopP
	if !sameStops(orig.StopSequences, n.StopSequences) {
		v.StopSequences = n.StopSequences
	}
	return &v
}

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func sameStops(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// isSDKVideo reports whether v, a part's Source, is an SDK video block,
// of a message or of a tool result.
func isSDKVideo(v any) bool {
	switch v.(type) {
	case *types.ContentBlockMemberVideo, *types.ToolResultContentBlockMemberVideo:
		return true
	}
	return false
}

// sdkVideo returns the format, S3 URI and bytes of v, an SDK video block
// of a message or of a tool result, or nothing for any other value.
func sdkVideo(v any) (format, uri string, data []byte) {
	var b types.VideoBlock
	switch x := v.(type) {
	case *types.ContentBlockMemberVideo:
		b = x.Value
	case *types.ToolResultContentBlockMemberVideo:
		b = x.Value
	default:
		return "", "", nil
	}
	switch src := b.Source.(type) {
	case *types.VideoSourceMemberS3Location:
		uri = aws.ToString(src.Value.Uri)
	case *types.VideoSourceMemberBytes:
		data = src.Value
	}
	return string(b.Format), uri, data
}

// isSDKToolSpec reports whether v, a tool's Source, is an SDK tool spec:
// one with an empty name is still a tool to name, not a tool of another
// kind to pass through.
func isSDKToolSpec(v any) bool {
	_, ok := v.(*types.ToolMemberToolSpec)
	return ok
}

// isSDKSystemSource reports whether v, an opaque part's Source, can be a
// system block: an SDK system block, or a message's guard content (a
// system block takes text, a cache point and guard content). Another
// block of a system message (audio, a search result) cannot.
func isSDKSystemSource(v any) bool {
	switch v.(type) {
	case types.SystemContentBlock, *types.ContentBlockMemberGuardContent:
		return true
	}
	return false
}
