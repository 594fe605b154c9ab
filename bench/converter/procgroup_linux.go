//go:build linux

package converter

import "syscall"

// dieWithParent has the kernel kill the converter when the bench dies
// without stopping it (a go test -timeout panic, SIGKILL): the converter,
// in a process group of its own, is not signalled with the bench's group.
// Its children get EOF on stdin, which the bench held.
func dieWithParent(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
