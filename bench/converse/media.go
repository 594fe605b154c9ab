package converse

import (
	"bytes"
	"fmt"
	"net/http"
	"unicode/utf8"
)

// MaxImageBase64Bytes is the largest image Claude on Bedrock takes, 5 MiB,
// measured on the image's base64 form, the form Converse carries it in:
// "image exceeds 5 MB maximum: 7167852 bytes > 5242880 bytes" named the
// base64 length of an image of 5,375,889 bytes, so the raw limit is
// about 3.75 MiB (V-40; aws-solutions-library-samples/
// accelerated-intelligent-document-processing-on-aws #778, Claude Sonnet
// 4.6 on Converse; aws/aws-sdk-js-v3 #6785; Anthropic's vision page gives
// Bedrock's cap as 5 MB of base64).
const MaxImageBase64Bytes = 5 << 20

// Base64Len is the length of n bytes in padded standard base64, the size
// Bedrock measures an image by (V-40).
func Base64Len(n int) int { return (n + 2) / 3 * 4 }

// ImageTooLarge reports whether image bytes b are over the family's
// per-image limit, f.MaxImageBytes of base64 (V-40); a family without a
// known limit takes any size.
func ImageTooLarge(f Family, b []byte) bool {
	return f.MaxImageBytes > 0 && Base64Len(len(b)) > f.MaxImageBytes
}

// SniffImageFormat returns the Converse image format (png, jpeg, gif,
// webp) that image bytes are, from their first bytes
// (net/http.DetectContentType), or "" when they are none of the four:
// another image format (BMP, TIFF, ICO, AVIF, SVG), a document, text,
// or nothing recognisable. Only the signature is read: a truncated or
// corrupt image with the right signature passes.
func SniffImageFormat(b []byte) string {
	switch http.DetectContentType(b) {
	case "image/png":
		return "png"
	case "image/jpeg":
		return "jpeg"
	case "image/gif":
		return "gif"
	case "image/webp":
		return "webp"
	}
	return ""
}

// sniffLen is how much of a document DocumentBytesParse reads.
const sniffLen = 1024

// DocumentBytesParse reports whether document bytes b can be what format
// says they are, or whether Claude refuses them as unparsable (V-37). It
// reads at most the first 1,024 bytes, and refuses only what cannot be
// the format, so a document Bedrock takes is never refused:
//
//   - pdf: "%PDF-" in the first 1,024 bytes (where PDF readers look for
//     the header);
//   - docx, xlsx: a ZIP archive (PK\x03\x04), as every Office Open XML
//     file is;
//   - doc, xls: an OLE compound file (D0 CF 11 E0), or what a program
//     may save under those names and a parser still reads: a ZIP (an
//     Office Open XML file), RTF, or text (HTML, XML or CSV spreadsheets);
//   - txt, csv, md, html: UTF-8 text (or UTF-16 with its byte order
//     mark);
//
// and any other format, or no bytes, passes.
func DocumentBytesParse(format string, b []byte) bool {
	if len(b) == 0 {
		return true
	}
	head := b[:min(len(b), sniffLen)]
	switch format {
	case "pdf":
		return bytes.Contains(head, []byte("%PDF-"))
	case "docx", "xlsx":
		return bytes.HasPrefix(b, zipMagic)
	case "doc", "xls":
		return bytes.HasPrefix(b, oleMagic) || bytes.HasPrefix(b, zipMagic) || bytes.HasPrefix(b, []byte(`{\rtf`)) || isText(head, len(b) > len(head))
	case "txt", "csv", "md", "html":
		return isText(head, len(b) > len(head))
	}
	return true
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
)

// isText reports whether head, the first bytes of a document, is UTF-8
// text, or UTF-16 with a byte order mark. cut says head is not the
// whole document: a character it cuts in two at its end is not held
// against it.
func isText(head []byte, cut bool) bool {
	if bytes.HasPrefix(head, []byte("\xFE\xFF")) || bytes.HasPrefix(head, []byte("\xFF\xFE")) {
		return true
	}
	if cut {
		// Drop a last character that head cuts short: at most 3 bytes.
		for i := 1; i <= 3 && i <= len(head); i++ {
			if c := head[len(head)-i]; utf8.RuneStart(c) {
				if !utf8.FullRune(head[len(head)-i:]) {
					head = head[:len(head)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(head)
}

// mediaPath is the path Anthropic gives an image or document of the
// request: "messages.0.content.1", or, inside a tool result,
// "messages.2.content.0.tool_result.content.1". Anthropic counts blocks
// without the cache points, which become cache_control on the block
// before them. k is the index in the tool result's content, or -1.
func mediaPath(m *Message, i, j, k int) string {
	n := 0
	for c := range j {
		if m.Content[c].CachePoint == nil {
			n++
		}
	}
	if k < 0 {
		return fmt.Sprintf("messages.%d.content.%d", i, n)
	}
	return fmt.Sprintf("messages.%d.content.%d.tool_result.content.%d", i, n, k)
}

// firstMedia calls fn for each image (when images) or document (when not)
// of r that is sent as bytes, in request order, with the message, block
// and tool-result content indexes (k is -1 outside a tool result), until
// fn returns true.
func firstMedia(r *Request, images bool, fn func(i, j, k int, format string, b []byte) bool) {
	for i := range r.Messages {
		m := &r.Messages[i]
		for j := range m.Content {
			b := &m.Content[j]
			if images && b.Image != nil && len(b.Image.Source.Bytes) > 0 && fn(i, j, -1, b.Image.Format, b.Image.Source.Bytes) {
				return
			}
			if !images && b.Document != nil && len(b.Document.Source.Bytes) > 0 && fn(i, j, -1, b.Document.Format, b.Document.Source.Bytes) {
				return
			}
			if b.ToolResult == nil {
				continue
			}
			for k := range b.ToolResult.Content {
				c := &b.ToolResult.Content[k]
				if images && c.Image != nil && len(c.Image.Source.Bytes) > 0 && fn(i, j, k, c.Image.Format, c.Image.Source.Bytes) {
					return
				}
				if !images && c.Document != nil && len(c.Document.Source.Bytes) > 0 && fn(i, j, k, c.Document.Format, c.Document.Source.Bytes) {
					return
				}
			}
		}
	}
}
