package emulator

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// TestGovCloudARNs: an emulator given a catalog of GovCloud Regions
// answers with the partition's ARNs, as Bedrock there does ("In the AWS
// GovCloud (US) Regions, ARNs begin with: arn:aws-us-gov", Amazon
// Resource Names (ARNs) in GovCloud (US) Regions). Before, every ARN was
// arn:aws:, so a model asked for by its GovCloud ARN was not found and
// profile ARNs named the wrong partition.
func TestGovCloudARNs(t *testing.T) {
	cat, err := catalog.Parse("govcloud.json", []byte(`{"asOf":"2026-11-20","regions":["us-gov-west-1","us-gov-east-1"],
		"models":[{"id":"anthropic.claude-sonnet-4-5-20250929-v1:0","name":"Claude Sonnet 4.5","provider":"Anthropic","input":["TEXT","IMAGE"],"onDemand":["us-gov-west-1"]}],
		"profiles":[{"id":"us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0","name":"US-GOV Claude Sonnet 4.5","model":"anthropic.claude-sonnet-4-5-20250929-v1:0","routes":{"us-gov-west-1":["us-gov-east-1","us-gov-west-1"]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, hs := start(t, &Options{Catalog: cat})
	c := controlClient(hs, "us-gov-west-1")
	const model = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	got, err := c.GetFoundationModel(context.Background(), &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/" + model)})
	if err != nil {
		t.Fatalf("GetFoundationModel by its GovCloud ARN: %v", err)
	}
	if arn := aws.ToString(got.ModelDetails.ModelArn); !strings.HasPrefix(arn, "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/") {
		t.Errorf("model ARN %s", arn)
	}
	list, err := c.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.InferenceProfileSummaries) != 1 {
		t.Fatalf("%d profiles", len(list.InferenceProfileSummaries))
	}
	p := list.InferenceProfileSummaries[0]
	if arn := aws.ToString(p.InferenceProfileArn); !strings.HasPrefix(arn, "arn:aws-us-gov:bedrock:us-gov-west-1:") {
		t.Errorf("profile ARN %s", arn)
	}
	for _, m := range p.Models {
		if arn := aws.ToString(m.ModelArn); !strings.HasPrefix(arn, "arn:aws-us-gov:bedrock:us-gov-") {
			t.Errorf("profile model ARN %s", arn)
		}
	}
}
