package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"

	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// bodyLimit is Fastify's bodyLimit in ApiServerService: 1 MiB.
const bodyLimit = 1 << 20

// reply is an answer, built under the lock and written after it.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func newReply(status int) *reply { return &reply{status: status, header: http.Header{}} }

func (r *reply) json(v any) *reply {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // JSON.stringify does not escape <, > and &
	if err := enc.Encode(v); err != nil {
		// Every value an endpoint returns is made of JSON types.
		panic(fmt.Sprintf("emulator: encoding a response: %v", err))
	}
	r.header.Set("Content-Type", "application/json; charset=utf-8")
	r.body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return r
}

func (r *reply) write(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body)
}

// fastifyError is the body Fastify itself sends for requests that never
// reach Misskey's code.
func fastifyError(status int, code, errText, message string) *reply {
	body := map[string]any{"statusCode": status, "error": errText, "message": message}
	if code != "" {
		body["code"] = code
	}
	return newReply(status).json(body)
}

// ServeHTTP serves the API under /api/, and the MiAuth consent page
// (ep_miauth_page.go).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isWebsocketUpgrade(r) {
		e.serveStreaming(w, r) // streaming.go
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/api/")
	if !ok {
		if !e.serveWebPage(w, r) && !e.serveDriveFile(w, r) {
			http.NotFound(w, r)
		}
		return
	}
	session, isCheck := miauthCheckSession(name)
	if isCheck {
		name = miauthCheckRoute // the log never shows the session
	}
	fault := e.takeFault(name)
	if fault == FaultBeforeExecute {
		rep := proxyError(http.StatusServiceUnavailable)
		e.logRequest(LoggedRequest{Endpoint: name, Body: peekBody(r), Status: rep.status, Fault: fault})
		rep.write(w)
		return
	}
	var rep *reply
	var body map[string]any
	if isCheck {
		rep = e.serveMiAuthCheck(r, session)
	} else {
		rep, body = e.serveEndpoint(r, name)
	}
	// ApiServerService sends this on every API answer.
	rep.header.Set("Cache-Control", "private, max-age=0, must-revalidate")
	logged := LoggedRequest{Endpoint: name, Body: body, Status: rep.status}
	if fault == FaultDropResponse {
		logged.Fault, logged.ServerStatus = fault, rep.status
		rep = proxyError(http.StatusBadGateway)
		logged.Status = rep.status
	}
	e.logRequest(logged)
	rep.write(w)
}

// serveEndpoint runs the steps of ApiServerService and ApiCallService for
// one endpoint call, in the server's order. It also returns the body, if it
// was an object, for the request log.
func (e *Emulator) serveEndpoint(r *http.Request, name string) (*reply, map[string]any) {
	ep, implemented := registry()[name]
	if !implemented {
		return e.unimplemented(r, name), nil
	}
	if r.Method == http.MethodGet && !ep.AllowGet {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "GET on a POST-only endpoint: the server answers 405"})
		return newReply(http.StatusMethodNotAllowed), nil
	}

	if ep.RequireFile && r.Method != http.MethodGet {
		return e.serveUpload(r, ep)
	}

	var body any
	if r.Method == http.MethodGet {
		query, apiErr := getParams(ep, r)
		if apiErr != nil {
			return e.errorReply(apiErr), query
		}
		body = query
	} else {
		parsed, rep := e.readJSONBody(r, name)
		if rep != nil {
			return rep, nil
		}
		body = parsed
	}
	obj, _ := body.(map[string]any)

	// The token: the Authorization header (case-sensitive "Bearer "),
	// else the body's "i". A token that is not a string is a bare 400.
	token := bearerToken(r)
	if v, present := obj["i"]; token == nil && present && v != nil {
		s, isString := v.(string)
		if !isString {
			e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "the token \"i\" is not a string: the server answers a bare 400"})
			return newReply(http.StatusBadRequest), obj
		}
		token = &s
	}
	return e.dispatch(r, ep, token, body, nil), obj
}

// bearerToken is the token of an "Authorization: Bearer" header (the
// prefix case-sensitive, as Misskey matches it), nil without one: the API,
// uploads and the streaming socket all take it before any other place.
func bearerToken(r *http.Request) *string {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return &t
	}
	return nil
}

// dispatch authenticates and runs the endpoint under the lock.
// up is the file of a multipart request, nil for JSON.
func (e *Emulator) dispatch(r *http.Request, ep *endpoint, token *string, body any, up *upload) *reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	// Scheduled notes whose time has come are posted first, as
	// Misskey's queue would have by now.
	e.postDueDrafts(e.now())
	// Expired mutes are gone once Misskey's 5-minute job has run since.
	e.st.removeExpiredMutings(e.now())
	me, tok, apiErr := e.authenticate(token)
	if apiErr != nil {
		return e.errorReply(apiErr)
	}
	c := &call{e: e, ep: ep, me: me, token: tok, now: e.now(), reqHost: strings.ToLower(r.Host), upload: up}
	result, apiErr := e.run(c, r, body)
	if apiErr != nil {
		return e.errorReply(apiErr)
	}
	e.publish(c, result) // streaming events (streaming.go)
	if result == nil {
		return newReply(http.StatusNoContent)
	}
	rep := newReply(http.StatusOK).json(result)
	if _, isString := result.(string); isString {
		// ApiCallService sends a string result JSON-encoded through
		// Fastify's reply.send, which types a string as text/plain.
		rep.header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	return rep
}

// run is ApiCallService.call followed by the endpoint's own validation
// (endpoint-base.ts) and the handler.
func (e *Emulator) run(c *call, r *http.Request, body any) (any, *apiError) {
	ep := c.ep
	if ep.Secure && !c.native() {
		return nil, errAccessDenied
	}
	if ep.Limit != nil && e.opts.RateLimits {
		if apiErr := e.rateLimit(c, limitActor(c, r)); apiErr != nil {
			return nil, apiErr
		}
	}
	if ep.RequireCredential {
		if c.me == nil {
			return nil, errCredentialRequired
		}
		if c.me.IsSuspended {
			return nil, errSuspended
		}
	}
	if c.token != nil && ((ep.Kind != "" && !c.token.allows(ep.Kind)) || (ep.Kind == "" && ep.RequireCredential)) {
		return nil, errPermission
	}

	params, isObject := body.(map[string]any)
	logged := cloneJSON(params).(map[string]any)
	delete(logged, "i")
	if !isObject {
		// Ajv's verdict on a body that is not an object (or none at all).
		e.violation(Violation{Endpoint: ep.Name, Kind: ViolationInvalidParam, Param: "#/type", Reason: "must be object"})
		return nil, invalidParam("#/type", "must be object")
	}
	if c.upload != nil {
		// ApiCallService casts the form's strings (upload.go).
		if apiErr := castUploadFields(ep, params); apiErr != nil {
			if !isPermissionProbe(r) {
				e.violation(Violation{Endpoint: ep.Name, Kind: ViolationInvalidParam, Param: apiErr.Info.(map[string]any)["param"].(string), Reason: "a form field that does not JSON-parse to its type", Body: logged})
			}
			return nil, apiErr
		}
	}
	if verr := misskeyapi.Validate(ep.Name, params); verr != nil {
		kind := ViolationInvalidParam
		if verr.Unknown {
			kind = ViolationUnknownParam
		}
		if kind != ViolationInvalidParam || !isPermissionProbe(r) { // probe.go
			e.violation(Violation{Endpoint: ep.Name, Kind: kind, Param: verr.Param, Reason: verr.Reason, Body: logged})
		}
		return nil, invalidParam(verr.Param, verr.Reason)
	}
	if c.upload != nil {
		delete(params, "file") // the placeholder castUploadFields put in for api.json's required "file"
	}
	c.params = params
	return ep.Handle(c)
}

// limitActor is whom a rate limit counts: the user, or the client address.
func limitActor(c *call, r *http.Request) string {
	if c.me != nil {
		return c.me.ID
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

func (e *Emulator) errorReply(apiErr *apiError) *reply {
	rep := newReply(apiErr.status()).json(apiErr.body())
	apiErr.header(rep.header, e.now())
	return rep
}

// readJSONBody reads and parses a JSON body the way Fastify's default
// parser does. A body that is not JSON or too large never reaches
// Misskey: Fastify answers, and the emulator records a violation.
func (e *Emulator) readJSONBody(r *http.Request, name string) (any, *reply) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, bodyLimit+1))
	if err != nil {
		return nil, fastifyError(http.StatusBadRequest, "", "Bad Request", err.Error())
	}
	if len(raw) > bodyLimit {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "the body is larger than 1 MiB"})
		return nil, fastifyError(http.StatusRequestEntityTooLarge, "FST_ERR_CTP_BODY_TOO_LARGE", "Payload Too Large", "Request body is too large")
	}
	ctype := r.Header.Get("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(ctype)
	if len(raw) == 0 && mediaType != "application/json" {
		return nil, nil // no body at all: Misskey sees undefined
	}
	if mediaType != "application/json" {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: fmt.Sprintf("Content-Type %q: the server parses only application/json", ctype)})
		return nil, fastifyError(http.StatusUnsupportedMediaType, "FST_ERR_CTP_INVALID_MEDIA_TYPE", "Unsupported Media Type", "Unsupported Media Type: "+ctype)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "an empty body with Content-Type application/json"})
		return nil, fastifyError(http.StatusBadRequest, "FST_ERR_CTP_EMPTY_JSON_BODY", "Bad Request", "Body cannot be empty when content-type is set to 'application/json'")
	}
	var body any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&body); err != nil || dec.More() {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "the body is not valid JSON"})
		return nil, fastifyError(http.StatusBadRequest, "FST_ERR_CTP_INVALID_JSON_BODY", "Bad Request", "Body is not valid JSON but content-type is set to 'application/json'")
	}
	return body, nil
}

// getParams turns a GET query into parameters: strings, except that
// boolean and number parameters are JSON-parsed, as ApiCallService does.
func getParams(ep *endpoint, r *http.Request) (map[string]any, *apiError) {
	spec, _ := misskeyapi.Endpoint(ep.Name)
	params := map[string]any{}
	for k, vs := range r.URL.Query() {
		v := vs[len(vs)-1]
		params[k] = v
		prop, ok := spec.Schema.Property(k)
		if !ok || len(prop.Types) != 1 {
			continue
		}
		switch t := prop.Types[0]; t {
		case "boolean", "number", "integer":
			var parsed any
			if err := json.Unmarshal([]byte(v), &parsed); err != nil {
				apiErr := clientError("INVALID_PARAM", "0b5f1631-7c1a-41a6-b399-cce335f34d85", "Invalid param.")
				apiErr.Info = map[string]any{"param": k, "reason": "cannot cast to " + t}
				return nil, apiErr
			}
			params[k] = parsed
		}
	}
	return params, nil
}

// unimplemented answers for an endpoint the emulator does not serve: as
// the real server does for one that does not exist, and with a 501 for a
// real endpoint the emulator lacks. Both are recorded as violations.
func (e *Emulator) unimplemented(r *http.Request, name string) *reply {
	if _, inSpec := misskeyapi.Endpoint(name); inSpec {
		e.violation(Violation{Endpoint: name, Kind: ViolationNotImplemented, Reason: "the emulator does not implement " + name})
		return e.errorReply(&apiError{Code: "NOT_IMPLEMENTED_IN_EMULATOR", ID: "emulator-not-implemented",
			Message: "The emulator does not implement " + name + ".", Kind: "server", Status: http.StatusNotImplemented})
	}
	e.violation(Violation{Endpoint: name, Kind: ViolationUnknownEndpoint, Reason: fmt.Sprintf("no endpoint %q in Misskey %s", name, misskeyapi.Version())})
	if r.Method == http.MethodGet {
		return unknownEndpointReply()
	}
	return fastifyError(http.StatusNotFound, "", "Not Found", fmt.Sprintf("Route %s:%s not found", r.Method, r.URL.Path))
}

// unknownEndpointReply is what the catch-all GET route under /api/ sends.
// It answers itself, not through #sendApiError: no WWW-Authenticate header.
func unknownEndpointReply() *reply {
	return newReply(errUnknownEndpoint.status()).json(errUnknownEndpoint.body())
}
