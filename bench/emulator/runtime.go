package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// admitted is a request that passed the checks every invocation shares.
type admitted struct {
	body   []byte
	scope  scope
	id     string
	target catalog.Target
	route  string
	hashes requestHashes
}

// admit runs the checks every invocation shares, in the order the service
// reports them: signature, model identifier, the Region's catalog, IAM
// for every route, lifecycle and on-demand support. It writes the error
// and returns false when one fails; release frees the body's budget.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, rawID string, stream bool) (a admitted, release func(), ok bool) {
	body, sc, release, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return a, release, false
	}
	id, err := url.PathUnescape(rawID)
	switch {
	case err != nil || id == "":
		writeError(w, validationError(converse.SchemaMessage([]string{"Value at 'modelId' failed to satisfy constraint: Member must have length greater than or equal to 1"})))
		return a, release, false
	case len(id) > 2048:
		writeError(w, validationError(converse.SchemaMessage([]string{"Value at 'modelId' failed to satisfy constraint: Member must have length less than or equal to 2048"})))
		return a, release, false
	}
	// The label is decoded once: an id still holding "%" (sent escaped
	// twice) names no model, though Catalog.Resolve would decode it again.
	target, err := s.cat.Resolve(sc.Region, id)
	if err != nil || strings.Contains(id, "%") {
		writeError(w, validationError(msgInvalidModel))
		return a, release, false
	}
	action := iam.ActionInvokeModel
	if stream {
		action = iam.ActionInvokeModelWithResponseStream
	}
	hashes := s.faults.hashRequest(sc.Region, target.Model.ID, body)
	route, aerr := s.authorize(sc, action, target, hashes.route, requestContext(r))
	if aerr != nil {
		writeError(w, aerr)
		return a, release, false
	}
	if s.noAccess[target.Model.ID] {
		writeError(w, &apiError{Status: http.StatusForbidden, Type: "AccessDeniedException", Msg: msgNoModelAccess})
		return a, release, false
	}
	// A Region may keep a model the others retired (catalog
	// Model.RegionLifecycle).
	switch target.Lifecycle().Status(s.date) {
	case catalog.EndOfLife:
		writeError(w, notFoundError(msgEndOfLife))
		return a, release, false
	case catalog.Legacy:
		if !s.legacyOK[target.Model.ID] {
			writeError(w, notFoundError(msgLegacy))
			return a, release, false
		}
	}
	if target.ProfileOnly {
		writeError(w, validationError(fmt.Sprintf(msgOnDemand, id)))
		return a, release, false
	}
	return admitted{body: body, scope: sc, id: id, target: target, route: route, hashes: hashes}, release, true
}

// invoke serves Converse and ConverseStream: the shared checks, then the
// body, the Converse contract, throttling and faults.
func (s *Server) invoke(w http.ResponseWriter, r *http.Request, rawID string, stream bool) {
	a, release, ok := s.admit(w, r, rawID, stream)
	defer release()
	if !ok {
		return
	}
	body, sc, target, route := a.body, a.scope, a.target, a.route
	var req converse.Request
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			// Inferred: AWS JSON protocols answer an unparseable body so.
			writeError(w, &apiError{Status: http.StatusBadRequest, Type: "SerializationException", Msg: serializationMessage(err)})
			return
		}
	}
	family := converse.FamilyOrDefault(target.Model.ID)
	// The output limit is the model's in the emulator's catalog (V-61).
	family.MaxOutputTokens = target.Model.MaxOutputTokens
	validate := converse.Validate
	if stream {
		// ConverseStream has rules of its own (V-26: Llama and DeepSeek
		// take no tools when streaming).
		validate = converse.ValidateStream
	}
	if err := validate(&req, family); err != nil {
		var v *converse.Violation
		errors.As(err, &v)
		writeError(w, &apiError{Status: v.Rule.Status, Type: v.Rule.Exception, Msg: v.Message})
		return
	}
	if aerr := s.checkReasoningSignatures(&req, family); aerr != nil {
		writeError(w, aerr)
		return
	}
	if aerr := s.checkServiceTier(&req, target.Model.ID, sc.Region); aerr != nil {
		writeError(w, aerr)
		return
	}
	if aerr := checkContextWindow(&req, target.Model, family); aerr != nil {
		writeError(w, aerr)
		return
	}
	if family.AnthropicFields && converse.RecursiveOutputSchema(&req) {
		// Claude answers a recursive outputConfig schema with a 500 on
		// every attempt (realwire
		// converse-error-internal-server-recursive-schema, Claude Sonnet
		// 4.5, five attempts): a retry does not help.
		writeError(w, serverErrors[InternalServer])
		return
	}
	var verdict guardrailVerdict
	if gc := req.GuardrailConfig; gc != nil {
		g := findGuardrail(s.guardrails, gc)
		if g == nil {
			// Inferred wording: the service's answer for a guardrail that
			// does not exist in the Region.
			writeError(w, validationError("The guardrail identifier or version provided in the request does not exist."))
			return
		}
		verdict = applyGuardrail(g, &req)
	}
	fault, aerr := s.faults.before(r.Context(), sc.Region, stream, a.hashes.attempts)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	rep := makeReply(answerContext{model: target.Model.ID, family: family, signKey: s.signKey, ctx: r.Context()}, &req, a.hashes.reply)
	if r.Context().Err() != nil {
		return // the client went away while the answer was made
	}
	rep.serviceTier, rep.performance = req.ServiceTier, req.PerformanceConfig
	if verdict.g != nil {
		if verdict.intervened() {
			msg := verdict.g.BlockedInputMessaging
			if msg == "" {
				msg = defaultBlockedMessage
			}
			rep.blocks = []block{{text: &msg}}
			rep.stopReason = "guardrail_intervened"
			rep.usage.output = 0
			rep.additional = nil
		}
		if gc := req.GuardrailConfig; gc.Trace == "enabled" || gc.Trace == "enabled_full" {
			rep.trace = verdict.trace(s.account, sc.Region)
		}
	}
	s.cache.account(target.Model, family, &req, &rep)
	w.Header().Set(InferenceRegionHeader, route)
	if stream {
		s.writeStream(w, rep, fault)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	out, _ := json.Marshal(rep.response(), json.Deterministic(true))
	_, _ = w.Write(out)
}

// checkContextWindow refuses a prompt longer than the model's context
// window in the emulator's catalog (V-65), counted as the answer's
// usage counts input tokens (about four characters each, and the tool
// prompt Claude adds); a model the catalog gives no window takes any
// length. An anthropic_beta in additionalModelRequestFields that opens a
// larger window (context-1m-2025-08-07 for Claude Sonnet 4.5) raises it.
func checkContextWindow(req *converse.Request, m *catalog.Model, f converse.Family) *apiError {
	var fields struct {
		Betas []string `json:"anthropic_beta"`
	}
	if len(req.AdditionalModelRequestFields) > 0 {
		_ = converse.UnmarshalModelFields(req.AdditionalModelRequestFields, &fields)
	}
	return checkInputLimit(req, m, f, fields.Betas)
}

// checkInputLimit is checkContextWindow with the Anthropic betas turned
// on given: InvokeModel's anthropic_beta.
func checkInputLimit(req *converse.Request, m *catalog.Model, f converse.Family, betas []string) *apiError {
	if m == nil || m.ContextWindow == 0 {
		return nil
	}
	if estimateTokens(req)+toolPromptTokens(f, m.ID, req) <= m.InputLimit(betas) {
		return nil
	}
	return validationError(msgPromptTooLong)
}

// checkServiceTier refuses a service tier the account or the model does
// not have in region (V-67); the contract (converse.Validate) has refused
// a tier the service model does not list already. The emulator's account
// has no Reserved tier capacity, so "reserved" is refused as the service
// refuses it without a reservation. The priority and flex tiers are taken
// by the models and Regions the catalog's serviceTiers lists; a catalog
// without that member enforces nothing.
func (s *Server) checkServiceTier(req *converse.Request, model, region string) *apiError {
	if req.ServiceTier == nil {
		return nil
	}
	return s.checkTier(req.ServiceTier.Type, model, region)
}

// checkTier is checkServiceTier for the tier named tier, which the
// service model lists.
func (s *Server) checkTier(tier, model, region string) *apiError {
	switch tier {
	case converse.TierReserved:
		return validationError(msgNoReservation)
	case converse.TierPriority, converse.TierFlex:
		if supported, known := s.cat.TierSupported(model, region, tier); known && !supported {
			return validationError(msgTierUnsupported)
		}
	}
	return nil
}

// authorize evaluates the invocation's IAM requests: every route in
// strict mode, only the chosen one in per-route mode. It returns the
// route chosen from routeHash.
func (s *Server) authorize(sc scope, action string, t catalog.Target, routeHash [32]byte, global map[string][]string) (string, *apiError) {
	inv := iam.Invocation{Action: action, Region: sc.Region, Account: s.account, Model: t.Model.ID, Destinations: t.Destinations}
	if t.Kind == catalog.KindProfile {
		inv.Profile, inv.Global = t.Profile.ID, t.Profile.Global
	}
	if t.Kind == catalog.KindApplicationProfile {
		applicationInvocation(&inv, t)
	}
	route := pickRoute(t.Destinations, routeHash)
	reqs := inv.Requests()
	if s.authz == PerRoute {
		reqs = inv.RouteRequests(route)
	}
	for _, req := range reqs {
		for k, v := range global {
			if req.Context == nil {
				req.Context = map[string][]string{}
			}
			req.Context[k] = v
		}
		if d := s.caller(sc).Evaluate(req); !d.Allowed() {
			return route, accessDenied(d.Message(s.caller(sc).ARN))
		}
	}
	return route, nil
}

// requestContext is the global condition keys AWS takes from the request
// itself: aws:SourceIp (the caller's address), aws:SecureTransport and
// aws:CurrentTime / aws:EpochTime, so that policies that restrict by
// network, TLS or time decide in the emulator as they would in AWS.
func requestContext(r *http.Request) map[string][]string {
	ctx := map[string][]string{
		"aws:SecureTransport": {strconv.FormatBool(r.TLS != nil)},
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		ctx["aws:SourceIp"] = []string{host}
	}
	now := time.Now().UTC()
	ctx["aws:CurrentTime"] = []string{now.Format(time.RFC3339)}
	ctx["aws:EpochTime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	return ctx
}

// serializationMessage words a body that does not decode into the
// operation's input.
func serializationMessage(err error) string {
	var se *json.SemanticError
	if errors.As(err, &se) && se.JSONKind == '"' && se.GoType != nil {
		// Coral's own words for a string where a number belongs, as a
		// real call got them for inferenceConfig.temperature "hot"
		// (realwire/error-texts.md, tidyverse/ellmer's snapshot); the
		// Integer form for maxTokens is inferred from it.
		t := se.GoType
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Float32, reflect.Float64:
			return "STRING_VALUE cannot be converted to Float"
		case reflect.Int, reflect.Int32, reflect.Int64:
			return "STRING_VALUE cannot be converted to Integer"
		}
	}
	return "The request body is not valid JSON for this operation: " + jsonProblem(err)
}

// jsonProblem words a decode error without Go type names.
func jsonProblem(err error) string {
	var se *json.SemanticError
	if errors.As(err, &se) && se.JSONPointer != "" {
		return fmt.Sprintf("unexpected %s at %s", kindName(byte(se.JSONKind)), se.JSONPointer)
	}
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "json") {
		msg = msg[i+2:]
	}
	return msg
}

func kindName(k byte) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "value"
}

// checkReasoningSignatures verifies the signatures of reasoning the
// emulator produced when a history sends it back: an altered block gets
// the provider's error. Signatures the emulator did not make (a real
// model's) are not checked.
func (s *Server) checkReasoningSignatures(req *converse.Request, f converse.Family) *apiError {
	lastAssistant := -1
	for i, m := range req.Messages {
		if m.Role == converse.RoleAssistant {
			lastAssistant = i
		}
	}
	for i, m := range req.Messages {
		if m.Role != converse.RoleAssistant {
			continue
		}
		for j, b := range m.Content {
			rc := b.ReasoningContent
			if rc == nil || rc.ReasoningText == nil || rc.ReasoningText.Signature == "" {
				continue
			}
			if checkSignature(s.signKey, rc.ReasoningText.Text, rc.ReasoningText.Signature) {
				continue
			}
			if i == lastAssistant {
				return validationError(fmt.Sprintf("messages.%d.content.%d: thinking or redacted_thinking blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.", i, j))
			}
			return validationError(fmt.Sprintf("The model returned the following errors: messages.%d.content.%d: Invalid `signature` in `thinking` block", i, j))
		}
	}
	return nil
}
