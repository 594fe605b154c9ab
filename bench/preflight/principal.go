package preflight

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// CallerIdentity is STS's GetCallerIdentity; *sts.Client satisfies it.
type CallerIdentity interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// RoleGetter is IAM's GetRole; *iam.Client satisfies it.
type RoleGetter interface {
	GetRole(context.Context, *iamsdk.GetRoleInput, ...func(*iamsdk.Options)) (*iamsdk.GetRoleOutput, error)
}

var (
	_ CallerIdentity = (*sts.Client)(nil)
	_ RoleGetter     = (*iamsdk.Client)(nil)
)

// The origins of a live check's principal (LivePrincipal.From).
const (
	// FromFlag: the ARN was given (--principal).
	FromFlag = "--principal"
	// FromCaller: the caller's own identity, from sts:GetCallerIdentity.
	FromCaller = "sts:GetCallerIdentity"
)

// LivePrincipal is the principal a live check simulates, and where its
// ARN came from.
type LivePrincipal struct {
	// ARN is the user or role iam:SimulatePrincipalPolicy was asked about.
	ARN string `json:"arn"`
	// From is FromFlag or FromCaller.
	From string `json:"from"`
	// CallerARN is the ARN sts:GetCallerIdentity gave, when it is not
	// ARN: an assumed-role session, whose role ARN (with its path) came
	// from iam:GetRole.
	CallerARN string `json:"callerArn,omitempty"`
}

// String words where the principal came from, for the text output.
func (p *LivePrincipal) String() string {
	switch {
	case p.From != FromCaller:
		return p.ARN + " (" + p.From + ")"
	case p.CallerARN != "":
		return fmt.Sprintf("%s (the caller: sts:GetCallerIdentity gave %s; the role's ARN, with its path, from iam:GetRole)", p.ARN, p.CallerARN)
	}
	return p.ARN + " (the caller, from sts:GetCallerIdentity)"
}

// CallerPrincipal asks STS who the caller is and gives the ARN
// iam:SimulatePrincipalPolicy takes for it (its PolicySourceArn is "the
// ARN of a user, group, or role", IAM API Reference): an IAM user's ARN
// as it is; for an assumed-role session
// (arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION), the role's ARN,
// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME. The session ARN leaves the
// path out (an IAM Identity Center role's is /aws-reserved/sso.amazonaws.com/,
// with the Region after it when Identity Center is outside us-east-1), so
// the role's ARN is read with iam:GetRole; when IAM refuses that, the
// error gives the --principal to write. The root user and federated-user
// sessions cannot be simulated.
func CallerPrincipal(ctx context.Context, st CallerIdentity, roles RoleGetter) (*LivePrincipal, error) {
	out, err := st.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		said := err.Error()
		var ae smithy.APIError
		if errors.As(err, &ae) {
			said = ae.ErrorCode() + ": " + ae.ErrorMessage()
		}
		return nil, &callerError{fmt.Sprintf("--live without --principal asks STS who the caller is, and sts:GetCallerIdentity failed: %s; give --principal ARN, the role or user to simulate", said), err}
	}
	caller := aws.ToString(out.Arn)
	parts := strings.SplitN(caller, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return nil, fmt.Errorf("preflight: sts:GetCallerIdentity gave %q, not an ARN; give --principal ARN, the role or user to simulate", caller)
	}
	partition, service, account, resource := parts[1], parts[2], parts[4], parts[5]
	switch {
	case service == "iam" && strings.HasPrefix(resource, "user/"):
		return &LivePrincipal{ARN: caller, From: FromCaller}, nil
	case service == "iam" && resource == "root":
		return nil, fmt.Errorf("preflight: the caller is the root user of account %s (%s), which iam:SimulatePrincipalPolicy cannot simulate: give --principal with the ARN of the role or user the application runs as", account, caller)
	case service == "sts" && strings.HasPrefix(resource, "assumed-role/"):
	default:
		return nil, fmt.Errorf("preflight: the caller is %s, which iam:SimulatePrincipalPolicy cannot simulate (it takes a user, group or role): give --principal with the ARN of the role or user the application runs as", caller)
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(resource, "assumed-role/"), "/")
	role, err := roles.GetRole(ctx, &iamsdk.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		var ae smithy.APIError
		form := fmt.Sprintf("arn:%s:iam::%s:role/PATH/%s (the role's path: arn:%s:iam::%s:role/%s for a role without one)", partition, account, name, partition, account, name)
		if strings.HasPrefix(name, "AWSReservedSSO_") {
			form = fmt.Sprintf("arn:%s:iam::%s:role/aws-reserved/sso.amazonaws.com/%s (IAM Identity Center's path; with Identity Center in a Region other than us-east-1, arn:%s:iam::%s:role/aws-reserved/sso.amazonaws.com/REGION/%s)", partition, account, name, partition, account, name)
		}
		if errors.As(err, &ae) && (ae.ErrorCode() == "AccessDenied" || ae.ErrorCode() == "AccessDeniedException") {
			return nil, fmt.Errorf("preflight: the caller is the role session %s; iam:SimulatePrincipalPolicy needs the role's ARN, with the path the session's ARN leaves out, and IAM refused iam:GetRole on %s (%s: %s): give --principal %s; `aws iam get-role --role-name %s --query Role.Arn` prints it, run with a profile allowed iam:GetRole", caller, name, ae.ErrorCode(), ae.ErrorMessage(), form, name)
		}
		return nil, fmt.Errorf("preflight: the caller is the role session %s, and iam:GetRole on %s, for the role's ARN with its path, failed: %w; give --principal %s", caller, name, err, form)
	}
	var arn string
	if role.Role != nil {
		arn = aws.ToString(role.Role.Arn)
	}
	if arn == "" {
		return nil, fmt.Errorf("preflight: iam:GetRole on %s gave no ARN: is the IAM endpoint right? give --principal arn:%s:iam::%s:role/PATH/%s", name, partition, account, name)
	}
	return &LivePrincipal{ARN: arn, From: FromCaller, CallerARN: caller}, nil
}

// callerError is CallerPrincipal's error from STS, worded without the
// SDK's envelope and wrapping the SDK's error.
type callerError struct {
	msg string
	err error
}

func (e *callerError) Error() string { return "preflight: " + e.msg }

func (e *callerError) Unwrap() error { return e.err }
