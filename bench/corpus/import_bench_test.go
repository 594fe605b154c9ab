package corpus

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// benchRecords is the size of the generated corpus the import benchmark
// reads: 100,000 invocation-log records (BEDROCK_BENCH_IMPORT_RECORDS
// changes it).
func benchRecords() int {
	if n, err := strconv.Atoi(os.Getenv("BEDROCK_BENCH_IMPORT_RECORDS")); err == nil && n > 0 {
		return n
	}
	return 100000
}

// BenchmarkImport imports generated invocation logs end to end (parse,
// redact, dedupe, judge, select, write) beside two floors on the same
// bytes: reading and gunzipping them (with the gzip reader the import
// uses), and parsing the log records. Each
// reports records/s; the import's cost is read against the floors;
// import-terms runs it with four of the user's terms.
//
//	go test ./bench/corpus -run '^$' -bench Import -benchtime 1x -count 1
func BenchmarkImport(b *testing.B) {
	n := benchRecords()
	logs := b.TempDir()
	gen := exec.Command("go", "run", "../ingest/testdata/genlogs", "-n", strconv.Itoa(n), "-out", logs)
	if out, err := gen.CombinedOutput(); err != nil {
		b.Fatalf("generating the logs: %v\n%s", err, out)
	}
	files, err := ingest.Files([]string{logs})
	if err != nil {
		b.Fatal(err)
	}
	perSecond := func(b *testing.B, records int) {
		b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	}
	b.Run("floor=gunzip", func(b *testing.B) {
		for b.Loop() {
			for _, f := range files {
				fh, err := os.Open(f)
				if err != nil {
					b.Fatal(err)
				}
				zr, err := gzip.NewReader(fh)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, zr); err != nil {
					b.Fatal(err)
				}
				fh.Close()
			}
		}
		perSecond(b, n)
	})
	b.Run("floor=parse", func(b *testing.B) {
		for b.Loop() {
			got := 0
			for _, f := range files {
				if err := ingest.ReadFile(context.Background(), f, ingest.Options{}, ingest.Handler{Emit: func(ingest.Record) error { got++; return nil }}); err != nil {
					b.Fatal(err)
				}
			}
			if got != n {
				b.Fatalf("parsed %d records, want %d", got, n)
			}
		}
		perSecond(b, n)
	})
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			rep := importInto(b, filepath.Join(b.TempDir(), "out"), Options{Workers: runtime.GOMAXPROCS(0)}, ingest.Options{}, logs)
			if rep.Records != n || rep.Skipped != 0 || rep.Conversations == 0 || rep.Written == 0 {
				b.Fatalf("import: %d records, %d skipped, %d conversations, %d written", rep.Records, rep.Skipped, rep.Conversations, rep.Written)
			}
		}
		perSecond(b, n)
	})
	// The same import with the user's terms, multi-word ones included,
	// which add one expression every text of a record is searched with.
	b.Run("import-terms", func(b *testing.B) {
		s, err := redact.NewScanner(redact.Options{Terms: []string{"Zyxander Quill", "Project Nightjar", "Acme Widgets Ltd", "Quillon"}})
		if err != nil {
			b.Fatal(err)
		}
		opts := Options{Workers: runtime.GOMAXPROCS(0), Redactor: redact.NewRedactor(s, []byte("a test salt of some length"))}
		for b.Loop() {
			rep := importInto(b, filepath.Join(b.TempDir(), "out"), opts, ingest.Options{}, logs)
			if rep.Records != n || rep.Skipped != 0 || rep.Conversations == 0 || rep.Written == 0 {
				b.Fatalf("import: %d records, %d skipped, %d conversations, %d written", rep.Records, rep.Skipped, rep.Conversations, rep.Written)
			}
		}
		perSecond(b, n)
	})
}
