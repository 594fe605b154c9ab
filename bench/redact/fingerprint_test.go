package redact

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestSaltFingerprint: one salt, one fingerprint; another salt, another;
// and it is neither the salt nor a plain hash of it.
func TestSaltFingerprint(t *testing.T) {
	s, err := NewScanner(Options{})
	if err != nil {
		t.Fatal(err)
	}
	salt := []byte("a salt for the fingerprint test")
	a, b := NewRedactor(s, salt).SaltFingerprint(), NewRedactor(s, salt).SaltFingerprint()
	c := NewRedactor(s, []byte("another salt for the same test")).SaltFingerprint()
	plain := sha256.Sum256(salt)
	if a != b || a == c || len(a) != 16 || strings.Contains(hex.EncodeToString(plain[:]), a) || strings.Contains(string(salt), a) {
		t.Errorf("fingerprints %q, %q (same salt), %q (another)", a, b, c)
	}
	if _, err := hex.DecodeString(a); err != nil {
		t.Errorf("%q is not hex: %v", a, err)
	}
}
