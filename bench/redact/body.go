package redact

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// BodyOptions tune [Redactor.Body].
type BodyOptions struct {
	// KeepMedia keeps images, documents, audio and video as they are;
	// by default each is replaced by a small valid file of the same format,
	// since a photo or a scanned form may show a person or their data.
	KeepMedia bool
}

// Body redacts a JSON request or response body: every string (keys
// included) through [Redactor.Text]; long numbers (card numbers in tool
// inputs) likewise; base64 media, inline or as data: URLs, replaced by
// placeholders; base64 text documents decoded, redacted and re-encoded.
// Encrypted blobs (redacted reasoning, signatures) are kept: they are not
// media and hold nothing readable. A body with nothing to change comes
// back as the same bytes.
func (r *Redactor) Body(data []byte, opts BodyOptions) ([]byte, Counts, error) {
	return r.body(data, opts, true)
}

// A Redaction is a body redacted but not yet written: its counts are
// known before its bytes are, so a caller that writes the counts first
// (a fixture's source before its request) can append the bytes straight
// where they go, without a copy of the body in between.
type Redaction struct {
	data    []byte
	patches []patch
	// Counts are the values replaced, by kind; nil for none.
	Counts Counts
}

// Plan redacts data as Body does and returns the result unwritten;
// AppendTo writes it. data must not change until then.
func (r *Redactor) Plan(data []byte, opts BodyOptions) (Redaction, error) {
	return r.plan(data, opts, true)
}

// AppendTo appends the redacted body to dst: the bytes Body returns.
func (red Redaction) AppendTo(dst []byte) []byte {
	if len(red.patches) == 0 {
		return append(dst, red.data...)
	}
	start := len(dst)
	var last int64
	for _, p := range red.patches {
		dst = append(dst, red.data[last:p.start]...)
		dst = append(dst, p.repl...)
		last = p.end
	}
	dst = append(dst, red.data[last:]...)
	// Body trims the whitespace around a changed body.
	t := bytes.TrimSpace(dst[start:])
	if len(t) > 0 && &t[0] != &dst[start] {
		copy(dst[start:], t)
	}
	return dst[:start+len(t)]
}

// bytes returns the redacted body: data itself where nothing changed.
func (red Redaction) bytes() []byte {
	if len(red.patches) == 0 {
		return red.data
	}
	return red.AppendTo(make([]byte, 0, len(red.data)+64*len(red.patches)))
}

// body redacts data; top is true for a whole request body, whose member
// values (system prompt, tools, settings) come back with every request
// of a conversation and so go through the message cache as a whole.
func (r *Redactor) body(data []byte, opts BodyOptions, top bool) ([]byte, Counts, error) {
	red, err := r.plan(data, opts, top)
	if err != nil {
		return nil, nil, err
	}
	return red.bytes(), red.Counts, nil
}

// plan is body, unwritten.
func (r *Redactor) plan(data []byte, opts BodyOptions, top bool) (Redaction, error) {
	if w := (bodyWalk{r: r, opts: opts, top: top, b: data}); w.run() {
		if w.err != nil {
			return Redaction{}, w.err
		}
		return Redaction{data, w.patches, w.total}, nil
	}
	return r.bodyTokens(data, opts, top, r.body)
}

// A patch replaces data[start:end] with repl. Strings and long numbers
// are read raw with their offsets; the ones that change become patches on
// the original bytes, so an unchanged body costs one pass and no
// re-encoding.
type patch struct {
	start, end int64
	repl       []byte
}

// bodyTokens is body through a jsontext decoder: for the bodies bodyWalk
// declines (invalid JSON, whose error it words; several top-level values;
// deep nesting), and the reference bodyWalk is tested against. A message
// it meets goes through the cache to nested, which is body itself but for
// that test.
func (r *Redactor) bodyTokens(data []byte, opts BodyOptions, top bool, nested bodyFunc) (Redaction, error) {
	// A bytes.Buffer is parsed in place, without a copy into the
	// decoder's own buffer; raw values are then slices of data, which is
	// only read.
	dec := jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true))
	var patches []patch
	var total Counts
	var key string // the name of the member being read, if any
	var seams seamTrack
	// The open containers, for their runs of text pieces (see
	// joinPieces), as the walk finds them.
	w := pieceWalk{data: data, join: func(all []piece) {
		patches, total = r.joinPieces(data, all, patches, total)
	}}
	for {
		kind := dec.PeekKind()
		if kind == 0 {
			_, err := dec.ReadToken()
			if errors.Is(err, io.EOF) {
				break
			}
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return Redaction{}, err
		}
		if w.nextUnder(kind) == "" && cacheable(top, byte(kind), key, dec.StackDepth(), byte(kindAt(dec))) {
			raw, err := dec.ReadValue()
			if err != nil {
				return Redaction{}, err
			}
			end := dec.InputOffset()
			m, err := r.message(raw, opts, nested)
			if err != nil {
				return Redaction{}, err
			}
			if m.counts != nil {
				total = addTo(total, m.counts)
				patches = append(patches, patch{end - int64(len(raw)), end, m.out})
			}
			if isMessage(byte(kind), key, dec.StackDepth(), byte(kindAt(dec))) {
				patches, total = r.seam(&seams, data, int(end)-len(raw), int(end), m, opts, patches, total)
			}
			if f := w.object(); kind == '{' && f != nil && f.pair.member == pairValue {
				f.pair.obj(piece{int(end) - len(raw), int(end)})
			}
			w.other()
			continue
		}
		if kind != '"' && kind != '0' {
			if _, err := dec.ReadToken(); err != nil {
				return Redaction{}, err
			}
			if f := w.object(); kind == '}' && f != nil && f.pair.pending() {
				patches, total = r.redactPair(data, &f.pair, opts, patches, total)
			}
			var closed tokFrame
			if kind == '}' && len(w.frames) > 0 {
				closed = w.frames[len(w.frames)-1]
			}
			w.token(kind)
			switch f := w.object(); {
			case kind == '{':
				w.frames[len(w.frames)-1].start = dec.InputOffset() - 1
			case kind == '}' && f != nil && f.pair.member == pairValue:
				f.pair.obj(piece{int(closed.start), int(dec.InputOffset())})
			}
			continue
		}
		isName := kind == '"' && dec.StackDepth() > 0 && kindAt(dec) == '{' && nameNext(dec)
		raw, err := dec.ReadValue()
		if err != nil {
			return Redaction{}, err
		}
		end := dec.InputOffset()
		start := end - int64(len(raw))
		if kind == '0' {
			if len(raw) >= r.scan.minNumber {
				if red, c := r.number(key, string(raw)); c != nil && isNumber(red) {
					total = addTo(total, c)
					patches = append(patches, patch{start, end, []byte(red)})
				}
			}
			w.other()
			continue
		}
		s, err := jsontext.AppendUnquote(nil, raw)
		if err != nil {
			return Redaction{}, err
		}
		var red string
		var c Counts
		if isName {
			key = string(s)
			red, c = r.textShared(key)
			w.name(key)
		} else {
			f := w.object()
			vkey := key
			if f != nil {
				vkey = f.pair.keyFor(key)
				if f.under != "" && anyValueMember(key) {
					vkey = f.under
				}
			}
			var in mediaScope
			if f != nil {
				in = f.media
			}
			red, c = r.value(vkey, string(s), opts, in)
			if f != nil && f.pair.wants() {
				f.pair.str(string(s), piece{int(start), int(end)})
			}
		}
		if c != nil {
			total = addTo(total, c)
			q, err := jsontext.AppendQuote(nil, red)
			if err != nil {
				return Redaction{}, err
			}
			patches = append(patches, patch{start, end, q})
		}
		if !isName {
			w.str(piece{int(start), int(end)}, key, bytes.HasPrefix(s, []byte("data:")))
		}
	}
	return Redaction{data, patches, total}, nil
}

// tokFrame is an open container of bodyTokens: an array with its run of
// text pieces, or an object, read as a block where it is an element of
// an array.
type tokFrame struct {
	array, elem bool
	run         pieceRun
	blk         blockScan
	pair        pairScan // an object's name/value pair
	// key is an object's last member name; under the credential's
	// name its strings are redacted under, if any (see
	// pairScan.underFor).
	key, under string
	// start is where an object starts in the body.
	start int64
	// media is an object's scope (see mediaScope).
	media mediaScope
}

// cacheable reports whether the value about to be read (its first byte
// c), at depth open containers the innermost of which is parent, after
// the member name key, is redacted as a whole through the message cache:
// one message of the conversation, or the system prompt, tools or
// settings of a whole body (top). The same bytes come back in every later
// turn's request.
func cacheable(top bool, c byte, key string, depth int, parent byte) bool {
	if c == '{' && (key == "messages" || key == "input") && depth == 2 && parent == '[' {
		return true
	}
	// A member value of the body other than the conversation (its
	// messages are cached one by one instead): redacting it alone gives
	// the same bytes, since every string inside it follows its own member
	// name; but for a list under a name that may tell what its values
	// are ({"db_password": [...]}), which is read where it stands, with
	// the name.
	return top && (c == '{' || c == '[') && depth == 1 && parent == '{' &&
		key != "messages" && key != "input" && !mediaKeys[key] && !(c == '[' && keyedName(key))
}

// bodyFunc redacts a body, as body does.
type bodyFunc func(data []byte, opts BodyOptions, top bool) ([]byte, Counts, error)

// message redacts one message object with body, through the message
// cache. Its counts may be the cache's own: the caller only reads them.
func (r *Redactor) message(raw []byte, opts BodyOptions, body bodyFunc) (cachedMsg, error) {
	if c, ok := r.cachedMessage(raw, opts); ok {
		if c.out == nil {
			c.out = raw
		}
		return c, nil
	}
	return r.redactMessage(raw, opts, body)
}

// cachedMessage returns the cache's redaction of the message raw, if it
// holds one. Only valid messages are cached, so a hit also says raw is
// one valid JSON value. Its out is nil where the redaction changed
// nothing.
func (r *Redactor) cachedMessage(raw []byte, opts BodyOptions) (cachedMsg, bool) {
	if !messageCacheable(raw, opts) {
		return cachedMsg{}, false
	}
	return r.msgs.get(unsafe.String(unsafe.SliceData(raw), len(raw)))
}

// messageCacheable reports whether the message cache takes raw: not the
// largest messages, nor any when media is kept (its bytes would bloat it).
func messageCacheable(raw []byte, opts BodyOptions) bool {
	return len(raw) > 0 && len(raw) <= 64<<10 && !opts.KeepMedia
}

// redactMessage is message for raw that the cache does not hold.
func (r *Redactor) redactMessage(raw []byte, opts BodyOptions, body bodyFunc) (cachedMsg, error) {
	out, counts, err := body(raw, opts, false)
	if err != nil {
		return cachedMsg{}, err
	}
	m := cachedMsg{out, counts, messageEdges(raw)}
	if !messageCacheable(raw, opts) {
		return m, nil
	}
	if counts == nil {
		m.out = nil // unchanged: out is raw, which belongs to the caller's decoder
	}
	r.msgs.put(string(raw), m)
	m.out = out
	return m, nil
}

// nameNext reports whether the next token of the innermost object is a
// member name: names come at even positions.
func nameNext(dec *jsontext.Decoder) bool {
	_, n := dec.StackIndex(dec.StackDepth())
	return n%2 == 0
}

func addTo(a, b Counts) Counts {
	if a == nil {
		a = Counts{}
	}
	a.Add(b)
	return a
}

func kindAt(dec *jsontext.Decoder) jsontext.Kind {
	k, _ := dec.StackIndex(dec.StackDepth())
	return k
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && c != '-' && c != '.' && c != 'e' && c != 'E' && c != '+' {
			return false
		}
	}
	return s[0] != '0' || len(s) == 1 || s[1] == '.'
}

// mediaKeys hold base64 payloads in the wire formats: Converse "bytes",
// Anthropic "data", OpenAI "file_data" and image "b64_json".
var mediaKeys = map[string]bool{"bytes": true, "data": true, "file_data": true, "b64_json": true}

// value redacts one string value; key is the member it belongs to, in
// the media scope in (see mediaScope). Its
// counts may be shared, as textShared's are: the caller only reads them.
func (r *Redactor) value(key, s string, opts BodyOptions, in mediaScope) (string, Counts) {
	if strings.HasPrefix(s, "data:") {
		if out, c, ok := r.dataURL(s, opts); ok {
			return out, c
		}
	}
	if mediaKeys[key] && len(s) >= 16 {
		if raw, enc, ok := decode64(s); ok {
			if out, c, ok := r.media(raw, opts, in); ok {
				return enc.EncodeToString(out), c
			}
		}
	}
	return r.keyed(key, s, isText)
}

// keyedWords are the words of a member name under which a value may be a
// credential or an account id that the value alone does not show: the
// keyword rules (a password, an API key, an AWS secret key, an account
// id) read the name and the value together, as they stand in text
// ("db_password: ..."), but a body holds them apart
// ({"db_password": "..."}, the input of a tool call).
var keyedWords = []string{"key", "token", "secret", "passw", "passphrase", "pwd", "credential", "auth", "cookie", "account", "bucketowner", "phone", "mobile", "iban"}

// keyedName reports whether the member name key holds one of keyedWords.
func keyedName(key string) bool {
	if len(key) < 3 || len(key) > 64 {
		return false
	}
	lower := asciiLower(key)
	for _, w := range keyedWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// keyedContext is the text a value under the member name key is scanned
// in: the name, "=", the value; and where the value starts in it. The
// owner of an S3 bucket (Converse's s3Location.bucketOwner, S3's
// ExpectedBucketOwner) is an account id, said so.
func keyedContext(key, v string) (string, int) {
	if strings.HasSuffix(asciiLower(key), "bucketowner") {
		key = "account_id"
	}
	return key + "=" + v, len(key) + 1
}

// isText is what keyed keeps of a string value's redaction: any.
func isText(string) bool { return true }

// keyed redacts the value v of the member key (a string's value, or a
// number's text): alone, and, under a name that may tell what it is
// (see keyedWords), with its name before it; under a name that says it
// is a credential (see credentialName), a value in which neither finds
// a credential is one, whatever it looks like (see credentialStart). ok
// says whether a result can stand where v stood (a number's must be a
// number, so a number is never replaced whole).
func (r *Redactor) keyed(key, v string, ok func(string) bool) (string, Counts) {
	red, c := r.textShared(v)
	if !keyedName(key) {
		return red, c
	}
	ctx, n := keyedContext(key, v)
	out, kc := r.textShared(ctx)
	// Only a result whose name part is the name as it was is taken: a
	// finding across the "=" is no finding of the value's. With as many
	// findings as the value alone, the name tells what they are (an
	// "iban" whose digits alone read as a phone number).
	if kc != nil && len(out) >= n && out[:n] == ctx[:n] && (kc.Total() > c.Total() || kc.Total() == c.Total() && out[n:] != red) && ok(out[n:]) {
		red, c = out[n:], kc
	}
	if c.Secrets() > 0 || !credentialName(key) {
		return red, c
	}
	at, ok2 := credentialStart(v)
	if !ok2 {
		return red, c
	}
	if whole := v[:at] + r.Pseudonym(GenericSecret, v[at:]); ok(whole) {
		return whole, Counts{GenericSecret: 1}
	}
	return red, c
}

// credentialName reports whether the member name key says that its
// value is a credential: read in lower case without its punctuation
// ("db_password", "x-api-key", "SecretAccessKey", "AWS_SECRET_ACCESS_KEY",
// "/prod/db/password"), it ends in password, passwd, passphrase, pwd
// (not "pwd" alone, the working directory a shell reports), secret (or a
// Secrets Manager SecretString or SecretBinary), credential(s),
// authorization, cookie (a Cookie or Set-Cookie header: its values are
// sessions), auth (alone, or basic, proxy or HTTP auth), a key of an
// API, an access, a secret, a private or a signing key and the like (see
// keyKinds; not a sort, an S3 object or an idempotency key), or a token
// of any kind but a model's ("token" alone, which logprobs name), a
// page's or a request's (see notTokens). A trailing "value" is read
// past ("secretValue").
func credentialName(key string) bool {
	if len(key) < 3 || len(key) > 64 {
		return false
	}
	var b [64]byte
	n := 0
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case 'A' <= c && c <= 'Z':
			b[n] = c + 'a' - 'A'
			n++
		case 'a' <= c && c <= 'z' || isDigit(c):
			b[n] = c
			n++
		}
	}
	name := string(b[:n])
	if name != "value" {
		name = strings.TrimSuffix(name, "value")
	}
	for _, end := range credentialEnds {
		if strings.HasSuffix(name, end) {
			return true
		}
	}
	switch {
	case strings.HasSuffix(name, "pwd"):
		return name != "pwd"
	case strings.HasSuffix(name, "auth"):
		return name == "auth" || strings.HasSuffix(name, "basicauth") || strings.HasSuffix(name, "proxyauth") || strings.HasSuffix(name, "httpauth")
	case strings.HasSuffix(name, "key"):
		for _, k := range keyKinds {
			if strings.HasSuffix(name[:len(name)-3], k) {
				return true
			}
		}
	case strings.HasSuffix(name, "token"):
		rest := name[:len(name)-5]
		if rest == "" {
			return false
		}
		for _, k := range notTokens {
			if strings.HasSuffix(rest, k) {
				return false
			}
		}
		return true
	}
	return false
}

// SecretMember reports whether a program that shows a decoded body (a
// replay miss's difference, which logs CI keeps) must hide the string
// under the member name whatever the string holds, where a body's
// redaction (see [Redactor.Body]) may have kept it: a value it reads as
// no credential ("none", "$DB_PASSWORD", "********", a password of
// symbols only) or one under a name that only mentions a credential. It
// is a credential's name as the body's redaction reads it (db_password,
// passphrase, x-api-key, Authorization, Cookie, SecretAccessKey,
// sessionKey; see credentialName), or a name that mentions one (see
// secretMentions: secretArn, apiKeyId, privateKeyPath, pwd, nextToken,
// and token alone, which a body's redaction reads as a model's token in
// logprobs, and a request body as a credential); never a count of
// tokens (tokens, max_tokens, inputTokens, cache_read_input_tokens),
// which a difference must show.
func SecretMember(name string) bool {
	if credentialName(name) {
		return true
	}
	lower := asciiLower(name)
	if strings.Contains(lower, "token") && !strings.Contains(lower, "tokens") {
		return true
	}
	for _, w := range secretMentions {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// secretMentions are the words, lower case, of a member name that
// mentions a credential (see SecretMember).
var secretMentions = []string{"passw", "pwd", "secret", "credential", "apikey", "api_key", "api-key", "private_key", "privatekey"}

// credentialEnds end the names of credentials; keyKinds are the kinds of
// key that are credentials; notTokens the tokens that are none: a page's
// or a listing's, a request's idempotency token, a model's special tokens.
var (
	credentialEnds = []string{"password", "passwd", "passphrase", "secret", "secretstring", "secretbinary", "credential", "credentials", "authorization", "cookie"}
	keyKinds       = []string{"api", "access", "secret", "private", "signing", "master", "auth", "encryption", "decryption", "subscription", "license", "hmac", "client", "session", "shared", "webhook", "storage", "account", "admin"}
	notTokens      = []string{"next", "page", "continuation", "pagination", "client", "idempotency", "start", "stop", "end", "eos", "bos", "pad", "sep", "cls", "unk", "mask", "special", "cursor", "sync", "resume", "cancellation", "max", "min"}
)

// authSchemes are the HTTP authentication schemes an Authorization value
// may start with, which credentialStart keeps (lower case).
var authSchemes = []string{"basic", "bearer", "digest", "token", "negotiate", "ntlm", "apikey", "key", "hawk", "oauth", "aws4-hmac-sha256", "sharedkey", "sso-key", "dpop", "mac"}

// credentialStart returns where the credential starts in v, a value
// under a credential's name: after an HTTP authentication scheme
// ("Basic YWRt…" keeps "Basic "), else at its start. ok is false for a
// value that is no credential: an empty or masked one (no letter or
// digit), true, false, null, none, nil or undefined written as a string,
// a reference to one kept elsewhere ("$DB_PASSWORD", "${DB_PASSWORD}",
// "{{ secrets.TOKEN }}"), or a pseudonym.
func credentialStart(v string) (int, bool) {
	t := strings.TrimSpace(v)
	switch strings.ToLower(t) {
	case "", "true", "false", "null", "none", "nil", "undefined":
		return 0, false
	}
	if isPseudonym(t) || strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}") || envReference(t) {
		return 0, false
	}
	alnum := false
	for i := 0; i < len(t) && !alnum; i++ {
		alnum = isWordByte(t[i]) && t[i] != '_' || t[i] >= utf8.RuneSelf
	}
	if !alnum {
		return 0, false
	}
	if sp := strings.IndexByte(v, ' '); sp > 0 {
		scheme := asciiLower(v[:sp])
		for _, s := range authSchemes {
			if scheme == s {
				at := sp
				for at < len(v) && v[at] == ' ' {
					at++
				}
				if at < len(v) {
					return at, true
				}
			}
		}
	}
	return 0, true
}

// envReference reports whether t is a reference to an environment
// variable: $NAME or ${NAME}.
func envReference(t string) bool {
	if !strings.HasPrefix(t, "$") {
		return false
	}
	t = t[1:]
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		t = t[1 : len(t)-1]
	}
	if t == "" || isDigit(t[0]) {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !isWordByte(t[i]) {
			return false
		}
	}
	return true
}

// number redacts a long number (its JSON text) under the member key.
func (r *Redactor) number(key, raw string) (string, Counts) {
	return r.keyed(key, raw, isNumber)
}

// dataURL redacts a data: URL's payload, read as the history decoder
// reads it (see splitDataURL): base64 or percent-encoded, and written back
// in the same form.
func (r *Redactor) dataURL(s string, opts BodyOptions) (string, Counts, bool) {
	meta, payload, isBase64, ok := splitDataURL(s)
	if !ok {
		return "", nil, false
	}
	mediaType, _, _ := strings.Cut(meta, ";")
	out, c, ok := r.media(payload, opts, dataScope(strings.TrimSpace(mediaType)))
	if !ok {
		return "", nil, false
	}
	// A parameter may name the file ("name=jo@acme.io.csv").
	// The counts may be shared (see value): add into a new map.
	if red, mc := r.Text(meta); mc != nil {
		meta = red
		merged := Counts{}
		merged.Add(c)
		merged.Add(mc)
		c = merged
	}
	if !isBase64 {
		return "data:" + meta + "," + percentEncode(out), c, true
	}
	return "data:" + meta + "," + base64.StdEncoding.EncodeToString(out), c, true
}

// splitDataURL splits a data: URL (RFC 2397) into its media type and
// parameters (meta) and its decoded payload, as the history decoder does:
// the payload is base64 when the last parameter is "base64" in any case
// and with white space around it (the WHATWG Fetch standard's data: URL
// processor), and percent-encoded text otherwise. ok is false for a
// string that is not a data URL, or a payload that does not decode.
func splitDataURL(s string) (meta string, payload []byte, isBase64, ok bool) {
	if !strings.HasPrefix(s, "data:") {
		return "", nil, false, false
	}
	meta, text, found := strings.Cut(s[len("data:"):], ",")
	if !found {
		return "", nil, false, false
	}
	if i := strings.LastIndexByte(meta, ';'); i >= 0 && strings.EqualFold(strings.TrimSpace(meta[i+1:]), "base64") {
		raw, err := base64.StdEncoding.DecodeString(text)
		return meta, raw, true, err == nil
	}
	// Without the marker, only a URL whose meta is a media type is one:
	// a message that starts "data: from jo@acme.io, ..." (a server-sent
	// event, prose) is text, as the history decoder reads it.
	if !isMediaType(meta) {
		return "", nil, false, false
	}
	if !strings.Contains(text, "%") {
		return meta, []byte(text), false, true
	}
	raw, err := url.PathUnescape(text)
	return meta, []byte(raw), false, err == nil
}

// isMediaType reports whether meta is what RFC 2397 allows before a data
// URL's comma without ";base64": nothing, or type "/" subtype followed by
// ";attribute=value" parameters, without spaces but after a ";".
func isMediaType(meta string) bool {
	if meta == "" {
		return true
	}
	mt, params, _ := strings.Cut(meta, ";")
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok || !isToken(typ) || !isToken(sub) {
		return false
	}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimLeft(p, " "), "=")
		if !ok || !isToken(k) || v == "" || strings.ContainsAny(v, " \t") {
			return false
		}
	}
	return true
}

// isToken reports whether s is a non-empty MIME token (RFC 2045): no
// spaces, controls or tspecials.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}

// percentEncode writes b as a data: URL's percent-encoded payload:
// unreserved characters as they are, every other byte as %XX, which
// url.PathUnescape reads back.
func percentEncode(b []byte) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			out = append(out, c)
		default:
			out = append(out, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(out)
}

func decode64(s string) ([]byte, *base64.Encoding, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
		if raw, err := enc.DecodeString(s); err == nil {
			return raw, enc, true
		}
	}
	return nil, nil, false
}

// media returns the replacement of a decoded payload in the scope in:
// a placeholder for known media, the redacted text for a text document.
// A document's text that is not UTF-8 (UTF-16, or Windows-1252) is read
// as such; where the rules find something in it, it comes back redacted
// and written in UTF-8 (the encodings Bedrock reads a text document in
// include UTF-8). ok is false for a payload kept as it is: text with
// nothing to redact, media with KeepMedia, and bytes neither media nor
// text outside a media block's source (an encrypted blob, such as an
// Anthropic redacted_thinking block's data). Such bytes in a block's
// source (video in a format sniff does not know, a text document that
// reads as no text) are replaced like known media: by no bytes.
func (r *Redactor) media(raw []byte, opts BodyOptions, in mediaScope) ([]byte, Counts, bool) {
	// Text is text whatever its type says (XML, YAML, SVG, HTML,
	// application/octet-stream).
	if text, enc := readText(raw); enc != notText {
		red, c := r.Text(text)
		if c == nil {
			return nil, nil, false
		}
		return []byte(red), c, true
	}
	if opts.KeepMedia {
		return nil, nil, false
	}
	if format, kind := sniff(raw); format != "" {
		return Placeholder(format), Counts{kind: 1}, true
	}
	if in.source {
		return []byte{}, Counts{in.replaced(): 1}, true
	}
	return nil, nil, false
}

// printable reports whether b reads as text: no NUL, and besides tabs,
// line and page breaks (text from a PDF or a printout has form feeds),
// backspaces and escapes (terminal output), at most one control byte in
// 64. A mime type is no guide: a text document may come as
// application/xml, image/svg+xml or application/octet-stream.
func printable(b []byte) bool {
	n := 0
	for _, c := range b {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != '\b' && c != 0x1b:
			n++
		}
	}
	return n*64 <= len(b)
}

// sniff names a payload's format from its magic bytes.
func sniff(b []byte) (format string, kind Kind) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png", MediaImage
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "jpeg", MediaImage
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif", MediaImage
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp", MediaImage
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return "wav", MediaAudio
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "pdf", MediaDocument
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")):
		return "zip", MediaDocument
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "ole", MediaDocument // doc, xls
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return "mp4", MediaVideo
	case bytes.HasPrefix(b, []byte("ID3")), len(b) > 2 && b[0] == 0xff && b[1]&0xe0 == 0xe0 && !bytes.HasPrefix(b, []byte("\xff\xd8")):
		return "mp3", MediaAudio
	}
	return "", ""
}

var placeholders = map[string][]byte{}

func init() {
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.Gray{Y: 0x80})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	placeholders["png"] = append([]byte(nil), b.Bytes()...)
	b.Reset()
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 50})
	placeholders["jpeg"] = append([]byte(nil), b.Bytes()...)
	b.Reset()
	_ = gif.Encode(&b, img, nil)
	placeholders["gif"] = append([]byte(nil), b.Bytes()...)
	// A 1x1 lossless WebP (the image browsers use to test WebP support).
	placeholders["webp"], _ = base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	placeholders["pdf"] = minimalPDF()
	placeholders["zip"] = append([]byte("PK\x05\x06"), make([]byte, 18)...)
	// A WAV header with no samples.
	wav := []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")
	placeholders["wav"] = wav
}

// Placeholder returns a small valid file of the format (png, jpeg, gif,
// webp, pdf, zip, wav), or an empty one for formats without a placeholder.
func Placeholder(format string) []byte {
	return placeholders[format]
}

// minimalPDF builds a one-page PDF saying the document was removed, with
// a correct cross-reference table.
func minimalPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	stream := "BT /F1 10 Tf 10 20 Td (document removed by redaction) Tj ET"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// DocumentTexts returns the text of the base64 documents in a JSON body,
// decoded as Body decodes them to redact them (under a media member
// name, or as a data: URL; UTF-16 and Windows-1252 text read as UTF-8),
// for a scan that reads the body as it stands:
// there a document's text is base64, which no rule reads.
func DocumentTexts(data []byte) []string {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	var out []string
	var key string
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return out
		}
		if tok.Kind() != '"' {
			continue
		}
		s := tok.String()
		if _, n := dec.StackIndex(dec.StackDepth()); kindAt(dec) == '{' && n%2 == 1 {
			key = s
			continue
		}
		var raw []byte
		switch {
		case strings.HasPrefix(s, "data:"):
			var ok bool
			if _, raw, _, ok = splitDataURL(s); !ok {
				continue
			}
		case mediaKeys[key] && len(s) >= 16:
			var ok bool
			if raw, _, ok = decode64(s); !ok {
				continue
			}
		default:
			continue
		}
		if text, enc := readText(raw); enc != notText {
			out = append(out, text)
		}
	}
}
