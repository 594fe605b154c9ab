// Package pages walks a paginated AWS listing, each page token once.
//
// The SDK's paginators stop, without a word, on a token handed out twice
// in a row, which drops the pages after it, and list a cycle of tokens
// (A, B, A) for ever; a listing read here stops with ErrRepeatedToken
// instead.
package pages

import (
	"errors"
	"fmt"
)

// ErrRepeatedToken is a listing that handed out a page token it had
// handed out before.
var ErrRepeatedToken = errors.New("the service handed out a page token it had handed out before")

// Each calls page with no token, then with each next token page returns,
// until one returns none (nil or empty). An error of page stops it and is
// returned as it is; a token handed out again stops it with an error that
// wraps ErrRepeatedToken and says after how many pages.
func Each(page func(token *string) (next *string, err error)) error {
	seen := map[string]bool{}
	var token *string
	for {
		next, err := page(token)
		if err != nil {
			return err
		}
		if next == nil || *next == "" {
			return nil
		}
		if seen[*next] {
			return fmt.Errorf("%w after %d pages", ErrRepeatedToken, len(seen)+1)
		}
		seen[*next] = true
		token = next
	}
}
