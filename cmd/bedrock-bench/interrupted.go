package main

import (
	"errors"

	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// interruptedRead reports whether err is the read of an input given up
// for the first Ctrl-C or SIGTERM: a named pipe nothing wrote to (or
// whose writer had not closed it), whose open or read would otherwise
// hold the command until a second signal. Such a run is interrupted,
// exit 1, as every command's interrupted run is, not an input error.
func interruptedRead(err error) bool {
	var ie *bounded.InterruptedError
	return errors.As(err, &ie)
}

// firstError is the first of args that is an error, for the error a
// usage error wraps.
func firstError(args []any) error {
	for _, a := range args {
		if err, ok := a.(error); ok {
			return err
		}
	}
	return nil
}
