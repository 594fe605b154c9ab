package emulator

import (
	"encoding/json"
	"net/http"
)

// apiError is an error the emulator answers with, in the restJson1 shape:
// the HTTP status, an x-amzn-ErrorType header, and a compact JSON body.
type apiError struct {
	Status int
	Type   string
	Msg    string
	// CapitalMessage uses {"Message":...}, as IAM-layer denials do.
	CapitalMessage bool
	// Namespace follows the type in x-amzn-ErrorType; empty is Bedrock's.
	Namespace string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Msg }

// errorTypeSuffix is what the service appends to x-amzn-ErrorType; SDKs
// strip everything after the colon.
const errorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/"

// coralNamespace is the authentication layer's namespace, in front of
// every service: UnrecognizedClientException, ExpiredTokenException and
// the signature errors carry it (see testdata/realwire).
const coralNamespace = ":http://internal.amazon.com/coral/com.amazon.coral.service/"

func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	ns := e.Namespace
	if ns == "" {
		ns = errorTypeSuffix
	}
	h.Set("X-Amzn-Errortype", e.Type+ns)
	w.WriteHeader(e.Status)
	key := "message"
	if e.CapitalMessage {
		key = "Message"
	}
	body, _ := json.Marshal(map[string]string{key: e.Msg})
	_, _ = w.Write(body)
}

// The errors Bedrock answers with, by type.
func validationError(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "ValidationException", Msg: msg}
}

func notFoundError(msg string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "ResourceNotFoundException", Msg: msg}
}

func accessDenied(msg string) *apiError {
	return &apiError{Status: http.StatusForbidden, Type: "AccessDeniedException", Msg: msg, CapitalMessage: true}
}

// Messages quoted from the service (see the contract reference).
const (
	msgInvalidModel = "The provided model identifier is invalid."
	// msgOnDemand takes the model id as sent; note the U+2019 apostrophe.
	msgOnDemand  = "Invocation of model ID %s with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
	msgEndOfLife = "This model version has reached the end of its life. Please refer to the AWS documentation for more details."
	msgLegacy    = "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days. Please upgrade to an active model on Amazon Bedrock"
	msgThrottled = "Too many requests, please wait before trying again. You have sent too many requests. Wait before trying again."
	msgTooLarge  = "Input is too long for requested model."
	// msgPromptTooLong answers a prompt over the model's context window
	// (V-65): pydantic-ai's recorded Converse call to Claude Sonnet 4.5
	// with a 1.25 MB prompt (testdata/realwire/error-texts.md), which
	// the captures put before the contract's issue quotes of "prompt is
	// too long: N tokens > M maximum".
	msgPromptTooLong = "The model returned the following errors: Input is too long for requested model."
	// msgNoModelAccess is the model-access check's text (testdata/realwire/error-access-denied.json).
	msgNoModelAccess = "You don't have access to the model with the specified model ID."
	// The authentication layer's texts.
	msgNoAuth       = "Authorization header is missing"
	msgBadSignature = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgBadToken     = "The security token included in the request is invalid."
	msgExpiredToken = "The security token included in the request is expired"
	// msgNoReservation answers serviceTier "reserved" without a Reserved
	// tier reservation: quoted from a live 400 body in
	// envoyproxy/ai-gateway PR #1749 and a live test in
	// NousResearch/hermes-agent PR #34476 (V-67).
	msgNoReservation = "Reservation not found."
	// msgTierUnsupported answers a priority or flex tier the model does
	// not take (V-67): the text of a live Converse call on 2026-09-04
	// (`aws bedrock-runtime converse --model-id amazon.nova-lite-v1:0
	// --service-tier '{"type":"flex"}'`, quoted in a public project's test
	// comment), final period included, and of the HTTP 400 quoted in
	// maximhq/bifrost PR #7270 [Unsure: whether a Region that lacks the
	// tier gets the same text].
	msgTierUnsupported = "The provided service tier is not supported for this model."
	// msgTierInvalid answers a tier the service model does not list
	// (V-67): the contract's text for Converse, which InvokeModel's tier
	// header gets too [Inferred: not captured for InvokeModel].
	msgTierInvalid = "service tier provided is invalid"
)
