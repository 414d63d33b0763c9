// Package urlfetch stands in for google.golang.org/appengine/urlfetch,
// which colly imports for Collector.Appengine, its way to fetch through
// the first-generation App Engine runtime. compoundwatch never runs
// there and never calls it, but linking the real package ran App
// Engine's protocol-buffer registrations in every process: about 12 ms
// of package initialisation for each command (GODEBUG=inittrace=1),
// a seventh of the binary's start-up. This copy keeps the API colly
// uses and fails every fetch, as the real one does outside App Engine
// ("not an App Engine context"). The go.mod replace line names it.
package urlfetch

import (
	"context"
	"errors"
	"net/http"
)

// ErrNotAppEngine is what every request through Transport returns.
var ErrNotAppEngine = errors.New("urlfetch: App Engine's URL Fetch service is not available in this build")

// Transport is the App Engine URL Fetch round tripper; here every
// request fails with ErrNotAppEngine.
type Transport struct {
	Context context.Context
	// AllowInvalidServerCertificate is kept for source compatibility.
	AllowInvalidServerCertificate bool
}

// RoundTrip fails: there is no URL Fetch service to send req to.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, ErrNotAppEngine
}

// Client returns a client whose requests fail with ErrNotAppEngine.
func Client(ctx context.Context) *http.Client {
	return &http.Client{Transport: &Transport{Context: ctx}}
}
