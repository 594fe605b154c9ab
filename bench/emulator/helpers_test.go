package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"

	"github.com/bedrock-bench/bedrock-bench/internal/sdkhttp"
)

// start runs an emulator on loopback for the test.
func start(t testing.TB, opts *Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	hs.Config = s.HTTPServer()
	hs.Start()
	t.Cleanup(hs.Close)
	return s, hs
}

// testHTTPClient is the test server's client with the workaround of
// sdkhttp.PlainBody.
func testHTTPClient(hs *httptest.Server) *http.Client {
	return &http.Client{Transport: sdkhttp.PlainBody{RoundTripper: hs.Client().Transport}}
}

// runtimeClient is the unmodified SDK client; only BaseEndpoint points at
// the emulator. Retries are off so each call is one request.
func runtimeClient(hs *httptest.Server, region string) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region:       region,
		BaseEndpoint: aws.String(hs.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, DefaultCredentials.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   testHTTPClient(hs),
	})
}

func controlClient(hs *httptest.Server, region string) *bedrock.Client {
	return bedrock.New(bedrock.Options{
		Region:       region,
		BaseEndpoint: aws.String(hs.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(DefaultCredentials.AccessKeyID, DefaultCredentials.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   hs.Client(),
	})
}

func userText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

func assistantText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

func callConverse(t testing.TB, c *bedrockruntime.Client, model string, msgs ...types.Message) (*bedrockruntime.ConverseOutput, error) {
	t.Helper()
	return c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs})
}

// header reads a response header from an SDK result.
func header(md any, name string) string {
	var resp *smithyhttp.Response
	switch m := md.(type) {
	case *bedrockruntime.ConverseOutput:
		resp, _ = awsmiddleware.GetRawResponse(m.ResultMetadata).(*smithyhttp.Response)
	}
	if resp == nil {
		return ""
	}
	return resp.Header.Get(name)
}

// rawRequest sends a request signed with the given credentials (or not
// signed, with empty credentials) and returns status, headers and body.
func rawRequest(t testing.TB, hs *httptest.Server, method, path, region, body string, creds aws.Credentials) (int, http.Header, string) {
	t.Helper()
	return signAndSend(t, hs, method, path, region, body, body, creds)
}

// signAndSend signs signed and sends sent: the same body for an honest
// request, another one to tamper with it.
func signAndSend(t testing.TB, hs *httptest.Server, method, path, region, signed, sent string, creds aws.Credentials) (int, http.Header, string) {
	t.Helper()
	return signAndSendAt(t, hs, method, path, region, signed, sent, creds, time.Now())
}

// signAndSendAt is signAndSend with the request signed at signedAt.
func signAndSendAt(t testing.TB, hs *httptest.Server, method, path, region, signed, sent string, creds aws.Credentials, signedAt time.Time) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, hs.URL+path, strings.NewReader(sent))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if creds.AccessKeyID != "" {
		sum := sha256.Sum256([]byte(signed))
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "bedrock", region, signedAt); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

var defaultCreds = aws.Credentials{AccessKeyID: DefaultCredentials.AccessKeyID, SecretAccessKey: DefaultCredentials.SecretAccessKey}

func mustPolicy(t testing.TB, name, doc string) *iam.Policy {
	t.Helper()
	p, err := iam.ParsePolicy(name, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// jsonDoc turns JSON into the SDK's document type.
func jsonDoc(s string) (document.Interface, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return document.NewLazyDocument(v), nil
}
