package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/go-json-experiment/json"
)

// MergeOptions tune [Merge].
type MergeOptions struct {
	// Max caps the fixtures; Clean caps the clean exemplars of coverage
	// selection (default 3).
	Max, Clean int
}

// ReadManifest reads the manifest an import wrote into dir.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("%s: %w (is it the --out folder of an import?)", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, ManifestName), err)
	}
	if m.Report == nil {
		return nil, fmt.Errorf("%s: no report in the manifest", filepath.Join(dir, ManifestName))
	}
	return &m, nil
}

// Merge combines the outputs of sharded imports into out: the reports add
// up (shards split conversations, so no conversation is counted twice),
// and selection runs again over the shards' fixtures, so coverage keeps
// one exemplar per group across all shards.
func Merge(out string, shards []string, opts MergeOptions) (*Report, error) {
	if opts.Clean == 0 {
		opts.Clean = 3
	}
	type item struct {
		ManifestEntry
		dir string
	}
	var all []item
	var rep *Report
	mode := ""
	for _, dir := range shards {
		m, err := ReadManifest(dir)
		if err != nil {
			return nil, err
		}
		if mode == "" {
			mode = m.Select
		} else if m.Select != mode {
			return nil, fmt.Errorf("%s was imported with --select %s, the others with %s: merge shards of one run", dir, m.Select, mode)
		}
		if rep == nil {
			rep = &Report{Formats: map[string]int{}, SkipReasons: map[string]int{}, SkipExamples: []string{}, Redactions: map[string]int{}}
		}
		rep.merge(m.Report)
		for _, f := range m.Fixtures {
			all = append(all, item{f, dir})
		}
	}
	if rep == nil {
		return nil, fmt.Errorf("no shard folders to merge")
	}
	seen := map[string]bool{}
	var chosen []item
	switch mode {
	case SelectAll, SelectBreaking:
		for _, it := range all {
			if !seen[it.Hash] {
				seen[it.Hash] = true
				chosen = append(chosen, it)
			}
		}
	default:
		best := map[string]int{}
		size := map[string]int{}
		var groups []string
		for i, it := range all {
			size[it.Group] += it.GroupSize
			b, ok := best[it.Group]
			if !ok {
				groups = append(groups, it.Group)
				best[it.Group] = i
			} else if it.Messages > all[b].Messages {
				best[it.Group] = i
			}
		}
		sort.Slice(groups, func(a, b int) bool {
			if size[groups[a]] != size[groups[b]] {
				return size[groups[a]] > size[groups[b]]
			}
			return groups[a] < groups[b]
		})
		var clean []item
		for _, g := range groups {
			it := all[best[g]]
			it.GroupSize = size[g]
			if len(it.Rules) > 0 && it.Rules[0] == "" {
				clean = append(clean, it)
				continue
			}
			chosen = append(chosen, it)
		}
		if len(clean) > opts.Clean {
			clean = clean[:opts.Clean]
		}
		chosen = append(chosen, clean...)
	}
	if opts.Max > 0 && len(chosen) > opts.Max {
		chosen = chosen[:opts.Max]
	}
	man := Manifest{Version: 1, Select: mode, Report: rep, Fixtures: []ManifestEntry{}}
	for _, it := range chosen {
		data, err := os.ReadFile(filepath.Join(it.dir, filepath.FromSlash(it.File)))
		if err != nil {
			return nil, fmt.Errorf("shard %s lists %s but it is gone: %w", it.dir, it.File, err)
		}
		if err := WriteFileAtomic(filepath.Join(out, filepath.FromSlash(it.File)), data); err != nil {
			return nil, err
		}
		man.Fixtures = append(man.Fixtures, it.ManifestEntry)
	}
	rep.Written = len(man.Fixtures)
	for _, f := range rep.Families {
		for _, s := range f.Rules {
			s.Example = ""
		}
	}
	rep.finish(man.Fixtures, out)
	return rep, writeManifest(out, &man)
}
