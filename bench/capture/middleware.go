package capture

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
)

// WithCapture is a bedrockruntime client option that records every
// Converse and ConverseStream request body with r, and every InvokeModel
// and InvokeModelWithResponseStream body in the Anthropic Messages or
// Converse format (as the proxy does; other models' bodies are not
// histories):
//
//	client := bedrockruntime.NewFromConfig(cfg, capture.WithCapture(rec))
//
// It reads the serialized body before signing and never changes the
// request, blocks it or fails it.
func WithCapture(r *Recorder) func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, Middleware(r))
	}
}

// Middleware adds the capturing step to a client's middleware stack, for
// use in APIOptions.
func Middleware(r *Recorder) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Build.Add(middleware.BuildMiddlewareFunc("bedrock-bench/capture", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			capture(ctx, r, in.Request)
			return next.HandleBuild(ctx, in)
		}), middleware.After)
	}
}

// capture copies the body of a Converse, ConverseStream, InvokeModel or
// InvokeModelWithResponseStream request. Any problem is swallowed:
// capture must never fail the call.
func capture(ctx context.Context, r *Recorder, raw any) {
	defer func() { _ = recover() }()
	op := awsmiddleware.GetOperationName(ctx)
	switch op {
	case "Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream":
	default:
		return
	}
	req, ok := raw.(*smithyhttp.Request)
	if !ok || !req.IsStreamSeekable() {
		return
	}
	stream := req.GetStream()
	if stream == nil {
		return
	}
	body, err := io.ReadAll(io.LimitReader(stream, int64(r.opts.MaxBody)+1))
	if rerr := req.RewindStream(); rerr != nil {
		// Put the bytes back so the call goes on unchanged.
		if sr, err2 := req.SetStream(bytes.NewReader(body)); err2 == nil {
			*req = *sr
		}
	}
	if err != nil {
		return
	}
	src := ingest.Source{Origin: "capture-sdk", Operation: op, Region: awsmiddleware.GetRegion(ctx), Time: now()}
	src.Captured = src.Time[:10]
	if req.URL != nil {
		src.Model = modelFromPath(req.URL.EscapedPath())
	}
	format := history.FormatConverse
	if strings.HasPrefix(op, "Invoke") {
		if format = invokeFormat(body); format == "" {
			return
		}
		src.ServiceTier = ingest.InvokeTier(req.Header.Get(converse.ServiceTierHeader))
	}
	r.Record(format, body, src)
}

// invokeFormat is the format of an InvokeModel body the recorder keeps:
// Anthropic Messages or Converse; "" for any other.
func invokeFormat(body []byte) history.Format {
	if f, ok := ingest.DetectBody(body); ok && (f == history.FormatAnthropic || f == history.FormatConverse) {
		return f
	}
	return ""
}

// modelFromPath reads the model id from /model/{id}/converse[-stream].
func modelFromPath(p string) string {
	rest, ok := strings.CutPrefix(p, "/model/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	if u, err := url.PathUnescape(id); err == nil {
		return u
	}
	return id
}
