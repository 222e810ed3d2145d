package cmd

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/credentials"
)

var acceptFormRe = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)" class="accept">(.*?)</form>`)
var formInputRe = regexp.MustCompile(`<input (?:type="hidden" )?name="([^"]+)" value="([^"]*)">`)

// acceptConsentPage is a person in a browser: it loads the consent page
// and clicks Accept, following redirects, back to mkctl's callback.
func acceptConsentPage(page string) error {
	browser := &http.Client{Timeout: 10 * time.Second}
	resp, err := browser.Get(page)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := acceptFormRe.FindStringSubmatch(string(body))
	if m == nil {
		return fmt.Errorf("no Accept form on the page (%d)", resp.StatusCode)
	}
	form := url.Values{}
	for _, in := range formInputRe.FindAllStringSubmatch(m[2], -1) {
		form.Set(in[1], html.UnescapeString(in[2]))
	}
	u, _ := url.Parse(page)
	resp, err = browser.PostForm(u.Scheme+"://"+u.Host+html.UnescapeString(m[1]), form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/callback" || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("after Accept the browser is at %s (%d)", resp.Request.URL.Path, resp.StatusCode)
	}
	return nil
}

// `mkctl login --host http://127.0.0.1:PORT` works against `mkctl sandbox
// serve`: its consent page's Accept approves as the demo account, and the
// browser comes back to mkctl's callback.
func TestLoginAgainstSandboxServe(t *testing.T) {
	le := newLoginEnv(t) // private HOME and XDG_CONFIG_HOME; its own emulator is not used
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- MainContext(ctx, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
			[]string{"sandbox", "serve", "--listen", "127.0.0.1:0"})
	}()
	urlRe := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "Stop with Ctrl-C.") {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("sandbox serve printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Or:   mkctl login --host "+base+"   (Accept on the consent page approves as @demo)") {
		t.Errorf("sandbox serve does not mention login:\n%s", out.String())
	}

	ios, stdout, stderr := testIO()
	browsed := make(chan error, 1)
	opts := le.loginOpts(ios, func(u string) error {
		go func() { browsed <- acceptConsentPage(u) }()
		return nil
	})
	opts.Host = base
	opts.PollInterval = time.Hour // the callback must end it
	if err := runLogin(context.Background(), opts); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	if err := <-browsed; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "Logged in to "+base+" as @demo.") {
		t.Errorf("stdout:\n%s", stdout)
	}
	c, err := (&credentials.Store{Path: le.credentialsPath()}).Find(base, "demo")
	if err != nil || c == nil || strings.Join(c.Permissions, ",") != strings.Join(mkctlPermissions, ",") {
		t.Fatalf("stored %v, %v", c, err)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("sandbox serve: exit %d\n%s", code, out.String())
	}
}
