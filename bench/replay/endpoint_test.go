package replay

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestCheckEndpoint(t *testing.T) {
	for ep, want := range map[string]string{
		"http://127.0.0.1:8787":                           "",
		"https://bedrock-runtime.us-east-1.amazonaws.com": "",
		"http://127.0.0.1:8787/":                          "",
		"127.0.0.1:18787":                                 "want a URL such as http://127.0.0.1:8787",
		"localhost":                                       "want a URL such as",
		"ftp://127.0.0.1:1":                               "want a URL such as",
		"http://127.0.0.1:8787/model":                     "give the scheme, host and port only",
		"http://127.0.0.1:8787?x=1":                       "give the scheme, host and port only",
		// A password would be repeated in every message naming the URL.
		"http://user:secret@127.0.0.1:8787": "give the scheme, host and port only",
		"http://127.0.0.1:8787#x":           "give the scheme, host and port only",
	} {
		err := CheckEndpoint(ep)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckEndpoint(%q) = %v, want %q", ep, err, want)
		}
	}
}

func TestProbe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := Probe(context.Background(), "http://"+addr); err != nil {
		t.Errorf("a listener: %v", err)
	}
	l.Close()
	if err := Probe(context.Background(), "http://"+addr); err == nil {
		t.Error("nothing listens: no error")
	}
}
