package normalize

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestREADMEDocumentsEveryRuleAndCode keeps the README true: every report
// code declared in report.go and every contract rule appears in it.
func TestREADMEDocumentsEveryRuleAndCode(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readme)
	f, err := parser.ParseFile(token.NewFileSet(), "report.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			code, _ := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
			codes++
			if !strings.Contains(doc, "`"+code+"`") {
				t.Errorf("README does not document report code %s", code)
			}
		}
	}
	if codes < 20 {
		t.Fatalf("found only %d codes in report.go; the parser no longer sees them", codes)
	}
	for _, r := range converse.Rules() {
		if !strings.Contains(doc, "`"+r.Name+"`") {
			t.Errorf("README does not list rule %s (%s)", r.Name, r.ID)
		}
	}
}
