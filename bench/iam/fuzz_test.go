package iam

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzEvaluate: evaluating any policy against any request never panics,
// and adding an explicit Deny statement never turns a denial into an
// allow ("An explicit deny in any of these policies overrides the allow").
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(geoPolicy), []byte(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`), fm("us-east-1"), "10.0.0.1", true)
	f.Add([]byte(allowAll), []byte(`{"Effect":"Deny","NotAction":"s3:*","Resource":"arn:aws:bedrock:${aws:PrincipalTag/team, 'x'}*"}`), fm(""), "", false)
	f.Add([]byte(broadPolicy), []byte(`{"Effect":"Deny","Action":"bedrock:Invoke*","NotResource":"arn:aws:bedrock:us-*","Condition":{"ForAnyValue:DateLessThan":{"aws:CurrentTime":"2020-01-01"}}}`), usProfARN, "2001:db8::1", true)
	f.Fuzz(func(t *testing.T, policy, deny []byte, resource, sourceIP string, partial bool) {
		p, err := ParsePolicyPartial("fuzz.json", policy)
		if err != nil {
			return
		}
		for _, bad := range p.Invalid {
			// A document that decodes places each statement it refuses.
			if bad.Line < 1 || bad.Col < 1 {
				t.Fatalf("%s: not placed", bad)
			}
		}
		denyDoc := append(append([]byte(`{"Statement":[`), deny...), ']', '}')
		dp, err := ParsePolicyPartial("deny.json", denyDoc)
		if err != nil {
			return
		}
		var denies []Statement
		for _, st := range dp.Statements {
			if st.Effect == Deny {
				denies = append(denies, st)
			}
		}
		r := Request{Action: invoke, Resource: resource, Partial: partial, Context: map[string][]string{
			KeyRequestedRegion: {"us-east-1"}, KeyInferenceProfileArn: {usProfARN}, "aws:CurrentTime": {"2026-12-06T00:00:00Z"}}}
		if sourceIP != "" {
			r.Context["aws:SourceIp"] = []string{sourceIP}
		}
		before := (&Principal{ARN: principal, Identity: []*Policy{p}}).Evaluate(r)
		withDeny := &Policy{Name: "deny.json", Statements: denies}
		after := (&Principal{ARN: principal, Identity: []*Policy{p, withDeny}, SCPs: [][]*Policy{{p}}}).Evaluate(r)
		after2 := (&Principal{ARN: principal, Identity: []*Policy{p, withDeny}}).Evaluate(r)
		if !before.Allowed() && after2.Allowed() {
			t.Fatalf("adding a Deny turned a denial into an allow: %+v -> %+v", before, after2)
		}
		if before.Conditional && after2.Allowed() {
			t.Fatalf("conditional became allowed by a Deny")
		}
		if !before.Allowed() && !before.Conditional && after2.Conditional && after2.Best == Allowed {
			t.Fatalf("a definite denial became possibly allowed by a Deny: %+v -> %+v", before, after2)
		}
		if !after.Allowed() && after.Message(principal) == "" {
			t.Fatal("a denial without a message")
		}
	})
}

// A 15 MB policy with 10,000 wildcard statements is read and evaluated in
// time and memory linear in its size: doubling the policy at most about
// doubles the work (measured in allocations and bytes, not wall time).
func TestLargePolicyIsLinear(t *testing.T) {
	cost := func(n int) (allocs, bytes float64) {
		doc := largePolicy(n)
		res := testing.Benchmark(func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				p, err := ParsePolicyPartial("big.json", doc)
				if err != nil {
					b.Fatal(err)
				}
				pr := Principal{Identity: []*Policy{p}}
				for _, r := range []Request{req(invoke, fm("us-east-1")), req(invokeStrm, fm("")), req(invoke, usProfARN)} {
					pr.Evaluate(r)
				}
			}
		})
		return float64(res.AllocsPerOp()), float64(res.AllocedBytesPerOp())
	}
	a1, b1 := cost(150)
	a2, b2 := cost(300)
	if a2 > 2.5*a1 || b2 > 2.5*b1 {
		t.Errorf("doubling the statements: allocations %.0f -> %.0f, bytes %.0f -> %.0f: not linear", a1, a2, b1, b2)
	}
}

// largePolicy is n statements, each with ~1.5 KB of wildcard resources
// (10,000 statements make about 15 MB), none of which matches.
func largePolicy(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":["bedrock:Invoke*","s3:*"],"Resource":[`, i)
		for j := 0; j < 12; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"arn:aws:bedrock:*:*:inference-profile/team-%d-%d-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-x"`, i, j)
		}
		b.WriteString(`],"Condition":{"StringLike":{"aws:RequestedRegion":"*"}}}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkLargePolicy measures a 15 MB, 10,000-statement policy:
// go test ./bench/iam -run '^$' -bench LargePolicy -benchtime 1x
func BenchmarkLargePolicy(b *testing.B) {
	doc := largePolicy(10000)
	b.SetBytes(int64(len(doc)))
	for i := 0; i < b.N; i++ {
		p, err := ParsePolicyPartial("big.json", doc)
		if err != nil {
			b.Fatal(err)
		}
		pr := Principal{Identity: []*Policy{p}}
		for _, r := range []Request{req(invoke, fm("us-east-1")), req(invokeStrm, fm("")), req(invoke, usProfARN)} {
			pr.Evaluate(r)
		}
	}
}

// FuzzPolicyVariables: resolving policy variables never panics, leaves
// text without "${" as it is, and a resolved pattern matches the plain
// text it stands for.
func FuzzPolicyVariables(f *testing.F) {
	for _, s := range []string{"home/${aws:username}/*", "${aws:PrincipalTag/team, 'o''brien'}", "${*}${?}${$}", "${", "${a, 'b", "${ , 'x'}", "a\x00b${aws:username}"} {
		f.Add(s, "alice")
	}
	f.Fuzz(func(t *testing.T, s, user string) {
		ec := newEvalCtx(&Principal{}, Request{Context: map[string][]string{"aws:username": {user}}})
		out, ok, unknown := expand(s, ec)
		if unknown != "" {
			t.Fatalf("a complete request has no unknown key: %q", unknown)
		}
		if !strings.Contains(s, "${") && (!ok || out != s) {
			t.Fatalf("text without variables changed: %q -> %q", s, out)
		}
		if ok {
			// The resolved pattern matches its own plain text.
			plain := unescape(out)
			if !strings.ContainsAny(plain, "*?") && !globMatch(out, plain, false, true) {
				t.Fatalf("%q (from %q) does not match %q", out, s, plain)
			}
		}
	})
}
