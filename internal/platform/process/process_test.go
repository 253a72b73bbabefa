package process

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary plays the command: with PROCESS_TEST_MODE set, TestMain runs Main with a run
// function of that mode instead of the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("PROCESS_TEST_MODE") {
	case "":
		os.Exit(m.Run())
	case "starting":
		// A start-up step that honours its context, as the Temporal client does: it fails
		// with the cancellation once the signal arrives.
		Main("demo", func(ctx context.Context) error {
			fmt.Println("ready for the signal")
			<-ctx.Done()
			return fmt.Errorf("create schedule housekeeping: %w", ctx.Err())
		})
	case "serving":
		Main("demo", func(ctx context.Context) error {
			fmt.Println("ready for the signal")
			<-ctx.Done()
			return nil
		})
	case "failing":
		Main("demo", func(context.Context) error { return errors.New("database unreachable") })
	}
}

// command starts the test binary in mode and, when signal is set, sends it SIGTERM once it
// is waiting for one. It returns the exit status and what it wrote to stderr.
func command(t *testing.T, mode string, signal bool) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PROCESS_TEST_MODE="+mode)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if signal {
		buf := make([]byte, 64)
		n, _ := stdout.Read(buf)
		if !strings.Contains(string(buf[:n]), "ready for the signal") {
			t.Fatalf("the command printed %q, want it to wait for the signal", buf[:n])
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the command did not exit")
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

func TestSignalDuringStartExitsZero(t *testing.T) {
	if code, stderr := command(t, "starting", true); code != 0 {
		t.Fatalf("exit status %d (stderr %q), want 0: SIGTERM while starting is a clean stop", code, stderr)
	}
}

func TestSignalWhileServingExitsZero(t *testing.T) {
	if code, stderr := command(t, "serving", true); code != 0 {
		t.Fatalf("exit status %d (stderr %q), want 0", code, stderr)
	}
}

func TestFailureWithoutSignalExitsOne(t *testing.T) {
	code, stderr := command(t, "failing", false)
	if code != 1 || !strings.Contains(stderr, "demo: database unreachable") {
		t.Fatalf("exit status %d, stderr %q; want 1 and the error named after the command", code, stderr)
	}
}
