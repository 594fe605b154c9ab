package iam

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	acct       = "111122223333"
	sonnet45   = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	usProfile  = "us." + sonnet45
	usProfARN  = "arn:aws:bedrock:us-east-1:" + acct + ":inference-profile/" + usProfile
	glProfile  = "global." + sonnet45
	glProfARN  = "arn:aws:bedrock:us-east-1:" + acct + ":inference-profile/" + glProfile
	principal  = "arn:aws:sts::" + acct + ":assumed-role/app/session"
	invoke     = "bedrock:InvokeModel"
	invokeStrm = "bedrock:InvokeModelWithResponseStream"
)

func fm(region string) string { return "arn:aws:bedrock:" + region + "::foundation-model/" + sonnet45 }

// The documented geographic policy (regions-iam §3.2).
const geoPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"GrantGeoCrisInferenceProfileAccess","Effect":"Allow","Action":"bedrock:InvokeModel",
  "Resource":["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0"]},
 {"Sid":"GrantGeoCrisModelAccess","Effect":"Allow","Action":"bedrock:InvokeModel",
  "Resource":["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
              "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
              "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"],
  "Condition":{"StringEquals":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0"}}}]}`

// The documented global three-part policy (regions-iam §3.3).
const globalPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"GrantGlobalCrisInferenceProfileRegionAccess","Effect":"Allow","Action":"bedrock:InvokeModel",
  "Resource":["arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0"],
  "Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
 {"Sid":"GrantGlobalCrisInferenceProfileInRegionModelAccess","Effect":"Allow","Action":"bedrock:InvokeModel",
  "Resource":["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"],
  "Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1",
    "bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0"}}},
 {"Sid":"GrantGlobalCrisInferenceProfileGlobalModelAccess","Effect":"Allow","Action":"bedrock:InvokeModel",
  "Resource":["arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"],
  "Condition":{"StringEquals":{"aws:RequestedRegion":"unspecified",
    "bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0"}}}]}`

// The broad documented prerequisite policy.
const broadPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel*","bedrock:CreateInferenceProfile"],
 "Resource":["arn:aws:bedrock:*::foundation-model/*","arn:aws:bedrock:*:*:inference-profile/*","arn:aws:bedrock:*:*:application-inference-profile/*"]}]}`

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// AWS sample: deny outside approved Regions, carving out CRIS (Region-controls/...Bedrock-CRIS.json).
const scpRegionDenyCRIS = `{"Version":"2012-10-17","Statement":[
 {"Sid":"DenyAllOutsideApproved","Effect":"Deny",
  "NotAction":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream","bedrock:CreateModelInvocationJob","iam:*"],
  "Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}},
 {"Sid":"DenyInvokeOutsideApprovedUnlessUSProfile","Effect":"Deny",
  "Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream","bedrock:CreateModelInvocationJob"],
  "Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]},
   "ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}}]}`

// A plain Region allow-list SCP (Control Tower style), without "unspecified".
const scpRegionAllowList = `{"Version":"2012-10-17","Statement":[{"Sid":"GRREGIONDENY","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
 "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-2"]}}}]}`

// The same with "unspecified" added: the documented way to enable global CRIS.
const scpRegionAllowListGlobal = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
 "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-2","unspecified"]}}}]}`

// The documented way to disable global CRIS.
const scpDenyGlobal = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*",
 "Condition":{"StringEquals":{"aws:RequestedRegion":"unspecified"},"ArnLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/global.*"}}}]}`

// AWS "DenyNonUSGeographicCRIS": Null on the profile key.
const scpDenyNonUS = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyNonUSGeographicCRIS","Effect":"Deny","Action":"bedrock:*","Resource":"*",
 "Condition":{"Null":{"bedrock:InferenceProfileArn":"false"},"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}}]}`

const scpAllowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func policies(t *testing.T, docs ...string) []*Policy {
	t.Helper()
	var out []*Policy
	for i, d := range docs {
		p, err := ParsePolicy("policy"+string(rune('A'+i)), []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func req(action, resource string, kv ...string) Request {
	ctx := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		ctx[kv[i]] = append(ctx[kv[i]], kv[i+1])
	}
	return Request{Action: action, Resource: resource, Context: ctx}
}

func stmt(effect, action, resource, cond string) string {
	s := `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `",` + action + `,` + resource
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + `}]}`
}

func TestEvaluate(t *testing.T) {
	type tc struct {
		name     string
		identity []string
		scps     [][]string
		req      Request
		want     Reason
		reason   string
	}
	region := func(r string) string { return r }
	var cases = []tc{
		// Documented geographic policy.
		{"geo/profile", []string{geoPolicy}, nil, req(invoke, usProfARN, KeyRequestedRegion, "us-east-1"), Allowed, "statement 1 names the profile"},
		{"geo/source model via profile", []string{geoPolicy}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1", KeyInferenceProfileArn, usProfARN), Allowed, "statement 2, key present"},
		{"geo/destination us-east-2", []string{geoPolicy}, nil, req(invoke, fm("us-east-2"), KeyRequestedRegion, "us-east-2", KeyInferenceProfileArn, usProfARN), Allowed, "every destination listed"},
		{"geo/destination us-west-2", []string{geoPolicy}, nil, req(invoke, fm("us-west-2"), KeyRequestedRegion, "us-west-2", KeyInferenceProfileArn, usProfARN), Allowed, "every destination listed"},
		{"geo/destination not listed", []string{geoPolicy}, nil, req(invoke, fm("us-west-1"), KeyRequestedRegion, "us-west-1", KeyInferenceProfileArn, usProfARN), ImplicitDenyIdentity, "us-west-1 is not in the Resource list"},
		{"geo/direct call, key absent", []string{geoPolicy}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1"), ImplicitDenyIdentity, "StringEquals on an absent key is false: the policy allows only calls through the profile"},
		{"geo/other profile in key", []string{geoPolicy}, nil, req(invoke, fm("us-east-2"), KeyInferenceProfileArn, "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.other"), ImplicitDenyIdentity, "condition value differs"},
		{"geo/stream action not granted", []string{geoPolicy}, nil, req(invokeStrm, usProfARN), ImplicitDenyIdentity, "the policy names only InvokeModel"},
		{"geo/profile in other region", []string{geoPolicy}, nil, req(invoke, "arn:aws:bedrock:us-west-2:111122223333:inference-profile/"+usProfile), ImplicitDenyIdentity, "ARN region differs"},
		// Documented global three-part policy.
		{"global/profile", []string{globalPolicy}, nil, req(invoke, glProfARN, KeyRequestedRegion, "us-east-1"), Allowed, "statement 1"},
		{"global/source model", []string{globalPolicy}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1", KeyInferenceProfileArn, glProfARN), Allowed, "statement 2"},
		{"global/region-less model", []string{globalPolicy}, nil, req(invoke, fm(""), KeyRequestedRegion, "unspecified", KeyInferenceProfileArn, glProfARN), Allowed, "statement 3, unspecified"},
		{"global/region-less model with a real region", []string{globalPolicy}, nil, req(invoke, fm(""), KeyRequestedRegion, "us-east-1", KeyInferenceProfileArn, glProfARN), ImplicitDenyIdentity, "statement 3 wants unspecified"},
		{"global/profile from another region", []string{globalPolicy}, nil, req(invoke, glProfARN, KeyRequestedRegion, "eu-west-1"), ImplicitDenyIdentity, "RequestedRegion condition"},
		{"global/profile key absent on model", []string{globalPolicy}, nil, req(invoke, fm(""), KeyRequestedRegion, "unspecified"), ImplicitDenyIdentity, "both keys are required"},
		{"global/regional destination not granted", []string{globalPolicy}, nil, req(invoke, fm("eu-west-1"), KeyRequestedRegion, "eu-west-1", KeyInferenceProfileArn, glProfARN), ImplicitDenyIdentity, "only the region-less ARN is granted"},
		// Broad prerequisite policy and wildcards.
		{"broad/regional model", []string{broadPolicy}, nil, req(invoke, fm("eu-west-3")), Allowed, "* region"},
		{"broad/region-less model", []string{broadPolicy}, nil, req(invoke, fm("")), Allowed, "* matches the empty region segment"},
		{"broad/stream via InvokeModel*", []string{broadPolicy}, nil, req(invokeStrm, fm("us-east-1")), Allowed, "action wildcard"},
		{"broad/bidirectional via InvokeModel*", []string{broadPolicy}, nil, req("bedrock:InvokeModelWithBidirectionalStream", fm("us-east-1")), Allowed, "InvokeModel* also matches it"},
		{"broad/profile", []string{broadPolicy}, nil, req(invoke, usProfARN), Allowed, "*:* region and account"},
		{"broad/application profile", []string{broadPolicy}, nil, req(invoke, "arn:aws:bedrock:us-west-2:637423213562:application-inference-profile/hq2of259skzs"), Allowed, "application profile pattern"},
		{"broad/other service", []string{broadPolicy}, nil, req("s3:GetObject", "arn:aws:s3:::bucket/key"), ImplicitDenyIdentity, "not a bedrock action"},
		{"broad/guardrail resource", []string{broadPolicy}, nil, req(invoke, "arn:aws:bedrock:us-east-1:111122223333:guardrail/abc"), ImplicitDenyIdentity, "resource type not listed"},
		{"wildcard/trailing star crosses colons", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us-east-1:*"`, "")}, nil, req(invoke, usProfARN), Allowed, "a * that ends a segment expands beyond the colon"},
		{"wildcard/bare service star", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:*"`, "")}, nil, req(invoke, fm("ap-south-1")), Allowed, "arn:aws:bedrock:* covers every bedrock ARN"},
		{"wildcard/inner star stays in segment", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us-*1::foundation-model/*"`, "")}, nil, req(invoke, fm("us-east-1")), Allowed, "us-*1 matches us-east-1"},
		{"wildcard/inner star cannot eat a colon", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us*t-1:foundation-model/*"`, "")}, nil, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "the * is inside a segment, so the empty account segment cannot vanish"},
		{"wildcard/us-* excludes eu", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us-*::foundation-model/*"`, "")}, nil, req(invoke, fm("eu-west-1")), ImplicitDenyIdentity, "region segment"},
		{"wildcard/question mark", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us-east-?::foundation-model/*"`, "")}, nil, req(invoke, fm("us-east-2")), Allowed, "? is one character"},
		{"wildcard/question mark is not a colon", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us-east-1?:foundation-model/*"`, "")}, nil, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "? does not cross segments"},
		{"wildcard/model id with colon", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:*::foundation-model/anthropic.*"`, "")}, nil, req(invoke, fm("us-east-1")), Allowed, "the last segment holds the :0 version"},
		{"wildcard/star resource", []string{allowAll}, nil, req(invoke, fm("")), Allowed, "* alone"},
		// Case-insensitive actions.
		{"case/lower action in policy", []string{stmt("Allow", `"Action":"bedrock:invokemodel"`, `"Resource":"*"`, "")}, nil, req(invoke, fm("us-east-1")), Allowed, "actions match case-insensitively"},
		{"case/upper service prefix", []string{stmt("Allow", `"Action":"BEDROCK:InvokeModel"`, `"Resource":"*"`, "")}, nil, req(invoke, fm("us-east-1")), Allowed, "prefix too"},
		{"case/mixed wildcard", []string{stmt("Allow", `"Action":"Bedrock:Invoke*"`, `"Resource":"*"`, "")}, nil, req(invokeStrm, fm("us-east-1")), Allowed, "wildcard and case"},
		{"case/resource is case-sensitive", []string{stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:US-EAST-1::foundation-model/*"`, "")}, nil, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "ARNs are case-sensitive"},
		// NotAction and NotResource.
		{"notaction/allow everything but iam", []string{stmt("Allow", `"NotAction":"iam:*"`, `"Resource":"*"`, "")}, nil, req(invoke, fm("us-east-1")), Allowed, "bedrock is not iam"},
		{"notaction/excludes", []string{stmt("Allow", `"NotAction":"bedrock:InvokeModel*"`, `"Resource":"*"`, "")}, nil, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "invoke is excluded"},
		{"notaction/deny all but list", []string{allowAll, stmt("Deny", `"NotAction":["bedrock:Get*","bedrock:List*"]`, `"Resource":"*"`, "")}, nil, req(invoke, fm("us-east-1")), ExplicitDenyIdentity, "NotAction in a Deny"},
		{"notaction/deny spares listed", []string{allowAll, stmt("Deny", `"NotAction":["bedrock:Get*","bedrock:List*"]`, `"Resource":"*"`, "")}, nil, req("bedrock:ListFoundationModels", "*"), Allowed, "listed action spared"},
		{"notresource/allow except global", []string{stmt("Allow", `"Action":"bedrock:*"`, `"NotResource":"arn:aws:bedrock:::foundation-model/*"`, "")}, nil, req(invoke, fm("us-east-1")), Allowed, "regional model is not excluded"},
		{"notresource/excluded", []string{stmt("Allow", `"Action":"bedrock:*"`, `"NotResource":"arn:aws:bedrock:::foundation-model/*"`, "")}, nil, req(invoke, fm("")), ImplicitDenyIdentity, "region-less excluded"},
		{"notresource/deny outside us", []string{allowAll, stmt("Deny", `"Action":"bedrock:*"`, `"NotResource":["arn:aws:bedrock:us-*"]`, "")}, nil, req(invoke, fm("eu-west-1")), ExplicitDenyIdentity, "eu is outside arn:aws:bedrock:us-*"},
		// Conditions, present and absent.
		{"cond/StringNotEquals absent key", []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`)}, nil, req(invoke, fm("us-east-1")), ExplicitDenyIdentity, "a negated operator on an absent key is true"},
		{"cond/StringNotEquals present", []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`)}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, region("us-east-1")), Allowed, "value matches, no deny"},
		{"cond/StringEqualsIfExists absent", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEqualsIfExists":{"bedrock:InferenceProfileArn":"x"}}`)}, nil, req(invoke, fm("us-east-1")), Allowed, "IfExists on an absent key is true"},
		{"cond/StringEqualsIfExists present", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEqualsIfExists":{"bedrock:InferenceProfileArn":"x"}}`)}, nil, req(invoke, fm("us-east-1"), KeyInferenceProfileArn, "y"), ImplicitDenyIdentity, "present and different"},
		{"cond/Null true", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"Null":{"bedrock:InferenceProfileArn":"true"}}`)}, nil, req(invoke, fm("us-east-1")), Allowed, "key absent"},
		{"cond/Null true present", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"Null":{"bedrock:InferenceProfileArn":"true"}}`)}, nil, req(invoke, fm("us-east-1"), KeyInferenceProfileArn, usProfARN), ImplicitDenyIdentity, "key present"},
		{"cond/Null as JSON bool", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"Null":{"bedrock:InferenceProfileArn":false}}`)}, nil, req(invoke, fm("us-east-1"), KeyInferenceProfileArn, usProfARN), Allowed, "false given as a JSON boolean"},
		{"cond/StringLike", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}}`)}, nil, req(invoke, fm("us-east-2"), KeyInferenceProfileArn, usProfARN), Allowed, "StringLike * crosses colons"},
		{"cond/StringNotLike absent", []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"StringNotLike":{"bedrock:InferenceProfileArn":"*us.*"}}`)}, nil, req(invoke, fm("us-east-1")), ExplicitDenyIdentity, "negated on absent key"},
		{"cond/ArnLike profile", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"ArnLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:us-east-1:*:inference-profile/*"}}`)}, nil, req(invoke, fm("us-east-2"), KeyInferenceProfileArn, usProfARN), Allowed, "ArnLike"},
		{"cond/ArnEquals with wildcard", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"ArnEquals":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:111122223333:inference-profile/us.*"}}`)}, nil, req(invoke, fm("us-east-2"), KeyInferenceProfileArn, usProfARN), Allowed, "ArnEquals takes wildcards too"},
		{"cond/ArnNotLike", []string{allowAll, stmt("Deny", `"Action":"*"`, `"Resource":"*"`, `{"ArnNotLike":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/eu.*"}}`)}, nil, req(invoke, fm("us-east-2"), KeyInferenceProfileArn, usProfARN), ExplicitDenyIdentity, "a us profile is not an eu one"},
		{"cond/key names are case-insensitive", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEquals":{"AWS:requestedregion":"us-east-1"}}`)}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1"), Allowed, "condition keys are case-insensitive"},
		{"cond/values are case-sensitive", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEquals":{"aws:RequestedRegion":"US-EAST-1"}}`)}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1"), ImplicitDenyIdentity, "StringEquals is case-sensitive"},
		{"cond/IgnoreCase", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEqualsIgnoreCase":{"aws:RequestedRegion":"US-EAST-1"}}`)}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1"), Allowed, "IgnoreCase"},
		{"cond/ForAnyValue absent", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}`)}, nil, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "ForAnyValue on an absent key is false"},
		{"cond/ForAllValues absent", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}`)}, nil, req(invoke, fm("us-east-1")), Allowed, "ForAllValues on an absent key is true"},
		{"cond/ForAnyValue present", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team","cost"]}}`)}, nil, req(invoke, fm("us-east-1"), "aws:TagKeys", "owner", "aws:TagKeys", "cost"), Allowed, "one value matches"},
		{"cond/ForAllValues one outside", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost"]}}`)}, nil, req(invoke, fm("us-east-1"), "aws:TagKeys", "owner", "aws:TagKeys", "cost"), ImplicitDenyIdentity, "owner is not allowed"},
		{"cond/two operators AND", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"Null":{"bedrock:InferenceProfileArn":"false"}}`)}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1"), ImplicitDenyIdentity, "operators are ANDed"},
		{"cond/values OR", []string{stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}`)}, nil, req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1"), Allowed, "values are ORed"},
		// Deny precedence and SCP layers.
		{"deny/explicit beats allow", []string{allowAll, stmt("Deny", `"Action":"bedrock:InvokeModel"`, `"Resource":"arn:aws:bedrock:*:*:inference-profile/global.*"`, "")}, nil, req(invoke, glProfARN), ExplicitDenyIdentity, "explicit deny wins"},
		{"deny/no policy at all", nil, nil, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "default deny"},
		{"scp/region allow-list blocks destination", []string{allowAll}, [][]string{{scpAllowAll, scpRegionAllowList}}, req(invoke, fm("eu-west-1"), KeyRequestedRegion, "eu-west-1", KeyInferenceProfileArn, usProfARN), ExplicitDenySCP, "eu-west-1 not approved"},
		{"scp/region allow-list passes destination", []string{allowAll}, [][]string{{scpAllowAll, scpRegionAllowList}}, req(invoke, fm("us-west-2"), KeyRequestedRegion, "us-west-2"), Allowed, "approved region"},
		{"scp/allow-list without unspecified blocks global", []string{allowAll}, [][]string{{scpAllowAll, scpRegionAllowList}}, req(invoke, fm(""), KeyRequestedRegion, "unspecified", KeyInferenceProfileArn, glProfARN), ExplicitDenySCP, "the documented global pitfall"},
		{"scp/allow-list with unspecified passes global", []string{allowAll}, [][]string{{scpAllowAll, scpRegionAllowListGlobal}}, req(invoke, fm(""), KeyRequestedRegion, "unspecified", KeyInferenceProfileArn, glProfARN), Allowed, "documented fix"},
		{"scp/CRIS carve-out allows us profile route", []string{allowAll}, [][]string{{scpAllowAll, scpRegionDenyCRIS}}, req(invoke, fm("us-east-2"), KeyRequestedRegion, "us-east-2", KeyInferenceProfileArn, usProfARN), Allowed, "ArnNotLike spares us.* profiles"},
		{"scp/CRIS carve-out blocks direct call", []string{allowAll}, [][]string{{scpAllowAll, scpRegionDenyCRIS}}, req(invoke, fm("us-east-2"), KeyRequestedRegion, "us-east-2"), ExplicitDenySCP, "absent key: ArnNotLike true"},
		{"scp/CRIS carve-out blocks other actions", []string{allowAll}, [][]string{{scpAllowAll, scpRegionDenyCRIS}}, req("bedrock:ListFoundationModels", "*", KeyRequestedRegion, "eu-west-1"), ExplicitDenySCP, "NotAction deny"},
		{"scp/deny global", []string{allowAll}, [][]string{{scpAllowAll, scpDenyGlobal}}, req(invoke, fm(""), KeyRequestedRegion, "unspecified", KeyInferenceProfileArn, glProfARN), ExplicitDenySCP, "documented global disable"},
		{"scp/deny global spares geo", []string{allowAll}, [][]string{{scpAllowAll, scpDenyGlobal}}, req(invoke, fm("us-east-2"), KeyRequestedRegion, "us-east-2", KeyInferenceProfileArn, usProfARN), Allowed, "geo profile"},
		{"scp/deny non-us profile", []string{allowAll}, [][]string{{scpAllowAll, scpDenyNonUS}}, req(invoke, fm("eu-west-3"), KeyInferenceProfileArn, "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.x"), ExplicitDenySCP, "Null false + ArnNotLike"},
		{"scp/deny non-us spares direct", []string{allowAll}, [][]string{{scpAllowAll, scpDenyNonUS}}, req(invoke, fm("eu-west-3")), Allowed, "Null false fails on an absent key"},
		{"scp/level without allow", []string{allowAll}, [][]string{{scpAllowAll}, {stmt("Allow", `"Action":"s3:*"`, `"Resource":"*"`, "")}}, req(invoke, fm("us-east-1")), ImplicitDenySCP, "every level must allow"},
		{"scp/allows but identity does not", nil, [][]string{{scpAllowAll}}, req(invoke, fm("us-east-1")), ImplicitDenyIdentity, "SCPs never grant"},
		{"scp/explicit deny reported before identity deny", []string{stmt("Deny", `"Action":"*"`, `"Resource":"*"`, "")}, [][]string{{scpAllowAll, scpRegionAllowList}}, req(invoke, fm("eu-west-1"), KeyRequestedRegion, "eu-west-1"), ExplicitDenySCP, "SCP deny first"},
	}
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Principal{ARN: principal, Identity: policies(t, c.identity...)}
			for _, level := range c.scps {
				p.SCPs = append(p.SCPs, policies(t, level...))
			}
			d := p.Evaluate(c.req)
			if d.Reason != c.want {
				t.Errorf("%s: got %v (%s %s), want %v", c.reason, d.Reason, d.Policy, d.Statement, c.want)
			}
		})
	}
}

func TestDenialMessages(t *testing.T) {
	r := req(invokeStrm, fm("us-east-2"))
	tests := []struct {
		d    Decision
		want string
	}{
		{Decision{Request: r, Reason: ImplicitDenyIdentity},
			"User: " + principal + " is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45 + " because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action"},
		{Decision{Request: r, Reason: ExplicitDenySCP},
			"User: " + principal + " is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45 + " with an explicit deny in a service control policy"},
		{Decision{Request: r, Reason: ExplicitDenySCP, Policy: "arn:aws:organizations::000000000000:policy/o-abc/service_control_policy/p-123"},
			"User: " + principal + " is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45 + " with an explicit deny in a service control policy: arn:aws:organizations::000000000000:policy/o-abc/service_control_policy/p-123"},
		{Decision{Request: r, Reason: ExplicitDenyIdentity},
			"User: " + principal + " is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45 + " with an explicit deny in an identity-based policy"},
		{Decision{Request: r, Reason: ImplicitDenySCP},
			"User: " + principal + " is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45 + " because no service control policy allows the bedrock:InvokeModelWithResponseStream action"},
	}
	for _, tc := range tests {
		if got := tc.d.Message(principal); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func TestInvocationRequests(t *testing.T) {
	geo := Invocation{Action: invoke, Region: "us-east-1", Account: acct, Model: sonnet45, Profile: usProfile, Destinations: []string{"us-east-1", "us-east-2", "us-west-2"}}
	type row struct{ Role, Resource, Region, Profile string }
	rows := func(reqs []Request) []row {
		var out []row
		for _, r := range reqs {
			p := ""
			if v := r.Context[KeyInferenceProfileArn]; v != nil {
				p = v[0]
			}
			out = append(out, row{r.Role, r.Resource, r.Context[KeyRequestedRegion][0], p})
		}
		return out
	}
	want := []row{
		{RoleProfile, usProfARN, "us-east-1", ""},
		{RoleSourceModel, fm("us-east-1"), "us-east-1", usProfARN},
		{RoleDestinationModel, fm("us-east-2"), "us-east-2", usProfARN},
		{RoleDestinationModel, fm("us-west-2"), "us-west-2", usProfARN},
	}
	if diff := cmp.Diff(want, rows(geo.Requests())); diff != "" {
		t.Errorf("geo (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:2:2], rows(geo.RouteRequests("us-east-1"))); diff != "" {
		t.Errorf("route to the source (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]row{want[0], want[1], want[3]}, rows(geo.RouteRequests("us-west-2"))); diff != "" {
		t.Errorf("route to us-west-2 (-want +got):\n%s", diff)
	}
	global := Invocation{Action: invoke, Region: "us-east-1", Account: acct, Model: sonnet45, Profile: glProfile, Global: true, Destinations: []string{"us-east-1", "eu-west-1"}}
	wantGlobal := []row{
		{RoleProfile, glProfARN, "us-east-1", ""},
		{RoleSourceModel, fm("us-east-1"), "us-east-1", glProfARN},
		{RoleGlobalModel, fm(""), "unspecified", glProfARN},
	}
	if diff := cmp.Diff(wantGlobal, rows(global.Requests())); diff != "" {
		t.Errorf("global (-want +got):\n%s", diff)
	}
	direct := Invocation{Action: invoke, Region: "eu-west-2", Model: sonnet45}
	if diff := cmp.Diff([]row{{RoleModel, fm("eu-west-2"), "eu-west-2", ""}}, rows(direct.Requests())); diff != "" {
		t.Errorf("direct (-want +got):\n%s", diff)
	}
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}`, `p.json:1:25: Statement[0]: Effect must be Allow or Deny, not "Permit"`},
		{`{"Statement":[{"Effect":"Allow","Resource":"*"}]}`, `p.json:1:15: Statement[0]: needs exactly one of Action and NotAction`},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]}`, `p.json:1:15: Statement[0]: needs exactly one of Resource and NotResource`},
		{`{"Statement":[{"Effect":"Allow","Action":"InvokeModel","Resource":"*"}]}`, `p.json:1:42: Statement[0]: action "InvokeModel" needs a service prefix, like bedrock:InvokeModel`},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"x":"one"}}}]}`, `p.json:1:97: Statement[0]: Condition.NumericLessThan.x: "one" is not a number`},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"x":"true"}}}]}`, `p.json:1:74: Statement[0]: condition operator "NullIfExists": IfExists cannot be added to Null`},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringFoo":{"x":"1"}}}]}`, `p.json:1:74: Statement[0]: condition operator "StringFoo" is not an IAM condition operator`},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}]}`, `is not an IP address or CIDR block`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:bedrock:${aws:RequestedRegion}::foundation-model/x"}]}`, `policy variables are allowed only in the resource part`},
		{"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\n\"Resource\":\"\xff\"}]}", `p.json:2:13: invalid UTF-8 (byte 0xff at offset 58)`},
		{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"x":"1"}}}]}`, `unknown qualifier "ForSomeValues"`},
		{`{"Statement":"x"}`, `p.json: Statement: missing, or not an object or a list of objects`},
		// "IAM identifies JSON syntax errors"
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html):
		// so does the parser, with the line and column.
		{`not json`, `p.json:1:2: not a policy document`},
		{"{\"Version\":\"2012-10-17\",\n \"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\", \"Resource\":\"*\",}]}", `p.json:2:62: not a policy document: invalid character '}' looking for beginning of object key string: remove the comma before it`},
		{"{\"Version\":\"2012-10-17\",\n \"Statement\":\"x\", \"Version\": 5}", `p.json:2:30: not a policy document: Version: want a string, not a number`},
		{"{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]", `p.json:2:60: not a policy document: unexpected end of JSON input`},
		// "The principal_block element is required in resource-based
		// policies ... It must not be included in identity-based
		// policies" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"bedrock:*","Resource":"*"}]}`, `p.json:1:56: Statement[0]: Principal: only resource-based policies and trust policies name principals`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/breakglass"},"Action":"bedrock:*","Resource":"*"}]}`, `p.json:1:55: Statement[0]: NotPrincipal: only resource-based policies and trust policies name principals`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"bedrock:*","Resource":"*"}]}`, `("Has prohibited field Principal")`},
		// "Elements that must be literal strings are enclosed in double
		// quotation marks" and "Individual elements must not contain
		// multiple instances of the same key. For example, you cannot
		// include the Effect block twice in the same statement."
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*","Conditions":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`, `p.json:1:92: Statement[0]: Conditions is not a policy element (Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition are): IAM refuses the policy`},
		{`{"Version":"2012-10-17","Statement":[{"effect":"Allow","action":"bedrock:*","resource":"*"}]}`, `p.json:1:39: Statement[0]: effect must be spelled Effect: the names of policy elements are case-sensitive`},
		{`{"version":"2012-10-17","statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}`, `p.json:1:2: version must be spelled Version`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}],"Comment":"x"}`, `p.json:1:94: Comment is not a policy element (Version, Id, Statement are)`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*","Effect":"Deny"}]}`, `p.json:1:92: Statement[0]: Effect is given twice`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, `p.json:1:86: Statement is given twice`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"},"StringNotEquals":{"aws:PrincipalTag/team":"ml"}}}]}`, `p.json:1:158: Statement[0]: Condition.StringNotEquals is given twice`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1","aws:RequestedRegion":"us-west-2"}}}]}`, `p.json:1:157: Statement[0]: Condition.StringNotEquals.aws:RequestedRegion is given twice`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1","aws:requestedregion":"us-west-2"}}}]}`, `p.json:1:157: Statement[0]: Condition.StringNotEquals.aws:requestedregion is given twice`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"},"stringnotequals":{"aws:RequestedRegion":"us-west-2"}}}]}`, `condition operator "stringnotequals" is not an IAM condition operator`},
		// "<statement> = { <sid_block?>, <principal_block?>, <effect_block>,
		// <action_block>, <resource_block>, <condition_block?> }",
		// "<sid_block> = "Sid" : <sid_string>", "<effect_block> = "Effect" :
		// ("Allow" | "Deny")", "<action_block> = ("Action" | "NotAction") :
		// ("*" | <action_string> | [<action_string>, <action_string>, ...])"
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html):
		// an element of the wrong kind is named, in JSON's words; before,
		// "json: cannot unmarshal number into Go struct field .Sid of type
		// string", or a dump of a Go struct type for a statement that is
		// not an object.
		{`{"Version":"2012-10-17","Statement":[{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}]}`, `p.json:1:45: Statement[0]: Sid: want a string, not the number 1`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":true,"Action":"*","Resource":"*"}]}`, `p.json:1:48: Statement[0]: Effect: want a string, not true or false`},
		{`{"Version":"2012-10-17","Statement":["Allow bedrock"]}`, `p.json:1:38: Statement[0]: want an object, not a string: a statement is an object with Effect, Action and Resource`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{"bedrock":"InvokeModel"},"Resource":"*"}]}`, `p.json:1:65: Statement[0]: Action: want a string or a list of strings, not an object`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":[["arn:aws:bedrock:*::foundation-model/*"]]}]}`, `p.json:1:80: Statement[0]: Resource: want a string or a list of strings, not a list holding a list`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":[{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}]}]}`, `p.json:1:96: Statement[0]: Condition: want an object of condition operators, like {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}, not a list`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"us-east-1"}}]}`, `p.json:1:112: Statement[0]: Condition.StringEquals: want an object of condition keys and their values, like {"aws:RequestedRegion": ["us-east-1"]}, not a string`},
		{`{"Version":"2012-10-17","Statement":[{"Sid":"NoEffect","Action":"bedrock:*","Resource":"*"}]}`, `p.json:1:38: Statement[0] (Sid "NoEffect"): Effect is missing: add "Effect": "Allow" or "Effect": "Deny"`},
		// The AWS CLI prints a policy inside its answer: GetRolePolicy's
		// response elements are PolicyDocument, PolicyName and RoleName
		// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html),
		// GetPolicyVersion's a PolicyVersion whose Document is the policy
		// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html),
		// and Organizations' DescribePolicy a Policy whose Content is the
		// SCP's text (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html).
		// Saved as is, such a file was "PolicyDocument is not a policy
		// element (...): IAM refuses the policy".
		{`{"RoleName":"app","PolicyName":"bedrock","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}}`, `p.json: this is the output of aws iam get-role-policy (or get-user-policy, get-group-policy), not a policy document: save the policy alone with --query PolicyDocument`},
		{`{"PolicyVersion":{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]},"VersionId":"v3","IsDefaultVersion":true}}`, `p.json: this is the output of aws iam get-policy-version, not a policy document: save the policy alone with --query PolicyVersion.Document`},
		{`{"Policy":{"PolicySummary":{"Id":"p-abcd1234","Type":"SERVICE_CONTROL_POLICY"},"Content":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}}`, `p.json: this is the output of aws organizations describe-policy, not a policy document: save the policy alone with --query Policy.Content --output text`},
		{`{"Type":"AWS::IAM::ManagedPolicy","Properties":{"PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}}}`, `p.json: this is a CloudFormation resource (AWS::IAM::ManagedPolicy), not a policy document: save its Properties.PolicyDocument alone, as JSON`},
		// A file that is not JSON gets what to change, not only the JSON
		// error: "IAM identifies JSON syntax errors"
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
		{"", `p.json:1:1: not a policy document: unexpected end of JSON input: the file is empty; a policy document is a JSON object`},
		{" \n", `not a policy document: unexpected end of JSON input: the file is empty`},
		{"{\n  \"Version\": \"2012-10-17\",\n  // Bedrock only\n  \"Statement\": []\n}", `p.json:3:3: not a policy document: invalid character '/' looking for beginning of object key string: remove the comment (JSON allows none)`},
		{"Version: \"2012-10-17\"\nStatement:\n  - Effect: Allow\n", `p.json:1:1: not a policy document: invalid character 'V' looking for beginning of value: a policy document is JSON; convert a YAML policy (as CloudFormation templates hold) to JSON`},
		// "<version_block> = "Version" : ("2008-10-17" | "2012-10-17")"
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
		{`{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, `p.json: Version "2012-10-18" is not a version of the policy language: write "Version": "2012-10-17"`},
		{`{"Version":"","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, `p.json: Version "" is not a version of the policy language`},
		{`{"Version":"2012-10-17 ","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, `p.json: Version "2012-10-17 " is not a version`},
	}
	for _, tc := range tests {
		_, err := ParsePolicy("p.json", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.doc, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "Go ") || strings.Contains(err.Error(), "unmarshal")) {
			t.Errorf("%s: %v: Go's words, not the policy's", tc.doc, err)
		}
	}
	p, err := ParsePolicy("single.json", []byte(`{"Statement":{"Sid":"One","Effect":"Allow","Action":"bedrock:*","Resource":"*"}}`))
	if err != nil || len(p.Statements) != 1 || p.Statements[0].Label() != "One" {
		t.Errorf("a single statement object: %v %+v", err, p)
	}
}

func FuzzARNMatch(f *testing.F) {
	f.Add("arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:::foundation-model/x")
	f.Add("arn:aws:bedrock:us-*:*", "arn:aws:bedrock:us-east-1:1:inference-profile/us.x")
	f.Fuzz(func(t *testing.T, pattern, arn string) {
		got := ARNMatch(pattern, arn)
		if pattern == arn && !got {
			t.Fatalf("a literal pattern must match itself: %q", pattern)
		}
		if ARNMatch(pattern, arn) != got {
			t.Fatal("not deterministic")
		}
		// The fast paths agree with the plain dynamic program.
		for _, seg := range []bool{true, false} {
			if globMatch(pattern, arn, seg, false) != globReference(pattern, arn, seg) {
				t.Fatalf("globMatch(%q, %q, %v) disagrees with the reference", pattern, arn, seg)
			}
		}
	})
}

// FuzzParsePolicy: any bytes either fail to parse with an error naming
// the policy, or give a policy whose evaluation never panics.
func FuzzParsePolicy(f *testing.F) {
	for _, doc := range []string{geoPolicy, globalPolicy, broadPolicy, scpRegionDenyCRIS, scpDenyNonUS, `{"Statement":{"Effect":"Deny","NotAction":"x:*","NotResource":"*"}}`} {
		f.Add([]byte(doc))
	}
	reqs := []Request{
		req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1", KeyInferenceProfileArn, usProfARN),
		req(invokeStrm, fm(""), KeyRequestedRegion, "unspecified"),
		req("s3:GetObject", "arn:aws:s3:::b/k"),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy("fuzz.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json:") {
				t.Fatalf("error does not name the policy: %v", err)
			}
			return
		}
		pr := Principal{ARN: principal, Identity: []*Policy{p}, SCPs: [][]*Policy{{p}}}
		for _, r := range reqs {
			d := pr.Evaluate(r)
			if !d.Allowed() && d.Message(principal) == "" {
				t.Fatal("a denial without a message")
			}
		}
	})
}

// globReference is globMatch without its fast paths or escapes.
func globReference(pattern, s string, segments bool) bool {
	prev := make([]bool, len(s)+1)
	cur := make([]bool, len(s)+1)
	prev[0] = true
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		spans := !segments || starSpansColons(pattern, i)
		cur[0] = c == '*' && prev[0]
		for j := 1; j <= len(s); j++ {
			switch c {
			case '*':
				cur[j] = prev[j] || (cur[j-1] && (spans || s[j-1] != ':'))
			case '?':
				cur[j] = prev[j-1] && !(segments && s[j-1] == ':')
			default:
				cur[j] = prev[j-1] && c == s[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(s)]
}

// TestManyConditionKeysAndStarRuns: a policy file is the user's, up to
// MaxPolicySize, and neither its size in condition keys nor a run of
// stars makes the check slow. Before, each key of a condition operator
// was compared with every key before it (200,000 keys took minutes, so
// this test ran into go test's timeout), and each star of a run cost a
// pass over the matched text. A run of stars still matches what its last
// star does: within a segment unless that star ends one.
func TestManyConditionKeysAndStarRuns(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*","Condition":{"StringEquals":{`)
	const n = 200_000
	for i := range n {
		fmt.Fprintf(&b, `"k%d":"v",`, i)
	}
	b.WriteString(`"K7":"v"}}}]}`)
	_, err := ParsePolicy("many.json", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "K7 is given twice") {
		t.Errorf("k7 and K7 are one condition key given twice: %v", err)
	}

	// The same patterns with one star, and with a run of a million.
	run := strings.Repeat("*", 1<<20)
	for _, tc := range []struct {
		pattern, s string
		segments   bool
	}{
		{"arn:aws:bedrock:*:foundation-model/x", "arn:aws:bedrock:us-east-1::foundation-model/x", true},
		{"arn:aws:bedrock:us-*/x", "arn:aws:bedrock:us-east-1::foundation-model/x", true},
		{"arn:aws:bedrock:us-east-1:*", "arn:aws:bedrock:us-east-1::foundation-model/x", true},
		{"arn:aws:bedrock:*", "arn:aws:bedrock:us-east-1::foundation-model/x", true},
		{"bedrock:*Model", "bedrock:InvokeModel", false},
		{"bedrock:*Stream", "bedrock:InvokeModel", false},
		{"a*b", "ax:yb", true},
		{"a*b", "ax:yb", false},
		{"a*:b", "ax:y:b", true},
	} {
		want := globMatch(tc.pattern, tc.s, tc.segments, false)
		long := strings.Replace(tc.pattern, "*", run, 1)
		if got := globMatch(long, tc.s, tc.segments, false); got != want {
			t.Errorf("%s against %s, segments %v: %v with one star, %v with a run", tc.pattern, tc.s, tc.segments, want, got)
		}
		if got := globMatch(long, tc.s, tc.segments, true); got != want {
			t.Errorf("%s escaped, against %s, segments %v: %v with one star, %v with a run", tc.pattern, tc.s, tc.segments, want, got)
		}
	}
}

// TestGaps: every layer without an Allow is listed, not only the first
// Evaluate stops at ("The effective permissions are the intersection of
// both policy types", Permissions boundaries for IAM entities,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html),
// and an Allow that covers the request but fails a condition is named
// with that condition (SCPs use the IAM policy language, conditions on
// Allow included: SCP syntax,
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html).
func TestGaps(t *testing.T) {
	east := stmt("Allow", `"Action":"bedrock:InvokeModel*"`, `"Resource":["`+fm("us-east-1")+`","`+fm("us-east-2")+`"]`, "")
	regionAllow := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowApproved","Effect":"Allow","Action":"*","Resource":"*",
	  "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]},"Bool":{"aws:SecureTransport":"true"}}}]}`
	p := Principal{ARN: principal, Identity: policies(t, east), Boundary: policies(t, east)[0], Session: policies(t, allowAll),
		SCPs: [][]*Policy{policies(t, scpAllowAll), policies(t, regionAllow)}}
	r := req(invoke, fm("us-west-2"), KeyRequestedRegion, "us-west-2", "aws:SecureTransport", "true")
	if d := p.Evaluate(r); d.Reason != ImplicitDenySCP {
		t.Fatalf("the decision: %v", d.Reason)
	}
	got := p.Gaps(r)
	want := []Gap{
		{Reason: ImplicitDenySCP, Level: 1, Policy: "policyA", Near: &NearMiss{Policy: "policyA", Statement: "AllowApproved", Failed: []FailedCondition{
			{Condition: Condition{Operator: "StringEquals", Key: KeyRequestedRegion, Values: []string{"us-east-1", "us-east-2"}}, Text: "aws:RequestedRegion is us-east-1 or us-east-2"}}}},
		// An Allow whose Resource lacks the request's resource is named
		// too: the SCP syntax page lists the Resource element among those
		// an SCP (and any other policy) may narrow.
		{Reason: ImplicitDenyIdentity, Near: &NearMiss{Policy: "policyA", Statement: "Statement[0]", Resource: true}},
		{Reason: ImplicitDenyBoundary, Policy: "policyA", Near: &NearMiss{Policy: "policyA", Statement: "Statement[0]", Resource: true}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	// An allowed request has none; a negated operator is marked.
	if g := p.Gaps(req(invoke, fm("us-east-2"), KeyRequestedRegion, "us-east-2", "aws:SecureTransport", "true")); len(g) != 0 {
		t.Errorf("allowed: %+v", g)
	}
	notWest := stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringNotEquals":{"aws:RequestedRegion":"us-west-2"}}`)
	p = Principal{ARN: principal, Identity: policies(t, notWest)}
	if g := p.Gaps(r); len(g) != 1 || g[0].Near == nil || len(g[0].Near.Failed) != 1 || !g[0].Near.Failed[0].Negated {
		t.Errorf("negated: %+v", g)
	}
}

// TestGapsUnknownCondition: an Allow on a key a partial request leaves
// unknown does not make its layer a gap; the layer that surely lacks an
// Allow is.
func TestGapsUnknownCondition(t *testing.T) {
	office := stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`)
	p := Principal{ARN: principal, Identity: policies(t, stmt("Allow", `"Action":"s3:*"`, `"Resource":"*"`, "")), Boundary: policies(t, office)[0]}
	r := req(invoke, fm("us-west-2"), KeyRequestedRegion, "us-west-2")
	r.Partial = true
	if d := p.Evaluate(r); d.Reason != ImplicitDenyIdentity || d.Conditional {
		t.Fatalf("the decision: %+v", d)
	}
	// The identity Allow covers the resource, not the action.
	if diff := cmp.Diff([]Gap{{Reason: ImplicitDenyIdentity, Near: &NearMiss{Policy: "policyA", Statement: "Statement[0]", Action: true}}}, p.Gaps(r)); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
}

// TestGapsNearestStatement: a statement that covers the request but fails
// a condition comes before one whose Resource lacks the resource, and a
// statement that lacks both the action and the resource, or whose
// NotResource excludes it, is not named.
func TestGapsNearestStatement(t *testing.T) {
	r := req(invoke, fm("us-west-2"), KeyRequestedRegion, "us-west-2")
	for _, tc := range []struct {
		name  string
		stmts []string
		want  *NearMiss
	}{
		{"resource lacking, then covering with a Region condition", []string{
			stmt("Allow", `"Action":"*"`, `"Resource":"arn:aws:bedrock:us-east-1:*"`, ""),
			stmt("Allow", `"Action":"*"`, `"Resource":"*"`, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)},
			&NearMiss{Policy: "policyA", Statement: "Statement[1]", Failed: []FailedCondition{{Condition: Condition{Operator: "StringEquals", Key: KeyRequestedRegion, Values: []string{"us-east-1"}}, Text: "aws:RequestedRegion is us-east-1"}}}},
		{"resource lacking and a Region condition", []string{
			stmt("Allow", `"Action":"bedrock:*"`, `"Resource":"arn:aws:bedrock:us-east-1:*"`, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)},
			&NearMiss{Policy: "policyA", Statement: "Statement[0]", Resource: true, Failed: []FailedCondition{{Condition: Condition{Operator: "StringEquals", Key: KeyRequestedRegion, Values: []string{"us-east-1"}}, Text: "aws:RequestedRegion is us-east-1"}}}},
		{"both lacking", []string{stmt("Allow", `"Action":"s3:*"`, `"Resource":"arn:aws:s3:::bucket/*"`, "")}, nil},
		{"NotResource excludes it", []string{stmt("Allow", `"Action":"*"`, `"NotResource":"arn:aws:bedrock:us-west-2:*"`, "")}, nil},
		{"NotAction excludes it", []string{stmt("Allow", `"NotAction":"bedrock:*"`, `"Resource":"*"`, "")}, nil},
	} {
		var docs []string
		for _, s := range tc.stmts {
			docs = append(docs, strings.TrimSuffix(strings.TrimPrefix(s, `{"Version":"2012-10-17","Statement":[`), `]}`))
		}
		p := Principal{ARN: principal, Identity: policies(t, `{"Version":"2012-10-17","Statement":[`+strings.Join(docs, ",")+`]}`)}
		got := p.Gaps(r)
		if len(got) != 1 || !cmp.Equal(tc.want, got[0].Near) {
			t.Errorf("%s: %s", tc.name, cmp.Diff(tc.want, got))
		}
	}
}

// TestDenies: every Deny that applies is listed, in every layer, not only
// the one Evaluate stops at: "An explicit deny overrides an explicit
// allow", and "The AWS enforcement code evaluates all policies within the
// account that apply to the request. These include AWS Organizations SCPs
// and RCPs, resource-based policies, identity-based policies, IAM
// permissions boundaries, and session policies" (How AWS enforcement code
// logic evaluates requests to allow or deny access,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
func TestDenies(t *testing.T) {
	west := stmt("Deny", `"Action":"bedrock:*"`, `"Resource":"*"`, `{"StringEquals":{"aws:RequestedRegion":"us-west-2"}}`)
	p := Principal{ARN: principal, Identity: policies(t, allowAll, west), SCPs: [][]*Policy{policies(t, scpAllowAll, west)}, Boundary: policies(t, west)[0]}
	r := req(invoke, fm("us-west-2"), KeyRequestedRegion, "us-west-2")
	if d := p.Evaluate(r); d.Reason != ExplicitDenySCP {
		t.Fatalf("the decision: %v", d.Reason)
	}
	westCond := []Condition{{Operator: "StringEquals", Key: KeyRequestedRegion, Values: []string{"us-west-2"}}}
	want := []DenyHit{{Reason: ExplicitDenySCP, Policy: "policyB", Statement: "Statement[0]", Conditions: westCond}, {Reason: ExplicitDenyIdentity, Policy: "policyB", Statement: "Statement[0]", Conditions: westCond},
		{Reason: ExplicitDenyBoundary, Policy: "policyA", Statement: "Statement[0]", Conditions: westCond}}
	if diff := cmp.Diff(want, p.Denies(r)); diff != "" {
		t.Errorf("denies (-want +got):\n%s", diff)
	}
	if d := p.Denies(req(invoke, fm("us-east-1"), KeyRequestedRegion, "us-east-1")); len(d) != 0 {
		t.Errorf("us-east-1: %+v", d)
	}
}

// TestInvocationRequestsInGovCloudAndChina: the ARNs Bedrock authorizes
// carry the Region's partition. "In the AWS GovCloud (US) Regions, ARNs
// begin with: arn:aws-us-gov", and the ARN is what IAM policies name
// (Amazon Resource Names (ARNs) in GovCloud (US) Regions,
// https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html);
// "In the Beijing and Ningxia Regions, the Amazon Resource Name (ARN)
// syntax includes a cn. arn:aws-cn" (ARNs for Amazon Web Services in
// China, https://docs.amazonaws.cn/en_us/general/latest/gr/ARNs.html).
// The routes are those of the us-gov. profile in regions-iam §4.2. The
// requests were built with arn:aws:, so a GovCloud policy naming
// arn:aws-us-gov: resources was reported as denying every check.
func TestInvocationRequestsInGovCloudAndChina(t *testing.T) {
	const model = "anthropic.claude-3-haiku-20240307-v1:0"
	gov := Invocation{Action: invoke, Region: "us-gov-east-1", Account: acct, Model: model, Profile: "us-gov." + model, Destinations: []string{"us-gov-east-1", "us-gov-west-1"}}
	var got []string
	for _, r := range gov.Requests() {
		got = append(got, r.Resource)
	}
	want := []string{
		"arn:aws-us-gov:bedrock:us-gov-east-1:" + acct + ":inference-profile/us-gov." + model,
		"arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/" + model,
		"arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/" + model,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GovCloud profile (-want +got):\n%s", diff)
	}
	cn := Invocation{Action: invoke, Region: "cn-north-1", Model: model}
	if r := cn.Requests(); len(r) != 1 || r[0].Resource != "arn:aws-cn:bedrock:cn-north-1::foundation-model/"+model {
		t.Errorf("China direct call: %+v", r)
	}
	// A GovCloud role policy written with its partition allows every check.
	p := &Principal{ARN: "arn:aws-us-gov:sts::" + acct + ":assumed-role/app/s", Identity: policies(t, stmt("Allow", `"Action":"bedrock:InvokeModel*"`, `"Resource":["arn:aws-us-gov:bedrock:*:*:inference-profile/us-gov.*","arn:aws-us-gov:bedrock:*::foundation-model/*"]`, ""))}
	for _, d := range p.EvaluateAll(gov.Requests()) {
		if !d.Allowed() {
			t.Errorf("%s: %v", d.Request.Resource, d.Reason)
		}
	}
}
