// Package bench replays real conversation histories against Amazon
// Bedrock targets and checks the answers: the core loop of bedrock-bench.
//
// For each (target, history) case it normalizes the history for the
// target model's family, validates it, calls Converse through a replay
// session, calls it again with the history converted one to one (what a
// client without the normalizer sends), and, for histories tagged
// "stream", calls ConverseStream. To use it:
//
//  1. Load the targets (bedrock-bench.yaml, package bench/project, or
//     [LoadTargets]) and the histories.
//  2. Build the [Cases] and open each one's cassette with package replay.
//  3. [Run] a case through the session's client, then [Check] the result.
//
// Package benchtest runs all of this as subtests of a go test; the
// bedrock-bench CLI runs it from the command line.
package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"gopkg.in/yaml.v3"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/yamlerr"
)

// Target is where a history is replayed: a Region and a model or
// inference profile. Targets live in bedrock-bench.yaml (package
// bench/project).
type Target struct {
	// Name names the target's cassette folder and subtest: letters,
	// digits, '.', '_' and '-', never an account id (see [TargetName]).
	Name   string `json:"name" yaml:"name"`
	Region string `json:"region" yaml:"region"`
	Model  string `json:"model" yaml:"model"`
	// Histories is a glob over history ids this target runs; empty means all.
	Histories string `json:"histories,omitempty" yaml:"histories,omitempty"`
	// Expect is "" for a target that serves its model, or
	// "model-not-offered" for one whose Region does not (contract 1).
	Expect string `json:"expect,omitempty" yaml:"expect,omitempty"`
	// FamilyName overrides the model family the normalizer targets; empty
	// means the model's own family, or the project's default family for a
	// model the family table does not know.
	FamilyName string `json:"family,omitempty" yaml:"family,omitempty"`
	// Why says what the target exercises.
	Why string `json:"why,omitempty" yaml:"why,omitempty"`
}

// ExpectNotOffered marks a target whose Region does not offer its model.
const ExpectNotOffered = "model-not-offered"

// MsgInvalidModel is the service's answer for a model a Region does not offer.
const MsgInvalidModel = "The provided model identifier is invalid."

// Family returns the target model's family: FamilyName when set, else the
// model's, else the default; with the model's output limit (V-61) and
// whether it takes images and video (V-42) where the catalog gives them,
// whichever family is named.
func (t Target) Family() converse.Family {
	if t.FamilyName != "" {
		if f, err := converse.LookupFamily(t.FamilyName); err == nil {
			f.MaxOutputTokens = converse.ModelMaxOutputTokens(t.Model)
			f.NoImages = converse.ModelTakesNoImages(t.Model)
			f.NoVideo = f.NoVideo || converse.ModelTakesNoVideo(t.Model)
			return f
		}
	}
	return converse.FamilyOrDefault(t.Model)
}

// LoadTargets reads a target list, a YAML or JSON array of targets, and
// validates it with [ValidateTargets].
func LoadTargets(file string) ([]Target, error) {
	data, err := bounded.ReadFile(file, MaxTargetsFile, "a target list is a few lines per target")
	if err != nil {
		return nil, err
	}
	return ParseTargets(file, data)
}

// ParseTargets reads the contents of a target list; file names it in
// errors, with the line of the entry at fault.
func ParseTargets(file string, data []byte) ([]Target, error) {
	// yaml.v3 refuses invalid UTF-8 without a position: say where.
	if err := validutf8.Check(file, data); err != nil {
		return nil, err
	}
	var ts []Target
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&ts); err != nil && !errors.Is(err, io.EOF) {
		return nil, errors.New(yamlerr.Format(file, data, err, "(a target has name, region and model, and may have histories, expect, family and why)"))
	}
	if err := ValidateTargets(ts); err != nil {
		var root yaml.Node
		_ = yaml.Unmarshal(data, &root)
		if line := EntryLine(&root, err); line > 0 {
			return nil, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return ts, nil
}

// EntryLine is the line of the target list entry a [TargetError] names,
// in list: a YAML document holding the list, or the list node itself; 0
// when err is not a TargetError or the entry is not found.
func EntryLine(list *yaml.Node, err error) int {
	var te *TargetError
	if !errors.As(err, &te) || list == nil {
		return 0
	}
	if list.Kind == yaml.DocumentNode && len(list.Content) > 0 {
		list = list.Content[0]
	}
	if list.Kind != yaml.SequenceNode || te.Index >= len(list.Content) {
		return 0
	}
	return list.Content[te.Index].Line
}

// MaxTargetsFile bounds a target list; anything larger is refused.
const MaxTargetsFile = 1 << 20

// targetName is what a target name may look like: it names a directory
// and a subtest.
var targetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// accountID is what may be an AWS account id: a run of twelve or more
// digits (model ids carry dates of eight).
var accountID = regexp.MustCompile(`[0-9]{12,}`)

// ValidateTargets checks a target list: names present, unique, safe as a
// directory and a subtest, free of account ids; region and model set;
// expect and histories well formed. Errors name the entry: "targets[2]",
// and are a *[TargetError], so a caller that read the list from a file
// can point at the entry's line.
func ValidateTargets(ts []Target) error {
	// seen maps the names before, folded to lower case, to themselves:
	// macOS and Windows take names differing in case for one folder.
	seen := map[string]string{}
	for i, t := range ts {
		if err := validateTarget(i, t, seen); err != nil {
			return &TargetError{Index: i, Err: err}
		}
		seen[strings.ToLower(t.Name)] = t.Name
	}
	return nil
}

// windowsDevice matches the names Windows keeps for devices, whatever
// follows a dot: no folder can have them there ("aux.east" neither).
var windowsDevice = regexp.MustCompile(`(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)`)

// TargetError is a target list's first bad entry: Index is its place in
// the list.
type TargetError struct {
	Index int
	Err   error
}

func (e *TargetError) Error() string { return e.Err.Error() }

func (e *TargetError) Unwrap() error { return e.Err }

// validateTarget checks entry i of a target list, given the names of
// those before it, by their lower-case forms.
func validateTarget(i int, t Target, seen map[string]string) error {
	at := fmt.Sprintf("targets[%d]", i)
	if t.Name != "" {
		at += " (" + t.Name + ")"
	}
	switch {
	case t.Name == "" || t.Region == "" || t.Model == "":
		return fmt.Errorf("%s: name, region and model are required", at)
	case !targetName.MatchString(t.Name) || len(t.Name) > 100:
		return fmt.Errorf("%s: name %q: use letters, digits, '.', '_' and '-' (it names a cassette folder and a subtest), e.g. %q", at, t.Name, TargetName(t.Region, t.Model))
	case accountID.MatchString(t.Name):
		return fmt.Errorf("%s: name %q holds an account id; cassette paths are committed, so name the target without it, e.g. %q", at, t.Name, TargetName(t.Region, t.Model))
	case seen[strings.ToLower(t.Name)] == t.Name:
		return fmt.Errorf("%s: name %q is used twice", at, t.Name)
	case seen[strings.ToLower(t.Name)] != "":
		return fmt.Errorf("%s: name %q differs from %q only in case: on macOS and Windows both are one cassette folder, so rename one", at, t.Name, seen[strings.ToLower(t.Name)])
	case windowsDevice.MatchString(t.Name) || strings.HasSuffix(t.Name, "."):
		return fmt.Errorf("%s: name %q cannot name a folder on Windows (a device name, or a final '.'), e.g. %q", at, t.Name, TargetName(t.Region, t.Model))
	case t.Expect != "" && t.Expect != ExpectNotOffered:
		return fmt.Errorf("%s: expect %q: want empty or %q", at, t.Expect, ExpectNotOffered)
	}
	if t.FamilyName != "" {
		if _, err := converse.LookupFamily(t.FamilyName); err != nil {
			return fmt.Errorf("%s: family %q: want one of %s", at, t.FamilyName, strings.Join(converse.FamilyNames(), ", "))
		}
	}
	if t.Histories != "" {
		if _, err := path.Match(t.Histories, ""); err != nil {
			return fmt.Errorf("%s: histories %q: %v", at, t.Histories, err)
		}
	}
	return nil
}

// TargetName derives a target name from a Region and a model id, profile
// id or ARN: an ARN is shortened to its resource id and any account id is
// replaced by "account", so cassette paths never carry one.
// TargetName("us-east-1", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc")
// is "us-east-1-abc".
func TargetName(region, model string) string {
	m := model
	if strings.HasPrefix(m, "arn:") {
		// arn:partition:service:region:account:type/resource-id
		if parts := strings.SplitN(m, ":", 6); len(parts) == 6 {
			m = parts[5]
			if _, id, ok := strings.Cut(m, "/"); ok {
				m = id
			}
		}
	}
	m = accountID.ReplaceAllString(m, "account")
	var b strings.Builder
	for _, r := range region + "-" + m {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-.")
	if len(name) > 100 {
		name = name[:100]
	}
	if name == "" || !targetName.MatchString(name) {
		name = "target"
	}
	return name
}

// Case is one history replayed against one target.
type Case struct {
	Target  Target
	History *history.History
}

// Name is the case's subtest name, target/history.
func (c Case) Name() string { return c.Target.Name + "/" + c.History.ID }

// Cassette is the case's cassette file under root.
func (c Case) Cassette(root string) string {
	return filepath.Join(root, c.Target.Name, filepath.FromSlash(c.History.ID)+".yaml")
}

// Stream reports whether the case also calls ConverseStream.
func (c Case) Stream() bool { return c.History.HasTag("stream") }

// Cases pairs every target with the histories it runs.
func Cases(targets []Target, histories []*history.History) []Case {
	var out []Case
	for _, t := range targets {
		for _, h := range histories {
			if t.Histories != "" {
				if ok, _ := path.Match(t.Histories, h.ID); !ok {
					continue
				}
			}
			out = append(out, Case{Target: t, History: h})
		}
	}
	return out
}

// Shard selects one of Count disjoint slices of the cases: shard Index
// (1-based) of Count. A case belongs to the shard its name hashes to
// (FNV-1a, 64 bits), so a case stays in its shard however the others come
// and go. The zero Shard selects everything.
type Shard struct {
	Index, Count int
}

// ShardEnv is the environment variable go test and the CLI read a shard
// from when no flag gives one, e.g. BEDROCK_BENCH_SHARD=2/4.
const ShardEnv = "BEDROCK_BENCH_SHARD"

// ParseShard parses "i/n", 1 <= i <= n; "" is the zero Shard.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n, e.g. 1/4", s)
	}
	return Shard{Index: i, Count: n}, nil
}

func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Has reports whether the case named name belongs to the shard.
func (s Shard) Has(name string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return int(h.Sum64()%uint64(s.Count)) == s.Index-1
}

// Select returns the cases of the shard, in their order.
func (s Shard) Select(cases []Case) []Case {
	if s.Count <= 1 {
		return cases
	}
	var out []Case
	for _, c := range cases {
		if s.Has(c.Name()) {
			out = append(out, c)
		}
	}
	return out
}

// Outcome is what one call got back.
type Outcome struct {
	// OK is true for a successful answer.
	OK bool `json:"ok"`
	// ErrorType and Message are the service's error, as the SDK reports it.
	ErrorType string `json:"errorType,omitempty"`
	Message   string `json:"message,omitempty"`
	// StopReason, Text and ToolUse describe a successful answer.
	StopReason string `json:"stopReason,omitempty"`
	Text       string `json:"text,omitempty"`
	ToolUse    string `json:"toolUse,omitempty"`
	// Events counts a stream's events.
	Events int `json:"events,omitempty"`
	// Emulated is true when the answer came from the bundled emulator.
	Emulated bool `json:"emulated,omitempty"`
	// Explanation says what a service error means and what to do.
	Explanation string `json:"explanation,omitempty"`
	// Err is a failure that is not a service answer (a replay miss, a
	// network error).
	Err error `json:"-"`
}

// Result is everything a case produced.
type Result struct {
	Report     normalize.Report
	Normalized Outcome
	// Raw is the outcome of the history converted one to one.
	Raw Outcome
	// Prediction is the validator's verdict on the raw request: nil means
	// it should be accepted.
	Prediction *converse.Violation
	// Stream is set for histories tagged "stream".
	Stream *Outcome
	// Converted: a Converter, not the built-in normalizer, made the
	// request; ConverterViolation is the first rule its request breaks.
	Converted          bool
	ConverterViolation *converse.Violation
}

// Converter turns a case's history into the Converse request it sends,
// in place of the built-in normalizer: a team's own conversion code
// (package bench/converter runs one as a JSON-lines worker).
type Converter interface {
	Convert(ctx context.Context, c Case) (converse.Request, error)
}

// Run runs one case through client: normalize, validate, Converse; the
// raw request; ConverseStream for "stream" histories. A returned error
// means the case could not run at all (the history does not normalize).
func Run(ctx context.Context, c Case, client *bedrockruntime.Client) (Result, error) {
	return RunWith(ctx, c, client, nil)
}

// RunWith is [Run] with conv, when not nil, converting the history
// instead of the built-in normalizer. The converter's request is validated
// too, but sent even when it breaks a rule, so the cassette keeps the
// service's verdict; [Check] then reports the broken rule.
func RunWith(ctx context.Context, c Case, client *bedrockruntime.Client, conv Converter) (Result, error) {
	fam := c.Target.Family()
	var res Result
	var req converse.Request
	if conv != nil {
		r, err := conv.Convert(ctx, c)
		if err != nil {
			return res, fmt.Errorf("converter: %w", err)
		}
		req = r
		res.Converted = true
		if err := converse.Validate(&req, fam); err != nil {
			errors.As(err, &res.ConverterViolation)
		}
	} else {
		r, rep, err := normalize.Normalize(c.History, normalize.Options{Family: fam})
		res.Report = rep
		if err != nil {
			return res, err
		}
		req = r
		if err := converse.Validate(&req, fam); err != nil {
			return res, fmt.Errorf("normalized request is invalid for %s: %w", fam.Name, err)
		}
	}
	in, err := req.ToSDK(c.Target.Model)
	if err != nil {
		return res, err
	}
	ectx := explain.Context{Region: c.Target.Region, Model: c.Target.Model, Request: &req}
	res.Normalized = call(ctx, client, in, ectx)

	raw := normalize.Naive(c.History)
	rawCtx := ectx
	rawCtx.Request = &raw
	if err := converse.Validate(&raw, fam); err != nil {
		errors.As(err, &res.Prediction)
	}
	if rawIn, err := raw.ToSDK(c.Target.Model); err != nil {
		res.Raw = Outcome{Err: fmt.Errorf("raw request does not convert to the SDK: %w", err)}
	} else {
		res.Raw = call(ctx, client, rawIn, rawCtx)
	}

	if c.Stream() {
		sin, err := req.ToSDKStream(c.Target.Model)
		if err != nil {
			return res, err
		}
		s := stream(ctx, client, sin, ectx)
		res.Stream = &s
	}
	return res, nil
}

func call(ctx context.Context, client *bedrockruntime.Client, in *bedrockruntime.ConverseInput, ectx explain.Context) Outcome {
	out, err := client.Converse(ctx, in)
	if err != nil {
		return failure(err, ectx)
	}
	o := Outcome{OK: true, StopReason: string(out.StopReason), Emulated: emulated(out.ResultMetadata)}
	if msg, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, b := range msg.Value.Content {
			switch v := b.(type) {
			case *types.ContentBlockMemberText:
				o.Text += v.Value
			case *types.ContentBlockMemberCitationsContent:
				// An answer citing a document may be nothing else.
				for _, c := range v.Value.Content {
					if t, ok := c.(*types.CitationGeneratedContentMemberText); ok {
						o.Text += t.Value
					}
				}
			case *types.ContentBlockMemberToolUse:
				o.ToolUse = aws.ToString(v.Value.Name)
			}
		}
	}
	return o
}

func stream(ctx context.Context, client *bedrockruntime.Client, in *bedrockruntime.ConverseStreamInput, ectx explain.Context) Outcome {
	out, err := client.ConverseStream(ctx, in)
	if err != nil {
		return failure(err, ectx)
	}
	s := out.GetStream()
	defer s.Close()
	o := Outcome{OK: true, Emulated: emulated(out.ResultMetadata)}
	for ev := range s.Events() {
		o.Events++
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			if t, ok := e.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
				o.Text += t.Value
			}
		case *types.ConverseStreamOutputMemberContentBlockStart:
			if tu, ok := e.Value.Start.(*types.ContentBlockStartMemberToolUse); ok {
				o.ToolUse = aws.ToString(tu.Value.Name)
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			o.StopReason = string(e.Value.StopReason)
		}
	}
	if err := s.Err(); err != nil {
		f := failure(err, ectx)
		f.Events = o.Events
		return f
	}
	return o
}

// failure turns a call's error into an outcome with its explanation.
func failure(err error, ectx explain.Context) Outcome {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return Outcome{ErrorType: ae.ErrorCode(), Message: ae.ErrorMessage(), Explanation: explain.Explain(err, ectx).String()}
	}
	return Outcome{Err: err}
}

// ReplayCause is the replay's own error inside the SDK's wrapping of a
// failed send ("operation error Bedrock Runtime: Converse, https response
// error StatusCode: 0, RequestID: , request send failed, Post
// "https://bedrock-runtime...": "), which names AWS and the network though
// a replay never reaches them: a [replay.MissError], or the
// [replay.ErrLiveCall] refusal; err itself otherwise.
func ReplayCause(err error) error {
	var miss *replay.MissError
	if errors.As(err, &miss) {
		return miss
	}
	if errors.Is(err, replay.ErrLiveCall) {
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.HasPrefix(e.Error(), replay.ErrLiveCall.Error()) {
				return e
			}
		}
	}
	return err
}

// Check returns what is wrong with a case's result, one line each; none
// means the case passes.
func Check(c Case, r Result) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	// A replay miss shows its difference from the closest recorded
	// request once: the raw request and the stream usually send what the
	// normalized request sent, so they miss the same way.
	var shown []*replay.MissError
	for i, o := range []*Outcome{&r.Normalized, &r.Raw, r.Stream} {
		if o == nil || o.Err == nil {
			continue
		}
		var miss *replay.MissError
		if errors.As(o.Err, &miss) && miss.Diff != "" {
			if prev := sameMiss(shown, miss); prev != nil {
				fail("replay: the %s request (%s %s) has no recorded match either: it differs from interaction %d in %s as shown above",
					[...]string{"Converse", "raw Converse", "ConverseStream"}[i], miss.Method, miss.Path, miss.Interaction, strings.Join(miss.Fields, ", "))
				continue
			}
			shown = append(shown, miss)
		}
		fail("%v", ReplayCause(o.Err))
	}
	if len(problems) > 0 {
		return problems
	}
	if c.Target.Expect == ExpectNotOffered {
		for what, o := range map[string]*Outcome{"normalized": &r.Normalized, "raw": &r.Raw} {
			if o.OK || o.ErrorType != "ValidationException" || o.Message != MsgInvalidModel {
				fail("%s request: want ValidationException: %s (the Region does not offer %s), got %s", what, MsgInvalidModel, c.Target.Model, describe(*o))
			}
		}
		return problems
	}
	if v := r.ConverterViolation; v != nil {
		fail("the converter's request breaks rule %s %s: %s", v.Rule.ID, v.Rule.Name, v.Message)
	}
	what := "normalized"
	if r.Converted {
		what = "the converter's"
	}
	if !r.Normalized.OK {
		fail("%s request was refused: %s", what, describe(r.Normalized))
	} else if r.Normalized.StopReason == "" || (r.Normalized.Text == "" && r.Normalized.ToolUse == "") {
		fail("%s request got an empty answer (stop reason %q)", what, r.Normalized.StopReason)
	}
	switch p := r.Prediction; {
	case p == nil && !r.Raw.OK:
		fail("the validator accepts the raw request, but the service refused it: %s", describe(r.Raw))
	case p != nil && r.Raw.OK:
		fail("the validator predicted %s (rule %s: %s), but the service accepted the raw request", p.Rule.Exception, p.Rule.ID, p.Message)
	case p != nil && (r.Raw.ErrorType != p.Rule.Exception || r.Raw.Message != p.Message):
		fail("the validator predicted %s: %s (rule %s), but the service answered %s", p.Rule.Exception, p.Message, p.Rule.ID, describe(r.Raw))
	}
	if s := r.Stream; s != nil {
		switch {
		case !s.OK:
			fail("stream failed: %s", describe(*s))
		case s.StopReason == "" || s.Events == 0:
			fail("stream ended without messageStop (%d events)", s.Events)
		}
	}
	return problems
}

// sameMiss returns the miss of shown that differs from its closest
// recorded request as m does, or nil.
func sameMiss(shown []*replay.MissError, m *replay.MissError) *replay.MissError {
	for _, p := range shown {
		if p.Diff == m.Diff && p.RecordedModel == m.RecordedModel && p.Cassette == m.Cassette {
			return p
		}
	}
	return nil
}

func describe(o Outcome) string {
	switch {
	case o.Err != nil:
		return ReplayCause(o.Err).Error()
	case o.OK:
		return "success (" + o.StopReason + ")"
	case o.Explanation != "":
		return o.ErrorType + ": " + o.Message + " [" + o.Explanation + "]"
	}
	return o.ErrorType + ": " + o.Message
}
