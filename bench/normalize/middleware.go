package normalize

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// MiddlewareID is the id of the normalizing step in the SDK's Initialize
// stack.
const MiddlewareID = "NormalizeConverseHistory"

// ClientOptions tune [Client].
type ClientOptions struct {
	// Family, when named, is the target of every call; otherwise each
	// call's family comes from its model id.
	Family converse.Family
	// Report, if set, receives every Converse and ConverseStream call's
	// report, also when it is empty, for logs and metrics. It runs on the
	// calling goroutine, before the call is sent. Its ctx holds the call's
	// values (a logger, a trace span) but not its cancellation or deadline
	// ([context.WithoutCancel]): the report describes an input already
	// built, and recording it is not undone because the caller gave up, so
	// a log or metric written with ctx is not dropped as "context
	// canceled". Keep it quick: it delays the call.
	Report func(ctx context.Context, modelID string, rep Report)
	// Strict sends inputs as they are and refuses, with a *[StrictError]
	// and without calling the service, an input that breaks the contract.
	// The Report callback still receives what the normalizer would have
	// repaired.
	Strict bool
}

// StrictError is the error of a call refused in strict mode.
type StrictError struct {
	// ModelID is the model the call was for.
	ModelID string
	// Violation is the first rule the input breaks, worded as the
	// service words it.
	Violation *converse.Violation
	// Report lists what the normalizer would have repaired.
	Report Report
}

func (e *StrictError) Error() string {
	return fmt.Sprintf("normalize (strict): the Converse input for %s breaks rule %s (%s): %s; %d repairs would make it valid",
		e.ModelID, e.Violation.Rule.ID, e.Violation.Rule.Name, e.Violation.Message, len(e.Report.Changes))
}

// Unwrap returns the violation, so errors.As finds the *converse.Violation.
func (e *StrictError) Unwrap() error { return e.Violation }

// Client returns a bedrockruntime client option that normalizes the input
// of every Converse and ConverseStream call before it is signed and sent,
// as [ConverseInput] does; other operations pass untouched. It is an
// Initialize-step middleware placed after the SDK's own steps there, so
// it composes with explain.Middleware, which then explains its errors
// too:
//
//	client := bedrockruntime.NewFromConfig(cfg,
//		normalize.Client(normalize.ClientOptions{Report: logReport}),
//		explain.Middleware(nil))
//
// Given more than once, as to the client and again to one call, the
// option runs once, as given last: a call's own normalize.Client (Strict,
// say) replaces the client's for that call.
//
// A call whose ModelId is a prompt ARN (Prompt management) is sent as
// it came, with an empty report, in strict mode too: its messages are
// appended to the prompt's own turns, so they need not start with a user
// turn nor hold one at all.
//
// A nil entry of a list (a content block, a system block, a tool, a tool
// result's content) is left out before the input is read, as the SDK
// leaves it out of the request it sends. A call whose input cannot be
// repaired fails with an *[Error] (a bug report for this package),
// without calling the service.
func Client(opts ClientOptions) func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			m := middleware.InitializeMiddlewareFunc(MiddlewareID,
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					params, err := opts.apply(ctx, in.Parameters)
					if err != nil {
						return middleware.InitializeOutput{}, middleware.Metadata{}, err
					}
					in.Parameters = params
					return next.HandleInitialize(ctx, in)
				})
			// Given again (to a call of a client that has it), the
			// option replaces the one before: the stack does not refuse
			// a second step of the same id, which would normalize the
			// input twice and report each call twice.
			if _, ok := stack.Initialize.Get(MiddlewareID); ok {
				_, err := stack.Initialize.Swap(MiddlewareID, m)
				return err
			}
			return stack.Initialize.Add(m, middleware.After)
		})
	}
}

// apply normalizes or checks one call's parameters.
func (opts *ClientOptions) apply(ctx context.Context, params any) (any, error) {
	var (
		model  string
		own    owned
		stream bool
	)
	switch in := params.(type) {
	case *bedrockruntime.ConverseInput:
		model, own = aws.ToString(in.ModelId), owned{in.Messages, in.System, in.ToolConfig, in.InferenceConfig, in.AdditionalModelRequestFields, in.OutputConfig}
	case *bedrockruntime.ConverseStreamInput:
		model, own, stream = aws.ToString(in.ModelId), owned{in.Messages, in.System, in.ToolConfig, in.InferenceConfig, in.AdditionalModelRequestFields, in.OutputConfig}, true
	default:
		return params, nil
	}
	if isPromptARN(model) {
		// The prompt's own turns come first, and the messages are
		// appended to them: the input is not a conversation to repair
		// or check, in strict mode either.
		if opts.Report != nil {
			opts.Report(context.WithoutCancel(ctx), model, Report{Changes: []Change{}})
		}
		return params, nil
	}
	own, compacted := withoutNils(own)
	o, rep, err := normalizeOwned(model, own, Options{Family: opts.Family, Stream: stream})
	if opts.Report != nil {
		opts.Report(context.WithoutCancel(ctx), model, rep)
	}
	if opts.Strict {
		req, rerr := requestFromOwned(own)
		if rerr != nil {
			return nil, rerr
		}
		validate := converse.Validate
		if stream {
			validate = converse.ValidateStream
		}
		var v *converse.Violation
		if errors.As(validate(req, familyFor(model, Options{Family: opts.Family})), &v) {
			return nil, &StrictError{ModelID: model, Violation: v, Report: rep}
		}
		if compacted {
			return withOwned(params, &own), nil
		}
		return params, nil
	}
	if err != nil {
		return nil, err
	}
	return withOwned(params, o), nil
}

// withOwned returns a copy of params, a Converse or ConverseStream
// input, with the owned fields of o.
func withOwned(params any, o *owned) any {
	switch in := params.(type) {
	case *bedrockruntime.ConverseInput:
		out := *in
		out.Messages, out.System, out.ToolConfig, out.InferenceConfig, out.AdditionalModelRequestFields, out.OutputConfig = o.messages, o.system, o.toolConfig, o.inference, o.fields, o.output
		return &out
	case *bedrockruntime.ConverseStreamInput:
		out := *in
		out.Messages, out.System, out.ToolConfig, out.InferenceConfig, out.AdditionalModelRequestFields, out.OutputConfig = o.messages, o.system, o.toolConfig, o.inference, o.fields, o.output
		return &out
	}
	return params
}

// withoutNils returns in without the nil entries of its lists of blocks,
// tools and tool result contents, which the SDK leaves out of the request
// it sends: a call holding one is the call without it. The lists that
// hold none are in's own; the others are new, so the caller's input is
// never modified. It reports whether anything was left out.
func withoutNils(in owned) (owned, bool) {
	changed := false
	var msgs []types.Message
	for i := range in.messages {
		content, ok := contentWithoutNils(in.messages[i].Content)
		if !ok {
			continue
		}
		if msgs == nil {
			msgs = slices.Clone(in.messages)
		}
		msgs[i].Content = content
		changed = true
	}
	if msgs != nil {
		in.messages = msgs
	}
	if slices.Contains(in.system, nil) {
		in.system = slices.DeleteFunc(slices.Clone(in.system), func(b types.SystemContentBlock) bool { return b == nil })
		changed = true
	}
	if tc := in.toolConfig; tc != nil && slices.Contains(tc.Tools, nil) {
		v := *tc
		v.Tools = slices.DeleteFunc(slices.Clone(tc.Tools), func(t types.Tool) bool { return t == nil })
		in.toolConfig = &v
		changed = true
	}
	return in, changed
}

// contentWithoutNils is [withoutNils] for one message's content; ok is
// false when the content holds no nil, and it is returned as it is.
func contentWithoutNils(content []types.ContentBlock) ([]types.ContentBlock, bool) {
	var out []types.ContentBlock
	for j, b := range content {
		var keep types.ContentBlock = b
		if tr, ok := b.(*types.ContentBlockMemberToolResult); ok && slices.Contains(tr.Value.Content, nil) {
			v := *tr
			v.Value.Content = slices.DeleteFunc(slices.Clone(tr.Value.Content), func(c types.ToolResultContentBlock) bool { return c == nil })
			keep = &v
		}
		if out == nil && (b == nil || keep != b) {
			out = append(make([]types.ContentBlock, 0, len(content)), content[:j]...)
		}
		if out != nil && keep != nil {
			out = append(out, keep)
		}
	}
	return out, out != nil
}
