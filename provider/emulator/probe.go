package emulator

import "net/http"

// ProbeHeader marks a request mkctl sends only to learn whether its token
// holds a permission (provider.ProbePermissions): the body is invalid on
// purpose, so Misskey answers PERMISSION_DENIED when the permission is
// missing (ApiCallService step 6) and INVALID_PARAM when it is granted
// (step 7), and changes nothing. The real server ignores the header.
const ProbeHeader = "X-Mkctl-Probe"

// ProbeValue is the header's value for a permission probe.
const ProbeValue = "permission"

// isPermissionProbe reports a request marked as a permission probe. Its
// INVALID_PARAM is the expected answer, not a client mistake, so the
// emulator does not record it as a violation. Every other violation of
// such a request (an unknown parameter, an unknown endpoint, a body that is
// not JSON) is still recorded: only the deliberate invalid value is
// excused.
func isPermissionProbe(r *http.Request) bool {
	return r != nil && r.Header.Get(ProbeHeader) == ProbeValue
}
