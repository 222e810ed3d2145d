package schema

import (
	"strings"

	"github.com/mkctl/mkctl/internal/hosturl"
)

// problem is a validation failure: a diagnostic summary and a detail that
// ends with a hint.
type problem struct {
	Summary string
	Detail  string
}

// normaliseHost turns the host attribute into the instance's base URL:
// "misskey.example" → "https://misskey.example". The rules are
// hosturl.Canonical's, shared with the token store so that both key an
// account the same way; only the hint is worded here, for a configuration.
func normaliseHost(raw string) (string, *problem) {
	base, p := hosturl.Canonical(raw)
	if p != nil {
		return "", &problem{p.Summary, p.Detail + ". Hint: " + configHint(p) + "."}
	}
	return base, nil
}

// configHint words p's hint as something to write in the file.
func configHint(p *hosturl.Problem) string {
	switch p.Kind {
	case hosturl.Empty:
		return `write the Misskey server's name, e.g. host = "misskey.example"`
	case hosturl.Whitespace:
		return `write only the server name, e.g. host = "misskey.example"`
	case hosturl.NotURL:
		return `write host = "misskey.example" or host = "https://misskey.example"`
	case hosturl.Userinfo:
		return "the token goes in the MKCTL_TOKEN_… environment variable, not in the URL"
	case hosturl.NoHostname:
		return `write host = "misskey.example"`
	}
	if p.Fix != "" {
		return `write host = "` + p.Fix + `"`
	}
	return p.Hint
}

// hostOf is the host[:port] part of a normalised base URL, the way Misskey
// writes its own host in accts.
func hostOf(baseURL string) string {
	if i := strings.Index(baseURL, "://"); i >= 0 {
		return baseURL[i+3:]
	}
	return baseURL
}
