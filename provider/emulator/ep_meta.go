package emulator

import "github.com/mkctl/mkctl/provider/misskeyapi"

// meta — ep/meta.ts: instance information, every field MetaEntityService
// packs; detail (default true) adds features and a few settings.
func init() { register("meta", nil, handleMeta) }

// maxNoteTextLength is MAX_NOTE_TEXT_LENGTH in const.ts.
const maxNoteTextLength = 3000

func handleMeta(c *call) (any, *apiError) {
	// Every key MetaEntityService.pack sends, with a new instance's values
	// (the conformance test compares them with the real server's).
	m := map[string]any{
		"maintainerName":               nil,
		"maintainerEmail":              nil,
		"version":                      misskeyapi.Version(),
		"providesTarball":              false,
		"name":                         c.e.opts.Name,
		"shortName":                    nil,
		"uri":                          c.e.opts.URL,
		"description":                  nil,
		"langs":                        []any{},
		"tosUrl":                       nil,
		"repositoryUrl":                "https://github.com/misskey-dev/misskey",
		"feedbackUrl":                  "https://github.com/misskey-dev/misskey/issues/new",
		"impressumUrl":                 nil,
		"privacyPolicyUrl":             nil,
		"inquiryUrl":                   nil,
		"disableRegistration":          true, // a new instance's default; the emulator has no sign-up
		"emailRequiredForSignup":       false,
		"enableHcaptcha":               false,
		"hcaptchaSiteKey":              nil,
		"enableMcaptcha":               false,
		"mcaptchaSiteKey":              nil,
		"mcaptchaInstanceUrl":          nil,
		"enableRecaptcha":              false,
		"recaptchaSiteKey":             nil,
		"enableTurnstile":              false,
		"turnstileSiteKey":             nil,
		"enableTestcaptcha":            false,
		"googleAnalyticsMeasurementId": nil,
		"swPublickey":                  nil,
		"themeColor":                   nil,
		"mascotImageUrl":               "/assets/ai.png",
		"bannerUrl":                    nil,
		"infoImageUrl":                 nil,
		"serverErrorImageUrl":          nil,
		"notFoundImageUrl":             nil,
		"iconUrl":                      nil,
		"backgroundImageUrl":           nil,
		"logoImageUrl":                 nil,
		"maxNoteTextLength":            maxNoteTextLength,
		"defaultLightTheme":            nil,
		"defaultDarkTheme":             nil,
		"clientOptions":                map[string]any{},
		"ads":                          []any{},
		"notesPerOneAd":                0,
		"enableEmail":                  false,
		"enableServiceWorker":          false,
		"translatorAvailable":          false,
		"serverRules":                  []any{},
		"sentryForFrontend":            nil,
		"mediaProxy":                   c.e.opts.URL + "/proxy",
		"enableUrlPreview":             true,
		"noteSearchableScope":          "global",
		"maxFileSize":                  262144000,
		// The emulator knows remote users (CreateRemoteUser), as a
		// federating instance would.
		"federation": "all",
		// The base role's policies, not the caller's: `i` has those.
		"policies": defaultPolicies(),
	}
	if detail, _ := c.boolean("detail"); detail {
		m["cacheRemoteFiles"] = false
		m["cacheRemoteSensitiveFiles"] = true
		m["requireSetup"] = false
		m["proxyAccountName"] = "system.proxy"
		m["features"] = map[string]any{
			"registration":           false,
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
