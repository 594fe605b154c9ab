//go:build unix && !linux

package converter

import "syscall"

// dieWithParent does nothing where the system cannot kill a child when its
// parent dies: a converter exits when its stdin closes, which it does
// when the bench dies.
func dieWithParent(*syscall.SysProcAttr) {}
