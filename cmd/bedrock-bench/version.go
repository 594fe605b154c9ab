package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
)

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", "  bedrock-bench version\n", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprint(stdout, versionText(debug.ReadBuildInfo()))
	return nil
}

// versionText words the build information: the module version (a tag
// for go install …@vX.Y.Z, "(devel)" for a build from a checkout) and the
// VCS revision go build stamps.
func versionText(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "bedrock-bench (no build information)\n"
	}
	s := map[string]string{}
	for _, kv := range bi.Settings {
		s[kv.Key] = kv.Value
	}
	rev := s["vcs.revision"]
	switch {
	case rev == "":
		rev = "unknown (not stamped: go build and go install stamp it unless -buildvcs=false; go run does not)"
	case s["vcs.modified"] == "true":
		rev += " (" + s["vcs.time"] + ", with uncommitted changes)"
	case s["vcs.time"] != "":
		rev += " (" + s["vcs.time"] + ")"
	}
	return fmt.Sprintf("bedrock-bench %s\nmodule %s\nrevision %s\n%s\n", bi.Main.Version, bi.Main.Path, rev, bi.GoVersion)
}

func sortStrings(xs []string) { sort.Strings(xs) }
