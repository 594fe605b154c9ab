package explain

import (
	"context"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/middleware"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// Middleware returns a bedrockruntime option that explains every error
// the client returns: they become *Error values carrying the explanation
// and unwrapping to the SDK's error. The Region explained is the one each
// call went to, a per-call option's included.
//
//	client := bedrockruntime.NewFromConfig(cfg, explain.Middleware(nil))
func Middleware(cat *catalog.Catalog) func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ExplainBedrockErrors",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleInitialize(ctx, in)
					if err != nil {
						// The client resolves the call's options (a per-call
						// Region too) into the context before the stack runs.
						err = &Error{Err: err, Explanation: Explain(err, Context{Region: awsmiddleware.GetRegion(ctx), Model: modelOf(in.Parameters), Catalog: cat, Request: requestOf(in.Parameters)})}
					}
					return out, md, err
				}), middleware.Before)
		})
	}
}

func modelOf(params any) string {
	switch in := params.(type) {
	case *bedrockruntime.ConverseInput:
		return deref(in.ModelId)
	case *bedrockruntime.ConverseStreamInput:
		return deref(in.ModelId)
	case *bedrockruntime.InvokeModelInput:
		return deref(in.ModelId)
	case *bedrockruntime.InvokeModelWithResponseStreamInput:
		return deref(in.ModelId)
	}
	return ""
}

// requestOf is the Converse request of a Converse or ConverseStream
// input, or nil.
func requestOf(params any) *converse.Request {
	var in *bedrockruntime.ConverseInput
	switch p := params.(type) {
	case *bedrockruntime.ConverseInput:
		in = p
	case *bedrockruntime.ConverseStreamInput:
		in = &bedrockruntime.ConverseInput{Messages: p.Messages, System: p.System, ToolConfig: p.ToolConfig, InferenceConfig: p.InferenceConfig,
			OutputConfig: p.OutputConfig, AdditionalModelRequestFields: p.AdditionalModelRequestFields}
	default:
		return nil
	}
	r, err := converse.RequestFromSDK(in)
	if err != nil {
		return nil
	}
	return r
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
