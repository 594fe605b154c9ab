package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// MergeOptions tune [Merge].
type MergeOptions struct {
	// Max caps the fixtures; Clean caps the clean exemplars of coverage
	// selection. 0 takes the shards' (those of their import).
	Max, Clean int
}

// maxManifest bounds a manifest: a few hundred bytes per fixture.
const maxManifest = 256 << 20

// ReadManifest reads the manifest an import wrote into dir. Each fixture
// it lists must be a *.json file under dir: a merge reads and writes
// them by these paths, and must not leave the folders it was given.
func ReadManifest(dir string) (*Manifest, error) {
	file := filepath.Join(dir, ManifestName)
	data, err := bounded.ReadFile(file, maxManifest, "not a manifest an import wrote")
	if err != nil {
		var tl *bounded.TooLargeError
		if errors.As(err, &tl) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w (is it the --out folder of an import?)", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if m.Report == nil {
		return nil, fmt.Errorf("%s: no report in the manifest", file)
	}
	edited := "(the manifest was edited; import again)"
	for i, f := range m.Report.Families {
		if f == nil {
			return nil, fmt.Errorf("%s: report.families[%d] is null %s", file, i, edited)
		}
	}
	if si := m.Shard; si != nil && (si.Max < 0 || si.Clean < 0 || si.Skipped < 0) {
		return nil, fmt.Errorf("%s: shard: max, clean and skipped must not be negative %s", file, edited)
	}
	for i, f := range m.Fixtures {
		switch {
		case !fixturePath(f.File):
			return nil, fmt.Errorf("%s: fixtures[%d]: file %q is not a *.json path inside the folder %s", file, i, f.File, edited)
		case len(f.Rules) == 0:
			return nil, fmt.Errorf("%s: fixtures[%d]: no rules (one list per family) %s", file, i, edited)
		}
	}
	return &m, nil
}

// fixturePath reports whether rel, a manifest's slash-separated path, is
// a *.json file inside the folder on every system: relative, without
// "..", a backslash, a colon or a NUL.
func fixturePath(rel string) bool {
	return strings.HasSuffix(rel, ".json") && !strings.ContainsAny(rel, "\\:\x00") &&
		filepath.IsLocal(filepath.FromSlash(rel)) && path.Clean(rel) == rel
}

// shardOut is one shard's folder and manifest.
type shardOut struct {
	dir string
	man *Manifest
}

// Merge joins the outputs of the shards of one sharded import (`import
// --shard i/n` over the same input, for every i) into out, as one import
// of that input writes it: the same fixtures and descriptions, manifest
// and report. Every shard read every record, so what they all counted
// (records, formats, ignored input, the skips the reader met) is taken
// once; what each counted of its own conversations adds up; and
// selection runs again over the exemplars the shards kept of their
// groups, with the sizes of the groups over all shards.
//
// Records that do not decode are where the merge may differ from one
// import, as one import with its window may differ from one without
// (see FuzzWindow): one import skips with such a record the earlier
// records of its conversation still in its window, while a shard holds
// other records in its window, and skips a record that does not decode
// as it came alone (it must decode a record to find its shard), among
// the skips every shard makes.
func Merge(out string, dirs []string, opts MergeOptions) (*Report, error) {
	shards, err := readShards(dirs)
	if err != nil {
		return nil, err
	}
	first := shards[0].man
	if opts.Max == 0 {
		opts.Max = first.Shard.Max
	}
	if opts.Clean == 0 {
		opts.Clean = first.Shard.Clean
	}
	rep, err := mergeReports(shards)
	if err != nil {
		return nil, err
	}
	fam := ""
	if len(rep.Families) > 0 {
		fam = rep.Families[0].Family
	}
	man := Manifest{Version: 1, Select: first.Select, Report: rep, Fixtures: []ManifestEntry{}}
	for _, it := range selectMerged(shards, first.Select, opts) {
		data, err := history.ReadFile(filepath.Join(it.dir, filepath.FromSlash(it.File)), history.MaxFileSize)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("shard %s lists %s but it is gone: %w", it.dir, it.File, err)
		} else if err != nil {
			return nil, err
		}
		if it.Why == "exemplar" || it.Why == "clean" {
			if data, err = redescribe(data, &it.ManifestEntry, fam); err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(it.dir, filepath.FromSlash(it.File)), err)
			}
		}
		if err := writeInside(out, it.File, data); err != nil {
			return nil, err
		}
		man.Fixtures = append(man.Fixtures, it.ManifestEntry)
	}
	rep.Written = len(man.Fixtures)
	rep.finish(man.Fixtures, out)
	return rep, writeManifest(out, &man)
}

// readShards reads the manifests of dirs, in the order of their shards,
// and checks that they are every shard of one import.
func readShards(dirs []string) ([]shardOut, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no shard folders to merge")
	}
	var shards []shardOut
	for _, dir := range dirs {
		m, err := ReadManifest(dir)
		if err != nil {
			return nil, err
		}
		if m.Shard == nil || m.Shard.Shards < 1 {
			return nil, fmt.Errorf("%s was not imported with --shard (or by an older bedrock-bench): --merge joins the --out folders of every shard of one import --shard i/n", dir)
		}
		shards = append(shards, shardOut{dir, m})
	}
	sort.SliceStable(shards, func(a, b int) bool { return shards[a].man.Shard.Shard < shards[b].man.Shard.Shard })
	first := shards[0]
	n := first.man.Shard.Shards
	for i, s := range shards {
		si := s.man.Shard
		switch {
		case si.Shards != n:
			return nil, fmt.Errorf("%s is shard %d of %d, %s of %d: merge the shards of one run", s.dir, si.Shard, si.Shards, first.dir, n)
		case s.man.Select != first.man.Select:
			return nil, fmt.Errorf("%s was imported with --select %s, %s with --select %s: merge the shards of one run", s.dir, s.man.Select, first.dir, first.man.Select)
		case si.Max != first.man.Shard.Max:
			return nil, fmt.Errorf("%s was imported with --max %d, %s with --max %d: merge the shards of one run", s.dir, si.Max, first.dir, first.man.Shard.Max)
		case si.Clean != first.man.Shard.Clean:
			return nil, fmt.Errorf("%s keeps %d clean histories, %s %d: merge the shards of one run", s.dir, si.Clean, first.dir, first.man.Shard.Clean)
		case i > 0 && si.Shard == shards[i-1].man.Shard.Shard:
			return nil, fmt.Errorf("%s and %s are both shard %d of %d: pass each shard's folder once", shards[i-1].dir, s.dir, si.Shard, n)
		case si.Shard != i:
			return nil, fmt.Errorf("shard %d of %d is missing: pass the --out folders of all %d shards", i, n, n)
		}
	}
	if len(shards) != n {
		return nil, fmt.Errorf("shard %d of %d is missing: pass the --out folders of all %d shards", len(shards), n, n)
	}
	// Shards redacted with different salts gave the same person different
	// pseudonyms: merged, the fixtures would disagree. A manifest of an
	// older bedrock-bench records no fingerprint; such shards are merged
	// as before, unchecked. The merge reads no salt of its own (it
	// redacts nothing), so the shards are only compared with each other.
	var salted []shardOut
	for _, s := range shards {
		if s.man.Shard.Salt != "" {
			salted = append(salted, s)
		}
	}
	for _, s := range salted[min(1, len(salted)):] {
		if s.man.Shard.Salt != salted[0].man.Shard.Salt {
			return nil, fmt.Errorf("shards were imported with different salts: %s (salt fingerprint %s) and %s (%s) would give the same names and addresses different pseudonyms; import every shard with the same salt", salted[0].dir, salted[0].man.Shard.Salt, s.dir, s.man.Shard.Salt)
		}
	}
	return shards, nil
}

// sharedPart is what every shard of one import counts alike: the input.
type sharedPart struct {
	Entries, Records, Ignored int
	Formats                   map[string]int
	Skipped                   int
	SkipReasons               map[string]int
	SkipExamples              []string
	Families                  []string
}

// shared returns the part of a shard's report every shard counts alike:
// the skips of the report less the shard's own, which come after them.
func shared(m *Manifest) sharedPart {
	r, own := m.Report, m.Shard
	p := sharedPart{Entries: r.Entries, Records: r.Records, Ignored: r.Ignored, Formats: r.Formats, Skipped: r.Skipped - own.Skipped, SkipReasons: maps.Clone(r.SkipReasons)}
	for k, n := range own.SkipReasons {
		if p.SkipReasons[k] -= n; p.SkipReasons[k] <= 0 {
			delete(p.SkipReasons, k)
		}
	}
	p.SkipExamples = r.SkipExamples[:min(len(r.SkipExamples), max(p.Skipped, 0))]
	for _, f := range r.Families {
		p.Families = append(p.Families, f.Family)
	}
	return p
}

// mergeReports adds up the shards' reports: the shared part once, the
// rest of every shard. Written and the examples are left to the caller.
func mergeReports(shards []shardOut) (*Report, error) {
	base := shared(shards[0].man)
	r := newReport(nil)
	r.Entries, r.Records, r.Ignored, r.Skipped = base.Entries, base.Records, base.Ignored, base.Skipped
	maps.Copy(r.Formats, base.Formats)
	maps.Copy(r.SkipReasons, base.SkipReasons)
	r.SkipExamples = append(r.SkipExamples, base.SkipExamples...)
	for _, name := range base.Families {
		r.Families = append(r.Families, &FamilyReport{Family: name, Rules: []*RuleStat{}, byRule: map[string]*RuleStat{}})
	}
	var own []ShardSkip
	for _, s := range shards {
		if p := shared(s.man); !reflect.DeepEqual(p, base) {
			return nil, fmt.Errorf("%s and %s did not read the same input (records, skips or families differ): merge the shards of one run over the same input", shards[0].dir, s.dir)
		}
		o, si := s.man.Report, s.man.Shard
		r.Skipped += si.Skipped
		for k, n := range si.SkipReasons {
			r.SkipReasons[k] += n
		}
		own = append(own, si.SkipExamples...)
		r.Duplicates += o.Duplicates
		r.Prefixes += o.Prefixes
		r.Conversations += o.Conversations
		for k, n := range o.Redactions {
			r.Redactions[k] += n
		}
		for i, of := range o.Families {
			r.Families[i].addUp(of)
		}
	}
	sort.SliceStable(own, func(a, b int) bool { return own[a].Record < own[b].Record })
	for _, e := range own {
		if len(r.SkipExamples) < 20 {
			r.SkipExamples = append(r.SkipExamples, e.Example)
		}
	}
	return r, nil
}

// addUp adds another shard's verdicts on its conversations into f.
func (f *FamilyReport) addUp(o *FamilyReport) {
	f.Conversations += o.Conversations
	f.Breaking += o.Breaking
	f.Repaired += o.Repaired
	f.Unrepaired += o.Unrepaired
	for _, os := range o.Rules {
		key := statKey(os)
		s := f.byRule[key]
		if s == nil {
			s = &RuleStat{ID: os.ID, Name: os.Name, Message: os.Message}
			f.byRule[key] = s
			f.Rules = append(f.Rules, s)
		}
		s.Count += os.Count
	}
}

// mergeItem is a fixture a shard wrote.
type mergeItem struct {
	ManifestEntry
	dir string
}

// selectMerged selects among the shards' fixtures as one import selects
// among its leaves (see Importer.candidates): a group's size is the sum
// of its sizes in the shards; the longest of its exemplars speaks for
// it, the one of the first record on a tie.
func selectMerged(shards []shardOut, mode string, opts MergeOptions) []mergeItem {
	size := map[string]int{}
	var all []mergeItem
	for _, s := range shards {
		counted := map[string]bool{}
		for _, f := range s.man.Fixtures {
			if !counted[f.Group] {
				counted[f.Group] = true
				size[f.Group] += f.GroupSize
			}
			all = append(all, mergeItem{f, s.dir})
		}
	}
	for i := range all {
		all[i].GroupSize = size[all[i].Group]
	}
	var out []mergeItem
	switch mode {
	case SelectAll, SelectBreaking:
		sort.SliceStable(all, func(a, b int) bool { return all[a].Record < all[b].Record })
		seen := map[string]bool{}
		for _, it := range all {
			if !seen[it.Hash] {
				seen[it.Hash] = true
				out = append(out, it)
			}
		}
	default:
		best := map[string]int{}
		var groups []string
		for i, it := range all {
			b, ok := best[it.Group]
			switch {
			case !ok:
				groups = append(groups, it.Group)
				best[it.Group] = i
			case it.Messages > all[b].Messages || it.Messages == all[b].Messages && it.Record < all[b].Record:
				best[it.Group] = i
			}
		}
		// Most common problems first; then by group key.
		sort.Slice(groups, func(a, b int) bool {
			if size[groups[a]] != size[groups[b]] {
				return size[groups[a]] > size[groups[b]]
			}
			return groups[a] < groups[b]
		})
		var clean []mergeItem
		for _, g := range groups {
			it := all[best[g]]
			if len(it.Rules) > 0 && it.Rules[0] == "" {
				clean = append(clean, it)
				continue
			}
			out = append(out, it)
		}
		if len(clean) > opts.Clean {
			clean = clean[:opts.Clean]
		}
		out = append(out, clean...)
	}
	if opts.Max > 0 && len(out) > opts.Max {
		out = out[:opts.Max]
	}
	for i := range out {
		out[i].Record = 0 // a shard's numbering: not in one import's manifest
	}
	return out
}

// redescribe gives an exemplar a shard wrote the description one import
// gives it: the size of its group is that of all shards.
func redescribe(data []byte, me *ManifestEntry, fam string) ([]byte, error) {
	members, err := spoolMembers(data)
	if err != nil {
		return nil, fmt.Errorf("not a fixture an import wrote: %w (import the shard again)", err)
	}
	var src ingest.Source
	var tags []string
	if err := json.Unmarshal(members["source"], &src); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(members["tags"], &tags); err != nil {
		return nil, err
	}
	desc := description(&src, ruleNames(me.Rules[0]), fam, me.Why, me.GroupSize, shapeOf(me.Group))
	return assemble(desc, tags, members), nil
}
