package benchtest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/replay"
	"github.com/bedrock-bench/bedrock-bench/benchtest"
)

// The whole bench in a team's package: every (target, history) case of
// bedrock-bench.yaml as a subtest, replayed offline; go test -record
// -endpoint emulator records them.
func ExampleRun() {
	// In bedrock_bench_test.go:
	//
	//	func TestBedrockBench(t *testing.T) {
	//		benchtest.Run(t, benchtest.Options{})
	//	}
	var _ func(*testing.T, benchtest.Options) = benchtest.Run
}

func hello(ctx context.Context, client *bedrockruntime.Client) (*bedrockruntime.ConverseOutput, error) {
	return client.Converse(ctx, &bedrockruntime.ConverseInput{
		ModelId: aws.String("us.amazon.nova-lite-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Say hello."}}}},
	})
}

// The bundled emulator for the application's own tests: any SDK client
// built from the config talks to it. In a test, benchtest.Emulator(t, nil)
// does the same and stops it at cleanup.
func ExampleStartEmulator() {
	cfg, stop, err := benchtest.StartEmulator(nil)
	if err != nil {
		panic(err)
	}
	defer stop()
	out, err := hello(context.Background(), bedrockruntime.NewFromConfig(cfg, benchtest.SigV4))
	if err != nil {
		panic(err)
	}
	fmt.Println(out.StopReason)

	// A model its Region does not offer answers as Bedrock does.
	cfg.Region = "ap-south-1"
	_, err = bedrockruntime.NewFromConfig(cfg, benchtest.SigV4).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("meta.llama3-3-70b-instruct-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Hi"}}}},
	})
	fmt.Println(err != nil)
	// Output:
	// end_turn
	// true
}

// A cassette as the transport of the application's own client: record
// once (here against the emulator), then replay offline with no
// credentials. In a test, benchtest.Cassette(t, path) opens it in the mode
// the -record flags ask for and closes it at cleanup.
func ExampleOpenCassette() {
	dir, _ := os.MkdirTemp("", "cassette-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hello.yaml")

	cfg, stop, err := benchtest.StartEmulator(nil)
	if err != nil {
		panic(err)
	}
	rec, err := benchtest.OpenCassette(path, replay.Record)
	if err != nil {
		panic(err)
	}
	recorded, err := hello(context.Background(), bedrockruntime.NewFromConfig(cfg, rec.ClientOptions, benchtest.SigV4))
	if err != nil {
		panic(err)
	}
	if err := rec.Close(); err != nil {
		panic(err)
	}
	stop() // from here on, nothing listens

	play, err := benchtest.OpenCassette(path, replay.Replay)
	if err != nil {
		panic(err)
	}
	replayed, err := hello(context.Background(), bedrockruntime.NewFromConfig(aws.Config{}, play.ClientOptions))
	if err != nil {
		panic(err)
	}
	text := func(o *bedrockruntime.ConverseOutput) string {
		return o.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
	}
	fmt.Println(text(replayed) == text(recorded), play.Unplayed())
	// Output: true 0
}
