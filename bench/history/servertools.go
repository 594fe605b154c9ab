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
	"advisor_tool_result":                    true,
	"search_result":                          true,
	"container_upload":                       true,
	"compaction":                             true,
	"tool_reference":                         true,
}

// serverBlockMembers are the members a server block's type holds beside
// those anBlock reads: they go into its part, not into a field-dropped
// note.
var serverBlockMembers = map[string][]string{
	"mcp_tool_use":     {"server_name"},
	"search_result":    {"citations"},
	"container_upload": {"file_id"},
	"compaction":       {"encrypted_content"},
	"tool_reference":   {"tool_name"},
}

// serverReads is the anBlock members the text of a server block of type
// typ reads.
func serverReads(typ string) blockFields {
	switch typ {
	case "server_tool_use", "mcp_tool_use":
		return blockID | blockName | blockInput
	case "search_result":
		return blockSource | blockTitle | blockContent
	case "compaction":
		return blockContent
	case "container_upload", "tool_reference":
		return 0
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
	FileID       string         `json:"file_id"`
	// EncryptedContent is a compaction block's encrypted form.
	EncryptedContent jsontext.Value `json:"encrypted_content"`
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
	case "container_upload":
		// The file went into the code execution container; the model
		// saw it named there, not its bytes.
		if s.FileID == "" {
			return Part{}, d.errorf(path+".file_id", "missing: a container_upload block names its file")
		}
		return Part{Kind: PartText, Server: true, Name: b.Type, Text: "[Uploaded file " + s.FileID + " to the code execution container]"}, nil
	case "tool_reference":
		if s.ToolName == "" {
			return Part{}, d.errorf(path+".tool_name", "missing: a tool_reference block names its tool")
		}
		return Part{Kind: PartText, Server: true, Name: b.Type, Text: "[Tool found: " + s.ToolName + "]"}, nil
	case "compaction":
		// The summary Anthropic's context management wrote in place of
		// the turns before it: what the model saw of them. Its encrypted
		// content only Anthropic reads.
		t := contentText(s.Content)
		if t != "" && len(s.EncryptedContent) > 0 {
			d.note(d.msgIndex, NoteFieldDropped, "%s.encrypted_content = %s dropped: only Anthropic reads a compaction's encrypted form; its summary is kept as text", path, noteValue(s.EncryptedContent))
		}
		if t == "" {
			d.note(d.msgIndex, NoteFieldDropped, "%s = %s dropped: a compaction block without content records a compaction that failed, which the API treats as nothing", path, noteValue(b))
			return Part{Kind: PartText}, nil
		}
		return Part{Kind: PartText, Server: true, Name: b.Type, Text: "[Summary of the earlier conversation]\n" + t}, nil
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
	case r.Type == "advisor_result":
		if r.Text != "" {
			b.WriteString("\n" + r.Text)
		}
	case r.Type == "advisor_redacted_result":
		b.WriteString("\n(advice only Anthropic can read)")
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
	if _, ok := responsesServerOutputs[it.Type+"_output"]; ok || it.Type == "mcp_approval_request" {
		var c rsClient
		if it.Unknown.Kind() == '{' {
			if err := json.Unmarshal(it.Unknown, &c); err != nil {
				return Part{}, d.within(path, it.Unknown, err)
			}
		}
		text, err := d.responsesClientCall(it, &c, name, path)
		if err != nil {
			return Part{}, err
		}
		members, err := d.responsesClientMembers(it, path)
		if err != nil {
			return Part{}, err
		}
		id := it.CallID
		if id == "" {
			id = s.ID
		}
		if it.Type == "mcp_approval_request" {
			name = it.Name
		}
		return Part{Kind: PartToolCall, Server: true, Client: true, ID: id, Name: name, Input: raw(members), Text: text}, nil
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

// The Responses API's tools that OpenAI's models are trained on but the
// application runs (the computer, a local shell, a hosted-style shell,
// apply_patch), and an MCP server's approval round, come as items of
// their own: the call joins the assistant turn, as a function call does,
// and its output is a message of its own. Converse cannot declare these
// tools with the shape the model knew, so each becomes a Server part, as
// a built-in tool's item does: text that keeps what the model saw (the
// action, command or patch; the output; the screenshot itself, kept as
// an image), Input the item's members.

// responsesClientTools are the types of those tools.
var responsesClientTools = []string{"computer_use_preview", "computer", "local_shell", "shell", "apply_patch"}

// responsesClientTool reports whether a Responses tool of type typ is one
// of them (computer_use_preview_2025_03_11 included).
func responsesClientTool(typ string) bool {
	for _, p := range responsesClientTools {
		if typ == p || strings.HasPrefix(typ, p+"_") {
			return true
		}
	}
	return false
}

func init() {
	for typ, tool := range map[string]string{
		"computer_call":        "computer_use_preview",
		"local_shell_call":     "local_shell",
		"shell_call":           "shell",
		"apply_patch_call":     "apply_patch",
		"mcp_approval_request": "mcp_approval",
	} {
		responsesServerItems[typ] = tool
	}
}

// responsesServerOutputs are the output items of those tools, with the
// tool each answers.
var responsesServerOutputs = map[string]string{
	"computer_call_output":    "computer_use_preview",
	"local_shell_call_output": "local_shell",
	"shell_call_output":       "shell",
	"apply_patch_call_output": "apply_patch",
	"mcp_approval_response":   "mcp_approval",
}

// rsClient is the members the text of a client tool's item reads.
type rsClient struct {
	ID        string         `json:"id"`
	Action    jsontext.Value `json:"action"`
	Operation struct {
		Type string `json:"type"`
		Path string `json:"path"`
		Diff string `json:"diff"`
	} `json:"operation"`
	ServerLabel       string `json:"server_label"`
	ApprovalRequestID string `json:"approval_request_id"`
	Approve           *bool  `json:"approve"`
	Reason            string `json:"reason"`
	Status            string `json:"status"`
}

// compactJSON is v without insignificant space, or "{}" when empty.
func compactJSON(v jsontext.Value) string {
	if len(v) == 0 || v.Kind() == 'n' {
		return "{}"
	}
	c := v.Clone()
	if c.Compact() != nil {
		return string(v)
	}
	return string(c)
}

// responsesClientMembers is item it's members as one JSON object: those
// in Unknown, and the arguments and output it reads itself.
func (d *decoder) responsesClientMembers(it *rsItem, path string) (jsontext.Value, error) {
	whole := map[string]jsontext.Value{}
	if it.Unknown.Kind() == '{' {
		if err := json.Unmarshal(it.Unknown, &whole); err != nil {
			return nil, d.errorf(path, "%v", err)
		}
	}
	for name, v := range map[string]jsontext.Value{"arguments": it.Arguments, "output": it.Output} {
		if len(v) > 0 {
			whole[name] = v
		}
	}
	m, err := json.Marshal(whole, json.Deterministic(true))
	if err != nil {
		return nil, d.errorf(path, "%v", err)
	}
	return m, nil
}

// responsesClientCall is the text of a client tool's call item it, or of
// an MCP approval request.
func (d *decoder) responsesClientCall(it *rsItem, s *rsClient, name, path string) (string, error) {
	switch it.Type {
	case "mcp_approval_request":
		if it.Name == "" {
			return "", d.errorf(path+".name", "missing: an mcp_approval_request names its tool")
		}
		args, err := d.jsonArgs(it.Arguments, path, ".arguments", -1, "")
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("[Asked approval to call tool %s of MCP server %s with input %s]", it.Name, s.ServerLabel, compactJSON(args)), nil
	case "apply_patch_call":
		text := fmt.Sprintf("[Called tool apply_patch (call %s): %s %s]", it.CallID, s.Operation.Type, s.Operation.Path)
		if s.Operation.Diff != "" {
			text += "\n" + s.Operation.Diff
		}
		return text, nil
	}
	return fmt.Sprintf("[Called tool %s (call %s) with action %s]", name, it.CallID, compactJSON(s.Action)), nil
}

// responsesServerOutput converts the output item it of a client tool, or
// an MCP approval response, at path, into a tool message: a Server tool
// result whose text keeps what the model saw, and a screenshot as an
// image of its own.
func (d *decoder) responsesServerOutput(it *rsItem, path string) (Message, error) {
	var s rsClient
	if it.Unknown.Kind() == '{' {
		if err := json.Unmarshal(it.Unknown, &s); err != nil {
			return Message{}, d.within(path, it.Unknown, err)
		}
	}
	name := responsesServerOutputs[it.Type]
	id := it.CallID
	if id == "" {
		id = s.ID // a local_shell_call_output names its call by id
	}
	if it.Type == "mcp_approval_response" {
		id = s.ApprovalRequestID
	}
	if id == "" {
		return Message{}, d.errorf(path+".call_id", "missing: %s answers a call by its id", responsesItemName(it.Type))
	}
	input, err := d.responsesClientMembers(it, path)
	if err != nil {
		return Message{}, err
	}
	head := fmt.Sprintf("[Result of tool %s (call %s)", name, id)
	if s.Status != "" && it.Type == "apply_patch_call_output" {
		head += ": " + s.Status
	}
	head += "]"
	var b strings.Builder
	b.WriteString(head)
	var extra []Part
	switch it.Type {
	case "mcp_approval_response":
		b.Reset()
		if s.Approve != nil && *s.Approve {
			b.WriteString("[Approved the MCP tool call asked in " + id + "]")
		} else {
			b.WriteString("[Declined the MCP tool call asked in " + id + "]")
		}
		if s.Reason != "" {
			b.WriteString("\n" + s.Reason)
		}
	case "computer_call_output":
		var shot struct {
			Type     string `json:"type"`
			ImageURL string `json:"image_url"`
			FileID   string `json:"file_id"`
		}
		if it.Output.Kind() != '{' || json.Unmarshal(it.Output, &shot) != nil {
			return Message{}, d.errorf(path+".output", "must be a computer_screenshot object")
		}
		b.WriteString("\nScreenshot:")
		switch {
		case shot.ImageURL != "":
			img, err := d.imageFromURL(shot.ImageURL, func() string { return path + ".output.image_url" })
			if err != nil {
				return Message{}, err
			}
			extra = append(extra, img)
		case shot.FileID != "":
			d.note(d.msgIndex, NoteFileUnavailable, "screenshot file %s was sent by id; only the id was logged, so a text note stands in", shot.FileID)
			b.WriteString(" [image not included: " + shot.FileID + ", sent by id]")
		}
	case "shell_call_output":
		var outs []struct {
			Stdout  string `json:"stdout"`
			Stderr  string `json:"stderr"`
			Outcome struct {
				Type     string         `json:"type"`
				ExitCode jsontext.Value `json:"exit_code"`
			} `json:"outcome"`
		}
		if k := it.Output.Kind(); k == '[' {
			if err := json.Unmarshal(it.Output, &outs); err != nil {
				return Message{}, d.within(path+".output", it.Output, err)
			}
		} else if k == '"' {
			var t string
			_ = json.Unmarshal(it.Output, &t)
			b.WriteString("\n" + t)
		}
		for _, o := range outs {
			switch {
			case len(o.Outcome.ExitCode) > 0:
				b.WriteString("\nExit code: " + string(o.Outcome.ExitCode))
			case o.Outcome.Type != "":
				b.WriteString("\nOutcome: " + o.Outcome.Type)
			}
			if o.Stdout != "" {
				b.WriteString("\nstdout:\n" + o.Stdout)
			}
			if o.Stderr != "" {
				b.WriteString("\nstderr:\n" + o.Stderr)
			}
		}
	default:
		var t string
		if json.Unmarshal(it.Output, &t) == nil && t != "" {
			b.WriteString("\n" + t)
		}
	}
	parts := append([]Part{{Kind: PartToolResult, Server: true, Client: true, ID: id, Name: name, Input: raw(input), Text: b.String()}}, extra...)
	return Message{Role: RoleTool, Path: path, Parts: parts}, nil
}

// responsesCustomTool converts tool i, of type custom.
func (d *decoder) responsesCustomTool(t *rsTool, i int) (Tool, error) {
	path := "request.tools[" + strconv.Itoa(i) + "]"
	if t.Name == "" {
		return Tool{}, d.errorf(path+".name", "missing: a custom tool has a name")
	}
	var format jsontext.Value
	unknown := t.Unknown
	if unknown.Kind() == '{' {
		var fields map[string]jsontext.Value
		if err := json.Unmarshal(unknown, &fields); err != nil {
			return Tool{}, d.errorf(path, "%v", err)
		}
		format = fields["format"]
		var err error
		if unknown, err = d.withoutMembers(unknown, path, []string{"format"}); err != nil {
			return Tool{}, err
		}
	}
	if err := d.unknownMembers(unknown, -1, path, nil); err != nil {
		return Tool{}, err
	}
	for name, set := range map[string]bool{"parameters": len(t.Parameters) > 0 && t.Parameters.Kind() != 'n', "strict": t.Strict != nil} {
		if set {
			d.note(-1, NoteFieldDropped, "%s.%s dropped: a custom tool takes free-form text, not JSON arguments", path, name)
		}
	}
	return d.customTool(t.Name, t.Description, format, path), nil
}
