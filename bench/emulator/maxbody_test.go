package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// TestDefaultMaxBodyTakesCapturedBodies: with the default options the
// emulator answers a 30 MiB Converse request, which capture records (its
// limit is 64 MiB) and Converse documents no total size for; before, the
// emulator's 20 MiB default answered 413 to it. One byte over the limit
// is still refused.
func TestDefaultMaxBodyTakesCapturedBodies(t *testing.T) {
	s, hs := start(t, nil)
	if s.maxBody != DefaultMaxBodyBytes || DefaultMaxBodyBytes != 64<<20 {
		t.Fatalf("default max body %d", s.maxBody)
	}
	prefix, suffix := `{"messages":[{"role":"user","content":[{"text":"`, `"}]}]}`
	body := prefix + strings.Repeat("x ", 15<<20) + suffix
	status, _, raw := rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", body, defaultCreds)
	if status != http.StatusOK {
		t.Errorf("a %d MiB body: %d %.300s", len(body)>>20, status, raw)
	}
	// A budget set below the default's cost still bounds the body, to
	// half of it (a request holds twice its body).
	if s, err := New(&Options{BodyBudget: 8 << 20}); err != nil || s.maxBody != 4<<20 {
		t.Errorf("a budget of 8 MiB: %v, max body %d", err, s.maxBody)
	}
	_, hs = start(t, &Options{MaxBodyBytes: 1 << 20})
	status, _, raw = rawRequest(t, hs, "POST", "/model/amazon.nova-micro-v1%3A0/converse", "us-east-1", prefix+strings.Repeat("x", 1<<20)+suffix, defaultCreds)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("over MaxBodyBytes: %d %.300s", status, raw)
	}
}
