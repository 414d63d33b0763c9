package alerts

import (
	"maps"
	"testing"
)

func TestCountAlerts(t *testing.T) {
	for _, tt := range []struct {
		name      string
		have, add map[string]int
		want      map[string]int
	}{
		{"first count", nil, map[string]int{"2026-03-01": 3}, map[string]int{"2026-03-01": 3}},
		{"adds to the day", map[string]int{"2026-03-01": 3}, map[string]int{"2026-03-01": 2}, map[string]int{"2026-03-01": 5}},
		{"a batch across midnight", map[string]int{"2026-03-01": 1}, map[string]int{"2026-03-01": 1, "2026-03-02": 4},
			map[string]int{"2026-03-01": 2, "2026-03-02": 4}},
		{"forgets days more than 14 before the latest", map[string]int{"2026-02-14": 9, "2026-02-15": 8, "2026-02-20": 7},
			map[string]int{"2026-03-01": 1}, map[string]int{"2026-02-15": 8, "2026-02-20": 7, "2026-03-01": 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := Status{Daily: maps.Clone(tt.have)}
			st.countAlerts(tt.add)
			if !maps.Equal(st.Daily, tt.want) {
				t.Errorf("daily %v, want %v", st.Daily, tt.want)
			}
		})
	}
}
