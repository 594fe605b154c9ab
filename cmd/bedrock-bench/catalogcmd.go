package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/catalog/refresh"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
	"github.com/bedrock-bench/bedrock-bench/internal/atomicfile"
)

// catalogRetryAttempts is how many times each control-plane call is tried:
// a refresh makes two or more calls per Region in a row, and the adaptive
// retryer backs off on throttling rather than failing the Region.
const catalogRetryAttempts = 10

func runCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("catalog", "catalog --out FILE [--region R ...] [--base FILE] [--endpoint URL] [--timeout D]", `  AWS_PROFILE=prod bedrock-bench catalog --out catalog.json              # the embedded catalog's Regions
  AWS_PROFILE=prod bedrock-bench catalog --out catalog.json --region us-east-1 --region eu-west-1
  bedrock-bench emulate --catalog catalog.json
  bedrock-bench catalog --endpoint http://127.0.0.1:8787 --out -           # from the bundled emulator
`, stderr)
	out := fs.String("out", "", "file to write the catalog to, atomically (required; - for standard output)")
	regions := fs.StringArray("region", nil, "a Region to read (repeatable; default: the base catalog's Regions)")
	baseFile := fs.String("base", "", "catalog whose hand-kept fields (prompt caching, output limits, context windows, sources, service tiers, retired models) are carried over (default: the embedded one)")
	endpoint := fs.String("endpoint", "", "Bedrock control-plane endpoint (the emulator's); credentials default to its fake key pair")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up on a call not answered after this long, its retries included")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("--timeout %s: want a positive duration such as 5m", *timeout)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q: catalog takes flags only", fs.Arg(0))
	}
	if *out == "" {
		return usagef("--out is required: the file to write the catalog to (- for standard output)")
	}
	// Checked before the Regions are read, which takes minutes: a folder
	// or a path under a file would otherwise fail only at the end.
	if *out != "-" {
		if err := writableFile("--out", *out); err != nil {
			return err
		}
	}
	if *endpoint != "" {
		if err := checkURL("--endpoint", *endpoint); err != nil {
			return err
		}
	}
	base := catalog.Default()
	if *baseFile != "" {
		b, err := catalog.LoadContext(ctx, *baseFile)
		if err != nil {
			return usagef("--base: %v", err)
		}
		base = b
	}
	rs := *regions
	if len(rs) == 0 {
		rs = base.Regions
	}
	checked := false
	client := func(region string) (refresh.ControlPlane, error) {
		cfg, err := awsConfig(ctx, region, *endpoint)
		if err != nil {
			return nil, err
		}
		if (*endpoint == "" || replay.IsAWS(*endpoint)) && !checked {
			if err := checkCredentials(ctx, cfg, false, "try the bundled emulator: bedrock-bench emulate, then --endpoint http://127.0.0.1:8787"); err != nil {
				return nil, err
			}
			checked = true
		}
		cfg.RetryMode, cfg.RetryMaxAttempts = aws.RetryModeAdaptive, catalogRetryAttempts
		boundCalls(&cfg, *timeout)
		return bedrock.NewFromConfig(cfg), nil
	}
	progress := func(region string, i, n int) {
		fmt.Fprintf(stderr, "bedrock-bench catalog: reading %s (%d/%d)\n", region, i, n)
	}
	c, data, err := refresh.Run(ctx, refresh.Input{Regions: rs, Client: client, Base: base, AsOf: time.Now(), Progress: progress})
	if err != nil {
		var ee *envError
		if errors.As(err, &ee) {
			return ee
		}
		return envf("%v (nothing written)", err)
	}
	if *out == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if err := atomicfile.Write(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bedrock-bench catalog: %s: %d models, %d profiles over %d Regions, as of %s\n", *out, len(c.Models), len(c.Profiles), len(c.Regions), c.AsOf)
	return nil
}
