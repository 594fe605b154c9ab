package redact_test

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// TestCredentialsInNameValuePairs: a list of name/value pairs (a
// container's environment in Kubernetes or ECS, CloudFormation
// parameters, Elastic Beanstalk options, SSM parameters, HAR headers)
// holds the name in one member and the credential in another: where the
// name is a credential's, the value is redacted as it would be under
// that name, whichever member comes first.
func TestCredentialsInNameValuePairs(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range []struct{ body, value string }{
		{`{"env":[{"name":"AWS_SECRET_ACCESS_KEY","value":"jG7rK2pQ9wXz"}]}`, "jG7rK2pQ9wXz"},
		{`{"environment":[{"Name":"DB_PASSWORD","Value":"hunter2"},{"Name":"STAGE","Value":"prod"}]}`, "hunter2"},
		{`{"Parameters":[{"ParameterKey":"DBPassword","ParameterValue":"Xq7#Lm9zKp2w"}]}`, "Xq7#Lm9zKp2w"},
		{`{"OptionSettings":[{"Namespace":"aws:elasticbeanstalk:application:environment","OptionName":"API_KEY","Value":"abc123"}]}`, "abc123"},
		{`{"Parameter":{"Name":"/prod/db/password","Type":"SecureString","Value":"s3cret!"}}`, "s3cret!"},
		{`{"headers":[{"name":"Authorization","value":"Basic YWRtaW46Ulq2"}]}`, "YWRtaW46Ulq2"},
		{`{"headers":[{"name":"x-api-key","value":"k3yv4lue"}]}`, "k3yv4lue"},
		// The value before the name.
		{`[{"value":"hunter2","name":"DB_PASSWORD"}]`, "hunter2"},
		{`{"a":{"Value":"jG7rK2pQ9wXz","x":"jo@acme.io","Name":"SECRET"}}`, "jG7rK2pQ9wXz"},
	} {
		out, counts, err := r.Body([]byte(c.body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), c.value) || counts.Secrets() != 1 {
			t.Errorf("%s redacts to %s (%v)", c.body, out, counts)
		}
	}
	for _, body := range []string{
		`{"env":[{"name":"STAGE","value":"prod"},{"name":"LOG_LEVEL","value":"debug"}]}`,
		`{"Tags":[{"Key":"Owner","Value":"platform"}]}`,
		`{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}`,
		`{"name":"password","description":"The user's password","required":true}`,
	} {
		out, counts, err := r.Body([]byte(body), redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if counts != nil {
			t.Errorf("%s redacts to %s (%v)", body, out, counts)
		}
	}
}

// TestCredentialsInJSONText: a JSON text held in a string (a tool call's
// arguments, a tool result) is text to the body walk, so its member
// names tell nothing there; the same values are found in it as text,
// escaped once or twice or not, the pair's value before or after its
// name, and an authentication scheme is kept.
func TestCredentialsInJSONText(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, c := range []struct{ text, value string }{
		{`{"password":"Summer2024!"}`, "Summer2024!"},
		{`{"path":"/x","db_password": "hunter2"}`, "hunter2"},
		{`{\"api_key\":\"3f8a9c2e\"}`, "3f8a9c2e"},
		{`{\\\"client_secret\\\":\\\"s3cr3t\\\"}`, "s3cr3t"},
		{`{"env":[{"name":"AWS_SECRET_ACCESS_KEY","value":"jG7rK2pQ9wXz"}]}`, "jG7rK2pQ9wXz"},
		{`{\"ParameterKey\":\"DBPassword\", \"ParameterValue\":\"Xq7#Lm9zKp2w\"}`, "Xq7#Lm9zKp2w"},
		{`[{"value":"hunter2","name":"DB_PASSWORD"}]`, "hunter2"},
		{`{"headers":{"Authorization":"Basic YWRtaW46cGFzc3dvcmQ="}}`, "YWRtaW46cGFzc3dvcmQ="},
		{`{"access_token":"Bearer abc.def"}`, "abc.def"},
	} {
		out, counts := r.Text(c.text)
		if strings.Contains(out, c.value) || counts.Secrets() == 0 {
			t.Errorf("%s redacts to %s (%v)", c.text, out, counts)
		}
	}
	if out, _ := r.Text(`{"Authorization":"Basic YWRtaW46cGFzc3dvcmQ="}`); !strings.HasPrefix(out, `{"Authorization":"Basic REDACTED`) {
		t.Errorf("the scheme went: %s", out)
	}
	for _, text := range []string{
		`{"token":"Hello","logprob":-0.1}`, `{"NextToken":"eyJwYWdlIjoyfQ"}`, `{"password":""}`, `{"password":"${DB_PASSWORD}"}`,
		`{"env":[{"name":"STAGE","value":"prod"}]}`, `{"name":"password","description":"The user's password"}`,
		`{"key":"gen_ai.system","value":{"stringValue":"aws.bedrock"}}`, `{"Key":"reports/q3.csv"}`,
		`{"label":"password","value":"shown"}`, `{"value":"shown","label":"DB_PASSWORD"}`,
	} {
		if out, counts := r.Text(text); counts != nil {
			t.Errorf("%s redacts to %s (%v)", text, out, counts)
		}
	}
}

// TestPairMembers: the member names of a pair's name and value, in any
// case, and no other.
func TestPairMembers(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, names := range [][2]string{{"name", "value"}, {"Name", "Value"}, {"KEY", "VALUE"}, {"ParameterKey", "ParameterValue"},
		{"parameter_key", "parameter_value"}, {"ParameterName", "ParameterValue"}, {"parameter_name", "parameter_value"},
		{"OptionName", "OptionValue"}, {"option_name", "option_value"}, {"OptionName", "Value"}} {
		body := `{"` + names[0] + `":"DB_PASSWORD","` + names[1] + `":"hunter2"}`
		if out, counts, _ := r.Body([]byte(body), redact.BodyOptions{}); strings.Contains(string(out), "hunter2") || counts.Secrets() != 1 {
			t.Errorf("%s redacts to %s", body, out)
		}
	}
	for _, names := range [][2]string{{"names", "value"}, {"label", "value"}, {"name", "values"}, {"name", "valueFrom"}, {"id", "val"}} {
		body := `{"` + names[0] + `":"DB_PASSWORD","` + names[1] + `":"hunter2"}`
		if out, counts, _ := r.Body([]byte(body), redact.BodyOptions{}); counts != nil {
			t.Errorf("%s redacts to %s", body, out)
		}
	}
}
