package emulator

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
)

// TestRegionKeepsARetiredModel: Claude 3 Haiku reached its end of life on
// 2026-09-10 in most Regions, but ca-central-1 still serves it and
// ap-northeast-2 has it Legacy (Bedrock user guide, model card "Claude 3
// Haiku"; catalog TestRegionLifecycle). On the catalog's date the emulator
// answered every Region "This model version has reached the end of its
// life.", and left the model out of ca-central-1's ListFoundationModels.
func TestRegionKeepsARetiredModel(t *testing.T) {
	_, hs := start(t, nil)
	const haiku = "anthropic.claude-3-haiku-20240307-v1:0"
	if _, err := callConverse(t, runtimeClient(hs, "ca-central-1"), haiku, userText("hi")); err != nil {
		t.Errorf("Claude 3 Haiku in ca-central-1: %v; want an answer", err)
	}
	_, err := callConverse(t, runtimeClient(hs, "ap-northeast-2"), haiku, userText("hi"))
	apiErr(t, err, "ResourceNotFoundException", msgLegacy)
	_, err = callConverse(t, runtimeClient(hs, "eu-west-1"), haiku, userText("hi"))
	apiErr(t, err, "ResourceNotFoundException", msgEndOfLife)
	// Its apac. profile keeps the model's lifecycle, from Seoul too.
	_, err = callConverse(t, runtimeClient(hs, "ap-northeast-2"), "apac."+haiku, userText("hi"))
	apiErr(t, err, "ResourceNotFoundException", msgEndOfLife)

	for region, want := range map[string]types.FoundationModelLifecycleStatus{"ca-central-1": types.FoundationModelLifecycleStatusActive, "ap-northeast-2": types.FoundationModelLifecycleStatusLegacy} {
		c := controlClient(hs, region)
		got, err := c.GetFoundationModel(context.Background(), &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String(haiku)})
		if err != nil {
			t.Fatalf("GetFoundationModel in %s: %v", region, err)
		}
		if lc := got.ModelDetails.ModelLifecycle; lc.Status != want || lc.EndOfLifeTime != nil {
			t.Errorf("GetFoundationModel in %s: %s, end of life %v; want %s, none", region, lc.Status, lc.EndOfLifeTime, want)
		}
		list, err := c.ListFoundationModels(context.Background(), &bedrock.ListFoundationModelsInput{})
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for _, m := range list.ModelSummaries {
			listed = listed || aws.ToString(m.ModelId) == haiku
		}
		if !listed {
			t.Errorf("ListFoundationModels in %s leaves out Claude 3 Haiku, which the Region still serves", region)
		}
	}
}
