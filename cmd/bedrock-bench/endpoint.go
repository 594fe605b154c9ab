package main

import (
	"context"
	"fmt"

	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// checkEndpoint validates an --endpoint URL.
func checkEndpoint(ep string) error { return checkURL("--endpoint", ep) }

// checkURL checks an endpoint flag's value is a URL of a scheme, host and
// port (replay.CheckEndpoint, which benchtest's -endpoint uses too).
func checkURL(flag, ep string) error {
	if err := replay.CheckEndpoint(ep); err != nil {
		return usagef("%s %q: %v", flag, ep, err)
	}
	return nil
}

// nothingListens is the error of a refused connection to a loopback
// --endpoint: the emulator was not started.
func nothingListens(endpoint string) error {
	return &envError{fmt.Sprintf("nothing listens at %s: start the emulator first (bedrock-bench emulate), or check --endpoint", endpoint)}
}

// probeLoopback fails, before any call, an --endpoint on the loopback
// interface where nothing listens, rather than letting each call fail on
// it after the SDK's retries.
func probeLoopback(ctx context.Context, endpoint string) error {
	if !replay.IsLoopback(endpoint) {
		return nil
	}
	if err := replay.Probe(ctx, endpoint); err != nil {
		return nothingListens(endpoint)
	}
	return nil
}
