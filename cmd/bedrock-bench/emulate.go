package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

func runEmulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("emulate", "emulate [flags]", `  bedrock-bench emulate
  bedrock-bench emulate --listen 127.0.0.1:8787 --policy role.json --scp org-region-allowlist.json
  bedrock-bench emulate --authz per-route --seed 7 --policy role-missing-us-west-2.json
  bedrock-bench emulate --throttle-rate 5 --error-probability 0.05 --stream-exception-probability 0.1
  bedrock-bench emulate --tls --keys keys.json

Authentication: by default any access key and any Bedrock API key is
accepted (the Region comes from the signature's scope; the signature's
structure, date and scope are checked, not its value). With --access-key
and --secret-key, or --keys FILE, signatures are verified and only those
keys work. A keys file maps key pairs and API keys to callers:

  {"credentials": [{"accessKeyId": "AKIA...", "secretAccessKey": "...",
                    "sessionToken": "optional", "expires": "2030-01-01T00:00:00Z",
                    "principal": "arn:aws:iam::111122223333:role/app",
                    "policies": ["app-role.json"]}],
   "apiKeys": [{"key": "ABSK...", "principal": "...", "policies": ["..."]}]}

The server speaks HTTP/1.1 and HTTP/2 (also unencrypted, with prior
knowledge) on one port; --tls serves HTTPS with a self-signed certificate
written to --tls-cert, which clients must trust (the lines to do so are
printed at start).
`, stderr)
	addr := fs.String("listen", "127.0.0.1:8787", "address to listen on (port 0 picks a free one)")
	oldAddr := fs.String("addr", "", "older name of --listen")
	catalogFile := fs.String("catalog", "", "catalog JSON file replacing the embedded one")
	policies := fs.StringArray("policy", nil, "identity policy JSON file of the caller (repeatable); without any, everything is allowed")
	scps := fs.StringArray("scp", nil, "service control policy file(s) for one organization level, comma-separated (repeat the flag per level, root first); a level without an Allow statement also holds AWS's default FullAWSAccess policy")
	principal := fs.String("principal", "", "caller ARN used in AccessDenied messages (default arn:aws:iam::<account>:user/bedrock-bench)")
	account := fs.String("account", emulator.DefaultAccount, "AWS account id in ARNs")
	authz := fs.String("authz", string(emulator.Strict), "IAM over cross-Region routes: strict (every destination, as AWS documents) or per-route (only the chosen one)")
	seed := fs.Uint64("seed", 1, "seed for route choice, faults and reasoning signatures")
	date := fs.String("date", "", "day to evaluate model lifecycles on: YYYY-MM-DD or today (default: the catalog's as-of date)")
	legacy := fs.StringArray("legacy-active", nil, "Legacy model id the account has used in the last 15 days (repeatable)")
	accessKey := fs.String("access-key", "", "verify signatures: accept only this access key id (default: accept any key)")
	secretKey := fs.String("secret-key", "", "secret access key for --access-key")
	sessionToken := fs.String("session-token", "", "session token --access-key must come with")
	keysFile := fs.String("keys", "", "verify signatures: JSON file of accepted key pairs and API keys, each with its principal and policies (its format is shown under Authentication below)")
	guardrailFiles := fs.StringArray("guardrail", nil, "guardrail JSON file (id, version, deniedWords, deniedTopics, blockedInputMessaging) requests may name in guardrailConfig (repeatable)")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a self-signed certificate")
	certFile := fs.String("tls-cert", "", "where --tls writes its certificate (default: bedrock-bench-emulator.pem in the temporary directory)")
	throttleRate := fs.Float64("throttle-rate", 0, "invocations per second allowed per Region (0: no limit)")
	throttleBurst := fs.Int("throttle-burst", 0, "token bucket size for --throttle-rate (default: the rate)")
	throttleP := fs.Float64("throttle-probability", 0, "share of invocations throttled, 0 to 1")
	throttleFirst := fs.Int("throttle-first-attempts", 0, "throttle the first N arrivals of each distinct request, so that clients' own retries succeed")
	errorP := fs.Float64("error-probability", 0, "share of invocations failed with a server error, 0 to 1")
	errorKinds := fs.StringSlice("error-kinds", nil, "server errors to draw from: ServiceUnavailableException, InternalServerException, ModelNotReadyException")
	latency := fs.Duration("latency", 0, "latency added to every invocation")
	streamP := fs.Float64("stream-exception-probability", 0, "share of streams ended by an exception frame after their first delta")
	streamEx := fs.String("stream-exception", "internalServerException", "exception frame type for --stream-exception-probability")
	maxBody := fs.Int64("max-body", emulator.DefaultMaxBodyBytes, "largest request body in bytes (the default takes every body capture records)")
	quiet := fs.BoolP("quiet", "q", false, "do not log each request")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	// In the order --help lists them, so that the first bad one is named.
	for _, f := range []struct {
		name string
		p    float64
	}{{"throttle-probability", *throttleP}, {"error-probability", *errorP}, {"stream-exception-probability", *streamP}} {
		if !(f.p >= 0 && f.p <= 1) { // NaN too
			return usagef("--%s %v: want a share of invocations between 0 and 1, such as 0.05", f.name, f.p)
		}
	}
	opts := &emulator.Options{
		Account: *account, Authz: emulator.AuthzMode(*authz), Seed: *seed, LegacyActive: *legacy, MaxBodyBytes: *maxBody,
		Faults: emulator.Faults{ThrottleRate: *throttleRate, ThrottleBurst: *throttleBurst, ThrottleProbability: *throttleP, ThrottleFirstAttempts: *throttleFirst,
			ErrorProbability: *errorP, ErrorKinds: *errorKinds, Latency: *latency, StreamExceptionProbability: *streamP, StreamException: *streamEx},
	}
	if err := oneOf("authz", *authz, string(emulator.Strict), string(emulator.PerRoute)); err != nil {
		return err
	}
	if (*accessKey == "") != (*secretKey == "") {
		return usagef("--access-key and --secret-key go together")
	}
	if *sessionToken != "" && *accessKey == "" {
		return usagef("--session-token needs --access-key and --secret-key")
	}
	authMode := "any access key or Bedrock API key accepted (signatures' structure checked, not their value)"
	exampleKey, exampleSecret := "test", "test"
	switch {
	case *accessKey != "" || *keysFile != "":
		if *accessKey != "" {
			opts.Credentials = append(opts.Credentials, emulator.Credentials{AccessKeyID: *accessKey, SecretAccessKey: *secretKey, SessionToken: *sessionToken})
			exampleKey, exampleSecret = *accessKey, *secretKey
		}
		if *keysFile != "" {
			creds, apiKeys, err := emulator.LoadKeysContext(ctx, *keysFile)
			if err != nil {
				return usagef("--keys: %v", err)
			}
			opts.Credentials = append(opts.Credentials, creds...)
			opts.APIKeys = apiKeys
			if *accessKey == "" && len(creds) > 0 {
				exampleKey, exampleSecret = creds[0].AccessKeyID, creds[0].SecretAccessKey
			}
		}
		authMode = fmt.Sprintf("signatures verified: %d key pairs, %d API keys", len(opts.Credentials), len(opts.APIKeys))
		if len(opts.Credentials) == 0 {
			exampleKey, exampleSecret = "", ""
		}
	default:
		opts.AnyKey = true
	}
	if *catalogFile != "" {
		c, err := catalog.LoadContext(ctx, *catalogFile)
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
	for _, f := range *guardrailFiles {
		gs, err := emulator.LoadGuardrailsContext(ctx, f)
		if err != nil {
			return usagef("--guardrail: %v", err)
		}
		opts.Guardrails = append(opts.Guardrails, gs...)
	}
	p, err := loadPrincipal(ctx, *principal, *policies, *scps)
	if err != nil {
		return err
	}
	opts.Principal = p
	if !*quiet {
		opts.Log = stderr
	}
	s, err := emulator.New(opts)
	if err != nil {
		var oe *emulator.OptionError
		if errors.As(err, &oe) {
			if flag, ok := map[string]string{"Account": "--account", "LegacyActive": "--legacy-active"}[oe.Field]; ok {
				return usagef("%s %q: %s", flag, oe.Value, oe.Reason)
			}
		}
		return usagef("%v", err)
	}
	if fs.Changed("addr") {
		if fs.Changed("listen") && *oldAddr != *addr {
			return usagef("--addr is the older name of --listen: give one of them")
		}
		*addr = *oldAddr
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("--listen: %v", err)
	}
	warnExposed(stderr, "emulate", *addr, ln, "anyone who can reach it may call it, with any key unless --access-key or --keys is given")
	url := "http://" + ln.Addr().String()
	trust := ""
	if *useTLS {
		if *certFile == "" {
			*certFile = filepath.Join(os.TempDir(), "bedrock-bench-emulator.pem")
		}
		host, _, _ := net.SplitHostPort(*addr)
		cfg, err := emulator.SelfSignedTLS(*certFile, host)
		if err != nil {
			ln.Close()
			return usagef("--tls: %v", err)
		}
		ln = tls.NewListener(ln, cfg)
		url = "https://" + ln.Addr().String()
		trust = fmt.Sprintf("  export AWS_CA_BUNDLE=%s NODE_EXTRA_CA_CERTS=%s\n", *certFile, *certFile)
	}
	// AWS_DEFAULT_REGION too: the AWS CLI v1 and boto3 read no other.
	keyLines := fmt.Sprintf("  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n", exampleKey, exampleSecret)
	if exampleKey == "" {
		keyLines = "  export AWS_BEARER_TOKEN_BEDROCK=<an API key from the --keys file> AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1\n"
	}
	c := s.Catalog()
	mode := iamSummary(len(*policies), len(*scps), keysWithPolicies(opts), len(opts.Credentials)+len(opts.APIKeys), *keysFile)
	fmt.Fprintf(stdout, `bedrock-bench emulator listening on %s
  catalog as of %s: %d Regions, %d models, %d inference profiles
  IAM: %s, %s authorization
  authentication: %s
  protocols: HTTP/1.1 and HTTP/2%s

Point the AWS SDK or CLI at it:
  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=%s AWS_ENDPOINT_URL_BEDROCK=%s
%s%s
Press Ctrl-C to stop.
`, url, c.AsOf, len(c.Regions), len(c.Models), len(c.Profiles), mode, opts.Authz, authMode, map[bool]string{true: " over TLS (self-signed: " + *certFile + ")", false: " (unencrypted HTTP/2 with prior knowledge)"}[*useTLS], url, url, keyLines, trust)
	if err := s.Serve(ctx, ln, 10*time.Second); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "emulator stopped after %d requests\n", s.Requests())
	return nil
}

// loadPrincipal reads the caller's policies; nil when none are given, so
// that the emulator allows everything.
func loadPrincipal(ctx context.Context, arn string, policies, scps []string) (*iam.Principal, error) {
	if len(policies) == 0 && len(scps) == 0 {
		if arn != "" {
			return &iam.Principal{ARN: arn, Identity: []*iam.Policy{allowAllPolicy()}}, nil
		}
		return nil, nil
	}
	p := &iam.Principal{ARN: arn}
	for _, f := range policies {
		pol, err := iam.LoadPolicyContext(ctx, f)
		if err != nil {
			return nil, usagef("--policy: %v", err)
		}
		p.Identity = append(p.Identity, pol)
	}
	if len(policies) == 0 {
		p.Identity = []*iam.Policy{allowAllPolicy()}
	}
	for _, level := range scps {
		var pols []*iam.Policy
		for _, f := range strings.Split(level, ",") {
			pol, err := iam.LoadPolicyContext(ctx, strings.TrimSpace(f))
			if err != nil {
				return nil, usagef("--scp: %v", err)
			}
			pols = append(pols, pol)
		}
		p.SCPs = append(p.SCPs, scpLevel(pols))
	}
	return p, nil
}

// scpLevel returns the SCPs of one organization level as Organizations
// holds them. Every level starts with the FullAWSAccess policy; SCPs that
// only deny are attached beside it ("If you instead attach a second SCP
// and leave the FullAWSAccess SCP still attached, and specify "Effect":
// "Deny" ... you're using the authorization strategy of a "deny list""),
// while an allow list replaces it ("If you want to replace the default
// FullAWSAccess policy with an SCP that limits the permissions that can
// be delegated, you must attach the replacement SCP before you can remove
// the default SCP. This is the authorization strategy of an "allow
// list"", Organizations API reference, DetachPolicy). So a level whose
// files hold an Allow statement (read or not) is taken as the whole level.
func scpLevel(pols []*iam.Policy) []*iam.Policy {
	for _, pol := range pols {
		for _, st := range pol.Statements {
			if st.Effect == iam.Allow {
				return pols
			}
		}
		for _, bad := range pol.Invalid {
			if bad.Effect == iam.Allow {
				return pols
			}
		}
	}
	return append([]*iam.Policy{fullAWSAccess()}, pols...)
}

func fullAWSAccess() *iam.Policy {
	p, _ := iam.ParsePolicy("FullAWSAccess", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	return p
}

func allowAllPolicy() *iam.Policy {
	p, _ := iam.ParsePolicy("allow-all", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	return p
}

// iamSummary says, for the start banner, how calls are authorized: by
// the --policy and --scp files, allowed (no --policy: the caller is
// allowed every action), and, for keys of the keys file that stand for
// a caller of their own, by that caller's policies.
func iamSummary(policies, scps, ownCaller, keys int, keysFile string) string {
	base := "everything allowed (no --policy)"
	switch {
	case policies > 0:
		base = fmt.Sprintf("%s, %s", count(policies, "identity policy", "identity policies"), count(scps, "SCP level", "SCP levels"))
	case scps > 0:
		base = fmt.Sprintf("every action allowed by the identity (no --policy), %s", count(scps, "SCP level", "SCP levels"))
	}
	if ownCaller == 0 {
		return base
	}
	own := fmt.Sprintf("%s (from %s)", count(ownCaller, "key with its own caller and policies", "keys, each with its own caller and policies"), keysFile)
	if ownCaller == keys {
		return own
	}
	return fmt.Sprintf("%s; other keys: %s", own, base)
}

// keysWithPolicies counts the key pairs and API keys that stand for a
// caller of their own, whose policies IAM evaluates instead of the
// emulator's.
func keysWithPolicies(opts *emulator.Options) int {
	n := 0
	for _, c := range opts.Credentials {
		if c.Principal != nil {
			n++
		}
	}
	for _, k := range opts.APIKeys {
		if k.Principal != nil {
			n++
		}
	}
	return n
}

// count writes n with the noun in its number: "1 identity policy",
// "2 identity policies".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
