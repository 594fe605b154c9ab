// Command bedrock-bench is the CLI of the Bedrock record-and-replay test
// bench. Run "bedrock-bench help" for the subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := interruptContext()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptContext is cancelled by the first SIGINT or SIGTERM, which asks
// the command to stop cleanly (cassettes, fixtures and reports are left
// whole). The signals' default action is then restored, so a second one
// ends the process at once, even one stuck in a system call.
func interruptContext() (context.Context, context.CancelFunc) {
	signalled, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-signalled.Done():
		case <-ctx.Done():
		}
		stop() // before ctx is done: the next signal is not caught
		cancel()
	}()
	return ctx, func() { cancel(); stop() }
}
