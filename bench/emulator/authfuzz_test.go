package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// FuzzAuthenticate sends arbitrary authentication (Authorization,
// X-Amz-Date, X-Amz-Content-Sha256, X-Amz-Security-Token), query and
// path, starting from requests the SDK signs, to an emulator that takes
// any key and to one that verifies signatures. The property: the server
// never panics and answers a client error, or success, never a 5xx.
func FuzzAuthenticate(f *testing.F) {
	body := []byte(hiBody)
	sum := sha256.Sum256(body)
	for _, q := range []string{"", "a=b&X-Amz-Date=1"} {
		req := httptest.NewRequest("POST", "http://emulator.test/model/amazon.nova-micro-v1%3A0/converse?"+q, bytes.NewReader(body))
		req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
		if err := v4.NewSigner().SignHTTP(context.Background(), defaultCreds, req, hex.EncodeToString(sum[:]), "bedrock", "us-east-1", time.Now()); err != nil {
			f.Fatal(err)
		}
		f.Add(req.Header.Get("Authorization"), req.Header.Get("X-Amz-Date"), req.Header.Get("X-Amz-Content-Sha256"), "", req.URL.RawQuery, req.URL.EscapedPath(), body)
	}
	f.Add("Bearer ABSKQmVkcm9ja0FQSUtleS1hYmMtYXQtMTIzNDU2Nzg5MDEyOmFiYw==", "", "", "", "", "/model/amazon.nova-micro-v1%3A0/converse", body)
	f.Add("Bearer bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFDLVNIQTI1NiZYLUFtei1DcmVkZW50aWFsPUFLSUEvMjAyNjAxMDEvdXMtZWFzdC0xL2JlZHJvY2svYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjAxMDFUMDAwMDAwWiZYLUFtei1FeHBpcmVzPTQzMjAwJlgtQW16LVNpZ25hdHVyZT1hYmMmVmVyc2lvbj0x", "", "", "", "", "/model/x/converse", body)
	f.Add("AWS4-HMAC-SHA256 Credential=/,SignedHeaders=,Signature=", "2", "", "t", "%zz", "/model/%2F/converse-stream", []byte(nil))
	servers := []*Server{}
	for _, opts := range []*Options{{}, {Credentials: []Credentials{DefaultCredentials}}} {
		s, err := New(opts)
		if err != nil {
			f.Fatal(err)
		}
		servers = append(servers, s)
	}
	f.Fuzz(func(t *testing.T, auth, date, payloadHash, token, query, path string, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query, " \r\n\t#") {
			t.Skip()
		}
		for _, s := range servers {
			req := httptest.NewRequest("POST", "http://emulator.test/", bytes.NewReader(body))
			req.URL.RawPath, req.URL.RawQuery = path, query
			req.URL.Path = path
			for k, v := range map[string]string{"Authorization": auth, "X-Amz-Date": date, "X-Amz-Content-Sha256": payloadHash, "X-Amz-Security-Token": token} {
				if v != "" {
					req.Header.Set(k, v)
				}
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("status %d for client input: %s", rec.Code, rec.Body.String())
			}
		}
	})
}
