package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

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
