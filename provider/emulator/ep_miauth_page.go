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
// sends the browser to callback?session=SESSION.
//
// The emulator has no signed-in browser. Its page's Accept button posts a
// form to an emulator-only route, POST /miauth/{session}/accept, naming the
// local user who approves (by default the first one, `sandbox serve`'s
// demo account); the route makes the token as miauth/gen-token would and
// sends the browser on like the real page. So `mkctl login --host
// http://127.0.0.1:PORT` works against `mkctl sandbox serve` in a real
// browser. Deny posts to /miauth/{session}/deny, which only says so. Tests
// may still approve with miauth/gen-token, as the real page does, or with
// ApproveMiAuth.

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

// miauthPageSession recognises "/miauth/{session}" and the emulator's
// "/miauth/{session}/accept" and "/miauth/{session}/deny"; action is ""
// for the page itself.
func miauthPageSession(path string) (session, action string, ok bool) {
	rest, ok := strings.CutPrefix(path, "/miauth/")
	if !ok {
		return "", "", false
	}
	session, action, sub := strings.Cut(rest, "/")
	if session == "" || (sub && action != "accept" && action != "deny") {
		return "", "", false
	}
	return session, action, true
}

// serveWebPage serves the pages of the web client the emulator knows (the
// MiAuth consent page and its buttons) and reports whether path was one of
// them.
func (e *Emulator) serveWebPage(w http.ResponseWriter, r *http.Request) bool {
	session, action, ok := miauthPageSession(r.URL.Path)
	if !ok {
		return false
	}
	if action != "" {
		e.serveMiAuthButton(w, r, session, action)
		return true
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The web client's routes are served for GET only.
		w.Header().Set("Allow", "GET, HEAD")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return true
	}
	q := r.URL.Query()
	data := miauthPage{
		Name: q.Get("name"), Icon: q.Get("icon"), Instance: e.opts.Name,
		Action:      "/miauth/" + url.PathEscape(session),
		RawName:     q.Get("name"),
		RawCallback: q.Get("callback"),
	}
	if data.Name == "" {
		data.Name = "(no name)"
	}
	data.Permissions, data.Dropped = filterPermissions(q.Get("permission"))
	data.RawPermission = strings.Join(data.Permissions, ",")
	if cb := q.Get("callback"); cb != "" {
		if _, ok := safeCallback(cb); ok {
			data.Callback = cb
		} else {
			data.CallbackRefused = true
		}
	}
	e.mu.Lock()
	if u := e.st.firstLocalUser(); u != nil {
		data.DefaultUser = u.Username
	}
	e.mu.Unlock()
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

	// The form: where it posts, and the request it carries on.
	Action        string // "/miauth/{session}"; the buttons add /accept or /deny
	DefaultUser   string // who approves unless the form names someone else
	RawName       string
	RawCallback   string
	RawPermission string // the kept kinds, comma-separated
}

// filterPermissions is miauth.vue's filter: the kinds misskey-js knows,
// each once, in the order asked; the others are dropped.
func filterPermissions(list string) (kept, dropped []string) {
	for _, p := range strings.Split(list, ",") {
		if slices.Contains(knownPermissions, p) && !slices.Contains(kept, p) {
			kept = append(kept, p)
		} else if p != "" {
			dropped = append(dropped, p)
		}
	}
	return kept, dropped
}

// safeCallback parses a callback the real page would redirect to: not
// javascript:, data:, file: and the like.
func safeCallback(cb string) (*url.URL, bool) {
	u, err := url.Parse(cb)
	if err != nil || slices.Contains(refusedCallbackSchemes, strings.ToLower(u.Scheme)) {
		return nil, false
	}
	return u, true
}

// firstLocalUser is the local user created first (sandbox serve's demo
// account), or nil.
func (s *state) firstLocalUser() *User {
	for _, u := range s.Users {
		if u.IsLocal() {
			return u
		}
	}
	return nil
}

// maxFormBytes bounds the consent form: a few short fields.
const maxFormBytes = 64 << 10

// serveMiAuthButton answers the page's Accept and Deny buttons.
func (e *Emulator) serveMiAuthButton(w http.ResponseWriter, r *http.Request, session, action string) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		h.Set("Allow", "POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		resultPage(w, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	if action == "deny" {
		// miauth.vue's Deny: no token, no redirect, just "denied".
		resultPage(w, http.StatusOK, "Denied", "You denied the application access to your account. You can close this tab.")
		return
	}
	f := r.PostForm
	perms, _ := filterPermissions(f.Get("permission"))
	e.mu.Lock()
	var u *User
	if name := strings.TrimPrefix(strings.TrimSpace(f.Get("username")), "@"); name != "" {
		u = e.st.localUser(name)
	} else {
		u = e.st.firstLocalUser()
	}
	if u == nil || u.IsSuspended {
		e.mu.Unlock()
		resultPage(w, http.StatusBadRequest, "No such account", "There is no local account of that name to approve with.")
		return
	}
	username := u.Username
	// What miauth/gen-token stores for the page's call: {session, name,
	// iconUrl: icon, permission}; no description.
	e.newAccessToken(u, perms, &session, optional(f.Get("name")), nil, optional(f.Get("icon")))
	e.mu.Unlock()

	cb := f.Get("callback")
	if cb == "" {
		resultPage(w, http.StatusOK, "Success", "The application may now use @"+username+". You can close this tab.")
		return
	}
	target, ok := safeCallback(cb)
	if !ok {
		// The real page has made the token by then too, and stops at the
		// refused address.
		resultPage(w, http.StatusBadRequest, "Return address refused", "The token was made, but the application's return address is refused.")
		return
	}
	q := target.Query()
	q.Set("session", session) // cbUrl.searchParams.set('session', …)
	target.RawQuery = q.Encode()
	http.Redirect(w, r, target.String(), http.StatusSeeOther)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func resultPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	resultTemplate.Execute(w, struct{ Title, Text string }{title, text})
}

var resultTemplate = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

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
<p>Accepting makes the token miauth/gen-token would; the application then collects it once.</p>
<form method="post" action="{{.Action}}/accept" class="accept">
<label>Approve as @<input name="username" value="{{.DefaultUser}}"></label>
<input type="hidden" name="name" value="{{.RawName}}">
<input type="hidden" name="icon" value="{{.Icon}}">
<input type="hidden" name="callback" value="{{.RawCallback}}">
<input type="hidden" name="permission" value="{{.RawPermission}}">
<button type="submit">Accept</button>
</form>
<form method="post" action="{{.Action}}/deny" class="deny"><button type="submit">Deny</button></form>
</body></html>
`))
