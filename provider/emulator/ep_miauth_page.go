package emulator

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The MiAuth consent page, GET /miauth/{session}. On a real server this is
// a route of the web client (packages/frontend/src/pages/miauth.vue): it
// reads name, icon, callback and permission from the query, keeps only the
// permission kinds misskey-js knows, asks the signed-in user to accept, and
// on Accept calls miauth/gen-token with the user's own native token, then
// sends the browser to callback?session=SESSION. The emulator has no
// signed-in browser, so its page only shows what would be approved; the
// approval itself is that same miauth/gen-token call (made by whatever
// plays the browser in a test) or ApproveMiAuth.

// knownPermissions is misskey-js's `permissions` (consts.ts), identical in
// 2025.11.1 and 2026.5.4.
var knownPermissions = strings.Split("read:account,write:account,read:blocks,write:blocks,read:drive,write:drive,"+
	"read:favorites,write:favorites,read:following,write:following,read:messaging,write:messaging,read:mutes,write:mutes,"+
	"write:notes,read:notifications,write:notifications,read:reactions,write:reactions,write:votes,read:pages,write:pages,"+
	"write:page-likes,read:page-likes,read:user-groups,write:user-groups,read:channels,write:channels,read:gallery,"+
	"write:gallery,read:gallery-likes,write:gallery-likes,read:flash,write:flash,read:flash-likes,write:flash-likes,"+
	"read:admin:abuse-user-reports,write:admin:delete-account,write:admin:delete-all-files-of-a-user,read:admin:index-stats,"+
	"read:admin:table-stats,read:admin:user-ips,read:admin:meta,write:admin:reset-password,write:admin:resolve-abuse-user-report,"+
	"write:admin:send-email,read:admin:server-info,read:admin:show-moderation-log,read:admin:show-user,write:admin:suspend-user,"+
	"write:admin:unset-user-avatar,write:admin:unset-user-banner,write:admin:unsuspend-user,write:admin:meta,write:admin:user-note,"+
	"write:admin:roles,read:admin:roles,write:admin:relays,read:admin:relays,write:admin:invite-codes,read:admin:invite-codes,"+
	"write:admin:announcements,read:admin:announcements,write:admin:avatar-decorations,read:admin:avatar-decorations,"+
	"write:admin:federation,write:admin:account,read:admin:account,write:admin:emoji,read:admin:emoji,write:admin:queue,"+
	"read:admin:queue,write:admin:promo,write:admin:drive,read:admin:drive,write:admin:ad,read:admin:ad,write:invite-codes,"+
	"read:invite-codes,write:clip-favorite,read:clip-favorite,read:federation,write:report-abuse,write:chat,read:chat", ",")

// refusedCallbackSchemes are the schemes miauth.vue will not redirect to.
var refusedCallbackSchemes = []string{"javascript", "file", "data", "mailto", "tel", "vbscript"}

// miauthPageSession recognises "/miauth/{session}".
func miauthPageSession(path string) (string, bool) {
	session, ok := strings.CutPrefix(path, "/miauth/")
	if !ok || session == "" || strings.Contains(session, "/") {
		return "", false
	}
	return session, true
}

// serveWebPage serves the pages of the web client the emulator knows (the
// MiAuth consent page) and reports whether path was one of them.
func (e *Emulator) serveWebPage(w http.ResponseWriter, r *http.Request) bool {
	if _, ok := miauthPageSession(r.URL.Path); !ok {
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The web client's routes are served for GET only.
		w.Header().Set("Allow", "GET, HEAD")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return true
	}
	q := r.URL.Query()
	data := miauthPage{Name: q.Get("name"), Icon: q.Get("icon"), Instance: e.opts.Name}
	if data.Name == "" {
		data.Name = "(no name)"
	}
	for _, p := range strings.Split(q.Get("permission"), ",") {
		if slices.Contains(knownPermissions, p) && !slices.Contains(data.Permissions, p) {
			data.Permissions = append(data.Permissions, p)
		} else if p != "" {
			data.Dropped = append(data.Dropped, p)
		}
	}
	if cb := q.Get("callback"); cb != "" {
		u, err := url.Parse(cb)
		if err != nil || slices.Contains(refusedCallbackSchemes, strings.ToLower(u.Scheme)) {
			data.CallbackRefused = true
		} else {
			data.Callback = cb
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		miauthTemplate.Execute(w, data)
	}
	return true
}

type miauthPage struct {
	Instance        string
	Name            string
	Icon            string
	Permissions     []string
	Dropped         []string // unknown kinds the real page drops silently
	Callback        string
	CallbackRefused bool
}

var miauthTemplate = template.Must(template.New("miauth").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize {{.Name}} — {{.Instance}}</title></head>
<body>
<h1>{{.Name}} wants to access your account</h1>
{{if .Icon}}<img src="{{.Icon}}" alt="" width="64" height="64">{{end}}
<p>It asks for these permissions:</p>
<ul class="permissions">
{{range .Permissions}}<li>{{.}}</li>
{{else}}<li>(none)</li>
{{end}}</ul>
{{if .Dropped}}<p class="dropped">Ignored, unknown to Misskey:{{range .Dropped}} {{.}}{{end}}</p>{{end}}
{{if .Callback}}<p class="callback">After you accept, your browser goes back to {{.Callback}}</p>{{end}}
{{if .CallbackRefused}}<p class="callback">The application's return address is refused.</p>{{end}}
<p>Accepting calls miauth/gen-token with your own session; the application then collects its token once.</p>
<form><button type="button" disabled>Accept</button> <button type="button" disabled>Deny</button></form>
</body></html>
`))
