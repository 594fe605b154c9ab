package replay

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// LoadConfig loads the standard AWS configuration chain (environment,
// shared config and credentials files, SSO, instance roles) for region,
// on the SDK's own HTTP client: credential traffic never goes through a
// recording. With an endpoint, calls go there, and when neither
// AWS_ACCESS_KEY_ID nor AWS_PROFILE is set, fallback signs them (the
// emulator's documented key pair, say).
func LoadConfig(ctx context.Context, region, endpoint string, fallback aws.CredentialsProvider) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if endpoint != "" && fallback != nil && os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		opts = append(opts, config.WithCredentialsProvider(fallback))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, err
	}
	if endpoint != "" {
		cfg.BaseEndpoint = aws.String(endpoint)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return cfg, nil
}
