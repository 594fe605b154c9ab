//go:build unix

package converter

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the converter in a process group of its own, so that
// the processes it starts (a shell's or npm's child, which does the
// work) are stopped with it. Out of the bench's group, it is out of reach
// of a signal sent to the bench's group (CI ending a job): where the
// system can, it is killed when the bench dies (dieWithParent).
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
}

// killGroup kills the converter and every process of its group.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}
