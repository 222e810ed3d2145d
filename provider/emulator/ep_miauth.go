package emulator

import (
	"net/http"
	"strings"
)

// MiAuth: miauth/gen-token (the web client approving a session) and the
// plain route POST /api/miauth/{session}/check (server/api/ApiServerService.ts)
// that hands the token to the application, once.
func init() { register("miauth/gen-token", nil, handleMiAuthGenToken) }

// handleMiAuthGenToken stores a 32-character token with the requested
// permissions. The backend does not check the permission strings.
func handleMiAuthGenToken(c *call) (any, *apiError) {
	t := c.e.newAccessToken(c.me, c.strings("permission"), c.optStr("session"), c.optStr("name"), c.optStr("description"), c.optStr("iconUrl"))
	return map[string]any{"token": t.Token}, nil
}

// ApproveMiAuth does what the web UI does when the user accepts a MiAuth
// request: it creates the session's token. The application then collects
// it with POST /api/miauth/{session}/check. It panics for an unknown user.
func (e *Emulator) ApproveMiAuth(userID, session, appName string, permissions []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.user(userID)
	if u == nil || !u.IsLocal() {
		panic("emulator: no local user " + userID)
	}
	e.newAccessToken(u, append([]string(nil), permissions...), &session, &appName, nil, nil)
}

// miauthCheckRoute names the check route in the request log and in
// violations: the session itself stays out of both.
const miauthCheckRoute = "miauth/{session}/check"

// miauthCheckSession recognises "miauth/{session}/check".
func miauthCheckSession(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "miauth/")
	if !ok {
		return "", false
	}
	session, ok := strings.CutSuffix(rest, "/check")
	if !ok || session == "" || strings.Contains(session, "/") {
		return "", false
	}
	return session, true
}

// serveMiAuthCheck answers {ok:true, token, user} the first time after
// approval and {ok:false} before and after. The route is POST only and
// takes no credential; the session is a path parameter.
func (e *Emulator) serveMiAuthCheck(r *http.Request, session string) *reply {
	if r.Method != http.MethodPost {
		// Not a registered route for other methods: Misskey's catch-all
		// answers unknown API paths.
		e.violation(Violation{Endpoint: miauthCheckRoute, Kind: ViolationBadRequest, Reason: r.Method + " on a POST-only route"})
		return unknownEndpointReply()
	}
	if _, rep := e.readJSONBody(r, miauthCheckRoute); rep != nil {
		return rep
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var rep *reply
	for _, t := range e.st.AccessTokens {
		if t.Session == nil || *t.Session != session {
			continue
		}
		// findOneBy({session}) takes the first match, fetched or not.
		if t.Fetched {
			break
		}
		t.Fetched = true
		if u := e.st.user(t.UserID); u != nil {
			rep = newReply(http.StatusOK).json(map[string]any{
				"ok":    true,
				"token": t.Token,
				"user":  e.packDetailed(u, packOpts{}),
			})
		}
		break
	}
	if rep == nil {
		rep = newReply(http.StatusOK).json(map[string]any{"ok": false})
	}
	return rep
}
