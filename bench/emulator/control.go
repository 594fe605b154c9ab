package emulator

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// The control plane: ListFoundationModels, GetFoundationModel,
// ListInferenceProfiles, GetInferenceProfile and
// GetFoundationModelAvailability, answered from the catalog.

var providerPattern = regexp.MustCompile(`^[A-Za-z0-9- ]{1,63}$`)

func (s *Server) listFoundationModels(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.controlAuth(w, r, "bedrock:ListFoundationModels", "*")
	if !ok {
		return
	}
	q := r.URL.Query()
	var problems []string
	enum := func(key string, allowed ...string) string {
		v := q.Get(key)
		if v == "" {
			return ""
		}
		for _, a := range allowed {
			if v == a {
				return v
			}
		}
		problems = append(problems, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", v, key, strings.Join(allowed, ", ")))
		return v
	}
	inference := enum("byInferenceType", "ON_DEMAND", "PROVISIONED")
	output := enum("byOutputModality", "TEXT", "IMAGE", "EMBEDDING")
	custom := enum("byCustomizationType", "FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION")
	provider := q.Get("byProvider")
	if provider != "" && !providerPattern.MatchString(provider) {
		problems = append(problems, fmt.Sprintf("Value '%s' at 'byProvider' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}", provider))
	}
	if len(problems) > 0 {
		writeError(w, validationError(converse.SchemaMessage(problems)))
		return
	}
	summaries := []map[string]any{}
	for _, m := range s.cat.ModelsIn(sc.Region) {
		if m.LifecycleIn(sc.Region).Status(s.date) == catalog.EndOfLife {
			continue // retired models leave the list
		}
		onDemand, _ := s.cat.OfferedIn(m, sc.Region)
		switch {
		case provider != "" && !strings.EqualFold(provider, m.Provider):
			continue
		case output != "" && !contains(m.Output, output):
			continue
		case inference == "ON_DEMAND" && !onDemand, inference == "PROVISIONED", custom != "":
			continue
		}
		summaries = append(summaries, s.modelSummary(m, sc.Region))
	}
	writeJSON(w, map[string]any{"modelSummaries": summaries})
}

func (s *Server) getFoundationModel(w http.ResponseWriter, r *http.Request, raw string) {
	id, _ := url.PathUnescape(raw)
	name := id
	if strings.HasPrefix(id, "arn:") {
		_, name, _ = cutLast(id, "/")
	}
	sc, ok := s.controlAuth(w, r, "bedrock:GetFoundationModel", "")
	if !ok {
		return
	}
	if d := s.caller(sc).Evaluate(s.controlRequest("bedrock:GetFoundationModel", catalog.FoundationModelARN(sc.Region, name), sc.Region)); !d.Allowed() {
		writeError(w, accessDenied(d.Message(s.caller(sc).ARN)))
		return
	}
	m, known := s.cat.Model(name)
	if known && strings.HasPrefix(id, "arn:") && !strings.HasPrefix(id, catalog.FoundationModelARN(sc.Region, "")) {
		known = false
	}
	if known {
		if od, vp := s.cat.OfferedIn(m, sc.Region); od || vp {
			writeJSON(w, map[string]any{"modelDetails": s.modelSummary(m, sc.Region)})
			return
		}
	}
	// Observed wording for a model the Region does not offer.
	writeError(w, validationError("Could not find model with identifier "+id))
}

func (s *Server) listInferenceProfiles(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.controlAuth(w, r, "bedrock:ListInferenceProfiles", "*")
	if !ok {
		return
	}
	q := r.URL.Query()
	var problems []string
	typ := q.Get("type")
	if typ != "" && typ != "SYSTEM_DEFINED" && typ != "APPLICATION" {
		problems = append(problems, fmt.Sprintf("Value '%s' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]", typ))
	}
	max := 1000
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil, n < 1:
			problems = append(problems, fmt.Sprintf("Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1", v))
		case n > 1000:
			problems = append(problems, fmt.Sprintf("Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", v))
		default:
			max = n
		}
	}
	if len(problems) > 0 {
		writeError(w, validationError(converse.SchemaMessage(problems)))
		return
	}
	// Without a type filter the service lists the system-defined ones.
	var summaries []map[string]any
	if typ == "APPLICATION" {
		summaries = s.applicationSummaries(sc.Region)
	} else {
		summaries = s.profileSummaries(s.cat.ProfilesFrom(sc.Region), sc.Region)
	}
	start := 0
	if tok := q.Get("nextToken"); tok != "" {
		n, ok := decodeToken(tok, sc.Region)
		if !ok || n > len(summaries) {
			writeError(w, validationError("The provided pagination token is invalid."))
			return
		}
		start = n
	}
	end := min(start+max, len(summaries))
	out := map[string]any{"inferenceProfileSummaries": summaries[start:end]}
	if end < len(summaries) {
		out["nextToken"] = encodeToken(end, sc.Region)
	}
	writeJSON(w, out)
}

func (s *Server) getInferenceProfile(w http.ResponseWriter, r *http.Request, raw string) {
	id, _ := url.PathUnescape(raw)
	sc, ok := s.controlAuth(w, r, "bedrock:GetInferenceProfile", "")
	if !ok {
		return
	}
	t, err := s.cat.Resolve(sc.Region, id)
	if err == nil && strings.Contains(id, "%") {
		err = catalog.ErrNotOffered // decoded once, as the runtime path is
	}
	if err == nil && t.Kind == catalog.KindApplicationProfile {
		s.getApplicationProfile(w, sc, t)
		return
	}
	if err != nil || t.Kind != catalog.KindProfile {
		writeError(w, notFoundError("The specified inference profile "+id+" was not found in "+sc.Region+"."))
		return
	}
	arn := catalog.ProfileARN(sc.Region, s.account, t.Profile.ID)
	if d := s.caller(sc).Evaluate(s.controlRequest("bedrock:GetInferenceProfile", arn, sc.Region)); !d.Allowed() {
		writeError(w, accessDenied(d.Message(s.caller(sc).ARN)))
		return
	}
	writeJSON(w, s.profileSummaries([]*catalog.Profile{t.Profile}, sc.Region)[0])
}

func (s *Server) getAvailability(w http.ResponseWriter, r *http.Request, raw string) {
	id, _ := url.PathUnescape(raw)
	sc, ok := s.controlAuth(w, r, "bedrock:GetFoundationModelAvailability", "*")
	if !ok {
		return
	}
	m, known := s.cat.Model(id)
	if !known {
		writeError(w, notFoundError("Model not found."))
		return
	}
	region := "NOT_AVAILABLE"
	if od, vp := s.cat.OfferedIn(m, sc.Region); od || vp {
		region = "AVAILABLE"
	}
	authz := "AUTHORIZED"
	if d := s.caller(sc).Evaluate(s.controlRequest(iam.ActionInvokeModel, catalog.FoundationModelARN(sc.Region, m.ID), sc.Region)); !d.Allowed() {
		authz = "NOT_AUTHORIZED"
	}
	writeJSON(w, map[string]any{
		"modelId":                 m.ID,
		"agreementAvailability":   map[string]any{"status": "AVAILABLE"},
		"authorizationStatus":     authz,
		"entitlementAvailability": "AVAILABLE",
		"regionAvailability":      region,
	})
}

// controlAuth verifies the signature and, when resource is set, the IAM
// permission for a control-plane read.
func (s *Server) controlAuth(w http.ResponseWriter, r *http.Request, action, resource string) (scope, bool) {
	_, sc, release, aerr := s.authenticate(r)
	release()
	if aerr != nil {
		writeError(w, aerr)
		return sc, false
	}
	if resource != "" {
		if d := s.caller(sc).Evaluate(s.controlRequest(action, resource, sc.Region)); !d.Allowed() {
			writeError(w, accessDenied(d.Message(s.caller(sc).ARN)))
			return sc, false
		}
	}
	return sc, true
}

func (s *Server) controlRequest(action, resource, region string) iam.Request {
	return iam.Request{Action: action, Resource: resource, Region: region, Context: map[string][]string{iam.KeyRequestedRegion: {region}}}
}

func (s *Server) modelSummary(m *catalog.Model, region string) map[string]any {
	onDemand, _ := s.cat.OfferedIn(m, region)
	types := []string{"INFERENCE_PROFILE"}
	if onDemand {
		types = []string{"ON_DEMAND"}
	}
	// A Region may keep a model the others retired
	// (catalog Model.RegionLifecycle).
	life := m.LifecycleIn(region)
	status := "ACTIVE"
	if life.Status(s.date) != catalog.Active {
		status = "LEGACY"
	}
	lc := map[string]any{"status": status}
	for key, day := range map[string]string{"startOfLifeTime": life.StartOfLife, "legacyTime": life.Legacy,
		"publicExtendedAccessTime": life.PublicExtendedAccess, "endOfLifeTime": life.EndOfLife} {
		if day != "" {
			lc[key] = timestamp(day)
		}
	}
	return map[string]any{
		"modelArn":                   catalog.FoundationModelARN(region, m.ID),
		"modelId":                    m.ID,
		"modelName":                  m.Name,
		"providerName":               m.Provider,
		"inputModalities":            m.Input,
		"outputModalities":           m.Output,
		"responseStreamingSupported": true,
		"customizationsSupported":    []string{},
		"inferenceTypesSupported":    types,
		"modelLifecycle":             lc,
	}
}

func (s *Server) profileSummaries(ps []*catalog.Profile, region string) []map[string]any {
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		m, _ := s.cat.Model(p.Model)
		var models []map[string]string
		desc := ""
		if p.Global {
			models = []map[string]string{{"modelArn": catalog.GlobalFoundationModelARN(p.Model)}, {"modelArn": catalog.FoundationModelARN(region, p.Model)}}
			desc = "Routes requests to " + m.Name + " globally across all supported AWS Regions."
		} else {
			for _, d := range p.Routes[region] {
				models = append(models, map[string]string{"modelArn": catalog.FoundationModelARN(d, p.Model)})
			}
			desc = "Routes requests to " + m.Name + " in " + joinRegions(p.Routes[region]) + "."
		}
		created := timestamp(m.Lifecycle.StartOfLife)
		out = append(out, map[string]any{
			"inferenceProfileName": p.Name,
			"description":          desc,
			"createdAt":            created,
			"updatedAt":            created,
			"inferenceProfileArn":  catalog.ProfileARN(region, s.account, p.ID),
			"inferenceProfileId":   p.ID,
			"models":               models,
			"status":               "ACTIVE",
			"type":                 "SYSTEM_DEFINED",
		})
	}
	return out
}

func joinRegions(rs []string) string {
	switch len(rs) {
	case 0:
		return ""
	case 1:
		return rs[0]
	}
	return strings.Join(rs[:len(rs)-1], ", ") + " and " + rs[len(rs)-1]
}

// timestamp renders a catalog date as the ISO-8601 time the API returns.
func timestamp(day string) string {
	if day == "" {
		day = "2023-09-28"
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.UTC().Format(time.RFC3339)
}

func encodeToken(offset int, region string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(region + ":" + strconv.Itoa(offset)))
}

func decodeToken(tok, region string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	r, n, ok := strings.Cut(string(b), ":")
	off, err := strconv.Atoi(n)
	return off, ok && r == region && err == nil && off >= 0
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	b, err := json.Marshal(v, json.Deterministic(true))
	if err != nil {
		writeError(w, &apiError{Status: 500, Type: "InternalServerException", Msg: "The system encountered an unexpected error during processing. Try your request again."})
		return
	}
	_, _ = w.Write(b)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
