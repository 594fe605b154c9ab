package main

import (
	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// unknownRegion refuses, before any call, a Region that cannot be
// served, for a command whose calls go to the bundled emulator or to
// AWS: the emulator serves the catalog's Regions only, and AWS has no
// endpoint for a misspelled Region, so the call would fail with an error
// about credentials or DNS that does not say the Region is wrong. Toward
// AWS, a Region of any AWS partition is taken, described by the catalog
// or not (eu-central-2, sa-east-1, us-gov-west-1). where names the
// Region's source (--region, FILE: target T); newer is what to do about
// a Region newer than the lists, or "" for the emulator. Nil when the
// Region can be served.
func unknownRegion(where, region, newer string) error {
	problem := catalog.Default().RegionProblem(region, newer == "")
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
	return "a Region newer than these can be called with --endpoint https://bedrock-runtime." + region + ".amazonaws.com"
}
