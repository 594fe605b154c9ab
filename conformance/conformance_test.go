// Package conformance runs real Amazon Bedrock clients (the AWS SDK for
// JavaScript v3, the Vercel AI SDK 6 and 7, LangChain JS, Anthropic's
// Bedrock SDK, boto3 and the AWS CLI) through one list of scenarios
// (scenarios.json) against fresh bundled emulators, with only their
// endpoint changed. It runs when BEDROCK_BENCH_CONFORMANCE is set
// (conformance/run.sh and .ci/run set it).
package conformance

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

type scenarioFile struct {
	Scenarios map[string]string   `json:"scenarios"`
	Clients   map[string][]string `json:"clients"`
}

type result struct {
	Client   string `json:"client"`
	Scenario string `json:"scenario"`
	Status   string `json:"status"`
	Detail   string `json:"detail"`
}

// modes are the emulators each client run gets, fresh, by name.
func modes(t *testing.T) map[string]*emulator.Options {
	usEastOnly, err := iam.ParsePolicy("us-east-1-only", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":["arn:aws:bedrock:us-east-1::foundation-model/*","arn:aws:bedrock:us-east-1:*:inference-profile/*"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*emulator.Options{
		"plain":       {AnyKey: true},
		"strict":      {Credentials: []emulator.Credentials{emulator.DefaultCredentials}},
		"iam":         {AnyKey: true, Principal: &iam.Principal{ARN: "arn:aws:iam::111122223333:role/conformance", Identity: []*iam.Policy{usEastOnly}}},
		"throttled":   {AnyKey: true, Faults: emulator.Faults{ThrottleProbability: 1}},
		"unavailable": {AnyKey: true, Faults: emulator.Faults{ErrorProbability: 1, ErrorKinds: []string{emulator.ServiceUnavailable}}},
		"retry":       {AnyKey: true, Faults: emulator.Faults{ThrottleFirstAttempts: 1}},
		"midstream":   {AnyKey: true, Faults: emulator.Faults{StreamExceptionProbability: 1, StreamException: "modelStreamErrorException"}},
	}
}

// startEmulators serves every mode on loopback until the test ends and
// returns their URLs, plus "tls": HTTPS with a self-signed certificate
// written to certFile.
func startEmulators(t *testing.T, certFile string) map[string]string {
	t.Helper()
	urls := map[string]string{}
	all := modes(t)
	all["tls"] = &emulator.Options{AnyKey: true}
	for name, opts := range all {
		s, err := emulator.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		scheme := "http://"
		if name == "tls" {
			cfg, err := emulator.SelfSignedTLS(certFile)
			if err != nil {
				t.Fatal(err)
			}
			ln, scheme = tls.NewListener(ln, cfg), "https://"
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx, ln, time.Second) }()
		t.Cleanup(func() { cancel(); <-done })
		urls[name] = scheme + ln.Addr().String()
	}
	return urls
}

// runner is one client family's program.
type runner struct {
	name    string
	clients []string
	// command returns the program to run, or why it cannot run here.
	command func() (*exec.Cmd, string)
}

func runners() []runner {
	return []runner{
		{"javascript", []string{"js-sdk-v3", "js-sdk-v3-control", "vercel-ai", "langchain-js", "anthropic-bedrock"}, func() (*exec.Cmd, string) {
			node, err := exec.LookPath("node")
			if err != nil {
				return nil, "node is not installed: install Node.js 20 or later, then run npm ci in conformance/js"
			}
			if _, err := os.Stat(filepath.Join("js", "node_modules", "@aws-sdk", "client-bedrock-runtime")); err != nil {
				return nil, "conformance/js/node_modules is missing: run npm ci in conformance/js"
			}
			return exec.Command(node, "run.mjs"), ""
		}},
		// AI SDK 7 (ai 7, @ai-sdk/amazon-bedrock 5) declares Node.js 22 or
		// later: it runs on the Node.js 22 that package.json pins (the npm
		// package node), or on the machine's if that is 22 or later.
		{"javascript-node22", []string{"vercel-ai-v7"}, func() (*exec.Cmd, string) {
			if _, err := os.Stat(filepath.Join("js", "node_modules", "ai-v7")); err != nil {
				return nil, "conformance/js/node_modules is missing AI SDK 7: run npm ci in conformance/js"
			}
			node, why := node22()
			if node == "" {
				return nil, why
			}
			return exec.Command(node, "run.mjs"), ""
		}},
		{"python", []string{"boto3"}, func() (*exec.Cmd, string) {
			py, err := exec.LookPath("python3")
			if err != nil {
				return nil, "python3 is not installed"
			}
			return exec.Command(py, filepath.Join("..", "python", "run_boto3.py")), ""
		}},
		{"aws-cli", []string{"aws-cli"}, func() (*exec.Cmd, string) {
			py, err := exec.LookPath("python3")
			if err != nil {
				return nil, "python3 is not installed"
			}
			return exec.Command(py, filepath.Join("..", "python", "run_awscli.py")), ""
		}},
	}
}

func TestConformance(t *testing.T) {
	if os.Getenv("BEDROCK_BENCH_CONFORMANCE") == "" {
		t.Skip("set BEDROCK_BENCH_CONFORMANCE=1 to run the real clients (conformance/run.sh)")
	}
	data, err := os.ReadFile("scenarios.json")
	if err != nil {
		t.Fatal(err)
	}
	var sf scenarioFile
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatalf("scenarios.json: %v", err)
	}
	for _, r := range runners() {
		t.Run(r.name, func(t *testing.T) {
			cmd, why := r.command()
			if cmd == nil {
				t.Skip(why)
			}
			cert := filepath.Join(t.TempDir(), "emulator.pem")
			urls, _ := json.Marshal(startEmulators(t, cert))
			cmd.Dir = "js"
			// The TLS emulator's certificate, trusted the way the banner of
			// bedrock-bench emulate --tls says; clients read it per call.
			// CONFORMANCE_CLIENTS: the JavaScript runner runs only this
			// runner's clients (AI SDK 7 has a runner of its own).
			cmd.Env = append(cleanEnv(), "CONFORMANCE_ENDPOINTS="+string(urls), "NODE_EXTRA_CA_CERTS="+cert, "CONFORMANCE_CA_BUNDLE="+cert,
				"CONFORMANCE_CLIENTS="+strings.Join(r.clients, ","))
			t.Logf("%s: %s", r.name, strings.Join(cmd.Args, " "))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			timer := time.AfterFunc(4*time.Minute, func() {
				if cmd.Process != nil {
					_ = cmd.Process.Kill()
				}
			})
			stdout, err := cmd.Output()
			timer.Stop()
			if err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					t.Fatalf("%s: %v", r.name, err)
				}
				t.Errorf("%s exited %d:\n%s", r.name, ee.ExitCode(), stderr.String())
			}
			got := map[string]result{}
			sc := bufio.NewScanner(bytes.NewReader(stdout))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				var res result
				if json.Unmarshal(sc.Bytes(), &res) != nil {
					continue
				}
				got[res.Client+"/"+res.Scenario] = res
			}
			// A result scenarios.json does not list for its client would
			// pass unseen, a failure too.
			for key, res := range got {
				if !slices.Contains(r.clients, res.Client) || !slices.Contains(sf.Clients[res.Client], res.Scenario) {
					t.Errorf("%s: %s %s, but scenarios.json does not list it for %s (%s)", key, r.name, res.Status, res.Client, res.Detail)
				}
			}
			for _, client := range r.clients {
				t.Run(client, func(t *testing.T) {
					want := sf.Clients[client]
					if len(want) == 0 {
						t.Fatalf("scenarios.json lists no scenarios for %s", client)
					}
					skipped := 0
					for _, sc := range want {
						res, ok := got[client+"/"+sc]
						switch {
						case !ok:
							t.Errorf("%s: no result (the runner never ran it)", sc)
						case res.Status == "pass":
							t.Logf("pass %s", sc)
						case res.Status == "skip":
							skipped++
							t.Logf("skip %s: %s", sc, res.Detail)
						default:
							t.Errorf("%s: %s", sc, res.Detail)
						}
					}
					if skipped == len(want) {
						t.Skipf("%s skipped every scenario: %s", client, got[client+"/"+want[0]].Detail)
					}
				})
			}
		})
	}
}

// node22 returns a Node.js of version 22 or later: the one npm ci
// installs in conformance/js/node_modules (the npm package node, pinned),
// else the machine's if it is recent enough; or why there is none.
func node22() (string, string) {
	if p, err := filepath.Abs(filepath.Join("js", "node_modules", "node", "bin", "node")); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p, ""
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return "", "node is not installed: AI SDK 7 needs Node.js 22 or later (npm ci in conformance/js installs it)"
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "", "node --version: " + err.Error()
	}
	v := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	if n, err := strconv.Atoi(major); err != nil || n < 22 {
		return "", "AI SDK 7 needs Node.js 22 or later, the machine has " + v + ": run npm ci in conformance/js, which installs the pinned Node.js 22 (npm package node)"
	}
	return node, ""
}

// cleanEnv is the process environment without any AWS configuration, so
// that clients see only what the runner gives them.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent", "AWS_EC2_METADATA_DISABLED=true")
}
