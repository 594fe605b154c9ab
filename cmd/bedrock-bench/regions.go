package main

import (
	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// unknownRegion refuses, before any call, a Region the catalog does not
// know, for a command whose calls go to the bundled emulator or to AWS:
// the emulator serves the catalog's Regions only, and AWS has no endpoint
// for a misspelled Region, so the call would fail with an error about
// credentials or DNS that does not say the Region is wrong. where names
// the Region's source (--region, FILE: target T); newer is what to do
// about a Region newer than the catalog, or "" when none can be served
// (the emulator). Nil when the catalog knows the Region.
func unknownRegion(where, region, newer string) error {
	problem := catalog.Default().UnknownRegion(region)
	if problem == "" {
		return nil
	}
	if newer == "" {
		newer = "the bundled emulator serves these Regions only"
	}
	return usagef("%s: %s; %s", where, problem, newer)
}

// newerRuntimeRegion says how to call a Region newer than the catalog.
func newerRuntimeRegion(region string) string {
	return "a Region newer than the catalog can be called with --endpoint https://bedrock-runtime." + region + ".amazonaws.com"
}
