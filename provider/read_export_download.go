package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxDownloadRedirects is how many redirects Download follows (an
// instance may send its /files/ URLs on to object storage).
const maxDownloadRedirects = 5

// Download streams the bytes at rawURL — a drive file's url, for `mkctl
// export` — into w and returns how many it wrote. It sends no token (the
// URL may be another host's, such as object storage: a drive file's url
// needs none), follows up to 5 redirects to http or https URLs, and fails
// on a status other than 200 or a body longer than maxBytes (the size
// Misskey reported: more is not that file). The caller checks the md5.
func (c *Client) Download(ctx context.Context, rawURL string, w io.Writer, maxBytes int64) (int64, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, fmt.Errorf("not an http or https URL: %q", rawURL)
	}
	hc := *c.hc
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxDownloadRedirects {
			return errors.New("too many redirects")
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to a URL that is not http or https: %s", req.URL.Redacted())
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, &DownloadStatusError{Status: resp.StatusCode, URL: u.Redacted()}
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return n, err
	}
	if n > maxBytes {
		return n, fmt.Errorf("the server sent more than the %d bytes Misskey reported for the file", maxBytes)
	}
	return n, nil
}

// DownloadStatusError is an answer to Download other than 200 OK.
type DownloadStatusError struct {
	Status int
	URL    string
}

func (e *DownloadStatusError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.URL, e.Status, strings.TrimSpace(http.StatusText(e.Status)))
}

// Temporary reports whether trying again may help: a server error or a
// rate limit.
func (e *DownloadStatusError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests
}
