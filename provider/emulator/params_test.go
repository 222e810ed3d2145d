package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestInvalidParam(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)

	a := post(t, e, "i/update", tok, map[string]any{"name": ""})
	if a.Status != http.StatusBadRequest {
		t.Fatalf("status %d", a.Status)
	}
	info := a.json(t)["error"].(map[string]any)["info"].(map[string]any)
	if info["param"] != "#/properties/name/minLength" || info["reason"] != "must NOT have fewer than 1 characters" {
		t.Errorf("info %v", info)
	}
	v := e.Violations()
	if len(v) != 1 || v[0].Kind != ViolationInvalidParam || v[0].Endpoint != "i/update" || v[0].Param != "#/properties/name/minLength" {
		t.Fatalf("violations %+v", v)
	}
	if _, hasToken := v[0].Body["i"]; hasToken || v[0].Body["name"] != "" {
		t.Errorf("violation body %v: want the request without the token", v[0].Body)
	}
	// Nothing changed.
	e.ResetViolations()
	if name := mustOK(t, post(t, e, "i", tok, nil))["name"]; name != nil {
		t.Errorf("name %v after a refused update", name)
	}
}

func TestUnknownParamIsRefusedAndRecorded(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)

	a := post(t, e, "i/update", tok, map[string]any{"name": "Alice", "displayName": "typo"})
	if a.Status != http.StatusBadRequest {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	code, _ := a.errorCode(t)
	reason, _ := a.json(t)["error"].(map[string]any)["info"].(map[string]any)["reason"].(string)
	if code != "INVALID_PARAM" || !strings.Contains(reason, `"displayName"`) || !strings.Contains(reason, "silently ignore") {
		t.Errorf("%s %q", code, reason)
	}
	if strings.Contains(string(a.Body), tok) {
		t.Error("the answer contains the token")
	}
	v := e.Violations()
	if len(v) != 1 || v[0].Kind != ViolationUnknownParam {
		t.Fatalf("violations %+v", v)
	}

	// AssertNoViolations reports it to the test.
	var tb fakeTB
	e.AssertNoViolations(&tb)
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "displayName") || strings.Contains(tb.errors[0], tok) {
		t.Errorf("AssertNoViolations reported %q", tb.errors)
	}
	e.ResetViolations()
	tb = fakeTB{}
	e.AssertNoViolations(&tb)
	if len(tb.errors) != 0 {
		t.Errorf("after ResetViolations: %q", tb.errors)
	}
	// The update was not applied.
	if name := mustOK(t, post(t, e, "i", tok, nil))["name"]; name != nil {
		t.Errorf("name %v", name)
	}
}

func TestDefaultsReachHandlers(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	// meta's detail defaults to true: features are included.
	m := mustOK(t, post(t, e, "meta", "", nil))
	features, _ := m["features"].(map[string]any)
	if features["miauth"] != true {
		t.Errorf("meta features %v", m["features"])
	}
	if m["version"] != "2026.5.4" || m["maxNoteTextLength"] != 3000.0 {
		t.Errorf("meta %v", m)
	}
	m = mustOK(t, post(t, e, "meta", "", map[string]any{"detail": false}))
	if _, ok := m["features"]; ok {
		t.Error("meta detail:false has features")
	}
}

func TestRequestLog(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	post(t, e, "i", tok, nil)
	post(t, e, "i/update", tok, map[string]any{"location": "Tokyo"})
	postBearer(t, e, "i", tok, nil)
	reqs := e.Requests()
	if len(reqs) != 3 || reqs[0].Endpoint != "i" || reqs[1].Endpoint != "i/update" || reqs[1].Body["location"] != "Tokyo" || reqs[1].Status != 200 {
		t.Fatalf("requests %+v", reqs)
	}
	for _, r := range reqs {
		if _, ok := r.Body["i"]; ok {
			t.Errorf("%s logged with the token", r.Endpoint)
		}
	}
	if n := e.RequestCount("i"); n != 2 {
		t.Errorf("RequestCount(i) = %d", n)
	}
	e.ResetRequests()
	if len(e.Requests()) != 0 {
		t.Error("ResetRequests left requests")
	}
}
