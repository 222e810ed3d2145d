package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAPIErrorsFromSamples(t *testing.T) {
	cases := []struct {
		sample, code, id, kind string
		status                 int
		write                  bool
		wantError, wantHint    string
	}{
		{"46", "AUTHENTICATION_FAILED", "b0a7f5f8-dc2f-4171-b91f-de88ad238e14", "client", 401, false,
			"i: Misskey answered 401 AUTHENTICATION_FAILED: Authentication failed. Please ensure your token is correct.", "mkctl login"},
		{"47", "CREDENTIAL_REQUIRED", "1384574d-a912-4b81-8601-c7b1c4085df1", "client", 401, true,
			"i/update: Misskey answered 401 CREDENTIAL_REQUIRED: Credential required.", "MKCTL_TOKEN"},
		{"48", "PERMISSION_DENIED", "1370e5b7-d4eb-4566-bb1d-7748ee6a1838", "permission", 403, true,
			"i/update: Misskey answered 403 PERMISSION_DENIED: Your app does not have the necessary permissions to use this endpoint.",
			"lacks the permission write:account"},
		{"49", "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532", "client", 400, true,
			"antennas/create: Misskey answered 400 INVALID_PARAM: Invalid param. (param #/properties/name/type: must be string)", "mkctl bug"},
		{"06", "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532", "client", 400, true,
			"i/update: Misskey answered 400 INVALID_PARAM: Invalid param. (param #/properties/name/minLength: must NOT have fewer than 1 characters)", "please report"},
		{"03", "NO_SUCH_USER", "4362f8dc-731f-4ad8-a694-be5a88922a24", "client", 404, false,
			"users/show: Misskey answered 404 NO_SUCH_USER: No such user.", "@user@host"},
		{"50", "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef", "client", 429, true,
			"drive/folders/create: Misskey answered 429 RATE_LIMIT_EXCEEDED: Rate limit exceeded. Please try again later.", "run mkctl again after"},
	}
	for _, tc := range cases {
		t.Run(tc.sample+"-"+tc.code, func(t *testing.T) {
			s := loadSample(t, tc.sample)
			fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { s.write(w) })
			// A 429 would be waited out; a 1ns cap turns it into the error at once.
			c, _ := newTestClient(t, fs.URL)
			c.maxWait = 1
			call := c.Read
			if tc.write {
				call = c.Write
			}
			err := call(context.Background(), s.Endpoint, s.Request, nil)
			var e *APIError
			if !errors.As(err, &e) {
				t.Fatalf("err = %#v, want *APIError", err)
			}
			if e.Endpoint != s.Endpoint || e.Status != tc.status || e.Code != tc.code || e.ID != tc.id || e.Kind != tc.kind {
				t.Errorf("got %+v", e)
			}
			// e, not err: for the 429 the cap adds how long the wait would be.
			if e.Error() != tc.wantError {
				t.Errorf("Error() =\n  %q\nwant\n  %q", e.Error(), tc.wantError)
			}
			if !strings.Contains(e.Hint(), tc.wantHint) {
				t.Errorf("Hint() = %q, want it to contain %q", e.Hint(), tc.wantHint)
			}
			wrapped := fmt.Errorf("account.weather: %w", err)
			if !IsCode(wrapped, tc.code) || IsCode(wrapped, "SOMETHING_ELSE") {
				t.Errorf("IsCode on a wrapped error is wrong")
			}
		})
	}
}

func TestIsCodeOnOtherErrors(t *testing.T) {
	if IsCode(nil, "X") || IsCode(errors.New("X"), "X") {
		t.Error("IsCode true for a non-APIError")
	}
}

func TestNonMisskeyErrorBodies(t *testing.T) {
	cases := []struct {
		name               string
		answer             func(w http.ResponseWriter)
		code, msg, hintHas string
	}{
		{"fastify 404", func(w http.ResponseWriter) {
			writeJSON(w, 404, map[string]any{"message": "Route POST:/api/nope not found", "error": "Not Found", "statusCode": 404})
		}, "HTTP_404", "Route POST:/api/nope not found", "does not know the endpoint nope"},
		{"fastify 413", func(w http.ResponseWriter) {
			writeJSON(w, 413, map[string]any{"statusCode": 413, "code": "FST_ERR_CTP_BODY_TOO_LARGE", "error": "Payload Too Large", "message": "Request body is too large"})
		}, "HTTP_413", "Request body is too large", "1 MiB"},
		{"empty 405", func(w http.ResponseWriter) { w.WriteHeader(405) }, "HTTP_405", "Method Not Allowed", ""},
		{"html 502", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			w.Write([]byte("<html><body>Bad gateway</body></html>"))
		}, "HTTP_502", "Bad Gateway", "unavailable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { tc.answer(w) })
			c, _ := newTestClient(t, fs.URL)
			err := c.Write(context.Background(), "nope", nil, nil)
			var e *APIError
			if !errors.As(err, &e) || e.Code != tc.code || e.Message != tc.msg {
				t.Fatalf("err = %v (%+v)", err, e)
			}
			if !strings.HasPrefix(err.Error(), "nope: the server answered HTTP ") {
				t.Errorf("Error() = %q", err)
			}
			if !strings.Contains(e.Hint(), tc.hintHas) {
				t.Errorf("Hint() = %q, want %q", e.Hint(), tc.hintHas)
			}
		})
	}
}

// echoTransport fails with the request's Authorization header in the error,
// like a badly written proxy library might.
type echoTransport struct{}

func (echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("proxy refused %s", r.Header.Get("Authorization"))
}

func TestTokenNeverInErrors(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter, r *http.Request){
		"misskey error echo": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, map[string]any{"error": map[string]any{
				"message": "bad token " + r.Header.Get("Authorization"), "code": "AUTHENTICATION_FAILED", "id": testToken, "kind": "client",
				"info": map[string]any{"param": testToken, "reason": []any{"x" + testToken}, testToken: "key"}}})
		},
		"fastify echo": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 404, map[string]any{"message": "Route POST:/api/x?i=" + testToken + " not found"})
		},
		"plain text echo": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(502)
			w.Write([]byte(r.Header.Get("Authorization")))
		},
		"redirect echo": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://misskey.example/?token="+testToken, http.StatusFound)
		},
		"internal error echo": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 500, map[string]any{"error": map[string]any{"message": "Internal error occurred.", "code": "INTERNAL_ERROR",
				"id": "5d37dbcb-891e-41ca-a3d6-e690c97775ac", "kind": "server", "info": map[string]any{"e": map[string]any{"message": "token " + testToken}}}})
		},
		"rate limit echo": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "10")
			writeJSON(w, 429, map[string]any{"error": map[string]any{"message": testToken, "code": "RATE_LIMIT_EXCEEDED", "id": "d5826d14-3982-4d2e-8011-b9e9f02499ef", "kind": "client"}})
		},
	}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { answer(w, r) })
			c, rec := newTestClient(t, fs.URL, WithMaxRetries(1))
			for _, call := range []func(context.Context, string, any, any) error{c.Read, c.Write} {
				err := call(context.Background(), "i", nil, nil)
				if err == nil {
					t.Fatal("no error")
				}
				assertNoToken(t, err)
			}
			for _, m := range rec.notify {
				if strings.Contains(m, testToken) {
					t.Errorf("token in notification %q", m)
				}
			}
		})
	}
	t.Run("transport error", func(t *testing.T) {
		c, _ := newTestClient(t, "https://misskey.example", WithHTTPClient(&http.Client{Transport: echoTransport{}}), WithMaxRetries(0))
		err := c.Read(context.Background(), "i", nil, nil)
		var nerr *NetworkError
		if !errors.As(err, &nerr) {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(err.Error(), "proxy refused Bearer <redacted>") {
			t.Errorf("err = %q", err)
		}
		assertNoToken(t, err)
	})
}

func assertNoToken(t *testing.T, err error) {
	t.Helper()
	texts := []string{err.Error(), fmt.Sprintf("%v %+v", err, err)}
	var e *APIError
	if errors.As(err, &e) {
		texts = append(texts, e.Hint(), fmt.Sprintf("%+v", *e))
	}
	for _, s := range texts {
		if strings.Contains(s, testToken) {
			t.Errorf("token leaked: %q", s)
		}
	}
}

func TestAccountMismatchMessages(t *testing.T) {
	e := &AccountMismatchError{Address: "account.weather", Declared: "weatherbot", TokenUsername: "alice"}
	want := `the token belongs to @alice, but account.weather declares username = "weatherbot"; use that account's token`
	if e.Error() != want {
		t.Errorf("got  %q\nwant %q", e.Error(), want)
	}
	e = &AccountMismatchError{Address: "account.weather", Declared: "alice", TokenUsername: "alice", PlanUserID: "old1", TokenUserID: "new2"}
	if !strings.Contains(e.Error(), "user id old1") || !strings.Contains(e.Error(), "make a new plan") {
		t.Errorf("got %q", e.Error())
	}
}
