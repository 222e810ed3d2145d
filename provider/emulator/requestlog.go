package emulator

// LoggedRequest is one API call the emulator answered.
type LoggedRequest struct {
	Endpoint string         // "i/update"
	Body     map[string]any // as sent, without the token "i"; nil if not an object
	Status   int            // the HTTP status the client got

	// Fault is the fault FailNext injected into this call, "" for none.
	Fault FaultMode
	// ServerStatus is, for FaultDropResponse, the status of the answer the
	// emulator made and the client never saw (the request ran).
	ServerStatus int
}

func (e *Emulator) logRequest(r LoggedRequest) {
	r.Body = cloneJSON(r.Body).(map[string]any)
	delete(r.Body, "i")
	e.logMu.Lock()
	e.requests = append(e.requests, r)
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
