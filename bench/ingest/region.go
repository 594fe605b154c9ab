package ingest

import (
	"net/url"
	"regexp"
	"strings"
)

// bedrockEndpoint is a Bedrock runtime host and the Region it names
// (docs.aws.amazon.com/general/latest/gr/bedrock.html, "Amazon Bedrock
// endpoints and quotas"; docs.aws.amazon.com/bedrock/latest/userguide/
// vpc-interface-endpoints.html):
//
//	bedrock-runtime.us-east-1.amazonaws.com           the Region's endpoint
//	bedrock-runtime-fips.us-east-1.amazonaws.com      its FIPS endpoint
//	bedrock-runtime.cn-north-1.amazonaws.com.cn       China
//	bedrock-mantle.us-east-1.api.aws                  OpenAI-compatible APIs
//	vpce-0abc-1def.bedrock-runtime.us-east-1.vpce.amazonaws.com
//	vpce-0abc-1def-us-east-1a.bedrock-runtime.us-east-1.vpce.amazonaws.com
//	                                                  interface VPC endpoints
//	                                                  (PrivateLink), Regional
//	                                                  and zonal DNS names
var bedrockEndpoint = regexp.MustCompile(`^(?:vpce-[a-z0-9-]+\.)?bedrock-(?:runtime(?:-fips)?|mantle(?:-fips)?)\.([a-z]{2}(?:-[a-z]+)+-[0-9]+)\.(?:vpce\.amazonaws\.com|amazonaws\.com(?:\.cn)?|api\.aws)\.?$`)

// regionName matches an AWS Region name (us-east-1, us-gov-west-1,
// ap-southeast-5).
var regionName = regexp.MustCompile(`^[a-z]{2}(?:-[a-z]+)+-[0-9]+$`)

// bedrockHostRegion returns the Region of a Bedrock runtime host (with
// or without a port), or "".
func bedrockHostRegion(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	if m := bedrockEndpoint.FindStringSubmatch(strings.ToLower(host)); m != nil {
		return m[1]
	}
	return ""
}

// bedrockURLRegion returns the Region of a URL or host of a Bedrock
// runtime endpoint (LiteLLM's api_base, Helicone's target_url), or "".
func bedrockURLRegion(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 2048 {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return bedrockHostRegion(u.Host)
}

// awsRegion returns s when it is a Region name, else "".
func awsRegion(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= 32 && regionName.MatchString(s) {
		return s
	}
	return ""
}
