package emulator

import (
	"net/http"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// Application inference profiles (the catalog's applicationProfiles):
// GetInferenceProfile and ListInferenceProfiles (typeEquals=APPLICATION)
// answer with type APPLICATION and the copied routes, and an invocation through one authorizes the application
// profile's own ARN, then the models of its routes with that ARN in
// bedrock:InferenceProfileArn.

// getApplicationProfile answers GetInferenceProfile for an application
// profile resolved in the caller's Region.
func (s *Server) getApplicationProfile(w http.ResponseWriter, sc scope, t catalog.Target) {
	caller := s.caller(sc)
	if d := caller.Evaluate(s.controlRequest("bedrock:GetInferenceProfile", t.App.ARN(), sc.Region)); !d.Allowed() {
		writeError(w, accessDenied(d.Message(caller.ARN)))
		return
	}
	writeJSON(w, applicationSummary(sc.Region, t))
}

// applicationSummaries lists the application profiles of a Region, as
// ListInferenceProfiles with typeEquals=APPLICATION does, in catalog order.
func (s *Server) applicationSummaries(region string) []map[string]any {
	out := []map[string]any{}
	for _, a := range s.cat.ApplicationProfiles {
		if a.Region != region {
			continue
		}
		if t, err := s.cat.Resolve(region, a.ARN()); err == nil {
			out = append(out, applicationSummary(region, t))
		}
	}
	return out
}

// applicationSummary is an application profile as the control plane
// shows it: type APPLICATION and the routes it copies.
func applicationSummary(region string, t catalog.Target) map[string]any {
	var models []map[string]string
	switch {
	case t.Profile != nil && t.Profile.Global:
		models = []map[string]string{{"modelArn": catalog.GlobalFoundationModelARN(t.Model.ID)}, {"modelArn": catalog.FoundationModelARN(region, t.Model.ID)}}
	default:
		for _, d := range t.Destinations {
			models = append(models, map[string]string{"modelArn": catalog.FoundationModelARN(d, t.Model.ID)})
		}
	}
	name := t.App.Name
	if name == "" {
		name = t.App.ID
	}
	created := timestamp(t.Model.Lifecycle.StartOfLife)
	return map[string]any{
		"inferenceProfileName": name,
		"description":          "Application inference profile copying " + t.App.CopyFrom + ".",
		"createdAt":            created,
		"updatedAt":            created,
		"inferenceProfileArn":  t.App.ARN(),
		"inferenceProfileId":   t.App.ID,
		"models":               models,
		"status":               "ACTIVE",
		"type":                 "APPLICATION",
	}
}

// applicationInvocation fills the invocation for an application profile.
func applicationInvocation(inv *iam.Invocation, t catalog.Target) {
	inv.Profile, inv.ProfileARN = t.App.ID, t.App.ARN()
	if t.Profile != nil {
		inv.Global = t.Profile.Global
	}
}
