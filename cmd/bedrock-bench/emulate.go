package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

func runEmulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("emulate", "emulate [flags]", `  bedrock-bench emulate
  bedrock-bench emulate --addr 127.0.0.1:8787 --policy role.json --scp org-region-allowlist.json
  bedrock-bench emulate --authz per-route --seed 7 --policy role-missing-us-west-2.json
  bedrock-bench emulate --throttle-rate 5 --error-probability 0.05 --stream-exception-probability 0.1
`, stderr)
	addr := fs.String("addr", "127.0.0.1:8787", "address to listen on (port 0 picks a free one)")
	catalogFile := fs.String("catalog", "", "catalog JSON file replacing the embedded one")
	policies := fs.StringArray("policy", nil, "identity policy JSON file of the caller (repeatable); without any, everything is allowed")
	scps := fs.StringArray("scp", nil, "service control policy file(s) for one organization level, comma-separated (repeat the flag per level, root first); each level also holds AWS's default FullAWSAccess policy")
	principal := fs.String("principal", "", "caller ARN used in AccessDenied messages (default arn:aws:iam::<account>:user/bedrock-bench)")
	account := fs.String("account", emulator.DefaultAccount, "AWS account id in ARNs")
	authz := fs.String("authz", string(emulator.Strict), "IAM over cross-Region routes: strict (every destination, as AWS documents) or per-route (only the chosen one)")
	seed := fs.Uint64("seed", 1, "seed for route choice and faults")
	date := fs.String("date", "", "day to evaluate model lifecycles on: YYYY-MM-DD or today (default: the catalog's as-of date)")
	legacy := fs.StringArray("legacy-active", nil, "Legacy model id the account has used in the last 15 days (repeatable)")
	accessKey := fs.String("access-key", emulator.DefaultCredentials.AccessKeyID, "access key id whose signatures are accepted")
	secretKey := fs.String("secret-key", emulator.DefaultCredentials.SecretAccessKey, "secret access key for --access-key")
	throttleRate := fs.Float64("throttle-rate", 0, "invocations per second allowed per Region (0: no limit)")
	throttleBurst := fs.Int("throttle-burst", 0, "token bucket size for --throttle-rate (default: the rate)")
	throttleP := fs.Float64("throttle-probability", 0, "share of invocations throttled, 0 to 1")
	errorP := fs.Float64("error-probability", 0, "share of invocations failed with a server error, 0 to 1")
	errorKinds := fs.StringSlice("error-kinds", nil, "server errors to draw from: ServiceUnavailableException, InternalServerException, ModelNotReadyException")
	latency := fs.Duration("latency", 0, "latency added to every invocation")
	streamP := fs.Float64("stream-exception-probability", 0, "share of streams ended by an exception frame after their first delta")
	streamEx := fs.String("stream-exception", "internalServerException", "exception frame type for --stream-exception-probability")
	maxBody := fs.Int64("max-body", 20<<20, "largest request body in bytes")
	quiet := fs.BoolP("quiet", "q", false, "do not log each request")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	opts := &emulator.Options{
		Account: *account, Authz: emulator.AuthzMode(*authz), Seed: *seed, LegacyActive: *legacy, MaxBodyBytes: *maxBody,
		Credentials: []emulator.Credentials{{AccessKeyID: *accessKey, SecretAccessKey: *secretKey}},
		Faults: emulator.Faults{ThrottleRate: *throttleRate, ThrottleBurst: *throttleBurst, ThrottleProbability: *throttleP,
			ErrorProbability: *errorP, ErrorKinds: *errorKinds, Latency: *latency, StreamExceptionProbability: *streamP, StreamException: *streamEx},
	}
	if err := oneOf("authz", *authz, string(emulator.Strict), string(emulator.PerRoute)); err != nil {
		return err
	}
	if *catalogFile != "" {
		c, err := catalog.Load(*catalogFile)
		if err != nil {
			return usagef("--catalog: %v", err)
		}
		opts.Catalog = c
	}
	switch *date {
	case "":
	case "today":
		opts.Date = time.Now().UTC()
	default:
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return usagef("--date %q: want YYYY-MM-DD or today", *date)
		}
		opts.Date = d
	}
	p, err := loadPrincipal(*principal, *policies, *scps)
	if err != nil {
		return err
	}
	opts.Principal = p
	if !*quiet {
		opts.Log = stderr
	}
	s, err := emulator.New(opts)
	if err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("--addr: %v", err)
	}
	url := "http://" + ln.Addr().String()
	c := s.Catalog()
	mode := "everything allowed"
	if p != nil {
		mode = fmt.Sprintf("%d identity policies, %d SCP levels", len(p.Identity), len(p.SCPs))
	}
	fmt.Fprintf(stdout, `bedrock-bench emulator listening on %s
  catalog as of %s: %d Regions, %d models, %d inference profiles
  IAM: %s, %s authorization
  credentials: %s / %s

Point the AWS SDK or CLI at it:
  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=%s AWS_ENDPOINT_URL_BEDROCK=%s
  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_REGION=us-east-1

Press Ctrl-C to stop.
`, url, c.AsOf, len(c.Regions), len(c.Models), len(c.Profiles), mode, opts.Authz, *accessKey, *secretKey, url, url, *accessKey, *secretKey)
	if err := s.Serve(ctx, ln, 10*time.Second); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "emulator stopped after %d requests\n", s.Requests())
	return nil
}

// loadPrincipal reads the caller's policies; nil when none are given, so
// that the emulator allows everything.
func loadPrincipal(arn string, policies, scps []string) (*iam.Principal, error) {
	if len(policies) == 0 && len(scps) == 0 {
		if arn != "" {
			return &iam.Principal{ARN: arn, Identity: []*iam.Policy{allowAllPolicy()}}, nil
		}
		return nil, nil
	}
	p := &iam.Principal{ARN: arn}
	for _, f := range policies {
		pol, err := iam.LoadPolicy(f)
		if err != nil {
			return nil, usagef("--policy: %v", err)
		}
		p.Identity = append(p.Identity, pol)
	}
	if len(policies) == 0 {
		p.Identity = []*iam.Policy{allowAllPolicy()}
	}
	for _, level := range scps {
		// Organizations attach FullAWSAccess to every level by default, so
		// SCP files are usually deny-only.
		pols := []*iam.Policy{fullAWSAccess()}
		for _, f := range strings.Split(level, ",") {
			pol, err := iam.LoadPolicy(strings.TrimSpace(f))
			if err != nil {
				return nil, usagef("--scp: %v", err)
			}
			pols = append(pols, pol)
		}
		p.SCPs = append(p.SCPs, pols)
	}
	return p, nil
}

func fullAWSAccess() *iam.Policy {
	p, _ := iam.ParsePolicy("FullAWSAccess", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	return p
}

func allowAllPolicy() *iam.Policy {
	p, _ := iam.ParsePolicy("allow-all", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	return p
}
