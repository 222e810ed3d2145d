package emulator

import "github.com/mkctl/mkctl/provider/misskeyapi"

// meta — ep/meta.ts: instance information. The emulator reports the fields
// a client uses to discover the server; detail (default true) adds
// features.
func init() { register("meta", nil, handleMeta) }

// maxNoteTextLength is MAX_NOTE_TEXT_LENGTH in const.ts.
const maxNoteTextLength = 3000

func handleMeta(c *call) (any, *apiError) {
	m := map[string]any{
		"version":             misskeyapi.Version(),
		"name":                c.e.opts.Name,
		"uri":                 c.e.opts.URL,
		"description":         nil,
		"langs":               []any{},
		"disableRegistration": false,
		"federation":          "all",
		"maxNoteTextLength":   maxNoteTextLength,
		"maxFileSize":         262144000,
		// The base role's policies, not the caller's: `i` has those.
		"policies": defaultPolicies(),
	}
	if detail, _ := c.boolean("detail"); detail {
		m["features"] = map[string]any{
			"localTimeline":          true,
			"globalTimeline":         true,
			"registration":           true,
			"emailRequiredForSignup": false,
			"hcaptcha":               false,
			"recaptcha":              false,
			"turnstile":              false,
			"objectStorage":          false,
			"serviceWorker":          false,
			"miauth":                 true,
		}
	}
	return m, nil
}
