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

var (
	bedrockPath = regexp.MustCompile(`^/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)$`)
	bedrockHost = regexp.MustCompile(`^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com`)
)

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
	var format history.Format
	path := u.EscapedPath()
	switch {
	case bedrockPath.MatchString(path):
		m := bedrockPath.FindStringSubmatch(path)
		src.Model, _ = url.PathUnescape(m[1])
		src.Operation = map[string]string{"converse": "Converse", "converse-stream": "ConverseStream", "invoke": "InvokeModel", "invoke-with-response-stream": "InvokeModelWithResponseStream"}[m[2]]
		if h := bedrockHost.FindStringSubmatch(u.Host); h != nil {
			src.Region = h[1]
		}
		if strings.HasPrefix(m[2], "converse") {
			format = history.FormatConverse
		}
	case strings.HasSuffix(path, "/chat/completions"):
		format = history.FormatOpenAI
	case strings.HasSuffix(path, "/v1/responses") || path == "/responses":
		format = history.FormatResponses
	case strings.HasSuffix(path, "/v1/messages"):
		format = history.FormatAnthropic
	default:
		s.h.Ignored(s.name)
		return nil
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
