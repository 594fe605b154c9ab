package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/jsonpos"
)

// MaxTargetsSize bounds a targets file.
const MaxTargetsSize = 8 << 20

// LoadTargets reads a matrix targets file: a JSON list of objects with
// "region" and "model" (other fields, such as a bench target's "name" and
// "why", are ignored).
func LoadTargets(path string) ([]Target, error) {
	return LoadTargetsContext(context.Background(), path)
}

// LoadTargetsContext is LoadTargets that gives up when ctx ends, the read
// of a named pipe nothing writes to included (a *bounded.InterruptedError
// wrapping ctx's error).
func LoadTargetsContext(ctx context.Context, path string) ([]Target, error) {
	data, err := bounded.ReadFileContext(ctx, path, MaxTargetsSize, "not a targets file")
	if err != nil {
		return nil, err
	}
	return ParseTargets(path, data)
}

// ParseTargets decodes a targets file; errors name the file and the entry.
func ParseTargets(name string, data []byte) ([]Target, error) {
	if err := validutf8.Check(name, data); err != nil {
		return nil, err
	}
	data = validutf8.TrimBOM(data)
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("%s: %s (want a JSON list of {\"region\": ..., \"model\": ...})", jsonpos.At(name, data, err), jsonpos.Problem(data, err))
		}
		return nil, fmt.Errorf("%s: want a JSON list of {\"region\": ..., \"model\": ...}", name)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%s: no targets", name)
	}
	out := make([]Target, 0, len(raw))
	for i, r := range raw {
		var t Target
		if err := json.Unmarshal(r, &t); err != nil {
			return nil, fmt.Errorf("%s: [%d]: %s", name, i, jsonpos.Problem(r, err))
		}
		t.Region, t.Model = strings.TrimSpace(t.Region), strings.TrimSpace(t.Model)
		if t.Region == "" || t.Model == "" {
			return nil, fmt.Errorf("%s: [%d]: region and model are required", name, i)
		}
		out = append(out, t)
	}
	return out, nil
}
