package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
)

// Credentials is an access key pair the emulator accepts, with the caller
// it stands for.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken, when set, must come with every request signed by this
	// key (X-Amz-Security-Token), as for temporary credentials.
	SessionToken string
	// Expires, when set, is when the key stops working: later requests get
	// ExpiredTokenException.
	Expires time.Time
	// Principal is the caller these keys sign as; nil uses the server's.
	Principal *iam.Principal
}

// Provider returns the key pair as an SDK credentials provider.
func (c Credentials) Provider() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Source: "bedrock-bench emulator"}, nil
	})
}

// APIKey is a long-term Amazon Bedrock API key the emulator accepts: the
// bearer token as AWS issues it ("ABSK" and the base64 of
// "BedrockAPIKey-<id>-at-<account>:<secret>").
type APIKey struct {
	Key string
	// Expires, when set, is when the key stops working.
	Expires time.Time
	// Principal is the caller the key stands for; nil uses the server's.
	Principal *iam.Principal
}

// DefaultCredentials is the documented fake key pair the emulator accepts
// unless told otherwise: AWS's own example keys, which no real account has.
var DefaultCredentials = Credentials{
	AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}

// signingService is the SigV4 service name of both Bedrock endpoints.
const signingService = "bedrock"

// maxClockSkew is how far a request's signing time may be from now:
// Bedrock allows five minutes either way ("Signature expired: ... (... -
// 5 min.)", anthropics/anthropic-sdk-go#122), not the fifteen of some
// other AWS services.
const maxClockSkew = 5 * time.Minute

// Bearer token prefixes of the two kinds of Amazon Bedrock API keys.
const (
	longTermKeyPrefix  = "ABSK"
	shortTermKeyPrefix = "bedrock-api-key-"
)

// scope is what the authentication layer tells about the caller.
type scope struct {
	AccessKeyID string
	Region      string
	// Principal is the caller's own; nil means the server's.
	Principal *iam.Principal
	// Bearer is true for Bedrock API keys.
	Bearer bool
}

// sigv4 is a parsed SigV4 Authorization header.
type sigv4 struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
	signedAt                         time.Time
	amzDate                          string
}

// pendingAuth is the state of authentication between the headers and the
// body: the signature over the headers is known, the payload hash is not.
type pendingAuth struct {
	scope scope
	sig   *sigv4
	// secret is empty when any key is accepted (no verification).
	secret string
	// verified says the signature already matched (the client signed the
	// payload hash in x-amz-content-sha256, which the body must match).
	verified    bool
	payloadHash string
}

// verifier is the authentication layer: SigV4 and Bedrock API keys.
type verifier struct {
	anyKey  bool
	keys    map[string]Credentials
	apiKeys map[string]APIKey
	now     func() time.Time
	// defaultRegion serves bearer calls whose Region nothing names.
	defaultRegion string
	// onRefused is told why a key was refused, for the server's log.
	onRefused func(string)
}

func newVerifier(anyKey bool, creds []Credentials, apiKeys []APIKey, now func() time.Time) *verifier {
	v := &verifier{anyKey: anyKey, keys: map[string]Credentials{}, apiKeys: map[string]APIKey{}, now: now, defaultRegion: "us-east-1"}
	for _, c := range creds {
		v.keys[c.AccessKeyID] = c
	}
	for _, k := range apiKeys {
		v.apiKeys[k.Key] = k
	}
	return v
}

// Auth-layer errors carry the coral service namespace, not Bedrock's.
func authError(status int, typ, msg string) *apiError {
	return &apiError{Status: status, Type: typ, Msg: msg, Namespace: coralNamespace}
}

func invalidToken() *apiError {
	return authError(403, "UnrecognizedClientException", msgBadToken)
}

func expiredToken() *apiError {
	return authError(403, "ExpiredTokenException", msgExpiredToken)
}

func badSignature() *apiError {
	return authError(403, "InvalidSignatureException", msgBadSignature)
}

// checkHeaders authenticates everything the headers carry, before the
// body is read: the key, its scope and date, the session token and, when
// the client signed the payload hash in a header, the signature itself.
func (v *verifier) checkHeaders(r *http.Request) (*pendingAuth, *apiError) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return nil, accessDenied(msgNoAuth)
	}
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok {
		sc, aerr := v.bearer(r, strings.TrimSpace(token))
		if aerr != nil {
			return nil, aerr
		}
		return &pendingAuth{scope: sc, verified: true}, nil
	}
	sig, aerr := parseSigV4(auth)
	if aerr != nil {
		return nil, aerr
	}
	p := &pendingAuth{scope: scope{AccessKeyID: sig.accessKey, Region: sig.region}, sig: sig}
	if !v.anyKey {
		c, known := v.keys[sig.accessKey]
		if !known {
			v.refused(fmt.Sprintf("access key %s is not one this emulator accepts (%s)", sig.accessKey, v.acceptedKeys()))
			return nil, invalidToken()
		}
		if c.SessionToken != "" && subtle.ConstantTimeCompare([]byte(c.SessionToken), []byte(r.Header.Get("X-Amz-Security-Token"))) != 1 {
			v.refused(fmt.Sprintf("access key %s came without its configured session token", sig.accessKey))
			return nil, invalidToken()
		}
		if !c.Expires.IsZero() && !v.now().Before(c.Expires) {
			v.refused(fmt.Sprintf("access key %s expired at %s", sig.accessKey, c.Expires.UTC().Format(time.RFC3339)))
			return nil, expiredToken()
		}
		p.secret, p.scope.Principal = c.SecretAccessKey, c.Principal
	}
	if sig.service != signingService {
		return nil, authError(403, "InvalidSignatureException", fmt.Sprintf("Credential should be scoped to correct service: '%s'.", signingService))
	}
	if aerr := v.checkDate(r, sig, auth); aerr != nil {
		return nil, aerr
	}
	if !contains(sig.signedHeaders, "host") && !contains(sig.signedHeaders, ":authority") {
		return nil, authError(403, "InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if len(sig.signature) != 64 || !isHex(sig.signature) {
		v.refused(fmt.Sprintf("access key %s: the signature is not 64 hexadecimal digits", sig.accessKey))
		return nil, badSignature()
	}
	if h := r.Header.Get("X-Amz-Content-Sha256"); contains(sig.signedHeaders, "x-amz-content-sha256") && len(h) == 64 && isHex(h) {
		p.payloadHash = strings.ToLower(h)
		if p.secret != "" && !v.matches(r, p, p.payloadHash) {
			v.refused(wrongSecret(sig.accessKey))
			return nil, badSignature()
		}
		p.verified = true
	}
	return p, nil
}

// finish checks the signature once the body's hash is known.
func (v *verifier) finish(r *http.Request, p *pendingAuth, bodySum []byte) *apiError {
	got := hex.EncodeToString(bodySum)
	if p.payloadHash != "" && p.payloadHash != got {
		v.refused(fmt.Sprintf("access key %s: the body's SHA-256 is not the X-Amz-Content-Sha256 it was signed with (the body changed after signing)", p.sig.accessKey))
		return badSignature()
	}
	if p.verified || p.secret == "" {
		return nil
	}
	if !v.matches(r, p, got) {
		v.refused(wrongSecret(p.sig.accessKey))
		return badSignature()
	}
	return nil
}

// wrongSecret is the log line of a known key whose signature does not
// match: neither the secret nor the signature is in it.
func wrongSecret(key string) string {
	return fmt.Sprintf("access key %s is accepted, but the request's signature is not the one its secret access key makes: the client signs with another secret for this key id (or the request changed after signing, as a proxy rewriting a header does)", key)
}

func (v *verifier) checkDate(r *http.Request, sig *sigv4, auth string) *apiError {
	sig.amzDate = r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", sig.amzDate)
	if err != nil {
		if d := r.Header.Get("Date"); d != "" {
			t, err = http.ParseTime(d)
			sig.amzDate = t.UTC().Format("20060102T150405Z")
		}
	}
	if err != nil {
		return authError(403, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="+auth)
	}
	sig.signedAt = t
	const stamp = "20060102T150405Z"
	skew := fmt.Sprintf("%d min.", int(maxClockSkew/time.Minute))
	now := v.now().UTC()
	if t.Before(now.Add(-maxClockSkew)) {
		return authError(403, "InvalidSignatureException", fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			sig.amzDate, now.Add(-maxClockSkew).Format(stamp), now.Format(stamp), skew))
	}
	if t.After(now.Add(maxClockSkew)) {
		// A clock ahead of the service's is told apart from one behind it.
		return authError(403, "InvalidSignatureException", fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			sig.amzDate, now.Add(maxClockSkew).Format(stamp), now.Format(stamp), skew))
	}
	if sig.date != t.Format("20060102") {
		return authError(403, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+sig.date+"' != '"+t.Format("20060102")+"', from '"+sig.amzDate+"'.")
	}
	return nil
}

// matches computes the signature the client should have sent.
func (v *verifier) matches(r *http.Request, p *pendingAuth, payloadHash string) bool {
	want := signature(p.secret, p.sig, canonicalRequest(r, p.sig.signedHeaders, payloadHash))
	// A signature is lowercase hex, as the SDKs write it and AWS
	// compares it; before, an uppercase one was taken.
	return subtle.ConstantTimeCompare([]byte(want), []byte(p.sig.signature)) == 1
}

func (v *verifier) refused(why string) {
	if v.onRefused != nil {
		v.onRefused(why)
	}
}

// acceptedKeys says which keys are accepted and how to change that.
func (v *verifier) acceptedKeys() string {
	ids := make([]string, 0, len(v.keys))
	for id := range v.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) > 4 {
		ids = append(ids[:4], fmt.Sprintf("and %d more", len(ids)-4))
	}
	return "accepted: " + strings.Join(ids, ", ") + "; sign with one of them, add the key to the --keys file, or start the emulator without --access-key and --keys to accept any key"
}

// parseSigV4 splits "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func parseSigV4(h string) (*sigv4, *apiError) {
	rest, found := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !found {
		if strings.HasPrefix(h, "AWS4-ECDSA-P256-SHA256 ") {
			return nil, authError(403, "IncompleteSignatureException", "SigV4a signatures are not supported by this emulator; sign with SigV4.")
		}
		return nil, authError(403, "IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization="+h)
	}
	var cred, signed, sig string
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			cred = val
		case "SignedHeaders":
			signed = val
		case "Signature":
			sig = val
		}
	}
	if cred == "" || signed == "" || sig == "" {
		return nil, authError(403, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization="+h)
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" || parts[2] == "" {
		return nil, authError(403, "IncompleteSignatureException", "Credential should be scoped to a valid region, not '"+cred+"'.")
	}
	return &sigv4{accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3], signedHeaders: strings.Split(signed, ";"), signature: sig}, nil
}

// canonicalRequest is SigV4's canonical request for r as received. Over
// HTTP/2 clients may sign the :authority pseudo-header instead of host;
// both are the request's authority.
func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	rawPath := r.URL.EscapedPath()
	if ru := r.RequestURI; ru != "" && !strings.HasPrefix(ru, "http") {
		rawPath, _, _ = strings.Cut(ru, "?")
	}
	if rawPath == "" {
		rawPath = "/"
	}
	b.WriteString(uriEncode(rawPath, false))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery, ""))
	b.WriteByte('\n')
	for _, h := range signedHeaders {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, h))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

func canonicalHeaderValue(r *http.Request, name string) string {
	switch name {
	case "host", ":authority":
		return stripExcessSpaces(r.Host)
	case "content-length":
		if v := r.Header.Get("Content-Length"); v != "" {
			return v
		}
		return strconv.FormatInt(r.ContentLength, 10)
	}
	vals := r.Header.Values(name)
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.TrimSpace(stripExcessSpaces(v))
	}
	return strings.Join(out, ",")
}

// stripExcessSpaces trims the spaces (U+0020 only) at both ends of s and
// collapses each run of them inside to one, as SigV4's canonical header
// values do (aws-sdk-go-v2's signer, StripExcessSpaces, followed there by
// strings.TrimSpace): other white space inside a value (a tab, a
// no-break space) is the client's and is signed as it is. Before, any
// Unicode white space was collapsed, so a value with a tab inside
// failed a signature the SDK had made right.
func stripExcessSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// canonicalQuery sorts and encodes a query string, leaving out skip.
func canonicalQuery(raw, skip string) string {
	if raw == "" {
		return ""
	}
	type kv struct{ k, v string }
	var pairs []kv
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, val, _ := strings.Cut(p, "=")
		k, _ = url.QueryUnescape(k)
		val, _ = url.QueryUnescape(val)
		if k == skip {
			continue
		}
		pairs = append(pairs, kv{uriEncode(k, true), uriEncode(val, true)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k + "=" + p.v)
	}
	return b.String()
}

// uriEncode is SigV4's URI encoding: everything but unreserved characters
// (and '/' in paths) as %XX.
func uriEncode(s string, slash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !slash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func signature(secret string, sig *sigv4, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	scope := sig.date + "/" + sig.region + "/" + sig.service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + sig.amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	k := hmacSum([]byte("AWS4"+secret), sig.date)
	k = hmacSum(k, sig.region)
	k = hmacSum(k, sig.service)
	k = hmacSum(k, "aws4_request")
	return hex.EncodeToString(hmacSum(k, toSign))
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// bearer authenticates a Bedrock API key. Long-term keys are
// "ABSK"+base64("BedrockAPIKey-<id>-at-<account>:<secret>"); short-term
// keys are "bedrock-api-key-"+base64 of a SigV4-presigned URL for
// bedrock.amazonaws.com/?Action=CallWithBearerToken, carrying the signing
// key's scope (and so its Region) and expiry.
func (v *verifier) bearer(r *http.Request, token string) (scope, *apiError) {
	sc := scope{Bearer: true, Region: regionFromHost(r.Host)}
	switch {
	case strings.HasPrefix(token, longTermKeyPrefix):
		raw, err := base64.StdEncoding.DecodeString(token[len(longTermKeyPrefix):])
		alias, secret, ok := strings.Cut(string(raw), ":")
		if err != nil || !ok || alias == "" || secret == "" {
			v.refused("the bearer token starts with ABSK but is not a long-term Bedrock API key (base64 of alias:secret)")
			return sc, invalidToken()
		}
		sc.AccessKeyID = alias
		if !v.anyKey {
			k, known := v.apiKeys[token]
			if !known {
				v.refused(fmt.Sprintf("API key %s is not one this emulator accepts; add it to the --keys file or start without --access-key and --keys to accept any key", alias))
				return sc, invalidToken()
			}
			if !k.Expires.IsZero() && !v.now().Before(k.Expires) {
				return sc, expiredToken()
			}
			sc.Principal = k.Principal
		}
	case strings.HasPrefix(token, shortTermKeyPrefix):
		raw, err := base64.StdEncoding.DecodeString(token[len(shortTermKeyPrefix):])
		if err != nil {
			raw, err = base64.RawURLEncoding.DecodeString(token[len(shortTermKeyPrefix):])
		}
		if err != nil {
			v.refused("the bearer token starts with bedrock-api-key- but its rest is not base64")
			return sc, invalidToken()
		}
		u, err := url.Parse("https://" + string(raw))
		if err != nil || u.Query().Get("Action") != "CallWithBearerToken" {
			v.refused("the short-term Bedrock API key does not hold a presigned CallWithBearerToken URL")
			return sc, invalidToken()
		}
		q := u.Query()
		parts := strings.Split(q.Get("X-Amz-Credential"), "/")
		signedAt, derr := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
		expires, xerr := strconv.Atoi(q.Get("X-Amz-Expires"))
		if len(parts) != 5 || derr != nil || xerr != nil || q.Get("X-Amz-Signature") == "" {
			v.refused("the short-term Bedrock API key's presigned URL lacks its credential, date, expiry or signature")
			return sc, invalidToken()
		}
		sc.AccessKeyID, sc.Region = parts[0], parts[2]
		// What the token generators make and Bedrock takes: a URL for
		// bedrock.amazonaws.com signed for the bedrock service, valid at
		// most 12 hours (the Bedrock user guide's "How Amazon Bedrock
		// API keys work": short-term keys are valid for the shorter of
		// 12 hours and the session), dated no later than the clock skew
		// SigV4 allows. Before, a URL presigned for another service or
		// host, for ten years, or dated years ahead was taken.
		switch {
		case parts[3] != signingService:
			v.refused(fmt.Sprintf("the short-term Bedrock API key was signed for the service %q, not %q", parts[3], signingService))
			return sc, invalidToken()
		case !strings.EqualFold(u.Host, shortTermKeyHost):
			v.refused(fmt.Sprintf("the short-term Bedrock API key's URL is for %s, not %s", u.Host, shortTermKeyHost))
			return sc, invalidToken()
		case expires <= 0 || expires > shortTermKeyMaxExpires:
			v.refused(fmt.Sprintf("the short-term Bedrock API key's X-Amz-Expires is %d seconds; Bedrock takes 1 to %d (12 hours)", expires, shortTermKeyMaxExpires))
			return sc, invalidToken()
		case parts[1] != signedAt.Format("20060102"):
			v.refused(fmt.Sprintf("the short-term Bedrock API key's credential date %s is not the day of its X-Amz-Date %s", parts[1], q.Get("X-Amz-Date")))
			return sc, invalidToken()
		case signedAt.After(v.now().Add(maxClockSkew)):
			v.refused(fmt.Sprintf("the short-term Bedrock API key is dated %s, later than the emulator's clock allows (%s of skew)", signedAt.Format(time.RFC3339), maxClockSkew))
			return sc, invalidToken()
		}
		if !v.now().Before(signedAt.Add(time.Duration(expires) * time.Second)) {
			return sc, expiredToken()
		}
		if !v.anyKey {
			c, known := v.keys[parts[0]]
			if !known {
				v.refused(fmt.Sprintf("the short-term API key was made with access key %s, which this emulator does not accept (%s)", parts[0], v.acceptedKeys()))
				return sc, invalidToken()
			}
			sig := &sigv4{accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3], amzDate: q.Get("X-Amz-Date")}
			canonical := "POST\n/\n" + canonicalQuery(stripParams(u.RawQuery, "X-Amz-Signature", "Version"), "") + "\nhost:" + u.Host + "\n\nhost\nUNSIGNED-PAYLOAD"
			if subtle.ConstantTimeCompare([]byte(signature(c.SecretAccessKey, sig, canonical)), []byte(q.Get("X-Amz-Signature"))) != 1 {
				v.refused(fmt.Sprintf("the short-term API key's signature does not match the secret of %s", parts[0]))
				return sc, invalidToken()
			}
			if c.SessionToken != "" && q.Get("X-Amz-Security-Token") != c.SessionToken {
				return sc, invalidToken()
			}
			sc.Principal = c.Principal
		}
	default:
		v.refused("the bearer token is neither a long-term (ABSK...) nor a short-term (bedrock-api-key-...) Bedrock API key")
		return sc, invalidToken()
	}
	if sc.Region == "" {
		sc.Region = v.defaultRegion
	}
	return sc, nil
}

// A short-term Bedrock API key's presigned URL is for this host, valid
// at most this many seconds (12 hours).
const (
	shortTermKeyHost       = "bedrock.amazonaws.com"
	shortTermKeyMaxExpires = 12 * 60 * 60
)

// stripParams removes query parameters by name, keeping the others raw.
func stripParams(raw string, names ...string) string {
	var keep []string
	for _, p := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(p, "=")
		if !contains(names, k) && p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "&")
}

// regionFromHost reads the Region from a Bedrock endpoint host name
// (bedrock-runtime.<region>.amazonaws.com), or returns "".
func regionFromHost(host string) string {
	host, _, _ = strings.Cut(host, ":")
	for _, prefix := range []string{"bedrock-runtime.", "bedrock-runtime-fips.", "bedrock.", "bedrock-fips."} {
		if rest, ok := strings.CutPrefix(host, prefix); ok {
			if region, _, ok := strings.Cut(rest, "."); ok {
				return region
			}
		}
	}
	return ""
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}
