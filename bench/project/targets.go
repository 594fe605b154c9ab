package project

import (
	"context"
	"fmt"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/bedrock-bench/bedrock-bench/bench"
	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// LoadTargets reads a --targets file, which every command takes in the
// same two forms, told apart by what the file holds, not by its name: a
// YAML or JSON list of targets ([bench.ParseTargets]), or a project file
// (a mapping), whose targets it gives with that project's default family
// filled in ([Project.EffectiveTargets]). isProject says which it was.
// Errors name the file and the line at fault.
func LoadTargets(file string) (ts []bench.Target, isProject bool, err error) {
	return LoadTargetsContext(context.Background(), file)
}

// LoadTargetsContext is LoadTargets that gives up when ctx ends, the read
// of a named pipe nothing writes to included (a *bounded.InterruptedError
// wrapping ctx's error).
func LoadTargetsContext(ctx context.Context, file string) (ts []bench.Target, isProject bool, err error) {
	data, err := bounded.ReadFileContext(ctx, file, max(MaxFileSize, bench.MaxTargetsFile), "a target list or a project file is a few lines per target")
	if err != nil {
		return nil, false, err
	}
	return ParseTargets(file, data)
}

// ParseTargets is [LoadTargets] on the contents of file, read already.
func ParseTargets(file string, data []byte) (ts []bench.Target, isProject bool, err error) {
	if !IsProjectData(data) {
		ts, err := bench.ParseTargets(file, data)
		return ts, false, err
	}
	if oneTarget(data) {
		return nil, false, fmt.Errorf("%s:1: one target, not a list of them nor a project file: write it as a list item, \"- name: ...\" with region: and model: under it", file)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, true, err
	}
	p, err := Parse(abs, data)
	if err != nil {
		return nil, true, err
	}
	return p.EffectiveTargets(), true, nil
}

// oneTarget tells whether data, a mapping, holds a target's members and
// nothing else: a target written without the list's "- ".
func oneTarget(data []byte) bool {
	var m map[string]any
	if yaml.Unmarshal(validutf8.TrimBOM(data), &m) != nil {
		return false
	}
	_, name := m["name"]
	_, region := m["region"]
	_, model := m["model"]
	for k := range m {
		if !targetKeys[k] {
			// A project file's key: its own reader names what is wrong.
			return false
		}
	}
	// histories and family are a project file's keys too: a target is
	// told by its name, or its Region and model together.
	return name || region && model
}

// targetKeys are the members of a target in a list (bench.Target's).
var targetKeys = map[string]bool{"name": true, "region": true, "model": true, "histories": true, "expect": true, "family": true, "why": true}

// IsProjectData tells whether the contents of a --targets file are a
// project file, a YAML mapping, rather than a list of targets. Contents
// that do not parse are taken for a list, whose reader names the line.
func IsProjectData(data []byte) bool {
	if validutf8.Check("", data) != nil {
		return false
	}
	var root yaml.Node
	if yaml.Unmarshal(validutf8.TrimBOM(data), &root) != nil {
		return false
	}
	return root.Kind == yaml.DocumentNode && len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode
}
