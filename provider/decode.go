package provider

import (
	"encoding/json"
	"reflect"

	gojson "github.com/goccy/go-json"
)

// unmarshal decodes an answer. goccy/go-json does it: Misskey's lists are
// large (a users/following page of 100 UserDetailed followees is about
// 130 KB, of which mkctl keeps five fields per row), and encoding/json
// spends 1.5 ms of CPU on such a page against goccy's 0.2 ms — at 100,000
// follows, 1.3 s of a plan's CPU (issue 9). Both decode the same values
// (TestUnmarshalMatchesEncodingJSON holds them to it over every recorded
// answer); when goccy refuses the input, encoding/json decodes it again
// so that the error a user sees is the standard library's.
func unmarshal(data []byte, out any) error {
	if err := gojson.Unmarshal(data, out); err != nil {
		// goccy may have filled part of out, and encoding/json merges
		// into what is there: start from nothing.
		if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
			v.Elem().SetZero()
		}
		return json.Unmarshal(data, out)
	}
	return nil
}
