package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// emulatorCredentials signs calls to the bundled emulator.
var emulatorCredentials = emulator.DefaultCredentials.Provider()

// awsConfig loads the standard AWS configuration chain for region; with
// an endpoint and no credentials configured, it signs with the emulator's
// documented key pair.
func awsConfig(ctx context.Context, region, endpoint string) (aws.Config, error) {
	return replay.LoadConfig(ctx, region, endpoint, emulatorCredentials)
}

// checkCredentials retrieves cfg's credentials once, up front, for a
// command about to call AWS, as a recording under go test does
// (replay.CheckCredentials, within 20 seconds): with none, it is one
// line naming the cause and the fix (run is how to try the command on
// the bundled emulator instead), rather than the SDK's error on every
// call. A Bedrock API key in the environment stands in for them where
// bearerOK.
func checkCredentials(ctx context.Context, cfg aws.Config, bearerOK bool, run string) error {
	if err := replay.CheckCredentials(ctx, cfg, bearerOK); err != nil {
		return envf("%v; set AWS_PROFILE or AWS_ACCESS_KEY_ID, or %s", err, run)
	}
	return nil
}

// boundCalls gives every call of the clients made from cfg at most d,
// its retries included: a service that stops answering (a response that
// never starts, a body that stalls) fails the call with "no answer
// within D" instead of holding the command until Ctrl-C. For calls whose
// answer is read whole, as the control plane's and IAM's are; never for
// a stream, which would be cut when the call returns.
func boundCalls(cfg *aws.Config, d time.Duration) {
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("BedrockBenchCallTimeout",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				cctx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				out, md, err := next.HandleInitialize(cctx, in)
				if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
					err = fmt.Errorf("no answer within %s (allow longer with --timeout): %w", d, err)
				}
				return out, md, err
			}), middleware.Before)
	})
}
