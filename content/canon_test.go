package content

import "testing"

func TestCanonicalize(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM:80/a/./b/../c?utm_source=x&b=2&a=1#frag": "http://example.com/a/c?a=1&b=2",
		"https://example.com":                         "https://example.com/",
		"https://example.com//news//x/?fbclid=abc":    "https://example.com/news/x/",
		"https://user:pw@example.com:443/p?gclid=1&q": "https://example.com/p?q=",
	} {
		got, err := Canonicalize(in)
		if err != nil || got != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Canonicalize("mailto:x@example.com"); err == nil {
		t.Error("mailto accepted")
	}
}
