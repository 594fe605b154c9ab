package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
	"github.com/bedrock-bench/bedrock-bench/bench/replay"
)

// Finding is one thing cassette lint found.
type Finding struct {
	File string `json:"file"`
	// Kind is "secret", "personal", "orphan", "missing", "stale", "failing",
	// "temp", "corrupt", "case", "name" or "emulated".
	Kind string `json:"kind"`
	Msg  string `json:"message"`
	// Note marks findings that inform rather than fail (emulated).
	Note bool `json:"note,omitempty"`
}

func (f Finding) String() string {
	level := "error"
	if f.Note {
		level = "note"
	}
	return fmt.Sprintf("%s: %s: %s: %s", f.File, level, f.Kind, f.Msg)
}

// LintCassettes checks the cassettes under root against the cases: no
// secrets, no cassette without a case, no case without a cassette, no
// cassette whose recorded requests differ from what the normalizer
// produces today, and a note for each cassette recorded against the
// emulator rather than a real Region.
func LintCassettes(ctx context.Context, root string, cases []Case) ([]Finding, error) {
	return LintCassettesWith(ctx, root, cases, LintOptions{})
}

// LintOptions configure [LintCassettesWith].
type LintOptions struct {
	// Rerecord words the command that records a case again; nil uses the
	// CLI's default flags.
	Rerecord func(Case) string
	// Converter, when set, makes the requests a cassette must match, in
	// place of the built-in normalizer.
	Converter Converter
}

// LintCassettesWith is [LintCassettes] with options.
func LintCassettesWith(ctx context.Context, root string, cases []Case, opts LintOptions) ([]Finding, error) {
	rerecord := opts.Rerecord
	if rerecord == nil {
		rerecord = func(c Case) string {
			return fmt.Sprintf("bedrock-bench record --target %s --histories %s", c.Target.Name, shellQuote(c.History.ID))
		}
	}
	var out []Finding
	known := map[string]Case{}
	for _, c := range cases {
		known[filepath.Clean(c.Cassette(root))] = c
	}
	out = append(out, caseCollisions(known)...)
	for p, c := range known {
		if why := tooLong(c.History.ID); why != "" {
			out = append(out, Finding{File: p, Kind: "name", Msg: fmt.Sprintf("history %s: %s; rename the history", c.History.ID, why)})
		} else if why := unportable(c.History.ID); why != "" {
			out = append(out, Finding{File: p, Kind: "name", Msg: fmt.Sprintf("history %s: %s, so Windows cannot check out its cassette; rename the history", c.History.ID, why)})
		}
	}
	targets := map[string]bool{}
	for _, c := range cases {
		targets[c.Target.Name] = true
	}
	seen, corrupt, onEmulator := map[string]bool{}, map[string]bool{}, map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && replay.IsTempFile(d.Name()) {
			out = append(out, Finding{File: p, Kind: "temp", Msg: replay.DescribeTemp(p)})
			return nil
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		p = filepath.Clean(p)
		seen[p] = true
		// A FIFO would block the read, a device would never end it.
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !st.Mode().IsRegular() {
			corrupt[p] = true
			out = append(out, Finding{File: p, Kind: "corrupt", Msg: "not a regular file but " + replay.KindOf(st.Mode()) + ": a cassette is a file bedrock-bench record writes; remove it"})
			return nil
		}
		data, err := readBounded(p, replay.MaxCassetteBytes)
		if err != nil {
			return err
		}
		text := string(data)
		// Every secret and personal datum, each occurrence, streams
		// decoded frame by frame; the raw text of a cassette that does
		// not load.
		leaks, err := replay.ScanFile(p)
		if err != nil {
			var ce *replay.CorruptError
			if !errors.As(err, &ce) {
				return err
			}
			corrupt[p] = true
			out = append(out, Finding{File: p, Kind: "corrupt", Msg: err.Error()})
			if leaks, err = replay.ScanRaw(text); err != nil {
				return err
			}
		}
		for _, l := range leaks {
			kind := "personal"
			if l.Secret {
				kind = "secret"
			}
			out = append(out, Finding{File: p, Kind: kind, Msg: l.String() + "; remove it from the history and re-record, or re-record with --redact"})
		}
		if strings.Contains(text, emulator.EmulatedHeader+":") {
			onEmulator[p] = true
			out = append(out, Finding{File: p, Kind: "emulated", Msg: "recorded against the bundled emulator, not a real Region", Note: true})
		}
		if _, ok := known[p]; !ok {
			msg := "no (target, history) case records into this cassette: its history or target is gone; delete it"
			if t, ok := adhocTarget(root, p, targets); ok && !corrupt[p] {
				msg = fmt.Sprintf("recorded by an ad hoc target (--region %s --model %s), which no target of the project replays, so replay and go test never check it: to keep it, add the target to bedrock-bench.yaml's targets: - {name: %s, region: %s, model: %s}; or delete it",
					t.Region, shellQuote(t.Model), t.Name, t.Region, yamlScalar(t.Model))
			}
			out = append(out, Finding{File: p, Kind: "orphan", Msg: msg})
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	var names []string
	for p := range known {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		c := known[p]
		// Recorded again where it was, or where the target's others
		// were: against the emulator, with its endpoint flag.
		hint := rerecord(c)
		if onEmulator[p] || !seen[p] && targetOnEmulator(filepath.Join(root, c.Target.Name), p) {
			hint = replay.OnEmulator(hint)
		}
		if !seen[p] {
			out = append(out, Finding{File: p, Kind: "missing", Msg: fmt.Sprintf("no cassette for %s; record it with %s", c.Name(), hint)})
			continue
		}
		if corrupt[p] {
			continue
		}
		r := RunCase(ctx, c, RunOptions{Mode: replay.Replay, Cassettes: root, Rerecord: rerecord, Converter: opts.Converter})
		switch {
		case errors.Is(r.Err, ErrCorrupt):
			out = append(out, Finding{File: p, Kind: "corrupt", Msg: r.Err.Error()})
		case stale(r):
			out = append(out, Finding{File: p, Kind: "stale", Msg: "the recorded requests no longer match what the " + sender(opts.Converter) + " sends today; re-record with " + hint})
		case !r.OK():
			msg := strings.Join(r.Problems, "; ")
			if r.Err != nil {
				msg = r.Err.Error()
			}
			out = append(out, Finding{File: p, Kind: "failing", Msg: msg})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// caseCollisions reports the cassettes of cases whose paths differ only
// in case (histories tools/a.json and Tools/a.json): on macOS and Windows
// they are one file, which each recording replaces.
func caseCollisions(known map[string]Case) []Finding {
	byFold := map[string][]string{}
	for p := range known {
		byFold[strings.ToLower(p)] = append(byFold[strings.ToLower(p)], p)
	}
	var out []Finding
	for _, ps := range byFold {
		if len(ps) < 2 {
			continue
		}
		sort.Strings(ps)
		for _, p := range ps {
			var ids []string
			for _, q := range ps {
				ids = append(ids, known[q].History.ID)
			}
			out = append(out, Finding{File: p, Kind: "case", Msg: fmt.Sprintf("the cassettes of histories %s differ only in case: on macOS and Windows they are one file, which each recording replaces; rename the history %s", strings.Join(ids, " and "), known[p].History.ID)})
		}
	}
	return out
}

// shellQuote quotes s for a POSIX shell, so that a command printed with a
// history id in it runs as shown when pasted, whatever the id holds.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// MaxIDElement is the longest an element of a history id may be, in
// bytes: its cassette's name, and the temporary file's a save writes
// beside it (about 30 bytes more), must fit the 255 bytes a file name
// has on the common file systems.
const MaxIDElement = 200

// tooLong says which element of a history id is too long for a cassette
// to be saved under it, or is empty.
func tooLong(id string) string {
	for _, el := range strings.Split(id, "/") {
		if len(el) > MaxIDElement {
			return fmt.Sprintf("%q... is %d bytes, over the %d a cassette's file name leaves it", el[:20], len(el), MaxIDElement)
		}
	}
	return ""
}

// unportable says why a history id cannot name a file on Windows, or is
// empty: a character Windows refuses, a device name (CON, aux.json), or
// an element ending in a dot or a space.
func unportable(id string) string {
	for _, el := range strings.Split(id, "/") {
		switch {
		case strings.ContainsAny(el, `<>:"\|?*`):
			return fmt.Sprintf("%q holds one of < > : \" \\ | ? *", el)
		case strings.ContainsFunc(el, func(r rune) bool { return r < 0x20 }):
			return fmt.Sprintf("%q holds a control character", el)
		case windowsDevice.MatchString(el):
			return fmt.Sprintf("%q is a device name", el)
		case strings.HasSuffix(el, ".") || strings.HasSuffix(el, " "):
			return fmt.Sprintf("%q ends in a dot or a space", el)
		}
	}
	return ""
}

// readBounded reads at most limit bytes of the file at path: enough to
// scan what a cassette over the limit (reported as corrupt) shows.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// stale reports whether a replay missed or left interactions unused.
func stale(r CaseReport) bool {
	for _, o := range []*Outcome{&r.Result.Normalized, &r.Result.Raw, r.Result.Stream} {
		if o != nil && errors.Is(o.Err, replay.ErrNoMatch) {
			return true
		}
	}
	return r.Unplayed > 0
}

func sender(c Converter) string {
	if c != nil {
		return "converter"
	}
	return "normalizer"
}

// adhocTarget is the ad hoc target (record --region R --model M) that
// recorded the cassette at p under root: its folder is named as
// [TargetName] names that target after the Region and the model the
// cassette's requests went to, and no target of the cases has that name.
func adhocTarget(root, p string, targets map[string]bool) (Target, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return Target{}, false
	}
	folder, _, ok := strings.Cut(filepath.ToSlash(rel), "/")
	if !ok || targets[folder] {
		return Target{}, false
	}
	c, err := replay.Load(p)
	if err != nil {
		return Target{}, false
	}
	region, model := recordedRegion(c), ""
	for _, in := range c.Interactions {
		u, err := url.Parse(in.Request.URL)
		if err != nil {
			continue
		}
		if rest, ok := strings.CutPrefix(u.EscapedPath(), "/model/"); ok && model == "" {
			if id, _, ok := strings.Cut(rest, "/"); ok {
				if m, err := url.PathUnescape(id); err == nil {
					model = m
				}
			}
		}
	}
	if region == "" || model == "" || TargetName(region, model) != folder {
		return Target{}, false
	}
	return Target{Name: folder, Region: region, Model: model}, true
}

// yamlScalar writes s as a YAML flow scalar, quoted when plain would not
// read back as s.
func yamlScalar(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_:/", r)) {
			return strconv.Quote(s)
		}
	}
	return s
}
