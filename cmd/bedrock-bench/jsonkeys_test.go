package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/corpus"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/preflight"
)

// TestJSONKeysAreCamelCase: every JSON document the tool writes uses one
// key style, camelCase (README, "JSON output"). It walks the types that
// are encoded, field by field, so a new snake_case or capitalized key
// fails here.
func TestJSONKeysAreCamelCase(t *testing.T) {
	roots := map[string]any{
		"replay":           replaySummary{},
		"bench outcome":    bench.Outcome{},
		"lint":             lintReport{},
		"lint cassettes":   bench.Finding{},
		"preflight":        preflight.Report{},
		"preflight matrix": preflight.Matrix{},
		"report":           corpus.Report{},
		"manifest":         corpus.Manifest{},
		"fixture source":   ingest.Source{},
	}
	for name, v := range roots {
		seen := map[reflect.Type]bool{}
		var walk func(reflect.Type, string)
		walk = func(ty reflect.Type, path string) {
			for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Array || ty.Kind() == reflect.Map {
				ty = ty.Elem()
			}
			if ty.Kind() != reflect.Struct || seen[ty] || ty.PkgPath() == "" || !strings.HasPrefix(ty.PkgPath(), "github.com/bedrock-bench/") {
				return
			}
			seen[ty] = true
			for i := range ty.NumField() {
				f := ty.Field(i)
				if !f.IsExported() {
					continue
				}
				key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if key == "-" {
					continue
				}
				if key == "" && !f.Anonymous {
					t.Errorf("%s: %s%s has no json tag: its key would be %q", name, path, f.Name, f.Name)
				}
				if strings.Contains(key, "_") || (key != "" && strings.ToLower(key[:1]) != key[:1]) {
					t.Errorf("%s: %s%s is encoded as %q: use camelCase", name, path, f.Name, key)
				}
				walk(f.Type, path+f.Name+".")
			}
		}
		walk(reflect.TypeOf(v), "")
	}
}
