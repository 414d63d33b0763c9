// Added by compoundwatch's third_party/lazy-dateparser.sh: the timezone
// tables are built on first use rather than at program start.

package timezone

import (
	"sync"

	"github.com/markusmobius/go-dateparser/internal/regexp"
)

var (
	timezonesOnce                                 sync.Once
	timezoneOffsets                               []OffsetData
	rxSearch, rxSearchIgnoreCase, rxTimezoneToken *regexp.Regexp
)

func loadTimezones() {
	timezonesOnce.Do(func() {
		timezoneOffsets, rxSearch, rxSearchIgnoreCase, rxTimezoneToken = buildTimezones()
	})
}
