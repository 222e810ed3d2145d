package emulator

// LoggedRequest is one API call the emulator answered.
type LoggedRequest struct {
	Endpoint string         // "i/update"
	Body     map[string]any // as sent, without the token "i"; nil if not an object
	Status   int            // the HTTP status of the answer
}

func (e *Emulator) logRequest(endpoint string, body map[string]any, status int) {
	logged := cloneJSON(body).(map[string]any)
	delete(logged, "i")
	e.logMu.Lock()
	e.requests = append(e.requests, LoggedRequest{Endpoint: endpoint, Body: logged, Status: status})
	e.logMu.Unlock()
}

// Requests returns the calls answered so far, in the order they finished.
func (e *Emulator) Requests() []LoggedRequest {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return append([]LoggedRequest(nil), e.requests...)
}

// RequestCount counts the answered calls of one endpoint.
func (e *Emulator) RequestCount(endpoint string) int {
	n := 0
	for _, r := range e.Requests() {
		if r.Endpoint == endpoint {
			n++
		}
	}
	return n
}

// ResetRequests empties the request log.
func (e *Emulator) ResetRequests() {
	e.logMu.Lock()
	e.requests = nil
	e.logMu.Unlock()
}
