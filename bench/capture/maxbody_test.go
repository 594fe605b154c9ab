package capture

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestCapturedBodiesReplayOnTheEmulator: whatever capture records, the
// emulator takes with its defaults, and a fixture file holds: the three
// limits are one. A 30 MiB Converse call goes through the proxy to a
// default emulator and is answered and recorded; before, the emulator's
// 20 MiB default answered 413 to a body capture had recorded.
func TestCapturedBodiesReplayOnTheEmulator(t *testing.T) {
	limits := []int64{DefaultMaxBody, emulator.DefaultMaxBodyBytes, history.MaxFileSize}
	if limits[0] != limits[1] || limits[0] != limits[2] {
		t.Errorf("capture records up to %d bytes, the emulator takes %d, a fixture holds %d", DefaultMaxBody, emulator.DefaultMaxBodyBytes, history.MaxFileSize)
	}
	if testing.Short() {
		t.Skip("a 30 MiB call")
	}
	hs := startEmulator(t)
	rec, dir := newRecorder(t, 4)
	ps := startProxy(t, hs, rec)
	c := client(ps.URL, ps.Client(), "AKIDEXAMPLE", "secret")
	big := strings.Repeat("the weather in Lisbon ", (30<<20)/22)
	_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: big}}}}})
	if err != nil {
		t.Fatalf("a 30 MiB Converse call through capture to the emulator: %v", err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if hs, err := history.LoadDir(dir); err != nil || len(hs) != 1 {
		t.Errorf("recorded: %d fixtures, %v", len(hs), err)
	}
}
