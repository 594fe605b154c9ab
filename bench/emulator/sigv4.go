package emulator

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Credentials is an access key pair the emulator accepts.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Provider returns the key pair as an SDK credentials provider.
func (c Credentials) Provider() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, Source: "bedrock-bench emulator"}, nil
	})
}

// DefaultCredentials is the documented fake key pair the emulator accepts
// unless told otherwise: AWS's own example keys, which no real account has.
var DefaultCredentials = Credentials{
	AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}

// signingService is the SigV4 service name of both Bedrock endpoints.
const signingService = "bedrock"

// maxClockSkew is how far a request's signing time may be from now.
const maxClockSkew = 15 * time.Minute

// scope is what a verified signature tells about the caller.
type scope struct {
	AccessKeyID string
	Region      string
}

// verifier checks SigV4 signatures with the SDK's own signer.
type verifier struct {
	secrets map[string]string
	signer  *v4.Signer
	now     func() time.Time
}

func newVerifier(creds []Credentials, now func() time.Time) *verifier {
	v := &verifier{secrets: map[string]string{}, signer: v4.NewSigner(), now: now}
	for _, c := range creds {
		v.secrets[c.AccessKeyID] = c.SecretAccessKey
	}
	return v
}

// verify checks the request's signature over its body and returns the
// caller's key and Region, or the error the service answers with.
func (v *verifier) verify(r *http.Request, body []byte) (scope, *apiError) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return scope{}, accessDenied(msgNoAuth)
	}
	if strings.HasPrefix(auth, "Bearer ") {
		return scope{}, accessDenied("Bearer token authentication is not supported by this emulator; sign requests with SigV4.")
	}
	cred, signedHeaders, signature, ok := parseAuthorization(auth)
	if !ok {
		return scope{}, &apiError{Status: 403, Type: "IncompleteSignatureException", Msg: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=" + auth}
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return scope{}, &apiError{Status: 403, Type: "IncompleteSignatureException", Msg: "Credential should be scoped to a valid region, not '" + cred + "'."}
	}
	s := scope{AccessKeyID: parts[0], Region: parts[2]}
	secret, known := v.secrets[s.AccessKeyID]
	if !known {
		return s, &apiError{Status: 403, Type: "UnrecognizedClientException", Msg: msgBadToken}
	}
	if parts[3] != signingService {
		return s, &apiError{Status: 403, Type: "InvalidSignatureException", Msg: fmt.Sprintf("Credential should be scoped to correct service: '%s'.", signingService)}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		return s, &apiError{Status: 403, Type: "IncompleteSignatureException", Msg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + auth}
	}
	if now := v.now().UTC(); signedAt.Before(now.Add(-maxClockSkew)) || signedAt.After(now.Add(maxClockSkew)) {
		return s, &apiError{Status: 403, Type: "InvalidSignatureException", Msg: fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			amzDate, now.Add(-maxClockSkew).Format("20060102T150405Z"), now.Format("20060102T150405Z"))}
	}
	if parts[1] != signedAt.Format("20060102") {
		return s, &apiError{Status: 403, Type: "InvalidSignatureException", Msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + parts[1] + "' != '" + signedAt.Format("20060102") + "', from '" + amzDate + "'."}
	}

	// Re-sign a copy that carries exactly the headers the client signed,
	// with the secret we hold, and compare.
	clone, err := http.NewRequest(r.Method, r.URL.String(), nil)
	if err != nil {
		return s, &apiError{Status: 403, Type: "InvalidSignatureException", Msg: msgBadSignature}
	}
	clone.URL = r.URL
	clone.Host = r.Host
	for _, h := range strings.Split(signedHeaders, ";") {
		switch h {
		case "host":
		case "content-length":
			clone.ContentLength = r.ContentLength
		default:
			if vals := r.Header.Values(h); vals != nil {
				clone.Header[http.CanonicalHeaderKey(h)] = vals
			}
		}
	}
	clone.Header.Del("Authorization")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v.signer.SignHTTP(context.Background(), creds, clone, hex.EncodeToString(sum[:]), signingService, s.Region, signedAt); err != nil {
		return s, &apiError{Status: 403, Type: "InvalidSignatureException", Msg: msgBadSignature}
	}
	_, wantHeaders, want, _ := parseAuthorization(clone.Header.Get("Authorization"))
	if wantHeaders != signedHeaders || subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return s, &apiError{Status: 403, Type: "InvalidSignatureException", Msg: msgBadSignature}
	}
	return s, nil
}

// parseAuthorization splits "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func parseAuthorization(h string) (credential, signedHeaders, signature string, ok bool) {
	rest, found := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !found {
		return "", "", "", false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			signedHeaders = v
		case "Signature":
			signature = v
		}
	}
	return credential, signedHeaders, signature, credential != "" && signedHeaders != "" && signature != ""
}
