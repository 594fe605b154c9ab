package iam

import (
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/catalog"
)

// The Bedrock actions a model invocation needs.
const (
	// ActionInvokeModel covers InvokeModel and Converse.
	ActionInvokeModel = "bedrock:InvokeModel"
	// ActionInvokeModelWithResponseStream covers
	// InvokeModelWithResponseStream and ConverseStream.
	ActionInvokeModelWithResponseStream = "bedrock:InvokeModelWithResponseStream"
)

// The condition keys Bedrock sets.
const (
	KeyRequestedRegion     = "aws:RequestedRegion"
	KeyInferenceProfileArn = "bedrock:InferenceProfileArn"
)

// RegionUnspecified is aws:RequestedRegion for the Region-less global
// foundation-model ARN.
const RegionUnspecified = "unspecified"

// The roles of the resources Bedrock authorizes for one invocation.
const (
	RoleModel   = "foundation model"
	RoleProfile = "inference profile"
	// RoleApplicationProfile: an application inference profile, which
	// copies a system profile's routes; Bedrock evaluates its own ARN
	// and sets it in bedrock:InferenceProfileArn for the models.
	RoleApplicationProfile = "application inference profile"
	RoleSourceModel        = "foundation model in the source Region"
	RoleDestinationModel   = "foundation model in a destination Region"
	RoleGlobalModel        = "Region-less global foundation model"
)

// Invocation is one model invocation as Bedrock authorizes it.
type Invocation struct {
	// Action is ActionInvokeModel or ActionInvokeModelWithResponseStream.
	Action string
	// Region is the Region called (the source Region).
	Region  string
	Account string
	// Model is the foundation-model id.
	Model string
	// Profile is the inference-profile id, or empty for a direct call.
	Profile string
	// ProfileARN overrides the profile's ARN: an application inference
	// profile's own ARN (arn:...:application-inference-profile/ID).
	ProfileARN string
	// Global marks a global profile.
	Global bool
	// Destinations are the Regions the profile routes to from Region.
	Destinations []string
}

// Requests returns every request Bedrock authorizes for the invocation,
// per the evaluation table of the cross-Region inference docs:
//
//   - a direct call: the foundation model in the Region;
//   - a geographic profile: the profile (no profile key), the foundation
//     model in the source Region and in every destination Region, each
//     with bedrock:InferenceProfileArn and its own aws:RequestedRegion;
//   - a global profile: the profile, the source-Region foundation model,
//     and the Region-less foundation-model ARN with aws:RequestedRegion
//     "unspecified".
func (inv Invocation) Requests() []Request {
	if inv.Profile == "" {
		return []Request{inv.request(RoleModel, fmARN(Partition(inv.Region), inv.Region, inv.Model), inv.Region, "")}
	}
	part := Partition(inv.Region)
	profileARN := "arn:" + part + ":bedrock:" + inv.Region + ":" + inv.Account + ":inference-profile/" + inv.Profile
	role := RoleProfile
	if inv.ProfileARN != "" {
		profileARN, role = inv.ProfileARN, RoleApplicationProfile
	}
	out := []Request{
		inv.request(role, profileARN, inv.Region, ""),
		inv.request(RoleSourceModel, fmARN(part, inv.Region, inv.Model), inv.Region, profileARN),
	}
	if inv.Global {
		return append(out, inv.request(RoleGlobalModel, fmARN(part, "", inv.Model), RegionUnspecified, profileARN))
	}
	for _, d := range inv.Destinations {
		if d != inv.Region {
			out = append(out, inv.request(RoleDestinationModel, fmARN(part, d, inv.Model), d, profileARN))
		}
	}
	return out
}

// RouteRequests returns the requests for one chosen destination only: the
// profile, the source-Region model and that destination's model. It models
// services that check only the route taken ("works 9 times out of 10").
func (inv Invocation) RouteRequests(destination string) []Request {
	all := inv.Requests()
	if inv.Profile == "" || inv.Global {
		return all
	}
	out := all[:2:2]
	for _, r := range all[2:] {
		if r.Region == destination {
			out = append(out, r)
		}
	}
	return out
}

func (inv Invocation) request(role, resource, region, profileARN string) Request {
	ctx := map[string][]string{KeyRequestedRegion: {region}}
	if profileARN != "" {
		ctx[KeyInferenceProfileArn] = []string{profileARN}
	}
	return Request{Action: inv.Action, Resource: resource, Context: ctx, Role: role, Region: region}
}

func fmARN(partition, region, model string) string {
	return "arn:" + partition + ":bedrock:" + region + "::foundation-model/" + model
}

// Partition is the ARN partition of region (see [catalog.Partition]):
// the ARNs Bedrock authorizes there, and that policies name, begin
// arn:aws-us-gov in GovCloud and arn:aws-cn in China.
func Partition(region string) string {
	return catalog.Partition(region)
}

// IsStreamAction reports whether action is the streaming invoke action.
func IsStreamAction(action string) bool {
	return strings.EqualFold(action, ActionInvokeModelWithResponseStream)
}
