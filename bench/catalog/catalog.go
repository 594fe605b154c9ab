// Package catalog is the Bedrock model catalog per Region: which
// foundation models each Region offers on demand, which system-defined
// inference profiles can be called from it and where they route, and each
// model's lifecycle.
//
// The emulator serves it; preflight checks a migration against it. To use
// it:
//
//  1. Take [Default], the embedded catalog, or [Load] your own file.
//  2. [Catalog.Resolve] a model id, profile id or ARN in a Region: the
//     result says what it is, whether the Region offers it, and the
//     Regions a call may be routed to.
//  3. Build IAM resources with [FoundationModelARN], [GlobalFoundationModelARN]
//     and [ProfileARN].
package catalog

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/closest"
	"github.com/bedrock-bench/bedrock-bench/internal/jsonpos"
)

//go:embed default.json
var defaultJSON []byte

// Catalog is the model catalog of a set of Regions.
type Catalog struct {
	// AsOf is the date the catalog describes (YYYY-MM-DD).
	AsOf        string `json:"asOf"`
	Description string `json:"description,omitempty"`
	// Regions are the Regions the catalog describes: the ones a call may
	// come from, where models are offered and profiles called (and the
	// ones the emulator serves).
	Regions []string `json:"regions"`
	// DestinationRegions are Regions that appear only as destinations of
	// profile routes, such as eu-south-1 for the eu. Claude Sonnet 4.5
	// profile: Bedrock may serve a call there, so IAM and SCPs must allow
	// the model there, but the catalog describes nothing called from
	// them, and the emulator does not serve them.
	DestinationRegions []string   `json:"destinationRegions,omitempty"`
	Models             []*Model   `json:"models"`
	Profiles           []*Profile `json:"profiles"`
	// ApplicationProfiles are the account's application inference
	// profiles (none in the embedded catalog: add them in your own file).
	ApplicationProfiles []*ApplicationProfile `json:"applicationProfiles,omitempty"`
	// ServiceTiers says which models take the priority and flex service
	// tiers, and from which Regions; a catalog without it says nothing
	// of tiers (see [Catalog.TierSupported]).
	ServiceTiers *ServiceTiers `json:"serviceTiers,omitempty"`

	models   map[string]*Model
	profiles map[string]*Profile
	apps     map[string]*ApplicationProfile
	regions  map[string]bool
	destOnly map[string]bool
}

// ServiceTiers is the catalog's service tier table: AWS lists the models
// that take the priority and flex tiers, with the Regions, on the user
// guide's service tiers page. Every model takes the default tier.
type ServiceTiers struct {
	// Source says where the table comes from.
	Source string `json:"source,omitempty"`
	// PriorityFlex maps a foundation model id to the Regions a call with
	// serviceTier priority or flex may come from. It may name models and
	// Regions the catalog does not list.
	PriorityFlex map[string][]string `json:"priorityFlex"`
}

// TierSupported reports whether a call to foundation model model from
// region may ask for service tier tier ("priority", "default", "flex"),
// and whether the catalog knows: known is false when it has no
// serviceTiers table, and for any other tier ("reserved" depends on the
// account's reservation).
func (c *Catalog) TierSupported(model, region, tier string) (supported, known bool) {
	switch {
	case tier == "default":
		return true, true
	case c.ServiceTiers == nil || (tier != "priority" && tier != "flex"):
		return false, false
	}
	return slices.Contains(c.ServiceTiers.PriorityFlex[model], region), true
}

// ApplicationProfile is an application inference profile: created in one
// Region of one account by copying a system-defined profile (whose routes
// it keeps) or a foundation model (which it calls in that Region).
type ApplicationProfile struct {
	// ID is the resource id at the end of its ARN, e.g. "hq2of259skzs".
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Region  string `json:"region"`
	Account string `json:"account"`
	// CopyFrom is the system profile id or foundation-model id copied.
	CopyFrom string `json:"copyFrom"`
}

// ARN is the application profile's ARN.
func (a *ApplicationProfile) ARN() string {
	return "arn:" + Partition(a.Region) + ":bedrock:" + a.Region + ":" + a.Account + ":application-inference-profile/" + a.ID
}

// Model is a foundation model.
type Model struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Provider string   `json:"provider"`
	Input    []string `json:"input,omitempty"`
	Output   []string `json:"output,omitempty"`
	// OnDemand lists the Regions that serve the model by its own id.
	OnDemand []string `json:"onDemand"`
	// PromptCaching holds the model's prompt caching limits; nil when
	// Bedrock caches nothing for it.
	PromptCaching *PromptCaching `json:"promptCaching,omitempty"`
	// MaxOutputTokens is the most output tokens a call may ask for
	// (Converse inferenceConfig.maxTokens, InvokeModel max_tokens): above
	// it Bedrock refuses the call (V-61). 0 when not known.
	MaxOutputTokens int `json:"maxOutputTokens,omitempty"`
	// ContextWindow is the most input tokens a call may send, as the
	// model's page states it: above it the model refuses the call (V-65).
	// 0 when not known.
	ContextWindow int `json:"contextWindow,omitempty"`
	// ContextWindowBetas maps an Anthropic beta (anthropic_beta in
	// additionalModelRequestFields) to the larger context window it opens,
	// such as context-1m-2025-08-07 for Claude Sonnet 4.5.
	ContextWindowBetas map[string]int `json:"contextWindowBetas,omitempty"`
	Lifecycle          Lifecycle      `json:"lifecycle"`
	// RegionLifecycle holds the model's lifecycle in the Regions where it
	// differs from Lifecycle: Bedrock retires a model Region by Region
	// where its model card says so (Claude 3 Haiku reached its end of
	// life on 2026-09-10 in most Regions, but not in ca-central-1, and is
	// Legacy in ap-northeast-2). It applies to calls by the model's own id
	// (on demand) from that Region; a call through a cross-Region profile
	// keeps Lifecycle [Inferred].
	RegionLifecycle map[string]Lifecycle `json:"regionLifecycle,omitempty"`
	// Source says where the entry's data comes from, where it is not the
	// pages the catalog's description names.
	Source string `json:"source,omitempty"`
}

// LifecycleIn is the model's lifecycle for a call by its own id from
// region: its RegionLifecycle entry there, otherwise Lifecycle.
func (m *Model) LifecycleIn(region string) Lifecycle {
	if lc, ok := m.RegionLifecycle[region]; ok {
		return lc
	}
	return m.Lifecycle
}

// StillServed lists, sorted, the Regions that serve m on demand on day t
// although its Lifecycle says it has reached its end of life there: the
// Regions of RegionLifecycle whose own lifecycle has not. Empty for a
// model that is not past its end of life, or is past it everywhere.
func (m *Model) StillServed(t time.Time) []string {
	if m.Lifecycle.Status(t) != EndOfLife {
		return nil
	}
	var out []string
	for r, lc := range m.RegionLifecycle {
		if m.OnDemandIn(r) && lc.Status(t) != EndOfLife {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// InputLimit is the context window a call gets with these Anthropic
// betas turned on: the largest a beta opens, or ContextWindow. 0 means
// no known limit.
func (m *Model) InputLimit(betas []string) int {
	limit := m.ContextWindow
	for _, b := range betas {
		if n := m.ContextWindowBetas[b]; n > limit && limit > 0 {
			limit = n
		}
	}
	return limit
}

// PromptCaching is what Bedrock's prompt caching page gives for a model:
// a cache point whose prompt prefix is shorter than MinTokens is ignored
// (the call succeeds and nothing is cached), and a cache point's ttl is
// one of TTLs.
type PromptCaching struct {
	// MinTokens is the minimum number of tokens per cache checkpoint.
	MinTokens int `json:"minTokens"`
	// TTLs are the cache point ttl values the model takes: "5m" (the
	// default, and the one when the list is empty) and "1h".
	TTLs []string `json:"ttls,omitempty"`
}

// TakesTTL reports whether a cache point may carry ttl ("" or "5m" always).
func (p *PromptCaching) TakesTTL(ttl string) bool {
	return ttl == "" || ttl == "5m" || slices.Contains(p.TTLs, ttl)
}

// Lifecycle holds a model's lifecycle dates (YYYY-MM-DD); empty means not
// scheduled.
type Lifecycle struct {
	StartOfLife          string `json:"startOfLife,omitempty"`
	Legacy               string `json:"legacy,omitempty"`
	PublicExtendedAccess string `json:"publicExtendedAccess,omitempty"`
	EndOfLife            string `json:"endOfLife,omitempty"`
}

// Status is a model's lifecycle state on a given day.
type Status string

// The lifecycle states. The service's API names only ACTIVE and LEGACY;
// an end-of-life model is reported LEGACY and refuses invocations.
const (
	Active    Status = "ACTIVE"
	Legacy    Status = "LEGACY"
	EndOfLife Status = "END_OF_LIFE"
)

// Status returns the state on day t.
func (l Lifecycle) Status(t time.Time) Status {
	day := t.UTC().Format(time.DateOnly)
	switch {
	case l.EndOfLife != "" && day >= l.EndOfLife:
		return EndOfLife
	case l.Legacy != "" && day >= l.Legacy:
		return Legacy
	}
	return Active
}

// Profile is a system-defined cross-Region inference profile.
type Profile struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Model string `json:"model"`
	// Global profiles route across all commercial Regions, and IAM sees
	// their destinations as one Region-less foundation-model ARN.
	Global bool `json:"global,omitempty"`
	// Routes maps each source Region (where the profile can be called) to
	// the destination Regions a request may be served in. A source is one
	// of the catalog's Regions; a destination is one of its Regions or of
	// its DestinationRegions.
	Routes map[string][]string `json:"routes"`
}

// Default returns the embedded catalog. Each call returns a fresh copy.
func Default() *Catalog {
	c, err := Parse("default.json", defaultJSON)
	if err != nil {
		panic("catalog: embedded default.json is invalid: " + err.Error())
	}
	return c
}

// defaultLimits maps each model of the embedded catalog to its
// MaxOutputTokens, read once.
var defaultLimits = sync.OnceValue(func() map[string]int {
	limits := map[string]int{}
	for _, m := range Default().Models {
		if m.MaxOutputTokens > 0 {
			limits[m.ID] = m.MaxOutputTokens
		}
	}
	return limits
})

// MaxOutputTokens returns the embedded catalog's MaxOutputTokens for a
// foundation-model id (no profile prefix), or 0 when the catalog does not
// know it. It reads the catalog once, so it is cheap to call per request.
func MaxOutputTokens(modelID string) int { return defaultLimits()[modelID] }

// defaultTextOnly holds the models of the embedded catalog whose input
// modalities do not include IMAGE, read once.
var defaultTextOnly = sync.OnceValue(func() map[string]bool {
	text := map[string]bool{}
	for _, m := range Default().Models {
		if !slices.Contains(m.Input, "IMAGE") {
			text[m.ID] = true
		}
	}
	return text
})

// TakesNoImages reports whether the embedded catalog knows the
// foundation-model id (no profile prefix) and lists no IMAGE among its
// input modalities: Bedrock refuses an image for it (V-42). A model the
// catalog does not know gives false. It reads the catalog once, so it is
// cheap to call per request.
func TakesNoImages(modelID string) bool { return defaultTextOnly()[modelID] }

// defaultNoVideo holds the models of the embedded catalog whose input
// modalities do not include VIDEO, read once.
var defaultNoVideo = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, m := range Default().Models {
		if !slices.Contains(m.Input, "VIDEO") {
			out[m.ID] = true
		}
	}
	return out
})

// TakesNoVideo reports whether the embedded catalog knows the
// foundation-model id (no profile prefix) and lists no VIDEO among its
// input modalities: Bedrock refuses a video block for it (V-42). A model
// the catalog does not know gives false. It reads the catalog once, so it
// is cheap to call per request.
func TakesNoVideo(modelID string) bool { return defaultNoVideo()[modelID] }

// MaxFileSize bounds a catalog file: the embedded one is 90 KB.
const MaxFileSize = 16 << 20

// Load reads and validates a catalog file, at most MaxFileSize bytes of
// it: a device or FIFO named by mistake is refused, not read without end.
func Load(path string) (*Catalog, error) {
	return LoadContext(context.Background(), path)
}

// LoadContext is Load that gives up when ctx ends, the read of a named
// pipe nothing writes to included (a *bounded.InterruptedError wrapping
// ctx's error).
func LoadContext(ctx context.Context, path string) (*Catalog, error) {
	data, err := bounded.ReadFileContext(ctx, path, MaxFileSize, "not a catalog (bench/catalog/default.json shows the format)")
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes and validates a catalog; errors name the file and the
// offending entry.
func Parse(name string, data []byte) (*Catalog, error) {
	if err := validutf8.Check(name, data); err != nil {
		return nil, err
	}
	data = validutf8.TrimBOM(data)
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: not a catalog (bench/catalog/default.json shows the format): %s", jsonpos.At(name, data, err), jsonpos.Problem(data, err))
	}
	if err := c.index(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

func (c *Catalog) index() error {
	if _, err := time.Parse(time.DateOnly, c.AsOf); err != nil {
		return fmt.Errorf("asOf: want a date like 2026-11-20, got %q", c.AsOf)
	}
	if len(c.Regions) == 0 {
		return fmt.Errorf("regions: empty")
	}
	c.regions = map[string]bool{}
	for _, r := range c.Regions {
		c.regions[r] = true
	}
	c.destOnly = map[string]bool{}
	for i, r := range c.DestinationRegions {
		switch {
		case r == "":
			return fmt.Errorf("destinationRegions[%d]: empty", i)
		case c.regions[r]:
			return fmt.Errorf("destinationRegions[%d]: %q is in regions too: a Region of regions may be a destination already", i, r)
		case c.destOnly[r]:
			return fmt.Errorf("destinationRegions[%d]: %q is listed twice", i, r)
		}
		c.destOnly[r] = true
	}
	c.models = map[string]*Model{}
	for i, m := range c.Models {
		switch {
		case m == nil || m.ID == "":
			return fmt.Errorf("models[%d]: id is missing", i)
		case c.models[m.ID] != nil:
			return fmt.Errorf("models[%d]: %s is listed twice", i, m.ID)
		}
		for _, r := range m.OnDemand {
			if !c.regions[r] {
				return fmt.Errorf("models[%d] (%s): onDemand names %q, %s", i, m.ID, r, c.notInRegions(r))
			}
		}
		if err := checkLifecycle(m.Lifecycle); err != nil {
			return fmt.Errorf("models[%d] (%s): lifecycle.%w", i, m.ID, err)
		}
		for r, lc := range m.RegionLifecycle {
			switch {
			case !c.regions[r]:
				return fmt.Errorf("models[%d] (%s): regionLifecycle names %q, %s", i, m.ID, r, c.notInRegions(r))
			case !m.OnDemandIn(r):
				return fmt.Errorf("models[%d] (%s): regionLifecycle names %q, where onDemand does not offer it: a Region's own lifecycle is that of calls by the model's id", i, m.ID, r)
			}
			if err := checkLifecycle(lc); err != nil {
				return fmt.Errorf("models[%d] (%s): regionLifecycle.%s.%w", i, m.ID, r, err)
			}
		}
		if pc := m.PromptCaching; pc != nil {
			if pc.MinTokens <= 0 {
				return fmt.Errorf("models[%d] (%s): promptCaching.minTokens: want the minimum number of tokens per cache checkpoint (a number above 0), got %d", i, m.ID, pc.MinTokens)
			}
			for _, t := range pc.TTLs {
				if t != "5m" && t != "1h" {
					return fmt.Errorf("models[%d] (%s): promptCaching.ttls: want \"5m\" or \"1h\", got %q", i, m.ID, t)
				}
			}
		}
		if m.MaxOutputTokens < 0 {
			return fmt.Errorf("models[%d] (%s): maxOutputTokens: want the most output tokens a call may ask for (a number above 0, or none when not known), got %d", i, m.ID, m.MaxOutputTokens)
		}
		if m.ContextWindow < 0 {
			return fmt.Errorf("models[%d] (%s): contextWindow: want the most input tokens a call may send (a number above 0, or none when not known), got %d", i, m.ID, m.ContextWindow)
		}
		for beta, n := range m.ContextWindowBetas {
			if m.ContextWindow == 0 || n <= m.ContextWindow {
				return fmt.Errorf("models[%d] (%s): contextWindowBetas.%s: want a context window above contextWindow (%d), got %d", i, m.ID, beta, m.ContextWindow, n)
			}
		}
		if len(m.Output) == 0 {
			m.Output = []string{"TEXT"}
		}
		if len(m.Input) == 0 {
			m.Input = []string{"TEXT"}
		}
		c.models[m.ID] = m
	}
	c.profiles = map[string]*Profile{}
	for i, p := range c.Profiles {
		switch {
		case p == nil || p.ID == "":
			return fmt.Errorf("profiles[%d]: id is missing", i)
		case c.profiles[p.ID] != nil:
			return fmt.Errorf("profiles[%d]: %s is listed twice", i, p.ID)
		case c.models[p.Model] == nil:
			return fmt.Errorf("profiles[%d] (%s): model %q is not in models", i, p.ID, p.Model)
		case len(p.Routes) == 0:
			return fmt.Errorf("profiles[%d] (%s): routes is empty", i, p.ID)
		}
		for src, dests := range p.Routes {
			if !c.regions[src] {
				return fmt.Errorf("profiles[%d] (%s): routes names source %q, %s", i, p.ID, src, c.notInRegions(src))
			}
			if len(dests) == 0 {
				return fmt.Errorf("profiles[%d] (%s): routes[%s] has no destination", i, p.ID, src)
			}
			for _, d := range dests {
				if !c.regions[d] && !c.destOnly[d] {
					return fmt.Errorf("profiles[%d] (%s): routes[%s] names %q, which is not in regions or destinationRegions", i, p.ID, src, d)
				}
			}
		}
		c.profiles[p.ID] = p
	}
	if st := c.ServiceTiers; st != nil {
		if st.PriorityFlex == nil {
			return fmt.Errorf("serviceTiers: priorityFlex is missing: want the Regions of each model that takes the priority and flex tiers")
		}
		for m, regions := range st.PriorityFlex {
			if m == "" || len(regions) == 0 || slices.Contains(regions, "") {
				return fmt.Errorf("serviceTiers.priorityFlex[%q]: want a model id and the Regions it takes the priority and flex tiers in, got %q", m, regions)
			}
		}
	}
	c.apps = map[string]*ApplicationProfile{}
	for i, a := range c.ApplicationProfiles {
		switch {
		case a == nil || a.ID == "" || strings.ContainsAny(a.ID, ":/"):
			return fmt.Errorf("applicationProfiles[%d]: id is missing or holds ':' or '/'", i)
		case c.apps[a.ID] != nil:
			return fmt.Errorf("applicationProfiles[%d]: %s is listed twice", i, a.ID)
		case !c.regions[a.Region]:
			return fmt.Errorf("applicationProfiles[%d] (%s): region %q %s", i, a.ID, a.Region, strings.TrimPrefix(c.notInRegions(a.Region), "which "))
		case len(a.Account) != 12 || strings.Trim(a.Account, "0123456789") != "":
			return fmt.Errorf("applicationProfiles[%d] (%s): account %q is not a 12-digit account id", i, a.ID, a.Account)
		}
		if p, ok := c.profiles[a.CopyFrom]; ok {
			if _, ok := p.Routes[a.Region]; !ok {
				return fmt.Errorf("applicationProfiles[%d] (%s): copyFrom %s cannot be called from %s", i, a.ID, a.CopyFrom, a.Region)
			}
		} else if m, ok := c.models[a.CopyFrom]; !ok || !m.OnDemandIn(a.Region) {
			return fmt.Errorf("applicationProfiles[%d] (%s): copyFrom %q is neither a profile nor a model offered on demand in %s", i, a.ID, a.CopyFrom, a.Region)
		}
		c.apps[a.ID] = a
	}
	return nil
}

// checkLifecycle checks that every date of lc is a date; the error names
// the field.
func checkLifecycle(lc Lifecycle) error {
	for _, f := range []struct{ field, day string }{{"startOfLife", lc.StartOfLife}, {"legacy", lc.Legacy}, {"publicExtendedAccess", lc.PublicExtendedAccess}, {"endOfLife", lc.EndOfLife}} {
		if _, err := time.Parse(time.DateOnly, f.day); f.day != "" && err != nil {
			return fmt.Errorf("%s: want a date like 2026-11-20, got %q", f.field, f.day)
		}
	}
	return nil
}

// notInRegions words why region, named where only a Region of regions
// will do, is refused.
func (c *Catalog) notInRegions(region string) string {
	if c.destOnly[region] {
		return "which is in destinationRegions: a Region the catalog lists only as a profile destination, where nothing is called"
	}
	return "which is not in regions"
}

// ApplicationProfile returns the application profile with the given id.
func (c *Catalog) ApplicationProfile(id string) (*ApplicationProfile, bool) {
	a, ok := c.apps[id]
	return a, ok
}

// Date returns AsOf as a time.
func (c *Catalog) Date() time.Time {
	t, _ := time.Parse(time.DateOnly, c.AsOf)
	return t
}

// HasRegion reports whether region is one of the catalog's Regions (a
// Region of DestinationRegions is not).
func (c *Catalog) HasRegion(region string) bool { return c.regions[region] }

// awsRegions are the Regions of every AWS partition (aws, aws-cn,
// aws-us-gov, aws-eusc and the ISO ones), as the AWS SDK for Go v2 the
// project builds with lists them (aws-sdk-go-v2 v1.48.0,
// internal/endpoints/awsrulesfn/partitions.json; TestAWSRegionsAreTheSDKs
// holds the list to the SDK in go.mod). A Region there that the catalog
// does not describe is real, and a call to AWS there is no typo.
var awsRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1",
	"ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",
	"ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1",
	"eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
	"me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1",
	"sa-west-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"cn-north-1", "cn-northwest-1", "eusc-de-east-1", "us-iso-east-1",
	"us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "eu-isoe-west-1",
	"us-isof-east-1", "us-isof-south-1", "us-gov-east-1", "us-gov-west-1",
}

// UnknownAWSRegion says what is wrong with region, for a call to AWS,
// when it is neither a Region of the catalog nor one of the AWS SDK's (awsRegions): a
// typo, with the closest known Region, or a Region newer than both. ""
// when it is known.
func (c *Catalog) UnknownAWSRegion(region string) string {
	if c.HasRegion(region) || slices.Contains(c.DestinationRegions, region) || slices.Contains(awsRegions, region) {
		return ""
	}
	fix := "fix the Region"
	if near := closest.Name(region, awsRegions); near != "" {
		fix += " (the closest known one is " + near + ")"
	}
	return fmt.Sprintf("Region %q is no AWS Region (neither the catalog's nor one of the %d the AWS SDK lists): %s", region, len(awsRegions), fix)
}

// RegionProblem says what is wrong with region for calls to the bundled
// emulator ([Catalog.UnknownRegion]: it serves the catalog's Regions
// only) or to AWS ([Catalog.UnknownAWSRegion]), or "" when it can be
// served there.
func (c *Catalog) RegionProblem(region string, toEmulator bool) string {
	if toEmulator {
		return c.UnknownRegion(region)
	}
	return c.UnknownAWSRegion(region)
}

// UnknownRegion says what is wrong with region when the catalog does not
// know it, with the known Regions and the closest of them to a typo
// ("Region "us-esat-1" is not a Region of the catalog (known Regions:
// ...): fix the Region (the closest known one is us-east-1)"), and ""
// when it does.
func (c *Catalog) UnknownRegion(region string) string {
	if c.HasRegion(region) {
		return ""
	}
	fix := "fix the Region"
	if near := closest.Name(region, c.Regions); near != "" {
		fix += " (the closest known one is " + near + ")"
	}
	return fmt.Sprintf("Region %q is not a Region of the catalog (known Regions: %s): %s", region, strings.Join(c.Regions, ", "), fix)
}

// Successor returns the model to move to from id, a model past its end
// of life, as an id a caller in region can call: the model's own id where
// region serves it on demand, otherwise the id of an inference profile
// callable from region (a geographic one before a global one). The model
// is the newest of id's line (its provider, and its name without version
// numbers: Claude 3.5 Haiku's line is Claude Haiku) active on the
// catalog's date, as Anthropic's deprecation page recommends Claude Haiku
// 4.5 for Claude 3.5 Haiku; where the line has none, the provider's
// newest active model by start of life. Models region offers come first;
// with an empty region, or where region offers none, any Region will do.
// False when the catalog knows no such model.
func (c *Catalog) Successor(id, region string) (string, bool) {
	m, ok := c.Model(id)
	if !ok {
		return "", false
	}
	line, _ := modelLine(m.Name)
	// best[0] and best[1]: the line's and the provider's newest offered
	// in region; best[2] and best[3]: the same in any Region.
	var best [4]*Model
	for _, cand := range c.Models {
		if cand.Provider != m.Provider || cand.Lifecycle.Status(c.Date()) != Active {
			continue
		}
		l, _ := modelLine(cand.Name)
		offered := false
		if region != "" {
			onDemand, viaProfile := c.OfferedIn(cand, region)
			offered = onDemand || viaProfile
		}
		for i, take := range [4]bool{offered && l == line, offered, l == line, true} {
			if !take || best[i] != nil && !newer(cand, best[i], i%2 == 0) {
				continue
			}
			best[i] = cand
		}
	}
	for _, b := range best {
		if b != nil {
			return c.callableID(b, region), true
		}
	}
	return "", false
}

// newer reports whether a is newer than b: by start of life, and within
// one line (inLine), by version number where either has no start date.
func newer(a, b *Model, inLine bool) bool {
	if !inLine || a.Lifecycle.StartOfLife != "" && b.Lifecycle.StartOfLife != "" && a.Lifecycle.StartOfLife != b.Lifecycle.StartOfLife {
		return a.Lifecycle.StartOfLife > b.Lifecycle.StartOfLife
	}
	_, va := modelLine(a.Name)
	_, vb := modelLine(b.Name)
	return slices.Compare(va, vb) > 0
}

// callableID returns m's id where region serves it on demand (or region is
// empty), otherwise the first of m's profiles callable from region by id,
// geographic profiles before global ones, otherwise m's id.
func (c *Catalog) callableID(m *Model, region string) string {
	if region == "" || m.OnDemandIn(region) {
		return m.ID
	}
	best := ""
	for _, p := range c.ProfilesFrom(region) {
		if p.Model != m.ID {
			continue
		}
		if best == "" || strings.HasPrefix(best, "global.") && !strings.HasPrefix(p.ID, "global.") {
			best = p.ID
		}
	}
	if best == "" {
		return m.ID
	}
	return best
}

// modelLine splits a model's name into its line, the words that are not
// version numbers ("Claude Haiku" for "Claude 3.5 Haiku"), and its
// version, the numbers ([3 5]).
func modelLine(name string) (line string, version []int) {
	var words []string
	for _, w := range strings.Fields(name) {
		nums, ok := versionWord(w)
		if !ok {
			words = append(words, w)
			continue
		}
		version = append(version, nums...)
	}
	return strings.Join(words, " "), version
}

// versionWord reads a word made of numbers and dots ("4.6", "5"), the
// numbers, or false.
func versionWord(w string) ([]int, bool) {
	var nums []int
	for part := range strings.SplitSeq(w, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		nums = append(nums, n)
	}
	return nums, true
}

// Model returns the foundation model with the given id.
func (c *Catalog) Model(id string) (*Model, bool) {
	m, ok := c.models[id]
	return m, ok
}

// Profile returns the inference profile with the given id.
func (c *Catalog) Profile(id string) (*Profile, bool) {
	p, ok := c.profiles[id]
	return p, ok
}

// OnDemandIn reports whether region serves m by its own id.
func (m *Model) OnDemandIn(region string) bool {
	for _, r := range m.OnDemand {
		if r == region {
			return true
		}
	}
	return false
}

// ProfilesFrom returns the profiles callable from region, sorted by id.
func (c *Catalog) ProfilesFrom(region string) []*Profile {
	var out []*Profile
	for _, p := range c.Profiles {
		if _, ok := p.Routes[region]; ok {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// OfferedIn reports how region offers model m: on demand, only through
// one of its profiles, or not at all.
func (c *Catalog) OfferedIn(m *Model, region string) (onDemand, viaProfile bool) {
	if m.OnDemandIn(region) {
		return true, false
	}
	for _, p := range c.Profiles {
		if _, ok := p.Routes[region]; ok && p.Model == m.ID {
			return false, true
		}
	}
	return false, false
}

// ModelsIn returns the models region offers in any way, sorted by id.
func (c *Catalog) ModelsIn(region string) []*Model {
	var out []*Model
	for _, m := range c.Models {
		if od, vp := c.OfferedIn(m, region); od || vp {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Kind says what a model identifier names.
type Kind int

// The kinds of identifier.
const (
	// KindFoundationModel is a foundation-model id or ARN.
	KindFoundationModel Kind = iota
	// KindProfile is a system-defined inference profile id or ARN.
	KindProfile
	// KindApplicationProfile is an application inference profile ARN.
	KindApplicationProfile
)

// Target is a model identifier resolved in a Region.
type Target struct {
	// ID is the identifier as the caller sent it, unescaped.
	ID     string
	Region string
	Kind   Kind
	Model  *Model
	// Profile is set for KindProfile, and for a KindApplicationProfile
	// that copies a system profile.
	Profile *Profile
	// App is set for KindApplicationProfile.
	App *ApplicationProfile
	// ProfileOnly: a foundation model the Region offers only through a
	// profile, called by its own id.
	ProfileOnly bool
	// Destinations are the Regions the call may be served in; for a
	// profile they may include Regions of the catalog's
	// DestinationRegions, outside its Regions.
	Destinations []string
}

// Lifecycle is the model's lifecycle for this call: the calling Region's
// own (Model.LifecycleIn) when the call names the model (by id, ARN or an
// application profile that copies it), the model's Lifecycle when it goes
// through a system-defined profile.
func (t Target) Lifecycle() Lifecycle {
	if t.Model == nil {
		return Lifecycle{}
	}
	if t.Profile != nil {
		return t.Model.Lifecycle
	}
	return t.Model.LifecycleIn(t.Region)
}

// ErrNotOffered is returned by Resolve for an identifier the Region does
// not offer; the service says "The provided model identifier is invalid."
var ErrNotOffered = fmt.Errorf("model identifier is not offered in this Region")

// Resolve resolves a model id, profile id or ARN (URL-escaped or not) as
// called in region. It returns ErrNotOffered, wrapped with the identifier,
// when the Region does not offer it. A foundation model offered only
// through a profile resolves with ProfileOnly set: the service checks
// permissions before it refuses the on-demand call.
func (c *Catalog) Resolve(region, id string) (Target, error) {
	if u, err := url.PathUnescape(id); err == nil {
		id = u
	}
	t := Target{ID: id, Region: region}
	name := id
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 || parts[1] != Partition(region) || parts[2] != "bedrock" || parts[3] != region {
			return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
		}
		kind, rest, _ := strings.Cut(parts[5], "/")
		switch kind {
		case "foundation-model":
			// Foundation models have no account, and a foundation-model
			// ARN names a model, not a profile [Inferred: Bedrock answers
			// both as an invalid identifier].
			if _, isProfile := c.profiles[rest]; parts[4] != "" || isProfile {
				return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
			}
		case "inference-profile":
			if _, ok := c.profiles[rest]; !ok {
				return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
			}
		case "application-inference-profile":
			a, ok := c.apps[rest]
			if !ok || a.Region != region || a.Account != parts[4] {
				return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
			}
			t.Kind, t.App = KindApplicationProfile, a
			if p, ok := c.profiles[a.CopyFrom]; ok {
				t.Profile, t.Model, t.Destinations = p, c.models[p.Model], p.Routes[region]
			} else {
				t.Model, t.Destinations = c.models[a.CopyFrom], []string{region}
			}
			return t, nil
		default:
			return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
		}
		name = rest
	}
	if p, ok := c.profiles[name]; ok {
		dests, ok := p.Routes[region]
		if !ok {
			return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
		}
		t.Kind, t.Profile, t.Model, t.Destinations = KindProfile, p, c.models[p.Model], dests
		return t, nil
	}
	m, ok := c.models[name]
	if !ok {
		return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
	}
	onDemand, viaProfile := c.OfferedIn(m, region)
	if !onDemand && !viaProfile {
		return t, fmt.Errorf("%w: %s in %s", ErrNotOffered, id, region)
	}
	t.Kind, t.Model, t.ProfileOnly, t.Destinations = KindFoundationModel, m, !onDemand, []string{region}
	return t, nil
}

// Partition is the ARN partition of region: aws-cn for the China
// Regions, aws-us-gov for GovCloud, aws for the rest (AWS General
// Reference, "Amazon Resource Names (ARNs)": arn:partition:service:region;
// "In the AWS GovCloud (US) Regions, ARNs begin with: arn:aws-us-gov",
// Amazon Resource Names (ARNs) in GovCloud (US) Regions; arn:aws-cn in
// the Beijing and Ningxia Regions, ARNs for Amazon Web Services in China).
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// Suggestion is a way to call a model from some Region.
type Suggestion struct {
	Region string `json:"region"`
	// ProfileID is empty when the Region serves the model on demand.
	ProfileID string `json:"profileId,omitempty"`
}

// Where lists how model id (a foundation model or profile id) can be
// called: on demand in these Regions, or through these profiles from
// these Regions. preferRegion's own options come first, then Regions that
// share its prefix (us-, eu-, ap-), then the rest.
func (c *Catalog) Where(id, preferRegion string) []Suggestion {
	model := id
	if p, ok := c.profiles[id]; ok {
		model = p.Model
	}
	m, ok := c.models[model]
	if !ok {
		return nil
	}
	var out []Suggestion
	for _, r := range m.OnDemand {
		out = append(out, Suggestion{Region: r})
	}
	for _, p := range c.Profiles {
		if p.Model != m.ID {
			continue
		}
		for src := range p.Routes {
			out = append(out, Suggestion{Region: src, ProfileID: p.ID})
		}
	}
	geo := func(r string) string { g, _, _ := strings.Cut(r, "-"); return g }
	rank := func(s Suggestion) int {
		switch {
		case s.Region == preferRegion:
			return 0
		case geo(s.Region) == geo(preferRegion):
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank(out[i]), rank(out[j])
		if ri != rj {
			return ri < rj
		}
		if (out[i].ProfileID == "") != (out[j].ProfileID == "") {
			return out[i].ProfileID == ""
		}
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].ProfileID < out[j].ProfileID
	})
	return out
}

// FoundationModelARN is a foundation model's ARN in a Region, in the
// Region's partition (arn:aws-us-gov in GovCloud, arn:aws-cn in China).
func FoundationModelARN(region, model string) string {
	return "arn:" + Partition(region) + ":bedrock:" + region + "::foundation-model/" + model
}

// GlobalFoundationModelARN is the Region-less foundation-model ARN that
// IAM evaluates for global profiles.
func GlobalFoundationModelARN(model string) string {
	return "arn:aws:bedrock:::foundation-model/" + model
}

// ProfileARN is a system-defined profile's ARN as seen from the caller's
// Region and account, in the Region's partition.
func ProfileARN(region, account, profile string) string {
	return "arn:" + Partition(region) + ":bedrock:" + region + ":" + account + ":inference-profile/" + profile
}
