package schema

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestLangsMatchSpec keeps langs.go in step with the i/update lang enum of
// the OpenAPI document served by the Misskey version mkctl targets.
func TestLangsMatchSpec(t *testing.T) {
	raw, err := os.ReadFile("../provider/misskeyapi/api.json")
	if err != nil {
		t.Fatalf("reading the spec: %v", err)
	}
	var spec struct {
		Paths map[string]struct {
			Post struct {
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Properties map[string]struct {
								Enum []*string `json:"enum"`
							} `json:"properties"`
						} `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"post"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("parsing the spec: %v", err)
	}
	enum := spec.Paths["/i/update"].Post.RequestBody.Content["application/json"].Schema.Properties["lang"].Enum
	if len(enum) == 0 {
		t.Fatal("the spec has no i/update lang enum; has its layout changed?")
	}
	var want []string
	sawNull := false
	for _, v := range enum {
		if v == nil {
			sawNull = true
			continue
		}
		want = append(want, *v)
	}
	if !sawNull {
		t.Error("the spec's lang enum no longer allows null, but profile lang = null relies on it")
	}
	if !slices.Equal(Langs, want) {
		for _, l := range want {
			if !slices.Contains(Langs, l) {
				t.Errorf("spec has %q, Langs does not", l)
			}
		}
		for _, l := range Langs {
			if !slices.Contains(want, l) {
				t.Errorf("Langs has %q, the spec does not", l)
			}
		}
		t.Errorf("Langs (%d values) differs from the spec (%d values), in content or order; regenerate langs.go", len(Langs), len(want))
	}
}
