package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/bedrock-bench/bedrock-bench/bench/capture"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

func runCapture(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("capture", "capture --upstream URL [flags]", `  bedrock-bench capture --salt-file ~/.bedrock-bench-salt --upstream https://bedrock-runtime.us-east-1.amazonaws.com
      # then point the application at http://127.0.0.1:8799 (AWS_ENDPOINT_URL_BEDROCK_RUNTIME)
  bedrock-bench capture --listen 127.0.0.1:9000 --upstream https://api.openai.com --out histories/captured/openai
      # OPENAI_BASE_URL=http://127.0.0.1:9000/v1
  bedrock-bench capture --upstream https://api.anthropic.com   # ANTHROPIC_BASE_URL=http://127.0.0.1:8799
  # every capture needs the secret salt: --salt-file, $BEDROCK_BENCH_SALT or the project's redaction.saltFile
`, stderr)
	listen := fs.String("listen", "127.0.0.1:8799", "address to listen on (keep it on loopback)")
	upstream := fs.String("upstream", "", "where requests go: a Bedrock runtime endpoint, https://api.openai.com or https://api.anthropic.com")
	out := fs.String("out", filepath.Join("histories", "captured"), "folder the redacted fixtures are written into")
	region := fs.String("region", "", "Region to sign Bedrock requests for (default: from the upstream host)")
	queue := fs.Int("queue", 256, "bodies waiting to be written before new ones are dropped (and counted)")
	allowHosts := fs.StringSlice("allow-host", nil, "a host name, besides localhost and IP addresses, the application reaches the proxy by (a container network's service name); Bedrock requests for any other name are refused, not signed (repeatable)")
	rf := addRedactionFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q: capture takes flags only", fs.Arg(0))
	}
	if err := rf.fromProject(ctx, fs, out, "captured"); err != nil {
		return err
	}
	// A file named as --out is refused now, not at the first request
	// ("mkdir ...: not a directory"), as import's --out is.
	if err := writableFolder("--out", *out); err != nil {
		return err
	}
	if *upstream == "" {
		return usagef("--upstream is required: the endpoint the application talked to before")
	}
	up, err := url.Parse(*upstream)
	if err != nil || up.Scheme == "" || up.Host == "" {
		return usagef("--upstream %q: want an absolute URL such as https://bedrock-runtime.us-east-1.amazonaws.com", *upstream)
	}
	red, err := rf.redactor(ctx)
	if err != nil {
		return err
	}
	rec, err := capture.NewRecorder(capture.Options{Dir: *out, Redactor: red, Body: redact.BodyOptions{KeepMedia: *rf.keepMedia}, Queue: *queue})
	if err != nil {
		return err
	}
	// Bedrock requests are re-signed with the standard credential chain:
	// environment, shared config and SSO, web identity, container and
	// instance roles. Every request goes upstream as the SDK's calls and
	// a recording do, through the configuration's transport: trusting its
	// CA bundle (a TLS-inspecting proxy's) and the environment's proxy.
	var creds aws.CredentialsProvider
	var transport http.RoundTripper
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	cfg, cerr := replay.LoadConfig(lctx, "", "", nil)
	if cerr == nil {
		transport = replay.Transport(cfg)
	}
	if cerr == nil && cfg.Credentials != nil {
		creds = cfg.Credentials
		if *region == "" && cfg.Region != "" && !regionHost(up.Host) {
			*region = cfg.Region
		}
	}
	cancel()
	if cerr != nil {
		fmt.Fprintf(stderr, "capture: warning: the AWS configuration cannot be loaded (%v): its CA bundle and credentials are not used\n", cerr)
	}
	// What Bedrock requests need to be re-signed is checked now, not at
	// the application's first call, which would only be told 502.
	if !otherAPIHost(up.Hostname()) {
		if *region == "" && !regionHost(up.Host) {
			fmt.Fprintf(stderr, "capture: warning: no Region to sign Bedrock requests for (the upstream's host names none, and AWS_REGION is not set): they will fail until you give --region (OpenAI and Anthropic requests need none)\n")
		}
		if err := checkCredentials(ctx, cfg, false, "use a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) in the application"); creds == nil || err != nil {
			if err == nil {
				err = errors.New("no AWS credentials")
			}
			fmt.Fprintf(stderr, "capture: warning: %v: Bedrock requests the application signs will fail (OpenAI and Anthropic requests pass their own keys)\n", err)
		}
	}
	logger := log.New(stderr, "capture: ", 0)
	p, err := capture.NewProxy(capture.ProxyOptions{Upstream: up, Recorder: rec, Credentials: creds, Transport: transport, Region: *region, Hosts: *allowHosts, ErrorLog: logger})
	if err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return usagef("--listen %s: %v", *listen, err)
	}
	warnExposed(stderr, "capture", *listen, ln, "anyone who can reach it may call the upstream through it, Bedrock signed with your AWS credentials")
	srv := p.HTTPServer()
	fmt.Fprintf(stderr, "capture: listening on http://%s, forwarding to %s, writing fixtures to %s (Ctrl-C to stop)\n", ln.Addr(), up.Redacted(), *out)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			closeRecorder(rec)
			return err
		}
	}
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	_ = srv.Shutdown(sctx)
	scancel()
	werr := closeRecorder(rec)
	st := rec.Stats()
	fmt.Fprintln(stdout, captureSummary(st, *out))
	if werr != nil {
		return fmt.Errorf("writing fixtures: %w", werr)
	}
	return nil
}

// closeGrace is how long capture, once stopped, goes on writing the
// bodies it holds: a large body can take minutes to redact, and Ctrl-C
// must end the command. What is left then is dropped and counted.
const closeGrace = 10 * time.Second

// closeRecorder closes rec within closeGrace; running out of it is no
// error (the summary counts the bodies dropped), a failed write is.
func closeRecorder(rec *capture.Recorder) error {
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	if err := rec.CloseContext(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return rec.Err()
}

// otherAPIHost reports the host names of the OpenAI and Anthropic APIs,
// whose requests the proxy passes with their own keys and never signs.
func otherAPIHost(name string) bool {
	return strings.EqualFold(name, "api.openai.com") || strings.EqualFold(name, "api.anthropic.com")
}

// regionHost reports a host name that carries its Region.
func regionHost(host string) bool {
	return len(host) > len("bedrock-runtime.") && host[:len("bedrock-runtime.")] == "bedrock-runtime."
}

// captureSummary is the line capture ends with: what it wrote into out,
// and what it could not.
// A request whose body was captured before (to another model, say) is
// counted apart: its fixture was there already and is left as it was.
func captureSummary(st capture.Stats, out string) string {
	written := fmt.Sprintf("%s written", plural(int(st.Captured-st.Repeated), "fixture"))
	if st.Repeated > 0 {
		written += fmt.Sprintf(", %d the same conversation as one captured before (a fixture is keyed by its body, not its model)", st.Repeated)
	}
	return fmt.Sprintf("captured %s into %s: %s; %d dropped (queue full, or unwritten when stopped), %d skipped (not a valid body), %d failed writes",
		plural(int(st.Captured), "request"), out, written, st.Dropped, st.Skipped, st.Failed)
}
