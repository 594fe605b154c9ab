package normalize

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// unions lists every member of every SDK union reachable from
// ConverseInput. TestUnionTableComplete fails when the SDK adds one, so
// the filler below, and with it the pass-through test, covers it.
var unions = map[reflect.Type][]any{
	typeOf[types.ContentBlock](): {&types.ContentBlockMemberText{}, &types.ContentBlockMemberImage{}, &types.ContentBlockMemberDocument{},
		&types.ContentBlockMemberToolUse{}, &types.ContentBlockMemberToolResult{}, &types.ContentBlockMemberReasoningContent{},
		&types.ContentBlockMemberCachePoint{}, &types.ContentBlockMemberAudio{}, &types.ContentBlockMemberVideo{},
		&types.ContentBlockMemberCitationsContent{}, &types.ContentBlockMemberGuardContent{}, &types.ContentBlockMemberSearchResult{},
		&types.ContentBlockMemberToolAddition{}, &types.ContentBlockMemberToolRemoval{}},
	typeOf[types.ImageSource]():                   {&types.ImageSourceMemberBytes{}, &types.ImageSourceMemberS3Location{}},
	typeOf[types.DocumentSource]():                {&types.DocumentSourceMemberBytes{}, &types.DocumentSourceMemberS3Location{}, &types.DocumentSourceMemberText{}, &types.DocumentSourceMemberContent{}},
	typeOf[types.DocumentContentBlock]():          {&types.DocumentContentBlockMemberText{}},
	typeOf[types.AudioSource]():                   {&types.AudioSourceMemberBytes{}, &types.AudioSourceMemberS3Location{}},
	typeOf[types.VideoSource]():                   {&types.VideoSourceMemberBytes{}, &types.VideoSourceMemberS3Location{}},
	typeOf[types.CitationGeneratedContent]():      {&types.CitationGeneratedContentMemberText{}},
	typeOf[types.CitationLocation]():              {&types.CitationLocationMemberDocumentChar{}, &types.CitationLocationMemberDocumentChunk{}, &types.CitationLocationMemberDocumentPage{}, &types.CitationLocationMemberSearchResultLocation{}, &types.CitationLocationMemberWeb{}},
	typeOf[types.CitationSourceContent]():         {&types.CitationSourceContentMemberText{}},
	typeOf[types.GuardrailConverseContentBlock](): {&types.GuardrailConverseContentBlockMemberText{}, &types.GuardrailConverseContentBlockMemberImage{}},
	typeOf[types.GuardrailConverseImageSource]():  {&types.GuardrailConverseImageSourceMemberBytes{}},
	typeOf[types.ReasoningContentBlock]():         {&types.ReasoningContentBlockMemberReasoningText{}, &types.ReasoningContentBlockMemberRedactedContent{}},
	typeOf[types.ToolResultContentBlock](): {&types.ToolResultContentBlockMemberText{}, &types.ToolResultContentBlockMemberJson{}, &types.ToolResultContentBlockMemberImage{},
		&types.ToolResultContentBlockMemberDocument{}, &types.ToolResultContentBlockMemberSearchResult{}, &types.ToolResultContentBlockMemberVideo{}},
	typeOf[types.SystemContentBlock]():    {&types.SystemContentBlockMemberText{}, &types.SystemContentBlockMemberCachePoint{}, &types.SystemContentBlockMemberGuardContent{}},
	typeOf[types.Tool]():                  {&types.ToolMemberToolSpec{}, &types.ToolMemberCachePoint{}, &types.ToolMemberSystemTool{}},
	typeOf[types.ToolChoice]():            {&types.ToolChoiceMemberAuto{}, &types.ToolChoiceMemberAny{}, &types.ToolChoiceMemberTool{}},
	typeOf[types.ToolInputSchema]():       {&types.ToolInputSchemaMemberJson{}},
	typeOf[types.PromptVariableValues]():  {&types.PromptVariableValuesMemberText{}},
	typeOf[types.OutputFormatStructure](): {&types.OutputFormatStructureMemberJsonSchema{}},
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

var documentType = typeOf[document.Interface]()

// reachableUnions walks the types reachable from t and returns the
// union interfaces among them.
func reachableUnions(t reflect.Type, seen map[reflect.Type]bool, out map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		reachableUnions(t.Elem(), seen, out)
	case reflect.Map:
		reachableUnions(t.Elem(), seen, out)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				reachableUnions(t.Field(i).Type, seen, out)
			}
		}
	case reflect.Interface:
		if t == documentType || t.PkgPath() != typeOf[types.ContentBlock]().PkgPath() {
			return
		}
		out[t] = true
		for _, m := range unions[t] {
			reachableUnions(reflect.TypeOf(m), seen, out)
		}
	}
}

func TestUnionTableComplete(t *testing.T) {
	dir, err := exec.Command("go", "list", "-f", "{{.Dir}}", typeOf[types.ContentBlock]().PkgPath()).Output()
	if err != nil {
		t.Fatalf("locating the SDK types package: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "types.go"))
	if err != nil {
		t.Fatal(err)
	}
	declared := regexp.MustCompile(`(?m)^type (\w+)Member(\w+) struct`).FindAllStringSubmatch(string(src), -1)
	reach := map[reflect.Type]bool{}
	reachableUnions(typeOf[bedrockruntime.ConverseInput](), map[reflect.Type]bool{}, reach)
	reachableUnions(typeOf[bedrockruntime.ConverseStreamInput](), map[reflect.Type]bool{}, reach)
	byName := map[string]reflect.Type{}
	for u := range reach {
		byName[u.Name()] = u
		if _, ok := unions[u]; !ok {
			t.Errorf("union %s is reachable from the Converse inputs but not in the test's table", u.Name())
		}
	}
	for _, d := range declared {
		u, ok := byName[d[1]]
		if !ok {
			continue
		}
		found := false
		for _, m := range unions[u] {
			found = found || reflect.TypeOf(m).Elem().Name() == d[1]+"Member"+d[2]
		}
		if !found {
			t.Errorf("the SDK declares %sMember%s: add it to the table, then make the normalizer handle or pass it through", d[1], d[2])
		}
	}
}

// filler sets every exported field of a value, recursively.
type filler struct {
	// pick chooses the member of a union to use, by index.
	pick map[reflect.Type]int
}

func (f *filler) fill(v reflect.Value, depth int) {
	if depth > 24 {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), depth+1)
	case reflect.String:
		v.SetString("v" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		f.fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		f.fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		f.fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		if v.Type() == documentType {
			v.Set(reflect.ValueOf(document.NewLazyDocument(map[string]any{"k": "v"})))
			return
		}
		members := unions[v.Type()]
		if len(members) == 0 {
			return
		}
		m := reflect.New(reflect.TypeOf(members[f.pick[v.Type()]%len(members)]).Elem())
		f.fill(m.Elem(), depth+1)
		v.Set(m)
	}
}

func filled[T any](f *filler) T {
	var v T
	f.fill(reflect.ValueOf(&v).Elem(), 0)
	return v
}

// member returns the i-th member of union U, every field filled.
func member[U any](f *filler, i int) U {
	m := reflect.New(reflect.TypeOf(unions[typeOf[U]()][i]).Elem())
	f.fill(m.Elem(), 0)
	return m.Interface().(U)
}

// everyFieldFamily is the family everyFieldInput needs no repair for:
// Nova's, which takes S3 sources, taking cache points among the tools too,
// as Claude does, and system tools, as Nova 2 does. No model takes both
// (Nova refuses a cache point among the tools, V-50, and Claude S3
// sources), and the input holds every member.
func everyFieldFamily() converse.Family {
	f, _ := converse.LookupFamily("nova")
	f.NoToolCachePoints = false
	f.SystemTools = true
	return f
}

// everyFieldInput builds a Converse input that needs no repair for
// everyFieldFamily (Nova's) and in which every field of every
// struct and every union member reachable from the input is set. Only the fields the
// contract constrains are then given valid values.
func everyFieldInput() *bedrockruntime.ConverseInput {
	f := &filler{}
	in := filled[bedrockruntime.ConverseInput](f)
	in.ModelId = aws.String("us.amazon.nova-pro-v1:0")

	obj := document.NewLazyDocument(map[string]any{"city": "Paris"})
	image := func(i int) types.ImageBlock {
		b := filled[types.ImageBlock](f)
		b.Format = types.ImageFormatPng
		if i == 0 {
			b.Source = &types.ImageSourceMemberBytes{Value: []byte{1, 2, 3}}
		} else {
			b.Source = &types.ImageSourceMemberS3Location{Value: types.S3Location{Uri: aws.String("s3://bucket-name/image.png"), BucketOwner: aws.String("111122223333")}}
		}
		return b
	}
	doc := func(name string, i int) types.DocumentBlock {
		b := filled[types.DocumentBlock](f)
		b.Name, b.Format = aws.String(name), types.DocumentFormatPdf
		switch i {
		case 0:
			b.Source = &types.DocumentSourceMemberBytes{Value: []byte("%PDF-1.4")}
		case 1:
			b.Source = &types.DocumentSourceMemberS3Location{Value: types.S3Location{Uri: aws.String("s3://bucket-name/a.pdf"), BucketOwner: aws.String("111122223333")}}
		case 2:
			b.Format = types.DocumentFormatTxt
			b.Source = &types.DocumentSourceMemberText{Value: "plain text"}
		default:
			b.Source = member[types.DocumentSource](f, 3)
		}
		return b
	}
	cache := types.CachePointBlock{Type: types.CachePointTypeDefault, Ttl: types.CacheTTLFiveMinutes}

	// The first user turn holds every user-side member.
	user := []types.ContentBlock{&types.ContentBlockMemberText{Value: "Here is everything."}}
	for i := range 2 {
		user = append(user, &types.ContentBlockMemberImage{Value: image(i)})
	}
	for i := range 4 {
		user = append(user, &types.ContentBlockMemberDocument{Value: doc(fmt.Sprintf("doc %d", i), i)})
	}
	for i, m := range unions[typeOf[types.ContentBlock]()] {
		switch m.(type) {
		case *types.ContentBlockMemberText, *types.ContentBlockMemberImage, *types.ContentBlockMemberDocument,
			*types.ContentBlockMemberToolUse, *types.ContentBlockMemberToolResult, *types.ContentBlockMemberReasoningContent,
			*types.ContentBlockMemberCachePoint:
			continue // built with valid values above and below
		}
		for j := range unions[typeOf[types.VideoSource]()] { // every source of the opaque members
			f.pick = map[reflect.Type]int{typeOf[types.VideoSource](): j, typeOf[types.AudioSource](): j,
				typeOf[types.GuardrailConverseContentBlock](): j, typeOf[types.CitationLocation](): i + j}
			user = append(user, member[types.ContentBlock](f, i))
		}
		f.pick = nil
	}
	user = append(user, &types.ContentBlockMemberCachePoint{Value: cache})

	use := filled[types.ToolUseBlock](f)
	use.ToolUseId, use.Name, use.Input = aws.String("tooluse_1"), aws.String("get_weather"), obj
	reasoning := filled[types.ReasoningTextBlock](f)
	reasoning.Text, reasoning.Signature = aws.String("Think."), aws.String("sig")
	assistant := []types.ContentBlock{
		&types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{Value: reasoning}},
		&types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberRedactedContent{Value: []byte{9, 9}}},
		&types.ContentBlockMemberText{Value: "Let me look."},
		&types.ContentBlockMemberToolUse{Value: use},
	}

	result := filled[types.ToolResultBlock](f)
	result.ToolUseId, result.Status = aws.String("tooluse_1"), types.ToolResultStatusSuccess
	result.Content = []types.ToolResultContentBlock{
		&types.ToolResultContentBlockMemberText{Value: "Sunny."},
		&types.ToolResultContentBlockMemberJson{Value: obj},
		&types.ToolResultContentBlockMemberImage{Value: image(0)},
		&types.ToolResultContentBlockMemberDocument{Value: doc("result doc", 0)},
		member[types.ToolResultContentBlock](f, 4),
		member[types.ToolResultContentBlock](f, 5),
	}
	in.Messages = []types.Message{
		{Role: types.ConversationRoleUser, Content: user},
		{Role: types.ConversationRoleAssistant, Content: assistant},
		{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: result}}},
		{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "It is sunny."}}},
		{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Thanks."}}},
	}
	in.System = []types.SystemContentBlock{
		&types.SystemContentBlockMemberText{Value: "Be brief."},
		&types.SystemContentBlockMemberCachePoint{Value: cache},
		member[types.SystemContentBlock](f, 2),
	}
	spec := filled[types.ToolSpecification](f)
	spec.Name = aws.String("get_weather")
	spec.InputSchema = &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}
	in.ToolConfig = &types.ToolConfiguration{
		Tools:      []types.Tool{&types.ToolMemberToolSpec{Value: spec}, &types.ToolMemberCachePoint{Value: cache}, member[types.Tool](f, 2)},
		ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String("get_weather")}},
	}
	in.InferenceConfig = &types.InferenceConfiguration{MaxTokens: aws.Int32(512), Temperature: aws.Float32(0.5), TopP: aws.Float32(0.9), StopSequences: []string{"END"}}
	return &in
}

// sdkEqual compares SDK values, unexported fields included.
var sdkEqual = cmp.Options{cmp.Exporter(func(reflect.Type) bool { return true })}

// TestPassThroughEveryField fills every field of the SDK input and checks
// that a request needing no repair comes out equal, field for field: a
// field the SDK adds later is filled too, and fails here until it passes
// through.
func TestPassThroughEveryField(t *testing.T) {
	in := everyFieldInput()
	if err := checkEveryFieldSet(reflect.ValueOf(in).Elem(), "ConverseInput"); err != nil {
		t.Fatalf("the test input leaves a field unset: %v", err)
	}
	out, rep, err := ConverseInput(in, Options{Family: everyFieldFamily()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 0 {
		t.Fatalf("the input needs no repair, yet the report lists %v", rep.Changes)
	}
	if diff := cmp.Diff(in, out, sdkEqual); diff != "" {
		t.Fatalf("fields changed (-in +out):\n%s", diff)
	}
	if diff := cmp.Diff(everyFieldInput(), in, sdkEqual); diff != "" {
		t.Fatalf("the input was modified (-before +after):\n%s", diff)
	}

	// The same through ConverseStream.
	sin := streamInput(everyFieldInput())
	sout, rep, err := ConverseStreamInput(sin, Options{Family: everyFieldFamily()})
	if err != nil || len(rep.Changes) != 0 {
		t.Fatalf("stream: %v %v", err, rep.Changes)
	}
	if diff := cmp.Diff(sin, sout, sdkEqual); diff != "" {
		t.Fatalf("stream fields changed (-in +out):\n%s", diff)
	}
}

// checkEveryFieldSet reports the first exported field left at its zero
// value, so the pass-through test cannot silently skip one.
func checkEveryFieldSet(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return fmt.Errorf("%s is nil", path)
		}
		if v.Type() == documentType {
			return nil
		}
		return checkEveryFieldSet(v.Elem(), path)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				if err := checkEveryFieldSet(v.Field(i), path+"."+f.Name); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return fmt.Errorf("%s is empty", path)
		}
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8 {
			for i := 0; i < v.Len(); i++ {
				if err := checkEveryFieldSet(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	default:
		if v.IsZero() {
			return fmt.Errorf("%s is zero", path)
		}
	}
	return nil
}

func streamInput(in *bedrockruntime.ConverseInput) *bedrockruntime.ConverseStreamInput {
	f := &filler{}
	out := filled[bedrockruntime.ConverseStreamInput](f)
	out.ModelId, out.Messages, out.System, out.ToolConfig, out.InferenceConfig = in.ModelId, in.Messages, in.System, in.ToolConfig, in.InferenceConfig
	return &out
}

// TestRepairKeepsOtherFields breaks the every-field input in ways that
// need repair and checks that everything outside the repairs stays.
func TestRepairKeepsOtherFields(t *testing.T) {
	in := everyFieldInput()
	// A leading assistant turn and a second user turn after the last.
	in.Messages = append([]types.Message{{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello."}}}}, in.Messages...)
	in.Messages = append(in.Messages, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "And tomorrow?"}}})
	// Mistral needs 9-character ids: the tool use and result are rewritten.
	mistral, _ := converse.LookupFamily("mistral")
	out, rep, err := ConverseInput(in, Options{Family: mistral})
	if err != nil {
		t.Fatal(err)
	}
	codes := fmt.Sprint(rep.Codes())
	for _, want := range []Code{LeadingAssistant, TurnsMerged, ToolIDMapped} {
		if !strings.Contains(codes, string(want)) {
			t.Errorf("report %v lacks %s", codes, want)
		}
	}
	// Every field outside the owned four is the input's.
	a, b := *in, *out
	a.Messages, a.System, a.ToolConfig, a.InferenceConfig = nil, nil, nil, nil
	b.Messages, b.System, b.ToolConfig, b.InferenceConfig = nil, nil, nil, nil
	if diff := cmp.Diff(a, b, sdkEqual); diff != "" {
		t.Fatalf("unowned fields changed:\n%s", diff)
	}
	// The tool use and result kept their other fields.
	var use *types.ContentBlockMemberToolUse
	var res *types.ContentBlockMemberToolResult
	for _, m := range out.Messages {
		for _, blk := range m.Content {
			switch v := blk.(type) {
			case *types.ContentBlockMemberToolUse:
				use = v
			case *types.ContentBlockMemberToolResult:
				res = v
			}
		}
	}
	if use == nil || res == nil {
		t.Fatal("tool use or result lost")
	}
	if id := aws.ToString(use.Value.ToolUseId); len(id) != 9 || id != aws.ToString(res.Value.ToolUseId) {
		t.Errorf("ids %q / %q: want one 9-character id", id, aws.ToString(res.Value.ToolUseId))
	}
	if use.Value.Type == "" || res.Value.Type == nil || res.Value.Status != types.ToolResultStatusSuccess || len(res.Value.Content) != 6 {
		t.Errorf("tool fields lost: use type %q, result type %v, status %q, %d content items", use.Value.Type, res.Value.Type, res.Value.Status, len(res.Value.Content))
	}
	if diff := cmp.Diff(everyFieldInput().Messages, in.Messages[1:len(in.Messages)-1], sdkEqual); diff != "" {
		t.Fatalf("the input was modified:\n%s", diff)
	}
}

func TestConverseInputFamilyFromModel(t *testing.T) {
	build := func(model string) *bedrockruntime.ConverseInput {
		return &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}},
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hello"}}},
		}}
	}
	tests := []struct {
		model  string
		family string
		want   []Code
	}{
		{"anthropic.claude-3-5-haiku-20241022-v1:0", "", nil},
		{"us.anthropic.claude-sonnet-4-6", "", []Code{PrefillUnsupported}},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic-no-prefill", []Code{PrefillUnsupported}},
		{"unknown.model-v1", "", nil},
	}
	for _, tt := range tests {
		var opts Options
		if tt.family != "" {
			opts.Family, _ = converse.LookupFamily(tt.family)
		}
		out, rep, err := ConverseInput(build(tt.model), opts)
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		if got := rep.Codes(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s (family %q): codes %v, want %v", tt.model, tt.family, got, tt.want)
		}
		if aws.ToString(out.ModelId) != tt.model {
			t.Errorf("model id %q changed", tt.model)
		}
	}
	if _, _, err := ConverseInput(nil, Options{}); err == nil {
		t.Error("nil input: no error")
	}
	bad := build("anthropic.claude-3-5-haiku-20241022-v1:0")
	bad.Messages[0].Content = append(bad.Messages[0].Content, nil)
	if _, _, err := ConverseInput(bad, Options{}); err == nil || !strings.Contains(err.Error(), "nil content block") {
		t.Errorf("nil block: %v", err)
	}
}

// TestConverseInputRepairsFixtures runs every fixture through the SDK
// path: the fixture's naive request as an SDK input comes out valid.
func TestConverseInputRepairsFixtures(t *testing.T) {
	var ids []string
	for _, h := range loadFixtures(t) {
		naive := Naive(h)
		if strings.Contains(string(mustJSON(t, naive)), `"role":"developer"`) {
			continue // not a role an SDK input can be normalized from
		}
		in, err := naive.ToSDK("anthropic.claude-3-5-haiku-20241022-v1:0")
		if err != nil {
			continue // the naive request holds values the SDK cannot carry
		}
		out, _, err := ConverseInput(in, Options{})
		if err != nil {
			t.Errorf("%s: %v", h.ID, err)
			continue
		}
		req, err := converse.RequestFromSDK(out)
		if err != nil {
			t.Fatalf("%s: %v", h.ID, err)
		}
		fam, _ := converse.LookupFamily("anthropic")
		if err := converse.Validate(req, fam); err != nil {
			t.Errorf("%s: normalized SDK input still invalid: %v", h.ID, err)
		}
		ids = append(ids, h.ID)
	}
	sort.Strings(ids)
	if len(ids) < 20 {
		t.Fatalf("only %d fixtures went through the SDK path", len(ids))
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNoteCodesAreReportCodes(t *testing.T) {
	for note, code := range map[string]Code{history.NoteToolInputInvalid: ToolInputInvalidJSON, history.NoteFileUnavailable: FileUnavailable,
		history.NoteAudioToText: AudioToText, history.NoteFieldMapped: FieldMapped, history.NoteFieldDropped: FieldDropped} {
		if note != string(code) {
			t.Errorf("decoder note %q is reported as %q", note, code)
		}
	}
}

// TestThinkingAndStreamingRules: thinking turns a forced tool choice to
// auto and drops a temperature other than 1; on ConverseStream, Llama
// loses tool use and the call stays valid.
func TestThinkingAndStreamingRules(t *testing.T) {
	tools := &types.ToolConfiguration{
		Tools:      []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("f"), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}},
		ToolChoice: &types.ToolChoiceMemberAny{},
	}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Messages:                     []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}},
		ToolConfig:                   tools,
		InferenceConfig:              &types.InferenceConfiguration{Temperature: aws.Float32(0.3), MaxTokens: aws.Int32(2048)},
		AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}}),
	}
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.ToolConfig.ToolChoice.(*types.ToolChoiceMemberAuto); !ok || out.InferenceConfig.Temperature != nil || aws.ToInt32(out.InferenceConfig.MaxTokens) != 2048 {
		t.Errorf("thinking repairs: choice %T, temperature %v", out.ToolConfig.ToolChoice, out.InferenceConfig.Temperature)
	}
	if got := fmt.Sprint(rep.Codes()); got != "[tool-choice-changed inference-clamped]" {
		t.Errorf("codes %s", got)
	}
	if out.AdditionalModelRequestFields != in.AdditionalModelRequestFields {
		t.Error("additionalModelRequestFields was replaced")
	}
	if _, ok := in.ToolConfig.ToolChoice.(*types.ToolChoiceMemberAny); !ok || *in.InferenceConfig.Temperature != 0.3 {
		t.Error("the input was modified")
	}

	llama := &bedrockruntime.ConverseStreamInput{ModelId: aws.String("us.meta.llama4-maverick-17b-instruct-v1:0"),
		Messages: in.Messages, ToolConfig: &types.ToolConfiguration{Tools: tools.Tools}}
	sout, rep, err := ConverseStreamInput(llama, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sout.ToolConfig != nil || fmt.Sprint(rep.Codes()) != "[tools-unsupported]" {
		t.Errorf("streaming Llama: tool config %v, codes %v", sout.ToolConfig, rep.Codes())
	}
	// The same input on Converse keeps its tools.
	cout, rep, err := ConverseInput(&bedrockruntime.ConverseInput{ModelId: llama.ModelId, Messages: llama.Messages, ToolConfig: llama.ToolConfig}, Options{})
	if err != nil || cout.ToolConfig == nil || len(rep.Changes) != 0 {
		t.Errorf("Converse Llama: %v %v %v", err, cout.ToolConfig, rep.Changes)
	}
}

// TestThinkingDisabledInSDKInput: an SDK input with thinking on whose
// final turn does not open with its thinking goes out with "thinking"
// removed from its additionalModelRequestFields and the other members
// kept (V-52), and the input is left as it was.
func TestThinkingDisabledInSDKInput(t *testing.T) {
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("f"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}}
	fields := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}, "anthropic_beta": []any{"x"}})
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Messages: []types.Message{
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}},
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Checking."},
				&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("t1"), Name: aws.String("f"), Input: document.NewLazyDocument(map[string]any{})}}}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("t1"),
				Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "done"}}}}}},
		},
		ToolConfig:                   tools,
		InferenceConfig:              &types.InferenceConfiguration{MaxTokens: aws.Int32(4096)},
		AdditionalModelRequestFields: fields,
	}
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rep.Codes()); got != "[thinking-disabled]" {
		t.Errorf("codes %s, want [thinking-disabled]", got)
	}
	got := sdkFields(t, out)
	if got != `{"anthropic_beta":["x"]}` {
		t.Errorf("additionalModelRequestFields %s, want the beta kept and thinking gone", got)
	}
	if in.AdditionalModelRequestFields != fields {
		t.Error("the input was modified")
	}
	validSDKInput(t, out, "anthropic")
}

// TestUnchangedShortcut: when the report is empty the input goes out
// without converting the request back to the SDK; the conversion would
// have given the input back, field for field, so the shortcut changes
// nothing but the cost.
func TestUnchangedShortcut(t *testing.T) {
	inputs := []*bedrockruntime.ConverseInput{everyFieldInput()}
	for _, h := range loadFixtures(t) {
		req, _, err := Normalize(h, Options{Family: converse.FamilyOrDefault("anthropic.claude-3-5-haiku-20241022-v1:0")})
		if err != nil {
			continue
		}
		if in, err := req.ToSDK("anthropic.claude-3-5-haiku-20241022-v1:0"); err == nil {
			inputs = append(inputs, in)
		}
	}
	checked := 0
	for i, in := range inputs {
		own := owned{in.Messages, in.System, in.ToolConfig, in.InferenceConfig, in.AdditionalModelRequestFields, in.OutputConfig}
		req, err := requestFromOwned(own)
		if err != nil {
			t.Fatal(err)
		}
		h, err := history.FromRequest("x", req)
		if err != nil {
			t.Fatal(err)
		}
		fam := familyFor(aws.ToString(in.ModelId), Options{})
		if i == 0 {
			fam = everyFieldFamily()
		}
		nreq, rep, err := Normalize(h, Options{Family: fam})
		if err != nil || len(rep.Changes) > 0 {
			continue
		}
		slow, err := ownedFromRequest(&nreq, own, false, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(own, *slow, sdkEqual, cmp.AllowUnexported(owned{})); diff != "" {
			t.Errorf("input %d: converting back differs from the input (-in +converted):\n%s", i, diff)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d unchanged inputs checked", checked)
	}
}

// TestOneSamplingParameter: a family that takes temperature or topP, not
// both (V-57, Claude 4.6 and later), keeps the temperature and drops topP,
// reported; a family that takes both keeps both; gpt-oss loses its stop
// sequences (V-62) and keeps both sampling parameters; a thinking budget
// at or above maxTokens raises maxTokens by it (V-56); with thinking, the
// thinking rules run first (a temperature other than 1 goes), and a topP
// of 0.95 or more that is then alone stays.
func TestOneSamplingParameter(t *testing.T) {
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}}
	call := func(model string, temp, topP float32, fields document.Interface) (*bedrockruntime.ConverseInput, Report) {
		t.Helper()
		in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs,
			InferenceConfig:              &types.InferenceConfiguration{Temperature: aws.Float32(temp), TopP: aws.Float32(topP), MaxTokens: aws.Int32(4096)},
			AdditionalModelRequestFields: fields}
		out, rep, err := ConverseInput(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if *in.InferenceConfig.TopP != topP {
			t.Error("the input was modified")
		}
		return out, rep
	}
	out, rep := call("global.anthropic.claude-opus-4-6-v1", 0.3, 0.9, nil)
	if out.InferenceConfig.TopP != nil || aws.ToFloat32(out.InferenceConfig.Temperature) != 0.3 || fmt.Sprint(rep.Codes()) != "[inference-clamped]" ||
		!strings.Contains(rep.Changes[0].Detail, "(V-57)") {
		t.Errorf("Opus 4.6: topP %v, temperature %v, report %+v", out.InferenceConfig.TopP, out.InferenceConfig.Temperature, rep.Changes)
	}
	req, err := requestFromOwned(owned{out.Messages, out.System, out.ToolConfig, out.InferenceConfig, out.AdditionalModelRequestFields, out.OutputConfig})
	if err != nil {
		t.Fatal(err)
	}
	if err := converse.Validate(req, converse.FamilyOrDefault("global.anthropic.claude-opus-4-6-v1")); err != nil {
		t.Errorf("the normalized input is refused: %v", err)
	}
	out, rep = call("us.anthropic.claude-3-7-sonnet-20250219-v1:0", 0.7, 0.9, nil)
	if out.InferenceConfig.TopP == nil || len(rep.Changes) != 0 {
		t.Errorf("Claude 3.7 Sonnet takes both: topP %v, report %+v", out.InferenceConfig.TopP, rep.Changes)
	}
	gpt := &bedrockruntime.ConverseInput{ModelId: aws.String("openai.gpt-oss-120b-1:0"), Messages: msgs,
		InferenceConfig: &types.InferenceConfiguration{StopSequences: []string{"END"}, Temperature: aws.Float32(0.2), TopP: aws.Float32(0.9)}}
	gout, rep, err := ConverseInput(gpt, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if gout.InferenceConfig.StopSequences != nil || gout.InferenceConfig.TopP == nil || !strings.Contains(fmt.Sprint(rep.Changes), "(V-62)") || len(gpt.InferenceConfig.StopSequences) != 1 {
		t.Errorf("gpt-oss: stop sequences %q, topP %v, report %+v; want the stop sequences dropped, reported, and both sampling parameters kept", gout.InferenceConfig.StopSequences, gout.InferenceConfig.TopP, rep.Changes)
	}
	budget := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 8000}})
	bin := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), Messages: msgs,
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(4096)}, AdditionalModelRequestFields: budget}
	bout, rep, err := ConverseInput(bin, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(bout.InferenceConfig.MaxTokens) != 12096 || !strings.Contains(fmt.Sprint(rep.Changes), "(V-56)") || aws.ToInt32(bin.InferenceConfig.MaxTokens) != 4096 {
		t.Errorf("thinking budget 8000 with maxTokens 4096: maxTokens %d, report %+v; want 12096, reported", aws.ToInt32(bout.InferenceConfig.MaxTokens), rep.Changes)
	}
	thinking := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}})
	out, _ = call("anthropic.claude-sonnet-4-6", 0.3, 0.97, thinking)
	if out.InferenceConfig.Temperature != nil || aws.ToFloat32(out.InferenceConfig.TopP) != 0.97 {
		t.Errorf("with thinking: temperature %v, topP %v; want the temperature dropped and topP kept", out.InferenceConfig.Temperature, out.InferenceConfig.TopP)
	}
}

// TestSamplingParametersByModel: the sampling rules follow the model id.
// Claude 4.5 takes temperature or topP, not both (V-57; Anthropic's Sonnet
// and Haiku 4.5 migration guides), so topP goes and the temperature stays;
// Claude Opus 4.7 and later and Claude 5 refuse both as deprecated (V-58);
// OpenAI gpt-5.x refuses temperature, topP and stop sequences (V-62);
// Nova 2 at high reasoning effort refuses a maxTokens (V-59). Each drop is
// reported, the input is not modified, and the result is valid.
func TestSamplingParametersByModel(t *testing.T) {
	ruleID := regexp.MustCompile(`V-\d+`)
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}}
	high := document.NewLazyDocument(map[string]any{"reasoningConfig": map[string]any{"type": "enabled", "maxReasoningEffort": "high"}})
	medium := document.NewLazyDocument(map[string]any{"reasoningConfig": map[string]any{"type": "enabled", "maxReasoningEffort": "medium"}})
	for _, c := range []struct {
		model, family string
		fields        document.Interface
		// want: which of maxTokens, temperature, topP and stop sequences
		// are left, and the rule ids the report names.
		maxTokens, temperature, topP, stops bool
		rules                               []string
	}{
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic-one-sampling", nil, true, true, false, true, []string{"V-57"}},
		{"global.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic-one-sampling", nil, true, true, false, true, []string{"V-57"}},
		{"us.anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic", nil, true, true, true, true, nil},
		{"anthropic.claude-opus-4-7", "anthropic-no-sampling", nil, true, false, false, true, []string{"V-58", "V-58"}},
		{"us.anthropic.claude-sonnet-5", "anthropic-no-sampling", nil, true, false, false, true, []string{"V-58", "V-58"}},
		{"us.openai.gpt-5.6-sol", "openai-gpt-5", nil, true, false, false, false, []string{"V-62", "V-62", "V-62"}},
		{"openai.gpt-oss-120b-1:0", "openai", nil, true, true, true, false, []string{"V-62"}},
		{"us.amazon.nova-2-lite-v1:0", "nova-2", high, false, true, true, true, []string{"V-59"}},
		{"us.amazon.nova-2-lite-v1:0", "nova-2", medium, true, true, true, true, nil},
	} {
		in := &bedrockruntime.ConverseInput{ModelId: aws.String(c.model), Messages: msgs,
			InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(1000), Temperature: aws.Float32(0.3), TopP: aws.Float32(0.9),
				StopSequences: []string{"END"}},
			AdditionalModelRequestFields: c.fields}
		out, rep, err := ConverseInput(in, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.model, err)
		}
		ic := out.InferenceConfig
		if ic == nil {
			ic = &types.InferenceConfiguration{}
		}
		got := [4]bool{ic.MaxTokens != nil, ic.Temperature != nil, ic.TopP != nil, ic.StopSequences != nil}
		if got != [4]bool{c.maxTokens, c.temperature, c.topP, c.stops} {
			t.Errorf("%s: maxTokens, temperature, topP, stop sequences kept: %v, want %v", c.model, got, [4]bool{c.maxTokens, c.temperature, c.topP, c.stops})
		}
		var rules []string
		for _, ch := range rep.Changes {
			if ch.Code != InferenceClamped {
				t.Errorf("%s: unexpected change %s: %s", c.model, ch.Code, ch.Detail)
			}
			rules = append(rules, ruleID.FindAllString(ch.Detail, -1)...)
		}
		if fmt.Sprint(rules) != fmt.Sprint(c.rules) {
			t.Errorf("%s: report names %v, want %v: %+v", c.model, rules, c.rules, rep.Changes)
		}
		if aws.ToInt32(in.InferenceConfig.MaxTokens) != 1000 || in.InferenceConfig.Temperature == nil || in.InferenceConfig.TopP == nil || len(in.InferenceConfig.StopSequences) != 1 {
			t.Errorf("%s: the input was modified", c.model)
		}
		if c.fields != nil && out.AdditionalModelRequestFields != c.fields {
			t.Errorf("%s: additionalModelRequestFields replaced; want them kept as they came", c.model)
		}
		validSDKInput(t, out, c.family)
	}
}

// TestThinkingBudgetRaised: a thinking budget below the 1,024 Anthropic
// takes is raised to it (V-56), and maxTokens after it so the answer keeps
// the room the caller gave it, through the SDK input too; the other
// fields stay.
func TestThinkingBudgetRaised(t *testing.T) {
	fields := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 500}, "anthropic_beta": []any{"x"}})
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Messages:                     []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}},
		InferenceConfig:              &types.InferenceConfiguration{MaxTokens: aws.Int32(800)},
		AdditionalModelRequestFields: fields,
	}
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rep.Codes()); got != "[thinking-budget-raised inference-clamped]" {
		t.Errorf("codes %s, want [thinking-budget-raised inference-clamped]", got)
	}
	got := sdkFields(t, out)
	if got != `{"anthropic_beta":["x"],"thinking":{"budget_tokens":1024,"type":"enabled"}}` {
		t.Errorf("additionalModelRequestFields %s, want the budget at 1024 and the rest kept", got)
	}
	if m := aws.ToInt32(out.InferenceConfig.MaxTokens); m != 1024+800 {
		t.Errorf("maxTokens %d, want %d: the budget counts against it", m, 1024+800)
	}
	if in.AdditionalModelRequestFields != fields || aws.ToInt32(in.InferenceConfig.MaxTokens) != 800 {
		t.Error("the input was modified")
	}
	validSDKInput(t, out, "anthropic")
	// A budget at the least is left as it is.
	in.AdditionalModelRequestFields = document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}})
	in.InferenceConfig = &types.InferenceConfiguration{MaxTokens: aws.Int32(4096)}
	if _, rep, err := ConverseInput(in, Options{}); err != nil || len(rep.Changes) != 0 {
		t.Errorf("budget 1024: %v, %v", rep.Codes(), err)
	}
}

// TestNativeOutputSchemaRepaired: a keyword Claude refuses in its own
// output_config passed through additionalModelRequestFields is dropped,
// reported, and the fields are written back through the SDK input with
// the other members kept (V-30).
func TestNativeOutputSchemaRepaired(t *testing.T) {
	fields := document.NewLazyDocument(map[string]any{"output_config": map[string]any{"format": map[string]any{"type": "json_schema",
		"schema": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "maxItems": 5}}, "effort": "low"}})
	// Sonnet 4.6, which takes output_config.effort (V-63: Claude 4.5
	// refuses it).
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-6"),
		Messages:                     []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Tags?"}}}},
		AdditionalModelRequestFields: fields,
	}
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rep.Codes()); got != "[output-schema-keyword-dropped]" {
		t.Errorf("codes %s, want [output-schema-keyword-dropped]", got)
	}
	got := sdkFields(t, out)
	if got != `{"output_config":{"effort":"low","format":{"schema":{"items":{"type":"string"},"type":"array"},"type":"json_schema"}}}` {
		t.Errorf("additionalModelRequestFields %s, want maxItems gone and the rest kept", got)
	}
	validSDKInput(t, out, "anthropic-no-prefill")
}

// TestOtherProvidersFieldsDropped: a member of additionalModelRequestFields
// that the target's provider refuses (V-63: Nova's reasoningConfig on
// Claude, "The model returned the following errors: reasoningConfig:
// Extra inputs are not permitted", egoist/chatwise-releases #867;
// output_config.effort on Claude 4.5, anthropics/claude-code-action
// #1005) is dropped, reported as field-dropped, and the fields are
// written back through the SDK input with the other members kept; the
// same input for Nova 2, which reads reasoningConfig, is left as it is.
func TestOtherProvidersFieldsDropped(t *testing.T) {
	user := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Primes below 100?"}}}}
	for _, tc := range []struct {
		model  string
		fields map[string]any
		want   string
	}{
		{"us.anthropic.claude-sonnet-4-6",
			map[string]any{"reasoningConfig": map[string]any{"type": "enabled", "maxReasoningEffort": "high"}, "top_k": 5},
			`{"top_k":5}`},
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0",
			map[string]any{"output_config": map[string]any{"effort": "low", "format": map[string]any{"type": "json_schema", "schema": map[string]any{"type": "object"}}}},
			`{"output_config":{"format":{"schema":{"type":"object"},"type":"json_schema"}}}`},
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0",
			map[string]any{"output_config": map[string]any{"effort": "low"}, "guardrails": map[string]any{}},
			``},
		{"us.openai.gpt-5.6-luna",
			map[string]any{"reasoningConfig": map[string]any{"type": "enabled"}, "reasoning": map[string]any{"effort": "high"}},
			`{"reasoning":{"effort":"high"}}`},
	} {
		in := &bedrockruntime.ConverseInput{ModelId: aws.String(tc.model), Messages: user, AdditionalModelRequestFields: document.NewLazyDocument(tc.fields)}
		out, rep, err := ConverseInput(in, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.model, err)
		}
		if codes := fmt.Sprint(rep.Codes()); codes != "[field-dropped]" {
			t.Errorf("%s: codes %s, want [field-dropped]", tc.model, codes)
		}
		got := ""
		if out.AdditionalModelRequestFields != nil {
			got = sdkFields(t, out)
		}
		if got != tc.want {
			t.Errorf("%s: additionalModelRequestFields %s, want %s", tc.model, got, tc.want)
		}
		validSDKInput(t, out, converse.FamilyOrDefault(tc.model).Name)
	}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.amazon.nova-2-lite-v1:0"), Messages: user,
		AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"reasoningConfig": map[string]any{"type": "enabled", "maxReasoningEffort": "low"}})}
	if out, rep, err := ConverseInput(in, Options{}); err != nil || len(rep.Changes) != 0 || out.AdditionalModelRequestFields != in.AdditionalModelRequestFields {
		t.Errorf("Nova 2: %v, %v: reasoningConfig should be kept", rep.Codes(), err)
	}
}

// sdkFields returns an SDK input's additionalModelRequestFields as JSON.
func sdkFields(t *testing.T, in *bedrockruntime.ConverseInput) string {
	t.Helper()
	got, err := in.AdditionalModelRequestFields.MarshalSmithyDocument()
	if err != nil {
		t.Fatal(err)
	}
	return string(got)
}

// validSDKInput fails the test when the family refuses the SDK input.
func validSDKInput(t *testing.T, in *bedrockruntime.ConverseInput, fam string) {
	t.Helper()
	req, err := converse.RequestFromSDK(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := converse.Validate(req, family(t, fam).Family); err != nil {
		t.Errorf("the repaired input is refused: %v", err)
	}
}

// TestOutputLimitClamped: maxTokens above the model's output limit, which
// Bedrock refuses (V-61), is lowered to it when the family comes from the
// model id (the catalog gives Claude 3.5 Haiku 8192, catalog's
// TestMaxOutputTokens); a thinking budget that no longer fits below it is
// halved to the limit's half (V-56); a family named without a model knows
// no limit and keeps maxTokens; Claude 3.7 Sonnet with Anthropic's
// output-128k beta keeps 128000. The input is not modified.
func TestOutputLimitClamped(t *testing.T) {
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}}
	call := func(model string, maxTokens int32, fields document.Interface, opts Options) (*bedrockruntime.ConverseInput, Report) {
		t.Helper()
		in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs,
			InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(maxTokens)}, AdditionalModelRequestFields: fields}
		out, rep, err := ConverseInput(in, opts)
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if aws.ToInt32(in.InferenceConfig.MaxTokens) != maxTokens {
			t.Errorf("%s: the input was modified", model)
		}
		return out, rep
	}
	out, rep := call("us.anthropic.claude-3-5-haiku-20241022-v1:0", 64000, nil, Options{})
	if m := aws.ToInt32(out.InferenceConfig.MaxTokens); m != 8192 {
		t.Errorf("Claude 3.5 Haiku: maxTokens %d, want 8192", m)
	}
	if len(rep.Changes) != 1 || rep.Changes[0].Code != InferenceClamped || !strings.Contains(rep.Changes[0].Detail, "maxTokens 64000 lowered to 8192, the model's output limit (V-61)") {
		t.Errorf("report %+v, want maxTokens lowered (V-61)", rep.Changes)
	}
	validSDKInput(t, out, "anthropic")

	thinking := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 10000}})
	out, rep = call("us.anthropic.claude-3-5-haiku-20241022-v1:0", 64000, thinking, Options{})
	if m := aws.ToInt32(out.InferenceConfig.MaxTokens); m != 8192 {
		t.Errorf("with thinking: maxTokens %d, want 8192", m)
	}
	if got := sdkFields(t, out); got != `{"thinking":{"budget_tokens":4096,"type":"enabled"}}` {
		t.Errorf("with thinking: additionalModelRequestFields %s, want the budget halved to 4096", got)
	}
	if len(rep.Changes) != 2 || !strings.Contains(rep.Changes[1].Detail, "budget_tokens 10000 lowered to 4096") {
		t.Errorf("with thinking: report %+v, want maxTokens lowered and the budget halved", rep.Changes)
	}

	anthropic, _ := converse.LookupFamily("anthropic")
	out, rep = call("us.anthropic.claude-3-5-haiku-20241022-v1:0", 64000, nil, Options{Family: anthropic})
	if m := aws.ToInt32(out.InferenceConfig.MaxTokens); m != 64000 || len(rep.Changes) != 0 {
		t.Errorf("a family named without its model: maxTokens %d, changes %+v; want 64000 kept, nothing known of the limit", m, rep.Changes)
	}

	beta := document.NewLazyDocument(map[string]any{"anthropic_beta": []any{"output-128k-2025-02-19"}})
	out, rep = call("us.anthropic.claude-3-7-sonnet-20250219-v1:0", 128000, beta, Options{})
	if m := aws.ToInt32(out.InferenceConfig.MaxTokens); m != 128000 || len(rep.Changes) != 0 {
		t.Errorf("Claude 3.7 Sonnet with the output-128k beta: maxTokens %d, changes %+v; want 128000 kept", m, rep.Changes)
	}
	out, _ = call("us.anthropic.claude-3-7-sonnet-20250219-v1:0", 128000, nil, Options{})
	if m := aws.ToInt32(out.InferenceConfig.MaxTokens); m != 64000 {
		t.Errorf("Claude 3.7 Sonnet without the beta: maxTokens %d, want 64000", m)
	}
}

// TestThinkingMadeAdaptive: Claude Opus 4.7 and later and Claude 5 refuse
// thinking "enabled" with a budget_tokens (V-56; Bedrock's Opus 4.7 model
// card); the normalizer makes it "adaptive", drops the budget, keeps the
// other members and fields, and reports it. Opus 4.6 keeps it.
func TestThinkingMadeAdaptive(t *testing.T) {
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}}
	fields := document.NewLazyDocument(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 2048, "display": "summarized"}, "anthropic_beta": []any{"x"}})
	for _, model := range []string{"global.anthropic.claude-opus-4-7", "us.anthropic.claude-sonnet-5"} {
		in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs,
			InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(4096)}, AdditionalModelRequestFields: fields}
		out, rep, err := ConverseInput(in, Options{})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if got := sdkFields(t, out); got != `{"anthropic_beta":["x"],"thinking":{"display":"summarized","type":"adaptive"}}` {
			t.Errorf("%s: additionalModelRequestFields %s, want adaptive thinking without the budget, the rest kept", model, got)
		}
		if got := fmt.Sprint(rep.Codes()); got != "[thinking-made-adaptive]" || !strings.Contains(rep.Changes[0].Detail, "budget_tokens 2048 dropped") {
			t.Errorf("%s: report %+v, want thinking-made-adaptive naming the budget", model, rep.Changes)
		}
		if aws.ToInt32(out.InferenceConfig.MaxTokens) != 4096 || in.AdditionalModelRequestFields != fields {
			t.Errorf("%s: maxTokens changed or the input modified", model)
		}
		validSDKInput(t, out, "anthropic-no-sampling")
	}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-opus-4-6-v1"), Messages: msgs,
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(4096)}, AdditionalModelRequestFields: fields}
	_, rep, err := ConverseInput(in, Options{})
	if err != nil || len(rep.Changes) != 0 {
		t.Errorf("Opus 4.6 takes enabled thinking: %v, %+v", err, rep.Changes)
	}
}

// An SDK input holding a message of role "system", as an application
// ported from Chat Completions may send, has its blocks moved to the
// system field as a history's system message has (types.SystemContentBlock
// takes text, a cache point and guard content: Converse API reference,
// SystemContentBlock); a block a system prompt cannot hold is dropped,
// reported. Before, every such input failed with "converting the request
// back to the SDK: system.0: source *types.ContentBlockMemberText is not
// an SDK system block".
func TestSystemRoleMessageInSDKInput(t *testing.T) {
	guard := types.GuardrailConverseContentBlock(&types.GuardrailConverseContentBlockMemberText{Value: types.GuardrailConverseTextBlock{Text: aws.String("policy")}})
	audio := &types.ContentBlockMemberAudio{Value: types.AudioBlock{Format: types.AudioFormatMp3, Source: &types.AudioSourceMemberBytes{Value: []byte("ID3")}}}
	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String("us.amazon.nova-pro-v1:0"),
		Messages: []types.Message{
			{Role: "system", Content: []types.ContentBlock{
				&types.ContentBlockMemberText{Value: "Be terse."},
				&types.ContentBlockMemberGuardContent{Value: guard},
				audio,
			}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}},
		},
	}
	before := fmt.Sprintf("%#v", in.Messages)
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []types.SystemContentBlock{
		&types.SystemContentBlockMemberText{Value: "Be terse."},
		&types.SystemContentBlockMemberGuardContent{Value: guard},
	}
	if !reflect.DeepEqual(out.System, want) {
		t.Errorf("system:\n%#v\nwant\n%#v", out.System, want)
	}
	if len(out.Messages) != 1 || out.Messages[0].Role != types.ConversationRoleUser {
		t.Errorf("messages: %#v", out.Messages)
	}
	if codes := rep.Codes(); !slices.Contains(codes, SystemHoisted) || !slices.Contains(codes, MediaToText) {
		t.Errorf("report: %v", rep.Changes)
	}
	if fmt.Sprintf("%#v", in.Messages) != before {
		t.Error("the input was modified")
	}
}
