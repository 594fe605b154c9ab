// Package explain turns an Amazon Bedrock error into a classified
// explanation that says what is wrong and what to do.
//
// The same error text means different things: "The provided model
// identifier is invalid." is a Region's catalog, not IAM; an
// AccessDeniedException on another Region's ARN is a cross-Region profile
// route; a ValidationException about roles is the conversation's order.
// To use it:
//
//  1. [Explain] an error from a Bedrock call, with the Region and model
//     it was made with.
//  2. Or install [Middleware] on a bedrockruntime client: its errors then
//     carry the explanation (*[Error], which unwraps to the original).
package explain

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/internal/closest"
)

// Kind classifies an error.
type Kind string

// The kinds of explanation.
const (
	// ModelNotOffered: the Region does not offer the model or profile
	// (contract 1); not an IAM problem.
	ModelNotOffered Kind = "model-not-offered"
	// ProfileOnly: the Region serves the model only through an inference
	// profile.
	ProfileOnly Kind = "profile-only"
	// RouteDenied: IAM or an SCP denies the model in a Region a
	// cross-Region profile routes to (contract 2).
	RouteDenied Kind = "route-denied"
	// AccessDenied: IAM denies the call in the Region called.
	AccessDenied Kind = "access-denied"
	// Contract: the request breaks a Converse rule (contract 3).
	Contract Kind = "contract"
	// Throttled: too many requests or tokens for now.
	Throttled Kind = "throttled"
	// Quota: a daily or account quota is used up.
	Quota Kind = "quota"
	// Lifecycle: the model is Legacy or past its end of life.
	Lifecycle Kind = "lifecycle"
	// Credentials: the signature or the credentials are wrong.
	Credentials Kind = "credentials"
	// ServerError: a transient failure on the service's side.
	ServerError Kind = "server-error"
	// InputTooLong: the input exceeds the model's context window (V-65).
	InputTooLong Kind = "input-too-long"
	// BadRequest: the request is malformed, or asks for something the
	// model, the operation or the endpoint does not support, outside the
	// conversation rules.
	BadRequest Kind = "bad-request"
	// Unknown: none of the above.
	Unknown Kind = "unknown"
)

// Context is what the call was: the Region and the model identifier.
type Context struct {
	Region string
	Model  string
	// Catalog suggests where else a model is served; nil uses the
	// embedded one.
	Catalog *catalog.Catalog
	// Request is the Converse request the call sent, when known: some
	// answers are the request's doing though their text does not say so
	// (a recursive outputConfig schema gets Claude's 500).
	Request *converse.Request
}

// Explanation is a classified error.
type Explanation struct {
	Kind Kind `json:"kind"`
	// Code and Message are the service's error.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// Summary says what is wrong, in one sentence.
	Summary string `json:"summary"`
	// Fix says what to do.
	Fix string `json:"fix,omitempty"`
	// Rule is the contract rule broken, for Contract, when it is one the
	// converse package checks (nil for a rule only the model checks, such
	// as V-52; the Summary names it).
	Rule *converse.Rule `json:"-"`
	// Resource is the ARN denied, for AccessDenied and RouteDenied.
	Resource string `json:"resource,omitempty"`
}

func (e Explanation) String() string {
	if e.Fix == "" {
		return e.Summary
	}
	return e.Summary + " " + e.Fix
}

// Error is an SDK error with its explanation.
type Error struct {
	Err         error
	Explanation Explanation
}

// Error is the SDK error's text followed by the explanation in
// parentheses. An error the explainer could not classify keeps its text
// alone, since its explanation only repeats it.
func (e *Error) Error() string {
	x := e.Explanation
	if x.Kind == Unknown && x.Fix == "" || x.Kind == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + " (" + x.String() + ")"
}

// Unwrap returns the original error, so errors.As still finds the SDK's
// types.
func (e *Error) Unwrap() error { return e.Err }

// denial is IAM's access denied message: "User: user is not authorized
// to perform: action on resource: resource because no type policy allows
// the action action" (an implicit deny) or "... with an explicit deny in
// a type policy" (IAM User Guide, Troubleshoot access denied error
// messages), the type being an identity-based policy, a resource-based
// policy, a permissions boundary, a session policy, a service or resource
// control policy or a VPC endpoint policy, and since 2026 ": ARN" of the
// denying policy after an explicit deny. Group 4 is an implicit deny's
// policy type, group 5 an explicit one's.
var denial = regexp.MustCompile(`is not authorized to perform: (\S+) on resource: (\S+) (because no ` + policyTypeRE + ` allows the \S+ action|with an explicit deny in (?:an? |the )?` + policyTypeRE + `(?::\s*\S+)?)`)

// policyTypeRE is a policy type's words: up to four, the last of them
// policy or boundary ("permissions boundary").
const policyTypeRE = `((?:[A-Za-z-]+ ){0,4}?(?:boundary(?: policy)?|policy|policies))`

// policyType is the kind of policy that denied a call.
type policyType struct {
	// kind is one of identity, scp, rcp, boundary, session, vpce,
	// resource, or "" for a type not known here.
	kind string
	// holder names the policies of the type, as the subject of a sentence.
	holder string
	// plural: holder is plural ("the caller's identity policies"), and
	// takes a plural verb.
	plural bool
}

// denies is "denies", or "deny" after a plural holder.
func (pt policyType) denies() string {
	if pt.plural {
		return "deny"
	}
	return "denies"
}

// policyTypeOf reads the policy type of a denial's message.
func policyTypeOf(words string) policyType {
	w := strings.ToLower(words)
	switch {
	case strings.Contains(w, "identity"):
		return policyType{"identity", "the caller's identity policies", true}
	case strings.Contains(w, "service control"):
		return policyType{"scp", "a service control policy (SCP) of the organization", false}
	case strings.Contains(w, "resource control"):
		return policyType{"rcp", "a resource control policy (RCP) of the organization", false}
	case strings.Contains(w, "boundary"):
		return policyType{"boundary", "the permissions boundary of the caller's role or user", false}
	case strings.Contains(w, "session"):
		return policyType{"session", "the session policy the caller's session was made with", false}
	case strings.Contains(w, "vpc endpoint"):
		return policyType{"vpce", "the policy of the VPC endpoint the call went through", false}
	case strings.Contains(w, "resource-based"):
		return policyType{"resource", "the resource's own (resource-based) policy", false}
	}
	return policyType{"", "a " + strings.TrimSpace(words), false}
}

// denialScope is where a denied model ARN is, seen from the call.
type denialScope int

const (
	// here: the Region called, or not a model ARN.
	here denialScope = iota
	// route: another Region a cross-Region profile routes to.
	route
	// global: the Region-less model of a global profile.
	global
)

// denialFix says how to lift a denial by a policy of type pt: an Allow
// added to the caller's identity policy lifts only an implicit deny of
// the identity policies; a permissions boundary, a session policy or a
// VPC endpoint policy must allow the call too, and no Allow lifts an
// explicit Deny ("an explicit deny in any policy overrides the allow",
// IAM User Guide, Policy evaluation logic).
func denialFix(pt policyType, explicit bool, scope denialScope, action, resource, region string) string {
	statement := fmt.Sprintf(`{"Effect":"Allow","Action":"%s","Resource":"%s"}`, action, resource)
	regionValue := region
	if scope == global {
		regionValue = `"unspecified"`
	}
	switch {
	case pt.kind == "scp" && scope == global:
		return `Add "unspecified" to the aws:RequestedRegion list of the SCP's Region condition, or exempt global profiles with bedrock:InferenceProfileArn.`
	case pt.kind == "scp" && scope == route:
		return fmt.Sprintf("The SCP must allow %s (add it to the aws:RequestedRegion list, or exempt cross-Region inference with bedrock:InferenceProfileArn).", region)
	case explicit:
		deny := "A Deny in " + pt.holder
		if pt.kind == "identity" {
			deny = "A Deny of the caller's identity policies"
		}
		switch scope {
		case global:
			return deny + ` covers it, and no Allow overrides a Deny: add "unspecified" to the aws:RequestedRegion list of that Deny's Region condition, or narrow it.` + outside(pt)
		case route:
			return fmt.Sprintf("%s covers %s, and no Allow overrides a Deny: add %s to the aws:RequestedRegion list of that Deny's Region condition, or narrow it; AWS checks the model in every destination Region.%s", deny, region, regionValue, outside(pt))
		}
		return deny + " decides; no Allow can override it. Narrow the denying statement." + outside(pt)
	case pt.kind == "scp":
		return "The SCPs must allow it at every level of the organization."
	}
	every := ""
	switch scope {
	case route:
		every = "; AWS checks the model in every destination Region, so list them all"
	case global:
		every = `; Bedrock evaluates a global profile's model with aws:RequestedRegion = "unspecified", so a Region condition there must list "unspecified"`
	}
	switch pt.kind {
	case "identity":
		switch scope {
		case global:
			return fmt.Sprintf(`Allow %s on %s with the condition aws:RequestedRegion = "unspecified".`, action, resource)
		case route:
			return fmt.Sprintf(`Add to the caller's policy: %s; AWS checks the model in every destination Region, so list them all (bedrock-bench preflight prints the statement).`, statement)
		}
		return fmt.Sprintf(`Add to the caller's policy: %s.`, statement)
	case "boundary":
		return fmt.Sprintf("The caller gets only what both its identity policies and its permissions boundary allow: add %s to the managed policy set as the role's or user's permissions boundary%s. An Allow in its identity policy does not lift this.", statement, every)
	case "session":
		return fmt.Sprintf("A session gets only what both its role's policies and its session policy allow: make the session (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML or GetFederationToken) with a session policy (Policy or PolicyArns) that allows %s, or with none%s. The role's own policies do not lift this.", statement, every)
	case "vpce":
		return fmt.Sprintf("The call went through a VPC endpoint whose policy does not allow it: add %s to the policy of the bedrock-runtime VPC endpoint%s. The caller's own policies do not lift this.", statement, every)
	}
	return fmt.Sprintf("%s must allow it too: add %s there%s.%s", capitalize(pt.holder), statement, every, outside(pt))
}

// outside says who changes a policy outside the account's reach.
func outside(pt policyType) string {
	if pt.kind == "rcp" || pt.kind == "scp" {
		return " The organization's management account (AWS Organizations) changes it, not the account."
	}
	return ""
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Explain classifies err, a failure of a Bedrock call made in ctx.
func Explain(err error, ctx Context) Explanation {
	if err == nil {
		return Explanation{}
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return Explanation{Kind: Unknown, Summary: err.Error()}
	}
	cat := ctx.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	code, msg := ae.ErrorCode(), ae.ErrorMessage()
	e := Explanation{Code: code, Message: msg, Kind: Unknown}
	if len(msg) > maxMatched {
		// The service's messages are short; the patterns read the start
		// of a longer one, so that its cost stays bounded.
		cut := maxMatched
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut]
	}
	e.Summary = code + ": " + msg
	model := converse.FoundationModelID(ctx.Model)
	switch {
	case msg == "The provided model identifier is invalid." || msg == "Could not resolve the foundation model from the provided model identifier.":
		e.Kind = ModelNotOffered
		e.Summary = fmt.Sprintf("Model %s is not offered in %s (this is not an IAM problem).", ctx.Model, ctx.Region)
		if m, ok := cat.Model(converse.FoundationModelID(ctx.Model)); ok && m.Lifecycle.Status(cat.Date()) == catalog.EndOfLife {
			// No Region serves a model past its end of life (Bedrock's
			// Model lifecycle page), so the Regions that once did are no
			// advice.
			if still := m.StillServed(cat.Date()); len(still) > 0 {
				// A Region may keep a model the others retired.
				e.Fix = "It reached its end of life on " + m.Lifecycle.EndOfLife + " in every Region but " + strings.Join(still, ", ") + ", which still serve it on demand: call it there, or move to an active model" + replacement(cat, m.ID, ctx.Region) + "."
			} else {
				e.Fix = "It reached its end of life on " + m.Lifecycle.EndOfLife + ", so no Region serves it: move to an active model" + replacement(cat, m.ID, ctx.Region) + "."
			}
		} else if where := suggestions(cat, ctx.Model, ctx.Region); where != "" {
			e.Fix = "It is offered in: " + where + "."
		} else {
			// The catalog lags the service: a model released after it was
			// compiled is no typo, and the Region's own list settles it.
			e.Fix = "The catalog as of " + cat.AsOf + " knows no Region that offers it: check the id; for a model newer than that, `bedrock-bench preflight --region " + cmp.Or(ctx.Region, "R") + " --model " + cmp.Or(ctx.Model, "ID") + "` asks the Region itself (with AWS credentials; against the emulator, give it a catalog that lists the model: `emulate --catalog FILE`)."
		}
	case strings.Contains(msg, "with on-demand throughput isn"):
		e.Kind = ProfileOnly
		if m := onDemandModel.FindStringSubmatch(msg); m != nil {
			// The service names the model as the call did.
			model = converse.FoundationModelID(m[1])
		}
		e.Summary = fmt.Sprintf("%s serves %s only through an inference profile.", cmp.Or(ctx.Region, "The Region called"), model)
		var profiles []string
		for _, s := range cat.Where(model, ctx.Region) {
			// Without the Region, every profile of the model is a
			// candidate: the one whose sources include the caller's.
			if (ctx.Region == "" || s.Region == ctx.Region) && s.ProfileID != "" && !slices.Contains(profiles, s.ProfileID) {
				profiles = append(profiles, s.ProfileID)
			}
		}
		switch {
		case len(profiles) > 0 && ctx.Region == "":
			slices.Sort(profiles)
			e.Fix = "Call it through the inference profile among " + strings.Join(profiles, ", ") + " that the Region called offers (ListInferenceProfiles there lists them), and allow the model in every Region the profile routes to."
		case len(profiles) > 0:
			e.Fix = "Call it through " + strings.Join(profiles, " or ") + " instead, and allow the model in every Region the profile routes to."
		default:
			e.Fix = "Call it through an inference profile that contains it (ListInferenceProfiles in " + regionOrCalled(ctx.Region) + ")."
		}
	case code == "AccessDeniedException" && denial.MatchString(msg):
		m := denial.FindStringSubmatch(msg)
		action, resource, reason := m[1], m[2], m[3]
		explicit := m[4] == ""
		pt := policyTypeOf(m[4] + m[5])
		e.Resource = resource
		e.Kind = AccessDenied
		parts := strings.SplitN(resource, ":", 6)
		region := ""
		if len(parts) == 6 {
			region = parts[3]
		}
		scope := here
		switch {
		case strings.Contains(resource, ":foundation-model/") && region == "":
			scope = global
			e.Kind = RouteDenied
			e.Summary = fmt.Sprintf("The global profile's Region-less model %s is denied by %s (%s); Bedrock evaluates it with aws:RequestedRegion=unspecified.", resource, pt.holder, reason)
		case strings.Contains(resource, ":foundation-model/") && region != ctx.Region && ctx.Region != "":
			scope = route
			e.Kind = RouteDenied
			profile := "The inference profile"
			if ctx.Model != "" {
				profile = "Profile " + ctx.Model
			}
			e.Summary = fmt.Sprintf("%s routed to %s, where %s %s %s (%s).", profile, region, pt.holder, pt.denies(), resource, reason)
		default:
			e.Summary = fmt.Sprintf("%s on %s is denied by %s (%s).", action, resource, pt.holder, reason)
		}
		e.Fix = denialFix(pt, explicit, scope, action, resource, region)
	case code == "AccessDeniedException" && (msg == "You don't have access to the model with the specified model ID." || msg == "Your account is not authorized to invoke this API operation."):
		// Model access, per Region: before October 2025 each Region's
		// model access page granted it; these texts were also seen for a
		// model called in a Region that does not offer it.
		e.Kind = AccessDenied
		e.Summary = fmt.Sprintf("The account has no access to %s in %s: model access was not granted in this Region, or the Region does not offer the model (this is not an IAM policy problem).", orCalled(ctx.Model), regionOrCalled(ctx.Region))
		e.Fix = "Check that the model (or profile) is offered in " + regionOrCalled(ctx.Region) + " and that model access is granted there (Bedrock console, Model access, in that Region); access granted in another Region does not carry over."
		if where := suggestions(cat, ctx.Model, ctx.Region); where != "" {
			e.Fix += " It is offered in: " + where + "."
		}
	case code == "AccessDeniedException" && strings.Contains(msg, "AWS Marketplace"):
		e.Kind = AccessDenied
		e.Summary = "Bedrock could not subscribe the account to the model on AWS Marketplace."
		e.Fix = "Allow aws-marketplace:Subscribe and aws-marketplace:ViewSubscriptions for the first call, then retry after a few minutes."
	case strings.Contains(msg, "reached the end of its life"):
		e.Kind = Lifecycle
		e.Summary = fmt.Sprintf("Model %s is past its end of life.", model)
		e.Fix = "Move to a newer model" + replacement(cat, model, ctx.Region) + "."
		if m, ok := cat.Model(converse.FoundationModelID(model)); ok {
			if still := m.StillServed(cat.Date()); len(still) > 0 && !slices.Contains(still, ctx.Region) {
				// A Region may keep a model the others retired.
				e.Fix += " " + strings.Join(still, ", ") + " still serve it on demand."
			}
		}
	case strings.Contains(msg, "marked by provider as Legacy"):
		e.Kind = Lifecycle
		days := "15"
		if m := legacyDays.FindStringSubmatch(msg); m != nil {
			days = m[1] // 15 or 30, as the service says
		}
		e.Summary = fmt.Sprintf("Model %s is Legacy, and this account has not used it in the last %s days.", model, days)
		e.Fix = "Move to an active model" + replacement(cat, model, ctx.Region) + "."
	case code == "ThrottlingException" || code == "throttlingException":
		e.Kind = Throttled
		if strings.Contains(msg, "per day") {
			e.Kind = Quota
			e.Summary = "The account's daily token quota for this model is used up."
			e.Fix = "Wait for the quota to reset or ask for a quota increase (Service Quotas)."
		} else {
			e.Summary = "Bedrock throttled the call: too many requests or tokens per minute."
			e.Fix = "Retry with backoff (the SDK does), spread load over a cross-Region profile, or ask for a quota increase."
		}
	case code == "ServiceQuotaExceededException":
		e.Kind, e.Summary, e.Fix = Quota, "A service quota is exceeded.", "Ask for a quota increase (Service Quotas)."
	case code == "UnrecognizedClientException" && unknownRegion(msg) != nil:
		// The bundled emulator's answer for a Region its catalog does not
		// know: the Region is wrong, not the credentials.
		u := unknownRegion(msg)
		e.Kind = BadRequest
		e.Summary = "The Region " + u.Region + " is unknown: the emulator serves the Regions of its catalog only (a misspelled Region, or one newer than the catalog)."
		e.Fix = u.Fix()
	case code == "InvalidSignatureException" || code == "UnrecognizedClientException" || code == "ExpiredTokenException" || code == "IncompleteSignatureException" || msg == "Authorization header is missing":
		e.Kind = Credentials
		e.Summary = "The request's credentials or signature were refused (" + code + ")."
		e.Fix = "Check the credential chain (AWS_PROFILE, expired SSO session or session token, clock skew)."
	case code == "InternalServerException" && ctx.Request != nil && converse.RecursiveOutputSchema(ctx.Request) &&
		converse.FamilyOrDefault(ctx.Model).AnthropicFields:
		// realwire converse-error-internal-server-recursive-schema: the
		// same 500 on all five attempts, for Pydantic's TreeNode.
		e.Kind = BadRequest
		e.Summary = "Claude answers a structured-output schema that refers to itself (a $ref back into the definition it sits in, such as a tree node's children) with this 500 on every attempt: the request causes it, not a transient fault."
		e.Fix = "Retrying as it is fails again. Write the recursion out to a fixed depth (a definition per level, the last without the recursive member), or send the schema as a tool's input schema and read the tool call."
	case code == "ModelStreamErrorException" || code == "modelStreamErrorException":
		// ConverseStream's event "modelStreamErrorException: A streaming
		// error occurred. Retry your request." (HTTP 424; Amazon Bedrock
		// API Reference, ConverseStreamOutput): the answer broke off after
		// it began, so the SDK, which retries a call before its answer
		// starts, does not retry it.
		e.Kind = ServerError
		e.Summary = "The stream failed in the middle of the answer (" + code + "): what arrived before it is incomplete."
		e.Fix = "Retry the request; the SDK does not retry a stream that has begun."
	case code == "InternalServerException" || code == "ServiceUnavailableException" || code == "ModelNotReadyException" || code == "ModelTimeoutException" ||
		code == "internalServerException" || code == "serviceUnavailableException":
		e.Kind = ServerError
		e.Summary = "A transient failure on Bedrock's side (" + code + ")."
		e.Fix = "Retry with backoff; the SDK retries these."
		if code == "InternalServerException" && ctx.Request == nil {
			e.Fix += " If every retry of the same request fails so, look at the request: Claude answers an outputConfig schema that refers to itself ($ref) with this error every time."
		}
	case modelIDPattern.MatchString(msg):
		id := modelIDPattern.FindStringSubmatch(msg)[1]
		e.Kind = BadRequest
		e.Summary = fmt.Sprintf("The model identifier %s is not of the form of a model id or ARN (the modelId pattern the service checks first).", id)
		if m := contextSuffix.FindStringSubmatch(id); m != nil {
			e.Summary += fmt.Sprintf(" Its suffix %s names a context-length version that Bedrock serves only through Provisioned Throughput, not on demand.", m[1])
			e.Fix = fmt.Sprintf("Call the model on demand by its id without %s (or an inference profile that contains it), or buy Provisioned Throughput for that version and call the provisioned model's ARN.", m[1])
		} else {
			e.Summary += " It is malformed: a character or a part outside the pattern (a stray space, slash or quote, an ARN cut short)."
			e.Fix = "Check the id against ListFoundationModels or ListInferenceProfiles in " + regionOrCalled(ctx.Region) + " (`bedrock-bench preflight --region " + cmp.Or(ctx.Region, "R") + " --model ID`)."
		}
	case code == "ValidationException" || code == "validationException":
		if t, m := matchText(msg, true); t != nil {
			e.explainText(t, m, msg)
			// The text says more than the rule's advice; the rule is
			// still the one broken.
			if t.rule != "" {
				e.Rule = ruleNamed(t.rule)
			}
			return e
		}
		if r, ok := matchRule(msg); ok {
			e.Kind, e.Rule = Contract, r
			e.Summary = fmt.Sprintf("The conversation broke rule %s (%s)%s.", r.ID, r.Name, where(msg))
			e.Fix = "Run the history through the normalizer (bedrock-bench converse --history, or normalize.Normalize) before sending it."
			return e
		}
		fallthrough
	default:
		if t, m := matchText(msg, false); t != nil {
			e.explainText(t, m, msg)
		}
	}
	return e
}

// ruleNamed is the contract rule of that name, or nil.
func ruleNamed(name string) *converse.Rule {
	for _, r := range converse.Rules() {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// matchText finds the first of texts that matches msg, with its
// submatches; with overRules, only those that say more than the contract
// rule whose message also matches.
func matchText(msg string, overRules bool) (*text, []string) {
	lists := [][]text{ruleTexts, texts}
	if overRules {
		lists = lists[:1]
	}
	for _, list := range lists {
		for i := range list {
			if m := list[i].re.FindStringSubmatch(msg); m != nil {
				return &list[i], m
			}
		}
	}
	return nil, nil
}

// explainText fills e from t, which matched msg with submatches m: the
// summary, and the fix where it has a verb, take the first group.
func (e *Explanation) explainText(t *text, m []string, msg string) {
	e.Kind, e.Summary, e.Fix = t.kind, t.summary, t.fix
	if len(m) > 1 {
		e.Summary = fmt.Sprintf(t.summary, m[1])
		e.Fix = strings.ReplaceAll(t.fix, "%s", m[1])
	}
	if t.kind == Contract {
		e.Summary = strings.Replace(e.Summary, ":", where(msg)+":", 1)
	}
}

// maxMatched is how much of a message the patterns read.
const maxMatched = 16 << 10

var (
	// modelIDPattern is the schema's refusal of a modelId
	// (converse-contract.md §1.2: "Value 'anthropic.claude-v2:0:100k' at
	// 'modelId' failed to satisfy constraint: Member must satisfy regular
	// expression pattern: …").
	modelIDPattern = regexp.MustCompile(`^\d+ validation errors? detected: (?:.*; )?Value '([^']*)' at 'modelId' failed to satisfy constraint: Member must satisfy regular expression pattern`)
	// contextSuffix is a model version's context-length suffix, such as
	// :0:100k, :1:200k or :0:18k, which Provisioned Throughput serves.
	contextSuffix = regexp.MustCompile(`((?::\d+)?:\d+k)$`)
	onDemandModel = regexp.MustCompile(`^Invocation of model ID (\S+) with on-demand throughput`)
	legacyDays    = regexp.MustCompile(`in the last (\d+) days`)
)

func orCalled(s string) string {
	if s == "" {
		return "the model called"
	}
	return s
}

// regionOrCalled names the Region, or the one called where the context
// does not say.
func regionOrCalled(s string) string {
	if s == "" {
		return "the Region called"
	}
	return s
}

// text explains one of the service's messages.
type text struct {
	re           *regexp.Regexp
	kind         Kind
	summary, fix string
	// rule, for a text of ruleTexts, is the name of the contract rule
	// whose message it is: the explanation names it (Explanation.Rule).
	rule string
}

// ruleTexts explain messages a contract rule also matches, saying more
// than the rule's advice to run the normalizer: the limit V-61 names, the
// adaptive thinking V-56 asks for, the ttl V-68 refuses, strict on a tool
// refused in V-63's words.
var ruleTexts = []text{
	// Anthropic's text for a tool_use the next message leaves unanswered,
	// bare, is InvokeModel's: a Messages body sent without the tool's
	// result (the V-19 situation). Through Converse, prefixed, it is V-23:
	// Bedrock's translation moved a document away from the tool results.
	{regexp.MustCompile("^messages\\.\\d+: `tool_use` ids were found without `tool_result` blocks immediately after: ([^.]+)\\."), Contract,
		"The conversation broke rule V-19 (missing-tool-results): the tool calls %s have no tool_result in the next message.",
		"Answer every tool_use of an assistant turn with a tool_result block, by its id, in the user turn right after it (or run the history through the normalizer, which fills a missing result).", "missing-tool-results"},
	{regexp.MustCompile(`The maximum tokens you requested exceeds? the model limit of (\d+)`), Contract,
		"The request broke rule V-61 (max-tokens-above-limit): maxTokens is above the model's output limit of %s tokens.",
		"Lower inferenceConfig.maxTokens (InvokeModel: max_tokens) to %s or below for this model. The normalizer lowers it when it knows the model (the catalog's maxOutputTokens; bedrock-bench converse --model, the bench's target, normalize.Options.Family from converse.FamilyForModel).", "max-tokens-above-limit"},
	{regexp.MustCompile(`"thinking\.type\.enabled" is not supported for this model`), Contract,
		"The request broke rule V-56 (thinking-adaptive-only): this model (Claude Opus 4.7 and later, Claude 5) takes only adaptive thinking, not \"enabled\" with budget_tokens.",
		"Send additionalModelRequestFields.thinking as {\"type\": \"adaptive\"} without budget_tokens (output_config.effort guides how much it thinks). The normalizer does this for the model's family (thinking-made-adaptive).", "thinking-adaptive-only"},
	{regexp.MustCompile(`Extended TTL prompt caching is only supported for Anthropic models`), Contract,
		"The request broke rule V-68 (cache-ttl-unsupported): the model (Amazon Nova, Nova 2) caches for the default 5 minutes only and refuses a cache point with ttl 1h.",
		"Drop the ttl from the cachePoint blocks (or send \"5m\") for this model: the cache points stay and cache for 5 minutes. The normalizer does this for the model's family (cache-ttl-lowered).", "cache-ttl-unsupported"},
	{regexp.MustCompile(`^(?:The model returned the following errors: )?tools\.\d+\.custom\.strict: Extra inputs are not permitted`), Contract,
		"The request broke rule V-63: the model does not take strict on a tool.",
		"Remove strict from the tool spec for this model.", ""},
	// output_config.effort bare is V-63 still: the model (Claude before
	// 4.6) does not take it (anthropics/claude-code-action #1005), not a
	// misspelt member.
	{regexp.MustCompile(`^output_config\.effort: Extra inputs are not permitted`), Contract,
		"The request broke rule V-63: the model does not take output_config.effort (Claude before Sonnet and Opus 4.6; Claude Opus 4.5 takes it with the anthropic_beta " + converse.EffortBeta + ").",
		"Remove output_config.effort for this model (or, on Claude Opus 4.5, send anthropic_beta [\"" + converse.EffortBeta + "\"]).", "model-field-extra-input"},
	// Anthropic's schema refusing a member of a Messages body, bare:
	// InvokeModel's (Converse's V-63 text is prefixed and names a member
	// of additionalModelRequestFields): in a message, a system block or a
	// tool, and in tool_choice, thinking (after its type:
	// "thinking.adaptive.effort"), metadata and output_config.
	{regexp.MustCompile(`^((?:messages|system|tools)\.\d+(?:\.[^\s:]+)?|(?:tool_choice|thinking)\.\w+\.[^\s:]+|metadata\.[^\s:]+|output_config\.[^\s:]+): Extra inputs are not permitted`), BadRequest,
		"The Messages body (InvokeModel) holds a member Anthropic's schema does not declare, at %s.",
		"Remove that member (a field another provider takes, a client's own bookkeeping, or a misspelt name): InvokeModel passes the body to the model, which refuses what it does not know.", ""},
}

// texts explains the service's messages that no rule of the converse
// package checks: rules only the model checks, the context window, and
// malformed requests.
var texts = []text{
	// Anthropic's schema checks of a Messages body, bare: InvokeModel's
	// (pydantic's texts; the emulator answers them).
	{regexp.MustCompile(`^tool_choice: Input tag '([^']+)' found using 'type' does not match any of the expected tags`), BadRequest,
		"The Messages body (InvokeModel) sets tool_choice of type %s, which Anthropic's schema does not declare (auto, any, tool, none).",
		"Send tool_choice as Anthropic names it: {\"type\": \"auto\"}, {\"type\": \"any\"} (OpenAI's \"required\"), {\"type\": \"tool\", \"name\": NAME} or {\"type\": \"none\"}.", ""},
	{regexp.MustCompile(`^((?:messages|system|tools)\.\d+(?:\.\w+)*|tool_choice(?:\.\w+)*): (?:Field required|Input should be a valid (?:list|string|boolean)|Input should be 'text'|Unable to extract tag using discriminator 'type')$`), BadRequest,
		"The Messages body (InvokeModel) does not fit Anthropic's schema at %s: a member is missing, misspelt (names are case-sensitive: \"Role\" is no role) or of the wrong type.",
		"Send the member as Anthropic's Messages API names and types it (role, content as a list of blocks, each with its type).", ""},
	{regexp.MustCompile("Expected `thinking` or `redacted_thinking`, but found"), Contract,
		"The conversation broke rule V-52: with thinking enabled, the last assistant turn must start with its thinking block.",
		"Send the assistant's reasoningContent blocks back, unchanged and first in their turn, or disable thinking.", ""},
	{regexp.MustCompile(`thinking or redacted_thinking blocks in the latest assistant message cannot be modified`), Contract,
		"The conversation broke rule V-53: a thinking block of the latest assistant turn was changed.",
		"Send reasoningContent blocks back exactly as the model returned them, text and signature.", ""},
	{regexp.MustCompile("Invalid `signature` in `thinking` block"), Contract,
		"The conversation broke rule V-54: a reasoning block's signature does not match its text (the text or the signature was changed, or the block comes from another model's answer).",
		"Send reasoningContent blocks back exactly as the model returned them, text and signature, or leave the block out.", ""},
	// Anthropic's own checks of a Messages body, which InvokeModel passes
	// on bare (the emulator answers them too).
	{regexp.MustCompile("unexpected `tool_use_id` found in `tool_result` blocks: ([^.]+)\\."), Contract,
		"The conversation broke rule V-20: a tool_result answers %s, which the assistant message before it did not call.",
		"Give each tool_result the id of a tool_use in the assistant message right before it; the normalizer turns a result that answers no call into text (orphan-result-to-text).", ""},
	{regexp.MustCompile(`^messages: first message must use the "user" role`), Contract,
		"The conversation broke rule V-1: it must start with a user message.",
		"Start the messages with a user turn; the normalizer does (leading-assistant).", ""},
	{regexp.MustCompile(`^messages\.\d+\.role: Input should be 'user' or 'assistant'`), Contract,
		"The conversation broke rule V-4: a message's role is neither user nor assistant.",
		"Send system text in the system field and tool results in user messages; the normalizer does.", ""},
	{regexp.MustCompile(`^max_tokens: Input should be greater than or equal to 1`), Contract,
		"The request broke rule V-60: max_tokens is below 1.",
		"Set max_tokens to 1 or more; InvokeModel requires it for Claude.", ""},
	{regexp.MustCompile(`^messages: at least one message is required`), Contract,
		"The request breaks the contract: it holds no message.",
		"Send at least one user message.", ""},
	{regexp.MustCompile(`^tool_choice may only be specified while providing tools\.`), Contract,
		"The request breaks the contract: it sets tool_choice but declares no tools.",
		"Declare the tools the choice is about, or leave tool_choice out.", ""},
	{regexp.MustCompile(`(\S+): Extra inputs are not permitted`), Contract,
		"The request broke rule V-63: the model does not know the field %s.",
		"Remove it from additionalModelRequestFields (or wherever the request sets it) for this model.", ""},
	{regexp.MustCompile(`Malformed input request: #: extraneous key \[([^\]]+)\] is not permitted`), Contract,
		"The request broke rule V-63: the model does not know the field %s (Nova and Titan check the request body against their own schema).",
		"Remove it from additionalModelRequestFields (or from the InvokeModel body) for this model.", ""},
	{regexp.MustCompile(`^Malformed request\. Please check your parameter/values and try again\.`), Contract,
		"The request broke rule V-63 or a parameter's range: the model refused a parameter without naming it (Cohere's wording).",
		"Remove the additionalModelRequestFields the model does not document, and check the inference parameters' values.", ""},
	{regexp.MustCompile(`Input is too long for requested model|Input Tokens Exceeded|prompt is too long|exceed context limit|too many total text bytes`), InputTooLong,
		"The input is longer than the model's context window (V-65).",
		"Shorten the conversation, the documents or the tool results (drop or summarize old turns), lower maxTokens, or use a model with a larger context window; retrying as it is fails again.", ""},
	{regexp.MustCompile(`extraneous key \[cachePoint\] is not permitted`), Contract,
		"The request broke rule V-50 (tool-cache-point-unsupported): the model (Amazon Nova) takes no cache point among the tools, only in the system prompt and messages.",
		"Remove the cachePoint from toolConfig.tools: a cache point in the system prompt caches the tools too, as they come first. The normalizer does this (bedrock-bench converse --history, or normalize.Normalize).", ""},
	// V-44 as a 403 AccessDeniedException (BerriAI/litellm PR #39210,
	// Portkey-AI/docs-core PR #1025); as a ValidationException it is the
	// rule's own text.
	{regexp.MustCompile(`^You invoked an unsupported model or your request did not allow prompt caching`), Contract,
		"The request broke rule V-44 (caching-unsupported): Bedrock offers no prompt caching for this model (Claude 3 Haiku, Llama, Mistral, DeepSeek, ...), or the account may not use it.",
		"Remove the cache points for this model (the normalizer drops them for its family), or use a model on Bedrock's prompt caching list (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).", ""},
	{regexp.MustCompile(`^messages: text content blocks must`), Contract,
		"The conversation broke rule V-8 (provider-blank-text): a text block is empty or only whitespace.",
		"Run the history through the normalizer (bedrock-bench converse --history, or normalize.Normalize) before sending it.", ""},
	{regexp.MustCompile(`^(\S+) cannot be converted to (?:Float|Integer|Long|Double|Boolean|Timestamp)`), BadRequest,
		"A field of the request has the wrong JSON type (%s where a number or a boolean is expected), such as a temperature sent as a string.",
		"Send numbers and booleans as JSON numbers and booleans.", ""},
	{regexp.MustCompile(`^The provided model doesn't support counting tokens`), BadRequest,
		"CountTokens does not count for this model identifier (seen for an inference profile id; not every model supports it).",
		"Call CountTokens with the foundation-model id (us.anthropic.X becomes anthropic.X), or count with the usage the Converse response returns.", ""},
	{regexp.MustCompile(`Input tag '([^']+)' found using 'type' does not match any of the expected tags`), BadRequest,
		"Bedrock does not offer the tool type %s (a server tool of the provider's own API).",
		"Remove the tool, or declare it as a custom tool with an input schema that your code runs.", ""},
	{regexp.MustCompile(`Provided S3Location not found`), BadRequest,
		"An s3Location in the request names an object Bedrock cannot read: it does not exist, or is in another Region or account without bucketOwner and access.",
		"Check the s3:// URI, that the object is in the Region called, and that the caller can s3:GetObject it (set bucketOwner for another account's bucket).", ""},
	{regexp.MustCompile(`^The provided service tier is not supported for this model`), BadRequest,
		"The model does not take the service tier asked for (priority or flex) in the Region called (V-67).",
		"Send serviceTier default, or leave it out, for this model; priority and flex are served only for the models and Regions listed on https://docs.aws.amazon.com/bedrock/latest/userguide/service-tiers-inference.html (the emulator holds that table).", ""},
	{regexp.MustCompile(`^Reservation not found\.?$`), BadRequest,
		"The request asked for serviceTier reserved, and the account has no reservation for this model in the Region called (V-67).",
		"Send serviceTier priority, default or flex, or leave it out; the reserved tier serves only capacity reserved with AWS beforehand for this model and Region.", ""},
	{regexp.MustCompile(`UnknownOperationException`), BadRequest,
		"The endpoint does not know this operation: the request went to the wrong host or path (a proxy or --endpoint that does not serve Bedrock Runtime, or a path it rewrote).",
		"Point the client at https://bedrock-runtime.REGION.amazonaws.com, or at an endpoint that serves the Converse paths.", ""},
}

// suggestions lists where a model is served, best first, at most five.
func suggestions(cat *catalog.Catalog, id, region string) string {
	var out []string
	for _, s := range cat.Where(converse.FoundationModelID(id), region) {
		if s.ProfileID == "" {
			out = append(out, s.Region+" (on demand)")
		} else {
			out = append(out, s.Region+" via "+s.ProfileID)
		}
		if len(out) == 5 {
			break
		}
	}
	return strings.Join(out, ", ")
}

// replacement names the model to move to from model, as a caller in
// region calls it (see catalog.Successor).
func replacement(cat *catalog.Catalog, model, region string) string {
	if id, ok := cat.Successor(model, region); ok {
		return " such as " + id
	}
	return ""
}

// ruleMatcher is a contract rule's message as a pattern: %d stands for
// digits only (an index or a count), %s for any text; literal counts the
// message's own characters, so that the most specific pattern wins.
type ruleMatcher struct {
	rule    *converse.Rule
	re      *regexp.Regexp
	literal int
}

// ruleMatchers are the rules' patterns, the most literal first: a pattern
// that is mostly verbs ("Value at '%s' failed to satisfy constraint:
// Member must %s") is tried after every rule that says more.
var ruleMatchers = func() []ruleMatcher {
	var out []ruleMatcher
	verb := regexp.MustCompile(`%(?:\[\d+\])?[sdv]`)
	for _, r := range converse.Rules() {
		pattern, literal := "", 0
		verbs := verb.FindAllString(r.Message, -1)
		for i, part := range verb.Split(r.Message, -1) {
			if i > 0 {
				switch {
				case r.ID == "V-14" && i == 1:
					// V-14's message is the schema's generic one; only a
					// toolUseId path makes it V-14 (converse-contract.md
					// V-14: "… at 'messages.N.member.content.M.member.toolUse.toolUseId'").
					pattern += `[^']*\.toolUseId`
				case strings.HasSuffix(verbs[i-1], "d"):
					// Digits, or the placeholder a user quoting the text
					// put in (<n>, N, X, {id}: realwire error-texts.md);
					// never a dot, so an index stays one path element.
					pattern += `(?:\d+|<\w+>|[A-Z]|\{\w+\})`
				default:
					pattern += ".+?"
				}
			}
			pattern += regexp.QuoteMeta(part)
			literal += len(part)
		}
		if r.Layer == converse.LayerSchema {
			pattern = `\d+ validation errors? detected: (.*; )?` + pattern
		}
		// InvokeModel passes the model's text without Converse's prefix.
		if p := regexp.QuoteMeta(converse.ModelErrorPrefix); strings.HasPrefix(pattern, p) {
			pattern = "(?:" + p + ")?" + pattern[len(p):]
		}
		out = append(out, ruleMatcher{r, regexp.MustCompile("^" + pattern), literal})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].literal > out[j].literal })
	return out
}()

// matchRule finds the contract rule whose message the service sent.
func matchRule(msg string) (*converse.Rule, bool) {
	for _, m := range ruleMatchers {
		if m.re.MatchString(msg) {
			return m.rule, true
		}
	}
	return nil, false
}

var (
	messagesPath = regexp.MustCompile(`messages\.(\d+)`)
	// schemaMessagesPath is a message's index in a schema (Coral) error's
	// path, which counts from 1 (converse-contract.md §1.6: "Paths are
	// 1-based with .member. between list levels").
	schemaMessagesPath = regexp.MustCompile(`'messages\.(\d+)\.member\b`)
)

// where names the message the error points at, counted from 0 as
// everywhere else in the bench.
func where(msg string) string {
	if m := schemaMessagesPath.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			return " at messages." + strconv.Itoa(n-1)
		}
	}
	if m := messagesPath.FindStringSubmatch(msg); m != nil {
		return " at messages." + m[1]
	}
	return ""
}

// emulatorUnknownRegion is the bundled emulator's answer for a Region its
// catalog does not know (bench/emulator).
var emulatorUnknownRegion = regexp.MustCompile(`^The Region (\S+) is not in the emulator's catalog \(Regions: ([^()]*)\)\.$`)

// UnknownRegion is a Region the bundled emulator refused as not in its
// catalog, with the Regions it serves.
type UnknownRegion struct {
	Region string
	Known  []string
}

// Fix says what to do: the closest known Region, or the known ones.
func (u *UnknownRegion) Fix() string {
	if c := closest.Name(u.Region, u.Known); c != "" {
		return "Fix the Region: the closest the catalog knows is " + c + "."
	}
	return "Use one of the Regions the catalog knows: " + strings.Join(u.Known, ", ") + "."
}

// ParseUnknownRegion reads the bundled emulator's answer for a Region its
// catalog does not know ("The Region R is not in the emulator's catalog
// (Regions: ...)."), which comes as an UnrecognizedClientException, the
// code a real endpoint gives a Region that has not been enabled; nil for
// any other message.
func ParseUnknownRegion(msg string) *UnknownRegion {
	return unknownRegion(msg)
}

func unknownRegion(msg string) *UnknownRegion {
	m := emulatorUnknownRegion.FindStringSubmatch(strings.TrimSpace(msg))
	if m == nil {
		return nil
	}
	return &UnknownRegion{Region: m[1], Known: strings.Split(m[2], ", ")}
}
