package preflight

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Target is one (Region, model) pair of a migration matrix.
type Target struct {
	Region string `json:"region"`
	// Model is a model id, an inference profile id, or an ARN (an
	// application inference profile's included).
	Model string `json:"model"`
}

// Targets crosses Regions and models: every model in every Region.
func Targets(regions, models []string) []Target {
	var out []Target
	for _, r := range regions {
		for _, m := range models {
			out = append(out, Target{Region: r, Model: m})
		}
	}
	return out
}

// Matrix is preflight over several Regions and models: one row each, and
// one statement that fixes every IAM denial of the whole matrix.
type Matrix struct {
	// Principal is the principal a live check simulated, and where its
	// ARN came from; nil when the policies were given as files.
	Principal *LivePrincipal `json:"principal,omitempty"`
	Rows      []Row          `json:"rows"`
	Fix       *Fix           `json:"fix,omitempty"`
	// Findings counts the rows' findings.
	Findings int `json:"findings"`
	// Notes gathers the rows' notes, once each.
	Notes []string `json:"notes,omitempty"`
	// Failed counts the rows that could not be checked (their verdict is
	// failed, their error says why); the fix covers the other rows only.
	Failed int `json:"failed,omitempty"`
}

// OK reports whether every row was checked and none has a finding.
func (m *Matrix) OK() bool { return m.Findings == 0 && m.Failed == 0 }

// The verdicts of a destination, and of a row.
const (
	VerdictAllowed     = "allowed"
	VerdictDenied      = "denied"
	VerdictConditional = "conditional"
	VerdictNotOffered  = "not-offered"
	// VerdictFailed is a row that could not be checked: a call to the
	// Region's control plane (or to IAM) failed; Row.Error says why.
	VerdictFailed = "failed"
)

// Unknown is the Offered of a row that could not be checked.
const Unknown = "unknown"

// Row is one (Region, model) of the matrix.
type Row struct {
	Region string `json:"region"`
	Model  string `json:"model"`
	// Offered is on-demand, via-profile, profile-only, not-offered,
	// provisioned, or unknown for a row that could not be checked.
	Offered string `json:"offered"`
	// Profiles lists the profiles to call instead, for profile-only.
	Profiles []string `json:"profiles,omitempty"`
	Global   bool     `json:"global,omitempty"`
	// Destinations: every Region a call may be served in, with the IAM
	// verdict for that Region.
	Destinations []Destination `json:"destinations"`
	// Verdict sums the row up: allowed, denied, conditional, not-offered,
	// or failed when the row could not be checked.
	Verdict  string    `json:"verdict"`
	Findings []Finding `json:"findings"`
	// Error says, for a failed row, what failed and what it means.
	Error string `json:"error,omitempty"`
	// Report is the full single-target report.
	Report *Report `json:"-"`
}

// Destination is one Region a row's calls may be served in.
type Destination struct {
	Region  string `json:"region"`
	Verdict string `json:"verdict"`
	// Reason says why, for a denial or a conditional verdict.
	Reason string `json:"reason,omitempty"`
}

// ControlPlaneFor returns the control-plane client for a Region.
type ControlPlaneFor func(region string) (ControlPlane, error)

// RunMatrix runs preflight for every target with in's principal or
// simulator (in.Region and in.Model are ignored) and builds the table and
// the fix for the whole matrix. A target whose check fails (a Region whose
// control plane refuses the caller, or does not answer) is a failed row,
// with its error explained, and the other rows are still checked; an
// input mistake, an error of cpFor (the configuration, the credentials:
// every row's), IAM's refusal of the simulation (a [RunError]: every
// row's too) or the end of ctx stops the matrix.
func RunMatrix(ctx context.Context, cpFor ControlPlaneFor, targets []Target, in Input) (*Matrix, error) {
	if len(targets) == 0 {
		return nil, ErrInput{"the matrix needs at least one Region and one model"}
	}
	m := &Matrix{Principal: in.livePrincipal(), Rows: []Row{}}
	var all []Check
	var advice []string
	for _, t := range targets {
		cp, err := cpFor(t.Region)
		if err != nil {
			return nil, err
		}
		tin := in
		tin.Region, tin.Model = t.Region, t.Model
		rep, err := Run(ctx, cp, tin)
		var ie ErrInput
		if err != nil && (ctx.Err() != nil || errors.As(err, &ie)) {
			return nil, err
		}
		if err != nil && concernsTheRun(err) {
			return nil, &RunError{Region: t.Region, Model: t.Model, Err: err}
		}
		if err != nil {
			m.Rows = append(m.Rows, Row{Region: t.Region, Model: t.Model, Offered: Unknown, Destinations: []Destination{}, Verdict: VerdictFailed, Findings: []Finding{}, Error: ExplainError(t.Region, err)})
			m.Failed++
			continue
		}
		row := rowOf(rep)
		m.Rows = append(m.Rows, row)
		m.Findings += len(row.Findings)
		if rep.Catalog.Offered == ProfileOnly && rep.Fix != nil {
			// No statement makes a profile-only model callable by its id.
			advice = append(advice, rep.Region+": "+rep.Fix.Advice[0])
		} else {
			all = append(all, rep.IAM...)
		}
		for _, n := range rep.Notes {
			if !contains(m.Notes, n) {
				m.Notes = append(m.Notes, n)
			}
		}
	}
	m.Fix = fix(dedupe(all), in)
	if len(advice) > 0 {
		if m.Fix == nil {
			m.Fix = &Fix{}
		}
		m.Fix.Advice = append(m.Fix.Advice, advice...)
	}
	return m, nil
}

// dedupe keeps the first check of each (action, resource, Region, profile
// key) so the fix lists each resource once.
func dedupe(checks []Check) []Check {
	seen := map[string]bool{}
	var out []Check
	for _, c := range checks {
		k := c.Action + "\x00" + c.Resource + "\x00" + c.RequestedRegion + "\x00" + fmt.Sprint(c.Allowed)
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

func rowOf(r *Report) Row {
	row := Row{Region: r.Region, Model: r.Model, Offered: r.Catalog.Offered, Profiles: r.Catalog.Profiles, Findings: r.Findings, Report: r, Destinations: []Destination{}}
	if row.Offered == NotOffered {
		row.Verdict = VerdictNotOffered
		return row
	}
	dests := []string{r.Region}
	if r.Routing != nil {
		row.Global = r.Routing.Global
		dests = append(dests[:0:0], r.Routing.Destinations...)
		if !contains(dests, r.Region) {
			// The source Region is evaluated even when it does not serve.
			dests = append([]string{r.Region}, dests...)
		}
	}
	// Which checks speak for a destination: its own Region's; for a
	// global profile every other Region is the Region-less "unspecified"
	// evaluation; the source Region also answers for the profile.
	checksFor := func(d string) []Check {
		var out []Check
		for _, c := range r.IAM {
			switch {
			case c.RequestedRegion == d:
				out = append(out, c)
			case row.Global && d != r.Region && c.RequestedRegion == "unspecified":
				out = append(out, c)
			}
		}
		return out
	}
	row.Verdict = VerdictAllowed
	for _, d := range dests {
		dst := Destination{Region: d, Verdict: VerdictAllowed}
		for _, c := range checksFor(d) {
			switch {
			case c.Allowed:
			case c.Conditional:
				if dst.Verdict == VerdictAllowed {
					dst.Verdict, dst.Reason = VerdictConditional, c.When
				}
			default:
				if dst.Verdict != VerdictDenied {
					dst.Verdict, dst.Reason = VerdictDenied, strings.TrimPrefix(c.Action, "bedrock:")+": "+c.Reason
				}
			}
		}
		row.Destinations = append(row.Destinations, dst)
		switch {
		case dst.Verdict == VerdictDenied:
			row.Verdict = VerdictDenied
		case dst.Verdict == VerdictConditional && row.Verdict == VerdictAllowed:
			row.Verdict = VerdictConditional
		}
	}
	sort.SliceStable(row.Destinations, func(i, j int) bool {
		// The source Region first, then alphabetical.
		if (row.Destinations[i].Region == r.Region) != (row.Destinations[j].Region == r.Region) {
			return row.Destinations[i].Region == r.Region
		}
		return row.Destinations[i].Region < row.Destinations[j].Region
	})
	return row
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
