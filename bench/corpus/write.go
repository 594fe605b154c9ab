package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/internal/atomicfile"
	"github.com/bedrock-bench/bedrock-bench/internal/confine"
)

// ManifestName is the file import writes beside its fixtures. It is not
// a *.json file, so fixture loaders pass it by.
const ManifestName = ".import-manifest"

// Manifest lists what an import wrote, for `import --merge` and reports.
type Manifest struct {
	Version int    `json:"version"`
	Select  string `json:"select"`
	// Shard is a shard's (import --shard i/n): what the merge needs.
	Shard    *ShardInfo      `json:"shard,omitempty"`
	Report   *Report         `json:"report"`
	Fixtures []ManifestEntry `json:"fixtures"`
}

// ShardInfo is what a shard adds to its manifest for [Merge]. Every
// shard reads every record: the records, formats and ignored input of
// its report, and the skips the reader met, are those of every shard.
// The conversations, their verdicts and redactions are its own, and so
// are the skips of its own records learned when they were redacted:
// those are listed here too. A shard writes the exemplar of every group
// of its own; the merge applies Max and Clean to all of them.
type ShardInfo struct {
	Shard  int `json:"shard"`
	Shards int `json:"shards"`
	Max    int `json:"max"`
	Clean  int `json:"clean"`
	// Skipped, SkipReasons and SkipExamples are the shard's own skips,
	// among the report's; each example with the number of its record.
	Skipped      int            `json:"skipped"`
	SkipReasons  map[string]int `json:"skipReasons"`
	SkipExamples []ShardSkip    `json:"skipExamples"`
	// Salt is the fingerprint of the redaction salt
	// ([redact.Redactor.SaltFingerprint]), never the salt: shards
	// redacted with different salts give the same value different
	// pseudonyms, and [Merge] refuses them. A manifest of an older
	// bedrock-bench has none.
	Salt string `json:"saltFingerprint,omitempty"`
}

// ShardSkip is a shard's own skip, as the report shows it, and the
// number of its record in the input (from 1), which orders the skips of
// all shards as one import does.
type ShardSkip struct {
	Record  int    `json:"record"`
	Example string `json:"example"`
}

// own counts a skip of the shard's own record number rec, reported as s.
func (si *ShardInfo) own(s ingest.Skip, rec int32) {
	si.Skipped++
	si.SkipReasons[skipKey(s.Reason)]++
	if len(si.SkipExamples) < 20 {
		si.SkipExamples = append(si.SkipExamples, ShardSkip{Record: int(rec), Example: s.String()})
	}
}

// ManifestEntry is one written fixture.
type ManifestEntry struct {
	// File is the fixture's path under the output folder.
	File string `json:"file"`
	Hash string `json:"hash"`
	// Group is the selection group: broken rules | shape.
	Group     string `json:"group"`
	GroupSize int    `json:"groupSize"`
	Messages  int    `json:"messages"`
	Why       string `json:"why"`
	// Rules are the broken rules per family, in the report's order: each
	// its id, or, where rules share an id, its id and name ("V-13
	// tool-choice-name").
	Rules []string `json:"rules"`
	// Record is the number of the fixture's record in the input, from
	// 1, in a shard's manifest: the merge orders and picks by it.
	Record int `json:"record,omitzero"`
}

// write writes the chosen fixtures and the manifest.
func (im *Importer) write(ctx context.Context, dir string, cands []candidate) error {
	if len(cands) == 0 && im.rep.NothingImported() {
		// A run that could use no record (a wrong --from) leaves dir as
		// it was: an earlier import's fixtures and manifest stay.
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	man := Manifest{Version: 1, Select: im.opts.Select, Shard: im.shard, Report: im.rep, Fixtures: []ManifestEntry{}}
	for i, c := range cands {
		if err := interrupted(ctx); err != nil {
			return err
		}
		if i == 0 {
			// A manifest an earlier run left here describes another
			// set: it goes before the first fixture is written, so a
			// run stopped midway leaves none rather than one that
			// `import --merge` would trust for the new fixtures.
			if err := removeManifest(dir); err != nil {
				return err
			}
		}
		e := &im.entries[c.idx]
		data := make([]byte, e.size)
		if _, err := im.spool.ReadAt(data, e.off); err != nil {
			return fmt.Errorf("reading the import spool: %w", err)
		}
		rules := make([]string, len(e.verdicts))
		for f, v := range e.verdicts {
			rules[f] = im.ruleList[v.rules]
		}
		me := ManifestEntry{Hash: fmt.Sprintf("%016x", e.hash), Group: im.groupKey[e.group], GroupSize: c.size, Messages: int(e.msgs), Why: c.why, Rules: rules}
		if im.shard != nil {
			me.Record = int(im.ords[c.idx])
		}
		fixture, rel, err := im.fixture(data, &me, c)
		if err != nil {
			return err
		}
		me.File = rel
		if err := writeInside(dir, rel, fixture); err != nil {
			return err
		}
		e.flags |= flagSelected
		man.Fixtures = append(man.Fixtures, me)
		im.rep.Written++
	}
	im.rep.finish(man.Fixtures, dir)
	return writeManifest(dir, &man)
}

// removeManifest removes the manifest in dir, if any.
func removeManifest(dir string) error {
	if err := os.Remove(filepath.Join(dir, ManifestName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the earlier manifest: %w", err)
	}
	return nil
}

func writeManifest(dir string, man *Manifest) error {
	data, err := json.Marshal(man, jsontext.WithIndent("  "), json.Deterministic(true))
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, ManifestName), append(data, '\n'))
}

// fixture completes a spooled record with its description and tags and
// returns it with its path under the output folder.
func (im *Importer) fixture(data []byte, me *ManifestEntry, c candidate) ([]byte, string, error) {
	// The spool holds format, request, source; a fixture reads format,
	// source, request. The request is only copied.
	members, err := spoolMembers(data)
	if err != nil {
		return nil, "", fmt.Errorf("reading back a spooled record: %w", err)
	}
	var head struct {
		Format string
		Source ingest.Source
	}
	if err := json.Unmarshal(members["format"], &head.Format); err != nil {
		return nil, "", fmt.Errorf("reading back a spooled record: %w", err)
	}
	if err := json.Unmarshal(members["source"], &head.Source); err != nil {
		return nil, "", fmt.Errorf("reading back a spooled record: %w", err)
	}
	names := ruleNames(me.Rules[0])
	tags := []string{"imported", "kept:" + c.why}
	for _, name := range names {
		tags = append(tags, "breaks:"+name)
	}
	if head.Source.Fidelity == ingest.Reconstructed {
		tags = append(tags, "reconstructed")
	}
	if head.Source.Truncated {
		tags = append(tags, "truncated")
	}
	sub := "clean"
	if len(names) > 0 {
		sub = names[0]
	}
	rel := sub + "/" + head.Format + "-" + me.Hash[:12] + ".json"
	desc := description(&head.Source, names, im.opts.Families[0].Name, c.why, c.size, shapeOf(me.Group))
	out := assemble(desc, tags, members)
	return out, rel, nil
}

// ruleNames are the names of the rules of a comma-separated list of
// keys (see ruleKey).
func ruleNames(rules string) []string {
	var names []string
	for _, key := range splitRules(rules) {
		name := key
		if r := ruleByKey(key); r != nil {
			name = r.Name
		}
		names = append(names, name)
	}
	return names
}

// description says where a fixture came from and what it breaks for
// family fam as sent; an exemplar's also the size and shape of its group.
func description(src *ingest.Source, names []string, fam, why string, size int, shape string) string {
	var desc strings.Builder
	where := src.File
	if src.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, src.Line)
	} else if src.Record > 0 {
		where = fmt.Sprintf("%s record %d", where, src.Record)
	}
	fmt.Fprintf(&desc, "Imported from %s", where)
	if src.Operation != "" {
		fmt.Fprintf(&desc, " (%s)", src.Operation)
	}
	desc.WriteString(". ")
	switch {
	case len(names) > 0:
		fmt.Fprintf(&desc, "Breaks %s for family %s as sent", strings.Join(names, ", "), fam)
	default:
		fmt.Fprintf(&desc, "Valid for family %s as sent", fam)
	}
	switch why {
	case "exemplar", "clean":
		fmt.Fprintf(&desc, "; the longest of %d histories of this kind (%s).", size, shape)
	default:
		desc.WriteString(".")
	}
	return desc.String()
}

// assemble writes a fixture: its description and tags, then the members
// format, source and request, as their bytes stand, indented for review
// (the request keeps its members and values).
func assemble(desc string, tags []string, members map[string][]byte) []byte {
	var b bytes.Buffer
	b.WriteString(`{"description":`)
	dj, _ := json.Marshal(desc)
	b.Write(dj)
	b.WriteString(`,"tags":`)
	tj, _ := json.Marshal(tags)
	b.Write(tj)
	for _, name := range fixtureMembers {
		b.WriteString(`,"` + name + `":`)
		b.Write(members[name])
	}
	b.WriteByte('}')
	out := b.Bytes()
	v := jsontext.Value(out)
	if err := v.Indent(jsontext.WithIndentPrefix(""), jsontext.WithIndent("  ")); err == nil {
		out = append([]byte(v), '\n')
	}
	return out
}

// fixtureMembers are a spooled record's members, in a fixture's order.
var fixtureMembers = []string{"format", "source", "request"}

// spoolMembers returns the members of a spooled record, each value as
// its bytes stand. The three of a record must all be there.
func spoolMembers(data []byte) (map[string][]byte, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, fmt.Errorf("not an object (%v)", err)
	}
	members := map[string][]byte{}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String() // the token is void after the next read
		v, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		members[name] = bytes.Clone(v)
	}
	for _, name := range fixtureMembers {
		if members[name] == nil {
			return nil, fmt.Errorf("no %s", name)
		}
	}
	return members, nil
}

func shapeOf(group string) string {
	_, s, _ := strings.Cut(group, " | ")
	return s
}

func splitRules(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// writeInside writes a fixture at rel (slash-separated) under dir, where
// no symbolic link on the way leads outside dir.
func writeInside(dir, rel string, data []byte) error {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := confine.Dir(dir, path); err != nil {
		return err
	}
	return WriteFileAtomic(path, data)
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so a reader never sees half a file
// (see [atomicfile.Write]).
func WriteFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, data)
}
