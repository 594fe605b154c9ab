package iam

import (
	"strings"
	"testing"
)

// source is the documentation a case follows: the page and the sentence.
type source struct{ url, quote string }

const (
	urlOps      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	urlMulti    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
	urlCond     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html"
	urlResource = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"
	urlVars     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
	urlEval     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	urlVersion  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"
	urlKeys     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
	urlBoundary = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
	urlSession  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session"
	urlSCP      = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html"
	urlGeoCRIS  = "https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html"
	// Where the documents leave ForAnyValue with IfExists on a missing key
	// open, this simulator reports what AWS does: "Statement does not apply".
	urlReportAnyIfExists = "https://iam.cloudcopilot.io/resources/operators/ForAnyValue:ArnEqualsIfExists"
)

var (
	srcMissing       = source{urlOps, "If the key that you specify in a policy condition is not present in the request context, the values do not match and the condition is false."}
	srcNegMissing    = source{urlOps, "If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true."}
	srcStrEq         = source{urlOps, "StringEquals: Exact matching, case sensitive"}
	srcStrNe         = source{urlOps, "StringNotEquals: Negated matching"}
	srcStrEqIC       = source{urlOps, "StringEqualsIgnoreCase: Exact matching, ignoring case"}
	srcStrNeIC       = source{urlOps, "StringNotEqualsIgnoreCase: Negated matching, ignoring case"}
	srcStrLike       = source{urlOps, "StringLike: Case-sensitive matching. The values can include multi-character match wildcards (*) and single-character match wildcards (?) anywhere in the string."}
	srcStrNotLike    = source{urlOps, "StringNotLike: Negated case-sensitive matching. The values can include multi-character match wildcards (*) or single-character match wildcards (?) anywhere in the string."}
	srcNum           = source{urlOps, "Numeric condition operators let you construct Condition elements that restrict access based on comparing a key to an integer or decimal value."}
	srcDate          = source{urlOps, "Date condition operators let you construct Condition elements that restrict access based on comparing a key to a date/time value."}
	srcBool          = source{urlOps, `Boolean conditions let you construct Condition elements that restrict access based on comparing a key to "true" or "false."`}
	srcBinary        = source{urlOps, "It compares the value of the specified key byte for byte against a base-64 encoded representation of the binary value in the policy."}
	srcIP            = source{urlOps, "IP address condition operators let you construct Condition elements that restrict access based on comparing a key to an IPv4 or IPv6 address or range of IP addresses."}
	srcIP32          = source{urlOps, "If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32."}
	srcArn           = source{urlOps, "Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character match wildcards (*) or single-character match wildcards (?)."}
	srcIfExists      = source{urlOps, "If the policy key is present in the context of the request, process the key as specified in the policy. If the key is not present, evaluate the condition element as true."}
	srcNoNullIf      = source{urlOps, "You can add IfExists to the end of any condition operator name except the Null condition"}
	srcNull          = source{urlOps, "In the policy statement, use either true (the key doesn't exist — it is null) or false (the key exists and its value is not null)."}
	srcAllValues     = source{urlMulti, "The condition returns true if every key value in the request matches at least one value in the policy. It also returns true if there are no keys in the request"}
	srcAllValuesNull = source{urlMulti, "It also returns true if there are no keys in the request, or if the key values resolve to a null data set, such as an empty string."}
	srcBoolVar       = source{urlOps, "You can use a policy variable with the Boolean condition operator."}
	srcAnyValue      = source{urlMulti, "The condition returns true if any one of the key values in the request matches any one of the condition values in the policy. For no matching key or a null dataset, the condition returns false."}
	srcAnd           = source{urlCond, "If your policy has multiple condition operators or multiple keys attached to a single condition operator, the conditions are evaluated using a logical AND."}
	srcOr            = source{urlCond, "If a single condition operator includes multiple values for one key, that condition operator is evaluated using a logical OR."}
	srcNor           = source{urlCond, "When multiple values are listed in a policy for negated matching condition operators such as StringNotEquals and DateNotEquals, the effective permissions work like a logical AND."}
	srcKeyCase       = source{urlCond, "Condition key names are not case-sensitive."}
	srcAnyIfEx       = source{urlReportAnyIfExists, "reported: ForAnyValue:ArnEqualsIfExists with the key null: Not Allowed, Statement does not apply"}
	srcResWild       = source{urlResource, "You can use wildcard characters (* and ?) within the individual segments of an ARN (the parts separated by colons)"}
	srcResSpan       = source{urlResource, "If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries."}
	srcResSlash      = source{urlResource, "The asterisk (*) character can expand to replace everything within a segment, including characters like a forward slash (/)"}
	srcResCase       = source{urlResource, "In the Resource element, the IAM user name is case sensitive."}
	srcVarRes        = source{urlVars, "You can use a policy variable in the Resource element, but only in the resource portion of the ARN. This portion of the ARN appears after the fifth colon (:)."}
	srcVarCond       = source{urlVars, "You can use a policy variable for Condition values in any condition that involves the string operators or the ARN operators."}
	srcVarDefault    = source{urlVars, "To add a default value to a variable, surround the default value with single quotes (' '), and separate the variable text and the default value with a comma and space (, )."}
	srcVarNone       = source{urlVars, "When policy variables reference a condition context key that has no value or is not present in an authorization context for a request, the value is effectively null. There is no equal or like value."}
	srcVarOldVer     = source{urlVersion, "If you do not include a Version element, the value defaults to 2008-10-17, but newer features, such as policy variables, will not work with your policy. For example, variables such as ${aws:username} aren't recognized as variables and are instead treated as literal strings in the policy."}
	srcPrincArn      = source{urlKeys, "IAM role – The request context contains the following value for condition key aws:PrincipalArn. Do not specify the assumed role session ARN as a value for this condition key."}
	srcVarSpecial    = source{urlVars, "${*} - use where you need an * (asterisk) character. ${?} - use where you need a ? (question mark) character. ${$} - use where you need a $ (dollar sign) character."}
	srcDenyWins      = source{urlEval, "An explicit deny in any of these policies overrides the allow."}
	srcDefault       = source{urlEval, "By default, all requests are implicitly denied"}
	srcBoundary      = source{urlBoundary, "Identity-based policies grant permission to the entity, and permissions boundaries limit those permissions. The effective permissions are the intersection of both policy types."}
	srcBoundDeny     = source{urlBoundary, "An explicit deny in either of these policies overrides the allow."}
	srcSession       = source{urlSession, "The resulting session's permissions are the intersection of the session policies and the resource-based policies plus the intersection of the session policies and identity-based policies."}
	srcSCPLevels     = source{urlSCP, "there must be an explicit Allow statement at every level from the root through each OU in the direct path to the account"}
	srcGeoKey        = source{urlGeoCRIS, "The bedrock:InferenceProfileArn condition key is populated for the foundation model resource evaluations, but not for the inference profile resource evaluation."}
)

// docCase is one documented behaviour: the policies, the request and the
// outcome the sentence in src implies.
type docCase struct {
	name     string
	src      source
	identity []string
	scps     [][]string
	boundary string
	session  []string
	req      Request
	want     Reason
}

// v2008 and noVersion rewrite a 2012-10-17 policy document as one of
// the 2008-10-17 language, or without a Version element.
func v2008(doc string) string {
	return strings.Replace(doc, `"Version":"2012-10-17"`, `"Version":"2008-10-17"`, 1)
}

func noVersion(doc string) string {
	return strings.Replace(doc, `"Version":"2012-10-17",`, ``, 1)
}

// allowIf is an identity policy allowing everything under cond.
func allowIf(cond string) []string {
	return []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, cond)}
}

// condCase: an Allow-everything statement under cond; allowed says
// whether the condition holds for the context kv.
func condCase(name string, src source, cond string, allowed bool, kv ...string) docCase {
	want := ImplicitDenyIdentity
	if allowed {
		want = Allowed
	}
	return docCase{name: name, src: src, identity: allowIf(cond), req: req(invoke, fm("us-east-1"), kv...), want: want}
}

// resCase: an Allow statement on one Resource pattern.
func resCase(name string, src source, pattern, resource string, allowed bool, kv ...string) docCase {
	want := ImplicitDenyIdentity
	if allowed {
		want = Allowed
	}
	return docCase{name: name, src: src, identity: []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"`+pattern+`"`, "")}, req: req(invoke, resource, kv...), want: want}
}

const (
	ip   = "aws:SourceIp"
	mfa  = "aws:MultiFactorAuthPresent"
	age  = "aws:MultiFactorAuthAge"
	now  = "aws:CurrentTime"
	tagk = "aws:TagKeys"
	team = "aws:PrincipalTag/team"
	epoc = "aws:EpochTime"
)

func docCases() []docCase {
	haiku := "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
	cs := []docCase{
		// String operators.
		condCase("StringEquals match", srcStrEq, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, true, KeyRequestedRegion, "us-east-1"),
		condCase("StringEquals other value", srcStrEq, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, false, KeyRequestedRegion, "us-east-2"),
		condCase("StringEquals is case-sensitive", srcStrEq, `{"StringEquals":{"aws:RequestedRegion":"US-east-1"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringEquals missing key", srcMissing, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, false),
		condCase("StringEquals takes * literally", srcStrEq, `{"StringEquals":{"aws:RequestedRegion":"us-*"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringNotEquals other value", srcStrNe, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, true, KeyRequestedRegion, "eu-west-1"),
		condCase("StringNotEquals same value", srcStrNe, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringNotEquals missing key", srcNegMissing, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, true),
		condCase("StringNotEquals several values NOR", srcNor, `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}`, false, KeyRequestedRegion, "us-west-2"),
		condCase("StringNotEquals several values none match", srcNor, `{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}`, true, KeyRequestedRegion, "eu-west-1"),
		condCase("StringEqualsIgnoreCase", srcStrEqIC, `{"StringEqualsIgnoreCase":{"aws:RequestedRegion":"US-EAST-1"}}`, true, KeyRequestedRegion, "us-east-1"),
		condCase("StringEqualsIgnoreCase other", srcStrEqIC, `{"StringEqualsIgnoreCase":{"aws:RequestedRegion":"US-EAST-2"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringEqualsIgnoreCase missing", srcMissing, `{"StringEqualsIgnoreCase":{"aws:RequestedRegion":"US-EAST-1"}}`, false),
		condCase("StringNotEqualsIgnoreCase same but case", srcStrNeIC, `{"StringNotEqualsIgnoreCase":{"aws:RequestedRegion":"US-EAST-1"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringNotEqualsIgnoreCase other", srcStrNeIC, `{"StringNotEqualsIgnoreCase":{"aws:RequestedRegion":"US-EAST-1"}}`, true, KeyRequestedRegion, "eu-west-1"),
		condCase("StringNotEqualsIgnoreCase missing", srcNegMissing, `{"StringNotEqualsIgnoreCase":{"aws:RequestedRegion":"x"}}`, true),
		condCase("StringLike star", srcStrLike, `{"StringLike":{"aws:RequestedRegion":"us-*"}}`, true, KeyRequestedRegion, "us-east-1"),
		condCase("StringLike question mark", srcStrLike, `{"StringLike":{"aws:RequestedRegion":"us-east-?"}}`, true, KeyRequestedRegion, "us-east-2"),
		condCase("StringLike question mark is one character", srcStrLike, `{"StringLike":{"aws:RequestedRegion":"us-east-?"}}`, false, KeyRequestedRegion, "us-east-10"),
		condCase("StringLike is case-sensitive", srcStrLike, `{"StringLike":{"aws:RequestedRegion":"US-*"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringLike star anywhere", srcStrLike, `{"StringLike":{"bedrock:InferenceProfileArn":"*:inference-profile/us.*"}}`, true, KeyInferenceProfileArn, usProfARN),
		condCase("StringLike missing", srcMissing, `{"StringLike":{"aws:RequestedRegion":"*"}}`, false),
		condCase("StringNotLike match", srcStrNotLike, `{"StringNotLike":{"aws:RequestedRegion":"us-*"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringNotLike no match", srcStrNotLike, `{"StringNotLike":{"aws:RequestedRegion":"us-*"}}`, true, KeyRequestedRegion, "eu-west-1"),
		condCase("StringNotLike missing", srcNegMissing, `{"StringNotLike":{"aws:RequestedRegion":"us-*"}}`, true),
		// Numeric operators.
		condCase("NumericEquals", srcNum, `{"NumericEquals":{"aws:MultiFactorAuthAge":"3600"}}`, true, age, "3600"),
		condCase("NumericEquals decimal", srcNum, `{"NumericEquals":{"aws:MultiFactorAuthAge":"3600.0"}}`, true, age, "3600"),
		condCase("NumericEquals other", srcNum, `{"NumericEquals":{"aws:MultiFactorAuthAge":"3600"}}`, false, age, "3601"),
		condCase("NumericEquals missing", srcMissing, `{"NumericEquals":{"aws:MultiFactorAuthAge":"3600"}}`, false),
		condCase("NumericNotEquals", srcNum, `{"NumericNotEquals":{"aws:MultiFactorAuthAge":"3600"}}`, true, age, "10"),
		condCase("NumericNotEquals same", srcNum, `{"NumericNotEquals":{"aws:MultiFactorAuthAge":"3600"}}`, false, age, "3600"),
		condCase("NumericNotEquals missing", srcNegMissing, `{"NumericNotEquals":{"aws:MultiFactorAuthAge":"3600"}}`, true),
		condCase("NumericLessThan below", srcNum, `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, true, age, "100"),
		condCase("NumericLessThan equal", srcNum, `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, false, age, "3600"),
		condCase("NumericLessThan missing", srcMissing, `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, false),
		condCase("NumericLessThanEquals equal", srcNum, `{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}}`, true, age, "3600"),
		condCase("NumericLessThanEquals above", srcNum, `{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}}`, false, age, "3601"),
		condCase("NumericGreaterThan above", srcNum, `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"10"}}`, true, age, "11"),
		condCase("NumericGreaterThan equal", srcNum, `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"10"}}`, false, age, "10"),
		condCase("NumericGreaterThanEquals equal", srcNum, `{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"10"}}`, true, age, "10"),
		condCase("NumericGreaterThanEquals below", srcNum, `{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"10"}}`, false, age, "9.5"),
		condCase("Numeric value not a number", srcNum, `{"NumericLessThan":{"aws:MultiFactorAuthAge":"10"}}`, false, age, "ten"),
		condCase("NumericLessThanIfExists missing", srcIfExists, `{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`, true),
		condCase("NumericLessThanIfExists present and above", srcIfExists, `{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`, false, age, "7200"),
		// Date operators.
		condCase("DateEquals", srcDate, `{"DateEquals":{"aws:CurrentTime":"2026-12-06T00:00:00Z"}}`, true, now, "2026-12-06T00:00:00Z"),
		condCase("DateEquals other zone same instant", srcDate, `{"DateEquals":{"aws:CurrentTime":"2026-12-06T01:00:00+01:00"}}`, true, now, "2026-12-06T00:00:00Z"),
		condCase("DateNotEquals", srcDate, `{"DateNotEquals":{"aws:CurrentTime":"2026-12-06T00:00:00Z"}}`, true, now, "2026-12-07T00:00:00Z"),
		condCase("DateNotEquals missing", srcNegMissing, `{"DateNotEquals":{"aws:CurrentTime":"2026-12-06T00:00:00Z"}}`, true),
		condCase("DateLessThan before", srcDate, `{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}`, true, now, "2026-12-06T02:00:00Z"),
		condCase("DateLessThan after", srcDate, `{"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, false, now, "2026-12-06T02:00:00Z"),
		condCase("DateLessThan missing", srcMissing, `{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}`, false),
		condCase("DateLessThanEquals same", srcDate, `{"DateLessThanEquals":{"aws:CurrentTime":"2026-12-06T02:00:00Z"}}`, true, now, "2026-12-06T02:00:00Z"),
		condCase("DateGreaterThan after", srcDate, `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01"}}`, true, now, "2026-12-06T02:00:00Z"),
		condCase("DateGreaterThan before", srcDate, `{"DateGreaterThan":{"aws:CurrentTime":"2027-01-01"}}`, false, now, "2026-12-06T02:00:00Z"),
		condCase("DateGreaterThanEquals same", srcDate, `{"DateGreaterThanEquals":{"aws:CurrentTime":"2026-12-06T02:00:00Z"}}`, true, now, "2026-12-06T02:00:00Z"),
		condCase("Date epoch time in the policy", srcDate, `{"DateGreaterThan":{"aws:EpochTime":"1700000000"}}`, true, epoc, "1800000000"),
		condCase("Date epoch against ISO", srcDate, `{"DateLessThan":{"aws:CurrentTime":"1800000000"}}`, true, now, "2026-12-06T02:00:00Z"),
		condCase("DateLessThanIfExists missing", srcIfExists, `{"DateLessThanIfExists":{"aws:CurrentTime":"2020-01-01"}}`, true),
		// Bool.
		condCase("Bool true", srcBool, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, true, mfa, "true"),
		condCase("Bool false value", srcBool, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, false, mfa, "false"),
		condCase("Bool JSON boolean", srcBool, `{"Bool":{"aws:MultiFactorAuthPresent":true}}`, true, mfa, "true"),
		condCase("Bool missing", srcMissing, `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, false),
		condCase("Bool with a policy variable", srcBoolVar, `{"Bool":{"aws:MultiFactorAuthPresent":"${aws:PrincipalTag/mfa-required}"}}`, true, mfa, "true", "aws:PrincipalTag/mfa-required", "true"),
		condCase("Bool with a policy variable, other value", srcBoolVar, `{"Bool":{"aws:MultiFactorAuthPresent":"${aws:PrincipalTag/mfa-required}"}}`, false, mfa, "false", "aws:PrincipalTag/mfa-required", "true"),
		condCase("BoolIfExists missing", srcIfExists, `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, true),
		condCase("BoolIfExists present true", srcIfExists, `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, false, mfa, "true"),
		// BinaryEquals.
		condCase("BinaryEquals", srcBinary, `{"BinaryEquals":{"s3:x-amz-key":"QmluYXJ5VmFsdWU="}}`, true, "s3:x-amz-key", "QmluYXJ5VmFsdWU="),
		condCase("BinaryEquals other bytes", srcBinary, `{"BinaryEquals":{"s3:x-amz-key":"QmluYXJ5VmFsdWU="}}`, false, "s3:x-amz-key", "T3RoZXI="),
		condCase("BinaryEquals missing", srcMissing, `{"BinaryEquals":{"s3:x-amz-key":"QmluYXJ5VmFsdWU="}}`, false),
		condCase("BinaryEqualsIfExists missing", srcIfExists, `{"BinaryEqualsIfExists":{"s3:x-amz-key":"QmluYXJ5VmFsdWU="}}`, true),
		// IP addresses.
		condCase("IpAddress inside", srcIP, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, true, ip, "10.1.2.3"),
		condCase("IpAddress outside", srcIP, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false, ip, "192.0.2.1"),
		condCase("IpAddress list OR", srcOr, `{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}`, true, ip, "203.0.113.9"),
		condCase("IpAddress bare address is /32", srcIP32, `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`, true, ip, "203.0.113.5"),
		condCase("IpAddress bare address excludes neighbours", srcIP32, `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`, false, ip, "203.0.113.6"),
		condCase("IpAddress IPv6", srcIP, `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, true, ip, "2001:db8:1234:5678::1"),
		condCase("IpAddress IPv6 outside", srcIP, `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, false, ip, "2001:db8:1234:9999::1"),
		condCase("IpAddress IPv4 caller against IPv6 range", srcIP, `{"IpAddress":{"aws:SourceIp":"2001:DB8::/32"}}`, false, ip, "10.0.0.1"),
		condCase("IpAddress missing", srcMissing, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false),
		condCase("NotIpAddress outside", srcIP, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, true, ip, "192.0.2.1"),
		condCase("NotIpAddress inside", srcIP, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, false, ip, "10.9.9.9"),
		condCase("NotIpAddress missing", srcNegMissing, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, true),
		condCase("IpAddressIfExists missing", srcIfExists, `{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, true),
		condCase("IpAddressIfExists present outside", srcIfExists, `{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, false, ip, "192.0.2.1"),
		// ARN operators.
		condCase("ArnLike components", srcArn, `{"ArnLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:111122223333:inference-profile/us.*"}}`, true, KeyInferenceProfileArn, usProfARN),
		condCase("ArnEquals takes wildcards", srcArn, `{"ArnEquals":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-?:111122223333:inference-profile/*"}}`, true, KeyInferenceProfileArn, usProfARN),
		condCase("ArnLike other account", srcArn, `{"ArnLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:444455556666:inference-profile/*"}}`, false, KeyInferenceProfileArn, usProfARN),
		condCase("ArnLike documented finance example", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`, true, "aws:SourceArn", "arn:aws:someservice:us-east-1:111122223333:finance/report"),
		condCase("ArnLike finance text after a colon does not match", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`, false, "aws:SourceArn", "arn:aws:someservice:us-east-1:444455556666:x:111122223333:finance/report"),
		condCase("ArnLike region star stays in its component", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}`, false, "aws:SourceArn", "arn:aws:someservice:us-east-1:444455556666:finance/report"),
		condCase("ArnLike needs six components", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*"}}`, false, "aws:SourceArn", "arn:aws:someservice:us-east-1:111122223333:finance/report"),
		condCase("ArnLike resource keeps the :0", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:*::foundation-model/*"}}`, true, "aws:SourceArn", haiku),
		condCase("ArnLike star before :0 inside the resource", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:*::foundation-model/anthropic.*:0"}}`, true, "aws:SourceArn", haiku),
		condCase("ArnLike is case-sensitive", srcArn, `{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:*::foundation-model/ANTHROPIC.*"}}`, false, "aws:SourceArn", haiku),
		condCase("ArnLike missing", srcMissing, `{"ArnLike":{"aws:SourceArn":"arn:*:*:*:*:*"}}`, false),
		condCase("ArnNotLike other", srcArn, `{"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/eu.*"}}`, true, KeyInferenceProfileArn, usProfARN),
		condCase("ArnNotLike same", srcArn, `{"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}`, false, KeyInferenceProfileArn, usProfARN),
		condCase("ArnNotLike missing", srcNegMissing, `{"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}`, true),
		condCase("ArnNotEquals missing", srcNegMissing, `{"ArnNotEquals":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}`, true),
		condCase("ArnLikeIfExists missing", srcIfExists, `{"ArnLikeIfExists":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}`, true),
		condCase("ArnLikeIfExists present other", srcIfExists, `{"ArnLikeIfExists":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/eu.*"}}`, false, KeyInferenceProfileArn, usProfARN),
		// IfExists on the string family.
		condCase("StringEqualsIfExists missing", srcIfExists, `{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}`, true),
		condCase("StringEqualsIfExists present other", srcIfExists, `{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}`, false, KeyRequestedRegion, "us-east-1"),
		condCase("StringLikeIfExists present match", srcIfExists, `{"StringLikeIfExists":{"aws:RequestedRegion":"us-*"}}`, true, KeyRequestedRegion, "us-east-1"),
		condCase("StringEqualsIgnoreCaseIfExists missing", srcIfExists, `{"StringEqualsIgnoreCaseIfExists":{"aws:RequestedRegion":"X"}}`, true),
		condCase("StringNotEqualsIfExists present same", srcIfExists, `{"StringNotEqualsIfExists":{"aws:RequestedRegion":"us-east-1"}}`, false, KeyRequestedRegion, "us-east-1"),
		// Null.
		condCase("Null true, key absent", srcNull, `{"Null":{"aws:SourceIp":"true"}}`, true),
		condCase("Null true, key present", srcNull, `{"Null":{"aws:SourceIp":"true"}}`, false, ip, "10.0.0.1"),
		condCase("Null false, key present", srcNull, `{"Null":{"aws:SourceIp":"false"}}`, true, ip, "10.0.0.1"),
		condCase("Null false, key absent", srcNull, `{"Null":{"aws:SourceIp":"false"}}`, false),
		// Set operators.
		condCase("ForAllValues subset", srcAllValues, `{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost"]}}`, true, tagk, "team", tagk, "cost"),
		condCase("ForAllValues one outside", srcAllValues, `{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost"]}}`, false, tagk, "team", tagk, "owner"),
		condCase("ForAllValues no key", srcAllValues, `{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}`, true),
		condCase("ForAllValues an empty string", srcAllValuesNull, `{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}`, true, tagk, ""),
		condCase("ForAnyValue an empty string", srcAnyValue, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`, false, tagk, ""),
		condCase("ForAllValues StringLike", srcAllValues, `{"ForAllValues:StringLike":{"aws:TagKeys":["t*"]}}`, true, tagk, "team", tagk, "tier"),
		condCase("ForAllValues IfExists no key", srcAllValues, `{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":["team"]}}`, true),
		condCase("ForAllValues negated", srcAllValues, `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, true, tagk, "team", tagk, "cost"),
		condCase("ForAllValues negated hit", srcAllValues, `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, false, tagk, "team", tagk, "secret"),
		condCase("ForAnyValue one matches", srcAnyValue, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`, true, tagk, "owner", tagk, "team"),
		condCase("ForAnyValue none matches", srcAnyValue, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`, false, tagk, "owner"),
		condCase("ForAnyValue no key", srcAnyValue, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`, false),
		condCase("ForAnyValue IfExists no key, as reported", srcAnyIfEx, `{"ForAnyValue:ArnEqualsIfExists":{"aws:SourceArn":["arn:aws:iam::123456789012:role/*"]}}`, false),
		condCase("ForAnyValue StringEqualsIfExists no key, as reported", srcAnyIfEx, `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["team"]}}`, false),
		condCase("ForAnyValue IpAddress", srcAnyValue, `{"ForAnyValue:IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}`, true, ip, "10.0.0.1"),
		condCase("ForAnyValue NumericLessThan", srcAnyValue, `{"ForAnyValue:NumericLessThan":{"x:n":["5"]}}`, true, "x:n", "9", "x:n", "3"),
		condCase("ForAnyValue negated", srcAnyValue, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team"]}}`, true, tagk, "team", tagk, "cost"),
		// Logic of several keys, operators and values.
		condCase("operators AND, one fails", srcAnd, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, false, KeyRequestedRegion, "us-east-1", mfa, "false"),
		condCase("operators AND, both hold", srcAnd, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, true, KeyRequestedRegion, "us-east-1", mfa, "true"),
		condCase("keys of one operator AND", srcAnd, `{"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:PrincipalTag/team":"ml"}}`, false, KeyRequestedRegion, "us-east-1", team, "web"),
		condCase("values OR", srcOr, `{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}`, true, KeyRequestedRegion, "us-east-1"),
		condCase("key names are case-insensitive", srcKeyCase, `{"StringEquals":{"AWS:REQUESTEDREGION":"us-east-1"}}`, true, KeyRequestedRegion, "us-east-1"),
		// Policy variables in condition values.
		condCase("variable in StringEquals", srcVarCond, `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, true, "aws:ResourceTag/team", "ml", team, "ml"),
		condCase("variable in StringEquals differs", srcVarCond, `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, false, "aws:ResourceTag/team", "web", team, "ml"),
		condCase("variable in StringLike with a wildcard", srcVarCond, `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, true, "s3:prefix", "home/alice/docs", "aws:username", "alice"),
		condCase("variable in ArnLike", srcVarCond, `{"ArnLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:${aws:PrincipalAccount}:inference-profile/*"}}`, true, KeyInferenceProfileArn, usProfARN),
		condCase("variable without value matches nothing", srcVarNone, `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`, false, "aws:ResourceTag/team", ""),
		condCase("variable default used", srcVarDefault, `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team, 'company-wide'}"}}`, true, "aws:ResourceTag/team", "company-wide"),
		condCase("variable default not used when set", srcVarDefault, `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team, 'company-wide'}"}}`, false, "aws:ResourceTag/team", "company-wide", team, "ml"),
		condCase("variable default with a doubled quote", srcVarDefault, `{"StringEquals":{"x:k":"${aws:PrincipalTag/team, 'o''brien'}"}}`, true, "x:k", "o'brien"),
		condCase("${*} is a literal star", srcVarSpecial, `{"StringLike":{"x:k":"a${*}b"}}`, true, "x:k", "a*b"),
		condCase("${*} is not a wildcard", srcVarSpecial, `{"StringLike":{"x:k":"a${*}b"}}`, false, "x:k", "axyzb"),
		condCase("${?} is a literal question mark", srcVarSpecial, `{"StringEquals":{"x:k":"why${?}"}}`, true, "x:k", "why?"),
		condCase("${$} is a literal dollar", srcVarSpecial, `{"StringEquals":{"x:k":"${$}{x}"}}`, true, "x:k", "${x}"),
		condCase("a wildcard in a substituted value is literal", srcVarCond, `{"StringLike":{"x:k":"${aws:username}"}}`, false, "x:k", "alice", "aws:username", "a*"),
		condCase("variables are not resolved in Numeric values", srcVarCond, `{"StringEquals":{"x:k":"${x:n}"}}`, true, "x:k", "5", "x:n", "5"),
		condCase("multi-valued key as a variable has no value", srcVarNone, `{"StringEquals":{"x:k":"${aws:TagKeys}"}}`, false, "x:k", "a", tagk, "a", tagk, "b"),
		// Resource element matching.
		resCase("segment wildcard", srcResWild, "arn:aws:bedrock:us-*::foundation-model/*", fm("us-west-2"), true),
		resCase("segment wildcard excludes", srcResWild, "arn:aws:bedrock:us-*::foundation-model/*", fm("eu-west-1"), false),
		resCase("question mark in a segment", srcResWild, "arn:aws:bedrock:us-east-?::foundation-model/*", fm("us-east-2"), true),
		resCase("question mark does not match a colon", srcResWild, "arn:aws:bedrock:us-east-1?:foundation-model/*", fm("us-east-1"), false),
		resCase("star ending a segment runs past colons", srcResSpan, "arn:aws:bedrock:us-east-1:*", usProfARN, true),
		resCase("documented finance pattern in Resource spans colons", srcResSpan, "arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-1:444455556666:x:111122223333:finance/report", true),
		resCase("star inside a segment stops at a colon", srcResWild, "arn:aws:bedrock:us*1::foundation-model/*", "arn:aws:bedrock:us-east-1:x:1::foundation-model/m", false),
		resCase("star crosses slashes", srcResSlash, "arn:aws:bedrock:*:*:inference-profile/*", usProfARN, true),
		resCase("trailing star covers the model :0", srcResSpan, "arn:aws:bedrock:*::foundation-model/anthropic.*", haiku, true),
		resCase("star before :0 stays in its segment", srcResWild, "arn:aws:bedrock:*::foundation-model/anthropic.*:0", haiku, true),
		resCase("no :0 wildcard, no match", srcResWild, "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1", haiku, false),
		resCase("star not last in its segment cannot eat the :0", srcResWild, "arn:aws:bedrock:*::foundation-model/*-v1", haiku, false),
		resCase("star ending the first model segment spans the :0", srcResSpan, "arn:aws:bedrock:*::foundation-model/*-v1*", haiku, true),
		resCase("region star matches the empty Region", srcResWild, "arn:aws:bedrock:*::foundation-model/*", fm(""), true),
		resCase("resource is case-sensitive", srcResCase, "arn:aws:bedrock:*::foundation-model/Anthropic.*", haiku, false),
		resCase("wildcard in a Bedrock resource type matches as any other", srcResSlash, "arn:aws:bedrock:*::*-model/*", haiku, true),
		resCase("wildcard in a Bedrock resource type, profile", srcResSlash, "arn:aws:bedrock:*:*:*inference-profile/*", usProfARN, true),
		resCase("wildcard in a Bedrock resource type, other type", srcResSlash, "arn:aws:bedrock:*:*:*inference-profile/*", haiku, false),
		resCase("variable in the resource part", srcVarRes, "arn:aws:bedrock:*:*:application-inference-profile/${aws:PrincipalTag/team}-*", "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/ml-abc", true, team, "ml"),
		resCase("variable in the resource part, other value", srcVarRes, "arn:aws:bedrock:*:*:application-inference-profile/${aws:PrincipalTag/team}-*", "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/web-abc", false, team, "ml"),
		resCase("variable before the fifth colon is refused", srcVarRes, "arn:aws:bedrock:${aws:RequestedRegion}::foundation-model/*", fm("us-east-1"), false, KeyRequestedRegion, "us-east-1"),
		resCase("variable without value in Resource matches nothing", srcVarNone, "arn:aws:bedrock:*:*:application-inference-profile/${aws:PrincipalTag/team}", "arn:aws:bedrock:us-east-1:1:application-inference-profile/", false),
		resCase("variable default in Resource", srcVarDefault, "arn:aws:bedrock:*:*:application-inference-profile/${aws:PrincipalTag/team, 'shared'}", "arn:aws:bedrock:us-east-1:1:application-inference-profile/shared", true),
		{name: "aws:username from an IAM user principal", src: srcVarCond, identity: []string{stmt("Allow", `"Action":"*"`, `"Resource":"arn:aws:bedrock:*:*:application-inference-profile/${aws:username}"`, "")}, req: req(invoke, "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/alice"), want: Allowed},
		{name: "Version 2008-10-17: a variable in a condition is text", src: srcVarOldVer, identity: []string{v2008(allowIf(`{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`)[0])}, req: req(invoke, fm("us-east-1"), "aws:ResourceTag/team", "ml", team, "ml"), want: ImplicitDenyIdentity},
		{name: "Version 2008-10-17: the text itself matches", src: srcVarOldVer, identity: []string{v2008(allowIf(`{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`)[0])}, req: req(invoke, fm("us-east-1"), "aws:ResourceTag/team", "${aws:PrincipalTag/team}", team, "ml"), want: Allowed},
		{name: "no Version: a variable in a condition is text", src: srcVarOldVer, identity: []string{noVersion(allowIf(`{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}`)[0])}, req: req(invoke, fm("us-east-1"), "aws:ResourceTag/team", "ml", team, "ml"), want: ImplicitDenyIdentity},
		{name: "no Version: a variable in Resource is text", src: srcVarOldVer, identity: []string{noVersion(stmt("Allow", `"Action":"*"`, `"Resource":"arn:aws:bedrock:*:*:application-inference-profile/${aws:PrincipalTag/team}-*"`, ""))}, req: req(invoke, "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/ml-abc", team, "ml"), want: ImplicitDenyIdentity},
		{name: "aws:username is text under Version 2008-10-17", src: srcVarOldVer, identity: []string{v2008(stmt("Allow", `"Action":"*"`, `"Resource":"arn:aws:bedrock:*:*:application-inference-profile/${aws:username}"`, ""))}, req: req(invoke, "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/alice"), want: ImplicitDenyIdentity},
		{name: "Version 2008-10-17: a Deny with a variable in ArnNotLike is text", src: srcVarOldVer, identity: []string{allowAll, v2008(stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:${aws:PrincipalAccount}:inference-profile/*"}}`))}, req: req(invoke, fm("us-east-1"), KeyInferenceProfileArn, usProfARN), want: ExplicitDenyIdentity},
		// The principal keys of an assumed-role session (principal is
		// arn:aws:sts::111122223333:assumed-role/app/session).
		condCase("aws:PrincipalArn of a role session is the role's ARN", srcPrincArn, `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app"}}`, true),
		condCase("aws:PrincipalArn of a role session is not the session's ARN", srcPrincArn, `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:sts::111122223333:assumed-role/app/session"}}`, false),
		{name: "a Deny sparing the platform role spares its sessions", src: srcPrincArn, identity: []string{allowAll, stmt("Deny", `"Action":"bedrock:*"`, `"Resource":"*"`, `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app"}}`)}, req: req(invoke, fm("us-east-1")), want: Allowed},
		{name: "a Deny sparing another role denies", src: srcPrincArn, identity: []string{allowAll, stmt("Deny", `"Action":"bedrock:*"`, `"Resource":"*"`, `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ml-*"}}`)}, req: req(invoke, fm("us-east-1")), want: ExplicitDenyIdentity},
		// Layers.
		{name: "explicit deny beats allow", src: srcDenyWins, identity: []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`)}, req: req(invoke, fm("us-east-1"), ip, "10.0.0.1"), want: ExplicitDenyIdentity},
		{name: "no statement: implicit deny", src: srcDefault, req: req(invoke, fm("us-east-1")), want: ImplicitDenyIdentity},
		{name: "boundary allows too", src: srcBoundary, identity: []string{allowAll}, boundary: stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"*"`, ""), req: req(invoke, fm("us-east-1")), want: Allowed},
		{name: "boundary does not cover the action", src: srcBoundary, identity: []string{allowAll}, boundary: stmt("Allow", `"Action":"s3:*"`, `"Resource":"*"`, ""), req: req(invoke, fm("us-east-1")), want: ImplicitDenyBoundary},
		{name: "boundary alone grants nothing", src: srcBoundary, boundary: allowAll, req: req(invoke, fm("us-east-1")), want: ImplicitDenyIdentity},
		{name: "boundary deny", src: srcBoundDeny, identity: []string{allowAll}, boundary: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"bedrock:*","Resource":"arn:aws:bedrock:::foundation-model/*"}]}`, req: req(invoke, fm("")), want: ExplicitDenyBoundary},
		{name: "boundary with Region condition", src: srcBoundary, identity: []string{allowAll}, boundary: stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}`), req: req(invoke, fm("us-east-2"), KeyRequestedRegion, "us-east-2"), want: ImplicitDenyBoundary},
		{name: "session policy narrows", src: srcSession, identity: []string{allowAll}, session: []string{stmt("Allow", `"Action":"bedrock:InvokeModel"`, `"Resource":"arn:aws:bedrock:us-east-1::foundation-model/*"`, "")}, req: req(invoke, fm("us-west-2")), want: ImplicitDenySession},
		{name: "session policy allows", src: srcSession, identity: []string{allowAll}, session: []string{stmt("Allow", `"Action":"bedrock:InvokeModel"`, `"Resource":"arn:aws:bedrock:us-*::foundation-model/*"`, "")}, req: req(invoke, fm("us-west-2")), want: Allowed},
		{name: "session policy grants nothing alone", src: srcSession, session: []string{allowAll}, req: req(invoke, fm("us-west-2")), want: ImplicitDenyIdentity},
		{name: "session policy deny", src: srcDenyWins, identity: []string{allowAll}, session: []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, "")}, req: req(invoke, fm("us-west-2")), want: ExplicitDenySession},
		{name: "SCP every level must allow", src: srcSCPLevels, identity: []string{allowAll}, scps: [][]string{{scpAllowAll}, {scpAllowAll}, {stmt("Allow", `"Action":"s3:*"`, `"Resource":"*"`, "")}}, req: req(invoke, fm("us-east-1")), want: ImplicitDenySCP},
		{name: "SCP levels all allow", src: srcSCPLevels, identity: []string{allowAll}, scps: [][]string{{scpAllowAll}, {scpAllowAll}}, req: req(invoke, fm("us-east-1")), want: Allowed},
		{name: "SCP deny beats boundary allow", src: srcDenyWins, identity: []string{allowAll}, boundary: allowAll, scps: [][]string{{scpAllowAll, scpRegionAllowList}}, req: req(invoke, fm("eu-west-1"), KeyRequestedRegion, "eu-west-1"), want: ExplicitDenySCP},
		{name: "profile key absent on the profile evaluation", src: srcGeoKey, identity: []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"*"`, `{"Null":{"bedrock:InferenceProfileArn":"false"}}`)}, req: req(invoke, usProfARN, KeyRequestedRegion, "us-east-1"), want: ImplicitDenyIdentity},
	}
	return cs
}

func TestDocumentedBehaviour(t *testing.T) {
	cases := docCases()
	if len(cases) < 150 {
		t.Fatalf("only %d documented cases; the table must hold at least 150", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.src.url == "" || c.src.quote == "" {
				t.Fatal("a case must name the documentation it follows")
			}
			p := Principal{ARN: principal, Identity: partialPolicies(t, c.identity...)}
			if strings.HasPrefix(c.name, "aws:username") {
				p.ARN = "arn:aws:iam::111122223333:user/division/alice"
			}
			for _, level := range c.scps {
				p.SCPs = append(p.SCPs, partialPolicies(t, level...))
			}
			if c.boundary != "" {
				p.Boundary = partialPolicies(t, c.boundary)[0]
			}
			p.Session = partialPolicies(t, c.session...)
			d := p.Evaluate(c.req)
			if d.Reason != c.want {
				t.Errorf("got %v (%s %s), want %v\nper %s: %q", d.Reason, d.Policy, d.Statement, c.want, c.src.url, c.src.quote)
			}
		})
	}
}

// partialPolicies parses like preflight does: statements it cannot read
// are left out (and reported), the rest evaluated.
func partialPolicies(t *testing.T, docs ...string) []*Policy {
	t.Helper()
	var out []*Policy
	for i, d := range docs {
		p, err := ParsePolicyPartial("policy"+string(rune('A'+i)), []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// Refused statements are reported with the file and index, and the other
// statements still count.
func TestPartialParseReportsAndEvaluatesTheRest(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"Odd","Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringFooBar":{"x":"y"}}},
	 {"Effect":"Allow","Action":"bedrock:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
	 {"Effect":"Allow","Action":"bedrock:*","Resource":"*","Condition":{"NullIfExists":{"x":"true"}}}]}`
	p, err := ParsePolicyPartial("role.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Invalid) != 2 || p.Invalid[0].Index != 0 || p.Invalid[0].Sid != "Odd" || p.Invalid[1].Index != 2 {
		t.Fatalf("invalid: %+v", p.Invalid)
	}
	if got := p.Invalid[1].Error(); !strings.HasPrefix(got, "role.json:4:70: Statement[2]: ") {
		t.Errorf("error names file, place and index: %s", got)
	}
	if got := p.Invalid[1].Error(); !strings.Contains(got, "IfExists cannot be added to Null") {
		t.Errorf("NullIfExists refused for another reason: %s\nper %s: %q", got, srcNoNullIf.url, srcNoNullIf.quote)
	}
	pr := Principal{Identity: []*Policy{p}}
	if d := pr.Evaluate(req(invoke, fm("us-east-1"), ip, "10.2.3.4")); !d.Allowed() || d.Statement != "Statement[1]" {
		t.Errorf("the readable statement still allows: %+v", d)
	}
	if _, err := ParsePolicy("role.json", []byte(doc)); err == nil || !strings.Contains(err.Error(), `role.json:2:74: Statement[0] (Sid "Odd")`) {
		t.Errorf("strict parse: %v", err)
	}
}

// Conditions on keys the run does not supply are evaluated both ways.
func TestConditionalDecisions(t *testing.T) {
	partial := func(r Request, absent ...string) Request { r.Partial, r.Absent = true, absent; return r }
	tests := []struct {
		name     string
		src      source
		identity []string
		req      Request
		allowed  bool
		cond     bool
		when     string
	}{
		{"allow only from a network", srcIP, allowIf(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), partial(req(invoke, fm("us-east-1"))), false, true, "allowed only when aws:SourceIp is in 10.0.0.0/8"},
		{"supplied value decides", srcIP, allowIf(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), partial(req(invoke, fm("us-east-1"), ip, "10.0.0.9")), true, false, ""},
		{"supplied value outside decides", srcIP, allowIf(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), partial(req(invoke, fm("us-east-1"), ip, "192.0.2.1")), false, false, ""},
		{"deny without MFA", srcBool, []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`)}, partial(req(invoke, fm("us-east-1"))), false, true, "denied whenever aws:MultiFactorAuthPresent is false (or is absent)"},
		{"deny outside office hours", srcDate, []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"DateGreaterThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}`)}, partial(req(invoke, fm("us-east-1"))), false, true, "denied whenever aws:CurrentTime is after 2027-01-01T00:00:00Z"},
		{"two unknown conditions", srcAnd, allowIf(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`), partial(req(invoke, fm("us-east-1"))), false, true, "allowed only when aws:SourceIp is in 10.0.0.0/8 and aws:MultiFactorAuthAge < 3600"},
		{"unknown condition on a statement that does not apply", srcIP, []string{allowAll, stmt("Deny", `"Action":"s3:*"`, `"Resource":"*"`, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`)}, partial(req(invoke, fm("us-east-1"))), true, false, ""},
		{"definite allow wins over a maybe", srcIP, []string{allowAll, stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`)}, partial(req(invoke, fm("us-east-1"))), true, false, ""},
		{"known-absent key is absent", srcGeoKey, allowIf(`{"Null":{"bedrock:InferenceProfileArn":"false"}}`), partial(req(invoke, usProfARN), KeyInferenceProfileArn), false, false, ""},
		{"unknown variable in Resource", srcVarRes, []string{stmt("Allow", `"Action":"*"`, `"Resource":"arn:aws:bedrock:*:*:application-inference-profile/${aws:PrincipalTag/team}-*"`, "")}, partial(req(invoke, "arn:aws:bedrock:us-east-1:1:application-inference-profile/ml-x")), false, true, "allowed only when aws:PrincipalTag/team makes the resource match"},
		{"two ways to be allowed", srcIP, []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)}, partial(req(invoke, fm("us-east-1"))), false, true, "allowed only when aws:SourceIp is in 10.0.0.0/8, or when aws:MultiFactorAuthPresent is true"},
		{"unknown variable in a condition value", srcVarCond, allowIf(`{"StringEquals":{"aws:RequestedRegion":"${aws:PrincipalTag/home}"}}`), partial(req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1")), false, true, "allowed only when aws:RequestedRegion is ${aws:PrincipalTag/home}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Principal{ARN: principal, Identity: partialPolicies(t, tc.identity...)}
			d := p.Evaluate(tc.req)
			if d.Allowed() != tc.allowed || d.Conditional != tc.cond || !strings.HasPrefix(d.When, tc.when) {
				t.Errorf("got allowed=%v conditional=%v when=%q unknown=%v, want %v %v %q\nper %s: %q", d.Allowed(), d.Conditional, d.When, d.Unknown, tc.allowed, tc.cond, tc.when, tc.src.url, tc.src.quote)
			}
			if tc.cond && (d.Best != Allowed || len(d.Unknown) == 0) {
				t.Errorf("a conditional denial is allowed at best and names its keys: %+v", d)
			}
		})
	}
}
