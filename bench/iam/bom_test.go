package iam

import (
	"strings"
	"testing"
)

// A policy saved with a UTF-8 byte order mark (Notepad, PowerShell's
// Out-File) is read like the same file without it, as fixtures and the
// project file are; before, it was refused with "invalid character 'ï'".
// A later syntax error keeps the line and column an editor shows.
func TestPolicyWithBOM(t *testing.T) {
	doc := "\xef\xbb\xbf" + `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}]}`
	p, err := ParsePolicy("p.json", []byte(doc))
	if err != nil || len(p.Statements) != 1 {
		t.Fatalf("%v", err)
	}
	_, err = ParsePolicy("p.json", []byte("\xef\xbb\xbf{\n  \"Version\": x}"))
	if err == nil || !strings.HasPrefix(err.Error(), "p.json:2:14: ") {
		t.Errorf("error %v; want it at p.json:2:14", err)
	}
	_, err = ParsePolicy("p.json", []byte("\xef\xbb\xbf{x}"))
	if err == nil || !strings.HasPrefix(err.Error(), "p.json:1:2: ") {
		t.Errorf("error %v; want it at p.json:1:2, the column an editor shows", err)
	}
}
