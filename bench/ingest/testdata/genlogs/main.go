// Command genlogs writes synthetic Bedrock model invocation logs for the
// import benchmark: conversations logged turn by turn (so most records
// are prefixes of a later one), tool rounds, images, documents, personal
// data in the text, several model families and operations, and a few of
// the odd histories that break the Converse contract. The output is the
// S3 delivery layout: gzip files of JSON lines. The same seed gives the
// same files.
//
//	go run ./bench/ingest/testdata/genlogs -n 1000000 -out /tmp/bedrock-logs
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var (
	words = strings.Fields(`the order shipment invoice account refund delivery address payment card booking flight hotel
		weather forecast report summary meeting schedule project deadline budget analysis customer support ticket issue
		error deploy server database query latency timeout retry policy contract clause review draft email reply please
		thanks could would should tomorrow today yesterday morning evening status update priority urgent normal low high`)
	models = []struct{ id, op string }{
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "Converse"},
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "ConverseStream"},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", "InvokeModel"},
		{"amazon.nova-pro-v1:0", "Converse"},
		{"amazon.nova-lite-v1:0", "ConverseStream"},
		{"meta.llama3-3-70b-instruct-v1:0", "Converse"},
		{"mistral.mistral-large-2407-v1:0", "Converse"},
	}
	systems = []string{"You are the support assistant of Contoso Travel. Be concise.", "You answer questions about invoices.",
		"You are a careful coding assistant.", "Reply in French.", ""}
	png = base64.StdEncoding.EncodeToString(append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 600)...))
)

type gen struct{ r *rand.Rand }

func (g *gen) sentence(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[g.r.IntN(len(words))])
	}
	switch g.r.IntN(40) {
	case 0:
		fmt.Fprintf(&b, " my email is %s.%s@contoso-mail.com", words[g.r.IntN(len(words))], words[g.r.IntN(len(words))])
	case 1:
		fmt.Fprintf(&b, " call me on +44 20 %04d %04d", g.r.IntN(10000), g.r.IntN(10000))
	case 2:
		fmt.Fprintf(&b, " the server is at 81.%d.%d.%d", g.r.IntN(255), g.r.IntN(255), 1+g.r.IntN(250))
	}
	return b.String()
}

func text(s string) map[string]any { return map[string]any{"text": s} }

// conversation builds the Converse messages of one conversation, turn by
// turn; each element is the history as sent at that turn.
func (g *gen) conversation() ([][]any, bool) {
	var msgs []any
	var turns [][]any
	n := 1 + g.r.IntN(8)
	tools := g.r.IntN(3) == 0
	if g.r.IntN(50) == 0 {
		msgs = append(msgs, map[string]any{"role": "assistant", "content": []any{text("Welcome back! How can I help?")}})
	}
	for t := 0; t < n; t++ {
		content := []any{text(g.sentence(8 + g.r.IntN(40)))}
		if g.r.IntN(60) == 0 {
			content = append(content, map[string]any{"image": map[string]any{"format": "png", "source": map[string]any{"bytes": png}}})
		}
		if g.r.IntN(80) == 0 {
			content = append(content, map[string]any{"document": map[string]any{"format": "txt", "name": "notes " + fmt.Sprint(t),
				"source": map[string]any{"bytes": base64.StdEncoding.EncodeToString([]byte(g.sentence(30)))}}})
		}
		if g.r.IntN(100) == 0 {
			content = []any{text("   ")}
		}
		msgs = append(msgs, map[string]any{"role": "user", "content": content})
		turns = append(turns, append([]any(nil), msgs...))
		if tools && g.r.IntN(2) == 0 {
			id := fmt.Sprintf("tooluse_%016x", g.r.Uint64())
			msgs = append(msgs, map[string]any{"role": "assistant", "content": []any{text("Let me check."),
				map[string]any{"toolUse": map[string]any{"toolUseId": id, "name": "lookup", "input": map[string]any{"query": g.sentence(4)}}}}})
			msgs = append(msgs, map[string]any{"role": "user", "content": []any{map[string]any{"toolResult": map[string]any{"toolUseId": id,
				"content": []any{map[string]any{"json": map[string]any{"status": "ok", "detail": g.sentence(12)}}}}}}})
			turns = append(turns, append([]any(nil), msgs...))
		}
		reply := g.sentence(10 + g.r.IntN(60))
		if g.r.IntN(200) == 0 {
			reply += " "
		}
		msgs = append(msgs, map[string]any{"role": "assistant", "content": []any{text(reply)}})
	}
	return turns, tools
}

func main() {
	n := flag.Int("n", 1000000, "records to write")
	out := flag.String("out", "bedrock-logs", "folder to write into")
	files := flag.Int("files", 20, "number of .json.gz files")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	g := &gen{rand.New(rand.NewPCG(*seed, *seed+7))}
	per := (*n + *files - 1) / *files
	written, file := 0, 0
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var zw *gzip.Writer
	var bw *bufio.Writer
	var f *os.File
	closeFile := func() {
		if f != nil {
			bw.Flush()
			zw.Close()
			f.Close()
		}
	}
	for written < *n {
		m := models[g.r.IntN(len(models))]
		sys := systems[g.r.IntN(len(systems))]
		session := fmt.Sprintf("sess-%012x", g.r.Uint64()&0xffffffffffff)
		turns, tools := g.conversation()
		for _, msgs := range turns {
			if written >= *n {
				break
			}
			if written%per == 0 {
				closeFile()
				var err error
				f, err = os.Create(filepath.Join(*out, fmt.Sprintf("%04d.json.gz", file)))
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				file++
				zw, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
				bw = bufio.NewWriterSize(zw, 1<<20)
			}
			var body map[string]any
			if m.op == "InvokeModel" {
				body = map[string]any{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024, "messages": anthropic(msgs)}
				if tools {
					body["tools"] = []any{map[string]any{"name": "lookup", "description": "Look a record up", "input_schema": map[string]any{"type": "object", "properties": map[string]any{"query": map[string]any{"type": "string"}}}}}
				}
				if sys != "" {
					body["system"] = sys
				}
			} else {
				body = map[string]any{"messages": msgs, "inferenceConfig": map[string]any{"maxTokens": 1024, "temperature": 0.5}}
				if tools {
					body["toolConfig"] = map[string]any{"tools": []any{map[string]any{"toolSpec": map[string]any{"name": "lookup", "description": "Look a record up",
						"inputSchema": map[string]any{"json": map[string]any{"type": "object", "properties": map[string]any{"query": map[string]any{"type": "string"}}}}}}}}
				}
				if sys != "" {
					body["system"] = []any{text(sys)}
				}
			}
			ts := start.Add(time.Duration(written) * 50 * time.Millisecond)
			rec := map[string]any{"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": ts.Format(time.RFC3339),
				"accountId": "210987654321", "identity": map[string]any{"arn": "arn:aws:sts::210987654321:assumed-role/app/i-0abc"},
				"region": "us-east-1", "requestId": fmt.Sprintf("%08x-0000-4000-8000-%012x", written, g.r.Uint64()&0xffffffffffff),
				"operation": m.op, "modelId": m.id, "requestMetadata": map[string]any{"sessionId": session},
				"input": map[string]any{"inputContentType": "application/json", "inputBodyJson": body, "inputTokenCount": 100},
				"output": map[string]any{"outputContentType": "application/json", "outputBodyJson": map[string]any{"stopReason": "end_turn",
					"output": map[string]any{"message": map[string]any{"role": "assistant", "content": []any{text(g.sentence(20))}}}}}}
			data, _ := json.Marshal(rec)
			bw.Write(data)
			bw.WriteByte('\n')
			written++
		}
	}
	closeFile()
	fmt.Fprintf(os.Stderr, "wrote %d records in %d files to %s\n", written, file, *out)
}

// anthropic turns Converse messages into Messages API ones.
func anthropic(msgs []any) []any {
	var out []any
	for _, m := range msgs {
		mm := m.(map[string]any)
		var blocks []any
		for _, c := range mm["content"].([]any) {
			cb := c.(map[string]any)
			switch {
			case cb["text"] != nil:
				blocks = append(blocks, map[string]any{"type": "text", "text": cb["text"]})
			case cb["toolUse"] != nil:
				tu := cb["toolUse"].(map[string]any)
				blocks = append(blocks, map[string]any{"type": "tool_use", "id": tu["toolUseId"], "name": tu["name"], "input": tu["input"]})
			case cb["toolResult"] != nil:
				tr := cb["toolResult"].(map[string]any)
				data, _ := json.Marshal(tr["content"])
				blocks = append(blocks, map[string]any{"type": "tool_result", "tool_use_id": tr["toolUseId"], "content": string(data)})
			case cb["image"] != nil:
				blocks = append(blocks, map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": png}})
			}
		}
		out = append(out, map[string]any{"role": mm["role"], "content": blocks})
	}
	return out
}
