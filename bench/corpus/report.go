package corpus

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// Report is the migration report: what share of a corpus of histories
// each target family rejects as sent, by rule, and how much of it the
// normalizer repairs.
type Report struct {
	// Entries is how much input the readers went through: log lines,
	// HAR entries, spans. Each is counted once below, in Ignored,
	// Skipped, OtherShard, Duplicates, Prefixes or Conversations, which
	// add up to it.
	Entries int `json:"entries"`
	// Records is how many of them were model calls that parsed (some
	// are skipped later: a body that does not decode).
	Records int            `json:"records"`
	Formats map[string]int `json:"formats"`
	// Skipped records could not be used; SkipReasons counts them by
	// reason and SkipExamples shows the first few with file and line,
	// redacted (see Importer.skip).
	Skipped      int            `json:"skipped"`
	SkipReasons  map[string]int `json:"skipReasons"`
	SkipExamples []string       `json:"skipExamples"`
	// Ignored is input that was not a model call.
	Ignored    int `json:"ignored"`
	OtherShard int `json:"otherShard,omitempty"`
	// Duplicates are exact copies; Prefixes are histories another one
	// continues. Conversations are what is left: the leaves.
	Duplicates    int `json:"duplicates"`
	Prefixes      int `json:"prefixes"`
	Conversations int `json:"conversations"`
	// Written is how many fixtures were kept.
	Written int `json:"written"`
	// Redactions counts replaced values and media by kind.
	Redactions map[string]int  `json:"redactions"`
	Families   []*FamilyReport `json:"families"`
	// Out is the folder the fixtures are in; examples are relative to it.
	Out string `json:"-"`
}

// FamilyReport is one target family's verdict on the conversations.
type FamilyReport struct {
	Family        string `json:"family"`
	Conversations int    `json:"conversations"`
	// Breaking conversations break at least one rule as sent.
	Breaking int     `json:"breaking"`
	Share    float64 `json:"share"`
	// Repaired of the breaking ones the normalizer makes valid;
	// Unrepaired conversations stay invalid after normalization.
	Repaired   int         `json:"repaired"`
	Unrepaired int         `json:"unrepaired"`
	Rules      []*RuleStat `json:"rules"`
	byRule     map[string]*RuleStat
}

// RuleStat is one rule's count.
type RuleStat struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Message string  `json:"message"`
	Count   int     `json:"count"`
	Share   float64 `json:"share"`
	// Example is a kept fixture that breaks the rule, if any.
	Example string `json:"example,omitempty"`
}

// NothingImported reports whether the import could use no record: some
// were skipped, and none was a conversation of this run or of another
// shard's.
func (r *Report) NothingImported() bool {
	return r.Skipped > 0 && r.Written == 0 && r.Conversations == 0 && r.OtherShard == 0
}

func newReport(fams []converse.Family) *Report {
	r := &Report{Formats: map[string]int{}, SkipReasons: map[string]int{}, SkipExamples: []string{}, Redactions: map[string]int{}}
	for _, f := range fams {
		r.Families = append(r.Families, &FamilyReport{Family: f.Name, Rules: []*RuleStat{}, byRule: map[string]*RuleStat{}})
	}
	return r
}

func (r *Report) skip(s ingest.Skip) {
	r.Skipped++
	r.SkipReasons[skipKey(s.Reason)]++
	if len(r.SkipExamples) < 20 {
		r.SkipExamples = append(r.SkipExamples, s.String())
	}
}

// MaskReason is a skip reason as the report, the manifest and the
// terminal show it: every double-quoted value but a position in the
// record ("/messages/0") replaced by "…". A quoted value is the record's
// own text (a role, a type, a model, a name the decoder refused), which
// no pattern of the redactor recognises when it is free text: `unknown
// role "Patient John Smith"` would reach the committed report whole.
func MaskReason(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range reasonQuoted.FindAllStringIndex(s, -1) {
		q := s[m[0]:m[1]]
		b.WriteString(s[last:m[0]])
		last = m[1]
		// A position: pointer-shaped and placed as decoders place one
		// ("within "/messages/0"", "at "/messages/0/content""). A
		// quoted path elsewhere is the record's text: a file path sent
		// as a role, a URL path a log line names.
		before := s[:m[0]]
		if jsonPointer.MatchString(q) && (strings.HasSuffix(before, "within ") || strings.HasSuffix(before, " at ")) {
			b.WriteString(maskPointer(q))
			continue
		}
		b.WriteString(`"…"`)
	}
	b.WriteString(s[last:])
	return b.String()
}

// maskPointer keeps a quoted JSON pointer's segments up to the first one
// that names a member whose value is the application's own object (a
// tool's input or arguments, a JSON result, a schema's properties,
// request metadata): the names below it are the application's, which
// may be anything, and become "…". A segment that is no index and no
// plain name is masked too.
func maskPointer(q string) string {
	segs := strings.Split(strings.Trim(q, `"`), "/")
	free := false
	for i, seg := range segs {
		switch {
		case i == 0: // the empty string before the first "/"
		case free || !plainSegment.MatchString(seg):
			segs[i] = "…"
		case freeForm[seg]:
			free = true
		}
	}
	return `"` + strings.Join(segs, "/") + `"`
}

// plainSegment is an array index or a member name as wire formats spell
// theirs.
var plainSegment = regexp.MustCompile(`^(?:\d+|[A-Za-z_][A-Za-z0-9_]{0,39})$`)

// freeForm names the members, in the formats import reads, whose values
// are objects the application defines.
var freeForm = map[string]bool{
	"input": true, "arguments": true, "args": true, "json": true, "parameters": true, "properties": true,
	"schema": true, "inputSchema": true, "input_schema": true, "metadata": true, "requestMetadata": true,
	"additionalModelRequestFields": true, "additional_model_request_fields": true, "extra_body": true,
	"response": true, "output": true, "content_json": true,
}

// jsonPointer is a quoted position in a JSON document ("/messages/0"),
// which a reason may keep.
var jsonPointer = regexp.MustCompile(`^"(?:/[^\s"\\]*)+"$`)

// The parts of a skip reason that vary from record to record: a quoted
// value, a URL (the S3 key of a body: in parentheses, all of them, since
// a key may hold spaces), a path, a UUID.
var (
	reasonQuoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	reasonURL    = regexp.MustCompile(`\([^()]*\b[A-Za-z][A-Za-z0-9+.-]*://[^()]*\)|\b[A-Za-z][A-Za-z0-9+.-]*://[^\s"()]*[^\s"().,;:]`)
	reasonPath   = regexp.MustCompile(`(^|[\s(])/[^\s"()]*[^\s"().,;:]`)
	reasonUUID   = regexp.MustCompile(`\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b`)
	reasonNumber = regexp.MustCompile(`\d+(?:\.\d+)*`)
)

// skipKey is what the report counts a skip reason under: the reason with
// its variable parts (quoted values, URLs, paths, UUIDs, standalone
// numbers) as "…", up to the detail after its first ": " outside
// brackets and quotes (see clauseEnd). Reasons that
// differ only there share a key, and the words stay as written: S3,
// messages-v1, --s3-mirror, a parenthesized hint. The reason is redacted
// already (see Importer.skip).
func skipKey(reason string) string {
	k := reasonQuoted.ReplaceAllString(reason, "…")
	k = reasonURL.ReplaceAllStringFunc(k, func(u string) string {
		if u[0] == '(' {
			return "(…)"
		}
		return "…"
	})
	k = reasonPath.ReplaceAllString(k, "${1}…")
	k = reasonUUID.ReplaceAllString(k, "…")
	k = maskNumbers(k)
	if i := clauseEnd(k); i > 0 {
		k = k[:i]
	}
	return k
}

// clauseEnd is where the first clause of a reason ends: its first ": "
// outside brackets, parentheses, braces and quotes ("… out of the row
// (helicone_message: …): fetch it …" ends before "): fetch"). In a reason
// whose brackets do not pair up, it is the first ": ". -1 when there is
// none.
func clauseEnd(k string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				return strings.Index(k, ": ")
			}
			depth--
		case c == ':' && depth == 0 && i+1 < len(k) && k[i+1] == ' ':
			return i
		}
	}
	if depth != 0 || quote != 0 {
		return strings.Index(k, ": ")
	}
	return -1
}

// maskNumbers replaces the standalone numbers of s with "…", and leaves
// the digits of a word or a name: S3, v2:0, us-east-1, 20241022-v1.
func maskNumbers(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range reasonNumber.FindAllStringIndex(s, -1) {
		i, j := m[0], m[1]
		if i > 0 && strings.IndexByte("_.:/-", s[i-1]) >= 0 || i > 0 && isAlnum(s[i-1]) {
			continue
		}
		if j < len(s) && (isAlnum(s[j]) || strings.IndexByte("_/-", s[j]) >= 0 ||
			strings.IndexByte(".:", s[j]) >= 0 && j+1 < len(s) && s[j+1] != ' ') {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString("…")
		last = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func (r *Report) addCounts(c redact.Counts) {
	for k, n := range c {
		r.Redactions[string(k)] += n
	}
}

func (f *FamilyReport) add(rules string, repaired bool) {
	f.Conversations++
	if rules != "" {
		f.Breaking++
		if repaired {
			f.Repaired++
		}
	}
	if !repaired {
		f.Unrepaired++
	}
	for _, key := range splitRules(rules) {
		s := f.byRule[key]
		if s == nil {
			s = &RuleStat{ID: key, Name: key}
			if rule := ruleByKey(key); rule != nil {
				s.ID, s.Name, s.Message = rule.ID, rule.Name, rule.Message
			}
			f.byRule[key] = s
			f.Rules = append(f.Rules, s)
		}
		s.Count++
	}
}

// finish computes shares, orders the rules and picks examples among the
// written fixtures in dir.
func (r *Report) finish(fixtures []ManifestEntry, dir string) {
	r.Out = dir
	for fi, f := range r.Families {
		if f.Conversations > 0 {
			f.Share = float64(f.Breaking) / float64(f.Conversations)
		}
		for _, s := range f.Rules {
			if f.Conversations > 0 {
				s.Share = float64(s.Count) / float64(f.Conversations)
			}
			if s.Example != "" {
				continue
			}
			for _, fx := range fixtures {
				if fi < len(fx.Rules) && contains(splitRules(fx.Rules[fi]), statKey(s)) {
					s.Example = fx.File
					break
				}
			}
		}
		sort.SliceStable(f.Rules, func(a, b int) bool {
			if f.Rules[a].Count != f.Rules[b].Count {
				return f.Rules[a].Count > f.Rules[b].Count
			}
			ka, kb := statKey(f.Rules[a]), statKey(f.Rules[b])
			if oa, ob := ruleOrder(ka), ruleOrder(kb); oa != ob {
				return oa < ob
			}
			return ka < kb
		})
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// FromHistories builds the report of a fixture set, as lint --report
// does: every fixture is one conversation, no dedupe.
func FromHistories(hs []*history.History, fams []converse.Family) *Report {
	r := newReport(fams)
	var fixtures []ManifestEntry
	for _, h := range hs {
		r.Entries++
		r.Records++
		r.Formats[string(h.Format)]++
		r.Conversations++
		me := ManifestEntry{File: h.ID}
		for i, f := range fams {
			v := judge(h, f)
			r.Families[i].add(v.Rules, v.Repaired)
			me.Rules = append(me.Rules, v.Rules)
		}
		fixtures = append(fixtures, me)
	}
	// Nothing is written: the fixtures are read where they are.
	r.finish(fixtures, "")
	return r
}

// Write writes the report as text, JSON or HTML, chosen by the file
// name's extension (.json, .html or .htm, anything else is text).
func (r *Report) Write(w io.Writer, name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return r.WriteJSON(w)
	case ".html", ".htm":
		return r.WriteHTML(w)
	}
	return r.WriteText(w)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	data, err := json.Marshal(r, jsontext.WithIndent("  "), json.Deterministic(true))
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// WriteText writes the report for a terminal. What came from the logs
// (skip reasons and examples, file names) is written as
// [ingest.Printable] gives it: a control character a log or a file name
// holds cannot clear the screen, set the title or start a line of its
// own.
func (r *Report) WriteText(w io.Writer) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Migration report\n\n")
	// The entries first, then where each went: the lines below it add
	// up to it.
	p("  entries read            %d\n", r.Entries)
	if r.Ignored > 0 {
		p("    not model calls       %d\n", r.Ignored)
	}
	if r.Skipped > 0 {
		p("    skipped               %d (reasons below)\n", r.Skipped)
	}
	if r.OtherShard > 0 {
		p("    in other shards       %d\n", r.OtherShard)
	}
	p("    exact copies dropped  %d\n", r.Duplicates)
	p("    prefixes dropped      %d\n", r.Prefixes)
	p("    conversations         %d\n", r.Conversations)
	if r.Out != "" {
		// An import's; lint --report writes no fixture.
		p("  fixtures written        %d (in %s)\n", r.Written, ingest.Printable(r.Out))
	}
	for _, f := range r.Families {
		p("\nFamily %s: %d of %d conversations (%s) break the contract as sent; the normalizer repairs %d of them", ingest.Printable(f.Family), f.Breaking, f.Conversations, pct(f.Share), f.Repaired)
		if f.Unrepaired > 0 {
			p("; %d stay invalid after normalization", f.Unrepaired)
		}
		p(".\n")
		if len(f.Rules) == 0 {
			continue
		}
		nameW := 4
		for _, s := range f.Rules {
			nameW = max(nameW, len(s.ID)+1+len(s.Name))
		}
		p("  %-*s  %8s  %6s  %s\n", nameW, "rule", "histories", "share", "example")
		for _, s := range f.Rules {
			ex := s.Example
			if ex == "" {
				ex = "-"
			}
			p("  %-*s  %8d  %6s  %s\n", nameW, s.ID+" "+s.Name, s.Count, pct(s.Share), ingest.Printable(ex))
		}
	}
	if len(r.Redactions) > 0 {
		p("\nRedacted: %s\n", countList(r.Redactions))
	}
	if len(r.SkipReasons) > 0 {
		p("\nSkipped, by reason:\n")
		for _, k := range byCount(r.SkipReasons) {
			p("  %6d  %s\n", r.SkipReasons[k], ingest.Printable(k))
		}
		p("First skips:\n")
		for _, e := range r.SkipExamples {
			p("  %s\n", ingest.Printable(e))
		}
	}
	return nil
}

func countList(m map[string]int) string {
	var parts []string
	for _, k := range byCount(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// byCount returns the keys by descending count, then by name.
func byCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if m[keys[a]] != m[keys[b]] {
			return m[keys[a]] > m[keys[b]]
		}
		return keys[a] < keys[b]
	})
	return keys
}
