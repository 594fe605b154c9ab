package emulator

import (
	"context"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/google/go-cmp/cmp"
)

func TestListFoundationModels(t *testing.T) {
	_, hs := start(t, nil)
	c := controlClient(hs, "us-east-1")
	out, err := c.ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]types.FoundationModelSummary{}
	for _, m := range out.ModelSummaries {
		byID[*m.ModelId] = m
	}
	micro, ok := byID["amazon.nova-micro-v1:0"]
	if !ok || micro.InferenceTypesSupported[0] != types.InferenceTypeOnDemand || *micro.ModelArn != "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0" || *micro.ProviderName != "Amazon" {
		t.Errorf("nova micro: %+v", micro)
	}
	opus41, ok := byID["anthropic.claude-opus-4-1-20250805-v1:0"]
	if !ok || string(opus41.InferenceTypesSupported[0]) != "INFERENCE_PROFILE" || opus41.ModelLifecycle.Status != types.FoundationModelLifecycleStatusLegacy || opus41.ModelLifecycle.LegacyTime == nil {
		t.Errorf("Opus 4.1 should be profile-only and Legacy: %+v %+v", opus41, opus41.ModelLifecycle)
	}
	for _, id := range []string{"anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0"} {
		if _, listed := byID[id]; listed {
			t.Errorf("%s is past its end of life and still listed", id)
		}
	}
	if _, listed := byID["anthropic.claude-sonnet-4-6"]; !listed {
		t.Error("Sonnet 4.6 is served in us-east-1 through its profile")
	}

	onDemand, err := c.ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{ByInferenceType: types.InferenceTypeOnDemand})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range onDemand.ModelSummaries {
		if m.InferenceTypesSupported[0] != types.InferenceTypeOnDemand {
			t.Errorf("ON_DEMAND filter kept %s (open-webui/pipelines #490 behaviour)", *m.ModelId)
		}
	}
	if len(onDemand.ModelSummaries) >= len(out.ModelSummaries) {
		t.Error("the ON_DEMAND filter dropped nothing")
	}
	anthropic, err := c.ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{ByProvider: aws.String("anthropic")})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range anthropic.ModelSummaries {
		if *m.ProviderName != "Anthropic" {
			t.Errorf("byProvider kept %s", *m.ModelId)
		}
	}
	_, err = c.ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{ByOutputModality: "VIDEO"})
	apiErr(t, err, "ValidationException", "1 validation error detected: Value 'VIDEO' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]")

	other, err := controlClient(hs, "ap-south-1").ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(other.ModelSummaries) >= len(out.ModelSummaries) {
		t.Errorf("ap-south-1 offers %d models, us-east-1 %d: the catalog is per Region", len(other.ModelSummaries), len(out.ModelSummaries))
	}
}

func TestGetFoundationModel(t *testing.T) {
	_, hs := start(t, nil)
	c := controlClient(hs, "eu-west-2")
	for _, id := range []string{"anthropic.claude-sonnet-4-6", "arn:aws:bedrock:eu-west-2::foundation-model/anthropic.claude-sonnet-4-6"} {
		out, err := c.GetFoundationModel(context.Background(), &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String(id)})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if *out.ModelDetails.ModelId != "anthropic.claude-sonnet-4-6" || out.ModelDetails.InferenceTypesSupported[0] != types.InferenceTypeOnDemand {
			t.Errorf("%s: %+v", id, out.ModelDetails)
		}
	}
	_, err := controlClient(hs, "ap-south-1").GetFoundationModel(context.Background(), &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0")})
	apiErr(t, err, "ValidationException", "Could not find model with identifier anthropic.claude-3-5-haiku-20241022-v1:0")
}

func TestInferenceProfiles(t *testing.T) {
	s, hs := start(t, nil)
	c := controlClient(hs, "us-east-1")
	var ids []string
	pages := 0
	p := bedrock.NewListInferenceProfilesPaginator(c, &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(5), TypeEquals: types.InferenceProfileTypeSystemDefined})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, sum := range page.InferenceProfileSummaries {
			ids = append(ids, *sum.InferenceProfileId)
		}
	}
	want := []string{}
	for _, pr := range s.Catalog().ProfilesFrom("us-east-1") {
		want = append(want, pr.ID)
	}
	if !sort.StringsAreSorted(ids) || !cmp.Equal(ids, want) || pages != (len(want)+4)/5 {
		t.Errorf("%d pages of %v, want %v", pages, ids, want)
	}
	app, err := c.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{TypeEquals: types.InferenceProfileTypeApplication})
	if err != nil || len(app.InferenceProfileSummaries) != 0 {
		t.Errorf("application profiles: %v %v", err, app)
	}
	_, err = c.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{NextToken: aws.String("bogus")})
	apiErr(t, err, "ValidationException", "The provided pagination token is invalid.")

	// Destinations depend on the caller's Region (the user guide's own example).
	dests := func(region string) []string {
		out, err := controlClient(hs, region).GetInferenceProfile(context.Background(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("us.anthropic.claude-3-haiku-20240307-v1:0")})
		if err != nil {
			t.Fatal(err)
		}
		if *out.InferenceProfileArn != "arn:aws:bedrock:"+region+":"+DefaultAccount+":inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0" || out.Type != types.InferenceProfileTypeSystemDefined {
			t.Errorf("profile ARN %s", *out.InferenceProfileArn)
		}
		var arns []string
		for _, m := range out.Models {
			arns = append(arns, *m.ModelArn)
		}
		return arns
	}
	if diff := cmp.Diff([]string{
		"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		"arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}, dests("us-east-2")); diff != "" {
		t.Errorf("from Ohio (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{
		"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}, dests("us-west-2")); diff != "" {
		t.Errorf("from Oregon (-want +got):\n%s", diff)
	}
	global, err := c.GetInferenceProfile(context.Background(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("global.anthropic.claude-opus-4-6-v1")})
	if err != nil {
		t.Fatal(err)
	}
	if *global.Models[0].ModelArn != "arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1" {
		t.Errorf("global profiles list the Region-less ARN first: %v", *global.Models[0].ModelArn)
	}
	_, err = controlClient(hs, "us-east-1").GetInferenceProfile(context.Background(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("eu.amazon.nova-pro-v1:0")})
	apiErr(t, err, "ResourceNotFoundException", "The specified inference profile eu.amazon.nova-pro-v1:0 was not found in us-east-1.")
}

func TestFoundationModelAvailability(t *testing.T) {
	_, hs := start(t, nil)
	out, err := controlClient(hs, "ap-south-1").GetFoundationModelAvailability(context.Background(), &bedrock.GetFoundationModelAvailabilityInput{ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0")})
	if err != nil {
		t.Fatal(err)
	}
	if out.RegionAvailability != types.RegionAvailabilityNotAvailable || out.AuthorizationStatus != types.AuthorizationStatusAuthorized {
		t.Errorf("%+v", out)
	}
	out, err = controlClient(hs, "us-west-2").GetFoundationModelAvailability(context.Background(), &bedrock.GetFoundationModelAvailabilityInput{ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0")})
	if err != nil || out.RegionAvailability != types.RegionAvailabilityAvailable {
		t.Errorf("us-west-2: %v %+v", err, out)
	}
}
