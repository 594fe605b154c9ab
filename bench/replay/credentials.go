package replay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
)

// CredentialsTimeout bounds [CheckCredentials]: a credential chain that
// does not answer (a credential_process waiting on a prompt, an SSO or
// container endpoint that stopped answering) is reported rather than
// waited on. Tests lower it.
var CredentialsTimeout = 20 * time.Second

// NoCredentialsError is a configuration that gives no credentials to
// call AWS with. Cause words why, for a person ("" when the
// configuration has no credential provider at all).
type NoCredentialsError struct{ Cause string }

func (e *NoCredentialsError) Error() string {
	if e.Cause == "" {
		return "no AWS credentials"
	}
	return "no AWS credentials (" + e.Cause + ")"
}

// CheckCredentials retrieves cfg's credentials once, up front, for a
// recording (or a command) about to call AWS, within CredentialsTimeout,
// so that a missing or stuck credential chain is one error naming the
// cause rather than the SDK's error on every call. A Bedrock API key
// (AWS_BEARER_TOKEN_BEDROCK, cfg's BearerAuthTokenProvider from
// [LoadConfig]) stands in for the credentials where bearerOK: Bedrock's
// runtime takes it, its control plane and IAM do not. The error is a
// *NoCredentialsError.
func CheckCredentials(ctx context.Context, cfg aws.Config, bearerOK bool) error {
	if bearerOK && cfg.BearerAuthTokenProvider != nil {
		return nil
	}
	if cfg.Credentials == nil {
		return &NoCredentialsError{}
	}
	cctx, cancel := context.WithTimeout(ctx, CredentialsTimeout)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		if ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return &NoCredentialsError{fmt.Sprintf("the credential chain gave none within %s: a credential_process, an SSO or a container endpoint that does not answer", CredentialsTimeout)}
		}
		return &NoCredentialsError{credentialCause(err)}
	}
	return nil
}

// credentialCause is the first line of the SDK's credential error,
// without its operation prefix; for a profile whose IAM Identity Center
// session has no token (never logged in, or expired), what to run.
func credentialCause(err error) string {
	var sso *ssocreds.InvalidTokenError
	if errors.As(err, &sso) || strings.Contains(err.Error(), "cached SSO token") {
		return "the profile's IAM Identity Center (SSO) session is not logged in or has expired: run aws sso login"
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	if strings.Contains(msg, "EC2 IMDS") || strings.Contains(msg, "ec2imds") {
		// The instance metadata service is the chain's last provider:
		// its error says only that no instance role answered, which on a
		// laptop is the case whatever else is missing.
		return "none in the environment, the shared files or an SSO session, and no instance role"
	}
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i > 20 {
		msg = msg[i+2:]
	}
	return msg
}
