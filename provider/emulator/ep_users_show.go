package emulator

import "net/http"

// users/show — ep/users/show.ts: one user by {userId} or {username, host?},
// or several by {userIds} (in the requested order, missing ones dropped).
func init() { register("users/show", nil, handleUsersShow) }

var (
	errUsersShowNoSuchUser = &apiError{Code: "NO_SUCH_USER", ID: "4362f8dc-731f-4ad8-a694-be5a88922a24",
		Message: "No such user.", Kind: "client", Status: http.StatusNotFound}
	errFailedToResolveRemoteUser = &apiError{Code: "FAILED_TO_RESOLVE_REMOTE_USER", ID: "ef7b9be4-9cba-4e6f-ab41-90ed171c7d3c",
		Message: "Failed to resolve remote user.", Kind: "server"}
)

func handleUsersShow(c *call) (any, *apiError) {
	opts := packOpts{me: c.me}
	if ids, ok := c.params["userIds"].([]any); ok {
		out := []any{}
		for _, id := range ids {
			s, _ := id.(string)
			if u := c.e.st.user(s); u != nil && !u.IsSuspended {
				out = append(out, c.e.packDetailed(u, opts))
			}
		}
		return out, nil
	}

	var u *User
	username, hasUsername := c.str("username")
	host, hasHost := c.str("host")
	switch {
	case hasUsername && hasHost:
		// RemoteUserResolveService.resolveUser: the local host means a
		// local lookup, but any failure is "failed to resolve".
		if c.isLocalHost(host) {
			u = c.e.st.localUser(username)
		} else {
			u = c.e.st.remoteUser(username, host)
		}
		if u == nil {
			return nil, errFailedToResolveRemoteUser
		}
	case c.has("userId"):
		id, _ := c.str("userId")
		u = c.e.st.user(id)
	default:
		u = c.e.st.localUser(username)
	}
	if u == nil || u.IsSuspended {
		return nil, errUsersShowNoSuchUser
	}
	return c.e.packDetailed(u, opts), nil
}
