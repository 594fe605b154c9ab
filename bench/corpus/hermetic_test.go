package corpus

import (
	"os"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/internal/awstest"
)

// TestMain runs the package's tests with a fixed, empty AWS
// configuration: nothing in the developer's environment reaches them.
func TestMain(m *testing.M) {
	awstest.Isolate()
	dir, err := os.MkdirTemp("", "corpus-test-")
	if err != nil {
		panic(err)
	}
	sharedTemp = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
