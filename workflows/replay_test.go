package workflows

import (
	"path/filepath"
	"testing"
)

// TestRecordedHistoriesReplay replays the recorded histories of every workflow type (exported
// with `ctl replay --out` or `temporal workflow show --output json`) against the current code:
// a change that would break running workflows fails here. Changes to these workflows go
// behind workflow.GetVersion.
func TestRecordedHistoriesReplay(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, f := range files {
		types[filepath.Base(f)[:8]] = true
		if err := Replayer().ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, prefix := range []string{"outbox-p", "projecti", "rebuild-", "housekee", "pipeline", "recommen", "reembed-"} {
		if !types[prefix] {
			t.Errorf("no recorded history for %s*", prefix)
		}
	}
}
