package awstest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryAWSPackageIsolatesItsTests: a package whose code or tests use
// the AWS SDK runs its tests under Isolate (a TestMain calling it), so
// nothing of the developer's AWS environment reaches them; CI runs the
// tests with every variable of Hostile set, and an SDK client built
// without Isolate sends AWS_BEARER_TOKEN_BEDROCK as a bearer token
// ("bearer token with HTTP request requires HTTPS"). bench/catalog/refresh
// had none and failed there.
func TestEveryAWSPackageIsolatesItsTests(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	dirs := map[string][]string{}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			dirs[filepath.Dir(path)] = append(dirs[filepath.Dir(path)], path)
		}
		return nil
	})
	for dir, files := range dirs {
		usesSDK, hasTests, isolated := false, false, false
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := string(src)
			if strings.Contains(s, `"github.com/aws/aws-sdk-go-v2/`) {
				usesSDK = true
			}
			if strings.HasSuffix(f, "_test.go") {
				hasTests = true
				if strings.Contains(s, "func TestMain(") && strings.Contains(s, "Isolate()") {
					isolated = true
				}
			}
		}
		if !usesSDK || !hasTests {
			continue
		}
		checked++
		if !isolated {
			t.Errorf("%s uses the AWS SDK and its tests run without a TestMain calling awstest.Isolate()", dir)
		}
	}
	if checked < 10 {
		t.Errorf("only %d packages using the AWS SDK found: the walk is wrong", checked)
	}
}
