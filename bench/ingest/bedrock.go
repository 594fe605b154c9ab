package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/klauspost/compress/gzip"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// bedrockLog is a model invocation log record, as far as import needs it.
// accountId and identity.arn are read only to find an AgentCore session;
// they are never copied.
type bedrockLog struct {
	SchemaType      string            `json:"schemaType"`
	Timestamp       string            `json:"timestamp"`
	Region          string            `json:"region"`
	RequestID       string            `json:"requestId"`
	Operation       string            `json:"operation"`
	ModelID         string            `json:"modelId"`
	InferenceRegion string            `json:"inferenceRegion"`
	RequestMetadata map[string]string `json:"requestMetadata"`
	ErrorCode       string            `json:"errorCode"`
	Identity        struct {
		ARN string `json:"arn"`
	} `json:"identity"`
	Input struct {
		ContentType     string         `json:"inputContentType"`
		InputBodyJSON   jsontext.Value `json:"inputBodyJson"`
		InputBodyS3Path string         `json:"inputBodyS3Path"`
	} `json:"input"`
}

// cloudWatchPrefix is the "timestamp " a CloudWatch export puts before
// each message.
var cloudWatchPrefix = regexp.MustCompile(`^\d{4}-\d\d-\d\dT[0-9:.]+Z? `)

var agentCoreSession = regexp.MustCompile(`BedrockAgentCore-([A-Za-z0-9_-]+)`)

func (s *stream) bedrockLine(line []byte, n int) error {
	if bytes.HasPrefix(line, []byte("Permissions are correctly set")) {
		s.h.Ignored(s.name)
		return nil
	}
	if loc := cloudWatchPrefix.FindIndex(line); loc != nil {
		line = line[loc[1]:]
		if bytes.HasPrefix(line, []byte("Permissions are correctly set")) {
			s.h.Ignored(s.name)
			return nil
		}
	}
	switch {
	case len(line) > 0 && line[0] == '[':
		// An S3 delivery line may hold an array of records.
		var recs []jsontext.Value
		if err := json.Unmarshal(line, &recs); err != nil {
			s.skip(n, 0, "malformed JSON: %v", describe(err))
			return nil
		}
		for i, r := range recs {
			if err := s.bedrockRecord(r, n, i+1); err != nil {
				return err
			}
		}
		return nil
	case len(line) > 0 && line[0] == '{':
		return s.bedrockRecord(line, n, 0)
	}
	s.skip(n, 0, "not a JSON record: a Bedrock invocation log line is one JSON object")
	return nil
}

// cloudWatchEvent reads one event of `aws logs filter-log-events` output:
// {"timestamp": ..., "message": "<the record as a JSON string>"}.
func (s *stream) cloudWatchEvent(v []byte, line, rec int) error {
	var ev struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(v, &ev); err != nil || ev.Message == "" {
		s.skip(line, rec, "a CloudWatch event without a message")
		return nil
	}
	msg := strings.TrimSpace(ev.Message)
	if strings.HasPrefix(msg, "Permissions are correctly set") {
		s.h.Ignored(s.name)
		return nil
	}
	return s.bedrockRecord([]byte(msg), line, rec)
}

// bedrockRecord reads one invocation log record and emits its request,
// or skips it saying why. readBedrockLog reads most records; json reads
// the rest and words the errors.
func (s *stream) bedrockRecord(data []byte, line, rec int) error {
	l, ok := readBedrockLog(data)
	if !ok {
		if err := json.Unmarshal(data, &l, jsontext.AllowDuplicateNames(true)); err != nil {
			s.skip(line, rec, "malformed JSON: %v", describe(err))
			return nil
		}
	}
	if l.SchemaType != "" && l.SchemaType != "ModelInvocationLog" {
		s.h.Ignored(s.name)
		return nil
	}
	if l.Operation == "" && l.Input.InputBodyJSON == nil && l.Input.InputBodyS3Path == "" {
		// Maybe a CloudWatch event wrapper, one per line.
		var ev struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(data, &ev) == nil && ev.Message != "" {
			return s.cloudWatchEvent(data, line, rec)
		}
		s.skip(line, rec, "unknown shape: not a Bedrock model invocation log record (no operation, no input)")
		return nil
	}
	src := Source{Origin: "bedrock-invocation-log", Line: line, Record: rec, RequestID: l.RequestID, Time: l.Timestamp,
		Model: l.ModelID, Region: l.Region, Operation: l.Operation, Fidelity: Verbatim, Captured: day(l.Timestamp)}
	if l.InferenceRegion != "" && l.InferenceRegion != l.Region {
		src.Notes = append(src.Notes, "served by "+l.InferenceRegion)
	}
	body := []byte(l.Input.InputBodyJSON)
	if k := l.Input.InputBodyJSON.Kind(); k == '"' {
		// Some records carry the body as a JSON string.
		var str string
		_ = json.Unmarshal(l.Input.InputBodyJSON, &str)
		body = []byte(str)
	} else if k == 'n' {
		body = nil
	}
	if len(body) == 0 {
		if l.Input.InputBodyS3Path == "" {
			s.skip(line, rec, "record %q has no request body: text delivery was off for this log configuration", l.RequestID)
			return nil
		}
		var err error
		if body, err = s.s3Body(l.Input.InputBodyS3Path); err != nil {
			s.skip(line, rec, "%v", err)
			return nil
		}
	}
	r := Record{Body: body, Source: src, Session: bedrockSession(&l)}
	switch l.Operation {
	case "Converse", "ConverseStream":
		r.Format = history.FormatConverse
	case "InvokeModel", "InvokeModelWithResponseStream":
		f, ok := DetectBody(body)
		if !ok || (f != history.FormatAnthropic && f != history.FormatConverse) {
			s.skip(line, rec, "InvokeModel body for %q is neither an Anthropic Messages body nor a messages-v1 body; only those import", l.ModelID)
			return nil
		}
		r.Format = f
	default:
		s.skip(line, rec, "operation %q is not a conversation call (Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream)", l.Operation)
		return nil
	}
	if l.ErrorCode != "" {
		r.Source.Notes = append(r.Source.Notes, "the call failed with "+l.ErrorCode)
	}
	// The body is the record's own: read from the line (a copy, by
	// readBedrockLog or json), from a JSON string, or read from the S3
	// mirror.
	return s.emitOwned(r)
}

func bedrockSession(l *bedrockLog) string {
	if len(l.RequestMetadata) > 0 {
		keys := make([]string, 0, len(l.RequestMetadata))
		for k := range l.RequestMetadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(k + "=" + l.RequestMetadata[k] + ";")
		}
		return b.String()
	}
	if m := agentCoreSession.FindStringSubmatch(l.Identity.ARN); m != nil {
		return "agentcore:" + m[1]
	}
	return ""
}

// s3Body reads a body Bedrock moved to S3 from the local mirror: the
// object key under the mirror, or bucket/key.
func (s *stream) s3Body(uri string) ([]byte, error) {
	if s.opts.S3Mirror == "" {
		return nil, fmt.Errorf("the body is in S3 (%s); mirror the bucket locally and pass --s3-mirror DIR", uri)
	}
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return nil, fmt.Errorf("inputBodyS3Path %q is not an s3:// URI", uri)
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if strings.Contains(key, "..") || strings.Contains(bucket, "..") {
		return nil, fmt.Errorf("inputBodyS3Path %q climbs out of the mirror", uri)
	}
	var data []byte
	var err error
	for _, p := range []string{filepath.Join(s.opts.S3Mirror, filepath.FromSlash(key)), filepath.Join(s.opts.S3Mirror, bucket, filepath.FromSlash(key))} {
		if data, err = readBounded(p, s.opts.maxRecord()); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the body is in S3 (%s) and not in the mirror %q: %v", uri, s.opts.S3Mirror, err)
	}
	data = bytes.TrimSpace(data)
	// The object may be a whole log record rather than the bare body.
	var wrapped struct {
		InputBodyJSON jsontext.Value `json:"inputBodyJson"`
	}
	if json.Unmarshal(data, &wrapped) == nil && len(wrapped.InputBodyJSON) > 0 {
		return wrapped.InputBodyJSON, nil
	}
	if !jsontext.Value(data).IsValid() {
		return nil, fmt.Errorf("the mirrored body of %q is not JSON", uri)
	}
	return data, nil
}

// readBounded reads a file, gunzipping it, up to limit bytes.
func readBounded(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	var magic [2]byte
	if n, _ := io.ReadFull(f, magic[:]); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		_, _ = f.Seek(0, io.SeekStart)
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	} else {
		_, _ = f.Seek(0, io.SeekStart)
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("over the size limit of %d bytes", limit)
	}
	return data, nil
}

// day returns the YYYY-MM-DD of an RFC 3339 time.
func day(t string) string {
	if len(t) >= 10 && t[4] == '-' && t[7] == '-' {
		return t[:10]
	}
	return ""
}
