package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"time"
)

// apiError is Misskey's ApiError: what an endpoint throws and the server
// turns into `{"error":{...}}`.
type apiError struct {
	Message string
	Code    string
	ID      string
	Kind    string // "client" (the default), "server" or "permission"
	Status  int    // explicit httpStatusCode; 0 derives it from Kind
	Info    any
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// clientError is an endpoint error without an explicit status: HTTP 400.
func clientError(code, id, message string) *apiError {
	return &apiError{Code: code, ID: id, Message: message, Kind: "client"}
}

// status is the HTTP status #sendApiError picks.
func (e *apiError) status() int {
	if e.Status != 0 {
		return e.Status
	}
	switch e.Kind {
	case "permission":
		return http.StatusForbidden
	case "server":
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// header sets the WWW-Authenticate or Retry-After header #sendApiError
// adds, in its order: 401 first, then the rate limit, then the kind.
func (e *apiError) header(h http.Header, now time.Time) {
	switch {
	case e.Code == "AUTHENTICATION_FAILED":
		h.Set("WWW-Authenticate", `Bearer realm="Misskey", error="invalid_token", error_description="`+e.Message+`"`)
	case e.status() == http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="Misskey"`)
	case e.Code == "RATE_LIMIT_EXCEEDED":
		h.Set("Retry-After", fmt.Sprint(retryAfter(e.Info, now)))
	case e.Kind == "client":
		h.Set("WWW-Authenticate", `Bearer realm="Misskey", error="invalid_request", error_description="`+e.Message+`"`)
	case e.Kind == "permission" && e.Code == "PERMISSION_DENIED":
		h.Set("WWW-Authenticate", `Bearer realm="Misskey", error="insufficient_scope", error_description="`+e.Message+`"`)
	}
}

// retryAfter is ceil((info.resetMs − now) / 1000) seconds, never below 0,
// computed when the answer is sent, as ApiCallService does.
func retryAfter(info any, now time.Time) int64 {
	m, _ := info.(map[string]any)
	resetMs, ok := m["resetMs"].(int64)
	if !ok {
		return 0
	}
	secs := math.Ceil(float64(resetMs-now.UnixMilli()) / 1000)
	return int64(max(secs, 0))
}

// errorBody is the JSON body, with Misskey's key order.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Info    any    `json:"info,omitempty"`
}

func (e *apiError) body() errorBody {
	return errorBody{Error: errorFields{Message: e.Message, Code: e.Code, ID: e.ID, Kind: e.Kind, Info: e.Info}}
}

// Errors raised by the request pipeline (server/api/ApiCallService.ts and
// AuthenticateService.ts).
var (
	errAuthenticationFailed = &apiError{Code: "AUTHENTICATION_FAILED", ID: "b0a7f5f8-dc2f-4171-b91f-de88ad238e14",
		Message: "Authentication failed. Please ensure your token is correct.", Kind: "client", Status: http.StatusUnauthorized}
	errCredentialRequired = &apiError{Code: "CREDENTIAL_REQUIRED", ID: "1384574d-a912-4b81-8601-c7b1c4085df1",
		Message: "Credential required.", Kind: "client", Status: http.StatusUnauthorized}
	errAccessDenied = clientError("ACCESS_DENIED", "56f35758-7dd5-468b-8439-5d6fb8ec9b8e", "Access denied.")
	errPermission   = &apiError{Code: "PERMISSION_DENIED", ID: "1370e5b7-d4eb-4566-bb1d-7748ee6a1838",
		Message: "Your app does not have the necessary permissions to use this endpoint.", Kind: "permission"}
	errSuspended = &apiError{Code: "YOUR_ACCOUNT_SUSPENDED", ID: "a8c724b3-6e9c-4b46-b1a8-bc3ed6258370",
		Message: "Your account has been suspended.", Kind: "permission"}
	errUnknownEndpoint = &apiError{Code: "UNKNOWN_API_ENDPOINT", ID: "2ca3b769-540a-4f08-9dd5-b5a825b6d0f1",
		Message: "Unknown API endpoint.", Kind: "client", Status: http.StatusNotFound}
)

func invalidParam(param, reason string) *apiError {
	e := clientError("INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532", "Invalid param.")
	e.Info = map[string]any{"param": param, "reason": reason}
	return e
}

func rateLimitExceeded(info map[string]any) *apiError {
	return &apiError{Code: "RATE_LIMIT_EXCEEDED", ID: "d5826d14-3982-4d2e-8011-b9e9f02499ef",
		Message: "Rate limit exceeded. Please try again later.", Kind: "client", Status: http.StatusTooManyRequests, Info: info}
}

// internalError is an uncaught exception in an endpoint (INTERNAL_ERROR,
// 500), with the info Misskey attaches.
func internalError(message, name, errID string) *apiError {
	return &apiError{Code: "INTERNAL_ERROR", ID: "5d37dbcb-891e-41ca-a3d6-e690c97775ac",
		Message: "Internal error occurred. Please contact us if the error persists.", Kind: "server",
		Info: map[string]any{"e": map[string]any{"message": message, "code": name, "id": errID}}}
}

// newErrorID is the random UUID (v4) ApiCallService gives each uncaught
// error, so that the log line and the answer can be matched.
func newErrorID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("emulator: crypto/rand: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
