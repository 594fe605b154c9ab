package ingest

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

type harEntry struct {
	StartedDateTime string `json:"startedDateTime"`
	Request         struct {
		Method  string `json:"method"`
		URL     string `json:"url"`
		Headers []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
		PostData *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Headers []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
	} `json:"response"`
}

// bedrockPath is a Bedrock runtime call's path, after the Region a
// proxy's base URL may put before it (Helicone's
// https://bedrock.helicone.ai/v1/<region>).
var bedrockPath = regexp.MustCompile(`^(?:/v1/([a-z]{2}(?:-[a-z]+)+-[0-9]+))?/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)$`)

// route is what a model API's path says of its request: the body's
// format (empty for InvokeModel, whose body says), and for Bedrock the
// model, the operation and a Region the path holds.
type route struct {
	format                   history.Format
	model, operation, region string
}

// routeOf reads a request's URL path (escaped, as url.URL.EscapedPath
// gives it); false for a path that is no model call.
func routeOf(path string) (route, bool) {
	switch {
	case bedrockPath.MatchString(path):
		m := bedrockPath.FindStringSubmatch(path)
		var rt route
		rt.region = m[1]
		rt.model, _ = url.PathUnescape(m[2])
		rt.operation = map[string]string{"converse": "Converse", "converse-stream": "ConverseStream", "invoke": "InvokeModel", "invoke-with-response-stream": "InvokeModelWithResponseStream"}[m[3]]
		if strings.HasPrefix(m[3], "converse") {
			rt.format = history.FormatConverse
		}
		return rt, true
	case strings.HasSuffix(path, "/chat/completions"):
		return route{format: history.FormatOpenAI}, true
	case strings.HasSuffix(path, "/v1/responses") || path == "/responses":
		return route{format: history.FormatResponses}, true
	case strings.HasSuffix(path, "/v1/messages"):
		return route{format: history.FormatAnthropic}, true
	}
	return route{}, false
}

// har reads one HAR entry: a POST to a model API becomes a record; any
// other request is not a model call. Of the headers, only the response's
// request id and an InvokeModel request's service tier are read; cookies
// never are.
func (s *stream) har(v []byte, rec int) error {
	var e harEntry
	if err := json.Unmarshal(v, &e); err != nil {
		s.skip(0, rec, "malformed HAR entry: %v", describe(err))
		return nil
	}
	u, err := url.Parse(e.Request.URL)
	if err != nil || !strings.EqualFold(e.Request.Method, "POST") {
		s.h.Ignored(s.name)
		return nil
	}
	src := Source{Origin: "har", Record: rec, Fidelity: Verbatim, Time: e.StartedDateTime, Captured: day(e.StartedDateTime)}
	// A Bedrock host names its Region, through a FIPS or VPC endpoint
	// too, for Converse and InvokeModel as for the OpenAI-compatible
	// paths.
	src.Region = bedrockHostRegion(u.Host)
	path := u.EscapedPath()
	rt, ok := routeOf(path)
	if !ok {
		s.h.Ignored(s.name)
		return nil
	}
	format := rt.format
	src.Model, src.Operation = rt.model, rt.operation
	if src.Region == "" {
		src.Region = rt.region
	}
	if e.Request.PostData == nil || e.Request.PostData.Text == "" {
		s.skip(0, rec, "POST %q has no request body in the HAR (browsers and sanitized exports drop some bodies)", path)
		return nil
	}
	body := []byte(e.Request.PostData.Text)
	if e.Request.PostData.Encoding == "base64" {
		if body, err = base64.StdEncoding.DecodeString(e.Request.PostData.Text); err != nil {
			s.skip(0, rec, "postData is marked base64 but does not decode: %v", err)
			return nil
		}
	}
	if format == "" {
		f, ok := DetectBody(body)
		if !ok || (f != history.FormatAnthropic && f != history.FormatConverse) {
			s.skip(0, rec, "InvokeModel body for %q is neither an Anthropic Messages body nor a messages-v1 body; only those import", src.Model)
			return nil
		}
		format = f
	}
	if strings.HasPrefix(src.Operation, "InvokeModel") {
		for _, h := range e.Request.Headers {
			if strings.EqualFold(h.Name, converse.ServiceTierHeader) {
				src.ServiceTier = InvokeTier(h.Value)
			}
		}
	}
	for _, h := range e.Response.Headers {
		if strings.EqualFold(h.Name, "x-amzn-requestid") || strings.EqualFold(h.Name, "x-request-id") || strings.EqualFold(h.Name, "request-id") {
			src.RequestID = h.Value
		}
	}
	if src.Model == "" {
		var m struct {
			Model string `json:"model"`
		}
		_ = json.Unmarshal(body, &m)
		src.Model = m.Model
	}
	return s.emit(Record{Format: format, Body: body, Source: src})
}
