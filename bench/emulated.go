package bench

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-bench/bedrock-bench/bench/emulator"
)

// emulated reports whether a response came from the bundled emulator.
func emulated(md middleware.Metadata) bool {
	resp, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	return ok && resp.Header.Get(emulator.EmulatedHeader) != ""
}

// emulatorCreds signs calls to the bundled emulator.
func emulatorCreds() aws.CredentialsProvider {
	return emulator.DefaultCredentials.Provider()
}
