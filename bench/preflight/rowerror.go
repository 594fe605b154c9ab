package preflight

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/bedrock-bench/bedrock-bench/bench/explain"
)

// ExplainError words the error that stopped the check of one target in
// region: which service refused or failed, the error as it came, and what
// it means for preflight and what to check. A migration matrix shows it
// as the row's error.
func ExplainError(region string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "preflight: ")
	if ns := (noSimulation{}); errors.As(err, &ns) {
		return ns.msg
	}
	who, what := "the control plane of "+region, "preflight cannot read the Region's catalog"
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		if oe.Service() == "IAM" {
			who, what = "IAM", "preflight cannot simulate the principal's policies"
		}
		who += " (" + oe.Operation() + ")"
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		said := ae.ErrorCode()
		if m := ae.ErrorMessage(); m != "" {
			said += ": " + m
		}
		switch code := ae.ErrorCode(); {
		case code == "AccessDeniedException" || code == "AccessDenied":
			if strings.HasPrefix(who, "IAM") {
				return fmt.Sprintf("%s refused the caller: %s: %s; --live needs iam:SimulatePrincipalPolicy and iam:GetContextKeysForPrincipalPolicy on the principal", who, said, what)
			}
			return fmt.Sprintf("%s refused the caller: %s: %s; check the SCPs and the caller's bedrock:List*/Get* permissions there", who, said, what)
		case code == "UnrecognizedClientException" && explain.ParseUnknownRegion(ae.ErrorMessage()) != nil:
			// The bundled emulator's answer for a Region it does not serve.
			u := explain.ParseUnknownRegion(ae.ErrorMessage())
			return fmt.Sprintf("%s refused an unknown Region: %s: %s; %s", who, said, what, strings.TrimSuffix(strings.ToLower(u.Fix()[:1])+u.Fix()[1:], "."))
		case credentialsRefused[code]:
			return fmt.Sprintf("%s refused the credentials: %s: %s; a Region that must be enabled (an opt-in Region) refuses them until the account enables it, otherwise refresh the credentials", who, said, what)
		case code == "ThrottlingException" || code == "TooManyRequestsException" || code == "Throttling":
			return fmt.Sprintf("%s throttled the caller past its retries: %s: %s; run preflight again later", who, said, what)
		}
		return fmt.Sprintf("%s answered an error: %s: %s", who, said, what)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Sprintf("%s cannot be reached: %s: %s; the host has no address (Bedrock may not serve %s, or the network's DNS does not resolve it)", who, msg, what, region)
	}
	return fmt.Sprintf("%s failed: %s: %s", who, msg, what)
}

// credentialsRefused are the error codes of a refused signature or
// credentials rather than a refused request.
var credentialsRefused = map[string]bool{
	"UnrecognizedClientException": true, "InvalidClientTokenId": true, "ExpiredTokenException": true,
	"ExpiredToken": true, "InvalidSignatureException": true, "SignatureDoesNotMatch": true,
	"IncompleteSignatureException": true, "MissingAuthenticationTokenException": true,
	"AuthFailure": true, "RequestExpired": true,
}

// noSimulation is an answer to iam:SimulatePrincipalPolicy with no
// result: what a non-IAM endpoint's answer parses to.
type noSimulation struct{ msg string }

func (e noSimulation) Error() string { return "preflight: " + e.msg }

// RunError is an error that concerns every target of a run, not the one
// being checked: IAM refusing the simulation itself (--live without
// iam:SimulatePrincipalPolicy, or with credentials IAM refuses), or an
// IAM endpoint that is not IAM's. IAM is global, so every row would fail
// with the same error; [RunMatrix] stops at it. Error explains it as
// [ExplainError] does.
type RunError struct {
	// Region and Model are the target being checked when it came.
	Region, Model string
	Err           error
}

func (e *RunError) Error() string { return ExplainError(e.Region, e.Err) }

func (e *RunError) Unwrap() error { return e.Err }

// concernsTheRun reports whether err, from checking one target, would
// come for every target: IAM's refusal of the caller or of its
// credentials, or an IAM endpoint that answers no simulation. Throttling
// and a call not answered in time are the target's.
func concernsTheRun(err error) bool {
	if errors.As(err, new(noSimulation)) {
		return true
	}
	var oe *smithy.OperationError
	var ae smithy.APIError
	if !errors.As(err, &oe) || oe.Service() != "IAM" || !errors.As(err, &ae) {
		return false
	}
	code := ae.ErrorCode()
	return code == "AccessDenied" || code == "AccessDeniedException" || credentialsRefused[code]
}
