package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

func runConverse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("converse", "converse --model ID [flags] [--history FILE | PROMPT...]", `  bedrock-bench converse --endpoint http://127.0.0.1:8787 --region us-east-1 --model us.amazon.nova-lite-v1:0 "Say hello"
  bedrock-bench converse --region eu-west-2 --model anthropic.claude-sonnet-4-6 --history histories/resume/sliding-window-openai.json
  bedrock-bench converse --region us-west-2 --model amazon.nova-pro-v1:0 --stream "Hi"     # real account, real Region
`, stderr)
	region := fs.String("region", "", "AWS Region (default: AWS_REGION or the shared config)")
	model := fs.String("model", "", "model id, inference profile id or ARN (required)")
	endpoint := fs.String("endpoint", "", "endpoint URL, e.g. the bundled emulator's; credentials default to its fake key pair")
	historyFile := fs.String("history", "", "send this history fixture instead of a prompt")
	raw := fs.Bool("raw", false, "send the history converted one to one, without the normalizer")
	stream := fs.Bool("stream", false, "use ConverseStream")
	timeout := fs.Duration("timeout", 60*time.Second, "give up on the call after this long")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *model == "" {
		return usagef("--model is required")
	}
	switch {
	case *historyFile != "" && fs.NArg() > 0:
		return usagef("give a prompt or --history FILE, not both (the prompt %q would be ignored)", strings.Join(fs.Args(), " "))
	case *raw && *historyFile == "":
		return usagef("--raw applies to --history: a prompt is sent as it is")
	case *timeout <= 0:
		return usagef("--timeout %s: want a positive duration such as 30s", *timeout)
	}
	if *endpoint != "" {
		if err := checkEndpoint(*endpoint); err != nil {
			return err
		}
	}
	var req converse.Request
	switch {
	case *historyFile != "":
		h, err := history.LoadFile("histories", *historyFile)
		if err != nil {
			return fileError("--history", *historyFile, err, "name one history fixture, such as histories/clean/simple-chat-openai.json")
		}
		if *raw {
			req = normalize.Naive(h)
		} else {
			var rep normalize.Report
			if req, rep, err = normalize.Normalize(h, normalize.Options{Family: converse.FamilyOrDefault(*model)}); err != nil {
				return err
			}
			for _, c := range rep.Changes {
				fmt.Fprintf(stderr, "normalized: %s\n", c)
			}
		}
	case fs.NArg() > 0:
		req.Messages = []converse.Message{{Role: converse.RoleUser, Content: []converse.ContentBlock{converse.TextBlock(strings.Join(fs.Args(), " "))}}}
	default:
		return usagef("give a prompt or --history FILE")
	}
	cfg, err := awsConfig(ctx, *region, *endpoint)
	if err != nil {
		return envf("AWS configuration: %v", firstLine(err.Error()))
	}
	if cfg.Region == "" {
		if *endpoint == "" || replay.IsAWS(*endpoint) {
			// As the SDK: no Region is chosen for the caller, whose
			// prompt would go there.
			return usagef("no Region: give --region, or set AWS_REGION or the profile's region")
		}
		cfg.Region = "us-east-1"
	}
	if *endpoint == "" {
		// As record: a call to AWS goes to a Region the catalog knows; a
		// newer one is reached by naming its endpoint.
		where := "--region"
		if *region == "" {
			where = "the AWS configuration's region (AWS_REGION or the profile's)"
		}
		if err := unknownRegion(where, cfg.Region, newerRuntimeRegion(cfg.Region)); err != nil {
			return err
		}
	}
	if *endpoint == "" || replay.IsAWS(*endpoint) {
		if err := checkCredentials(ctx, cfg, true, "try the bundled emulator: bedrock-bench emulate, then --endpoint http://127.0.0.1:8787"); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	var opts []func(*bedrockruntime.Options)
	if *endpoint != "" && replay.IsLoopback(*endpoint) {
		// The emulator: a Bedrock API key in the environment is not for it.
		opts = append(opts, replay.SigV4Only)
	}
	scheme := &schemeCheck{endpoint: *endpoint}
	opts = append(opts, scheme.noRetry)
	client := bedrockruntime.NewFromConfig(cfg, opts...)
	fail := func(err error) error {
		if m := scheme.mismatch(err); m != "" {
			return &envError{m}
		}
		return callFailure(err, explain.Context{Region: cfg.Region, Model: *model, Request: &req}, *endpoint, *timeout)
	}
	if *stream {
		in, err := req.ToSDKStream(*model)
		if err != nil {
			return err
		}
		return converseStream(ctx, client, in, stdout, fail)
	}
	in, err := req.ToSDK(*model)
	if err != nil {
		return err
	}
	out, err := client.Converse(ctx, in)
	if err != nil {
		return fail(err)
	}
	if msg, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		printBlocks(stdout, msg.Value.Content)
	}
	fmt.Fprintf(stdout, "\n[stop: %s, tokens in %d, out %d]\n", out.StopReason, aws.ToInt32(out.Usage.InputTokens), aws.ToInt32(out.Usage.OutputTokens))
	return nil
}

func converseStream(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseStreamInput, w io.Writer, fail func(error) error) error {
	out, err := c.ConverseStream(ctx, in)
	if err != nil {
		return fail(err)
	}
	stream := out.GetStream()
	defer stream.Close()
	// The stop line waits for the metadata event, which follows messageStop
	// and holds the usage, so it reads as a call's does.
	stop := ""
	// open: a line of the answer is written without its newline, which a
	// stream broken mid-answer ends before the error follows.
	open := false
	write := func(s string) {
		if s != "" {
			fmt.Fprint(w, s)
			open = !strings.HasSuffix(s, "\n")
		}
	}
	for ev := range stream.Events() {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			switch d := e.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberText:
				write(d.Value)
			case *types.ContentBlockDeltaMemberToolUse:
				write(aws.ToString(d.Value.Input))
			}
		case *types.ConverseStreamOutputMemberContentBlockStart:
			if tu, ok := e.Value.Start.(*types.ContentBlockStartMemberToolUse); ok {
				write(fmt.Sprintf("[tool call %s %s] ", aws.ToString(tu.Value.Name), aws.ToString(tu.Value.ToolUseId)))
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			stop = string(e.Value.StopReason)
		case *types.ConverseStreamOutputMemberMetadata:
			if stop != "" && e.Value.Usage != nil {
				write(fmt.Sprintf("\n[stop: %s, tokens in %d, out %d]\n", stop, aws.ToInt32(e.Value.Usage.InputTokens), aws.ToInt32(e.Value.Usage.OutputTokens)))
				stop = ""
			}
		}
	}
	if stop != "" {
		write(fmt.Sprintf("\n[stop: %s]\n", stop))
	}
	if err := stream.Err(); err != nil {
		if open {
			fmt.Fprintln(w)
		}
		return fail(err)
	}
	return nil
}

func printBlocks(w io.Writer, blocks []types.ContentBlock) {
	for _, b := range blocks {
		switch v := b.(type) {
		case *types.ContentBlockMemberText:
			fmt.Fprintln(w, v.Value)
		case *types.ContentBlockMemberToolUse:
			doc, _ := v.Value.Input.MarshalSmithyDocument()
			fmt.Fprintf(w, "[tool call %s %s] %s\n", aws.ToString(v.Value.Name), aws.ToString(v.Value.ToolUseId), doc)
		}
	}
}

// callFailure words a failed call. A service error is a finding (exit 1):
// the error code and message as the service sent them, then what it means
// (the explainer). A refused connection, a timeout or a DNS failure is an
// environment error (exit 2) with what to try.
func callFailure(err error, ectx explain.Context, endpoint string, timeout time.Duration) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := fmt.Sprintf("%s: %s", ae.ErrorCode(), ae.ErrorMessage())
		// An error the explainer does not know keeps its text alone: its
		// explanation would only repeat it (as explain.Error does).
		if x := explain.Explain(err, ectx); x.Kind != explain.Unknown || x.Fix != "" {
			msg += "\n" + x.String()
		}
		return &findingsError{msg}
	}
	var ne *net.OpError
	switch {
	case errors.Is(err, context.Canceled):
		// Ctrl-C: as lint, import and record say it.
		return &findingsError{"interrupted: no answer was awaited"}
	case errors.Is(err, context.DeadlineExceeded):
		return &envError{fmt.Sprintf("no answer within %s (--timeout)", timeout)}
	case errors.Is(err, syscall.ECONNREFUSED) && endpoint != "":
		return &envError{fmt.Sprintf("nothing listens at %s: start the emulator first (bedrock-bench emulate), or check --endpoint", endpoint)}
	case errors.As(err, &ne):
		return &envError{fmt.Sprintf("network error: %v", ne)}
	}
	return err
}
