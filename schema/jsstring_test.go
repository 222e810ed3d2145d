package schema

import "testing"

func TestAjvLength(t *testing.T) {
	tests := map[string]int{
		"":        0,
		"abc":     3,
		"é":       1,
		"日本語":     3,
		"😀":       1, // Ajv counts code points: a surrogate pair is one
		"👍🏽":      2, // two code points
		"a\u0301": 2, // combining accent: two code points
	}
	for s, want := range tests {
		if got := ajvLength(s); got != want {
			t.Errorf("ajvLength(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestJSTrim(t *testing.T) {
	tests := map[string]string{
		"  a b  ":           "a b",
		"\t\n\v\f\r a \r\n": "a",
		"\u00a0a\u3000":     "a",
		"\ufeffa\ufeff":     "a",             // JavaScript strips the BOM; strings.TrimSpace does not
		"\u0085a\u0085":     "\u0085a\u0085", // NEL is not JavaScript whitespace
		"\u2028a\u2029":     "a",
		"\u200ba":           "\u200ba", // zero-width space is not whitespace
	}
	for in, want := range tests {
		if got := jsTrim(in); got != want {
			t.Errorf("jsTrim(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSuggestions(t *testing.T) {
	names := []string{"name", "description", "is_bot"}
	for given, want := range map[string]string{"nmae": "name", "NAME": "name", "descripton": "description", "colour": ""} {
		if got := suggestName(given, names); got != want {
			t.Errorf("suggestName(%q) = %q, want %q", given, got, want)
		}
	}
	for given, want := range map[string]string{"en_US": "en-US", "ja-jp": "ja-JP", "jp": "ja", "xx": "", "english": ""} {
		if got := suggestValue(given, Langs); got != want {
			t.Errorf("suggestValue(%q) = %q, want %q", given, got, want)
		}
	}
}
