package emulator

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// consentForm reads the Accept form of a consent page: where it posts and
// its fields.
func consentForm(t *testing.T, page, class string) (action string, fields url.Values) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form method="post" action="([^"]+)" class="` + class + `">(.*?)</form>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s form in:\n%s", class, page)
	}
	fields = url.Values{}
	for _, in := range regexp.MustCompile(`<input (?:type="hidden" )?name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(m[2], -1) {
		fields.Set(in[1], html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), fields
}

// The consent page approves: a browser (an HTTP client following
// redirects) that loads it and submits Accept ends up at the callback with
// ?session=, and the application's check then gets a token for the first
// local user with the permissions the page kept.
func TestMiAuthConsentPageAccepts(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	demo := e.CreateUser("demo")
	e.CreateUser("bob")
	srv := httptest.NewServer(e)
	defer srv.Close()
	var mu sync.Mutex
	var returned []string
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		returned = append(returned, r.URL.RawQuery)
		mu.Unlock()
		io.WriteString(w, "back in the app")
	}))
	defer app.Close()

	const session = "0f8fad5b-d9cb-469f-a165-70867728950e"
	browser := &http.Client{} // follows redirects, as a browser does
	load := func(query string) string {
		resp, err := browser.Get(srv.URL + "/miauth/" + session + "?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	page := load("name=mkctl&callback=" + url.QueryEscape(app.URL+"/callback?keep=1") + "&permission=read:account,write:notes,read:notes")
	action, fields := consentForm(t, page, "accept")
	if action != "/miauth/"+session+"/accept" || fields.Get("username") != "demo" || fields.Get("permission") != "read:account,write:notes" {
		t.Fatalf("form %s %v", action, fields)
	}
	resp, err := browser.PostForm(srv.URL+action, fields)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "back in the app" || resp.Request.URL.Path != "/callback" {
		t.Fatalf("after Accept: %d %s at %s", resp.StatusCode, body, resp.Request.URL)
	}
	if len(returned) != 1 || returned[0] != "keep=1&session="+session {
		t.Errorf("the callback got %v", returned)
	}
	got := check(t, e, session)
	user, _ := got["user"].(map[string]any)
	if got["ok"] != true || user["username"] != "demo" {
		t.Fatalf("check: %v", got)
	}
	tokens := e.AccessTokensOf(demo.ID)
	if len(tokens) != 1 || tokens[0].Token != got["token"] || strings.Join(tokens[0].Permission, ",") != "read:account,write:notes" ||
		tokens[0].Name == nil || *tokens[0].Name != "mkctl" || tokens[0].IconURL != nil || tokens[0].Description != nil {
		t.Errorf("token %+v", tokens)
	}
}

func TestMiAuthConsentPageChoicesAndRefusals(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	e.CreateUser("demo")
	bob := e.CreateUser("bob")
	srv := httptest.NewServer(e)
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (*http.Response, string) {
		resp, err := noRedirect.PostForm(srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	// Another local user, named in the form; no callback: "success".
	resp, body := post("/miauth/s1/accept", url.Values{"username": {"@bob"}, "name": {"app"}, "permission": {"read:account"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Success") || !strings.Contains(body, "@bob") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if got := check(t, e, "s1"); got["ok"] != true || len(e.AccessTokensOf(bob.ID)) != 1 {
		t.Errorf("bob's approval: %v", got)
	}

	// Refused callbacks: the token is made, the browser is not sent there.
	for i, cb := range []string{"javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "JavaScript:alert(1)"} {
		s := "r" + string(rune('0'+i))
		resp, body := post("/miauth/"+s+"/accept", url.Values{"callback": {cb}, "permission": {"read:account"}})
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(body, "return address is refused") {
			t.Errorf("%s: %d %q %s", cb, resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if got := check(t, e, s); got["ok"] != true {
			t.Errorf("%s: no token made: %v", cb, got)
		}
	}
	// A safe one gets a 303 with the session added.
	resp, _ = post("/miauth/s2/accept", url.Values{"callback": {"http://127.0.0.1:1/callback"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "http://127.0.0.1:1/callback?session=s2" {
		t.Errorf("%d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Deny: "denied", no token.
	resp, body = post("/miauth/d/deny", url.Values{"callback": {"http://127.0.0.1:1/callback"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Denied") || resp.Header.Get("Location") != "" {
		t.Errorf("deny: %d %s", resp.StatusCode, body)
	}
	if got := check(t, e, "d"); got["ok"] != false {
		t.Errorf("deny made a token: %v", got)
	}

	// No such user; GET on a button.
	if resp, _ := post("/miauth/x/accept", url.Values{"username": {"nobody"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown user: %d", resp.StatusCode)
	}
	if got := check(t, e, "x"); got["ok"] != false {
		t.Errorf("unknown user made a token: %v", got)
	}
	if a := raw(t, e, http.MethodGet, "/miauth/x/accept", nil, ""); a.Status != http.StatusMethodNotAllowed {
		t.Errorf("GET accept: %d", a.Status)
	}
}

// Without any local user there is nobody to approve as.
func TestMiAuthConsentPageWithoutUsers(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	a := raw(t, e, http.MethodPost, "/miauth/s/accept", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "")
	if a.Status != http.StatusBadRequest || !strings.Contains(string(a.Body), "No such account") {
		t.Errorf("%d %s", a.Status, a.Body)
	}
}
