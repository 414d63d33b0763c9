package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// childEnv makes the test binary behave as compoundwatch, so tests can run
// it as a real child process (and kill it) without a separate build.
const childEnv = "COMPOUNDWATCH_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(Main())
	}
	testscript.Main(m, map[string]func(){
		"compoundwatch": func() { os.Exit(Main()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Keep the user's settings out of the scripts.
			for _, k := range []string{"MEILI_URL", "MEILI_API_KEY", "COMPOUNDWATCH_NATS_URL", "COMPOUNDWATCH_CONFIG", "COMPOUNDWATCH_DATA"} {
				env.Setenv(k, "")
			}
			return nil
		},
	})
}
