package refresh

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// emulatorClients serves every Region's control plane from the bundled
// emulator, which answers from the embedded catalog.
func emulatorClients(t *testing.T) func(string) (ControlPlane, error) {
	t.Helper()
	s, err := emulator.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return func(region string) (ControlPlane, error) {
		return bedrock.New(bedrock.Options{Region: region, BaseEndpoint: aws.String(hs.URL), Retryer: aws.NopRetryer{},
			Credentials: credentials.NewStaticCredentialsProvider(emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, "")}), nil
	}
}

// TestRoundTrip: read from the emulator, which serves the embedded
// catalog through ListFoundationModels and ListInferenceProfiles, the
// refreshed catalog is the embedded one: every model with its Regions,
// modalities and lifecycle (Claude 3 Haiku's Regions of its own
// included), every profile with its routes, the destinations outside the
// Regions read. The profiles come two to a page, so every Region's list
// takes many pages.
func TestRoundTrip(t *testing.T) {
	defer func(n int32) { PageSize = n }(PageSize)
	PageSize = 2
	want := catalog.Default()
	got, data, err := Run(context.Background(), Input{Regions: want.Regions, Client: emulatorClients(t), Base: want, AsOf: want.Date()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Parse("refreshed", data); err != nil {
		t.Fatalf("the JSON written does not parse: %v", err)
	}
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	for _, w := range want.Models {
		g, ok := got.Model(w.ID)
		if !ok {
			t.Errorf("%s: left out", w.ID)
			continue
		}
		if diff := cmp.Diff(sorted(w.OnDemand), sorted(g.OnDemand)); diff != "" {
			t.Errorf("%s onDemand (-want +got):\n%s", w.ID, diff)
		}
		if g.Name != w.Name || g.Provider != w.Provider || !slices.Equal(g.Input, w.Input) || !slices.Equal(g.Output, w.Output) {
			t.Errorf("%s: %s %s %v %v; want %s %s %v %v", w.ID, g.Name, g.Provider, g.Input, g.Output, w.Name, w.Provider, w.Input, w.Output)
		}
		if diff := cmp.Diff(w.Lifecycle, g.Lifecycle); diff != "" {
			t.Errorf("%s lifecycle (-want +got):\n%s", w.ID, diff)
		}
		if diff := cmp.Diff(w.RegionLifecycle, g.RegionLifecycle); diff != "" {
			t.Errorf("%s regionLifecycle (-want +got):\n%s", w.ID, diff)
		}
		if g.MaxOutputTokens != w.MaxOutputTokens || g.ContextWindow != w.ContextWindow || !cmp.Equal(g.PromptCaching, w.PromptCaching) {
			t.Errorf("%s: hand-kept fields not carried over: %+v", w.ID, g)
		}
	}
	if len(got.Models) != len(want.Models) {
		t.Errorf("%d models; want %d", len(got.Models), len(want.Models))
	}
	for _, w := range want.Profiles {
		g, ok := got.Profile(w.ID)
		if !ok {
			t.Errorf("%s: left out", w.ID)
			continue
		}
		if g.Model != w.Model || g.Global != w.Global {
			t.Errorf("%s: model %s global %v; want %s %v", w.ID, g.Model, g.Global, w.Model, w.Global)
		}
		wr := map[string][]string{}
		for src, d := range w.Routes {
			wr[src] = sorted(d)
		}
		if diff := cmp.Diff(wr, g.Routes); diff != "" {
			t.Errorf("%s routes (-want +got):\n%s", w.ID, diff)
		}
	}
	if len(got.Profiles) != len(want.Profiles) {
		t.Errorf("%d profiles; want %d", len(got.Profiles), len(want.Profiles))
	}
	if diff := cmp.Diff(sorted(want.DestinationRegions), got.DestinationRegions); diff != "" {
		t.Errorf("destinationRegions (-want +got):\n%s", diff)
	}
	if got.ServiceTiers == nil || len(got.ServiceTiers.PriorityFlex) != len(want.ServiceTiers.PriorityFlex) {
		t.Error("the service tier table is not carried over")
	}
}

// failing is a control plane whose calls fail.
type failing struct {
	ControlPlane
	profilesErr error
}

func (f failing) ListInferenceProfiles(ctx context.Context, in *bedrock.ListInferenceProfilesInput, opts ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error) {
	if f.profilesErr != nil {
		return nil, f.profilesErr
	}
	return f.ControlPlane.ListInferenceProfiles(ctx, in, opts...)
}

// TestARegionThatCannotBeRead: a Region whose control plane refuses (not
// enabled in the account, a policy without bedrock:ListInferenceProfiles,
// throttling the SDK's retryer gave up on) stops the refresh with an
// error naming the Region and the operation: a catalog written without
// it would drop the Region's models and routes without a word.
func TestARegionThatCannotBeRead(t *testing.T) {
	clients := emulatorClients(t)
	denied := errors.New("AccessDeniedException: not authorized to perform: bedrock:ListInferenceProfiles")
	_, _, err := Run(context.Background(), Input{Regions: []string{"us-east-1", "eu-west-1"}, Client: func(r string) (ControlPlane, error) {
		cp, err := clients(r)
		if r == "eu-west-1" {
			return failing{ControlPlane: cp, profilesErr: denied}, err
		}
		return cp, err
	}, AsOf: catalog.Default().Date()})
	var re *RegionError
	if !errors.As(err, &re) || re.Region != "eu-west-1" || re.Operation != "ListInferenceProfiles" || !errors.Is(err, denied) {
		t.Fatalf("%v; want a RegionError for eu-west-1's ListInferenceProfiles", err)
	}
	// A Region the emulator does not serve (as one the account has not
	// enabled) is refused too.
	_, _, err = Run(context.Background(), Input{Regions: []string{"sa-east-1"}, Client: clients})
	if !errors.As(err, &re) || re.Region != "sa-east-1" || re.Operation != "ListFoundationModels" {
		t.Fatalf("%v; want a RegionError for sa-east-1", err)
	}
	if _, _, err := Run(context.Background(), Input{Client: clients}); err == nil {
		t.Error("no Regions: want an error")
	}
}

// TestProfileARNs: a profile whose models' ARNs are not foundation-model
// ARNs of one model is refused, not written as a route to nowhere.
func TestProfileARNs(t *testing.T) {
	for _, tc := range []struct{ arns []string }{
		{[]string{"arn:aws:bedrock:us-east-1::foundation-model/a", "arn:aws:bedrock:us-west-2::foundation-model/b"}},
		{[]string{"arn:aws:bedrock:us-east-1:1:inference-profile/x"}},
		{[]string{"not an arn"}},
		{nil},
	} {
		var models []types.InferenceProfileModel
		for _, a := range tc.arns {
			models = append(models, types.InferenceProfileModel{ModelArn: aws.String(a)})
		}
		err := addProfile(map[string]*catalog.Profile{}, "us-east-1", []string{"us-east-1"}, types.InferenceProfileSummary{InferenceProfileId: aws.String("us.x"), Models: models})
		if err == nil || !strings.Contains(err.Error(), "us.x") {
			t.Errorf("%v: %v; want an error naming the profile", tc.arns, err)
		}
	}
}

// listed is a control plane with a fixed model list and no profiles.
type listed []types.FoundationModelSummary

func (l listed) ListFoundationModels(context.Context, *bedrock.ListFoundationModelsInput, ...func(*bedrock.Options)) (*bedrock.ListFoundationModelsOutput, error) {
	return &bedrock.ListFoundationModelsOutput{ModelSummaries: l}, nil
}

func (l listed) ListInferenceProfiles(context.Context, *bedrock.ListInferenceProfilesInput, ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error) {
	return &bedrock.ListInferenceProfilesOutput{}, nil
}

// withProfiles lists models and system-defined profiles.
type withProfiles struct {
	listed
	profiles []types.InferenceProfileSummary
}

func (w withProfiles) ListInferenceProfiles(context.Context, *bedrock.ListInferenceProfilesInput, ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error) {
	return &bedrock.ListInferenceProfilesOutput{InferenceProfileSummaries: w.profiles}, nil
}

// TestWhatIsLeftOut: ListFoundationModels also lists embedding and image
// models and provisioned-throughput-only variants (a context-length
// suffix such as ":200k", inferenceTypesSupported PROVISIONED); none is a
// text model a call names by id or profile, so none becomes an entry,
// and neither do their system-defined profiles (before, an image model's
// profile brought its model back as a text model).
func TestWhatIsLeftOut(t *testing.T) {
	text := []types.ModelModality{types.ModelModalityText}
	cp := listed{
		{ModelId: aws.String("amazon.nova-micro-v1:0"), ModelName: aws.String("Nova Micro"), ProviderName: aws.String("Amazon"), InputModalities: text, OutputModalities: text, InferenceTypesSupported: []types.InferenceType{types.InferenceTypeOnDemand}},
		{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0:200k"), OutputModalities: text, InferenceTypesSupported: []types.InferenceType{types.InferenceTypeProvisioned}},
		{ModelId: aws.String("amazon.titan-embed-text-v2:0"), OutputModalities: []types.ModelModality{types.ModelModalityEmbedding}, InferenceTypesSupported: []types.InferenceType{types.InferenceTypeOnDemand}},
		{ModelId: aws.String("amazon.nova-canvas-v1:0"), OutputModalities: []types.ModelModality{types.ModelModalityImage}, InferenceTypesSupported: []types.InferenceType{types.InferenceTypeOnDemand}},
	}
	profile := func(id, model string) types.InferenceProfileSummary {
		return types.InferenceProfileSummary{InferenceProfileId: aws.String(id), InferenceProfileName: aws.String(id), Type: types.InferenceProfileTypeSystemDefined,
			Models: []types.InferenceProfileModel{{ModelArn: aws.String("arn:aws:bedrock:us-east-1::foundation-model/" + model)}, {ModelArn: aws.String("arn:aws:bedrock:us-west-2::foundation-model/" + model)}}}
	}
	w := withProfiles{cp, []types.InferenceProfileSummary{profile("us.amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0"), profile("us.amazon.nova-canvas-v1:0", "amazon.nova-canvas-v1:0")}}
	c, _, err := Run(context.Background(), Input{Regions: []string{"us-east-1"}, Client: func(string) (ControlPlane, error) { return w, nil }, AsOf: catalog.Default().Date()})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range c.Models {
		ids = append(ids, m.ID)
	}
	if !slices.Equal(ids, []string{"amazon.nova-micro-v1:0"}) {
		t.Errorf("models %v; want Nova Micro only", ids)
	}
	var pids []string
	for _, p := range c.Profiles {
		pids = append(pids, p.ID)
	}
	if !slices.Equal(pids, []string{"us.amazon.nova-micro-v1:0"}) {
		t.Errorf("profiles %v; want Nova Micro's only", pids)
	}
}

// TestLegacyWithoutADate: a model the API reports LEGACY with no legacy
// time is Legacy from the day of the reading, not ACTIVE.
func TestLegacyWithoutADate(t *testing.T) {
	got := lifecycleOf(&types.FoundationModelLifecycle{Status: types.FoundationModelLifecycleStatusLegacy}, "2026-12-07")
	if got.Legacy != "2026-12-07" || got.Status(catalog.Default().Date().AddDate(0, 1, 0)) != catalog.Legacy {
		t.Errorf("%+v; want Legacy since 2026-12-07", got)
	}
}

// tokenLoop is a control plane whose ListInferenceProfiles hands out the
// page tokens of tokens in turn, then the first again, for ever; after
// 50 calls it fails, so that a reader that never stops ends.
type tokenLoop struct {
	ControlPlane
	tokens []string
	calls  int
}

func (l *tokenLoop) ListInferenceProfiles(ctx context.Context, in *bedrock.ListInferenceProfilesInput, opts ...func(*bedrock.Options)) (*bedrock.ListInferenceProfilesOutput, error) {
	if l.calls++; l.calls > 50 {
		return nil, errors.New("called 50 times: the listing never ends")
	}
	i := 0
	if t := aws.ToString(in.NextToken); t != "" {
		i = slices.Index(l.tokens, t) + 1
	}
	return &bedrock.ListInferenceProfilesOutput{NextToken: aws.String(l.tokens[i%len(l.tokens)])}, nil
}

// TestARepeatedPageToken: a ListInferenceProfiles that hands out a page
// token again (the same one at once, or one of a cycle) stops the
// refresh with an error naming the Region: the SDK's paginator stopped
// silently on the first, writing a catalog without the pages after it,
// and listed the second for ever.
func TestARepeatedPageToken(t *testing.T) {
	clients := emulatorClients(t)
	for _, tokens := range [][]string{{"A"}, {"A", "B", "C"}} {
		cp, _ := clients("us-east-1")
		loop := &tokenLoop{ControlPlane: cp, tokens: tokens}
		_, _, err := Run(context.Background(), Input{Regions: []string{"us-east-1"}, Client: func(string) (ControlPlane, error) { return loop, nil }, AsOf: catalog.Default().Date()})
		var re *RegionError
		if !errors.As(err, &re) || re.Operation != "ListInferenceProfiles" || !errors.Is(err, ErrRepeatedToken) {
			t.Errorf("tokens %v: %v; want a RegionError for a repeated token", tokens, err)
		}
		if loop.calls != len(tokens)+1 {
			t.Errorf("tokens %v: %d calls, want %d", tokens, loop.calls, len(tokens)+1)
		}
	}
}
