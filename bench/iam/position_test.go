package iam

import (
	"strings"
	"testing"
)

// A statement that cannot be read is placed in the file, "FILE:LINE:COL:
// Statement[N] (Sid "...")", at the element at fault where there is one
// (the Effect's value, a misspelt condition operator, the action without
// a service prefix, a member given twice) and else at the statement's
// brace, so that the user of a 400-line policy can jump to it. Before,
// only its index was given: "p.json: Statement[3]: ...".
func TestStatementErrorsArePlaced(t *testing.T) {
	doc := "{\n" + // 1
		"  \"Version\": \"2012-10-17\",\n" + // 2
		"  \"Statement\": [\n" + // 3
		"    {\"Sid\": \"Fine\", \"Effect\": \"Allow\", \"Action\": \"bedrock:*\", \"Resource\": \"*\"},\n" + // 4
		"    {\n" + // 5
		"      \"Sid\": \"AllowBedrock\",\n" + // 6
		"      \"Effect\": \"Alow\",\n" + // 7: the value, column 17
		"      \"Action\": \"bedrock:*\",\n" + // 8
		"      \"Resource\": \"*\"\n" + // 9
		"    },\n" + // 10
		"    {\"Sid\": \"Op\", \"Effect\": \"Allow\", \"Action\": \"bedrock:*\", \"Resource\": \"*\",\n" + // 11
		"      \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}, \"StringEqualz\": {\"aws:RequestedRegion\": \"us-east-1\"}}},\n" + // 12: the operator, column 66
		"    {\"Effect\": \"Allow\", \"Resource\": \"*\",\n" + // 13: no Action: the statement's brace, column 5
		"     \"Sid\": \"NoAction\"},\n" + // 14
		"    {\"Sid\": \"é\", \"Effect\": \"Deny\", \"Action\": [\"bedrock:InvokeModel\", \"InvokeModel\"], \"Resource\": \"*\"},\n" + // 15: the second action, column 71 in bytes ("é" is two)
		"    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"x\": [\"1\", \"one\"]}}},\n" + // 16: the value "one", column 102
		"    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Effect\": \"Deny\"},\n" + // 17: the second Effect, column 57
		"    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Principal\": \"*\"},\n" + // 18: the member, column 57
		"    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": [\"*\", \"arn:aws:bedrock:${aws:RequestedRegion}::foundation-model/x\"]}\n" + // 19: the second resource, column 58
		"  ]\n" +
		"}\n"
	p, err := ParsePolicyPartial("company.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`company.json:7:17: Statement[1] (Sid "AllowBedrock"): Effect must be Allow or Deny, not "Alow"`,
		`company.json:12:66: Statement[2] (Sid "Op"): condition operator "StringEqualz" is not an IAM condition operator`,
		`company.json:13:5: Statement[3] (Sid "NoAction"): needs exactly one of Action and NotAction`,
		`company.json:15:71: Statement[4] (Sid "é"): action "InvokeModel" needs a service prefix`,
		`company.json:16:102: Statement[5]: Condition.NumericLessThan.x: "one" is not a number`,
		`company.json:17:57: Statement[6]: Effect is given twice`,
		`company.json:18:57: Statement[7]: Principal: only resource-based policies`,
		`company.json:19:58: Statement[8]: resource "arn:aws:bedrock:${aws:RequestedRegion}::foundation-model/x": policy variables are allowed only in the resource part`,
	}
	if len(p.Invalid) != len(want) {
		t.Fatalf("%d statements refused, want %d: %v", len(p.Invalid), len(want), p.Invalid)
	}
	for i, w := range want {
		if got := p.Invalid[i].Error(); !strings.HasPrefix(got, w) {
			t.Errorf("got  %s\nwant %s...", got, w)
		}
	}

	// A policy of one statement, not a list, and saved with a byte
	// order mark: the column an editor shows, as for a syntax error
	// (TestPolicyWithBOM).
	one := "\xef\xbb\xbf{\"Version\": \"2012-10-17\", \"Statement\":\n {\"Effect\": \"Allow\", \"Action\": \"bedrock:*\", \"Resource\": \"*\", \"Condition\": {\"NullIfExists\": {\"x\": \"true\"}}}}"
	if _, err := ParsePolicy("one.json", []byte(one)); err == nil || !strings.HasPrefix(err.Error(), "one.json:2:76: Statement[0]: condition operator \"NullIfExists\"") {
		t.Errorf("one statement: %v", err)
	}

	// A member name written with escapes is found as decoded.
	esc := `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Str\u0069ngFoo":{"x":"1"}}}]}`
	if _, err := ParsePolicy("esc.json", []byte(esc)); err == nil || !strings.HasPrefix(err.Error(), "esc.json:1:74: Statement[0]: condition operator \"StringFoo\"") {
		t.Errorf("escaped name: %v", err)
	}

	// The output of aws iam get-policy-version holds the policy in
	// PolicyVersion.Document, where no place in the file would match
	// the policy's own: it is refused as a whole, with how to save the
	// policy alone (GetPolicyVersion,
	// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html),
	// and no statement is placed in it.
	wrapped := "{\n  \"PolicyVersion\": {\n    \"Document\": {\n      \"Version\": \"2012-10-17\",\n      \"Statement\": [\n        {\"Effect\": \"Alow\", \"Action\": \"bedrock:*\", \"Resource\": \"*\"}\n      ]\n    },\n    \"VersionId\": \"v3\",\n    \"IsDefaultVersion\": true\n  }\n}\n"
	if _, err := ParsePolicyPartial("version.json", []byte(wrapped)); err == nil || err.Error() != "version.json: this is the output of aws iam get-policy-version, not a policy document: save the policy alone with --query PolicyVersion.Document, e.g. aws iam get-policy-version --policy-arn ARN --version-id v1 --query PolicyVersion.Document > FILE" {
		t.Errorf("get-policy-version output: %v", err)
	}
}
