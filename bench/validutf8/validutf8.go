// Package validutf8 checks that a file's bytes are UTF-8 and, when they
// are not, says where: the file, the line and column, and the byte offset.
// Policy, catalog and targets files use it, so that a file saved in
// another encoding is refused with a position instead of being read as
// something it is not.
package validutf8

import (
	"fmt"
	"unicode/utf8"

	"github.com/bedrock-bench/bedrock-bench/internal/textpos"
)

// Check returns nil for valid UTF-8, or an error naming the first invalid
// byte (its column counted in bytes, see package textpos):
// "name:line:col: invalid UTF-8 (byte 0xff at offset 12): save the file
// as UTF-8". Valid data costs one utf8.Valid pass.
func Check(name string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	// The first invalid byte: utf8.Valid said there is one.
	i := 0
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	line, col := textpos.Position(data, i)
	return fmt.Errorf("%s:%d:%d: invalid UTF-8 (byte 0x%02x at offset %d): save the file as UTF-8", name, line, col, data[i], i)
}

// BOM is the UTF-8 byte order mark, which some editors (Windows Notepad,
// PowerShell's Out-File) write at the start of a UTF-8 file.
const BOM = "\xef\xbb\xbf"

// TrimBOM returns data without a leading byte order mark, which is no part
// of a JSON or YAML document. Call it after [Check], whose offsets then
// count the file's own bytes; positions found in what TrimBOM returns have
// the line and column an editor shows, as editors hide the mark.
func TrimBOM(data []byte) []byte {
	if len(data) >= len(BOM) && string(data[:len(BOM)]) == BOM {
		return data[len(BOM):]
	}
	return data
}
