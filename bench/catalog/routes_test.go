package catalog

import (
	"slices"
	"strings"
	"testing"
)

// inferenceProfilePage holds, for each geographic (us., ca., apac., jp.,
// au., eu.) system-defined profile of the embedded catalog that it lists,
// the rows of the Bedrock user guide's "Supported Regions and models for
// inference profiles" page (inference-profiles-support, section "Supported
// cross-Region inference profiles"; the copy read prints no date, and lists
// Claude Opus 4.5 and Nova 2 Lite but not Claude Sonnet 4.6 or Opus 4.6):
// source Region, then the destination Regions the page lists for it, as
// the page spells them.
var inferenceProfilePage = map[string][]string{
	"us.amazon.nova-2-lite-v1:0": {
		"ca-central-1: ca-central-1 us-east-1 us-east-2 us-west-2",
		"ca-west-1: ca-west-1 us-east-1 us-east-2 us-west-2",
		"us-east-1: us-east-1 us-east-2 us-west-2",
		"us-east-2: us-east-1 us-east-2 us-west-2",
		"us-west-1: us-east-1 us-east-2 us-west-1 us-west-2",
		"us-west-2: us-east-1 us-east-2 us-west-2",
	},
	"us.anthropic.claude-3-haiku-20240307-v1:0":    usPairs,
	"us.anthropic.claude-3-sonnet-20240229-v1:0":   {"us-east-1: us-east-1 us-west-2", "us-west-2: us-east-1 us-west-2"},
	"us.anthropic.claude-3-5-haiku-20241022-v1:0":  usThree,
	"us.anthropic.claude-3-7-sonnet-20250219-v1:0": usThree,
	"us.anthropic.claude-haiku-4-5-20251001-v1:0":  usClaude45,
	"us.anthropic.claude-opus-4-5-20251101-v1:0":   usClaude45,
	"us.anthropic.claude-sonnet-4-5-20250929-v1:0": usClaude45,
	"us.anthropic.claude-opus-4-20250514-v1:0":     usThree,
	"us.anthropic.claude-opus-4-1-20250805-v1:0":   usThree,
	"us.anthropic.claude-sonnet-4-20250514-v1:0":   usFour,
	"us.deepseek.r1-v1:0":                          usThree,
	"us.meta.llama4-maverick-17b-instruct-v1:0":    usFour,
	"us.meta.llama4-scout-17b-instruct-v1:0":       usFour,
	"us.meta.llama3-1-70b-instruct-v1:0":           usThree,
	"us.meta.llama3-1-8b-instruct-v1:0":            usThree,
	"us.meta.llama3-1-405b-instruct-v1:0":          {"us-east-2: us-east-1 us-east-2 us-west-2"},
	"us.meta.llama3-2-11b-instruct-v1:0":           usPairs,
	"us.meta.llama3-2-1b-instruct-v1:0":            usPairs,
	"us.meta.llama3-2-3b-instruct-v1:0":            usPairs,
	"us.meta.llama3-2-90b-instruct-v1:0":           usPairs,
	"us.meta.llama3-3-70b-instruct-v1:0":           usThree,
	"us.mistral.pixtral-large-2502-v1:0":           usThree,
	"us.amazon.nova-lite-v1:0":                     usFour,
	"us.amazon.nova-micro-v1:0":                    usThree,
	"us.amazon.nova-premier-v1:0":                  usThree,
	"us.amazon.nova-pro-v1:0":                      usFour,
	"us.writer.palmyra-x4-v1:0":                    usFour,
	"us.writer.palmyra-x5-v1:0":                    usFour,
	"ca.amazon.nova-lite-v1:0": {
		"ca-central-1: ca-central-1 ca-west-1",
		"ca-west-1: ca-central-1 ca-west-1",
	},
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

var usThree = []string{
	"us-east-1: us-east-1 us-east-2 us-west-2",
	"us-east-2: us-east-1 us-east-2 us-west-2",
	"us-west-2: us-east-1 us-east-2 us-west-2",
}

// usFour: as usThree, and a us-west-1 row that routes to us-west-1 too.
var usFour = append(slices.Clip(usThree), "us-west-1: us-east-1 us-east-2 us-west-1 us-west-2")

// usPairs: us-east-1 and us-west-2 route to each other only, us-east-2 to
// all three.
var usPairs = []string{
	"us-east-1: us-east-1 us-west-2",
	"us-east-2: us-east-1 us-east-2 us-west-2",
	"us-west-2: us-east-1 us-west-2",
}

var usClaude45 = append(slices.Clip(usFour), "ca-central-1: ca-central-1 us-east-1 us-east-2 us-west-2")

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

// notOnThePage are the catalog's geographic profiles the copy of the page
// read does not list (newer than it).
var notOnThePage = []string{
	"us.anthropic.claude-opus-4-6-v1", "eu.anthropic.claude-opus-4-6-v1",
	"us.anthropic.claude-sonnet-4-6", "eu.anthropic.claude-sonnet-4-6",
	"us.anthropic.claude-sonnet-5",
}

// TestGeographicRoutesCoverThePage: every source Region of the catalog's
// 17 that the inference-profile page lists for a us., ca., apac., jp., au.
// or eu. profile is a source in the catalog, and routes to every
// destination the page lists, a Region outside the 17 included (the
// catalog names those in destinationRegions). Preflight and the emulator
// check IAM on each destination, as Bedrock does: "If any destination
// Region in a cross-Region inference profile is blocked in your SCPs, the
// request will fail even if other Regions remain allowed" (the same page).
// One left out is a Region where every call is denied while preflight says
// the policy is enough. On the catalog before this test, the apac. routes
// of Claude 3.7 Sonnet, Nova Micro, Lite and Pro from ap-northeast-1,
// ap-northeast-2, ap-south-1, ap-southeast-1 and ap-southeast-2 left out
// ap-northeast-3, and Claude Sonnet 4's from the same five left out
// ap-northeast-3 and ap-southeast-4. Then, with the catalog's destinations
// bound to its 17 Regions, the eu. routes of Claude Sonnet 4, Sonnet 4.5,
// Haiku 4.5, Opus 4.5 and Nova 2 Lite left out eu-south-1 and eu-south-2
// from every source, and the apac. routes of Claude 3.7 Sonnet and Sonnet 4
// (and of Nova Lite and Pro from ap-southeast-4) left out ap-south-2.
//
// The routes are held to the page both ways: a source or destination the
// page does not list fails too. A destination too many makes preflight ask
// a team to allow a Region their calls never reach, and for the eu.
// profiles that Region was London, outside the EU, which an EU data
// residency policy or SCP may forbid: the eu. Claude Sonnet 4, Sonnet 4.5,
// Haiku 4.5 and Nova 2 Lite routes from eu-central-1, eu-north-1,
// eu-west-1 and eu-west-3 listed eu-west-2, where the page routes only
// London's own calls (Sonnet 4.5, Haiku 4.5) to London, and Sonnet 4's and
// Nova 2 Lite's eu. profiles were callable from eu-west-2, which the page
// does not list as a source of them (the emulator answered a call Bedrock
// refuses as an invalid identifier).
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
				if !slices.Contains(got, d) {
					t.Errorf("%s from %s: routes to %v, without %s, which the page lists", id, src, got, d)
				}
			}
			for _, d := range got {
				if !slices.Contains(strings.Fields(dests), d) {
					t.Errorf("%s from %s: routes to %s, which the page does not list (%s)", id, src, d, dests)
				}
			}
		}
		for src := range p.Routes {
			if !slices.ContainsFunc(rows, func(row string) bool { return strings.HasPrefix(row, src+": ") }) {
				t.Errorf("%s: called from %s, which the page does not list as a source", id, src)
			}
		}
	}
	// Every geographic profile of the catalog is above, or newer than the
	// page.
	for _, p := range c.Profiles {
		if _, listed := inferenceProfilePage[p.ID]; !listed && !p.Global && !slices.Contains(notOnThePage, p.ID) {
			t.Errorf("%s: not checked against the page", p.ID)
		}
	}
}
