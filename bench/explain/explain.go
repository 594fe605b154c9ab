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
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
	"github.com/bedrock-bench/bedrock-bench/bench/converse"
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
	// Rule is the contract rule broken, for Contract.
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

func (e *Error) Error() string { return e.Err.Error() + " (" + e.Explanation.String() + ")" }

// Unwrap returns the original error, so errors.As still finds the SDK's
// types.
func (e *Error) Unwrap() error { return e.Err }

var denial = regexp.MustCompile(`is not authorized to perform: (\S+) on resource: (\S+) (because no [a-z -]+ allows the \S+ action|with an explicit deny in an? [a-z -]+ policy(?:: \S+)?)`)

// Explain classifies err, a failure of a Bedrock call made in ctx.
func Explain(err error, ctx Context) Explanation {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return Explanation{Kind: Unknown, Summary: err.Error()}
	}
	cat := ctx.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	code, msg := ae.ErrorCode(), ae.ErrorMessage()
	e := Explanation{Code: code, Message: msg, Kind: Unknown, Summary: code + ": " + msg}
	model := converse.FoundationModelID(ctx.Model)
	switch {
	case msg == "The provided model identifier is invalid." || msg == "Could not resolve the foundation model from the provided model identifier.":
		e.Kind = ModelNotOffered
		e.Summary = fmt.Sprintf("Model %s is not offered in %s (this is not an IAM problem).", ctx.Model, ctx.Region)
		if where := suggestions(cat, ctx.Model, ctx.Region); where != "" {
			e.Fix = "It is offered in: " + where + "."
		} else {
			e.Fix = "The catalog as of " + cat.AsOf + " knows no Region that offers it; check the id."
		}
	case strings.Contains(msg, "with on-demand throughput isn"):
		e.Kind = ProfileOnly
		e.Summary = fmt.Sprintf("%s serves %s only through an inference profile.", ctx.Region, model)
		var profiles []string
		for _, s := range cat.Where(model, ctx.Region) {
			if s.Region == ctx.Region && s.ProfileID != "" {
				profiles = append(profiles, s.ProfileID)
			}
		}
		if len(profiles) > 0 {
			e.Fix = "Call it through " + strings.Join(profiles, " or ") + " instead, and allow the model in every Region the profile routes to."
		} else {
			e.Fix = "Call it through an inference profile that contains it (ListInferenceProfiles in " + ctx.Region + ")."
		}
	case code == "AccessDeniedException" && denial.MatchString(msg):
		m := denial.FindStringSubmatch(msg)
		action, resource, reason := m[1], m[2], m[3]
		e.Resource = resource
		e.Kind = AccessDenied
		parts := strings.SplitN(resource, ":", 6)
		region := ""
		if len(parts) == 6 {
			region = parts[3]
		}
		scp := strings.Contains(reason, "service control policy")
		explicit := strings.Contains(reason, "explicit deny")
		switch {
		case strings.Contains(resource, ":foundation-model/") && region == "":
			e.Kind = RouteDenied
			e.Summary = fmt.Sprintf("The global profile's Region-less model %s is denied (%s); Bedrock evaluates it with aws:RequestedRegion=unspecified.", resource, reason)
			if scp {
				e.Fix = `Add "unspecified" to the aws:RequestedRegion list of the SCP's Region condition, or exempt global profiles with bedrock:InferenceProfileArn.`
			} else {
				e.Fix = fmt.Sprintf(`Allow %s on %s with the condition aws:RequestedRegion = "unspecified".`, action, resource)
			}
		case strings.Contains(resource, ":foundation-model/") && region != ctx.Region && ctx.Region != "":
			e.Kind = RouteDenied
			e.Summary = fmt.Sprintf("Profile %s routed to %s, which denies %s (%s).", ctx.Model, region, resource, reason)
			if scp {
				e.Fix = fmt.Sprintf("The SCP must allow %s (add it to the aws:RequestedRegion list, or exempt cross-Region inference with bedrock:InferenceProfileArn).", region)
			} else {
				e.Fix = fmt.Sprintf(`Add to the caller's policy: {"Effect":"Allow","Action":"%s","Resource":"%s"}; AWS checks the model in every destination Region, so list them all (bedrock-bench preflight prints the statement).`, action, resource)
			}
		default:
			e.Summary = fmt.Sprintf("%s on %s is denied (%s).", action, resource, reason)
			switch {
			case explicit:
				e.Fix = "An explicit Deny decides; no Allow can override it. Narrow the denying statement."
			case scp:
				e.Fix = "The SCPs must allow it at every level of the organization."
			default:
				e.Fix = fmt.Sprintf(`Add to the caller's policy: {"Effect":"Allow","Action":"%s","Resource":"%s"}.`, action, resource)
			}
		}
	case code == "AccessDeniedException" && strings.Contains(msg, "AWS Marketplace"):
		e.Kind = AccessDenied
		e.Summary = "Bedrock could not subscribe the account to the model on AWS Marketplace."
		e.Fix = "Allow aws-marketplace:Subscribe and aws-marketplace:ViewSubscriptions for the first call, then retry after a few minutes."
	case strings.Contains(msg, "reached the end of its life"):
		e.Kind = Lifecycle
		e.Summary = fmt.Sprintf("Model %s is past its end of life.", model)
		e.Fix = "Move to a newer model" + replacement(cat, model) + "."
	case strings.Contains(msg, "marked by provider as Legacy"):
		e.Kind = Lifecycle
		e.Summary = fmt.Sprintf("Model %s is Legacy, and this account has not used it in the last 15 days.", model)
		e.Fix = "Move to an active model" + replacement(cat, model) + "."
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
	case code == "InvalidSignatureException" || code == "UnrecognizedClientException" || code == "ExpiredTokenException" || code == "IncompleteSignatureException" || msg == "Authorization header is missing":
		e.Kind = Credentials
		e.Summary = "The request's credentials or signature were refused (" + code + ")."
		e.Fix = "Check the credential chain (AWS_PROFILE, expired SSO session or session token, clock skew)."
	case code == "InternalServerException" || code == "ServiceUnavailableException" || code == "ModelNotReadyException" || code == "ModelTimeoutException" ||
		code == "internalServerException" || code == "serviceUnavailableException":
		e.Kind = ServerError
		e.Summary = "A transient failure on Bedrock's side (" + code + ")."
		e.Fix = "Retry with backoff; the SDK retries these."
	case code == "ValidationException":
		if r, ok := matchRule(msg); ok {
			e.Kind, e.Rule = Contract, r
			e.Summary = fmt.Sprintf("The conversation broke rule %s (%s)%s.", r.ID, r.Name, where(msg))
			e.Fix = "Run the history through the normalizer (bedrock-bench converse --history, or normalize.Normalize) before sending it."
		}
	}
	return e
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

// replacement names the newest active model of the same provider.
func replacement(cat *catalog.Catalog, model string) string {
	m, ok := cat.Model(model)
	if !ok {
		return ""
	}
	var cands []*catalog.Model
	for _, c := range cat.Models {
		if c.Provider == m.Provider && c.Lifecycle.Status(cat.Date()) == catalog.Active {
			cands = append(cands, c)
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].Lifecycle.StartOfLife > cands[j].Lifecycle.StartOfLife })
	if len(cands) == 0 {
		return ""
	}
	return " such as " + cands[0].ID
}

var ruleRegexps = func() map[*converse.Rule]*regexp.Regexp {
	out := map[*converse.Rule]*regexp.Regexp{}
	verb := regexp.MustCompile(`%[sdv]`)
	for _, r := range converse.Rules() {
		pattern := ""
		for i, part := range verb.Split(r.Message, -1) {
			if i > 0 {
				pattern += ".+?"
			}
			pattern += regexp.QuoteMeta(part)
		}
		if r.Layer == converse.LayerSchema {
			pattern = `\d+ validation errors? detected: (.*; )?` + pattern
		}
		out[r] = regexp.MustCompile("^" + pattern)
	}
	return out
}()

// matchRule finds the contract rule whose message the service sent.
func matchRule(msg string) (*converse.Rule, bool) {
	for _, r := range converse.Rules() {
		if ruleRegexps[r].MatchString(msg) {
			return r, true
		}
	}
	return nil, false
}

var messagesPath = regexp.MustCompile(`messages\.(\d+)`)

func where(msg string) string {
	if m := messagesPath.FindStringSubmatch(msg); m != nil {
		return " at messages." + m[1]
	}
	return ""
}
