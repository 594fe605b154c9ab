package ingest

import (
	"bufio"
	"bytes"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/klauspost/compress/gzip"
)

// benchLogs returns n invocation log records, one a line, shaped as
// testdata/genlogs writes them: conversations logged turn by turn, so
// request bodies grow from a few hundred bytes to several kilobytes, and
// the model's reply logged with each.
func benchLogs(n int) [][]byte {
	r := rand.New(rand.NewPCG(1, 8))
	words := strings.Fields(`the order shipment invoice account refund delivery address payment card booking flight hotel
		weather forecast report summary meeting schedule project deadline budget analysis customer support ticket issue
		error deploy server database query latency timeout retry policy contract clause review draft email reply please`)
	sentence := func(k int) string {
		s := make([]string, k)
		for i := range s {
			s[i] = words[r.IntN(len(words))]
		}
		return strings.Join(s, " ")
	}
	text := func(s string) []any { return []any{map[string]any{"text": s}} }
	var lines [][]byte
	for len(lines) < n {
		session := fmt.Sprintf("sess-%012x", r.Uint64()&0xffffffffffff)
		var msgs []any
		for turn := 1 + r.IntN(8); turn > 0 && len(lines) < n; turn-- {
			msgs = append(msgs, map[string]any{"role": "user", "content": text(sentence(8 + r.IntN(40)))})
			reply := sentence(10 + r.IntN(60))
			rec := map[string]any{"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": "2026-11-20T00:00:00Z",
				"accountId": "210987654321", "identity": map[string]any{"arn": "arn:aws:sts::210987654321:assumed-role/app/i-0abc"},
				"region": "us-east-1", "requestId": fmt.Sprintf("%08x-0000-4000-8000-%012x", len(lines), r.Uint64()&0xffffffffffff),
				"operation": "Converse", "modelId": "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "requestMetadata": map[string]any{"sessionId": session},
				"input": map[string]any{"inputContentType": "application/json", "inputTokenCount": 100, "inputBodyJson": map[string]any{
					"messages": msgs, "system": text("You are the support assistant of Contoso Travel. Be concise."),
					"inferenceConfig": map[string]any{"maxTokens": 1024, "temperature": 0.5}}},
				"output": map[string]any{"outputContentType": "application/json", "outputBodyJson": map[string]any{"stopReason": "end_turn",
					"output": map[string]any{"message": map[string]any{"role": "assistant", "content": text(reply)}}}}}
			line, err := json.Marshal(rec, json.Deterministic(true))
			if err != nil {
				panic(err)
			}
			lines = append(lines, line)
			msgs = append(msgs, map[string]any{"role": "assistant", "content": text(reply)})
		}
	}
	return lines
}

// BenchmarkBedrockRecord reads invocation log records with the fast path
// and with json.Unmarshal, the fallback; an op is one record.
func BenchmarkBedrockRecord(b *testing.B) {
	lines := benchLogs(3000)
	size := 0
	for _, l := range lines {
		size += len(l)
	}
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(size / len(lines)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, ok := readBedrockLog(lines[i%len(lines)]); !ok {
				b.Fatalf("the fast path declined %s", lines[i%len(lines)])
			}
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.SetBytes(int64(size / len(lines)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			var l bedrockLog
			if err := json.Unmarshal(lines[i%len(lines)], &l, jsontext.AllowDuplicateNames(true)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGunzip reads a .json.gz of invocation log records with
// compress/gzip and with klauspost's gzip, which Read uses for its
// speed, at the compression levels of genlogs (BestSpeed) and of gzip's
// default.
func BenchmarkGunzip(b *testing.B) {
	lines := benchLogs(3000)
	plain := append(bytes.Join(lines, []byte("\n")), '\n')
	for _, level := range []int{stdgzip.BestSpeed, stdgzip.DefaultCompression} {
		var gz bytes.Buffer
		zw, _ := stdgzip.NewWriterLevel(&gz, level)
		zw.Write(plain)
		zw.Close()
		for _, rd := range []struct {
			name string
			open func(io.Reader) (io.Reader, error)
		}{
			{"compress-gzip", func(r io.Reader) (io.Reader, error) { return stdgzip.NewReader(r) }},
			{"klauspost", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		} {
			b.Run(fmt.Sprintf("level=%d/%s", level, rd.name), func(b *testing.B) {
				b.SetBytes(int64(len(plain)))
				buf := make([]byte, 256<<10)
				for b.Loop() {
					zr, err := rd.open(bufio.NewReaderSize(bytes.NewReader(gz.Bytes()), 256<<10)) // as Read does
					if err != nil {
						b.Fatal(err)
					}
					if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{zr}, buf); err != nil || n != int64(len(plain)) {
						b.Fatal(n, err)
					}
				}
			})
		}
	}
}
