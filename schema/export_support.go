package schema

// What package schema/export needs from schema to write only what Load
// accepts: the same rules, not copies of them that could drift.

// Limits of the names and texts Load checks, for export to skip an object
// Load would refuse rather than write a file that does not load.
const (
	MaxNoteText   = maxNoteText   // pinned_note text, code points, after trimming
	MaxNoteCW     = maxNoteCW     // pinned_note cw, code points
	MaxFolderName = maxFolderName // drive_folder name, code points
	MaxListName   = maxListName   // user_list and antenna names, code points
)

// NormaliseUserAcct is how Load reads an account that mkctl acts on (a
// follow, a list member, an antenna user): the acct and "" when valid,
// otherwise "" and why not. ownHost is HostOf of the account's host.
func NormaliseUserAcct(raw, ownHost string) (string, string) {
	return normaliseUserAcct(raw, ownHost)
}

// NormaliseAcct is how Load reads an also_known_as item.
func NormaliseAcct(raw, ownHost string) (string, string) {
	return normaliseAcct(raw, ownHost)
}

// NormaliseHost is how Load reads the account's host attribute: the base
// URL ("https://misskey.example") and the host[:port] accts use, or an
// error text.
func NormaliseHost(raw string) (baseURL, ownHost, problem string) {
	base, p := normaliseHost(raw)
	if p != nil {
		return "", "", p.Summary + ": " + p.Detail
	}
	return base, hostOf(base), ""
}

// NormaliseUsername is how Load reads the username attribute.
func NormaliseUsername(raw string) (string, string) {
	return normaliseUsername(raw)
}

// JSTrim is the trim Load applies to a pinned note's text, the profile
// name and profile field parts (JavaScript's String.prototype.trim).
func JSTrim(s string) string { return jsTrim(s) }

// CharLen counts characters the way Load and Misskey do (code points).
func CharLen(s string) int { return ajvLength(s) }
