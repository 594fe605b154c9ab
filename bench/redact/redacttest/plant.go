// Package redacttest generates realistic secrets and personal data for
// tests, at run time from a seed, so that no secret-shaped string is ever
// committed to the repository.
package redacttest

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// Plant is one sensitive value and a sentence that carries it the way
// applications do.
type Plant struct {
	Kind  redact.Kind
	Value string
	// Text holds Value in context.
	Text string
}

const (
	upper32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b64     = alnum + "+/"
	url64   = alnum + "_-"
)

// Gen draws values from a seeded generator.
type Gen struct{ r *rand.Rand }

// New returns a generator; the same seed gives the same values.
func New(seed uint64) *Gen { return &Gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *Gen) str(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *Gen) digits(n int) string { return g.str("0123456789", n) }

// All returns one plant of every kind the redactor handles.
func (g *Gen) All() []Plant {
	akid := "AKIA" + g.str(upper32, 16)
	secret := g.str(b64, 40)
	session := "IQoJb3JpZ2luX2Vj" + g.str(b64, 340)
	absk := "ABSK" + base64.StdEncoding.EncodeToString([]byte("BedrockAPIKey-"+g.str("abcdefghij0123456789", 4)+"-at-"+g.digits(12)+":"+g.str(alnum, 60)))
	short := "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t" + g.str(b64, 240)
	openai := "sk-proj-" + g.str(url64, 74) + "T3BlbkFJ" + g.str(url64, 74)
	anthropic := "sk-ant-api03-" + g.str(url64, 93) + "AA"
	bearer := g.str(alnum, 24) + g.digits(4) + g.str(alnum, 12)
	enc := base64.RawURLEncoding
	jwt := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","name":"Jo Bloggs","iat":1716239022}`, g.digits(10)))) + "." + g.str(url64, 43)
	var key strings.Builder
	key.WriteString("-----BEGIN RSA PRIVATE KEY-----\n")
	for i := 0; i < 12; i++ {
		key.WriteString(g.str(b64, 64) + "\n")
	}
	key.WriteString("-----END RSA PRIVATE KEY-----")
	ghp := "ghp_" + g.str(alnum, 36)
	password := g.str(alnum, 10) + g.digits(3) + g.str(alnum, 5)

	email := fmt.Sprintf("%s.%s@%s.co.uk", g.str("abcdefghijklmnop", 5), g.str("abcdefghijklmnop", 7), g.str("abcdefghijklmnop", 6))
	encoded := fmt.Sprintf("%s%%2B%s%%40%s.com", g.str("abcdefghijklmnop", 6), g.str("abcdefghijklmnop", 4), g.str("abcdefghijklmnop", 7))
	phone := fmt.Sprintf("+44 20 %s %s", g.digits(4), g.digits(4))
	usPhone := fmt.Sprintf("(415) %s-%s", "6"+g.digits(2), g.digits(4))
	card := g.card()
	iban := g.iban()
	ip := fmt.Sprintf("81.%d.%d.%d", 2+g.r.IntN(200), 1+g.r.IntN(250), 1+g.r.IntN(250))
	ip6 := fmt.Sprintf("2a02:c7f:%x:%x::%x", 0x1000+g.r.IntN(0xe000), 0x1000+g.r.IntN(0xe000), 1+g.r.IntN(0xfff))
	account := "5" + g.digits(11)
	ssn := fmt.Sprintf("%d%s-%s-%s", 1+g.r.IntN(6), g.digits(2), "4"+g.digits(1), "7"+g.digits(3))

	return []Plant{
		{redact.AWSAccessKeyID, akid, "export AWS_ACCESS_KEY_ID=" + akid},
		{redact.AWSSecretAccessKey, secret, "aws_secret_access_key = " + secret},
		{redact.AWSSessionToken, session, "aws_session_token=" + session},
		{redact.BedrockAPIKey, absk, "AWS_BEARER_TOKEN_BEDROCK=" + absk + " "},
		{redact.BedrockAPIKey, short, "curl -H 'Authorization: Bearer " + short + "'"},
		{redact.OpenAIAPIKey, openai, "OPENAI_API_KEY=" + openai},
		{redact.AnthropicAPIKey, anthropic, `client = Anthropic(api_key="` + anthropic + `")`},
		{redact.BearerToken, bearer, "Authorization: Bearer " + bearer},
		{redact.JWT, jwt, "my session cookie is " + jwt + " please check it"},
		{redact.PrivateKey, key.String(), "here is the deploy key:\n" + key.String() + "\nthanks"},
		{redact.APIToken, ghp, "git clone https://" + ghp + "@github.com/acme/app"},
		{redact.GenericSecret, password, `db_password: "` + password + `"`},
		{redact.Email, email, "Write to " + email + " for a refund."},
		{redact.Email, encoded, "The reset link was https://app.acme.io/reset?user=" + encoded + "&step=2 and it expired."},
		{redact.Phone, phone, "Call me on " + phone + " after five."},
		{redact.Phone, usPhone, "Their office line is " + usPhone + "."},
		{redact.CardNumber, card, "My card is " + card + " exp 04/29"},
		{redact.IBAN, iban, "Pay to IBAN " + iban + " by Friday"},
		{redact.IPAddress, ip, "the server at " + ip + " refuses connections"},
		{redact.IPAddress, ip6, "from " + ip6 + " we saw"},
		{redact.AWSAccountID, account, "Role arn:aws:iam::" + account + ":role/app-prod failed"},
		{redact.USSSN, ssn, "SSN " + ssn + " on file"},
	}
}

// card returns a Luhn-valid 16-digit Visa-shaped number in groups of 4.
func (g *Gen) card() string {
	d := []byte("4" + g.digits(14))
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	d = append(d, byte('0'+(10-sum%10)%10))
	s := string(d)
	return s[0:4] + " " + s[4:8] + " " + s[8:12] + " " + s[12:16]
}

// iban returns a valid German IBAN, printed in groups of four.
func (g *Gen) iban() string {
	bban := g.digits(18)
	check := 98 - mod97(bban+"131400") // D=13 E=14, check digits 00
	raw := fmt.Sprintf("DE%02d%s", check, bban)
	var b strings.Builder
	for i := 0; i < len(raw); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(raw[i:min(i+4, len(raw))])
	}
	return b.String()
}

func mod97(s string) int {
	r := 0
	for _, c := range s {
		r = (r*10 + int(c-'0')) % 97
	}
	return r
}

// PrivateKey is a private key in one of the armours gitleaks'
// private-key rule reads.
type PrivateKey struct {
	// Text is the key, its armour lines included, lines joined by "\n".
	Text string
	// Secret are the lines of its body: what no written file may hold.
	Secret []string
}

// PrivateKeys returns a key in each armour: PEM (PKCS #1, PKCS #8, SEC 1,
// an encrypted PKCS #1 key with its Proc-Type and DEK-Info headers),
// OpenSSH, and PGP with its Version and Comment headers, whose dots and
// parentheses no base64 line holds.
func (g *Gen) PrivateKeys() []PrivateKey {
	var keys []PrivateKey
	form := func(label string, headers []string, width int) {
		var lines []string
		for range 8 {
			lines = append(lines, g.str(b64, width))
		}
		lines = append(lines, g.str(b64, width/2)+"==")
		all := append([]string{"-----BEGIN " + label + "-----"}, headers...)
		all = append(all, lines...)
		all = append(all, "-----END "+label+"-----")
		keys = append(keys, PrivateKey{strings.Join(all, "\n"), lines})
	}
	form("RSA PRIVATE KEY", nil, 64)
	form("PRIVATE KEY", nil, 64)
	form("EC PRIVATE KEY", nil, 64)
	form("RSA PRIVATE KEY", []string{"Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC," + strings.ToUpper(g.str("0123456789abcdef", 32)), ""}, 64)
	form("OPENSSH PRIVATE KEY", nil, 70)
	form("PGP PRIVATE KEY BLOCK", []string{"Version: GnuPG v2.0.22 (GNU/Linux)", "Comment: deploy key (rotate yearly)", ""}, 64)
	return keys
}
