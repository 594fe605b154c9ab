package refresh

import (
	"os"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/internal/awstest"
)

// TestMain runs the package's tests with a fixed, empty AWS
// configuration: nothing in the developer's environment reaches them
// (AWS_BEARER_TOKEN_BEDROCK would make the SDK's clients send it).
func TestMain(m *testing.M) {
	awstest.Isolate()
	os.Exit(m.Run())
}
