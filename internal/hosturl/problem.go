package hosturl

// Kind says which rule a host breaks, so that a caller can word its own
// hint (the configuration says `host = "…"`, the command line --host).
type Kind int

const (
	Empty       Kind = iota + 1 // nothing given
	Whitespace                  // spaces or control characters
	NotURL                      // url.Parse rejects it
	Userinfo                    // a user name or password before @
	Scheme                      // neither https:// nor http://
	NoHostname                  // a URL without a server name
	Path                        // a path, query or fragment after the server
	BadHostname                 // a server name that is not ASCII DNS or an IP
	Insecure                    // http:// to a server on another machine
	BadPort                     // a port outside 1-65535
)

// Problem is why a host was refused. It quotes the input only where that
// cannot reveal a password.
type Problem struct {
	Kind    Kind
	Summary string // a title, e.g. "Insecure host URL"
	Detail  string // what is wrong; no hint, no final period
	Hint    string // how to fix it, worded for any caller; no final period
	Fix     string // the corrected URL to suggest, when there is one (Scheme, Path, Insecure)
}

// Error is the problem as one line for the command line: the detail and
// the hint.
func (p *Problem) Error() string { return p.Detail + "; " + p.Hint }
