package converse_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/explain"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
)

// notRepaired are the rules the normalizer leaves to the application, as
// the README says (The Converse contract, "Service tiers (V-67)"): a
// service tier or a latency is the application's choice of price and
// speed, not a slip of format. The request stays refused, with the same
// text, after the normalizer's SDK path, which copies those fields as
// they are.
var notRepaired = map[string]bool{
	"service-tier-type-required": true,
	"service-tier-enum":          true,
	"latency-enum":               true,
}

// lintMisses are the rules whose case lint's raw check cannot see: lint
// checks a history's naive conversion (normalize.Naive), the one to one
// request most clients send, which has no system cache points, no
// outputConfig, serviceTier or performanceConfig, and no toolConfig
// without tools. The repairs of these rules show in lint's changes.
var lintMisses = map[string]string{
	"tools-empty":                "no toolConfig without tools",
	"service-tier-type-required": "no serviceTier",
	"service-tier-enum":          "no serviceTier",
	"latency-enum":               "no performanceConfig",
	"cache-point-count":          "no system cache points (the case's fifth)",
	"cache-ttl-unsupported":      "no system cache points (the case's 1h one)",
	"output-schema-unsupported":  "no outputConfig",
	"output-schema-min-items":    "no outputConfig",
}

// TestRulesHoldInEveryPlace holds the five places the Converse contract
// lives in to one another, rule by rule: for each rule's failing case
// (ruleCases, which TestRules checks against the service's text), on a
// model of the case's family,
//   - the emulator answers Converse (ConverseStream for a streaming rule)
//     with the validator's status, error type and text, word for word;
//   - lint, which checks a history's naive conversion, reports the rule
//     (but those of [lintMisses]);
//   - the explainer names the rule for the emulator's text;
//   - the normalizer repairs the request, with a report note, both for a
//     Converse fixture and for an SDK input (ConverseInput), and the
//     validator and the emulator take the result; the rules of
//     [notRepaired] stay refused, as the README says.
//
// A rule added to the validator, or a text changed in one place, fails
// here until every place agrees.
func TestRulesHoldInEveryPlace(t *testing.T) {
	e := startEmulators(t)
	cands := map[string][]candidate{}
	for _, tc := range converse.RuleCases() {
		t.Run(tc.Rule, func(t *testing.T) {
			name, stream := strings.CutSuffix(tc.Family, "+stream")
			cs, ok := cands[name]
			if !ok {
				cs = e.candidates(t, name)
				cands[name] = cs
			}
			if len(cs) == 0 {
				t.Fatalf("no model of family %s that the emulator serves", name)
			}
			var bad converse.Request
			if err := json.Unmarshal([]byte(tc.Bad), &bad); err != nil {
				t.Fatal(err)
			}
			validate, op := converse.Validate, "converse"
			if stream {
				validate, op = converse.ValidateStream, "converse-stream"
			}
			// The first model whose first violation is the case's rule: a
			// family's models differ in what the catalog gives them
			// (Claude 3.5 Haiku takes no images).
			c := cs[0]
			for _, x := range cs {
				var v *converse.Violation
				if errors.As(validate(&bad, x.family), &v) && v.Rule.Name == tc.Rule {
					c = x
					break
				}
			}
			var v *converse.Violation
			if !errors.As(validate(&bad, c.family), &v) || v.Rule.Name != tc.Rule {
				t.Fatalf("%s: the validator answers %v, not rule %s", c.model, v, tc.Rule)
			}

			// The emulator.
			got := e.send(t, c.place, op, tc.Bad)
			if got.status != v.Rule.Status || got.errorType != v.Rule.Exception || got.message != v.Message {
				t.Errorf("%s %s: the emulator answers %d %s %q\nthe validator %d %s %q", op, c.model, got.status, got.errorType, got.message, v.Rule.Status, v.Rule.Exception, v.Message)
			}

			// The explainer, on the emulator's text.
			x := explain.Explain(&smithy.GenericAPIError{Code: got.errorType, Message: got.message}, explain.Context{Region: c.region, Model: c.model})
			if x.Kind != explain.Contract || x.Rule == nil || x.Rule.ID != v.Rule.ID {
				t.Errorf("the explainer reads %q as %s %v, not %s", got.message, x.Kind, x.Rule, v.Rule.ID)
			}

			// lint: the fixture's naive conversion breaks the rule.
			h, err := history.Decode("case.json", []byte(`{"format":"converse","request":`+tc.Bad+`}`))
			if err != nil {
				t.Fatalf("the case as a fixture: %v", err)
			}
			naive := normalize.Naive(h)
			check := converse.Check
			if stream {
				check = converse.CheckStream
			}
			linted := false
			for _, lv := range check(&naive, c.family) {
				linted = linted || lv.Rule.ID == v.Rule.ID
			}
			if why, miss := lintMisses[tc.Rule]; linted == miss {
				t.Errorf("lint reports %s for the fixture: %v; the naive conversion sends %s", v.Rule.ID, linted, why)
			}

			if notRepaired[tc.Rule] {
				in, err := bad.ToSDK(c.model)
				if err != nil {
					t.Fatal(err)
				}
				out, _, err := normalize.ConverseInput(in, normalize.Options{Family: c.family, Stream: stream})
				if err != nil {
					t.Fatal(err)
				}
				fixed, err := converse.RequestFromSDK(out)
				if err != nil {
					t.Fatal(err)
				}
				if err := validate(fixed, c.family); err == nil || err.Error() != v.Error() {
					t.Errorf("the normalizer leaves %s to the application (README), but its SDK input is now %v", tc.Rule, err)
				}
				return
			}

			// The normalizer, on the fixture.
			req, rep, err := normalize.Normalize(h, normalize.Options{Family: c.family, Stream: stream})
			if err != nil {
				t.Errorf("the normalizer, on the fixture: %v", err)
			} else {
				e.accepted(t, c, op, "the fixture's repair", &req, rep, validate)
			}

			// The normalizer, on an SDK input.
			in, err := bad.ToSDK(c.model)
			if err != nil {
				// The SDK conversion of the bench's wire type does not
				// make every block (video); the fixture path covers it.
				t.Logf("no SDK input: %v", err)
				return
			}
			var sdkRep normalize.Report
			var fixed *converse.Request
			if stream {
				sin, err := bad.ToSDKStream(c.model)
				if err != nil {
					t.Fatal(err)
				}
				out, r, err := normalize.ConverseStreamInput(sin, normalize.Options{Family: c.family})
				if err != nil {
					t.Fatalf("the normalizer, on an SDK input: %v", err)
				}
				sdkRep = r
				fixed, err = converse.RequestFromSDK(&bedrockruntime.ConverseInput{ModelId: out.ModelId, Messages: out.Messages, System: out.System,
					ToolConfig: out.ToolConfig, InferenceConfig: out.InferenceConfig, AdditionalModelRequestFields: out.AdditionalModelRequestFields,
					OutputConfig: out.OutputConfig, ServiceTier: out.ServiceTier, PerformanceConfig: out.PerformanceConfig})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				out, r, err := normalize.ConverseInput(in, normalize.Options{Family: c.family})
				if err != nil {
					t.Fatalf("the normalizer, on an SDK input: %v", err)
				}
				sdkRep = r
				if fixed, err = converse.RequestFromSDK(out); err != nil {
					t.Fatal(err)
				}
			}
			e.accepted(t, c, op, "the SDK input's repair", fixed, sdkRep, validate)
		})
	}
}

// accepted checks that req, repaired with the report rep, is taken by the
// validator and the emulator, and that the repair is reported.
func (e *emulators) accepted(t *testing.T, c candidate, op, what string, req *converse.Request, rep normalize.Report, validate func(*converse.Request, converse.Family) error) {
	t.Helper()
	if len(rep.Changes) == 0 {
		t.Errorf("%s has no report note", what)
	}
	if err := validate(req, c.family); err != nil {
		t.Errorf("%s still breaks the contract: %v", what, err)
	}
	body, err := req.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.send(t, c.place, op, string(body)); got.status != http.StatusOK {
		t.Errorf("the emulator refuses %s: %d %s\n%s", what, got.status, got.message, body)
	}
}

// gpt5Model is a gpt-5.x model for the emulator's catalog: the bundled
// one lists none, though the family table knows them by id (V-62, V-63).
const gpt5Model = "openai.gpt-5.6-luna"

// emulators are the emulators a rule's family may need: the bundled
// catalog on its own date; the same on a day the Claude models it has
// retired (Claude 3.5 Haiku, Claude Sonnet 4) still served; and one whose
// catalog adds a gpt-5.x model.
type emulators struct {
	servers  []*httptest.Server
	catalogs []*catalog.Catalog
}

func startEmulators(t *testing.T) *emulators {
	def := catalog.Default()
	var ids []string
	for _, m := range def.Models {
		ids = append(ids, m.ID)
	}
	data, err := os.ReadFile("../catalog/default.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc["models"] = append(doc["models"].([]any), map[string]any{"id": gpt5Model, "name": "gpt-5.6-luna", "provider": "OpenAI",
		"input": []any{"TEXT", "IMAGE"}, "onDemand": []any{"us-east-1"}, "lifecycle": map[string]any{"startOfLife": "2026-01-01"}})
	data, err = json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	withGPT5, err := catalog.Parse("default.json with "+gpt5Model, data)
	if err != nil {
		t.Fatal(err)
	}
	e := &emulators{catalogs: []*catalog.Catalog{def, def, withGPT5}}
	for _, opts := range []*emulator.Options{nil, {Date: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), LegacyActive: ids}, {Catalog: withGPT5}} {
		s, err := emulator.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewUnstartedServer(nil)
		hs.Config = s.HTTPServer()
		hs.Start()
		t.Cleanup(hs.Close)
		e.servers = append(e.servers, hs)
	}
	return e
}

// place is a model one of the emulators serves in a Region.
type place struct {
	server        int
	region, model string
}

// candidate is a place with the model's family as the emulator reads it.
type candidate struct {
	place
	family converse.Family
}

// answer is the emulator's answer to one call.
type answer struct {
	status             int
	errorType, message string
}

// send signs body and posts it to the operation op of p's model.
func (e *emulators) send(t *testing.T, p place, op, body string) answer {
	t.Helper()
	hs := e.servers[p.server]
	req, err := http.NewRequest(http.MethodPost, hs.URL+"/model/"+url.PathEscape(p.model)+"/"+op, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: emulator.DefaultCredentials.AccessKeyID, SecretAccessKey: emulator.DefaultCredentials.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "bedrock", p.region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	a := answer{status: resp.StatusCode}
	if resp.StatusCode == http.StatusOK {
		return a
	}
	a.errorType, _, _ = strings.Cut(resp.Header.Get("X-Amzn-Errortype"), ":")
	var m struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(b, &m)
	a.message = m.Message
	return a
}

// candidates lists the models of family, a family name or "model:" and
// a model id, that one of the emulators serves, with their families as
// the emulator reads them (the output limit from its catalog).
func (e *emulators) candidates(t *testing.T, family string) []candidate {
	hello := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"}
	serves := func(server int, id string, onDemand []string) (place, bool) {
		for _, model := range []string{id, "us." + id, "global." + id} {
			for _, r := range append(append([]string(nil), onDemand...), regions...) {
				p := place{server, r, model}
				if e.send(t, p, "converse", hello).status == http.StatusOK {
					return p, true
				}
			}
		}
		return place{}, false
	}
	var out []candidate
	for server, cat := range e.catalogs {
		if len(out) > 0 {
			break // the first emulator that serves the family
		}
		models := append([]*catalog.Model(nil), cat.Models...)
		sort.Slice(models, func(i, j int) bool { return models[i].ID < models[j].ID })
		for _, m := range models {
			f, ok := converse.FamilyForModel(m.ID)
			if id, byID := strings.CutPrefix(family, "model:"); byID && converse.FoundationModelID(id) != m.ID || !byID && (!ok || f.Name != family) {
				continue
			}
			if p, ok := serves(server, m.ID, m.OnDemand); ok {
				f.MaxOutputTokens = m.MaxOutputTokens
				out = append(out, candidate{p, f})
			}
		}
	}
	return out
}
