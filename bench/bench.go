// Package bench replays real conversation histories against Amazon
// Bedrock targets and checks the answers: the core loop of bedrock-bench.
//
// For each (target, history) case it normalizes the history for the
// target model's family, validates it, calls Converse through a replay
// session, calls it again with the history converted one to one (what a
// client without the normalizer sends), and, for histories tagged
// "stream", calls ConverseStream. To use it:
//
//  1. [LoadTargets] (bench/targets.json) and load the histories.
//  2. Build the [Cases] and open each one's cassette with package replay.
//  3. [Run] a case through the session's client, then [Check] the result.
//
// go test ./bench replays every case offline; `go test ./bench -record`
// and `bedrock-bench record` refresh the cassettes.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
)

// Target is where a history is replayed: a Region and a model or
// inference profile.
type Target struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	Model  string `json:"model"`
	// Histories is a glob over history ids this target runs; empty means all.
	Histories string `json:"histories,omitempty"`
	// Expect is "" for a target that serves its model, or
	// "model-not-offered" for one whose Region does not (contract 1).
	Expect string `json:"expect,omitempty"`
	// Why says what the target exercises.
	Why string `json:"why,omitempty"`
}

// ExpectNotOffered marks a target whose Region does not offer its model.
const ExpectNotOffered = "model-not-offered"

// MsgInvalidModel is the service's answer for a model a Region does not offer.
const MsgInvalidModel = "The provided model identifier is invalid."

// Family returns the target model's family, or the default.
func (t Target) Family() converse.Family { return converse.FamilyOrDefault(t.Model) }

// LoadTargets reads the target matrix.
func LoadTargets(file string) ([]Target, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var ts []Target
	if err := json.Unmarshal(data, &ts); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	seen := map[string]bool{}
	for i, t := range ts {
		switch {
		case t.Name == "" || t.Region == "" || t.Model == "":
			return nil, fmt.Errorf("%s: [%d]: name, region and model are required", file, i)
		case strings.ContainsAny(t.Name, "/ "):
			return nil, fmt.Errorf("%s: [%d]: name %q may not contain / or spaces (it names a directory and a subtest)", file, i, t.Name)
		case seen[t.Name]:
			return nil, fmt.Errorf("%s: [%d]: name %q is used twice", file, i, t.Name)
		case t.Expect != "" && t.Expect != ExpectNotOffered:
			return nil, fmt.Errorf("%s: [%d]: expect %q: want empty or %q", file, i, t.Expect, ExpectNotOffered)
		}
		if t.Histories != "" {
			if _, err := path.Match(t.Histories, ""); err != nil {
				return nil, fmt.Errorf("%s: [%d]: histories %q: %v", file, i, t.Histories, err)
			}
		}
		seen[t.Name] = true
	}
	return ts, nil
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
}

// Run runs one case through client: normalize, validate, Converse; the
// raw request; ConverseStream for "stream" histories. A returned error
// means the case could not run at all (the history does not normalize).
func Run(ctx context.Context, c Case, client *bedrockruntime.Client) (Result, error) {
	fam := c.Target.Family()
	var res Result
	req, rep, err := normalize.Normalize(c.History, normalize.Options{Family: fam})
	res.Report = rep
	if err != nil {
		return res, err
	}
	if err := converse.Validate(&req, fam); err != nil {
		return res, fmt.Errorf("normalized request is invalid for %s: %w", fam.Name, err)
	}
	in, err := req.ToSDK(c.Target.Model)
	if err != nil {
		return res, err
	}
	ectx := explain.Context{Region: c.Target.Region, Model: c.Target.Model}
	res.Normalized = call(ctx, client, in, ectx)

	raw := normalize.Naive(c.History)
	if err := converse.Validate(&raw, fam); err != nil {
		errors.As(err, &res.Prediction)
	}
	if rawIn, err := raw.ToSDK(c.Target.Model); err != nil {
		res.Raw = Outcome{Err: fmt.Errorf("raw request does not convert to the SDK: %w", err)}
	} else {
		res.Raw = call(ctx, client, rawIn, ectx)
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

// Check returns what is wrong with a case's result, one line each; none
// means the case passes.
func Check(c Case, r Result) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, o := range []*Outcome{&r.Normalized, &r.Raw, r.Stream} {
		if o != nil && o.Err != nil {
			fail("%v", o.Err)
		}
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
	if !r.Normalized.OK {
		fail("normalized request was refused: %s", describe(r.Normalized))
	} else if r.Normalized.StopReason == "" || (r.Normalized.Text == "" && r.Normalized.ToolUse == "") {
		fail("normalized request got an empty answer (stop reason %q)", r.Normalized.StopReason)
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

func describe(o Outcome) string {
	switch {
	case o.Err != nil:
		return o.Err.Error()
	case o.OK:
		return "success (" + o.StopReason + ")"
	case o.Explanation != "":
		return o.ErrorType + ": " + o.Message + " [" + o.Explanation + "]"
	}
	return o.ErrorType + ": " + o.Message
}
