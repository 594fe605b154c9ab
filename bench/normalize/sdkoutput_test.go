package normalize

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// TestSDKOutputSchemaRepaired: an SDK input whose outputConfig JSON
// schema holds a keyword Claude refuses (V-30: "output_config.format.schema:
// For 'array' type, property 'maxItems' is not supported", realwire
// converse-error-model-output-schema-maxitems) goes out with the keyword
// dropped and reported, as a fixture's does; the other members of
// outputConfig are kept, and the input is left as it was. Before,
// ConverseInput and normalize.Client copied outputConfig as it came, and
// the call was refused.
func TestSDKOutputSchemaRepaired(t *testing.T) {
	const schema = `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"maxItems":5}},"required":["tags"]}`
	output := &types.OutputConfig{TextFormat: &types.OutputFormat{Type: types.OutputFormatTypeJsonSchema,
		Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{Schema: aws.String(schema), Name: aws.String("tags")}}}}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Messages:     []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Tag this."}}}},
		OutputConfig: output,
	}
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rep.Codes()); got != "[output-schema-keyword-dropped]" {
		t.Errorf("codes %s", got)
	}
	js, ok := out.OutputConfig.TextFormat.Structure.(*types.OutputFormatStructureMemberJsonSchema)
	if !ok || aws.ToString(js.Value.Schema) != `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}}},"required":["tags"]}` || aws.ToString(js.Value.Name) != "tags" {
		t.Errorf("outputConfig %+v", out.OutputConfig.TextFormat.Structure)
	}
	if in.OutputConfig != output || aws.ToString(output.TextFormat.Structure.(*types.OutputFormatStructureMemberJsonSchema).Value.Schema) != schema {
		t.Error("the input was modified")
	}
	validSDKInput(t, out, "anthropic")
	// A schema Claude takes is the input's own value.
	in.OutputConfig = &types.OutputConfig{TextFormat: &types.OutputFormat{Type: types.OutputFormatTypeJsonSchema,
		Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{Schema: aws.String(`{"type":"object"}`)}}}}
	in.Messages = append([]types.Message{{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello."}}}}, in.Messages...)
	out, _, err = ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out.OutputConfig != in.OutputConfig {
		t.Error("an outputConfig that needs no repair was replaced")
	}
}
