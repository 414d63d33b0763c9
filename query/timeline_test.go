package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/query"
)

func TestParseTimeline(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		p      query.TimelineParams
		param  string // of the error, "" when none
		entity string
		format string
	}{
		{"defaults", query.TimelineParams{}, "", "", "md"},
		{"entity by name, any type", query.TimelineParams{Entities: []string{"Chen Zhi"}, Format: "ics"}, "", "chen-zhi", "ics"},
		{"unknown entity", query.TimelineParams{Entities: []string{"Nowhere Plaza"}}, "entity", "", ""},
		{"from after to", query.TimelineParams{From: "2023-06-30", To: "2022-07-01"}, "from", "", ""},
		{"bad date", query.TimelineParams{To: "30/06/2023"}, "to", "", ""},
		{"unknown format", query.TimelineParams{Format: "pdf"}, "format", "", ""},
		{"unknown province", query.TimelineParams{Provinces: []string{"Atlantis"}}, "province", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, format, err := query.ParseTimeline(g, tt.p)
			var qe *query.Error
			switch {
			case tt.param == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.param != "" && (!errors.As(err, &qe) || qe.Param != tt.param):
				t.Fatalf("error %v, want one naming %q", err, tt.param)
			case tt.param != "":
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error on two lines: %q", err)
				}
				return
			}
			if format != tt.format || (tt.entity != "" && (len(q.Entities) != 1 || q.Entities[0] != tt.entity)) {
				t.Errorf("format %q entities %v", format, q.Entities)
			}
		})
	}
}
