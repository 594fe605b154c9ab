package normalize

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// genSDKInput draws an AWS SDK Converse input of every block kind the
// normalizer reads, and of kinds it only passes through (video, guard
// content), in both roles, each block carrying a unique token. It returns
// the input and, by message index, the tokens.
func genSDKInput(seed uint64) (*bedrockruntime.ConverseInput, map[int][]string) {
	r := rand.New(rand.NewPCG(seed, seed^0x9fb21c651e98df25))
	tokens := map[int][]string{}
	n := 0
	token := func(i int) string {
		n++
		t := fmt.Sprintf("#s%d#", n)
		tokens[i] = append(tokens[i], t)
		return t
	}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("m"), ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{
		&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("f"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}}}
	var calls []string
	for i := range 2 + r.IntN(7) {
		role := types.ConversationRoleUser
		if r.IntN(2) == 0 {
			role = types.ConversationRoleAssistant
		}
		m := types.Message{Role: role}
		for range 1 + r.IntN(3) {
			var b types.ContentBlock
			switch r.IntN(10) {
			case 0:
				id := fmt.Sprintf("call%d", n)
				calls = append(calls, id)
				b = &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String(id), Name: aws.String("f"), Input: document.NewLazyDocument(map[string]any{"a": token(i)})}}
			case 1:
				id := "orphan"
				if len(calls) > 0 {
					id = calls[r.IntN(len(calls))]
				}
				var c types.ToolResultContentBlock
				if r.IntN(3) == 0 {
					c = &types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(map[string]any{"r": token(i)})}
				} else {
					c = &types.ToolResultContentBlockMemberText{Value: token(i)}
				}
				b = &types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String(id), Content: []types.ToolResultContentBlock{c}}}
			case 2:
				format := []types.ImageFormat{types.ImageFormatPng, types.ImageFormatJpeg, "bmp"}[r.IntN(3)]
				b = &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: format, Source: &types.ImageSourceMemberBytes{Value: []byte(token(i))}}}
			case 3:
				b = &types.ContentBlockMemberDocument{Value: types.DocumentBlock{Name: aws.String("notes"), Format: types.DocumentFormatTxt, Source: &types.DocumentSourceMemberBytes{Value: []byte(token(i))}}}
			case 4:
				sig := []*string{nil, aws.String("sig")}[r.IntN(2)]
				b = &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{Value: types.ReasoningTextBlock{Text: aws.String(token(i)), Signature: sig}}}
			case 5:
				b = &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberRedactedContent{Value: []byte(token(i))}}
			case 6:
				b = &types.ContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormatMp4, Source: &types.VideoSourceMemberBytes{Value: []byte(token(i))}}}
			case 7:
				b = &types.ContentBlockMemberGuardContent{Value: &types.GuardrailConverseContentBlockMemberText{Value: types.GuardrailConverseTextBlock{Text: aws.String(token(i))}}}
			default:
				b = &types.ContentBlockMemberText{Value: token(i)}
			}
			m.Content = append(m.Content, b)
		}
		in.Messages = append(in.Messages, m)
	}
	return in, tokens
}

// sdkStrings collects every string and byte string reachable from v,
// documents marshalled, so a token can be looked for wherever a block
// carries it.
func sdkStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return
		}
		if d, ok := v.Interface().(document.Interface); ok {
			if b, err := d.MarshalSmithyDocument(); err == nil {
				*out = append(*out, string(b))
			}
			return
		}
		sdkStrings(v.Elem(), out)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				sdkStrings(v.Field(i), out)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			*out = append(*out, string(v.Bytes()))
			return
		}
		for i := range v.Len() {
			sdkStrings(v.Index(i), out)
		}
	case reflect.String:
		*out = append(*out, v.String())
	}
}

// checkSDKConservation normalizes a drawn SDK input for fam and checks
// that every block's token reaches the output input, or the report holds
// a change at the block's message.
func checkSDKConservation(t *testing.T, seed uint64, fam converse.Family) {
	t.Helper()
	in, tokens := genSDKInput(seed)
	out, rep, err := ConverseInput(in, Options{Family: fam})
	if err != nil {
		t.Fatalf("seed %d, %s: %v", seed, fam.Name, err)
	}
	var strs []string
	sdkStrings(reflect.ValueOf(out.Messages), &strs)
	sdkStrings(reflect.ValueOf(out.System), &strs)
	if tok, i, ok := lostWithoutANote(tokens, strs, rep); ok {
		t.Fatalf("seed %d, %s: %s of message %d is not in the normalized input, and the report says nothing of message %d\nreport: %v", seed, fam.Name, tok, i, i, rep.Changes)
	}
}

// TestSDKInputLosesNothingWithoutANote: what an application built with
// the SDK (the normalizer as a client option) sends goes on, or is named
// in the report at its message, for every family, including the blocks
// the normalizer only passes through.
func TestSDKInputLosesNothingWithoutANote(t *testing.T) {
	for _, fam := range converse.Families() {
		for seed := range uint64(200) {
			checkSDKConservation(t, seed, fam)
		}
	}
}

// FuzzSDKInputLosesNothingWithoutANote is the check as a fuzz target.
func FuzzSDKInputLosesNothingWithoutANote(f *testing.F) {
	for seed := range uint64(10) {
		f.Add(seed, uint8(seed))
	}
	families := converse.Families()
	f.Fuzz(func(t *testing.T, seed uint64, fam uint8) {
		checkSDKConservation(t, seed, families[int(fam)%len(families)])
	})
}
