package corpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// reportFiles writes rep in every format, as the folder out would show
// it, and returns the texts by extension.
func reportFiles(t *testing.T, rep *Report, out string) map[string]string {
	t.Helper()
	rep.Out = out
	files := map[string]string{}
	for _, name := range []string{"r.txt", "r.json", "r.html"} {
		var b bytes.Buffer
		if err := rep.Write(&b, name); err != nil {
			t.Fatal(err)
		}
		files[name] = b.String()
	}
	return files
}

// sameFiles reports every file that differs between two trees.
func sameFiles(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !slices.Equal(keys(got), keys(want)) {
		t.Errorf("%s: files\n%v\nwant\n%v", what, keys(got), keys(want))
	}
	for k, w := range want {
		if g, ok := got[k]; ok && g != w {
			t.Errorf("%s: %s differs:\n%s\nwant\n%s", what, k, firstDiff(g, w), firstDiff(w, g))
		}
	}
}

// firstDiff returns a's lines around the first line where it differs
// from b.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return strings.Join(al[max(0, i-3):min(len(al), i+4)], "\n")
		}
	}
	return "(a prefix of the other)"
}

// mediaLogs writes Messages API bodies of conversations logged turn by
// turn, half of them with an image in URL-safe base64 in the first user
// message: such a body does not decode as it came, and decodes once
// redaction has replaced the image with a placeholder.
func mediaLogs(t *testing.T, dir string) string {
	t.Helper()
	webp := base64.URLEncoding.EncodeToString(append(redact.Placeholder("webp"), 0xfb, 0xff, 0xfe, 0xfb, 0xef, 0xff))
	var lines []string
	for i := 0; i < 12; i++ {
		first := []any{map[string]any{"type": "text", "text": fmt.Sprintf("What is on picture %d? Reply to jo.%d@acme.co.uk", i%6, i)}}
		if i%2 == 0 {
			first = append(first, map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/webp", "data": webp}})
		}
		msgs := []any{map[string]any{"role": "user", "content": first}}
		for turn := 0; turn <= i%3; turn++ {
			lines = append(lines, js(map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": msgs}))
			msgs = append(msgs, map[string]any{"role": "assistant", "content": "A cat."}, map[string]any{"role": "user", "content": fmt.Sprintf("And turn %d?", turn)})
		}
	}
	file := filepath.Join(dir, "media.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestMergeIsOneRun imports a corpus in one run, and as 2 and as 3
// shards merged: the merged folder (fixtures, descriptions, manifest)
// and the report in every format are the one run's, byte for byte, in
// every selection mode and with the caps. The corpora hold skips the
// reader meets (every shard sees them), skips learned at redaction (a
// shard's own: a term that is also a role), bodies that decode only once
// redacted, conversations logged turn by turn, groups spread over the
// shards, and ties for the longest.
func TestMergeIsOneRun(t *testing.T) {
	logs := generatedLogs(t)
	terms, err := redact.NewScanner(redact.Options{Terms: []string{"assistant"}})
	if err != nil {
		t.Fatal(err)
	}
	termRedactor := redact.NewRedactor(terms, []byte("a test salt of some length"))
	mirror := ingest.Options{S3Mirror: filepath.Join(examples, "s3mirror")}
	cases := []struct {
		name    string
		opts    Options
		ingest  ingest.Options
		sources []string
	}{
		{"examples coverage", Options{}, mirror, []string{examples}},
		{"examples capped", Options{Max: 3, Clean: 1}, ingest.Options{}, []string{examples}},
		{"logs coverage", Options{}, ingest.Options{}, []string{logs}},
		{"logs all", Options{Select: SelectAll}, ingest.Options{}, []string{logs}},
		{"logs breaking capped", Options{Select: SelectBreaking, Max: 40}, ingest.Options{}, []string{logs}},
		{"skipped at redaction", Options{Redactor: termRedactor}, ingest.Options{}, []string{examples, logs}},
		{"decodes once redacted", Options{Select: SelectAll}, ingest.Options{}, []string{mediaLogs(t, t.TempDir())}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			whole := t.TempDir()
			one := importInto(t, whole, c.opts, c.ingest, c.sources...)
			addsUp(t, "one import", one)
			if one.Written < 2 || slices.Contains(c.sources, examples) && one.Skipped == 0 {
				t.Fatalf("the corpus does not exercise the merge: %d skipped, %d written", one.Skipped, one.Written)
			}
			want, wantRep := tree(t, whole), reportFiles(t, one, "out")
			if m := want[ManifestName]; strings.Contains(m, `"shard":`) || strings.Contains(m, `"record":`) {
				t.Errorf("the manifest of an import that is no shard has a shard's fields:\n%s", m)
			}
			for _, n := range []int{2, 3} {
				var dirs []string
				own := 0
				for i := n - 1; i >= 0; i-- { // the order of the folders does not matter
					d := t.TempDir()
					o := c.opts
					o.Shard, o.Shards = i, n
					addsUp(t, fmt.Sprintf("shard %d/%d", i, n), importInto(t, d, o, c.ingest, c.sources...))
					m, err := ReadManifest(d)
					if err != nil {
						t.Fatal(err)
					}
					own += m.Shard.Skipped
					dirs = append(dirs, d)
				}
				if c.opts.Redactor != nil && own < 20 {
					t.Fatalf("%d shards: %d skips learned at redaction; the case wants more than a report shows", n, own)
				}
				merged := t.TempDir()
				rep, err := Merge(merged, dirs, MergeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("%d shards", n)
				addsUp(t, what, rep)
				sameFiles(t, what, tree(t, merged), want)
				sameFiles(t, what+", report", reportFiles(t, rep, "out"), wantRep)
			}
		})
	}
}

// addsUp checks that a report accounts for every entry read once: as
// not a model call, skipped, in another shard, an exact copy, a prefix
// or a conversation, as its text report shows them under the entries.
func addsUp(t *testing.T, what string, r *Report) {
	t.Helper()
	if sum := r.Ignored + r.Skipped + r.OtherShard + r.Duplicates + r.Prefixes + r.Conversations; sum != r.Entries || r.Entries < r.Records {
		t.Errorf("%s: %d entries read (%d model calls), but %d not model calls + %d skipped + %d in other shards + %d copies + %d prefixes + %d conversations = %d",
			what, r.Entries, r.Records, r.Ignored, r.Skipped, r.OtherShard, r.Duplicates, r.Prefixes, r.Conversations, sum)
	}
}

// TestMergeWantsEveryShardOfOneRun: the merge refuses folders that are
// not the shards of one run, naming the folder and the fix.
func TestMergeWantsEveryShardOfOneRun(t *testing.T) {
	src := filepath.Join(examples, "openai")
	shard := func(i, n int, opts Options, sources ...string) string {
		d := t.TempDir()
		opts.Shard, opts.Shards = i, n
		importInto(t, d, opts, ingest.Options{}, sources...)
		return d
	}
	a, b := shard(0, 2, Options{}, src), shard(1, 2, Options{}, src)
	plain := t.TempDir()
	importInto(t, plain, Options{}, ingest.Options{}, src)
	for _, c := range []struct {
		name string
		dirs []string
		want string
	}{
		{"a shard missing", []string{a}, "shard 1 of 2 is missing"},
		{"a shard twice", []string{a, a, b}, "both shard 0 of 2"},
		{"not a shard", []string{a, plain}, "was not imported with --shard"},
		{"other input", []string{a, shard(1, 2, Options{}, src, filepath.Join(examples, "anthropic"))}, "did not read the same input"},
		{"other selection", []string{a, shard(1, 2, Options{Select: SelectAll}, src)}, "--select"},
		{"other split", []string{a, shard(1, 3, Options{}, src)}, "of 3"},
		{"no manifest", []string{a, t.TempDir()}, "is it the --out folder of an import?"},
		// The same input with another salt merged, its pseudonyms not
		// those of the other shards; with more input it was refused for
		// the wrong cause ("did not read the same input").
		{"other salt", []string{a, shard(1, 2, Options{Redactor: otherSalt(t)}, src)}, "shards were imported with different salts"},
		{"other salt, more input", []string{a, shard(1, 2, Options{Redactor: otherSalt(t)}, src, filepath.Join(examples, "anthropic"))}, "shards were imported with different salts"},
	} {
		_, err := Merge(t.TempDir(), c.dirs, MergeOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		}
	}
	if _, err := os.Stat(a); err != nil {
		t.Fatal(err)
	}
}

// TestMergeStaysInItsFolders: a shard's manifest names its fixtures by
// path; one that names a path outside the shard's folder (edited by hand,
// or from a shard downloaded from elsewhere) is refused, naming the
// manifest and the entry, and nothing is read or written outside the
// folders given.
func TestMergeStaysInItsFolders(t *testing.T) {
	src := filepath.Join(examples, "openai")
	parent := t.TempDir()
	dirs := []string{filepath.Join(parent, "a"), filepath.Join(parent, "b")}
	for i, d := range dirs {
		importInto(t, d, Options{Shard: i, Shards: 2}, ingest.Options{}, src)
	}
	out := filepath.Join(parent, "out", "merged")
	for _, bad := range []string{"../../escaped.json", "/tmp/escaped.json", "clean/../../escaped.json", `..\escaped.json`, "", ".import-manifest", "clean/x.yaml"} {
		t.Run(bad, func(t *testing.T) {
			os.Remove(filepath.Join(parent, "out", "escaped.json"))
			man := filepath.Join(dirs[0], ManifestName)
			orig, err := os.ReadFile(man)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(man, orig, 0o644)
			m, err := ReadManifest(dirs[0])
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Fixtures) == 0 {
				t.Fatal("the shard wrote no fixture")
			}
			// The fixture is there, outside the shard's folder, for the
			// merge to read if it followed the path.
			data, err := os.ReadFile(filepath.Join(dirs[0], filepath.FromSlash(m.Fixtures[0].File)))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(parent, "escaped.json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			m.Fixtures[0].File = bad
			if err := writeManifest(dirs[0], m); err != nil {
				t.Fatal(err)
			}
			_, err = Merge(out, dirs, MergeOptions{})
			if err == nil || !strings.Contains(err.Error(), man) || !strings.Contains(err.Error(), "fixtures[0]") {
				t.Errorf("merge with a fixture at %q: %v; want an error naming %s and fixtures[0]", bad, err, man)
			}
			if _, err := os.Stat(filepath.Join(parent, "out", "escaped.json")); err == nil {
				t.Errorf("merge wrote %s, outside %s", filepath.Join(parent, "out", "escaped.json"), out)
			}
		})
	}
}

// TestMergeRefusesAnEditedManifest: a manifest whose numbers or lists
// an import never writes (a negative cap, a fixture without its rules,
// a null family) is refused naming the manifest; the merge panicked.
func TestMergeRefusesAnEditedManifest(t *testing.T) {
	src := filepath.Join(examples, "openai")
	parent := t.TempDir()
	dirs := []string{filepath.Join(parent, "a"), filepath.Join(parent, "b")}
	for i, d := range dirs {
		importInto(t, d, Options{Shard: i, Shards: 2}, ingest.Options{}, src)
	}
	for name, edit := range map[string]func(m *Manifest){
		"clean below 0": func(m *Manifest) { m.Shard.Clean = -1 },
		"no rules":      func(m *Manifest) { m.Fixtures[0].Rules = nil },
		"null family":   func(m *Manifest) { m.Report.Families = append(m.Report.Families, nil) },
	} {
		var origs [][]byte
		for _, d := range dirs {
			orig, err := os.ReadFile(filepath.Join(d, ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			origs = append(origs, orig)
			m, err := ReadManifest(d)
			if err != nil {
				t.Fatal(err)
			}
			edit(m)
			if err := writeManifest(d, m); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Merge(filepath.Join(parent, "out"), dirs, MergeOptions{})
		if err == nil || !strings.Contains(err.Error(), ManifestName) {
			t.Errorf("%s: %v; want an error naming the manifest", name, err)
		}
		for i, d := range dirs {
			if err := os.WriteFile(filepath.Join(d, ManifestName), origs[i], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestImportStaysInItsFolder: a folder in the --out folder that is a
// symbolic link to elsewhere is refused: import wrote its fixtures there.
func TestImportStaysInItsFolder(t *testing.T) {
	src := filepath.Join(examples, "openai")
	first := t.TempDir()
	importInto(t, first, Options{}, ingest.Options{}, src)
	m, err := ReadManifest(first)
	if err != nil || len(m.Fixtures) == 0 {
		t.Fatalf("no fixture to redirect: %v", err)
	}
	sub, _, _ := strings.Cut(m.Fixtures[0].File, "/")
	base := t.TempDir()
	out, outside := filepath.Join(base, "out"), filepath.Join(base, "elsewhere")
	os.MkdirAll(out, 0o755)
	os.MkdirAll(outside, 0o755)
	if err := os.Symlink(outside, filepath.Join(out, sub)); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	im := newImporter(t, Options{})
	feed(t, im, ingest.Options{}, src)
	if _, err := im.Finish(out); err == nil || !strings.Contains(err.Error(), "outside "+out) {
		t.Errorf("import through a link out of --out: %v; want it refused", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("import wrote %s in %s", entries[0].Name(), outside)
	}
}

// otherSalt is a redactor with another salt than testRedactor's.
func otherSalt(t *testing.T) *redact.Redactor {
	t.Helper()
	s, err := redact.NewScanner(redact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return redact.NewRedactor(s, []byte("anothersaltanothersalt1234"))
}

// TestShardManifestHoldsASaltFingerprint: a shard's manifest records a
// fingerprint of its salt, never the salt; shards of an older
// bedrock-bench, which record none, merge as before.
func TestShardManifestHoldsASaltFingerprint(t *testing.T) {
	src := filepath.Join(examples, "openai")
	a, b := t.TempDir(), t.TempDir()
	importInto(t, a, Options{Shard: 0, Shards: 2}, ingest.Options{}, src)
	importInto(t, b, Options{Shard: 1, Shards: 2, Redactor: otherSalt(t)}, ingest.Options{}, src)
	ma, err := ReadManifest(a)
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := ReadManifest(b)
	if fa := ma.Shard.Salt; len(fa) != 16 || fa == mb.Shard.Salt || fa != testRedactor(t).SaltFingerprint() {
		t.Errorf("fingerprints %q and %q: want 16 hex digits, one per salt", fa, mb.Shard.Salt)
	}
	raw, _ := os.ReadFile(filepath.Join(a, ManifestName))
	if strings.Contains(string(raw), "a test salt of some length") {
		t.Errorf("the manifest holds the salt:\n%s", raw)
	}
	// Without fingerprints (an older manifest), nothing tells the salts
	// apart: the merge goes on as it did.
	for _, d := range []string{a, b} {
		data, _ := os.ReadFile(filepath.Join(d, ManifestName))
		old := regexp.MustCompile(`,?\s*"saltFingerprint":\s*"[0-9a-f]+"`).ReplaceAll(data, nil)
		if string(old) == string(data) {
			t.Fatalf("no fingerprint in %s", data)
		}
		if err := os.WriteFile(filepath.Join(d, ManifestName), old, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Merge(t.TempDir(), []string{a, b}, MergeOptions{}); err != nil {
		t.Errorf("shards without a fingerprint: %v", err)
	}
}
