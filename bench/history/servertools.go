package history

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Anthropic's server tools (web search, web fetch, code execution, tool
// search) and its MCP connector run on Anthropic's side: the model calls
// them and their results come back in the same assistant message, as
// blocks of their own. Bedrock runs none of them, and Converse has no
// block for them (its toolUse type server_tool_use is Nova's system
// tools'). Such a block decodes into a part marked Server: a tool call
// or result that keeps the block's ids, name, input and content, with
// the text that stands in for it in Converse: the tool's name and
// input, and what the result showed the model (titles and URLs, output,
// the result's text), without the encrypted content and opaque ids only
// Anthropic can read. A search_result block (the result format of an
// application's own search tool) becomes a Server text the same way:
// Converse's searchResult block is not modelled here.

// serverBlocks are the block types that decode into Server parts.
var serverBlocks = map[string]bool{
	"server_tool_use":                        true,
	"mcp_tool_use":                           true,
	"web_search_tool_result":                 true,
	"web_fetch_tool_result":                  true,
	"code_execution_tool_result":             true,
	"bash_code_execution_tool_result":        true,
	"text_editor_code_execution_tool_result": true,
	"tool_search_tool_result":                true,
	"mcp_tool_result":                        true,
	"search_result":                          true,
}

// serverBlockMembers are the members a server block's type holds beside
// those anBlock reads: they go into its part, not into a field-dropped
// note.
var serverBlockMembers = map[string][]string{
	"mcp_tool_use":  {"server_name"},
	"search_result": {"citations"},
}

// serverReads is the anBlock members the text of a server block of type
// typ reads.
func serverReads(typ string) blockFields {
	switch typ {
	case "server_tool_use", "mcp_tool_use":
		return blockID | blockName | blockInput
	case "search_result":
		return blockSource | blockTitle | blockContent
	}
	return blockToolUseID | blockContent | blockIsError
}

// srvBlock is a server block, and any block or object inside its content,
// with the members its text reads.
type srvBlock struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	ServerName string         `json:"server_name"`
	Input      jsontext.Value `json:"input"`
	ToolUseID  string         `json:"tool_use_id"`
	IsError    bool           `json:"is_error"`
	Text       string         `json:"text"`
	Title      string         `json:"title"`
	URL        string         `json:"url"`
	PageAge    string         `json:"page_age"`
	Source     jsontext.Value `json:"source"`
	// Content is a string, an array of blocks or an object.
	Content      jsontext.Value `json:"content"`
	ErrorCode    string         `json:"error_code"`
	ErrorMessage string         `json:"error_message"`
	Stdout       string         `json:"stdout"`
	Stderr       string         `json:"stderr"`
	ReturnCode   jsontext.Value `json:"return_code"`
	RetrievedAt  string         `json:"retrieved_at"`
	IsFileUpdate *bool          `json:"is_file_update"`
	Lines        []string       `json:"lines"`
	Tools        []srvBlock     `json:"tool_references"`
	ToolName     string         `json:"tool_name"`
}

// serverBlock converts block b of a server type at path into a Server
// part.
func (d *decoder) serverBlock(b *anBlock, path string) (Part, error) {
	whole, err := json.Marshal(b, json.OmitZeroStructFields(true))
	if err != nil {
		return Part{}, d.errorf(path, "%v", err)
	}
	var s srvBlock
	if err := json.Unmarshal(whole, &s); err != nil {
		return Part{}, d.within(path, whole, err)
	}
	switch b.Type {
	case "server_tool_use", "mcp_tool_use":
		if b.Name == "" {
			return Part{}, d.errorf(path+".name", "missing: a %s block names its tool", b.Type)
		}
		if d.serverNames == nil {
			d.serverNames = map[string]string{}
		}
		d.serverNames[b.ID] = b.Name
		input := raw(b.Input)
		if len(input) == 0 {
			input = []byte(`{}`)
		}
		return Part{Kind: PartToolCall, Server: true, ID: b.ID, Name: b.Name, Input: input, Text: serverCallText(&s)}, nil
	case "search_result":
		return Part{Kind: PartText, Server: true, Text: searchResultText(&s)}, nil
	}
	// The content's shape is checked here, so its text leaves nothing
	// out for a value of the wrong type.
	var check any = &srvBlock{}
	if s.Content.Kind() == '[' {
		check = &[]srvBlock{}
	}
	if k := s.Content.Kind(); k == '[' || k == '{' {
		if err := json.Unmarshal(s.Content, check); err != nil {
			return Part{}, d.within(path+".content", s.Content, err)
		}
	}
	name := d.serverNames[b.ToolUseID]
	if name == "" {
		name = strings.TrimSuffix(b.Type, "_tool_result")
	}
	return Part{Kind: PartToolResult, Server: true, ID: b.ToolUseID, Name: name, IsError: b.IsError, Input: raw(s.Content), Text: serverResultText(&s, name)}, nil
}

// within is the error err from decoding v, the value at path, as an
// *Error at the path of the member at fault ("must be a string, not
// number").
func (d *decoder) within(path string, v []byte, err error) error {
	sub := &decoder{file: d.file, data: v}
	if e, ok := sub.wrap(err).(*Error); ok && e.Line == 0 {
		// An index first ("0.url", v an array) goes in brackets.
		head, rest := e.Path, ""
		if i := strings.IndexAny(e.Path, ".["); i >= 0 {
			head, rest = e.Path[:i], strings.TrimPrefix(e.Path[i:], ".")
		}
		if _, aerr := strconv.Atoi(head); aerr == nil {
			e.Path = path + "[" + head + "]"
			if rest != "" && rest[0] != '[' {
				e.Path += "."
			}
			e.Path += rest
		} else {
			e.Path = joinPath(path, e.Path)
		}
		return e
	}
	return d.errorf(path, "%v", err)
}

// serverCallText is the text of a server or MCP tool call.
func serverCallText(s *srvBlock) string {
	input := "{}"
	if len(s.Input) > 0 {
		v := s.Input.Clone()
		if v.Compact() == nil {
			input = string(v)
		}
	}
	if s.Type == "mcp_tool_use" {
		return fmt.Sprintf("[Called tool %s of MCP server %s with input %s]", s.Name, s.ServerName, input)
	}
	return fmt.Sprintf("[Called server tool %s with input %s]", s.Name, input)
}

// serverResultText is the text of a server or MCP tool's result, from
// the tool called name.
func serverResultText(s *srvBlock, name string) string {
	var b strings.Builder
	head := "Result of " + name
	if s.Type == "mcp_tool_result" {
		head = "Result of MCP tool " + name
		if s.IsError {
			head = "Error of MCP tool " + name
		}
	}
	b.WriteString("[" + head + "]")
	if s.Type == "mcp_tool_result" {
		if t := contentText(s.Content); t != "" {
			b.WriteString("\n" + t)
		}
		return b.String()
	}
	switch s.Content.Kind() {
	case '[':
		var items []srvBlock
		if json.Unmarshal(s.Content, &items) != nil {
			break
		}
		if len(items) == 0 {
			b.WriteString("\nNo results.")
		}
		for i := range items {
			b.WriteString("\n- " + resultLine(&items[i]))
		}
	case '{':
		var r srvBlock
		if json.Unmarshal(s.Content, &r) == nil {
			writeResult(&b, &r)
		}
	case '"':
		var t string
		if json.Unmarshal(s.Content, &t) == nil && t != "" {
			b.WriteString("\n" + t)
		}
	}
	return b.String()
}

// resultLine is one web search result, as a line.
func resultLine(r *srvBlock) string {
	line := r.Title
	if r.URL != "" {
		line = joinSpace(line, "<"+r.URL+">")
	}
	if r.PageAge != "" {
		line += " (page age: " + r.PageAge + ")"
	}
	if r.ErrorCode != "" {
		line = joinSpace(line, "error: "+r.ErrorCode)
	}
	return line
}

// writeResult writes the result object r of a server tool to b.
func writeResult(b *strings.Builder, r *srvBlock) {
	if r.ErrorCode != "" {
		b.WriteString("\nError: " + r.ErrorCode)
		if r.ErrorMessage != "" {
			b.WriteString(": " + r.ErrorMessage)
		}
		return
	}
	switch {
	case strings.HasSuffix(r.Type, "code_execution_result"):
		b.WriteString("\nReturn code: " + string(r.ReturnCode))
		if r.Stdout != "" {
			b.WriteString("\nstdout:\n" + r.Stdout)
		}
		if r.Stderr != "" {
			b.WriteString("\nstderr:\n" + r.Stderr)
		}
		var files []srvBlock
		if json.Unmarshal(r.Content, &files) == nil && len(files) > 0 {
			if len(files) == 1 {
				b.WriteString("\n(1 output file)")
			} else {
				fmt.Fprintf(b, "\n(%d output files)", len(files))
			}
		}
	case r.Type == "web_fetch_result":
		var doc srvBlock
		title := ""
		if json.Unmarshal(r.Content, &doc) == nil {
			title = doc.Title
		}
		b.WriteString("\nFetched " + joinSpace(strconv.Quote(title), "<"+r.URL+">"))
		if r.RetrievedAt != "" {
			b.WriteString(" at " + r.RetrievedAt)
		}
	case r.Type == "text_editor_code_execution_view_result":
		var t string
		if json.Unmarshal(r.Content, &t) == nil && t != "" {
			b.WriteString("\n" + t)
		}
	case r.Type == "text_editor_code_execution_create_result":
		if r.IsFileUpdate != nil && *r.IsFileUpdate {
			b.WriteString("\nFile updated.")
		} else {
			b.WriteString("\nFile created.")
		}
	case r.Type == "text_editor_code_execution_str_replace_result":
		b.WriteString("\nReplaced.")
		if len(r.Lines) > 0 {
			b.WriteString("\n" + strings.Join(r.Lines, "\n"))
		}
	case len(r.Tools) > 0:
		names := make([]string, 0, len(r.Tools))
		for _, t := range r.Tools {
			names = append(names, t.ToolName)
		}
		b.WriteString("\nTools found: " + strings.Join(names, ", "))
	default:
		// A result of a kind this decoder does not know: its members as
		// they are, but those only Anthropic can read.
		var m map[string]jsontext.Value
		if json.Unmarshal(mustJSON(r), &m) == nil {
			keys := make([]string, 0, len(m))
			for k := range m {
				if k != "type" && !strings.HasPrefix(k, "encrypted") {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				b.WriteString("\n" + k + ": " + string(m[k]))
			}
		}
	}
}

// mustJSON is v as JSON without its zero members, or nil.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v, json.OmitZeroStructFields(true))
	return b
}

// searchResultText is the text of a search_result block.
func searchResultText(s *srvBlock) string {
	head := "Search result " + strconv.Quote(s.Title)
	var source string
	if json.Unmarshal(s.Source, &source) == nil && source != "" {
		head += " from " + source
	}
	text := "[" + head + "]"
	if t := contentText(s.Content); t != "" {
		text += "\n" + t
	}
	return text
}

// contentText is the text of content that is a string or an array of
// text blocks, joined by new lines.
func contentText(c jsontext.Value) string {
	switch c.Kind() {
	case '"':
		var t string
		json.Unmarshal(c, &t)
		return t
	case '[':
		var blocks []srvBlock
		if json.Unmarshal(c, &blocks) != nil {
			return ""
		}
		var texts []string
		for _, bl := range blocks {
			if bl.Text != "" {
				texts = append(texts, bl.Text)
			}
		}
		return strings.Join(texts, "\n")
	}
	return ""
}

func joinSpace(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// The Responses API's built-in tools (web search, file search, the code
// interpreter, image generation, remote MCP servers) run on OpenAI's
// side too: one input item holds both the call and what it returned.
// Such an item joins the assistant turn, as a function call does, as a
// Server tool call whose Input is the item's members and whose Text
// keeps what the model saw.

// responsesServerItems are the input item types of built-in tools, with
// the tool each names (mcp_call names its own).
var responsesServerItems = map[string]string{
	"web_search_call":       "web_search",
	"file_search_call":      "file_search",
	"code_interpreter_call": "code_interpreter",
	"image_generation_call": "image_generation",
	"mcp_call":              "mcp",
	"mcp_list_tools":        "mcp_list_tools",
}

// responsesServerTools are the types of the Responses API's built-in
// tools, which OpenAI runs.
var responsesServerTools = []string{"web_search", "file_search", "code_interpreter", "image_generation", "mcp"}

// responsesServerTool reports whether a Responses tool of type typ is a
// built-in tool OpenAI runs (web_search_preview_2025_03_11 included).
func responsesServerTool(typ string) bool {
	for _, p := range responsesServerTools {
		if typ == p || strings.HasPrefix(typ, p+"_") {
			return true
		}
	}
	return false
}

// rsServer is a built-in tool's item, the members its text reads.
type rsServer struct {
	ID     string `json:"id"`
	Action struct {
		Type    string `json:"type"`
		Query   string `json:"query"`
		URL     string `json:"url"`
		Pattern string `json:"pattern"`
	} `json:"action"`
	Queries []string `json:"queries"`
	Results []struct {
		Filename string `json:"filename"`
		Text     string `json:"text"`
	} `json:"results"`
	Code    string `json:"code"`
	Outputs []struct {
		Type string `json:"type"`
		Logs string `json:"logs"`
		URL  string `json:"url"`
	} `json:"outputs"`
	ServerLabel string         `json:"server_label"`
	Error       jsontext.Value `json:"error"`
	Tools       []struct {
		Name string `json:"name"`
	} `json:"tools"`
}

// responsesServer converts the built-in tool item it at path into a
// Server tool call.
func (d *decoder) responsesServer(it *rsItem, path string) (Part, error) {
	var s rsServer
	if it.Unknown.Kind() == '{' {
		if err := json.Unmarshal(it.Unknown, &s); err != nil {
			return Part{}, d.within(path, it.Unknown, err)
		}
	}
	name := responsesServerItems[it.Type]
	if it.Type == "mcp_call" {
		if it.Name == "" {
			return Part{}, d.errorf(path+".name", "missing: an mcp_call names its tool")
		}
		name = it.Name
	}
	input := jsontext.Value(`{}`)
	if it.Unknown.Kind() == '{' {
		input = it.Unknown
	}
	var b strings.Builder
	switch it.Type {
	case "web_search_call":
		b.WriteString("[Used built-in tool web_search")
		switch {
		case s.Action.Query != "":
			b.WriteString(": searched " + strconv.Quote(s.Action.Query))
		case s.Action.Pattern != "":
			b.WriteString(": looked for " + strconv.Quote(s.Action.Pattern) + " in <" + s.Action.URL + ">")
		case s.Action.URL != "":
			b.WriteString(": opened <" + s.Action.URL + ">")
		}
		b.WriteString("]")
	case "file_search_call":
		q, _ := json.Marshal(s.Queries)
		b.WriteString("[Used built-in tool file_search with queries " + string(q) + "]")
		for _, r := range s.Results {
			b.WriteString("\n- " + joinSpace(r.Filename+":", r.Text))
		}
	case "code_interpreter_call":
		b.WriteString("[Ran code with built-in tool code_interpreter]")
		if s.Code != "" {
			b.WriteString("\n" + s.Code)
		}
		for _, o := range s.Outputs {
			switch {
			case o.Logs != "":
				b.WriteString("\nOutput:\n" + o.Logs)
			case o.Type == "image":
				b.WriteString("\n(an image)")
			}
		}
	case "image_generation_call":
		b.WriteString("[Generated an image with built-in tool image_generation]")
	case "mcp_call":
		args, err := d.jsonArgs(it.Arguments, path, ".arguments", -1, "")
		if err != nil {
			return Part{}, err
		}
		v := jsontext.Value(args).Clone()
		_ = v.Compact()
		fmt.Fprintf(&b, "[Called tool %s of MCP server %s with input %s]", name, s.ServerLabel, v)
		var out string
		if json.Unmarshal(it.Output, &out) == nil && out != "" {
			b.WriteString("\nResult: " + out)
		}
		if k := s.Error.Kind(); k != 0 && k != 'n' {
			var e string
			if json.Unmarshal(s.Error, &e) != nil {
				e = string(s.Error)
			}
			b.WriteString("\nError: " + e)
		}
	case "mcp_list_tools":
		names := make([]string, 0, len(s.Tools))
		for _, t := range s.Tools {
			names = append(names, t.Name)
		}
		b.WriteString("[Listed the tools of MCP server " + s.ServerLabel + ": " + strings.Join(names, ", ") + "]")
	}
	if it.Type == "mcp_call" {
		// The arguments and output are members of their own.
		whole := map[string]jsontext.Value{}
		if it.Unknown.Kind() == '{' {
			if err := json.Unmarshal(it.Unknown, &whole); err != nil {
				return Part{}, d.errorf(path, "%v", err)
			}
		}
		if len(it.Arguments) > 0 {
			whole["arguments"] = it.Arguments
		}
		if len(it.Output) > 0 {
			whole["output"] = it.Output
		}
		m, err := json.Marshal(whole, json.Deterministic(true))
		if err != nil {
			return Part{}, d.errorf(path, "%v", err)
		}
		input = m
	}
	return Part{Kind: PartToolCall, Server: true, ID: s.ID, Name: name, Input: raw(input), Text: b.String()}, nil
}
