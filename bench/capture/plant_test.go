package capture

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// TestPlantedValuesNeverReachACapture sends every planted secret and
// personal datum, in the system prompt and in a user turn, through the
// SDK middleware and through the proxy (the emulator echoes the prompt
// back, so the answers hold them too). Each capture folder holds one
// fixture file a call and nothing else, and no file holds a planted value.
func TestPlantedValuesNeverReachACapture(t *testing.T) {
	hs := startEmulator(t)
	plants := redacttest.New(11).All()
	var all strings.Builder
	for _, p := range plants {
		all.WriteString(p.Text + "\n")
	}
	in := &bedrockruntime.ConverseInput{
		ModelId:  aws.String(model),
		System:   []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "What we know:\n" + all.String()}},
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Please check these:\n" + all.String()}}}},
	}
	ctx := context.Background()
	scan := func(t *testing.T, dir string) {
		t.Helper()
		files := 0
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			files++
			if !strings.HasSuffix(path, ".json") {
				t.Errorf("%s: a capture writes fixtures only", path)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, p := range plants {
				if strings.Contains(string(data), p.Value) {
					t.Errorf("%s holds the planted %s %q", path, p.Kind, p.Value)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if files != 1 {
			t.Errorf("%d files in %s, want the one fixture", files, dir)
		}
	}

	t.Run("middleware", func(t *testing.T) {
		rec, dir := newRecorder(t, 16)
		c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
		out, err := c.Converse(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		echo := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
		if !strings.Contains(echo, plants[0].Value) {
			t.Fatalf("the emulator's answer does not echo the prompt, so the test checks less than it says: %q", echo)
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		scan(t, dir)
	})
	t.Run("proxy", func(t *testing.T) {
		rec, dir := newRecorder(t, 16)
		ps := startProxy(t, hs, rec)
		if _, err := client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret").Converse(ctx, in); err != nil {
			t.Fatal(err)
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		scan(t, dir)
	})
}

// A model named by its ARN (an application inference profile, a
// provisioned or custom model) holds the account id: no capture writes
// it, through the SDK middleware or the proxy, in the description or the
// source.
func TestModelARNAccountNeverReachesACapture(t *testing.T) {
	hs := startEmulator(t)
	var account string
	for _, p := range redacttest.New(13).All() {
		if p.Kind == redact.AWSAccountID {
			account = p.Value
		}
	}
	in := &bedrockruntime.ConverseInput{
		ModelId:  aws.String("arn:aws:bedrock:us-east-1:" + account + ":application-inference-profile/k3v9q2x7m1p4"),
		Messages: conversation,
	}
	check := func(t *testing.T, dir string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Fatalf("%d files in %s, want the one fixture", len(entries), dir)
		}
		data, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), account) {
			t.Errorf("%s holds the account id %s:\n%s", entries[0].Name(), account, data)
		}
	}
	ctx := context.Background()
	t.Run("middleware", func(t *testing.T) {
		rec, dir := newRecorder(t, 16)
		c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
		_, _ = c.Converse(ctx, in) // the capture does not depend on the answer
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		check(t, dir)
	})
	t.Run("proxy", func(t *testing.T) {
		rec, dir := newRecorder(t, 16)
		ps := startProxy(t, hs, rec)
		_, _ = client(ps.URL, ps.Client(), "AKIDAPPLICATIONKEY01", "application-secret").Converse(ctx, in)
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		check(t, dir)
	})
}

// TestValuesCutBetweenBlocksNeverReachACapture: a key, a card number and
// an e-mail address, each cut between two or three adjacent text blocks
// of the system prompt and of a user turn, reach no captured fixture,
// neither as written nor with the blocks joined, and the fixture keeps
// its blocks.
func TestValuesCutBetweenBlocksNeverReachACapture(t *testing.T) {
	hs := startEmulator(t)
	var plants []redacttest.SplitPlant
	for _, p := range redacttest.New(12).SplitPlants("Quillfeather") {
		if p.What != "term" { // the capture's scanner has no terms
			plants = append(plants, p)
		}
	}
	rec, dir := newRecorder(t, 64)
	c := client(hs.URL, hs.Client(), emulator.DefaultCredentials.AccessKeyID, emulator.DefaultCredentials.SecretAccessKey, WithCapture(rec))
	calls := 0
	for _, p := range plants {
		for _, n := range []int{2, 3} {
			cuts := p.Cuts(n, 0)
			pieces := cuts[len(cuts)/2]
			in := &bedrockruntime.ConverseInput{ModelId: aws.String(model)}
			var user []types.ContentBlock
			for _, piece := range pieces {
				in.System = append(in.System, &types.SystemContentBlockMemberText{Value: piece})
				user = append(user, &types.ContentBlockMemberText{Value: piece})
			}
			in.Messages = []types.Message{{Role: types.ConversationRoleUser, Content: user}}
			if _, err := c.Converse(context.Background(), in); err != nil {
				t.Fatal(err)
			}
			calls++
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != calls {
		t.Fatalf("%d fixtures, want %d", len(entries), calls)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		runs := redacttest.TextRuns(data)
		multi := 0
		for _, run := range runs {
			if len(run) > 1 {
				multi++
			}
		}
		if multi != 2 {
			t.Errorf("%s: %d runs of blocks, want the system prompt's and the turn's", e.Name(), multi)
		}
		for _, p := range plants {
			if s := redacttest.Survives(string(data), p.Value, p.Keep); s != "" {
				t.Errorf("%s: the %s survived as %q", e.Name(), p.What, s)
			}
			for _, run := range runs {
				if s := redacttest.Survives(strings.Join(run, ""), p.Value, p.Keep); s != "" {
					t.Errorf("%s: the %s survived as %q in the joined blocks %q", e.Name(), p.What, s, run)
				}
			}
		}
	}
}
