package catalog

import (
	"slices"
	"strings"
	"testing"
)

// inferenceProfilePage holds, for each geographic (apac., jp., au., eu.)
// system-defined profile of the embedded catalog, the rows of the Bedrock
// user guide's "Supported Regions and models for inference profiles" page
// (inference-profiles-support, section "Supported cross-Region inference
// profiles"): source Region, then the destination Regions the page lists
// for it, as the page spells them.
var inferenceProfilePage = map[string][]string{
	"apac.anthropic.claude-3-haiku-20240307-v1:0": {
		"ap-northeast-1: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-northeast-2: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-south-1: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-1: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-2: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
	},
	"apac.anthropic.claude-3-sonnet-20240229-v1:0": {
		"ap-northeast-1: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-northeast-2: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-south-1: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-1: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-2: ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2",
	},
	"apac.anthropic.claude-3-7-sonnet-20250219-v1:0": {
		"ap-northeast-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
		"ap-northeast-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
		"ap-northeast-3: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
		"ap-south-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
		"ap-south-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
		"ap-southeast-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
		"ap-southeast-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2",
	},
	"apac.anthropic.claude-sonnet-4-20250514-v1:0": {
		"ap-east-2: ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4",
		"ap-northeast-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-northeast-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-northeast-3: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-south-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-south-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-southeast-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-southeast-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-southeast-3: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4",
		"ap-southeast-4: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4",
		"ap-southeast-5: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5",
		"ap-southeast-7: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-7",
		"me-central-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 me-central-1",
	},
	"apac.amazon.nova-lite-v1:0":  apacNova(true),
	"apac.amazon.nova-micro-v1:0": apacNova(false),
	"apac.amazon.nova-pro-v1:0":   apacNova(true),
	"jp.amazon.nova-2-lite-v1:0": {
		"ap-northeast-1: ap-northeast-1 ap-northeast-3",
	},
	"jp.anthropic.claude-haiku-4-5-20251001-v1:0": {
		"ap-northeast-1: ap-northeast-1 ap-northeast-3",
		"ap-northeast-3: ap-northeast-1 ap-northeast-3",
	},
	"jp.anthropic.claude-sonnet-4-5-20250929-v1:0": {
		"ap-northeast-1: ap-northeast-1 ap-northeast-3",
		"ap-northeast-3: ap-northeast-1 ap-northeast-3",
	},
	"au.anthropic.claude-haiku-4-5-20251001-v1:0": {
		"ap-southeast-2: ap-southeast-2 ap-southeast-4",
		"ap-southeast-4: ap-southeast-2 ap-southeast-4",
	},
	"au.anthropic.claude-sonnet-4-5-20250929-v1:0": {
		"ap-southeast-2: ap-southeast-2 ap-southeast-4",
		"ap-southeast-4: ap-southeast-2 ap-southeast-4",
	},
	"eu.anthropic.claude-3-haiku-20240307-v1:0":    euThree,
	"eu.anthropic.claude-3-sonnet-20240229-v1:0":   euThree,
	"eu.meta.llama3-2-1b-instruct-v1:0":            euThree,
	"eu.meta.llama3-2-3b-instruct-v1:0":            euThree,
	"eu.anthropic.claude-3-7-sonnet-20250219-v1:0": euFour,
	"eu.mistral.pixtral-large-2502-v1:0":           euFour,
	"eu.anthropic.claude-haiku-4-5-20251001-v1:0":  euClaude45,
	"eu.anthropic.claude-opus-4-5-20251101-v1:0":   euClaude45,
	"eu.anthropic.claude-sonnet-4-5-20250929-v1:0": euClaude45,
	"eu.anthropic.claude-sonnet-4-20250514-v1:0": {
		"eu-central-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-north-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-south-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-south-2: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-west-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-west-3: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"il-central-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3 il-central-1",
	},
	"eu.amazon.nova-2-lite-v1:0": {
		"eu-central-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-north-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-south-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-south-2: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-west-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
		"eu-west-3: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	},
	"eu.amazon.nova-lite-v1:0":  euNova,
	"eu.amazon.nova-micro-v1:0": euNova,
	"eu.amazon.nova-pro-v1:0":   euNova,
}

var euThree = []string{
	"eu-central-1: eu-central-1 eu-west-1 eu-west-3",
	"eu-west-1: eu-central-1 eu-west-1 eu-west-3",
	"eu-west-3: eu-central-1 eu-west-1 eu-west-3",
}

var euFour = []string{
	"eu-central-1: eu-central-1 eu-north-1 eu-west-1 eu-west-3",
	"eu-north-1: eu-central-1 eu-north-1 eu-west-1 eu-west-3",
	"eu-west-1: eu-central-1 eu-north-1 eu-west-1 eu-west-3",
	"eu-west-3: eu-central-1 eu-north-1 eu-west-1 eu-west-3",
}

var euNova = append(slices.Clip(euFour),
	"eu-south-1: eu-central-1 eu-north-1 eu-south-1 eu-west-1 eu-west-3",
	"eu-south-2: eu-central-1 eu-north-1 eu-south-2 eu-west-1 eu-west-3",
	"il-central-1: eu-central-1 eu-north-1 eu-south-1 eu-west-1 eu-west-3 il-central-1",
)

var euClaude45 = []string{
	"eu-central-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	"eu-central-2: eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	"eu-north-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	"eu-south-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	"eu-south-2: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	"eu-west-1: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
	"eu-west-2: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3",
	"eu-west-3: eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3",
}

// apacNova is the page's table for apac.amazon.nova-{lite,micro,pro}-v1:0;
// only Lite and Pro list ap-southeast-4 as a source.
func apacNova(melbourneSource bool) []string {
	rows := []string{
		"ap-east-2: ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4",
		"ap-northeast-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-northeast-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-south-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-2: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-southeast-1 ap-southeast-2",
		"ap-southeast-3: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4",
		"ap-southeast-5: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5",
		"ap-southeast-7: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-7",
		"me-central-1: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 me-central-1",
	}
	if melbourneSource {
		rows = append(rows, "ap-southeast-4: ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-4")
	}
	return rows
}

// TestGeographicRoutesCoverThePage: every source Region of the catalog's
// 17 that the inference-profile page lists for an apac., jp., au. or eu.
// profile is a source in the catalog, and routes to every destination the
// page lists that is one of the 17 (a destination outside them, such as
// ap-south-2, has no entry in the catalog's Regions and is left out, as
// catalog.go's index requires). Preflight checks IAM on each destination:
// one left out is a Region where a routed call is denied while preflight
// says the policy is enough. On the catalog before this test, the apac.
// routes of Claude 3.7 Sonnet, Nova Micro, Lite and Pro from
// ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1 and
// ap-southeast-2 left out ap-northeast-3, and Claude Sonnet 4's from the
// same five left out ap-northeast-3 and ap-southeast-4.
func TestGeographicRoutesCoverThePage(t *testing.T) {
	c := Default()
	for id, rows := range inferenceProfilePage {
		p, ok := c.Profile(id)
		if !ok {
			t.Errorf("%s: not in the catalog", id)
			continue
		}
		for _, row := range rows {
			src, dests, ok := strings.Cut(row, ": ")
			if !ok {
				t.Fatalf("%s: bad row %q", id, row)
			}
			if !c.HasRegion(src) {
				continue
			}
			got, ok := p.Routes[src]
			if !ok {
				t.Errorf("%s: no route from %s; the page lists one to %s", id, src, dests)
				continue
			}
			for _, d := range strings.Fields(dests) {
				if c.HasRegion(d) && !slices.Contains(got, d) {
					t.Errorf("%s from %s: routes to %v, without %s, which the page lists", id, src, got, d)
				}
			}
		}
	}
	// Every geographic profile of the catalog the page lists is above.
	for _, p := range c.Profiles {
		geo, _, _ := strings.Cut(p.ID, ".")
		if _, listed := inferenceProfilePage[p.ID]; !listed && (geo == "apac" || geo == "jp" || geo == "au") {
			t.Errorf("%s: not checked against the page", p.ID)
		}
	}
}
