package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// FaultMode is a failure between the client and the server that FailNext
// injects, for tests of interrupted applies.
type FaultMode string

const (
	// FaultDropResponse runs the request fully — its changes are made —
	// and then answers 502 with a proxy's HTML page instead of the
	// server's answer, as if the reply had been lost on the way back. A
	// client cannot tell whether anything happened.
	FaultDropResponse FaultMode = "drop-response"
	// FaultBeforeExecute answers 503 with a proxy's HTML page without
	// running the request at all: nothing changes and no rate limit
	// counts it.
	FaultBeforeExecute FaultMode = "before-execute"
)

// FailNext makes the next call of endpoint (a name like "notes/create")
// fail with mode, once. Calling it several times arms that many faults,
// used in order. The call shows in Requests with its Fault. It panics for
// an endpoint the emulator does not serve or an unknown mode: such a
// fault could never fire, which would make the test meaningless.
func (e *Emulator) FailNext(endpoint string, mode FaultMode) {
	if !Implements(endpoint) && endpoint != miauthCheckRoute {
		panic(fmt.Sprintf("emulator: FailNext: the emulator does not serve %q", endpoint))
	}
	if mode != FaultDropResponse && mode != FaultBeforeExecute {
		panic(fmt.Sprintf("emulator: FailNext: unknown fault mode %q", mode))
	}
	e.logMu.Lock()
	defer e.logMu.Unlock()
	if e.faults == nil {
		e.faults = map[string][]FaultMode{}
	}
	e.faults[endpoint] = append(e.faults[endpoint], mode)
}

// takeFault disarms and returns the next fault armed for endpoint, or "".
func (e *Emulator) takeFault(endpoint string) FaultMode {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	armed := e.faults[endpoint]
	if len(armed) == 0 {
		return ""
	}
	e.faults[endpoint] = armed[1:]
	return armed[0]
}

// proxyError is what a reverse proxy (nginx) in front of Misskey sends
// when the backend fails: an HTML page, not a Misskey error.
func proxyError(status int) *reply {
	rep := newReply(status)
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	rep.header.Set("Content-Type", "text/html")
	rep.body = []byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	return rep
}

// peekBody reads a request body that will not be served, for the log: the
// JSON object, or nil.
func peekBody(r *http.Request) map[string]any {
	raw, err := io.ReadAll(io.LimitReader(r.Body, bodyLimit))
	if err != nil {
		return nil
	}
	var body map[string]any
	if json.NewDecoder(bytes.NewReader(raw)).Decode(&body) != nil {
		return nil
	}
	return body
}
