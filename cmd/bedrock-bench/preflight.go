package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/bedrock-bench/bedrock-bench/bench/preflight"
)

func runPreflight(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("preflight", "preflight --region R --model ID|PROFILE-ID|ARN [--policy FILE ...] [--scp FILE ...] [--principal ARN] [--live] [--endpoint URL] [--output text|json]", `  bedrock-bench preflight --region us-east-1 --model us.amazon.nova-pro-v1:0 --policy role.json
  bedrock-bench preflight --region eu-west-1 --model global.anthropic.claude-opus-4-6-v1 --policy role.json --scp org-region-allowlist.json
  bedrock-bench preflight --region us-east-1 --model us.amazon.nova-pro-v1:0 --live --principal arn:aws:iam::111122223333:role/app
  bedrock-bench preflight --endpoint http://127.0.0.1:8787 --region ap-south-1 --model anthropic.claude-3-5-haiku-20241022-v1:0 --output json
`, stderr)
	region := fs.String("region", "", "the Region to migrate to (required)")
	model := fs.String("model", "", "model id, inference profile id or ARN (required)")
	policies := fs.StringArray("policy", nil, "identity policy JSON file of the caller (repeatable)")
	scps := fs.StringArray("scp", nil, "SCP file(s) for one organization level, comma-separated (repeat per level, root first); each level also holds FullAWSAccess")
	principal := fs.String("principal", "", "the caller's ARN (required with --live)")
	live := fs.Bool("live", false, "check IAM with iam:SimulatePrincipalPolicy for --principal instead of policy files")
	endpoint := fs.String("endpoint", "", "Bedrock control-plane endpoint (the emulator's); credentials default to its fake key pair")
	iamEndpoint := fs.String("iam-endpoint", "", "IAM endpoint for --live (default: AWS)")
	output := fs.String("output", "text", "text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("output", *output, "text", "json"); err != nil {
		return err
	}
	switch {
	case *region == "" || *model == "":
		return usagef("--region and --model are required")
	case *live && *principal == "":
		return usagef("--live needs --principal, the role or user to simulate")
	case *live && (len(*policies) > 0 || len(*scps) > 0):
		return usagef("--live checks the principal's real policies; drop --policy and --scp, or drop --live")
	case !*live && len(*policies) == 0:
		return usagef("give the caller's policies with --policy (and --scp), or use --live")
	}
	cfg, err := awsConfig(ctx, *region, *endpoint)
	if err != nil {
		return err
	}
	in := preflight.Input{Region: *region, Model: *model}
	if *live {
		iamCfg := cfg.Copy()
		iamCfg.BaseEndpoint = nil
		if *iamEndpoint != "" {
			iamCfg.BaseEndpoint = aws.String(*iamEndpoint)
		}
		in.Simulator, in.PrincipalARN = iamsdk.NewFromConfig(iamCfg), *principal
	} else {
		p, err := loadPrincipal(*principal, *policies, *scps)
		if err != nil {
			return err
		}
		if p.ARN == "" {
			p.ARN = "the caller"
		}
		in.Principal = p
	}
	rep, err := preflight.Run(ctx, bedrock.NewFromConfig(cfg), in)
	if err != nil {
		return &usageError{err.Error()}
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printPreflight(stdout, rep)
	}
	if !rep.OK() {
		noun := "findings"
		if len(rep.Findings) == 1 {
			noun = "finding"
		}
		return &findingsError{fmt.Sprintf("%d %s", len(rep.Findings), noun)}
	}
	return nil
}

func printPreflight(w io.Writer, r *preflight.Report) {
	fmt.Fprintf(w, "preflight: %s in %s\n\n", r.Model, r.Region)
	c := r.Catalog
	status := "ok"
	switch c.Offered {
	case preflight.NotOffered:
		status = "NOT OFFERED"
	case preflight.ProfileOnly:
		status = "PROFILE ONLY"
	}
	name := c.ModelID
	if c.ModelName != "" {
		name += " (" + c.ModelName + ")"
	}
	fmt.Fprintf(w, "catalog   %-8s %s %s", status, c.Kind, r.Model)
	if c.Kind == "inference-profile" && name != "" {
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
		if rt.Global {
			kind = "global (IAM sees arn:aws:bedrock:::foundation-model/... with aws:RequestedRegion=unspecified)"
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
		if !c.Allowed {
			v = "DENIED"
		}
		by := ""
		if !c.Allowed {
			by = c.Reason
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
		return v + "\x00" + by
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
			v, by, _ := strings.Cut(verdict(c), "\x00")
			actions := "both actions"
			if !same {
				actions = strings.TrimPrefix(c.Action, "bedrock:")
			}
			fmt.Fprintf(w, "iam       %-8s %-28s %s (%s)", v, label, res, actions)
			if by != "" {
				fmt.Fprintf(w, ": %s", by)
			}
			fmt.Fprintln(w)
		}
	}
}
