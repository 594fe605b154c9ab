package main

import (
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/preflight"
)

// TestPreflightMatrixLongModel: the MODEL column is as wide as its longest
// entry, so an application inference profile ARN (longer than the
// 45 characters the column had) keeps OFFERED and DESTINATIONS aligned.
func TestPreflightMatrixLongModel(t *testing.T) {
	const arn = "arn:aws:bedrock:ap-southeast-2:111122223333:application-inference-profile/hq2of259skzs"
	m := &preflight.Matrix{Rows: []preflight.Row{
		{Region: "us-east-1", Model: "us.amazon.nova-pro-v1:0", Offered: preflight.ViaProfile,
			Destinations: []preflight.Destination{{Region: "us-east-1", Verdict: preflight.VerdictAllowed}}},
		{Region: "ap-southeast-2", Model: arn, Offered: preflight.ViaProfile,
			Destinations: []preflight.Destination{{Region: "ap-southeast-2", Verdict: preflight.VerdictDenied}}},
		{Region: "eu-west-1", Model: "us.amazon.nova-pro-v1:0", Offered: preflight.NotOffered},
	}}
	var b strings.Builder
	printMatrix(&b, m)
	lines := strings.Split(b.String(), "\n")[:4]
	col := func(line, word string) int { return strings.Index(line, word) }
	offered, dest := col(lines[0], "OFFERED"), col(lines[0], "DESTINATIONS")
	for i, want := range []string{"via profile", "via profile", "NOT OFFERED"} {
		if got := col(lines[i+1], want); got != offered {
			t.Errorf("row %d: OFFERED at column %d, header at %d\n%s", i+1, got, offered, strings.Join(lines, "\n"))
		}
	}
	for i, want := range []string{"us-east-1 ok", "ap-southeast-2 DENIED", "-"} {
		if got := strings.LastIndex(lines[i+1], want); got != dest {
			t.Errorf("row %d: DESTINATIONS at column %d, header at %d\n%s", i+1, got, dest, strings.Join(lines, "\n"))
		}
	}
	if !strings.Contains(lines[2], arn+" ") {
		t.Errorf("the ARN is not shown whole:\n%s", lines[2])
	}
}
