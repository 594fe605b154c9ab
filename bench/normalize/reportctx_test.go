package normalize_test

import (
	"context"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
)

type reportCtxKey struct{}

// TestClientReportContext: the Report callback records what the call's
// input needed, also for a call whose context is already cancelled (the
// caller gave up, or its deadline passed): the callback gets the call's
// values (a logger, a trace span) without its cancellation, so a log or
// metric written with ctx is not dropped as "context canceled".
func TestClientReportContext(t *testing.T) {
	var errs []error
	var vals []any
	c := emulatorClient(t, normalize.Client(normalize.ClientOptions{Report: func(ctx context.Context, _ string, rep normalize.Report) {
		errs = append(errs, ctx.Err())
		vals = append(vals, ctx.Value(reportCtxKey{}))
	}}))
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), reportCtxKey{}, "span-1"))
	cancel()
	if _, err := c.Converse(ctx, brokenInput()); err == nil {
		t.Fatal("a call with a cancelled context succeeded")
	}
	if len(errs) != 1 {
		t.Fatalf("Report called %d times, want once", len(errs))
	}
	if errs[0] != nil || vals[0] != "span-1" {
		t.Errorf("Report's ctx: Err %v, value %v; want no error and the call's value", errs[0], vals[0])
	}
}
