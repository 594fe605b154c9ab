package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
	"github.com/bedrock-bench/bedrock-bench/bench/preflight"
	"github.com/bedrock-bench/bedrock-bench/bench/project"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

func runPreflight(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("preflight", "preflight --region R --model ID|PROFILE-ID|ARN (--policy FILE ... [--scp FILE ...] | --live) [--boundary FILE] [--session-policy FILE ...] [--context KEY=VALUE ...] [--principal ARN] [--endpoint URL] [--iam-endpoint URL] [--sts-endpoint URL] [--timeout D] [--output text|json]\n       bedrock-bench preflight --matrix [--region R ... --model M ... | --targets FILE] [same flags]", `  bedrock-bench preflight --region us-east-1 --model us.amazon.nova-pro-v1:0 --policy role.json
  bedrock-bench preflight --region eu-west-1 --model global.anthropic.claude-opus-4-6-v1 --policy role.json --scp org-region-allowlist.json
  bedrock-bench preflight --region us-east-1 --model us.amazon.nova-pro-v1:0 --policy role.json --context aws:SourceIp=10.1.2.3
  bedrock-bench preflight --region us-east-1 --model us.amazon.nova-pro-v1:0 --live --principal arn:aws:iam::111122223333:role/app
  bedrock-bench preflight --region us-east-1 --model us.amazon.nova-pro-v1:0 --live      # the caller's own role or user
  bedrock-bench preflight --endpoint http://127.0.0.1:8787 --region ap-south-1 --model meta.llama3-3-70b-instruct-v1:0 --output json
  bedrock-bench preflight --matrix --region us-east-1 --region eu-west-1 --model us.amazon.nova-pro-v1:0 --model anthropic.claude-3-haiku-20240307-v1:0 --policy role.json
  bedrock-bench preflight --matrix --policy role.json --output json      # the project's targets (bedrock-bench.yaml)
  bedrock-bench preflight --matrix --targets other/bedrock-bench.yaml --policy role.json
`, stderr)
	regions := fs.StringArray("region", nil, "the Region to migrate to (required; repeat with --matrix)")
	models := fs.StringArray("model", nil, "model id, inference profile id or ARN, application inference profile ARNs included (required; repeat with --matrix)")
	matrix := fs.Bool("matrix", false, "check every --model in every --region (or every target of --targets, or of the project file) and print one table")
	targetsFile := fs.String("targets", "", "with --matrix: a YAML or JSON list of targets (region and model), or a project file (its targets)")
	policies := fs.StringArray("policy", nil, "identity policy JSON file of the caller (repeatable)")
	scps := fs.StringArray("scp", nil, "SCP file(s) for one organization level, comma-separated (repeat per level, root first); a level without an Allow statement (a deny list) also holds FullAWSAccess")
	boundary := fs.String("boundary", "", "the caller's permissions boundary policy file")
	sessions := fs.StringArray("session-policy", nil, "session policy file passed when the role session was created (repeatable)")
	contexts := fs.StringArray("context", nil, "a condition key the run cannot know, KEY=VALUE (repeatable; repeat a key for several values), e.g. aws:SourceIp=10.1.2.3")
	principal := fs.String("principal", "", "the ARN of the role or user to simulate with --live (default: the caller, from sts:GetCallerIdentity)")
	live := fs.Bool("live", false, "check IAM with iam:SimulatePrincipalPolicy for --principal (or the caller) instead of policy files")
	endpoint := fs.String("endpoint", "", "Bedrock control-plane endpoint (the emulator's); credentials default to its fake key pair")
	iamEndpoint := fs.String("iam-endpoint", "", "IAM endpoint for --live (default: AWS)")
	stsEndpoint := fs.String("sts-endpoint", "", "STS endpoint for --live without --principal (default: AWS)")
	output := fs.String("output", "text", "text or json")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up on a call to Bedrock or IAM not answered after this long, its retries included")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("--timeout %s: want a positive duration such as 2m", *timeout)
	}
	if fs.NArg() > 0 {
		// --policy a.json b.json would check a.json alone: a verdict on
		// policies the caller does not have.
		return usagef("unexpected argument %q: preflight takes flags only; give each policy file with its own flag (--policy a.json --policy b.json)", fs.Arg(0))
	}
	for _, ep := range []struct{ flag, url string }{{"endpoint", *endpoint}, {"iam-endpoint", *iamEndpoint}, {"sts-endpoint", *stsEndpoint}} {
		if ep.url != "" {
			if err := checkURL("--"+ep.flag, ep.url); err != nil {
				return err
			}
		}
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	var targets []preflight.Target
	switch {
	case *targetsFile != "" && !*matrix:
		return usagef("--targets is for --matrix")
	case *targetsFile != "" && (len(*regions) > 0 || len(*models) > 0):
		return usagef("give the matrix with --targets or with --region/--model, not both")
	case *targetsFile != "":
		ts, err := loadMatrixTargets(ctx, *targetsFile)
		if err != nil {
			return usagef("--targets: %v", err)
		}
		targets = ts
	case *matrix && len(*regions) == 0 && len(*models) == 0:
		ts, err := projectMatrixTargets()
		if err != nil {
			return err
		}
		targets = ts
	case len(*regions) == 0 && len(*models) == 0:
		return usagef("--region and --model are required: the Region to migrate to and the model or inference profile to call there")
	case len(*regions) == 0:
		return usagef("--region is required: the Region to migrate to, e.g. --region us-east-1")
	case len(*models) == 0:
		return usagef("--model is required: the model id, inference profile id or ARN to call in %s", (*regions)[0])
	case !*matrix && (len(*regions) > 1 || len(*models) > 1):
		return usagef("several Regions or models: add --matrix for one table over all of them")
	default:
		targets = preflight.Targets(*regions, *models)
	}
	if *endpoint == "" {
		// As record: the checks go to AWS, to Regions the catalog knows;
		// a newer one is reached by naming its control plane.
		where := "--region"
		if *targetsFile != "" {
			where = "--targets " + *targetsFile
		} else if *matrix && len(*regions) == 0 {
			where = project.FileName
		}
		for _, t := range targets {
			if err := unknownRegion(where, t.Region, "a Region newer than these can be checked with --endpoint https://bedrock."+t.Region+".amazonaws.com"); err != nil {
				return err
			}
		}
	}
	switch {
	case *live && (len(*policies) > 0 || len(*scps) > 0 || *boundary != "" || len(*sessions) > 0):
		return usagef("--live checks the principal's real policies; drop --policy, --scp, --boundary and --session-policy, or drop --live")
	case !*live && len(*policies) == 0:
		return usagef("give the caller's policies with --policy (and --scp), or use --live")
	case *live && *iamEndpoint == "" && *endpoint != "" && replay.IsLoopback(*endpoint):
		// The same for IAM: the simulation would go to AWS's IAM signed
		// with the emulator's key pair, which it refuses.
		return usagef("--live asks IAM to simulate the principal's policies (iam:SimulatePrincipalPolicy), and --endpoint %s is on this machine, as the bundled emulator is: the emulator serves no IAM, and AWS's IAM refuses its key pair; to check the policies the emulator runs with, give them as --policy and --scp instead of --live (or give --iam-endpoint URL, an IAM that knows the principal)", *endpoint)
	case *live && *principal == "" && *stsEndpoint == "" && *endpoint != "" && replay.IsLoopback(*endpoint):
		// The calls to an endpoint on this machine are signed with the
		// emulator's key pair (replay.LoadConfig), which AWS's STS
		// refuses, and the emulator serves no STS: asking would only
		// fail, or wait on a network there may not be.
		return usagef("--live without --principal asks STS who the caller is (sts:GetCallerIdentity), and --endpoint %s is on this machine, as the bundled emulator is: the emulator serves no STS, and AWS's STS refuses its key pair; give --principal ARN, the role or user to simulate (or --sts-endpoint URL, an STS that knows the caller); to check the policies the emulator runs with, give them as --policy and --scp instead of --live", *endpoint)
	}
	supplied, err := parseContext(*contexts)
	if err != nil {
		return err
	}
	in := preflight.Input{Context: supplied}
	configs := map[string]aws.Config{}
	cfgFor := func(region string) (aws.Config, error) {
		if c, ok := configs[region]; ok {
			return c, nil
		}
		c, err := awsConfig(ctx, region, *endpoint)
		if err != nil {
			return c, err
		}
		boundCalls(&c, *timeout)
		if (*endpoint == "" || replay.IsAWS(*endpoint)) && len(configs) == 0 {
			// The control plane and IAM take signed calls only.
			if err := checkCredentials(ctx, c, false, "try the bundled emulator: bedrock-bench emulate, then --endpoint http://127.0.0.1:8787"); err != nil {
				return c, err
			}
		}
		configs[region] = c
		return c, nil
	}
	if *live {
		cfg, err := cfgFor(targets[0].Region)
		if err != nil {
			return err
		}
		iamCfg := cfg.Copy()
		iamCfg.BaseEndpoint = nil
		if *iamEndpoint != "" {
			iamCfg.BaseEndpoint = aws.String(*iamEndpoint)
		}
		iamClient := iamsdk.NewFromConfig(iamCfg)
		in.Simulator, in.PrincipalARN = iamClient, *principal
		if *principal == "" {
			// The caller itself: who STS says it is.
			stsCfg := cfg.Copy()
			stsCfg.BaseEndpoint = nil
			if *stsEndpoint != "" {
				stsCfg.BaseEndpoint = aws.String(*stsEndpoint)
			}
			p, err := preflight.CallerPrincipal(ctx, sts.NewFromConfig(stsCfg), iamClient)
			if err != nil {
				return envf("%s", strings.TrimPrefix(err.Error(), "preflight: "))
			}
			in.PrincipalARN, in.PrincipalFrom = p.ARN, p
		}
	} else {
		p, err := loadPreflightPrincipal(ctx, *principal, *policies, *scps, *boundary, *sessions)
		if err != nil {
			return err
		}
		in.Principal = p
	}
	cpFor := func(region string) (preflight.ControlPlane, error) {
		cfg, err := cfgFor(region)
		if err != nil {
			return nil, err
		}
		return bedrock.NewFromConfig(cfg), nil
	}
	if *matrix {
		m, err := preflight.RunMatrix(ctx, cpFor, targets, in)
		var re *preflight.RunError
		if errors.As(err, &re) {
			// IAM's answer would be every row's: said once, no table.
			return envf("%v; the matrix stopped at %s %s, as every row needs it", re, re.Region, re.Model)
		}
		if err != nil {
			return preflightError(err, *endpoint)
		}
		if *output == "json" {
			if err := writeJSON(stdout, m); err != nil {
				return err
			}
		} else {
			printMatrix(stdout, m)
		}
		if m.Failed > 0 {
			// The table is incomplete: exit 2, as a single target's
			// failed check does, and say so with the findings.
			return envf("%s not checked, %s", count(m.Failed, "row", "rows"), plural(m.Findings, "finding"))
		}
		if !m.OK() {
			return &findingsError{plural(m.Findings, "finding")}
		}
		return nil
	}
	cp, err := cpFor(targets[0].Region)
	if err != nil {
		return err
	}
	in.Region, in.Model = targets[0].Region, targets[0].Model
	rep, err := preflight.Run(ctx, cp, in)
	if err != nil {
		var oe *smithy.OperationError
		if errors.As(err, &oe) && ctx.Err() == nil && !(errors.Is(err, syscall.ECONNREFUSED) && *endpoint != "") {
			// A call the Region's control plane or IAM refused or
			// failed: what it means, as a --matrix row says it.
			return &envError{preflight.ExplainError(in.Region, err)}
		}
		return preflightError(err, *endpoint)
	}
	if *output == "json" {
		if err := writeJSON(stdout, rep); err != nil {
			return err
		}
	} else {
		printPreflight(stdout, rep)
	}
	if !rep.OK() {
		return &findingsError{plural(len(rep.Findings), "finding")}
	}
	return nil
}

// preflightError keeps input mistakes as usage errors and reports the
// rest (a network error, an unexpected answer) once, without the usage
// hint and without repeating the command's name; a refused connection
// to --endpoint says to start the emulator.
func preflightError(err error, endpoint string) error {
	var ie preflight.ErrInput
	msg := strings.TrimPrefix(err.Error(), "preflight: ")
	switch {
	case errors.As(err, &ie):
		return &usageError{msg: msg}
	case errors.Is(err, syscall.ECONNREFUSED) && endpoint != "":
		return nothingListens(endpoint)
	}
	return errors.New(msg)
}

// plural writes n with the noun in its number: "1 finding", "2 findings".
func plural(n int, noun string) string { return count(n, noun, noun+"s") }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// parseContext reads --context KEY=VALUE flags; a key given twice has two
// values. Context key names are not case-sensitive (IAM JSON policy
// elements: Condition: "including the aws:SourceIP context key is
// equivalent to testing for AWS:SourceIp"), so aws:SourceIp and
// aws:sourceip are one key with both values, spelt as first given.
func parseContext(flags []string) (map[string][]string, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	spelt := map[string]string{}
	for _, f := range flags {
		k, v, ok := strings.Cut(f, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || !strings.Contains(k, ":") {
			return nil, usagef("--context %q: want KEY=VALUE with a condition key like aws:SourceIp=10.1.2.3", f)
		}
		if first, seen := spelt[strings.ToLower(k)]; seen {
			k = first
		} else {
			spelt[strings.ToLower(k)] = k
		}
		out[k] = append(out[k], v)
	}
	return out, nil
}

// loadPreflightPrincipal reads the caller's policies. A statement that
// cannot be read is kept out and reported as a finding, so the rest of a
// real company policy is still evaluated; a file that is not a policy at
// all is a usage error naming it.
func loadPreflightPrincipal(ctx context.Context, arn string, policies, scps []string, boundary string, sessions []string) (*iam.Principal, error) {
	p := &iam.Principal{ARN: arn}
	if p.ARN == "" {
		p.ARN = "the caller"
	}
	load := func(flag, f string) (*iam.Policy, error) {
		pol, err := iam.LoadPolicyPartialContext(ctx, strings.TrimSpace(f))
		if err != nil {
			return nil, usagef("--%s: %v", flag, err)
		}
		return pol, nil
	}
	for _, f := range policies {
		pol, err := load("policy", f)
		if err != nil {
			return nil, err
		}
		p.Identity = append(p.Identity, pol)
	}
	for _, level := range scps {
		var pols []*iam.Policy
		for _, f := range strings.Split(level, ",") {
			pol, err := load("scp", f)
			if err != nil {
				return nil, err
			}
			pols = append(pols, pol)
		}
		p.SCPs = append(p.SCPs, scpLevel(pols))
	}
	if boundary != "" {
		pol, err := load("boundary", boundary)
		if err != nil {
			return nil, err
		}
		p.Boundary = pol
	}
	for _, f := range sessions {
		pol, err := load("session-policy", f)
		if err != nil {
			return nil, err
		}
		p.Session = append(p.Session, pol)
	}
	return p, nil
}

// printMatrix prints one line per (Region, model): whether it is offered,
// then every destination Region with its IAM verdict.
// The REGION and MODEL columns are at least 15 and 45 characters wide
// and grow to their longest entry (an application inference profile ARN
// is longer than 45), so the columns after them stay aligned.
func printMatrix(w io.Writer, m *preflight.Matrix) {
	if m.Principal != nil {
		fmt.Fprintf(w, "principal: %s\n\n", m.Principal)
	}
	regionW, modelW := 15, 45
	for _, r := range m.Rows {
		regionW = max(regionW, utf8.RuneCountInString(r.Region))
		modelW = max(modelW, utf8.RuneCountInString(r.Model))
	}
	fmt.Fprintf(w, "%-*s %-*s %-13s %s\n", regionW, "REGION", modelW, "MODEL", "OFFERED", "DESTINATIONS (IAM verdict)")
	for _, r := range m.Rows {
		offered := map[string]string{preflight.OnDemand: "on demand", preflight.ViaProfile: "via profile", preflight.ProfileOnly: "profile only", preflight.NotOffered: "NOT OFFERED", preflight.Provisioned: "provisioned", preflight.Unknown: "FAILED"}[r.Offered]
		verdict := func(d preflight.Destination) string {
			return map[string]string{preflight.VerdictAllowed: "ok", preflight.VerdictDenied: "DENIED", preflight.VerdictConditional: "CONDITIONAL"}[d.Verdict]
		}
		var dests []string
		for _, d := range r.Destinations {
			dests = append(dests, d.Region+" "+verdict(d))
		}
		line := strings.Join(dests, ", ")
		if r.Global && len(r.Destinations) > 1 {
			// IAM sees every other Region as one Region-less evaluation.
			line = fmt.Sprintf("%s %s, %d more Regions (global, IAM sees \"unspecified\") %s", r.Destinations[0].Region, verdict(r.Destinations[0]), len(r.Destinations)-1, verdict(r.Destinations[1]))
		}
		if r.Offered == preflight.NotOffered {
			line = "-"
		}
		if r.Verdict == preflight.VerdictFailed {
			line = "not checked (see below)"
		}
		if r.Offered == preflight.ProfileOnly && len(r.Profiles) > 0 {
			line += " (call " + strings.Join(r.Profiles, " or ") + ")"
		}
		fmt.Fprintf(w, "%-*s %-*s %-13s %s\n", regionW, r.Region, modelW, r.Model, offered, line)
	}
	if f := m.Fix; f != nil {
		if f.Statement != nil {
			fmt.Fprintf(w, "\nfix for the whole matrix: add this statement to the caller's identity policy:\n%s\n", f.Statement)
		}
		for _, a := range f.Advice {
			fmt.Fprintf(w, "\nfix: %s\n", a)
		}
	}
	for _, n := range m.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	fmt.Fprintln(w)
	for _, r := range m.Rows {
		if r.Verdict == preflight.VerdictFailed {
			fmt.Fprintf(w, "failed: %s %s: %s\n", r.Region, r.Model, r.Error)
		}
	}
	if m.Failed > 0 && m.Fix != nil {
		fmt.Fprintf(w, "failed: the fix above covers only the rows checked: run preflight again for the failed rows once they can be read\n")
	}
	if m.OK() {
		fmt.Fprintln(w, "all clear")
		return
	}
	denials := 0
	once := map[string]bool{}
	for _, r := range m.Rows {
		for _, f := range r.Findings {
			switch f.Kind {
			case "denied":
				denials++ // shown in the table
			case "unreadable-statement":
				// The same policies serve every row: say it once.
				if !once[f.Message] {
					once[f.Message] = true
					fmt.Fprintf(w, "finding: %s: %s\n", f.Kind, f.Message)
				}
			default:
				fmt.Fprintf(w, "finding: %s %s: %s: %s\n", r.Region, r.Model, f.Kind, f.Message)
			}
		}
	}
	if denials > 0 {
		fmt.Fprintf(w, "finding: %d IAM denials, marked DENIED above (--output json lists each)\n", denials)
	}
}

func printPreflight(w io.Writer, r *preflight.Report) {
	fmt.Fprintf(w, "preflight: %s in %s\n", r.Model, r.Region)
	if r.Principal != nil {
		fmt.Fprintf(w, "principal: %s\n", r.Principal)
	}
	fmt.Fprintln(w)
	c := r.Catalog
	status := "ok"
	switch c.Offered {
	case preflight.NotOffered:
		status = "NOT OFFERED"
	case preflight.ProfileOnly:
		status = "PROFILE ONLY"
	case preflight.Provisioned:
		status = "unchecked"
	}
	name := c.ModelID
	if c.ModelName != "" {
		name += " (" + c.ModelName + ")"
	}
	fmt.Fprintf(w, "catalog   %-8s %s %s", status, c.Kind, r.Model)
	if c.Kind != "foundation-model" && name != "" {
		fmt.Fprintf(w, " -> %s", name)
	}
	if c.Lifecycle != "" {
		fmt.Fprintf(w, ", %s", c.Lifecycle)
		if c.EndOfLife != "" {
			fmt.Fprintf(w, " (end of life %s)", c.EndOfLife)
		}
	}
	fmt.Fprintln(w)
	if len(c.Profiles) > 0 {
		fmt.Fprintf(w, "          call it through: %s\n", strings.Join(c.Profiles, ", "))
	}
	if len(c.Alternatives) > 0 {
		var alts []string
		for _, a := range c.Alternatives {
			if a.ProfileID == "" {
				alts = append(alts, a.Region+" (on demand)")
			} else {
				alts = append(alts, a.Region+" via "+a.ProfileID)
			}
		}
		fmt.Fprintf(w, "          offered in: %s\n", strings.Join(alts, ", "))
	}
	if rt := r.Routing; rt != nil {
		kind := "geographic"
		if rt.Application {
			kind = "application profile " + rt.ProfileARN + ", copied routes"
		}
		if rt.Global {
			kind = "global (IAM sees arn:" + catalog.Partition(r.Region) + ":bedrock:::foundation-model/... with aws:RequestedRegion=unspecified)"
		}
		fmt.Fprintf(w, "routing   %-8s %s -> %s (%s)\n", "", r.Region, strings.Join(rt.Destinations, ", "), kind)
	}
	printChecks(w, r.IAM)
	if f := r.Fix; f != nil {
		if f.Statement != nil {
			fmt.Fprintf(w, "\nfix: add this statement to the caller's identity policy:\n%s\n", f.Statement)
		}
		for _, a := range f.Advice {
			fmt.Fprintf(w, "\nfix: %s\n", a)
		}
	}
	if len(r.UnsuppliedKeys) > 0 {
		fmt.Fprintf(w, "\nthe policies also test %s, which the run does not supply (give --context KEY=VALUE)\n", strings.Join(r.UnsuppliedKeys, ", "))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	fmt.Fprintln(w)
	if r.OK() {
		fmt.Fprintln(w, "all clear")
		return
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "finding: %s: %s\n", f.Kind, f.Message)
	}
}

// printChecks prints one line per resource when both actions agree, one
// per action otherwise.
func printChecks(w io.Writer, checks []preflight.Check) {
	var order []string
	byResource := map[string][]preflight.Check{}
	for _, c := range checks {
		if byResource[c.Resource] == nil {
			order = append(order, c.Resource)
		}
		byResource[c.Resource] = append(byResource[c.Resource], c)
	}
	verdict := func(c preflight.Check) string {
		v := "allowed"
		by := ""
		switch {
		case c.Conditional:
			v, by = "CONDITIONAL", c.When
		case !c.Allowed:
			v, by = "DENIED", c.Reason
		}
		if c.Policy != "" {
			if by != "" {
				by += ": "
			}
			by += filepath.Base(c.Policy)
			if c.Statement != "" {
				by += " " + c.Statement
			}
		}
		return v + "\x00" + by + "\x00" + strings.Join(otherLayers(c, by), "\x00")
	}
	width := 8 // the verdict column, wider when a check is conditional
	for _, c := range checks {
		if c.Conditional {
			width = len("CONDITIONAL")
		}
	}
	for _, res := range order {
		cs := byResource[res]
		same := true
		for _, c := range cs[1:] {
			same = same && verdict(c) == verdict(cs[0])
		}
		label := cs[0].Role
		switch cs[0].Role {
		case "foundation model in the source Region", "foundation model in a destination Region", "foundation model":
			label = "model in " + cs[0].RequestedRegion
		case "Region-less global foundation model":
			label = "global model (unspecified)"
		}
		for i, c := range cs {
			if same && i > 0 {
				break
			}
			parts := strings.Split(verdict(c), "\x00")
			v, by := parts[0], parts[1]
			actions := "both actions"
			if !same {
				actions = strings.TrimPrefix(c.Action, "bedrock:")
			}
			fmt.Fprintf(w, "iam       %-*s %-28s %s (%s)", width, v, label, res, actions)
			if by != "" {
				fmt.Fprintf(w, ": %s", by)
			}
			fmt.Fprintln(w)
			for _, o := range parts[2:] {
				if o != "" {
					// Another layer that denies too: each must change.
					fmt.Fprintf(w, "          %-*s also: %s\n", width, "", o)
				}
			}
		}
	}
}

// otherLayers words, for a denied check, the problems of the layers
// other than the one that decided (by, as the check's line words it):
// every other Deny statement that applies, and every layer without an
// Allow, one each.
func otherLayers(c preflight.Check, by string) []string {
	if c.Allowed || c.Conditional {
		return nil
	}
	in := map[string]string{"scp": "a service control policy", "identity": "an identity-based policy", "boundary": "a permissions boundary", "session": "a session policy"}
	var out []string
	add := func(s string) {
		if s != by && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, d := range c.ExplicitDenies {
		add("explicit deny in " + in[d.Layer] + ": " + filepath.Base(d.Policy) + " " + d.Statement)
	}
	for _, m := range c.MissingAllow {
		switch layer, policy, _ := strings.Cut(m, ":"); layer {
		case "scp":
			add("no service control policy allows it: " + filepath.Base(policy))
		case "identity":
			add("no identity-based policy allows it")
		case "boundary":
			add("no permissions boundary allows it")
		case "session":
			add("no session policy allows it")
		}
	}
	return out
}

// loadMatrixTargets reads --targets as replay and record do, told apart by
// what the file holds: a project file (a mapping: its targets), a JSON list
// of {"region", "model"} (names and the rest of a target are not needed
// here), or a YAML list of targets.
func loadMatrixTargets(ctx context.Context, file string) ([]preflight.Target, error) {
	data, err := bounded.ReadFileContext(ctx, file, preflight.MaxTargetsSize, "not a targets file")
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimLeft(validutf8.TrimBOM(data), " \t\r\n"); len(t) > 0 && t[0] == '[' && (json.Valid(t) || jsonQuoted(t)) {
		// A JSON list, whose entries need no name here; one with a
		// syntax error (a comma before ]) gets JSON's position and fix.
		return preflight.ParseTargets(file, data)
	}
	// A YAML list (a flow list "[{...}]" too), or a project file, as
	// every command takes them.
	bts, _, err := project.ParseTargets(file, data)
	if err != nil {
		return nil, err
	}
	if len(bts) == 0 {
		return nil, fmt.Errorf("%s: no targets", file)
	}
	out := make([]preflight.Target, 0, len(bts))
	for _, t := range bts {
		out = append(out, preflight.Target{Region: t.Region, Model: t.Model})
	}
	return out, nil
}

// jsonQuoted tells whether the list t opens its first entry with a
// quoted member name, as JSON does and YAML's flow style need not:
// [{"region": ...
func jsonQuoted(t []byte) bool {
	t = bytes.TrimLeft(t[1:], " \t\r\n")
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	t = bytes.TrimLeft(t[1:], " \t\r\n")
	return len(t) > 0 && t[0] == '"'
}

// projectMatrixTargets gives the targets of the project file found from the
// working directory up.
func projectMatrixTargets() ([]preflight.Target, error) {
	p, err := project.Discover(".")
	if err != nil {
		return nil, usagef("%v", err)
	}
	ts, err := matrixTargets(p, project.FileName)
	if err != nil {
		return nil, usagef("--matrix: %v; give --region and --model, or --targets FILE", err)
	}
	return ts, nil
}

func matrixTargets(p *project.Project, where string) ([]preflight.Target, error) {
	if len(p.Targets) == 0 {
		return nil, fmt.Errorf("%s lists no targets", where)
	}
	out := make([]preflight.Target, 0, len(p.Targets))
	for _, t := range p.Targets {
		out = append(out, preflight.Target{Region: t.Region, Model: t.Model})
	}
	return out, nil
}
