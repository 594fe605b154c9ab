package normalize_test

import (
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
)

func docOf(v map[string]any) document.Interface { return document.NewLazyDocument(v) }
