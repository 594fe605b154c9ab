package pages

import (
	"errors"
	"testing"
)

// TestEach: every page is read once, in order, until a page has no next
// token; a token handed out again (at once, or after others) stops the
// listing with ErrRepeatedToken; a page's error comes back as it is.
func TestEach(t *testing.T) {
	list := func(tokens ...string) func(*string) (*string, error) {
		i := 0
		return func(token *string) (*string, error) {
			if i > 10 {
				t.Fatal("the listing does not end")
			}
			if i >= len(tokens) {
				i++
				return nil, nil
			}
			next := tokens[i]
			i++
			return &next, nil
		}
	}
	if err := Each(list("a", "b", "c")); err != nil {
		t.Errorf("three pages: %v", err)
	}
	for _, tokens := range [][]string{{"a", "a"}, {"a", "b", "a"}} {
		if err := Each(list(tokens...)); !errors.Is(err, ErrRepeatedToken) {
			t.Errorf("%v: %v, want ErrRepeatedToken", tokens, err)
		}
	}
	boom := errors.New("boom")
	if err := Each(func(*string) (*string, error) { return nil, boom }); err != boom {
		t.Errorf("a page's error: %v", err)
	}
}
