// Package refresh rebuilds a model catalog (package catalog's format) from
// an account's Bedrock control plane, Region by Region: ListFoundationModels
// (one call: the operation has no pagination) and ListInferenceProfiles
// with typeEquals SYSTEM_DEFINED, through every page.
//
// What the API does not say is carried over from a base catalog: prompt
// caching limits, output limits and context windows, source notes, the
// service tier table, and the models no Region lists any more because
// they are past their end of life (so that the emulator still answers
// them as retired, not as unknown ids).
package refresh

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/internal/pages"
)

// ControlPlane is what Run reads from one Region's Bedrock control plane.
type ControlPlane interface {
	ListFoundationModels(context.Context, *bedrock.ListFoundationModelsInput, ...func(*bedrock.Options)) (*bedrock.ListFoundationModelsOutput, error)
	ListInferenceProfiles(context.Context, *bedrock.ListInferenceProfilesInput, ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error)
}

var _ ControlPlane = (*bedrock.Client)(nil)

// Input says what to read and what to keep.
type Input struct {
	// Regions are read in this order and become the catalog's regions.
	Regions []string
	// Client returns the control plane of a Region.
	Client func(region string) (ControlPlane, error)
	// Base is the catalog whose hand-kept fields are carried over; nil
	// for none.
	Base *catalog.Catalog
	// AsOf is the catalog's date: the day of the reading.
	AsOf time.Time
	// Progress, when set, is told each Region before it is read: its
	// place (from 1) among n.
	Progress func(region string, i, n int)
}

// PageSize is how many profiles each ListInferenceProfiles call asks for:
// the most the API allows. Tests lower it.
var PageSize int32 = 1000

// RegionError is a Region whose control plane could not be read: the
// catalog is not written without it, as a missing Region would drop its
// models and routes silently.
type RegionError struct {
	Region, Operation string
	Err               error
}

func (e *RegionError) Error() string {
	return fmt.Sprintf("%s: %s: %v", e.Region, e.Operation, e.Err)
}

func (e *RegionError) Unwrap() error { return e.Err }

// ErrRepeatedToken is a listing that handed out a page token it had
// handed out before (see [pages.ErrRepeatedToken]).
var ErrRepeatedToken = pages.ErrRepeatedToken

// seen is what the Regions said about one foundation model.
type seen struct {
	summary   types.FoundationModelSummary
	onDemand  []string
	lifecycle map[string]catalog.Lifecycle
	order     []string // Regions that listed it, in reading order
}

// Run reads every Region and returns the catalog, validated by
// catalog.Parse, and its JSON. The first Region that cannot be read stops
// it with a *RegionError (the SDK client's retryer has already retried
// throttling and transient errors).
func Run(ctx context.Context, in Input) (*catalog.Catalog, []byte, error) {
	if len(in.Regions) == 0 {
		return nil, nil, errors.New("refresh: no Regions to read")
	}
	if in.AsOf.IsZero() {
		in.AsOf = time.Now()
	}
	asOf := in.AsOf.UTC().Format(time.DateOnly)
	models := map[string]*seen{}
	profiles := map[string]*catalog.Profile{}
	leftOut := map[string]bool{} // listed, and not a text model to keep
	for i, region := range in.Regions {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if in.Progress != nil {
			in.Progress(region, i+1, len(in.Regions))
		}
		cp, err := in.Client(region)
		if err != nil {
			return nil, nil, &RegionError{region, "client", err}
		}
		out, err := cp.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{})
		if err != nil {
			return nil, nil, &RegionError{region, "ListFoundationModels", err}
		}
		for _, s := range out.ModelSummaries {
			id := aws.ToString(s.ModelId)
			// The catalog describes text models called on demand or
			// through a profile: embeddings, image generators and the
			// provisioned-only variants (ids with a context suffix, such
			// as ":200k") are left out.
			callable := slices.Contains(s.InferenceTypesSupported, types.InferenceTypeOnDemand) || slices.Contains(s.InferenceTypesSupported, types.InferenceType("INFERENCE_PROFILE"))
			if id == "" || !callable || !slices.Contains(s.OutputModalities, types.ModelModalityText) {
				leftOut[id] = true
				continue
			}
			m := models[id]
			if m == nil {
				m = &seen{summary: s, lifecycle: map[string]catalog.Lifecycle{}}
				models[id] = m
			}
			m.order = append(m.order, region)
			if slices.Contains(s.InferenceTypesSupported, types.InferenceTypeOnDemand) {
				m.onDemand = append(m.onDemand, region)
			}
			m.lifecycle[region] = lifecycleOf(s.ModelLifecycle, asOf)
		}
		// Every page, each token once (see package pages).
		err = pages.Each(func(token *string) (*string, error) {
			page, err := cp.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{TypeEquals: types.InferenceProfileTypeSystemDefined, MaxResults: aws.Int32(PageSize), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, s := range page.InferenceProfileSummaries {
				if err := addProfile(profiles, region, in.Regions, s); err != nil {
					return nil, err
				}
			}
			return page.NextToken, nil
		})
		if err != nil {
			return nil, nil, &RegionError{region, "ListInferenceProfiles", err}
		}
	}
	// A profile of a model left out (an image generator's, an embedding
	// model's: Stability, Cohere Embed and TwelveLabs have system-defined
	// profiles) is left out with it; a profile whose model no Region
	// listed at all is kept (assemble finds it in the base, or makes a
	// bare entry).
	for id, p := range profiles {
		if models[p.Model] == nil && leftOut[p.Model] {
			delete(profiles, id)
		}
	}
	c := assemble(in, asOf, models, profiles)
	data, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		return nil, nil, err
	}
	data = append(data, '\n')
	parsed, err := catalog.Parse("refreshed catalog", data)
	if err != nil {
		return nil, nil, err
	}
	return parsed, data, nil
}

// lifecycleOf turns the API's lifecycle into the catalog's dates. A model
// reported LEGACY without a legacy time is taken as Legacy since the day
// of the reading.
func lifecycleOf(lc *types.FoundationModelLifecycle, asOf string) catalog.Lifecycle {
	if lc == nil {
		return catalog.Lifecycle{}
	}
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.DateOnly)
	}
	out := catalog.Lifecycle{StartOfLife: day(lc.StartOfLifeTime), Legacy: day(lc.LegacyTime), PublicExtendedAccess: day(lc.PublicExtendedAccessTime), EndOfLife: day(lc.EndOfLifeTime)}
	if lc.Status == types.FoundationModelLifecycleStatusLegacy && out.Legacy == "" {
		out.Legacy = asOf
	}
	return out
}

// addProfile records a system-defined profile as listed in region: its
// model and the destinations its models' ARNs name. A global profile's
// models are the Region-less ARN and the caller's Region's; its
// destinations are every Region read, as the catalog spells them.
func addProfile(profiles map[string]*catalog.Profile, region string, regions []string, s types.InferenceProfileSummary) error {
	id := aws.ToString(s.InferenceProfileId)
	if id == "" {
		return errors.New("a profile without an id")
	}
	var model string
	var dests []string
	global := false
	for _, m := range s.Models {
		arn := aws.ToString(m.ModelArn)
		parts := strings.SplitN(arn, ":", 6)
		name, ok := strings.CutPrefix(parts[len(parts)-1], "foundation-model/")
		if len(parts) != 6 || !ok || name == "" {
			return fmt.Errorf("profile %s: model ARN %q is not a foundation-model ARN", id, arn)
		}
		if model != "" && model != name {
			return fmt.Errorf("profile %s: names two models, %s and %s", id, model, name)
		}
		model = name
		if parts[3] == "" {
			global = true
			continue
		}
		if !slices.Contains(dests, parts[3]) {
			dests = append(dests, parts[3])
		}
	}
	if model == "" {
		return fmt.Errorf("profile %s: no model", id)
	}
	if global {
		dests = slices.Clone(regions)
	}
	slices.Sort(dests)
	p := profiles[id]
	if p == nil {
		p = &catalog.Profile{ID: id, Name: aws.ToString(s.InferenceProfileName), Model: model, Global: global, Routes: map[string][]string{}}
		profiles[id] = p
	} else if p.Model != model {
		return fmt.Errorf("profile %s: names %s here, %s in another Region", id, model, p.Model)
	}
	p.Routes[region] = dests
	return nil
}

// assemble builds the catalog: the models and profiles read, in the base
// catalog's order and then by id, with the base's hand-kept fields, plus
// the base's models past their end of life (no Region lists them).
func assemble(in Input, asOf string, models map[string]*seen, profiles map[string]*catalog.Profile) *catalog.Catalog {
	base := in.Base
	if base == nil {
		base = &catalog.Catalog{}
	}
	c := &catalog.Catalog{
		AsOf:         asOf,
		Description:  fmt.Sprintf("Refreshed on %s from ListFoundationModels and ListInferenceProfiles (SYSTEM_DEFINED) in %d Regions; prompt caching, output limits, context windows, source notes, service tiers and retired models carried over from the base catalog (as of %s).", asOf, len(in.Regions), cmp.Or(base.AsOf, "none")),
		Regions:      slices.Clone(in.Regions),
		ServiceTiers: base.ServiceTiers,
	}
	inRegions := func(rs []string) []string {
		return slices.DeleteFunc(slices.Clone(rs), func(r string) bool { return !slices.Contains(in.Regions, r) })
	}
	// A profile's model the model lists leave out (retired, or listed
	// nowhere) comes from the base, or as a bare entry.
	for _, p := range profiles {
		if models[p.Model] == nil {
			if _, ok := base.Model(p.Model); !ok {
				models[p.Model] = &seen{summary: types.FoundationModelSummary{ModelId: aws.String(p.Model)}, lifecycle: map[string]catalog.Lifecycle{}}
			}
		}
	}
	kept := map[string]bool{}
	var ids []string
	for _, m := range base.Models {
		if models[m.ID] != nil || m.Lifecycle.Status(in.AsOf) == catalog.EndOfLife {
			ids = append(ids, m.ID)
			kept[m.ID] = true
		}
	}
	var added []string
	for id := range models {
		if !kept[id] {
			added = append(added, id)
		}
	}
	slices.Sort(added)
	ids = append(ids, added...)
	for _, id := range ids {
		b, inBase := base.Model(id)
		s := models[id]
		if s == nil {
			// Retired: no Region lists it; keep the base's entry.
			m := *b
			m.OnDemand = inRegions(b.OnDemand)
			m.RegionLifecycle = nil
			for r, lc := range b.RegionLifecycle {
				if slices.Contains(m.OnDemand, r) {
					if m.RegionLifecycle == nil {
						m.RegionLifecycle = map[string]catalog.Lifecycle{}
					}
					m.RegionLifecycle[r] = lc
				}
			}
			c.Models = append(c.Models, &m)
			continue
		}
		m := &catalog.Model{
			ID:       id,
			Name:     cmp.Or(aws.ToString(s.summary.ModelName), id),
			Provider: cmp.Or(aws.ToString(s.summary.ProviderName), strings.SplitN(id, ".", 2)[0]),
			Input:    modalities(s.summary.InputModalities),
			Output:   modalities(s.summary.OutputModalities),
			OnDemand: s.onDemand,
		}
		if m.OnDemand == nil {
			m.OnDemand = []string{}
		}
		if inBase {
			m.PromptCaching, m.MaxOutputTokens, m.ContextWindow, m.ContextWindowBetas, m.Source = b.PromptCaching, b.MaxOutputTokens, b.ContextWindow, b.ContextWindowBetas, b.Source
			if s.summary.ModelName == nil {
				m.Name, m.Provider, m.Input, m.Output = b.Name, b.Provider, b.Input, b.Output
			}
		}
		if inBase && b.Lifecycle.Status(in.AsOf) == catalog.EndOfLife {
			// The Regions that retired it no longer list it, but still
			// answer it as retired: they stay.
			for _, r := range inRegions(b.OnDemand) {
				if !slices.Contains(m.OnDemand, r) {
					m.OnDemand = append(m.OnDemand, r)
				}
			}
		}
		m.Lifecycle, m.RegionLifecycle = lifecycles(s, b, inBase, in.AsOf)
		c.Models = append(c.Models, m)
	}
	// Profiles: the base's order, then by id; a retired model's profiles
	// from the base, where no Region lists them.
	var pids []string
	for _, p := range base.Profiles {
		if profiles[p.ID] == nil && kept[p.Model] && models[p.Model] == nil {
			q := *p
			q.Routes = map[string][]string{}
			for src, d := range p.Routes {
				if slices.Contains(in.Regions, src) {
					q.Routes[src] = d
				}
			}
			if len(q.Routes) > 0 {
				profiles[p.ID] = &q
			}
		}
		if profiles[p.ID] != nil {
			pids = append(pids, p.ID)
		}
	}
	var newP []string
	for id := range profiles {
		if _, ok := base.Profile(id); !ok {
			newP = append(newP, id)
		}
	}
	slices.Sort(newP)
	for _, id := range append(pids, newP...) {
		c.Profiles = append(c.Profiles, profiles[id])
	}
	// Destinations outside the Regions read.
	for _, p := range c.Profiles {
		for _, ds := range p.Routes {
			for _, d := range ds {
				if !slices.Contains(in.Regions, d) && !slices.Contains(c.DestinationRegions, d) {
					c.DestinationRegions = append(c.DestinationRegions, d)
				}
			}
		}
	}
	slices.Sort(c.DestinationRegions)
	return c
}

// lifecycles picks the model's lifecycle and the Regions whose own
// differs. A base model past its end of life keeps the base's lifecycle:
// the Regions that retired it no longer list it, and those that still do
// are the exceptions. Otherwise it is the one most Regions report (the
// first Region read breaks a tie). A Region's own is kept only where it
// serves the model on demand.
func lifecycles(s *seen, b *catalog.Model, inBase bool, asOf time.Time) (catalog.Lifecycle, map[string]catalog.Lifecycle) {
	var wide catalog.Lifecycle
	switch {
	case inBase && b.Lifecycle.Status(asOf) == catalog.EndOfLife:
		wide = b.Lifecycle
	case len(s.order) > 0:
		count := map[catalog.Lifecycle]int{}
		for _, r := range s.order {
			count[s.lifecycle[r]]++
		}
		wide = s.lifecycle[s.order[0]]
		for _, r := range s.order {
			if count[s.lifecycle[r]] > count[wide] {
				wide = s.lifecycle[r]
			}
		}
	case inBase:
		wide = b.Lifecycle
	}
	var own map[string]catalog.Lifecycle
	for _, r := range s.order {
		if lc := s.lifecycle[r]; lc != wide && slices.Contains(s.onDemand, r) {
			if own == nil {
				own = map[string]catalog.Lifecycle{}
			}
			own[r] = lc
		}
	}
	return wide, own
}

func modalities(ms []types.ModelModality) []string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m))
	}
	return out
}
