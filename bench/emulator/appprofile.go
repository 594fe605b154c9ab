package emulator

import (
	"net/http"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// Application inference profiles (the catalog's applicationProfiles):
// GetInferenceProfile answers with type APPLICATION and the copied
// routes, and an invocation through one authorizes the application
// profile's own ARN, then the models of its routes with that ARN in
// bedrock:InferenceProfileArn.

// getApplicationProfile answers GetInferenceProfile for an application
// profile resolved in the caller's Region.
func (s *Server) getApplicationProfile(w http.ResponseWriter, region string, t catalog.Target) {
	arn := t.App.ARN()
	if d := s.principal.Evaluate(s.controlRequest("bedrock:GetInferenceProfile", arn, region)); !d.Allowed() {
		writeError(w, accessDenied(d.Message(s.principal.ARN)))
		return
	}
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
	writeJSON(w, map[string]any{
		"inferenceProfileName": name,
		"description":          "Application inference profile copying " + t.App.CopyFrom + ".",
		"createdAt":            created,
		"updatedAt":            created,
		"inferenceProfileArn":  arn,
		"inferenceProfileId":   t.App.ID,
		"models":               models,
		"status":               "ACTIVE",
		"type":                 "APPLICATION",
	})
}

// applicationInvocation fills the invocation for an application profile.
func applicationInvocation(inv *iam.Invocation, t catalog.Target) {
	inv.Profile, inv.ProfileARN = t.App.ID, t.App.ARN()
	if t.Profile != nil {
		inv.Global = t.Profile.Global
	}
}
