package catalog

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestRealwireCallsAreOffered holds the embedded catalog to real successful
// Bedrock calls: every Converse and ConverseStream exchange of realwire
// that answered 200 (testdata/realwire-ok.json lists each file's Region,
// model id and, where the response kept it, its Date header) names a model
// or profile the catalog offers in that Region; a foundation-model id was
// served on demand there, so the catalog must list the Region in its
// onDemand (not only through a profile), and a profile id must have that
// Region among its sources. A model whose lifecycle in the catalog says it
// had reached its end of life on the day of the call would be a
// contradiction too. The catalog knew none of Claude Sonnet 5, Claude 3
// Sonnet, Llama 3.2 1B, Llama 4 Maverick, Titan Text Lite, Writer Palmyra
// X4, Qwen3 32B, Kimi K2 Thinking, Mistral Large 3, Devstral 2, MiniMax M2
// or Gemma 3 27B, and the emulator refused their captured calls with "The
// provided model identifier is invalid.".
//
// Excepted: application-inference-profile ARNs, which belong to the
// recording account (the embedded catalog has no application profiles).
// A model retired since its call (end of life before the catalog's asOf,
// after the call's date) stays in the catalog with its dates and passes:
// Resolve offers it, and the emulator refuses it for its lifecycle, not as
// an unknown id.
func TestRealwireCallsAreOffered(t *testing.T) {
	data, err := os.ReadFile("testdata/realwire-ok.json")
	if err != nil {
		t.Fatal(err)
	}
	var calls []struct {
		File, Region, ModelID, Date string
	}
	if err := json.Unmarshal(data, &calls); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 50 {
		t.Fatalf("%d calls; testdata/realwire-ok.json lists 56", len(calls))
	}
	c := Default()
	checked := 0
	for _, call := range calls {
		if strings.Contains(call.ModelID, ":application-inference-profile/") {
			continue
		}
		got, err := c.Resolve(call.Region, call.ModelID)
		if err != nil {
			t.Errorf("%s: %s answered in %s, but the catalog does not offer it there: %v", call.File, call.ModelID, call.Region, err)
			continue
		}
		checked++
		if got.ProfileOnly {
			t.Errorf("%s: %s was served on demand in %s, but the catalog offers it there only through a profile", call.File, call.ModelID, call.Region)
		}
		eol := got.Model.Lifecycle.EndOfLife
		if eol != "" && call.Date != "" && call.Date >= eol {
			t.Errorf("%s: %s answered on %s, after the end of life the catalog gives it (%s)", call.File, call.ModelID, call.Date, eol)
		}
	}
	if checked == 0 {
		t.Error("no call checked")
	}
}
