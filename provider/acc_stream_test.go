package provider

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/internal/acctest"
)

// TestAccStreamRefusals: on the real server, a MiAuth token without
// read:account and a bad token are refused at the websocket upgrade with
// 401 (API-NOTES §17), reported with what the token needs and without the
// token; a token with mkctl's permissions subscribes to main and drive.
func TestAccStreamRefusals(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "strm")
	var se *StreamError
	noAccount := u.MiAuth(t, "read:drive", "write:drive")
	c, err := NewClient(srv.URL, noAccount)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.OpenStream(ctx)
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || !strings.Contains(err.Error(), "read:account") ||
		!se.Permanent() || !strings.Contains(err.Error(), "mkctl login --host ") {
		t.Fatalf("a token without read:account: %v", err)
	}
	if strings.Contains(err.Error(), noAccount) {
		t.Fatal("the error shows the token")
	}
	bad, _ := NewClient(srv.URL, strings.Repeat("x", 16))
	if _, err := bad.OpenStream(ctx); !errors.As(err, &se) || se.Status != http.StatusUnauthorized || !se.Permanent() {
		t.Fatalf("a bad token: %v", err)
	}
	good, _ := NewClient(srv.URL, u.MiAuth(t, mkctlPermissions...))
	s, err := good.OpenStream(ctx)
	if err != nil {
		t.Fatalf("mkctl's permissions: %v", err)
	}
	s.Close()
}
