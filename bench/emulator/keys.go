package emulator

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/iam"
	"github.com/bedrock-bench/bedrock-bench/bench/validutf8"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/jsonpos"
)

// maxKeysFile bounds a keys file.
const maxKeysFile = 4 << 20

// readBounded reads at most limit bytes of path, and refuses a longer
// file, whatever it is: the size a stat reports says nothing of a FIFO or
// a device such as /dev/zero, which would be read without end.
func readBounded(ctx context.Context, path string, limit int64, what string) ([]byte, error) {
	return bounded.ReadFileContext(ctx, path, limit, "the most "+what+" may hold")
}

// keysFile is the JSON a keys file holds.
type keysFile struct {
	Credentials []keyEntry `json:"credentials"`
	APIKeys     []keyEntry `json:"apiKeys"`
}

type keyEntry struct {
	AccessKeyID     string   `json:"accessKeyId"`
	SecretAccessKey string   `json:"secretAccessKey"`
	SessionToken    string   `json:"sessionToken"`
	Key             string   `json:"key"`
	Expires         string   `json:"expires"`
	Principal       string   `json:"principal"`
	Policies        []string `json:"policies"`
}

// LoadKeys reads a keys file: the access key pairs and Bedrock API keys
// the emulator accepts, each with the caller it stands for, so that IAM
// can differ per caller. Policy paths are relative to the file.
//
//	{"credentials": [{"accessKeyId": "AKIA...", "secretAccessKey": "...",
//	                  "sessionToken": "optional", "expires": "2030-01-01T00:00:00Z",
//	                  "principal": "arn:aws:iam::111122223333:role/app",
//	                  "policies": ["app-role.json"]}],
//	 "apiKeys": [{"key": "ABSK...", "principal": "...", "policies": ["..."]}]}
//
// An entry without policies may do everything.
func LoadKeys(path string) ([]Credentials, []APIKey, error) {
	return LoadKeysContext(context.Background(), path)
}

// LoadKeysContext is LoadKeys that gives up when ctx ends, the read of a
// named pipe nothing writes to included (a *bounded.InterruptedError
// wrapping ctx's error), the keys file's or a policy's it names.
func LoadKeysContext(ctx context.Context, path string) ([]Credentials, []APIKey, error) {
	data, err := readBounded(ctx, path, maxKeysFile, "a keys file")
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Dir(path)
	return ParseKeys(path, data, func(p string) (*iam.Policy, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return iam.LoadPolicyContext(ctx, p)
	})
}

// ParseKeys parses a keys file's contents; name is used in errors and
// loadPolicy reads each policy a key names.
func ParseKeys(name string, data []byte, loadPolicy func(string) (*iam.Policy, error)) ([]Credentials, []APIKey, error) {
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, nil, fmt.Errorf("%s: invalid UTF-8 at byte %d", name, i)
	}
	data = validutf8.TrimBOM(data) // Windows editors write one
	var f keysFile
	if err := json.Unmarshal(data, &f, json.RejectUnknownMembers(true)); err != nil {
		var se *json.SemanticError
		var syn *jsontext.SyntacticError
		switch {
		case errors.As(err, &syn):
			return nil, nil, fmt.Errorf("%s: %v%s (want the keys file format, see bedrock-bench emulate --help)", jsonpos.At(name, data, err), syn.Err, jsonpos.Fix(data, err))
		case errors.As(err, &se):
			return nil, nil, fmt.Errorf("%s: %s: %v (fields: credentials[].accessKeyId, secretAccessKey, sessionToken, expires, principal, policies; apiKeys[].key, expires, principal, policies)", name, se.JSONPointer, se.Err)
		}
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(f.Credentials)+len(f.APIKeys) == 0 {
		return nil, nil, fmt.Errorf("%s: no credentials and no apiKeys: add at least one key", name)
	}
	principal := func(where string, e keyEntry) (*iam.Principal, time.Time, error) {
		var exp time.Time
		if e.Expires != "" {
			t, err := time.Parse(time.RFC3339, e.Expires)
			if err != nil {
				return nil, exp, fmt.Errorf("%s: %s.expires %q: want RFC 3339, such as 2030-01-01T00:00:00Z", name, where, e.Expires)
			}
			exp = t
		}
		if e.Principal == "" && len(e.Policies) == 0 {
			return nil, exp, nil
		}
		if e.Principal != "" && !strings.HasPrefix(e.Principal, "arn:") {
			return nil, exp, fmt.Errorf("%s: %s.principal %q: want an ARN (arn:aws:iam::<account>:role/<name>)", name, where, e.Principal)
		}
		p := &iam.Principal{ARN: e.Principal}
		for _, path := range e.Policies {
			pol, err := loadPolicy(path)
			if err != nil {
				return nil, exp, fmt.Errorf("%s: %s.policies: %w", name, where, err)
			}
			p.Identity = append(p.Identity, pol)
		}
		if len(p.Identity) == 0 {
			p.Identity = []*iam.Policy{allowAll()}
		}
		return p, exp, nil
	}
	var creds []Credentials
	seen := map[string]bool{}
	for i, e := range f.Credentials {
		where := fmt.Sprintf("credentials[%d]", i)
		if e.AccessKeyID == "" || e.SecretAccessKey == "" {
			return nil, nil, fmt.Errorf("%s: %s: accessKeyId and secretAccessKey are both required", name, where)
		}
		if seen[e.AccessKeyID] {
			return nil, nil, fmt.Errorf("%s: %s: access key %s is listed twice", name, where, e.AccessKeyID)
		}
		seen[e.AccessKeyID] = true
		p, exp, err := principal(where, e)
		if err != nil {
			return nil, nil, err
		}
		creds = append(creds, Credentials{AccessKeyID: e.AccessKeyID, SecretAccessKey: e.SecretAccessKey, SessionToken: e.SessionToken, Expires: exp, Principal: p})
	}
	var keys []APIKey
	for i, e := range f.APIKeys {
		where := fmt.Sprintf("apiKeys[%d]", i)
		if !strings.HasPrefix(e.Key, longTermKeyPrefix) {
			return nil, nil, fmt.Errorf("%s: %s.key: want a long-term Bedrock API key (ABSK...); short-term keys are accepted when made with one of the credentials", name, where)
		}
		p, exp, err := principal(where, e)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, APIKey{Key: e.Key, Expires: exp, Principal: p})
	}
	return creds, keys, nil
}

func allowAll() *iam.Policy {
	p, _ := iam.ParsePolicy("allow-all", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	return p
}
