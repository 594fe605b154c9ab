package main

import (
	"fmt"
	"io"
	"net"
)

// warnExposed warns on w when ln, listening on addr as the user gave it,
// accepts connections from beyond this machine (an address such as
// 0.0.0.0, :8787 or a LAN address): risk says what anyone who can reach
// it may then do.
func warnExposed(w io.Writer, cmd, addr string, ln net.Listener, risk string) {
	a, ok := ln.Addr().(*net.TCPAddr)
	if !ok || a.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(w, "%s: warning: --listen %s reaches beyond this machine: %s; listen on 127.0.0.1 unless another machine must reach it, and then only behind a firewall\n", cmd, addr, risk)
}
